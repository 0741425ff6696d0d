"""Dropout at training and at inference, inverted and original, on a concrete mask.

Source: NPFL114 lecture 3 [5] ("Describe the dropout method and write down exactly how it is used
during training and during inference."); seed 004 lists dropout layers among the remedies for
exploding/vanishing gradients. Convention: dropout rate p = probability of dropping a unit, keep
probability 1 - p; a mask entry m_i = 1 keeps unit i. Inverted dropout (what frameworks implement):
training y = m * h / (1 - p), inference y = h. Original dropout: training y = m * h, inference
y = (1 - p) h. Both make the inference output equal the expected training output.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from question_bank import draw
from question_bank.core import ChoicePart, Misconception, NumericPart, RubricItem, TrueFalsePart
from question_bank.layout import fmt, statement, tex_row

NAME = "dropout"
TITLE = "Dropout during training and inference"
TOPIC = "regularization"
POINTS = 5
ITEM_POINTS = 3
SOURCE = "NPFL114 lecture 3 [5] (dropout during training and inference); seed 004 (dropout layers)"

RATES = (0.1, 0.2, 0.25, 0.4, 0.5, 0.6, 0.75)


@dataclass(frozen=True)
class Variant:
    seed: int
    h: tuple[float, ...]      # the layer's activations
    mask: tuple[int, ...]     # 1 = kept, 0 = dropped
    rate: float               # p, the probability of dropping a unit
    stated_as: str            # "rate" (p is given) or "keep" (1 - p is given, like TF1's keep_prob)
    unit: int                 # 0-based unit asked about in the expectation part
    expect_kind: str          # "inverted" or "original": the variant part d asks about
    claimed_factor: str       # "keep_inv" (right), "rate_inv" or "keep": the training scale claimed in e
    choice_kind: str          # "inverted" or "original": the variant part g asks about


def keep(v: Variant) -> float:
    return round(1.0 - v.rate, 4)


def arrays(v: Variant):
    return np.asarray(v.h, dtype=float), np.asarray(v.mask, dtype=float)


def outputs(v: Variant) -> dict:
    h, m = arrays(v)
    q = keep(v)
    return dict(train_inverted=m * h / q, infer_inverted=h.copy(), train_original=m * h, infer_original=q * h)


def claimed(v: Variant) -> float:
    return {"keep_inv": 1 / keep(v), "rate_inv": 1 / v.rate, "keep": keep(v)}[v.claimed_factor]


def generate(seed: int) -> Variant:
    rng = draw.rng_for(seed)
    n = int(draw.pick(rng, (4, 5, 6)))
    rate = draw.pick(rng, RATES)
    h = draw.grid_vector(rng, n, -2.0, 3.0, 0.5, nonzero=True)
    kept_percent = int(round(100 * (1 - rate)))
    while True:  # a plausible mask: each unit kept with probability 1 - p, at least one kept and one dropped
        mask = tuple(int(u < kept_percent) for u in rng.integers(0, 100, size=n))
        if 0 < sum(mask) < n:
            break
    return Variant(seed=seed, h=h, mask=mask, rate=rate, stated_as=draw.pick(rng, ("rate", "keep")),
                   unit=int(rng.integers(0, n)), expect_kind=draw.pick(rng, ("inverted", "original")),
                   claimed_factor=draw.pick(rng, ("keep_inv", "rate_inv", "keep")),
                   choice_kind=draw.pick(rng, ("inverted", "original")))


def given(v: Variant) -> str:
    """How the probability is stated to the student."""
    if v.stated_as == "keep":
        return f"keep probability $1 - p = {fmt(keep(v), 2)}$ (each unit is kept with this probability)"
    return f"dropout rate $p = {fmt(v.rate, 2)}$ (each unit is dropped with this probability)"


INFERENCE_OPTIONS = (
    ("identity", "nothing: the layer passes its input through unchanged"),
    ("scale_keep", "it multiplies every activation by the keep probability $1 - p$"),
    ("scale_inv", "it multiplies every activation by $1/(1 - p)$"),
    ("sample", "it samples a fresh mask and rescales the kept units, as in training"),
    ("drop_p", "it multiplies every activation by the dropout rate $p$"),
)


def parts(v: Variant):
    h, m = arrays(v)
    q, p = keep(v), v.rate
    out = outputs(v)
    vec = dict(shape=(len(v.h),), rel_tol=1e-2, abs_tol=2e-3)
    divide = f"divide the kept units by the keep probability 1 - p = {fmt(q, 2)}"
    train_wrong = [Misconception(tuple(m * h), f"inverted dropout rescales at training: {divide}"),
                   Misconception(tuple(m * h * q), f"{divide}, do not multiply by it"),
                   Misconception(tuple((1 - m) * h / q), "a mask entry 1 keeps the unit, 0 drops it")]
    if abs(p - q) > 1e-9:
        train_wrong.append(Misconception(tuple(m * h / p), f"{divide}, not by the dropout rate p = {fmt(p, 2)}"))
    infer_orig_wrong = [Misconception(tuple(h), "original dropout does not rescale at training, so inference must multiply "
                                                f"by the keep probability 1 - p = {fmt(q, 2)}"),
                        Misconception(tuple(h / q), "at inference original dropout multiplies by 1 - p; dividing by it is "
                                                    "the training-time rescaling of inverted dropout")]
    if abs(p - q) > 1e-9:
        infer_orig_wrong.append(Misconception(tuple(p * h), f"multiply by the keep probability 1 - p = {fmt(q, 2)}, not by p"))
    j = v.unit
    expected = h[j] if v.expect_kind == "inverted" else q * h[j]
    other = q * h[j] if v.expect_kind == "inverted" else h[j]
    expect_fb = ("inverted dropout's 1/(1 - p) rescaling makes E[y_j] = (1 - p) h_j / (1 - p) = h_j" if v.expect_kind == "inverted"
                 else "original dropout keeps unit j with probability 1 - p and does not rescale: E[y_j] = (1 - p) h_j")
    factor_ok = abs(claimed(v) - 1 / q) < 1e-9
    dropped = len(v.h) - sum(v.mask)
    fraction_ok = abs(dropped / len(v.h) - p) < 1e-9
    right = "identity" if v.choice_kind == "inverted" else "scale_keep"
    order = draw.shuffled(draw.rng_for(v.seed + 1), tuple(range(len(INFERENCE_OPTIONS))))
    ids = [INFERENCE_OPTIONS[i][0] for i in order]
    return (
        NumericPart(label="a", prompt="The layer's output at training time with **inverted** dropout and this mask.",
                    value=tuple(out["train_inverted"]), **vec, misconceptions=tuple(train_wrong)),
        NumericPart(label="b", prompt="The layer's output at inference with **inverted** dropout.",
                    value=tuple(out["infer_inverted"]), **vec,
                    misconceptions=(Misconception(tuple(q * h), "with inverted dropout the rescaling happened at training; "
                                                                "inference is the identity"),
                                    Misconception(tuple(out["train_inverted"]), "dropout is switched off at inference: no mask"))),
        NumericPart(label="c", prompt="The layer's output at inference with the **original** (non-inverted) dropout, which does not "
                                      "rescale at training.",
                    value=tuple(out["infer_original"]), **vec, misconceptions=tuple(infer_orig_wrong)),
        NumericPart(label="d", prompt=(f"The expected training-time output $\\mathbb E[y_{{{j + 1}}}]$ of unit {j + 1} over random "
                                       f"masks, with **{v.expect_kind}** dropout."),
                    value=(float(expected),), rel_tol=1e-2, abs_tol=2e-3,
                    misconceptions=(Misconception((float(other),), expect_fb),)),
        TrueFalsePart(label="e", statement=(f"At training time, inverted dropout multiplies each kept activation by "
                                            f"{fmt(claimed(v), 4)}."),
                      truth=factor_ok, explanation=f"the kept units are divided by the keep probability {fmt(q, 2)}, "
                                                   f"i.e. multiplied by {fmt(1 / q, 4)}"),
        TrueFalsePart(label="f", statement="In the given mask, the fraction of dropped units equals the dropout rate $p$.",
                      truth=fraction_ok, explanation=f"{dropped} of {len(v.h)} units are dropped, a fraction of "
                                                     f"{fmt(dropped / len(v.h), 4)} against p = {fmt(p, 2)}; each unit is "
                                                     "dropped independently, so the fraction equals p only in expectation"),
        ChoicePart(label="g", prompt=f"What does a dropout layer do at inference, for **{v.choice_kind}** dropout?",
                   options=tuple(INFERENCE_OPTIONS[i][1] for i in order), correct=ids.index(right),
                   explanation=("inverted dropout already rescaled by 1/(1 - p) at training, so at inference it is the identity"
                                if v.choice_kind == "inverted" else
                                "original dropout does not rescale at training, so at inference it multiplies by 1 - p "
                                "to match the expected training output")),
    )


def render(v: Variant) -> str:
    stem = (f"A dropout layer with {given(v)} receives the activations $\\boldsymbol h = {tex_row(v.h, 1)}$. "
            f"At one training step the sampled mask is $\\boldsymbol m = {tex_row(v.mask, 0)}$ ($m_i = 1$ keeps unit $i$). "
            "Give numbers to 4 decimals.")
    written = "Describe the dropout method and write down exactly how it is used during training and during inference."
    return statement(title=TITLE, points=POINTS, stem=stem, parts=parts(v), written=written)


def solution(v: Variant) -> str:
    q, p = keep(v), v.rate
    out = outputs(v)
    j = v.unit
    h = np.asarray(v.h)
    dropped = len(v.h) - sum(v.mask)
    return "\n".join([
        f"1. $p = {fmt(p, 2)}$, keep probability $1 - p = {fmt(q, 2)}$, rescaling factor $1/(1 - p) = {fmt(1 / q, 4)}$.",
        f"2. Inverted dropout, training: $\\boldsymbol y = \\boldsymbol m \\odot \\boldsymbol h / (1 - p) = {tex_row(out['train_inverted'], 4)}$.",
        f"3. Inverted dropout, inference: the identity, $\\boldsymbol y = \\boldsymbol h = {tex_row(out['infer_inverted'], 1)}$.",
        f"4. Original dropout: training $\\boldsymbol y = \\boldsymbol m \\odot \\boldsymbol h = {tex_row(out['train_original'], 1)}$, "
        f"inference $\\boldsymbol y = (1 - p)\\,\\boldsymbol h = {tex_row(out['infer_original'], 4)}$.",
        f"5. $\\mathbb E[m_{j + 1}] = 1 - p$, so with inverted dropout $\\mathbb E[y_{{{j + 1}}}] = (1 - p)\\,h_{{{j + 1}}}/(1 - p) = "
        f"{fmt(h[j], 4)}$, with original dropout $\\mathbb E[y_{{{j + 1}}}] = (1 - p)\\,h_{{{j + 1}}} = {fmt(q * h[j], 4)}$: "
        "in both, the inference output equals the expected training output.",
        f"6. This mask drops {dropped} of {len(v.h)} units ({fmt(dropped / len(v.h), 4)}); units are dropped independently, "
        "so the fraction equals $p$ only in expectation.",
    ])


def model_answer(v: Variant) -> str:
    return "\n".join([
        r"Dropout is a regularization: during training, each unit's output is set to zero independently with probability $p$ "
        r"(the dropout rate), with a new random mask $\boldsymbol m$, $m_i \sim \text{Bernoulli}(1 - p)$, for every example and "
        r"every step. It keeps units from co-adapting and trains an exponential ensemble of thinned networks that share weights.",
        r"- **Training** (inverted dropout, as implemented in frameworks): $\boldsymbol y = \frac{\boldsymbol m \odot \boldsymbol h}{1 - p}$, "
        r"so that $\mathbb E[\boldsymbol y] = \boldsymbol h$. The gradient flows only through the kept units, scaled the same way.",
        r"- **Inference**: no units are dropped and the output is deterministic; with inverted dropout the layer is the identity, "
        r"$\boldsymbol y = \boldsymbol h$. (The original formulation does not rescale during training and instead multiplies by "
        r"$1 - p$ at inference.) Either way the inference output equals the expected training output -- an approximation of "
        r"averaging the ensemble.",
    ])


def rubric(v: Variant) -> tuple[RubricItem, ...]:
    return (
        RubricItem(0.5, "Training: every unit dropped (zeroed) independently with probability p, new mask per example/step."),
        RubricItem(0.5, "Kept units scaled by 1/(1 - p) during training (inverted dropout), preserving the expectation."),
        RubricItem(0.5, "Inference: nothing is dropped; identity for inverted dropout (or multiply by 1 - p without the training rescaling)."),
        RubricItem(0.5, "Why: regularization, prevents co-adaptation, approximates an ensemble of subnetworks."),
    )
