"""Hidden suite of the optimizers assignment.

Every update rule is judged on the parameters it produces, never on its private state: a first step
on many random cases (seeds and shapes), a trajectory on the slides' ill-conditioned quadratic with
the state carried in ``config`` from an empty config, the defaults, rule-specific cases, and no
mutation surprises: one call on the caller's own arrays must give the right step and leave the
gradient ``dw`` and the hyperparameters in ``config`` as they were (updating ``w`` or the state
arrays in place is allowed, as in CS231n's ``optim.py``). The reference and each named mistake of
``mistakes.py`` run through the same harness code as the student, so a wrong answer that matches a
mistake is named in the feedback; the harmless variants of ``mistakes.HARMLESS`` (ε inside the root,
heavy-ball bookkeeping, folded step size, PyTorch's Nesterov buffer, in-place updates) pass by
construction of the tolerances (see the tests in ``tests/autograder``).
"""
import numpy as np

from autograder.checks.diagnosis import Mismatch, expect, predict
from autograder.checks.numeric import close, show
from autograder.reference import load
from autograder.sandbox.inside.harness import optimizers as harness
from autograder.suites.plugin import points

from .mistakes import MISTAKES, changes_hyperparameters, modifies_dw

REF = load("optimizers")
START = np.array([-5.0, -7.5])  # the slides' starting point on the quadratic
SHAPES = [(3,), (4, 5), (2, 3, 2)]
# the first-step checks: ten random cases, seed and shape each
FIRST_STEP_SHAPES = [(3,), (4, 5), (2, 3, 2), (1,), (6, 1), (2, 2), (7,), (3, 1, 2), (5, 3), (1, 4)]


def predictions(run, part):
    """``run(ns)`` for the reference and for every named mistake of ``part`` that runs."""
    return predict(run, REF, part, MISTAKES.get(part, {}))


def random_steps(seed, steps, shape):
    """A start with |w| in [1, 3] and gradients with |g| in [0.5, 2], random signs: no coordinate
    passes near 0 and no gradient is tiny, so the harmless ε differences (inside or outside the
    root, Kingma & Ba's ε̂) stay far below the tolerance while every real mistake is far above it."""
    rng = np.random.default_rng(seed)

    def draw(low, high):
        return rng.uniform(low, high, size=shape) * rng.choice([-1.0, 1.0], size=shape)
    return draw(1, 3), [draw(0.5, 2) for _ in range(steps)]


def check_steps(student, part, config, *, seed, steps, shape, what):
    w0, grads = random_steps(seed, steps, shape)
    got = student.harness("trajectory", part, w0, grads, config)
    expected, wrong = predictions(lambda ns: harness.trajectory(ns, part, w0, grads, _copy(config)), part)
    expect(got, expected, what=what, mistakes=wrong)


def check_first_steps(student, part, config, *, seed, what):
    """One step from a config without state, on each of the ten random cases."""
    for i, shape in enumerate(FIRST_STEP_SHAPES):
        check_steps(student, part, config, seed=seed + i, steps=1, shape=shape,
                    what=f"{what} (random case {i + 1} of {len(FIRST_STEP_SHAPES)}, shape {shape})")


