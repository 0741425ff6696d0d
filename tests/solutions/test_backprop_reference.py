"""The reference of solutions/backprop/backprop.ipynb against numbers and derivatives nobody on this
project computed: CS231n's and CS182's published fixtures, sympy's symbolic derivatives, an
independent central difference written here, seed 004's worked convolution example and seed 001's
GD table with a forward difference."""
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograder.reference import load
from published import CS231N
import sympy

NOTEBOOK = Path(__file__).resolve().parents[2] / "solutions" / "backprop" / "backprop.ipynb"

FUNCTIONS = ["relative_error", "numeric_gradient", "topological_order", "op_backward", "backward",
             "affine_forward", "affine_backward", "relu_forward", "relu_backward", "sigmoid_forward",
             "sigmoid_backward", "tanh_forward", "tanh_backward", "softmax_loss", "mse_loss",
             "batchnorm_forward", "batchnorm_backward", "conv1d_forward", "conv1d_backward",
             "two_layer_loss", "train_two_layer"]
GIVEN_CELLS = ["setup", "engine", "spirals"]




@pytest.fixture(scope="module")
def bp():
    return load("backprop")


def rel_error(x, y):
    """CS231n's relative error, with its 1e-8 floor (written here, not the notebook's)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    assert x.shape == y.shape, f"shapes {x.shape} and {y.shape}"
    return float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))


def central_difference(f, x, h=1e-5):
    """dL/dx of a scalar f by central differences on a copy of x (independent of the notebook)."""
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[i] += h
        minus[i] -= h
        grad[i] = (f(plus) - f(minus)) / (2 * h)
    return grad


# ---------------------------------------------------------------- notebook structure

def test_notebook_has_nbgrader_cells():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    ids = {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if "nbgrader" in c.metadata}
    assert len(ids) == sum("nbgrader" in c.metadata for c in nb.cells), "duplicate grade_id"
    for given in GIVEN_CELLS:
        meta = ids[given].metadata["nbgrader"]
        assert meta["locked"] and not meta["solution"] and not meta["grade"], given
    for name in FUNCTIONS:
        sol, test = ids[name].source, ids[f"{name}_tests"]
        assert ids[name].metadata["nbgrader"]["solution"], name
        # the signature and docstring stay outside the markers so the student release keeps them
        assert sol.index(f"def {name}(") < sol.index('"""') < sol.index("### BEGIN SOLUTION") < sol.index("### END SOLUTION")
        after = sol.split("### END SOLUTION")[1].strip()
        assert after.startswith("return ") or (name == "backward" and after == ""), f"{name}: {after!r}"
        meta = test.metadata["nbgrader"]
        assert meta["grade"] and meta["locked"] and not meta["solution"] and meta["points"] > 0, name
        assert nb.cells.index(test) == nb.cells.index(ids[name]) + 1, f"{name}_tests must follow {name}"
    graded = {gid.removesuffix("_tests") for gid, c in ids.items() if c.metadata["nbgrader"]["grade"]}
    assert graded == set(FUNCTIONS)
    for cell in nb.cells:
        if cell.cell_type == "code" and "nbgrader" not in cell.metadata:
            assert cell.metadata.get("tags") == ["demo"], cell.source[:60]


def test_every_student_function_has_shapes_in_its_docstring(bp):
    for name in FUNCTIONS:
        doc = bp[name].__doc__
        assert doc and "Inputs:" in doc and "Returns" in doc, name


def test_visible_tests_pass_on_the_reference():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    namespace = load("backprop")
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            exec(compile(cell.source, meta["grade_id"], "exec"), namespace)


# ---------------------------------------------------------------- CS231n / CS182 fixtures

def test_affine_forward_cs231n(bp):
    fx = CS231N["affine_forward"]
    x = np.linspace(-0.1, 0.5, num=240).reshape(2, 4, 5, 6)
    w = np.linspace(-0.2, 0.3, num=360).reshape(120, 3)
    b = np.linspace(-0.3, 0.1, num=3)
    out, _ = bp["affine_forward"](x, w, b)
    assert rel_error(out, fx["correct_out"]) < 1e-8


def test_relu_forward_cs231n(bp):
    out, _ = bp["relu_forward"](np.linspace(-0.5, 0.5, num=12).reshape(3, 4))
    assert rel_error(out, CS231N["relu_forward"]["correct_out"]) < 5e-8


