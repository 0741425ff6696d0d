"""The diagnosis library of the optimizers suite against the reference notebook: every HARMLESS
variant follows the reference's w trajectory, every MISTAKE leaves it within 5 steps, no two
mistakes of a function coincide (so "matches …" names one), and every SIDE_EFFECTS variant takes the
reference's first step while changing the caller's dw or a hyperparameter."""
import itertools
from pathlib import Path

import numpy as np
import pytest

from autograder.reference import load

from autograder.suites.optimizers.mistakes import HARMLESS, MISTAKES, SIDE_EFFECTS, modifies_dw

NOTEBOOK = Path(__file__).resolve().parents[2] / "solutions" / "optimizers" / "optimizers.ipynb"
FUNCTIONS = ["sgd", "sgd_momentum", "nesterov", "nesterov_lookahead", "adagrad", "rmsprop", "adam", "adamw",
             "clip_grad_norm"]

# Hyperparameters large enough that a mistake shows within 5 steps; w and dw bounded away from zero,
# so that ε inside the root (O(ε/|g|)) and relative errors near w = 0 stay out of the way.
HYPER = {
    "sgd": {"learning_rate": 0.05},
    "sgd_momentum": {"learning_rate": 0.05, "momentum": 0.8},
    "nesterov": {"learning_rate": 0.05, "momentum": 0.8},
    "nesterov_lookahead": {"learning_rate": 0.05, "momentum": 0.8},
    "adagrad": {"learning_rate": 0.1},
    "rmsprop": {"learning_rate": 0.05, "decay_rate": 0.9},
    "adam": {"learning_rate": 0.05},
    "adamw": {"learning_rate": 0.1, "weight_decay": 0.5},
}
HARMLESS_TOL, MISTAKE_TOL = 1e-6, 1e-3
SEEDS = [0, 1, 2]




@pytest.fixture(scope="module")
def reference():
    return load("optimizers")