def check_no_side_effects(student, part, config, *, seed):
    """One call as a training loop makes it, on the caller's own arrays: the step must be right, the
    gradient ``dw`` untouched (the caller may still clip, log or reuse it) and the hyperparameters in
    the returned config those given. Changing ``w`` in place is allowed (callers use the returned
    array), as is updating the state arrays in ``config``."""
    for i, shape in enumerate(SHAPES):
        w, (dw,) = random_steps(seed + i, 1, shape)
        what = f"{part}(w, dw, config) on shape {shape} with config {config}"
        value, modified = student.mutated(part, w.copy(), dw.copy(), dict(config))
        if not isinstance(value, (list, tuple)) or len(value) != 2:
            raise Mismatch(f"{what}: expected (next_w, config), got {show(value)}")
        expected, wrong = predictions(lambda ns: ns[part](w.copy(), dw.copy(), dict(config))[0], part)
        expect(value[0], expected, what=f"{what}: next_w", mistakes=wrong)
        if 1 in modified:
            raise Mismatch(f"{what}: your {part} changed the caller's gradient dw in place (an operation such as "
                           "dw *= ... or dw /= ... on the argument). The caller may still need dw (to clip or "
                           "log it, or for another optimizer): compute into a new array instead, e.g. "
                           "step = learning_rate * dw. Updating w in place is fine.", diagnosis=modifies_dw(part))
        returned = value[1]
        if not isinstance(returned, dict):
            raise Mismatch(f"{what}: returned {show(returned)} as config, expected the config dict")
        for key, given in config.items():
            if key not in returned:
                raise Mismatch(f"{what}: the config it returns has no {key!r}; keep the hyperparameters in config "
                               "(the caller passes it back in at the next step)",
                               diagnosis=changes_hyperparameters(part))
            if not close(returned[key], given, rtol=1e-12, atol=0.0):
                raise Mismatch(f"{what}: the config it returns has {key} = {show(returned[key])} instead of the "
                               f"{show(given)} it was given. An update rule reads its hyperparameters and never "
                               "changes them: they are the caller's settings (a learning-rate schedule, for "
                               "instance, is the caller's business).", diagnosis=changes_hyperparameters(part))


def check_quadratic(student, part, config, *, steps, what, w0=START):
    got = student.harness("quadratic_trajectory", part, w0, steps, config)
    expected, wrong = predictions(lambda ns: harness.quadratic_trajectory(ns, part, w0, steps, _copy(config)),
                                  part)
    expect(got, expected, what=what, mistakes=wrong, plot=True)


def _copy(config):
    return None if config is None else dict(config)


UPDATE_RULES = {  # part: hyperparameters for the quadratic that make every rule move visibly
    "sgd": {"learning_rate": 1.0},
    "sgd_momentum": {"learning_rate": 0.5, "momentum": 0.8},
    "nesterov": {"learning_rate": 0.5, "momentum": 0.8},
    "adagrad": {"learning_rate": 1.5},
    "rmsprop": {"learning_rate": 0.3, "decay_rate": 0.9},
    "adam": {"learning_rate": 0.5, "beta1": 0.8, "beta2": 0.95},
    "adamw": {"learning_rate": 0.5, "beta1": 0.8, "beta2": 0.95, "weight_decay": 0.1},
}


SIDE_EFFECT_CONFIGS = {  # part: every hyperparameter of the rule, given explicitly
    "sgd": {"learning_rate": 0.2},
    "sgd_momentum": {"learning_rate": 0.1, "momentum": 0.8},
    "nesterov": {"learning_rate": 0.1, "momentum": 0.8},
    "adagrad": {"learning_rate": 0.1, "epsilon": 1e-8},
    "rmsprop": {"learning_rate": 0.01, "decay_rate": 0.9, "epsilon": 1e-8},
    "adam": {"learning_rate": 0.1, "beta1": 0.8, "beta2": 0.95, "epsilon": 1e-8},
    "adamw": {"learning_rate": 0.1, "beta1": 0.8, "beta2": 0.95, "epsilon": 1e-8, "weight_decay": 0.3},
}


# ----------------------------------------------------------------------------- sgd (1 point)

@points(0.25, "sgd: one step on many random cases (seeds and shapes)")
def test_sgd_step(student):
    check_first_steps(student, "sgd", {"learning_rate": 0.3}, seed=0, what="sgd, one step with learning_rate 0.3")


@points(0.5, "sgd: 10 steps on the quadratic, and the default learning rate")
def test_sgd_quadratic(student):
    check_quadratic(student, "sgd", UPDATE_RULES["sgd"], steps=10, what="sgd on the quadratic from (-5, -7.5)")
    check_steps(student, "sgd", None, seed=7, steps=2, shape=(3,), what="sgd with config=None (defaults)")


