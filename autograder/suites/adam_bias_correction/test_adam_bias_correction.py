"""Hidden suite of the adam_bias_correction assignment.

The EMA and its correction are compared with the reference on random sequences of several shapes
and β; the Monte-Carlo function exactly on given streams and, on many Gaussian streams, against the
theory E[s_t] = (1 - β₁ᵗ)E[g], E[ŝ_t] = E[g] (and the same for r with E[g²]) within five standard
errors per step. Symbolic answers are judged by the engine (any equivalent form; near misses such as
an off-by-one t or a constant factor are named), and a wrong value or formula that matches a variant
of ``mistakes.py`` is named. Variants that divide by 1 - β⁰ = 0 produce inf/NaN in their first entry;
non-finite entries are compared as NaN so those are recognised too.
"""
import numpy as np

from autograder.checks.diagnosis import Mismatch, expect, predict
from autograder.checks.numeric import show
from autograder.checks.symbolic import expect_expr
from autograder.reference import load
from autograder.sandbox import SreprText
from autograder.suites.plugin import points
from autograder.symbolic import SymbolTable, check_equivalent

from .mistakes import HARMLESS, MISTAKES, SYMBOLIC

REF = load("adam_bias_correction")
NAMES = ("beta", "beta2", "t", "i", "g", "alpha", "epsilon", "g0")
# t <= 8 keeps the unrolled sums short; 0 < β < 1 as in the notebook.
SYMBOLS = SymbolTable({n: REF[n] for n in NAMES}, {REF["beta"]: (0, 1), REF["beta2"]: (0, 1), REF["t"]: (1, 8)})

# The engine's budget is 1.5 s of CPU per check; the wall-clock cap only guards against a starved
# child, and on a busy grading machine (parallel jobs) its default of 5.5 s could cut off even the
# quick numeric verdict of a correct answer.
WALL_SECONDS = 30.0


# ----------------------------------------------------------------------------- helpers

def _nan_for_inf(value):
    """inf -> NaN in float arrays, so that expect's NaN-equals-NaN recognises a division by 1 - β⁰."""
    try:
        array = np.asarray(value)
    except (ValueError, TypeError):
        return value
    if array.dtype.kind != "f" or np.all(np.isfinite(array)):
        return value
    return np.where(np.isinf(array), np.nan, array)


def predictions(part, *args):
    """The reference's value of ``part`` on ``args`` and that of every named mistake that runs."""
    return predict(lambda ns: ns[part](*_copies(args)), REF, part, MISTAKES.get(part, {}))


def _copies(args):
    return [a.copy() if isinstance(a, np.ndarray) else a for a in args]


def check_value(student, part, *args, what):
    got, modified = student.mutated(part, *_copies(args))
    expected, wrong = predictions(part, *args)
    expect(_nan_for_inf(got), expected, what=what,
           mistakes={name: _nan_for_inf(value) for name, value in wrong.items()})
    if modified:
        raise Mismatch(f"{what}: the input array was modified; compute into a new array",
                       diagnosis="input modified in place")


def check_moments(student, part, *args, what):
    """A dict of four (T,) arrays, entry by entry."""
    got = getattr(student, part)(*_copies(args))
    expected, wrong = predictions(part, *args)
    if not isinstance(got, dict) or set(got) != set(expected):
        raise Mismatch(f"{what}: returned {show(got)}, expected a dict with keys 's', 's_hat', 'r', 'r_hat'")
    for key in ("s", "s_hat", "r", "r_hat"):
        expect(_nan_for_inf(got[key]), expected[key], what=f'{what}, entry "{key}"',
               mistakes={name: _nan_for_inf(value[key]) for name, value in wrong.items()})
    return got


def expect_formula(got, part, *, what, **options):
    """The engine's verdict; an accepted alternative passes, a named mistake is named."""
    options.setdefault("wall_timeout", WALL_SECONDS)
    try:
        expect_expr(got, REF[part](), what=what, symbols=SYMBOLS, **options)
    except Mismatch as miss:
        if miss.diagnosis == "unreadable" or not isinstance(got, SreprText):
            raise
        plain = {k: v for k, v in options.items() if k != "form"}
        if any(_equivalent(got, build(), plain) for build in HARMLESS.get(part, {}).values()):
            return
        names = [name for name, build in SYMBOLIC.get(part, {}).items() if _equivalent(got, build(), plain)]
        if not names:
            raise
        name = " or ".join(names)
        detail = str(miss).removeprefix(f"{what}: ")
        raise Mismatch(f"{what}: your answer matches {name}. {detail}", diagnosis=name) from None


def _equivalent(got, expr, options) -> bool:
    return check_equivalent(str(got), expr, symbols=SYMBOLS, answer_format="srepr", **options).correct


def sequences(seed, shape):
    return np.random.default_rng(seed).normal(loc=0.3, size=shape)


# ----------------------------------------------------------------------------- ema (2 points)

@points(1.0, "ema: random sequences for several β")
def test_ema_random(student):
    for n, beta in enumerate((0.5, 0.9, 0.99)):
        grads = sequences(n, 12)
        check_value(student, "ema", grads, beta, what=f"ema(grads, {beta}) for grads = {show(grads)}")


@points(0.5, "ema: trailing axes are independent ((T, N) streams, (T, D1, D2) gradients)")
def test_ema_shapes(student):
    check_value(student, "ema", sequences(3, (7, 4)), 0.8, what="ema of 4 streams of 7 steps, shape (7, 4), β = 0.8")
    check_value(student, "ema", sequences(4, (5, 2, 3)), 0.6, what="ema of gradients of shape (2, 3) over 5 steps, β = 0.6")