def rel_error(x, y):
    """CS231n's relative error with its 1e-8 floor; NaN/inf count as equal only where both have them."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    finite = np.isfinite(x) & np.isfinite(y)
    if not np.array_equal(x[~finite], y[~finite], equal_nan=True):
        return float("inf")
    if not finite.any():
        return 0.0
    return float(np.max(np.abs(x - y)[finite] / np.maximum(1e-8, np.abs(x) + np.abs(y))[finite]))


def away_from_zero(rng, shape, low, high):
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(low, high, size=shape)


def trajectory(fn, name, seed, steps):
    """The outputs of `steps` calls from a config holding hyperparameters only (no state), each call
    on fresh copies, the config carried across calls. For clip_grad_norm, `steps` independent cases."""
    rng = np.random.default_rng(seed)
    if name == "clip_grad_norm":
        out = []
        for case in range(steps):
            grads = [rng.standard_normal(shape) for shape in [(3, 4), (4,), (2, 2, 2)]]
            norm = np.sqrt(sum(np.sum(g**2) for g in grads))
            max_norm = norm * [0.3, 2.0, 0.7, 1.5, 0.1][case % 5]    # clipped and unclipped cases
            clipped, total_norm = fn([g.copy() for g in grads], max_norm)
            out.append(np.concatenate([np.ravel(c) for c in clipped] + [[total_norm]]))
        return out
    w = away_from_zero(rng, (4, 5), 1.0, 2.0)
    config = dict(HYPER[name])
    if name == "nesterov_lookahead":
        q, _ = np.linalg.qr(rng.standard_normal((20, 20)))
        a, b = q @ np.diag(rng.uniform(0.5, 2.0, 20)) @ q.T, rng.standard_normal(20)
        grad_fn = lambda x: (a @ x.ravel() + b).reshape(x.shape)
        inputs = [grad_fn] * steps
    else:
        inputs = [away_from_zero(rng, w.shape, 0.5, 1.5) for _ in range(steps)]
    out = []
    for arg in inputs:
        w, config = fn(w.copy(), arg if callable(arg) else arg.copy(), config)
        out.append(np.array(w, dtype=float))
    return out


def max_rel_error(got, expected):
    return max(rel_error(g, e) for g, e in zip(got, expected))


def test_every_function_has_mistakes():
    assert set(MISTAKES) == set(FUNCTIONS) and set(HARMLESS) <= set(FUNCTIONS)
    for name in FUNCTIONS:
        assert len(MISTAKES[name]) >= 2, name
        assert not set(MISTAKES[name]) & set(HARMLESS.get(name, {})), name


HARMLESS_CASES = [(name, variant) for name in FUNCTIONS for variant in HARMLESS.get(name, {})]
MISTAKE_CASES = [(name, variant) for name in FUNCTIONS for variant in MISTAKES[name]]


@pytest.mark.parametrize("name, variant", HARMLESS_CASES)
@pytest.mark.parametrize("seed", SEEDS)
def test_harmless_variant_follows_the_reference(reference, name, variant, seed):
    expected = trajectory(reference[name], name, seed, steps=10)
    got = trajectory(HARMLESS[name][variant], name, seed, steps=10)
    err = max_rel_error(got, expected)
    assert err < HARMLESS_TOL, f"{variant}: rel_error {err:.2e} from the reference over 10 steps"


@pytest.mark.parametrize("name, variant", MISTAKE_CASES)
@pytest.mark.parametrize("seed", SEEDS)
def test_mistake_leaves_the_reference_within_5_steps(reference, name, variant, seed):
    expected = trajectory(reference[name], name, seed, steps=5)
    got = trajectory(MISTAKES[name][variant], name, seed, steps=5)
    err = max_rel_error(got, expected)
    assert err > MISTAKE_TOL, f"{variant}: indistinguishable from the reference (rel_error {err:.2e})"


@pytest.mark.parametrize("name", FUNCTIONS)
def test_mistakes_are_distinguishable_from_each_other(name):
    runs = {variant: trajectory(fn, name, 0, steps=5) for variant, fn in MISTAKES[name].items()}
    for (a, ta), (b, tb) in itertools.combinations(runs.items(), 2):
        assert max_rel_error(ta, tb) > MISTAKE_TOL, f"{name}: '{a}' and '{b}' give the same outputs"


@pytest.mark.parametrize("name, variant", MISTAKE_CASES + HARMLESS_CASES)
def test_variant_keeps_the_contract(reference, name, variant):
    """Same call shape as the reference: defaults filled in from None, outputs of w's shape."""
    fn = {**MISTAKES[name], **HARMLESS.get(name, {})}[variant]
    if name == "clip_grad_norm":
        clipped, total_norm = fn([np.ones((2, 3)), np.ones(4)], 1.0)
        assert [c.shape for c in clipped] == [(2, 3), (4,)] and np.isscalar(total_norm)
        return
    w = np.linspace(1.0, 2.0, 6).reshape(2, 3)
    arg = (lambda x: 2 * x) if name == "nesterov_lookahead" else np.full((2, 3), 0.5)
    next_w, config = fn(w.copy(), arg, None)
    _, ref_config = reference[name](w.copy(), arg, None)
    assert np.shape(next_w) == w.shape
    hyper = {k: v for k, v in ref_config.items() if np.isscalar(v) and k != "t"}
    assert {k: config[k] for k in hyper} == hyper, f"{variant}: defaults differ from the reference"


SIDE_EFFECT_CASES = [(name, variant) for name in FUNCTIONS for variant in SIDE_EFFECTS.get(name, {})]


@pytest.mark.parametrize("name, variant", SIDE_EFFECT_CASES)
@pytest.mark.parametrize("seed", SEEDS)
def test_side_effect_variant_has_the_right_values_and_the_wrong_manners(reference, name, variant, seed):
    fn = SIDE_EFFECTS[name][variant]
    rng = np.random.default_rng(seed)
    w, dw = away_from_zero(rng, (4, 5), 1.0, 2.0), away_from_zero(rng, (4, 5), 0.5, 1.5)
    expected, _ = reference[name](w.copy(), dw.copy(), dict(HYPER[name]))
    caller_dw, config = dw.copy(), dict(HYPER[name])
    next_w, config = fn(w.copy(), caller_dw, config)
    assert rel_error(next_w, expected) < HARMLESS_TOL  # the first step is right
    if variant == modifies_dw(name):
        assert not np.array_equal(caller_dw, dw)
        got = trajectory(fn, name, seed, steps=10)  # each call on its own copy of dw: the reference's path
        assert max_rel_error(got, trajectory(reference[name], name, seed, steps=10)) < HARMLESS_TOL
    else:
        assert np.array_equal(caller_dw, dw)
        assert any(config[key] != value for key, value in HYPER[name].items())