def two_layer_fixture():
    N, D, H, C = 3, 5, 50, 7
    params = {"W1": np.linspace(-0.7, 0.3, num=D * H).reshape(D, H), "b1": np.linspace(-0.1, 0.9, num=H),
              "W2": np.linspace(-0.3, 0.4, num=H * C).reshape(H, C), "b2": np.linspace(-0.9, 0.1, num=C)}
    X = np.linspace(-5.5, 4.5, num=N * D).reshape(D, N).T
    return params, X, np.array(CS231N["two_layer_net"]["y"])


def test_two_layer_net_cs231n(bp):
    fx = CS231N["two_layer_net"]
    params, X, y = two_layer_fixture()
    hidden, _ = bp["relu_forward"](bp["affine_forward"](X, params["W1"], params["b1"])[0])
    scores, _ = bp["affine_forward"](hidden, params["W2"], params["b2"])
    assert np.abs(scores - np.array(fx["correct_scores"])).sum() < 1e-6   # CS231n's own criterion
    loss, _ = bp["two_layer_loss"](params, X, y)
    assert abs(loss - fx["correct_loss_reg0"]) < 1e-10
    loss, _ = bp["two_layer_loss"](params, X, y, reg=1.0)
    assert abs(loss - fx["correct_loss_reg1"]) < 1e-10


@pytest.mark.parametrize("reg", [0.0, 0.7])
def test_two_layer_net_gradients_on_the_cs231n_net(bp, reg):
    params, X, y = two_layer_fixture()
    _, grads = bp["two_layer_loss"](params, X, y, reg=reg)
    for key in params:
        def loss_of(value, key=key):
            return bp["two_layer_loss"]({**params, key: value}, X, y, reg=reg)[0]
        assert rel_error(grads[key], central_difference(loss_of, params[key])) < 1e-6, key


def test_batchnorm_network_cs182(bp):
    fx = CS231N["cs182_variant"]["batchnorm_fc_forward"]
    N, D, H1, H2, C = fx["N_D_H1_H2_C"]
    W1, b1 = np.linspace(-0.7, 0.3, num=D * H1).reshape(D, H1), np.linspace(-0.1, 0.9, num=H1)
    W2, b2 = np.linspace(-0.3, 0.4, num=H1 * H2).reshape(H1, H2), np.linspace(-0.9, 0.1, num=H2)
    W3, b3 = np.linspace(-0.3, 0.4, num=H2 * C).reshape(H2, C), np.linspace(-0.9, 0.1, num=C)
    X = np.linspace(-5.5, 4.5, num=N * D).reshape(D, N).T
    h = X
    for W, b, width in ((W1, b1, H1), (W2, b2, H2)):
        a, _ = bp["affine_forward"](h, W, b)
        a, _ = bp["batchnorm_forward"](a, np.ones(width), np.zeros(width))
        h, _ = bp["relu_forward"](a)
    scores, _ = bp["affine_forward"](h, W3, b3)
    assert rel_error(scores, fx["expected_scores"]) < 1e-7


def test_relative_error_is_cs231n_rel_error(bp):
    assert CS231N["rel_error"] == "np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y)))"
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(4, 5)), rng.normal(size=(4, 5))
    x[0, 0] = y[0, 0] = 0.0
    x[1, 1], y[1, 1] = 1e-12, -1e-12   # the floor: 2e-12 / 1e-8
    assert bp["relative_error"](x, y) == np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y)))
    assert bp["relative_error"](np.zeros(3), np.array([0.0, 0.0, 2e-12])) == pytest.approx(2e-4)
    with pytest.raises(ValueError):
        bp["relative_error"](np.zeros((3, 1)), np.zeros(3))


# ---------------------------------------------------------------- numeric gradient

def test_numeric_gradient_seed001_gd_table(bp):
    # seed 001: GD on f(x) = x^4 + x + 2 from x = 1, gamma = 0.2, forward difference with h = 0.001
    f = lambda v: float(v[0] ** 4 + v[0] + 2)
    x, xs = np.array([1.0]), [1.0]
    for _ in range(6):
        x = x - 0.2 * bp["numeric_gradient"](f, x, h=0.001, method="forward")
        xs.append(x[0])
    assert [round(v, 3) for v in xs] == [1.000, -0.001, -0.201, -0.395, -0.546, -0.616, -0.629]


