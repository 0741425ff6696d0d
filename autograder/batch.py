"""Grade a whole class: submissions in parallel, each result written the moment it is done.

Results and feedback are written atomically, then `grades.csv` (after every student) and the
class overview `grades.png` (at the end), so an interrupted batch (Ctrl-C, a kill) keeps every
finished student, and running the same command again grades only what is missing or changed
(a result is reused when the submission's bytes and the suite are unchanged).
"""
from __future__ import annotations

import gc
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path

from . import reference
from . import results as store
from . import submission as submissions
from .feedback import write_feedback
from .gradebook import plot_grades, write_grades
from .grading import GraderError, grade_submission, suite_path, suite_version
from .results import SubmissionResult
from .sandbox import Limits, detect_isolation, die_with_parent


def grade_class(assignment: str, paths: list[Path], out: Path, *, jobs: int = 1,
                limits: Limits = Limits(), regrade: bool = False, ids: list[str] | None = None,
                on_result: Callable[[SubmissionResult, bool], None] = lambda r, reused: None
                ) -> list[SubmissionResult]:
    """Grade ``paths`` into ``out/results``, ``out/feedback`` and ``out/grades.csv``.

    ``ids`` names the students when the paths do not (default: file stem or folder name).
    ``on_result(result, reused)`` is called once per student as results arrive (for progress).
    """
    suite_path(assignment)  # unknown assignment: fail before anything is written
    by_student: dict[str, Path] = {}
    for i, path in enumerate(paths):
        student = ids[i] if ids else submissions.student_id(path)
        if student in by_student:
            raise GraderError(f"two submissions for student {student!r}: {by_student[student]} and {path}")
        by_student[student] = path
    detect_isolation()  # announce reduced isolation once, in the parent
    done: dict[str, SubmissionResult] = {}
    todo = []
    for student, path in by_student.items():
        previous = _reusable(out, assignment, student, path) if not regrade else None
        if previous is not None:
            done[student] = previous
            on_result(previous, True)
        else:
            todo.append((student, path))
    if todo:
        _warm_up(assignment)
    try:
        if jobs <= 1:
            for student, path in todo:
                _finish(grade_submission(assignment, path, limits=limits, student=student), out, done, on_result)
        else:
            with ProcessPoolExecutor(jobs, mp_context=get_context("fork"), initializer=_pool_worker) as pool:
                futures = [pool.submit(grade_submission, assignment, path, limits=limits, student=student)
                           for student, path in todo]
                try:
                    for future in as_completed(futures):
                        _finish(future.result(), out, done, on_result)
                except BaseException:
                    pool.shutdown(wait=False, cancel_futures=True)
                    raise
    finally:
        write_grades(list(done.values()), out / "grades.csv")
    plot_grades(list(done.values()), out / "grades.png")
    return [done[s] for s in by_student]


def _finish(result: SubmissionResult, out: Path, done: dict, on_result) -> None:
    store.save(result, out / "results" / f"{result.student}.json")
    write_feedback(result, out / "feedback")
    done[result.student] = result
    write_grades(list(done.values()), out / "grades.csv")  # a killed batch still leaves a gradebook
    on_result(result, False)


def _warm_up(assignment: str) -> None:
    """Load the reference once, before forking, then freeze the heap: pool workers share it, and
    the garbage collector (pytest runs a full collection after every suite) skips it."""
    reference.load(assignment)
    gc.collect()
    gc.freeze()


def _reusable(out: Path, assignment: str, student: str, path: Path) -> SubmissionResult | None:
    file = out / "results" / f"{student}.json"
    if not file.is_file():
        return None
    try:
        previous = store.load(file)
        current = f"{submissions.load(path).fingerprint}:{suite_version(assignment)}"
    except (submissions.SubmissionError, OSError, ValueError, KeyError, TypeError):
        return None  # unreadable submissions and damaged results are simply graded again
    if previous.assignment == assignment and previous.fingerprint == current:
        return previous
    return None


def _pool_worker() -> None:
    """Ctrl-C is the parent's to handle; a parent that is killed takes its workers with it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
