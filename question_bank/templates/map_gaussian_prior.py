"""MAP estimation with a Gaussian prior is L2 regularization with lambda = 1/(2 sigma^2).

Source: seed 004 (MAP; log N(theta; 0, sigma^2 I) = -d/2 log(2 pi) - 1/2 log|sigma^2 I| - ||theta||^2/(2 sigma^2)).
MAP minimises NLL(theta) - log p(theta) = NLL(theta) + ||theta||^2/(2 sigma^2) + const, so
lambda = 1/(2 sigma^2) for the summed NLL; dividing the objective by N for the mean NLL
gives lambda = 1/(2 N sigma^2).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from question_bank import draw
from question_bank.core import Misconception, NumericPart, RubricItem, SymbolicPart
from question_bank.layout import fmt, statement, tex_row

NAME = "map_gaussian_prior"
TITLE = "MAP with a Gaussian prior is L2 regularization"
TOPIC = "regularization"
POINTS = 5
ITEM_POINTS = 3
SOURCE = "seed 004 (MAP, Gaussian prior as L2)"


@dataclass(frozen=True)
class Variant:
    seed: int
    sigma: float
    n: int
    theta: tuple[float, ...]


def log_prior(theta, sigma: float) -> float:
    theta = np.asarray(theta, dtype=float)
    d = theta.size
    return float(-d / 2 * math.log(2 * math.pi) - d * math.log(sigma) - (theta @ theta) / (2 * sigma ** 2))


def generate(seed: int) -> Variant:
    rng = draw.rng_for(seed)
    return Variant(seed=seed, sigma=draw.pick(rng, (0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)),
                   n=int(draw.pick(rng, (50, 100, 500, 1000, 60000))),
                   theta=draw.grid_vector(rng, int(draw.pick(rng, (2, 3))), -2.0, 2.0, 0.5))


def parts(v: Variant):
    lam = 1 / (2 * v.sigma ** 2)
    d = len(v.theta)
    theta = np.asarray(v.theta)
    return (
        NumericPart(label="a", prompt="$\\lambda$ when MAP minimises the summed NLL $+\\ \\lambda\\|\\theta\\|^2$.", value=(lam,),
                    rel_tol=1e-3, abs_tol=1e-9,
                    misconceptions=(Misconception((1 / v.sigma ** 2,), "the Gaussian exponent has 2 sigma^2 in the denominator"),
                                    Misconception((1 / (2 * v.sigma),), "the prior's exponent uses the variance sigma^2, not sigma"))),
        NumericPart(label="b", prompt=f"$\\lambda$ when the data term is the mean NLL over $N = {v.n}$ examples.", value=(lam / v.n,),
                    rel_tol=1e-3, abs_tol=1e-12,
                    misconceptions=(Misconception((lam,), "dividing the whole objective by N divides lambda by N too"),)),
        NumericPart(label="c", prompt=f"$\\log p(\\theta)$ at $\\theta = {tex_row(v.theta, 1)}$ (natural log).", value=(log_prior(v.theta, v.sigma),),
                    rel_tol=1e-3, abs_tol=1e-3,
                    misconceptions=(Misconception((float(-(theta @ theta) / (2 * v.sigma ** 2)),),
                                                  f"the normalising constant -d/2 log(2 pi sigma^2) (d = {d}) belongs to log p(theta)"),)),
        SymbolicPart(label="d", prompt="$\\lambda$ (summed NLL) as a formula in `sigma`.", expected="1/(2*sigma^2)",
                     symbols=("sigma",), kinds=(("sigma", "positive"),),
                     misconceptions=(Misconception("1/sigma^2", "missing the 1/2 from the Gaussian exponent"),
                                     Misconception("1/(2*sigma)", "the exponent uses sigma^2"),
                                     Misconception("sigma^2/2", "upside down: a wider prior (large sigma) means weaker regularization"))),
    )


def render(v: Variant) -> str:
    stem = (f"Parameters $\\theta \\in \\mathbb R^d$ get the prior $p(\\theta) = \\mathcal N(\\theta; 0, \\sigma^2 I)$ with "
            f"$\\sigma = {fmt(v.sigma, 2)}$. MAP estimation maximises $\\log p(Y|X,\\theta) + \\log p(\\theta)$.")
    written = "Show that MAP estimation with a Gaussian prior is equivalent to L2 regularization, and identify $\\lambda$."
    return statement(title=TITLE, points=POINTS, stem=stem, parts=parts(v), written=written)


def solution(v: Variant) -> str:
    lam = 1 / (2 * v.sigma ** 2)
    theta = np.asarray(v.theta)
    d = theta.size
    return "\n".join([
        r"1. $\log p(\theta) = -\frac d2\log(2\pi) - \frac12\log|\sigma^2 I| - \frac{\theta^\top\theta}{2\sigma^2} = -\frac{\|\theta\|^2}{2\sigma^2} + \text{const}$.",
        r"2. $\theta_\text{MAP} = \arg\min_\theta \text{NLL}(\theta) + \frac{1}{2\sigma^2}\|\theta\|^2$, so "
        f"$\\lambda = \\frac{{1}}{{2 \\cdot {fmt(v.sigma, 2)}^2}} = {fmt(lam, 6)}$.",
        f"3. With the mean NLL the objective is divided by $N = {v.n}$: $\\lambda = \\frac{{1}}{{2N\\sigma^2}} = {lam / v.n:.6g}$.",
        f"4. $\\|\\theta\\|^2 = {fmt(float(theta @ theta), 4)}$, $d = {d}$: $\\log p(\\theta) = -\\frac{{{d}}}{{2}}\\log(2\\pi) - {d}\\log {fmt(v.sigma, 2)} "
        f"- \\frac{{{fmt(float(theta @ theta), 4)}}}{{2\\cdot{fmt(v.sigma ** 2, 4)}}} = {fmt(log_prior(v.theta, v.sigma), 4)}$.",
    ])


def model_answer(v: Variant) -> str:
    return (r"$\theta_\text{MAP} = \arg\max_\theta p(\theta|Y,X) = \arg\max_\theta \log p(Y|\theta,X) + \log p(\theta)$. With "
            r"$p(\theta) = \mathcal N(0,\sigma^2 I)$, $\log p(\theta) = -\frac{1}{2\sigma^2}\|\theta\|_2^2 + \text{const}$, so "
            r"$\theta_\text{MAP} = \arg\min_\theta -\log p(Y|\theta,X) + \lambda\|\theta\|_2^2$ with $\lambda = \frac{1}{2\sigma^2}$: "
            r"the log-prior acts as an L2 regularizer; a narrower prior (small $\sigma$) regularizes more.")


def rubric(v: Variant) -> tuple[RubricItem, ...]:
    return (
        RubricItem(0.5, "MAP objective: log-likelihood plus log-prior (Bayes, evidence dropped)."),
        RubricItem(1.0, "Gaussian log-density expanded; constants separated from -||theta||^2/(2 sigma^2)."),
        RubricItem(0.5, "lambda = 1/(2 sigma^2) identified (and its dependence on averaging over N)."),
    )
