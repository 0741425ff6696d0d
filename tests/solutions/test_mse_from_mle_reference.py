"""The reference of solutions/mse_from_mle/mse_from_mle.ipynb against computations that do not share
its code: closed forms (Bernoulli entropies and divergences, least squares, ridge regression), the
Gaussian density integrated to 1, central differences of -log softmax, seed 001's numpy gradient
(`dbn = pn.copy(); dbn[yn] -= 1`), the NPFL114 exam network of external_examples.json, and the
identities H(p, q) = H(p) + KL(p || q) and argmin NLL = argmin CE = argmin KL on random distributions."""
import math
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograder.reference import load
from published import EXTERNAL
import sympy as sp

NOTEBOOK = Path(__file__).resolve().parents[2] / "solutions" / "mse_from_mle" / "mse_from_mle.ipynb"

PARTS = {"entropy": 1, "cross_entropy": 1, "kl_divergence": 2, "nll": 1, "empirical_distribution": 1,
         "mle_objectives": 2, "gaussian_nll": 2, "gaussian_nll_one": 2, "gaussian_nll_sum": 2, "mse_objective": 2,
         "map_objective": 2, "l2_lambda": 1, "softmax_ce_grad": 2}




@pytest.fixture(scope="module")
def ref():
    return load("mse_from_mle")


