"""Backward pass of an affine layer z = x W + b.

Source: seed 004 (Discussion 3): with x: (N, D), W: (D, M), b: (M,), upstream dL/dz: (N, M):
dL/dx = dL/dz W^T (N, D); dL/dW = x^T dL/dz (D, M); dL/db = sum over the batch of dL/dz (M,).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from question_bank import draw
from question_bank.core import Misconception, NumericPart
from question_bank.layout import statement, tex_mat

NAME = "affine_backward"
TITLE = "Backward pass of an affine layer"
TOPIC = "backprop"
POINTS = 5
SOURCE = "seed 004 (affine forward/backward)"


@dataclass(frozen=True)
class Variant:
    seed: int
    x: tuple[float, ...]      # (N, D) row-major
    w: tuple[float, ...]      # (D, M)
    dout: tuple[float, ...]   # (N, M)
    n: int
    d: int
    m: int


def arrays(v: Variant):
    return (np.asarray(v.x).reshape(v.n, v.d), np.asarray(v.w).reshape(v.d, v.m), np.asarray(v.dout).reshape(v.n, v.m))


def generate(seed: int) -> Variant:
    rng = draw.rng_for(seed)
    n, d, m = 2, int(draw.pick(rng, (2, 3))), int(draw.pick(rng, (2, 3)))
    if d == m:
        n = int(draw.pick(rng, (2, 3)))
    return Variant(seed=seed, x=draw.grid_vector(rng, n * d, -3, 3, 1), w=draw.grid_vector(rng, d * m, -2, 2, 1),
                   dout=draw.grid_vector(rng, n * m, -2, 2, 1), n=n, d=d, m=m)


def parts(v: Variant):
    x, w, dout = arrays(v)
    dx, dw, db = dout @ w.T, x.T @ dout, dout.sum(axis=0)
    exact = dict(rel_tol=0.0, abs_tol=1e-6)
    return (
        NumericPart(label="a", prompt=f"$\\frac{{\\partial L}}{{\\partial x}}$ ({v.n}x{v.d}).", value=tuple(dx.ravel()), shape=(v.n, v.d), **exact),
        NumericPart(label="b", prompt=f"$\\frac{{\\partial L}}{{\\partial W}}$ ({v.d}x{v.m}).", value=tuple(dw.ravel()), shape=(v.d, v.m), **exact,
                    misconceptions=(Misconception(tuple((x.T @ -dout).ravel()), "sign: dL/dW = x^T dL/dz"),)),
        NumericPart(label="c", prompt=f"$\\frac{{\\partial L}}{{\\partial b}}$ (vector of {v.m}).", value=tuple(db), shape=(v.m,), **exact,
                    misconceptions=(Misconception(tuple(dout.mean(axis=0)), "b is added to every row, so its gradient is the sum over the batch, not the mean"),)),
    )


def render(v: Variant) -> str:
    x, w, dout = arrays(v)
    stem = (f"An affine layer computes $z = xW + b$ for a batch $x = {tex_mat(x.ravel(), x.shape, 0)}$ ({v.n}x{v.d}) with "
            f"$W = {tex_mat(w.ravel(), w.shape, 0)}$ ({v.d}x{v.m}). The upstream gradient is "
            f"$\\frac{{\\partial L}}{{\\partial z}} = {tex_mat(dout.ravel(), dout.shape, 0)}$.")
    return statement(title=TITLE, points=POINTS, stem=stem, parts=parts(v))


def solution(v: Variant) -> str:
    x, w, dout = arrays(v)
    return "\n".join([
        r"Each $z_{nm} = \sum_d x_{nd}W_{dm} + b_m$, so:",
        f"1. $\\frac{{\\partial L}}{{\\partial x}} = \\frac{{\\partial L}}{{\\partial z}} W^\\top = {tex_mat((dout @ w.T).ravel(), (v.n, v.d), 4)}$ "
        f"-- shapes ({v.n}x{v.m})({v.m}x{v.d}).",
        f"2. $\\frac{{\\partial L}}{{\\partial W}} = x^\\top \\frac{{\\partial L}}{{\\partial z}} = {tex_mat((x.T @ dout).ravel(), (v.d, v.m), 4)}$ "
        f"-- shapes ({v.d}x{v.n})({v.n}x{v.m}).",
        f"3. $\\frac{{\\partial L}}{{\\partial b}} = \\sum_n \\frac{{\\partial L}}{{\\partial z_n}} = {tex_mat(dout.sum(axis=0), (1, v.m), 4)}$.",
    ])
