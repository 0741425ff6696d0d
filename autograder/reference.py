"""The reference implementation of an assignment, taken from its nbgrader source notebook.

``solutions/<assignment>/<assignment>.ipynb`` is the single source: the suites compute expected
values by running it here, in the grader (trusted code), cell by cell as a submission is run.
"""
from __future__ import annotations

import functools
from pathlib import Path

import nbformat

from .submission import code_cells

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"


def notebook_path(assignment: str) -> Path:
    return SOLUTIONS / assignment / f"{assignment}.ipynb"


@functools.cache
def load(assignment: str) -> dict:
    """The namespace of the solution notebook run as a submission would be: every code cell except
    the test cells and the ``demo`` ones (so locked cells that give code are included)."""
    path = notebook_path(assignment)
    namespace: dict = {"__name__": f"reference_{assignment}"}
    for index, source in enumerate(code_cells(nbformat.read(path, as_version=4))):
        exec(compile(source, f"{path.name}:cell {index}", "exec"), namespace)
    return namespace


def part_points(assignment: str) -> dict[str, float]:
    """Points of each graded part, from the notebook's ``<part>_tests`` cells."""
    nb = nbformat.read(notebook_path(assignment), as_version=4)
    points = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution") and meta["grade_id"].endswith("_tests"):
            points[meta["grade_id"].removesuffix("_tests")] = float(meta["points"])
    return points
