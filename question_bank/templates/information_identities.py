"""Entropy, cross-entropy and KL divergence identities on random discrete distributions.

Source: seed 003 (entropia, entropia cruzada, KL): H(p) = -sum p log p;
H(p, q) = -sum p log q = H(p) + D(p || q); D(p || q) = sum p log(p/q) >= 0, not symmetric.
The logarithm base (nats or bits) is part of the variant.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from question_bank import draw
from question_bank.core import Misconception, NumericPart, TrueFalsePart
from question_bank.layout import fmt, statement, tex_row

NAME = "information_identities"
TITLE = "Entropy, cross-entropy and KL divergence"
TOPIC = "information"
POINTS = 5
SOURCE = "seed 003 (entropy, cross-entropy, KL)"


@dataclass(frozen=True)
class Variant:
    seed: int
    p: tuple[float, ...]
    q: tuple[float, ...]
    base: int  # 2 for bits, 0 for nats (natural log)


def log(x, base: int):
    x = np.asarray(x, dtype=float)
    return np.log(x) / (math.log(base) if base else 1.0)


def quantities(v: Variant, base: int | None = None) -> dict[str, float]:
    b = v.base if base is None else base
    p, q = np.asarray(v.p), np.asarray(v.q)
    h_p, h_q = float(-(p * log(p, b)).sum()), float(-(q * log(q, b)).sum())
    ce_pq, ce_qp = float(-(p * log(q, b)).sum()), float(-(q * log(p, b)).sum())
    return dict(h_p=h_p, ce_pq=ce_pq, kl_pq=ce_pq - h_p, kl_qp=ce_qp - h_q, ce_qp=ce_qp)


def generate(seed: int) -> Variant:
    rng = draw.rng_for(seed)
    k = int(draw.pick(rng, (2, 3, 3, 4)))
    while True:
        p, q = draw.distribution(rng, k), draw.distribution(rng, k)
        if p != q:
            return Variant(seed=seed, p=p, q=q, base=int(draw.pick(rng, (0, 2))))


def parts(v: Variant):
    x = quantities(v)
    other = quantities(v, base=0 if v.base else 2)
    unit = "bits" if v.base else "nats"
    wrong_base = f"that is in {'nats' if v.base else 'bits'}; the question asks for {unit}"
    opts = dict(rel_tol=5e-3, abs_tol=2e-3)
    return (
        NumericPart(label="a", prompt=f"$H(p)$ in {unit}.", value=(x["h_p"],),
                    misconceptions=(Misconception((other["h_p"],), wrong_base),), **opts),
        NumericPart(label="b", prompt=f"$H(p, q)$ in {unit}.", value=(x["ce_pq"],),
                    misconceptions=(Misconception((x["ce_qp"],), "that is H(q, p): the expectation is under the first argument"),
                                    Misconception((other["ce_pq"],), wrong_base)), **opts),
        NumericPart(label="c", prompt=f"$D_\\text{{KL}}(p \\| q)$ in {unit}.", value=(x["kl_pq"],),
                    misconceptions=(Misconception((x["kl_qp"],), "that is D_KL(q || p); KL is not symmetric"),
                                    Misconception((other["kl_pq"],), wrong_base)), **opts),
        TrueFalsePart(label="d", statement="$D_\\text{KL}(p\\|q) = D_\\text{KL}(q\\|p)$ for these two distributions.",
                      truth=abs(x["kl_pq"] - x["kl_qp"]) < 1e-9, explanation=f"D(p||q) = {fmt(x['kl_pq'], 4)}, D(q||p) = {fmt(x['kl_qp'], 4)}"),
        TrueFalsePart(label="e", statement="$H(p, q) = H(p) + D_\\text{KL}(p\\|q)$ for these two distributions.",
                      truth=abs(x["ce_pq"] - (x["h_p"] + x["kl_pq"])) < 1e-9, explanation="this identity holds for all p, q"),
    )


def render(v: Variant) -> str:
    unit = "bits ($\\log_2$)" if v.base else "nats (natural log)"
    stem = (f"Two distributions over {len(v.p)} outcomes: $p = {tex_row(v.p, 2)}$ and $q = {tex_row(v.q, 2)}$. "
            f"Work in {unit}; give numbers to 4 decimals.")
    return statement(title=TITLE, points=POINTS, stem=stem, parts=parts(v))


def solution(v: Variant) -> str:
    x = quantities(v)
    lg = "\\log_2" if v.base else "\\log"
    h_terms = " + ".join(f"{fmt(pk, 2)} {lg} {fmt(pk, 2)}" for pk in v.p)
    ce_terms = " + ".join(f"{fmt(pk, 2)} {lg} {fmt(qk, 2)}" for pk, qk in zip(v.p, v.q))
    return "\n".join([
        f"1. $H(p) = -({h_terms}) = {fmt(x['h_p'], 4)}$.",
        f"2. $H(p,q) = -({ce_terms}) = {fmt(x['ce_pq'], 4)}$.",
        f"3. $D_\\text{{KL}}(p\\|q) = \\sum_k p_k {lg}\\frac{{p_k}}{{q_k}} = H(p,q) - H(p) = {fmt(x['kl_pq'], 4)}$.",
        f"4. $D_\\text{{KL}}(q\\|p) = {fmt(x['kl_qp'], 4)}$ -- different, KL is not symmetric.",
        "5. $H(p,q) = \\mathbb E_p[-\\log q] = \\mathbb E_p[-\\log p] + \\mathbb E_p[\\log(p/q)] = H(p) + D_\\text{KL}(p\\|q)$ always.",
    ])
