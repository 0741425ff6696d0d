"""Allocate without end: one huge request while the notebook loads, then nesterov fills memory
256 MB at a time and touches every page (the address-space limit stops both; filling pages is slow
enough that the time limit may come first)."""
# %%
_hoard = [0] * 10**11
# %%
def nesterov(w, dw, config=None):
    hoard = []
    while True:
        hoard.append(bytearray(256 * 2**20))
        hoard[-1][::4096] = b"x" * len(hoard[-1][::4096])