def test_numeric_gradient_error_orders(bp):
    # forward differences err by O(h), central ones by O(h^2): halving h halves / quarters the error
    f = lambda v: float(np.sum(np.exp(v) * np.sin(v)))
    x = np.array([0.3, -1.2, 2.0])
    exact = np.exp(x) * (np.sin(x) + np.cos(x))
    for method, order in (("forward", 1), ("central", 2)):
        e1 = np.abs(bp["numeric_gradient"](f, x, h=1e-2, method=method) - exact)
        e2 = np.abs(bp["numeric_gradient"](f, x, h=5e-3, method=method) - exact)
        np.testing.assert_allclose(e1 / e2, 2.0**order, rtol=0.05)


def test_numeric_gradient_restores_and_perturbs_in_place(bp):
    rng = np.random.default_rng(3)
    W = rng.normal(size=(3, 4))
    before = W.copy()
    grad = bp["numeric_gradient"](lambda _: float(np.sum(np.tanh(W))), W)
    assert np.array_equal(W, before)
    assert rel_error(grad, 1 - np.tanh(W) ** 2) < 1e-8
    scalar = np.array(0.5)  # 0-d arrays work too
    assert bp["numeric_gradient"](lambda v: float(v**3), scalar) == pytest.approx(0.75)
    with pytest.raises(ValueError):
        bp["numeric_gradient"](lambda v: 0.0, W, method="backward")


# ---------------------------------------------------------------- graph engine vs sympy

SYMPY_OP = {"add": lambda a, b: a + b, "mul": lambda a, b: a * b, "exp": sympy.exp, "tanh": sympy.tanh,
            "pow": lambda a, p: a**p, "log": sympy.log}


def random_scalar_graph(bp, rng, n_inputs, n_ops):
    """Input values, sympy symbols and a random graph built twice, as Nodes and as sympy expressions;
    nodes are reused (also twice by one node). log gets |a|: the engine multiplies a by its sign.
    relu is left out: sympy has no value for its derivative at a kink that a random graph can hit."""
    Node = bp["Node"]
    values = rng.uniform(0.3, 1.5, size=n_inputs) * rng.choice([-1, 1], size=n_inputs)
    symbols = sympy.symbols(f"x0:{n_inputs}", real=True)
    nodes, exprs = [Node(v) for v in values], list(symbols)
    for _ in range(n_ops):
        op = str(rng.choice(["add", "mul", "add", "mul", "exp", "tanh", "pow", "log"]))
        k = [int(rng.integers(len(nodes))) for _ in range(2 if op in ("add", "mul") else 1)]
        if op == "pow":
            p = float(rng.choice([2.0, 3.0]))
            nodes.append(Node.apply("pow", [nodes[k[0]]], {"p": p}))
            exprs.append(exprs[k[0]] ** int(p))
        elif op == "log":
            sign = float(np.sign(nodes[k[0]].value))
            nodes.append(Node.apply("log", [nodes[k[0]] * sign]))
            exprs.append(sympy.log(exprs[k[0]] * int(sign)))
        else:
            nodes.append(Node.apply(op, [nodes[i] for i in k]))
            exprs.append(SYMPY_OP[op](*(exprs[i] for i in k)))
    return values, symbols, nodes, exprs


@pytest.mark.parametrize("seed", range(25))
def test_backward_matches_sympy_on_random_scalar_graphs(bp, seed):
    rng = np.random.default_rng(seed)
    while True:  # redraw graphs that overflow or take log(0): their derivatives mean nothing
        values, symbols, nodes, exprs = random_scalar_graph(bp, rng, n_inputs=3, n_ops=8)
        if all(np.isfinite(n.value) and 1e-6 < abs(n.value) < 1e6 for n in nodes):
            break
    output = nodes[-1]
    bp["backward"](output)
    point = dict(zip(symbols, values))
    assert float(exprs[-1].subs(point)) == pytest.approx(float(output.value), rel=1e-9, abs=1e-12)
    for symbol, node in zip(symbols, nodes):
        exact = float(sympy.diff(exprs[-1], symbol).subs(point))
        # an input the output does not depend on is not in the graph: backward leaves it alone
        got = 0.0 if node.grad is None else float(node.grad)
        assert got == pytest.approx(exact, rel=1e-8, abs=1e-10), f"d/d{symbol} of {exprs[-1]}"


