"""The grader's side of a sandboxed student process: start it, load the cells, call functions.

    box = Sandbox(cells, harness="optimizers", limits=Limits(timeout=5))
    box.call("adam", w, dw, {"learning_rate": 0.1})      # -> plain data, or raises StudentFault
    box.messages                                          # what went wrong while loading, for feedback
    box.close()

A cell that crashes or hangs while loading is skipped on a restart, so one bad cell costs only
what depends on it. A call that crashes the process restarts it for the next call; a function that
timed out once is not called again (an endless loop would otherwise cost the timeout on every test),
and once the submission has used up ``limits.budget`` nothing more is run.

Everything the worker sends is treated as forged until checked: a message of the wrong shape, an
unknown event or an out-of-range cell number is a protocol fault that ends the worker, and every
text that reaches feedback is cut to a few thousand characters.
"""
from __future__ import annotations

import ctypes
import os
import select
import shutil
import signal
import struct
import subprocess
import tempfile
import time

from . import isolation
from .cgroup import SandboxCgroup
from .inside import wire
from .limits import Limits

DEVNULL = subprocess.DEVNULL
STARTUP_SECONDS = 60.0
MAX_TEXT = 4000  # characters of a student's error message kept for feedback
MAX_MESSAGES = 50  # loading problems listed (a notebook can have 100,000 failing cells)
PR_SET_PDEATHSIG = 1


class StudentFault(Exception):
    """The student's code raised, timed out, crashed or returned what cannot cross the boundary."""

    def __init__(self, message: str, *, kind: str, error_type: str = ""):
        super().__init__(message)
        self.kind = kind  # "exception", "not_implemented", "missing", "timeout", "crash", "protocol"
        self.error_type = error_type  # the student's exception class name, e.g. "ValueError"


