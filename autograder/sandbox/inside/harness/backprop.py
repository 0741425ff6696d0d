"""Builds graphs, runs layers and trains, inside the sandbox for the student and in the grader for
the reference and the named mistakes: one code path for both, so only the graded function differs.

``ns`` maps names to functions: the student's namespace (the globals of their cells), or the
reference's with one function replaced by a mistake. Parts that build on other parts are judged
alone: while ``backward`` runs, the student's ``topological_order`` and ``op_backward`` are replaced
by the trusted ones below, and likewise the layers under ``two_layer_loss`` and both under
``train_two_layer`` (see ``TRUSTED_FOR``), so one bug costs the points of one function. The trusted
functions are the reference's, restated here because the sandbox cannot see the solutions;
``tests/autograder/test_grade_backprop.py`` checks that they agree.
"""
from contextlib import contextmanager

import numpy as np


# ----------------------------------------------------------------------------- trusted engine parts

def unbroadcast(grad, shape):
    extra = grad.ndim - len(shape)
    stretched = tuple(extra + i for i, n in enumerate(shape) if n == 1 and grad.shape[extra + i] != 1)
    return np.sum(grad, axis=tuple(range(extra)) + stretched, keepdims=True).reshape(shape)


def topological_order(output):
    order, visited, stack = [], set(), [(output, False)]
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
    if op in ("add", "mul"):
        a, b = inputs
        ga, gb = (g, g) if op == "add" else (g * b, g * a)
        return [unbroadcast(ga, a.shape), unbroadcast(gb, b.shape)]
    if op == "matmul":
        a, b = inputs
        return [g @ b.T, a.T @ g]
    a = inputs[0]
    if op == "pow":
        return [g * attrs["p"] * a ** (attrs["p"] - 1)]
    if op in ("sum", "mean"):
        axis = attrs.get("axis")
        spread = g if axis is None else np.expand_dims(g, axis)
        share = 1.0 if op == "sum" else out.size / a.size
        return [np.broadcast_to(spread * share, a.shape).copy()]
    local = {"exp": lambda: out, "log": lambda: 1 / a, "tanh": lambda: 1 - out**2, "relu": lambda: a > 0}
    return [g * local[op]()]


# ----------------------------------------------------------------------------- trusted layers

def affine_forward(x, w, b):
    return x.reshape(x.shape[0], -1) @ w + b, (x, w)


def affine_backward(dout, cache):
    x, w = cache
    return (dout @ w.T).reshape(x.shape), x.reshape(x.shape[0], -1).T @ dout, dout.sum(axis=0)


def relu_forward(x):
    return np.maximum(0, x), x


def relu_backward(dout, cache):
    return dout * (cache > 0)


def softmax_loss(x, y):
    N = x.shape[0]
    shifted = x - x.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    dx = np.exp(log_p)
    dx[np.arange(N), y] -= 1
    return float(-log_p[np.arange(N), y].mean()), dx / N


def two_layer_loss(params, X, y, reg=0.0):
    hidden, cache1 = affine_forward(X, params["W1"], params["b1"])
    activation, relu_cache = relu_forward(hidden)
    scores, cache2 = affine_forward(activation, params["W2"], params["b2"])
    loss, dscores = softmax_loss(scores, y)
    loss += 0.5 * reg * (np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2))
    dactivation, dW2, db2 = affine_backward(dscores, cache2)
    _, dW1, db1 = affine_backward(relu_backward(dactivation, relu_cache), cache1)
    return loss, {"W1": dW1 + reg * params["W1"], "b1": db1, "W2": dW2 + reg * params["W2"], "b2": db2}


LAYERS = {"affine_forward": affine_forward, "affine_backward": affine_backward, "relu_forward": relu_forward,
          "relu_backward": relu_backward, "softmax_loss": softmax_loss}
TRUSTED_FOR = {
    "backward": {"topological_order": topological_order, "op_backward": op_backward},
    "two_layer_loss": LAYERS,
    "train_two_layer": {**LAYERS, "two_layer_loss": two_layer_loss},
}


@contextmanager
def trusted_helpers(ns, part):
    """Replace the functions ``part`` builds on by the trusted ones while it runs, then put them back."""
    replacements = TRUSTED_FOR.get(part, {})
    saved = {name: ns[name] for name in replacements if name in ns}
    ns.update(replacements)
    try:
        yield
    finally:
        for name in replacements:
            if name in saved:
                ns[name] = saved[name]
            else:
                ns.pop(name, None)


# ----------------------------------------------------------------------------- 0-d arrays
# The wire sends a 0-d array as an array of shape (1,) (np.ascontiguousarray makes ndim >= 1), so
# scalar values cross as numbers and their shapes are restored here; harmless once the wire keeps them.

def _plain(value):
    return float(value) if isinstance(value, np.ndarray) and value.ndim == 0 else value


def local_gradients(ns, op, inputs, out, g, attrs, shapes):
    """``op_backward`` on arrays of the given shapes (the inputs', then out's, which is g's)."""
    *input_shapes, out_shape = shapes
    inputs = [np.asarray(v, dtype=float).reshape(s) for v, s in zip(inputs, input_shapes)]
    out, g = (np.asarray(v, dtype=float).reshape(out_shape) for v in (out, g))
    grads = ns["op_backward"](op, inputs, out, g, dict(attrs))
    return [_plain(v) for v in grads] if isinstance(grads, (list, tuple)) else grads


# ----------------------------------------------------------------------------- graphs

