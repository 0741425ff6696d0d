"""Named wrong variants of the optimizers assignment, and named correct-but-different ones.

``MISTAKES[function][name]`` is a common student error, written the way a student writes it: same
signature, same config keys and defaults as the reference in ``solutions/optimizers/optimizers.ipynb``,
pure numpy. When a submission's output matches one of them, the feedback names it, so every name
reads after "matches …" ("matches Adam without bias correction"). Each one's ``w`` trajectory from a
config without state differs from the reference within a few steps on generic inputs (tested in
``tests/autograder/test_optimizer_mistakes.py``), and they differ from one another, so a match is
unambiguous. Two of them need inputs chosen for it:

* "Adam with t incremented after the bias correction" divides by ``1 − β⁰ = 0`` on the first step, so
  from an empty config it returns NaN (compare NaN as equal to NaN to recognise it); from a config
  with ``t ≥ 1`` it is finite and one step behind.
* "AdamW decaying after the Adam step" differs from the reference only by ``γλ`` times the Adam step,
  so it shows only with a large ``learning_rate * weight_decay`` (≳ 0.05).

``HARMLESS[function][name]`` are correct solutions written differently: ε inside the square root,
heavy-ball bookkeeping, Kingma & Ba's folded step size, PyTorch's Nesterov buffer, in-place updates.
They give the reference's ``w`` trajectory when started from a config without state, with gradients
bounded away from zero (ε inside the root differs by O(ε/|g|)). Some keep different private state
(a heavy-ball buffer stores ``b = −v/γ`` under ``"velocity"``), which is why the suite compares ``w``
and not the config. The suite grades them as correct; this is how it proves it.

``SIDE_EFFECTS[function][diagnosis]`` give the right values but change the caller's gradient ``dw``
in place or a hyperparameter in ``config``; the suite's "leaves the gradient dw and the
hyperparameters unchanged" check fails them with that diagnosis (``modifies_dw``,
``changes_hyperparameters``).
"""
from __future__ import annotations

from typing import Callable

import numpy as np


def _config(config, **defaults):
    """The reference's preamble: a new dict if None, then setdefault for each hyperparameter."""
    config = {} if config is None else config
    for key, value in defaults.items():
        config.setdefault(key, value)
    return config


_SGD = dict(learning_rate=1e-2)
_MOMENTUM = dict(learning_rate=1e-2, momentum=0.9)
_ADAGRAD = dict(learning_rate=1e-2, epsilon=1e-8)
_RMSPROP = dict(learning_rate=1e-2, decay_rate=0.99, epsilon=1e-8)


def _adam_config(config, w):
    return _config(config, learning_rate=1e-3, beta1=0.9, beta2=0.999, epsilon=1e-8,
                   m=np.zeros_like(w), v=np.zeros_like(w), t=0)


# ------------------------------------------------------------------------------------------ sgd

def sgd_wrong_sign(w, dw, config=None):
    config = _config(config, **_SGD)
    return w + config["learning_rate"] * dw, config


def sgd_no_learning_rate(w, dw, config=None):
    config = _config(config, **_SGD)
    return w - dw, config


def sgd_in_place(w, dw, config=None):
    config = _config(config, **_SGD)
    w -= config["learning_rate"] * dw
    return w, config


# ---------------------------------------------------------------------------------- sgd_momentum

def momentum_wrong_sign(w, dw, config=None):
    config = _config(config, **_MOMENTUM)
    v = config["momentum"] * config.get("velocity", np.zeros_like(w)) + config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config


def momentum_velocity_not_saved(w, dw, config=None):
    config = _config(config, **_MOMENTUM)
    v = config["momentum"] * config.get("velocity", np.zeros_like(w)) - config["learning_rate"] * dw
    return w + v, config


def momentum_as_ema(w, dw, config=None):
    config = _config(config, **_MOMENTUM)
    mu = config["momentum"]
    v = mu * config.get("velocity", np.zeros_like(w)) - (1 - mu) * config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config


