"""Student releases, made by nbgrader itself from the solution notebooks (the single source).

    nablab release             # writes assignments/<name>/<name>.ipynb for every assignment
    nablab release --check     # exits 1 if a committed release differs from what nbgrader makes now

A temporary nbgrader course (``nbgrader_config.py`` + ``source/``) is built from ``solutions/`` and
``nbgrader generate_assignment`` runs in it; the hidden suites never enter the course directory.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .nbgrader_bridge.course import make_course, nbgrader
from .reference import ROOT, SOLUTIONS

ASSIGNMENTS = ROOT / "assignments"


def released_assignments() -> list[str]:
    return sorted(p.name for p in SOLUTIONS.iterdir() if (p / f"{p.name}.ipynb").is_file())


def generate(assignments: list[str], into: Path) -> list[Path]:
    """nbgrader's release of each assignment, copied to ``into/<name>/<name>.ipynb``."""
    written = []
    with tempfile.TemporaryDirectory(prefix="nablab-course-") as tmp:
        course = make_course(Path(tmp), assignments)
        for name in assignments:
            nbgrader(course, "generate_assignment", name, "--force")
            target = into / name / f"{name}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(course / "release" / name / f"{name}.ipynb", target)
            written.append(target)
    return written


def stale(assignments: list[str]) -> list[str]:
    """Assignments whose committed release differs from a fresh nbgrader release."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = generate(assignments, Path(tmp))
        return [p.parent.name for p in fresh
                if not (ASSIGNMENTS / p.parent.name / p.name).is_file()
                or (ASSIGNMENTS / p.parent.name / p.name).read_bytes() != p.read_bytes()]
