"""The reference of solutions/adam_bias_correction/adam_bias_correction.ipynb against computations that
do not share its code: the unrolled sum (12) as an explicit weight matrix, deeplearning.ai's printed
Adam step and d2l.ai's RMSProp trajectory (external_examples.json), the `adam` of the optimizers
reference notebook, a Monte-Carlo run judged by its standard error, and sympy's own summation and
limits for (9), (12) and (13)."""
import math
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograder.reference import load
from published import EXTERNAL
import sympy as sp

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "solutions" / "adam_bias_correction" / "adam_bias_correction.ipynb"

PARTS = {"ema": 2, "bias_corrected": 2, "monte_carlo_moments": 2, "expected_moments": 1, "ema_weight_sum": 2,
         "unrolled_r": 2, "adagrad_effective_step": 1, "adagrad_step_limit": 1}




@pytest.fixture(scope="module")
def ref():
    return load("adam_bias_correction")


def test_notebook_has_nbgrader_cells():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    ids = {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if "nbgrader" in c.metadata}
    assert "setup" in ids and ids["setup"].metadata["nbgrader"]["locked"]
    assert set(ids) == {"setup"} | set(PARTS) | {f"{name}_tests" for name in PARTS}
    for name, points in PARTS.items():
        sol, test = ids[name].source, ids[f"{name}_tests"]
        assert ids[name].metadata["nbgrader"]["solution"], name
        assert sol.index(f"def {name}(") < sol.index('"""') < sol.index("### BEGIN SOLUTION") < sol.index("### END SOLUTION")
        assert sol.split("### END SOLUTION")[1].strip().startswith("return "), f"{name}: return outside the markers"
        meta = test.metadata["nbgrader"]
        assert meta["grade"] and meta["locked"] and not meta["solution"] and meta["points"] == points, name
    demos = [c for c in nb.cells if c.cell_type == "code" and "nbgrader" not in c.metadata]
    assert demos and all(c.metadata.get("tags") == ["demo"] for c in demos)


def test_every_visible_test_cell_passes_on_the_reference():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    namespace = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and "demo" not in cell.metadata.get("tags", []):
            exec(compile(cell.source, str(cell.metadata.get("nbgrader", {}).get("grade_id")), "exec"), namespace)


# ---------------------------------------------------------------- the EMA and its correction

def unrolled_weights(T, beta):
    """Row t-1 holds the weights (1 - beta) beta^(t-i) of g_1..g_t in s_t, eq. (12)."""
    W = np.zeros((T, T))
    for t in range(1, T + 1):
        for i in range(1, t + 1):
            W[t - 1, i - 1] = (1 - beta) * beta ** (t - i)
    return W