def dirichlet_pairs(seed, count=20):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        k = int(rng.integers(2, 9))
        yield rng.dirichlet(np.full(k, 0.7)), rng.dirichlet(np.full(k, 0.7))


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
    """The whole notebook, in order, as a student who solved everything would run it (demos excluded)."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    namespace = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and "demo" not in cell.metadata.get("tags", []):
            exec(compile(cell.source, str(cell.metadata.get("nbgrader", {}).get("grade_id")), "exec"), namespace)


# ---------------------------------------------------------------- entropy, cross-entropy, KL

@pytest.mark.parametrize("a", [0.1, 0.3, 0.5, 0.9])
def test_bernoulli_closed_forms(ref, a):
    b = 0.35
    h = -a * math.log(a) - (1 - a) * math.log(1 - a)
    kl = a * math.log(a / b) + (1 - a) * math.log((1 - a) / (1 - b))
    assert ref["entropy"]([a, 1 - a]) == pytest.approx(h, rel=1e-12)
    assert ref["kl_divergence"]([a, 1 - a], [b, 1 - b]) == pytest.approx(kl, rel=1e-12)
    assert ref["cross_entropy"]([a, 1 - a], [b, 1 - b]) == pytest.approx(-a * math.log(b) - (1 - a) * math.log(1 - b), rel=1e-12)


def test_entropy_extremes(ref):
    for k in (1, 2, 7, 100):
        assert ref["entropy"](np.full(k, 1 / k)) == pytest.approx(math.log(k), abs=1e-12)
    assert ref["entropy"](np.eye(5)[2]) == 0.0
    for p, _ in dirichlet_pairs(0):
        assert 0 <= ref["entropy"](p) <= math.log(len(p)) + 1e-12


def test_identity_and_gibbs_on_random_distributions(ref):
    for p, q in dirichlet_pairs(1):
        h_pq = sum(-pk * math.log(qk) for pk, qk in zip(p, q))   # a plain loop, not the reference's numpy
        assert ref["cross_entropy"](p, q) == pytest.approx(h_pq, rel=1e-12)
        assert ref["cross_entropy"](p, q) == pytest.approx(ref["entropy"](p) + ref["kl_divergence"](p, q), rel=1e-12)
        assert ref["kl_divergence"](p, q) > 0
        assert ref["kl_divergence"](p, p) == pytest.approx(0.0, abs=1e-15)


def test_kl_is_not_symmetric(ref):
    p, q = [0.9, 0.1], [0.5, 0.5]
    assert ref["kl_divergence"](p, q) == pytest.approx(0.9 * math.log(1.8) + 0.1 * math.log(0.2))
    assert ref["kl_divergence"](q, p) == pytest.approx(0.5 * math.log(0.5 / 0.9) + 0.5 * math.log(5))
    assert ref["kl_divergence"](p, q) != pytest.approx(ref["kl_divergence"](q, p))


def test_zero_probabilities(ref):
    p, q = np.array([0.0, 0.25, 0.75]), np.array([0.0, 0.5, 0.5])
    assert ref["entropy"](p) == pytest.approx(-(0.25 * math.log(0.25) + 0.75 * math.log(0.75)))
    assert ref["cross_entropy"](p, q) == pytest.approx(math.log(2))
    assert ref["kl_divergence"](p, q) == pytest.approx(0.25 * math.log(0.5) + 0.75 * math.log(1.5))
    # q_k = 0 < p_k: infinite, reported as a ValueError that says where the problem is
    for name in ("cross_entropy", "kl_divergence"):
        with pytest.raises(ValueError, match="q is 0 where p > 0"):
            ref[name]([0.5, 0.5, 0.0], [0.0, 0.25, 0.75])
    # p_k = 0 < q_k is fine, and nothing warns about log(0)
    with np.errstate(all="raise"):
        assert np.isfinite(ref["kl_divergence"]([1.0, 0.0], [0.5, 0.5]))


# ---------------------------------------------------------------- NLL = N * CE = N * (KL + H)

def test_nll_matches_seed001_mean_loss(ref):
    # seed 001: L = -1/N sum_n log p_{n, y_n}; our nll is the sum, N times that
    rng = np.random.default_rng(2)
    logits = rng.normal(size=(6, 4))
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    labels = rng.integers(0, 4, size=6)
    mean_loss = -sum(math.log(probs[n, labels[n]]) for n in range(6)) / 6
    assert ref["nll"](probs, labels) == pytest.approx(6 * mean_loss, rel=1e-12)


def test_empirical_distribution_counts(ref):
    samples = np.array([3, 3, 0, 3, 1])
    np.testing.assert_allclose(ref["empirical_distribution"](samples, 5), [0.2, 0.2, 0.0, 0.6, 0.0])
    rng = np.random.default_rng(3)
    big = rng.integers(0, 6, size=1000)
    p = ref["empirical_distribution"](big, 6)
    assert p.sum() == pytest.approx(1.0) and all(p[k] == np.mean(big == k) for k in range(6))


@pytest.mark.parametrize("seed", range(5))
def test_argmin_nll_ce_kl_agree(ref, seed):
    rng = np.random.default_rng(10 + seed)
    k = int(rng.integers(2, 6))
    truth = rng.dirichlet(np.ones(k))
    samples = rng.choice(k, size=int(rng.integers(5, 300)), p=truth)
    candidates = rng.dirichlet(np.ones(k), size=40)
    obj = ref["mle_objectives"](samples, candidates)
    p_data = np.bincount(samples, minlength=k) / len(samples)
    np.testing.assert_allclose(obj["nll"], [-np.log(q[samples]).sum() for q in candidates], rtol=1e-12)
    np.testing.assert_allclose(obj["nll"], len(samples) * obj["cross_entropy"], rtol=1e-12)
    np.testing.assert_allclose(obj["kl"], obj["cross_entropy"] - ref["entropy"](p_data), rtol=1e-9, atol=1e-12)
    assert np.argmin(obj["nll"]) == np.argmin(obj["cross_entropy"]) == np.argmin(obj["kl"])
    # adding the empirical distribution itself makes it the unique winner (KL = 0)
    obj = ref["mle_objectives"](samples, np.vstack([candidates, np.clip(p_data, 1e-300, None)]))
    assert np.argmin(obj["kl"]) == len(candidates) == np.argmin(obj["nll"])


# ---------------------------------------------------------------- Gaussian NLL and MSE

def test_gaussian_nll_against_the_density(ref):
    rng = np.random.default_rng(4)
    targets, preds = rng.normal(size=7), rng.normal(size=7)
    for sigma in (0.3, 1.0, 2.5):
        density = [math.exp(-(a - b) ** 2 / (2 * sigma**2)) / math.sqrt(2 * math.pi * sigma**2) for a, b in zip(targets, preds)]
        assert ref["gaussian_nll"](targets, preds, sigma) == pytest.approx(-sum(map(math.log, density)), rel=1e-12)


def test_gaussian_nll_argmin_is_least_squares(ref):
    rng = np.random.default_rng(5)
    xs = rng.uniform(-1, 1, size=30)
    targets = 0.7 * xs + rng.normal(scale=0.2, size=30)
    w_ls = float(xs @ targets / (xs @ xs))          # closed-form least squares for y = w x
    ws = np.linspace(w_ls - 0.05, w_ls + 0.05, 101)  # w_ls is the middle grid point
    for sigma in (0.1, 1.0, 10.0):
        curve = [ref["gaussian_nll"](targets, w * xs, sigma) for w in ws]
        assert int(np.argmin(curve)) == 50


def test_gaussian_nll_one_integrates_to_one(ref):
    """exp(-NLL) must be a normalised density in y: the constant term is right, not only the argmin."""
    S = ref
    expr = S["gaussian_nll_one"]()
    assert expr.free_symbols == {S["y"], S["yhat"], S["sigma"]}
    assert sp.simplify(sp.integrate(sp.exp(-expr), (S["y"], -sp.oo, sp.oo))) == 1
    # d/d yhat is -(y - yhat)/sigma^2: the residual scaled by the precision
    assert sp.simplify(sp.diff(expr, S["yhat"]) + (S["y"] - S["yhat"]) / S["sigma"] ** 2) == 0


def test_symbolic_sum_and_mse_match_numpy(ref):
    S = ref
    rng = np.random.default_rng(6)
    targets, preds, sigma = rng.normal(size=4), rng.normal(size=4), 0.8
    values = {S["Y"][n + 1]: targets[n] for n in range(4)} | {S["Yhat"][n + 1]: preds[n] for n in range(4)}
    total = S["gaussian_nll_sum"]().subs({S["m"]: 4, S["sigma"]: sigma}).doit().subs(values)
    assert float(total) == pytest.approx(ref["gaussian_nll"](targets, preds, sigma), rel=1e-12)
    mse = S["mse_objective"]().subs(S["m"], 4).doit().subs(values)
    assert float(mse) == pytest.approx(np.mean((targets - preds) ** 2), rel=1e-12)


def test_nll_sum_is_an_affine_function_of_the_mse(ref):
    """NLL = m/(2 sigma^2) * MSE + (terms free of the predictions): sigma and the constant cancel from the argmin."""
    S = ref
    m_value = 3
    nll = S["gaussian_nll_sum"]().subs(S["m"], m_value).doit()
    mse = S["mse_objective"]().subs(S["m"], m_value).doit()
    rest = sp.expand(nll - m_value / (2 * S["sigma"] ** 2) * mse)
    assert not rest.has(sp.Indexed), rest
    assert sp.simplify(rest - sp.Rational(m_value, 2) * sp.log(2 * sp.pi * S["sigma"] ** 2)) == 0
    assert S["sigma"] not in S["mse_objective"]().free_symbols


def test_npfl114_exam_network_loss(ref):
    """The exam network's MSE (course convention (o - g)^2) and the 1/2 (o - g)^2 = Gaussian NLL minus its constant."""
    S = ref
    net = EXTERNAL["npfl114_exam_2020_network"]["derived_answer"]
    o, gold = net["output"], 3.0
    one_example = {S["Y"][1]: gold, S["Yhat"][1]: o}
    mse = S["mse_objective"]().subs(S["m"], 1).doit()
    assert float(mse.subs(one_example)) == net["L=(o-g)^2"]["loss"]
    # dL/do times the hidden activation h3 gives the published gradient of w9
    d_mse = sp.diff(mse, S["Yhat"][1]).subs(one_example)
    assert float(d_mse) * net["hidden"][2] == net["L=(o-g)^2"]["grads"]["w9"]
    half_square = S["gaussian_nll_one"]().subs({S["y"]: gold, S["yhat"]: o, S["sigma"]: 1}) - sp.log(2 * sp.pi) / 2
    assert float(half_square) == pytest.approx(net["L=0.5*(o-g)^2"]["loss"], rel=1e-14)


