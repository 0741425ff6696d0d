"""The sandboxed worker: faults become messages, bad cells are skipped, nothing leaks in or out."""
import os

import numpy as np
import pytest

from autograder.sandbox import Limits, Sandbox, StudentFault, detect_isolation
from autograder.sandbox.isolation import BUBBLEWRAP

from grading_helpers import ROOT

CELLS = [
    "import numpy as np",
    "def double(x):\n    x *= 2\n    return x",
    "def fails():\n    return 1 / 0",
    "def todo():\n    raise NotImplementedError",
    "def spin():\n    while True:\n        pass",
    "def die():\n    import os\n    os._exit(3)",
    "def segfault():\n    import ctypes\n    ctypes.string_at(0)",
    "def stubborn():\n    import signal\n    signal.signal(signal.SIGTERM, signal.SIG_IGN)\n    signal.signal(signal.SIGALRM, signal.SIG_IGN)\n    while True:\n        pass",
    "def exits():\n    raise SystemExit(0)",
    "def interrupt():\n    raise KeyboardInterrupt",
    "def probe(path):\n    try:\n        open(path).read(1)\n        return 'read'\n    except OSError as e:\n        return type(e).__name__",
    "def environ():\n    import os\n    return dict(os.environ)",
    "def network():\n    import socket\n    s = socket.socket()\n    s.settimeout(1)\n    try:\n        s.connect(('1.1.1.1', 53))\n        return 'connected'\n    except OSError as e:\n        return type(e).__name__",
]


@pytest.fixture(scope="module")
def box():
    with Sandbox(CELLS, limits=Limits(timeout=2.0)) as sandbox:
        yield sandbox


def test_arguments_are_copies_and_mutation_is_reported(box):
    x = np.arange(3.0)
    value, mutated = box.call_checked("double", x)
    np.testing.assert_array_equal(value, [0.0, 2.0, 4.0])
    np.testing.assert_array_equal(x, [0.0, 1.0, 2.0])  # the grader's own array is untouched
    assert mutated == [0]


@pytest.mark.parametrize("fn, kind, text", [
    ("fails", "exception", "ZeroDivisionError"),
    ("todo", "not_implemented", "NotImplementedError"),
    ("nothere", "missing", "not defined"),
    ("exits", "exception", "SystemExit"),
    ("interrupt", "exception", "KeyboardInterrupt"),
])
def test_student_exceptions_become_faults(box, fn, kind, text):
    with pytest.raises(StudentFault, match=text) as fault:
        box.call(fn)
    assert fault.value.kind == kind
    assert box.call("double", 1.0) == 2.0  # the worker survived


@pytest.mark.parametrize("fn, expected", [("die", "exit status 3"), ("segfault", "SIGSEGV")])
def test_a_crash_is_reported_and_the_next_call_restarts_the_worker(box, fn, expected):
    with pytest.raises(StudentFault, match=expected) as fault:
        box.call(fn)
    assert fault.value.kind == "crash"
    assert box.call("double", 2.0) == 4.0


@pytest.mark.parametrize("fn", ["spin", "stubborn"])
def test_endless_loops_are_killed_and_not_called_again(fn):
    with Sandbox(CELLS, limits=Limits(timeout=1.0)) as sandbox:
        with pytest.raises(StudentFault, match="did not finish within 1 s") as fault:
            sandbox.call(fn)
        assert fault.value.kind == "timeout"
        with pytest.raises(StudentFault, match="earlier check; not called again"):
            sandbox.call(fn)
        assert sandbox.call("double", 3.0) == 6.0


def test_a_cell_that_hangs_or_exits_while_loading_is_skipped():
    cells = ["import numpy as np", "while True: pass", "import os; os._exit(0)", "def f(): return 41 + 1",
             "1 / 0"]
    with Sandbox(cells, limits=Limits(timeout=1.0)) as sandbox:
        assert sandbox.call("f") == 42
    problems = " | ".join(sandbox.messages)
    assert "cell 1 did not finish" in problems and "cell 2 ended the process" in problems
    assert "cell 4 raised ZeroDivisionError" in problems


def test_memory_limit_stops_a_memory_bomb():
    cells = ["def bomb():\n    return len(bytearray(8 * 2**30))"]
    with Sandbox(cells, limits=Limits(timeout=5.0, memory=1 * 2**30)) as sandbox:
        with pytest.raises(StudentFault, match="MemoryError"):
            sandbox.call("bomb")


def test_the_grader_environment_does_not_leak(box, monkeypatch):
    assert "NABLAB_SECRET" not in box.call("environ")
    monkeypatch.setenv("NABLAB_SECRET", "expected answers")
    with Sandbox(CELLS[:1] + CELLS[-2:-1], limits=Limits(timeout=2.0)) as sandbox:
        assert "NABLAB_SECRET" not in sandbox.call("environ")


needs_bwrap = pytest.mark.skipif(detect_isolation()[0] != BUBBLEWRAP, reason="bubblewrap does not run here")


@needs_bwrap
@pytest.mark.parametrize("secret", [
    ROOT / "autograder" / "suites" / "optimizers" / "test_optimizers.py",
    ROOT / "solutions" / "optimizers" / "optimizers.ipynb",
    ROOT / "autograder" / "grading.py",
])
def test_bubblewrap_hides_the_course_files(box, secret):
    assert secret.exists()
    assert box.call("probe", str(secret)) in ("FileNotFoundError", "PermissionError")


@needs_bwrap
def test_bubblewrap_has_no_network(box):
    assert box.call("network") != "connected"


@needs_bwrap
def test_bubblewrap_has_a_private_tmp(box, tmp_path):
    marker = tmp_path / "marker"
    marker.write_text("x")
    assert box.call("probe", str(marker)) == "FileNotFoundError"
    assert os.path.exists(marker)
