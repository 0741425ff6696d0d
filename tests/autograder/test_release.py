"""Student releases: made by nbgrader from the solutions, committed as made, free of answers, graded zero."""
import json

import pytest

from autograder import release
from autograder.grading import assignments, grade_submission
from autograder.sandbox import Limits

RELEASED = release.released_assignments()


def test_committed_releases_are_what_nbgrader_generates_now():
    assert release.stale(RELEASED) == []


@pytest.mark.parametrize("name", RELEASED)
def test_release_holds_no_solution_and_no_hidden_test(name):
    text = (release.ASSIGNMENTS / name / f"{name}.ipynb").read_text()
    assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
    cells = json.loads(text)["cells"]
    solution_cells = [c for c in cells if c["metadata"].get("nbgrader", {}).get("solution")]
    assert solution_cells and all("raise NotImplementedError()" in "".join(c["source"]) for c in solution_cells)
    suite = (release.ROOT / "autograder" / "suites" / name / f"test_{name}.py").read_text()
    hidden_names = [line.split('"')[1] for line in suite.splitlines() if line.startswith("@points(")]
    assert hidden_names and not any(n in text for n in hidden_names)


@pytest.mark.parametrize("name", sorted(set(RELEASED) & set(assignments())))
def test_untouched_release_scores_zero_without_crashing(name):
    result = grade_submission(name, release.ASSIGNMENTS / name / f"{name}.ipynb", limits=Limits(timeout=5))
    assert result.max_score > 0 and result.score == 0
    assert all("not implemented yet" in c.output for c in result.checks)


@pytest.mark.parametrize("name", RELEASED)
def test_example_class_untouched_student_is_the_release(name):
    untouched = release.ROOT / "autograder" / "example_class" / name / "untouched.ipynb"
    assert untouched.read_bytes() == (release.ASSIGNMENTS / name / f"{name}.ipynb").read_bytes()
