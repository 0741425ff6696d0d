"""Gradient descent by hand with a numeric (forward-difference) derivative.

Source: seed 001, the table for f(x) = x^4 + x + 2 from x = 1 with gamma = 0.2 and
h = 0.001. Convention (as in that table): every shown value -- x, f(x), df/dx --
is rounded half-up to 3 decimals, and the next x is computed from the rounded
values: x' = round(x - gamma * round(df/dx)).
"""
from __future__ import annotations

from dataclasses import dataclass

from question_bank import draw
from question_bank.core import Misconception, NumericPart
from question_bank.handcalc import forward_difference, round_half_up
from question_bank.layout import fmt, fmtp, statement

NAME = "gd_numeric_1d"
TITLE = "Gradient descent by hand with a numeric derivative"
TOPIC = "optimization"
POINTS = 5
SOURCE = "seed 001 (GD table for x^4 + x + 2)"
PLACES = 3


@dataclass(frozen=True)
class Variant:
    seed: int
    coeffs: tuple[float, float, float, float]  # a4, a2, a1, a0 of a4 x^4 + a2 x^2 + a1 x + a0
    x0: float
    gamma: float
    h: float
    steps: int


def f_value(coeffs, x: float) -> float:
    a4, a2, a1, a0 = coeffs
    return a4 * x**4 + a2 * x**2 + a1 * x + a0


def f_exact_derivative(coeffs, x: float) -> float:
    a4, a2, a1, _ = coeffs
    return 4 * a4 * x**3 + 2 * a2 * x + a1


def table(v: Variant, *, steps: int | None = None, direction: float = -1.0,
          exact: bool = False, rounded: bool = True) -> list[tuple[int, float, float, float]]:
    """Rows (t, x, f(x), df/dx) for t = 0..steps, computed the way a hand table is."""
    steps = v.steps if steps is None else steps
    keep = (lambda y: round_half_up(y, PLACES)) if rounded else (lambda y: y)
    f = lambda y: f_value(v.coeffs, y)  # noqa: E731 - a one-line closure reads best here
    rows, x = [], v.x0
    for t in range(steps + 1):
        d = f_exact_derivative(v.coeffs, x) if exact else forward_difference(f, x, v.h)
        rows.append((t, x, keep(f(x)), keep(d)))
        x = keep(x + direction * v.gamma * keep(d))
        if not abs(x) < 1e6:  # a diverging (wrong-way) trajectory: stop before x**4 overflows
            x = float("nan")
    return rows


def generate(seed: int) -> Variant:
    rng = draw.rng_for(seed)
    while True:
        coeffs = (
            draw.pick(rng, (0.5, 1.0, 1.0, 1.5, 2.0)),
            draw.pick(rng, (0.0, 0.0, 0.5, 1.0, -0.5)),
            draw.grid(rng, -2.0, 2.0, 0.5, nonzero=True),
            float(draw.grid(rng, 0, 4, 1)),
        )
        v = Variant(seed=seed, coeffs=coeffs, x0=draw.grid(rng, -1.5, 1.5, 0.5, nonzero=True),
                    gamma=draw.pick(rng, (0.05, 0.1, 0.15, 0.2)), h=draw.pick(rng, (0.001, 0.01)),
                    steps=int(draw.pick(rng, (2, 3, 3, 4))))
        rows = table(v)
        # Keep variants where descent behaves: bounded, actually moving, and decreasing f.
        if (all(abs(x) <= 3 for _, x, _, _ in rows) and rows[-1][2] < rows[0][2]
                and abs(rows[-1][1] - rows[0][1]) > 0.01):
            return v


def poly_tex(coeffs) -> str:
    terms = []
    for c, power in zip(coeffs, ("x^4", "x^2", "x", "")):
        if c == 0:
            continue
        mag = fmt(abs(c), 2)
        body = (mag if power == "" else ("" if mag == "1" else mag) + power)
        terms.append(("-" if c < 0 else "+") + " " + body)
    text = " ".join(terms)
    return text[2:] if text.startswith("+ ") else "-" + text[2:]


