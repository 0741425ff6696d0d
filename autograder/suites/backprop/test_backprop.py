"""Hidden suite of the backprop assignment.

Gradients are judged against the reference on random shapes with batch sizes 1 and N, and against
central differences of the reference's forward pass (a check that does not rest on the reference's
backward, and that a bug in the student's forward does not spoil). Each part is
judged alone: layers through the student's forward then backward (the cache stays inside the
sandbox), ``backward`` on graphs of the given engine with the trusted ``topological_order`` and
``op_backward`` under it, ``two_layer_loss`` and ``train_two_layer`` with the trusted layers under
them (see the harness), so one bug costs the points of one function. The reference and the named
mistakes of ``mistakes.py`` run through the same harness code as the student; a wrong result that
matches a mistake is named, also when it has the mistake's wrong shape. Topological orders and
minibatches are judged by their properties, since many are right. Every layer and loss also has a
"leaves its inputs unchanged" check: the graded pass, with right values, must not change the caller's
arrays in place (x, the parameters, dout; a backward pass may not change them through its cache
either). All inputs come from fixed seeds.
"""
import numpy as np
import pytest

from autograder.checks.diagnosis import Mismatch, expect, predict
from autograder.checks.numeric import close, show
from autograder.reference import load
from autograder.sandbox import StudentFault
from autograder.sandbox.inside.harness import backprop as harness
from autograder.suites.plugin import points

from .mistakes import BATCH_PROBLEMS, MISTAKES, ORDER_PROBLEMS, REPLAYS, changes_inputs

REF = load("backprop")
GRADIENT_NAMES = {"affine": ["dx", "dw", "db"], "relu": ["dx"], "sigmoid": ["dx"], "tanh": ["dx"],
                  "batchnorm": ["dx", "dgamma", "dbeta"], "conv1d": ["dx", "dw", "db"]}
INPUT_NAMES = {"affine": ["x", "w", "b"], "relu": ["x"], "sigmoid": ["x"], "tanh": ["x"],
               "batchnorm": ["x", "gamma", "beta"], "conv1d": ["x", "w", "b"],
               "softmax_loss": ["x", "y"], "mse_loss": ["pred", "target"]}
PARAMS = ["W1", "b1", "W2", "b2"]


# ----------------------------------------------------------------------------- judging

def predictions(run, part):
    """``run(ns)`` for the reference and for every named mistake of ``part`` that runs."""
    return predict(run, REF, part, MISTAKES.get(part, {}))


def judge(got, expected, wrong, *, what, **options):
    """:func:`expect`, and a mistake is named also when the result has the mistake's wrong shape
    (``dw`` transposed, ``db`` not summed): ``expect`` stops at the shape."""
    if _shapes(got) != _shapes(expected):
        for name, value in wrong.items():
            if _shapes(value) == _shapes(got) and _close_all(got, value):
                raise Mismatch(f"{what}: returned shape {_shapes(got)}, expected {_shapes(expected)}; "
                               f"your result matches {name}.", diagnosis=name)
    expect(got, expected, what=what, mistakes=wrong, **options)


def judge_parts(got, expected, wrong, *, labels, what):
    """Judge a result made of parts ((loss, gradient), (dx, dw, db)): a mistake is named when it
    matches every part of the student's result, so mistakes that share a part are told apart;
    otherwise each part is judged alone."""
    if not isinstance(got, (list, tuple)) or len(got) != len(labels):
        raise Mismatch(f"{what}: expected {len(labels)} results ({', '.join(labels)}), got {show(got)}")
    bad = [label for label, g, e in zip(labels, got, expected) if not _matches(g, e, equal_nan=False)]
    if bad:
        for name, value in wrong.items():
            if all(_matches(g, v, equal_nan=True) for g, v in zip(got, value)):
                verb = "is" if len(bad) == 1 else "are"
                raise Mismatch(f"{what}: {' and '.join(bad)} {verb} wrong; your result matches {name}.",
                               diagnosis=name)
    for k, label in enumerate(labels):
        judge(got[k], expected[k], {name: value[k] for name, value in wrong.items()}, what=f"{what}: {label}")


def _matches(got, value, *, equal_nan):
    return _shapes(got) == _shapes(value) and _close_all(got, value, equal_nan=equal_nan)


def arrays(values):
    """A list of results with the numbers that stand for 0-d arrays made 0-d arrays again (the harness
    sends them as numbers: the wire turns a 0-d array into shape (1,))."""
    if not isinstance(values, (list, tuple)):
        return values
    return [np.asarray(v, dtype=float) if type(v) in (float, int) else v for v in values]


def _shapes(value):
    if isinstance(value, (list, tuple)):
        return [_shapes(v) for v in value]
    try:
        return np.shape(value) if np.asarray(value).dtype.kind in "biuf" else None
    except (ValueError, TypeError):
        return None


def _close_all(got, value, equal_nan=True):
    if isinstance(got, (list, tuple)):
        return all(_close_all(g, v, equal_nan) for g, v in zip(got, value))
    return close(got, value, equal_nan=equal_nan)


def rng_for(seed):
    return np.random.default_rng(seed)


# ----------------------------------------------------------------------------- relative_error (1)

def check_direct(student, part, *args, what, **options):
    got = getattr(student, part)(*args)
    expected, wrong = predictions(lambda ns: ns[part](*[a.copy() if isinstance(a, np.ndarray) else a for a in args]),
                                  part)
    judge(got, expected, wrong, what=what, **options)
    return got


@points(0.5, "relative_error: random arrays, all-zero arrays and the 1e-8 floor")
def test_relative_error_values(student):
    rng = rng_for(1)
    x, y = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    check_direct(student, "relative_error", x, y, what="relative_error of two random (3, 4) arrays")
    check_direct(student, "relative_error", np.zeros(5), np.zeros(5), what="relative_error(zeros(5), zeros(5))")
    check_direct(student, "relative_error", np.array([0.0, 1e-12, 2.0]), np.array([0.0, -1e-12, 2.0]),
                 what="relative_error([0, 1e-12, 2], [0, -1e-12, 2]) (the floor: 2e-12 / 1e-8)")
    check_direct(student, "relative_error", 1.0, 1.0 + 1e-6, what="relative_error(1.0, 1.000001)")


