"""Softmax + cross-entropy: the loss and its gradient with respect to the logits.

Sources: seed 001 (gradient of the linear softmax classifier, (p_hat - p) x^T) and the
NPFL114 lecture-3 prompt "K-class network with cross-entropy loss, o = softmax(z),
target distribution g: value of the loss and explicit gradient w.r.t. z" [5].
Convention: natural logarithm; L = -sum_k g_k log o_k; dL/dz = o - g; for z = W x + b,
dL/dW = (o - g) x^T (K x D) and dL/db = o - g.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from question_bank import draw
from question_bank.core import Misconception, NumericPart, SymbolicPart
from question_bank.layout import fmt, statement, tex_mat, tex_row, tex_vec

NAME = "softmax_ce_gradient"
TITLE = "Softmax cross-entropy: loss and gradient"
TOPIC = "losses"
POINTS = 5
SOURCE = "seed 001 (softmax CE gradient); NPFL114 lecture 3"


@dataclass(frozen=True)
class Variant:
    seed: int
    z: tuple[float, ...]
    target: int
    smoothing: float  # 0 for a one-hot target
    x: tuple[float, ...]


def softmax(z) -> np.ndarray:
    e = np.exp(np.asarray(z, dtype=float) - np.max(z))
    return e / e.sum()


def target_distribution(v: Variant) -> np.ndarray:
    k = len(v.z)
    g = np.full(k, v.smoothing / k)
    g[v.target] += 1.0 - v.smoothing
    return g


def generate(seed: int) -> Variant:
    rng = draw.rng_for(seed)
    k = int(draw.pick(rng, (3, 3, 4)))
    return Variant(seed=seed, z=draw.grid_vector(rng, k, -2.0, 2.0, 0.5), target=int(rng.integers(0, k)),
                   smoothing=draw.pick(rng, (0.0, 0.0, 0.1, 0.2)),
                   x=draw.grid_vector(rng, int(draw.pick(rng, (2, 3))), -2.0, 2.0, 0.5, nonzero=True))


def parts(v: Variant):
    o, g = softmax(v.z), target_distribution(v)
    onehot = np.eye(len(v.z))[v.target]
    loss = float(-(g * np.log(o)).sum())
    grad = o - g
    x = np.asarray(v.x)
    loss_wrong = [Misconception((float(-(g * np.log2(o)).sum()),), "use the natural logarithm, not log2"),
                  Misconception((float(-(g * np.log10(o)).sum()),), "use the natural logarithm, not log10")]
    grad_wrong = [Misconception(tuple(np.asarray(v.z) - g), "the gradient is softmax(z) - g: apply the softmax first")]
    if v.smoothing:
        loss_wrong.append(Misconception((float(-np.log(o[v.target])),),
                                        "that ignores the label smoothing: the target is the whole distribution g"))
        grad_wrong.append(Misconception(tuple(o - onehot), "that ignores the label smoothing: subtract g, not the one-hot vector"))
    return (
        NumericPart(label="a", prompt=r"The loss $L = -\sum_k g_k \log o_k$ (natural log).", value=(loss,),
                    rel_tol=5e-3, abs_tol=2e-3, misconceptions=tuple(loss_wrong)),
        NumericPart(label="b", prompt=r"The gradient $\frac{\partial L}{\partial \boldsymbol z}$ as a vector.",
                    value=tuple(grad), shape=(len(v.z),), rel_tol=1e-2, abs_tol=2e-3,
                    misconceptions=tuple(grad_wrong)),
        NumericPart(label="c", prompt=(r"The logits came from a linear layer $\boldsymbol z = W \boldsymbol x + \boldsymbol b$ "
                                       f"with $\\boldsymbol x = {tex_vec(v.x, 1)}$. Give $\\frac{{\\partial L}}{{\\partial W}}$ "
                                       f"({len(v.z)}x{len(v.x)} matrix)."),
                    value=tuple(np.outer(grad, x).ravel()), shape=(len(v.z), len(v.x)), rel_tol=1e-2, abs_tol=3e-3,
                    misconceptions=(Misconception(tuple(np.outer(-grad, x).ravel()),
                                                  "sign: the gradient is (o - g) x^T, not (g - o) x^T"),)),
        SymbolicPart(label="d", prompt=(r"The explicit formula of $\frac{\partial L}{\partial z_k}$, using `o` for $o_k$ "
                                        r"and `g` for $g_k$."),
                     expected="o - g", symbols=("o", "g"),
                     misconceptions=(Misconception("-g/o", "that is dL/do_k; chain it through the softmax Jacobian"),
                                     Misconception("o*(1 - o)", "that is do_k/dz_k, the softmax derivative alone"))),
    )


def render(v: Variant) -> str:
    g = target_distribution(v)
    if v.smoothing:
        target = (f"The gold class is {v.target + 1}, with label smoothing $\\alpha = {fmt(v.smoothing, 2)}$, so "
                  f"the target distribution is $\\boldsymbol g = {tex_row(g, 4)}$.")
    else:
        target = f"The gold class is {v.target + 1} (one-hot target $\\boldsymbol g = {tex_row(g, 0)}$)."
    stem = (f"A {len(v.z)}-class classifier produced logits $\\boldsymbol z = {tex_row(v.z, 1)}$, "
            r"passed through $\boldsymbol o = \operatorname{softmax}(\boldsymbol z)$ and trained with cross-entropy. "
            f"{target} Give numbers to 4 decimals.")
    return statement(title=TITLE, points=POINTS, stem=stem, parts=parts(v))


def solution(v: Variant) -> str:
    o, g = softmax(v.z), target_distribution(v)
    e = np.exp(np.asarray(v.z))
    grad = o - g
    return "\n".join([
        f"1. $e^{{z}} = {tex_row(e, 4)}$, sum $= {fmt(e.sum(), 4)}$, so $\\boldsymbol o = {tex_row(o, 4)}$.",
        f"2. $L = -\\sum_k g_k \\log o_k = {fmt(float(-(g * np.log(o)).sum()), 4)}$.",
        r"3. $\frac{\partial L}{\partial z_k} = \sum_j \frac{\partial L}{\partial o_j}\frac{\partial o_j}{\partial z_k}"
        r" = \sum_j \left(-\frac{g_j}{o_j}\right) o_j(\delta_{jk} - o_k) = o_k \sum_j g_j - g_k = o_k - g_k$ "
        r"(since $\sum_j g_j = 1$).",
        f"4. $\\frac{{\\partial L}}{{\\partial \\boldsymbol z}} = \\boldsymbol o - \\boldsymbol g = {tex_row(grad, 4)}$.",
        f"5. $\\frac{{\\partial L}}{{\\partial W}} = (\\boldsymbol o - \\boldsymbol g)\\, \\boldsymbol x^\\top = "
        f"{tex_mat(np.outer(grad, v.x).ravel(), (len(v.z), len(v.x)), 4)}$ and "
        r"$\frac{\partial L}{\partial \boldsymbol b} = \boldsymbol o - \boldsymbol g$.",
    ])
