"""The pytest plugin that runs a hidden suite against one sandboxed submission and collects scores.

Suites use two things from here: the ``@points(n, "part: what")`` decorator and the ``student``
fixture (a :class:`StudentProxy`). Outcomes become :class:`~autograder.results.CheckResult`
objects; the student's faults and our :class:`~autograder.checks.diagnosis.Mismatch` become their
feedback text.
"""
from __future__ import annotations

import re

import pytest

from ..checks.diagnosis import Mismatch
from ..results import CheckResult
from ..sandbox import Sandbox, StudentFault

MARK = "nablab_points"


def points(value: float, name: str):
    """Give a test its points and its name; the name starts with the part it grades: "adam: ..."."""
    part, sep, what = name.partition(":")
    if not sep or not part.strip() or not what.strip():
        raise ValueError(f"test name {name!r} must read '<function>: <what is checked>'")
    return getattr(pytest.mark, MARK)(value, name, part.strip())


class StudentProxy:
    """``student.adam(...)`` calls ``adam`` in the sandbox; ``student.harness(name, ...)`` a harness helper."""

    def __init__(self, sandbox: Sandbox):
        self._sandbox = sandbox

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args, **kwargs: self._sandbox.call(name, *args, **kwargs)

    def harness(self, name: str, *args, **kwargs):
        return self._sandbox.call(name, *args, harness=True, **kwargs)

    def mutated(self, name: str, *args, **kwargs) -> tuple[object, list[int]]:
        """``(value, positions of array arguments the call modified in place)``."""
        return self._sandbox.call_checked(name, *args, **kwargs)


class GradingPlugin:
    def __init__(self, sandbox: Sandbox):
        self.sandbox = sandbox
        self.results: list[CheckResult] = []
        self.suite_errors: list[str] = []

    @pytest.fixture
    def student(self) -> StudentProxy:
        return StudentProxy(self.sandbox)

    def pytest_configure(self, config):
        config.addinivalue_line("markers", f"{MARK}(points, name, part): points and name of a hidden check")

    def pytest_collection_modifyitems(self, items):
        for item in items:
            if item.get_closest_marker(MARK) is None:
                raise pytest.UsageError(f"{item.nodeid} has no @points(...): every hidden test needs points")

    def pytest_collectreport(self, report):
        if report.failed:
            self.suite_errors.append(f"{report.nodeid}: {report.longreprtext[-2000:]}")

    def pytest_runtest_setup(self, item):
        self.sandbox.part = item.get_closest_marker(MARK).args[2]

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        if report.when == "call" or (report.when == "setup" and not report.passed):
            value, name, part = item.get_closest_marker(MARK).args
            passed = report.passed
            error = call.excinfo.value if call.excinfo else None
            self.results.append(CheckResult(
                name=name, part=part, score=float(value) if passed else 0.0, max_score=float(value),
                output="" if passed else feedback_text(error, report, part),
                diagnosis=getattr(error, "diagnosis", None) or _fault_diagnosis(error),
                series=getattr(error, "series", None)))


def feedback_text(error: BaseException | None, report, part: str) -> str:
    if isinstance(error, StudentFault):
        if error.kind == "not_implemented":  # name the stub that raised, which may be another part's
            frames = re.findall(r", in (\w+):", str(error))
            stub = frames[-1] if frames and frames[-1] != "<module>" else part
            return f"not implemented yet: {stub} raises NotImplementedError"
        return str(error)
    if isinstance(error, Mismatch):
        return str(error)
    if isinstance(error, AssertionError):
        return str(error).split("\nassert ")[0] or "a check failed"
    if error is None:
        return report.longreprtext[-1000:]
    return f"could not check your answer: {type(error).__name__}: {error}"[:2000]


def _fault_diagnosis(error) -> str | None:
    return error.kind if isinstance(error, StudentFault) else None