@points(0.5, "relative_error: arrays of different shapes raise ValueError")
def test_relative_error_shapes(student):
    try:
        got = student.relative_error(np.zeros((3, 1)), np.zeros(3))
    except StudentFault as fault:
        if fault.error_type == "ValueError":
            return
        raise
    raise Mismatch(f"relative_error of shapes (3, 1) and (3,) returned {show(got)}; expected a ValueError "
                   "(numpy would broadcast them to (3, 3) and compare the wrong numbers)",
                   diagnosis="different shapes compared without a ValueError")


# ----------------------------------------------------------------------------- numeric_gradient (2)

def check_numeric(student, function, x, *, what, h=1e-5, method="central", shared=False):
    got = student.harness("numeric", function, x, h=h, method=method, shared=shared)
    expected, wrong = predictions(lambda ns: harness.numeric(ns, function, x, h=h, method=method, shared=shared),
                                  "numeric_gradient")
    judge(got["grad"], expected["grad"], {k: v["grad"] for k, v in wrong.items()}, what=what)
    if not got["x_restored"]:
        name = "x not restored after each perturbation"
        raise Mismatch(f"{what}: x was changed by numeric_gradient; your code matches {name}.", diagnosis=name)


@points(0.75, "numeric_gradient: central differences of several functions on arrays of several shapes")
def test_numeric_gradient_central(student):
    rng = rng_for(2)
    for function, shape in (("quartic", (3,)), ("exp_sin", (2, 3)), ("log_sum_exp", (4,)), ("quadratic_form", (2, 2))):
        x = rng.uniform(-1.5, 1.5, size=shape)
        check_numeric(student, function, x, what=f"numeric_gradient of {function} at a random {shape} array")


@points(0.5, "numeric_gradient: forward differences (seed 001: x⁴ + x + 2, h = 0.001)")
def test_numeric_gradient_forward(student):
    x = np.array([1.0, -0.5, 2.0])
    check_numeric(student, "quartic", x, h=1e-3, method="forward",
                  what="numeric_gradient of x⁴ + x + 2 at (1, -0.5, 2) with h = 0.001, method='forward'")
    check_numeric(student, "quartic", x, h=1e-3, method="central",
                  what="numeric_gradient of x⁴ + x + 2 at (1, -0.5, 2) with h = 0.001, method='central'")


@points(0.75, "numeric_gradient: x perturbed in place and restored (f reading the array itself)")
def test_numeric_gradient_in_place(student):
    x = rng_for(3).uniform(-1, 1, size=(3, 2))
    check_numeric(student, "exp_sin", x, shared=True,
                  what="numeric_gradient(lambda _: f(W), W), f = sum(exp(W) sin(W)), on a (3, 2) array")


# ----------------------------------------------------------------------------- graphs

def reachable(spec, n_inputs):
    """Numbers of the nodes the last node depends on."""
    parents = [[] for _ in range(n_inputs)] + [list(p) for _, p, _ in spec]
    seen, todo = set(), [len(parents) - 1]
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(parents[node])
    return seen, parents


def random_scalar_graph(seed, n_inputs=3, n_ops=8):
    """Scalar inputs and a random spec in which nodes are reused (also twice by one node); nodes
    nothing uses are summed into the output so that every node is in the graph."""
    rng = rng_for(seed)
    inputs = list(rng.uniform(0.4, 1.2, size=n_inputs) * rng.choice([-1.0, 1.0], size=n_inputs))
    spec, count = [], n_inputs
    for _ in range(n_ops):
        op = str(rng.choice(["add", "mul", "mul", "tanh", "pow", "exp"]))
        if op in ("add", "mul"):
            spec.append([op, [int(rng.integers(count)), int(rng.integers(count))], {}])
        else:
            spec.append([op, [int(rng.integers(max(0, count - 3), count))], {"p": 2.0} if op == "pow" else {}])
        count += 1
    used = {p for _, parents, _ in spec for p in parents}
    for node in [n for n in range(count - 1) if n not in used]:
        spec.append(["add", [len(spec) + n_inputs - 1, node], {}])
    return inputs, spec


def mlp_graph(seed, N):
    """X (N, 3), W1 (3, 4), b1 (4,) broadcast over the batch, W2 (4, 2): mean((tanh(X W1 + b1) W2)²)."""
    rng = rng_for(seed)
    inputs = [rng.normal(size=(N, 3)), rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=(4, 2))]
    spec = [["matmul", [0, 1], {}], ["add", [4, 2], {}], ["tanh", [5], {}], ["matmul", [6, 3], {}],
            ["pow", [7], {"p": 2.0}], ["mean", [8], {"axis": None}]]
    return inputs, spec


def axes_graph(seed):
    """A (4, 3) and a column c (4, 1): sum over rows of relu(A + c), exp, mean over an axis, log."""
    rng = rng_for(seed)
    inputs = [rng.normal(size=(4, 3)), rng.normal(size=(4, 1))]
    spec = [["add", [0, 1], {}], ["relu", [2], {}], ["sum", [3], {"axis": 1}], ["mul", [4, 4], {}],
            ["exp", [2], {}], ["mean", [6], {"axis": 0}], ["log", [7], {}], ["sum", [8], {"axis": None}],
            ["sum", [5], {"axis": None}], ["add", [9, 10], {}]]
    return inputs, spec


def chain_graph(length):
    """tanh, exp, tanh, exp, ...: one path, ``length`` deep (values stay within (-1, e))."""
    return [0.9], [["exp" if i % 2 else "tanh", [i], {}] for i in range(length)]


def diamond_graph(levels):
    """top = top + top, ``levels`` times: 2^levels paths from the output to x."""
    return [0.5], [["add", [i, i], {}] for i in range(levels)]


# ----------------------------------------------------------------------------- topological_order (2)

def check_order(student, inputs, spec, what):
    got = student.harness("graph_order", inputs, spec)
    needed, parents = reachable(spec, len(inputs))
    if not isinstance(got, list):
        raise Mismatch(f"{what}: returned {show(got)}, expected a list of nodes")
    if -1 in got:
        raise Mismatch(f"{what}: the order holds objects that are not nodes of the graph")
    if len(set(got)) < len(got):
        name = ORDER_PROBLEMS["duplicates"]
        raise Mismatch(f"{what}: {len(got)} entries for {len(set(got))} nodes; your result matches {name}.",
                       diagnosis=name)
    if set(got) != needed:
        raise Mismatch(f"{what}: {len(needed - set(got))} node(s) of the graph are missing from the order")
    position = {node: i for i, node in enumerate(got)}
    late = [(n, p) for n in got for p in parents[n] if position[p] > position[n]]
    if late:
        name = ORDER_PROBLEMS["parent_after"]
        raise Mismatch(f"{what}: node {late[0][0]} comes before its parent {late[0][1]}; your result matches "
                       f"{name}.", diagnosis=name)


