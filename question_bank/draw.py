"""Seeded random choices for templates.

Every choice goes through ``numpy.random.default_rng(seed)`` (PCG64) and only
through ``Generator.integers``: values are picked on explicit grids, so what a
student sees is already rounded and the same seed gives the same variant on any
machine (no float sampling, no dict/set iteration order).
"""
from __future__ import annotations

from decimal import Decimal

import numpy as np


def rng_for(seed: int) -> np.random.Generator:
    if seed < 0:
        raise ValueError(f"seeds are non-negative integers, got {seed}")
    return np.random.default_rng(seed)


def _decimals(step: float) -> int:
    exponent = Decimal(repr(step)).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def grid(rng: np.random.Generator, lo: float, hi: float, step: float, *, nonzero: bool = False) -> float:
    """A value lo, lo+step, ..., hi (inclusive), rounded to the step's decimals."""
    count = int(round((hi - lo) / step)) + 1
    places = _decimals(step)
    while True:
        value = round(lo + step * int(rng.integers(0, count)), places)
        if not (nonzero and value == 0):
            return value + 0.0  # normalises -0.0


def grid_vector(rng, n: int, lo: float, hi: float, step: float, *, nonzero: bool = False) -> tuple[float, ...]:
    return tuple(grid(rng, lo, hi, step, nonzero=nonzero) for _ in range(n))


def pick(rng: np.random.Generator, options):
    """One element of a sequence (tuple/list; never a set)."""
    return options[int(rng.integers(0, len(options)))]


def shuffled(rng: np.random.Generator, items) -> tuple:
    order = [int(i) for i in rng.permutation(len(items))]
    return tuple(items[i] for i in order)


def distribution(rng: np.random.Generator, k: int, step: float = 0.05, minimum: float = 0.05) -> tuple[float, ...]:
    """k probabilities on a grid, each >= minimum, summing to exactly 1 on that grid."""
    units = int(round(1 / step))
    low = int(round(minimum / step))
    while True:
        cuts = sorted(int(c) for c in rng.integers(1, units, size=k - 1))
        counts = np.diff([0, *cuts, units])
        if (counts >= low).all():
            places = _decimals(step)
            return tuple(round(int(c) * step, places) for c in counts)
