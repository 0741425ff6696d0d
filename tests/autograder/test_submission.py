"""Reading submissions: what is run, what is skipped, and a clear message for everything unreadable."""
import json
import os

import nbformat
import pytest

from autograder import submission
from grading_helpers import notebook


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
    ("bad cells.ipynb", json.dumps({"cells": [{"cell_type": "code"}], "nbformat": 4, "nbformat_minor": 5,
                                    "metadata": {}}), "not a usable student id"),
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