@points(0.5, "ema: integer gradients, input not modified")
def test_ema_integers(student):
    grads = np.array([1, 2, 3, 4, 5])
    check_value(student, "ema", grads, 0.5, what="ema([1, 2, 3, 4, 5], 0.5) with an integer array")


# ----------------------------------------------------------------------------- bias_corrected (2 points)

@points(1.0, "bias_corrected: s_t / (1 - βᵗ), t counted from 1")
def test_corrected_random(student):
    for n, beta in enumerate((0.5, 0.9)):
        s = sequences(10 + n, 8)
        check_value(student, "bias_corrected", s, beta, what=f"bias_corrected(s, {beta}) for s = {show(s)}")


@points(0.5, "bias_corrected: (T, N) arrays, t along the first axis")
def test_corrected_streams(student):
    check_value(student, "bias_corrected", sequences(12, (6, 3)), 0.7,
                what="bias_corrected of shape (6, 3) (6 steps of 3 streams), β = 0.7")


@points(0.5, "bias_corrected: a constant gradient is recovered from the first step")
def test_corrected_constant(student):
    s = REF["ema"](np.full(20, 2.5), 0.999)
    check_value(student, "bias_corrected", s, 0.999,
                what="bias_corrected(ema of a constant gradient 2.5 over 20 steps, 0.999) (should be 2.5 everywhere)")


# ----------------------------------------------------------------------------- monte_carlo_moments (2 points)

@points(1.0, "monte_carlo_moments: stream averages of s, ŝ, r and r̂")
def test_mc_exact(student):
    grads = sequences(20, (25, 64))
    check_moments(student, "monte_carlo_moments", grads, 0.8, 0.95,
                  what="monte_carlo_moments on 64 given streams of 25 steps, β₁ = 0.8, β₂ = 0.95")


@points(1.0, "monte_carlo_moments: E[s_t] = (1 - β₁ᵗ)E[g] before and E[g] after the correction, same for r")
def test_mc_statistics(student):
    mean, std, beta1, beta2, T, N = 0.5, 1.0, 0.9, 0.999, 50, 4000
    grads = np.random.default_rng(21).normal(mean, std, size=(T, N))
    got = student.monte_carlo_moments(grads, beta1, beta2)
    if not isinstance(got, dict) or set(got) != {"s", "s_hat", "r", "r_hat"}:
        raise Mismatch(f"monte_carlo_moments returned {show(got)}, expected a dict with keys 's', 's_hat', 'r', 'r_hat'")
    theory = REF["expected_moments"](mean, std, beta1, beta2, T)
    steps = np.arange(1, T + 1)
    var_g, var_g2 = std**2, 2 * std**4 + 4 * mean**2 * std**2   # Var[g²] of a Gaussian
    se_s = np.sqrt((1 - beta1) / (1 + beta1) * (1 - beta1 ** (2 * steps)) * var_g / N)
    se_r = np.sqrt((1 - beta2) / (1 + beta2) * (1 - beta2 ** (2 * steps)) * var_g2 / N)
    errors = {"s": se_s, "s_hat": se_s / (1 - beta1**steps), "r": se_r, "r_hat": se_r / (1 - beta2**steps)}
    for key, se in errors.items():
        value = np.asarray(got[key], dtype=float)
        if value.shape != (T,):
            raise Mismatch(f'monte_carlo_moments, entry "{key}": shape {value.shape}, expected ({T},)')
        off = np.flatnonzero(~(np.abs(value - theory[key]) <= 5 * se))
        if off.size:
            t0 = off[0]
            raise Mismatch(f'monte_carlo_moments on {N} Gaussian streams (E[g] = {mean}, std {std}, β₁ = {beta1}, '
                           f'β₂ = {beta2}), entry "{key}": at step {t0 + 1} your average is {show(float(value[t0]))}, '
                           f"the theory gives {show(float(theory[key][t0]))} ± {show(float(5 * se[t0]), 2)} "
                           "(5 standard errors)")


# ----------------------------------------------------------------------------- expected_moments (1 point)

@points(1.0, "expected_moments: (1 - βᵗ)E[g] and (1 - βᵗ)E[g²] with E[g²] = mean² + std²")
def test_expected_moments(student):
    check_moments(student, "expected_moments", 0.5, 2.0, 0.9, 0.99, 6,
                  what="expected_moments(mean=0.5, std=2.0, beta1=0.9, beta2=0.99, T=6)")
    check_moments(student, "expected_moments", -1.5, 0.3, 0.5, 0.8, 4,
                  what="expected_moments(mean=-1.5, std=0.3, beta1=0.5, beta2=0.8, T=4)")


# ----------------------------------------------------------------------------- symbolic parts

@points(1.0, "ema_weight_sum: equal to (1 - β) Σ β^(t-i)")
def test_weight_sum_value(student):
    expect_formula(student.ema_weight_sum(), "ema_weight_sum", what="ema_weight_sum()")


@points(1.0, "ema_weight_sum: in closed form, no Σ left")
def test_weight_sum_closed(student):
    expect_formula(student.ema_weight_sum(), "ema_weight_sum", form="closed_form", what="ema_weight_sum()")


@points(2.0, "unrolled_r: (1 - β₂) Σ β₂^(t-i) g_i²")
def test_unrolled_r(student):
    expect_formula(student.unrolled_r(), "unrolled_r", variables=("g",), what="unrolled_r()")


@points(1.0, "adagrad_effective_step: α/√(t·g0² + ε)")
def test_adagrad_step(student):
    expect_formula(student.adagrad_effective_step(), "adagrad_effective_step", what="adagrad_effective_step()")


@points(1.0, "adagrad_step_limit: α/(√t·|g0|)")
def test_adagrad_limit(student):
    expect_formula(student.adagrad_step_limit(), "adagrad_step_limit", what="adagrad_step_limit()")
