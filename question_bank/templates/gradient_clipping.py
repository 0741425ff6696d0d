"""Gradient clipping by the global norm (and how element-wise clipping differs).

Sources: seed 004 (grad L <- min(1, c/||grad L||) grad L) and NPFL114's older exam ("the
difference between clipping individual gradient elements or the gradient as a whole").
The global norm is taken over all parameter tensors together.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from question_bank import draw
from question_bank.core import Misconception, NumericPart, TrueFalsePart
from question_bank.layout import fmt, statement, tex_row

NAME = "gradient_clipping"
TITLE = "Gradient clipping by global norm"
TOPIC = "optimization"
POINTS = 5
SOURCE = "seed 004 (gradient clipping); NPFL114 2019/20 exam"


@dataclass(frozen=True)
class Variant:
    seed: int
    grad_w: tuple[float, ...]
    grad_b: tuple[float, ...]
    c: float
    c_elem: float


def full(v: Variant) -> np.ndarray:
    return np.concatenate([v.grad_w, v.grad_b]).astype(float)


def clip_global(g: np.ndarray, c: float) -> np.ndarray:
    return min(1.0, c / np.linalg.norm(g)) * g


def generate(seed: int) -> Variant:
    rng = draw.rng_for(seed)
    return Variant(seed=seed, grad_w=draw.grid_vector(rng, int(draw.pick(rng, (2, 3))), -4.0, 4.0, 0.5, nonzero=True),
                   grad_b=draw.grid_vector(rng, int(draw.pick(rng, (1, 2))), -4.0, 4.0, 0.5, nonzero=True),
                   c=draw.pick(rng, (1.0, 2.0, 5.0, 10.0)), c_elem=draw.pick(rng, (0.5, 1.0, 2.0)))


def parts(v: Variant):
    g = full(v)
    norm = float(np.linalg.norm(g))
    clipped = clip_global(g, v.c)
    per_tensor = np.concatenate([clip_global(np.asarray(v.grad_w), v.c), clip_global(np.asarray(v.grad_b), v.c)])
    elem = np.clip(g, -v.c_elem, v.c_elem)
    cosine = float(elem @ g / (np.linalg.norm(elem) * norm))
    n = g.size
    vec = dict(shape=(n,), rel_tol=1e-3, abs_tol=1e-3)
    return (
        NumericPart(label="a", prompt="The global norm $\\|\\nabla L\\|_2$ over both tensors.", value=(norm,), rel_tol=1e-3, abs_tol=1e-3,
                    misconceptions=(Misconception((float((g * g).sum()),), "that is the squared norm"),
                                    Misconception((float(np.abs(g).sum()),), "that is the L1 norm; clipping uses the L2 norm"))),
        NumericPart(label="b", prompt=f"The clipped gradient (all {n} entries: $\\nabla_W$ then $\\nabla_b$).", value=tuple(clipped), **vec,
                    misconceptions=(Misconception(tuple(per_tensor), "that clips each tensor by its own norm; the global norm couples them"),
                                    Misconception(tuple(v.c / norm * g), "min(1, c/||g||): a gradient already shorter than c is left alone"))),
        TrueFalsePart(label="c", statement="Clipping changes this gradient.", truth=norm > v.c,
                      explanation=f"||g|| = {fmt(norm, 4)} versus c = {fmt(v.c, 1)}"),
        NumericPart(label="d", prompt=f"The gradient after element-wise clipping to $[-{fmt(v.c_elem, 1)}, {fmt(v.c_elem, 1)}]$ instead.",
                    value=tuple(elem), **vec),
        TrueFalsePart(label="e", statement="The element-wise clipped gradient points in the same direction as the original.",
                      truth=cosine > 1 - 1e-9, explanation=f"cosine between them = {fmt(cosine, 6)}; element-wise clipping distorts "
                      "the direction whenever it clips some but not all entries proportionally"),
    )


def render(v: Variant) -> str:
    stem = (f"A model has a weight tensor with gradient $\\nabla_W = {tex_row(v.grad_w, 1)}$ and a bias with gradient "
            f"$\\nabla_b = {tex_row(v.grad_b, 1)}$. Clip by the global norm with threshold $c = {fmt(v.c, 1)}$: "
            r"$\nabla L \leftarrow \min\left(1, \frac{c}{\|\nabla L\|_2}\right)\nabla L$. Give numbers to 4 decimals.")
    return statement(title=TITLE, points=POINTS, stem=stem, parts=parts(v))


def solution(v: Variant) -> str:
    g = full(v)
    norm = float(np.linalg.norm(g))
    scale = min(1.0, v.c / norm)
    return "\n".join([
        f"1. $\\|\\nabla L\\|_2 = \\sqrt{{{fmt(float((g * g).sum()), 4)}}} = {fmt(norm, 4)}$.",
        f"2. Scale $= \\min(1, {fmt(v.c, 1)}/{fmt(norm, 4)}) = {fmt(scale, 4)}$; clipped gradient ${tex_row(scale * g, 4)}$ "
        "-- same direction, length at most c.",
        f"3. Element-wise clipping gives ${tex_row(np.clip(g, -v.c_elem, v.c_elem), 4)}$: entries are capped independently, "
        "so the direction can change.",
    ])
