"""Named wrong variants of the backprop assignment, pure numpy.

``MISTAKES[function][name]`` is a common student error, with the signature of the function in
``solutions/backprop/backprop.ipynb`` (a backward pass takes the reference's cache: ``(x, w)`` for
affine and conv1d, ``x`` for ReLU, the output for sigmoid and tanh, ``(x_hat, gamma, std)`` for
batch normalization). The suite runs each through the same harness code as the student's function;
when the student's result matches one, the feedback names it, so every name reads after "matches …".
Each differs from the reference and from the others on the suite's inputs (checked by
``tests/autograder/test_grade_backprop.py``).

Three parts are judged by properties rather than by one expected value, because many answers are
right: ``topological_order`` (any order with every node after its parents), and the minibatches of
``train_two_layer`` (any permutation per epoch). Their mistakes are named by the property they break:
``ORDER_PROBLEMS`` and ``BATCH_PROBLEMS`` hold those names, and the mistakes here produce them.

``SIDE_EFFECTS[function][diagnosis]`` compute the right values but change the caller's arrays (x, the
parameters, dout) in place; the suite's "leaves its inputs unchanged" checks fail them with that
diagnosis (``changes_inputs``).
"""
from __future__ import annotations

import numpy as np

from autograder.sandbox.inside.harness import backprop as trusted

# ----------------------------------------------------------------------------- numeric checks


def rel_error_no_floor(x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(np.max(np.abs(x - y) / (np.abs(x) + np.abs(y))))


def rel_error_mean(x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return float(np.mean(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))


def rel_error_relative_to_y(x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(y))))


def _numeric(f, x, h, one_sided, divisor=None, restore=True, copy=False):
    """The shared loop: (f(x + h) - f(x - h)) / (2h), or the forward difference when one_sided."""
    target = x.copy() if copy else x
    grad = np.zeros(x.shape)
    f_x = f(target)
    for i in np.ndindex(x.shape):
        original = target[i]
        target[i] = original + h
        f_plus = f(target)
        if one_sided:
            grad[i] = (f_plus - f_x) / h
        else:
            target[i] = original - h
            grad[i] = (f_plus - f(target)) / (divisor or 2 * h)
        if restore:
            target[i] = original
    return grad


def numeric_half_step(f, x, h=1e-5, method="central"):
    return _numeric(f, x, h, one_sided=method == "forward", divisor=h)


def numeric_always_forward(f, x, h=1e-5, method="central"):
    return _numeric(f, x, h, one_sided=True)


def numeric_always_central(f, x, h=1e-5, method="central"):
    return _numeric(f, x, h, one_sided=False)


def numeric_not_restored(f, x, h=1e-5, method="central"):
    return _numeric(f, x, h, one_sided=method == "forward", restore=False)


def numeric_on_a_copy(f, x, h=1e-5, method="central"):
    return _numeric(f, x, h, one_sided=method == "forward", copy=True)


# ----------------------------------------------------------------------------- graph engine

def order_without_visited_set(output):
    order = []

    def visit(node):
        for parent in node.parents:
            visit(parent)
        order.append(node)
    visit(output)
    return order


def order_output_first(output):
    return trusted.topological_order(output)[::-1]


def _op_backward_except(op_name, replacement):
    def op_backward(op, inputs, out, g, attrs):
        if op in op_name:
            return replacement(op, inputs, out, g, attrs)
        return trusted.op_backward(op, inputs, out, g, attrs)
    return op_backward


def _no_unbroadcast(op, inputs, out, g, attrs):
    a, b = inputs
    return [g, g] if op == "add" else [g * b, g * a]


def _matmul_b_transposed(op, inputs, out, g, attrs):
    a, b = inputs
    return [g @ b.T, g.T @ a]


def _pow_not_lowered(op, inputs, out, g, attrs):
    return [g * attrs["p"] * inputs[0] ** attrs["p"]]


def _tanh_from_input(op, inputs, out, g, attrs):
    return [g * (1 - inputs[0] ** 2)]


def _relu_mask_from_g(op, inputs, out, g, attrs):
    return [g * (g > 0)]


def _mean_as_sum(op, inputs, out, g, attrs):
    return trusted.op_backward("sum", inputs, out, g, attrs)


def _axis_not_restored(op, inputs, out, g, attrs):
    share = 1.0 if op == "sum" else out.size / inputs[0].size
    return [np.broadcast_to(g * share, inputs[0].shape).copy()]


