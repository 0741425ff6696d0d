"""Weight initialization: uniform +-1/sqrt(M) and Glorot (Xavier) uniform, and their variances.

Sources: seed 003 (W ~ U(-1/sqrt(M), 1/sqrt(M)) keeps Var(sum_i W_i x_i) = 1/3 for unit-variance
inputs; alternative U(-sqrt(6/(M+N)), sqrt(6/(M+N)))); NPFL114 lecture 3 ("How are weights
and biases initialized using the default Glorot initialization?" [5]). Var(U(-a, a)) = a^2/3,
so Glorot's variance is 2/(fan_in + fan_out); biases start at zero.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from question_bank import draw
from question_bank.core import Misconception, NumericPart, TrueFalsePart
from question_bank.layout import fmt, statement

NAME = "glorot_init"
TITLE = "Uniform and Glorot initialization"
TOPIC = "initialization"
POINTS = 5
SOURCE = "seed 003 (initialization); NPFL114 lecture 3 (Glorot)"
FANS = (16, 32, 50, 64, 100, 128, 200, 256, 300, 400, 500, 512, 784, 1000, 1024)


@dataclass(frozen=True)
class Variant:
    seed: int
    fan_in: int
    fan_out: int
    input_var: float


def generate(seed: int) -> Variant:
    rng = draw.rng_for(seed)
    fan_in = int(draw.pick(rng, FANS))
    fan_out = fan_in if int(rng.integers(0, 5)) == 0 else int(draw.pick(rng, FANS))
    return Variant(seed=seed, fan_in=fan_in, fan_out=fan_out, input_var=draw.pick(rng, (0.25, 1.0, 1.0, 4.0)))


def uniform_variance(a: float) -> float:
    """Var(U(-a, a)) = (2a)^2 / 12."""
    return (2 * a) ** 2 / 12


def parts(v: Variant):
    m, n = v.fan_in, v.fan_out
    a = 1 / math.sqrt(m)
    g = math.sqrt(6 / (m + n))
    glorot_var = uniform_variance(g)
    opts = dict(rel_tol=5e-3, abs_tol=1e-7)
    width = Misconception((a ** 2 / 12,), "U(-a, a) has width 2a: its variance is (2a)^2/12 = a^2/3")
    return (
        NumericPart(label="a", prompt="The bound $a$ of $W \\sim U(-a, a)$ with $a = 1/\\sqrt{M}$.", value=(a,), **opts,
                    misconceptions=(Misconception((1 / m,), "the bound is 1/sqrt(M), not 1/M"),)),
        NumericPart(label="b", prompt="$\\operatorname{Var}(W)$ for that uniform distribution.", value=(uniform_variance(a),), **opts,
                    misconceptions=(width, Misconception((a,), "that is the bound, not the variance"))),
        NumericPart(label="c", prompt=("$\\operatorname{Var}(U)$ for a unit's pre-activation $U = \\sum_{i=1}^M W_i x_i$ with independent "
                                       f"zero-mean inputs of variance {fmt(v.input_var, 2)}."),
                    value=(m * uniform_variance(a) * v.input_var,), **opts,
                    misconceptions=(Misconception((uniform_variance(a) * v.input_var,), f"the M = {m} terms' variances add up"),)),
        NumericPart(label="d", prompt="The Glorot uniform bound $\\sqrt{6/(M+N)}$.", value=(g,), **opts,
                    misconceptions=(Misconception((math.sqrt(6 / m),), "Glorot uses fan_in + fan_out"),)),
        NumericPart(label="e", prompt="The variance of Glorot uniform weights.", value=(glorot_var,), **opts,
                    misconceptions=(Misconception((6 / (m + n),), "that is the squared bound; the variance is bound^2 / 3 = 2/(M+N)"),
                                    Misconception((g,), "that is the bound, not the variance"))),
        TrueFalsePart(label="f", statement="For this layer, Glorot's variance equals $1/M$.", truth=abs(glorot_var - 1 / m) < 1e-12,
                      explanation="2/(M+N) = 1/M exactly when fan_in = fan_out"),
    )


def render(v: Variant) -> str:
    stem = (f"A fully connected layer has $M = {v.fan_in}$ inputs (fan-in) and $N = {v.fan_out}$ units (fan-out). "
            "Biases are initialised to zero. Give numbers to 4 significant digits.")
    return statement(title=TITLE, points=POINTS, stem=stem, parts=parts(v))


def solution(v: Variant) -> str:
    m, n = v.fan_in, v.fan_out
    a, g = 1 / math.sqrt(m), math.sqrt(6 / (m + n))
    return "\n".join([
        f"1. $a = 1/\\sqrt{{{m}}} = {fmt(a, 6)}$; $\\operatorname{{Var}}(U(-a,a)) = \\frac{{(2a)^2}}{{12}} = \\frac{{a^2}}{{3}} = \\frac{{1}}{{3M}} = {uniform_variance(a):.6g}$.",
        f"2. Independent terms: $\\operatorname{{Var}}(\\sum_i W_i x_i) = M \\cdot \\frac{{1}}{{3M}} \\cdot {fmt(v.input_var, 2)} = {fmt(m * uniform_variance(a) * v.input_var, 6)}$ "
        "-- independent of $M$, which is the point of the $1/\\sqrt M$ scaling.",
        f"3. Glorot: bound $\\sqrt{{6/({m}+{n})}} = {fmt(g, 6)}$, variance $\\frac{{6}}{{3(M+N)}} = \\frac{{2}}{{M+N}} = {uniform_variance(g):.6g}$, "
        "a compromise between keeping forward (1/M) and backward (1/N) variances; biases are 0.",
    ])