@points(1.0, "topological_order: every node once and after its parents, on graphs with shared nodes")
def test_topological_order_shared_nodes(student):
    check_order(student, [3.0], [["mul", [0, 0], {}], ["add", [1, 0], {}]], "topological_order of x·x + x")
    check_order(student, *mlp_graph(4, N=5), "topological_order of a two-layer network's graph")
    check_order(student, *axes_graph(5), "topological_order of a graph with sums and means over axes")
    for seed in (6, 7):
        check_order(student, *random_scalar_graph(seed), f"topological_order of a random graph (seed {seed})")


@points(1.0, "topological_order: a chain of 200 nodes and a diamond with 4096 paths")
def test_topological_order_deep_and_wide(student):
    check_order(student, *chain_graph(200), "topological_order of a chain of 200 operations")
    check_order(student, *diamond_graph(12), "topological_order of top = top + top, 12 times (4096 paths)")


# ----------------------------------------------------------------------------- op_backward (4)

def check_op(student, op, inputs, attrs, seed):
    out = np.asarray(REF["FORWARD"][op](*inputs, **attrs))  # a 0-d array, not a number: the engine's values are arrays
    g = np.asarray(rng_for(seed).normal(size=out.shape))
    what = f"op_backward({op!r}) with inputs of shapes {[np.shape(a) for a in inputs]}" + (f", {attrs}" if attrs else "")
    shapes = [a.shape for a in inputs] + [out.shape]
    got = student.harness("local_gradients", op, inputs, out, g, attrs, shapes)
    expected, wrong = predictions(lambda ns: harness.local_gradients(ns, op, [a.copy() for a in inputs], out.copy(),
                                                                     g.copy(), attrs, shapes), "op_backward")
    judge(arrays(got), arrays(expected), {k: arrays(v) for k, v in wrong.items()}, what=what, step_name="input")


def signed(rng, shape, low=0.5, high=2.0):
    return np.asarray(rng.uniform(low, high, size=shape) * rng.choice([-1.0, 1.0], size=shape))


@points(1.0, "op_backward: add and mul, with inputs numpy broadcasts")
def test_op_backward_add_mul(student):
    rng = rng_for(10)
    for n, (op, shapes) in enumerate([("add", [(3, 4), (4,)]), ("mul", [(3, 4), ()]), ("add", [(3, 1), (1, 4)]),
                                      ("mul", [(2, 3), (2, 3)]), ("add", [(2, 2), (2, 2)])]):
        check_op(student, op, [signed(rng, s) for s in shapes], {}, seed=11 + n)


@points(1.0, "op_backward: matmul")
def test_op_backward_matmul(student):
    rng = rng_for(20)
    for n, shapes in enumerate([[(3, 3), (3, 3)], [(4, 2), (2, 5)], [(1, 3), (3, 1)]]):
        check_op(student, "matmul", [signed(rng, s) for s in shapes], {}, seed=21 + n)


@points(1.0, "op_backward: pow, exp, log, tanh and relu")
def test_op_backward_elementwise(student):
    rng = rng_for(30)
    cases = [("pow", {"p": 3.0}, signed(rng, (2, 3))), ("pow", {"p": -2.0}, rng.uniform(0.5, 2, size=4)),
             ("exp", {}, signed(rng, (3, 2))), ("log", {}, rng.uniform(0.5, 2, size=(2, 2))),
             ("tanh", {}, signed(rng, (5,))), ("relu", {}, signed(rng, (3, 3)))]
    for n, (op, attrs, x) in enumerate(cases):
        check_op(student, op, [x], attrs, seed=31 + n)


@points(1.0, "op_backward: sum and mean, over all elements and over one axis")
def test_op_backward_reductions(student):
    rng = rng_for(40)
    cases = [("sum", None, (3, 4)), ("mean", None, (2, 5)), ("sum", 1, (4, 4)), ("mean", 0, (3, 5)),
             ("mean", 1, (3, 3)), ("sum", -1, (2, 3, 4))]
    for n, (op, axis, shape) in enumerate(cases):
        check_op(student, op, [signed(rng, shape)], {"axis": axis}, seed=41 + n)


# ----------------------------------------------------------------------------- backward (4)

def check_backward(student, inputs, spec, what, calls=1):
    got = student.harness("graph_grads", inputs, spec, calls=calls)
    expected, wrong = predictions(lambda ns: harness.graph_grads(ns, inputs, spec, calls=calls), "backward")
    if isinstance(got, list) and any(g is None for g in got):
        missing = [i for i, g in enumerate(got) if g is None]
        raise Mismatch(f"{what}: node(s) {missing} of the graph have no .grad after backward()")
    judge(arrays(got), arrays(expected), {k: arrays(v) for k, v in wrong.items()}, what=what, step_name="node")


@points(1.5, "backward: a node used several times collects every contribution")
def test_backward_shared_nodes(student):
    check_backward(student, [3.0], [["mul", [0, 0], {}], ["add", [1, 0], {}]],
                   "backward of x·x + x at x = 3 (gradients of x, x·x and the output)")
    check_backward(student, [2.0, 3.0], [["mul", [0, 1], {}], ["add", [2, 0], {}], ["pow", [3], {"p": 2.0}]],
                   "backward of (a·b + a)² at a = 2, b = 3")
    for seed in (50, 51, 52):
        check_backward(student, *random_scalar_graph(seed), f"backward on a random scalar graph (seed {seed})")


@points(1.5, "backward: array graphs (matmul, broadcast bias, sums and means over axes), batch sizes 1 and N")
def test_backward_arrays(student):
    check_backward(student, *mlp_graph(53, N=6), "backward of a two-layer network's loss, batch of 6")
    check_backward(student, *mlp_graph(54, N=1), "backward of a two-layer network's loss, batch of 1")
    check_backward(student, *axes_graph(55), "backward of a graph with a broadcast column and sums/means over axes")


@points(0.5, "backward: a second call gives the same gradients")
def test_backward_twice(student):
    check_backward(student, *mlp_graph(56, N=3), "backward called twice on the same graph", calls=2)


