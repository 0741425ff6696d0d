"""Hidden suite of the mse_from_mle assignment.

Numeric parts are compared with the reference on random distributions and data (and on the edge
cases the docstrings promise: 0·log 0 = 0, a ValueError where q = 0 < p); a wrong value that matches
a variant of ``mistakes.py`` is named. Symbolic parts arrive as srepr text and are judged by the
symbolic engine, which accepts any equivalent form and names near misses (a constant factor, a
missing or extra constant term, a sign, a σ that should have cancelled); a wrong answer equivalent
to a named variant is named too. Parts whose docstring allows dropping θ-free terms are judged up
to an additive constant. Sums over examples, parameters and classes are checked with m, d ≤ 4 and
K ≤ 6 terms, so each symbolic check takes well under a second.
"""
import numpy as np

from autograder.checks.diagnosis import Mismatch, expect, predict
from autograder.checks.numeric import show
from autograder.checks.symbolic import expect_expr
from autograder.reference import load
from autograder.sandbox import SreprText, StudentFault
from autograder.suites.plugin import points
from autograder.symbolic import SymbolTable, check_equivalent

from .mistakes import MISTAKES, SYMBOLIC

REF = load("mse_from_mle")
# Sums are evaluated term by term: few terms keep checks fast; k, c <= 3 <= K keeps class indices valid.
BOUNDS = {REF[n]: b for n, b in {"m": (1, 4), "d": (1, 4), "K": (3, 6), "k": (1, 3), "c": (1, 3)}.items()}
COMMON = {n: REF[n] for n in ("sigma", "m", "d", "K", "i", "j", "k", "c", "NLL", "theta", "z")}
ONE = SymbolTable({**COMMON, "y": REF["y"], "yhat": REF["yhat"]}, BOUNDS)    # y, yhat: one observation
DATA = SymbolTable({**COMMON, "y": REF["Y"], "yhat": REF["Yhat"]}, BOUNDS)   # y[i], yhat[i]: the data set

# The engine's budget is 1.5 s of CPU per check; the wall-clock cap only guards against a starved
# child, and on a busy grading machine (parallel jobs) its default of 5.5 s could cut off even the
# quick numeric verdict of a correct answer.
WALL_SECONDS = 30.0


# ----------------------------------------------------------------------------- helpers

def predictions(part, *args):
    """The reference's value of ``part`` on ``args`` and that of every named mistake that runs."""
    return predict(lambda ns: ns[part](*_copies(args)), REF, part, MISTAKES.get(part, {}))


def _copies(args):
    return [a.copy() if isinstance(a, np.ndarray) else a for a in args]


def check_value(student, part, *args, what):
    got = getattr(student, part)(*_copies(args))
    expected, wrong = predictions(part, *args)
    expect(got, expected, what=what, mistakes=wrong)


def expect_value_error(student, part, *args, what):
    """The docstring promises a ValueError; returning inf or raising something else is a mistake."""
    try:
        got = getattr(student, part)(*_copies(args))
    except StudentFault as fault:
        if fault.kind != "exception":
            raise
        if fault.error_type == "ValueError":
            return
        raise Mismatch(f"{what}: {fault}; expected a ValueError", diagnosis="no ValueError where q = 0 < p") from None
    raise Mismatch(f"{what}: returned {show(got)}; expected a ValueError (q = 0 where p > 0 makes it infinite)",
                   diagnosis="no ValueError where q = 0 < p")


def expect_formula(got, part, *, what, symbols, **options):
    """The engine's verdict on a symbolic answer; a wrong one equivalent to named mistakes is named.

    Up to an additive constant two mistakes can coincide (σ for σ² in the denominator, and σ taken
    as the variance); then both are named.
    """
    options.setdefault("wall_timeout", WALL_SECONDS)
    try:
        expect_expr(got, REF[part](), what=what, symbols=symbols, **options)
    except Mismatch as miss:
        names = _matching_mistakes(got, part, symbols, options) if miss.diagnosis != "unreadable" else []
        if not names:
            raise
        name = " or ".join(names)
        detail = str(miss).removeprefix(f"{what}: ")
        raise Mismatch(f"{what}: your answer matches {name}. {detail}", diagnosis=name) from None


def _matching_mistakes(got, part, symbols, options) -> list[str]:
    if not isinstance(got, SreprText):
        return []
    options = {k: v for k, v in options.items() if k != "form"}
    return [name for name, build in SYMBOLIC.get(part, {}).items()
            if check_equivalent(str(got), build(), symbols=symbols, answer_format="srepr", **options).correct]


def distributions(seed, count, *, low=2, high=8):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        k = int(rng.integers(low, high + 1))
        yield rng.dirichlet(np.full(k, 0.8)), rng.dirichlet(np.full(k, 0.8))


# ----------------------------------------------------------------------------- entropy (1 point)

@points(0.5, "entropy: random distributions")
def test_entropy_random(student):
    for p, _ in distributions(0, 4):
        check_value(student, "entropy", p, what=f"entropy(p) for p = {show(p)}")


