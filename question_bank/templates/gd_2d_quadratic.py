"""Gradient descent on a 2-D quadratic f(x) = a x1^2 + b x2^2 + c x1 x2, with the exact gradient.

Source: seed 001 (f = 0.06 x1^2 + 0.25 x2^2 - 0.04 x1 x2 from (-5, -7.5), gamma = 0.5).
Gradient: (2 a x1 + c x2, 2 b x2 + c x1); update x' = x - gamma * grad f(x); no
intermediate rounding.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from question_bank import draw
from question_bank.core import Misconception, NumericPart
from question_bank.layout import fmt, statement, tex_vec

NAME = "gd_2d_quadratic"
TITLE = "Gradient descent on a 2-D quadratic"
TOPIC = "optimization"
POINTS = 5
SOURCE = "seed 001 (2-D quadratic GD table)"


@dataclass(frozen=True)
class Variant:
    seed: int
    a: float
    b: float
    c: float
    x0: tuple[float, float]
    gamma: float
    steps: int


def gradient(v: Variant, x: np.ndarray, *, factor_two: bool = True) -> np.ndarray:
    k = 2.0 if factor_two else 1.0
    return np.array([k * v.a * x[0] + v.c * x[1], k * v.b * x[1] + v.c * x[0]])


def trajectory(v: Variant, *, steps: int | None = None, direction: float = -1.0,
               factor_two: bool = True) -> list[np.ndarray]:
    steps = v.steps if steps is None else steps
    xs = [np.array(v.x0, dtype=float)]
    for _ in range(steps):
        xs.append(xs[-1] + direction * v.gamma * gradient(v, xs[-1], factor_two=factor_two))
    return xs


def f_value(v: Variant, x) -> float:
    return v.a * x[0] ** 2 + v.b * x[1] ** 2 + v.c * x[0] * x[1]


def generate(seed: int) -> Variant:
    rng = draw.rng_for(seed)
    while True:
        a, b = draw.grid(rng, 0.02, 0.4, 0.01), draw.grid(rng, 0.02, 0.4, 0.01)
        c = draw.grid(rng, -0.1, 0.1, 0.01)
        v = Variant(seed=seed, a=a, b=b, c=c, x0=draw.grid_vector(rng, 2, -8, 8, 0.5, nonzero=True),
                    gamma=draw.pick(rng, (0.25, 0.5, 1.0, 1.5, 2.0)), steps=int(draw.pick(rng, (1, 2, 2, 3))))
        hessian = np.array([[2 * a, c], [c, 2 * b]])
        # Positive definite and a step size below 2/L, so descent converges.
        if 4 * a * b - c * c > 1e-6 and v.gamma * np.linalg.eigvalsh(hessian).max() < 1.8:
            return v


def parts(v: Variant):
    xs = trajectory(v)
    g0 = gradient(v, xs[0])
    wrong_g0 = gradient(v, xs[0], factor_two=False)
    return (
        NumericPart(label="a", prompt=r"The gradient $\nabla f(\mathbf{x}^{(0)})$ as a vector $[g_1, g_2]$.",
                    value=tuple(g0), shape=(2,), rel_tol=1e-3, abs_tol=1e-3,
                    misconceptions=(Misconception(tuple(wrong_g0), "the derivative of a x^2 is 2 a x: "
                                                  "the factor 2 on the squared terms is missing"),)),
        NumericPart(label="b", prompt=f"$\\mathbf{{x}}^{{({v.steps})}}$ after {v.steps} update(s), as $[x_1, x_2]$.",
                    value=tuple(xs[-1]), shape=(2,), rel_tol=1e-3, abs_tol=2e-3,
                    misconceptions=(
                        Misconception(tuple(trajectory(v, direction=+1.0)[-1]),
                                      "you moved along the gradient; descent subtracts it"),
                        Misconception(tuple(trajectory(v, factor_two=False)[-1]),
                                      "the gradient is missing the factor 2 on the squared terms"),
                        Misconception(tuple(trajectory(v, steps=v.steps - 1)[-1]), "one update short (t off by one)"),
                        Misconception(tuple(trajectory(v, steps=v.steps + 1)[-1]), "one update too many (t off by one)"),
                    )),
    )


def _f_tex(v: Variant) -> str:
    sign = "-" if v.c < 0 else "+"
    cross = "" if v.c == 0 else f" {sign} {fmt(abs(v.c), 2)}x_1x_2"
    return f"{fmt(v.a, 2)}x_1^2 + {fmt(v.b, 2)}x_2^2{cross}"


def render(v: Variant) -> str:
    stem = (f"Minimise $f(\\mathbf{{x}}) = {_f_tex(v)}$ by gradient descent with the exact gradient, "
            f"starting from $\\mathbf{{x}}^{{(0)}} = {tex_vec(v.x0, 2)}$ with learning rate "
            f"$\\gamma = {fmt(v.gamma, 2)}$: $\\mathbf{{x}}' = \\mathbf{{x}} - \\gamma \\nabla f(\\mathbf{{x}})$. "
            "Do not round intermediate results; give answers to 4 decimals.")
    return statement(title=TITLE, points=POINTS, stem=stem, parts=parts(v))


def solution(v: Variant) -> str:
    xs = trajectory(v)
    lines = [f"$\\nabla f = \\begin{{bmatrix}} 2 \\cdot {fmt(v.a, 2)} x_1 + ({fmt(v.c, 2)}) x_2 \\\\ "
             f"2 \\cdot {fmt(v.b, 2)} x_2 + ({fmt(v.c, 2)}) x_1 \\end{{bmatrix}}$", "",
             "| t | x1 | x2 | f(x) | df/dx1 | df/dx2 |", "|---|---|---|---|---|---|"]
    for t, x in enumerate(xs):
        g = gradient(v, x)
        lines.append(f"| {t} | {fmt(x[0])} | {fmt(x[1])} | {fmt(f_value(v, x))} | {fmt(g[0])} | {fmt(g[1])} |")
    lines.append("")
    for t in range(v.steps):
        g = gradient(v, xs[t])
        lines.append(f"- $\\mathbf{{x}}^{{({t + 1})}} = {tex_vec(xs[t])} - {fmt(v.gamma, 2)} \\cdot {tex_vec(g)} "
                     f"= {tex_vec(xs[t + 1])}$")
    g0 = gradient(v, xs[0])
    lines += ["", f"**Answer:** a) [{fmt(g0[0])}, {fmt(g0[1])}]; b) [{fmt(xs[-1][0])}, {fmt(xs[-1][1])}]."]
    return "\n".join(lines)
