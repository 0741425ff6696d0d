"""Gradient descent vs stochastic (online) vs minibatch SGD: cost per epoch and gradient noise.

Sources: seed 000 ("Describe gradient descent and compare it to stochastic (i.e., online)
gradient descent and minibatch stochastic gradient descent." [5]); seed 001 (names by batch
size); seed 003 (epochs and iterations: 2000 examples in batches of 500 = 4 iterations).
Counting convention: an epoch is one pass over the N examples; the last, smaller
minibatch counts as an update, so minibatch SGD makes ceil(N/B) updates per epoch.
Noise: with per-example gradients of standard deviation sigma (i.i.d. sampling), the
mean over a minibatch of B has standard deviation sigma / sqrt(B).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from question_bank import draw
from question_bank.core import Misconception, NumericPart, RubricItem, TrueFalsePart
from question_bank.layout import fmt, statement

NAME = "gd_sgd_minibatch"
TITLE = "GD vs SGD vs minibatch SGD"
TOPIC = "optimization"
POINTS = 5
ITEM_POINTS = 2
SOURCE = "seed 000 prompt [5]; seeds 001, 003"


@dataclass(frozen=True)
class Variant:
    seed: int
    n: int
    batch: int
    epochs: int
    sigma: float
    factor: int


def generate(seed: int) -> Variant:
    rng = draw.rng_for(seed)
    return Variant(seed=seed, n=int(draw.pick(rng, (1000, 2000, 5000, 10000, 50000, 60000, 1234, 4321))),
                   batch=int(draw.pick(rng, (16, 32, 64, 100, 128, 250, 256, 500))), epochs=int(draw.pick(rng, (1, 2, 5, 10, 20))),
                   sigma=draw.pick(rng, (0.5, 1.0, 2.0, 4.0)), factor=int(draw.pick(rng, (2, 4, 9, 16))))


def parts(v: Variant):
    per_epoch = math.ceil(v.n / v.batch)
    std = v.sigma / math.sqrt(v.batch)
    gd_examples = v.n  # one update over all N examples
    minibatch_examples = sum(min(v.batch, v.n - i * v.batch) for i in range(per_epoch))
    halves = abs(math.sqrt(v.factor) - 2.0) < 1e-12
    floor_epoch = v.n // v.batch
    counts_wrong = ((Misconception((1.0, float(v.n), float(floor_epoch)), "the last, smaller minibatch is an update too: ceil(N/B)"),)
                    if floor_epoch != per_epoch else ())
    return (
        NumericPart(label="a", prompt="The number of parameter updates in one epoch for [GD, online SGD, minibatch SGD].",
                    value=(1.0, float(v.n), float(per_epoch)), shape=(3,), rel_tol=0.0, abs_tol=0.5, misconceptions=counts_wrong),
        NumericPart(label="b", prompt=f"The number of minibatch updates in {v.epochs} epochs.", value=(float(v.epochs * per_epoch),),
                    rel_tol=0.0, abs_tol=0.5,
                    misconceptions=((Misconception((float(v.epochs * floor_epoch),), "the last, smaller minibatch is an update too"),)
                                    if floor_epoch != per_epoch else ())),
        NumericPart(label="c", prompt="The standard deviation of one coordinate of the minibatch gradient estimate.", value=(std,),
                    rel_tol=5e-3, abs_tol=1e-4,
                    misconceptions=(Misconception((v.sigma / v.batch,), "the variance shrinks as 1/B, so the standard deviation as 1/sqrt(B)"),
                                    Misconception((v.sigma ** 2 / v.batch,), "that is the variance; the question asks for the standard deviation"))),
        TrueFalsePart(label="d", statement="One epoch of minibatch SGD computes fewer per-example gradients than one epoch of GD.",
                      truth=minibatch_examples < gd_examples, explanation=f"both touch each of the N = {v.n} examples once per epoch; minibatch SGD just updates more often"),
        TrueFalsePart(label="e", statement=f"Making the minibatch {v.factor} times larger halves the standard deviation of the gradient estimate.",
                      truth=halves, explanation=f"the standard deviation scales as 1/sqrt(B): a factor {v.factor} divides it by {fmt(math.sqrt(v.factor), 3)}"),
    )


def render(v: Variant) -> str:
    stem = (f"A training set has $N = {v.n}$ examples. Minibatch SGD uses batches of $B = {v.batch}$ examples (the last batch of an "
            f"epoch may be smaller). Per-example gradients have, in each coordinate, standard deviation $\\sigma = {fmt(v.sigma, 2)}$ "
            "around the full-data gradient; minibatch examples are sampled i.i.d.")
    written = ("Describe gradient descent and compare it to stochastic (i.e., online) gradient descent and minibatch "
               "stochastic gradient descent.")
    return statement(title=TITLE, points=POINTS, stem=stem, parts=parts(v), written=written)


def solution(v: Variant) -> str:
    per_epoch = math.ceil(v.n / v.batch)
    return "\n".join([
        f"1. GD: 1 update per epoch (the gradient over all {v.n} examples); online SGD: {v.n} updates (one per example); "
        f"minibatch: $\\lceil {v.n}/{v.batch} \\rceil = {per_epoch}$ updates.",
        f"2. In {v.epochs} epochs: ${v.epochs} \\cdot {per_epoch} = {v.epochs * per_epoch}$ updates.",
        f"3. The mean of $B$ i.i.d. terms has variance $\\sigma^2/B$, so std $= {fmt(v.sigma, 2)}/\\sqrt{{{v.batch}}} = {fmt(v.sigma / math.sqrt(v.batch), 5)}$.",
        f"4. Every method computes $N = {v.n}$ per-example gradients per epoch; they differ in how often they update.",
        f"5. Multiplying $B$ by {v.factor} divides the std by $\\sqrt{{{v.factor}}} = {fmt(math.sqrt(v.factor), 3)}$.",
    ])


def model_answer(v: Variant) -> str:
    return "\n".join([
        r"We minimise $J(\theta) = \mathbb E_{(x,y)\sim\hat p_\text{data}} L(f(x;\theta), y)$ by $\theta \leftarrow \theta - \alpha\nabla_\theta J(\theta)$.",
        "- **Gradient descent** computes $J$ and its gradient from all training data: the exact gradient, stable convergence, "
        "but one update per pass over the data -- too expensive for large datasets.",
        "- **Online (stochastic) GD** estimates the gradient from a single randomly sampled example: an unbiased but very noisy "
        "estimate; many cheap updates, oscillates around the minimum, no parallelism.",
        "- **Minibatch SGD** samples $m$ examples and averages their gradients: unbiased, variance reduced by $1/m$, uses "
        "vectorised hardware well; the usual choice (libraries call it SGD).",
    ])


def rubric(v: Variant) -> tuple[RubricItem, ...]:
    return (
        RubricItem(1.0, "GD defined: update with the gradient of the loss over the whole training set."),
        RubricItem(1.0, "Online SGD: single sampled example; noisy unbiased estimate; cheap updates."),
        RubricItem(1.0, "Minibatch SGD: m sampled examples averaged; trade-off between noise and cost; hardware efficiency."),
    )
