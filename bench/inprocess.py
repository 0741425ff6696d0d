"""The in-process limit: the hidden suite against the student's functions called directly.

No sandbox process, no bubblewrap, no pipe: the cells run in a dict in this process and the suite calls
into it. This is what grading would cost with isolation free, so it is the floor the sandboxed path is
measured against. To give the same scores it keeps the sandbox's rules that change scores (and
only those): the same wall-clock limit per cell and per call (here by SIGALRM), a part that timed out
is not called again, a missing name is "missing", and values cross as the wire's plain data (a
sympy result arrives as ``srepr`` text, arrays as copies, mutated array arguments are reported).

For the benchmark only: student code here could change anything in the grader.
"""
from __future__ import annotations

import signal
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from autograder import submission as submissions
from autograder.grading import run_suite, suite_path
from autograder.sandbox import StudentFault
from autograder.sandbox.inprocess import InProcess
from autograder.sandbox.inside import wire
from autograder.sandbox.isolation import INSIDE


class _CallTimeout(BaseException):
    """Raised by the alarm; a BaseException so that the student's ``except Exception`` cannot eat it."""


@contextmanager
def time_limit(seconds: float):
    def ring(signum, frame):
        raise _CallTimeout()
    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Namespace(dict):
    """As the worker's: a harness asking for an undefined function gets "missing", not a KeyError."""

    def __missing__(self, name):
        raise _Missing(name)


class _Missing(KeyError):
    pass


def _plain(value):
    """The value as the other side of the wire would see it."""
    return wire.decode(wire.encode(value, max_items=None), max_items=None)


class TimedInProcess(InProcess):
    def __init__(self, namespace: dict, *, harness: str | None, timeout: float):
        super().__init__(namespace, harness=harness)
        self.timeout = timeout
        self._hung: set[str] = set()

    def call_checked(self, fn: str, *args, harness: bool = False, **kwargs):
        label = self.part or fn
        if label in self._hung:
            raise StudentFault(f"{label} timed out on an earlier check; not called again", kind="timeout")
        args, kwargs = list(_plain(list(args))), _plain(kwargs)
        if harness:
            target, call_args = getattr(self.harness, fn), [self.namespace] + args
        else:
            target, call_args = self.namespace.get(fn), args
            if not callable(target):
                raise StudentFault(f"{fn} is not defined in the submission", kind="missing")
        before = [a.copy() if isinstance(a, np.ndarray) else None for a in call_args]
        try:
            with time_limit(self.timeout), np.errstate(all="ignore"):
                value = target(*call_args, **kwargs)
        except _CallTimeout:
            self._hung.add(label)
            raise StudentFault(f"{label} did not finish within {self.timeout:g} s", kind="timeout") from None
        except _Missing as err:
            raise StudentFault(f"{err.args[0]} is not defined in the submission", kind="missing") from None
        except NotImplementedError as err:
            raise StudentFault(f"{fn} raised NotImplementedError: {err}", kind="not_implemented") from None
        except BaseException as err:  # noqa: BLE001 - whatever the student raised
            raise StudentFault(f"{fn} raised {type(err).__name__}: {err}", kind="exception",
                               error_type=type(err).__name__) from None
        mutated = [i for i, (a, b) in enumerate(zip(call_args, before))
                   if b is not None and not np.array_equal(a, b, equal_nan=True)]
        if harness:
            mutated = [i - 1 for i in mutated if i > 0]
        try:
            return _plain(value), mutated
        except Exception as err:  # noqa: BLE001 - as the worker: a value that cannot be sent
            raise StudentFault(f"the return value cannot be sent to the grader: {err}", kind="exception") from None


@dataclass(frozen=True)
class Graded:
    student: str
    parts: dict[str, float]
    seconds: float


def grade(assignment: str, path: Path, *, timeout: float) -> Graded:
    """Load the notebook's cells, run them here (each under the time limit), run the hidden suite."""
    started = time.monotonic()
    student = submissions.student_id(path)
    try:
        cells = submissions.load(path).cells
    except (submissions.SubmissionError, OSError):
        cells = None
    if cells is None:
        return Graded(student, {}, time.monotonic() - started)  # unreadable: zero everywhere
    namespace = Namespace(__name__="__main__", __builtins__=__builtins__)
    for index, source in enumerate(cells):
        try:
            with time_limit(timeout):
                exec(compile(source, f"<cell {index}>", "exec"), namespace)
        except BaseException:  # noqa: BLE001 - a failing or hanging cell is skipped, as in the sandbox
            continue
    harness = assignment if (INSIDE / "harness" / f"{assignment}.py").is_file() else None
    plugin = run_suite(suite_path(assignment), TimedInProcess(namespace, harness=harness, timeout=timeout))
    parts: dict[str, float] = {}
    for check in plugin.results:
        parts[check.part] = parts.get(check.part, 0.0) + check.score
    return Graded(student, parts, time.monotonic() - started)
