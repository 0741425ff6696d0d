"""Mini-batch SGD with momentum vs Nesterov momentum: algorithms and two steps by hand.

Sources: seed 000 ("Write down the mini-batch SGD algorithm with momentum. Then, formulate
SGD with Nesterov momentum and show the difference between them." [5]) and seed 001.
Convention (seed 001): v <- alpha v - gamma grad L(theta); theta <- theta + v. Nesterov
evaluates the gradient at the look-ahead point theta + alpha v. Loss here:
L(theta) = (k/2)(theta - m)^2, so grad L(theta) = k (theta - m).
"""
from __future__ import annotations

from dataclasses import dataclass

from question_bank import draw
from question_bank.core import Misconception, NumericPart, RubricItem, TrueFalsePart
from question_bank.layout import fmt, fmtp, statement

NAME = "momentum_vs_nesterov"
TITLE = "SGD with momentum vs Nesterov momentum"
TOPIC = "optimization"
POINTS = 5
ITEM_POINTS = 2
SOURCE = "seed 000 prompt [5]; seed 001 (momentum, NAG)"


@dataclass(frozen=True)
class Variant:
    seed: int
    k: float
    m: float
    theta0: float
    v0: float
    alpha: float
    gamma: float
    steps: int


def grad(v: Variant, theta: float) -> float:
    return v.k * (theta - v.m)


def run(v: Variant, *, nesterov: bool, steps: int | None = None, sign: float = -1.0) -> list[tuple[float, float, float]]:
    """Rows (theta_t, v_t, point where the gradient was taken) for t = 0..steps."""
    theta, vel, rows = v.theta0, v.v0, []
    for _ in range(v.steps if steps is None else steps):
        at = theta + v.alpha * vel if nesterov else theta
        rows.append((theta, vel, at))
        vel = v.alpha * vel + sign * v.gamma * grad(v, at)
        theta = theta + vel
    rows.append((theta, vel, float("nan")))
    return rows


def generate(seed: int) -> Variant:
    rng = draw.rng_for(seed)
    m = draw.grid(rng, -2.0, 2.0, 0.5)
    while True:
        theta0 = draw.grid(rng, -3.0, 3.0, 0.5)
        if theta0 != m:
            break
    return Variant(seed=seed, k=draw.pick(rng, (0.5, 1.0, 2.0, 4.0)), m=m, theta0=theta0,
                   v0=draw.pick(rng, (0.0, 0.0, -0.5, 0.5, 1.0, -1.0)), alpha=draw.pick(rng, (0.5, 0.8, 0.9)),
                   gamma=draw.pick(rng, (0.05, 0.1, 0.2)), steps=2)


def parts(v: Variant):
    mom, nag = run(v, nesterov=False), run(v, nesterov=True)
    same_first = abs(mom[1][0] - nag[1][0]) < 1e-12
    return (
        NumericPart(label="a", prompt=f"$\\theta_{{{v.steps}}}$ with classical momentum.", value=(mom[-1][0],),
                    rel_tol=1e-3, abs_tol=1e-3,
                    misconceptions=(Misconception((run(v, nesterov=False, steps=1)[-1][0],), "that is theta_1: one step short"),
                                    Misconception((run(v, nesterov=False, sign=+1.0)[-1][0],), "the velocity must subtract gamma * gradient"),
                                    Misconception((nag[-1][0],), "that is the Nesterov result"))),
        NumericPart(label="b", prompt=f"$\\theta_{{{v.steps}}}$ with Nesterov momentum.", value=(nag[-1][0],),
                    rel_tol=1e-3, abs_tol=1e-3,
                    misconceptions=(Misconception((mom[-1][0],), "that is classical momentum: Nesterov takes the gradient at theta + alpha v"),
                                    Misconception((run(v, nesterov=True, steps=1)[-1][0],), "that is theta_1: one step short"))),
        NumericPart(label="c", prompt="The point at which Nesterov evaluates the gradient in the second step.",
                    value=(nag[1][2],), rel_tol=1e-3, abs_tol=1e-3,
                    misconceptions=(Misconception((nag[1][0],), "that is theta_1 itself; Nesterov looks ahead to theta_1 + alpha v_1"),)),
        TrueFalsePart(label="d", statement="Both methods give the same $\\theta_1$ after the first step.", truth=same_first,
                      explanation=("with v_0 = 0 the look-ahead point equals theta_0, so the first steps coincide"
                                   if same_first else "v_0 is not zero, so the look-ahead point differs from theta_0")),
    )


