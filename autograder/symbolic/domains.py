"""Where each symbol lives, and random sample points that respect it.

Assumptions come from the Symbol objects (``positive``, ``integer``, ...). sympy cannot say
"0 < beta < 1", so bounds travel separately: either as ``check_equivalent(bounds=...)`` or
attached to a :class:`SymbolTable` made by :func:`symbols_for`::

    S = symbols_for(sigma="positive", beta="unit", t="count", y="real", yhat="real")
    S["beta"]            # Symbol('beta', positive=True); S.bounds[S["beta"]] == (0, 1)
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping

import sympy

Bounds = tuple[float, float]

KINDS: dict[str, tuple[dict, Bounds | None]] = {
    "real": ({"real": True}, None),
    "positive": ({"positive": True}, None),
    "nonnegative": ({"nonnegative": True}, None),
    "negative": ({"negative": True}, None),
    "nonzero": ({"real": True, "nonzero": True}, None),
    "unit": ({"positive": True}, (0, 1)),                 # 0 < x < 1, e.g. a decay rate beta
    "count": ({"integer": True, "positive": True}, None),  # 1, 2, ..., e.g. a step t
    "integer": ({"integer": True}, None),
    "any": ({}, None),
}

COUNT_RANGE = (1, 20)
MAGNITUDE = (0.2, 4.0)


class SymbolTable(Mapping[str, sympy.Symbol]):
    """A read-only name -> Symbol mapping that also carries interval bounds for sampling."""

    def __init__(self, symbols: Mapping[str, sympy.Symbol], bounds: Mapping | None = None):
        self._symbols = dict(symbols)
        self.bounds: dict[sympy.Symbol, Bounds] = dict(bounds or {})

    def __getitem__(self, name: str) -> sympy.Symbol:
        return self._symbols[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._symbols)

    def __len__(self) -> int:
        return len(self._symbols)

    def __repr__(self) -> str:
        return f"SymbolTable({self._symbols!r}, bounds={self.bounds!r})"


def symbols_for(kinds: Mapping[str, str | Bounds] | None = None, /,
                **more: str | Bounds) -> SymbolTable:
    """Make symbols from kinds (see ``KINDS``) or ``(low, high)`` intervals.

    ``symbols_for(beta=(0, 1), t="count")``; use the mapping form for names that are Python
    keywords: ``symbols_for({"lambda": "positive"})``.
    """
    symbols, bounds = {}, {}
    for name, kind in {**(kinds or {}), **more}.items():
        if isinstance(kind, tuple):
            low, high = kind
            facts = {"positive": True} if low >= 0 else {"real": True}
            interval = (low, high)
        elif kind in KINDS:
            facts, interval = KINDS[kind]
        else:
            raise ValueError(f"unknown kind {kind!r} for {name}; use one of {sorted(KINDS)}")
        symbols[name] = sympy.Symbol(name, **facts)
        if interval is not None:
            bounds[symbols[name]] = interval
    return SymbolTable(symbols, bounds)


def collect_bounds(symbols: Mapping | None, bounds: Mapping | None) -> dict[str, Bounds]:
    """Bounds keyed by symbol *name*, from a SymbolTable and an explicit ``bounds=`` mapping."""
    found: dict[str, Bounds] = {}
    for source in (getattr(symbols, "bounds", None), bounds):
        for key, interval in (source or {}).items():
            found[getattr(key, "name", key)] = (float(interval[0]), float(interval[1]))
    return found


def sample(symbol: sympy.Basic, rng: random.Random, bounds: Bounds | None) -> sympy.Number:
    """One random value for ``symbol`` that satisfies its assumptions and bounds.

    Integers are exact; reals are 30-digit Floats kept away from 0 so ratios are meaningful.
    """
    if symbol.is_integer:
        low, high = (bounds if bounds else _integer_range(symbol))
        return sympy.Integer(rng.randint(int(low), int(high)))
    if bounds:
        low, high = bounds
        margin = 0.05 * (high - low)
        value = rng.uniform(low + margin, high - margin)
    else:
        value = rng.uniform(*MAGNITUDE)
        if symbol.is_nonnegative is not True and (symbol.is_nonpositive or rng.random() < 0.5):
            value = -value
    return sympy.Float(repr(value), 30)


def _integer_range(symbol: sympy.Basic) -> Bounds:
    if symbol.is_positive:
        return COUNT_RANGE
    if symbol.is_nonnegative:
        return (0, COUNT_RANGE[1])
    if symbol.is_negative:
        return (-COUNT_RANGE[1], -1)
    return (-10, 10)
