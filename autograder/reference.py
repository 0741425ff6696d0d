"""The reference implementation of an assignment, taken from its nbgrader source notebook.

``solutions/<assignment>/<assignment>.ipynb`` is the single source: the suites compute expected
values by running its setup and solution cells here, in the grader (trusted code).
"""
from __future__ import annotations

import functools
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"


def notebook_path(assignment: str) -> Path:
    return SOLUTIONS / assignment / f"{assignment}.ipynb"


@functools.cache
def load(assignment: str) -> dict:
    """The namespace of the solution's setup and solution cells (demo and test cells are not run)."""
    path = notebook_path(assignment)
    nb = nbformat.read(path, as_version=4)
    namespace: dict = {"__name__": f"reference_{assignment}"}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and (meta.get("solution") or meta.get("grade_id") == "setup"):
            exec(compile(cell.source, f"{path.name}:{meta.get('grade_id')}", "exec"), namespace)
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