@pytest.mark.parametrize("beta", [0.0, 0.5, 0.9, 0.999])
def test_ema_is_the_unrolled_sum(ref, beta):
    rng = np.random.default_rng(0)
    grads = rng.normal(size=(12, 3))
    before = grads.copy()
    s = ref["ema"](grads, beta)
    np.testing.assert_allclose(s, unrolled_weights(12, beta) @ grads, rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(grads, before)
    # the rows of weights sum to 1 - beta^t, eq. (13)
    np.testing.assert_allclose(unrolled_weights(12, beta).sum(axis=1), 1 - beta ** np.arange(1, 13), rtol=1e-12)


def test_ema_shapes(ref):
    assert ref["ema"](np.ones(5), 0.5).shape == (5,)
    assert ref["ema"](np.ones((5, 2, 3)), 0.5).shape == (5, 2, 3)
    assert ref["ema"]([1, 2, 3], 0.5).dtype == float   # integer input is not truncated
    np.testing.assert_allclose(ref["ema"]([1, 2, 3], 0.5), [0.5, 1.25, 2.125])


@pytest.mark.parametrize("beta", [0.5, 0.9, 0.999])
def test_constant_gradient_is_recovered_exactly(ref, beta):
    s = ref["ema"](np.full(30, -2.5), beta)
    np.testing.assert_allclose(s, -2.5 * (1 - beta ** np.arange(1, 31)), rtol=1e-12)
    np.testing.assert_allclose(ref["bias_corrected"](s, beta), -2.5, rtol=1e-12)


def test_bias_corrected_uses_the_position_as_t(ref):
    s = np.arange(1.0, 9.0).reshape(4, 2)
    expected = s / (1 - 0.8 ** np.array([[1], [2], [3], [4]]))
    np.testing.assert_allclose(ref["bias_corrected"](s, 0.8), expected, rtol=1e-14)


def test_deeplearning_ai_adam_step(ref):
    """deeplearning.ai: one update from zero moments with their counter t = 2 used as given. A stream
    [0, g] reproduces it: s_2 = (1 - beta) g, corrected by 1 - beta^2."""
    dl = EXTERNAL["deeplearning_ai"]
    case = dl["adam_notebook"]
    for name, w in dl["inputs_values"]["params"].items():
        w, g = np.array(w), np.array(dl["inputs_values"]["grads"][name])
        stream = np.stack([np.zeros_like(g), g])
        s = ref["ema"](stream, case["beta1"])
        r = ref["ema"](stream**2, case["beta2"])
        np.testing.assert_allclose(r[-1], case["expected"][f"s_d{name}"], rtol=0, atol=5e-9 + 1e-12)
        s_hat, r_hat = ref["bias_corrected"](s, case["beta1"])[-1], ref["bias_corrected"](r, case["beta2"])[-1]
        w_new = w - case["lr"] * s_hat / (np.sqrt(r_hat) + case["eps"])
        np.testing.assert_allclose(w_new, case["expected"][name], rtol=1e-6)


def test_d2l_rmsprop_trajectory(ref):
    """d2l's RMSProp on 0.1 x1^2 + 2 x2^2 from (-5, -2): s is the uncorrected EMA of g^2."""
    case = EXTERNAL["d2l"]["rmsprop"]
    x, seen = np.array([-5.0, -2.0]), []
    for _ in range(20):
        g = np.array([0.2 * x[0], 4.0 * x[1]])
        seen.append(g)
        s = ref["ema"](np.array(seen) ** 2, case["gamma"])[-1]
        x = x - case["eta"] * g / np.sqrt(s + 1e-6)
    np.testing.assert_allclose(x, case["final"], rtol=1e-9, atol=1e-24)


def test_agrees_with_the_optimizers_reference_adam(ref):
    """The moments and the step of solutions/optimizers' adam, from the same gradients."""
    adam = load("optimizers")["adam"]
    rng = np.random.default_rng(1)
    grads = rng.normal(size=(8, 3))
    w, config = np.zeros(3), {"learning_rate": 0.01, "beta1": 0.8, "beta2": 0.95, "epsilon": 1e-8}
    s, r = ref["ema"](grads, 0.8), ref["ema"](grads**2, 0.95)
    s_hat, r_hat = ref["bias_corrected"](s, 0.8), ref["bias_corrected"](r, 0.95)
    for step, g in enumerate(grads):
        w_before = w
        w, config = adam(w, g, config)
        np.testing.assert_allclose(config["m"], s[step], rtol=1e-12)
        np.testing.assert_allclose(config["v"], r[step], rtol=1e-12)
        np.testing.assert_allclose(w, w_before - 0.01 * s_hat[step] / (np.sqrt(r_hat[step]) + 1e-8), rtol=1e-12)


# ---------------------------------------------------------------- Monte Carlo

def test_monte_carlo_moments_exact_on_a_small_case(ref):
    grads = np.array([[1.0, -2.0, 0.5], [3.0, 0.0, 0.5]])
    mc = ref["monte_carlo_moments"](grads, 0.5, 0.75)
    per_stream_s = [[0.5 * g[0], 0.25 * g[0] + 0.5 * g[1]] for g in grads.T]
    per_stream_r = [[0.25 * g[0] ** 2, 0.1875 * g[0] ** 2 + 0.25 * g[1] ** 2] for g in grads.T]
    np.testing.assert_allclose(mc["s"], np.mean(per_stream_s, axis=0), rtol=1e-14)
    np.testing.assert_allclose(mc["r"], np.mean(per_stream_r, axis=0), rtol=1e-14)
    np.testing.assert_allclose(mc["s_hat"], mc["s"] / [0.5, 0.75], rtol=1e-14)
    np.testing.assert_allclose(mc["r_hat"], mc["r"] / [0.25, 1 - 0.5625], rtol=1e-14)


def test_monte_carlo_confirms_the_bias_within_its_standard_error(ref):
    """E[s_t] = (1 - beta1^t) E[g] and E[r_t] = (1 - beta2^t) E[g^2]; within 5 standard errors per step."""
    rng = np.random.default_rng(2)
    T, N, mean, std, beta1, beta2 = 40, 20000, -0.3, 0.8, 0.9, 0.99
    grads = rng.normal(mean, std, size=(T, N))
    mc = ref["monte_carlo_moments"](grads, beta1, beta2)
    theory = ref["expected_moments"](mean, std, beta1, beta2, T)
    steps = np.arange(1, T + 1)
    np.testing.assert_allclose(theory["s"], (1 - beta1**steps) * mean, rtol=1e-14)
    np.testing.assert_allclose(theory["r_hat"], mean**2 + std**2, rtol=1e-14)
    var_g2 = 2 * std**4 + 4 * mean**2 * std**2   # Var[g^2] of a Gaussian
    se_s = np.sqrt((1 - beta1) / (1 + beta1) * (1 - beta1 ** (2 * steps)) * std**2 / N)
    se_r = np.sqrt((1 - beta2) / (1 + beta2) * (1 - beta2 ** (2 * steps)) * var_g2 / N)
    assert np.all(np.abs(mc["s"] - theory["s"]) < 5 * se_s)
    assert np.all(np.abs(mc["r"] - theory["r"]) < 5 * se_r)
    assert np.all(np.abs(mc["s_hat"] - mean) < 5 * se_s / (1 - beta1**steps))
    assert np.all(np.abs(mc["r_hat"] - (mean**2 + std**2)) < 5 * se_r / (1 - beta2**steps))
    # and the uncorrected second moment is far off early on: the effect the correction removes
    assert mc["r"][0] < 0.02 * (mean**2 + std**2)


# ---------------------------------------------------------------- symbolic answers

def test_ema_weight_sum_is_sympys_geometric_series(ref):
    S = ref
    beta, t, i = S["beta"], S["t"], S["i"]
    weight = S["ema_weight_sum"]()
    assert not weight.has(sp.Sum)
    series = sp.summation(beta ** (t - i), (i, 1, t))   # sympy may answer with a Piecewise for beta = 1
    for b in (sp.Rational(1, 3), sp.Rational(9, 10), sp.Rational(999, 1000)):
        for n in (1, 2, 7, 50):
            assert weight.subs({beta: b, t: n}) == ((1 - b) * series).subs({beta: b, t: n}).doit()


def test_unrolled_r_matches_the_recursion(ref):
    S = ref
    r_t = S["unrolled_r"]()
    rng = np.random.default_rng(3)
    grads = rng.normal(size=6)
    for beta2 in (0.5, 0.9):
        recursion = ref["ema"](grads**2, beta2)
        for n in range(1, 7):
            value = r_t.subs({S["beta2"]: beta2, S["t"]: n}).doit().subs({S["g"][k + 1]: grads[k] for k in range(n)})
            assert float(value) == pytest.approx(recursion[n - 1], rel=1e-12)


def test_adagrad_step_and_its_limit(ref):
    S = ref
    alpha, t, g0, eps = S["alpha"], S["t"], S["g0"], S["epsilon"]
    step = S["adagrad_effective_step"]()
    # seed 000, eq. (9): alpha / sqrt(r + eps) = (alpha / sqrt(t)) / sqrt(g0^2 + eps / t)
    assert sp.simplify(step - (alpha / sp.sqrt(t)) / sp.sqrt(g0**2 + eps / t)) == 0
    limit = S["adagrad_step_limit"]()
    assert sp.simplify(limit - sp.limit(step, eps, 0)) == 0
    assert eps not in limit.free_symbols
    # the running AdaGrad accumulator with a constant gradient
    accumulated = sum(1.7**2 for _ in range(9))
    assert float(step.subs({alpha: 0.3, t: 9, g0: -1.7, eps: 1e-6})) == pytest.approx(0.3 / math.sqrt(accumulated + 1e-6))
    assert float(limit.subs({alpha: 0.3, t: 9, g0: -1.7})) == pytest.approx(0.3 / (3 * 1.7))