@points(0.25, "sgd: leaves the gradient dw and the hyperparameters unchanged")
def test_sgd_side_effects(student):
    check_no_side_effects(student, "sgd", SIDE_EFFECT_CONFIGS["sgd"], seed=100)


# ----------------------------------------------------- momentum, Nesterov, AdaGrad, RMSprop (2 each)

@points(0.25, "sgd_momentum: first step from zero velocity, many random cases")
def test_momentum_first_step(student):
    check_first_steps(student, "sgd_momentum", {"learning_rate": 0.1, "momentum": 0.7}, seed=200,
                      what="sgd_momentum, first step")


@points(1.0, "sgd_momentum: velocity carried across 15 steps")
def test_momentum_trajectory(student):
    check_quadratic(student, "sgd_momentum", UPDATE_RULES["sgd_momentum"], steps=15,
                    what="sgd_momentum on the quadratic (state kept in config between calls)")


@points(0.5, "sgd_momentum: defaults (learning_rate 1e-2, momentum 0.9)")
def test_momentum_defaults(student):
    check_steps(student, "sgd_momentum", None, seed=13, steps=4, shape=(4,),
                what="sgd_momentum, 4 steps with config=None")


@points(0.25, "sgd_momentum: leaves the gradient dw and the hyperparameters unchanged")
def test_momentum_side_effects(student):
    check_no_side_effects(student, "sgd_momentum", SIDE_EFFECT_CONFIGS["sgd_momentum"], seed=110)


@points(0.25, "nesterov: first step from zero velocity, many random cases")
def test_nesterov_first_step(student):
    check_first_steps(student, "nesterov", {"learning_rate": 0.1, "momentum": 0.7}, seed=300,
                      what="nesterov, first step")


@points(1.0, "nesterov: shifted-parameter trajectory over 15 steps")
def test_nesterov_trajectory(student):
    check_quadratic(student, "nesterov", UPDATE_RULES["nesterov"], steps=15,
                    what="nesterov (shifted parameters θ̂) on the quadratic")


@points(0.5, "nesterov: random gradients and the defaults")
def test_nesterov_random(student):
    check_steps(student, "nesterov", {"learning_rate": 0.05, "momentum": 0.9}, seed=23, steps=6, shape=(2, 3),
                what="nesterov, 6 steps on random gradients")
    check_steps(student, "nesterov", None, seed=24, steps=3, shape=(3,), what="nesterov with config=None")


@points(0.25, "nesterov: leaves the gradient dw and the hyperparameters unchanged")
def test_nesterov_side_effects(student):
    check_no_side_effects(student, "nesterov", SIDE_EFFECT_CONFIGS["nesterov"], seed=120)


def check_lookahead(student, config, *, steps, what, w0=START, plot=True):
    got = student.harness("lookahead_trajectory", w0, steps, config)
    expected, wrong = predictions(lambda ns: harness.lookahead_trajectory(ns, w0, steps, _copy(config)),
                                  "nesterov_lookahead")
    expect(got, expected, what=what, mistakes=wrong, plot=plot)


@points(0.5, "nesterov_lookahead: first step, gradient at the look-ahead point")
def test_lookahead_first_steps(student):
    check_lookahead(student, {"learning_rate": 0.5, "momentum": 0.8}, steps=2, plot=False,
                    what="nesterov_lookahead, first two steps on the quadratic")


@points(1.0, "nesterov_lookahead: trajectory over 15 steps")
def test_lookahead_trajectory(student):
    check_lookahead(student, {"learning_rate": 0.5, "momentum": 0.8}, steps=15,
                    what="nesterov_lookahead on the quadratic")


@points(0.5, "nesterov_lookahead: defaults")
def test_lookahead_defaults(student):
    check_lookahead(student, None, steps=5, plot=False, what="nesterov_lookahead with config=None")


