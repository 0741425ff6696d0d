"""pytest's own outcomes raised from student code: skip the module while loading, and skip, xfail
and exit inside functions (a grader that ran student code inside its pytest would obey them)."""
# %%
import pytest
pytest.skip("nothing to grade here", allow_module_level=True)
# %%
import pytest


def adamw(w, dw, config=None):
    pytest.skip("adamw is optional")


def clip_grad_norm(grads, max_norm):
    pytest.xfail("known to fail, counts as passed")


def rmsprop(w, dw, config=None):
    pytest.exit("all tests passed", returncode=0)
