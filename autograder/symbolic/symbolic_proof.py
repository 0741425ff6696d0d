"""Try to prove ``difference == 0`` with sympy, cheapest rewrites first.

Everything here may be slow on hostile input; it only ever runs inside the time-limited child
process of ``isolation``, after a numeric verdict has already been reported.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy

Rewrite = Callable[[sympy.Basic], sympy.Basic]

CHEAP: tuple[Rewrite, ...] = (
    lambda d: d,
    sympy.expand,
    lambda d: sympy.powsimp(sympy.expand(d)),
    lambda d: sympy.logcombine(sympy.expand(d)),
    lambda d: sympy.expand(sympy.expand_log(d)),
    sympy.radsimp,
    sympy.cancel,
)
FULL: tuple[Rewrite, ...] = (
    sympy.simplify,
    lambda d: sympy.simplify(d.doit()),
)


def _entries(expr: sympy.Basic) -> list[sympy.Basic]:
    return list(expr) if isinstance(expr, sympy.MatrixBase) else [expr]


def is_zero(difference: sympy.Basic, *, thorough: bool) -> bool:
    """True if some rewrite turns every entry of ``difference`` into exactly 0."""
    rewrites = CHEAP + FULL if thorough else CHEAP
    for entry in _entries(difference):
        if not any(_rewrite(rewrite, entry) == 0 for rewrite in rewrites):
            return False
    return True


def _rewrite(rewrite: Rewrite, expr: sympy.Basic) -> sympy.Basic | None:
    try:
        return rewrite(expr)
    except (TypeError, ValueError, NotImplementedError, AttributeError, RecursionError):
        return None  # sympy gives up on some shapes; another rewrite may still succeed


def free_of(expr: sympy.Basic, variables: set[sympy.Basic]) -> sympy.Basic | None:
    """A form of ``expr`` that visibly contains none of ``variables``, or None."""
    for rewrite in (lambda e: e, sympy.cancel, sympy.expand, sympy.simplify):
        candidate = _rewrite(rewrite, expr)
        if candidate is not None and not (candidate.free_symbols & variables):
            return candidate
    return None
