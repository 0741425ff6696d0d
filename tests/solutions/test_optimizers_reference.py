"""The reference optimizers of solutions/optimizers/optimizers.ipynb against numbers nobody on this
project computed: CS231n's published fixtures, d2l.ai's printed trajectories, deeplearning.ai's
expected outputs, trajectories recorded from torch.optim (SGD with momentum and Nesterov, Adagrad,
RMSprop, Adam, AdamW) and clip_grad_norm_, and the worked GD table of seed 001; plus algebraic
identities (Nesterov's two forms, AdamW's decay, clipping by hand)."""
from pathlib import Path

import nbformat
import numpy as np
import pytest
import sympy

from autograder.reference import load
from published import CS231N, EXTERNAL, PYTORCH

NOTEBOOK = Path(__file__).resolve().parents[2] / "solutions" / "optimizers" / "optimizers.ipynb"

# Expected values in the reference files are printed to 8 significant digits.
PRINTED_TOL = 1e-6




@pytest.fixture(scope="module")
def opt():
    return load("optimizers")


def rel_error(x, y):
    """CS231n's relative error, with its 1e-8 floor in the denominator."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))


def assert_close(name, got, expected, tol=PRINTED_TOL):
    err = rel_error(got, expected)
    assert err < tol, f"{name}: rel_error {err:.2e} >= {tol:.0e}\ngot      {np.asarray(got)}\nexpected {np.asarray(expected)}"


def test_notebook_has_nbgrader_cells():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    ids = {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if "nbgrader" in c.metadata}
    names = ["sgd", "sgd_momentum", "nesterov", "nesterov_lookahead", "adagrad", "rmsprop", "adam", "adamw",
             "clip_grad_norm"]
    assert "setup" in ids
    for name in names:
        sol, test = ids[name].source, ids[f"{name}_tests"]
        assert ids[name].metadata["nbgrader"]["solution"], name
        # the signature and docstring stay outside the markers so the student release keeps them
        assert sol.index(f"def {name}(") < sol.index('"""') < sol.index("### BEGIN SOLUTION") < sol.index("### END SOLUTION")
        assert sol.split("### END SOLUTION")[1].strip().startswith("return "), f"{name}: return outside the markers"
        assert test.metadata["nbgrader"]["grade"] and test.metadata["nbgrader"]["points"] > 0, name


# ---------------------------------------------------------------- CS231n / CS182 fixtures

def test_sgd_momentum_cs231n(opt):
    fx = CS231N["sgd_momentum"]
    config = {"learning_rate": fx["config"]["learning_rate"], "velocity": np.array(fx["velocity_in"])}
    next_w, config = opt["sgd_momentum"](np.array(fx["w"]), np.array(fx["dw"]), config)
    assert config["momentum"] == fx["config"]["momentum_default"]
    assert_close("next_w", next_w, fx["expected_next_w"])
    assert_close("velocity", config["velocity"], fx["expected_velocity"])


def test_sgd_momentum_cs182_heavy_ball(opt):
    # CS182 keeps a heavy-ball buffer b <- mu*b + dw; w <- w - lr*b. Our velocity is -lr*b.
    fx = CS231N["cs182_variant"]["sgd_momentum"]
    w = np.linspace(-0.4, 0.6, 20).reshape(4, 5)
    dw = np.linspace(0.5, 1.5, 20).reshape(4, 5)
    b_in = np.linspace(0.6, 0.9, 20).reshape(4, 5)
    lr = fx["learning_rate"]
    config = {"learning_rate": lr, "momentum": fx["momentum"], "velocity": -lr * b_in}
    next_w, config = opt["sgd_momentum"](w, dw, config)
    assert_close("next_w", next_w, fx["expected_next_w"])
    assert_close("velocity as heavy-ball buffer", -config["velocity"] / lr, fx["expected_velocity"])


