"""Mean squared error derived from maximum likelihood with a fixed-variance Gaussian.

Source: seed 000 ("Define mean squared error and show how it can be derived using MLE." [5]).
p(y | x; theta) = N(y; y_hat(x; theta), sigma^2) with sigma fixed:
NLL = sum_i [ log(2 pi sigma^2)/2 + (y_i - y_hat_i)^2 / (2 sigma^2) ]; its argmin over theta is
the argmin of MSE = (1/m) sum_i (y_i - y_hat_i)^2, whatever sigma is.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from question_bank import draw
from question_bank.core import Misconception, NumericPart, RubricItem, SymbolicPart, TrueFalsePart
from question_bank.layout import fmt, statement, tex_row

NAME = "mse_from_mle"
TITLE = "MSE from maximum likelihood"
TOPIC = "losses"
POINTS = 5
ITEM_POINTS = 2
SOURCE = "seed 000 prompt [5]; seed 002 (MSE from a Gaussian)"


@dataclass(frozen=True)
class Variant:
    seed: int
    y: tuple[float, ...]
    pred: tuple[float, ...]
    pred2: tuple[float, ...]
    sigma: float
    sigma2: float


def nll(y, pred, sigma: float) -> float:
    r = np.asarray(y) - np.asarray(pred)
    return float(len(r) * 0.5 * math.log(2 * math.pi * sigma ** 2) + (r ** 2).sum() / (2 * sigma ** 2))


def mse(y, pred) -> float:
    return float(((np.asarray(y) - np.asarray(pred)) ** 2).mean())


def generate(seed: int) -> Variant:
    rng = draw.rng_for(seed)
    m = int(draw.pick(rng, (3, 4)))
    while True:
        y = draw.grid_vector(rng, m, -2.0, 2.0, 0.5)
        pred, pred2 = draw.grid_vector(rng, m, -2.0, 2.0, 0.5), draw.grid_vector(rng, m, -2.0, 2.0, 0.5)
        sigma, sigma2 = draw.pick(rng, (0.5, 1.0, 2.0)), draw.pick(rng, (0.25, 1.5, 3.0))
        if abs(mse(y, pred) - mse(y, pred2)) > 0.05:
            return Variant(seed=seed, y=y, pred=pred, pred2=pred2, sigma=sigma, sigma2=sigma2)


def parts(v: Variant):
    m = len(v.y)
    value = nll(v.y, v.pred, v.sigma)
    squared = value - m * 0.5 * math.log(2 * math.pi * v.sigma ** 2)
    better2 = nll(v.y, v.pred2, v.sigma) < nll(v.y, v.pred, v.sigma)
    flips = (nll(v.y, v.pred2, v.sigma2) < nll(v.y, v.pred, v.sigma2)) != better2
    return (
        NumericPart(label="a", prompt="The MSE of the predictions $\\hat y$.", value=(mse(v.y, v.pred),), rel_tol=1e-3, abs_tol=1e-3,
                    misconceptions=(Misconception((mse(v.y, v.pred) * m,), "that is the sum of squares; MSE is the mean"),)),
        NumericPart(label="b", prompt="The NLL $-\\sum_i \\log \\mathcal N(y_i; \\hat y_i, \\sigma^2)$ (natural log).", value=(value,),
                    rel_tol=2e-3, abs_tol=2e-3,
                    misconceptions=(Misconception((squared,), "the constant m/2 log(2 pi sigma^2) belongs to the NLL value"),
                                    Misconception((value - squared + squared * v.sigma,),
                                                  "the Gaussian divides by 2 sigma^2, not 2 sigma"))),
        TrueFalsePart(label="c", statement="The predictions $\\hat y'$ give the data a higher likelihood than $\\hat y$.", truth=better2,
                      explanation="with a fixed sigma the NLL is increasing in the sum of squared errors"),
        TrueFalsePart(label="d", statement=f"With $\\sigma = {fmt(v.sigma2, 2)}$ instead, the answer to c) would change.", truth=flips,
                      explanation="sigma only scales and shifts the NLL; the ordering by squared error stays"),
        SymbolicPart(label="e", prompt="The NLL of one example as a formula in `y`, `yhat` and `sigma` (use `pi`).",
                     expected="log(2*pi*sigma^2)/2 + (y - yhat)^2/(2*sigma^2)", symbols=("y", "yhat", "sigma"), kinds=(("sigma", "positive"),),
                     misconceptions=(Misconception("(y - yhat)^2/(2*sigma^2)", "that drops the normalising constant log(2 pi sigma^2)/2 -- "
                                                   "fine for the argmin, but not the NLL's value"),
                                     Misconception("-log(2*pi*sigma^2)/2 + (y - yhat)^2/(2*sigma^2)",
                                                   "sign of the constant: -log(1/sqrt(2 pi sigma^2)) = +log(2 pi sigma^2)/2"))),
    )


def render(v: Variant) -> str:
    stem = (f"A regression model predicts $\\hat y = {tex_row(v.pred, 1)}$ for targets $y = {tex_row(v.y, 1)}$; "
            f"another predicts $\\hat y' = {tex_row(v.pred2, 1)}$. Interpret the model as "
            f"$p(y|x;\\theta) = \\mathcal N(y; \\hat y(x;\\theta), \\sigma^2)$ with fixed $\\sigma = {fmt(v.sigma, 2)}$. "
            "Give numbers to 4 decimals.")
    written = "Define mean squared error and show how it can be derived using MLE."
    return statement(title=TITLE, points=POINTS, stem=stem, parts=parts(v), written=written)


def solution(v: Variant) -> str:
    m = len(v.y)
    r = np.asarray(v.y) - np.asarray(v.pred)
    const = m * 0.5 * math.log(2 * math.pi * v.sigma ** 2)
    return "\n".join([
        f"1. Residuals $y - \\hat y = {tex_row(r, 2)}$; MSE $= \\frac{{1}}{{{m}}} \\cdot {fmt(float((r ** 2).sum()), 4)} = {fmt(mse(v.y, v.pred), 4)}$.",
        r"2. $-\log\mathcal N(y;\hat y,\sigma^2) = \frac12\log(2\pi\sigma^2) + \frac{(y-\hat y)^2}{2\sigma^2}$, so "
        f"NLL $= {fmt(const, 4)} + \\frac{{{fmt(float((r ** 2).sum()), 4)}}}{{2 \\cdot {fmt(v.sigma ** 2, 4)}}} = {fmt(nll(v.y, v.pred, v.sigma), 4)}$.",
        f"3. NLL of $\\hat y'$: ${fmt(nll(v.y, v.pred2, v.sigma), 4)}$ (MSE ${fmt(mse(v.y, v.pred2), 4)}$) -- the ordering follows the MSE.",
        "4. Changing $\\sigma$ rescales the squared-error term and shifts the constant, so the argmin (and the ordering) is unchanged.",
    ])


def model_answer(v: Variant) -> str:
    return "\n".join([
        r"$\text{MSE} = \frac1m\sum_{i=1}^m (\hat y(x_i;\theta) - y_i)^2$.",
        r"Let $p_\text{model}(y|x;\theta) = \mathcal N(y;\hat y(x;\theta),\sigma^2)$ with a fixed $\sigma$. Then "
        r"$\theta_\text{ML} = \arg\max_\theta \prod_i p(y_i|x_i;\theta) = \arg\min_\theta \sum_i -\log p(y_i|x_i;\theta)"
        r" = \arg\min_\theta \sum_i \left[\tfrac12\log(2\pi\sigma^2) + \frac{(y_i - \hat y(x_i;\theta))^2}{2\sigma^2}\right]"
        r" = \arg\min_\theta \frac1m\sum_i (y_i - \hat y(x_i;\theta))^2$, since the constant and the positive factor "
        r"$\frac{m}{2\sigma^2}$ do not change the argmin. So MSE is the MLE loss for a Gaussian with fixed variance.",
    ])


def rubric(v: Variant) -> tuple[RubricItem, ...]:
    return (
        RubricItem(0.5, "MSE defined as the mean of squared errors."),
        RubricItem(1.0, "Model: Gaussian output distribution with mean y_hat(x; theta) and fixed variance sigma^2."),
        RubricItem(1.0, "NLL written out; the constant log term and the 1/(2 sigma^2) factor dropped with justification."),
        RubricItem(0.5, "Conclusion: argmin NLL = argmin MSE (independent of sigma)."),
    )
