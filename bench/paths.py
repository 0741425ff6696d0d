"""The grading paths, each run on the same notebooks with the same time limit per call and per cell.

* ``nablab``: the ``nablab grade`` command line as an instructor runs it (default isolation, ``--jobs``
  = cores), once per assignment;
* ``nbgrader``: ``nbgrader autograde`` as nbgrader runs it by default: its ``Execute`` preprocessor runs
  each notebook, test cells included, in a Jupyter kernel (``Execute.timeout`` per cell);
* ``nbgrader_nablab``: ``nbgrader autograde`` in a course configured by ``autograder.nbgrader_bridge``:
  nbgrader's workflow with our sandbox and hidden suite in place of its kernel;
* ``inprocess``: the hidden suite against the functions called directly (``bench.inprocess``), with the
  same ``--jobs``.

Every path grades the well-behaved students and the rest as two batches; the whole class costs the sum.
Scores come back as ``{student: {part: score}}`` from each path's own output (results JSON, gradebook).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path

from autograder import results as result_files
from autograder.nbgrader_bridge.course import make_course
from autograder.nbgrader_bridge.flow import gradebook_scores
from autograder.grading import suite_version
from autograder.reference import notebook_path

from . import inprocess
from .memory import TreeMemory
from .synth import Student

BIN = Path(sys.executable).parent
NATIVE_CONFIG = """# Written by nablab's benchmark: nbgrader as it is out of the box, its own kernel runs every cell.
c = get_config()
c.CourseDirectory.course_id = "bench"
c.CourseDirectory.root = {root!r}
c.CourseDirectory.db_url = {db_url!r}
c.Execute.timeout = {timeout!r}
"""
PATHS = {"nablab": "nablab grade", "nbgrader": "nbgrader autograde (own kernel)",
         "nbgrader_nablab": "nbgrader autograde + nablab", "inprocess": "in-process limit"}


@dataclass
class PathRun:
    key: str
    seconds: dict[str, float] = field(default_factory=dict)        # batch ("well-behaved", "rest") -> wall s
    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    memory: dict[str, float] = field(default_factory=dict)          # nablab only: the largest peaks seen
    errors: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return PATHS[self.key]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self), indent=1))


def batches(students: list[Student]) -> dict[str, list[Student]]:
    return {"well-behaved": [s for s in students if s.well_behaved],
            "rest": [s for s in students if not s.well_behaved]}


def by_assignment(students: list[Student]) -> dict[str, list[Student]]:
    groups: dict[str, list[Student]] = {}
    for s in students:
        groups.setdefault(s.assignment, []).append(s)
    return groups


def notebook(folder: Path, s: Student) -> Path:
    return folder / s.assignment / f"{s.id}.ipynb"


def _watch(proc: subprocess.Popen, count, advance, total: int) -> None:
    """Wait for ``proc``, moving the progress bar as ``count()`` grows."""
    done = 0
    while proc.poll() is None:
        now = min(count(), total)
        if now > done:
            advance(now - done)
            done = now
        time.sleep(0.2)
    advance(total - done)


# --------------------------------------------------------------------------------------- nablab grade

def run_nablab(folder: Path, students: list[Student], work: Path, *, jobs: int, timeout: float,
               advance=lambda n: None) -> PathRun:
    run = PathRun("nablab")
    for batch, members in batches(students).items():
        run.seconds[batch] = 0.0
        for assignment, group in by_assignment(members).items():
            out = work / "nablab" / batch / assignment
            seconds, peaks, code = grade_with_cli(assignment, [notebook(folder, s) for s in group], out,
                                                  jobs=jobs, timeout=timeout, advance=advance)
            run.seconds[batch] += seconds
            for key, value in peaks.items():
                run.memory[key] = max(run.memory.get(key, 0), value)
            if code != 0:
                run.errors.append(f"nablab grade {assignment} ({batch}) exited {code}: see {out / 'nablab.log'}")
            for s in group:
                file = out / "results" / f"{s.id}.json"
                if file.is_file():
                    result = result_files.load(file)
                    run.scores[s.id] = {p: got for p, (got, _) in result.parts().items()}
    return run


def grade_with_cli(assignment: str, paths: list[Path], out: Path, *, jobs: int, timeout: float,
                   advance=lambda n: None) -> tuple[float, dict[str, float], int]:
    """``nablab grade`` on one batch of one assignment: (wall seconds, memory peaks, exit code)."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    command = [str(BIN / "nablab"), "grade", assignment, *map(str, paths), "--out", str(out),
               "--jobs", str(jobs), "--timeout", f"{timeout:g}", "--regrade"]
    started = time.monotonic()
    with open(out / "nablab.log", "w") as sink:
        proc = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
        with TreeMemory(proc.pid) as memory:
            _watch(proc, lambda: len(list((out / "results").glob("*.json"))), advance, len(paths))
    return time.monotonic() - started, memory.peaks(), proc.returncode


