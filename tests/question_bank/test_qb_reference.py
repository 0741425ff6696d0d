"""The templates' mathematics against the seed documents, outside reference numbers and
independent implementations (numeric differentiation, plain loops, Monte Carlo)."""
import math
import sys
from pathlib import Path

import numpy as np
import pytest

from question_bank.registry import get
from question_bank.templates import (
    adagrad_rmsprop, adam_bias_correction, affine_backward, batchnorm_backward, conv1d_backward, gd_2d_quadratic,
    gd_numeric_1d, glorot_init, gradient_clipping, information_identities, l2_vs_weight_decay, map_gaussian_prior,
    mle_nll_ce_kl, momentum_vs_nesterov, mse_from_mle, nesterov_shifted, network_sgd_step, robbins_monro,
    sigmoid_ce_gradient, softmax_ce_gradient,
)

# Test helpers are imported by module name from their own directory (rootdir-based imports, no
# __init__.py); the published numbers live with the solutions' cross-checks, so add that directory.
_PUBLISHED_DIR = str(Path(__file__).resolve().parents[1] / "solutions")
if _PUBLISHED_DIR not in sys.path:
    sys.path.append(_PUBLISHED_DIR)
from published import EXTERNAL  # noqa: E402

SEEDS = range(15)


def numeric_grad(f, x, h=1e-6):
    """Centred differences; restores its input."""
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        up = f(x)
        x[i] = old - h
        down = f(x)
        x[i] = old
        grad[i] = (up - down) / (2 * h)
    return grad


def values(template, variant, label):
    part = next(p for p in template.parts(variant) if p.label == label)
    return np.asarray(part.value)


def test_seed_001_gd_table_for_x4_plus_x_plus_2():
    """Seed 001's hand table: x = 1.000, -0.001, -0.201, -0.395, -0.546, -0.616, -0.629."""
    v = gd_numeric_1d.Variant(seed=0, coeffs=(1.0, 0.0, 1.0, 2.0), x0=1.0, gamma=0.2, h=0.001, steps=6)
    rows = gd_numeric_1d.table(v)
    assert [x for _, x, _, _ in rows] == [1.0, -0.001, -0.201, -0.395, -0.546, -0.616, -0.629]
    # The slide's derivative column (5.006, 1.000, 0.968, 0.755, 0.352, 0.067, 0.005) agrees to 0.003;
    # its last digits come from rounded intermediate f values.
    slide = [5.006, 1.000, 0.968, 0.755, 0.352, 0.067, 0.005]
    assert np.allclose([d for *_, d in rows], slide, atol=0.003)
    assert abs(rows[-1][1] - (-1 / 2 ** (2 / 3))) < 0.002  # the slide's optimum -0.62996


def test_d2l_gradient_descent_2d():
    case = EXTERNAL["d2l"]["gd_2d"]  # f = x1^2 + 2 x2^2, x0 = (-5, -2), eta = 0.1, 20 steps
    v = gd_2d_quadratic.Variant(seed=0, a=1.0, b=2.0, c=0.0, x0=tuple(case["x0"]), gamma=case["eta"], steps=case["steps"])
    assert np.allclose(gd_2d_quadratic.trajectory(v)[-1], case["final"], rtol=1e-9)


@pytest.mark.parametrize("case", [0, 1])
def test_d2l_momentum_matches_the_seed_001_convention(case):
    """d2l's v = beta v + g; x -= eta v is seed 001's v = alpha v - gamma g; x += v with v scaled by -eta."""
    ref = EXTERNAL["d2l"]["momentum"]["cases"][case]  # f = 0.1 x1^2 + 2 x2^2 from (-5, -2), 20 steps
    finals = []
    for k, start in ((0.2, -5.0), (4.0, -2.0)):  # the quadratic separates into two 1-D problems
        v = momentum_vs_nesterov.Variant(seed=0, k=k, m=0.0, theta0=start, v0=0.0, alpha=ref["beta"], gamma=ref["eta"], steps=20)
        finals.append(momentum_vs_nesterov.run(v, nesterov=False)[-1][0])
    assert np.allclose(finals, ref["final"], rtol=1e-9)