@points(0.5, "backward: the inputs' gradients equal central differences")
def test_backward_central_differences(student):
    inputs, spec = mlp_graph(57, N=4)
    analytic, numeric = student.harness("graph_vs_central_differences", inputs, spec)
    for k, (a, n) in enumerate(zip(analytic, numeric)):
        expect(a, n, what=f"backward of a two-layer network's loss: input {k} against central differences",
               rtol=1e-5, atol=1e-7)


# ----------------------------------------------------------------------------- layers

def check_forward(student, name, inputs, what, *, helper="layer"):
    part = f"{name}_forward"
    got = student.harness(helper, name, inputs)
    expected, wrong = predictions(lambda ns: harness.layer(ns, name, inputs), part)
    judge(_field(got, "out", what), expected["out"], {k: v["out"] for k, v in wrong.items()}, what=what)
    return got


def check_backward_layer(student, name, inputs, dout, what, *, helper="layer"):
    result = student.harness(helper, name, inputs, dout)
    got = _field(result, "grads", what)
    expected, wrong = predictions(lambda ns: harness.layer(ns, name, inputs, dout), f"{name}_backward")
    try:
        judge_parts(got, expected["grads"], {k: v["grads"] for k, v in wrong.items()}, labels=GRADIENT_NAMES[name],
                    what=what)
    except Mismatch as miss:
        if _matches(result["out"], expected["out"], equal_nan=False):
            raise
        # the backward pass ran on the cache of a forward pass that is itself wrong
        raise Mismatch(f"{miss} (Your {name}_forward gives a different output on these inputs, and "
                       f"{name}_backward works from its cache: fix the forward pass first.)",
                       diagnosis=miss.diagnosis, series=miss.series) from None
    return result


def check_inputs_unchanged(student, name, inputs, dout=None, *, what):
    """The forward pass (without dout) or the backward pass (with dout) judged as above, and then
    none of the caller's arrays changed in place by it."""
    if dout is None:
        result = check_forward(student, name, inputs, what, helper="layer_unchanged")
    else:
        result = check_backward_layer(student, name, inputs, dout, what, helper="layer_unchanged")
    part = f"{name}_{'forward' if dout is None else 'backward'}"
    report_changed(part, result.get("changed"), INPUT_NAMES[name] + ["dout"], what)


def report_changed(part, changed, labels, what):
    """Fail if the positions in ``changed`` name any of the caller's arrays (``labels``)."""
    if not isinstance(changed, list) or not all(type(i) is int and 0 <= i < len(labels) for i in changed):
        raise Mismatch(f"{what}: could not tell which of its inputs {part} changed (got {show(changed)})")
    if changed:
        names = " and ".join(labels[i] for i in changed)
        raise Mismatch(f"{what}: your {part} changed {names} in place (an operation such as x[x < 0] = 0, "
                       "x -= mu or dout *= ... on an argument, or on an array of the cache that is the "
                       "caller's). The caller still needs its arrays (the next layer, a gradient check, the "
                       "next training step): compute into new arrays instead, e.g. out = np.maximum(0, x), "
                       "dx = dout * mask.", diagnosis=changes_inputs(part))


def check_central_differences(student, name, inputs, dout, what):
    """The student's gradients against central differences of sum(forward(inputs) * dout), with the
    reference's forward: a check that does not rest on the reference's backward pass, and that a
    bug in the student's forward does not spoil."""
    labels = GRADIENT_NAMES[name]
    got = _field(student.harness("layer", name, inputs, dout), "grads", what)
    if not isinstance(got, (list, tuple)) or len(got) != len(labels):
        raise Mismatch(f"{what}: expected {len(labels)} gradients ({', '.join(labels)}), got {show(got)}")
    forward = REF[f"{name}_forward"]
    for k, label in enumerate(labels):
        def loss(value, k=k):
            return float(np.sum(forward(*inputs[:k], value, *inputs[k + 1:])[0] * dout))
        expect(got[k], harness.central_difference(loss, inputs[k], 1e-6),
               what=f"{what}: {label} against central differences", rtol=1e-5, atol=1e-7)


def _field(result, key, what):
    if not isinstance(result, dict):
        raise Mismatch(f"{what}: expected (out, cache), got {show(result)}")
    return result[key]


def layer_inputs(name, rng, N, **sizes):
    """Random inputs of a layer with batch size N."""
    if name == "affine":
        D, M = sizes.get("D", 4), sizes.get("M", 3)
        x = rng.normal(size=(N, *sizes["x_shape"])) if "x_shape" in sizes else rng.normal(size=(N, D))
        return [x, rng.normal(size=(int(np.prod(x.shape[1:])), M)), rng.normal(size=M)]
    if name == "batchnorm":
        D = sizes.get("D", 3)
        return [2 * rng.normal(size=(N, D)) + rng.normal(size=D), rng.normal(size=D), rng.normal(size=D)]
    if name == "conv1d":
        C, F, L, K = (sizes.get(k, v) for k, v in (("C", 2), ("F", 3), ("L", 7), ("K", 3)))
        return [rng.normal(size=(N, C, L)), rng.normal(size=(F, C, K)), rng.normal(size=F)]
    return [signed(rng, (N, *sizes.get("shape", (5,))), 0.05, 3.0)]


def output_shape(name, inputs):
    return np.shape(harness.layer(REF, name, inputs)["out"])


def backward_case(name, seed, N, **sizes):
    rng = rng_for(seed)
    inputs = layer_inputs(name, rng, N, **sizes)
    return inputs, rng.normal(size=output_shape(name, inputs))


# affine (1 + 2)

@points(0.25, "affine_forward: random shapes, batch sizes 1 and N, inputs of shape (N, d1, d2)")
def test_affine_forward_random(student):
    for n, (N, sizes) in enumerate([(5, {"D": 4, "M": 3}), (1, {"D": 3, "M": 2}), (3, {"x_shape": (2, 3), "M": 4})]):
        inputs = layer_inputs("affine", rng_for(60 + n), N, **sizes)
        check_forward(student, "affine", inputs, f"affine_forward with x {inputs[0].shape}, w {inputs[1].shape}")


@points(0.5, "affine_forward: CS231n's check")
def test_affine_forward_cs231n(student):
    x = np.linspace(-0.1, 0.5, num=240).reshape(2, 4, 5, 6)
    w = np.linspace(-0.2, 0.3, num=360).reshape(120, 3)
    check_forward(student, "affine", [x, w, np.linspace(-0.3, 0.1, num=3)],
                  "affine_forward on CS231n's inputs (x of shape (2, 4, 5, 6))")