def render(v: Variant) -> str:
    stem = (f"Minimise $L(\\theta) = \\frac{{{fmt(v.k, 1)}}}{{2}}(\\theta - {fmtp(v.m, 1)})^2$ from $\\theta_0 = {fmt(v.theta0, 1)}$, "
            f"$v_0 = {fmt(v.v0, 1)}$, with momentum $\\alpha = {fmt(v.alpha, 2)}$ and learning rate $\\gamma = {fmt(v.gamma, 2)}$, "
            r"using $v_{t+1} = \alpha v_t - \gamma \nabla L(\cdot)$, $\theta_{t+1} = \theta_t + v_{t+1}$. "
            "Give numbers to 4 decimals.")
    written = ("Write down the mini-batch SGD algorithm with momentum. Then formulate SGD with Nesterov momentum "
               "and show the difference between them.")
    return statement(title=TITLE, points=POINTS, stem=stem, parts=parts(v), written=written)


def solution(v: Variant) -> str:
    lines = [f"$\\nabla L(\\theta) = {fmt(v.k, 1)}(\\theta - {fmtp(v.m, 1)})$.", ""]
    for name, rows in (("Momentum", run(v, nesterov=False)), ("Nesterov", run(v, nesterov=True))):
        lines.append(f"**{name}:**")
        for t in range(v.steps):
            theta, vel, at = rows[t]
            new_v = rows[t + 1][1]
            lines.append(f"- $t={t}$: gradient at ${fmt(at, 4)}$ is ${fmt(grad(v, at), 4)}$; "
                         f"$v_{{{t + 1}}} = {fmt(v.alpha, 2)} \\cdot {fmtp(vel, 4)} - {fmt(v.gamma, 2)} \\cdot {fmtp(grad(v, at), 4)} = {fmt(new_v, 4)}$; "
                         f"$\\theta_{{{t + 1}}} = {fmt(theta, 4)} + {fmtp(new_v, 4)} = {fmt(rows[t + 1][0], 4)}$.")
        lines.append("")
    lines.append("**Written part:** see the model answer.")
    return "\n".join(lines)


def model_answer(v: Variant) -> str:
    return "\n".join([
        "**SGD with momentum** (learning rate $\\gamma$, momentum $\\alpha$, velocity $v = 0$):",
        r"repeat: sample a minibatch of $m$ examples; $g \leftarrow \frac{1}{m}\nabla_\theta \sum_i L(f(x_i;\theta), y_i)$; "
        r"$v \leftarrow \alpha v - \gamma g$; $\theta \leftarrow \theta + v$.",
        "",
        "**Nesterov momentum:** the same, but the gradient is evaluated after the momentum step is applied:",
        r"$g \leftarrow \frac{1}{m}\nabla_\theta \sum_i L(f(x_i;\theta + \alpha v), y_i)$; $v \leftarrow \alpha v - \gamma g$; "
        r"$\theta \leftarrow \theta + v$.",
        "",
        "**Difference:** classical momentum takes the gradient at the current point and then adds the velocity; Nesterov "
        "first moves by $\\alpha v$ (where momentum would take it anyway) and takes the gradient there, so the correction "
        "is computed at a better-informed point and overshooting is damped. In practice one stores the shifted parameters "
        r"$\hat\theta = \theta + \alpha v$ so the gradient is again taken at the stored parameters.",
    ])


def rubric(v: Variant) -> tuple[RubricItem, ...]:
    return (
        RubricItem(1.0, "Momentum: minibatch gradient g averaged over m examples; v <- alpha v - gamma g; theta <- theta + v."),
        RubricItem(1.0, "Nesterov: gradient evaluated at the look-ahead point theta + alpha v (or the equivalent reformulation)."),
        RubricItem(1.0, "Difference stated: where the gradient is taken, and why it helps (corrects before overshooting)."),
    )