def momentum_old_velocity(w, dw, config=None):
    config = _config(config, **_MOMENTUM)
    v = config.get("velocity", np.zeros_like(w))
    next_w = w + v
    config["velocity"] = config["momentum"] * v - config["learning_rate"] * dw
    return next_w, config


def momentum_heavy_ball(w, dw, config=None):
    config = _config(config, **_MOMENTUM)
    b = config["momentum"] * config.get("velocity", np.zeros_like(w)) + dw
    config["velocity"] = b
    return w - config["learning_rate"] * b, config


def momentum_in_place(w, dw, config=None):
    config = _config(config, **_MOMENTUM)
    v = config.setdefault("velocity", np.zeros_like(w))
    v *= config["momentum"]
    v -= config["learning_rate"] * dw
    w += v
    return w, config


# ------------------------------------------------------------------------------------- nesterov

def _nesterov(w, dw, config, step):
    """Shared body: the velocity update of the reference, then step(w, v_new, v_old, mu)."""
    config = _config(config, **_MOMENTUM)
    mu = config["momentum"]
    v = config.get("velocity", np.zeros_like(w))
    v_new = mu * v - config["learning_rate"] * dw
    config["velocity"] = v_new
    return step(w, v_new, v, mu), config


def nesterov_plain_momentum(w, dw, config=None):
    return _nesterov(w, dw, config, lambda w, v_new, v, mu: w + v_new)


def nesterov_correction_sign(w, dw, config=None):
    return _nesterov(w, dw, config, lambda w, v_new, v, mu: w + v_new - mu * (v_new - v))


def nesterov_plus_v_prev(w, dw, config=None):
    return _nesterov(w, dw, config, lambda w, v_new, v, mu: w + mu * v + (1 + mu) * v_new)


def nesterov_velocity_not_saved(w, dw, config=None):
    next_w, config = _nesterov(w, dw, config, lambda w, v_new, v, mu: w + v_new + mu * (v_new - v))
    del config["velocity"]
    return next_w, config


def nesterov_pytorch_buffer(w, dw, config=None):
    config = _config(config, **_MOMENTUM)
    mu = config["momentum"]
    b = mu * config.get("velocity", np.zeros_like(w)) + dw
    config["velocity"] = b
    return w - config["learning_rate"] * (dw + mu * b), config


def nesterov_cs231n_form(w, dw, config=None):
    return _nesterov(w, dw, config, lambda w, v_new, v, mu: w - mu * v + (1 + mu) * v_new)


# --------------------------------------------------------------------------- nesterov_lookahead

def _lookahead(w, grad_fn, config, point):
    """Shared body: the textbook rule with the gradient at point(w, v, mu)."""
    config = _config(config, **_MOMENTUM)
    mu = config["momentum"]
    v = config.get("velocity", np.zeros_like(w))
    v = mu * v - config["learning_rate"] * grad_fn(point(w, v, mu))
    config["velocity"] = v
    return w + v, config


def lookahead_at_w(w, grad_fn, config=None):
    return _lookahead(w, grad_fn, config, lambda w, v, mu: w)


def lookahead_wrong_sign(w, grad_fn, config=None):
    return _lookahead(w, grad_fn, config, lambda w, v, mu: w - mu * v)


def lookahead_without_mu(w, grad_fn, config=None):
    return _lookahead(w, grad_fn, config, lambda w, v, mu: w + v)


def lookahead_velocity_not_saved(w, grad_fn, config=None):
    next_w, config = _lookahead(w, grad_fn, config, lambda w, v, mu: w + mu * v)
    del config["velocity"]
    return next_w, config


def lookahead_heavy_ball(w, grad_fn, config=None):
    config = _config(config, **_MOMENTUM)
    mu, lr = config["momentum"], config["learning_rate"]
    b = config.get("velocity", np.zeros_like(w))
    b = mu * b + grad_fn(w - lr * mu * b)
    config["velocity"] = b
    return w - lr * b, config