@points(0.75, "affine_backward: dx, dw and db on random shapes, batch size N")
def test_affine_backward_random(student):
    for n, (N, sizes) in enumerate([(5, {"D": 4, "M": 4}), (4, {"D": 3, "M": 6})]):
        inputs, dout = backward_case("affine", 70 + n, N, **sizes)
        check_backward_layer(student, "affine", inputs, dout,
                             f"affine_backward with x {inputs[0].shape}, w {inputs[1].shape}")


@points(0.5, "affine_backward: batch size 1 and inputs of shape (N, d1, d2)")
def test_affine_backward_shapes(student):
    for n, (N, sizes) in enumerate([(1, {"D": 3, "M": 3}), (3, {"x_shape": (2, 2), "M": 4})]):
        inputs, dout = backward_case("affine", 72 + n, N, **sizes)
        check_backward_layer(student, "affine", inputs, dout,
                             f"affine_backward with x {inputs[0].shape}, w {inputs[1].shape}")


@points(0.5, "affine_backward: dx, dw and db equal central differences")
def test_affine_backward_central_differences(student):
    inputs, dout = backward_case("affine", 74, 3, D=4, M=2)
    check_central_differences(student, "affine", inputs, dout, "affine_backward with x (3, 4), w (4, 2)")


@points(0.25, "affine_forward: leaves its inputs unchanged")
def test_affine_forward_inputs(student):
    inputs = layer_inputs("affine", rng_for(75), 3, x_shape=(2, 2), M=3)
    check_inputs_unchanged(student, "affine", inputs, what="affine_forward with x (3, 2, 2), w (4, 3)")


@points(0.25, "affine_backward: leaves its inputs unchanged")
def test_affine_backward_inputs(student):
    inputs, dout = backward_case("affine", 76, 4, D=3, M=2)
    check_inputs_unchanged(student, "affine", inputs, dout, what="affine_backward with x (4, 3), w (3, 2)")


# relu, sigmoid, tanh (1 each)

@points(0.75, "relu_forward: random arrays of several shapes and CS231n's check")
def test_relu_forward(student):
    for n, (N, shape) in enumerate([(4, (5,)), (1, (3,)), (2, (3, 4))]):
        inputs = layer_inputs("relu", rng_for(80 + n), N, shape=shape)
        check_forward(student, "relu", inputs, f"relu_forward of a random {inputs[0].shape} array")
    check_forward(student, "relu", [np.linspace(-0.5, 0.5, num=12).reshape(3, 4)],
                  "relu_forward of np.linspace(-0.5, 0.5, 12).reshape(3, 4) (CS231n)")


@points(0.75, "relu_backward: random arrays, upstream gradients of both signs, batch sizes 1 and N")
def test_relu_backward(student):
    for n, (N, shape) in enumerate([(4, (5,)), (1, (6,)), (2, (3, 4))]):
        inputs, dout = backward_case("relu", 84 + n, N, shape=shape)
        check_backward_layer(student, "relu", inputs, dout, f"relu_backward on a random {inputs[0].shape} array")


@points(0.25, "sigmoid_forward: random arrays of several shapes")
def test_sigmoid_forward(student):
    for n, (N, shape) in enumerate([(4, (5,)), (1, (3,)), (2, (2, 3))]):
        inputs = layer_inputs("sigmoid", rng_for(90 + n), N, shape=shape)
        check_forward(student, "sigmoid", inputs, f"sigmoid_forward of a random {inputs[0].shape} array")


@points(0.5, "sigmoid_forward: large |x| without overflow (±40, ±800)")
def test_sigmoid_forward_tails(student):
    check_forward(student, "sigmoid", [np.array([[-800.0, -40.0, 0.0, 40.0, 800.0]])],
                  "sigmoid_forward of [-800, -40, 0, 40, 800]")


@points(0.75, "sigmoid_backward: random arrays, batch sizes 1 and N")
def test_sigmoid_backward(student):
    for n, (N, shape) in enumerate([(4, (5,)), (1, (4,)), (2, (2, 3))]):
        inputs, dout = backward_case("sigmoid", 94 + n, N, shape=shape)
        check_backward_layer(student, "sigmoid", inputs, dout, f"sigmoid_backward on a random {inputs[0].shape} array")


@points(0.75, "tanh_forward: random arrays of several shapes, large |x|")
def test_tanh_forward(student):
    for n, (N, shape) in enumerate([(4, (5,)), (1, (3,)), (2, (2, 3))]):
        inputs = layer_inputs("tanh", rng_for(100 + n), N, shape=shape)
        check_forward(student, "tanh", inputs, f"tanh_forward of a random {inputs[0].shape} array")
    check_forward(student, "tanh", [np.array([[-800.0, 0.5, 800.0]])], "tanh_forward of [-800, 0.5, 800]")


@points(0.75, "tanh_backward: random arrays, batch sizes 1 and N")
def test_tanh_backward(student):
    for n, (N, shape) in enumerate([(4, (5,)), (1, (4,)), (2, (2, 3))]):
        inputs, dout = backward_case("tanh", 104 + n, N, shape=shape)
        check_backward_layer(student, "tanh", inputs, dout, f"tanh_backward on a random {inputs[0].shape} array")


def element_wise_inputs_check(student, name, seed, backward):
    inputs, dout = backward_case(name, seed, 3, shape=(4,))
    part = f"{name}_{'backward' if backward else 'forward'}"
    check_inputs_unchanged(student, name, inputs, dout if backward else None,
                           what=f"{part} on a random (3, 4) array" + (" and dout" if backward else ""))


def _inputs_check(name: str, backward: bool, seed: int):
    part = f"{name}_{'backward' if backward else 'forward'}"
    return pytest.param(name, backward, seed, id=part, marks=points(0.25, f"{part}: leaves its inputs unchanged"))


@pytest.mark.parametrize("name, backward, seed", [
    _inputs_check(name, backward, seed)
    for name, seeds in (("relu", (87, 88)), ("sigmoid", (97, 98)), ("tanh", (107, 108)))
    for backward, seed in zip((False, True), seeds)])
def test_element_wise_inputs(student, name, backward, seed):
    element_wise_inputs_check(student, name, seed, backward=backward)


# losses: softmax_loss (2), mse_loss (1)

