"""Sigmoid + binary cross-entropy: the loss and its gradient with respect to z.

Source: NPFL114 lecture 3, "binary classification with cross-entropy loss, o = sigma(z),
target g: value of the loss and explicit gradient w.r.t. z" [5].
Convention: natural log; L = -g log o - (1 - g) log(1 - o); dL/dz = o - g.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from question_bank import draw
from question_bank.core import Misconception, NumericPart, SymbolicPart
from question_bank.layout import fmt, statement

NAME = "sigmoid_ce_gradient"
TITLE = "Sigmoid cross-entropy: loss and gradient"
TOPIC = "losses"
POINTS = 5
SOURCE = "NPFL114 lecture 3 (sigmoid + cross-entropy)"


@dataclass(frozen=True)
class Variant:
    seed: int
    z: float
    g: float


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def generate(seed: int) -> Variant:
    rng = draw.rng_for(seed)
    return Variant(seed=seed, z=draw.grid(rng, -3.0, 3.0, 0.25, nonzero=True),
                   g=draw.pick(rng, (0.0, 1.0, 0.0, 1.0, 0.1, 0.2, 0.7, 0.9)))


def parts(v: Variant):
    o = sigmoid(v.z)
    loss = -v.g * math.log(o) - (1 - v.g) * math.log(1 - o)
    return (
        NumericPart(label="a", prompt="The loss value $L$ (natural log).", value=(loss,), rel_tol=5e-3, abs_tol=2e-3,
                    misconceptions=(Misconception((loss / math.log(2),), "use the natural logarithm, not log2"),)),
        NumericPart(label="b", prompt=r"The gradient $\frac{\partial L}{\partial z}$.", value=(o - v.g,),
                    rel_tol=1e-2, abs_tol=2e-3,
                    misconceptions=(Misconception(((o - v.g) * o * (1 - o),),
                                                  "the sigma'(z) = o(1-o) factor cancels against dL/do = (o-g)/(o(1-o))"),
                                    Misconception((-v.g / o + (1 - v.g) / (1 - o),),
                                                  "that is dL/do; the question asks for dL/dz"))),
        SymbolicPart(label="c", prompt=r"The explicit formula of $\frac{\partial L}{\partial z}$ in terms of `o` $= \sigma(z)$ and `g`.",
                     expected="o - g", symbols=("o", "g"),
                     misconceptions=(Misconception("(o - g)*o*(1 - o)",
                                                   "sigma'(z) = o(1-o) cancels: dL/dz = dL/do * do/dz = o - g"),
                                     Misconception("(o - g)/(o*(1 - o))", "that is dL/do; multiply by do/dz = o(1-o)"))),
    )


def render(v: Variant) -> str:
    stem = (f"A binary classifier produced a single output $z = {fmt(v.z, 2)}$, passed through the sigmoid "
            r"$o = \sigma(z) = \frac{1}{1 + e^{-z}}$, and is trained with the cross-entropy loss "
            f"$L = -g \\log o - (1 - g)\\log(1 - o)$ against the target $g = {fmt(v.g, 2)}$. Give numbers to 4 decimals.")
    return statement(title=TITLE, points=POINTS, stem=stem, parts=parts(v))


def solution(v: Variant) -> str:
    o = sigmoid(v.z)
    loss = -v.g * math.log(o) - (1 - v.g) * math.log(1 - o)
    return "\n".join([
        f"1. $o = \\sigma({fmt(v.z, 2)}) = {fmt(o, 4)}$.",
        f"2. $L = -{fmt(v.g, 2)} \\log {fmt(o, 4)} - {fmt(1 - v.g, 2)} \\log {fmt(1 - o, 4)} = {fmt(loss, 4)}$.",
        r"3. $\frac{\partial L}{\partial o} = -\frac{g}{o} + \frac{1-g}{1-o} = \frac{o - g}{o(1-o)}$ and "
        r"$\frac{\partial o}{\partial z} = o(1-o)$, so $\frac{\partial L}{\partial z} = o - g$.",
        f"4. $\\frac{{\\partial L}}{{\\partial z}} = {fmt(o, 4)} - {fmt(v.g, 2)} = {fmt(o - v.g, 4)}$.",
    ])
