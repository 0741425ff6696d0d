"""The sandboxed worker: faults become messages, bad cells are skipped, nothing leaks in or out."""
import os

import numpy as np
import pytest

from autograder.sandbox import Limits, Sandbox, StudentFault, detect_isolation, isolation
from autograder.sandbox.isolation import BUBBLEWRAP, CGROUP, process_cap

from grading_helpers import ROOT, running

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
    assert "cell 1 ('while True: pass') did not finish" in problems
    assert "cell 2 ('import os; os._exit(0)') ended the process" in problems
    assert "cell 4 ('1 / 0') raised ZeroDivisionError" in problems


def test_loading_problems_are_listed_up_to_a_limit():
    cells = ["def shout():\n    raise ValueError('x' * 10**5)"] + ["shout()"] * 200 + ["def f():\n    return 1"]
    with Sandbox(cells, limits=Limits(timeout=5.0)) as sandbox:
        assert sandbox.call("f") == 1
    assert len(sandbox.messages) == 51 and "not listed" in sandbox.messages[-1]
    assert sum(len(m) for m in sandbox.messages) < 50 * 5000


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
@pytest.mark.skipif(not isolation._bwrap_has("--disable-userns"), reason="bubblewrap < 0.8")
def test_student_code_cannot_make_user_namespaces():
    cells = ["import ctypes, os\ndef unshare_user():\n    libc = ctypes.CDLL(None, use_errno=True)\n"
             "    return libc.unshare(0x10000000), os.strerror(ctypes.get_errno())"]  # CLONE_NEWUSER
    with Sandbox(cells, limits=Limits(timeout=2.0)) as sandbox:
        code, error = sandbox.call("unshare_user")
    assert code == -1, error


@needs_bwrap
def test_bubblewrap_has_no_network(box):
    assert box.call("network") != "connected"


@needs_bwrap
def test_bubblewrap_has_a_private_tmp(box, tmp_path):
    marker = tmp_path / "marker"
    marker.write_text("x")
    assert box.call("probe", str(marker)) == "FileNotFoundError"
    assert os.path.exists(marker)


# ----------------------------------------------------------------------------- processes
needs_cap = pytest.mark.skipif(process_cap()[0] is None, reason="no way to cap processes here (root without cgroups)")
SPAWN = """
import os, time
def spawn(n):
    made = 0
    for _ in range(n):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            time.sleep(60)
            os._exit(0)
        made += 1
    return made
def bomb():
    while True:
        try:
            if os.fork() == 0:
                os.execv("/bin/sleep", ["sleep", "{marker}"])
        except OSError:
            pass
def daemon():
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execv("/bin/sleep", ["sleep", "{marker}"])
        os._exit(0)
    return "started"
def ok():
    return 1
"""


@needs_cap
def test_processes_are_capped_even_for_a_root_grader():
    with Sandbox([SPAWN], limits=Limits(timeout=5.0, processes=16)) as sandbox:
        made = sandbox.call("spawn", 100)
    assert 0 < made < 16  # the worker (and bubblewrap) count too


@needs_cap
def test_a_fork_bomb_is_capped_killed_and_leaves_nothing_behind():
    marker = str(8_000_000 + os.getpid())
    with Sandbox([SPAWN.replace("{marker}", marker)], limits=Limits(timeout=2.0, processes=32)) as sandbox:
        with pytest.raises(StudentFault, match="did not finish within 2 s") as fault:
            sandbox.call("bomb")
        assert fault.value.kind == "timeout"
        peak = sandbox._cgroup.peak() if sandbox._cgroup is not None else None
        assert peak is None or peak <= 32  # the kernel's own count, where it keeps one
        assert sandbox.call("ok") == 1  # a fresh worker answers at once: the bomb is gone
    assert running(marker) == 0


def test_busy_processes_of_one_student_do_not_starve_the_next():
    """Each sandbox is one scheduling entity of the cpu controller: 40 busy processes (each in its
    own session, so the kernel's per-session autogroups do not help) weigh as much as one. Without
    that, a neighbour's call needing 0.3 s of CPU took over 5 s here, and timed out."""
    from autograder.sandbox import cgroup
    if process_cap()[0] != CGROUP or not any("cpu" in h.controllers for h in cgroup.hierarchies()):
        pytest.skip("no cpu cgroup controller to share the CPU fairly")
    busy = "import os, time\ndef spin(n):\n    for _ in range(n):\n        if os.fork() == 0:\n" \
           "            os.setsid()\n            end = time.time() + 20\n            while time.time() < end:\n" \
           "                pass\n            os._exit(0)\n    return n"
    work = "import time\ndef work():\n    start = time.process_time()\n" \
           "    while time.process_time() - start < 0.3:\n        pass\n    return 'done'"
    with Sandbox([busy], limits=Limits(timeout=5.0)) as hog, Sandbox([work], limits=Limits(timeout=5.0)) as neighbour:
        assert neighbour.call("work") == "done"
        assert hog.call("spin", 40) == 40
        assert neighbour.call("work") == "done"