def _backward(output, *, accumulate=True, reset=True, reverse=True):
    order = trusted.topological_order(output)
    if reset:
        for node in order:
            node.grad = np.zeros_like(node.value)
    else:
        for node in order:
            if node.grad is None:
                node.grad = np.zeros_like(node.value)
    output.grad = np.ones_like(output.value)
    for node in (reversed(order) if reverse else order):
        if node.parents:
            local = trusted.op_backward(node.op, [p.value for p in node.parents], node.value, node.grad, node.attrs)
            for parent, contribution in zip(node.parents, local):
                parent.grad = parent.grad + contribution if accumulate else contribution


def backward_overwriting(output):
    _backward(output, accumulate=False)


def backward_not_reset(output):
    _backward(output, reset=False)


def backward_forward_order(output):
    _backward(output, reverse=False)


# ----------------------------------------------------------------------------- layers

def affine_without_bias(x, w, b):
    return x.reshape(x.shape[0], -1) @ w, (x, w)


def affine_dw_transposed(dout, cache):
    dx, dw, db = trusted.affine_backward(dout, cache)
    return dx, dw.T, db


def affine_db_averaged(dout, cache):
    dx, dw, _ = trusted.affine_backward(dout, cache)
    return dx, dw, dout.mean(axis=0)


def affine_db_not_summed(dout, cache):
    dx, dw, _ = trusted.affine_backward(dout, cache)
    return dx, dw, dout


def affine_db_wrong_axis(dout, cache):
    dx, dw, _ = trusted.affine_backward(dout, cache)
    return dx, dw, dout.sum(axis=1)


def affine_dx_not_reshaped(dout, cache):
    _, dw, db = trusted.affine_backward(dout, cache)
    return dout @ cache[1].T, dw, db


def affine_dx_w_not_transposed(dout, cache):
    _, dw, db = trusted.affine_backward(dout, cache)
    x, w = cache
    return (dout @ w).reshape(x.shape), dw, db


def relu_mask_from_dout(dout, cache):
    return dout * (dout > 0)


def relu_mask_without_dout(dout, cache):
    return (cache > 0).astype(float)


def sigmoid_wrong_sign(x):
    out = 1 / (1 + np.exp(x))
    return out, out


def sigmoid_derivative_of_input(dout, cache):
    x = np.log(cache / (1 - cache))
    return dout * x * (1 - x)


def sigmoid_missing_one_minus(dout, cache):
    return dout * cache


def tanh_derivative_of_input(dout, cache):
    return dout * (1 - np.arctanh(cache) ** 2)


def tanh_derivative_not_squared(dout, cache):
    return dout * (1 - cache)


def _softmax(x, y, *, shift=True, axis=1, loss_over_n=True, grad_over_n=True, onehot=True):
    N = x.shape[0]
    shifted = x - x.max(axis=axis, keepdims=True) if shift else x
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        p = np.exp(shifted) / np.exp(shifted).sum(axis=axis, keepdims=True)
        loss = -np.log(p[np.arange(N), y]).sum()
    dx = p.copy()
    if onehot:
        dx[np.arange(N), y] -= 1
    return float(loss / N if loss_over_n else loss), dx / N if grad_over_n else dx


def softmax_summed(x, y):
    return _softmax(x, y, loss_over_n=False, grad_over_n=False)


def softmax_grad_not_averaged(x, y):
    return _softmax(x, y, grad_over_n=False)


def softmax_without_onehot(x, y):
    return _softmax(x, y, onehot=False)


def softmax_over_batch_axis(x, y):
    return _softmax(x, y, axis=0)


def softmax_without_max_shift(x, y):
    return _softmax(x, y, shift=False)


def mse_no_factor_2(pred, target):
    diff = pred - target
    return float(np.mean(diff**2)), diff / diff.size


def mse_with_half(pred, target):
    diff = pred - target
    return float(np.mean(diff**2) / 2), diff / diff.size


def mse_summed(pred, target):
    diff = pred - target
    return float(np.sum(diff**2)), 2 * diff


def mse_over_rows(pred, target):
    diff = pred - target
    return float(np.sum(diff**2) / len(diff)), 2 * diff / len(diff)


