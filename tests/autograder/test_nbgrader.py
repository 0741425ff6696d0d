"""Real nbgrader with our grading: same scores as `nablab grade` per part, its own gradebook, feedback
and export, and tampering with test cells or helpers in the notebook gains nothing."""
import csv
import json
import sqlite3

import nbformat
import pytest

from autograder.nbgrader_bridge import flow
from autograder.nbgrader_bridge.preprocessor import part_outputs
from autograder.results import CheckResult, SubmissionResult
from grading_helpers import EXAMPLE_CLASS

CLASS = EXAMPLE_CLASS / "optimizers"
HONEST = "adam_no_bias_correction"  # loses adam (3) and 1.5 of adamw: 13.5 / 18


def tampered(tmp_path):
    """Hand-ins that try to beat nbgrader's kernel-side grading, each built from HONEST."""
    honest = nbformat.read(CLASS / f"{HONEST}.ipynb", as_version=4)

    def variant(name, change):
        nb = nbformat.from_dict(json.loads(json.dumps(honest)))
        change(nb)
        path = tmp_path / f"{name}.ipynb"
        nbformat.write(nb, path)
        return path

    def grade_cell(nb, grade_id):
        return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)

    def edit_test(nb):
        grade_cell(nb, "adam_tests").source = "3.0"

    def delete_test(nb):
        nb.cells.remove(grade_cell(nb, "adam_tests"))

    def monkeypatch(nb):
        nb.cells.append(nbformat.v4.new_code_cell(
            "import numpy as np, builtins\n"
            "np.allclose = lambda *a, **k: True\nnp.testing.assert_allclose = lambda *a, **k: None\n"
            "builtins.float = lambda *a: 3.0\n"
            "def expect(*a, **k): pass\ndef grade_cells(*a, **k): return None\ndef part_outputs(*a): return []\n"))

    def warns(nb):
        nb.cells.insert(1, nbformat.v4.new_code_cell("import numpy as np\nnp.log(np.zeros(2))\n"
                                                     "import warnings; warnings.warn('careful')"))
    return [variant("edited_test_cell", edit_test), variant("deleted_test_cell", delete_test),
            variant("monkeypatched_helpers", monkeypatch), variant("warns_but_honest", warns)]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    hand_ins = sorted(CLASS.iterdir()) + tampered(tmp_path_factory.mktemp("tampered"))
    db = root / "elsewhere" / "grades.sqlite"
    db.parent.mkdir()
    rows = flow.run(root, {"optimizers": hand_ins}, timeout=3.0, db_url=f"sqlite:///{db}")
    return root, {r.student: r for r in rows}, db


def test_every_part_scores_the_same_in_nbgrader_and_nablab(course):
    root, rows, db = course
    notebooks = {p.stem if p.suffix else p.name for p in CLASS.iterdir() if flow.notebook_of(p)}
    assert notebooks <= set(rows)
    for row in rows.values():
        assert row.agree, (row.student, row.nbgrader, row.nablab)
    assert rows[HONEST].nbgrader["adamw"] == 0.5  # partial credit survives nbgrader
    assert sum(rows["reference"].nbgrader.values()) == 18 and sum(rows["untouched"].nbgrader.values()) == 0


def test_broken_notebook_scores_zero_and_the_batch_goes_on(course):
    root, rows, db = course
    assert rows["broken"].nbgrader_error and sum(rows["broken"].nbgrader.values()) == 0
    assert sum(rows["two_bugs"].nbgrader.values()) == 14.5


@pytest.mark.parametrize("student", ["edited_test_cell", "deleted_test_cell", "monkeypatched_helpers"])
def test_tampering_gains_nothing(course, student):
    root, rows, db = course
    honest = rows[HONEST].nbgrader
    assert rows[student].nbgrader["adam"] == 0
    assert sum(rows[student].nbgrader.values()) <= sum(honest.values())


def test_a_students_warning_does_not_zero_a_cell(course):
    root, rows, db = course
    assert rows["warns_but_honest"].nbgrader == rows[HONEST].nbgrader


def test_gradebook_lives_at_the_given_database_url(course):
    root, rows, db = course
    assert not (root / "gradebook.db").exists()
    with sqlite3.connect(db) as conn:
        (count,) = conn.execute("select count(*) from submitted_assignment").fetchone()
    assert count == len(rows)


def test_feedback_shows_the_diagnosis_and_export_writes_the_csv(course):
    root, rows, db = course
    html = (root / "feedback" / HONEST / "optimizers" / "optimizers.html").read_text()
    assert "matches Adam without bias correction" in html
    with open(root / "grades.csv") as f:
        exported = {r["student_id"]: float(r["score"]) for r in csv.DictReader(f)}
    assert exported[HONEST] == 13.5 and exported["reference"] == 18.0


def test_cell_result_is_a_plain_float_within_the_points():
    checks = [CheckResult(name="adam: x", part="adam", score=0.75, max_score=0.75),
              CheckResult(name="adam: y", part="adam", score=0.0, max_score=2.25, output="wrong")]
    result = SubmissionResult(student="s", assignment="optimizers", checks=checks, isolation="bubblewrap")
    stdout, value = part_outputs(result, "adam", 3.0)
    assert value.output_type == "execute_result" and value.data["text/plain"] == "0.75"
    assert stdout.name == "stdout" and "FAIL adam: y" in stdout.text and "wrong" in stdout.text
    assert part_outputs(result, "missing_part", 2.0)[1].data["text/plain"] == "0.0"