class Sandbox:
    def __init__(self, cells: list[str], *, harness: str | None = None,
                 limits: Limits = Limits(), isolation_mode: str | None = None):
        self.cells = list(cells)
        self.harness = harness
        self.limits = limits
        self.mode = isolation_mode or isolation.detect()[0]
        self.cap = isolation.process_cap()[0]
        self.messages: list[str] = []
        self.names: list[str] = []
        self._skip: set[int] = set()
        self._hung: set[str] = set()
        self.part: str | None = None  # the graded part being checked, set by the suite plugin
        self._proc: subprocess.Popen | None = None
        self._next_id = 0
        self._loaded_once = False
        self._budget_left = limits.budget
        self._cgroup: SandboxCgroup | None = None
        self._home: str | None = None  # without bubblewrap: a private working directory

    # ------------------------------------------------------------------ lifecycle
    def _spawn(self) -> None:
        if self.cap == isolation.CGROUP and self._cgroup is None:
            self._cgroup = SandboxCgroup.create(max_pids=self.limits.processes)
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        inside = isolation.SANDBOX_CODE if self.mode == isolation.BUBBLEWRAP else str(isolation.INSIDE)
        python = isolation.python_executable()
        command = [python, "-I", "-S", "-B", f"{inside}/worker.py", str(to_child_r), str(from_child_w),
                   *isolation.site_dirs()]
        env = isolation.worker_env()
        if self.mode == isolation.BUBBLEWRAP:
            command = isolation.bwrap_prefix() + [a for kv in env.items() for a in ("--setenv", *kv)] + command
            cwd = "/tmp"
        else:
            if self._home is None:
                self._home = tempfile.mkdtemp(prefix="nablab-sandbox-")
            env.update(HOME=self._home, TMPDIR=self._home)
            cwd = self._home
        try:
            self._proc = subprocess.Popen(
                command, stdin=DEVNULL, stdout=DEVNULL, stderr=DEVNULL, pass_fds=(to_child_r, from_child_w),
                preexec_fn=self._in_child, start_new_session=True, env=env, cwd=cwd)
        finally:
            os.close(to_child_r)
            os.close(from_child_w)
        os.set_blocking(to_child_w, False)  # a worker that stops reading must not block the grader
        self._to_child = to_child_w
        self._from_child = from_child_r

    def _in_child(self) -> None:
        """Between fork and exec: limits, the cgroup, and death with the grader."""
        self.limits.apply()
        if self._cgroup is not None:
            self._cgroup.join()
        if self.mode != isolation.BUBBLEWRAP:  # bwrap: --die-with-parent
            die_with_parent()

    def _nproc(self) -> int | None:
        """RLIMIT_NPROC for the worker to set on itself, where no cgroup caps the processes. Under
        bubblewrap it counts only the sandbox's own user namespace; without it, every process of the
        grader's user, so those that exist now are added."""
        if self.cap != isolation.NPROC:
            return None
        if self.mode == isolation.BUBBLEWRAP:
            return self.limits.processes
        return self.limits.processes + _tasks_of(os.geteuid())

    def _load(self) -> None:
        """Start a worker and run the cells, skipping any that crashed, hung or misbehaved before."""
        first_time = not self._loaded_once
        self._loaded_once = True
        while True:
            self._check_budget()
            self._spawn()
            current = None
            try:
                self._send({"cells": self.cells, "skip": sorted(self._skip), "harness": self.harness,
                            "nproc": self._nproc()}, timed=False)
                while True:
                    # Starting Python and numpy is the grader's cost, not the student's: not timed as theirs.
                    message = self._receive(self.limits.timeout, timed=current is not None)
                    event = message.get("event") if isinstance(message, dict) else None
                    index = message.get("index") if isinstance(message, dict) else None
                    if event == "cell" and self._cell_index(index):
                        current = index
                    elif event == "cell_error" and self._cell_index(index):
                        if first_time:
                            self._note(f"{self._cell_name(index)} raised {_text(message.get('error'))}")
                    elif event == "ready" and isinstance(message.get("names"), list):
                        self.names = [n for n in message["names"] if type(n) is str][:1000]
                        return
                    else:
                        raise StudentFault("sent a message the grader does not accept", kind="protocol")
            except StudentFault as fault:
                self._kill()
                if fault.kind == "budget":
                    raise
                if current is None:  # the worker itself could not start: nothing to skip
                    raise StudentFault(f"the submission could not be loaded: {fault}", kind="crash") from None
                self._skip.add(current)
                self._note(f"{self._cell_name(current)} {fault} while the notebook was loading; it was skipped")

    def _note(self, message: str) -> None:
        if len(self.messages) < MAX_MESSAGES:
            self.messages.append(message)
        elif len(self.messages) == MAX_MESSAGES:
            self.messages.append("… and more problems while loading, not listed")

    def _cell_name(self, index: int) -> str:
        """``cell 4 ("def sgd(w, dw, config=None):")``: the index counts the code cells that run, so
        the cell's first line is what lets the student find it."""
        first = next((line.strip() for line in self.cells[index].splitlines() if line.strip()), "")
        return f"cell {index} ({first[:60]!r})" if first else f"cell {index}"

    def _cell_index(self, index) -> bool:
        return type(index) is int and 0 <= index < len(self.cells)

    def close(self) -> None:
        self._kill()
        if self._cgroup is not None:
            self._cgroup.remove()
            self._cgroup = None
        if self._home is not None:
            shutil.rmtree(self._home, ignore_errors=True)
            self._home = None

    def _kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if self._cgroup is not None:  # whatever left the process group: daemons, new sessions
            self._cgroup.kill()
        proc.wait()
        for fd in (self._to_child, self._from_child):
            try:
                os.close(fd)
            except OSError:
                pass

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ calls
    def call(self, fn: str, *args, harness: bool = False, **kwargs):
        """Call the student's ``fn`` (or the harness's) on copies of the arguments."""
        return self.call_checked(fn, *args, harness=harness, **kwargs)[0]

    def call_checked(self, fn: str, *args, harness: bool = False, **kwargs):
        """Like :meth:`call`, also returning the positions of array arguments the call modified."""
        label = self.part or fn
        if label in self._hung:
            raise StudentFault(f"{label} did not finish within {self.limits.timeout:g} s on an earlier "
                               "check; not called again", kind="timeout")
        try:
            self._check_budget()
            if self._proc is None:
                self._load()
        except StudentFault as fault:
            raise StudentFault(str(fault), kind=_public(fault.kind)) from None
        self._next_id += 1
        try:
            self._send({"id": self._next_id, "fn": fn, "harness": harness, "args": list(args),
                        "kwargs": kwargs})
            reply = self._receive(self.limits.timeout)
            if not isinstance(reply, dict) or reply.get("id") != self._next_id or type(reply.get("ok")) is not bool:
                raise StudentFault("answered out of turn or with a message the grader does not accept",
                                   kind="protocol")
        except StudentFault as fault:
            self._kill()
            if fault.kind == "timeout":
                self._hung.add(label)
            raise StudentFault(f"{label} {fault}", kind=_public(fault.kind)) from None
        if not reply["ok"]:
            kind = ("missing" if reply.get("missing") is True else
                    "not_implemented" if reply.get("not_implemented") is True else "exception")
            error = _text(reply.get("error", "unknown error"))
            text = error if kind == "missing" else f"{'your code' if harness else fn} raised {error}"
            error_type = error.split(":", 1)[0] if kind == "exception" else ""
            raise StudentFault(text, kind=kind, error_type=error_type if error_type.isidentifier() else "")
        mutated = reply.get("mutated", [])
        mutated = [i for i in mutated if type(i) is int] if isinstance(mutated, list) else []
        return reply.get("value"), mutated

    def _check_budget(self) -> None:
        if self._budget_left <= 0:
            raise StudentFault(f"not run: the submission used up its {self.limits.budget:g} s "
                               "of running time", kind="budget")

    # ------------------------------------------------------------------ channel
    def _window(self, timeout: float, timed: bool) -> tuple[float, str, bool]:
        """``(deadline, what to say when it passes, whether the budget set it)`` of one exchange."""
        if not timed:
            timeout = STARTUP_SECONDS
        by_budget = timed and self._budget_left < timeout
        deadline = time.monotonic() + (self._budget_left if by_budget else timeout)
        why = (f"used up the submission's {self.limits.budget:g} s of running time" if by_budget else
               f"did not finish within {timeout:g} s")
        return deadline, why, by_budget

    def _send(self, message, *, timed: bool = True) -> None:
        """Write one message; a worker that stops reading (its student code may have replaced the
        worker's loop) gets the same time as it would to answer, not for ever."""
        data = memoryview(wire.frame(wire.encode(message, max_items=None)))
        deadline, why, by_budget = self._window(self.limits.timeout, timed)
        started = time.monotonic()
        try:
            while data:
                _, ready, _ = select.select([], [self._to_child], [], max(deadline - time.monotonic(), 0))
                if not ready:
                    raise StudentFault(why, kind="budget" if by_budget else "timeout")
                try:
                    data = data[os.write(self._to_child, data[:1 << 20]):]
                except BlockingIOError:
                    continue
                except OSError:  # the worker is gone
                    raise StudentFault(self._death(), kind="crash") from None
        finally:
            if timed:
                self._budget_left -= time.monotonic() - started

    def _receive(self, timeout: float, *, timed: bool = True):
        """One message within ``timeout`` (and, when ``timed``, within what is left of the budget)."""
        deadline, why, by_budget = self._window(timeout, timed)
        started = time.monotonic()
        try:
            header = self._read(8, deadline, why, by_budget)
            (size,) = struct.unpack(">Q", header)
            if size > wire.MAX_MESSAGE:
                raise StudentFault(f"returned {size / 2**20:.0f} MiB of data (limit "
                                   f"{wire.MAX_MESSAGE / 2**20:.0f} MiB)", kind="protocol")
            try:
                return wire.decode(self._read(size, deadline, why, by_budget))
            except wire.WireError as err:
                raise StudentFault(f"sent something that is not plain data ({_text(err, 300)})",
                                   kind="protocol") from None
        finally:
            if timed:
                self._budget_left -= time.monotonic() - started

    def _read(self, size: int, deadline: float, why: str, by_budget: bool) -> bytes:
        chunks, left = [], size
        while left:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([self._from_child], [], [], max(remaining, 0))
            if not ready:
                raise StudentFault(why, kind="budget" if by_budget else "timeout")
            chunk = os.read(self._from_child, min(left, 1 << 20))
            if not chunk:
                raise StudentFault(self._death(), kind="crash")
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def _death(self) -> str:
        """Why the worker is gone, from its exit status (the grader's own observation)."""
        try:
            code = self._proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return "stopped answering"
        if self.mode == isolation.BUBBLEWRAP and code > 128:  # bwrap reports a child's signal as 128+n
            code = 128 - code
        if code < 0:
            name = signal.Signals(-code).name
            hint = {"SIGKILL": " (killed: the memory or CPU limit?)", "SIGXCPU": " (CPU time limit)",
                    "SIGSEGV": " (a segmentation fault)", "SIGXFSZ": " (file size limit)"}.get(name, "")
            return f"crashed the process with {name}{hint}"
        return f"ended the process (exit status {code})"


def _public(kind: str) -> str:
    """A used-up budget is reported as a timeout (the kinds feedback and diagnosis know)."""
    return "timeout" if kind == "budget" else kind


def _text(value, limit: int = MAX_TEXT) -> str:
    """A student-controlled text, cut for feedback."""
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[:limit] + f"… [{len(text) - limit} more characters]"


def _tasks_of(uid: int) -> int:
    """Tasks (processes and threads) the user has now: RLIMIT_NPROC counts them all."""
    count = 0
    try:
        entries = list(os.scandir("/proc"))
    except OSError:  # no /proc: the limit is then the student's alone, and stricter than meant
        return 0
    for entry in entries:
        try:
            if entry.name.isdigit() and entry.stat().st_uid == uid:
                count += len(os.listdir(f"/proc/{entry.name}/task"))
        except OSError:
            continue
    return count


def die_with_parent() -> None:
    """Have the kernel SIGKILL this process when its parent dies (Linux; a no-op elsewhere)."""
    if hasattr(_LIBC, "prctl"):
        _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


_LIBC = ctypes.CDLL(None, use_errno=True)
