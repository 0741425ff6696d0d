# Optimizers assignment: my functions copied out of the notebook.


import numpy as np


def sgd(w, dw, config=None):
    """Vanilla stochastic gradient descent: w <- w - learning_rate * dw.

    Inputs:
    - w: parameters, numpy array of any shape.
    - dw: gradient of the loss with respect to w, same shape as w.
    - config: dict with
      - learning_rate: scalar step size gamma (default 1e-2).

    Returns:
    - next_w: the updated parameters, same shape as w (w itself is not modified).
    - config: the config dict (defaults filled in).
    """
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    next_w = w - config["learning_rate"] * dw
    return next_w, config


def sgd_momentum(w, dw, config=None):
    """SGD with (heavy-ball) momentum, velocity convention.

        v      <- momentum * v - learning_rate * dw
        next_w <- w + v

    Inputs:
    - w: parameters, numpy array of any shape.
    - dw: gradient of the loss at w, same shape as w.
    - config: dict with
      - learning_rate: scalar gamma (default 1e-2).
      - momentum: scalar mu in [0, 1) (default 0.9); 0 gives vanilla SGD.
      - velocity: array of w's shape, the previous step v (default zeros).

    Returns:
    - next_w: updated parameters, same shape as w.
    - config: with config["velocity"] set to the new v.

    Other conventions and how they map onto this one (same trajectory from v = 0):
    - heavy ball, b <- mu*b + g; w <- w - gamma*b (PyTorch SGD, d2l.ai): v = -gamma * b.
    - EMA form, m <- beta*m + (1 - beta)*g; w <- w - alpha*m: momentum = beta,
      learning_rate = alpha*(1 - beta), v = -alpha * m.
    """
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    lr, mu = config["learning_rate"], config["momentum"]
    v = mu * v - lr * dw      # keep part of the last step, add the new gradient step
    next_w = w + v
    config["velocity"] = v
    return next_w, config


def nesterov(w, dw, config=None):
    """Nesterov momentum in the shifted-parameter form (gradient taken at w itself).

        v_new  <- momentum * v - learning_rate * dw
        next_w <- w + v_new + momentum * (v_new - v)

    Here w is theta_hat = theta + momentum * v, the look-ahead point of the textbook rule
    v <- mu*v - gamma*grad L(theta + mu*v); theta <- theta + v, so the textbook parameters are
    theta = w - momentum * velocity. Both start at the same point when v = 0.

    Inputs:
    - w: shifted parameters theta_hat, numpy array of any shape.
    - dw: gradient of the loss at w, same shape as w.
    - config: dict with
      - learning_rate: scalar gamma (default 1e-2).
      - momentum: scalar mu (default 0.9).
      - velocity: array of w's shape (default zeros).

    Returns:
    - next_w: updated shifted parameters, same shape as w.
    - config: with config["velocity"] set to v_new.

    PyTorch's SGD(nesterov=True) keeps a heavy-ball buffer b <- mu*b + g and steps
    w <- w - gamma*(g + mu*b); with constant gamma that is this rule with velocity = -gamma * b.
    """
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    lr, mu = config["learning_rate"], config["momentum"]
    v_prev = v
    v = mu * v - lr * dw
    next_w = w + v + mu * (v - v_prev)
    config["velocity"] = v
    return next_w, config


def nesterov_lookahead(w, grad_fn, config=None):
    """Nesterov momentum in the textbook form, gradient at the look-ahead point.

        v      <- momentum * v - learning_rate * grad_fn(w + momentum * v)
        next_w <- w + v

    Inputs:
    - w: parameters theta, numpy array of any shape.
    - grad_fn: function mapping an array of w's shape to the gradient of the loss there.
    - config: dict with learning_rate (default 1e-2), momentum (default 0.9) and
      velocity (array of w's shape, default zeros).

    Returns:
    - next_w: updated parameters, same shape as w.
    - config: with config["velocity"] set to the new v.

    Same trajectory as `nesterov` with theta = theta_hat - momentum * v.
    """
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    lr, mu = config["learning_rate"], config["momentum"]
    lookahead = w + mu * v            # where the momentum would take us
    v = mu * v - lr * grad_fn(lookahead)
    next_w = w + v
    config["velocity"] = v
    return next_w, config


def adagrad(w, dw, config=None):
    """AdaGrad, element-wise:

        cache  <- cache + dw**2
        next_w <- w - learning_rate * dw / (sqrt(cache) + epsilon)

    Inputs:
    - w: parameters, numpy array of any shape.
    - dw: gradient of the loss at w, same shape as w.
    - config: dict with
      - learning_rate: scalar gamma (default 1e-2).
      - epsilon: small scalar that only prevents division by zero (default 1e-8).
      - cache: array of w's shape, the running sum of squared gradients (default zeros).

    Returns:
    - next_w: updated parameters, same shape as w.
    - config: with config["cache"] updated.

    Some texts (d2l.ai, the Deep Learning book) put epsilon inside the root,
    dw / sqrt(cache + epsilon). Once cache >> epsilon the two differ by O(epsilon / sqrt(cache)),
    so with epsilon around 1e-6 they agree to about 6 digits.
    """
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("epsilon", 1e-8)
    cache = config.get("cache", np.zeros_like(w))
    cache = cache + dw ** 2
    next_w = w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"])
    config["cache"] = cache
    return next_w, config


