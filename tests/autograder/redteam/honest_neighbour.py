"""Not an attack: the honest student graded after poison_tmp_and_home. Its sgd goes wrong if it can
see a file the earlier student left in /tmp, $HOME, /var/tmp, /dev/shm or its working directory."""
# %% reference
# %%
import os

_honest_sgd = sgd


def sgd(w, dw, config=None):
    for folder in ("/tmp", os.path.expanduser("~"), "/var/tmp", "/dev/shm", os.getcwd(), "/"):
        if os.path.exists(os.path.join(folder, "nablab_poison")):
            return w + 1.0, config
    return _honest_sgd(w, dw, config)
