"""Form requirements: "give a closed form", "expand", "factor", "eliminate sigma".

A form is checked only after the answer is known to be equivalent; failing it gives
``Verdict(kind="form")`` with the ``expectation`` sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy

from .display import show


@dataclass(frozen=True)
class Form:
    name: str
    test: Callable[[sympy.Basic], bool]
    expectation: str  # completes "Your answer is equivalent, but the question asks for ..."


def _no_sum(expr: sympy.Basic) -> bool:
    return not expr.has(sympy.Sum, sympy.Product, sympy.Integral, sympy.Limit)


def _expanded(expr: sympy.Basic) -> bool:
    return expr == sympy.expand(expr, power_exp=False, power_base=False, log=False)


def _factored(expr: sympy.Basic) -> bool:
    return not isinstance(expr, sympy.Add) or sympy.factor(expr) == expr


FORMS: dict[str, Form] = {
    "no_sum": Form("no_sum", _no_sum, "a closed form without a sum (Σ)"),
    "closed_form": Form("closed_form", _no_sum, "a closed form without a sum (Σ)"),
    "expanded": Form("expanded", _expanded, "the expanded form (multiply out all products)"),
    "factored": Form("factored", _factored, "a factored form (a product, not a sum of terms)"),
}


def resolve_form(form: str | Form | Callable[[sympy.Basic], bool] | None) -> Form | None:
    """A Form from a name in ``FORMS``, ``"no_<symbol>"``, a Form, or a bare predicate."""
    if form is None or isinstance(form, Form):
        return form
    if callable(form):
        return Form(getattr(form, "__name__", "custom"), form, "the form the question asks for")
    if form in FORMS:
        return FORMS[form]
    if form.startswith("no_") and len(form) > 3:
        name = form[3:]
        return Form(form, lambda e: name not in {str(s) for s in e.free_symbols},
                    f"an expression that does not contain {show(sympy.Symbol(name))}")
    raise ValueError(f"unknown form {form!r}; use one of {sorted(FORMS)}, 'no_<symbol>' "
                     "or a predicate")
