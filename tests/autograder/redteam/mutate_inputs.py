"""sgd overwrites the arrays it is given (w, dw, and every array seen in earlier calls) and returns
w unchanged: a grader that computed its expected value from the same arrays after the call would
expect exactly this. adamw poisons the config dict it is handed."""
# %%
import numpy as np

_seen = []


def sgd(w, dw, config=None):
    _seen.extend([w, dw])
    for array in _seen:
        array[...] = 0.0
    return w, config


def adamw(w, dw, config=None):
    if config is not None:
        for key in list(config):
            config[key] = np.nan
    return w + 1.0, config
