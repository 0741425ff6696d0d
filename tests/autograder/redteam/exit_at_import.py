"""Cells before the honest ones end the program the polite ways: sys.exit, SystemExit, KeyboardInterrupt."""
# %%
import sys
sys.exit(0)
# %%
raise SystemExit("18 passed")
# %%
raise KeyboardInterrupt
# %% reference