# -------------------------------------------------------------------------------------- adagrad

def adagrad_not_accumulating(w, dw, config=None):
    config = _config(config, **_ADAGRAD)
    cache = dw**2
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config


def adagrad_no_sqrt(w, dw, config=None):
    config = _config(config, **_ADAGRAD)
    cache = config.get("cache", np.zeros_like(w)) + dw**2
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (cache + config["epsilon"]), config


def adagrad_old_cache(w, dw, config=None):
    config = _config(config, **_ADAGRAD)
    cache = config.get("cache", np.zeros_like(w))
    next_w = w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"])
    config["cache"] = cache + dw**2
    return next_w, config


def adagrad_eps_inside(w, dw, config=None):
    config = _config(config, **_ADAGRAD)
    cache = config.get("cache", np.zeros_like(w)) + dw**2
    config["cache"] = cache
    return w - config["learning_rate"] * dw / np.sqrt(cache + config["epsilon"]), config


def adagrad_in_place(w, dw, config=None):
    config = _config(config, **_ADAGRAD)
    cache = config.setdefault("cache", np.zeros_like(w))
    cache += dw * dw
    w -= config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"])
    return w, config


# -------------------------------------------------------------------------------------- rmsprop

def _rmsprop(w, dw, config, average, denominator=lambda c, eps: np.sqrt(c) + eps, save=True):
    """Shared body: cache <- average(cache, dw**2, beta); w <- w - lr * dw / denominator."""
    config = _config(config, **_RMSPROP)
    cache = average(config.get("cache", np.zeros_like(w)), dw**2, config["decay_rate"])
    if save:
        config["cache"] = cache
    return w - config["learning_rate"] * dw / denominator(cache, config["epsilon"]), config


def _ema(c, g2, beta):
    return beta * c + (1 - beta) * g2


def rmsprop_swapped(w, dw, config=None):
    return _rmsprop(w, dw, config, lambda c, g2, beta: (1 - beta) * c + beta * g2)


def rmsprop_no_sqrt(w, dw, config=None):
    return _rmsprop(w, dw, config, _ema, denominator=lambda c, eps: c + eps)


def rmsprop_cache_not_saved(w, dw, config=None):
    return _rmsprop(w, dw, config, _ema, save=False)


def rmsprop_no_one_minus_beta(w, dw, config=None):
    return _rmsprop(w, dw, config, lambda c, g2, beta: beta * c + g2)


def rmsprop_eps_inside(w, dw, config=None):
    return _rmsprop(w, dw, config, _ema, denominator=lambda c, eps: np.sqrt(c + eps))


def rmsprop_in_place(w, dw, config=None):
    config = _config(config, **_RMSPROP)
    cache = config.setdefault("cache", np.zeros_like(w))
    cache *= config["decay_rate"]
    cache += (1 - config["decay_rate"]) * dw**2
    w -= config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"])
    return w, config


# ----------------------------------------------------------------------------------------- adam

def _adam(w, dw, config, *, correct_m=True, correct_v=True, t_after=False, save=True,
          root=np.sqrt, eps_inside=False):
    """Adam as students write it, with switches for the usual slips."""
    config = _adam_config(config, w)
    beta1, beta2 = config["beta1"], config["beta2"]
    t = config["t"] if t_after else config["t"] + 1
    m = beta1 * config["m"] + (1 - beta1) * dw
    v = beta2 * config["v"] + (1 - beta2) * dw**2
    with np.errstate(divide="ignore", invalid="ignore"):   # t_after: 1 - beta**0 == 0
        m_hat = m / (1 - beta1**t) if correct_m else m
        v_hat = v / (1 - beta2**t) if correct_v else v
        if eps_inside:
            step = m_hat / root(v_hat + config["epsilon"])
        else:
            step = m_hat / (root(v_hat) + config["epsilon"])
    if save:
        config["m"], config["v"] = m, v
        config["t"] = t + 1 if t_after else t
    return w - config["learning_rate"] * step, config


