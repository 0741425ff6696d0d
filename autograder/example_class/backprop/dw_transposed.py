"""Backprop assignment: my functions (exported from the notebook without the tests)."""


import numpy as np


def relative_error(x, y):
    """Largest element-wise relative error of two arrays (CS231n's rel_error):

        max over elements of |x - y| / max(1e-8, |x| + |y|)

    Inputs:
    - x, y: numbers or numpy arrays of the SAME shape. Arrays of different shapes (for example
      (N, 1) and (N,), which numpy would silently broadcast to (N, N)) raise a ValueError.

    Returns:
    - error: float, 0.0 when x and y are equal.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.shape != y.shape:
        raise ValueError(f"cannot compare arrays of shapes {x.shape} and {y.shape}")
    error = float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))
    return error


def numeric_gradient(f, x, h=1e-5, method="central"):
    """Finite-difference gradient of a scalar function f at x, one element of x at a time.

        forward: df/dx_i ~ (f(x + h e_i) - f(x)) / h
        central: df/dx_i ~ (f(x + h e_i) - f(x - h e_i)) / (2 h)

    Inputs:
    - f: function taking an array of x's shape and returning a number.
    - x: float numpy array of any shape. It is perturbed IN PLACE, one element at a time, and each
      element is put back right after, so x is unchanged when the function returns. Perturbing x
      itself (not a copy) lets f ignore its argument and read an array it shares with the caller,
      as in numeric_gradient(lambda _: loss(W), W).
    - h: the step.
    - method: "central" or "forward".

    Returns:
    - grad: float numpy array of x's shape.
    """
    if method not in ("central", "forward"):
        raise ValueError(f"method must be 'central' or 'forward', not {method!r}")
    grad = np.zeros(x.shape)
    f_x = f(x) if method == "forward" else None
    for i in np.ndindex(x.shape):
        original = x[i]
        x[i] = original + h
        f_plus = f(x)
        if method == "central":
            x[i] = original - h
            grad[i] = (f_plus - f(x)) / (2 * h)
        else:
            grad[i] = (f_plus - f_x) / h
        x[i] = original
    return grad


FORWARD = {
    "add": lambda a, b: a + b,
    "mul": lambda a, b: a * b,
    "matmul": lambda a, b: a @ b,
    "pow": lambda a, p: a**p,
    "exp": np.exp,
    "log": np.log,
    "tanh": np.tanh,
    "relu": lambda a: np.maximum(a, 0.0),
    "sum": lambda a, axis=None: np.sum(a, axis=axis),
    "mean": lambda a, axis=None: np.mean(a, axis=axis),
}


class Node:
    """A node u_i of a computational graph. Its value is computed when it is created (forward pass).

    - value: float numpy array (0-d for a scalar).
    - parents: tuple of the Nodes it was computed from, in argument order; P(u_i) of the lecture.
    - op: "input" for a leaf (input, parameter or constant), otherwise a key of FORWARD.
    - attrs: the op's extra arguments: {"p": exponent} for pow, {"axis": None or int} for sum and
      mean, {} for the others.
    - grad: dL/du_i, an array of value's shape, set by backward(); None before.
    """

    __array_ufunc__ = None  # so that `array + node` is handled by Node.__radd__, not by numpy

    def __init__(self, value, parents=(), op="input", attrs=None, name=""):
        self.value = np.array(value, dtype=float)
        self.parents = tuple(parents)
        self.op = op
        self.attrs = dict(attrs or {})
        self.name = name
        self.grad = None

    @staticmethod
    def apply(op, parents, attrs=None):
        """The node op(*parents); numbers and arrays among the parents become constant leaves."""
        parents = [p if isinstance(p, Node) else Node(p, name="const") for p in parents]
        value = FORWARD[op](*(p.value for p in parents), **(attrs or {}))
        return Node(value, parents, op, attrs)

    def __add__(self, other):
        return Node.apply("add", [self, other])

    def __radd__(self, other):
        return Node.apply("add", [other, self])

    def __mul__(self, other):
        return Node.apply("mul", [self, other])

    def __rmul__(self, other):
        return Node.apply("mul", [other, self])

    def __matmul__(self, other):
        return Node.apply("matmul", [self, other])

    def __rmatmul__(self, other):
        return Node.apply("matmul", [other, self])

    def __pow__(self, p):
        return Node.apply("pow", [self], {"p": float(p)})

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return other + (-self)

    def __truediv__(self, other):
        return self * other**-1.0

    def __rtruediv__(self, other):
        return other * self**-1.0

    def exp(self):
        return Node.apply("exp", [self])

    def log(self):
        return Node.apply("log", [self])

    def tanh(self):
        return Node.apply("tanh", [self])

    def relu(self):
        return Node.apply("relu", [self])

    def sum(self, axis=None):
        return Node.apply("sum", [self], {"axis": axis})

    def mean(self, axis=None):
        return Node.apply("mean", [self], {"axis": axis})

    def __repr__(self):
        return f"Node({self.name or self.op}, shape={self.value.shape})"


def unbroadcast(grad, shape):
    """Sum grad over the axes that numpy broadcasting added or stretched, giving an array of `shape`.

    If b of shape (M,) was added to z of shape (N, M), then dL/db = unbroadcast(g, (M,)) = g.sum(axis=0).
    """
    extra = grad.ndim - len(shape)
    stretched = tuple(extra + i for i, n in enumerate(shape) if n == 1 and grad.shape[extra + i] != 1)
    return np.sum(grad, axis=tuple(range(extra)) + stretched, keepdims=True).reshape(shape)


def topological_order(output):
    """The nodes that `output` depends on, each listed after all of its parents.

    Inputs:
    - output: a Node.

    Returns:
    - order: list of the Nodes reachable from output through .parents, output included, each exactly
      once (also when it is used several times), every node after all of its parents; output is last.
    """
    order = []
    # iterative depth-first search: a long chain of nodes must not hit Python's recursion limit
    visited = set()
    stack = [(output, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
        elif id(node) not in visited:
            visited.add(id(node))
            stack.append((node, True))
            stack.extend((parent, False) for parent in reversed(node.parents))
    return order


def op_backward(op, inputs, out, g, attrs):
    """One local step of backpropagation: dL/d(input) for every input of one operation.

    For out = op(*inputs) and g = dL/d(out), returns g times d(out)/d(input_k) for each k (a
    vector-Jacobian product, computed without building the Jacobian).

    Inputs:
    - op: name of the operation: "add", "mul", "matmul", "pow", "exp", "log", "tanh", "relu", "sum"
      or "mean".
    - inputs: list of the parents' values (numpy arrays): two for add, mul and matmul, one otherwise.
    - out: numpy array, the value op(*inputs) from the forward pass (reuse it for exp and tanh).
    - g: numpy array of out's shape, dL/d(out).
    - attrs: dict, {"p": exponent} for pow, {"axis": None or int} for sum and mean, {} otherwise.

    Returns:
    - grads: list of numpy arrays, one per input, each of that input's shape. add and mul broadcast
      as numpy does: an input that numpy stretched gets its gradient summed back (unbroadcast).
      matmul multiplies 2-D arrays, (N, K) @ (K, M).
    """
    if op == "add":
        a, b = inputs
        grads = [unbroadcast(g, a.shape), unbroadcast(g, b.shape)]
    elif op == "mul":
        a, b = inputs
        grads = [unbroadcast(g * b, a.shape), unbroadcast(g * a, b.shape)]
    elif op == "matmul":
        a, b = inputs
        grads = [g @ b.T, a.T @ g]
    elif op == "pow":
        p = attrs["p"]
        grads = [g * p * inputs[0] ** (p - 1)]
    elif op == "exp":
        grads = [g * out]
    elif op == "log":
        grads = [g / inputs[0]]
    elif op == "tanh":
        grads = [g * (1 - out**2)]
    elif op == "relu":
        grads = [g * (inputs[0] > 0)]
    elif op in ("sum", "mean"):
        a = inputs[0]
        axis = attrs.get("axis")
        spread = g if axis is None else np.expand_dims(g, axis)
        share = 1.0 if op == "sum" else out.size / a.size  # 1 / (number of averaged elements)
        grads = [np.broadcast_to(spread * share, a.shape).copy()]
    else:
        raise ValueError(f"unknown op {op!r}")
    return grads


def backward(output):
    """Backpropagation over the graph of `output` (the lecture's algorithm):

        1. the values of all nodes are already there (the forward pass ran as the graph was built);
        2. g_n = 1: output.grad = ones of output's shape;
        3. for the other nodes u_i, in reverse topological order:
               g_i = sum over the nodes u_j that use u_i of  g_j * d u_j / d u_i   (op_backward)

    Sets node.grad, an array of node.value's shape, on every node of the graph (inputs included). A
    node used by several nodes, or twice by one node, receives the SUM of the contributions.
    Gradients left by an earlier call are discarded, not added to.

    Inputs:
    - output: a Node, usually a scalar loss. (For a non-scalar output, g_n = ones gives the
      gradients of output.sum().)

    Returns nothing.
    """
    order = topological_order(output)
    for node in order:
        node.grad = np.zeros_like(node.value)
    output.grad = np.ones_like(output.value)
    for node in reversed(order):
        if not node.parents:
            continue
        local = op_backward(node.op, [p.value for p in node.parents], node.value, node.grad, node.attrs)
        for parent, contribution in zip(node.parents, local):
            parent.grad = parent.grad + contribution


def affine_forward(x, w, b):
    """Affine (fully connected) layer: out = x w + b, one row per example.

    Inputs:
    - x: (N, d_1, ..., d_k) inputs, each example flattened to D = d_1 * ... * d_k numbers
      (usually simply x: (N, D)).
    - w: (D, M) weights.
    - b: (M,) biases.

    Returns a tuple:
    - out: (N, M).
    - cache: whatever affine_backward needs.
    """
    out = x.reshape(x.shape[0], -1) @ w + b
    cache = (x, w)
    return out, cache


def affine_backward(dout, cache):
    """Backward pass of the affine layer:

        dx = dout w^T (reshaped to x's shape),   dw = x^T dout,   db = sum of dout over the N rows

    Inputs:
    - dout: (N, M) upstream gradient dL/d(out).
    - cache: what affine_forward returned.

    Returns a tuple:
    - dx: (N, d_1, ..., d_k), the shape of x.
    - dw: (D, M), the shape of w.
    - db: (M,), the shape of b.
    """
    x, w = cache
    dx = (dout @ w.T).reshape(x.shape)
    dw = dout.T @ x.reshape(x.shape[0], -1)
    db = dout.sum(axis=0)
    return dx, dw, db


def relu_forward(x):
    """ReLU, element-wise: out = max(0, x).

    Inputs:
    - x: numpy array of any shape.

    Returns a tuple:
    - out: x's shape.
    - cache: whatever relu_backward needs.
    """
    out = np.maximum(0, x)
    cache = x
    return out, cache


def relu_backward(dout, cache):
    """Backward pass of ReLU: dx = dout where the input x was > 0, and 0 where x <= 0.

    Inputs:
    - dout: upstream gradient, the shape of x.
    - cache: what relu_forward returned.

    Returns:
    - dx: the shape of x.
    """
    x = cache
    dx = dout * (x > 0)
    return dx


def sigmoid_forward(x):
    """Logistic sigmoid, element-wise: out = 1 / (1 + exp(-x)), without overflow for large |x|.

    Inputs:
    - x: numpy array of any shape.

    Returns a tuple:
    - out: x's shape, values in [0, 1].
    - cache: whatever sigmoid_backward needs.
    """
    out = np.exp(-np.logaddexp(0.0, -x))
    cache = out
    return out, cache


def sigmoid_backward(dout, cache):
    """Backward pass of the sigmoid: dx = dout * s * (1 - s) with s = sigmoid(x).

    Inputs:
    - dout: upstream gradient, the shape of x.
    - cache: what sigmoid_forward returned.

    Returns:
    - dx: the shape of x.
    """
    out = cache
    dx = dout * out * (1 - out)
    return dx


def tanh_forward(x):
    """Hyperbolic tangent, element-wise: out = tanh(x).

    Inputs:
    - x: numpy array of any shape.

    Returns a tuple:
    - out: x's shape, values in [-1, 1].
    - cache: whatever tanh_backward needs.
    """
    out = np.tanh(x)
    cache = out
    return out, cache


def tanh_backward(dout, cache):
    """Backward pass of tanh: dx = dout * (1 - tanh(x)**2).

    Inputs:
    - dout: upstream gradient, the shape of x.
    - cache: what tanh_forward returned.

    Returns:
    - dx: the shape of x.
    """
    out = cache
    dx = dout * (1 - out**2)
    return dx


def softmax_loss(x, y):
    """Softmax cross-entropy loss averaged over the batch, and its gradient:

        p = softmax(x) row by row,   loss = -mean_n log p[n, y[n]],   dx = (p - onehot(y)) / N

    Inputs:
    - x: (N, C) scores.
    - y: (N,) integer labels, 0 <= y[n] < C.

    Returns a tuple:
    - loss: float.
    - dx: (N, C), dloss/dx.
    """
    N = x.shape[0]
    shifted = x - x.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = float(-log_p[np.arange(N), y].mean())
    dx = np.exp(log_p)
    dx[np.arange(N), y] -= 1
    dx /= N
    return loss, dx


def mse_loss(pred, target):
    """Mean squared error over ALL elements, and its gradient (no factor 1/2):

        loss = mean((pred - target)**2),   dpred = 2 * (pred - target) / pred.size

    Inputs:
    - pred: predictions, numpy array of any shape, e.g. (N,) or (N, D).
    - target: the targets, same shape as pred.

    Returns a tuple:
    - loss: float.
    - dpred: the shape of pred, dloss/dpred.
    """
    diff = pred - target
    loss = float(np.mean(diff**2))
    dpred = 2 * diff / diff.size
    return loss, dpred


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    """Batch normalization in training mode, feature by feature:

        mu = mean of x over the batch, var = mean of (x - mu)**2 over the batch (1/N, not 1/(N-1)),
        x_hat = (x - mu) / sqrt(var + eps),  out = gamma * x_hat + beta

    Inputs:
    - x: (N, D) batch.
    - gamma: (D,) scale.
    - beta: (D,) shift.
    - eps: small constant added to the variance.

    Returns a tuple:
    - out: (N, D).
    - cache: whatever batchnorm_backward needs.
    """
    mu = x.mean(axis=0)
    std = np.sqrt(x.var(axis=0) + eps)
    x_hat = (x - mu) / std
    out = gamma * x_hat + beta
    cache = (x_hat, gamma, std)
    return out, cache


def batchnorm_backward(dout, cache):
    """Backward pass of batch normalization (training mode). With std = sqrt(var + eps) and
    dx_hat = dout * gamma:

        dgamma = sum_n dout * x_hat,   dbeta = sum_n dout,
        dx = (N dx_hat - sum_n dx_hat - x_hat * sum_n (dx_hat * x_hat)) / (N std)

    Inputs:
    - dout: (N, D) upstream gradient.
    - cache: what batchnorm_forward returned.

    Returns a tuple:
    - dx: (N, D).
    - dgamma: (D,).
    - dbeta: (D,).
    """
    x_hat, gamma, std = cache
    N = dout.shape[0]
    dx_hat = dout * gamma
    dx = (N * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0)) / (N * std)
    dgamma = (dout * x_hat).sum(axis=0)
    dbeta = dout.sum(axis=0)
    return dx, dgamma, dbeta


def conv1d_forward(x, w, b):
    """1-D convolution layer (cross-correlation, stride 1, no padding):

        out[n, f, i] = b[f] + sum over c and k of x[n, c, i + k] * w[f, c, k]

    Inputs:
    - x: (N, C, L) batch of N signals with C channels of length L.
    - w: (F, C, K) F filters of length K <= L.
    - b: (F,) biases.

    Returns a tuple:
    - out: (N, F, L - K + 1).
    - cache: whatever conv1d_backward needs.
    """
    windows = np.lib.stride_tricks.sliding_window_view(x, w.shape[2], axis=2)   # (N, C, L-K+1, K)
    out = np.einsum("ncik,fck->nfi", windows, w) + b[None, :, None]
    cache = (x, w)
    return out, cache


def conv1d_backward(dout, cache):
    """Backward pass of conv1d_forward:

        dx = (dout padded with K - 1 zeros on both sides) correlated with the flipped kernel,
             summed over the filters
        dw = x correlated with dout, summed over the batch
        db = dout summed over the batch and the positions

    Inputs:
    - dout: (N, F, L - K + 1) upstream gradient.
    - cache: what conv1d_forward returned.

    Returns a tuple:
    - dx: (N, C, L).
    - dw: (F, C, K).
    - db: (F,).
    """
    x, w = cache
    K = w.shape[2]
    padded = np.pad(dout, ((0, 0), (0, 0), (K - 1, K - 1)))
    dx = np.einsum("nfik,fck->nci", np.lib.stride_tricks.sliding_window_view(padded, K, axis=2), w[:, :, ::-1])
    dw = np.einsum("ncik,nfi->fck", np.lib.stride_tricks.sliding_window_view(x, K, axis=2), dout)
    db = dout.sum(axis=(0, 2))
    return dx, dw, db


def two_layer_loss(params, X, y, reg=0.0):
    """Loss and gradients of the network affine - ReLU - affine - softmax (CS231n's TwoLayerNet):

        scores = relu(X W1 + b1) W2 + b2
        loss = softmax_loss(scores, y) + 0.5 * reg * (sum(W1**2) + sum(W2**2))

    Use your layer functions.

    Inputs:
    - params: dict with "W1": (D, H), "b1": (H,), "W2": (H, C), "b2": (C,).
    - X: (N, D) inputs.
    - y: (N,) integer labels in 0..C-1.
    - reg: L2 regularisation strength lambda (biases are not regularised).

    Returns a tuple:
    - loss: float.
    - grads: dict with the keys of params, each gradient of params[key]'s shape.
    """
    hidden, affine1_cache = affine_forward(X, params["W1"], params["b1"])
    activation, relu_cache = relu_forward(hidden)
    scores, affine2_cache = affine_forward(activation, params["W2"], params["b2"])
    loss, dscores = softmax_loss(scores, y)
    loss += 0.5 * reg * (np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2))
    dactivation, dW2, db2 = affine_backward(dscores, affine2_cache)
    dhidden = relu_backward(dactivation, relu_cache)
    _, dW1, db1 = affine_backward(dhidden, affine1_cache)
    grads = {"W1": dW1 + reg * params["W1"], "b1": db1, "W2": dW2 + reg * params["W2"], "b2": db2}
    return loss, grads


def make_spirals(n_per_class=100, n_classes=3, noise=0.2, seed=0):
    """CS231n's spiral data: n_classes arms in the plane, n_per_class points each, Gaussian noise on
    the angle.

    Returns a tuple:
    - X: (n_per_class * n_classes, 2) points.
    - y: (n_per_class * n_classes,) integer labels, the arm of each point.
    """
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(n_classes), n_per_class)
    radius = np.tile(np.linspace(0.0, 1.0, n_per_class), n_classes)
    angle = np.tile(np.linspace(0.0, 4.0, n_per_class), n_classes) + 4.0 * y
    angle = angle + noise * rng.standard_normal(angle.shape)
    X = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
    return X, y


def train_two_layer(X, y, hidden=64, lr=0.5, epochs=100, batch_size=32, seed=0):
    """Train the two-layer network (two_layer_loss, reg = 0) with minibatch SGD:

        rng = np.random.default_rng(seed); every random choice below comes from rng
        W1 ~ N(0, 2 / D) of shape (D, hidden), W2 ~ N(0, 2 / hidden) of shape (hidden, C), b1 = b2 = 0
        for each epoch:
            perm = a new random permutation of the N examples
            for each consecutive chunk idx of perm of batch_size indices (the last may be shorter):
                loss, grads = two_layer_loss(params, X[idx], y[idx])
                params[k] <- params[k] - lr * grads[k] for every k

    Inputs:
    - X: (N, D) inputs.
    - y: (N,) integer labels in 0..C-1; C = y.max() + 1.
    - hidden: H, the number of hidden units.
    - lr: learning rate gamma.
    - epochs: number of passes over the data.
    - batch_size: B, the minibatch size (1 <= B <= N).
    - seed: seed of the random generator.

    Returns:
    - history: dict with
      - "loss": list of `epochs` floats: the mean training loss of the epoch, i.e. the minibatch
        losses (each computed before its update) weighted by the batch sizes:
        sum over batches of loss * len(idx) / N.
      - "accuracy": list of `epochs` floats: the accuracy on all of X after the epoch.
      - "batches": list of `epochs` lists: the index arrays idx of the epoch's minibatches, in the
        order in which they were used.
      - "initial_params": copies of the parameters before training (dict as in two_layer_loss).
      - "params": the trained parameters.
    """
    rng = np.random.default_rng(seed)
    N, D = X.shape
    C = int(y.max()) + 1
    params = {"W1": rng.normal(0.0, np.sqrt(2.0 / D), size=(D, hidden)), "b1": np.zeros(hidden),
              "W2": rng.normal(0.0, np.sqrt(2.0 / hidden), size=(hidden, C)), "b2": np.zeros(C)}
    history = {"loss": [], "accuracy": [], "batches": [],
               "initial_params": {k: v.copy() for k, v in params.items()}, "params": params}
    for epoch in range(epochs):
        perm = rng.permutation(N)
        batches, total_loss = [], 0.0
        for start in range(0, N, batch_size):
            idx = perm[start:start + batch_size]
            loss, grads = two_layer_loss(params, X[idx], y[idx])
            for k in params:
                params[k] = params[k] - lr * grads[k]
            batches.append(idx)
            total_loss += loss * len(idx)
        hidden_out, _ = relu_forward(affine_forward(X, params["W1"], params["b1"])[0])
        scores, _ = affine_forward(hidden_out, params["W2"], params["b2"])
        history["loss"].append(total_loss / N)
        history["accuracy"].append(float(np.mean(scores.argmax(axis=1) == y)))
        history["batches"].append(batches)
    return history
