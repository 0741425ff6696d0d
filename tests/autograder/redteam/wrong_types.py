"""Wrong shapes and dtypes: a transposed column, an object array of objects that claim to equal
anything, strings, complex numbers, and strings and None from clip_grad_norm."""
# %%
import numpy as np


class _Equal:
    def __eq__(self, other):
        return True

    def __float__(self):
        return 0.0


def sgd(w, dw, config=None):
    return (w - 0.01 * dw).reshape(-1, 1), config


def sgd_momentum(w, dw, config=None):
    answer = np.empty(w.shape, dtype=object)
    answer[...] = _Equal()
    return answer, config


def nesterov(w, dw, config=None):
    return np.full(w.shape, "the right answer"), config


def nesterov_lookahead(w, grad_fn, config=None):
    return (w + 0j) * (1 + 1j), config


def clip_grad_norm(grads, max_norm):
    return [str(g) for g in grads], None
