"""The backpropagation algorithm, run by hand on a small computational graph.

Source: seed 000 ("Write down the backpropagation algorithm." [5]): run the forward pass;
set g_n = 1; going backwards, g_i = sum over the nodes j that use u_i of g_j * du_j/du_i.
The graph is random (operations add, subtract, multiply, square) and always reuses some
intermediate node, so the sum over successors matters; the "overwrite" slip (keeping only
the last successor's contribution) is computed as a misconception.
"""
from __future__ import annotations

from dataclasses import dataclass

from question_bank import draw
from question_bank.core import Misconception, NumericPart, RubricItem
from question_bank.layout import fmt, fmtp, statement

NAME = "backprop_algorithm"
TITLE = "The backpropagation algorithm"
TOPIC = "backprop"
POINTS = 5
ITEM_POINTS = 2
SOURCE = "seed 000 prompt [5]"
N_INPUTS = 3
SYMBOL = {"add": "+", "sub": "-", "mul": r"\cdot"}


@dataclass(frozen=True)
class Variant:
    seed: int
    inputs: tuple[float, ...]
    ops: tuple[tuple[str, int, int], ...]  # node N_INPUTS + i computes ops[i] on earlier nodes (0-based)


def forward(v: Variant) -> list[float]:
    u = list(v.inputs)
    for op, i, j in v.ops:
        u.append({"add": u[i] + u[j], "sub": u[i] - u[j], "mul": u[i] * u[j], "square": u[i] ** 2}[op])
    return u


def local(op: str, i: int, j: int, u: list[float]) -> list[tuple[int, float]]:
    """(parent, d node / d parent) pairs."""
    if op == "add":
        return [(i, 1.0), (j, 1.0)]
    if op == "sub":
        return [(i, 1.0), (j, -1.0)]
    if op == "mul":
        return [(i, u[j]), (j, u[i])]
    return [(i, 2 * u[i])]


def backward(v: Variant, *, accumulate: bool = True) -> list[float]:
    """g_i = dL/du_i by reverse-mode accumulation; ``accumulate=False`` overwrites (the slip)."""
    u = forward(v)
    g = [0.0] * len(u)
    g[-1] = 1.0
    for node in range(len(u) - 1, N_INPUTS - 1, -1):
        op, i, j = v.ops[node - N_INPUTS]
        for parent, d in local(op, i, j, u):
            g[parent] = g[parent] + g[node] * d if accumulate else g[node] * d
    return g


def successors(v: Variant) -> dict[int, int]:
    count: dict[int, int] = {}
    for op, i, j in v.ops:
        for parent in ({i} if op == "square" else {i, j}):
            count[parent] = count.get(parent, 0) + 1
    return count


def reused_node(v: Variant) -> int:
    """The last intermediate node used by two or more later nodes."""
    shared = [n for n, c in sorted(successors(v).items()) if c >= 2 and n >= N_INPUTS]
    return shared[-1]


def generate(seed: int) -> Variant:
    rng = draw.rng_for(seed)
    while True:
        n_ops = int(draw.pick(rng, (3, 4, 4)))
        ops = []
        for k in range(n_ops):
            node = N_INPUTS + k
            op = draw.pick(rng, ("add", "sub", "mul", "mul", "square"))
            first = node - 1 if k else int(rng.integers(0, N_INPUTS))
            second = int(rng.integers(0, node))
            if op != "square" and second == first:
                continue
            ops.append((op, first, second))
        if len(ops) != n_ops:
            continue
        v = Variant(seed=seed, inputs=draw.grid_vector(rng, N_INPUTS, -3.0, 3.0, 1.0, nonzero=True), ops=tuple(ops))
        used = successors(v)
        values, grads = forward(v), backward(v)
        if (all(used.get(i, 0) for i in range(N_INPUTS))  # every input reaches the loss
                and any(c >= 2 and n >= N_INPUTS for n, c in used.items())
                and all(used.get(n, 0) for n in range(len(values) - 1))  # no dead nodes
                and max(abs(x) for x in values + grads) <= 400
                and backward(v, accumulate=False)[:N_INPUTS] != grads[:N_INPUTS]):
            return v


