"""An nbgrader course directory built from ``solutions/``, configured to grade with our suites."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from ..reference import SOLUTIONS

CONFIG = """# Written by nablab: nbgrader with nablab's sandboxed grading in place of its Execute step.
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, IgnorePattern,
                                    LimitOutput, SaveAutoGrades)

from autograder.nbgrader_bridge.preprocessor import NablabAutograde

c = get_config()
c.CourseDirectory.course_id = "nablab"
c.CourseDirectory.root = {root!r}
c.CourseDirectory.db_url = {db_url!r}
{autograde}c.OverwriteCells.add_missing_cells = True   # a deleted test cell comes back, and is graded
c.NablabAutograde.timeout = {timeout!r}
"""
OURS = """c.Autograde.autograde_preprocessors = [NablabAutograde, IgnorePattern, ClearMetadataPreprocessor,
                                       LimitOutput, SaveAutoGrades, AssignLatePenalties,
                                       CheckCellMetadata]
"""
STOCK = "# kernel=True: nbgrader's own Execute runs the test cells in the student's kernel (comparison only)\n"


def make_course(root: Path, assignments: list[str], *, db_url: str | None = None,
                timeout: float = 10.0, kernel: bool = False) -> Path:
    """``root`` with ``nbgrader_config.py`` and ``source/<name>/<name>.ipynb`` for each assignment.
    ``db_url`` is any database URL nbgrader accepts (default: SQLite ``gradebook.db`` in ``root``).
    ``kernel=True`` keeps nbgrader's stock autograde, which runs the test cells in the student's own
    Jupyter kernel: student code can beat it, so it exists only to show that ours cannot be beaten."""
    root = Path(root).resolve()
    root.mkdir(parents=True, exist_ok=True)
    url = db_url or f"sqlite:///{root / 'gradebook.db'}"
    config = CONFIG.format(root=str(root), db_url=url, timeout=timeout, autograde=STOCK if kernel else OURS)
    (root / "nbgrader_config.py").write_text(config)
    for name in assignments:
        target = root / "source" / name
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(SOLUTIONS / name / f"{name}.ipynb", target / f"{name}.ipynb")
    return root


def nbgrader(course: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run the nbgrader command line in ``course`` with our venv's tools on PATH. ``check=False``
    for batch steps where nbgrader exits 1 after reporting one student's unreadable notebook."""
    bin_dir = str(Path(sys.executable).parent)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(course), "PYTHONUNBUFFERED": "1"}
    done = subprocess.run([f"{bin_dir}/nbgrader", *args], cwd=course, env=env, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return done
