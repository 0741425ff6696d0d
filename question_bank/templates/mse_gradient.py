"""Mean squared error: the loss value and its gradient with respect to the outputs.

Source: NPFL114 lecture 3, "network with MSE loss generated o, target g: value of the
loss and explicit gradient w.r.t. o" [5]. Convention (NPFL): no 1/2 --
L = (1/m) sum_i (o_i - g_i)^2, dL/do_i = 2 (o_i - g_i) / m; for one output L = (o - g)^2.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from question_bank import draw
from question_bank.core import Misconception, NumericPart, SymbolicPart
from question_bank.layout import fmt, statement, tex_row

NAME = "mse_gradient"
TITLE = "MSE loss: value and gradient"
TOPIC = "losses"
POINTS = 5
SOURCE = "NPFL114 lecture 3 (MSE gradient w.r.t. o)"


@dataclass(frozen=True)
class Variant:
    seed: int
    o: tuple[float, ...]
    g: tuple[float, ...]


def generate(seed: int) -> Variant:
    rng = draw.rng_for(seed)
    m = int(draw.pick(rng, (2, 3, 4)))
    while True:
        o, g = draw.grid_vector(rng, m, -3.0, 3.0, 0.5), draw.grid_vector(rng, m, -3.0, 3.0, 0.5)
        if o != g:
            return Variant(seed=seed, o=o, g=g)


def parts(v: Variant):
    o, g, m = np.asarray(v.o), np.asarray(v.g), len(v.o)
    loss = float(((o - g) ** 2).mean())
    grad = 2 * (o - g) / m
    return (
        NumericPart(label="a", prompt="The loss $L$.", value=(loss,), rel_tol=1e-3, abs_tol=1e-3,
                    misconceptions=(Misconception((loss / 2,), "NPFL's MSE has no 1/2 factor"),
                                    Misconception((loss * m,), "that is the sum; MSE is the mean over the outputs"))),
        NumericPart(label="b", prompt=r"The gradient $\frac{\partial L}{\partial \boldsymbol o}$ as a vector.",
                    value=tuple(grad), shape=(m,), rel_tol=1e-3, abs_tol=1e-3,
                    misconceptions=(Misconception(tuple(2 * (o - g)), f"the mean brings a factor 1/m = 1/{m}"),
                                    Misconception(tuple((o - g) / m), "the derivative of a square brings a factor 2"),
                                    Misconception(tuple(o - g), "missing both the factor 2 and the 1/m of the mean"))),
        SymbolicPart(label="c", prompt=r"For a single output ($m = 1$, $L = (o - g)^2$): the formula of $\frac{\partial L}{\partial o}$ "
                                       "in terms of `o` and `g`.",
                     expected="2*(o - g)", symbols=("o", "g"),
                     misconceptions=(Misconception("o - g", "that is the gradient of (1/2)(o - g)^2; with L = (o - g)^2 there is a factor 2"),)),
    )


def render(v: Variant) -> str:
    stem = (f"A network produced outputs $\\boldsymbol o = {tex_row(v.o, 1)}$ for targets "
            f"$\\boldsymbol g = {tex_row(v.g, 1)}$ and is trained with the mean squared error "
            r"$L = \frac{1}{m}\sum_{i=1}^m (o_i - g_i)^2$ " f"($m = {len(v.o)}$).")
    return statement(title=TITLE, points=POINTS, stem=stem, parts=parts(v))


def solution(v: Variant) -> str:
    o, g, m = np.asarray(v.o), np.asarray(v.g), len(v.o)
    return "\n".join([
        f"1. $\\boldsymbol o - \\boldsymbol g = {tex_row(o - g, 2)}$, squares ${tex_row((o - g) ** 2, 2)}$.",
        f"2. $L = \\frac{{1}}{{{m}}} \\cdot {fmt(float(((o - g) ** 2).sum()), 4)} = {fmt(float(((o - g) ** 2).mean()), 4)}$.",
        f"3. $\\frac{{\\partial L}}{{\\partial o_i}} = \\frac{{2}}{{m}}(o_i - g_i)$, so the gradient is "
        f"${tex_row(2 * (o - g) / m, 4)}$.",
        "4. For one output, $L = (o - g)^2$ and $\\frac{\\partial L}{\\partial o} = 2(o - g)$.",
    ])
