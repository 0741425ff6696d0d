"""nesterov_lookahead dereferences a null pointer through ctypes: the worker dies with SIGSEGV."""
# %%
import ctypes


def nesterov_lookahead(w, grad_fn, config=None):
    ctypes.string_at(0)
    return w + 1.0, config
