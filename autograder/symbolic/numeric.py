"""Evaluate expressions at random points and compare the values.

Points are laid out in *groups*: symbols that are not variables of interest (sigma, m, ...)
are fixed within a group while the variables (theta, yhat, ...) change from point to point.
"Free of the variables" then means "constant within every group", which is what the near-miss
diagnosis needs. Undefined functions ``f(x)`` and their derivatives are treated as extra free
values; ``y[i]`` entries of an IndexedBase get one random value per point and index.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import sympy
from sympy.core.function import AppliedUndef

from .domains import Bounds, sample

RTOL = 1e-8
ATOL = 1e-12
GROUPS = 4
PER_GROUP = 5
DIGITS = 30


class NotNumeric(Exception):
    """The expression does not evaluate to numbers (an equation, a leftover symbol, ...)."""


@dataclass
class Point:
    """One assignment of values to symbols.

    ``y[3]``-like entries get values lazily: from ``shared`` (one dict per group) when the
    IndexedBase is not a variable of interest, else from the point's own ``indexed``.
    """
    values: dict[sympy.Basic, sympy.Basic]
    group: int
    rng: random.Random
    shared: dict[sympy.Basic, sympy.Basic]
    varying: frozenset[str]
    indexed: dict[sympy.Basic, sympy.Basic] = field(default_factory=dict)

    def value_of(self, term: sympy.Indexed) -> sympy.Basic:
        cache = self.indexed if str(term.base.label) in self.varying else self.shared
        if term not in cache:
            cache[term] = sample(term, self.rng, None)
        return cache[term]

    def describe(self, limit: int = 4) -> str:
        shown = sorted(self.values.items(), key=lambda kv: str(kv[0]))[:limit]
        return ", ".join(f"{name}={_short(value)}" for name, value in shown)


def _short(value: sympy.Basic) -> str:
    return str(value) if value.is_Integer else f"{float(value):.3g}"


def expand_calculus(expr: sympy.Basic) -> sympy.Basic:
    """Carry out derivatives of known expressions (``d/dx x**2``) before evaluating."""
    return expr.replace(lambda e: isinstance(e, sympy.Derivative), lambda e: e.doit())


def opaque_terms(*exprs: sympy.Basic) -> dict[sympy.Basic, sympy.Dummy]:
    """Map each undefined-function term (``f(x)``, ``f'(x)``) to a shared real placeholder."""
    found: dict[sympy.Basic, sympy.Dummy] = {}
    for expr in exprs:
        for term in sympy.preorder_traversal(expr):
            if isinstance(term, (AppliedUndef, sympy.Derivative)) and term not in found:
                found[term] = sympy.Dummy(f"{term.func}", real=True)
    return found


def make_points(free: Iterable[sympy.Basic], variables: set[sympy.Basic],
                bounds: Mapping[str, Bounds], rng: random.Random, *,
                ties: Iterable[tuple[sympy.Basic, sympy.Basic]] = (),
                groups: int = GROUPS, per_group: int = PER_GROUP) -> list[Point]:
    """``groups * per_group`` points; non-variables are fixed within a group.

    Each pair in ``ties`` (the arguments of a ``KroneckerDelta``) is made equal in about half
    the points: random integers would almost never coincide, and an answer that forgot the
    delta term would pass.
    """
    free = sorted(free, key=str)
    varying = frozenset(str(v) for v in variables)
    points = []
    for group in range(groups):
        fixed = {s: sample(s, rng, bounds.get(str(s))) for s in free if s not in variables}
        _tie(fixed, ties, variables, fixed_only=True, active=group % 2 == 0)
        shared: dict = {}
        for index in range(per_group):
            values = dict(fixed)
            values.update({s: sample(s, rng, bounds.get(str(s))) for s in free if s in variables})
            _tie(values, ties, variables, fixed_only=False, active=index % 2 == 1)
            points.append(Point(values, group, random.Random(rng.random()), shared, varying))
    return points


def _tie(values: dict, ties: Iterable[tuple], variables: set, *, fixed_only: bool,
         active: bool) -> None:
    """Copy one side of each tie onto the other, changing only the allowed kind of symbol."""
    if not active:
        return
    for a, b in ties:
        if a not in values or b not in values:
            continue
        if fixed_only and a not in variables and b not in variables:
            values[b] = values[a]
        elif not fixed_only and b in variables:
            values[b] = values[a]
        elif not fixed_only and a in variables:
            values[a] = values[b]


def evaluate(expr: sympy.Basic, point: Point) -> np.ndarray | None:
    """The value(s) of ``expr`` at ``point`` as a complex vector; None where undefined (including
    values too large to represent, e.g. ``x^x^x^x`` at x = 7)."""
    try:
        return _evaluate(expr, point)
    except (OverflowError, ZeroDivisionError):
        return None


def _evaluate(expr: sympy.Basic, point: Point) -> np.ndarray | None:
    value = expr.xreplace(point.values)
    if value.has(sympy.Sum, sympy.Product):
        value = value.doit()
    indexed = value.atoms(sympy.Indexed)
    if indexed:
        value = value.xreplace({term: point.value_of(term) for term in indexed})
    entries = list(value) if isinstance(value, sympy.MatrixBase) else [value]
    numbers = []
    for entry in entries:
        if not isinstance(entry, sympy.Expr):
            raise NotNumeric("an equation or condition is not a value")
        number = entry.evalf(DIGITS)
        if number.free_symbols:
            raise NotNumeric(f"{entry} still contains {sorted(map(str, number.free_symbols))}")
        try:
            numbers.append(complex(number))
        except (TypeError, ValueError):
            return None
    array = np.array(numbers, dtype=complex)
    return array if np.all(np.isfinite(array)) else None


def close(a: np.ndarray, b: np.ndarray, rtol: float = RTOL) -> bool:
    """Elementwise relative comparison with a small absolute floor."""
    scale = np.maximum(np.abs(a), np.abs(b))
    return bool(np.all(np.abs(a - b) <= rtol * scale + ATOL))


BOTH_ZERO = object()


def consistent(values: list, scales: list | None = None) -> bool:
    """All ``values`` equal: relatively, or within ``1e-7·scale`` of the best-conditioned one."""
    values = [np.atleast_1d(v) for v in values]
    if scales is None:
        return all(close(v, values[0], rtol=1e-7) for v in values)
    ref = min(range(len(values)), key=lambda n: float(np.max(scales[n])))
    return all(np.all(np.abs(v - values[ref]) <= 1e-7 * (s + scales[ref]) + 1e-12)
               for v, s in zip(values, scales))


def ratio(a: np.ndarray, e: np.ndarray):
    """The number r with a = r·e entrywise; ``BOTH_ZERO`` if a = e = 0; None if no r exists."""
    nonzero = np.abs(e) > 1e-12 * max(1.0, float(np.max(np.abs(e))))
    if not close(a[~nonzero], np.zeros_like(a[~nonzero])):
        return None
    if not nonzero.any():
        return BOTH_ZERO
    ratios = a[nonzero] / e[nonzero]
    return complex(ratios[0]) if close(ratios, np.full_like(ratios, ratios[0]), 1e-7) else None