def test_npfl_exam_network_sgd_step():
    ref = EXTERNAL["npfl114_exam_2020_network"]
    w = tuple(ref["network"]["weights"][f"w{i}"] for i in range(1, 10))
    v = network_sgd_step.Variant(seed=0, x=(1.0, 2.0), weights=w, gold=3.0, lr=0.1)
    template = get("network_sgd_step")
    course = ref["derived_answer"]["L=(o-g)^2"]
    half = ref["derived_answer"]["L=0.5*(o-g)^2"]
    assert values(template, v, "a") == pytest.approx(course["loss"])
    assert np.allclose(values(template, v, "b"), [course["updated_weights"][f"w{i}"] for i in range(1, 10)])
    # the 1/2 convention is recognised as a misconception, with its own feedback
    answer = "a) 9; b) [" + ", ".join(str(half["updated_weights"][f"w{i}"]) for i in range(1, 10)) + "]"
    result = template.check(v, answer)
    assert result.parts[1].diagnosis == "misconception" and "2(o - g)" in result.parts[1].feedback


@pytest.mark.parametrize("seed", SEEDS)
def test_network_gradients_match_numeric_differentiation(seed):
    v = network_sgd_step.generate(seed)

    def loss(w):
        pre = w[:6].reshape(3, 2) @ np.asarray(v.x)
        return (w[6:] @ np.maximum(pre, 0) - v.gold) ** 2

    assert np.allclose(network_sgd_step.gradients(v), numeric_grad(loss, v.weights), atol=1e-5)


@pytest.mark.parametrize("seed", SEEDS)
def test_softmax_cross_entropy_gradients(seed):
    v = softmax_ce_gradient.generate(seed)
    g = softmax_ce_gradient.target_distribution(v)

    def loss(z):
        return -(g * (z - z.max() - np.log(np.exp(z - z.max()).sum()))).sum()

    template = get("softmax_ce_gradient")
    assert values(template, v, "a") == pytest.approx(loss(np.asarray(v.z)))
    assert np.allclose(values(template, v, "b"), numeric_grad(loss, v.z), atol=1e-6)
    w0 = np.zeros((len(v.z), len(v.x)))
    b = np.asarray(v.z)  # with W = 0 the logits are b; dL/dW does not depend on W's value here

    def loss_w(w):
        return loss(w @ np.asarray(v.x) + b)

    assert np.allclose(values(template, v, "c"), numeric_grad(loss_w, w0).ravel(), atol=1e-6)


@pytest.mark.parametrize("seed", SEEDS)
def test_sigmoid_cross_entropy_gradient(seed):
    v = sigmoid_ce_gradient.generate(seed)

    def loss(z):
        z = float(z[0])
        return v.g * math.log1p(math.exp(-z)) + (1 - v.g) * math.log1p(math.exp(z))

    template = get("sigmoid_ce_gradient")
    assert values(template, v, "a") == pytest.approx(loss([v.z]))
    assert values(template, v, "b") == pytest.approx(numeric_grad(loss, [v.z]), abs=1e-6)


@pytest.mark.parametrize("seed", SEEDS)
def test_affine_batchnorm_and_conv_backward_match_numeric_gradients(seed):
    # affine: L = sum(z * dout) has upstream gradient dout
    v = affine_backward.generate(seed)
    x, w, dout = affine_backward.arrays(v)
    t = get("affine_backward")
    assert np.allclose(values(t, v, "a"), numeric_grad(lambda xx: ((xx @ w) * dout).sum(), x).ravel(), atol=1e-6)
    assert np.allclose(values(t, v, "b"), numeric_grad(lambda ww: ((x @ ww) * dout).sum(), w).ravel(), atol=1e-6)
    # batchnorm
    v = batchnorm_backward.generate(seed)
    dy = np.asarray(v.dy)

    def bn(xx, gamma=v.gamma):
        xh = (xx - xx.mean()) / np.sqrt(((xx - xx.mean()) ** 2).mean() + batchnorm_backward.EPS)
        return ((gamma * xh + v.beta) * dy).sum()

    t = get("batchnorm_backward")
    assert np.allclose(values(t, v, "d"), numeric_grad(bn, v.x), atol=1e-5)
    assert values(t, v, "b") == pytest.approx(numeric_grad(lambda g: bn(np.asarray(v.x), g[0]), [v.gamma])[0], abs=1e-6)
    # 1-D convolution (cross-correlation)
    v = conv1d_backward.generate(seed)
    dy = np.asarray(v.dy)
    k = len(v.w)

    def conv(xx, ww):
        return np.array([xx[i:i + k] @ ww for i in range(len(xx) - k + 1)])

    t = get("conv1d_backward")
    assert np.allclose(values(t, v, "b"), numeric_grad(lambda xx: conv(xx, np.asarray(v.w)) @ dy, v.x), atol=1e-6)
    assert np.allclose(values(t, v, "c"), numeric_grad(lambda ww: conv(np.asarray(v.x), ww) @ dy, v.w), atol=1e-6)