def node_tex(v: Variant, node: int) -> str:
    op, i, j = v.ops[node - N_INPUTS]
    if op == "square":
        return f"u_{{{node + 1}}} = u_{{{i + 1}}}^2"
    return f"u_{{{node + 1}}} = u_{{{i + 1}}} {SYMBOL[op]} u_{{{j + 1}}}"


def parts(v: Variant):
    u, g, wrong = forward(v), backward(v), backward(v, accumulate=False)
    shared = reused_node(v)
    overwrite = "a node used by several later nodes sums their contributions; you kept only one"
    return (
        NumericPart(label="a", prompt=f"The loss $L = u_{{{len(u)}}}$.", value=(u[-1],), rel_tol=0.0, abs_tol=1e-6),
        NumericPart(label="b", prompt=r"The gradient $\left[\frac{\partial L}{\partial x_1}, \frac{\partial L}{\partial x_2}, \frac{\partial L}{\partial x_3}\right]$.",
                    value=tuple(g[:N_INPUTS]), shape=(N_INPUTS,), rel_tol=0.0, abs_tol=1e-6,
                    misconceptions=(Misconception(tuple(wrong[:N_INPUTS]), overwrite),)),
        NumericPart(label="c", prompt=f"$g_{{{shared + 1}}} = \\frac{{\\partial L}}{{\\partial u_{{{shared + 1}}}}}$.",
                    value=(g[shared],), rel_tol=0.0, abs_tol=1e-6,
                    misconceptions=(Misconception((wrong[shared],), overwrite),)),
    )


def render(v: Variant) -> str:
    inputs = ", ".join(f"u_{{{i + 1}}} = x_{{{i + 1}}} = {fmt(x, 0)}" for i, x in enumerate(v.inputs))
    graph = "; ".join(node_tex(v, n) for n in range(N_INPUTS, N_INPUTS + len(v.ops)))
    stem = (f"A computational graph has inputs ${inputs}$ and nodes ${graph}$; the loss is the last node. "
            "Run backpropagation.")
    written = "Write down the backpropagation algorithm."
    return statement(title=TITLE, points=POINTS, stem=stem, parts=parts(v), written=written)


def solution(v: Variant) -> str:
    u, g = forward(v), backward(v)
    lines = ["**Forward:** " + ", ".join(f"$u_{{{n + 1}}} = {fmt(x, 4)}$" for n, x in enumerate(u)), "",
             f"**Backward:** $g_{{{len(u)}}} = 1$."]
    for node in range(len(u) - 2, -1, -1):
        terms = []
        for consumer in range(max(node + 1, N_INPUTS), len(u)):
            op, i, j = v.ops[consumer - N_INPUTS]
            for parent, d in local(op, i, j, u):
                if parent == node:
                    terms.append(f"g_{{{consumer + 1}}} \\cdot {fmtp(d, 4)}")
        lines.append(f"- $g_{{{node + 1}}} = {' + '.join(terms)} = {fmt(g[node], 4)}$")
    return "\n".join(lines)


def model_answer(v: Variant) -> str:
    return "\n".join([
        "Given a computational graph $u_1, \\dots, u_n$ in topological order with $u_n$ the loss and $P(u_j)$ the parents of $u_j$:",
        "1. Forward pass: compute every $u_i$ in order from its parents.",
        "2. Set $g_n \\leftarrow 1$ (i.e. $\\partial u_n/\\partial u_n$).",
        r"3. For $i = n-1, \dots, 1$: $g_i \leftarrow \sum_{j:\, u_i \in P(u_j)} g_j \frac{\partial u_j}{\partial u_i}$ (chain rule, summed over all nodes that use $u_i$).",
        r"4. Return the $g_i$ of the parameters/inputs. Each edge is visited once, so the cost is proportional to the forward pass.",
    ])


def rubric(v: Variant) -> tuple[RubricItem, ...]:
    return (
        RubricItem(1.0, "Forward pass first; nodes in topological order."),
        RubricItem(1.0, "Initialisation g_n = 1 and reverse order; sum over all successors j with the local derivative du_j/du_i."),
        RubricItem(1.0, "Result: gradients of the loss w.r.t. all parameters; linear cost (each edge once)."),
    )