@points(0.5, "entropy: outcomes with p = 0 contribute 0 (0·log 0 = 0)")
def test_entropy_zeros(student):
    for p in (np.array([0.0, 0.3, 0.7]), np.array([0.0, 1.0, 0.0, 0.0])):
        check_value(student, "entropy", p, what=f"entropy(p) for p = {show(p)}")


# ----------------------------------------------------------------------------- cross_entropy (1 point)

@points(0.5, "cross_entropy: random pairs of distributions")
def test_cross_entropy_random(student):
    for p, q in distributions(1, 4):
        check_value(student, "cross_entropy", p, q, what=f"cross_entropy(p, q) for p = {show(p)}, q = {show(q)}")


@points(0.25, "cross_entropy: outcomes with p = 0 are skipped")
def test_cross_entropy_zeros(student):
    p, q = np.array([0.0, 0.4, 0.6]), np.array([0.0, 0.25, 0.75])
    check_value(student, "cross_entropy", p, q, what=f"cross_entropy(p, q) for p = {show(p)}, q = {show(q)}")


@points(0.25, "cross_entropy: ValueError where q = 0 < p")
def test_cross_entropy_raises(student):
    p, q = np.array([0.5, 0.5, 0.0]), np.array([0.0, 0.2, 0.8])
    expect_value_error(student, "cross_entropy", p, q, what=f"cross_entropy(p, q) for p = {show(p)}, q = {show(q)}")


# ----------------------------------------------------------------------------- kl_divergence (2 points)

@points(1.0, "kl_divergence: random pairs of distributions, KL(p‖p) = 0")
def test_kl_random(student):
    for p, q in distributions(2, 4):
        check_value(student, "kl_divergence", p, q, what=f"kl_divergence(p, q) for p = {show(p)}, q = {show(q)}")
    check_value(student, "kl_divergence", p, p, what=f"kl_divergence(p, p) for p = {show(p)}")


@points(0.5, "kl_divergence: outcomes with p = 0 contribute 0")
def test_kl_zeros(student):
    for p, q in ((np.array([0.0, 0.5, 0.5]), np.array([0.2, 0.3, 0.5])),
                 (np.array([1.0, 0.0]), np.array([0.25, 0.75]))):
        check_value(student, "kl_divergence", p, q, what=f"kl_divergence(p, q) for p = {show(p)}, q = {show(q)}")


@points(0.5, "kl_divergence: ValueError where q = 0 < p")
def test_kl_raises(student):
    p, q = np.array([0.2, 0.8]), np.array([1.0, 0.0])
    expect_value_error(student, "kl_divergence", p, q, what=f"kl_divergence(p, q) for p = {show(p)}, q = {show(q)}")


# ----------------------------------------------------------------------------- nll (1 point)

def classifier_outputs(seed, n, k):
    rng = np.random.default_rng(seed)
    logits = 2 * rng.normal(size=(n, k))
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return probs, rng.integers(0, k, size=n)


@points(0.5, "nll: summed over a batch of examples")
def test_nll_batch(student):
    probs, labels = classifier_outputs(3, 6, 4)
    check_value(student, "nll", probs, labels, what=f"nll(probs, labels) for probs of shape (6, 4), labels = {labels}")


@points(0.5, "nll: one example, and every example of the same class")
def test_nll_small(student):
    probs, _ = classifier_outputs(4, 5, 3)
    check_value(student, "nll", probs[:1], np.array([2]), what=f"nll for one example, probs = {show(probs[:1])}, label 2")
    check_value(student, "nll", probs, np.full(5, 1), what="nll(probs, labels) for 5 examples all of class 1")


# ----------------------------------------------------------------------------- empirical_distribution (1 point)

@points(0.5, "empirical_distribution: frequencies, unobserved classes 0")
def test_empirical_small(student):
    samples = np.array([1, 3, 1, 1, 0])
    check_value(student, "empirical_distribution", samples, 6,
                what=f"empirical_distribution({samples.tolist()}, 6)")


@points(0.5, "empirical_distribution: a large sample")
def test_empirical_large(student):
    samples = np.random.default_rng(5).integers(0, 7, size=500)
    check_value(student, "empirical_distribution", samples, 7, what="empirical_distribution of 500 samples, K = 7")


# ----------------------------------------------------------------------------- mle_objectives (2 points)

def objectives_case(seed, n, k, count):
    rng = np.random.default_rng(seed)
    truth = rng.dirichlet(np.ones(k))
    samples = rng.choice(k, size=n, p=truth)
    return samples, rng.dirichlet(np.ones(k), size=count)


def check_objectives(student, samples, candidates, what):
    got = student.mle_objectives(samples.copy(), candidates.copy())
    expected, wrong = predictions("mle_objectives", samples, candidates)
    if not isinstance(got, dict) or set(got) != set(expected):
        raise Mismatch(f"{what}: returned {show(got)}, expected a dict with keys 'nll', 'cross_entropy', 'kl'")
    for key in ("nll", "cross_entropy", "kl"):
        expect(got[key], expected[key], what=f'{what}, entry "{key}"',
               mistakes={name: value[key] for name, value in wrong.items()})
    return got


