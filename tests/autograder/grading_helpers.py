"""Shared helpers of the grading tests: write small submissions, grade them with short limits."""
import os
from pathlib import Path

import nbformat

from autograder.sandbox import Limits

FAST = Limits(timeout=3.0)
ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_CLASS = ROOT / "autograder" / "example_class"


def notebook(cells, path: Path) -> Path:
    """A notebook of code cells (str, or (source, metadata)) written to ``path``."""
    nb = nbformat.v4.new_notebook()
    for cell in cells:
        source, metadata = (cell, {}) if isinstance(cell, str) else cell
        nb.cells.append(nbformat.v4.new_code_cell(source, metadata=metadata))
    nbformat.write(nb, path)
    return path


def running(marker: str) -> int:
    """Processes anywhere on this machine whose command line is ``sleep <marker>``: hostile test
    code starts them to find out whether anything it started outlives its sandbox."""
    count = 0
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as file:
                count += file.read().split(b"\0")[:2] == [b"sleep", marker.encode()]
        except OSError:
            continue
    return count


def run_part(suite, namespace: dict, part: str) -> list[tuple[str, str | None, str]]:
    """(test name, diagnosis or None if it passed, message) for every hidden test of ``part`` in the
    suite module, run in process against ``namespace`` (our own code only: reference, mistakes)."""
    from autograder.checks.diagnosis import Mismatch
    from autograder.sandbox import StudentFault
    from autograder.sandbox.inprocess import InProcess
    from autograder.suites.plugin import MARK, StudentProxy

    outcomes = []
    for name in sorted(dir(suite)):
        test = getattr(suite, name)
        marks = [m for m in getattr(test, "pytestmark", []) if m.name == MARK]
        if not name.startswith("test_") or not marks or marks[0].args[2] != part:
            continue
        try:
            test(StudentProxy(InProcess(namespace)))
            outcomes.append((name, None, ""))
        except (Mismatch, StudentFault) as err:
            outcomes.append((name, getattr(err, "diagnosis", None) or getattr(err, "kind", "failed"), str(err)))
    assert outcomes, f"no hidden test grades {part}"
    return outcomes