def adam_no_bias_correction(w, dw, config=None):
    return _adam(w, dw, config, correct_m=False, correct_v=False)


def adam_t_after(w, dw, config=None):
    return _adam(w, dw, config, t_after=True)


def adam_correct_m_only(w, dw, config=None):
    return _adam(w, dw, config, correct_v=False)


def adam_state_not_saved(w, dw, config=None):
    return _adam(w, dw, config, save=False)


def adam_no_sqrt(w, dw, config=None):
    return _adam(w, dw, config, root=lambda x: x)


def adam_eps_inside(w, dw, config=None):
    return _adam(w, dw, config, eps_inside=True)


def adam_folded_step_size(w, dw, config=None):
    config = _adam_config(config, w)
    beta1, beta2, t = config["beta1"], config["beta2"], config["t"] + 1
    m = beta1 * config["m"] + (1 - beta1) * dw
    v = beta2 * config["v"] + (1 - beta2) * dw**2
    lr_t = config["learning_rate"] * np.sqrt(1 - beta2**t) / (1 - beta1**t)
    config["m"], config["v"], config["t"] = m, v, t
    return w - lr_t * m / (np.sqrt(v) + config["epsilon"]), config


def adam_in_place(w, dw, config=None):
    config = _adam_config(config, w)
    beta1, beta2 = config["beta1"], config["beta2"]
    config["t"] += 1
    m, v = config["m"], config["v"]
    m *= beta1
    m += (1 - beta1) * dw
    v *= beta2
    v += (1 - beta2) * dw * dw
    m_hat = m / (1 - beta1 ** config["t"])
    v_hat = v / (1 - beta2 ** config["t"])
    w -= config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"])
    return w, config


# ---------------------------------------------------------------------------------------- adamw

def _adamw_config(config):
    return _config(config, learning_rate=1e-3, weight_decay=1e-2)


def _decay_then(adam_step):
    """AdamW as the reference builds it (decay by γλ, then an Adam step), on top of adam_step."""
    def adamw(w, dw, config=None):
        config = _adamw_config(config)
        return adam_step(w - config["learning_rate"] * config["weight_decay"] * w, dw, config)
    return adamw


def _reference_adam(w, dw, config=None):
    return _adam(w, dw, config)


def adamw_as_l2(w, dw, config=None):
    config = _adamw_config(config)
    return _reference_adam(w, dw + config["weight_decay"] * w, config)


def adamw_as_l2_loss(w, dw, config=None):
    config = _adamw_config(config)
    return _reference_adam(w, dw + 2 * config["weight_decay"] * w, config)


def adamw_decay_without_lr(w, dw, config=None):
    config = _adamw_config(config)
    return _reference_adam(w - config["weight_decay"] * w, dw, config)


def adamw_decay_after_step(w, dw, config=None):
    config = _adamw_config(config)
    next_w, config = _reference_adam(w, dw, config)
    return next_w - config["learning_rate"] * config["weight_decay"] * next_w, config


def adamw_no_decay(w, dw, config=None):
    config = _adamw_config(config)
    return _reference_adam(w, dw, config)


def adamw_same_w(w, dw, config=None):
    config = _adamw_config(config)
    adam_w, config = _reference_adam(w, dw, config)
    return adam_w - config["learning_rate"] * config["weight_decay"] * w, config


# ------------------------------------------------------------------------------- clip_grad_norm

def _global_norm(grads):
    return float(np.sqrt(sum(np.sum(g**2) for g in grads)))


def _scale(max_norm, norm):
    """min(1, max_norm / norm), and 1 for zero gradients (the reference's guard)."""
    return min(1.0, max_norm / norm) if norm > 0 else 1.0


def clip_per_tensor(grads, max_norm):
    clipped = [g * _scale(max_norm, float(np.linalg.norm(g))) for g in grads]
    return clipped, _global_norm(grads)


