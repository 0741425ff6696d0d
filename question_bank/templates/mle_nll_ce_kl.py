"""Maximum likelihood as minimising NLL, cross-entropy and KL divergence, on a concrete dataset.

Source: seed 000 ("Describe maximum likelihood estimation, as minimizing NLL, cross-entropy
and KL divergence." [10]) and seed 003 (MLE as cross-entropy with the empirical distribution).
For categorical data with empirical distribution p_hat and a model q:
mean NLL = -(1/m) sum_i log q(x_i) = H(p_hat, q) = H(p_hat) + D_KL(p_hat || q). Natural log.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from question_bank import draw
from question_bank.core import ChoicePart, Misconception, NumericPart, RubricItem, TrueFalsePart
from question_bank.layout import fmt, statement, tex_row

NAME = "mle_nll_ce_kl"
TITLE = "MLE as minimising NLL, cross-entropy and KL divergence"
TOPIC = "losses"
POINTS = 10
ITEM_POINTS = 4
SOURCE = "seed 000 prompt [10]; seed 003 (entropy, MLE)"


@dataclass(frozen=True)
class Variant:
    seed: int
    counts: tuple[int, ...]
    q: tuple[float, ...]
    q2: tuple[float, ...]


def cross_entropy(p, q) -> float:
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    mask = p > 0
    return float(-(p[mask] * np.log(q[mask])).sum())


def empirical(v: Variant) -> np.ndarray:
    counts = np.asarray(v.counts, dtype=float)
    return counts / counts.sum()


def candidates(v: Variant) -> tuple[tuple[str, tuple[float, ...]], ...]:
    k = len(v.counts)
    p_hat = tuple(round(float(x), 4) for x in empirical(v))
    return (("the empirical frequencies", p_hat), ("the model $q$", v.q), ("the model $q'$", v.q2),
            ("the uniform distribution", tuple(round(1 / k, 4) for _ in range(k))))


def generate(seed: int) -> Variant:
    rng = draw.rng_for(seed)
    k = int(draw.pick(rng, (3, 3, 4)))
    while True:
        v = Variant(seed=seed, counts=tuple(int(c) for c in rng.integers(1, 9, size=k)),
                    q=draw.distribution(rng, k), q2=draw.distribution(rng, k))
        values = [c for _, c in candidates(v)]
        distinct = all(np.abs(np.subtract(a, b)).max() > 0.02 for i, a in enumerate(values) for b in values[i + 1:])
        if distinct and abs(cross_entropy(empirical(v), v.q) - cross_entropy(empirical(v), v.q2)) > 0.01:
            return v


def parts(v: Variant):
    p, m = empirical(v), sum(v.counts)
    ce, h = cross_entropy(p, v.q), cross_entropy(p, p)
    kl, kl_rev = ce - h, cross_entropy(v.q, p) - cross_entropy(v.q, v.q)
    scores = [cross_entropy(p, dist) for _, dist in candidates(v)]
    order = draw.shuffled(draw.rng_for(v.seed + 1), tuple(range(4)))
    best = int(np.argmin(scores))
    return (
        NumericPart(label="a", prompt="The mean negative log-likelihood of the data under $q$, $-\\frac1m\\sum_i \\log q(x_i)$.",
                    value=(ce,), rel_tol=5e-3, abs_tol=2e-3,
                    misconceptions=(Misconception((ce * m,), f"that is the total NLL; the mean divides by m = {m}"),
                                    Misconception((ce / np.log(2),), "use the natural logarithm, not log2"))),
        NumericPart(label="b", prompt="The entropy $H(\\hat p_\\text{data})$ of the empirical distribution.", value=(h,),
                    rel_tol=5e-3, abs_tol=2e-3, misconceptions=(Misconception((h / np.log(2),), "use the natural logarithm, not log2"),)),
        NumericPart(label="c", prompt="$D_\\text{KL}(\\hat p_\\text{data} \\| q)$.", value=(kl,), rel_tol=1e-2, abs_tol=2e-3,
                    misconceptions=(Misconception((kl_rev,), "that is D_KL(q || p_hat); KL is not symmetric"),
                                    Misconception((ce,), "that is the cross-entropy; KL subtracts H(p_hat)"))),
        TrueFalsePart(label="d", statement="The data are more likely under $q'$ than under $q$.",
                      truth=cross_entropy(p, v.q2) < cross_entropy(p, v.q),
                      explanation="compare the cross-entropies H(p_hat, q) and H(p_hat, q'): lower means more likely"),
        ChoicePart(label="e", prompt="Among these categorical distributions, which one maximises the likelihood of the data?",
                   options=tuple(f"{candidates(v)[i][0]} ${tex_row(candidates(v)[i][1], 4)}$" for i in order),
                   correct=order.index(best), explanation="the MLE of a categorical distribution is the empirical frequencies"),
    )


def render(v: Variant) -> str:
    k = len(v.counts)
    counts = ", ".join(f"{c} times class {i + 1}" for i, c in enumerate(v.counts))
    stem = (f"A dataset of $m = {sum(v.counts)}$ i.i.d. observations of a {k}-class variable contains {counts}. "
            f"A model assigns the class probabilities $q = {tex_row(v.q, 2)}$; another model assigns $q' = {tex_row(v.q2, 2)}$. "
            "Use the natural logarithm; give numbers to 4 decimals.")
    written = "Describe maximum likelihood estimation as minimising NLL, cross-entropy and KL divergence."
    return statement(title=TITLE, points=POINTS, stem=stem, parts=parts(v), written=written)


def solution(v: Variant) -> str:
    p, m = empirical(v), sum(v.counts)
    ce, h = cross_entropy(p, v.q), cross_entropy(p, p)
    terms = " + ".join(f"{c} \\log {fmt(q, 2)}" for c, q in zip(v.counts, v.q))
    return "\n".join([
        f"1. $\\hat p_\\text{{data}} = {tex_row(p, 4)}$.",
        f"2. Mean NLL $= -\\frac{{1}}{{{m}}}({terms}) = {fmt(ce, 4)} = H(\\hat p_\\text{{data}}, q)$ -- "
        "grouping the observations by class turns the average over data into an expectation under $\\hat p_\\text{data}$.",
        f"3. $H(\\hat p_\\text{{data}}) = -\\sum_k \\hat p_k \\log \\hat p_k = {fmt(h, 4)}$.",
        f"4. $D_\\text{{KL}}(\\hat p_\\text{{data}}\\|q) = H(\\hat p_\\text{{data}}, q) - H(\\hat p_\\text{{data}}) = {fmt(ce - h, 4)}$.",
        f"5. $H(\\hat p_\\text{{data}}, q') = {fmt(cross_entropy(p, v.q2), 4)}$: the lower cross-entropy is the higher likelihood.",
        "6. $H(\\hat p, q) \\ge H(\\hat p)$ with equality iff $q = \\hat p$ (Gibbs), so the empirical frequencies are the MLE.",
    ])


def model_answer(v: Variant) -> str:
    return "\n".join([
        r"Given data $\mathbb X = \{x_1,\dots,x_m\}$ drawn i.i.d. from $p_\text{data}$ and a model $p_\text{model}(x;\theta)$:",
        r"$\theta_\text{ML} = \arg\max_\theta p_\text{model}(\mathbb X;\theta) = \arg\max_\theta \prod_i p_\text{model}(x_i;\theta)"
        r" = \arg\min_\theta \sum_i -\log p_\text{model}(x_i;\theta)$ (NLL; the log is monotone and turns the product into a sum)",
        r"$= \arg\min_\theta \mathbb E_{x\sim\hat p_\text{data}}[-\log p_\text{model}(x;\theta)]$ (divide by $m$)",
        r"$= \arg\min_\theta H(\hat p_\text{data}, p_\text{model})$ (cross-entropy)",
        r"$= \arg\min_\theta D_\text{KL}(\hat p_\text{data}\|p_\text{model}) + H(\hat p_\text{data})$, and $H(\hat p_\text{data})$ does not "
        r"depend on $\theta$, so MLE minimises the KL divergence from the empirical distribution. "
        r"The same holds conditionally, $p(y|x;\theta)$, for supervised models.",
    ])


def rubric(v: Variant) -> tuple[RubricItem, ...]:
    return (
        RubricItem(1.0, "MLE defined: argmax of the likelihood of i.i.d. data (product over examples)."),
        RubricItem(1.5, "Log and sign: argmin of the NLL, sum of -log p_model(x_i; theta)."),
        RubricItem(1.5, "Divide by m: expectation under the empirical distribution = cross-entropy H(p_hat, p_model)."),
        RubricItem(1.5, "H(p_hat, p_model) = D_KL(p_hat || p_model) + H(p_hat); H(p_hat) is constant in theta."),
        RubricItem(0.5, "Conditional version p(y|x; theta) for supervised learning mentioned."),
    )
