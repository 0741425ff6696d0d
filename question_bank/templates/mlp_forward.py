"""The parameters of a one-hidden-layer MLP, their sizes, and its output; output and hidden activations.

Sources: NPFL114 lecture 1 [5] ("Considering a neural network with D input neurons, a single hidden
layer with H neurons, K output neurons, hidden activation f and output activation a, list its
parameters (including their size) and write down how the output is computed.") and NPFL114 lecture 1
[5] ("List the definitions of frequently used MLP output layer activations (the ones producing
parameters of a Bernoulli distribution and a categorical distribution). Then write down three
commonly used hidden layer activations (sigmoid, tanh, ReLU)."). Convention (NPFL, row vectors):
h = f(x W^(h) + b^(h)), o = a(h W^(y) + b^(y)) with W^(h) in R^{D x H}, b^(h) in R^H,
W^(y) in R^{H x K}, b^(y) in R^K: DH + H + HK + K parameters. sigma(x) = 1/(1 + e^-x) gives a
Bernoulli parameter, softmax(z)_i = e^{z_i} / sum_j e^{z_j} a categorical distribution;
tanh(x) = 2 sigma(2x) - 1, ReLU(x) = max(0, x).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from question_bank import draw
from question_bank.core import ChoicePart, Misconception, NumericPart, RubricItem, TrueFalsePart
from question_bank.layout import fmt, statement, tex_mat, tex_row

NAME = "mlp_forward"
TITLE = "An MLP's parameters, its output, and its activations"
TOPIC = "networks"
POINTS = 5
ITEM_POINTS = 4
SOURCE = ("NPFL114 lecture 1 [5] (MLP parameters with sizes, output computation); "
          "NPFL114 lecture 1 [5] (output activations for Bernoulli/categorical, hidden sigmoid/tanh/ReLU)")


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


def softmax(z):
    e = np.exp(np.asarray(z, dtype=float) - np.max(z))
    return e / e.sum()


HIDDEN = {"sigmoid": sigmoid, "tanh": np.tanh, "relu": lambda x: np.maximum(np.asarray(x, dtype=float), 0.0)}
HIDDEN_TEX = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\operatorname{ReLU}"}
OUTPUT = {"softmax": softmax, "sigmoid": sigmoid, "identity": lambda z: np.asarray(z, dtype=float)}
OUTPUT_WORDS = {"softmax": r"softmax ($o_i = e^{z_i}/\sum_j e^{z_j}$)", "sigmoid": r"sigmoid ($o_i = \sigma(z_i)$)",
                "identity": "identity ($o = z$)"}

# Identities about the activations; each is checked numerically on sample points to get its truth.
def _derivative(fn, t, step=1e-5):
    return (fn(t + step) - fn(t - step)) / (2 * step)


def _relu(x):
    return np.maximum(np.asarray(x, dtype=float), 0.0)


IDENTITIES = (
    (r"$\tanh(x) = 2\sigma(2x) - 1$ for every real $x$", lambda t: np.tanh(t) - (2 * sigmoid(2 * t) - 1)),
    (r"$\tanh(x) = 2\sigma(x) - 1$ for every real $x$", lambda t: np.tanh(t) - (2 * sigmoid(t) - 1)),
    (r"$\sigma(-x) = 1 - \sigma(x)$ for every real $x$", lambda t: sigmoid(-t) - (1 - sigmoid(t))),
    (r"$\sigma(-x) = -\sigma(x)$ for every real $x$", lambda t: sigmoid(-t) + sigmoid(t)),
    (r"$\operatorname{softmax}(\boldsymbol z + c) = \operatorname{softmax}(\boldsymbol z)$ for every vector $\boldsymbol z$ and constant $c$",
     lambda t: softmax(np.array([t, 2 * t, -1.0]) + 1.7) - softmax(np.array([t, 2 * t, -1.0]))),
    (r"$\operatorname{softmax}(c\,\boldsymbol z) = \operatorname{softmax}(\boldsymbol z)$ for every vector $\boldsymbol z$ and constant $c > 0$",
     lambda t: softmax(np.array([t, 2 * t, -1.0]) * 1.7) - softmax(np.array([t, 2 * t, -1.0]))),
    (r"$\operatorname{softmax}\big((z, 0)\big)_1 = \sigma(z)$ for every real $z$", lambda t: softmax(np.array([t, 0.0]))[0] - sigmoid(t)),
    (r"$\operatorname{ReLU}(x) - \operatorname{ReLU}(-x) = x$ for every real $x$", lambda t: _relu(t) - _relu(-t) - t),
    (r"$\operatorname{ReLU}(x) + \operatorname{ReLU}(-x) = x$ for every real $x$", lambda t: _relu(t) + _relu(-t) - t),
    (r"$\sigma'(x) = \sigma(x)\,(1 - \sigma(x))$ for every real $x$", lambda t: _derivative(sigmoid, t) - sigmoid(t) * (1 - sigmoid(t))),
    (r"$\tanh'(x) = 1 - \tanh^2(x)$ for every real $x$", lambda t: _derivative(np.tanh, t) - (1 - np.tanh(t) ** 2)),
    (r"$\tanh'(x) = 1 - \tanh(x)$ for every real $x$", lambda t: _derivative(np.tanh, t) - (1 - np.tanh(t))),
)
IDENTITY_POINTS = tuple(float(t) for t in np.linspace(-3.0, 3.0, 13))


def identity_counterexample(index: int) -> float | None:
    """The first sample point where the identity fails, or None if it holds at all of them."""
    residual = IDENTITIES[index][1]
    return next((t for t in IDENTITY_POINTS if np.abs(residual(t)).max() > 1e-6), None)


def identity_truth(index: int) -> bool:
    return identity_counterexample(index) is None


@dataclass(frozen=True)
class Variant:
    seed: int
    d: int
    h: int
    k: int
    hidden: str
    output: str
    x: tuple[float, ...]
    w1: tuple[float, ...]   # (D, H) row-major
    b1: tuple[float, ...]
    w2: tuple[float, ...]   # (H, K) row-major
    b2: tuple[float, ...]
    big: tuple[int, int, int]   # (D, H, K) of the network whose parameters are counted
    dist: str                   # "Bernoulli" or "categorical": the distribution of the choice item
    value_fn: str               # activation whose value the true/false item f claims
    value_at: float
    value_claim: str            # "right", "other" (another activation) or "mirror" (at -t)
    identity: int               # index into IDENTITIES for item g


def arrays(v: Variant):
    return (np.asarray(v.x, dtype=float), np.asarray(v.w1, dtype=float).reshape(v.d, v.h), np.asarray(v.b1, dtype=float),
            np.asarray(v.w2, dtype=float).reshape(v.h, v.k), np.asarray(v.b2, dtype=float))


def forward(v: Variant, *, hidden: str | None = None, output: str | None = None) -> dict:
    x, w1, b1, w2, b2 = arrays(v)
    pre = x @ w1 + b1
    h = HIDDEN[hidden or v.hidden](pre)
    z = h @ w2 + b2
    return dict(pre=pre, h=h, z=z, o=OUTPUT[output or v.output](z))


def count(d: int, h: int, k: int) -> int:
    return d * h + h + h * k + k


def claimed_value(v: Variant) -> float:
    t = v.value_at
    if v.value_claim == "right":
        value = HIDDEN[v.value_fn](t)
    elif v.value_claim == "mirror":
        value = HIDDEN[v.value_fn](-t)
    else:
        other = {"sigmoid": "tanh", "tanh": "sigmoid", "relu": "tanh"}[v.value_fn]
        value = HIDDEN[other](t)
    return round(float(value), 4)


def generate(seed: int) -> Variant:
    rng = draw.rng_for(seed)
    hidden = draw.pick(rng, ("sigmoid", "tanh", "relu"))
    output = draw.pick(rng, ("softmax", "softmax", "sigmoid", "identity"))
    d, h = int(draw.pick(rng, (2, 3))), int(draw.pick(rng, (2, 3)))
    k = int(draw.pick(rng, (2, 3) if output == "softmax" else (1, 2)))
    big = (int(draw.pick(rng, (784, 100, 20, 64, 3072, 13))), int(draw.pick(rng, (128, 64, 256, 500, 32, 10))),
           int(draw.pick(rng, (10, 2, 5, 1, 100, 3))))
    dist = draw.pick(rng, ("Bernoulli", "categorical"))
    value_fn = draw.pick(rng, ("sigmoid", "tanh", "relu"))
    value_at = draw.grid(rng, -2.0, 2.0, 0.5, nonzero=True)
    value_claim = draw.pick(rng, ("right", "right", "other", "mirror"))
    identity = int(rng.integers(0, len(IDENTITIES)))
    while True:
        v = Variant(seed=seed, d=d, h=h, k=k, hidden=hidden, output=output,
                    x=draw.grid_vector(rng, d, -2.0, 2.0, 1.0, nonzero=True), w1=draw.grid_vector(rng, d * h, -1.0, 1.0, 0.5),
                    b1=draw.grid_vector(rng, h, -1.0, 1.0, 0.5), w2=draw.grid_vector(rng, h * k, -1.0, 1.0, 0.5, nonzero=True),
                    b2=draw.grid_vector(rng, k, -0.5, 0.5, 0.5), big=big, dist=dist, value_fn=value_fn, value_at=value_at,
                    value_claim=value_claim, identity=identity)
        f = forward(v)
        # ReLU: at least one unit active and one inactive, so that forgetting f is visible; no zero pre-activation.
        relu_ok = hidden != "relu" or ((f["pre"] > 0).any() and (f["pre"] < 0).any())
        if (f["pre"] != 0).all() and relu_ok and np.abs(f["z"]).max() <= 4.0 and np.ptp(np.append(f["z"], 0.0)) > 0:
            return v


def parts(v: Variant):
    big_d, big_h, big_k = v.big
    f = forward(v)
    out_shape = () if v.k == 1 else (v.k,)
    vec = dict(rel_tol=1e-2, abs_tol=2e-3)
    hidden_wrong = [Misconception(tuple(f["pre"]), f"apply the hidden activation: h = {v.hidden}(x W^(h) + b^(h))")]
    for other in HIDDEN:
        if other != v.hidden:
            hidden_wrong.append(Misconception(tuple(forward(v, hidden=other)["h"]),
                                              f"that is the {other} activation; this layer uses {v.hidden}"))
    output_wrong = []
    if v.output != "identity":
        output_wrong.append(Misconception(tuple(f["z"]), f"those are the logits z; apply the output activation {v.output}"))
    for other in ("softmax", "sigmoid"):
        if other != v.output and not (other == "softmax" and v.k == 1):
            output_wrong.append(Misconception(tuple(forward(v, output=other)["o"]),
                                              f"that is the {other} output; this network's output activation is {v.output}"))
    with_f = HIDDEN[v.hidden](f["z"])
    if np.abs(with_f - f["o"]).max() > 0.01:
        output_wrong.append(Misconception(tuple(with_f), f"the output layer uses its own activation a = {v.output}, "
                                                         f"not the hidden activation f = {v.hidden}"))
    shapes = (big_d, big_h, big_h, big_h, big_k, big_k)
    total = count(big_d, big_h, big_k)
    dist_right = "sigmoid" if v.dist == "Bernoulli" else "softmax"
    options = (("sigmoid", r"$\sigma(x) = \frac{1}{1 + e^{-x}}$ applied to each output"),
               ("softmax", r"$\operatorname{softmax}(\boldsymbol z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}$"),
               ("tanh", r"$\tanh(x) = \frac{e^x - e^{-x}}{e^x + e^{-x}}$ applied to each output"),
               ("relu", r"$\operatorname{ReLU}(x) = \max(0, x)$ applied to each output"),
               ("identity", r"the identity $o = z$"))
    order = draw.shuffled(draw.rng_for(v.seed + 1), tuple(range(len(options))))
    ids = [options[i][0] for i in order]
    t = v.value_at
    true_value = round(float(HIDDEN[v.value_fn](t)), 4)
    fn_tex = HIDDEN_TEX[v.value_fn]
    identity_text = IDENTITIES[v.identity][0]
    return (
        NumericPart(label="a", prompt=(f"For $D = {big_d}$, $H = {big_h}$, $K = {big_k}$: the sizes "
                                       r"[rows of $W^{(h)}$, columns of $W^{(h)}$, length of $\boldsymbol b^{(h)}$, rows of $W^{(y)}$, "
                                       r"columns of $W^{(y)}$, length of $\boldsymbol b^{(y)}$]."),
                    value=tuple(float(s) for s in shapes), shape=(6,), rel_tol=0.0, abs_tol=0.5,
                    misconceptions=(Misconception((float(big_h), float(big_d), float(big_h), float(big_k), float(big_h), float(big_k)),
                                                  "with row vectors, x W^(h) needs W^(h) of shape D x H and h W^(y) needs H x K "
                                                  "(the column convention W x would transpose both)"),
                                    Misconception((float(big_d), float(big_h), float(big_d), float(big_h), float(big_k), float(big_h)),
                                                  "a bias has one entry per unit of its own layer: b^(h) has H entries, b^(y) has K"))),
        NumericPart(label="b", prompt=f"The total number of parameters of that network ($D = {big_d}$, $H = {big_h}$, $K = {big_k}$).",
                    value=(float(total),), rel_tol=0.0, abs_tol=0.5,
                    misconceptions=(Misconception((float(big_d * big_h + big_h * big_k),), "the biases b^(h) (H) and b^(y) (K) are parameters too"),
                                    Misconception((float(big_d * big_h + big_d + big_h * big_k + big_h),),
                                                  "a bias has one entry per unit of its own layer: H + K bias entries"))),
        NumericPart(label="c", prompt=f"The hidden layer $\\boldsymbol h$ of the small network (vector of {v.h}).",
                    value=tuple(f["h"]), shape=(v.h,), **vec, misconceptions=tuple(hidden_wrong)),
        NumericPart(label="d", prompt=("The output $o$ of the small network." if v.k == 1 else
                                       f"The output $\\boldsymbol o$ of the small network (vector of {v.k})."),
                    value=tuple(f["o"]), shape=out_shape, **vec, misconceptions=tuple(output_wrong)),
        ChoicePart(label="e", prompt=f"Which output activation produces the parameters of a **{v.dist}** distribution?",
                   options=tuple(options[i][1] for i in order), correct=ids.index(dist_right),
                   explanation=("a Bernoulli distribution needs one probability in (0, 1): the sigmoid" if v.dist == "Bernoulli"
                                else "a categorical distribution needs K probabilities summing to 1: the softmax")),
        TrueFalsePart(label="f", statement=f"${fn_tex}({fmt(t, 1)}) = {fmt(claimed_value(v), 4)}$ (to 4 decimals).",
                      truth=abs(claimed_value(v) - true_value) < 1e-9,
                      explanation=f"{v.value_fn}({fmt(t, 1)}) = {fmt(true_value, 4)}"),
        TrueFalsePart(label="g", statement=identity_text, truth=identity_truth(v.identity),
                      explanation=("it holds for every input" if identity_truth(v.identity) else
                                   f"it fails, e.g. at {fmt(identity_counterexample(v.identity), 1)} (recall sigma(x) = 1/(1 + e^-x), "
                                   "tanh(x) = 2 sigma(2x) - 1, ReLU(x) = max(0, x))")),
    )


def render(v: Variant) -> str:
    a_text = OUTPUT_WORDS[v.output]
    stem = (f"An MLP has $D$ inputs, one hidden layer of $H$ units with activation $f$ and $K$ outputs with activation $a$; "
            r"with row vectors it computes $\boldsymbol h = f(\boldsymbol x W^{(h)} + \boldsymbol b^{(h)})$ and "
            r"$\boldsymbol o = a(\boldsymbol h W^{(y)} + \boldsymbol b^{(y)})$. "
            f"A small instance has $D = {v.d}$, $H = {v.h}$, $K = {v.k}$, $f = {HIDDEN_TEX[v.hidden]}$, $a$ = {a_text}, "
            f"$W^{{(h)}} = {tex_mat(v.w1, (v.d, v.h), 1)}$, $\\boldsymbol b^{{(h)}} = {tex_row(v.b1, 1)}$, "
            f"$W^{{(y)}} = {tex_mat(v.w2, (v.h, v.k), 1)}$, $\\boldsymbol b^{{(y)}} = {tex_row(v.b2, 1)}$ and input "
            f"$\\boldsymbol x = {tex_row(v.x, 0)}$. Give numbers to 4 decimals.")
    written = ("List the parameters of the MLP with their sizes and write down how its output is computed; define the output "
               "activations for a Bernoulli and a categorical distribution and the hidden activations sigmoid, tanh and ReLU.")
    return statement(title=TITLE, points=POINTS, stem=stem, parts=parts(v), written=written)


def solution(v: Variant) -> str:
    big_d, big_h, big_k = v.big
    f = forward(v)
    return "\n".join([
        r"1. Parameters: $W^{(h)} \in \mathbb R^{D\times H}$, $\boldsymbol b^{(h)} \in \mathbb R^H$, $W^{(y)} \in \mathbb R^{H\times K}$, "
        r"$\boldsymbol b^{(y)} \in \mathbb R^K$; $\boldsymbol o = a\big(f(\boldsymbol x W^{(h)} + \boldsymbol b^{(h)})W^{(y)} + \boldsymbol b^{(y)}\big)$.",
        f"2. For $D = {big_d}$, $H = {big_h}$, $K = {big_k}$: ${big_d}\\cdot{big_h} + {big_h} + {big_h}\\cdot{big_k} + {big_k} = "
        f"{count(big_d, big_h, big_k)}$ parameters.",
        f"3. $\\boldsymbol x W^{{(h)}} + \\boldsymbol b^{{(h)}} = {tex_row(f['pre'], 2)}$, $\\boldsymbol h = {HIDDEN_TEX[v.hidden]}(\\cdot) = "
        f"{tex_row(f['h'], 4)}$.",
        f"4. $\\boldsymbol z = \\boldsymbol h W^{{(y)}} + \\boldsymbol b^{{(y)}} = {tex_row(f['z'], 4)}$, $\\boldsymbol o = {tex_row(f['o'], 4)}$ "
        f"({v.output}).",
        r"5. Output activations: $\sigma(x) = \frac{1}{1 + e^{-x}}$ (Bernoulli parameter), "
        r"$\operatorname{softmax}(\boldsymbol z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}$ (categorical); hidden: $\sigma$, "
        r"$\tanh(x) = \frac{e^x - e^{-x}}{e^x + e^{-x}} = 2\sigma(2x) - 1$, $\operatorname{ReLU}(x) = \max(0, x)$.",
        f"6. ${HIDDEN_TEX[v.value_fn]}({fmt(v.value_at, 1)}) = {fmt(float(HIDDEN[v.value_fn](v.value_at)), 4)}$; "
        f"the identity in (g) is {'true' if identity_truth(v.identity) else 'false'}.",
    ])


def model_answer(v: Variant) -> str:
    return "\n".join([
        r"Parameters: $W^{(h)} \in \mathbb R^{D\times H}$, $\boldsymbol b^{(h)} \in \mathbb R^H$, $W^{(y)} \in \mathbb R^{H\times K}$, "
        r"$\boldsymbol b^{(y)} \in \mathbb R^K$ ($DH + H + HK + K$ numbers). Output: "
        r"$h_i = f\big(\sum_j x_j W^{(h)}_{j,i} + b^{(h)}_i\big)$, $o_i = a\big(\sum_j h_j W^{(y)}_{j,i} + b^{(y)}_i\big)$, "
        r"i.e. $\boldsymbol o = a\big(f(\boldsymbol x W^{(h)} + \boldsymbol b^{(h)}) W^{(y)} + \boldsymbol b^{(y)}\big)$.",
        r"Output activations: identity for regression; $\sigma(x) = 1/(1 + e^{-x})$ for a Bernoulli distribution (binary "
        r"classification); $\operatorname{softmax}(\boldsymbol z)_i = e^{z_i}/\sum_j e^{z_j}$ for a categorical distribution.",
        r"Hidden activations: $\sigma(x) = 1/(1 + e^{-x})$, $\tanh(x) = (e^x - e^{-x})/(e^x + e^{-x}) = 2\sigma(2x) - 1$, "
        r"$\operatorname{ReLU}(x) = \max(0, x)$.",
    ])


def rubric(v: Variant) -> tuple[RubricItem, ...]:
    return (
        RubricItem(0.5, "The output formula o = a(f(x W^(h) + b^(h)) W^(y) + b^(y)) with all four parameters and their sizes."),
        RubricItem(0.5, "Definitions of sigmoid, softmax, tanh and ReLU written out."),
    )