def check_loss(student, part, x, target, what, *, inputs_unchanged=False):
    got, changed = student.mutated(part, x.copy(), target.copy())
    expected, wrong = predictions(lambda ns: ns[part](x.copy(), target.copy()), part)
    judge_parts(got, expected, wrong, labels=["the loss", "the gradient"], what=what)
    if inputs_unchanged:
        report_changed(part, changed, INPUT_NAMES[part], what)


@points(0.75, "softmax_loss: loss and dx on random scores, batch sizes 1 and N")
def test_softmax_loss_random(student):
    for n, (N, C) in enumerate([(6, 4), (1, 5), (3, 3)]):
        rng = rng_for(110 + n)
        check_loss(student, "softmax_loss", 2 * rng.normal(size=(N, C)), rng.integers(0, C, size=N),
                   f"softmax_loss of random scores ({N}, {C})")


@points(0.5, "softmax_loss: large scores without overflow")
def test_softmax_loss_large_scores(student):
    scores = np.array([[1000.0, 0.0, -5.0], [300.0, 302.0, 1.0]])
    check_loss(student, "softmax_loss", scores, np.array([0, 0]), "softmax_loss of scores around 1000")


@points(0.5, "softmax_loss: dx equals central differences of the loss")
def test_softmax_loss_central_differences(student):
    rng = rng_for(113)
    scores, labels = rng.normal(size=(4, 3)), rng.integers(0, 3, size=4)
    got = student.softmax_loss(scores.copy(), labels)
    if not isinstance(got, (list, tuple)) or len(got) != 2:
        raise Mismatch(f"softmax_loss: expected (loss, dx), got {show(got)}")
    numeric = harness.central_difference(lambda s: REF["softmax_loss"](s, labels)[0], scores, 1e-6)
    expect(got[1], numeric, what="softmax_loss of random (4, 3) scores: dx against central differences of the loss",
           rtol=1e-5, atol=1e-8)


@points(0.25, "softmax_loss: leaves its inputs unchanged")
def test_softmax_loss_inputs(student):
    rng = rng_for(114)
    check_loss(student, "softmax_loss", 2 * rng.normal(size=(4, 3)), rng.integers(0, 3, size=4),
               "softmax_loss of random scores (4, 3)", inputs_unchanged=True)


@points(0.75, "mse_loss: loss and gradient for predictions of shapes (N,) and (N, D)")
def test_mse_loss(student):
    for n, shape in enumerate([(7,), (4, 3), (1, 2)]):
        rng = rng_for(120 + n)
        check_loss(student, "mse_loss", rng.normal(size=shape), rng.normal(size=shape),
                   f"mse_loss of random {shape} predictions")


@points(0.25, "mse_loss: leaves its inputs unchanged")
def test_mse_loss_inputs(student):
    rng = rng_for(123)
    check_loss(student, "mse_loss", rng.normal(size=(3, 2)), rng.normal(size=(3, 2)),
               "mse_loss of random (3, 2) predictions", inputs_unchanged=True)


# batchnorm (2 + 3)

@points(0.75, "batchnorm_forward: random batches (N = 2 and 16) with any γ and β")
def test_batchnorm_forward_random(student):
    for n, (N, D) in enumerate([(16, 3), (2, 4), (5, 5)]):
        inputs = layer_inputs("batchnorm", rng_for(130 + n), N, D=D)
        check_forward(student, "batchnorm", inputs, f"batchnorm_forward of a random ({N}, {D}) batch")


@points(0.5, "batchnorm_forward: a batch of one example gives β")
def test_batchnorm_forward_single(student):
    inputs = layer_inputs("batchnorm", rng_for(133), 1, D=3)
    check_forward(student, "batchnorm", inputs, "batchnorm_forward of a batch of one example")


@points(0.5, "batchnorm_forward: the normalised layers of CS182's network")
def test_batchnorm_forward_cs182(student):
    N, D, H1, H2 = 2, 15, 20, 30
    X = np.linspace(-5.5, 4.5, num=N * D).reshape(D, N).T
    layers = [(np.linspace(-0.7, 0.3, num=D * H1).reshape(D, H1), np.linspace(-0.1, 0.9, num=H1)),
              (np.linspace(-0.3, 0.4, num=H1 * H2).reshape(H1, H2), np.linspace(-0.9, 0.1, num=H2))]
    h = X
    for k, (W, b) in enumerate(layers, 1):
        inputs = [h @ W + b, np.ones(W.shape[1]), np.zeros(W.shape[1])]
        check_forward(student, "batchnorm", inputs, f"batchnorm_forward in layer {k} of CS182's network (γ = 1, β = 0)")
        h = np.maximum(harness.layer(REF, "batchnorm", inputs)["out"], 0)


@points(1.25, "batchnorm_backward: dx, dgamma and dbeta on random batches (N = 4 and 16)")
def test_batchnorm_backward_random(student):
    for n, (N, D) in enumerate([(4, 3), (16, 2)]):
        inputs, dout = backward_case("batchnorm", 140 + n, N, D=D)
        check_backward_layer(student, "batchnorm", inputs, dout, f"batchnorm_backward on a random ({N}, {D}) batch")


@points(0.5, "batchnorm_backward: a batch of one example (dx = 0)")
def test_batchnorm_backward_single(student):
    inputs, dout = backward_case("batchnorm", 142, 1, D=3)
    check_backward_layer(student, "batchnorm", inputs, dout, "batchnorm_backward on a batch of one example")


@points(1.0, "batchnorm_backward: dx, dgamma and dbeta equal central differences")
def test_batchnorm_backward_central_differences(student):
    inputs, dout = backward_case("batchnorm", 143, 5, D=3)
    check_central_differences(student, "batchnorm", inputs, dout, "batchnorm_backward on a (5, 3) batch")


@points(0.25, "batchnorm_forward: leaves its inputs unchanged")
def test_batchnorm_forward_inputs(student):
    inputs = layer_inputs("batchnorm", rng_for(144), 6, D=3)
    check_inputs_unchanged(student, "batchnorm", inputs, what="batchnorm_forward of a random (6, 3) batch")


@points(0.25, "batchnorm_backward: leaves its inputs unchanged")
def test_batchnorm_backward_inputs(student):
    inputs, dout = backward_case("batchnorm", 145, 6, D=3)
    check_inputs_unchanged(student, "batchnorm", inputs, dout, what="batchnorm_backward on a random (6, 3) batch")