def test_node_used_twice_by_one_node_and_by_two(bp):
    Node = bp["Node"]
    x = Node(1.5)
    z = x * x * x + x.tanh() * x          # x in four places
    bp["backward"](z)
    assert float(x.grad) == pytest.approx(3 * 1.5**2 + np.tanh(1.5) + 1.5 * (1 - np.tanh(1.5) ** 2))


def test_topological_order_long_chain_and_diamond(bp):
    Node = bp["Node"]
    x = Node(0.1)
    y = x
    for _ in range(3000):   # deeper than Python's default recursion limit
        y = y * 1.0001
    order = bp["topological_order"](y)
    assert len(order) == 3000 * 2 + 1 and order[-1] is y   # the 3000 constants are leaves too
    bp["backward"](y)
    assert float(x.grad) == pytest.approx(1.0001**3000)
    top = x
    for _ in range(20):     # 2^20 paths to x: must visit each node once, not each path
        top = top + top
    bp["backward"](top)
    assert float(x.grad) == 2.0**20


# ---------------------------------------------------------------- graph engine on arrays vs finite differences

def array_graph_loss(bp, values, build):
    nodes = [bp["Node"](v) for v in values]
    return build(*nodes), nodes


ARRAY_GRAPHS = {
    "mlp": ([(4, 3), (3, 5), (5,), (5, 2)],
            lambda X, W1, b1, W2: ((X @ W1 + b1).relu() @ W2).tanh().sum()),
    "broadcast_scalar": ([(3, 4), ()], lambda A, s: (A * s + s).exp().mean()),
    "mean_axis": ([(5, 3)], lambda A: ((A - A.mean(axis=0)) ** 2).mean(axis=0).sum()),
    "sum_axis1_log": ([(2, 6)], lambda A: ((A * A + 1.0).log().sum(axis=1) ** 2.0).sum()),
    "column_bias": ([(4, 3), (4, 1)], lambda A, c: ((A + c) * (A + c)).sum() / 2.0),
    "softmax_ce": ([(3, 4)], lambda S: ((S.exp().sum(axis=1)).log() - (S * np.eye(3, 4)).sum(axis=1)).mean()),
}


@pytest.mark.parametrize("name", sorted(ARRAY_GRAPHS))
def test_backward_on_array_graphs_vs_central_differences(bp, name):
    shapes, build = ARRAY_GRAPHS[name]
    rng = np.random.default_rng(sum(name.encode()))
    values = [rng.normal(size=s) for s in shapes]
    loss, nodes = array_graph_loss(bp, values, build)
    bp["backward"](loss)
    for k, node in enumerate(nodes):
        def f(v, k=k):
            return float(array_graph_loss(bp, values[:k] + [v] + values[k + 1:], build)[0].value)
        assert node.grad.shape == values[k].shape
        assert rel_error(node.grad, central_difference(f, values[k])) < 1e-6, f"{name}: input {k}"


@pytest.mark.parametrize("op, shapes, attrs", [
    ("add", [(3, 4), (4,)], {}), ("add", [(3, 1), (1, 4)], {}), ("mul", [(3, 4), ()], {}),
    ("mul", [(2, 3), (2, 3)], {}), ("matmul", [(3, 5), (5, 2)], {}), ("matmul", [(1, 5), (5, 1)], {}),
    ("pow", [(4,)], {"p": 3.0}), ("pow", [(2, 2)], {"p": -2.0}), ("exp", [(3, 2)], {}),
    ("log", [(5,)], {}), ("tanh", [(2, 3)], {}), ("relu", [(4, 4)], {}),
    ("sum", [(3, 4)], {"axis": None}), ("sum", [(3, 4)], {"axis": 1}), ("sum", [(2, 3, 4)], {"axis": -2}),
    ("mean", [(3, 4)], {"axis": None}), ("mean", [(3, 4)], {"axis": 0}), ("mean", [(2, 3, 4)], {"axis": 2}),
])
def test_op_backward_vs_central_differences(bp, op, shapes, attrs):
    rng = np.random.default_rng(len(shapes) * 7 + len(op))
    inputs = [rng.uniform(0.5, 2.0, size=s) * (1 if op in ("log", "pow") else rng.choice([-1, 1], size=s))
              for s in shapes]
    forward = bp["FORWARD"][op]
    out = forward(*inputs, **attrs)
    g = rng.normal(size=np.shape(out))
    grads = bp["op_backward"](op, inputs, out, g, attrs)
    assert len(grads) == len(inputs)
    for k in range(len(inputs)):
        def f(v, k=k):
            return float(np.sum(forward(*inputs[:k], v, *inputs[k + 1:], **attrs) * g))
        assert np.shape(grads[k]) == shapes[k], f"input {k}"
        assert rel_error(grads[k], central_difference(f, inputs[k])) < 1e-7, f"input {k}"


