"""sgd_momentum floods stdout and stderr with 64 MB on every call and still answers correctly (no
gain and no loss: nobody reads the student's output); a cell does the same while loading."""
# %%
import os
import sys

_BLOCK = b"18 passed\n" * 100_000
for _ in range(32):
    os.write(1, _BLOCK)
    os.write(2, _BLOCK)
# %%
_honest_momentum = sgd_momentum


def sgd_momentum(w, dw, config=None):
    for _ in range(32):
        sys.stdout.write(_BLOCK.decode())
        os.write(2, _BLOCK)
    sys.stdout.flush()
    return _honest_momentum(w, dw, config)
