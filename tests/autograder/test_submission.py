"""Reading submissions: what is run, what is skipped, and a clear message for everything unreadable;
broken hand-ins graded by the real grader keep the points of their honest parts."""
import csv
import json
import os

import nbformat
import pytest

from autograder import submission
from autograder.batch import grade_class
from autograder.gradebook import write_grades
from autograder.reference import part_points
from autograder.results import CheckResult, SubmissionResult
from grading_helpers import EXAMPLE_CLASS, FAST, notebook

CLASS = EXAMPLE_CLASS / "optimizers"
FULL = part_points("optimizers")
V4 = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}}


def test_notebook_cells_skip_nbgrader_tests_and_demo_cells(tmp_path):
    path = notebook([
        ("import numpy as np", {"nbgrader": {"grade": False, "solution": False, "grade_id": "setup"}}),
        ("def f():\n    return 1", {"nbgrader": {"grade": False, "solution": True, "grade_id": "f"}}),
        ("assert f() == 1", {"nbgrader": {"grade": True, "solution": False, "grade_id": "f_tests", "points": 1}}),
        ("plot_everything()", {"tags": ["demo"]}),
        "%matplotlib inline\n!pip install torch\nhelper = 2",
    ], tmp_path / "alice.ipynb")
    sub = submission.load(path)
    assert sub.student == "alice"
    assert sub.cells == ("import numpy as np", "def f():\n    return 1",
                         "# %matplotlib inline\n# !pip install torch\nhelper = 2")
    assert len(sub.fingerprint) == 64


def test_python_file_is_one_cell_and_folder_with_one_file_is_its_student(tmp_path):
    folder = tmp_path / "bob"
    folder.mkdir()
    (folder / "whatever.py").write_text("x = 1\n")
    sub = submission.load(folder)
    assert sub.student == "bob" and sub.cells == ("x = 1\n",)


def test_old_nbformat_is_upgraded(tmp_path):
    v3 = nbformat.v3.new_notebook(worksheets=[nbformat.v3.new_worksheet(cells=[
        nbformat.v3.new_code_cell(input="def g():\n    return 3")])])
    path = tmp_path / "old.ipynb"
    path.write_text(nbformat.writes(v3, version=3))
    assert submission.load(path).cells == ("def g():\n    return 3",)


