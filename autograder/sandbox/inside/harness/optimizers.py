"""Runs an update rule for several steps, inside the sandbox for the student and in the grader for
the reference and the known mistakes: one code path for both, so only the update rule differs.

``ns`` maps function names to functions (the student's namespace, or the reference's).
"""
import numpy as np

# The ill-conditioned quadratic of the slides (seed 001): f = 0.06 x1^2 + 0.25 x2^2 - 0.04 x1 x2,
# gradient A @ x with A the Hessian below.
QUADRATIC = np.array([[0.12, -0.04], [-0.04, 0.5]])


def trajectory(ns, name, w0, grads, config=None):
    """w after each step of ``ns[name]`` fed the given gradients (a list of arrays)."""
    update, w, out = ns[name], np.array(w0, dtype=float), []
    for g in grads:
        w, config = update(w, np.array(g, dtype=float), config)
        out.append(np.array(w, dtype=float, copy=True))
    return out


def quadratic_trajectory(ns, name, w0, steps, config=None, hessian=None):
    """w after each of ``steps`` steps on f(w) = w·Aw/2, the gradient taken at the current w."""
    A = QUADRATIC if hessian is None else np.asarray(hessian, dtype=float)
    update, w, out = ns[name], np.array(w0, dtype=float), []
    for _ in range(steps):
        w, config = update(w, A @ w, config)
        out.append(np.array(w, dtype=float, copy=True))
    return out


def lookahead_trajectory(ns, w0, steps, config=None, hessian=None):
    """The same for ``nesterov_lookahead``, which takes the gradient *function* A @ x."""
    A = QUADRATIC if hessian is None else np.asarray(hessian, dtype=float)
    update, w, out = ns["nesterov_lookahead"], np.array(w0, dtype=float), []
    for _ in range(steps):
        w, config = update(w, lambda x: A @ x, config)
        out.append(np.array(w, dtype=float, copy=True))
    return out


def clip(ns, grads, max_norm):
    """``clip_grad_norm`` on the arrays, and whether any input array was modified.

    Only the student's process can see its own arrays, so ``modified`` is its report, and a student
    who rewrites this harness (or numpy) from a cell can make it say False. That buys no more than
    copying the inputs first would; the values themselves are always judged outside."""
    grads = [np.array(g, dtype=float) for g in grads]
    before = [g.copy() for g in grads]
    clipped, total_norm = ns["clip_grad_norm"](grads, max_norm)
    modified = any(not np.array_equal(a, b) for a, b in zip(grads, before))
    return [np.asarray(c) for c in clipped], total_norm, modified