def test_rmsprop_cs231n(opt):
    fx = CS231N["rmsprop"]
    config = {"learning_rate": fx["config"]["learning_rate"], "cache": np.array(fx["cache_in"])}
    next_w, config = opt["rmsprop"](np.array(fx["w"]), np.array(fx["dw"]), config)
    assert config["decay_rate"] == fx["config"]["decay_rate_default"]
    assert config["epsilon"] == fx["config"]["epsilon_default"]
    assert_close("next_w", next_w, fx["expected_next_w"])
    assert_close("cache", config["cache"], fx["expected_cache"])


def test_adam_cs231n(opt):
    fx = CS231N["adam"]
    config = {"learning_rate": fx["config"]["learning_rate"], "m": np.array(fx["m_in"]),
              "v": np.array(fx["v_in"]), "t": fx["config"]["t_in"]}
    next_w, config = opt["adam"](np.array(fx["w"]), np.array(fx["dw"]), config)
    assert config["t"] == fx["config"]["t_in"] + 1  # incremented before the bias correction
    assert (config["beta1"], config["beta2"], config["epsilon"]) == (
        fx["config"]["beta1_default"], fx["config"]["beta2_default"], fx["config"]["epsilon_default"])
    assert_close("next_w", next_w, fx["expected_next_w"])
    assert_close("m", config["m"], fx["expected_m"])
    assert_close("v", config["v"], fx["expected_v"])


# ---------------------------------------------------------------- d2l.ai trajectories

# d2l.train_2d, which every 2-D d2l example uses: start at (-5, -2), 20 steps, print the end point.
D2L_TRAIN_2D_START, D2L_TRAIN_2D_STEPS = (-5.0, -2.0), 20


def d2l_printed(entry):
    """'epoch 20, x1: -0.057646, x2: -0.000073' -> (20, [-0.057646, -0.000073]): d2l's own output."""
    epoch, *coords = entry["printed"].split(", ")
    assert epoch.startswith("epoch "), entry["printed"]
    return int(epoch.removeprefix("epoch ")), [float(c.split(": ")[1]) for c in coords]


def gd_from_formula(sgd, f, variables, x0, eta, steps):
    """Plain GD on the entry's own formula (gradient by sympy), through the reference sgd."""
    symbols = sympy.symbols(variables)
    expr = sympy.sympify(f, locals=dict(zip(variables, symbols)))
    assert expr.free_symbols <= set(symbols), f
    grad = sympy.lambdify([symbols], [sympy.diff(expr, s) for s in symbols], "numpy")
    x, config = np.array(x0, dtype=float), {"learning_rate": eta}
    trajectory = [x.copy()]
    for _ in range(steps):
        x, config = sgd(x, np.array(grad(x), dtype=float), config)
        trajectory.append(np.array(x, copy=True))
    assert config["learning_rate"] == eta
    return np.array(trajectory)


def test_gd_1d_d2l(opt):
    # d2l gd(eta=0.2) on f = x^2 from x = 10: every iterate of the printed trajectory.
    ref = EXTERNAL["d2l"]["gd_1d"]
    epochs, (printed_x,) = d2l_printed(ref)
    assert epochs == ref["steps"] == len(ref["trajectory"]) - 1
    got = gd_from_formula(opt["sgd"], ref["f"], ["x"], [ref["x0"]], ref["eta"], ref["steps"])[:, 0]
    np.testing.assert_allclose(got, ref["trajectory"], rtol=PRINTED_TOL, atol=0)
    assert abs(got[-1] - printed_x) <= 5e-7  # d2l prints 6 decimals


