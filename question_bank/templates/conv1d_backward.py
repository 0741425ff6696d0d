"""Backward pass of a 1-D convolution (cross-correlation, 'valid').

Source: seed 004 (Discussion 4): Y = X * w with y_i = sum_j x_{i+j} w_j. Then
dL/dX = (dL/dY zero-padded by k-1 on both sides) cross-correlated with the flipped kernel,
dL/dw = X cross-correlated with dL/dY.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from question_bank import draw
from question_bank.core import Misconception, NumericPart
from question_bank.layout import statement, tex_row

NAME = "conv1d_backward"
TITLE = "Backward pass of a 1-D convolution"
TOPIC = "backprop"
POINTS = 5
SOURCE = "seed 004 (convolution backward)"


@dataclass(frozen=True)
class Variant:
    seed: int
    x: tuple[float, ...]
    w: tuple[float, ...]
    dy: tuple[float, ...]


def correlate(a, kernel) -> np.ndarray:
    """'valid' cross-correlation: out_i = sum_j a_{i+j} kernel_j."""
    a, kernel = np.asarray(a, dtype=float), np.asarray(kernel, dtype=float)
    return np.array([a[i:i + kernel.size] @ kernel for i in range(a.size - kernel.size + 1)])


def grads(v: Variant, *, flip: bool = True) -> tuple[np.ndarray, np.ndarray]:
    k = len(v.w)
    padded = np.concatenate([np.zeros(k - 1), v.dy, np.zeros(k - 1)])
    kernel = np.asarray(v.w)[::-1] if flip else np.asarray(v.w)
    return correlate(padded, kernel), correlate(v.x, v.dy)


def generate(seed: int) -> Variant:
    rng = draw.rng_for(seed)
    n, k = int(draw.pick(rng, (4, 5, 6))), int(draw.pick(rng, (2, 3)))
    while True:
        w = draw.grid_vector(rng, k, -2, 2, 1, nonzero=True)
        if w != w[::-1]:  # a symmetric kernel would hide a missing flip
            return Variant(seed=seed, x=draw.grid_vector(rng, n, -3, 3, 1), w=w,
                           dy=draw.grid_vector(rng, n - k + 1, -2, 2, 1, nonzero=True))


def parts(v: Variant):
    dx, dw = grads(v)
    unflipped, _ = grads(v, flip=False)
    exact = dict(rel_tol=0.0, abs_tol=1e-6)
    return (
        NumericPart(label="a", prompt="The output $Y$.", value=tuple(correlate(v.x, v.w)), shape=(len(v.x) - len(v.w) + 1,), **exact,
                    misconceptions=(Misconception(tuple(correlate(v.x, v.w[::-1])), "CNN 'convolution' is cross-correlation: no kernel flip in the forward pass"),)),
        NumericPart(label="b", prompt="$\\frac{\\partial L}{\\partial X}$.", value=tuple(dx), shape=(len(v.x),), **exact,
                    misconceptions=(Misconception(tuple(unflipped), "the kernel must be flipped (rotated by 180 degrees) in the backward pass"),)),
        NumericPart(label="c", prompt="$\\frac{\\partial L}{\\partial w}$.", value=tuple(dw), shape=(len(v.w),), **exact,
                    misconceptions=(Misconception(tuple(dw[::-1]), "reversed: dL/dw_j = sum_i x_{i+j} dL/dy_i"),)),
    )


def render(v: Variant) -> str:
    stem = (f"A 1-D convolution layer (cross-correlation, no padding, stride 1) computes $y_i = \\sum_j x_{{i+j}} w_j$ for "
            f"$X = {tex_row(v.x, 0)}$ and kernel $w = {tex_row(v.w, 0)}$. The upstream gradient is "
            f"$\\frac{{\\partial L}}{{\\partial Y}} = {tex_row(v.dy, 0)}$.")
    return statement(title=TITLE, points=POINTS, stem=stem, parts=parts(v))


def solution(v: Variant) -> str:
    dx, dw = grads(v)
    k = len(v.w)
    padded = [0.0] * (k - 1) + list(v.dy) + [0.0] * (k - 1)
    return "\n".join([
        f"1. $Y = {tex_row(correlate(v.x, v.w), 0)}$.",
        f"2. Each $x_m$ reaches $y_i$ through $w_{{m-i}}$, so $\\frac{{\\partial L}}{{\\partial x_m}} = \\sum_i \\frac{{\\partial L}}{{\\partial y_i}} w_{{m-i}}$: "
        f"pad $\\frac{{\\partial L}}{{\\partial Y}}$ to ${tex_row(padded, 0)}$ and cross-correlate with the flipped kernel "
        f"${tex_row(v.w[::-1], 0)}$: $\\frac{{\\partial L}}{{\\partial X}} = {tex_row(dx, 0)}$.",
        f"3. $\\frac{{\\partial L}}{{\\partial w_j}} = \\sum_i x_{{i+j}}\\frac{{\\partial L}}{{\\partial y_i}}$, i.e. $X$ cross-correlated with "
        f"$\\frac{{\\partial L}}{{\\partial Y}}$: ${tex_row(dw, 0)}$.",
    ])