# ---------------------------------------------------------------- MAP and L2

def test_map_objective_minus_nll_is_minus_log_prior(ref):
    S = ref
    theta = np.array([0.3, -1.2, 2.0])
    sigma = 0.7
    prior = np.prod([math.exp(-v**2 / (2 * sigma**2)) / math.sqrt(2 * math.pi * sigma**2) for v in theta])
    expr = S["map_objective"]().subs({S["d"]: 3, S["sigma"]: sigma, S["NLL"]: 0}).doit()
    expr = expr.subs({S["theta"][n + 1]: theta[n] for n in range(3)})
    assert float(expr) == pytest.approx(-math.log(prior), rel=1e-12)


def test_map_minimiser_is_ridge_regression(ref):
    """With NLL = 1/2 ||y - X theta||^2 the MAP solution is (X^T X + 2 lambda I)^-1 X^T y, lambda = l2_lambda()."""
    S = ref
    X = np.array([[1.0, 2.0], [0.5, -1.0], [-1.5, 0.3], [2.0, 1.0]])
    targets = np.array([1.0, 0.2, -0.7, 2.5])
    sigma = 0.6
    th = [S["theta"][1], S["theta"][2]]
    data_nll = sum((targets[n] - X[n, 0] * th[0] - X[n, 1] * th[1]) ** 2 for n in range(4)) / 2
    objective = S["map_objective"]().subs({S["d"]: 2, S["sigma"]: sigma}).doit().subs(S["NLL"], data_nll)
    solution = sp.solve([sp.diff(objective, v) for v in th], th, dict=True)[0]
    lam = float(S["l2_lambda"]().subs(S["sigma"], sigma))
    assert lam == pytest.approx(1 / (2 * sigma**2))
    ridge = np.linalg.solve(X.T @ X + 2 * lam * np.eye(2), X.T @ targets)
    np.testing.assert_allclose([float(solution[v]) for v in th], ridge, rtol=1e-10)