def clip_returns_norm_after(grads, max_norm):
    total_norm = _global_norm(grads)
    clipped = [g * _scale(max_norm, total_norm) for g in grads]
    return clipped, _global_norm(clipped)


def clip_always_rescales(grads, max_norm):
    total_norm = _global_norm(grads)
    return [g * (max_norm / total_norm if total_norm > 0 else 1.0) for g in grads], total_norm


def clip_by_value(grads, max_norm):
    return [np.clip(g, -max_norm, max_norm) for g in grads], _global_norm(grads)


def clip_squared_norm(grads, max_norm):
    total = float(sum(np.sum(g**2) for g in grads))
    return [g * _scale(max_norm, total) for g in grads], total


def clip_pytorch_eps(grads, max_norm):
    total_norm = _global_norm(grads)
    coef = max_norm / (total_norm + 1e-6)
    return [g * min(1.0, coef) for g in grads], total_norm


def clip_concatenated(grads, max_norm):
    total_norm = float(np.linalg.norm(np.concatenate([g.ravel() for g in grads])))
    if total_norm > max_norm:
        return [g * (max_norm / total_norm) for g in grads], total_norm
    return [g.copy() for g in grads], total_norm


# --------------------------------------------------------------------------------- side effects
# Right values, surprising manners: one call changes the caller's gradient dw, or a hyperparameter in
# config. (Changing w in place is allowed, as in CS231n's optim.py, and so is updating the state
# arrays in config.) Those that change dw give the reference's w trajectory whenever each call gets
# its own copy of dw, which is why the hidden suite also calls each rule once on the caller's own
# arrays; those that change a hyperparameter are right on the first call only.

def modifies_dw(part: str) -> str:
    """The diagnosis of an update rule that changes the caller's gradient in place."""
    return f"{part} modifies the caller's gradient dw in place"


def changes_hyperparameters(part: str) -> str:
    """The diagnosis of an update rule that changes (or drops) a hyperparameter in config."""
    return f"{part} changes the hyperparameters in config"


def sgd_scales_dw_in_place(w, dw, config=None):
    config = _config(config, **_SGD)
    dw *= config["learning_rate"]
    w -= dw
    return w, config


def sgd_decays_learning_rate(w, dw, config=None):
    config = _config(config, **_SGD)
    next_w = w - config["learning_rate"] * dw
    config["learning_rate"] *= 0.99   # "annealing" inside the update rule
    return next_w, config


def momentum_scales_dw_in_place(w, dw, config=None):
    config = _config(config, **_MOMENTUM)
    dw *= config["learning_rate"]
    v = config["momentum"] * config.get("velocity", np.zeros_like(w)) - dw
    config["velocity"] = v
    return w + v, config


def nesterov_scales_dw_in_place(w, dw, config=None):
    config = _config(config, **_MOMENTUM)
    mu, v = config["momentum"], config.get("velocity", np.zeros_like(w))
    dw *= config["learning_rate"]
    v_new = mu * v - dw
    config["velocity"] = v_new
    return w + v_new + mu * (v_new - v), config


def adagrad_normalises_dw_in_place(w, dw, config=None):
    config = _config(config, **_ADAGRAD)
    cache = config.get("cache", np.zeros_like(w)) + dw**2
    dw /= np.sqrt(cache) + config["epsilon"]
    config["cache"] = cache
    return w - config["learning_rate"] * dw, config


def rmsprop_normalises_dw_in_place(w, dw, config=None):
    config = _config(config, **_RMSPROP)
    beta = config["decay_rate"]
    cache = beta * config.get("cache", np.zeros_like(w)) + (1 - beta) * dw**2
    dw /= np.sqrt(cache) + config["epsilon"]
    config["cache"] = cache
    return w - config["learning_rate"] * dw, config