@pytest.mark.parametrize("seed", SEEDS)
def test_shifted_nesterov_tracks_plain_nesterov(seed):
    """Running the shifted-parameter rule from theta_hat_0 = theta_0 + alpha v_0 stays alpha v ahead of NAG."""
    v = nesterov_shifted.generate(seed)
    grad = lambda th: 2.0 * th - 1.0  # noqa: E731 - L = theta^2 - theta, coordinate-wise
    theta, vel = np.asarray(v.theta_hat) - v.alpha * np.asarray(v.v), np.asarray(v.v, dtype=float)
    hat, hat_v = np.asarray(v.theta_hat, dtype=float), np.asarray(v.v, dtype=float)
    for _ in range(5):
        vel = v.alpha * vel - v.gamma * grad(theta + v.alpha * vel)
        theta = theta + vel
        step = nesterov_shifted.Variant(seed=0, theta_hat=tuple(hat), v=tuple(hat_v), g=tuple(grad(hat)), alpha=v.alpha, gamma=v.gamma)
        hat_v, hat = nesterov_shifted.step(step)
        assert np.allclose(hat, theta + v.alpha * vel)


@pytest.mark.parametrize("seed", SEEDS)
def test_adam_against_a_plain_loop_and_unbiasedness(seed):
    v = adam_bias_correction.generate(seed)
    m = s = 0.0
    theta = v.theta0
    for t, g in enumerate(v.grads, start=1):
        m = v.beta1 * m + (1 - v.beta1) * g
        s = v.beta2 * s + (1 - v.beta2) * g * g
        theta -= v.alpha * (m / (1 - v.beta1 ** t)) / math.sqrt(s / (1 - v.beta2 ** t) + 1e-8)
    assert adam_bias_correction.run(v)[-1]["theta"] == pytest.approx(theta, rel=1e-12)
    # E[s_t] = (1 - beta^t) E[g] for i.i.d. gradients: check by simulation
    rng = np.random.default_rng(seed)
    grads = rng.normal(1.5, 1.0, size=(20000, 3))
    weights = (1 - v.beta1) * v.beta1 ** np.arange(2, -1, -1)
    assert (grads @ weights).mean() / (1 - v.beta1 ** 3) == pytest.approx(1.5, abs=0.03)


@pytest.mark.parametrize("seed", SEEDS)
def test_adagrad_and_rmsprop_closed_forms(seed):
    v = adagrad_rmsprop.generate(seed)
    assert adagrad_rmsprop.adagrad_r(v, v.t) == pytest.approx(v.t * v.g0 ** 2)
    assert adagrad_rmsprop.rmsprop_r(v, v.t) == pytest.approx((1 - v.beta ** v.t) * v.g0 ** 2)
    assert values(get("adagrad_rmsprop"), v, "c") == pytest.approx(v.k)


def test_robbins_monro_truth_table():
    cases = {("power", "1/2"): (True, False, True), ("power", "0"): (True, False, False), ("power", "1"): (True, True, True),
             ("power", "3/4"): (True, True, True), ("power", "2"): (False, True, True), ("shifted", "1"): (True, True, True)}
    for (family, p), truth in cases.items():
        assert robbins_monro.properties(family, p, 10, 0.0) == truth, (family, p)
    assert robbins_monro.properties("exponential", "1", 0, 0.99) == (False, True, True)
    assert robbins_monro.properties("log", "1", 0, 0.0) == (True, True, True)
    assert robbins_monro.P_RANGES[robbins_monro.correct_range()][0] == "$\\frac12 < p \\le 1$"


