"""Named wrong variants of the adam_bias_correction assignment, and accepted alternative answers.

``MISTAKES[function][name]`` is a common student error written the way a student writes it: the same
signature as the function in ``solutions/adam_bias_correction/adam_bias_correction.ipynb``, pure
numpy or sympy with the notebook's setup symbols (taken from the reference, so the objects are
identical). A submission whose answer matches one is told "your answer matches <name>". Variants that
divide by 1 - β⁰ = 0 produce inf or NaN in their first entry; the suite compares non-finite entries
as equal so that they are still recognised. ``HARMLESS`` holds correct answers in another
convention (ε outside AdaGrad's square root), graded as correct. Every variant differs from the
reference and from its siblings (``tests/autograder/test_grade_adam_bias_correction.py``).
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sympy as sp

from autograder.reference import load

_S = load("adam_bias_correction")
beta, beta2, t, i, g = (_S[n] for n in ("beta", "beta2", "t", "i", "g"))
alpha, epsilon, g0 = (_S[n] for n in ("alpha", "epsilon", "g0"))


# ---------------------------------------------------------------- ema

def _ema(grads, update, start=None):
    grads = np.asarray(grads, dtype=float)
    s = np.zeros_like(grads)
    running = np.zeros(grads.shape[1:]) if start is None else start(grads)
    for step in range(len(grads)):
        running = update(running, grads[step])
        s[step] = running
    return s


def ema_no_one_minus_beta(grads, beta):
    return _ema(grads, lambda s, g_: beta * s + g_)


def ema_swapped(grads, beta):
    return _ema(grads, lambda s, g_: (1 - beta) * s + beta * g_)


def ema_started_at_first_gradient(grads, beta):
    grads = np.asarray(grads, dtype=float)
    s = np.zeros_like(grads)
    running = grads[0]
    s[0] = running
    for step in range(1, len(grads)):
        running = beta * running + (1 - beta) * grads[step]
        s[step] = running
    return s


def ema_one_step_late(grads, beta):
    """s[t-1] holds s_{t-1}: the value stored before the current gradient is added."""
    grads = np.asarray(grads, dtype=float)
    s = np.zeros_like(grads)
    running = np.zeros(grads.shape[1:])
    for step in range(len(grads)):
        s[step] = running
        running = beta * running + (1 - beta) * grads[step]
    return s


def ema_int_truncated(grads, beta):
    grads = np.asarray(grads)
    s = np.zeros_like(grads)
    running = np.zeros(grads.shape[1:])
    for step in range(len(grads)):
        running = beta * running + (1 - beta) * grads[step]
        s[step] = running
    return s


# ---------------------------------------------------------------- bias_corrected

def _corrected(s, beta, factor):
    s = np.asarray(s, dtype=float)
    steps = np.arange(1, len(s) + 1).reshape((-1,) + (1,) * (s.ndim - 1))
    with np.errstate(all="ignore"):
        return s * factor(beta, steps)


def corrected_t_minus_1(s, beta):
    return _corrected(s, beta, lambda b, n: 1 / (1 - b ** (n - 1)))


def corrected_t_plus_1(s, beta):
    return _corrected(s, beta, lambda b, n: 1 / (1 - b ** (n + 1)))


def corrected_multiplied(s, beta):
    return _corrected(s, beta, lambda b, n: 1 - b**n)


def corrected_no_power(s, beta):
    return _corrected(s, beta, lambda b, n: 1 / (1 - b) + 0 * n)


def corrected_beta_power_only(s, beta):
    return _corrected(s, beta, lambda b, n: 1 / b**n)


# ---------------------------------------------------------------- Monte Carlo and theory

def _mc(grads, beta1, beta2, *, square=True, correct=True, swap=False, shift=0, damped=True):
    grads = np.asarray(grads, dtype=float)
    b_s, b_r = (beta2, beta1) if swap else (beta1, beta2)
    steps = np.arange(1, len(grads) + 1)[:, None] + shift
    s = _ema(grads, lambda x, g_: beta1 * x + ((1 - beta1) if damped else 1) * g_)
    second = grads**2 if square else grads
    r = _ema(second, lambda x, g_: beta2 * x + ((1 - beta2) if damped else 1) * g_)
    with np.errstate(all="ignore"):
        s_hat = s / (1 - b_s**steps) if correct else s
        r_hat = r / (1 - b_r**steps) if correct else r
    return {"s": s.mean(axis=1), "s_hat": s_hat.mean(axis=1), "r": r.mean(axis=1), "r_hat": r_hat.mean(axis=1)}


def mc_second_moment_of_g(grads, beta1, beta2):
    return _mc(grads, beta1, beta2, square=False)


def mc_no_correction(grads, beta1, beta2):
    return _mc(grads, beta1, beta2, correct=False)


def mc_betas_swapped_in_correction(grads, beta1, beta2):
    return _mc(grads, beta1, beta2, swap=True)


def mc_t_minus_1(grads, beta1, beta2):
    return _mc(grads, beta1, beta2, shift=-1)


def mc_no_one_minus_beta(grads, beta1, beta2):
    return _mc(grads, beta1, beta2, damped=False)


def mc_square_of_mean(grads, beta1, beta2):
    """r from the EMA of g, squared afterwards: (EMA g)² instead of EMA(g²)."""
    out = _mc(grads, beta1, beta2)
    grads = np.asarray(grads, dtype=float)
    steps = np.arange(1, len(grads) + 1)[:, None]
    r = _ema(grads, lambda x, g_: beta2 * x + (1 - beta2) * g_) ** 2
    return {**out, "r": r.mean(axis=1), "r_hat": (r / (1 - beta2**steps)).mean(axis=1)}


def _theory(mean, std, beta1, beta2, T, *, second, offset=0):
    steps = np.arange(1, T + 1) + offset
    return {"s": (1 - beta1**steps) * mean, "s_hat": np.full(T, float(mean)),
            "r": (1 - beta2**steps) * second, "r_hat": np.full(T, float(second))}


def theory_variance_only(mean, std, beta1, beta2, T):
    return _theory(mean, std, beta1, beta2, T, second=std**2)


def theory_mean_squared_only(mean, std, beta1, beta2, T):
    return _theory(mean, std, beta1, beta2, T, second=mean**2)


def theory_std_not_squared(mean, std, beta1, beta2, T):
    return _theory(mean, std, beta1, beta2, T, second=mean**2 + std)


def theory_t_from_0(mean, std, beta1, beta2, T):
    return _theory(mean, std, beta1, beta2, T, second=mean**2 + std**2, offset=-1)


# ---------------------------------------------------------------- symbolic answers

_GEOMETRIC = (1 - beta**t) / (1 - beta)
_R_SUM = sp.Sum(beta2 ** (t - i) * g[i] ** 2, (i, 1, t))

SYMBOLIC: dict[str, dict[str, Callable[[], sp.Expr]]] = {
    "ema_weight_sum": {
        "1 - β, the weight of the newest gradient only": lambda: 1 - beta,
        "the geometric sum (1 - βᵗ)/(1 - β) without the factor (1 - β)": lambda: _GEOMETRIC,
        "βᵗ, the weight missing from the sum": lambda: beta**t,
        "1, the weight of an infinite history": lambda: sp.Integer(1) + 0 * beta,
    },
    "unrolled_r": {
        "weights β₂^(i-1): the oldest gradient weighted most": lambda: (1 - beta2) * sp.Sum(beta2 ** (i - 1) * g[i] ** 2, (i, 1, t)),
        "the gradients not squared": lambda: (1 - beta2) * sp.Sum(beta2 ** (t - i) * g[i], (i, 1, t)),
        "the sum without the factor (1 - β₂)": lambda: _R_SUM,
        "weights β₂^(t-i+1), one power of β₂ too many": lambda: (1 - beta2) * sp.Sum(beta2 ** (t - i + 1) * g[i] ** 2, (i, 1, t)),
        "the bias-corrected r̂_t instead of r_t": lambda: (1 - beta2) * _R_SUM / (1 - beta2**t),
    },
    "adagrad_effective_step": {
        "α/(t·g0² + ε), the square root missing": lambda: alpha / (t * g0**2 + epsilon),
        "α/√(g0² + ε), r not accumulated over the t steps": lambda: alpha / sp.sqrt(g0**2 + epsilon),
        "α/√(t·g0 + ε), the gradient not squared": lambda: alpha / sp.sqrt(t * g0 + epsilon),
    },
    "adagrad_step_limit": {
        "α/(√t·g0) without the absolute value (negative for g0 < 0)": lambda: alpha / (sp.sqrt(t) * g0),
        "α/(t·|g0|), a 1/t decay instead of 1/√t": lambda: alpha / (t * sp.Abs(g0)),
        "α/|g0|, the 1/√t decay missing": lambda: alpha / sp.Abs(g0),
        "α/√t, the gradient's size missing": lambda: alpha / sp.sqrt(t) + 0 * g0,
    },
}

HARMLESS: dict[str, dict[str, Callable[[], sp.Expr]]] = {
    "adagrad_effective_step": {
        # the optimizers notebook's convention: w - lr * g / (sqrt(cache) + eps)
        "ε outside the square root, α/(√(t·g0²) + ε)": lambda: alpha / (sp.sqrt(t * g0**2) + epsilon),
    },
}

MISTAKES: dict[str, dict[str, Callable]] = {
    "ema": {
        "an EMA without the factor (1 - β): s ← βs + g": ema_no_one_minus_beta,
        "an EMA with β and 1 - β swapped: s ← (1 - β)s + βg": ema_swapped,
        "an EMA started at s_1 = g_1 instead of s_0 = 0": ema_started_at_first_gradient,
        "s_(t-1) stored at step t (the current gradient added after storing)": ema_one_step_late,
        "an EMA truncated to integers for integer gradients (zeros_like of an int array)": ema_int_truncated,
    },
    "bias_corrected": {
        "the bias correction with t - 1 (1 - β^(t-1); steps counted from 0)": corrected_t_minus_1,
        "the bias correction with t + 1 (1 - β^(t+1))": corrected_t_plus_1,
        "s multiplied by (1 - βᵗ) instead of divided": corrected_multiplied,
        "s divided by (1 - β), without the power t": corrected_no_power,
        "s divided by βᵗ instead of 1 - βᵗ": corrected_beta_power_only,
    },
    "monte_carlo_moments": {
        "r as the EMA of g instead of g²": mc_second_moment_of_g,
        "s_hat and r_hat without the bias correction": mc_no_correction,
        "s_hat corrected with β₂ and r_hat with β₁ (betas swapped)": mc_betas_swapped_in_correction,
        "r as the square of the EMA of g, not the EMA of g²": mc_square_of_mean,
        "s_hat and r_hat corrected with t - 1 (steps counted from 0)": mc_t_minus_1,
        "EMAs without the factor (1 - β) (s ← βs + g)": mc_no_one_minus_beta,
    },
    "expected_moments": {
        "E[g²] taken as Var[g] = std² (mean² missing)": theory_variance_only,
        "E[g²] taken as mean² (the variance missing)": theory_mean_squared_only,
        "E[g²] = mean² + std (std not squared)": theory_std_not_squared,
        "1 - β^(t-1): steps counted from t = 0": theory_t_from_0,
    },
    **SYMBOLIC,
}