def test_a_daemon_in_a_new_session_does_not_outlive_the_sandbox():
    if detect_isolation()[0] != BUBBLEWRAP and process_cap()[0] != CGROUP:
        pytest.skip("without bubblewrap only a cgroup finds processes that left the session")
    marker = str(8_100_000 + os.getpid())
    with Sandbox([SPAWN.replace("{marker}", marker)], limits=Limits(timeout=2.0)) as sandbox:
        assert sandbox.call("daemon") == "started"
    assert running(marker) == 0


# ----------------------------------------------------------------------------- a forged channel
FORGER = """
import os, sys, struct, json
def _send(raw):
    os.write(int(sys.argv[2]), struct.pack(">Q", len(raw)) + raw)
def _hang():
    import time
    time.sleep(60)
def not_a_dict():
    _send(b"[1, 2, 3]"); _hang()
def out_of_turn():
    _send(json.dumps({"id": 10**6, "ok": True, "value": 1.0}).encode()); _hang()
def nested():
    _send(b"[" * 100_000 + b"]" * 100_000); _hang()
def many():
    _send(b"[" + b"[]," * 3_000_000 + b"[]]"); _hang()
def not_json():
    _send(b"\\xff\\xfe{"); _hang()
def ok():
    return 2
import __main__ as _worker
_serve = _worker._serve
def _long_errors(request, namespace, harness):
    reply = _serve(request, namespace, harness)
    if not reply.get("ok"):
        reply["error"] = "E" * 2_000_000
        reply["missing"] = "yes"
    return reply
_worker._serve = _long_errors
def fails():
    raise ValueError
def opaque_name():
    return type("X" * 100_000, (), {})()
"""


@pytest.mark.parametrize("fn, text", [
    ("not_a_dict", "message the grader does not accept"),
    ("out_of_turn", "answered out of turn"),
    ("nested", "nested too deeply"),
    ("many", "more than 200000 values"),
    ("not_json", "not JSON"),
])
def test_a_forged_reply_is_a_protocol_fault_and_the_worker_is_replaced(fn, text):
    with Sandbox([FORGER], limits=Limits(timeout=2.0)) as sandbox:
        with pytest.raises(StudentFault, match=text) as fault:
            sandbox.call(fn)
        assert fault.value.kind == "protocol"
        assert sandbox.call("ok") == 2


def test_a_worker_that_stops_reading_cannot_block_the_grader():
    cells = ["import sys, time\ndef stop_reading():\n"
             "    sys.modules['wire'].read_frame = lambda stream: time.sleep(10**6)\n    return 1\n"
             "def f(x):\n    return 2"]
    with Sandbox(cells, limits=Limits(timeout=2.0)) as sandbox:
        assert sandbox.call("stop_reading") == 1
        with pytest.raises(StudentFault, match="did not finish within 2 s"):
            sandbox.call("f", np.zeros(2**20))  # 8 MB: far more than a pipe holds
        assert sandbox.call("stop_reading") == 1  # a fresh worker


def test_student_texts_are_cut_before_they_reach_feedback():
    with Sandbox([FORGER], limits=Limits(timeout=2.0)) as sandbox:
        with pytest.raises(StudentFault) as fault:
            sandbox.call("fails")
        assert fault.value.kind == "exception"  # "missing": "yes" is not True
        assert len(str(fault.value)) < 5000 and "more characters" in str(fault.value)
        assert len(sandbox.call("opaque_name")) <= 201


def test_forged_loading_messages_skip_the_cell_that_sent_them():
    forge = "import os, sys, struct\nraw = b'{\"event\": \"cell\", \"index\": [1, 2]}'\n" \
            "os.write(int(sys.argv[2]), struct.pack('>Q', len(raw)) + raw)"
    with Sandbox(["def f():\n    return 5", forge, "def g():\n    return 6"], limits=Limits(timeout=2.0)) as sandbox:
        assert sandbox.call("f") == 5 and sandbox.call("g") == 6
    assert "cell 1" in " ".join(sandbox.messages) and "does not accept" in " ".join(sandbox.messages)