def _batchnorm(x, gamma, beta, eps, *, ddof=0, eps_outside=False, axis=0):
    mu = x.mean(axis=axis, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        var = x.var(axis=axis, ddof=ddof, keepdims=True)
        std = np.sqrt(var) + eps if eps_outside else np.sqrt(var + eps)
        x_hat = (x - mu) / std
    return gamma * x_hat + beta, (x_hat, gamma, std)


def batchnorm_unbiased_variance(x, gamma, beta, eps=1e-5):
    return _batchnorm(x, gamma, beta, eps, ddof=1)


def batchnorm_eps_outside_sqrt(x, gamma, beta, eps=1e-5):
    return _batchnorm(x, gamma, beta, eps, eps_outside=True)


def batchnorm_over_features(x, gamma, beta, eps=1e-5):
    return _batchnorm(x, gamma, beta, eps, axis=1)


def batchnorm_backward_no_mean_terms(dout, cache):
    x_hat, gamma, std = cache
    return dout * gamma / std, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


def batchnorm_backward_no_variance_term(dout, cache):
    x_hat, gamma, std = cache
    dx_hat = dout * gamma
    return (dx_hat - dx_hat.mean(axis=0)) / std, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


def batchnorm_dgamma_without_x_hat(dout, cache):
    dx = trusted_batchnorm_backward(dout, cache)[0]
    return dx, dout.sum(axis=0), dout.sum(axis=0)


def trusted_batchnorm_backward(dout, cache):
    x_hat, gamma, std = cache
    N = dout.shape[0]
    dx_hat = dout * gamma
    dx = (N * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0)) / (N * std)
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


_windows = np.lib.stride_tricks.sliding_window_view


def conv1d_true_convolution(x, w, b):
    return np.einsum("ncik,fck->nfi", _windows(x, w.shape[2], axis=2), w[:, :, ::-1]) + b[None, :, None], (x, w)


def conv1d_without_bias(x, w, b):
    return np.einsum("ncik,fck->nfi", _windows(x, w.shape[2], axis=2), w), (x, w)


def _conv1d_backward(dout, cache, *, flip=True, db_axes=(0, 2)):
    x, w = cache
    K = w.shape[2]
    padded = np.pad(dout, ((0, 0), (0, 0), (K - 1, K - 1)))
    kernel = w[:, :, ::-1] if flip else w
    dx = np.einsum("nfik,fck->nci", _windows(padded, K, axis=2), kernel)
    dw = np.einsum("ncik,nfi->fck", _windows(x, K, axis=2), dout)
    return dx, dw, dout.sum(axis=db_axes)


def conv1d_backward_kernel_not_flipped(dout, cache):
    return _conv1d_backward(dout, cache, flip=False)


def conv1d_backward_db_per_position(dout, cache):
    return _conv1d_backward(dout, cache, db_axes=0)


def conv1d_backward_dw_from_flipped_x(dout, cache):
    dx, dw, db = _conv1d_backward(dout, cache)
    return dx, dw[:, :, ::-1], db


# ----------------------------------------------------------------------------- network and training

def _network(params, X, y, reg, *, loss_reg, grad_reg, bias_reg=0.0):
    loss, grads = trusted.two_layer_loss(params, X, y)
    loss += loss_reg * reg * (np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2))
    loss += bias_reg * reg * (np.sum(params["b1"] ** 2) + np.sum(params["b2"] ** 2))
    return loss, {k: g + (grad_reg if k[0] == "W" else 2 * bias_reg) * reg * params[k] for k, g in grads.items()}


def network_reg_without_half(params, X, y, reg=0.0):
    return _network(params, X, y, reg, loss_reg=1.0, grad_reg=2.0)


def network_reg_not_in_gradient(params, X, y, reg=0.0):
    return _network(params, X, y, reg, loss_reg=0.5, grad_reg=0.0)


def network_reg_gradient_doubled(params, X, y, reg=0.0):
    return _network(params, X, y, reg, loss_reg=0.5, grad_reg=2.0)


def network_biases_regularised(params, X, y, reg=0.0):
    return _network(params, X, y, reg, loss_reg=0.5, grad_reg=1.0, bias_reg=0.5)


