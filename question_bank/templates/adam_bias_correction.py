"""Adam, and why dividing by (1 - beta^t) makes the moment estimates unbiased.

Source: seed 000 ("Write down the Adam algorithm. Then show why the bias-correction
terms (1 - beta^t) make the estimation of the first and second moment unbiased." [10]).
Convention (seed 000): t <- t + 1; s <- beta1 s + (1 - beta1) g; r <- beta2 r + (1 - beta2) g^2;
s_hat = s / (1 - beta1^t); r_hat = r / (1 - beta2^t); theta <- theta - alpha s_hat / sqrt(r_hat + eps),
with s_0 = r_0 = 0 and eps = 1e-8 inside the root.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from question_bank import draw
from question_bank.core import Misconception, NumericPart, RubricItem, SymbolicPart, TrueFalsePart
from question_bank.layout import fmt, fmtp, statement, tex_row

NAME = "adam_bias_correction"
TITLE = "Adam and its bias correction"
TOPIC = "optimization"
POINTS = 10
ITEM_POINTS = 5
SOURCE = "seed 000 prompt [10]; seed 001 (Adam with correction)"
EPS = 1e-8


@dataclass(frozen=True)
class Variant:
    seed: int
    grads: tuple[float, ...]
    beta1: float
    beta2: float
    alpha: float
    theta0: float


def run(v: Variant, *, grads=None, shift: int = 0, correct: bool = True) -> list[dict]:
    """One dict per step with s, r, s_hat, r_hat, theta; ``shift`` offsets t in the correction."""
    s = r = 0.0
    theta, rows = v.theta0, []
    for t, g in enumerate(v.grads if grads is None else grads, start=1):
        s = v.beta1 * s + (1 - v.beta1) * g
        r = v.beta2 * r + (1 - v.beta2) * g * g
        # A shifted exponent below 1 would divide by zero; a student doing that would skip the correction.
        power = t + shift
        c1 = (1 - v.beta1 ** power) if correct and power >= 1 else 1.0
        c2 = (1 - v.beta2 ** power) if correct and power >= 1 else 1.0
        s_hat, r_hat = s / c1, r / c2
        theta = theta - v.alpha * s_hat / math.sqrt(r_hat + EPS)
        rows.append(dict(t=t, g=g, s=s, r=r, s_hat=s_hat, r_hat=r_hat, theta=theta))
    return rows


def generate(seed: int) -> Variant:
    rng = draw.rng_for(seed)
    T = int(draw.pick(rng, (2, 3)))
    return Variant(seed=seed, grads=draw.grid_vector(rng, T, -2.0, 2.0, 0.5, nonzero=True),
                   beta1=draw.pick(rng, (0.8, 0.9)), beta2=draw.pick(rng, (0.9, 0.99, 0.999)),
                   alpha=draw.pick(rng, (0.01, 0.1)), theta0=draw.grid(rng, -1.0, 1.0, 0.5))


def parts(v: Variant):
    last, T = run(v)[-1], len(v.grads)
    early, late, raw = run(v, shift=-1)[-1], run(v, shift=+1)[-1], run(v, correct=False)[-1]
    constant = run(v, grads=(v.grads[0],) * T)[-1]
    unbiased_const = abs(constant["s_hat"] - v.grads[0]) < 1e-9 * max(1.0, abs(v.grads[0]))
    off = "off by one in the exponent of the correction: step t divides by 1 - beta^t"
    return (
        NumericPart(label="a", prompt=f"The biased first moment $s_{{{T}}}$.", value=(last["s"],), rel_tol=1e-3, abs_tol=1e-4,
                    misconceptions=(Misconception((last["s_hat"],), "that is already bias-corrected"),)),
        NumericPart(label="b", prompt=f"The corrected first moment $\\hat s_{{{T}}}$.", value=(last["s_hat"],), rel_tol=1e-3, abs_tol=1e-4,
                    misconceptions=(Misconception((raw["s"],), "bias correction is missing: divide by 1 - beta1^t"),
                                    Misconception((early["s_hat"],), off), Misconception((late["s_hat"],), off))),
        NumericPart(label="c", prompt=f"The corrected second moment $\\hat r_{{{T}}}$.", value=(last["r_hat"],), rel_tol=1e-3, abs_tol=1e-5,
                    misconceptions=(Misconception((raw["r"],), "bias correction is missing: divide by 1 - beta2^t"),
                                    Misconception((early["r_hat"],), off), Misconception((late["r_hat"],), off))),
        NumericPart(label="d", prompt=f"$\\theta_{{{T}}}$ after {T} Adam steps.", value=(last["theta"],), rel_tol=1e-3, abs_tol=2e-4,
                    misconceptions=(Misconception((raw["theta"],), "that is Adam without bias correction"),
                                    Misconception((early["theta"],), off), Misconception((late["theta"],), off))),
        SymbolicPart(label="e", prompt=(r"The total weight $(1-\beta)\sum_{i=1}^t \beta^{t-i}$ that the moving average puts on the "
                                        "gradients, in closed form in `beta` and `t`."),
                     expected="1 - beta^t", symbols=("beta", "t"), kinds=(("beta", "unit"), ("t", "count")),
                     misconceptions=(Misconception("1 - beta^(t - 1)", "off by one: the sum has t terms, beta^0 ... beta^(t-1)"),
                                     Misconception("1 - beta^(t + 1)", "off by one: the sum has t terms, beta^0 ... beta^(t-1)"),
                                     Misconception("1 - beta", "that is the weight of the newest gradient only"))),
        TrueFalsePart(label="f", statement=(f"Had every gradient been ${fmt(v.grads[0], 1)}$, the corrected $\\hat s_{{{T}}}$ "
                                            f"would equal ${fmt(v.grads[0], 1)}$ exactly."),
                      truth=unbiased_const, explanation="with constant g, s_t = (1 - beta1^t) g, and the correction divides that factor out"),
    )


def render(v: Variant) -> str:
    stem = (f"Run Adam on one parameter from $\\theta_0 = {fmt(v.theta0, 1)}$ with $\\alpha = {fmt(v.alpha, 2)}$, "
            f"$\\beta_1 = {fmt(v.beta1, 3)}$, $\\beta_2 = {fmt(v.beta2, 3)}$, $\\epsilon = 10^{{-8}}$, $s_0 = r_0 = 0$. "
            f"The gradients in steps $t = 1, \\dots, {len(v.grads)}$ are ${tex_row(v.grads, 1)}$ (take them as given). "
            r"Update: $s \leftarrow \beta_1 s + (1-\beta_1) g$, $r \leftarrow \beta_2 r + (1-\beta_2) g^2$, "
            r"$\hat s = s/(1-\beta_1^t)$, $\hat r = r/(1-\beta_2^t)$, $\theta \leftarrow \theta - \alpha\hat s/\sqrt{\hat r + \epsilon}$. "
            "Give numbers to 4 significant digits.")
    written = ("Write down the Adam algorithm. Then show why the bias-correction terms $(1-\\beta^t)$ make the estimation "
               "of the first and second moment unbiased.")
    return statement(title=TITLE, points=POINTS, stem=stem, parts=parts(v), written=written)


def solution(v: Variant) -> str:
    lines = ["| t | g | s | r | s_hat | r_hat | theta |", "|---|---|---|---|---|---|---|"]
    for row in run(v):
        lines.append(f"| {row['t']} | {fmt(row['g'], 1)} | {fmt(row['s'], 5)} | {fmt(row['r'], 6)} | {fmt(row['s_hat'], 5)} | "
                     f"{fmt(row['r_hat'], 5)} | {fmt(row['theta'], 5)} |")
    first = run(v)[0]
    lines += ["", f"E.g. step 1: $s_1 = (1 - {fmt(v.beta1, 3)}) \\cdot {fmtp(v.grads[0], 1)} = {fmt(first['s'], 5)}$, "
              f"$\\hat s_1 = s_1 / (1 - {fmt(v.beta1, 3)}^1) = {fmt(first['s_hat'], 5)}$ -- exactly $g_1$.",
              r"Closed form: $(1-\beta)\sum_{i=1}^t \beta^{t-i} = (1-\beta)\frac{1-\beta^t}{1-\beta} = 1-\beta^t$."]
    return "\n".join(lines)


def model_answer(v: Variant) -> str:
    return "\n".join([
        r"**Adam:** $s \leftarrow 0$, $r \leftarrow 0$, $t \leftarrow 0$; repeat: $g \leftarrow \frac{1}{m}\nabla_\theta\sum_i L(f(x_i;\theta),y_i)$; "
        r"$t \leftarrow t + 1$; $s \leftarrow \beta_1 s + (1-\beta_1) g$; $r \leftarrow \beta_2 r + (1-\beta_2) g^2$; "
        r"$\hat s \leftarrow s/(1-\beta_1^t)$; $\hat r \leftarrow r/(1-\beta_2^t)$; $\theta \leftarrow \theta - \frac{\alpha}{\sqrt{\hat r + \epsilon}}\hat s$.",
        r"**Why unbiased:** unrolling, $r_t = (1-\beta_2)\sum_{i=1}^t \beta_2^{t-i} g_i^2$. If the $g_i^2$ share the expectation "
        r"$\mathbb E[g^2]$ (stationary gradients), $\mathbb E[r_t] = \mathbb E[g^2]\,(1-\beta_2)\sum_{i=1}^t\beta_2^{t-i} = "
        r"\mathbb E[g^2](1-\beta_2^t)$, because the weights form a geometric series. Starting from $r_0 = 0$ biases $r_t$ towards zero "
        r"by exactly the factor $1-\beta_2^t$; dividing by it gives $\mathbb E[\hat r_t] = \mathbb E[g^2]$. The same argument with "
        r"$\beta_1$ gives $\mathbb E[\hat s_t] = \mathbb E[g]$. The correction matters early ($1-0.9^1 = 0.1$) and vanishes as $t$ grows.",
    ])


def rubric(v: Variant) -> tuple[RubricItem, ...]:
    return (
        RubricItem(2.0, "Adam written completely: both moving averages, step counter, both corrections, the update with eps."),
        RubricItem(1.0, "Unrolled moment: r_t = (1 - beta2) sum_i beta2^(t-i) g_i^2 (or the same for s)."),
        RubricItem(1.0, "Expectation: E[r_t] = E[g^2] (1 - beta2^t) via the geometric series."),
        RubricItem(1.0, "Conclusion: dividing by (1 - beta^t) makes the estimate unbiased; the bias comes from the zero initialisation."),
    )