# ---------------------------------------------------------------- layers vs sympy and finite differences

def test_conv1d_backward_is_seed004_exactly(bp):
    # run the reference on sympy symbols (numpy object arrays) and compare with seed 004's formulas
    x1, x2, x3, x4, w1, w2, w3, d1, d2 = sympy.symbols("x1:5 w1:4 d1:3")
    x = np.array([[[x1, x2, x3, x4]]], dtype=object)
    w = np.array([[[w1, w2, w3]]], dtype=object)
    out, cache = bp["conv1d_forward"](x, w, np.array([0], dtype=object))
    assert [sympy.expand(v) for v in out.ravel()] == [x1 * w1 + x2 * w2 + x3 * w3, x2 * w1 + x3 * w2 + x4 * w3]
    dx, dw, db = bp["conv1d_backward"](np.array([[[d1, d2]]], dtype=object), cache)
    seed_dx = [w1 * d1, w2 * d1 + w1 * d2, w3 * d1 + w2 * d2, w3 * d2]
    seed_dw = [x1 * d1 + x2 * d2, x2 * d1 + x3 * d2, x3 * d1 + x4 * d2]
    assert [sympy.expand(v - e) for v, e in zip(dx.ravel(), seed_dx)] == [0] * 4
    assert [sympy.expand(v - e) for v, e in zip(dw.ravel(), seed_dw)] == [0] * 3
    assert sympy.expand(db[0] - d1 - d2) == 0


def test_conv1d_backward_multichannel_vs_sympy(bp):
    N, C, F, L, K = 2, 2, 3, 5, 3
    xs = np.array(sympy.symbols(f"x0:{N * C * L}"), dtype=object).reshape(N, C, L)
    ws = np.array(sympy.symbols(f"w0:{F * C * K}"), dtype=object).reshape(F, C, K)
    ds = np.array(sympy.symbols(f"d0:{N * F * (L - K + 1)}"), dtype=object).reshape(N, F, L - K + 1)
    # the loss sum(out * dout) straight from the definition, with loops
    loss = sum(ds[n, f, i] * xs[n, c, i + k] * ws[f, c, k]
               for n in range(N) for f in range(F) for i in range(L - K + 1) for c in range(C) for k in range(K))
    _, cache = bp["conv1d_forward"](xs, ws, np.zeros(F, dtype=object))
    dx, dw, _ = bp["conv1d_backward"](ds, cache)
    assert all(sympy.expand(dx[i] - sympy.diff(loss, xs[i])) == 0 for i in np.ndindex(xs.shape))
    assert all(sympy.expand(dw[i] - sympy.diff(loss, ws[i])) == 0 for i in np.ndindex(ws.shape))


