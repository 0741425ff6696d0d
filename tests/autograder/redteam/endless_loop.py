"""sgd never returns: a busy loop."""
# %%
def sgd(w, dw, config=None):
    while True:
        pass
