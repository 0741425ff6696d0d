"""The one place numbers are compared: relative error with a floor, and where two results first differ.

Tolerances: ``close`` is ``|got - expected| <= atol + rtol * |expected|`` element-wise, with
``rtol=1e-6, atol=1e-9`` by default — loose enough that ε inside or outside a square root, the
heavy-ball bookkeeping of momentum or Kingma & Ba's folded step size pass, tight enough that any
real mistake in an update rule fails.
"""
from __future__ import annotations

import numpy as np

RTOL = 1e-6
ATOL = 1e-9


def rel_error(x, y) -> float:
    """CS231n's relative error: max |x - y| / max(1e-8, |x| + |y|)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y)), initial=0.0))


def close(got, expected, *, rtol: float = RTOL, atol: float = ATOL, equal_nan: bool = False) -> bool:
    """Same shape and element-wise within tolerance. NaN equals NaN only with ``equal_nan`` (used to
    recognise a known mistake that produces NaN, never to accept an answer)."""
    got, expected = np.asarray(got), np.asarray(expected)
    if got.shape != expected.shape or got.dtype.kind not in "biuf":
        return False
    got = got.astype(float)
    ok = np.abs(got - expected) <= atol + rtol * np.abs(expected)
    if equal_nan:  # also inf == inf of the same sign, which the difference above cannot see
        ok |= (np.isnan(got) & np.isnan(expected)) | (np.isinf(got) & (got == expected))
    return bool(np.all(ok))


def first_difference(got, expected, *, rtol: float = RTOL, atol: float = ATOL) -> tuple | None:
    """Index of the first element outside tolerance (or None), for 'first differed at ...' feedback."""
    got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    bad = ~(np.abs(got - expected) <= atol + rtol * np.abs(expected))
    if not bad.any():
        return None
    return tuple(int(i) for i in np.argwhere(bad)[0])


def show(value, digits: int = 6) -> str:
    """A short, readable rendering of a number or array for feedback."""
    if isinstance(value, np.ndarray) or isinstance(value, (list, tuple)) and _numeric(value):
        array = np.asarray(value, dtype=float)
        text = np.array2string(array, precision=digits, suppress_small=True, threshold=12,
                               max_line_width=100)
        return text if array.ndim <= 1 else f"array of shape {array.shape}: {text}"
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return repr(value) if len(repr(value)) < 200 else repr(value)[:200] + "…"


def _numeric(value) -> bool:
    try:
        return np.asarray(value).dtype.kind in "biuf"
    except (ValueError, TypeError):
        return False