# --------------------------------------------------------------------------------------- nbgrader

def prepare_courses(work: Path, assignments: list[str], *, timeout: float, step=lambda text: None) -> dict[str, Path]:
    """Two nbgrader courses with the assignments released: ``nbgrader_nablab`` configured by our
    bridge, ``nbgrader`` a copy of it with nbgrader's own configuration (same release, same gradebook
    schema; generate_assignment does not depend on the autograde preprocessors)."""
    bridged = (work / "nbgrader_nablab").resolve()
    native = (work / "nbgrader").resolve()
    for root in (bridged, native):
        shutil.rmtree(root, ignore_errors=True)
    make_course(bridged, assignments, timeout=timeout)
    for assignment in assignments:
        step(f"nbgrader generate_assignment {assignment}")
        _nbgrader(bridged, "generate_assignment", assignment, "--force", log=work / "logs", check=True)
    shutil.copytree(bridged, native)
    (native / "nbgrader_config.py").write_text(NATIVE_CONFIG.format(
        root=str(native), db_url=f"sqlite:///{native / 'gradebook.db'}", timeout=int(round(timeout))))
    return {"nbgrader_nablab": bridged, "nbgrader": native}


def run_nbgrader(key: str, course: Path, folder: Path, students: list[Student], work: Path, *,
                 advance=lambda n: None, step=lambda text: None) -> PathRun:
    """``nbgrader autograde`` per batch and assignment, with only that batch in ``submitted/``;
    only autograde is timed (releasing and collecting hand-ins are the instructor's other steps)."""
    run = PathRun(key)
    db_url = f"sqlite:///{course / 'gradebook.db'}"
    for batch, members in batches(students).items():
        run.seconds[batch] = 0.0
        for assignment, group in by_assignment(members).items():
            shutil.rmtree(course / "submitted", ignore_errors=True)
            for s in group:
                target = course / "submitted" / s.id / assignment / f"{assignment}.ipynb"
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(notebook(folder, s), target)
            step(f"{PATHS[key]}: {assignment}, {batch} ({len(group)} notebooks)")
            graded = course / "autograded"
            started = time.monotonic()
            proc = _nbgrader(course, "autograde", assignment, "--create", "--force", log=work / "logs",
                             wait=False, name=f"{key}-{batch}-{assignment}")
            _watch(proc, lambda: sum(1 for s in group if (graded / s.id / assignment).is_dir()), advance, len(group))
            run.seconds[batch] += time.monotonic() - started
            for s in group:
                run.scores[s.id] = gradebook_scores(db_url, assignment, s.id)
    return run


def _nbgrader(course: Path, *args: str, log: Path, check: bool = False, wait: bool = True, name: str = ""):
    """nbgrader in ``course`` with our venv's tools on PATH (as ``nbgrader_bridge.course.nbgrader``),
    its output kept in ``log/``."""
    env = {"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(course), "PYTHONUNBUFFERED": "1"}
    log.mkdir(parents=True, exist_ok=True)
    with open(log / f"nbgrader-{name or args[0]}.log", "a") as sink:
        proc = subprocess.Popen([str(BIN / "nbgrader"), *args], cwd=course, env=env, stdout=sink,
                                stderr=subprocess.STDOUT)
    if not wait:
        return proc
    proc.wait()
    if check and proc.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed; see {log}")
    return proc


# --------------------------------------------------------------------------------------- in-process

def run_inprocess(folder: Path, students: list[Student], *, jobs: int, timeout: float,
                  advance=lambda n: None) -> PathRun:
    run = PathRun("inprocess")
    for assignment in sorted({s.assignment for s in students}):  # warm: suite, reference, mistakes
        try:
            inprocess.grade(assignment, notebook_path(assignment), timeout=timeout)
        except Exception as err:  # noqa: BLE001 - e.g. a suite being edited: reported per student below
            run.errors.append(f"warming {assignment}: {type(err).__name__}: {str(err)[:200]}")
    for batch, members in batches(students).items():
        started = time.monotonic()
        with ProcessPoolExecutor(jobs, mp_context=get_context("fork")) as pool:
            futures = {pool.submit(inprocess.grade, s.assignment, notebook(folder, s), timeout=timeout): s
                       for s in members}
            for future in as_completed(futures):
                s = futures[future]
                try:
                    run.scores[s.id] = future.result().parts
                except Exception as err:  # noqa: BLE001 - reported, not fatal
                    run.errors.append(f"{s.id}: {type(err).__name__}: {err}"[:300])
                advance(1)
        run.seconds[batch] = time.monotonic() - started
    return run


def suite_versions(assignments: list[str]) -> dict[str, str]:
    """The hash of each suite (its tests, mistakes, harness and reference) as it is on disk now."""
    return {a: suite_version.__wrapped__(a) for a in assignments}


def cores() -> int:
    return len(os.sched_getaffinity(0))