def test_a_result_too_large_to_send_is_an_error_not_a_crash():
    cells = ["import numpy as np\ndef huge():\n    return np.ones(64 * 2**20 // 8)\n"
             "def ok():\n    return 3"]
    with Sandbox(cells, limits=Limits(timeout=5.0)) as sandbox:
        assert "at most 32 MiB" in sandbox.call("huge")  # an Opaque marker, a wrong answer
        assert sandbox.call("ok") == 3


# ----------------------------------------------------------------------------- the time budget
def test_the_time_budget_bounds_a_submission_that_restarts_slowly():
    # each restart reloads 1.5 s of cells: the first load fits into the 2.5 s budget, a second does not
    cells = ["import os, time"] + ["time.sleep(0.5)"] * 3 + ["def ok():\n    return 4", "def die():\n    os._exit(1)"]
    with Sandbox(cells, limits=Limits(timeout=1.0, budget=2.5)) as sandbox:
        assert sandbox.call("ok") == 4
        with pytest.raises(StudentFault, match="ended the process"):
            sandbox.call("die")
        with pytest.raises(StudentFault, match="used up the submission's 2.5 s") as fault:
            sandbox.call("ok")
        assert fault.value.kind == "timeout"
        with pytest.raises(StudentFault, match="not run: the submission used up its 2.5 s"):
            sandbox.call("ok")


# ----------------------------------------------------------------------------- what the sandbox sees
@needs_bwrap
def test_nablab_installed_into_site_packages_stays_hidden(tmp_path, monkeypatch):
    """A regular (not editable) install puts the suites and the example class, reference included,
    into site-packages; the sandbox must still not see them."""
    site = tmp_path / "site-packages"
    suite = site / "autograder" / "suites" / "optimizers" / "test_optimizers.py"
    suite.parent.mkdir(parents=True)
    suite.write_text("SECRET = 1\n")
    (site / "nablab-0.1.0.dist-info").mkdir()
    (site / "nablab-0.1.0.dist-info" / "RECORD").write_text("autograder/suites/optimizers/test_optimizers.py\n")
    (site / "__editable___nablab_0_1_0_finder.py").write_text("MAPPING = {'autograder': '/somewhere'}\n")
    (site / "harmless.py").write_text("VALUE = 7\n")
    real = isolation.site_dirs()
    monkeypatch.setattr(isolation, "site_dirs", lambda: real + [str(site)])
    cells = [CELLS[10], "import numpy as np\ndef imports(name):\n    import importlib\n"
             "    try:\n        return getattr(importlib.import_module(name), 'VALUE', 'imported')\n"
             "    except ImportError as e:\n        return type(e).__name__"]
    with Sandbox(cells, limits=Limits(timeout=5.0)) as sandbox:
        for hidden in (suite, site / "nablab-0.1.0.dist-info" / "RECORD", site / "__editable___nablab_0_1_0_finder.py"):
            assert sandbox.call("probe", str(hidden)) != "read"
        assert sandbox.call("imports", "autograder.suites.optimizers.test_optimizers") == "ModuleNotFoundError"
        assert sandbox.call("imports", "harmless") == 7 and sandbox.call("imports", "numpy") == "imported"


# ----------------------------------------------------------------------------- without bubblewrap
def test_without_bubblewrap_grading_works_and_says_so_loudly_once(monkeypatch, tmp_path):
    from autograder.grading import grade_submission
    from grading_helpers import EXAMPLE_CLASS

    monkeypatch.setenv("PATH", str(tmp_path))  # no bwrap on it
    isolation.detect.cache_clear()
    try:
        with pytest.warns(RuntimeWarning, match="ISOLATION IS REDUCED: bubblewrap \\(bwrap\\) is not installed") \
                as warned:
            first = grade_submission("optimizers", EXAMPLE_CLASS / "optimizers" / "reference.ipynb",
                                     limits=Limits(timeout=3.0))
            second = grade_submission("optimizers", EXAMPLE_CLASS / "optimizers" / "momentum_wrong_sign.ipynb",
                                      limits=Limits(timeout=3.0))
        assert sum("ISOLATION IS REDUCED" in str(w.message) for w in warned) == 1
        for result in (first, second):
            assert result.isolation.startswith("process limits only (bubblewrap (bwrap) is not installed")
            assert result.to_gradescope()["extra_data"]["isolation"] == result.isolation
        assert first.score == 18 and second.parts()["sgd_momentum"] == (0.0, 2.0)
    finally:
        isolation.detect.cache_clear()


def test_a_fault_names_the_students_exception_type(box):
    with pytest.raises(StudentFault) as fault:
        box.call("fails")
    assert fault.value.error_type == "ZeroDivisionError"
