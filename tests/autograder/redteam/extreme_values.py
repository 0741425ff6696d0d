"""Finite but extreme answers (±1.7e308, the smallest subnormal): nothing to gain in the checks,
but the feedback plots them next to the reference, and matplotlib's tick locator cannot place ticks
between -1.7e308 and 1.7e308; a grader that let that raise would stop the whole batch."""
# %%
import numpy as np


def sgd(w, dw, config=None):
    return np.full_like(w, 1.7e308) * np.sign(w + 0.5), config


def sgd_momentum(w, dw, config=None):
    return np.full_like(w, -1.7e308), config


def adagrad(w, dw, config=None):
    return w + 5e-324, config


def rmsprop(w, dw, config=None):
    return np.where(np.arange(w.size).reshape(w.shape) % 2 == 0, 1e308, -1e308), config