def _train(X, y, hidden, lr, epochs, batch_size, seed, *, order="fresh", drop_last=False, ascend=False,
           epoch_loss="weighted"):
    rng = np.random.default_rng(seed)
    N, D = X.shape
    C = int(y.max()) + 1
    params = {"W1": rng.normal(0.0, np.sqrt(2.0 / D), size=(D, hidden)), "b1": np.zeros(hidden),
              "W2": rng.normal(0.0, np.sqrt(2.0 / hidden), size=(hidden, C)), "b2": np.zeros(C)}
    history = {"loss": [], "accuracy": [], "batches": [],
               "initial_params": {k: v.copy() for k, v in params.items()}, "params": params}
    fixed = rng.permutation(N) if order == "same" else None
    for _ in range(epochs):
        perm = {"fresh": lambda: rng.permutation(N), "same": lambda: fixed, "none": lambda: np.arange(N),
                "replacement": lambda: rng.integers(0, N, size=N)}[order]()
        stop = N - N % batch_size if drop_last else N
        batches, losses = [], []
        for start in range(0, stop, batch_size):
            idx = perm[start:start + batch_size]
            loss, grads = trusted.two_layer_loss(params, X[idx], y[idx])
            for k in params:
                params[k] = params[k] + lr * grads[k] if ascend else params[k] - lr * grads[k]
            batches.append(idx)
            losses.append(loss)
        sizes = [len(b) for b in batches]
        history["loss"].append({"weighted": float(np.dot(losses, sizes) / sum(sizes)),
                                "unweighted": float(np.mean(losses)), "last": losses[-1]}[epoch_loss])
        hidden_out = np.maximum(X @ params["W1"] + params["b1"], 0)
        history["accuracy"].append(float(np.mean((hidden_out @ params["W2"] + params["b2"]).argmax(1) == y)))
        history["batches"].append(batches)
    return history


def train_same_permutation(X, y, hidden=64, lr=0.5, epochs=100, batch_size=32, seed=0):
    return _train(X, y, hidden, lr, epochs, batch_size, seed, order="same")


def train_no_shuffling(X, y, hidden=64, lr=0.5, epochs=100, batch_size=32, seed=0):
    return _train(X, y, hidden, lr, epochs, batch_size, seed, order="none")


def train_with_replacement(X, y, hidden=64, lr=0.5, epochs=100, batch_size=32, seed=0):
    return _train(X, y, hidden, lr, epochs, batch_size, seed, order="replacement")


def train_last_batch_dropped(X, y, hidden=64, lr=0.5, epochs=100, batch_size=32, seed=0):
    return _train(X, y, hidden, lr, epochs, batch_size, seed, drop_last=True)


def train_gradient_ascent(X, y, hidden=64, lr=0.5, epochs=100, batch_size=32, seed=0):
    return _train(X, y, hidden, lr, epochs, batch_size, seed, ascend=True)


def train_epoch_loss_unweighted(X, y, hidden=64, lr=0.5, epochs=100, batch_size=32, seed=0):
    return _train(X, y, hidden, lr, epochs, batch_size, seed, epoch_loss="unweighted")


def train_epoch_loss_of_last_batch(X, y, hidden=64, lr=0.5, epochs=100, batch_size=32, seed=0):
    return _train(X, y, hidden, lr, epochs, batch_size, seed, epoch_loss="last")


# ----------------------------------------------------------------------------- side effects
# Right values, but the caller's arrays changed in place: each gives the reference's results on
# copies of its inputs, and the suite's "leaves its inputs unchanged" checks fail it.

def changes_inputs(part: str) -> str:
    """The diagnosis of a layer or loss that changes an array of its caller in place."""
    return f"{part} modifies its inputs in place"


def relu_forward_in_place(x):
    np.maximum(x, 0, out=x)
    return x, x            # the mask x > 0 is the same on the output


def relu_backward_zeroing_dout(dout, cache):
    dout[cache <= 0] = 0
    return dout


def sigmoid_backward_in_place(dout, cache):
    dout *= cache * (1 - cache)
    return dout


def tanh_forward_in_place(x):
    np.tanh(x, out=x)
    return x, x


def tanh_backward_in_place(dout, cache):
    dout *= 1 - cache**2
    return dout


def softmax_shifting_x_in_place(x, y):
    x -= x.max(axis=1, keepdims=True)
    return trusted.softmax_loss(x, y)


def mse_subtracting_in_place(pred, target):
    pred -= target
    return float(np.mean(pred**2)), 2 * pred / pred.size


def batchnorm_normalising_x_in_place(x, gamma, beta, eps=1e-5):
    std = np.sqrt(x.var(axis=0) + eps)
    x -= x.mean(axis=0)
    x /= std
    return gamma * x + beta, (x, gamma, std)


