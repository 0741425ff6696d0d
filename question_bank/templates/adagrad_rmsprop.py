"""AdaGrad's involuntary 1/sqrt(t) learning-rate decay, and how RMSProp avoids it.

Source: seed 000 ("Write down the AdaGrad algorithm and show that it tends to internally
decay learning rate by a factor of 1/t in step t. Then write down the RMSProp algorithm and
explain how it solves the problem with the involuntary learning rate decay." [10]). The
seed's prompt says 1/t, but its own answer (eq. 9) and the official NPFL114 list say
1/sqrt(t), which is what r_t = t g0^2 gives: the template asks for 1/sqrt(t). Convention (seed 000): r <- r + g^2 (AdaGrad) or r <- beta r + (1 - beta) g^2
(RMSProp), r_0 = 0; theta <- theta - alpha / sqrt(r + eps) * g, eps = 1e-8 inside the root.
The "effective learning rate" is alpha / sqrt(r_t + eps).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from question_bank import draw
from question_bank.core import Misconception, NumericPart, RubricItem, SymbolicPart
from question_bank.layout import fmt, statement

NAME = "adagrad_rmsprop"
TITLE = "AdaGrad's 1/sqrt(t) decay and RMSProp"
TOPIC = "optimization"
POINTS = 10
ITEM_POINTS = 5
SOURCE = "seed 000 prompt [10]; seed 001; seed 004"
EPS = 1e-8


@dataclass(frozen=True)
class Variant:
    seed: int
    alpha: float
    g0: float
    t: int
    beta: float
    k: int


def adagrad_r(v: Variant, t: int) -> float:
    r = 0.0
    for _ in range(t):
        r += v.g0 ** 2
    return r


def rmsprop_r(v: Variant, t: int) -> float:
    r = 0.0
    for _ in range(t):
        r = v.beta * r + (1 - v.beta) * v.g0 ** 2
    return r


def effective(v: Variant, r: float) -> float:
    return v.alpha / math.sqrt(r + EPS)


def generate(seed: int) -> Variant:
    rng = draw.rng_for(seed)
    return Variant(seed=seed, alpha=draw.pick(rng, (0.01, 0.05, 0.1, 0.5)), g0=draw.grid(rng, 0.2, 4.0, 0.1),
                   t=int(draw.pick(rng, (4, 9, 16, 25, 50, 100))), beta=draw.pick(rng, (0.9, 0.99)),
                   k=int(draw.pick(rng, (2, 3, 4, 5))))


def parts(v: Variant):
    ada, rms = effective(v, adagrad_r(v, v.t)), effective(v, rmsprop_r(v, v.t))
    ratio = effective(v, adagrad_r(v, v.t)) / effective(v, adagrad_r(v, v.k ** 2 * v.t))
    return (
        NumericPart(label="a", prompt=f"AdaGrad's effective learning rate $\\alpha/\\sqrt{{r_t + \\epsilon}}$ after $t = {v.t}$ steps.",
                    value=(ada,), rel_tol=5e-3, abs_tol=1e-6,
                    misconceptions=(Misconception((v.alpha / (v.t * v.g0),), "r_t grows like t g^2, so the rate decays like 1/sqrt(t), not 1/t"),
                                    Misconception((effective(v, adagrad_r(v, v.t - 1)),), "that uses r_{t-1}: r_t already includes step t's g^2"))),
        NumericPart(label="b", prompt=f"RMSProp's effective learning rate after $t = {v.t}$ steps.", value=(rms,), rel_tol=5e-3, abs_tol=1e-6,
                    misconceptions=(Misconception((v.alpha / v.g0,), "r starts at 0, so after t steps it is only (1 - beta^t) g^2"),
                                    Misconception((effective(v, rmsprop_r(v, v.t - 1)),), "that uses r_{t-1} (t off by one)"))),
        NumericPart(label="c", prompt=(f"By what factor is AdaGrad's effective learning rate at step $t = {v.t}$ larger than at step "
                                       f"$t = {v.k ** 2 * v.t}$?"), value=(ratio,), rel_tol=5e-3, abs_tol=1e-3,
                    misconceptions=(Misconception((float(v.k ** 2),), "the rate scales as 1/sqrt(t), so the factor is the square root of the step ratio"),)),
        SymbolicPart(label="d", prompt="AdaGrad's accumulator $r_t$ after $t$ steps with constant gradient `g`, as a formula in `t` and `g`.",
                     expected="t*g^2", symbols=("t", "g"), kinds=(("t", "count"),),
                     misconceptions=(Misconception("g^2", "r accumulates: it is a sum of t squared gradients"),
                                     Misconception("(t - 1)*g^2", "off by one: r_t includes the gradient of step t"))),
        SymbolicPart(label="e", prompt="RMSProp's $r_t$ after $t$ steps with constant gradient `g`, in `t`, `g` and `beta`.",
                     expected="(1 - beta^t)*g^2", symbols=("t", "g", "beta"), kinds=(("t", "count"), ("beta", "unit")),
                     misconceptions=(Misconception("g^2", "that is the limit for large t; from r_0 = 0 it is (1 - beta^t) g^2"),
                                     Misconception("(1 - beta)*g^2", "that is r_1 only"),
                                     Misconception("(1 - beta^(t - 1))*g^2", "off by one in the exponent"))),
    )


def render(v: Variant) -> str:
    stem = (f"The gradient of one parameter is constant, $g = {fmt(v.g0, 1)}$, in every step. Use $\\alpha = {fmt(v.alpha, 2)}$, "
            f"$\\epsilon = 10^{{-8}}$, RMSProp decay $\\beta = {fmt(v.beta, 2)}$, and $r_0 = 0$ for both methods "
            r"(AdaGrad $r \leftarrow r + g^2$; RMSProp $r \leftarrow \beta r + (1-\beta) g^2$; "
            r"$\theta \leftarrow \theta - \frac{\alpha}{\sqrt{r + \epsilon}} g$). Give numbers to 4 significant digits.")
    written = ("Write down the AdaGrad algorithm and show that it tends to internally decay the learning rate by a factor "
               "of $1/\\sqrt{t}$ in step $t$. Then write down RMSProp and explain how it solves the problem with the "
               "involuntary learning-rate decay.")
    return statement(title=TITLE, points=POINTS, stem=stem, parts=parts(v), written=written)


def solution(v: Variant) -> str:
    r_a, r_r = adagrad_r(v, v.t), rmsprop_r(v, v.t)
    return "\n".join([
        f"1. AdaGrad: $r_t = t g^2 = {v.t} \\cdot {fmt(v.g0 ** 2, 4)} = {fmt(r_a, 4)}$, so "
        f"$\\frac{{\\alpha}}{{\\sqrt{{r_t + \\epsilon}}}} \\approx \\frac{{\\alpha}}{{\\sqrt t\\,|g|}} = {fmt(effective(v, r_a), 6)}$.",
        f"2. RMSProp: $r_t = (1-\\beta)\\sum_{{i=1}}^t \\beta^{{t-i}} g^2 = (1 - \\beta^t) g^2 = "
        f"(1 - {fmt(v.beta, 2)}^{{{v.t}}}) \\cdot {fmt(v.g0 ** 2, 4)} = {fmt(r_r, 6)}$, so the rate is ${fmt(effective(v, r_r), 6)}$ "
        r"and tends to $\alpha/|g|$ instead of decaying to 0.",
        f"3. AdaGrad's rate is proportional to $1/\\sqrt t$: from $t={v.t}$ to $t={v.k ** 2 * v.t}$ it shrinks by $\\sqrt{{{v.k ** 2}}} = {v.k}$.",
    ])


def model_answer(v: Variant) -> str:
    return "\n".join([
        r"**AdaGrad:** $r \leftarrow 0$; repeat: $g \leftarrow \frac{1}{m}\nabla_\theta\sum_i L(f(x_i;\theta), y_i)$; "
        r"$r \leftarrow r + g^2$; $\theta \leftarrow \theta - \frac{\alpha}{\sqrt{r + \epsilon}} g$ (all elementwise).",
        r"**1/sqrt(t) decay:** if the gradient stays about $g_0$, then after $t$ steps $r \approx t g_0^2$, so "
        r"$\frac{\alpha}{\sqrt{r+\epsilon}} \approx \frac{\alpha/\sqrt t}{\sqrt{g_0^2 + \epsilon/t}}$: the learning rate is "
        r"scaled by $1/\sqrt t$ whether or not we want it, because $r$ only grows.",
        r"**RMSProp:** $r \leftarrow \beta r + (1-\beta) g^2$; $\theta \leftarrow \theta - \frac{\alpha}{\sqrt{r + \epsilon}} g$. "
        r"$r$ is an exponential moving average that estimates $\mathbb E[g^2]$ over roughly the last $1/(1-\beta)$ steps; "
        r"with constant gradients it tends to $g_0^2$ and the rate to $\alpha/|g_0|$ -- no decay with $t$.",
    ])


def rubric(v: Variant) -> tuple[RubricItem, ...]:
    return (
        RubricItem(1.5, "AdaGrad update written correctly (accumulate g^2; divide by sqrt(r + eps); elementwise)."),
        RubricItem(1.5, "Decay shown: constant g0 gives r ~ t g0^2, hence rate ~ alpha/(sqrt(t)|g0|)."),
        RubricItem(1.0, "RMSProp update written correctly (exponential moving average of g^2)."),
        RubricItem(1.0, "Explanation: the moving average forgets old gradients, so r does not grow with t and the rate does not vanish."),
    )
