"""The whole nbgrader workflow on a class, next to ``nablab grade`` on the same notebooks.

generate_assignment → copy hand-ins to ``submitted/`` → autograde → generate_feedback → export, then
``nablab grade`` on the same submitted files; per student and part, both scores side by side.
nbgrader handles notebooks only, so ``.py`` hand-ins are left out of this comparison.

``nablab nbgrader-demo --json`` prints the rows as ``{"students": {id: {"nbgrader": total, "nablab":
total, "parts": {part: {"nbgrader": x, "nablab": y}}}}}`` where ``id`` is ``"<assignment>/<student>"``:
one course holds every assignment, and the example class repeats names (``reference``, ``untouched``)
across assignments. A part nbgrader has no grade for (its gradebook lacks the notebook) is ``null``.
"""
from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from ..batch import grade_class
from ..sandbox import Limits
from ..submission import student_id
from .course import make_course, nbgrader


@dataclass
class StudentScores:
    assignment: str
    student: str
    nbgrader: dict[str, float] = field(default_factory=dict)   # part -> score in nbgrader's gradebook
    nablab: dict[str, float] = field(default_factory=dict)     # part -> score from `nablab grade`
    nbgrader_error: bool = False                                # nbgrader reported an error for them

    @property
    def agree(self) -> bool:
        return self.nbgrader.keys() == self.nablab.keys() and all(
            abs(self.nbgrader[p] - self.nablab[p]) < 1e-9 for p in self.nablab)


def notebook_of(path: Path) -> Path | None:
    if path.suffix == ".ipynb":
        return path
    if path.is_dir():
        found = sorted(path.glob("*.ipynb"))
        return found[0] if len(found) == 1 else None
    return None


def run(course_root: Path, hand_ins: dict[str, list[Path]], *, timeout: float = 10.0, jobs: int = 1,
        db_url: str | None = None, step: Callable[[str], None] = lambda text: None) -> list[StudentScores]:
    """``hand_ins`` maps an assignment to its students' files; returns one row per (assignment, student)."""
    course = make_course(course_root, list(hand_ins), db_url=db_url, timeout=timeout)
    url = db_url or f"sqlite:///{course / 'gradebook.db'}"
    rows = []
    for assignment, paths in hand_ins.items():
        step(f"{assignment}: nbgrader generate_assignment")
        nbgrader(course, "generate_assignment", assignment, "--force")
        submitted = []
        for path in paths:
            notebook = notebook_of(path)
            if notebook is None:
                continue
            target = course / "submitted" / student_id(path) / assignment / f"{assignment}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(notebook, target)
            submitted.append(target.parent.parent)
        step(f"{assignment}: nbgrader autograde ({len(submitted)} notebooks)")
        done = nbgrader(course, "autograde", assignment, "--create", "--force", check=False)
        log = done.stdout + done.stderr
        step(f"{assignment}: nbgrader generate_feedback")
        nbgrader(course, "generate_feedback", assignment, "--force", check=False)
        step(f"{assignment}: nablab grade on the same notebooks")
        results = grade_class(assignment, [s / assignment / f"{assignment}.ipynb" for s in submitted],
                              course / "nablab" / assignment, jobs=jobs, limits=Limits(timeout=timeout),
                              regrade=True, ids=[s.name for s in submitted])
        for folder, result in zip(submitted, results):
            rows.append(StudentScores(assignment, folder.name,
                                      nbgrader=gradebook_scores(url, assignment, folder.name),
                                      nablab={p: s for p, (s, _) in result.parts().items()},
                                      nbgrader_error=f"for student '{folder.name}'" in log))
    step("nbgrader export")
    nbgrader(course, "export")
    return rows


def gradebook_scores(db_url: str, assignment: str, student: str) -> dict[str, float]:
    """part -> score of each autograded test cell, as nbgrader's gradebook holds it."""
    with Gradebook(db_url, "nablab") as gb:
        try:
            notebook = gb.find_submission_notebook(assignment, assignment, student)
        except MissingEntry:
            return {}
        return {g.name.removesuffix("_tests"): float(g.score) for g in notebook.grades}
