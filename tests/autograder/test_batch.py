"""A class batch: atomic results, resumable after an interruption, nothing regraded needlessly."""
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.batch import grade_class
from autograder.grading import GraderError
from autograder.sandbox import Limits
from grading_helpers import EXAMPLE_CLASS

CLASS = EXAMPLE_CLASS / "optimizers"
NABLAB = str(Path(sys.executable).parent / "nablab")


@pytest.fixture
def three(tmp_path):
    folder = tmp_path / "hand-ins"
    folder.mkdir()
    for name in ("reference.ipynb", "momentum_wrong_sign.ipynb", "broken.ipynb"):
        shutil.copy(CLASS / name, folder / name)
    return sorted(folder.iterdir())


def test_results_are_gradescope_json_with_the_isolation(three, tmp_path):
    out = tmp_path / "out"
    grade_class("optimizers", three, out, jobs=2, limits=Limits(timeout=3))
    data = json.loads((out / "results" / "reference.json").read_text())
    assert data["score"] == 18 and len(data["tests"]) == len(data["extra_data"]["checks"])
    assert {"name", "score", "max_score", "output"} <= set(data["tests"][0])
    assert data["extra_data"]["isolation"].split(" ")[0] in ("bubblewrap", "process")
    assert sorted(p.name for p in (out / "results").iterdir()) == \
        ["broken.json", "momentum_wrong_sign.json", "reference.json"]  # no temporary files left


def test_interrupted_batch_keeps_finished_results_and_resumes(three, tmp_path):
    out = tmp_path / "out"
    seen = []

    def interrupt_after_two(result, reused):
        seen.append(result.student)
        if len(seen) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        grade_class("optimizers", three, out, jobs=1, limits=Limits(timeout=3), on_result=interrupt_after_two)
    assert seen == ["broken", "momentum_wrong_sign"]
    assert sorted(p.stem for p in (out / "results").glob("*.json")) == seen
    assert (out / "grades.csv").read_text().count("\n") == 3  # header + the finished students

    events = []
    grade_class("optimizers", three, out, jobs=1, limits=Limits(timeout=3),
                on_result=lambda r, reused: events.append((r.student, reused)))
    # an unreadable hand-in is simply read again; a graded, unchanged one is kept
    assert sorted(events) == [("broken", False), ("momentum_wrong_sign", True), ("reference", False)]
    assert (out / "grades.csv").read_text().count("\n") == 4


def test_a_changed_submission_is_graded_again(three, tmp_path):
    out = tmp_path / "out"
    grade_class("optimizers", three, out, jobs=1, limits=Limits(timeout=3))
    shutil.copy(CLASS / "reference.ipynb", three[1])  # momentum_wrong_sign fixes the bug
    events = []
    results = grade_class("optimizers", three, out, jobs=1, limits=Limits(timeout=3),
                          on_result=lambda r, reused: events.append((r.student, reused)))
    assert ("momentum_wrong_sign", False) in events and ("reference", True) in events
    assert {r.student: r.score for r in results}["momentum_wrong_sign"] == 18


def test_two_submissions_of_one_student_stop_before_grading(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = tmp_path / "a" / "ann.py", tmp_path / "b" / "ann.ipynb"
    first.write_text("")
    second.write_text("")
    with pytest.raises(GraderError, match="two submissions for student 'ann'"):
        grade_class("optimizers", [first, second], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_grade_command_end_to_end(tmp_path):
    out = tmp_path / "out"
    missing = tmp_path / "ghost.ipynb"
    done = subprocess.run([NABLAB, "grade", "optimizers", str(CLASS / "clip_per_tensor.ipynb"), str(missing),
                           "--out", str(out), "--jobs", "2", "--timeout", "3"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "grades.csv" in done.stdout and "clip_per_tensor" in done.stdout
    grades = (out / "grades.csv").read_text()
    assert "clip_per_tensor," in grades and "ghost,0,0,0,0,0,0,0,0,0,0,18," in grades
    assert "does not exist" in (out / "feedback" / "ghost.md").read_text()
    assert "clipping per tensor" in (out / "feedback" / "clip_per_tensor.md").read_text()


def test_grade_command_refuses_an_unknown_assignment(tmp_path):
    done = subprocess.run([NABLAB, "grade", "calculus", str(CLASS / "reference.ipynb"), "--out", str(tmp_path)],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "'calculus' is not one of" in done.stderr


def _descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = Path(f"/proc/{parent}/task").iterdir()
            children = {int(c) for t in tasks for c in (t / "children").read_text().split()}
        except OSError:
            continue
        todo += children - found
        found |= children
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads the process tree from /proc")
def test_a_killed_parallel_batch_leaves_no_process_and_a_gradebook(tmp_path):
    """SIGKILL to `nablab grade --jobs 2` mid-batch: its pool workers and sandboxes die with it,
    grades.csv lists the students finished so far, and the same command then keeps them."""
    folder = tmp_path / "hand-ins"
    folder.mkdir()
    for name in ("reference.ipynb", "momentum_wrong_sign.ipynb", "endless_loop.ipynb", "two_bugs.ipynb"):
        shutil.copy(CLASS / name, folder / name)
    out = tmp_path / "out"
    command = [NABLAB, "grade", "optimizers", *map(str, sorted(folder.iterdir())), "--out", str(out),
               "--jobs", "2", "--timeout", "20"]
    grader = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while not (out / "grades.csv").is_file() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert (out / "grades.csv").is_file(), "no student finished within 300 s"
    workers = _descendants(grader.pid)
    assert workers, "the batch had no pool workers"
    grader.kill()
    grader.wait()
    deadline = time.monotonic() + 30
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)], "processes of the killed batch are still running"
    listed = {row.split(",")[0] for row in (out / "grades.csv").read_text().splitlines()[1:]}
    assert listed and listed <= {p.stem for p in (out / "results").glob("*.json")}
    stamps = {s: (out / "results" / f"{s}.json").stat().st_mtime_ns for s in listed}

    kept = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert kept.returncode == 0, kept.stderr
    assert {s: (out / "results" / f"{s}.json").stat().st_mtime_ns for s in listed} == stamps  # not regraded
    assert len((out / "grades.csv").read_text().splitlines()) == 1 + 4


def test_the_class_overview_is_plotted_from_the_part_means(three, tmp_path):
    from autograder.gradebook import part_means, plot_grades
    out = tmp_path / "out"
    results = {r.student: r for r in grade_class("optimizers", three, out, jobs=2, limits=Limits(timeout=3))}
    means = part_means(list(results.values()))
    # reference full, momentum_wrong_sign full but for momentum, broken nothing
    assert means["sgd"] == pytest.approx(2 / 3)
    wrong = results["momentum_wrong_sign"].parts()["sgd_momentum"]
    assert means["sgd_momentum"] == pytest.approx((1 + wrong[0] / wrong[1]) / 3) and wrong[0] < wrong[1]
    assert (out / "grades.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert plot_grades([], tmp_path / "empty.png") is None and not (tmp_path / "empty.png").exists()
