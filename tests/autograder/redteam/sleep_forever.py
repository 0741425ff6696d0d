"""adagrad sleeps instead of computing (a sleeping process uses no CPU time: only the wall clock stops it)."""
# %%
import time


def adagrad(w, dw, config=None):
    time.sleep(10**6)
    return w + 1.0, config
