"""clip_grad_norm answers with 500 MB arrays, adagrad with 5 million parameters per step (40 MB), and sgd
with a Python list of a million numbers."""
# %%
import numpy as np


def clip_grad_norm(grads, max_norm):
    return [np.zeros(500 * 2**20 // 8)] * len(grads), 1.0


def adagrad(w, dw, config=None):
    return np.ones(5_000_000), config


def sgd(w, dw, config=None):
    return [0.5] * 1_000_000, config