@points(1.0, "mle_objectives: NLL, cross-entropy and KL of random candidates")
def test_objectives_values(student):
    samples, candidates = objectives_case(6, 40, 4, 8)
    check_objectives(student, samples, candidates, "mle_objectives for 40 samples and 8 candidates (K = 4)")


@points(1.0, "mle_objectives: one argmin for all three (NLL = N·CE, KL = CE - H(p_data))")
def test_objectives_argmin(student):
    samples, candidates = objectives_case(7, 300, 3, 30)
    p_data = np.bincount(samples, minlength=3) / len(samples)   # every class is observed: p_data > 0
    candidates = np.vstack([candidates[:15], p_data, candidates[15:]])
    got = check_objectives(student, samples, candidates,
                           "mle_objectives for 300 samples and 31 candidates (candidate 15 is p_data itself)")
    argmins = {key: int(np.argmin(got[key])) for key in got}
    if set(argmins.values()) != {15}:
        raise Mismatch(f"argmin over the candidates per objective: {argmins}; all three should be 15, "
                       "the empirical distribution")


# ----------------------------------------------------------------------------- gaussian_nll (2 points)

@points(1.0, "gaussian_nll: random targets, predictions and σ")
def test_gaussian_random(student):
    rng = np.random.default_rng(8)
    for sigma in (0.5, 1.7):
        targets, preds = rng.normal(size=6), rng.normal(size=6)
        check_value(student, "gaussian_nll", targets, preds, sigma,
                    what=f"gaussian_nll(y, y_hat, {sigma}) for y = {show(targets)}, y_hat = {show(preds)}")


@points(0.5, "gaussian_nll: perfect predictions leave the constant m·log(2πσ²)/2")
def test_gaussian_constant(student):
    targets = np.array([0.5, -1.0, 2.0])
    check_value(student, "gaussian_nll", targets, targets.copy(), 3.0,
                what=f"gaussian_nll(y, y, 3.0) for y = {show(targets)}")


@points(0.5, "gaussian_nll: one example")
def test_gaussian_one(student):
    check_value(student, "gaussian_nll", np.array([2.0]), np.array([0.5]), 0.8,
                what="gaussian_nll([2.0], [0.5], 0.8)")


# ----------------------------------------------------------------------------- symbolic parts

@points(1.0, "gaussian_nll_one: the θ-dependent term (y - ŷ)²/(2σ²)")
def test_nll_one_shape(student):
    expect_formula(student.gaussian_nll_one(), "gaussian_nll_one", symbols=ONE, variables=("y", "yhat"),
                   ignore_additive_constant=True, what="gaussian_nll_one(), up to terms free of y and ŷ")


@points(1.0, "gaussian_nll_one: the full NLL with its constant log(2πσ²)/2")
def test_nll_one_full(student):
    expect_formula(student.gaussian_nll_one(), "gaussian_nll_one", symbols=ONE, variables=("y", "yhat"),
                   what="gaussian_nll_one()")


@points(1.0, "gaussian_nll_sum: the squared residuals summed over 2σ²")
def test_nll_sum_shape(student):
    expect_formula(student.gaussian_nll_sum(), "gaussian_nll_sum", symbols=DATA, variables=("y", "yhat"),
                   ignore_additive_constant=True, what="gaussian_nll_sum(), up to terms free of y[i] and ŷ[i]")


@points(1.0, "gaussian_nll_sum: the full NLL of m examples, constant included")
def test_nll_sum_full(student):
    expect_formula(student.gaussian_nll_sum(), "gaussian_nll_sum", symbols=DATA, variables=("y", "yhat"),
                   what="gaussian_nll_sum()")


@points(2.0, "mse_objective: (1/m) Σ (y - ŷ)², with σ cancelled")
def test_mse_objective(student):
    expect_formula(student.mse_objective(), "mse_objective", symbols=DATA, variables=("y", "yhat"),
                   what="mse_objective()")


@points(2.0, "map_objective: NLL + Σθ²/(2σ²), up to θ-free terms")
def test_map_objective(student):
    expect_formula(student.map_objective(), "map_objective", symbols=ONE, variables=("NLL", "theta"),
                   ignore_additive_constant=True, what="map_objective(), up to terms free of NLL and θ")


@points(1.0, "l2_lambda: λ = 1/(2σ²)")
def test_l2_lambda(student):
    expect_formula(student.l2_lambda(), "l2_lambda", symbols=ONE, what="l2_lambda()")


@points(2.0, "softmax_ce_grad: p̂_k - [k = c]")
def test_softmax_ce_grad(student):
    expect_formula(student.softmax_ce_grad(), "softmax_ce_grad", symbols=ONE, what="softmax_ce_grad()")