@pytest.mark.parametrize("N", [1, 3])
def test_batchnorm_backward_vs_sympy(bp, N):
    D, eps = 2, 1e-5
    x = sympy.Matrix(N, D, lambda i, j: sympy.Symbol(f"x{i}_{j}", real=True))
    gamma, beta = sympy.symbols(f"gamma0:{D}", real=True), sympy.symbols(f"beta0:{D}", real=True)
    dout = sympy.Matrix(N, D, lambda i, j: sympy.Symbol(f"d{i}_{j}", real=True))
    loss = 0
    for j in range(D):
        mu = sum(x[i, j] for i in range(N)) / N
        var = sum((x[i, j] - mu) ** 2 for i in range(N)) / N
        loss += sum(dout[i, j] * (gamma[j] * (x[i, j] - mu) / sympy.sqrt(var + eps) + beta[j]) for i in range(N))
    rng = np.random.default_rng(N)
    xv, dv, gv, bv = rng.normal(size=(N, D)), rng.normal(size=(N, D)), rng.normal(size=D), rng.normal(size=D)
    point = {**{x[i, j]: xv[i, j] for i in range(N) for j in range(D)},
             **{dout[i, j]: dv[i, j] for i in range(N) for j in range(D)},
             **dict(zip(gamma, gv)), **dict(zip(beta, bv))}
    _, cache = bp["batchnorm_forward"](xv, gv, bv, eps=eps)
    dx, dgamma, dbeta = bp["batchnorm_backward"](dv, cache)
    exact_dx = np.array([[float(sympy.diff(loss, x[i, j]).subs(point)) for j in range(D)] for i in range(N)])
    np.testing.assert_allclose(dx, exact_dx, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(dgamma, [float(sympy.diff(loss, g).subs(point)) for g in gamma], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(dbeta, [float(sympy.diff(loss, b).subs(point)) for b in beta], rtol=1e-9, atol=1e-12)


def test_activation_derivatives_vs_sympy(bp):
    t = sympy.Symbol("t", real=True)
    xs = np.array([-3.0, -0.7, 0.2, 1.9, 4.0])
    for name, expr in (("sigmoid", 1 / (1 + sympy.exp(-t))), ("tanh", sympy.tanh(t))):
        out, cache = bp[f"{name}_forward"](xs)
        dx = bp[f"{name}_backward"](np.ones_like(xs), cache)
        np.testing.assert_allclose(out, [float(expr.subs(t, v)) for v in xs], rtol=1e-13)
        np.testing.assert_allclose(dx, [float(sympy.diff(expr, t).subs(t, v)) for v in xs], rtol=1e-12)


def test_sigmoid_far_tails(bp):
    out, _ = bp["sigmoid_forward"](np.array([-800.0, -40.0, 40.0, 800.0]))
    # exact in float64: sigma(-40) = e^-40 / (1 + e^-40) ~ 4.25e-18, not rounded to 0
    np.testing.assert_allclose(out, [0.0, 4.248354255291589e-18, 1.0, 1.0], rtol=1e-12)


def test_softmax_loss_vs_sympy(bp):
    s = sympy.symbols("s0:4", real=True)
    y_label = 2
    ce = -sympy.log(sympy.exp(s[y_label]) / sum(sympy.exp(v) for v in s))
    scores = np.array([[0.5, -1.0, 2.0, 0.1], [300.0, 0.0, 299.0, -5.0]])   # the second row would overflow exp
    loss, dx = bp["softmax_loss"](scores, np.array([y_label, y_label]))
    expected_loss, expected_dx = 0.0, []
    for row in scores:
        shifted = {v: float(r - row.max()) for v, r in zip(s, row)}   # exact: softmax is shift-invariant
        expected_loss += float(ce.subs(shifted)) / 2
        expected_dx.append([float(sympy.diff(ce, v).subs(shifted)) / 2 for v in s])
    assert loss == pytest.approx(expected_loss, rel=1e-12)
    np.testing.assert_allclose(dx, expected_dx, rtol=1e-10, atol=1e-15)


LAYERS = {   # name: input shapes, None standing for the batch size N
    "affine": [(None, 3, 2), (6, 4), (4,)],
    "relu": [(None, 5)],
    "sigmoid": [(None, 5)],
    "tanh": [(None, 2, 3)],
    "batchnorm": [(None, 4), (4,), (4,)],
    "conv1d": [(None, 3, 8), (2, 3, 3), (2,)],
}


@pytest.mark.parametrize("N", [1, 5])
@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_layer_backward_vs_central_differences(bp, layer, N):
    rng = np.random.default_rng(N * 100 + len(layer))
    inputs = [rng.normal(size=tuple(N if d is None else d for d in shape)) for shape in LAYERS[layer]]
    forward, backward = bp[f"{layer}_forward"], bp[f"{layer}_backward"]
    out, cache = forward(*inputs)
    dout = rng.normal(size=out.shape)
    grads = backward(dout, cache)
    grads = grads if isinstance(grads, tuple) else (grads,)
    assert len(grads) == len(inputs)
    for k, grad in enumerate(grads):
        def f(v, k=k):
            return float(np.sum(forward(*inputs[:k], v, *inputs[k + 1:])[0] * dout))
        assert grad.shape == inputs[k].shape, f"{layer} d input {k}"
        numeric = central_difference(f, inputs[k])
        # batchnorm with N = 1: the output is beta whatever x is, so dx is exactly zero
        assert np.allclose(grad, numeric, rtol=1e-6, atol=1e-8), f"{layer} d input {k}"


@pytest.mark.parametrize("shape", [(7,), (3, 4)])
def test_mse_loss_vs_central_differences(bp, shape):
    rng = np.random.default_rng(len(shape))
    pred, target = rng.normal(size=shape), rng.normal(size=shape)
    loss, dpred = bp["mse_loss"](pred, target)
    assert loss == pytest.approx(float(np.mean((pred - target) ** 2)))
    assert rel_error(dpred, central_difference(lambda p: bp["mse_loss"](p, target)[0], pred)) < 1e-7


def test_layers_do_not_modify_their_inputs(bp):
    rng = np.random.default_rng(9)
    x, w, b = rng.normal(size=(3, 4)), rng.normal(size=(4, 2)), rng.normal(size=2)
    copies = [a.copy() for a in (x, w, b)]
    out, cache = bp["affine_forward"](x, w, b)
    dout = rng.normal(size=out.shape)
    dout_copy = dout.copy()
    bp["affine_backward"](dout, cache)
    bp["softmax_loss"](x, np.array([0, 1, 3]))
    bp["batchnorm_backward"](rng.normal(size=(3, 4)), bp["batchnorm_forward"](x, np.ones(4), np.zeros(4))[1])
    assert all(np.array_equal(a, c) for a, c in zip((x, w, b), copies)) and np.array_equal(dout, dout_copy)


# ---------------------------------------------------------------- training

@pytest.fixture(scope="module")
def spirals(bp):
    return bp["make_spirals"](n_per_class=100, seed=0)


def test_spirals_are_cs231n_shaped(bp, spirals):
    X, y = spirals
    assert X.shape == (300, 2) and np.array_equal(np.bincount(y), [100, 100, 100])
    radius = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(radius, np.tile(np.linspace(0, 1, 100), 3))
    # a linear softmax classifier trained to convergence stays far from separating the arms
    W = np.zeros((3, 3))
    Xb = np.column_stack([X, np.ones(len(X))])
    for _ in range(2000):
        _, dscores = bp["softmax_loss"](Xb @ W, y)
        W -= 1.0 * Xb.T @ dscores
    assert np.mean((Xb @ W).argmax(axis=1) == y) < 0.65


def replay(bp, X, y, history, lr):
    """Plain SGD over the recorded minibatches from the recorded initial parameters."""
    params = {k: v.copy() for k, v in history["initial_params"].items()}
    losses = []
    for batches in history["batches"]:
        total = 0.0
        for idx in batches:
            loss, grads = bp["two_layer_loss"](params, X[idx], y[idx])
            params = {k: params[k] - lr * grads[k] for k in params}
            total += loss * len(idx)
        losses.append(total / len(X))
    return params, losses


@pytest.mark.parametrize("batch_size, epochs, lr", [(32, 120, 0.5), (1, 8, 0.05), (300, 400, 1.0)])
def test_train_two_layer_reaches_high_accuracy(bp, spirals, batch_size, epochs, lr):
    X, y = spirals
    history = bp["train_two_layer"](X, y, hidden=64, lr=lr, epochs=epochs, batch_size=batch_size, seed=1)
    assert history["accuracy"][-1] >= 0.9, history["accuracy"][-5:]
    assert history["loss"][-1] < 0.4 * history["loss"][0]
    n_batches = -(-len(X) // batch_size)
    for batches in history["batches"]:
        assert len(batches) == n_batches
        assert np.array_equal(np.sort(np.concatenate(batches)), np.arange(len(X)))
    params, losses = replay(bp, X, y, history, lr)
    for k in params:
        np.testing.assert_allclose(history["params"][k], params[k], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(history["loss"], losses, rtol=1e-12)


def test_train_two_layer_follows_the_documented_random_draws(bp, spirals):
    X, y = spirals
    history = bp["train_two_layer"](X, y, hidden=8, lr=0.1, epochs=3, batch_size=50, seed=7)
    rng = np.random.default_rng(7)
    np.testing.assert_array_equal(history["initial_params"]["W1"], rng.normal(0.0, np.sqrt(2 / 2), size=(2, 8)))
    np.testing.assert_array_equal(history["initial_params"]["W2"], rng.normal(0.0, np.sqrt(2 / 8), size=(8, 3)))
    for batches in history["batches"]:
        np.testing.assert_array_equal(np.concatenate(batches), rng.permutation(len(X)))
    first, second = (np.concatenate(b) for b in history["batches"][:2])
    assert not np.array_equal(first, second)