def test_l2_lambda_is_the_coefficient_of_the_penalty(ref):
    S = ref
    expr = S["map_objective"]().subs(S["d"], 1).doit()
    coefficient = sp.diff(expr, S["theta"][1], 2) / 2
    assert sp.simplify(coefficient - S["l2_lambda"]()) == 0


# ---------------------------------------------------------------- softmax cross-entropy gradient

def seed001_gradient(logits, gold):
    """Seed 001's numpy loop, lines 10-16: pn = softmax(sn); dbn = pn.copy(); dbn[yn] -= 1."""
    pn = np.exp(logits) / np.sum(np.exp(logits))
    dbn = pn.copy()
    dbn[gold] -= 1
    return dbn


@pytest.mark.parametrize("seed", range(3))
def test_softmax_ce_grad_against_seed001_and_central_differences(ref, seed):
    S = ref
    rng = np.random.default_rng(20 + seed)
    n_classes = int(rng.integers(2, 6))
    logits = rng.normal(size=n_classes)
    gold = int(rng.integers(0, n_classes))
    grad = S["softmax_ce_grad"]()
    values = {S["z"][n + 1]: logits[n] for n in range(n_classes)}
    got = np.array([float(grad.subs({S["K"]: n_classes, S["c"]: gold + 1, S["k"]: n + 1}).doit().subs(values))
                    for n in range(n_classes)])
    np.testing.assert_allclose(got, seed001_gradient(logits, gold), rtol=1e-12, atol=1e-15)

    def loss(v):
        return -(v[gold] - math.log(sum(math.exp(x) for x in v)))

    h = 1e-5
    central = [(loss(logits + h * e) - loss(logits - h * e)) / (2 * h) for e in np.eye(n_classes)]
    np.testing.assert_allclose(got, central, rtol=1e-6, atol=1e-9)
