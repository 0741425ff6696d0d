"""Grade one submission: read it, run it in the sandbox, run the hidden suite against it.

    result = grade_submission("optimizers", Path("alice.ipynb"), limits=Limits(timeout=10))

A submission that cannot be read still goes through the suite, against a sandbox that faults on
every call, so its result lists every check with zero points and the reason.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import time
from functools import cache
from pathlib import Path

import pytest

from . import submission as submissions
from .results import SubmissionResult
from .sandbox import Limits, Sandbox, StudentFault, detect_isolation
from .sandbox.isolation import INSIDE
from .suites.plugin import GradingPlugin

SUITES = Path(__file__).resolve().parent / "suites"


class GraderError(Exception):
    """The grading set-up itself is wrong (unknown assignment, broken suite): stops the batch."""


def assignments() -> list[str]:
    return sorted(p.name for p in SUITES.iterdir() if (p / f"test_{p.name}.py").is_file())


def suite_path(assignment: str) -> Path:
    path = SUITES / assignment / f"test_{assignment}.py"
    if not path.is_file():
        raise GraderError(f"unknown assignment {assignment!r}; known: {', '.join(assignments())}")
    return path


@cache
def suite_version(assignment: str) -> str:
    """A hash of the suite, its mistakes, its harness and the reference: results older than it are regraded."""
    from .reference import notebook_path
    digest = hashlib.sha256()
    files = sorted((SUITES / assignment).glob("*.py")) + [INSIDE / "harness" / f"{assignment}.py",
                                                        notebook_path(assignment)]
    for file in files:
        if file.is_file():
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


class _Unreadable:
    """Stands in for the sandbox of a submission that could not be read."""

    def __init__(self, reason: str):
        self.reason = reason
        self.part = None

    def call(self, fn, *args, **kwargs):
        raise StudentFault(f"not graded: {self.reason}", kind="unreadable")

    call_checked = call

    def close(self):
        pass


def grade_submission(assignment: str, path: Path, *, limits: Limits = Limits(),
                     student: str | None = None) -> SubmissionResult:
    """Grade a hand-in file or folder (see :mod:`autograder.submission`); ``student`` overrides the
    id taken from the path (nbgrader's layout keeps the id in a parent folder)."""
    student = student or submissions.student_id(path)
    try:
        sub = submissions.load(path)
    except (submissions.SubmissionError, OSError) as err:
        return grade_cells(assignment, student, None, unreadable=str(err), limits=limits)
    return grade_cells(assignment, student, list(sub.cells), fingerprint=sub.fingerprint, limits=limits,
                       notes=list(sub.notes))


def grade_cells(assignment: str, student: str, cells: list[str] | None, *, limits: Limits = Limits(),
                fingerprint: str = "", unreadable: str = "", notes: list[str] = ()) -> SubmissionResult:
    """Run ``cells`` in a sandbox and the hidden suite against them. ``cells=None`` with the reason
    in ``unreadable`` scores every check zero with that reason; ``notes`` (from reading the
    submission) come first among the result's messages."""
    started = time.monotonic()
    suite = suite_path(assignment)
    mode, reason = detect_isolation()
    if cells is None:
        box = _Unreadable(unreadable)
    else:
        harness = assignment if (INSIDE / "harness" / f"{assignment}.py").is_file() else None
        box = Sandbox(cells, harness=harness, limits=limits, isolation_mode=mode)
    try:
        plugin = run_suite(suite, box)
    finally:
        box.close()
    messages = ([unreadable] if unreadable else []) + list(notes) + list(getattr(box, "messages", []))
    return SubmissionResult(student=student, assignment=assignment, checks=plugin.results,
                            isolation=mode if not reason else f"{mode} ({reason})", messages=messages,
                            fingerprint=f"{fingerprint}:{suite_version(assignment)}" if fingerprint else "",
                            seconds=time.monotonic() - started)


def run_suite(suite: Path, box) -> GradingPlugin:
    plugin = GradingPlugin(box)
    # unraisableexception/threadexception would gc.collect() the whole grader heap after every run;
    # pytest's own traceback styles re-read and re-parse the suite's source for every failed check
    # (half the time of grading a buggy student), and the feedback comes from the exception anyway.
    args = [str(suite), "-q", "--tb=native", "-p", "no:cacheprovider", "-p", "no:hypothesispytest",
            "-p", "no:randomly", "-p", "no:unraisableexception", "-p", "no:threadexception",
            "--rootdir", str(suite.parent), "-c", str(SUITES / "pytest.ini"), "-W", "ignore::DeprecationWarning"]
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        code = pytest.main(args, plugins=[plugin])
    if plugin.suite_errors or code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED) \
            or not plugin.results:
        raise GraderError(f"the hidden suite {suite.name} did not run (pytest exit {code}):\n"
                          + "\n".join(plugin.suite_errors) + sink.getvalue()[-3000:])
    return plugin
