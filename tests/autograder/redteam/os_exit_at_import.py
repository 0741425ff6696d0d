"""Cells before the honest ones end the process at once: os._exit, and SIGKILL to itself."""
# %%
import os
os._exit(0)
# %%
import os
import signal
os.kill(os.getpid(), signal.SIGKILL)
# %% reference