def parts(v: Variant):
    rows = table(v)
    d0 = rows[0][3]
    exact_d0 = round_half_up(f_exact_derivative(v.coeffs, v.x0), PLACES)
    x_n = rows[-1][1]
    unrounded = table(v, rounded=False)[-1][1]
    tol_x = max(0.002, 1.5 * abs(unrounded - x_n))
    return (
        NumericPart(
            label="a", prompt=r"The forward-difference estimate of $\frac{df}{dx}$ at $x^{(0)}$ (3 decimals).",
            value=(d0,), rel_tol=0.0, abs_tol=0.0015, digits=3,
            misconceptions=(Misconception((exact_d0,), "that is the exact derivative; the question asks for "
                                          f"the forward difference (f(x+h) - f(x))/h with h = {fmt(v.h, 3)}"),),
        ),
        NumericPart(
            label="b", prompt=f"$x^{{({v.steps})}}$, the estimate after {v.steps} updates.",
            value=(x_n,), rel_tol=0.0, abs_tol=tol_x, digits=3,
            misconceptions=(
                Misconception((table(v, direction=+1.0)[-1][1],),
                              "you stepped uphill: gradient descent moves against the derivative, x' = x - gamma f'(x)"),
                Misconception((table(v, steps=v.steps - 1)[-1][1],),
                              f"that is x^({v.steps - 1}): one update short (t off by one)"),
                Misconception((table(v, steps=v.steps + 1)[-1][1],),
                              f"that is x^({v.steps + 1}): one update too many (t off by one)"),
                Misconception((table(v, exact=True)[-1][1],),
                              "that trajectory uses the exact derivative, not the forward difference"),
            ),
        ),
    )


def render(v: Variant) -> str:
    stem = (
        f"Minimise $f(x) = {poly_tex(v.coeffs)}$ by gradient descent, starting from "
        f"$x^{{(0)}} = {fmt(v.x0, 3)}$ with learning rate $\\gamma = {fmt(v.gamma, 3)}$. "
        f"Estimate the derivative numerically by the forward difference "
        f"$\\frac{{df}}{{dx}} \\approx \\frac{{f(x + h) - f(x)}}{{h}}$ with $h = {fmt(v.h, 3)}$, "
        f"and update $x' = x - \\gamma \\frac{{df}}{{dx}}$. As in a hand table, round $x$ and "
        f"$\\frac{{df}}{{dx}}$ to 3 decimals at every step. Perform {v.steps} updates."
    )
    return statement(title=TITLE, points=POINTS, stem=stem, parts=parts(v))


def solution(v: Variant) -> str:
    rows = table(v)
    lines = ["| t | x | f(x) | df/dx |", "|---|---|---|---|"]
    lines += [f"| {t} | {fmt(x, 3)} | {fmt(fx, 3)} | {fmt(d, 3)} |" for t, x, fx, d in rows]
    lines.append("")
    f = lambda y: f_value(v.coeffs, y)  # noqa: E731
    for t, x, _, d in rows[:-1]:
        nxt = rows[t + 1][1]
        lines.append(
            f"- $t={t}$: $\\frac{{df}}{{dx}} \\approx \\frac{{f({fmt(x + v.h, 4)}) - f({fmt(x, 3)})}}{{{fmt(v.h, 3)}}}"
            f" = \\frac{{{fmt(f(x + v.h), 6)} - {fmt(f(x), 6)}}}{{{fmt(v.h, 3)}}} \\approx {fmt(d, 3)}$, "
            f"so $x^{{({t + 1})}} = {fmt(x, 3)} - {fmt(v.gamma, 3)} \\cdot {fmtp(d, 3)} \\approx {fmt(nxt, 3)}$."
        )
    lines += ["", f"**Answer:** a) {fmt(rows[0][3], 3)}; b) $x^{{({v.steps})}} = {fmt(rows[-1][1], 3)}$."]
    return "\n".join(lines)