@pytest.mark.parametrize("seed", SEEDS)
def test_l2_and_weight_decay_against_a_generic_adam(seed):
    v = l2_vs_weight_decay.generate(seed)
    w, dw = np.asarray(v.w), np.asarray(v.dw)

    def adam_direction(g, steps=1, b1=0.9, b2=0.999, eps=1e-8):
        m = s = np.zeros_like(g)
        for t in range(1, steps + 1):
            m, s = b1 * m + (1 - b1) * g, b2 * s + (1 - b2) * g * g
        return (m / (1 - b1 ** steps)) / (np.sqrt(s / (1 - b2 ** steps)) + eps)

    u = l2_vs_weight_decay.updates(v)
    assert np.allclose(u["adam_l2"], w - v.gamma * adam_direction(dw + 2 * v.lam * w))
    assert np.allclose(u["adamw"], w - v.gamma * (adam_direction(dw) + 2 * v.lam * w))
    assert np.allclose(u["sgd_l2"], u["sgd_wd"])
    assert np.allclose(u["grad"], numeric_grad(lambda ww: ww @ dw + v.lam * (ww @ ww), w), atol=1e-6)


@pytest.mark.parametrize("seed", SEEDS)
def test_information_and_likelihood_identities(seed):
    v = information_identities.generate(seed)
    p, q = np.asarray(v.p), np.asarray(v.q)
    scale = math.log(2) if v.base else 1.0
    x = information_identities.quantities(v)
    assert x["kl_pq"] == pytest.approx(float((p * np.log(p / q)).sum() / scale))
    assert x["kl_pq"] > 0 and x["ce_pq"] == pytest.approx(x["h_p"] + x["kl_pq"])
    v = mle_nll_ce_kl.generate(seed)
    data = np.repeat(np.arange(len(v.counts)), v.counts)  # the dataset itself, one entry per observation
    mean_nll = float(-np.log(np.asarray(v.q)[data]).mean())
    assert values(get("mle_nll_ce_kl"), v, "a") == pytest.approx(mean_nll)


@pytest.mark.parametrize("seed", SEEDS)
def test_gaussian_nll_and_prior_from_densities(seed):
    v = mse_from_mle.generate(seed)
    pdf = lambda y, mu, s: math.exp(-(y - mu) ** 2 / (2 * s * s)) / math.sqrt(2 * math.pi * s * s)  # noqa: E731
    nll = -sum(math.log(pdf(y, mu, v.sigma)) for y, mu in zip(v.y, v.pred))
    assert values(get("mse_from_mle"), v, "b") == pytest.approx(nll)
    v = map_gaussian_prior.generate(seed)
    log_prior = sum(math.log(pdf(t, 0.0, v.sigma)) for t in v.theta)
    assert map_gaussian_prior.log_prior(v.theta, v.sigma) == pytest.approx(log_prior)


@pytest.mark.parametrize("seed", range(5))
def test_uniform_initialisation_variances_by_simulation(seed):
    v = glorot_init.generate(seed)
    rng = np.random.default_rng(seed)
    bound = math.sqrt(6 / (v.fan_in + v.fan_out))
    sample = rng.uniform(-bound, bound, size=400_000)
    assert sample.var() == pytest.approx(2 / (v.fan_in + v.fan_out), rel=0.02)
    assert values(get("glorot_init"), v, "e") == pytest.approx(2 / (v.fan_in + v.fan_out))


@pytest.mark.parametrize("seed", SEEDS)
def test_clipping_keeps_direction_and_caps_length(seed):
    v = gradient_clipping.generate(seed)
    g = gradient_clipping.full(v)
    clipped = values(get("gradient_clipping"), v, "b")
    assert np.linalg.norm(clipped) <= v.c + 1e-9
    assert np.allclose(clipped / np.linalg.norm(clipped), g / np.linalg.norm(g))