# conv1d (2 + 3)

CONV_SHAPES = [(3, {"C": 2, "F": 3, "L": 7, "K": 3}), (1, {"C": 1, "F": 2, "L": 5, "K": 5}),
               (2, {"C": 3, "F": 1, "L": 4, "K": 1})]


@points(0.75, "conv1d_forward: random N, C, F, L and K (batch sizes 1 and N, K = 1 and K = L)")
def test_conv1d_forward_random(student):
    for n, (N, sizes) in enumerate(CONV_SHAPES):
        inputs = layer_inputs("conv1d", rng_for(150 + n), N, **sizes)
        check_forward(student, "conv1d", inputs, f"conv1d_forward with x {inputs[0].shape}, w {inputs[1].shape}")


def seed004_example():
    """Seed 004: X ∈ R⁴, w ∈ R³, Y = X ⋆ w ∈ R², here with a bias 0.5."""
    return [np.array([[[1.0, 2.0, -1.0, 3.0]]]), np.array([[[1.0, -2.0, 0.5]]]), np.array([0.5])]


@points(1.0, "conv1d_forward: seed 004's example and a two-channel version of it")
def test_conv1d_forward_seed004(student):
    check_forward(student, "conv1d", seed004_example(), "conv1d_forward of X = (1, 2, -1, 3), w = (1, -2, 0.5), b = 0.5")
    x, w, b = seed004_example()
    check_forward(student, "conv1d", [np.concatenate([x, 2 * x], axis=1), np.concatenate([w, -w], axis=1), b],
                  "conv1d_forward of the same example with a second channel (2X, -w)")


@points(1.25, "conv1d_backward: random N, C, F, L and K, batch sizes 1 and N")
def test_conv1d_backward_random(student):
    for n, (N, sizes) in enumerate(CONV_SHAPES):
        inputs, dout = backward_case("conv1d", 160 + n, N, **sizes)
        check_backward_layer(student, "conv1d", inputs, dout,
                             f"conv1d_backward with x {inputs[0].shape}, w {inputs[1].shape}")


@points(0.5, "conv1d_backward: seed 004's example (dL/dX = padded dL/dY ⋆ flipped w)")
def test_conv1d_backward_seed004(student):
    check_backward_layer(student, "conv1d", seed004_example(), np.array([[[1.0, 10.0]]]),
                         "conv1d_backward of seed 004's example with dL/dY = (1, 10)")


@points(1.0, "conv1d_backward: dx, dw and db equal central differences")
def test_conv1d_backward_central_differences(student):
    inputs, dout = backward_case("conv1d", 163, 2, C=2, F=2, L=6, K=3)
    check_central_differences(student, "conv1d", inputs, dout, "conv1d_backward with x (2, 2, 6), w (2, 2, 3)")


@points(0.25, "conv1d_forward: leaves its inputs unchanged")
def test_conv1d_forward_inputs(student):
    inputs = layer_inputs("conv1d", rng_for(164), 2, C=2, F=2, L=6, K=3)
    check_inputs_unchanged(student, "conv1d", inputs, what="conv1d_forward with x (2, 2, 6), w (2, 2, 3)")


@points(0.25, "conv1d_backward: leaves its inputs unchanged")
def test_conv1d_backward_inputs(student):
    inputs, dout = backward_case("conv1d", 165, 2, C=2, F=2, L=6, K=3)
    check_inputs_unchanged(student, "conv1d", inputs, dout, what="conv1d_backward with x (2, 2, 6), w (2, 2, 3)")


# ----------------------------------------------------------------------------- two_layer_loss (2)

def check_network(student, params, X, y, reg, what):
    got = student.harness("network_loss", params, X, y, reg)
    expected, wrong = predictions(lambda ns: harness.network_loss(ns, params, X, y, reg), "two_layer_loss")
    if not isinstance(got, (list, tuple)) or len(got) != 2 or not isinstance(got[1], dict):
        raise Mismatch(f"{what}: expected (loss, grads) with grads a dict, got {show(got)}")
    missing = [key for key in PARAMS if key not in got[1]]
    if missing:
        raise Mismatch(f"{what}: grads has no {', '.join(missing)}")

    def flat(result):
        return [result[0]] + [result[1][key] for key in PARAMS]
    judge_parts(flat(got), flat(expected), {k: flat(v) for k, v in wrong.items()},
                labels=["the loss"] + [f"d{key}" for key in PARAMS], what=what)


def cs231n_network():
    N, D, H, C = 3, 5, 50, 7
    params = {"W1": np.linspace(-0.7, 0.3, num=D * H).reshape(D, H), "b1": np.linspace(-0.1, 0.9, num=H),
              "W2": np.linspace(-0.3, 0.4, num=H * C).reshape(H, C), "b2": np.linspace(-0.9, 0.1, num=C)}
    return params, np.linspace(-5.5, 4.5, num=N * D).reshape(D, N).T, np.array([0, 5, 1])


@points(1.0, "two_layer_loss: CS231n's check (loss 3.4702243556, and 26.5948426952 with reg = 1)")
def test_two_layer_loss_cs231n(student):
    params, X, y = cs231n_network()
    check_network(student, params, X, y, 0.0, "two_layer_loss on CS231n's network, reg = 0")
    check_network(student, params, X, y, 1.0, "two_layer_loss on CS231n's network, reg = 1")


@points(1.0, "two_layer_loss: random networks, batch sizes 1 and N, reg = 0 and 0.3")
def test_two_layer_loss_random(student):
    for n, (N, reg) in enumerate([(5, 0.0), (1, 0.3), (4, 0.3)]):
        rng = rng_for(170 + n)
        D, H, C = 3, 6, 4
        params = {"W1": rng.normal(size=(D, H)), "b1": rng.normal(size=H), "W2": rng.normal(size=(H, C)),
                  "b2": rng.normal(size=C)}
        check_network(student, params, rng.normal(size=(N, D)), rng.integers(0, C, size=N), reg,
                      f"two_layer_loss of a random network on {N} example(s), reg = {reg}")


# ----------------------------------------------------------------------------- train_two_layer (3)

def spirals(n_per_class, seed):
    return REF["make_spirals"](n_per_class=n_per_class, seed=seed)


