"""adagrad recurses without end after raising the recursion limit, so Python's own guard never
fires; every level passes through C (map, sum), so the C stack overflows and the worker dies."""
# %%
import sys


def _down(n):
    return sum(map(_down, [n + 1]))


def adagrad(w, dw, config=None):
    sys.setrecursionlimit(10**8)
    _down(0)
    return w + 1.0, config
