"""Symbolic answers from notebooks: srepr text rebuilt with the allow-list reader, judged by the engine.

    expect_expr(student.mse_objective(), m_expr, what="mse_objective", symbols=S)

raises :class:`~autograder.checks.diagnosis.Mismatch` with the engine's near-miss feedback
("off by a constant factor", "σ should have cancelled", ...) and the verdict kind as diagnosis.
"""
from __future__ import annotations

from collections.abc import Mapping

import sympy

from ..sandbox import Opaque, SreprText
from ..symbolic import check_equivalent
from .diagnosis import Mismatch


def expect_expr(got, expected: sympy.Basic, *, what: str, symbols: Mapping[str, sympy.Basic],
                **options) -> None:
    """``options`` go to :func:`autograder.symbolic.check_equivalent` (form, variables, bounds, ...)."""
    if isinstance(got, Opaque):
        raise Mismatch(f"{what}: returned an object of type {got}, expected a sympy expression")
    if not isinstance(got, SreprText):
        if isinstance(got, (int, float)) and not isinstance(got, bool):
            got = sympy.srepr(sympy.nsimplify(got))
        else:
            raise Mismatch(f"{what}: returned {type(got).__name__}, expected a sympy expression")
    options.setdefault("wall_timeout", 30.0)  # CPU time is the limit; a busy grading machine is not the student's fault
    verdict = check_equivalent(str(got), expected, symbols=symbols, answer_format="srepr", **options)
    if not verdict.correct:
        raise Mismatch(f"{what}: {verdict.feedback}", diagnosis=verdict.kind)
