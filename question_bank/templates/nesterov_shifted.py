"""Nesterov momentum reformulated with shifted parameters theta_hat = theta + alpha v.

Source: seed 001: v_{t+1} = alpha v_t - gamma grad L(theta_hat_t);
theta_hat_{t+1} = theta_hat_t + v_{t+1} + alpha (v_{t+1} - v_t). The gradient is then taken
at the stored parameters, which fits an optimizer API; the ordinary parameters are
recovered as theta = theta_hat - alpha v.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from question_bank import draw
from question_bank.core import Misconception, NumericPart, SymbolicPart
from question_bank.layout import fmt, statement, tex_row

NAME = "nesterov_shifted"
TITLE = "Nesterov momentum with shifted parameters"
TOPIC = "optimization"
POINTS = 5
SOURCE = "seed 001 (NAG reformulation with shifted parameters)"


@dataclass(frozen=True)
class Variant:
    seed: int
    theta_hat: tuple[float, float]
    v: tuple[float, float]
    g: tuple[float, float]
    alpha: float
    gamma: float


def step(v: Variant) -> tuple[np.ndarray, np.ndarray]:
    """(v_{t+1}, theta_hat_{t+1}) by the shifted-parameter rule."""
    th, vel, g = (np.asarray(x, dtype=float) for x in (v.theta_hat, v.v, v.g))
    new_v = v.alpha * vel - v.gamma * g
    return new_v, th + new_v + v.alpha * (new_v - vel)


def generate(seed: int) -> Variant:
    rng = draw.rng_for(seed)
    return Variant(seed=seed, theta_hat=draw.grid_vector(rng, 2, -2.0, 2.0, 0.5),
                   v=draw.grid_vector(rng, 2, -1.0, 1.0, 0.1, nonzero=True),
                   g=draw.grid_vector(rng, 2, -3.0, 3.0, 0.5, nonzero=True),
                   alpha=draw.pick(rng, (0.5, 0.8, 0.9, 0.95)), gamma=draw.pick(rng, (0.05, 0.1, 0.2)))


def parts(v: Variant):
    th, vel, g = (np.asarray(x, dtype=float) for x in (v.theta_hat, v.v, v.g))
    new_v, new_th = step(v)
    vec = dict(shape=(2,), rel_tol=1e-3, abs_tol=1e-3)
    return (
        NumericPart(label="a", prompt="$v_{t+1}$.", value=tuple(new_v),
                    misconceptions=(Misconception(tuple(v.alpha * vel + v.gamma * g), "the velocity subtracts gamma * gradient"),), **vec),
        NumericPart(label="b", prompt=r"$\hat\theta_{t+1}$.", value=tuple(new_th),
                    misconceptions=(Misconception(tuple(th + new_v), "that is the plain momentum update; the shifted "
                                                  "parameters get the extra correction alpha (v_{t+1} - v_t)"),
                                    Misconception(tuple(th + new_v - v.alpha * (new_v - vel)), "the correction term is + alpha (v_{t+1} - v_t)")),
                    **vec),
        NumericPart(label="c", prompt=r"The ordinary (unshifted) parameters $\theta_{t+1}$.", value=tuple(new_th - v.alpha * new_v),
                    misconceptions=(Misconception(tuple(new_th + v.alpha * new_v), "theta_hat = theta + alpha v, so theta = theta_hat - alpha v"),),
                    **vec),
        SymbolicPart(label="d", prompt=(r"$\hat\theta_{t+1}$ as a formula in `theta` ($=\hat\theta_t$), `v` ($=v_t$), `g` "
                                        r"($=\nabla L(\hat\theta_t)$), `alpha` and `gamma` (one coordinate)."),
                     expected="theta - gamma*g + alpha*(alpha*v - gamma*g)", symbols=("theta", "v", "g", "alpha", "gamma"),
                     misconceptions=(Misconception("theta + alpha*v - gamma*g", "that is plain momentum; the correction alpha (v_{t+1} - v_t) is missing"),)),
    )


def render(v: Variant) -> str:
    stem = (r"Nesterov momentum stores the shifted parameters $\hat\theta_t = \theta_t + \alpha v_t$ and updates "
            r"$v_{t+1} = \alpha v_t - \gamma \nabla L(\hat\theta_t)$, $\hat\theta_{t+1} = \hat\theta_t + v_{t+1} + \alpha(v_{t+1} - v_t)$. "
            f"Take $\\hat\\theta_t = {tex_row(v.theta_hat, 1)}$, $v_t = {tex_row(v.v, 1)}$, "
            f"$\\nabla L(\\hat\\theta_t) = {tex_row(v.g, 1)}$, $\\alpha = {fmt(v.alpha, 2)}$, $\\gamma = {fmt(v.gamma, 2)}$. "
            "Give numbers to 4 decimals.")
    return statement(title=TITLE, points=POINTS, stem=stem, parts=parts(v))


def solution(v: Variant) -> str:
    new_v, new_th = step(v)
    vel = np.asarray(v.v)
    return "\n".join([
        r"Derivation: with $\theta_t = \hat\theta_t - \alpha v_t$, Nesterov's $v_{t+1} = \alpha v_t - \gamma\nabla L(\theta_t + \alpha v_t)$ "
        r"uses the gradient at $\hat\theta_t$; then $\hat\theta_{t+1} = \theta_{t+1} + \alpha v_{t+1} = \hat\theta_t - \alpha v_t + v_{t+1} + \alpha v_{t+1}"
        r" = \hat\theta_t + v_{t+1} + \alpha(v_{t+1} - v_t)$.",
        "",
        f"1. $v_{{t+1}} = {fmt(v.alpha, 2)} \\cdot {tex_row(v.v, 1)} - {fmt(v.gamma, 2)} \\cdot {tex_row(v.g, 1)} = {tex_row(new_v, 4)}$.",
        f"2. $\\hat\\theta_{{t+1}} = {tex_row(v.theta_hat, 1)} + {tex_row(new_v, 4)} + {fmt(v.alpha, 2)} \\cdot {tex_row(new_v - vel, 4)} "
        f"= {tex_row(new_th, 4)}$.",
        f"3. $\\theta_{{t+1}} = \\hat\\theta_{{t+1}} - \\alpha v_{{t+1}} = {tex_row(new_th - v.alpha * new_v, 4)}$.",
        r"4. Substituting $v_{t+1}$: $\hat\theta_{t+1} = \hat\theta_t - \gamma g + \alpha(\alpha v_t - \gamma g)$.",
    ])
