"""`nablab nbgrader-demo --json`: the whole nbgrader flow on the optimizers example class, from the
command line; every student's every part scores the same in nbgrader's gradebook and in `nablab grade`."""
import json
import subprocess
import sys
from pathlib import Path

from autograder.nbgrader_bridge.flow import notebook_of
from autograder.reference import part_points
from grading_helpers import EXAMPLE_CLASS

NABLAB = str(Path(sys.executable).parent / "nablab")
CLASS = EXAMPLE_CLASS / "optimizers"


def test_nbgrader_demo_json_schema_and_agreement(tmp_path):
    done = subprocess.run([NABLAB, "nbgrader-demo", "--json", "--assignment", "optimizers", "--timeout", "3",
                           "--keep", str(tmp_path / "course")], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)  # nothing but the JSON on stdout
    assert set(report) == {"students"}
    # ids are "<assignment>/<student>"; nbgrader takes notebooks only, so the .py hand-ins are left out
    expected = {f"optimizers/{p.stem if p.suffix else p.name}" for p in CLASS.iterdir() if notebook_of(p)}
    assert set(report["students"]) == expected
    points = part_points("optimizers")
    for student, row in report["students"].items():
        assert set(row) == {"nbgrader", "nablab", "parts"}, student
        assert set(row["parts"]) == set(points), student
        for part, scores in row["parts"].items():
            assert set(scores) == {"nbgrader", "nablab"}
            assert isinstance(scores["nablab"], float) and isinstance(scores["nbgrader"], float), (student, part)
            assert scores["nbgrader"] == scores["nablab"], (student, part, scores)
            assert 0 <= scores["nablab"] <= points[part]
        assert row["nbgrader"] == row["nablab"] == sum(s["nablab"] for s in row["parts"].values()), student
    students = report["students"]
    assert students["optimizers/reference"]["nbgrader"] == 18
    assert students["optimizers/adam_no_bias_correction"]["parts"]["adamw"]["nbgrader"] == 0.5
    assert students["optimizers/untouched"]["nbgrader"] == students["optimizers/broken"]["nbgrader"] == 0
    assert (tmp_path / "course" / "gradebook.db").is_file() and (tmp_path / "course" / "grades.csv").is_file()
