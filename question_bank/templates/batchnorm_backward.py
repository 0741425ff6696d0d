"""Backward pass of batch normalization for one feature over a small batch.

Source: seed 004: mu = mean(x); var = mean((x - mu)^2); std = sqrt(var + eps);
x_hat = (x - mu)/std; y = gamma x_hat + beta.
dL/dgamma = sum dy * x_hat; dL/dbeta = sum dy; dx_hat = gamma * dy;
dL/dx = (N dx_hat - sum dx_hat - x_hat * sum(dx_hat * x_hat)) / (N * std).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from question_bank import draw
from question_bank.core import Misconception, NumericPart
from question_bank.layout import fmt, statement, tex_row

NAME = "batchnorm_backward"
TITLE = "Backward pass of batch normalization"
TOPIC = "backprop"
POINTS = 5
SOURCE = "seed 004 (batchnorm forward/backward)"
EPS = 1e-5


@dataclass(frozen=True)
class Variant:
    seed: int
    x: tuple[float, ...]
    dy: tuple[float, ...]
    gamma: float
    beta: float


def forward(v: Variant):
    x = np.asarray(v.x, dtype=float)
    mu = x.mean()
    std = np.sqrt(((x - mu) ** 2).mean() + EPS)
    return (x - mu) / std, std, mu


def backward(v: Variant):
    x_hat, std, _ = forward(v)
    dy = np.asarray(v.dy, dtype=float)
    n = x_hat.size
    dx_hat = v.gamma * dy
    dx = (n * dx_hat - dx_hat.sum() - x_hat * (dx_hat * x_hat).sum()) / (n * std)
    return float((dy * x_hat).sum()), float(dy.sum()), dx


def generate(seed: int) -> Variant:
    rng = draw.rng_for(seed)
    n = int(draw.pick(rng, (3, 4)))
    while True:
        x = draw.grid_vector(rng, n, -3.0, 3.0, 0.5)
        if np.ptp(x) >= 1.0:
            return Variant(seed=seed, x=x, dy=draw.grid_vector(rng, n, -1.0, 1.0, 0.5, nonzero=True),
                           gamma=draw.pick(rng, (0.5, 1.0, 1.5, 2.0)), beta=draw.pick(rng, (-0.5, 0.0, 0.5, 1.0)))


def parts(v: Variant):
    x_hat, std, _ = forward(v)
    dgamma, dbeta, dx = backward(v)
    naive = v.gamma * np.asarray(v.dy) / std
    n = len(v.x)
    vec = dict(shape=(n,), rel_tol=1e-2, abs_tol=2e-3)
    return (
        NumericPart(label="a", prompt="$\\hat x$ (the normalized batch).", value=tuple(x_hat), **vec),
        NumericPart(label="b", prompt="$\\frac{\\partial L}{\\partial \\gamma}$.", value=(dgamma,), rel_tol=1e-2, abs_tol=2e-3,
                    misconceptions=(Misconception((float(np.dot(v.dy, v.x)),), "gamma multiplies x_hat, not x"),)),
        NumericPart(label="c", prompt="$\\frac{\\partial L}{\\partial \\beta}$.", value=(dbeta,), rel_tol=1e-2, abs_tol=2e-3),
        NumericPart(label="d", prompt="$\\frac{\\partial L}{\\partial x}$.", value=tuple(dx), **vec,
                    misconceptions=(Misconception(tuple(naive), "mu and sigma depend on every x_i too; gamma*dy/std treats them as constants"),)),
    )


def render(v: Variant) -> str:
    stem = (f"Batch normalization of one feature over a batch $x = {tex_row(v.x, 1)}$ computes $\\mu$, "
            r"$\sigma^2 = \frac1N\sum_i(x_i-\mu)^2$, $\hat x = (x - \mu)/\sqrt{\sigma^2 + \epsilon}$, $y = \gamma\hat x + \beta$ "
            f"with $\\gamma = {fmt(v.gamma, 2)}$, $\\beta = {fmt(v.beta, 2)}$, $\\epsilon = 10^{{-5}}$. "
            f"The upstream gradient is $\\frac{{\\partial L}}{{\\partial y}} = {tex_row(v.dy, 1)}$. Give numbers to 4 decimals.")
    return statement(title=TITLE, points=POINTS, stem=stem, parts=parts(v))


def solution(v: Variant) -> str:
    x_hat, std, mu = forward(v)
    dgamma, dbeta, dx = backward(v)
    dx_hat = v.gamma * np.asarray(v.dy)
    n = len(v.x)
    return "\n".join([
        f"1. $\\mu = {fmt(mu, 4)}$, $\\sqrt{{\\sigma^2 + \\epsilon}} = {fmt(std, 4)}$, $\\hat x = {tex_row(x_hat, 4)}$.",
        f"2. $\\frac{{\\partial L}}{{\\partial\\gamma}} = \\sum_i \\frac{{\\partial L}}{{\\partial y_i}}\\hat x_i = {fmt(dgamma, 4)}$; "
        f"$\\frac{{\\partial L}}{{\\partial\\beta}} = \\sum_i \\frac{{\\partial L}}{{\\partial y_i}} = {fmt(dbeta, 4)}$.",
        f"3. $d\\hat x = \\gamma\\frac{{\\partial L}}{{\\partial y}} = {tex_row(dx_hat, 4)}$, $\\sum d\\hat x = {fmt(float(dx_hat.sum()), 4)}$, "
        f"$\\sum d\\hat x\\,\\hat x = {fmt(float((dx_hat * x_hat).sum()), 4)}$.",
        f"4. $\\frac{{\\partial L}}{{\\partial x}} = \\frac{{1}}{{N\\,\\text{{std}}}}\\left(N\\,d\\hat x - \\sum d\\hat x - \\hat x\\sum d\\hat x\\,\\hat x\\right)"
        f" = {tex_row(dx, 4)}$ ($N = {n}$). The mean and variance terms make $\\sum_i \\frac{{\\partial L}}{{\\partial x_i}} = 0$.",
    ])