@pytest.mark.parametrize("seed", SEEDS)
def test_mlp_softmax_gradients_match_finite_differences_of_the_nll(seed):
    from question_bank.templates import mlp_softmax_gradients as mlp
    v = mlp.generate(seed)
    x = np.asarray(v.x)
    params = {"w1": np.asarray(v.w1).reshape(v.d, v.h), "b1": np.asarray(v.b1),
              "w2": np.asarray(v.w2).reshape(v.h, v.k), "b2": np.asarray(v.b2)}

    def nll(**override):
        p = {**params, **override}
        z = np.maximum(x @ p["w1"] + p["b1"], 0) @ p["w2"] + p["b2"]
        return float(np.log(np.exp(z).sum()) - z[v.gold])  # -log softmax(z)_g, written independently

    template = get("mlp_softmax_gradients")
    assert values(template, v, "a") == pytest.approx(nll())
    for label, name in (("b", "b2"), ("c", "w2"), ("d", "b1"), ("e", "w1")):
        fd = numeric_grad(lambda arr, name=name: nll(**{name: arr}), params[name])
        assert np.allclose(values(template, v, label), fd.ravel(), atol=1e-6), (seed, name)


@pytest.mark.parametrize("seed", SEEDS)
def test_dropout_inference_output_is_the_monte_carlo_mean_of_training_outputs(seed):
    from question_bank.templates import dropout
    v = dropout.generate(seed)
    template = get("dropout")
    h, keep = np.asarray(v.h), 1 - v.rate
    # the given mask, by a plain loop
    assert np.allclose(values(template, v, "a"), [hi / keep if mi else 0.0 for hi, mi in zip(v.h, v.mask)])
    masks = np.random.default_rng(seed).random((200_000, h.size)) >= v.rate  # kept with probability 1 - p
    inverted_mean = (masks * h / keep).mean(axis=0)
    original_mean = (masks * h).mean(axis=0)
    assert np.allclose(values(template, v, "b"), inverted_mean, atol=0.03)
    assert np.allclose(values(template, v, "c"), original_mean, atol=0.03)
    mean = inverted_mean if v.expect_kind == "inverted" else original_mean
    assert values(template, v, "d") == pytest.approx(mean[v.unit], abs=0.03)


@pytest.mark.parametrize("seed", SEEDS)
def test_label_smoothing_targets_losses_and_gradients(seed):
    from question_bank.templates import label_smoothing
    v = label_smoothing.generate(seed)
    template = get("label_smoothing")
    k = len(v.z)
    # the target is the mixture (1 - alpha) * one-hot + alpha * uniform over the K (resp. 2) outcomes
    target = np.array([(1 - v.alpha) * (c == v.gold) + v.alpha * (1 / k) for c in range(k)])
    assert np.allclose(values(template, v, "a"), target) and target.sum() == pytest.approx(1.0)
    binary = (1 - v.alpha_b) * np.array([1 - v.gb, v.gb]) + v.alpha_b * np.array([0.5, 0.5])  # P(0), P(1)
    assert values(template, v, "d") == pytest.approx(binary[1])

    def ce(z):
        return float(-(target * np.log(np.exp(z) / np.exp(z).sum())).sum())

    def bce(z):
        p1 = 1 / (1 + math.exp(-float(z[0])))
        return float(-(binary[1] * math.log(p1) + binary[0] * math.log(1 - p1)))

    assert values(template, v, "b") == pytest.approx(ce(np.asarray(v.z)))
    assert np.allclose(values(template, v, "c"), numeric_grad(ce, v.z), atol=1e-6)
    assert values(template, v, "e") == pytest.approx(bce([v.zb]))
    assert values(template, v, "f") == pytest.approx(numeric_grad(bce, [v.zb])[0], abs=1e-6)


