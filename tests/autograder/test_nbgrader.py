"""Real nbgrader with our grading: same scores as `nablab grade` per part, its own gradebook, feedback
and export, and tampering with test cells or helpers in the notebook gains nothing; the course source
validates in a real Jupyter kernel, where nbgrader's stock autograde can be beaten and ours cannot.
(`nablab nbgrader-demo --json` on the whole optimizers class: test_nbgrader_cli.py.)"""
import csv
import html
import json
import sqlite3

import nbformat
import pytest

from autograder.nbgrader_bridge import flow
from autograder.nbgrader_bridge.course import make_course, nbgrader
from autograder.nbgrader_bridge.preprocessor import part_outputs
from autograder.reference import SOLUTIONS
from autograder.results import CheckResult, SubmissionResult
from grading_helpers import EXAMPLE_CLASS

CLASS = EXAMPLE_CLASS / "optimizers"
MSE_CLASS = EXAMPLE_CLASS / "mse_from_mle"
HONEST = "adam_no_bias_correction"  # loses adam (3) and 1.5 of adamw: 13.5 / 18
# the optimizers students graded here (the CLI test grades all of them): full, none, partial credit,
# unreadable, two named mistakes, an endless loop
OPTIMIZERS = ["reference", "untouched", HONEST, "broken", "two_bugs", "endless_loop"]


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
        """Right after the setup cell, so that in a kernel every test cell runs patched."""
        nb.cells.insert(nb.cells.index(grade_cell(nb, "setup")) + 1, nbformat.v4.new_code_cell(
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
    hand_ins = {"optimizers": [CLASS / f"{s}.ipynb" for s in OPTIMIZERS] + tampered(tmp_path_factory.mktemp("tampered")),
                "mse_from_mle": sorted(p for p in MSE_CLASS.iterdir() if flow.notebook_of(p))}
    db = root / "elsewhere" / "grades.sqlite"
    db.parent.mkdir()
    rows = flow.run(root, hand_ins, timeout=3.0, jobs=2, db_url=f"sqlite:///{db}")
    return root, {(r.assignment, r.student): r for r in rows}, db


def optimizers(rows):
    return {student: row for (assignment, student), row in rows.items() if assignment == "optimizers"}


def test_every_part_scores_the_same_in_nbgrader_and_nablab(course):
    root, rows, db = course
    assert set(OPTIMIZERS) <= set(optimizers(rows))
    assert {s for a, s in rows if a == "mse_from_mle"} == {p.stem for p in MSE_CLASS.glob("*.ipynb")}
    for row in rows.values():
        assert row.agree, (row.assignment, row.student, row.nbgrader, row.nablab)
    opt = optimizers(rows)
    assert opt[HONEST].nbgrader["adamw"] == 0.5  # partial credit survives nbgrader
    assert sum(opt["reference"].nbgrader.values()) == 18 and sum(opt["untouched"].nbgrader.values()) == 0


def test_mse_from_mle_partial_credit_survives_nbgrader(course):
    """The example class's README: log_base_2 keeps 0.25 of cross_entropy and 0.5 of kl_divergence."""
    root, rows, db = course
    log2 = rows["mse_from_mle", "log_base_2"].nbgrader
    assert (log2["entropy"], log2["cross_entropy"], log2["kl_divergence"], log2["mle_objectives"]) == (0, 0.25, 0.5, 0)
    assert sum(log2.values()) == 15.75
    assert sum(rows["mse_from_mle", "reference"].nbgrader.values()) == 21
    assert sum(rows["mse_from_mle", "zero_log_zero_nan"].nbgrader.values()) == 19


def test_broken_notebook_scores_zero_and_the_batch_goes_on(course):
    root, rows, db = course
    opt = optimizers(rows)
    assert opt["broken"].nbgrader_error and sum(opt["broken"].nbgrader.values()) == 0
    assert sum(opt["two_bugs"].nbgrader.values()) == 14.5


@pytest.mark.parametrize("student", ["edited_test_cell", "deleted_test_cell", "monkeypatched_helpers"])
def test_tampering_gains_nothing(course, student):
    root, rows, db = course
    opt = optimizers(rows)
    honest = opt[HONEST].nbgrader
    assert opt[student].nbgrader["adam"] == 0
    assert sum(opt[student].nbgrader.values()) <= sum(honest.values())


def test_a_students_warning_does_not_zero_a_cell(course):
    root, rows, db = course
    opt = optimizers(rows)
    assert opt["warns_but_honest"].nbgrader == opt[HONEST].nbgrader


def test_gradebook_lives_at_the_given_database_url(course):
    root, rows, db = course
    assert not (root / "gradebook.db").exists()
    with sqlite3.connect(db) as conn:
        (count,) = conn.execute("select count(*) from submitted_assignment").fetchone()
    assert count == len(rows)


def feedback_html(root, student, assignment="optimizers"):
    return html.unescape((root / "feedback" / student / assignment / f"{assignment}.html").read_text())


def test_feedback_shows_the_diagnosis_and_export_writes_the_csv(course):
    root, rows, db = course
    assert "matches Adam without bias correction" in feedback_html(root, HONEST)
    assert "in bits (log base 2)" in feedback_html(root, "log_base_2", "mse_from_mle")
    with open(root / "grades.csv") as f:
        exported = {(r["assignment"], r["student_id"]): float(r["score"]) for r in csv.DictReader(f)}
    assert exported["optimizers", HONEST] == 13.5 and exported["optimizers", "reference"] == 18.0
    assert exported["mse_from_mle", "log_base_2"] == 15.75


def test_feedback_says_the_endless_loop_did_not_finish_and_names_the_isolation(course):
    root, rows, db = course
    page = feedback_html(root, "endless_loop")
    assert "nablab: adagrad 0 / 2" in page and "did not finish within" in page
    with open(root / "nablab" / "optimizers" / "grades.csv") as f:
        isolation = {r["student"]: r["isolation"] for r in csv.DictReader(f)}["endless_loop"]
    assert f"(isolation: {isolation})" in page  # the whole label, reason included where reduced
    assert page.count(f"(isolation: {isolation})") == 9  # once per autograded cell


def test_cell_result_is_a_plain_float_within_the_points():
    checks = [CheckResult(name="adam: x", part="adam", score=0.75, max_score=0.75),
              CheckResult(name="adam: y", part="adam", score=0.0, max_score=2.25, output="wrong")]
    result = SubmissionResult(student="s", assignment="optimizers", checks=checks, isolation="bubblewrap")
    stdout, value = part_outputs(result, "adam", 3.0)
    assert value.output_type == "execute_result" and value.data["text/plain"] == "0.75"
    assert stdout.name == "stdout" and "FAIL adam: y" in stdout.text and "wrong" in stdout.text
    assert part_outputs(result, "missing_part", 2.0)[1].data["text/plain"] == "0.0"


def test_reduced_isolation_is_shown_with_its_reason():
    label = "process limits only (bubblewrap (bwrap) is not installed)"
    result = SubmissionResult(student="s", assignment="optimizers", isolation=label,
                              checks=[CheckResult(name="sgd: x", part="sgd", score=1, max_score=1)])
    assert f"nablab: sgd 1 / 1  (isolation: {label})\n" in part_outputs(result, "sgd", 1.0)[0].text


# ---------------------------------------------------------------- a real Jupyter kernel

def test_course_source_validates_in_a_real_kernel(tmp_path):
    """`nbgrader validate` runs each solution notebook's course source in a python3 kernel and its
    visible test cells pass; the untouched release, run the same way, fails them."""
    names = sorted(p.name for p in SOLUTIONS.iterdir() if (p / f"{p.name}.ipynb").is_file())
    assert {"optimizers", "mse_from_mle", "backprop"} <= set(names)
    course = make_course(tmp_path / "course", names)
    (course / "untouched.ipynb").write_bytes((CLASS / "untouched.ipynb").read_bytes())
    done = nbgrader(course, "validate", *(f"source/{n}/{n}.ipynb" for n in names), "untouched.ipynb")
    assert done.stderr.count("[ValidateApp | INFO] Validating") == len(names) + 1, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert lines[:len(names)] == ["Success! Your notebook passes all the tests."] * len(names), done.stdout[:3000]
    assert lines[len(names)].startswith("VALIDATION FAILED ON 9 CELL(S)!")
    assert "NotImplementedError                       Traceback" in done.stdout  # IPython's, in the kernel


def test_stock_nbgrader_in_the_kernel_is_beaten_by_monkeypatching_ours_is_not(course, tmp_path):
    """The control: with nbgrader's own Execute the monkeypatching hand-in gains adam's 3 points over
    its honest work; graded by our preprocessor (the course fixture) it gains nothing."""
    stock = make_course(tmp_path / "stock", ["optimizers"], kernel=True)
    nbgrader(stock, "generate_assignment", "optimizers", "--force")
    hand_ins = {HONEST: CLASS / f"{HONEST}.ipynb",
                "monkeypatched_helpers": next(p for p in tampered(tmp_path) if p.stem == "monkeypatched_helpers")}
    for student, path in hand_ins.items():
        target = stock / "submitted" / student / "optimizers" / "optimizers.ipynb"
        target.parent.mkdir(parents=True)
        target.write_bytes(path.read_bytes())
    nbgrader(stock, "autograde", "optimizers", "--create", "--force")
    url = f"sqlite:///{stock / 'gradebook.db'}"
    honest, cheat = (flow.gradebook_scores(url, "optimizers", s) for s in hand_ins)
    assert honest["adam"] == 0 and cheat["adam"] == 3 and sum(cheat.values()) > sum(honest.values())
    ours = optimizers(course[1])
    assert ours["monkeypatched_helpers"].nbgrader["adam"] == 0
    assert sum(ours["monkeypatched_helpers"].nbgrader.values()) <= sum(ours[HONEST].nbgrader.values())