def adam_scales_dw_in_place(w, dw, config=None):
    config = _adam_config(config, w)
    beta1, beta2, t = config["beta1"], config["beta2"], config["t"] + 1
    v = beta2 * config["v"] + (1 - beta2) * dw**2
    dw *= 1 - beta1
    m = beta1 * config["m"] + dw
    config["m"], config["v"], config["t"] = m, v, t
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config


def adam_stores_folded_step_size(w, dw, config=None):
    config = _adam_config(config, w)
    beta1, beta2, t = config["beta1"], config["beta2"], config["t"] + 1
    m = beta1 * config["m"] + (1 - beta1) * dw
    v = beta2 * config["v"] + (1 - beta2) * dw**2
    config["learning_rate"] = config["learning_rate"] * np.sqrt(1 - beta2**t) / (1 - beta1**t)
    config["epsilon"] = config["epsilon"] * np.sqrt(1 - beta2**t)
    config["m"], config["v"], config["t"] = m, v, t
    return w - config["learning_rate"] * m / (np.sqrt(v) + config["epsilon"]), config


# ------------------------------------------------------------------------------------- registry

_ADAM_MISTAKES = {
    "Adam without bias correction": adam_no_bias_correction,
    "Adam with t incremented after the bias correction (t off by one)": adam_t_after,
    "Adam with the bias correction applied to m only": adam_correct_m_only,
    "Adam that does not save m, v, t in config (state not saved)": adam_state_not_saved,
    "Adam without the square root (m̂ / (v̂ + ε))": adam_no_sqrt,
}

MISTAKES: dict[str, dict[str, Callable]] = {
    "sgd": {
        "SGD with the wrong sign (w ← w + γ∇L)": sgd_wrong_sign,
        "SGD without the learning rate (w ← w − ∇L)": sgd_no_learning_rate,
    },
    "sgd_momentum": {
        "momentum with the wrong sign (v ← μv + γ∇L)": momentum_wrong_sign,
        "momentum that does not save the velocity": momentum_velocity_not_saved,
        "momentum as a moving average (v ← μv − (1−μ)γ∇L)": momentum_as_ema,
        "momentum stepping with the old velocity (w ← w + v before v is updated)": momentum_old_velocity,
    },
    "nesterov": {
        "Nesterov written as plain momentum": nesterov_plain_momentum,
        "Nesterov with the correction subtracted (w ← w + v_new − μ(v_new − v))": nesterov_correction_sign,
        "Nesterov with +μv instead of −μv (w ← w + μv + (1+μ)v_new)": nesterov_plus_v_prev,
        "Nesterov that does not save the velocity": nesterov_velocity_not_saved,
    },
    "nesterov_lookahead": {
        "Nesterov look-ahead with the gradient at w (plain momentum)": lookahead_at_w,
        "Nesterov look-ahead at w − μv (wrong sign)": lookahead_wrong_sign,
        "Nesterov look-ahead at w + v (μ missing)": lookahead_without_mu,
        "Nesterov look-ahead that does not save the velocity": lookahead_velocity_not_saved,
    },
    "adagrad": {
        "AdaGrad not accumulating (cache ← dw²)": adagrad_not_accumulating,
        "AdaGrad without the square root": adagrad_no_sqrt,
        "AdaGrad dividing by the cache before adding dw² (old cache)": adagrad_old_cache,
    },
    "rmsprop": {
        "RMSprop with decay_rate and 1−decay_rate swapped": rmsprop_swapped,
        "RMSprop without the square root": rmsprop_no_sqrt,
        "RMSprop that does not save the cache": rmsprop_cache_not_saved,
        "RMSprop without the (1−decay_rate) on dw² (cache ← βcache + dw²)": rmsprop_no_one_minus_beta,
    },
    "adam": _ADAM_MISTAKES,
    "adamw": {
        "AdamW done as L2 regularisation (λ·w added to the gradient)": adamw_as_l2,
        "AdamW done as L2 regularisation of the loss (2λ·w added to the gradient)": adamw_as_l2_loss,
        "AdamW with the decay not scaled by the learning rate": adamw_decay_without_lr,
        "AdamW decaying after the Adam step": adamw_decay_after_step,
        "AdamW without weight decay (plain Adam)": adamw_no_decay,
        # a student's adamw calls their own adam, so an Adam mistake shows up here as well
        **{f"AdamW on top of {name}": _decay_then(f) for name, f in _ADAM_MISTAKES.items()},
    },
    "clip_grad_norm": {
        "clipping per tensor instead of by the global norm": clip_per_tensor,
        "clipping that returns the norm after clipping": clip_returns_norm_after,
        "clipping that always rescales to max_norm (even when the norm is smaller)": clip_always_rescales,
        "clipping each value to [−max_norm, max_norm] instead of rescaling": clip_by_value,
        "clipping with the squared norm (no square root)": clip_squared_norm,
    },
}

