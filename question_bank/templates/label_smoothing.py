"""Label smoothing for softmax (categorical) and sigmoid (binary) cross-entropy.

Source: NPFL114 lecture 3 [5] ("Describe how label smoothing works for cross-entropy loss, both for
sigmoid and softmax activations."; NPFL138: "for both categorical cross-entropy loss and for binary
cross-entropy loss"). Convention (NPFL, Keras, PyTorch): with smoothing alpha the one-hot target 1_g of
K classes becomes g' = (1 - alpha) 1_g + alpha/K, the binary target g in {0, 1} becomes
g' = (1 - alpha) g + alpha/2. The loss stays the cross-entropy with the new target,
L = -sum_k g'_k log softmax(z)_k, resp. -g' log sigma(z) - (1 - g') log(1 - sigma(z)), and its gradient
w.r.t. the logits is softmax(z) - g', resp. sigma(z) - g'. Natural logarithm.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from question_bank import draw
from question_bank.core import Misconception, NumericPart, RubricItem, SymbolicPart
from question_bank.layout import fmt, statement, tex_row

NAME = "label_smoothing"
TITLE = "Label smoothing for softmax and sigmoid cross-entropy"
TOPIC = "regularization"
POINTS = 5
ITEM_POINTS = 4
SOURCE = "NPFL114 lecture 3 [5] (label smoothing for softmax and sigmoid cross-entropy)"


@dataclass(frozen=True)
class Variant:
    seed: int
    z: tuple[float, ...]   # the K logits of the softmax classifier
    gold: int              # 0-based gold class
    alpha: float
    zb: float              # the logit of the binary classifier
    gb: int                # its gold label, 0 or 1
    alpha_b: float


def softmax(z) -> np.ndarray:
    e = np.exp(np.asarray(z, dtype=float) - np.max(z))
    return e / e.sum()


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def smoothed(v: Variant) -> np.ndarray:
    k = len(v.z)
    return (1 - v.alpha) * np.eye(k)[v.gold] + v.alpha / k


def smoothed_binary(v: Variant) -> float:
    return (1 - v.alpha_b) * v.gb + v.alpha_b / 2


def cross_entropy(target, z) -> float:
    z = np.asarray(z, dtype=float)
    log_o = z - z.max() - np.log(np.exp(z - z.max()).sum())
    return float(-(np.asarray(target) * log_o).sum())


def binary_cross_entropy(target: float, z: float) -> float:
    return target * math.log1p(math.exp(-z)) + (1 - target) * math.log1p(math.exp(z))


def generate(seed: int) -> Variant:
    rng = draw.rng_for(seed)
    k = int(draw.pick(rng, (3, 3, 4, 5)))
    while True:
        z = draw.grid_vector(rng, k, -2.0, 2.0, 0.5)
        if np.ptp(z) >= 1.0:
            break
    return Variant(seed=seed, z=z, gold=int(rng.integers(0, k)), alpha=draw.pick(rng, (0.1, 0.1, 0.2, 0.3, 0.05)),
                   zb=draw.grid(rng, -3.0, 3.0, 0.5, nonzero=True), gb=int(rng.integers(0, 2)),
                   alpha_b=draw.pick(rng, (0.1, 0.2, 0.2, 0.4)))


def parts(v: Variant):
    k = len(v.z)
    onehot = np.eye(k)[v.gold]
    g = smoothed(v)
    o = softmax(v.z)
    gb = smoothed_binary(v)
    ob = sigmoid(v.zb)
    ce, ce_hard = cross_entropy(g, v.z), cross_entropy(onehot, v.z)
    bce, bce_hard = binary_cross_entropy(gb, v.zb), binary_cross_entropy(v.gb, v.zb)
    spread = "spread alpha over all K classes, the gold one included: add alpha/K to every class"
    vec = dict(shape=(k,), rel_tol=1e-2, abs_tol=1e-3)
    binary_wrong = [Misconception(((1 - v.alpha_b) * v.gb + v.alpha_b,),
                                  "mix with the uniform distribution over the 2 outcomes: add alpha/2, not alpha")]
    if v.gb == 1:
        binary_wrong.append(Misconception((1 - v.alpha_b,), "smoothing moves the target towards 1/2: g' = (1 - alpha) g + alpha/2"))
    return (
        NumericPart(label="a", prompt=f"The smoothed softmax target $\\boldsymbol g'$ (vector of {k}).", value=tuple(g), **vec,
                    misconceptions=(Misconception(tuple((1 - v.alpha) * onehot + v.alpha / (k - 1) * (1 - onehot)),
                                                  f"that moves alpha to the other K - 1 classes; here {spread}"),
                                    Misconception(tuple((1 - v.alpha) * onehot + v.alpha), f"{spread}, not alpha"),
                                    Misconception(tuple(onehot * (1 - v.alpha)), f"the smoothed target must still sum to 1: {spread}"))),
        NumericPart(label="b", prompt="The cross-entropy loss $L = -\\sum_k g'_k \\log o_k$ with $\\boldsymbol o = \\operatorname{softmax}(\\boldsymbol z)$.",
                    value=(ce,), rel_tol=5e-3, abs_tol=2e-3,
                    misconceptions=(Misconception((ce_hard,), "that is the loss of the one-hot target; use the smoothed g'"),
                                    Misconception((ce / math.log(2),), "use the natural logarithm, not log2"))),
        NumericPart(label="c", prompt="The gradient $\\frac{\\partial L}{\\partial \\boldsymbol z}$.", value=tuple(o - g), **vec,
                    misconceptions=(Misconception(tuple(o - onehot), "with label smoothing the gradient is softmax(z) - g', not softmax(z) - 1_g"),
                                    Misconception(tuple(np.asarray(v.z) - g), "apply the softmax first: the gradient is softmax(z) - g'"))),
        NumericPart(label="d", prompt="The smoothed binary target $g'$ of the sigmoid classifier.", value=(gb,), rel_tol=1e-2, abs_tol=1e-3,
                    misconceptions=tuple(binary_wrong)),
        NumericPart(label="e", prompt="Its binary cross-entropy loss $L = -g'\\log\\sigma(z) - (1 - g')\\log(1 - \\sigma(z))$.",
                    value=(bce,), rel_tol=5e-3, abs_tol=2e-3,
                    misconceptions=(Misconception((bce_hard,), "that is the loss of the unsmoothed target; use g'"),
                                    Misconception((bce / math.log(2),), "use the natural logarithm, not log2"))),
        NumericPart(label="f", prompt="The gradient $\\frac{\\partial L}{\\partial z}$ of the binary loss.", value=(ob - gb,),
                    rel_tol=1e-2, abs_tol=2e-3,
                    misconceptions=(Misconception((ob - v.gb,), "with label smoothing the gradient is sigma(z) - g', not sigma(z) - g"),)),
        SymbolicPart(label="g", prompt="In general, the smoothed softmax target of the **gold** class, as a formula in `alpha` and `K`.",
                     expected="1 - alpha + alpha/K", symbols=("alpha", "K"), kinds=(("alpha", "unit"), ("K", "count")),
                     misconceptions=(Misconception("1 - alpha", "the gold class also receives its share alpha/K of the uniform part"),
                                     Misconception("1 - alpha/K", "the one-hot part is scaled by 1 - alpha before adding alpha/K"))),
    )


def render(v: Variant) -> str:
    k = len(v.z)
    stem = (f"A {k}-class classifier produced logits $\\boldsymbol z = {tex_row(v.z, 1)}$ for an example of gold class {v.gold + 1}; "
            f"it is trained with softmax cross-entropy and label smoothing $\\alpha = {fmt(v.alpha, 2)}$. "
            f"A binary classifier produced the logit $z = {fmt(v.zb, 1)}$, $o = \\sigma(z)$, for an example with gold label $g = {v.gb}$; "
            f"it is trained with sigmoid (binary) cross-entropy and label smoothing $\\alpha = {fmt(v.alpha_b, 2)}$. "
            "Natural logarithm; give numbers to 4 decimals.")
    written = "Describe how label smoothing works for cross-entropy loss, both for sigmoid and softmax activations, and why it is used."
    return statement(title=TITLE, points=POINTS, stem=stem, parts=parts(v), written=written)


def solution(v: Variant) -> str:
    k = len(v.z)
    g, o = smoothed(v), softmax(v.z)
    gb, ob = smoothed_binary(v), sigmoid(v.zb)
    return "\n".join([
        f"1. $\\boldsymbol g' = (1 - \\alpha)\\boldsymbol 1_g + \\alpha/K$: the gold class gets $1 - {fmt(v.alpha, 2)} + {fmt(v.alpha, 2)}/{k} = "
        f"{fmt(g[v.gold], 4)}$, every other class ${fmt(v.alpha, 2)}/{k} = {fmt(v.alpha / k, 4)}$: $\\boldsymbol g' = {tex_row(g, 4)}$ (sums to 1).",
        f"2. $\\boldsymbol o = \\operatorname{{softmax}}(\\boldsymbol z) = {tex_row(o, 4)}$; "
        f"$L = -\\sum_k g'_k \\log o_k = {fmt(cross_entropy(g, v.z), 4)}$ (the one-hot loss would be ${fmt(cross_entropy(np.eye(k)[v.gold], v.z), 4)}$).",
        r"3. The cross-entropy gradient $\frac{\partial L}{\partial z_k} = o_k \sum_j g'_j - g'_k = o_k - g'_k$ holds for any target "
        f"distribution: $\\boldsymbol o - \\boldsymbol g' = {tex_row(o - g, 4)}$.",
        f"4. Binary: $g' = (1 - \\alpha) g + \\alpha/2 = (1 - {fmt(v.alpha_b, 2)}) \\cdot {v.gb} + {fmt(v.alpha_b, 2)}/2 = {fmt(gb, 4)}$.",
        f"5. $\\sigma({fmt(v.zb, 1)}) = {fmt(ob, 4)}$; $L = -g'\\log\\sigma(z) - (1 - g')\\log(1 - \\sigma(z)) = {fmt(binary_cross_entropy(gb, v.zb), 4)}$.",
        f"6. $\\frac{{\\partial L}}{{\\partial z}} = \\sigma(z) - g' = {fmt(ob - gb, 4)}$.",
    ])


def model_answer(v: Variant) -> str:
    return "\n".join([
        r"Label smoothing replaces the hard target by a mixture of it with the uniform distribution, "
        r"so the model is not pushed towards probabilities exactly 0 and 1 (which need logits of infinite magnitude); "
        r"it regularizes, reduces overconfidence and improves calibration.",
        r"- **Softmax / categorical CE** over $K$ classes: $\boldsymbol g' = (1 - \alpha)\boldsymbol 1_g + \frac{\alpha}{K}$ "
        r"(gold class $1 - \alpha + \alpha/K$, the others $\alpha/K$); loss $-\sum_k g'_k\log o_k$, gradient $\boldsymbol o - \boldsymbol g'$.",
        r"- **Sigmoid / binary CE**: $g' = (1 - \alpha) g + \frac{\alpha}{2}$, i.e. $1 - \alpha/2$ for a positive and $\alpha/2$ for "
        r"a negative example; loss $-g'\log o - (1 - g')\log(1 - o)$, gradient $\sigma(z) - g'$.",
    ])


def rubric(v: Variant) -> tuple[RubricItem, ...]:
    return (
        RubricItem(0.5, "Both targets written: (1 - alpha) 1_g + alpha/K for softmax, (1 - alpha) g + alpha/2 for sigmoid; the loss is CE with them."),
        RubricItem(0.5, "Why: prevents targets of exactly 0/1 (unbounded logits), overconfidence; a regularization."),
    )
