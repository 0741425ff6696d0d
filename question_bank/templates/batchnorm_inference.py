"""Batch normalization at training (batch statistics) and at inference (running averages).

Source: NPFL114 lecture 4 [10] ("Describe batch normalization including all its parameters, and write
down an algorithm how it is used during training and the algorithm how it is used during inference.
Be sure to explicitly write over what is being normalized in case of fully connected layers and in
case of convolutional layers."); the training forward pass is also seed 004's. Convention: for a
batch x_1..x_N of one feature, mu_B = mean, sigma_B^2 = (1/N) sum (x_i - mu_B)^2 (biased),
y = gamma (x - mu_B)/sqrt(sigma_B^2 + eps) + beta; after each training batch the running statistics
are updated as mu_hat <- lambda mu_hat + (1 - lambda) mu_B and sigma_hat^2 <- lambda sigma_hat^2 +
(1 - lambda) sigma_B^2 (Keras' momentum lambda); inference uses y = gamma (x - mu_hat)/sqrt(sigma_hat^2 + eps)
+ beta. Statistics are per feature over the batch (fully connected) and per channel over the batch
and both spatial axes (convolutional); gamma and beta have one entry per feature/channel.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from question_bank import draw
from question_bank.core import ChoicePart, Misconception, NumericPart, RubricItem
from question_bank.layout import fmt, statement, tex_mat, tex_row

NAME = "batchnorm_inference"
TITLE = "Batch normalization at training and at inference"
TOPIC = "normalization"
POINTS = 10
ITEM_POINTS = 6
SOURCE = "NPFL114 lecture 4 [10] (batch normalization: parameters, training vs inference, axes for dense/conv); seed 004 (batchnorm forward)"
EPS = 0.001
F = 2  # features of the numeric instance


@dataclass(frozen=True)
class Variant:
    seed: int
    x: tuple[float, ...]          # (N, F) row-major, one row per example
    n: int
    gamma: tuple[float, ...]
    beta: tuple[float, ...]
    run_mean: tuple[float, ...]   # running statistics before this batch
    run_var: tuple[float, ...]
    momentum: float
    x_new: tuple[float, ...]      # an input seen at inference
    layer: str                    # "dense" or "conv": the layer of the axes question
    layer_shape: tuple[int, ...]  # (B, F) or (B, H, W, C)


def batch(v: Variant) -> np.ndarray:
    return np.asarray(v.x, dtype=float).reshape(v.n, F)


def statistics(v: Variant) -> dict:
    x = batch(v)
    mu = x.mean(axis=0)
    var = ((x - mu) ** 2).mean(axis=0)
    lam = v.momentum
    run_mean, run_var = np.asarray(v.run_mean), np.asarray(v.run_var)
    return dict(mu=mu, var=var, run_mean=lam * run_mean + (1 - lam) * mu, run_var=lam * run_var + (1 - lam) * var)


def normalize(x, mean, var, gamma, beta) -> np.ndarray:
    return np.asarray(gamma) * (np.asarray(x, dtype=float) - mean) / np.sqrt(np.asarray(var) + EPS) + np.asarray(beta)


def axis_options(v: Variant) -> tuple[tuple[str, str], ...]:
    """(id, text) of the answers to "over what is normalized"; the first is right."""
    if v.layer == "dense":
        b, f = v.layer_shape
        return (("right", f"over the batch axis: one mean and variance per feature, {f} of each"),
                ("layer", f"over the features of each example: one mean and variance per example, {b} of each"),
                ("all", f"over all {b * f} entries at once: a single mean and variance"),
                ("running", "over nothing: every entry is normalized with the running statistics, also during training"))
    b, h, w, c = v.layer_shape
    return (("right", f"over the batch and both spatial axes: one mean and variance per channel, {c} of each"),
            ("batch_only", f"over the batch axis only: one mean and variance per position and channel, {h * w * c} of each"),
            ("layer", f"over the height, width and channels of each example: one per example, {b} of each"),
            ("instance", f"over the height and width, separately per example and channel: {b * c} of each"),
            ("all", "over all entries at once: a single mean and variance"))


def generate(seed: int) -> Variant:
    rng = draw.rng_for(seed)
    n = int(draw.pick(rng, (3, 4)))
    while True:
        x = draw.grid_vector(rng, n * F, -2.0, 6.0, 1.0)
        if (np.ptp(np.asarray(x).reshape(n, F), axis=0) >= 1).all():
            break
    layer = draw.pick(rng, ("dense", "conv"))
    if layer == "dense":
        shape = (int(draw.pick(rng, (32, 64, 128))), int(draw.pick(rng, (100, 256, 500, 10))))
    else:
        side = int(draw.pick(rng, (28, 32, 14, 7)))
        shape = (int(draw.pick(rng, (16, 32, 64))), side, side, int(draw.pick(rng, (16, 32, 64, 3))))
    return Variant(seed=seed, x=x, n=n, gamma=tuple(draw.pick(rng, (0.5, 1.0, 1.5, 2.0)) for _ in range(F)),
                   beta=draw.grid_vector(rng, F, -1.0, 1.0, 0.5), run_mean=draw.grid_vector(rng, F, -1.0, 2.0, 0.5),
                   run_var=draw.grid_vector(rng, F, 0.5, 4.0, 0.5), momentum=draw.pick(rng, (0.9, 0.9, 0.8, 0.99, 0.7)),
                   x_new=draw.grid_vector(rng, F, -2.0, 6.0, 1.0), layer=layer, layer_shape=shape)


def parts(v: Variant):
    x = batch(v)
    s = statistics(v)
    lam = v.momentum
    gamma, beta = np.asarray(v.gamma), np.asarray(v.beta)
    old_mean, old_var = np.asarray(v.run_mean), np.asarray(v.run_var)
    vec = dict(shape=(F,), rel_tol=1e-2, abs_tol=2e-3)
    y1 = normalize(x[0], s["mu"], s["var"], gamma, beta)
    y_inf = normalize(v.x_new, s["run_mean"], s["run_var"], gamma, beta)
    options = axis_options(v)
    order = draw.shuffled(draw.rng_for(v.seed + 1), tuple(range(len(options))))
    channels = v.layer_shape[-1]
    trained = 2 * channels
    unit = "feature" if v.layer == "dense" else "channel"
    count_wrong = [Misconception((float(4 * channels),), "the running mean and variance are not trained by gradient descent; "
                                                         "only gamma and beta are parameters"),
                   Misconception((float(channels),), f"there are two trained parameters per {unit}: the scale gamma and the shift beta")]
    if v.layer == "conv":
        b, h, w, c = v.layer_shape
        count_wrong.append(Misconception((float(2 * h * w * c),), "gamma and beta are shared by all positions of a channel"))
    swap = "the running average keeps lambda of the old value: new = lambda * old + (1 - lambda) * batch"
    return (
        NumericPart(label="a", prompt="The batch mean $\\boldsymbol\\mu_B$ (one entry per feature).", value=tuple(s["mu"]), **vec,
                    misconceptions=(Misconception(tuple(x.sum(axis=0)), f"divide the sum by the batch size N = {v.n}"),)),
        NumericPart(label="b", prompt="The batch variance $\\boldsymbol\\sigma_B^2$.", value=tuple(s["var"]), **vec,
                    misconceptions=(Misconception(tuple(s["var"] * v.n / (v.n - 1)), "batch normalization uses the biased variance, "
                                                                                     f"dividing by N = {v.n}, not N - 1"),
                                    Misconception(tuple(np.sqrt(s["var"])), "that is the standard deviation; the question asks for the variance"))),
        NumericPart(label="c", prompt="The training-time output $\\boldsymbol y_1$ of the first example.", value=tuple(y1), **vec,
                    misconceptions=(Misconception(tuple(normalize(x[0], old_mean, old_var, gamma, beta)),
                                                  "during training, normalize with the statistics of the current batch, not the running ones"),
                                    Misconception(tuple((x[0] - s["mu"]) / np.sqrt(s["var"] + EPS)),
                                                  "apply the learned scale and shift: y = gamma x_hat + beta"),
                                    Misconception(tuple(gamma * (x[0] - s["mu"]) / (s["var"] + EPS) + beta),
                                                  "divide by the standard deviation sqrt(sigma^2 + eps), not by the variance"))),
        NumericPart(label="d", prompt="The running mean $\\hat{\\boldsymbol\\mu}$ after this batch.", value=tuple(s["run_mean"]), **vec,
                    misconceptions=(Misconception(tuple(lam * s["mu"] + (1 - lam) * old_mean), swap),)),
        NumericPart(label="e", prompt="The running variance $\\hat{\\boldsymbol\\sigma}^2$ after this batch.", value=tuple(s["run_var"]), **vec,
                    misconceptions=(Misconception(tuple(lam * s["var"] + (1 - lam) * old_var), swap),)),
        NumericPart(label="f", prompt=f"After this step the network is used for inference on the input $\\boldsymbol x = {tex_row(v.x_new, 0)}$. "
                                      "The layer's output.", value=tuple(y_inf), **vec,
                    misconceptions=(Misconception(tuple(normalize(v.x_new, s["mu"], s["var"], gamma, beta)),
                                                  "at inference use the running statistics, not those of the last training batch"),
                                    Misconception(tuple(normalize(v.x_new, old_mean, old_var, gamma, beta)),
                                                  "the running statistics were updated by this training batch; use the new ones"),
                                    Misconception(tuple((np.asarray(v.x_new) - s["run_mean"]) / np.sqrt(s["run_var"] + EPS)),
                                                  "apply the learned scale and shift gamma and beta at inference too"))),
        ChoicePart(label="g", prompt=(f"A batch normalization layer follows a **{'fully connected' if v.layer == 'dense' else 'convolutional'}** "
                                      f"layer whose output has shape {' x '.join(str(d) for d in v.layer_shape)} "
                                      f"({'batch x features' if v.layer == 'dense' else 'batch x height x width x channels'}). "
                                      "During training, over what are the mean and variance computed?"),
                   options=tuple(options[i][1] for i in order), correct=order.index(0),
                   explanation=("for a fully connected layer each feature is normalized over the batch" if v.layer == "dense" else
                                "for a convolutional layer each channel is normalized over the batch and all positions, "
                                "consistently with the weight sharing of the convolution")),
        NumericPart(label="h", prompt="How many parameters of that batch normalization layer are trained by gradient descent?",
                    value=(float(trained),), rel_tol=0.0, abs_tol=0.5, misconceptions=tuple(count_wrong)),
    )


def render(v: Variant) -> str:
    stem = (f"Batch normalization over a training batch of $N = {v.n}$ examples with {F} features, "
            f"$X = {tex_mat(v.x, (v.n, F), 0)}$ (one row per example), computes per feature the batch mean and the biased "
            r"variance $\sigma_B^2 = \frac1N\sum_i (x_i - \mu_B)^2$ and outputs $y = \gamma\frac{x - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}} + \beta$, "
            f"with $\\boldsymbol\\gamma = {tex_row(v.gamma, 1)}$, $\\boldsymbol\\beta = {tex_row(v.beta, 1)}$, $\\epsilon = {fmt(EPS, 3)}$. "
            f"Before this batch the running statistics are $\\hat{{\\boldsymbol\\mu}} = {tex_row(v.run_mean, 1)}$ and "
            f"$\\hat{{\\boldsymbol\\sigma}}^2 = {tex_row(v.run_var, 1)}$; after each training batch they are updated as "
            r"$\hat\mu \leftarrow \lambda\hat\mu + (1 - \lambda)\mu_B$, $\hat\sigma^2 \leftarrow \lambda\hat\sigma^2 + (1 - \lambda)\sigma_B^2$ "
            f"with momentum $\\lambda = {fmt(v.momentum, 2)}$. Give numbers to 4 decimals.")
    written = ("Describe batch normalization including all its parameters, and write down the algorithm of its use during "
               "training and during inference; say over what is normalized for fully connected and for convolutional layers.")
    return statement(title=TITLE, points=POINTS, stem=stem, parts=parts(v), written=written)


def solution(v: Variant) -> str:
    x = batch(v)
    s = statistics(v)
    gamma, beta = np.asarray(v.gamma), np.asarray(v.beta)
    lam = v.momentum
    y1 = normalize(x[0], s["mu"], s["var"], gamma, beta)
    y_inf = normalize(v.x_new, s["run_mean"], s["run_var"], gamma, beta)
    x_hat = (x[0] - s["mu"]) / np.sqrt(s["var"] + EPS)
    right = axis_options(v)[0][1]
    return "\n".join([
        f"1. Per feature (column): $\\boldsymbol\\mu_B = {tex_row(s['mu'], 4)}$, $\\boldsymbol\\sigma_B^2 = {tex_row(s['var'], 4)}$ (divide by $N = {v.n}$).",
        f"2. $\\hat{{\\boldsymbol x}}_1 = (\\boldsymbol x_1 - \\boldsymbol\\mu_B)/\\sqrt{{\\boldsymbol\\sigma_B^2 + \\epsilon}} = {tex_row(x_hat, 4)}$, "
        f"$\\boldsymbol y_1 = \\boldsymbol\\gamma\\odot\\hat{{\\boldsymbol x}}_1 + \\boldsymbol\\beta = {tex_row(y1, 4)}$.",
        f"3. $\\hat{{\\boldsymbol\\mu}} \\leftarrow {fmt(lam, 2)}\\cdot{tex_row(v.run_mean, 1)} + {fmt(1 - lam, 2)}\\cdot\\boldsymbol\\mu_B = {tex_row(s['run_mean'], 4)}$; "
        f"$\\hat{{\\boldsymbol\\sigma}}^2 \\leftarrow {fmt(lam, 2)}\\cdot{tex_row(v.run_var, 1)} + {fmt(1 - lam, 2)}\\cdot\\boldsymbol\\sigma_B^2 = {tex_row(s['run_var'], 4)}$.",
        f"4. Inference uses the running statistics (no batch dependence, deterministic): "
        f"$\\boldsymbol y = \\boldsymbol\\gamma\\odot(\\boldsymbol x - \\hat{{\\boldsymbol\\mu}})/\\sqrt{{\\hat{{\\boldsymbol\\sigma}}^2 + \\epsilon}} + \\boldsymbol\\beta = {tex_row(y_inf, 4)}$.",
        f"5. Axes: {right}.",
        f"6. Trained parameters: $\\gamma$ and $\\beta$, one per {'feature' if v.layer == 'dense' else 'channel'}: "
        f"$2\\cdot{v.layer_shape[-1]} = {2 * v.layer_shape[-1]}$ (the running mean and variance are {2 * v.layer_shape[-1]} more "
        "numbers, updated by averaging, not by gradients).",
    ])


def model_answer(v: Variant) -> str:
    return "\n".join([
        r"Batch normalization normalizes each feature (channel) of a layer's input to zero mean and unit variance over the "
        r"minibatch, then applies a learned scale and shift. Parameters: $\boldsymbol\gamma$ and $\boldsymbol\beta$ (trained, one per "
        r"feature/channel, initialized to 1 and 0), and the running mean $\hat{\boldsymbol\mu}$ and variance $\hat{\boldsymbol\sigma}^2$ "
        r"(not trained, one per feature/channel, initialized to 0 and 1); $\epsilon$ and the momentum $\lambda$ are hyperparameters. "
        r"The preceding layer usually has no bias ($\beta$ replaces it).",
        r"**Training**, for a minibatch $x_1..x_m$: $\mu = \frac1m\sum_i x_i$, $\sigma^2 = \frac1m\sum_i (x_i - \mu)^2$, "
        r"$\hat x_i = (x_i - \mu)/\sqrt{\sigma^2 + \epsilon}$, $y_i = \gamma\hat x_i + \beta$; gradients flow through $\mu$ and "
        r"$\sigma^2$ too; then $\hat\mu \leftarrow \lambda\hat\mu + (1 - \lambda)\mu$, $\hat\sigma^2 \leftarrow \lambda\hat\sigma^2 + (1 - \lambda)\sigma^2$.",
        r"**Inference**: $y = \gamma(x - \hat\mu)/\sqrt{\hat\sigma^2 + \epsilon} + \beta$ -- a fixed affine map, independent of the "
        r"other examples (it can be folded into the preceding layer).",
        r"**Axes**: after a fully connected layer, statistics per feature over the batch; after a convolutional layer, per "
        r"channel over the batch and all spatial positions ($B\times H\times W$ values each), and $\gamma, \beta$ are per channel.",
    ])


def rubric(v: Variant) -> tuple[RubricItem, ...]:
    return (
        RubricItem(1.0, "Parameters: trained gamma and beta, running mean/variance (not trained), eps; sizes: one per feature/channel."),
        RubricItem(1.0, "Training algorithm: batch mean, biased batch variance, normalize with eps, scale and shift; running averages updated."),
        RubricItem(1.0, "Inference algorithm: the running statistics replace the batch ones; deterministic, per-example."),
        RubricItem(1.0, "Axes: fully connected per feature over the batch; convolutional per channel over batch, height and width."),
    )
