"""Arithmetic as it is done on paper: half-up rounding and forward differences.

Hand tables (seed 001's gradient-descent table) round every shown value; the
reference trajectory must round the same way, so the rounding is decimal
half-up, independent of binary float ties.
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable


def round_half_up(x: float, places: int) -> float:
    if not math.isfinite(x):
        return x
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(x)).quantize(quantum, rounding=ROUND_HALF_UP)) + 0.0


def forward_difference(f: Callable[[float], float], x: float, h: float) -> float:
    """(f(x + h) - f(x)) / h, the one-sided numeric derivative of seed 001."""
    return (f(x + h) - f(x)) / h
