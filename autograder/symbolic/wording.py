"""Turn a numeric diagnosis (a ``Finding``) into the sentence a student reads."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy

from .display import show
from .verdict import Verdict


@dataclass(frozen=True)
class Finding:
    """A diagnosis: a verdict kind and, when known, the factor/constant/shift as text."""
    kind: str
    amount: str | None = None


def word(finding: Finding, *, extra: list[str], variables: str, shown: str) -> Verdict:
    """The verdict for ``finding``; ``shown`` is "" or " (expected ..., got ...)"."""
    kind, amount = finding.kind, finding.amount
    if kind == "ignored_constant":
        return Verdict(True, "equivalent", "Correct (up to an additive constant that does not "
                       f"depend on {variables}).", "numeric")
    if kind == "uncancelled":
        times = f"; your answer is the expected one times {amount}" if amount else ""
        text = f"Your answer still contains {', '.join(extra)}, which should have " \
               f"cancelled{times}"
    elif kind == "sign":
        text = "Your answer has the wrong sign"
    elif kind == "constant_factor":
        text = "Your answer is off by a constant factor of " + (
            amount or f"something that does not depend on {variables}")
    elif kind == "missing_constant":
        text = f"Your answer is missing a constant term{' ' + amount if amount else ''} " \
               f"(one that does not depend on {variables})"
    elif kind == "extra_constant":
        text = "Your answer has an extra or different constant term" \
               f"{' ' + amount if amount else ''} (one that does not depend on {variables})"
    elif kind == "off_by_one":
        variable = amount.split(" ")[0]
        text = f"{variable} is off by one: your answer equals the expected answer with " \
               f"{variable} replaced by {amount}"
    else:
        return Verdict(False, "wrong", f"Your answer is not equivalent to the expected one: "
                       f"{amount}.")
    return Verdict(False, kind, f"{text}{shown}.")


def name_number(value: complex) -> str | None:
    """``2``, ``1/2``, ``sqrt(2)·π`` when the number looks exact, else ``≈ 1.234``."""
    if abs(value.imag) > 1e-9 * abs(value):
        return None
    guess = sympy.nsimplify(value.real, [sympy.pi], tolerance=1e-9, rational=False)
    if guess.has(sympy.Float) or len(str(guess)) > 20:
        return f"≈ {value.real:.4g}"
    return show(guess)


def value_text(value: np.ndarray) -> str:
    """A value vector as short text: ``2.5`` or ``[1, 0.5]``."""
    def one(z: complex) -> str:
        return f"{z.real:.6g}" if abs(z.imag) <= 1e-12 * max(1, abs(z)) else f"{z:.4g}"
    return one(value[0]) if value.size == 1 else "[" + ", ".join(map(one, value)) + "]"
