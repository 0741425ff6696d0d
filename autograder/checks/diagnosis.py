"""Judge one answer against the reference and name the mistake when it matches a known wrong variant.

    expect(got, expected, what="adam: w after 3 steps", mistakes={"Adam without bias correction": w3})

passes silently, or raises :class:`Mismatch` whose message is the feedback and whose
``diagnosis`` is the matching mistake's name (``None`` when nothing matched). Values are numbers,
arrays or equally long sequences of them (a trajectory: "first differed at step 2").
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from ..sandbox import Opaque
from .numeric import ATOL, RTOL, close, first_difference, show


class Mismatch(AssertionError):
    """A wrong answer: the message is feedback for the student."""

    def __init__(self, message: str, *, diagnosis: str | None = None, series: dict | None = None):
        super().__init__(message)
        self.diagnosis = diagnosis
        self.series = series  # {"yours": [...], "reference": [...], ...} for a plot in the feedback


def expect(got, expected, *, what: str, mistakes: Mapping[str, object] | None = None,
           rtol: float = RTOL, atol: float = ATOL, plot: bool = False, step_name: str = "step") -> None:
    """Raise :class:`Mismatch` unless ``got`` equals ``expected`` within tolerance."""
    steps = _as_steps(expected)
    shape_problem = _shape_problem(got, expected, steps)
    if shape_problem is None and _close(got, expected, steps, rtol, atol):
        return
    series = _series(got, expected) if plot and shape_problem is None else None
    for name, value in (mistakes or {}).items():  # a mistake may have the wrong shape too ("dw transposed")
        if _shape_problem(got, value, steps) is None and _close(got, value, steps, rtol, atol, equal_nan=True):
            raise Mismatch(f"{what}: your result matches {name}.", diagnosis=name, series=series)
    if shape_problem:
        raise Mismatch(f"{what}: {shape_problem}")
    not_finite = _finite_problem(got, expected, steps)
    if not_finite:
        raise Mismatch(f"{what}: {not_finite}", series=series)
    raise Mismatch(f"{what}: {_where(got, expected, steps, rtol, atol, step_name)}", series=series)


def _as_steps(expected) -> bool:
    return isinstance(expected, Sequence) and not isinstance(expected, str) and len(expected) > 0 \
        and all(isinstance(e, np.ndarray) for e in expected)


def _shape_problem(got, expected, steps: bool) -> str | None:
    if isinstance(got, Opaque):
        return f"returned an object of type {got}, which is not a number or numpy array"
    if steps:
        if not isinstance(got, Sequence) or len(got) != len(expected):
            return f"expected {len(expected)} results, got {show(got)}"
        for i, (g, e) in enumerate(zip(got, expected)):
            problem = _shape_problem(g, e, False)
            if problem:
                return f"at step {i + 1}: {problem}"
        return None
    if got is None:
        return "returned None (is a return statement missing?)"
    try:
        array = np.asarray(got)
    except (ValueError, TypeError):
        return f"returned {show(got)}, not a number or array"
    if array.dtype.kind not in "biuf":
        return f"returned {type(got).__name__} {show(got)}, expected a number or an array"
    if array.shape != np.shape(expected):
        return f"returned shape {array.shape}, expected shape {np.shape(expected)}"
    return None


def _finite_problem(got, expected, steps: bool) -> str | None:
    pairs = list(zip(got, expected)) if steps else [(got, expected)]
    for i, (g, e) in enumerate(pairs):
        g = np.asarray(g, dtype=float)
        if not np.all(np.isfinite(g)) and np.all(np.isfinite(e)):
            where = f"at step {i + 1}: " if steps else ""
            return f"{where}returned non-finite values (NaN or inf): {show(g)}"
    return None


def _close(got, expected, steps, rtol, atol, equal_nan=False) -> bool:
    if steps:
        return all(close(g, e, rtol=rtol, atol=atol, equal_nan=equal_nan) for g, e in zip(got, expected))
    return close(got, expected, rtol=rtol, atol=atol, equal_nan=equal_nan)


def _where(got, expected, steps, rtol, atol, step_name) -> str:
    if steps:
        for i, (g, e) in enumerate(zip(got, expected)):
            if not close(g, e, rtol=rtol, atol=atol):
                return f"first differed at {step_name} {i + 1}: " + _where(g, e, False, rtol, atol, "")
    index = first_difference(got, expected, rtol=rtol, atol=atol)
    at = f" at index {index}" if index else ""
    got_v, exp_v = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    if index:
        return f"got {show(float(got_v[index]))}, expected {show(float(exp_v[index]))}{at} " \
               f"(whole result: {show(got_v)}; expected {show(exp_v)})"
    return f"got {show(got_v if got_v.ndim else float(got_v))}, expected {show(exp_v if exp_v.ndim else float(exp_v))}"


def _series(got, expected) -> dict:
    def flat(x):
        return [float(v) if np.isfinite(v) else None for v in np.asarray(x, dtype=float).ravel()[:2]]
    if _as_steps(expected):
        return {"yours": [flat(g) for g in got], "reference": [flat(e) for e in expected]}
    return {"yours": [flat(got)], "reference": [flat(expected)]}


def predict(run: Callable[[dict], object], reference: dict, part: str,
            mistakes: Mapping[str, Callable]) -> tuple[object, dict[str, object]]:
    """``run(namespace)`` on the reference, and on the reference with ``part`` replaced by each named
    mistake: ``(expected, {mistake name: its result})``. A mistake that cannot run predicts nothing."""
    with np.errstate(all="ignore"):
        expected = run(reference)
        wrong = {}
        for name, fn in mistakes.items():
            try:
                wrong[name] = run({**reference, part: fn})
            except Exception:  # noqa: BLE001 - any failure of a wrong variant just means no prediction
                continue
    return expected, wrong