@pytest.mark.parametrize("name", ["gd_2d", "gd_illcond"])
def test_gd_2d_d2l(opt, name):
    # gd_2d: f = x1^2 + 2 x2^2, eta = 0.1; gd_illcond: f = 0.1 x1^2 + 2 x2^2, eta = 0.4. Both come from
    # d2l.train_2d; gd_illcond's entry omits x0 and steps, so they are train_2d's, and the epoch count
    # comes from d2l's printed line.
    ref = EXTERNAL["d2l"][name]
    epochs, printed_x = d2l_printed(ref)
    assert tuple(ref.get("x0", D2L_TRAIN_2D_START)) == D2L_TRAIN_2D_START
    assert ref.get("steps", epochs) == epochs == D2L_TRAIN_2D_STEPS
    got = gd_from_formula(opt["sgd"], ref["f"], ["x1", "x2"], D2L_TRAIN_2D_START, ref["eta"], epochs)[-1]
    np.testing.assert_allclose(got, ref["final"], rtol=PRINTED_TOL, atol=0)
    np.testing.assert_allclose(got, printed_x, rtol=0, atol=5e-7)  # d2l prints 6 decimals


def d2l_run(update, config, steps=20, eps_inside=None, cache_rule=None):
    """d2l.train_2d on f = 0.1 x1^2 + 2 x2^2 from (-5, -2).

    d2l divides by sqrt(s + eps); ours by sqrt(s) + eps. With eps_inside set, each step passes
    epsilon = sqrt(s_new + eps_inside) - sqrt(s_new), which makes the two rules identical; s_new is
    recomputed here from the cache the optimizer returned, so a wrong cache still fails the test.
    """
    x = np.array([-5.0, -2.0])
    for _ in range(steps):
        g = np.array([0.2 * x[0], 4.0 * x[1]])
        if eps_inside is not None:
            s_new = cache_rule(config.get("cache", np.zeros(2)), g)
            config["epsilon"] = np.sqrt(s_new + eps_inside) - np.sqrt(s_new)
        x, config = update(x, g, config)
    return x