@points(0.25, "adagrad: first step moves every coordinate by about the learning rate, many random cases")
def test_adagrad_first_step(student):
    check_first_steps(student, "adagrad", {"learning_rate": 0.1}, seed=400, what="adagrad, first step")


@points(0.25, "adagrad: leaves the gradient dw and the hyperparameters unchanged")
def test_adagrad_side_effects(student):
    check_no_side_effects(student, "adagrad", SIDE_EFFECT_CONFIGS["adagrad"], seed=130)


@points(1.0, "adagrad: cache accumulated over 15 steps")
def test_adagrad_trajectory(student):
    check_quadratic(student, "adagrad", UPDATE_RULES["adagrad"], steps=15, what="adagrad on the quadratic")


@points(0.5, "adagrad: zero gradients and the defaults")
def test_adagrad_zero_gradient(student):
    w0 = np.array([1.0, -2.0, 3.0])
    grads = [np.array([0.0, 1.0, 0.0]), np.array([0.0, -2.0, 1.0])]
    got = student.harness("trajectory", "adagrad", w0, grads, None)
    expected, wrong = predictions(lambda ns: harness.trajectory(ns, "adagrad", w0, grads), "adagrad")
    expect(got, expected, what="adagrad with a coordinate whose gradient is 0 (config=None)", mistakes=wrong)


@points(0.25, "rmsprop: first step, many random cases")
def test_rmsprop_first_step(student):
    check_first_steps(student, "rmsprop", {"learning_rate": 0.01, "decay_rate": 0.9}, seed=500,
                      what="rmsprop, first step")


@points(0.25, "rmsprop: leaves the gradient dw and the hyperparameters unchanged")
def test_rmsprop_side_effects(student):
    check_no_side_effects(student, "rmsprop", SIDE_EFFECT_CONFIGS["rmsprop"], seed=140)


@points(1.0, "rmsprop: moving average carried over 15 steps")
def test_rmsprop_trajectory(student):
    check_quadratic(student, "rmsprop", UPDATE_RULES["rmsprop"], steps=15, what="rmsprop on the quadratic")


@points(0.5, "rmsprop: defaults (decay_rate 0.99)")
def test_rmsprop_defaults(student):
    check_steps(student, "rmsprop", None, seed=43, steps=5, shape=(3,), what="rmsprop, 5 steps with config=None")


# ----------------------------------------------------------------------------- adam (3 points)

@points(0.5, "adam: bias correction at t=1, many random cases")
def test_adam_first_step(student):
    check_first_steps(student, "adam", {"learning_rate": 0.1}, seed=600,
                      what="adam, first step (should move each coordinate by ≈ learning_rate)")


@points(0.25, "adam: leaves the gradient dw and the hyperparameters unchanged")
def test_adam_side_effects(student):
    check_no_side_effects(student, "adam", SIDE_EFFECT_CONFIGS["adam"], seed=150)


@points(1.25, "adam: t incremented before use, moments carried over 20 steps")
def test_adam_trajectory(student):
    check_quadratic(student, "adam", UPDATE_RULES["adam"], steps=20, what="adam on the quadratic")
    check_steps(student, "adam", {"learning_rate": 0.01, "beta1": 0.5, "beta2": 0.7}, seed=53, steps=8,
                shape=(2, 2), what="adam, 8 steps on random gradients (beta1 0.5, beta2 0.7)")


@points(0.5, "adam: defaults (1e-3, 0.9, 0.999, 1e-8)")
def test_adam_defaults(student):
    check_steps(student, "adam", None, seed=54, steps=5, shape=(3,), what="adam, 5 steps with config=None")


@points(0.5, "adam: zero gradients leave w unchanged")
def test_adam_zero_gradient(student):
    w0 = np.array([[1.0, -2.0], [0.5, 3.0]])
    grads = [np.zeros((2, 2))] * 2 + [np.array([[0.0, 1.0], [0.0, -1.0]])]
    got = student.harness("trajectory", "adam", w0, grads, {"learning_rate": 0.1})
    expected, wrong = predictions(lambda ns: harness.trajectory(ns, "adam", w0, grads, {"learning_rate": 0.1}),
                                  "adam")
    expect(got, expected, what="adam with zero gradients (no NaN, no movement where g = 0)", mistakes=wrong)


