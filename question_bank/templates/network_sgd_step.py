"""One SGD step on a tiny network by hand: 2 inputs, 3 ReLU hidden units, 1 linear output.

Source: NPFL114's 2019/20 exam ("Assume the artificial neural network on the right, with
mean square error loss and gold output of 3. Compute the values of all weights w_i after
performing an SGD update with learning rate 0.1."), with weights w1..w6 from the inputs
(w1: x1->h1, w2: x2->h1, w3: x1->h2, w4: x2->h2, w5: x1->h3, w6: x2->h3) and w7..w9 from
h1..h3 to the output; no biases. Convention (NPFL): L = (o - g)^2, without 1/2.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from question_bank import draw
from question_bank.core import Misconception, NumericPart
from question_bank.layout import fmt, statement, tex_row

NAME = "network_sgd_step"
TITLE = "One SGD step on a small ReLU network"
TOPIC = "backprop"
POINTS = 5
SOURCE = "NPFL114 exam 2019/20 (Training Neural Network)"


@dataclass(frozen=True)
class Variant:
    seed: int
    x: tuple[float, float]
    weights: tuple[float, ...]  # w1..w9
    gold: float
    lr: float


def forward(v: Variant):
    w = np.asarray(v.weights, dtype=float)
    w_in = w[:6].reshape(3, 2)      # row h: (from x1, from x2)
    pre = w_in @ np.asarray(v.x, dtype=float)
    hidden = np.maximum(pre, 0.0)
    return pre, hidden, float(w[6:] @ hidden)


def gradients(v: Variant, *, half: bool = False, relu_derivative: bool = True) -> np.ndarray:
    pre, hidden, out = forward(v)
    w = np.asarray(v.weights, dtype=float)
    d_out = (1.0 if half else 2.0) * (out - v.gold)
    d_hidden = d_out * w[6:] * ((pre > 0) if relu_derivative else 1.0)
    d_in = np.outer(d_hidden, v.x).ravel()
    return np.concatenate([d_in, d_out * hidden])


def generate(seed: int) -> Variant:
    rng = draw.rng_for(seed)
    values = (-2.0, -1.0, 1.0, 2.0, 3.0)
    while True:
        v = Variant(seed=seed, x=(draw.pick(rng, (1.0, 2.0, -1.0, 3.0)), draw.pick(rng, (1.0, 2.0, -1.0, -2.0))),
                    weights=tuple(draw.pick(rng, values) for _ in range(9)), gold=draw.grid(rng, -3, 5, 1),
                    lr=draw.pick(rng, (0.1, 0.1, 0.05, 0.01)))
        pre, hidden, out = forward(v)
        # ReLU must be differentiable (no zero pre-activation), at least one unit active, a non-zero error.
        if (pre != 0).all() and (hidden > 0).any() and out != v.gold and abs(out - v.gold) <= 12:
            return v


def parts(v: Variant):
    w = np.asarray(v.weights)
    new = w - v.lr * gradients(v)
    return (
        NumericPart(label="a", prompt="The loss $L$.", value=((forward(v)[2] - v.gold) ** 2,), rel_tol=0.0, abs_tol=1e-6,
                    misconceptions=(Misconception(((forward(v)[2] - v.gold) ** 2 / 2,), "NPFL's MSE here is (o - g)^2, without 1/2"),)),
        NumericPart(label="b", prompt="All nine weights after the update, $[w_1, \\dots, w_9]$.", value=tuple(new), shape=(9,),
                    rel_tol=0.0, abs_tol=1e-4,
                    misconceptions=(Misconception(tuple(w - v.lr * gradients(v, half=True)), "with L = (o - g)^2 the output gradient is 2(o - g)"),
                                    Misconception(tuple(w + v.lr * gradients(v)), "SGD subtracts lr * gradient"),
                                    Misconception(tuple(w - v.lr * gradients(v, relu_derivative=False)),
                                                  "an inactive ReLU unit (negative pre-activation) passes no gradient"))),
    )


def render(v: Variant) -> str:
    names = ", ".join(f"w_{i + 1} = {fmt(x, 0)}" for i, x in enumerate(v.weights))
    stem = (f"A network has inputs $x_1 = {fmt(v.x[0], 0)}$, $x_2 = {fmt(v.x[1], 0)}$, three ReLU hidden units "
            r"$h_1 = \text{ReLU}(w_1x_1 + w_2x_2)$, $h_2 = \text{ReLU}(w_3x_1 + w_4x_2)$, $h_3 = \text{ReLU}(w_5x_1 + w_6x_2)$ "
            r"and a linear output $o = w_7h_1 + w_8h_2 + w_9h_3$ (no biases), with weights "
            f"${names}$. The loss is $L = (o - g)^2$ with gold output $g = {fmt(v.gold, 0)}$. "
            f"Perform one SGD update with learning rate {fmt(v.lr, 2)}.")
    return statement(title=TITLE, points=POINTS, stem=stem, parts=parts(v))


def solution(v: Variant) -> str:
    pre, hidden, out = forward(v)
    g = gradients(v)
    new = np.asarray(v.weights) - v.lr * g
    return "\n".join([
        f"1. Pre-activations ${tex_row(pre, 0)}$, hidden ${tex_row(hidden, 0)}$, output $o = {fmt(out, 4)}$, "
        f"$L = ({fmt(out, 4)} - {fmt(v.gold, 0)})^2 = {fmt((out - v.gold) ** 2, 4)}$.",
        f"2. $\\frac{{\\partial L}}{{\\partial o}} = 2(o - g) = {fmt(2 * (out - v.gold), 4)}$; "
        f"$\\frac{{\\partial L}}{{\\partial w_{{7..9}}}} = \\frac{{\\partial L}}{{\\partial o}} h = {tex_row(g[6:], 4)}$.",
        r"3. $\frac{\partial L}{\partial h_k} = \frac{\partial L}{\partial o} w_{6+k}$, passed only through active units ($\text{pre}_k > 0$); "
        f"$\\frac{{\\partial L}}{{\\partial w_{{1..6}}}} = {tex_row(g[:6], 4)}$.",
        f"4. $w \\leftarrow w - {fmt(v.lr, 2)}\\,\\nabla L$: ${tex_row(new, 4)}$.",
    ])
