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
from .numeric import (NotNumeric, close, evaluate, expand_calculus, make_points,
                      opaque_terms)
from .symbolic_proof import free_of, is_zero
from .verdict import Verdict

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


@dataclass(frozen=True)
class Finding:
    """A numeric diagnosis: a verdict kind and, when known, the factor/constant/shift text."""
    kind: str
    amount: str | None = None


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


def unify_names(answer: sympy.Basic, *sources: object) -> sympy.Basic:
    """Give the answer's symbols the assumptions of same-named symbols in ``sources``."""
    known: dict[str, sympy.Basic] = {}
    for source in reversed(sources):
        items = source.values() if isinstance(source, dict) else getattr(
            source, "free_symbols", ())
        known.update({str(s): s for s in items
                      if isinstance(s, (sympy.Symbol, sympy.IndexedBase))})
    swap = {s: known[str(s)] for s in answer.free_symbols
            if isinstance(s, (sympy.Symbol, sympy.IndexedBase))
            and not isinstance(s, sympy.Dummy) and str(s) in known and known[str(s)] != s}
    return answer.xreplace(swap) if swap else answer


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
        self.report(Verdict(True, "equivalent", "Correct.", method), method == "symbolic")
        if method == "numeric" and is_zero(self.a - self.e, thorough=True):
            self.report(Verdict(True, "equivalent", "Correct.", "symbolic"), True)
        else:
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
        ratios = [_ratio(x, y) for x, y in zip(a, e)]
        if None not in ratios:  # points where both sides are 0 say nothing about a factor
            kept = [(k, r) for k, r in zip(self.valid, ratios) if r is not _BOTH_ZERO]
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
        return all(_consistent([values[n] for n in members],
                               None if scales is None else [scales[n] for n in members])
                   for members in groups.values())

    def _number(self, values: list, scales: list | None = None) -> str | None:
        """If ``values`` are all one real number, show it (exactly when it looks exact)."""
        if not _consistent(values, scales):
            return None
        best = 0 if scales is None else min(range(len(values)),
                                            key=lambda n: float(np.max(scales[n])))
        value = complex(np.atleast_1d(values[best])[0])
        if abs(value.imag) > 1e-9 * abs(value):
            return None
        guess = sympy.nsimplify(value.real, [sympy.pi], tolerance=1e-9, rational=False)
        if guess.has(sympy.Float) or len(str(guess)) > 20:
            return f"≈ {value.real:.4g}"
        return show(guess)

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
        got, want = _value_text(self.a_values[k]), _value_text(self.e_values[k])
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
        kind, amount, shown = finding.kind, finding.amount, self._shown()
        names = self._variable_names()
        if kind == "ignored_constant":
            return Verdict(True, "equivalent", "Correct (up to an additive constant that "
                           f"does not depend on {names}).", "numeric")
        if kind == "uncancelled":
            extra = ", ".join(show(sympy.Symbol(n)) for n in self.extra)
            times = f"; your answer is the expected one times {amount}" if amount else ""
            text = f"Your answer still contains {extra}, which should have cancelled{times}"
        elif kind == "sign":
            text = "Your answer has the wrong sign"
        elif kind == "constant_factor":
            text = "Your answer is off by a constant factor of " + (
                amount or f"something that does not depend on {names}")
        elif kind == "missing_constant":
            text = f"Your answer is missing a constant term{' ' + amount if amount else ''} " \
                   f"(one that does not depend on {names})"
        elif kind == "extra_constant":
            text = "Your answer has an extra or different constant term" \
                   f"{' ' + amount if amount else ''} (one that does not depend on {names})"
        elif kind == "off_by_one":
            variable = amount.split(" ")[0]
            text = f"{variable} is off by one: your answer equals the expected answer with " \
                   f"{variable} replaced by {amount}"
        else:
            return Verdict(False, "wrong", f"Your answer is not equivalent to the expected "
                           f"one: {amount}.")
        return Verdict(False, kind, f"{text}{shown}.")

    def _variable_names(self) -> str:
        names = sorted(show(s) for s in self.variables if not isinstance(s, sympy.Dummy))
        return ", ".join(names) if names else "the variables"

    def _shown(self) -> str:
        if not self.p.show_expected:
            return ""
        return f" (expected {show(self.p.expected)}, got {show(self.p.answer)})"


_BOTH_ZERO = object()


def _consistent(values: list, scales: list | None = None) -> bool:
    """All ``values`` equal: relatively, or within ``1e-7·scale`` of the best-conditioned one."""
    values = [np.atleast_1d(v) for v in values]
    if scales is None:
        return all(close(v, values[0], rtol=1e-7) for v in values)
    ref = min(range(len(values)), key=lambda n: float(np.max(scales[n])))
    return all(np.all(np.abs(v - values[ref]) <= 1e-7 * (s + scales[ref]) + 1e-12)
               for v, s in zip(values, scales))


def _ratio(a: np.ndarray, e: np.ndarray):
    """The number r with a = r·e entrywise; ``_BOTH_ZERO`` if a = e = 0; None if no r exists."""
    nonzero = np.abs(e) > 1e-12 * max(1.0, float(np.max(np.abs(e))))
    if not close(a[~nonzero], np.zeros_like(a[~nonzero])):
        return None
    if not nonzero.any():
        return _BOTH_ZERO
    ratios = a[nonzero] / e[nonzero]
    return complex(ratios[0]) if close(ratios, np.full_like(ratios, ratios[0]), 1e-7) else None


def _value_text(value: np.ndarray) -> str:
    def one(z: complex) -> str:
        return f"{z.real:.6g}" if abs(z.imag) <= 1e-12 * max(1, abs(z)) else f"{z:.4g}"
    return one(value[0]) if value.size == 1 else "[" + ", ".join(map(one, value)) + "]"
