"""Named wrong variants of the mse_from_mle assignment.

``MISTAKES[function][name]`` is a common student error written the way a student writes it: the same
signature as the function in ``solutions/mse_from_mle/mse_from_mle.ipynb``, pure numpy or sympy, using
the notebook's setup symbols (taken from the reference, so the objects are identical). A submission
whose answer matches one of them is told "your answer matches <name>", so every name reads after
"matches". Numeric variants are run on the suite's inputs; symbolic ones are compared with the
engine under the same symbol table and options as the expected answer. Every variant differs from
the reference and from the other variants of its function (``tests/autograder/test_grade_mse_from_mle.py``).
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sympy as sp

from autograder.reference import load

_S = load("mse_from_mle")
y, yhat, sigma, m, d, K = (_S[n] for n in ("y", "yhat", "sigma", "m", "d", "K"))
i, j, k, c = (_S[n] for n in ("i", "j", "k", "c"))
Y, Yhat, theta, z, NLL = (_S[n] for n in ("Y", "Yhat", "theta", "z", "NLL"))


def _arrays(*values):
    return [np.asarray(v, dtype=float) for v in values]


def _support_or_raise(p, q):
    support = p > 0
    if np.any(q[support] == 0):
        raise ValueError("q is 0 where p > 0")
    return support


# ---------------------------------------------------------------- entropy, cross-entropy, KL

def entropy_log2(p):
    (p,) = _arrays(p)
    return float(-np.sum(p[p > 0] * np.log2(p[p > 0])))


def entropy_no_minus(p):
    (p,) = _arrays(p)
    return float(np.sum(p[p > 0] * np.log(p[p > 0])))


def entropy_nan_at_zero(p):
    (p,) = _arrays(p)
    with np.errstate(all="ignore"):
        return float(-np.sum(p * np.log(p)))


def cross_entropy_swapped(p, q):
    p, q = _arrays(p, q)
    support = _support_or_raise(q, p)
    return float(-np.sum(q[support] * np.log(p[support])))


def cross_entropy_log2(p, q):
    p, q = _arrays(p, q)
    support = _support_or_raise(p, q)
    return float(-np.sum(p[support] * np.log2(q[support])))


def cross_entropy_is_kl(p, q):
    p, q = _arrays(p, q)
    support = _support_or_raise(p, q)
    return float(np.sum(p[support] * np.log(p[support] / q[support])))


def cross_entropy_nan_at_zero(p, q):
    p, q = _arrays(p, q)
    with np.errstate(all="ignore"):
        return float(-np.sum(p * np.log(q)))


def kl_swapped(p, q):
    p, q = _arrays(p, q)
    support = _support_or_raise(q, p)
    return float(np.sum(q[support] * np.log(q[support] / p[support])))


def kl_log2(p, q):
    p, q = _arrays(p, q)
    support = _support_or_raise(p, q)
    return float(np.sum(p[support] * np.log2(p[support] / q[support])))


def kl_ratio_upside_down(p, q):
    p, q = _arrays(p, q)
    support = _support_or_raise(p, q)
    return float(np.sum(p[support] * np.log(q[support] / p[support])))


def kl_is_cross_entropy(p, q):
    p, q = _arrays(p, q)
    support = _support_or_raise(p, q)
    return float(-np.sum(p[support] * np.log(q[support])))


def kl_nan_at_zero(p, q):
    p, q = _arrays(p, q)
    with np.errstate(all="ignore"):
        return float(np.sum(p * np.log(p / q)))


# ---------------------------------------------------------------- categorical NLL, p_data, objectives

def nll_mean(probs, labels):
    probs, labels = np.asarray(probs, dtype=float), np.asarray(labels, dtype=int)
    return float(-np.mean(np.log(probs[np.arange(len(labels)), labels])))


def nll_log2(probs, labels):
    probs, labels = np.asarray(probs, dtype=float), np.asarray(labels, dtype=int)
    return float(-np.sum(np.log2(probs[np.arange(len(labels)), labels])))


def nll_all_classes(probs, labels):
    probs = np.asarray(probs, dtype=float)
    return float(-np.sum(np.log(probs)))


def nll_rows_by_label(probs, labels):
    probs, labels = np.asarray(probs, dtype=float), np.asarray(labels, dtype=int)
    return float(-np.sum(np.log(probs[labels, labels])))


def empirical_counts(samples, num_classes):
    return np.bincount(np.asarray(samples, dtype=int), minlength=num_classes).astype(float)


def empirical_over_k(samples, num_classes):
    return np.bincount(np.asarray(samples, dtype=int), minlength=num_classes) / num_classes


def _p_data(samples, num_classes):
    return np.bincount(samples, minlength=num_classes) / len(samples)


def _entropy(p):
    return float(-np.sum(p[p > 0] * np.log(p[p > 0])))


def objectives_mean_nll(samples, candidates):
    samples, candidates = np.asarray(samples, dtype=int), np.asarray(candidates, dtype=float)
    p = _p_data(samples, candidates.shape[1])
    ce = np.array([-np.sum(p * np.log(q)) for q in candidates])
    return {"nll": ce.copy(), "cross_entropy": ce, "kl": ce - _entropy(p)}


def objectives_kl_swapped(samples, candidates):
    samples, candidates = np.asarray(samples, dtype=int), np.asarray(candidates, dtype=float)
    p = _p_data(samples, candidates.shape[1])
    ce = np.array([-np.sum(p * np.log(q)) for q in candidates])
    with np.errstate(all="ignore"):
        kl = np.array([np.sum(q * np.log(q / p)) for q in candidates])
    return {"nll": len(samples) * ce, "cross_entropy": ce, "kl": kl}


def objectives_counts_not_normalised(samples, candidates):
    samples, candidates = np.asarray(samples, dtype=int), np.asarray(candidates, dtype=float)
    counts = np.bincount(samples, minlength=candidates.shape[1]).astype(float)
    ce = np.array([-np.sum(counts * np.log(q)) for q in candidates])
    entropy = -np.sum(counts[counts > 0] * np.log(counts[counts > 0]))
    return {"nll": ce.copy(), "cross_entropy": ce, "kl": ce - entropy}


def objectives_kl_without_entropy(samples, candidates):
    samples, candidates = np.asarray(samples, dtype=int), np.asarray(candidates, dtype=float)
    p = _p_data(samples, candidates.shape[1])
    ce = np.array([-np.sum(p * np.log(q)) for q in candidates])
    return {"nll": len(samples) * ce, "cross_entropy": ce, "kl": ce.copy()}


def objectives_in_bits(samples, candidates):
    samples, candidates = np.asarray(samples, dtype=int), np.asarray(candidates, dtype=float)
    p = _p_data(samples, candidates.shape[1])
    ce = np.array([-np.sum(p * np.log(q)) for q in candidates]) / np.log(2)
    return {"nll": len(samples) * ce, "cross_entropy": ce, "kl": ce - _entropy(p) / np.log(2)}


# ---------------------------------------------------------------- Gaussian NLL (numeric)

def _gauss(y_, y_hat, sigma_, *, scale, const=True, reduce=np.sum):
    y_, y_hat = _arrays(y_, y_hat)
    terms = (y_ - y_hat) ** 2 / scale(sigma_)
    if const:
        terms = terms + 0.5 * np.log(2 * np.pi * sigma_**2)
    return float(reduce(terms))


def gaussian_sigma_not_squared(y, y_hat, sigma):
    return _gauss(y, y_hat, sigma, scale=lambda s: 2 * s)


def gaussian_no_half(y, y_hat, sigma):
    return _gauss(y, y_hat, sigma, scale=lambda s: s**2)


def gaussian_no_constant(y, y_hat, sigma):
    return _gauss(y, y_hat, sigma, scale=lambda s: 2 * s**2, const=False)


def gaussian_mean(y, y_hat, sigma):
    return _gauss(y, y_hat, sigma, scale=lambda s: 2 * s**2, reduce=np.mean)


def gaussian_sigma_as_variance(y, y_hat, sigma):
    y, y_hat = _arrays(y, y_hat)
    return float(np.sum(0.5 * np.log(2 * np.pi * sigma) + (y - y_hat) ** 2 / (2 * sigma)))


def gaussian_constant_sign(y, y_hat, sigma):
    y, y_hat = _arrays(y, y_hat)
    return float(np.sum(-0.5 * np.log(2 * np.pi * sigma**2) + (y - y_hat) ** 2 / (2 * sigma**2)))


# ---------------------------------------------------------------- symbolic answers

_CONST = sp.log(2 * sp.pi * sigma**2) / 2
_SQUARES = sp.Sum((Y[i] - Yhat[i]) ** 2, (i, 1, m))
_PRIOR = sp.Sum(theta[j] ** 2, (j, 1, d))
_SOFTMAX_K = sp.exp(z[k]) / sp.Sum(sp.exp(z[j]), (j, 1, K))

SYMBOLIC: dict[str, dict[str, Callable[[], sp.Expr]]] = {
    "gaussian_nll_one": {
        "the NLL with σ instead of σ² in the denominator": lambda: _CONST + (y - yhat) ** 2 / (2 * sigma),
        "the NLL without the 1/2 in the exponent": lambda: _CONST + (y - yhat) ** 2 / sigma**2,
        "the log-likelihood log p instead of -log p": lambda: -_CONST - (y - yhat) ** 2 / (2 * sigma**2),
        "the NLL with the normalising constant subtracted, -log(2πσ²)/2": lambda: -_CONST + (y - yhat) ** 2 / (2 * sigma**2),
        "the NLL with σ treated as the variance (log(2πσ)/2 + (y - ŷ)²/(2σ))":
            lambda: sp.log(2 * sp.pi * sigma) / 2 + (y - yhat) ** 2 / (2 * sigma),
        "the NLL in bits (log base 2)": lambda: (_CONST + (y - yhat) ** 2 / (2 * sigma**2)) / sp.log(2),
    },
    "gaussian_nll_sum": {
        "the constant log(2πσ²)/2 counted once instead of m times": lambda: _CONST + _SQUARES / (2 * sigma**2),
        "the NLL with σ instead of σ² in the denominator": lambda: m * _CONST + _SQUARES / (2 * sigma),
        "the mean over the m examples instead of the sum": lambda: _CONST + _SQUARES / (2 * m * sigma**2),
        "the log-likelihood instead of its negative": lambda: -m * _CONST - _SQUARES / (2 * sigma**2),
    },
    "mse_objective": {
        "the sum of squares without the 1/m": lambda: _SQUARES,
        "the NLL's factor 1/(2σ²) not cancelled": lambda: _SQUARES / (2 * sigma**2 * m),
        "the NLL's 1/2 kept (1/(2m) Σ (y - ŷ)²)": lambda: _SQUARES / (2 * m),
        "the constant log(2πσ²)/2 kept": lambda: _CONST + _SQUARES / m,
        "the NLL divided by m (constant and 1/(2σ²) kept)": lambda: _CONST + _SQUARES / (2 * sigma**2 * m),
    },
    "map_objective": {
        "NLL + log p(θ) (the log-prior added instead of subtracted)": lambda: NLL - _PRIOR / (2 * sigma**2),
        "a prior with σ instead of σ² in the exponent": lambda: NLL + _PRIOR / (2 * sigma),
        "a prior without the 1/2 in the exponent": lambda: NLL + _PRIOR / sigma**2,
        "the prior term alone (the data term NLL missing)": lambda: _PRIOR / (2 * sigma**2),
        "a penalty σ²/2 Σθ² (the prior's precision upside down)": lambda: NLL + sigma**2 * _PRIOR / 2,
    },
    "l2_lambda": {
        "λ = 1/σ² (the 1/2 of the Gaussian exponent dropped)": lambda: 1 / sigma**2,
        "λ = 1/(2σ) (σ instead of σ²)": lambda: 1 / (2 * sigma),
        "λ = σ²/2 (upside down: a wider prior must regularise less)": lambda: sigma**2 / 2,
        "λ = -1/(2σ²) (the sign of the log-prior)": lambda: -1 / (2 * sigma**2),
        "λ for the mean NLL, 1/(2mσ²)": lambda: 1 / (2 * m * sigma**2),
    },
    "softmax_ce_grad": {
        "onehot - p̂ (the sign flipped)": lambda: sp.KroneckerDelta(k, c) - _SOFTMAX_K,
        "p̂ alone (the one-hot target not subtracted)": lambda: _SOFTMAX_K,
        "z - onehot (the softmax not applied)": lambda: z[k] - sp.KroneckerDelta(k, c),
        "p̂_k (1 - p̂_k), the softmax's own derivative": lambda: _SOFTMAX_K * (1 - _SOFTMAX_K),
        "-1/p̂_c, the derivative with respect to p̂ instead of z": lambda: -sp.Sum(sp.exp(z[j]), (j, 1, K)) / sp.exp(z[c]),
    },
}

MISTAKES: dict[str, dict[str, Callable]] = {
    "entropy": {
        "the entropy in bits (log base 2)": entropy_log2,
        "the entropy without the minus sign": entropy_no_minus,
        "0·log 0 computed as NaN instead of 0": entropy_nan_at_zero,
    },
    "cross_entropy": {
        "H(q, p): the arguments swapped": cross_entropy_swapped,
        "the cross-entropy in bits (log base 2)": cross_entropy_log2,
        "KL(p‖q) instead of the cross-entropy": cross_entropy_is_kl,
        "0·log 0 computed as NaN instead of 0": cross_entropy_nan_at_zero,
    },
    "kl_divergence": {
        "KL(q‖p): the argument order swapped": kl_swapped,
        "KL in bits (log base 2)": kl_log2,
        "Σ p log(q/p): the ratio upside down": kl_ratio_upside_down,
        "the cross-entropy H(p, q) instead of KL": kl_is_cross_entropy,
        "0·log 0 computed as NaN instead of 0": kl_nan_at_zero,
    },
    "nll": {
        "the mean over the examples instead of the sum": nll_mean,
        "the NLL in bits (log base 2)": nll_log2,
        "the log of every class's probability summed (labels ignored)": nll_all_classes,
        "probs[labels, labels] (rows picked by the label)": nll_rows_by_label,
    },
    "empirical_distribution": {
        "the counts, not divided by N": empirical_counts,
        "the counts divided by the number of classes instead of N": empirical_over_k,
    },
    "mle_objectives": {
        "the NLL averaged over the samples (NLL / N)": objectives_mean_nll,
        "KL(q‖p_data) instead of KL(p_data‖q)": objectives_kl_swapped,
        "the counts used as p_data (not divided by N)": objectives_counts_not_normalised,
        "the cross-entropy reported as KL (H(p_data) not subtracted)": objectives_kl_without_entropy,
        "the objectives in bits (log base 2)": objectives_in_bits,
    },
    "gaussian_nll": {
        "the NLL with σ instead of σ² in the denominator": gaussian_sigma_not_squared,
        "the NLL without the 1/2 in the exponent": gaussian_no_half,
        "the NLL without its constant term log(2πσ²)/2": gaussian_no_constant,
        "the mean over the examples instead of the sum": gaussian_mean,
        "the NLL with σ treated as the variance": gaussian_sigma_as_variance,
        "the NLL with the constant subtracted, -log(2πσ²)/2": gaussian_constant_sign,
    },
    **SYMBOLIC,
}