@pytest.mark.parametrize("seed", SEEDS)
def test_mlp_forward_by_plain_loops_and_parameter_count_by_array_sizes(seed):
    from question_bank.templates import mlp_forward
    v = mlp_forward.generate(seed)
    template = get("mlp_forward")
    act = {"sigmoid": lambda s: 1 / (1 + math.exp(-s)), "tanh": math.tanh, "relu": lambda s: max(0.0, s)}[v.hidden]
    # h_i = f(sum_j x_j W_ji + b_i), o_i = a(sum_j h_j W'_ji + b'_i), the lecture's elementwise formulas
    hidden = [act(sum(v.x[j] * v.w1[j * v.h + i] for j in range(v.d)) + v.b1[i]) for i in range(v.h)]
    z = [sum(hidden[j] * v.w2[j * v.k + i] for j in range(v.h)) + v.b2[i] for i in range(v.k)]
    if v.output == "softmax":
        out = [math.exp(zi) / sum(math.exp(zj) for zj in z) for zi in z]
    elif v.output == "sigmoid":
        out = [1 / (1 + math.exp(-zi)) for zi in z]
    else:
        out = z
    assert np.allclose(values(template, v, "c"), hidden) and np.allclose(values(template, v, "d"), out)
    d, h, k = v.big
    params = [np.zeros((d, h)), np.zeros(h), np.zeros((h, k)), np.zeros(k)]
    assert ((np.zeros((1, d)) @ params[0] + params[1]) @ params[2] + params[3]).shape == (1, k)
    assert values(template, v, "b") == pytest.approx(sum(p.size for p in params))
    assert list(values(template, v, "a")) == [*params[0].shape, params[1].size, *params[2].shape, params[3].size]


def test_mlp_forward_activation_identities_truth_table():
    from question_bank.templates import mlp_forward
    # tanh = 2 sigma(2x) - 1; tanh != 2 sigma(x) - 1; sigma(-x) = 1 - sigma(x); != -sigma(x); softmax shift-invariant,
    # not scale-invariant; softmax((z, 0))_1 = sigma(z); ReLU(x) - ReLU(-x) = x; ReLU(x) + ReLU(-x) = |x|;
    # sigma' = sigma(1 - sigma); tanh' = 1 - tanh^2; tanh' != 1 - tanh
    expected = [True, False, True, False, True, False, True, True, False, True, True, False]
    assert [mlp_forward.identity_truth(i) for i in range(len(mlp_forward.IDENTITIES))] == expected


@pytest.mark.parametrize("seed", SEEDS)
def test_batchnorm_training_inference_and_running_statistics(seed):
    from question_bank.templates import batchnorm_inference as bn
    v = bn.generate(seed)
    template = get("batchnorm_inference")
    x = np.asarray(v.x).reshape(v.n, bn.F)
    mu, var = np.mean(x, axis=0), np.var(x, axis=0, ddof=0)
    assert np.allclose(values(template, v, "a"), mu) and np.allclose(values(template, v, "b"), var)
    y = [[v.gamma[f] * (x[i, f] - mu[f]) / math.sqrt(var[f] + bn.EPS) + v.beta[f] for f in range(bn.F)] for i in range(v.n)]
    assert np.allclose(values(template, v, "c"), y[0])
    assert np.allclose(np.mean(y, axis=0), v.beta) and np.allclose(np.var(y, axis=0), np.square(v.gamma) * var / (var + bn.EPS))
    # Keras: moving = moving * momentum + batch * (1 - momentum)
    run_mean = np.asarray(v.run_mean) * v.momentum + mu * (1 - v.momentum)
    run_var = np.asarray(v.run_var) * v.momentum + var * (1 - v.momentum)
    assert np.allclose(values(template, v, "d"), run_mean) and np.allclose(values(template, v, "e"), run_var)
    x_new = np.asarray(v.x_new)
    assert np.allclose(values(template, v, "f"), v.gamma * (x_new - run_mean) / np.sqrt(run_var + bn.EPS) + np.asarray(v.beta))
    # after many identical batches the running statistics converge to the batch ones, and inference equals training
    m, s = np.asarray(v.run_mean, dtype=float), np.asarray(v.run_var, dtype=float)
    for _ in range(3000):
        m, s = v.momentum * m + (1 - v.momentum) * mu, v.momentum * s + (1 - v.momentum) * var
    assert np.allclose(bn.normalize(x[0], m, s, v.gamma, v.beta), y[0], atol=1e-6)
    # statistics per feature (dense: axis 0) or per channel (conv: axes 0, 1, 2); gamma and beta have that size each
    axes = (0,) if v.layer == "dense" else (0, 1, 2)
    n_stats = np.zeros(v.layer_shape, dtype=np.float32).mean(axis=axes).size
    part = next(p for p in template.parts(v) if p.label == "g")
    assert f" {n_stats} of each" in part.options[part.correct]
    assert values(template, v, "h") == pytest.approx(2 * n_stats)
