"""Student releases, made by nbgrader itself from the solution notebooks (the single source).

    nablab release             # writes assignments/<name>/<name>.ipynb for every assignment
    nablab release --check     # exits 1 if a committed release differs from what nbgrader makes now

A temporary nbgrader course (``nbgrader_config.py`` + ``source/``) is built from ``solutions/`` and
``nbgrader generate_assignment`` runs in it; the hidden suites never enter the course directory.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .reference import ROOT, SOLUTIONS

ASSIGNMENTS = ROOT / "assignments"
COURSE_CONFIG = """c = get_config()
c.CourseDirectory.course_id = "nablab"
c.CourseDirectory.root = {root!r}
"""


def released_assignments() -> list[str]:
    return sorted(p.name for p in SOLUTIONS.iterdir() if (p / f"{p.name}.ipynb").is_file())


def make_course(root: Path, assignments: list[str]) -> Path:
    """An nbgrader course directory with each assignment's source notebook."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text(COURSE_CONFIG.format(root=str(root)))
    for name in assignments:
        target = root / "source" / name
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(SOLUTIONS / name / f"{name}.ipynb", target / f"{name}.ipynb")
    return root


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the nbgrader command line in ``course`` (its helpers, e.g. alembic, come from our venv)."""
    bin_dir = str(Path(sys.executable).parent)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(course), "PYTHONUNBUFFERED": "1"}
    done = subprocess.run([f"{bin_dir}/nbgrader", *args], cwd=course, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return done


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
