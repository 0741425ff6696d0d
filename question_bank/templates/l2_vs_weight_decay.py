"""L2 regularization vs weight decay: equal for SGD, not for Adam (hence AdamW).

Sources: seed 001 (L2 regularizace vs weight decay, AdamW) and NPFL114 lecture 3 ("define
L2 regularization and its effect on the loss and on the gradient" [5]).
Convention (seed 001): L = L_data + lambda * sum w^2, so grad L = dw + 2 lambda w.
L2: step = optimizer(dw + 2 lambda w). Weight decay: step = optimizer(dw) + 2 lambda w.
Then w <- w - gamma * step. Adam's first step (t = 1, zero moments, bias-corrected) is
optimizer(g) = g / (|g| + eps) elementwise, with eps = 1e-8.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from question_bank import draw
from question_bank.core import Misconception, NumericPart, TrueFalsePart
from question_bank.layout import fmt, statement, tex_row

NAME = "l2_vs_weight_decay"
TITLE = "L2 regularization vs weight decay (SGD and Adam)"
TOPIC = "regularization"
POINTS = 5
SOURCE = "seed 001 (L2 vs weight decay, AdamW); NPFL114 lecture 3"
EPS = 1e-8


@dataclass(frozen=True)
class Variant:
    seed: int
    w: tuple[float, float]
    dw: tuple[float, float]
    loss_data: float
    gamma: float
    lam: float


def sgd_step(g: np.ndarray) -> np.ndarray:
    """Plain SGD's step direction is the gradient itself."""
    return g


def adam_first_step(g: np.ndarray) -> np.ndarray:
    """Adam's bias-corrected first step: m_hat = g, v_hat = g^2."""
    return g / (np.sqrt(g * g) + EPS)


def updates(v: Variant, *, l2_factor: float = 2.0) -> dict[str, np.ndarray]:
    w, dw = np.asarray(v.w), np.asarray(v.dw)
    grad = dw + l2_factor * v.lam * w
    return {
        "grad": grad,
        "sgd_l2": w - v.gamma * sgd_step(grad),
        "sgd_wd": w - v.gamma * (sgd_step(dw) + l2_factor * v.lam * w),
        "adam_l2": w - v.gamma * adam_first_step(grad),
        "adamw": w - v.gamma * (adam_first_step(dw) + l2_factor * v.lam * w),
    }


def generate(seed: int) -> Variant:
    rng = draw.rng_for(seed)
    while True:
        v = Variant(seed=seed, w=draw.grid_vector(rng, 2, -3.0, 3.0, 0.5, nonzero=True),
                    dw=draw.grid_vector(rng, 2, -1.0, 1.0, 0.1, nonzero=True),
                    loss_data=draw.grid(rng, 0.5, 3.0, 0.1),
                    gamma=draw.pick(rng, (0.01, 0.05, 0.1)), lam=draw.pick(rng, (0.01, 0.05, 0.1, 0.2, 0.5)))
        if (np.abs(updates(v)["grad"]) > 0.05).all():  # keep Adam's sign(g) well defined by hand
            return v


def parts(v: Variant):
    u, half = updates(v), updates(v, l2_factor=1.0)
    w = np.asarray(v.w)
    loss = v.loss_data + v.lam * float((w * w).sum())
    adam_equal = bool(np.allclose(u["adam_l2"], u["adamw"], atol=1e-9))
    factor = Misconception  # short alias for the repeated "lambda w instead of 2 lambda w" slip
    slip = "the derivative of lambda * w^2 is 2 lambda w, not lambda w"
    vec = dict(shape=(2,), rel_tol=1e-3, abs_tol=1e-4)
    return (
        NumericPart(label="a", prompt=r"The regularized loss $L = L_\text{data} + \lambda \sum_i w_i^2$.",
                    value=(loss,), rel_tol=1e-3, abs_tol=1e-4,
                    misconceptions=(Misconception((v.loss_data + v.lam * float(np.abs(w).sum()),), "that is L1; L2 squares the weights"),)),
        NumericPart(label="b", prompt=r"The gradient $\nabla_{\boldsymbol w} L$.", value=tuple(u["grad"]),
                    misconceptions=(factor(tuple(half["grad"]), slip),), **vec),
        NumericPart(label="c", prompt="$\\boldsymbol w$ after one SGD step on the L2-regularized loss.", value=tuple(u["sgd_l2"]),
                    misconceptions=(factor(tuple(half["sgd_l2"]), slip),), **vec),
        NumericPart(label="d", prompt="$\\boldsymbol w$ after one SGD step with weight decay.", value=tuple(u["sgd_wd"]),
                    misconceptions=(factor(tuple(half["sgd_wd"]), slip),), **vec),
        NumericPart(label="e", prompt="$\\boldsymbol w$ after Adam's first step on the L2-regularized loss.",
                    value=tuple(u["adam_l2"]),
                    misconceptions=(factor(tuple(u["adamw"]), "that is AdamW: with L2, the penalty's gradient goes through Adam's normalisation"),), **vec),
        NumericPart(label="f", prompt="$\\boldsymbol w$ after AdamW's first step (decoupled weight decay).",
                    value=tuple(u["adamw"]),
                    misconceptions=(factor(tuple(u["adam_l2"]), "that is Adam with L2: AdamW adds 2 lambda w outside Adam's normalisation"),
                                    factor(tuple(half["adamw"]), slip)), **vec),
        TrueFalsePart(label="g", statement="The answers to c) and d) are equal.",
                      truth=bool(np.allclose(u["sgd_l2"], u["sgd_wd"])),
                      explanation="for SGD the optimizer is linear in the gradient, so adding 2 lambda w before or after it is the same"),
        TrueFalsePart(label="h", statement="The answers to e) and f) are equal.", truth=adam_equal,
                      explanation="Adam divides the whole gradient, penalty included, by its running RMS; AdamW does not"),
    )