def batchnorm_backward_scaling_dout(dout, cache):
    x_hat, gamma, std = cache
    N = dout.shape[0]
    dbeta, dgamma = dout.sum(axis=0), (dout * x_hat).sum(axis=0)
    dout *= gamma
    return (N * dout - dout.sum(axis=0) - x_hat * (dout * x_hat).sum(axis=0)) / (N * std), dgamma, dbeta


SIDE_EFFECTS = {  # part: {the diagnosis the suite gives: variant}
    "relu_forward": {changes_inputs("relu_forward"): relu_forward_in_place},
    "relu_backward": {changes_inputs("relu_backward"): relu_backward_zeroing_dout},
    "sigmoid_backward": {changes_inputs("sigmoid_backward"): sigmoid_backward_in_place},
    "tanh_forward": {changes_inputs("tanh_forward"): tanh_forward_in_place},
    "tanh_backward": {changes_inputs("tanh_backward"): tanh_backward_in_place},
    "softmax_loss": {changes_inputs("softmax_loss"): softmax_shifting_x_in_place},
    "mse_loss": {changes_inputs("mse_loss"): mse_subtracting_in_place},
    "batchnorm_forward": {changes_inputs("batchnorm_forward"): batchnorm_normalising_x_in_place},
    "batchnorm_backward": {changes_inputs("batchnorm_backward"): batchnorm_backward_scaling_dout},
}


# Names of the properties the suite checks in topological orders and in the minibatches of an epoch.
ORDER_PROBLEMS = {
    "duplicates": "a topological order listing a node once per path (no visited set)",
    "parent_after": "an order with nodes before their parents (reversed: output first)",
}
BATCH_PROBLEMS = {
    "same": "the same permutation in every epoch",
    "none": "minibatches without shuffling (examples in their original order)",
    "replacement": "minibatches drawn with replacement (not a permutation per epoch)",
    "dropped": "the last, smaller minibatch of each epoch dropped",
}
# Update rules and epoch losses the suite replays over the student's own minibatches.
REPLAYS = {
    "ascend": "gradient ascent (params + lr·grads)",
    "unweighted": "the epoch loss as the unweighted mean of the minibatch losses",
    "last": "the epoch loss as the loss of the last minibatch",
}

