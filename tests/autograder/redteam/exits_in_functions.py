"""Four functions end the process or the program instead of answering."""
# %%
import os
import sys


def sgd(w, dw, config=None):
    sys.exit(0)


def sgd_momentum(w, dw, config=None):
    os._exit(0)


def nesterov(w, dw, config=None):
    raise KeyboardInterrupt


def nesterov_lookahead(w, grad_fn, config=None):
    raise SystemExit("18 passed")
