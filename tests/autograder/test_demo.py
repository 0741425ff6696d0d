"""`nablab demo`, the command `make demo` runs, end to end through the real CLI: every assignment's
bundled example class is graded, folder submissions included, into a gradebook per assignment."""
import csv
import subprocess
import sys
from pathlib import Path

from grading_helpers import EXAMPLE_CLASS, ROOT

NABLAB = Path(sys.executable).with_name("nablab")
ASSIGNMENTS = ["adam_bias_correction", "backprop", "mse_from_mle", "optimizers"]


def bundled_students(assignment: str) -> set[str]:
    """Every hand-in of the example class: each entry of its folder but the README (the student id is
    the file stem or the folder name)."""
    entries = [p for p in (EXAMPLE_CLASS / assignment).iterdir() if p.name != "README.md"
               and not p.name.startswith(".")]
    return {p.name if p.is_dir() else p.stem for p in entries}


def test_demo_grades_every_bundled_student_of_every_assignment(tmp_path):
    out = tmp_path / "demo"
    done = subprocess.run([str(NABLAB), "demo", "--out", str(out), "--jobs", "2", "--timeout", "3"],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    assert any(p.is_dir() for p in (EXAMPLE_CLASS / "optimizers").iterdir())  # a folder hand-in is bundled
    for assignment in ASSIGNMENTS:
        with open(out / assignment / "grades.csv", newline="") as file:
            rows = list(csv.DictReader(file))
        students = [row["student"] for row in rows]
        assert len(students) == len(set(students)), assignment
        assert set(students) == bundled_students(assignment), assignment
        book = {row["student"]: row for row in rows}
        assert float(book["reference"]["total"]) == float(book["reference"]["max"]) > 0, assignment
        assert float(book["untouched"]["total"]) == 0, assignment
        assert (out / assignment / "feedback" / "reference.md").is_file()
        assert f"{assignment} — example class" in done.stdout
    assert "rmsprop_swapped" in (out / "optimizers" / "grades.csv").read_text()
