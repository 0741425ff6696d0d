"""Decide one comparison: equivalent, a named near miss, or wrong.

Runs inside the child process (see ``isolation``) and reports verdicts as it goes: the numeric
verdict first, then a better one if symbolic work finishes in time. Diagnosis order: ignored
additive constant -> uncancelled symbol -> sign -> constant factor -> additive constant ->
off by one -> wrong.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy

from .display import show
from .domains import Bounds
from .forms import Form
from .numeric import (BOTH_ZERO, NotNumeric, close, consistent, evaluate, expand_calculus,
                      make_points, opaque_terms, ratio)
from .symbolic_proof import free_of, is_zero
from .verdict import Verdict
from .wording import Finding, name_number, value_text, word

MIN_POINTS = 8
Report = Callable[[Verdict, bool], None]  # (verdict, is_final)


@dataclass(frozen=True)
class Problem:
    answer: sympy.Basic
    expected: sympy.Basic
    variables: frozenset[str] | None  # names; None = every free symbol of ``expected``
    bounds: dict[str, Bounds]
    form: Form | None
    ignore_additive_constant: bool
    show_expected: bool
    seed: int


def judge(problem: Problem, report: Report) -> None:
    """Report verdicts for ``problem``; the last one reported with ``is_final`` wins."""
    shape_error = _shape_error(problem.answer, problem.expected)
    if shape_error:
        report(Verdict(False, "wrong", shape_error), True)
        return
    _Judge(problem, report).run()


def _shape_error(answer: sympy.Basic, expected: sympy.Basic) -> str | None:
    if not isinstance(answer, (sympy.Expr, sympy.MatrixBase)):  # Eq, And, Tuple, ...
        return "Your answer should be an expression, not an equation, condition or tuple."
    a_matrix, e_matrix = (isinstance(x, sympy.MatrixBase) for x in (answer, expected))
    if a_matrix != e_matrix:
        return f"Expected a {'matrix' if e_matrix else 'single expression'}, " \
               f"got a {'matrix' if a_matrix else 'single expression'}."
    if a_matrix and answer.shape != expected.shape:
        return f"Expected a {expected.shape[0]}×{expected.shape[1]} matrix, " \
               f"got {answer.shape[0]}×{answer.shape[1]}."
    return None


def _sample_symbols(*exprs: sympy.Basic) -> set[sympy.Basic]:
    """Free symbols that need values; IndexedBase labels get theirs entry by entry."""
    labels = {base.label for e in exprs for base in e.atoms(sympy.IndexedBase)}
    return {s for e in exprs for s in e.free_symbols
            if isinstance(s, sympy.Symbol) and s not in labels}


class _Judge:
    def __init__(self, problem: Problem, report: Report):
        self.p = problem
        self.report = report
        answer = expand_calculus(problem.answer)
        expected = expand_calculus(problem.expected)
        opaque = opaque_terms(answer, expected)
        self.a = answer.xreplace(opaque)
        self.e = expected.xreplace(opaque)
        e_symbols = _sample_symbols(self.e)
        labels = {b.label for x in (self.a, self.e) for b in x.atoms(sympy.IndexedBase)}
        if problem.variables is None:
            self.variables = e_symbols | set(opaque.values()) | {
                b.label for b in self.e.atoms(sympy.IndexedBase)}
        else:
            self.variables = {s for s in _sample_symbols(self.a, self.e) | labels
                              if str(s) in problem.variables} | set(opaque.values())
        self.extra = sorted({str(s) for s in _sample_symbols(self.a) - e_symbols
                             if not isinstance(s, sympy.Dummy)})
        rng = random.Random(problem.seed)
        free = _sample_symbols(self.a, self.e)
        ties = [tuple(delta.args) for x in (self.a, self.e)
                for delta in x.atoms(sympy.KroneckerDelta)
                if all(isinstance(arg, sympy.Symbol) for arg in delta.args)]
        self.points = make_points(free, self.variables, problem.bounds, rng, ties=ties)

    # -- main flow ---------------------------------------------------------------------------
    def run(self) -> None:
        try:
            self.a_values = [evaluate(self.a, point) for point in self.points]
        except NotNumeric as err:
            self.report(Verdict(False, "wrong", f"Your answer could not be evaluated: {err}."),
                        True)
            return
        self.e_values = [evaluate(self.e, point) for point in self.points]
        self.valid = [k for k, (a, e) in enumerate(zip(self.a_values, self.e_values))
                      if a is not None and e is not None]
        if sum(e is not None for e in self.e_values) < MIN_POINTS:
            raise ValueError("the expected answer is undefined at most sample points; "
                             "check its symbols' assumptions and bounds")
        if len(self.valid) < MIN_POINTS:
            self.undefined_answer()
        elif all(close(self.a_values[k], self.e_values[k]) for k in self.valid):
            self.equivalent()
        else:
            self.near_miss()

    def equivalent(self, method: str = "numeric") -> None:
        form = self.p.form
        if form is not None and not form.test(self.p.answer):
            self.report(Verdict(False, "form", "Your answer is equivalent, but the question "
                                f"asks for {form.expectation}."), True)
            return
        if method == "numeric":  # try to prove it; the numeric verdict stands meanwhile
            self.report(Verdict(True, "equivalent", "Correct.", "numeric"), False)
            if is_zero(self.a - self.e, thorough=True):
                method = "symbolic"
        self.report(Verdict(True, "equivalent", "Correct.", method), True)

    def undefined_answer(self) -> None:
        bad = next((k for k, (a, e) in enumerate(zip(self.a_values, self.e_values))
                    if a is None and e is not None), None)
        if is_zero(self.a - self.e, thorough=False):
            self.equivalent("symbolic")
            return
        where = f" (e.g. at {self.points[bad].describe()})" if bad is not None else ""
        self.report(Verdict(False, "wrong", "Your answer is undefined or too large to evaluate "
                            f"(division by zero, log of a negative number, ...){where}."),
                    True)

    def near_miss(self) -> None:
        finding = self.diagnose()
        self.report(self.word(finding), False)
        verdict = self.word(self.refine(finding))
        self.report(verdict, False)
        if is_zero(self.a - self.e, thorough=False):  # numeric noise, proven equal after all
            self.equivalent("symbolic")
            return
        self.report(verdict, True)

    # -- numeric diagnosis -------------------------------------------------------------------
    def diagnose(self) -> Finding:
        a = [self.a_values[k] for k in self.valid]
        e = [self.e_values[k] for k in self.valid]
        # a - e loses precision when both are large, so constancy of a difference is judged
        # with an absolute tolerance proportional to the size of a and e at each point
        differences = [x - y for x, y in zip(a, e)]
        scales = [np.maximum(np.abs(x), np.abs(y)) for x, y in zip(a, e)]
        if self.p.ignore_additive_constant and self.variables and \
                self._constant_in_groups(differences, scales=scales):
            return Finding("ignored_constant")
        if self.extra:
            return Finding("uncancelled")
        if all(close(x, -y) for x, y in zip(a, e)):
            return Finding("sign")
        if all(close(x, y, rtol=1e-3) for x, y in zip(a, e)):
            return Finding("wrong", "it is within 0.1% of the expected answer but not exact; "
                           "write exact numbers such as 1/3 or sqrt(2), not rounded decimals")
        ratios = [ratio(x, y) for x, y in zip(a, e)]
        if None not in ratios:  # points where both sides are 0 say nothing about a factor
            kept = [(k, r) for k, r in zip(self.valid, ratios) if r is not BOTH_ZERO]
            values = [r for _, r in kept]
            if len(kept) >= MIN_POINTS // 2 and \
                    self._constant_in_groups(values, [k for k, _ in kept]) and \
                    not all(abs(r) < 1e-12 for r in values):
                return Finding("constant_factor", self._number(values))
        if self.variables and self._constant_in_groups(differences, scales=scales):
            if self._missing_constant():
                return Finding("missing_constant",
                               self._number([-d for d in differences], scales))
            return Finding("extra_constant", self._number(differences, scales))
        shifted = self._off_by_one()
        if shifted:
            return Finding("off_by_one", shifted)
        return Finding("wrong", self._counterexample())

    def _constant_in_groups(self, values: list, indices: list[int] | None = None,
                            scales: list | None = None) -> bool:
        """Equal within each group of points (``values`` align with ``indices``)."""
        groups: dict[int, list] = {}
        for n, k in enumerate(self.valid if indices is None else indices):
            groups.setdefault(self.points[k].group, []).append(n)
        return all(consistent([values[n] for n in members],
                               None if scales is None else [scales[n] for n in members])
                   for members in groups.values())

    @staticmethod
    def _number(values: list, scales: list | None = None) -> str | None:
        """If ``values`` are all one real number, show it (exactly when it looks exact)."""
        if not consistent(values, scales):
            return None
        best = 0 if scales is None else min(range(len(values)),
                                            key=lambda n: float(np.max(scales[n])))
        return name_number(complex(np.atleast_1d(values[best])[0]))

    def _missing_constant(self) -> bool:
        """Missing if the answer has no variable-free terms, or fewer than expected."""
        a_terms, e_terms = self._constant_terms(self.a), self._constant_terms(self.e)
        return not a_terms or (bool(e_terms) and len(a_terms) < len(e_terms))

    def _constant_terms(self, expr: sympy.Basic) -> list[sympy.Basic]:
        if isinstance(expr, sympy.MatrixBase):
            return []
        return [t for t in sympy.Add.make_args(expr) if not t.free_symbols & self.variables]

    def _off_by_one(self) -> str | None:
        # Shifting an argument of a KroneckerDelta or an index would need its own tied
        # sample points; those symbols are left out rather than diagnosed unreliably.
        discrete = {s for delta in self.e.atoms(sympy.KroneckerDelta, sympy.Indexed)
                    for s in delta.free_symbols}
        for symbol in sorted(_sample_symbols(self.e) - discrete, key=str):
            if not symbol.is_integer:
                continue
            for shift in (1, -1):
                moved = self.e.xreplace({symbol: symbol + shift})
                values = [(k, evaluate(moved, self.points[k])) for k in self.valid]
                values = [(k, v) for k, v in values if v is not None]
                if len(values) >= MIN_POINTS // 2 and \
                        all(close(self.a_values[k], v) for k, v in values):
                    return f"{show(symbol)} {'+' if shift > 0 else '−'} 1"
        return None

    def _counterexample(self) -> str:
        k = next(k for k in self.valid if not close(self.a_values[k], self.e_values[k]))
        got, want = value_text(self.a_values[k]), value_text(self.e_values[k])
        tail = f" but the expected answer gives {want}" if self.p.show_expected else ""
        return f"at {self.points[k].describe()} it gives {got}{tail}"

    # -- symbolic refinement (may be slow; runs after the numeric verdict is reported) ------
    def refine(self, finding: Finding) -> Finding:
        """Name a factor or constant symbolically when the numbers could not (e.g. 1/m)."""
        if finding.amount is not None or isinstance(self.a, sympy.MatrixBase):
            return finding
        if finding.kind in ("uncancelled", "constant_factor"):
            amount = free_of(self.a / self.e, self.variables)
            if amount is not None and amount != 1 and amount != 0:
                return Finding(finding.kind, show(amount))
        if finding.kind in ("missing_constant", "extra_constant"):
            amount = free_of(self.a - self.e, self.variables)
            if amount is not None and amount != 0:
                return Finding(finding.kind, show(-amount if finding.kind ==
                                                  "missing_constant" else amount))
        return finding

    # -- wording -----------------------------------------------------------------------------
    def word(self, finding: Finding) -> Verdict:
        names = sorted(show(v) for v in self.variables if not isinstance(v, sympy.Dummy))
        shown = f" (expected {show(self.p.expected)}, got {show(self.p.answer)})" \
            if self.p.show_expected else ""
        return word(finding, extra=[show(sympy.Symbol(n)) for n in self.extra],
                    variables=", ".join(names) or "the variables", shown=shown)