@pytest.mark.parametrize("case", range(2))
def test_momentum_d2l(opt, case):
    # d2l is heavy-ball (v <- beta v + g; x <- x - eta v): the same trajectory as ours with mu = beta.
    c = EXTERNAL["d2l"]["momentum"]["cases"][case]
    got = d2l_run(opt["sgd_momentum"], {"learning_rate": c["eta"], "momentum": c["beta"]})
    np.testing.assert_allclose(got, c["final"], rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("case", range(2))
def test_adagrad_d2l_eps_inside(opt, case):
    c = EXTERNAL["d2l"]["adagrad"]["cases"][case]
    got = d2l_run(opt["adagrad"], {"learning_rate": c["eta"]}, eps_inside=1e-6, cache_rule=lambda s, g: s + g**2)
    # rtol 1e-6, not 1e-9: with eta = 2, x2 shrinks to 1e-162 through factors (1 - eta 4/sqrt(s+eps))
    # close to zero, which magnify the rounding of our sqrt(s+eps) - sqrt(s) emulation of eps.
    np.testing.assert_allclose(got, c["final"], rtol=1e-6, atol=1e-300)


def test_adagrad_d2l_eps_outside(opt):
    # The plain rule with epsilon = 1e-6 outside the root: exactly the verify script's eps-outside
    # trajectory, and within 1e-6 of d2l's (s >= 0.04 throughout, so eps/sqrt(s) <= 5e-6).
    ref = EXTERNAL["d2l"]["adagrad"]
    got = d2l_run(opt["adagrad"], {"learning_rate": 0.4, "epsilon": 1e-6})
    np.testing.assert_allclose(got, ref["eps_outside_variant_final(eta=0.4)"], rtol=1e-9)
    np.testing.assert_allclose(got, ref["cases"][0]["final"], rtol=1e-6)


def test_rmsprop_d2l(opt):
    ref = EXTERNAL["d2l"]["rmsprop"]
    gamma = ref["gamma"]
    got = d2l_run(opt["rmsprop"], {"learning_rate": ref["eta"], "decay_rate": gamma}, eps_inside=1e-6,
                  cache_rule=lambda s, g: gamma * s + (1 - gamma) * g**2)
    np.testing.assert_allclose(got, ref["final"], rtol=1e-9, atol=1e-24)
    # With a fixed epsilon = 1e-6 outside the root the runs drift apart by ~3e-5 relative: near the
    # end s ~ (0.2 x1)^2 ~ 5e-6 is comparable to eps, so the conventions are no longer interchangeable.
    got = d2l_run(opt["rmsprop"], {"learning_rate": ref["eta"], "decay_rate": gamma, "epsilon": 1e-6})
    np.testing.assert_allclose(got, ref["final"], rtol=1e-4, atol=1e-20)


# ---------------------------------------------------------------- deeplearning.ai

def dls_inputs():
    values = EXTERNAL["deeplearning_ai"]["inputs_values"]
    return ({k: np.array(v) for k, v in values["params"].items()},
            {k: np.array(v) for k, v in values["grads"].items()})


def test_momentum_deeplearning_ai_ema_form(opt):
    # EMA form v <- beta v + (1-beta) g; W <- W - lr v  ==  ours with learning_rate = lr (1-beta).
    ref = EXTERNAL["deeplearning_ai"]["momentum"]
    params, grads = dls_inputs()
    for k in params:
        config = {"learning_rate": ref["lr"] * (1 - ref["beta"]), "momentum": ref["beta"]}
        next_w, config = opt["sgd_momentum"](params[k], grads[k], config)
        assert_close(k, next_w, ref["expected"][k])
        assert_close(f"v_d{k}", -config["velocity"] / ref["lr"], ref["expected"][f"v_d{k}"])


@pytest.mark.parametrize("which", ["adam_notebook", "adam_public_tests"])
def test_adam_deeplearning_ai(opt, which):
    # Their t is the current step, used as given (t = 2); ours increments first, so pass t = 1.
    ref = EXTERNAL["deeplearning_ai"][which]
    expected = ref["expected"] if which == "adam_notebook" else ref["full_eps_outside"]
    params, grads = dls_inputs()
    for k in params:
        config = {"learning_rate": ref["lr"], "beta1": ref["beta1"], "beta2": ref["beta2"], "epsilon": ref["eps"],
                  "t": ref["t"] - 1}
        next_w, config = opt["adam"](params[k], grads[k], config)
        assert config["t"] == ref["t"]
        assert_close(k, next_w, expected[k])
        if which == "adam_notebook":
            # printed to 8 decimal places, not 8 significant digits: compare absolutely
            np.testing.assert_allclose(config["v"], expected[f"s_d{k}"], rtol=0, atol=5e-9 + 1e-12)


# ---------------------------------------------------------------- seed 001: GD table for x^4 + x + 2

def test_sgd_seed001_table(opt):
    f = lambda x: x**4 + x + 2
    h = 0.001
    x, config = np.array([1.0]), {"learning_rate": 0.2}
    xs = [x[0]]
    for _ in range(6):
        forward_difference = (f(x + h) - f(x)) / h
        x, config = opt["sgd"](x, forward_difference, config)
        xs.append(x[0])
    table = [1.000, -0.001, -0.201, -0.395, -0.546, -0.616, -0.629]
    assert [round(v, 3) for v in xs] == table, xs


# ---------------------------------------------------------------- identities

def quad_grad(x):
    """Gradient of f = 0.06 x1^2 + 0.25 x2^2 - 0.04 x1 x2 (seed 001's 2-D example)."""
    return np.array([0.12 * x[0] - 0.04 * x[1], 0.5 * x[1] - 0.04 * x[0]])


@pytest.mark.parametrize("lr, mu", [(0.5, 0.8), (1.0, 0.9), (0.1, 0.5)])
def test_nesterov_forms_agree(opt, lr, mu):
    theta_hat, theta = np.array([-5.0, -7.5]), np.array([-5.0, -7.5])
    cfg_shift, cfg_look = {"learning_rate": lr, "momentum": mu}, {"learning_rate": lr, "momentum": mu}
    for step in range(30):
        theta_hat, cfg_shift = opt["nesterov"](theta_hat, quad_grad(theta_hat), cfg_shift)
        theta, cfg_look = opt["nesterov_lookahead"](theta, quad_grad, cfg_look)
        np.testing.assert_allclose(cfg_shift["velocity"], cfg_look["velocity"], rtol=1e-10, atol=1e-12,
                                   err_msg=f"velocity, step {step}")
        np.testing.assert_allclose(theta_hat - mu * cfg_shift["velocity"], theta, rtol=1e-10, atol=1e-12,
                                   err_msg=f"theta = theta_hat - mu v, step {step}")


def test_nesterov_differs_from_momentum(opt):
    # guards against nesterov silently being momentum SGD
    w, dw = np.array([1.0]), np.array([1.0])
    config = {"learning_rate": 0.1, "momentum": 0.9, "velocity": np.array([0.5])}
    assert not np.allclose(opt["nesterov"](w, dw, dict(config))[0], opt["sgd_momentum"](w, dw, dict(config))[0])


def test_nesterov_matches_pytorch_buffer(opt):
    # torch SGD(nesterov=True): b <- mu b + g; w <- w - lr (g + mu b); velocity = -lr b
    rng = np.random.default_rng(0)
    lr, mu = 0.05, 0.9
    w_torch, b = rng.normal(size=3), np.zeros(3)
    w, config = w_torch.copy(), {"learning_rate": lr, "momentum": mu}
    for _ in range(10):
        g = rng.normal(size=3)
        b = mu * b + g
        w_torch = w_torch - lr * (g + mu * b)
        w, config = opt["nesterov"](w, g, config)
    np.testing.assert_allclose(w, w_torch, rtol=1e-12)


def test_adamw_zero_gradient_decays_geometrically(opt):
    lr, wd = 0.1, 0.05
    w0 = np.array([1.5, -2.0, 0.25])
    w, config = w0.copy(), {"learning_rate": lr, "weight_decay": wd}
    for step in range(1, 6):
        w, config = opt["adamw"](w, np.zeros_like(w), config)
        np.testing.assert_allclose(w, w0 * (1 - lr * wd) ** step, rtol=1e-14)


def test_adamw_is_adam_on_decayed_weights(opt):
    # PyTorch's AdamW algebra: theta <- theta - lr*lambda*theta, then Adam with the unchanged gradient.
    rng = np.random.default_rng(1)
    lr, wd = 0.01, 0.1
    w_adamw = w_ref = rng.normal(size=(2, 3))
    cfg_w, cfg_a = {"learning_rate": lr, "weight_decay": wd}, {"learning_rate": lr}
    for _ in range(5):
        g = rng.normal(size=(2, 3))
        w_adamw, cfg_w = opt["adamw"](w_adamw, g, cfg_w)
        w_ref, cfg_a = opt["adam"](w_ref - lr * wd * w_ref, g, cfg_a)
    np.testing.assert_allclose(w_adamw, w_ref, rtol=1e-14)
    # and not L2 regularisation through Adam
    w_l2, _ = opt["adam"](w_ref, g + 2 * wd * w_ref, {"learning_rate": lr})
    w_dec, _ = opt["adamw"](w_ref, g, {"learning_rate": lr, "weight_decay": wd})
    assert not np.allclose(w_l2, w_dec)


def test_clip_grad_norm_hand_example(opt):
    grads = [np.array([3.0]), np.array([4.0])]
    clipped, total_norm = opt["clip_grad_norm"](grads, 1.0)
    assert total_norm == pytest.approx(5.0)
    np.testing.assert_allclose(clipped[0], [0.6])
    np.testing.assert_allclose(clipped[1], [0.8])
    assert grads[0][0] == 3.0 and grads[1][0] == 4.0, "inputs were modified"
    clipped, total_norm = opt["clip_grad_norm"](grads, 5.0)   # at the threshold: unchanged
    np.testing.assert_allclose(clipped[1], [4.0])
    assert clipped[1] is not grads[1], "returned the input array itself"
    clipped, total_norm = opt["clip_grad_norm"](grads, 10.0)  # below the threshold: never scaled up
    assert total_norm == pytest.approx(5.0)
    np.testing.assert_allclose(clipped[0], [3.0])
    np.testing.assert_allclose(clipped[1], [4.0])


def test_clip_grad_norm_global_not_per_array(opt):
    rng = np.random.default_rng(2)
    grads = [rng.normal(size=(3, 4)), rng.normal(size=5), rng.normal(size=(2, 2, 2))]
    flat = np.concatenate([g.ravel() for g in grads])
    clipped, total_norm = opt["clip_grad_norm"](grads, 0.5)
    assert total_norm == pytest.approx(np.linalg.norm(flat))
    np.testing.assert_allclose(np.concatenate([g.ravel() for g in clipped]), flat * 0.5 / np.linalg.norm(flat))
    assert [g.shape for g in clipped] == [g.shape for g in grads]
    clipped, total_norm = opt["clip_grad_norm"]([np.zeros(3)], 1.0)
    assert total_norm == 0.0 and np.all(clipped[0] == 0)


@pytest.mark.parametrize("name, defaults", [
    ("sgd", {"learning_rate": 1e-2}),
    ("sgd_momentum", {"learning_rate": 1e-2, "momentum": 0.9}),
    ("nesterov", {"learning_rate": 1e-2, "momentum": 0.9}),
    ("adagrad", {"learning_rate": 1e-2, "epsilon": 1e-8}),
    ("rmsprop", {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8}),
    ("adam", {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}),
    ("adamw", {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "weight_decay": 1e-2}),
])
def test_defaults_and_no_in_place_update(opt, name, defaults):
    w, dw = np.array([[0.5, -1.0]]), np.array([[0.2, 0.3]])
    next_w, config = opt[name](w, dw, None)
    assert {k: config[k] for k in defaults} == defaults
    assert next_w.shape == w.shape
    np.testing.assert_array_equal(w, [[0.5, -1.0]])


# torch.optim's names for our config keys; momentum bookkeeping (torch keeps b = -v/lr) and the
# shifted-parameter Nesterov give the same w for a constant learning rate.
TORCH_KEYS = {"lr": "learning_rate", "momentum": "momentum", "eps": "epsilon", "alpha": "decay_rate",
              "weight_decay": "weight_decay"}


def _config(options: dict) -> dict:
    config = {TORCH_KEYS[k]: v for k, v in options.items() if k in TORCH_KEYS}
    if "betas" in options:
        config["beta1"], config["beta2"] = options["betas"]
    return config


@pytest.mark.parametrize("name", sorted(PYTORCH["optimizers"]))
def test_trajectory_matches_torch_optim(opt, name):
    case = PYTORCH["optimizers"][name]
    w, config = np.array(case["w0"]), _config(case["options"])
    for step, (g, expected) in enumerate(zip(case["grads"], case["w"]), 1):
        w, config = opt[name](w, np.array(g), config)
        np.testing.assert_allclose(w, expected, rtol=1e-10, atol=1e-12,
                                   err_msg=f"{name} vs torch.optim.{case['torch']} at step {step}")


@pytest.mark.parametrize("case", PYTORCH["clip_grad_norm"], ids=lambda c: f"max_norm={c['max_norm']}")
def test_clip_grad_norm_matches_torch(opt, case):
    clipped, total = opt["clip_grad_norm"]([np.array(g) for g in case["grads"]], case["max_norm"])
    assert total == pytest.approx(case["total_norm"], rel=1e-12)
    for ours, theirs in zip(clipped, case["clipped"]):  # torch divides by total_norm + 1e-6
        np.testing.assert_allclose(ours, theirs, rtol=1e-5)
