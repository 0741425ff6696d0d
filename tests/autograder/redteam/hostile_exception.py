"""rmsprop raises an exception whose __str__ raises, nesterov one whose message is 20 MB long and
pretends to be the grader's own AssertionError about a passed check."""
# %%
class Sneaky(Exception):
    def __str__(self):
        raise RuntimeError("you cannot print me")


class Mismatch(AssertionError):
    pass


def rmsprop(w, dw, config=None):
    raise Sneaky()


def nesterov(w, dw, config=None):
    raise Mismatch("passed\n" * 3_000_000)
