"""The grader's side of a sandboxed student process: start it, load the cells, call functions.

    box = Sandbox(cells, harness="optimizers", limits=Limits(timeout=5))
    box.call("adam", w, dw, {"learning_rate": 0.1})      # -> plain data, or raises StudentFault
    box.messages                                          # what went wrong while loading, for feedback
    box.close()

A cell that crashes or hangs while loading is skipped on a restart, so one bad cell costs only
what depends on it. A call that crashes the process restarts it for the next call; a function that
timed out once is not called again (an endless loop would otherwise cost the timeout on every test).
"""
from __future__ import annotations

import os
import select
import signal
import struct
import subprocess
import time

from . import isolation
from .inside import wire
from .limits import Limits

DEVNULL = subprocess.DEVNULL
STARTUP_SECONDS = 60.0


class StudentFault(Exception):
    """The student's code raised, timed out, crashed or returned what cannot cross the boundary."""

    def __init__(self, message: str, *, kind: str):
        super().__init__(message)
        self.kind = kind  # "exception", "not_implemented", "missing", "timeout", "crash", "protocol"


class Sandbox:
    def __init__(self, cells: list[str], *, harness: str | None = None,
                 limits: Limits = Limits(), isolation_mode: str | None = None):
        self.cells = list(cells)
        self.harness = harness
        self.limits = limits
        self.mode = isolation_mode or isolation.detect()[0]
        self.messages: list[str] = []
        self.names: list[str] = []
        self._skip: set[int] = set()
        self._hung: set[str] = set()
        self.part: str | None = None  # the graded part being checked, set by the suite plugin
        self._proc: subprocess.Popen | None = None
        self._next_id = 0
        self._loaded_once = False

    # ------------------------------------------------------------------ lifecycle
    def _spawn(self) -> None:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        inside = isolation.SANDBOX_CODE if self.mode == isolation.BUBBLEWRAP else str(isolation.INSIDE)
        python = isolation.python_executable()
        command = [python, "-I", "-S", "-B", f"{inside}/worker.py", str(to_child_r), str(from_child_w),
                   *isolation.site_dirs()]
        env = isolation.worker_env()
        if self.mode == isolation.BUBBLEWRAP:
            command = isolation.bwrap_prefix() + [a for kv in env.items() for a in ("--setenv", *kv)] + command
        self._proc = subprocess.Popen(
            command, stdin=DEVNULL, stdout=DEVNULL, stderr=DEVNULL, pass_fds=(to_child_r, from_child_w),
            preexec_fn=self.limits.apply, start_new_session=True, env=env,
            cwd="/tmp")
        os.close(to_child_r)
        os.close(from_child_w)
        self._to_child = os.fdopen(to_child_w, "wb")
        self._from_child = from_child_r

    def _load(self) -> None:
        """Start a worker and run the cells, skipping any that crashed or hung before."""
        first_time = not self._loaded_once
        self._loaded_once = True
        while True:
            self._spawn()
            self._send({"cells": self.cells, "skip": sorted(self._skip), "harness": self.harness})
            current = None
            try:
                while True:
                    # Starting Python and numpy is the grader's cost, not the student's: not timed as theirs.
                    message = self._receive(self.limits.timeout if current is not None else STARTUP_SECONDS)
                    event = message.get("event")
                    if event == "cell":
                        current = message["index"]
                    elif event == "cell_error":
                        if first_time:
                            self.messages.append(f"cell {message['index']} raised {message['error']}")
                    elif event == "ready":
                        self.names = list(message["names"])
                        return
                    else:
                        raise wire.WireError(f"unexpected message while loading: {event!r}")
            except StudentFault as fault:
                self._kill()
                if current is None:  # the worker itself could not start: nothing to skip
                    raise StudentFault(f"the submission could not be loaded: {fault}", kind="crash") from None
                self._skip.add(current)
                self.messages.append(f"cell {current} {fault} while the notebook was loading; "
                                     "it was skipped")

    def close(self) -> None:
        self._kill()

    def _kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        proc.wait()
        for closer in (self._to_child.close, lambda: os.close(self._from_child)):
            try:
                closer()
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
        if self._proc is None:
            self._load()
        self._next_id += 1
        try:
            self._send({"id": self._next_id, "fn": fn, "harness": harness, "args": list(args),
                        "kwargs": kwargs})
            reply = self._receive(self.limits.timeout)
        except StudentFault as fault:
            self._kill()
            if fault.kind == "timeout":
                self._hung.add(label)
            raise StudentFault(f"{label} {fault}", kind=fault.kind) from None
        if reply.get("id") != self._next_id:
            self._kill()
            raise StudentFault(f"{fn}: the sandbox answered out of turn", kind="protocol")
        if not reply.get("ok"):
            kind = ("missing" if reply.get("missing") else
                    "not_implemented" if reply.get("not_implemented") else "exception")
            error = str(reply.get("error", "unknown error"))
            text = error if kind == "missing" else f"{'your code' if harness else fn} raised {error}"
            raise StudentFault(text, kind=kind)
        return reply.get("value"), list(reply.get("mutated", []))

    # ------------------------------------------------------------------ channel
    def _send(self, message) -> None:
        try:
            wire.write_message(self._to_child, message)
        except (BrokenPipeError, OSError):
            raise StudentFault(self._death(), kind="crash") from None

    def _receive(self, timeout: float):
        deadline = time.monotonic() + timeout
        header = self._read(8, deadline)
        (size,) = struct.unpack(">Q", header)
        if size > wire.MAX_MESSAGE:
            raise StudentFault(f"returned {size / 2**20:.0f} MiB of data (limit "
                               f"{wire.MAX_MESSAGE / 2**20:.0f} MiB)", kind="protocol")
        try:
            return wire.decode(self._read(size, deadline))
        except wire.WireError as err:
            raise StudentFault(f"sent something that is not plain data ({err})", kind="protocol") from None

    def _read(self, size: int, deadline: float) -> bytes:
        chunks, left = [], size
        while left:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([self._from_child], [], [], max(remaining, 0))
            if not ready:
                raise StudentFault(f"did not finish within {self.limits.timeout:g} s", kind="timeout")
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