def rmsprop(w, dw, config=None):
    """RMSprop, element-wise:

        cache  <- decay_rate * cache + (1 - decay_rate) * dw**2
        next_w <- w - learning_rate * dw / (sqrt(cache) + epsilon)

    Inputs:
    - w: parameters, numpy array of any shape.
    - dw: gradient of the loss at w, same shape as w.
    - config: dict with
      - learning_rate: scalar gamma (default 1e-2).
      - decay_rate: scalar beta in [0, 1) (default 0.99).
      - epsilon: small scalar against division by zero (default 1e-8).
      - cache: array of w's shape, moving average of dw**2 (default zeros).

    Returns:
    - next_w: updated parameters, same shape as w.
    - config: with config["cache"] updated.

    As for AdaGrad, texts that write dw / sqrt(cache + epsilon) (epsilon inside the root) agree
    with this rule up to O(epsilon / sqrt(cache)).
    """
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    cache = config.get("cache", np.zeros_like(w))
    decay = config["decay_rate"]
    cache = decay * cache + (1 - decay) * dw ** 2
    next_w = w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"])
    config["cache"] = cache
    return next_w, config


def adam(w, dw, config=None):
    """Adam with bias correction (Kingma & Ba, Algorithm 1), element-wise:

        t      <- t + 1                       (before the bias correction: first step uses t = 1)
        m      <- beta1 * m + (1 - beta1) * dw
        v      <- beta2 * v + (1 - beta2) * dw**2
        m_hat  <- m / (1 - beta1**t)
        v_hat  <- v / (1 - beta2**t)
        next_w <- w - learning_rate * m_hat / (sqrt(v_hat) + epsilon)

    Inputs:
    - w: parameters, numpy array of any shape.
    - dw: gradient of the loss at w, same shape as w.
    - config: dict with
      - learning_rate: scalar gamma (default 1e-3).
      - beta1: decay of the first moment (default 0.9).
      - beta2: decay of the second moment (default 0.999).
      - epsilon: small scalar, added OUTSIDE the square root (default 1e-8).
      - m, v: arrays of w's shape, the moment estimates (default zeros).
      - t: int, the number of steps taken so far (default 0).

    Returns:
    - next_w: updated parameters, same shape as w.
    - config: with m, v and t updated (t is the number of steps including this one).

    Other forms: Kingma & Ba's "efficient" version folds the corrections into the step size,
    gamma_t = gamma * sqrt(1 - beta2**t) / (1 - beta1**t) and next_w = w - gamma_t * m / (sqrt(v) + eps_hat);
    it is this rule with eps_hat = epsilon * sqrt(1 - beta2**t). Texts that write
    sqrt(v_hat + epsilon) (epsilon inside the root) agree up to O(epsilon / sqrt(v_hat)). A caller
    whose own counter is already the current step number (incremented before the call) passes t - 1.
    """
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("m", np.zeros_like(w))
    config.setdefault("v", np.zeros_like(w))
    config.setdefault("t", 0)
    config["t"] += 1
    t = config["t"]
    b1, b2 = config["beta1"], config["beta2"]
    config["m"] = b1 * config["m"] + (1 - b1) * dw
    config["v"] = b2 * config["v"] + (1 - b2) * (dw ** 2)
    m_hat = config["m"] / (1 - b1 ** t)
    v_hat = config["v"] / (1 - b2 ** t)
    next_w = w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"])
    return next_w, config


def adamw(w, dw, config=None):
    """Adam with decoupled weight decay, as torch.optim.AdamW:

        w      <- w - learning_rate * weight_decay * w     (decay first, by the full learning rate)
        next_w <- adam step on the decayed w with the UNCHANGED gradient dw

    Inputs:
    - w: parameters, numpy array of any shape.
    - dw: gradient of the data loss at w (no regularisation term), same shape as w.
    - config: the keys of `adam` (same defaults) plus
      - weight_decay: scalar lambda (default 1e-2).

    Returns:
    - next_w: updated parameters, same shape as w.
    - config: with m, v and t updated as in `adam`.

    With dw = 0 and zero moments, each step multiplies w by exactly (1 - learning_rate * weight_decay).
    Loshchilov & Hutter's Algorithm 2 writes the decay as -eta_t * lambda * w with a separate
    schedule multiplier eta_t; PyTorch (and this function) scale it by the learning rate.
    Not the same as L2 regularisation, which adds lambda * 2 * w to dw (loss + lambda * sum w**2)
    and lets Adam rescale it; torch.optim.Adam(weight_decay=...) does that, adding lambda * w.
    """
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("weight_decay", 1e-2)
    # weight decay = add lambda * w to the gradient, then a normal Adam step
    dw = dw + config["weight_decay"] * w
    next_w, config = adam(w, dw, config)
    return next_w, config


def clip_grad_norm(grads, max_norm):
    """Rescale a list of gradients so that their global L2 norm is at most max_norm.

        total_norm = sqrt(sum over arrays of sum(g**2))
        clipped    = [min(1, max_norm / total_norm) * g for g in grads]

    Inputs:
    - grads: list of numpy arrays of any shapes (e.g. [dW1, db1, dW2, db2]).
    - max_norm: positive scalar c.

    Returns:
    - clipped_grads: list of new arrays, shapes as in grads; the inputs are not modified.
    - total_norm: float, the global norm BEFORE clipping (useful for logging).

    torch.nn.utils.clip_grad_norm_ does the same in place and adds 1e-6 to the denominator.
    """
    total_norm = np.sqrt(sum(np.sum(g ** 2) for g in grads))
    scale = 1.0
    if total_norm > max_norm:
        scale = max_norm / total_norm
    clipped_grads = [g * scale for g in grads]
    return clipped_grads, total_norm