def build_graph(ns, inputs, spec):
    """Nodes of the notebook's engine: one leaf per input, then one node per (op, parents, attrs)."""
    Node = ns["Node"]
    nodes = [Node(np.array(v, dtype=float), name=f"input {i}") for i, v in enumerate(inputs)]
    for op, parents, attrs in spec:
        nodes.append(Node.apply(op, [nodes[i] for i in parents], dict(attrs)))
    return nodes


def graph_order(ns, inputs, spec):
    """``topological_order`` of the last node, as node numbers (-1 for a node not in the graph)."""
    nodes = build_graph(ns, inputs, spec)
    number = {id(n): i for i, n in enumerate(nodes)}
    return [number.get(id(n), -1) for n in ns["topological_order"](nodes[-1])]


def graph_grads(ns, inputs, spec, calls=1):
    """``.grad`` of every node after ``calls`` calls of ``backward`` on the last node."""
    nodes = build_graph(ns, inputs, spec)
    with trusted_helpers(ns, "backward"):
        for _ in range(calls):
            ns["backward"](nodes[-1])
    return [n.grad if n.grad is None else _plain(np.array(n.grad, dtype=float)) for n in nodes]


def graph_vs_central_differences(ns, inputs, spec, h=1e-6):
    """The inputs' gradients from ``backward`` and from central differences of the forward pass."""
    inputs = [np.array(v, dtype=float) for v in inputs]
    analytic = graph_grads(ns, inputs, spec)[:len(inputs)]  # inputs with a shape: no 0-d values

    def output(values):
        return float(np.sum(build_graph(ns, values, spec)[-1].value))
    return analytic, [central_difference(lambda v, k=k: output(inputs[:k] + [v] + inputs[k + 1:]), inputs[k], h)
                      for k in range(len(inputs))]


def central_difference(f, x, h):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[i] += h
        minus[i] -= h
        grad[i] = (f(plus) - f(minus)) / (2 * h)
    return grad


# ----------------------------------------------------------------------------- layers

def layer(ns, name, inputs, dout=None):
    """``<name>_forward(*inputs)``, then ``<name>_backward(dout, cache)`` if dout is given.

    Returns ``{"out": out, "grads": a tuple (also for one gradient) or None}``: the cache, which is
    the student's own business, stays inside."""
    out, cache = ns[f"{name}_forward"](*[np.array(v) for v in inputs])
    if dout is None:
        return {"out": out, "grads": None}
    grads = ns[f"{name}_backward"](np.array(dout, dtype=float), cache)
    return {"out": out, "grads": tuple(grads) if isinstance(grads, (tuple, list)) else (grads,)}


def layer_unchanged(ns, name, inputs, dout=None):
    """``layer``, and which of the caller's arrays the graded pass changed in place: ``"changed"``
    lists positions in ``inputs`` (``len(inputs)`` standing for dout) that ``<name>_forward``
    changed (without dout), or that ``<name>_backward`` changed (with dout: its cache may hold the
    caller's x). Only the student's process sees these arrays, so this is its own report, as for
    clipping in the optimizers' harness: rewriting it buys no more than copying the inputs would,
    and the values are judged outside."""
    inputs = [np.array(v) for v in inputs]
    kept = [a.copy() for a in inputs]
    out, cache = ns[f"{name}_forward"](*inputs)
    out = out.copy() if isinstance(out, np.ndarray) else out  # as it was when the forward pass returned
    if dout is None:
        return {"out": out, "grads": None, "changed": _changed(inputs, kept)}
    dout = np.array(dout, dtype=float)
    arrays = inputs + [dout]
    kept = [a.copy() for a in arrays]
    grads = ns[f"{name}_backward"](dout, cache)
    return {"out": out, "grads": tuple(grads) if isinstance(grads, (tuple, list)) else (grads,),
            "changed": _changed(arrays, kept)}


def _changed(arrays, kept):
    return [i for i, (a, b) in enumerate(zip(arrays, kept)) if not np.array_equal(a, b, equal_nan=True)]


# ----------------------------------------------------------------------------- numeric gradient

TEST_FUNCTIONS = {  # trusted scalar functions for numeric_gradient
    "quartic": lambda v: float(np.sum(v**4 + v + 2)),          # seed 001's x^4 + x + 2
    "exp_sin": lambda v: float(np.sum(np.exp(v) * np.sin(v))),
    "log_sum_exp": lambda v: float(np.log(np.sum(np.exp(v)))),
    "quadratic_form": lambda v: float(v.ravel() @ np.arange(1.0, v.size**2 + 1).reshape(v.size, v.size) @ v.ravel()),
}


def numeric(ns, function, x, h=1e-5, method="central", shared=False):
    """``numeric_gradient`` of a trusted function at x, and whether x is unchanged afterwards.

    With ``shared`` the function ignores its argument and reads x itself (CS231n's usage), which
    works only if numeric_gradient perturbs x in place."""
    x = np.array(x, dtype=float)
    before = x.copy()
    fn = TEST_FUNCTIONS[function]
    f = (lambda _: fn(x)) if shared else fn
    grad = ns["numeric_gradient"](f, x, h=h, method=method)
    return {"grad": grad, "x_restored": bool(np.array_equal(x, before))}


# ----------------------------------------------------------------------------- networks

def network_loss(ns, params, X, y, reg=0.0):
    """``two_layer_loss`` with the trusted layers under it."""
    with trusted_helpers(ns, "two_layer_loss"):
        return ns["two_layer_loss"]({k: np.array(v, dtype=float) for k, v in params.items()},
                                    np.array(X, dtype=float), np.array(y), reg)


def train(ns, X, y, **options):
    """``train_two_layer`` with the trusted two_layer_loss and layers under it."""
    with trusted_helpers(ns, "train_two_layer"):
        return ns["train_two_layer"](np.array(X, dtype=float), np.array(y), **options)