MISTAKES = {
    "relative_error": {
        "the relative error without the 1e-8 floor (0/0 gives NaN)": rel_error_no_floor,
        "the mean relative error instead of the maximum": rel_error_mean,
        "the error relative to |y| alone": rel_error_relative_to_y,
    },
    "numeric_gradient": {
        "a central difference divided by h instead of 2h": numeric_half_step,
        "a forward difference whatever the method": numeric_always_forward,
        "a central difference whatever the method": numeric_always_central,
        "x not restored after each perturbation": numeric_not_restored,
        "perturbing a copy of x instead of x itself": numeric_on_a_copy,
    },
    "topological_order": {
        ORDER_PROBLEMS["duplicates"]: order_without_visited_set,
        ORDER_PROBLEMS["parent_after"]: order_output_first,
    },
    "op_backward": {
        "add/mul without summing the gradient of a broadcast input (unbroadcast missing)":
            _op_backward_except(("add", "mul"), _no_unbroadcast),
        "matmul's gradient of the right factor transposed (gᵀa instead of aᵀg)":
            _op_backward_except(("matmul",), _matmul_b_transposed),
        "pow's derivative without lowering the exponent (p·aᵖ)": _op_backward_except(("pow",), _pow_not_lowered),
        "tanh's derivative from the input (1 − a²) instead of the output (1 − out²)":
            _op_backward_except(("tanh",), _tanh_from_input),
        "relu's mask from the incoming gradient (g > 0) instead of the input":
            _op_backward_except(("relu",), _relu_mask_from_g),
        "mean's gradient not divided by the number of averaged elements": _op_backward_except(("mean",), _mean_as_sum),
        "sum/mean over an axis spread without restoring the axis (np.expand_dims missing)":
            _op_backward_except(("sum", "mean"), _axis_not_restored),
    },
    "backward": {
        "the gradient overwritten instead of accumulated (parent.grad = contribution)": backward_overwriting,
        "gradients not reset between calls (added to those of the previous backward)": backward_not_reset,
        "nodes processed in topological order instead of reverse topological order": backward_forward_order,
    },
    "affine_forward": {
        "the affine layer without the bias": affine_without_bias,
    },
    "affine_backward": {
        "dw transposed (doutᵀx instead of xᵀdout)": affine_dw_transposed,
        "db averaged over the batch instead of summed": affine_db_averaged,
        "db not summed over the batch (db = dout)": affine_db_not_summed,
        "db summed over the wrong axis (axis=1)": affine_db_wrong_axis,
        "dx not reshaped to the shape of x": affine_dx_not_reshaped,
        "dx computed with w instead of wᵀ": affine_dx_w_not_transposed,
    },
    "relu_backward": {
        "the ReLU mask taken from the upstream gradient (dout > 0) instead of the input": relu_mask_from_dout,
        "the ReLU mask returned without multiplying by dout": relu_mask_without_dout,
    },
    "sigmoid_forward": {
        "the sigmoid with the wrong sign in the exponent (1/(1 + eˣ))": sigmoid_wrong_sign,
    },
    "sigmoid_backward": {
        "the sigmoid derivative evaluated at x (x(1 − x)) instead of at σ(x)": sigmoid_derivative_of_input,
        "the sigmoid derivative without the (1 − σ) factor": sigmoid_missing_one_minus,
    },
    "tanh_backward": {
        "the tanh derivative from the input (1 − x²) instead of the output": tanh_derivative_of_input,
        "the tanh derivative without the square (1 − tanh x)": tanh_derivative_not_squared,
    },
    "softmax_loss": {
        "softmax-CE not averaged over N (loss and dx summed over the batch)": softmax_summed,
        "softmax-CE with the loss averaged but dx not divided by N": softmax_grad_not_averaged,
        "the softmax gradient without subtracting the one-hot labels": softmax_without_onehot,
        "the softmax normalised over the batch axis (axis=0)": softmax_over_batch_axis,
        "the softmax without subtracting the row maximum (overflows for large scores)": softmax_without_max_shift,
    },
    "mse_loss": {
        "the MSE gradient without the factor 2": mse_no_factor_2,
        "the MSE with a factor ½": mse_with_half,
        "the squared error summed instead of averaged": mse_summed,
        "the MSE averaged over the rows (N) instead of all elements": mse_over_rows,
    },
    "batchnorm_forward": {
        "batch normalization with the unbiased variance (1/(N − 1))": batchnorm_unbiased_variance,
        "batch normalization with ε outside the square root": batchnorm_eps_outside_sqrt,
        "batch normalization over the features (axis=1) instead of the batch": batchnorm_over_features,
    },
    "batchnorm_backward": {
        "batchnorm backward missing the mean terms (μ and σ² treated as constants)": batchnorm_backward_no_mean_terms,
        "batchnorm backward missing the variance term": batchnorm_backward_no_variance_term,
        "dgamma without the x̂ factor (dgamma = Σ dout)": batchnorm_dgamma_without_x_hat,
    },
    "conv1d_forward": {
        "a true convolution (kernel flipped) instead of the cross-correlation": conv1d_true_convolution,
        "the convolution without the bias": conv1d_without_bias,
    },
    "conv1d_backward": {
        "dx correlated with the kernel not flipped": conv1d_backward_kernel_not_flipped,
        "db not summed over the positions": conv1d_backward_db_per_position,
        "dw with the kernel positions reversed": conv1d_backward_dw_from_flipped_x,
    },
    "two_layer_loss": {
        "the L2 penalty without the ½ (reg·ΣW² and 2·reg·W)": network_reg_without_half,
        "the L2 penalty in the loss but not in the gradients": network_reg_not_in_gradient,
        "the L2 gradient 2·reg·W for the penalty ½·reg·ΣW²": network_reg_gradient_doubled,
        "the biases regularised too": network_biases_regularised,
    },
    "train_two_layer": {
        BATCH_PROBLEMS["same"]: train_same_permutation,
        BATCH_PROBLEMS["none"]: train_no_shuffling,
        BATCH_PROBLEMS["replacement"]: train_with_replacement,
        BATCH_PROBLEMS["dropped"]: train_last_batch_dropped,
        REPLAYS["ascend"]: train_gradient_ascent,
        REPLAYS["unweighted"]: train_epoch_loss_unweighted,
        REPLAYS["last"]: train_epoch_loss_of_last_batch,
    },
}