@pytest.mark.parametrize("name, content, message", [
    ("truncated.ipynb", '{"cells": [{"cell_type": "code", "sou', "broken JSON at line 1"),
    ("empty.ipynb", "", "is empty"),
    ("latin1.py", "x = 'caf\xe9'".encode("latin-1"), "not UTF-8 text \\(byte 0xe9 at offset 8\\)"),
    ("list.ipynb", "[1, 2, 3]", "not a Jupyter notebook"),
    ("answers.txt", "def f(): pass", "a .txt cannot be graded"),
    ("latin1.ipynb", '{"cells": [], "metadata": {"author": "Ren\xe9"}}'.encode("latin-1"),
     "latin1.ipynb is not UTF-8 text \\(byte 0xe9 at offset 41\\)"),
    ("bad cells.ipynb", json.dumps({"cells": [], **V4}), "'bad cells.ipynb' is not a usable student id"),
    ("badcells.ipynb", json.dumps({"cells": [{"cell_type": "code"}], **V4}),
     "not a valid notebook: cell 1 \\(counting every cell from 1\\) is a code cell without source"),
    ("numbersource.ipynb", json.dumps({"cells": [{"cell_type": "markdown", "metadata": {}, "source": "hi"},
                                                 {"cell_type": "code", "metadata": {}, "source": 5}], **V4}),
     "cell 2 \\(counting every cell from 1\\) has a source that is not text"),
    ("textcells.ipynb", json.dumps({"cells": ["x = 1"], **V4}), "cell 1 .* is not a JSON object"),
    ("badmeta.ipynb", json.dumps({"cells": [{"cell_type": "code", "metadata": [], "source": ""}], **V4}),
     "cell 1 .* has metadata that is not a JSON object"),
])
def test_unreadable_submissions_get_a_specific_message(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(submission.SubmissionError, match=message):
        submission.load(path)


def test_folder_with_two_candidates_or_none(tmp_path):
    two = tmp_path / "carol"
    two.mkdir()
    (two / "a.ipynb").write_text("{}")
    (two / "b.py").write_text("")
    with pytest.raises(submission.SubmissionError, match="2 candidate files \\(a.ipynb, b.py\\)"):
        submission.load(two)
    none = tmp_path / "dave"
    none.mkdir()
    (none / "notes.md").write_text("")
    with pytest.raises(submission.SubmissionError, match="no .ipynb or .py"):
        submission.load(none)


def test_very_large_file_is_refused(tmp_path):
    path = tmp_path / "huge.py"
    path.write_bytes(b"#" * (submission.MAX_BYTES + 1))
    with pytest.raises(submission.SubmissionError, match="limit is 20 MiB"):
        submission.load(path)


def test_links_fifos_and_devices_are_refused_without_reading_them(tmp_path):
    """Archives of hand-ins can carry links (to the reference notebook, to /dev/zero) and FIFOs."""
    reference = tmp_path / "reference.ipynb"
    notebook(["def f():\n    return 1"], reference)
    (tmp_path / "eve.ipynb").symlink_to(reference)
    folder = tmp_path / "mallory"
    folder.mkdir()
    (folder / "answers.ipynb").symlink_to(reference)
    (tmp_path / "trent").symlink_to(folder)
    zero = tmp_path / "zoe"
    zero.mkdir()
    (zero / "answers.py").symlink_to("/dev/zero")
    fifo = tmp_path / "fred.py"
    os.mkfifo(fifo)
    for path in (tmp_path / "eve.ipynb", folder, tmp_path / "trent", zero):
        with pytest.raises(submission.SubmissionError, match="is a symbolic link"):
            submission.load(path)
    with pytest.raises(submission.SubmissionError, match="fred.py is not a regular file"):
        submission.load(fifo)


def test_json_nested_too_deeply_is_a_message_not_a_crash(tmp_path):
    path = tmp_path / "deep.ipynb"
    path.write_text('{"cells": [], "metadata": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(submission.SubmissionError, match="nested too deeply"):
        submission.load(path)


def test_cells_without_metadata_are_read_and_demo_needs_a_list_of_tags(tmp_path):
    path = tmp_path / "nometa.ipynb"
    path.write_text(json.dumps({"cells": [
        {"cell_type": "code", "source": ["x = 1\n", "y = 2"]},
        {"cell_type": "code", "metadata": {"tags": "demonstration"}, "source": "z = 3"}], "nbformat": 4,
        "nbformat_minor": 4}))
    sub = submission.load(path)
    assert sub.cells == ("x = 1\ny = 2", "z = 3")
    assert "has no nbgrader metadata" in sub.notes[0]


# ---------------------------------------------------------------- broken hand-ins, really graded

def cell_of(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def delete_sgd(nb):
    nb.cells.remove(cell_of(nb, "sgd"))


def reorder(nb):
    """Every code cell in reverse order (the import of numpy last), markdown left where it was."""
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    cells = list(nb.cells)
    for i, j in zip(code, reversed(code)):
        nb.cells[i] = cells[j]


def duplicate(nb):
    """Every cell twice, as Jupyter's copy and paste makes them (a new cell id, the same metadata)."""
    def copied(cell):
        return nbformat.from_dict({**json.loads(json.dumps(cell)), "id": f"{cell.id}-copy"})
    nb.cells = [copy for c in nb.cells for copy in (c, copied(c))]


def stub_after_sgd(nb):
    """A second copy of the sgd cell, still the released stub, below the answer: it wins."""
    stub = cell_of(nbformat.read(CLASS / "untouched.ipynb", as_version=4), "sgd")
    stub.id = "pasted-stub"
    answer = cell_of(nb, "sgd")
    nb.cells.insert(nb.cells.index(answer) + 1, stub)


def strip_nbgrader(nb):
    for cell in nb.cells:
        cell.metadata.pop("nbgrader", None)


def broken(folder):
    """student -> hand-in, each made from an example-class notebook."""
    def variant(student, source, change):
        nb = nbformat.read(CLASS / f"{source}.ipynb", as_version=4)
        change(nb)
        path = folder / f"{student}.ipynb"
        nbformat.write(nb, path)
        return path

    paths = {
        "deleted_sgd": variant("deleted_sgd", "reference", delete_sgd),
        "reordered": variant("reordered", "reference", reorder),
        "duplicated": variant("duplicated", "reference", duplicate),
        "stub_after_sgd": variant("stub_after_sgd", "reference", stub_after_sgd),
        "no_nbgrader_metadata": variant("no_nbgrader_metadata", "reference", strip_nbgrader),
        "no_nbgrader_metadata_bug": variant("no_nbgrader_metadata_bug", "momentum_wrong_sign", strip_nbgrader),
    }
    raw = json.loads((CLASS / "reference.ipynb").read_text())
    for cell in raw["cells"]:
        del cell["metadata"]
    (folder / "no_cell_metadata.ipynb").write_text(json.dumps(raw))
    (folder / "latin1_notebook.ipynb").write_bytes(  # saved by an editor in Latin-1
        (CLASS / "reference.ipynb").read_bytes().replace(b"Optimizers", "Optimiseurs, été".encode("latin-1")))
    (folder / "badcells.ipynb").write_text(json.dumps({"cells": [{"cell_type": "code"}], **V4}))
    for name in ("no_cell_metadata", "latin1_notebook", "badcells"):
        paths[name] = folder / f"{name}.ipynb"
    paths["good"] = folder / "good.ipynb"
    paths["good"].write_bytes((CLASS / "reference.ipynb").read_bytes())
    return paths


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """One batch of every broken hand-in above and a good one, as `nablab grade` runs it."""
    folder = tmp_path_factory.mktemp("hand-ins")
    paths = broken(folder)
    out = tmp_path_factory.mktemp("out")
    results = grade_class("optimizers", sorted(paths.values()), out, jobs=2, limits=FAST)
    return paths, {r.student: r for r in results}, out


def scores(result):
    return {part: got for part, (got, most) in result.parts().items()}


def feedback(out, student):
    return (out / "feedback" / f"{student}.md").read_text()


def test_the_batch_finishes_with_every_student_in_grades_csv(batch):
    paths, results, out = batch
    with open(out / "grades.csv") as f:
        rows = {row["student"]: row for row in csv.DictReader(f)}
    assert set(rows) == set(paths) == set(results)
    assert float(rows["good"]["total"]) == 18 and float(rows["badcells"]["total"]) == 0
    assert all(row["isolation"] == results[s].isolation for s, row in rows.items())  # the full label


@pytest.mark.parametrize("student", ["reordered", "duplicated", "no_nbgrader_metadata", "no_cell_metadata"])
def test_cells_moved_copied_or_without_metadata_keep_full_marks(batch, student):
    paths, results, out = batch
    assert scores(results[student]) == FULL, feedback(out, student)
    notes = list(submission.load(paths[student]).notes)
    assert results[student].messages == notes  # told, not penalised
    assert all(note in feedback(out, student) for note in notes)


def test_deleted_cell_loses_only_its_part_and_names_it(batch):
    paths, results, out = batch
    got = scores(results["deleted_sgd"])
    assert got["sgd"] == 0 and {p: s for p, s in got.items() if p != "sgd"} == \
        {p: s for p, s in FULL.items() if p != "sgd"}
    says = "sgd is not defined in the submission"
    assert all(says in c.output for c in results["deleted_sgd"].checks if c.part == "sgd")
    assert says in feedback(out, "deleted_sgd")


def test_the_last_copy_of_a_duplicated_cell_counts_and_is_noted(batch):
    paths, results, out = batch
    got = scores(results["stub_after_sgd"])
    assert got["sgd"] == 0 and sum(got.values()) == 18 - FULL["sgd"]
    assert "not implemented yet" in feedback(out, "stub_after_sgd")
    notes = submission.load(paths["stub_after_sgd"]).notes
    assert notes == ("stub_after_sgd.ipynb has 2 cells with grade_id 'sgd' (a copied cell?): all of them ran, "
                     "in order, so the last one's definitions count",)
    assert results["stub_after_sgd"].messages[:1] == list(notes) and notes[0] in feedback(out, "stub_after_sgd")
    assert len(submission.load(paths["duplicated"]).notes) == sum(
        1 for c in nbformat.read(CLASS / "reference.ipynb", as_version=4).cells
        if c.cell_type == "code" and "nbgrader" in c.metadata)


def test_without_nbgrader_metadata_visible_tests_run_as_student_code(batch):
    """Test cells are not recognised: they run in the sandbox, and a failing one is a message."""
    paths, results, out = batch
    assert "has no nbgrader metadata" in submission.load(paths["no_nbgrader_metadata"]).notes[0]
    result = results["no_nbgrader_metadata_bug"]
    got = scores(result)
    assert got["sgd_momentum"] == 0 and sum(got.values()) == 18 - FULL["sgd_momentum"]
    assert len(result.messages) == 2 and "has no nbgrader metadata" in result.messages[0]
    assert "raised AssertionError" in result.messages[1]
    assert "raised AssertionError" in feedback(out, "no_nbgrader_metadata_bug")


@pytest.mark.parametrize("student, says", [
    ("latin1_notebook", "latin1_notebook.ipynb is not UTF-8 text (byte 0xe9"),
    ("badcells", "badcells.ipynb is not a valid notebook: cell 1 (counting every cell from 1) is a code cell "
                 "without source"),
])
def test_unreadable_notebook_scores_zero_with_the_reason(batch, student, says):
    paths, results, out = batch
    result = results[student]
    assert result.score == 0 and result.max_score == 18
    assert result.messages[0].startswith(says)
    assert says in feedback(out, student)


def test_grades_csv_shows_the_whole_isolation_label(tmp_path):
    label = "process limits only (bubblewrap (bwrap) is not installed; the grader runs as root, which ...)"
    result = SubmissionResult(student="s", assignment="optimizers", isolation=label,
                              checks=[CheckResult(name="sgd: x", part="sgd", score=1, max_score=1)])
    write_grades([result], tmp_path / "grades.csv")
    with open(tmp_path / "grades.csv") as f:
        assert next(csv.DictReader(f))["isolation"] == label
