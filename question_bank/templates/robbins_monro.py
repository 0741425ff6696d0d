"""Robbins-Monro conditions on SGD learning rates, checked for a concrete schedule.

Source: seed 000 ("Formulate conditions on the sequence of learning rates used in SGD to
converge to optimum almost surely." [5]): for a convex continuous loss, SGD converges
almost surely if alpha_t > 0, sum alpha_t = infinity and sum alpha_t^2 < infinity.
The truth of every statement is computed: the series are decided by sympy's
convergence tests on the variant's own schedule, not typed in.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import sympy

from question_bank import draw
from question_bank.core import ChoicePart, RubricItem, TrueFalsePart
from question_bank.layout import fmt, statement

NAME = "robbins_monro"
TITLE = "Robbins-Monro conditions for a learning-rate schedule"
TOPIC = "optimization"
POINTS = 5
ITEM_POINTS = 2
SOURCE = "seed 000 prompt [5]"

POWERS = ("0", "1/4", "1/2", "3/5", "3/4", "9/10", "1", "3/2", "2")
T = sympy.Symbol("t", positive=True, integer=True)
# (text, predicate on p) for the multiple-choice item; which one is right is computed by probing.
P_RANGES = (
    ("$\\frac12 < p \\le 1$", lambda p: Fraction(1, 2) < p <= 1),
    ("$\\frac12 \\le p \\le 1$", lambda p: Fraction(1, 2) <= p <= 1),
    ("$0 < p \\le 1$", lambda p: 0 < p <= 1),
    ("$p > 1$", lambda p: p > 1),
)
PROBES = ("1/4", "1/2", "3/4", "1", "3/2")


@dataclass(frozen=True)
class Variant:
    seed: int
    family: str   # power: c/t^p; shifted: c/(t+k)^p; exponential: c*rho^t; log: c/(t log(t+1))
    c: float
    p: str        # exact rational as text, e.g. "3/4" (power and shifted)
    k: int        # shift (shifted)
    rho: float    # ratio (exponential)


def schedule_expr(family: str, p: str, k: int, rho: float) -> sympy.Expr:
    """The schedule without its positive constant c (which cannot change convergence)."""
    if family == "power":
        return 1 / T ** sympy.Rational(p)
    if family == "shifted":
        return 1 / (T + k) ** sympy.Rational(p)
    if family == "exponential":
        return sympy.nsimplify(rho) ** T
    if family == "log":
        return 1 / (T * sympy.log(T + 1))
    raise ValueError(family)


@lru_cache(maxsize=None)
def properties(family: str, p: str, k: int, rho: float) -> tuple[bool, bool, bool]:
    """(sum alpha diverges, sum alpha^2 converges, alpha -> 0), decided by sympy."""
    expr = schedule_expr(family, p, k, rho)
    diverges = sympy.Sum(expr, (T, 1, sympy.oo)).is_convergent() is sympy.false
    squares = sympy.Sum(expr ** 2, (T, 1, sympy.oo)).is_convergent() is sympy.true
    to_zero = sympy.limit(expr, T, sympy.oo) == 0
    return bool(diverges), bool(squares), bool(to_zero)


def satisfies(p: str) -> bool:
    diverges, squares, _ = properties("power", p, 0, 0.0)
    return diverges and squares


def correct_range() -> int:
    ok = [i for i, (_, pred) in enumerate(P_RANGES)
          if all(pred(Fraction(p)) == satisfies(p) for p in PROBES)]
    if len(ok) != 1:
        raise AssertionError(f"probing should single out one p-range, got {ok}")
    return ok[0]


def generate(seed: int) -> Variant:
    rng = draw.rng_for(seed)
    family = draw.pick(rng, ("power", "power", "power", "shifted", "exponential", "log"))
    return Variant(seed=seed, family=family, c=draw.pick(rng, (0.01, 0.05, 0.1, 0.5, 1.0, 2.0)),
                   p=draw.pick(rng, POWERS) if family in ("power", "shifted") else "1",
                   k=int(draw.pick(rng, (5, 10, 100))) if family == "shifted" else 0,
                   rho=draw.pick(rng, (0.9, 0.99, 0.999)) if family == "exponential" else 0.0)


def schedule_tex(v: Variant) -> str:
    c = fmt(v.c, 2)
    p = sympy.latex(sympy.Rational(v.p))
    if v.family == "power":
        return f"\\alpha_t = {c}" if v.p == "0" else f"\\alpha_t = \\frac{{{c}}}{{t^{{{p}}}}}"
    if v.family == "shifted":
        return f"\\alpha_t = {c}" if v.p == "0" else f"\\alpha_t = \\frac{{{c}}}{{(t + {v.k})^{{{p}}}}}"
    if v.family == "exponential":
        return f"\\alpha_t = {c} \\cdot {fmt(v.rho, 3)}^t"
    return f"\\alpha_t = \\frac{{{c}}}{{t \\log(t + 1)}}"


def parts(v: Variant):
    diverges, squares, to_zero = properties(v.family, v.p, v.k, v.rho)
    options = draw.shuffled(draw.rng_for(v.seed + 1), tuple(range(len(P_RANGES))))
    return (
        TrueFalsePart(label="a", statement="$\\sum_{t=1}^\\infty \\alpha_t = \\infty$.", truth=diverges,
                      explanation="compare with the p-series: sum 1/t^p diverges iff p <= 1; a geometric series converges"),
        TrueFalsePart(label="b", statement="$\\sum_{t=1}^\\infty \\alpha_t^2 < \\infty$.", truth=squares,
                      explanation="alpha_t^2 behaves like 1/t^(2p): it converges iff 2p > 1"),
        TrueFalsePart(label="c", statement="$\\alpha_t \\to 0$.", truth=to_zero, explanation="a constant schedule does not decay"),
        TrueFalsePart(label="d", statement="This schedule satisfies the Robbins-Monro conditions.", truth=diverges and squares,
                      explanation="both sum alpha_t = infinity and sum alpha_t^2 < infinity are needed"),
        ChoicePart(label="e", prompt="For schedules $\\alpha_t = c/t^p$ with $c > 0$, which exponents satisfy both conditions?",
                   options=tuple(P_RANGES[i][0] for i in options), correct=options.index(correct_range()),
                   explanation="p <= 1 for the divergence of sum alpha_t; p > 1/2 for the convergence of sum alpha_t^2"),
    )


def render(v: Variant) -> str:
    stem = f"SGD is run with the learning-rate schedule ${schedule_tex(v)}$, $t = 1, 2, \\dots$"
    written = "Formulate conditions on the sequence of learning rates used in SGD to converge to the optimum almost surely."
    return statement(title=TITLE, points=POINTS, stem=stem, parts=parts(v), written=written)


def solution(v: Variant) -> str:
    diverges, squares, to_zero = properties(v.family, v.p, v.k, v.rho)
    yes = {True: "holds", False: "fails"}
    why = {
        "power": f"a p-series with p = {v.p}: $\\sum t^{{-p}}$ diverges iff $p \\le 1$, $\\sum t^{{-2p}}$ converges iff $2p > 1$.",
        "shifted": f"shifting t by {v.k} does not change convergence; it behaves like the p-series with p = {v.p}.",
        "exponential": "a geometric series with ratio below 1 converges, so $\\sum \\alpha_t < \\infty$: the steps "
                       "add up to a finite distance and SGD may stop short of the optimum.",
        "log": "by the integral test $\\int dt/(t\\log t) = \\log\\log t \\to \\infty$, but $\\int dt/(t\\log t)^2 < \\infty$.",
    }[v.family]
    return "\n".join([
        f"Schedule ${schedule_tex(v)}$; the positive constant does not affect convergence. Reason: {why}",
        f"- $\\sum\\alpha_t = \\infty$ {yes[diverges]}; $\\sum\\alpha_t^2 < \\infty$ {yes[squares]}; $\\alpha_t \\to 0$ {yes[to_zero]}.",
        f"- Robbins-Monro: {'satisfied' if diverges and squares else 'not satisfied'}.",
        "- For $c/t^p$ both hold exactly when $\\frac12 < p \\le 1$ (so $c/\\sqrt t$ fails the second, a constant fails both "
        "the second and $\\alpha_t \\to 0$).",
    ])


def model_answer(v: Variant) -> str:
    return ("If the loss is convex and continuous (and gradients bounded), SGD converges to the optimum almost surely when "
            "the learning rates satisfy $\\forall t: \\alpha_t > 0$, $\\sum_t \\alpha_t = \\infty$ and $\\sum_t \\alpha_t^2 < \\infty$. "
            "The first sum lets the steps reach any point however far; the second forces $\\alpha_t \\to 0$ fast enough "
            "that the accumulated gradient noise (its variance scales with $\\sum\\alpha_t^2$) stays finite.")


def rubric(v: Variant) -> tuple[RubricItem, ...]:
    return (
        RubricItem(1.0, "alpha_t > 0 and sum alpha_t = infinity stated."),
        RubricItem(1.0, "sum alpha_t^2 < infinity stated."),
        RubricItem(1.0, "Assumptions/intuition: convex continuous loss; reach anywhere vs. finite accumulated noise."),
    )