HARMLESS: dict[str, dict[str, Callable]] = {
    "sgd": {
        "SGD updating w in place (w -= γ∇L, as CS231n's optim.py)": sgd_in_place,
    },
    "sgd_momentum": {
        "momentum with heavy-ball bookkeeping (b ← μb + ∇L; w ← w − γb)": momentum_heavy_ball,
        "momentum updating the velocity and w in place": momentum_in_place,
    },
    "nesterov": {
        "Nesterov with PyTorch's buffer (b ← μb + ∇L; w ← w − γ(∇L + μb))": nesterov_pytorch_buffer,
        "Nesterov in CS231n's form (w ← w − μv + (1+μ)v_new)": nesterov_cs231n_form,
    },
    "nesterov_lookahead": {
        "Nesterov look-ahead with a heavy-ball buffer (b ← μb + ∇L(w − γμb); w ← w − γb)": lookahead_heavy_ball,
    },
    "adagrad": {
        "AdaGrad with ε inside the square root": adagrad_eps_inside,
        "AdaGrad accumulating the cache and updating w in place": adagrad_in_place,
    },
    "rmsprop": {
        "RMSprop with ε inside the square root": rmsprop_eps_inside,
        "RMSprop updating the cache and w in place": rmsprop_in_place,
    },
    "adam": {
        "Adam with ε inside the square root": adam_eps_inside,
        "Adam with Kingma & Ba's folded step size": adam_folded_step_size,
        "Adam updating m, v, t and w in place": adam_in_place,
    },
    "adamw": {
        "AdamW with decay and Adam step both taken from the old w (w − γλw − Adam step)": adamw_same_w,
        "AdamW on top of Adam with Kingma & Ba's folded step size": _decay_then(adam_folded_step_size),
    },
    "clip_grad_norm": {
        "clipping with PyTorch's 1e-6 added to the norm": clip_pytorch_eps,
        "clipping by the norm of all gradients concatenated": clip_concatenated,
    },
}

SIDE_EFFECTS: dict[str, dict[str, Callable]] = {  # part: {the diagnosis the suite gives: variant}
    "sgd": {modifies_dw("sgd"): sgd_scales_dw_in_place, changes_hyperparameters("sgd"): sgd_decays_learning_rate},
    "sgd_momentum": {modifies_dw("sgd_momentum"): momentum_scales_dw_in_place},
    "nesterov": {modifies_dw("nesterov"): nesterov_scales_dw_in_place},
    "adagrad": {modifies_dw("adagrad"): adagrad_normalises_dw_in_place},
    "rmsprop": {modifies_dw("rmsprop"): rmsprop_normalises_dw_in_place},
    "adam": {modifies_dw("adam"): adam_scales_dw_in_place,
             changes_hyperparameters("adam"): adam_stores_folded_step_size},
    # a student's adamw calls their own adam, so an adam that changes dw changes it here as well
    "adamw": {modifies_dw("adamw"): _decay_then(adam_scales_dw_in_place)},
}