def training(student, X, y, what, **options):
    history = student.harness("train", X, y, **options)
    keys = ("loss", "accuracy", "batches", "initial_params", "params")
    if not isinstance(history, dict) or any(k not in history for k in keys):
        raise Mismatch(f"{what}: expected a dict with keys {', '.join(keys)}, got {show(history)}")
    for key in ("initial_params", "params"):
        value = history[key]
        if not isinstance(value, dict) or any(_shapes(value.get(k)) in (None, []) for k in PARAMS):
            raise Mismatch(f"{what}: history[{key!r}] should be a dict of the arrays {', '.join(PARAMS)}, "
                           f"got {show(value)}")
    for key in ("loss", "accuracy", "batches"):
        if not isinstance(history[key], list) or len(history[key]) != options["epochs"]:
            raise Mismatch(f"{what}: history[{key!r}] should be a list with one entry per epoch "
                           f"({options['epochs']}), got {show(history[key])}")
    return history


def check_batches(history, N, B, what):
    orders = []
    for epoch, batches in enumerate(history["batches"], 1):
        try:
            parts = [np.asarray(b).astype(int).ravel() for b in batches]
        except (TypeError, ValueError):
            raise Mismatch(f"{what}, epoch {epoch}: the minibatches are not arrays of indices: {show(batches)}") from None
        order = np.concatenate(parts) if parts else np.array([], dtype=int)
        where = f"{what}, epoch {epoch}"
        if len(np.unique(order)) < len(order):
            name = BATCH_PROBLEMS["replacement"]
            raise Mismatch(f"{where}: some examples are used twice; your minibatches match {name}.", diagnosis=name)
        if set(order.tolist()) != set(range(N)):
            missing = N - len(set(order.tolist()) & set(range(N)))
            if missing == N % B and len(parts) == N // B:
                name = BATCH_PROBLEMS["dropped"]
                raise Mismatch(f"{where}: {missing} examples are never used; your minibatches match {name}.",
                               diagnosis=name)
            raise Mismatch(f"{where}: the minibatches should hold every index 0..{N - 1} exactly once; "
                           f"{missing} are missing")
        sizes = [len(p) for p in parts]
        if any(s != B for s in sizes[:-1]) or sizes[-1] > B:
            raise Mismatch(f"{where}: minibatch sizes {sizes}; expected {B} each (the last may be smaller)")
        orders.append(order)
    if B < N and len(orders) > 1 and all(np.array_equal(o, orders[0]) for o in orders):
        name = BATCH_PROBLEMS["none"] if np.array_equal(orders[0], np.arange(N)) else BATCH_PROBLEMS["same"]
        raise Mismatch(f"{what}: every epoch visits the examples in the same order; your minibatches match {name}.",
                       diagnosis=name)


@points(1.0, "train_two_layer: each example once per epoch, in a new order every epoch (batch sizes 1, 7 and N)")
def test_train_two_layer_epochs(student):
    X, y = spirals(20, seed=180)
    for B, epochs in ((7, 3), (1, 2), (len(X), 3)):
        what = f"train_two_layer on {len(X)} examples with batch_size {B}"
        history = training(student, X, y, what, hidden=8, lr=0.1, epochs=epochs, batch_size=B, seed=181)
        check_batches(history, len(X), B, what)


def replay(history, X, y, lr, *, ascend=False):
    """The parameters and epoch losses of SGD over the student's own minibatches from their start."""
    params = {k: np.array(history["initial_params"][k], dtype=float) for k in PARAMS}
    batch_losses = []
    for batches in history["batches"]:
        losses = []
        for idx in batches:
            idx = np.asarray(idx).astype(int)
            loss, grads = REF["two_layer_loss"](params, X[idx], y[idx])
            params = {k: params[k] + lr * grads[k] if ascend else params[k] - lr * grads[k] for k in PARAMS}
            losses.append((loss, len(idx)))
        batch_losses.append(losses)
    return [params[k] for k in PARAMS], batch_losses


@points(1.0, "train_two_layer: plain SGD steps over your minibatches, epoch loss weighted by batch size")
def test_train_two_layer_steps(student):
    X, y = spirals(20, seed=182)
    lr, what = 0.3, f"train_two_layer on {3 * 20} examples with batch_size 7, lr 0.3"
    history = training(student, X, y, what, hidden=8, lr=lr, epochs=3, batch_size=7, seed=183)
    check_batches(history, len(X), 7, what)
    with np.errstate(all="ignore"):
        final, batch_losses = replay(history, X, y, lr)
        ascended, _ = replay(history, X, y, lr, ascend=True)
    judge([history["params"][k] for k in PARAMS], final, {REPLAYS["ascend"]: ascended},
          what=f"{what}: the parameters (W1, b1, W2, b2) after training, against SGD replayed over your "
               "minibatches from your initial parameters", step_name="parameter")
    weighted = [sum(loss * n for loss, n in epoch) / len(X) for epoch in batch_losses]
    wrong = {REPLAYS["unweighted"]: [float(np.mean([loss for loss, _ in epoch])) for epoch in batch_losses],
             REPLAYS["last"]: [epoch[-1][0] for epoch in batch_losses]}
    judge(np.asarray(history["loss"], dtype=float), np.array(weighted), {k: np.array(v) for k, v in wrong.items()},
          what=f"{what}: history['loss'] (the mean training loss of each epoch)")


@points(1.0, "train_two_layer: at least 90% training accuracy on the spirals, loss decreasing")
def test_train_two_layer_learns(student):
    X, y = spirals(50, seed=2)
    what = "train_two_layer on 150 spiral points (hidden 64, lr 0.5, 60 epochs, batch_size 16)"
    history = training(student, X, y, what, hidden=64, lr=0.5, epochs=60, batch_size=16, seed=3)
    losses = np.asarray(history["loss"], dtype=float)
    if not losses[-1] < 0.5 * losses[0]:
        raise Mismatch(f"{what}: the epoch loss went from {show(losses[0])} to {show(losses[-1])}; it should at "
                       "least halve", series={"yours": [[v] for v in losses.tolist()]})
    p = history["params"]
    scores = np.maximum(X @ p["W1"] + p["b1"], 0) @ p["W2"] + p["b2"]
    accuracy = float(np.mean(scores.argmax(axis=1) == y))
    expect(float(history["accuracy"][-1]), accuracy,
           what=f"{what}: the last reported accuracy, against the accuracy of the returned params on X")
    if accuracy < 0.9:
        raise Mismatch(f"{what}: training accuracy {accuracy:.3f}; expected at least 0.9 (the reference reaches 0.96)")
