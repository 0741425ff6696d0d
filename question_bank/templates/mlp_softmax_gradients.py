"""Explicit gradients of all parameters of a one-hidden-layer ReLU MLP with a softmax output and NLL loss.

Source: NPFL114 lecture 3 [10] ("Considering a neural network with D input neurons, a single ReLU
hidden layer with H units and softmax output layer with K units, write down the explicit formulas of
the gradient of all the MLP parameters (two weight matrices and two bias vectors), assuming input x,
target g and negative log likelihood loss."); the NPFL138 wording adds "without differential operators".
Convention (NPFL, row vectors): h_in = x W^(h) + b^(h), h = ReLU(h_in), z = h W^(y) + b^(y),
o = softmax(z), L = -log o_g, with W^(h) of shape D x H and W^(y) of shape H x K. Then
dL/dz = o - 1_g; dL/dW^(y) = h^T (o - 1_g) (H x K); dL/db^(y) = o - 1_g;
dL/dh = (o - 1_g) W^(y)T; dL/dh_in = dL/dh * 1[h_in > 0]; dL/dW^(h) = x^T dL/dh_in (D x H); dL/db^(h) = dL/dh_in.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from question_bank import draw
from question_bank.core import ChoicePart, Misconception, NumericPart
from question_bank.layout import fmt, statement, tex_mat, tex_row

NAME = "mlp_softmax_gradients"
TITLE = "Gradients of all parameters of a ReLU + softmax MLP"
TOPIC = "backprop"
POINTS = 10
SOURCE = "NPFL114 lecture 3 [10] (explicit gradients of all MLP parameters: ReLU hidden layer, softmax output, NLL)"


@dataclass(frozen=True)
class Variant:
    seed: int
    d: int
    h: int
    k: int
    x: tuple[float, ...]    # (D,)
    w1: tuple[float, ...]   # (D, H) row-major
    b1: tuple[float, ...]   # (H,)
    w2: tuple[float, ...]   # (H, K) row-major
    b2: tuple[float, ...]   # (K,)
    gold: int               # 0-based index of the gold class


def arrays(v: Variant):
    return (np.asarray(v.x, dtype=float), np.asarray(v.w1, dtype=float).reshape(v.d, v.h), np.asarray(v.b1, dtype=float),
            np.asarray(v.w2, dtype=float).reshape(v.h, v.k), np.asarray(v.b2, dtype=float))


def softmax(z) -> np.ndarray:
    e = np.exp(np.asarray(z, dtype=float) - np.max(z))
    return e / e.sum()


def forward(v: Variant) -> dict:
    x, w1, b1, w2, b2 = arrays(v)
    h_in = x @ w1 + b1
    h = np.maximum(h_in, 0.0)
    z = h @ w2 + b2
    o = softmax(z)
    return dict(h_in=h_in, h=h, z=z, o=o, loss=float(-np.log(o[v.gold])))


def gradients(v: Variant, *, mask: bool = True, sign: float = 1.0) -> dict:
    """The four parameter gradients; ``mask=False`` forgets the ReLU derivative, ``sign=-1`` uses g - o."""
    x, w1, b1, w2, b2 = arrays(v)
    f = forward(v)
    dz = sign * (f["o"] - np.eye(v.k)[v.gold])
    dh = w2 @ dz
    dh_in = dh * (f["h_in"] > 0) if mask else dh
    return dict(dz=dz, dh=dh, dh_in=dh_in, w2=np.outer(f["h"], dz), b2=dz, w1=np.outer(x, dh_in), b1=dh_in)


def generate(seed: int) -> Variant:
    rng = draw.rng_for(seed)
    d, h, k = int(draw.pick(rng, (2, 2, 3))), int(draw.pick(rng, (2, 3, 3, 4))), int(draw.pick(rng, (2, 3, 3)))
    want_inactive = bool(draw.pick(rng, (True, True, False)))
    while True:
        v = Variant(seed=seed, d=d, h=h, k=k, x=draw.grid_vector(rng, d, -2.0, 2.0, 1.0, nonzero=True),
                    w1=draw.grid_vector(rng, d * h, -1.0, 1.0, 0.5), b1=draw.grid_vector(rng, h, -1.0, 1.0, 0.5),
                    w2=draw.grid_vector(rng, h * k, -1.0, 1.0, 0.5, nonzero=True), b2=draw.grid_vector(rng, k, -0.5, 0.5, 0.5),
                    gold=int(rng.integers(0, k)))
        f = forward(v)
        inactive = f["h_in"] < 0
        grads = gradients(v)
        # ReLU differentiable everywhere (no zero pre-activation), at least one active unit, gradient
        # reaching the first layer, and an inactive unit exactly when the variant asked for one.
        if ((f["h_in"] != 0).all() and (~inactive).any() and bool(inactive.any()) == want_inactive
                and np.abs(grads["dh_in"]).max() > 0.05 and np.abs(f["z"]).max() <= 4.0
                and (not want_inactive or (np.abs(grads["dh"][inactive]) > 0.05).any())):
            return v


def formula_options() -> tuple[tuple[str, str], ...]:
    mask = r"\mathbb 1[\boldsymbol h_\text{in} > 0]"
    return (
        ("right", rf"$\boldsymbol x^\top \big[\big((\boldsymbol o - \boldsymbol 1_g)\,{{W^{{(y)}}}}^\top\big) \odot {mask}\big]$"),
        ("no_mask", r"$\boldsymbol x^\top \big[(\boldsymbol o - \boldsymbol 1_g)\,{W^{(y)}}^\top\big]$"),
        ("transposed", rf"$\big[\big((\boldsymbol o - \boldsymbol 1_g)\,{{W^{{(y)}}}}^\top\big) \odot {mask}\big]^\top \boldsymbol x$"),
        ("sign", rf"$\boldsymbol x^\top \big[\big((\boldsymbol 1_g - \boldsymbol o)\,{{W^{{(y)}}}}^\top\big) \odot {mask}\big]$"),
        ("softmax_twice", rf"$\boldsymbol x^\top \big[\big(((\boldsymbol o - \boldsymbol 1_g) \odot \boldsymbol o \odot (1 - \boldsymbol o))"
                          rf"\,{{W^{{(y)}}}}^\top\big) \odot {mask}\big]$"),
    )


def parts(v: Variant):
    x = np.asarray(v.x, dtype=float)
    f = forward(v)
    g = gradients(v)
    nomask = gradients(v, mask=False)
    onehot = np.eye(v.k)[v.gold]
    sign_fb = "the gradient of the NLL w.r.t. the logits is o - 1_g (predicted minus target), not 1_g - o"
    w2_wrong = [Misconception(tuple(-g["w2"].ravel()), sign_fb),
                Misconception(tuple(np.tile(g["dz"], (v.h, 1)).ravel()),
                              "missing the outer product: row j of dL/dW^(y) is h_j (o - 1_g), so multiply by the hidden activations"),
                Misconception(tuple(np.outer(f["h_in"], g["dz"]).ravel()),
                              "use the hidden activations after the ReLU, h = ReLU(h_in), not the pre-activations")]
    if v.h == v.k:
        w2_wrong.append(Misconception(tuple(np.outer(g["dz"], f["h"]).ravel()),
                                      "wrong transposition: dL/dW^(y) = h^T (o - 1_g) has entry (j, k) = h_j (o_k - g_k)"))
    w1_wrong = [Misconception(tuple(-g["w1"].ravel()), sign_fb),
                Misconception(tuple(nomask["w1"].ravel()),
                              "forgot the ReLU mask: an inactive hidden unit (h_in < 0) passes no gradient to its weights"),
                Misconception(tuple(np.tile(g["dh_in"], (v.d, 1)).ravel()),
                              "missing the outer product: row i of dL/dW^(h) is x_i times dL/dh_in, so multiply by the input")]
    if v.d == v.h:
        w1_wrong.append(Misconception(tuple(np.outer(g["dh_in"], x).ravel()),
                                      "wrong transposition: dL/dW^(h) = x^T dL/dh_in has entry (i, j) = x_i dL/dh_in_j"))
    mat = dict(rel_tol=1e-2, abs_tol=3e-3)
    options = formula_options()
    order = draw.shuffled(draw.rng_for(v.seed + 1), tuple(range(len(options))))
    return (
        NumericPart(label="a", prompt="The loss $L = -\\log o_g$ (natural log).", value=(f["loss"],), rel_tol=5e-3, abs_tol=2e-3,
                    misconceptions=(Misconception((f["loss"] / np.log(2),), "use the natural logarithm, not log2"),
                                    Misconception((float(-f["z"][v.gold]),),
                                                  "that is -z_g; the softmax normalises: L = -z_g + log sum_k exp(z_k)"))),
        NumericPart(label="b", prompt=f"$\\frac{{\\partial L}}{{\\partial \\boldsymbol b^{{(y)}}}}$ (vector of {v.k}).",
                    value=tuple(g["b2"]), shape=(v.k,), **mat,
                    misconceptions=(Misconception(tuple(-g["b2"]), sign_fb),
                                    Misconception(tuple(f["z"] - onehot), "apply the softmax first: the gradient is softmax(z) - 1_g"))),
        NumericPart(label="c", prompt=f"$\\frac{{\\partial L}}{{\\partial W^{{(y)}}}}$ ({v.h}x{v.k} matrix).",
                    value=tuple(g["w2"].ravel()), shape=(v.h, v.k), **mat, misconceptions=tuple(w2_wrong)),
        NumericPart(label="d", prompt=f"$\\frac{{\\partial L}}{{\\partial \\boldsymbol b^{{(h)}}}}$ (vector of {v.h}).",
                    value=tuple(g["b1"]), shape=(v.h,), **mat,
                    misconceptions=(Misconception(tuple(-g["b1"]), sign_fb),
                                    Misconception(tuple(nomask["b1"]),
                                                  "forgot the ReLU mask: multiply dL/dh by 1[h_in > 0]; an inactive unit gets 0"))),
        NumericPart(label="e", prompt=f"$\\frac{{\\partial L}}{{\\partial W^{{(h)}}}}$ ({v.d}x{v.h} matrix).",
                    value=tuple(g["w1"].ravel()), shape=(v.d, v.h), **mat, misconceptions=tuple(w1_wrong)),
        ChoicePart(label="f", prompt="The general formula of $\\frac{\\partial L}{\\partial W^{(h)}}$ (a $D \\times H$ matrix) is",
                   options=tuple(options[i][1] for i in order), correct=order.index(0),
                   explanation=("backpropagate o - 1_g through W^(y) (transposed), multiply by the ReLU derivative 1[h_in > 0], "
                                "then take the outer product with the input: x^T (D x 1) times a 1 x H row")),
    )


def render(v: Variant) -> str:
    x, w1, b1, w2, b2 = arrays(v)
    stem = (f"An MLP has $D = {v.d}$ inputs, one ReLU hidden layer of $H = {v.h}$ units and a softmax output layer of "
            f"$K = {v.k}$ units. With row vectors it computes $\\boldsymbol h_\\text{{in}} = \\boldsymbol x W^{{(h)}} + \\boldsymbol b^{{(h)}}$, "
            r"$\boldsymbol h = \operatorname{ReLU}(\boldsymbol h_\text{in})$, $\boldsymbol z = \boldsymbol h W^{(y)} + \boldsymbol b^{(y)}$, "
            r"$\boldsymbol o = \operatorname{softmax}(\boldsymbol z)$, and is trained with the negative log-likelihood $L = -\log o_g$. "
            f"The parameters are $W^{{(h)}} = {tex_mat(v.w1, (v.d, v.h), 1)}$, $\\boldsymbol b^{{(h)}} = {tex_row(v.b1, 1)}$, "
            f"$W^{{(y)}} = {tex_mat(v.w2, (v.h, v.k), 1)}$, $\\boldsymbol b^{{(y)}} = {tex_row(v.b2, 1)}$. "
            f"The input is $\\boldsymbol x = {tex_row(v.x, 0)}$ and the gold class is $g = {v.gold + 1}$ (of 1..{v.k}). "
            "Give numbers to 4 decimals; a matrix has the shape of its parameter.")
    return statement(title=TITLE, points=POINTS, stem=stem, parts=parts(v))


def solution(v: Variant) -> str:
    f = forward(v)
    g = gradients(v)
    e = np.exp(f["z"])
    active = ", ".join(str(j + 1) for j in np.flatnonzero(f["h_in"] > 0))
    inactive = [str(j + 1) for j in np.flatnonzero(f["h_in"] < 0)]
    mask_note = (f"units {', '.join(inactive)} are inactive, so their entries of $\\partial L/\\partial \\boldsymbol h_\\text{{in}}$ "
                 "and the matching columns of $\\partial L/\\partial W^{(h)}$ are 0" if inactive else "all hidden units are active")
    return "\n".join([
        r"General formulas (row vectors, $\boldsymbol 1_g$ the one-hot target): "
        r"$\frac{\partial L}{\partial \boldsymbol z} = \boldsymbol o - \boldsymbol 1_g$; "
        r"$\frac{\partial L}{\partial W^{(y)}} = \boldsymbol h^\top(\boldsymbol o - \boldsymbol 1_g)$; "
        r"$\frac{\partial L}{\partial \boldsymbol b^{(y)}} = \boldsymbol o - \boldsymbol 1_g$; "
        r"$\frac{\partial L}{\partial \boldsymbol h_\text{in}} = \big((\boldsymbol o - \boldsymbol 1_g){W^{(y)}}^\top\big) \odot \mathbb 1[\boldsymbol h_\text{in} > 0]$; "
        r"$\frac{\partial L}{\partial W^{(h)}} = \boldsymbol x^\top \frac{\partial L}{\partial \boldsymbol h_\text{in}}$; "
        r"$\frac{\partial L}{\partial \boldsymbol b^{(h)}} = \frac{\partial L}{\partial \boldsymbol h_\text{in}}$.",
        "",
        f"1. $\\boldsymbol h_\\text{{in}} = {tex_row(f['h_in'], 2)}$, $\\boldsymbol h = {tex_row(f['h'], 2)}$ (active units: {active}).",
        f"2. $\\boldsymbol z = {tex_row(f['z'], 4)}$, $e^{{\\boldsymbol z}} = {tex_row(e, 4)}$ (sum ${fmt(e.sum(), 4)}$), "
        f"$\\boldsymbol o = {tex_row(f['o'], 4)}$, $L = -\\log {fmt(f['o'][v.gold], 4)} = {fmt(f['loss'], 4)}$.",
        f"3. $\\frac{{\\partial L}}{{\\partial \\boldsymbol z}} = \\boldsymbol o - \\boldsymbol 1_g = {tex_row(g['dz'], 4)} = "
        r"\frac{\partial L}{\partial \boldsymbol b^{(y)}}$.",
        f"4. $\\frac{{\\partial L}}{{\\partial W^{{(y)}}}} = \\boldsymbol h^\\top(\\boldsymbol o - \\boldsymbol 1_g) = "
        f"{tex_mat(g['w2'].ravel(), (v.h, v.k), 4)}$.",
        f"5. $\\frac{{\\partial L}}{{\\partial \\boldsymbol h}} = (\\boldsymbol o - \\boldsymbol 1_g){{W^{{(y)}}}}^\\top = {tex_row(g['dh'], 4)}$; "
        f"{mask_note}: $\\frac{{\\partial L}}{{\\partial \\boldsymbol h_\\text{{in}}}} = {tex_row(g['dh_in'], 4)} = "
        r"\frac{\partial L}{\partial \boldsymbol b^{(h)}}$.",
        f"6. $\\frac{{\\partial L}}{{\\partial W^{{(h)}}}} = \\boldsymbol x^\\top \\frac{{\\partial L}}{{\\partial \\boldsymbol h_\\text{{in}}}} = "
        f"{tex_mat(g['w1'].ravel(), (v.d, v.h), 4)}$.",
    ])