def render(v: Variant) -> str:
    stem = (f"Weights $\\boldsymbol w = {tex_row(v.w, 1)}$ have data loss $L_\\text{{data}} = {fmt(v.loss_data, 2)}$ "
            f"with gradient $\\nabla L_\\text{{data}} = {tex_row(v.dw, 2)}$. Learning rate $\\gamma = {fmt(v.gamma, 2)}$, "
            f"regularization strength $\\lambda = {fmt(v.lam, 2)}$. "
            r"L2 regularization adds $\lambda\sum_i w_i^2$ to the loss (so the optimizer sees $\nabla L_\text{data} + 2\lambda\boldsymbol w$); "
            r"weight decay adds $2\lambda\boldsymbol w$ to the optimizer's step instead: "
            r"$\boldsymbol w \leftarrow \boldsymbol w - \gamma\,(\operatorname{optimizer}(\nabla L_\text{data}) + 2\lambda \boldsymbol w)$. "
            r"Adam starts from zero moments with bias correction, so its first step is "
            r"$\operatorname{optimizer}(\boldsymbol g) = \boldsymbol g / (\sqrt{\boldsymbol g^2} + \epsilon)$ elementwise, "
            r"$\epsilon = 10^{-8}$. Give numbers to 4 decimals.")
    return statement(title=TITLE, points=POINTS, stem=stem, parts=parts(v))


def solution(v: Variant) -> str:
    u = updates(v)
    w = np.asarray(v.w)
    return "\n".join([
        f"1. $L = {fmt(v.loss_data, 2)} + {fmt(v.lam, 2)} \\cdot {fmt(float((w * w).sum()), 4)} = "
        f"{fmt(v.loss_data + v.lam * float((w * w).sum()), 4)}$: L2 raises the loss by $\\lambda\\|\\boldsymbol w\\|^2$.",
        f"2. $\\nabla L = \\nabla L_\\text{{data}} + 2\\lambda \\boldsymbol w = {tex_row(u['grad'], 4)}$: every weight is pulled towards 0.",
        f"3. SGD with L2: $\\boldsymbol w - \\gamma \\nabla L = {tex_row(u['sgd_l2'], 4)}$.",
        f"4. SGD with weight decay: $\\boldsymbol w - \\gamma(\\nabla L_\\text{{data}} + 2\\lambda\\boldsymbol w) = "
        f"{tex_row(u['sgd_wd'], 4)}$ -- the same, since SGD's step is linear in the gradient.",
        f"5. Adam with L2: $\\boldsymbol w - \\gamma\\,\\frac{{\\nabla L}}{{|\\nabla L| + \\epsilon}} = {tex_row(u['adam_l2'], 4)}$ "
        "-- the penalty only changes the sign pattern that Adam normalises away.",
        f"6. AdamW: $\\boldsymbol w - \\gamma\\left(\\frac{{\\nabla L_\\text{{data}}}}{{|\\nabla L_\\text{{data}}| + \\epsilon}} "
        f"+ 2\\lambda\\boldsymbol w\\right) = {tex_row(u['adamw'], 4)}$.",
        "7. So L2 and weight decay coincide for SGD but not for Adam; AdamW decouples the decay.",
    ])