# ----------------------------------------------------------------------------- adamw (2 points)

@points(0.5, "adamw: zero gradient shrinks w by (1 - learning_rate * weight_decay)")
def test_adamw_pure_decay(student):
    config = {"learning_rate": 0.1, "weight_decay": 0.5}
    w0, grads = np.array([2.0, -4.0, 1.0]), [np.zeros(3)] * 3
    got = student.harness("trajectory", "adamw", w0, grads, config)
    expected, wrong = predictions(lambda ns: harness.trajectory(ns, "adamw", w0, grads, dict(config)), "adamw")
    expect(got, expected, what="adamw with dw = 0 (each step multiplies w by 0.95)", mistakes=wrong)


@points(1.0, "adamw: decoupled weight decay over 20 steps")
def test_adamw_trajectory(student):
    check_quadratic(student, "adamw", UPDATE_RULES["adamw"], steps=20, what="adamw on the quadratic")
    check_steps(student, "adamw", {"learning_rate": 0.05, "weight_decay": 0.3}, seed=60, steps=6, shape=(4,),
                what="adamw, 6 steps on random gradients (weight_decay 0.3)")


@points(0.25, "adamw: defaults (weight_decay 1e-2 on top of adam's)")
def test_adamw_defaults(student):
    check_steps(student, "adamw", None, seed=61, steps=4, shape=(3,), what="adamw, 4 steps with config=None")


@points(0.25, "adamw: leaves the gradient dw and the hyperparameters unchanged")
def test_adamw_side_effects(student):
    check_no_side_effects(student, "adamw", SIDE_EFFECT_CONFIGS["adamw"], seed=160)


# ----------------------------------------------------------------------------- clipping (2 points)

def check_clip(student, grads, max_norm, what):
    got_clipped, got_norm, modified = student.harness("clip", grads, max_norm)
    expected, wrong = predictions(lambda ns: harness.clip(ns, grads, max_norm)[:2], "clip_grad_norm")
    wrong_clipped = {name: value[0] for name, value in wrong.items()}
    expect(list(got_clipped), expected[0], what=f"{what}: the clipped gradients", mistakes=wrong_clipped,
           step_name="array")
    wrong_norm = {name: value[1] for name, value in wrong.items()}
    expect(got_norm, expected[1], what=f"{what}: the returned total norm", mistakes=wrong_norm)
    if modified:
        raise Mismatch(f"{what}: the input gradient arrays were modified; return new arrays instead",
                       diagnosis="inputs modified")


def random_grads(seed, scale):
    rng = np.random.default_rng(seed)
    return [scale * rng.normal(size=s) for s in [(3, 4), (4,), (4, 2), (2,)]]


@points(1.0, "clip_grad_norm: rescales all arrays by their global norm")
def test_clip_global(student):
    check_clip(student, random_grads(70, 3.0), 1.0, "clip_grad_norm of 4 arrays with global norm ≈ 14, max_norm 1")
    check_clip(student, [np.array([3.0]), np.array([[4.0]])], 1.0, "clip_grad_norm([3], [[4]]) with max_norm 1")


@points(0.5, "clip_grad_norm: leaves gradients below the threshold unchanged")
def test_clip_below(student):
    check_clip(student, random_grads(71, 0.1), 5.0, "clip_grad_norm with norm below max_norm 5")


@points(0.5, "clip_grad_norm: zero gradients and inputs not modified")
def test_clip_zero(student):
    check_clip(student, [np.zeros(3), np.zeros((2, 2))], 1.0, "clip_grad_norm of all-zero gradients")
    check_clip(student, random_grads(72, 2.0), 0.5, "clip_grad_norm with max_norm 0.5")
