"""mse_from_mle graded end to end: the bundled example class through `nablab grade` (sandbox, hidden
suite, results, feedback, gradebook); every named mistake of the suite's mistakes.py recognised by
name when a submission makes it; the example notebooks kept in step with the solution's release."""
import importlib
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import grading_helpers

from autograder import reference
from autograder.results import load as load_result

ASSIGNMENT = "mse_from_mle"
ROOT = Path(__file__).resolve().parents[2]
CLASS = ROOT / "autograder" / "example_class" / ASSIGNMENT
SUITE = importlib.import_module(f"autograder.suites.{ASSIGNMENT}.test_{ASSIGNMENT}")
MISTAKES = importlib.import_module(f"autograder.suites.{ASSIGNMENT}.mistakes").MISTAKES
NO_VALUE_ERROR = "no ValueError where q = 0 < p"

# student -> {part: (points kept, [text each of that part's failures must contain between them])};
# parts not listed keep their full points. See the class's README.md for the bugs.
EXPECTED = {
    "reference": {},
    "different_but_correct": {},
    "log_base_2": {
        "entropy": (0, ["the entropy in bits (log base 2)"]),
        "cross_entropy": (0.25, ["the cross-entropy in bits (log base 2)"]),
        "kl_divergence": (0.5, ["KL in bits (log base 2)"]),
        "mle_objectives": (0, ["the objectives in bits (log base 2)"]),
    },
    "zero_log_zero_nan": {
        "entropy": (0.5, ["0·log 0 computed as NaN instead of 0"]),
        "cross_entropy": (0.5, ["0·log 0 computed as NaN instead of 0", NO_VALUE_ERROR]),
        "kl_divergence": (1, ["0·log 0 computed as NaN instead of 0", NO_VALUE_ERROR]),
    },
    "gaussian_sigma_not_squared": {
        "gaussian_nll": (0.5, ["the NLL with σ instead of σ² in the denominator"]),
        "gaussian_nll_one": (0, ["the NLL with σ instead of σ² in the denominator"]),
    },
    "mse_sigma_not_cancelled": {
        "nll": (0, ["the mean over the examples instead of the sum"]),
        "mse_objective": (0, ["the NLL's factor 1/(2σ²) not cancelled", "σ, which should have cancelled"]),
    },
    "map_prior_sign": {
        "map_objective": (0, ["NLL + log p(θ) (the log-prior added instead of subtracted)"]),
        "l2_lambda": (0, ["λ = 1/σ² (the 1/2 of the Gaussian exponent dropped)", "constant factor of 2"]),
    },
    "softmax_grad_sign": {
        "empirical_distribution": (0, ["the counts, not divided by N"]),
        "mle_objectives": (0, ["the counts used as p_data (not divided by N)"]),
        "softmax_ce_grad": (0, ["onehot - p̂ (the sign flipped)", "wrong sign"]),
    },
}
UNTOUCHED = "untouched"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Every notebook of the example class graded by the real command, results read back from disk."""
    out = tmp_path_factory.mktemp(ASSIGNMENT)
    paths = sorted(CLASS.glob("*.ipynb"))
    script = Path(sys.executable).with_name("nablab")
    command = [str(script)] if script.exists() else [sys.executable, "-c", "from autograder.cli import main; main()"]
    done = subprocess.run([*command, "grade", ASSIGNMENT, *map(str, paths), "--out", str(out), "--jobs", "2",
                           "--timeout", "20"], capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stderr[-4000:]
    return out, {p.stem: load_result(out / "results" / f"{p.stem}.json") for p in paths}


def test_the_table_covers_the_class():
    assert {p.stem for p in CLASS.glob("*.ipynb")} == set(EXPECTED) | {UNTOUCHED}


def test_points_per_part_are_the_notebooks(graded):
    _, results = graded
    points = reference.part_points(ASSIGNMENT)
    for student, result in results.items():
        assert {part: most for part, (_, most) in result.parts().items()} == points, student
        assert result.isolation and not result.messages, (student, result.messages)


def test_untouched_release_scores_zero_and_says_why(graded):
    _, results = graded
    result = results[UNTOUCHED]
    assert result.score == 0 and result.max_score == sum(reference.part_points(ASSIGNMENT).values())
    assert all("not implemented yet" in check.output for check in result.checks)


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_each_student_loses_exactly_the_points_of_its_bugs(graded, student):
    out, results = graded
    result = results[student]
    points = reference.part_points(ASSIGNMENT)
    expected = {part: float(EXPECTED[student].get(part, (most,))[0]) for part, most in points.items()}
    assert {part: got for part, (got, _) in result.parts().items()} == expected
    feedback = (out / "feedback" / f"{student}.md").read_text()
    for part, (_, names) in EXPECTED[student].items():
        failed = [c for c in result.checks if c.part == part and not c.passed]
        said = "\n".join(f"{c.output}\n{c.diagnosis}" for c in failed)
        for name in names:
            assert name in said, (part, name, said)
            assert name in feedback, (part, name)
        named = [c.diagnosis for c in failed if c.diagnosis]
        assert named, f"{part}: no failure of {student} carries a diagnosis"
    if not EXPECTED[student]:
        assert result.score == result.max_score and "Every check passed." in feedback


def test_gradebook_lists_every_student(graded):
    out, results = graded
    grades = (out / "grades.csv").read_text()
    assert all(student in grades for student in results)


# ----------------------------------------------------------------------------- named mistakes, in process

def run_part(ns, part):
    return grading_helpers.run_part(SUITE, ns, part)


def test_reference_passes_every_hidden_test_in_process():
    ns = reference.load(ASSIGNMENT)
    for part in reference.part_points(ASSIGNMENT):
        assert all(diagnosis is None for _, diagnosis, _ in run_part(ns, part)), part


@pytest.mark.parametrize("part, name", [(part, name) for part, variants in MISTAKES.items() for name in variants])
def test_named_mistake_is_recognised(part, name):
    outcomes = run_part({**reference.load(ASSIGNMENT), part: MISTAKES[part][name]}, part)
    failed = [(test, diagnosis) for test, diagnosis, _ in outcomes if diagnosis is not None]
    assert failed, f"{name!r} passes every test of {part}"
    assert any(name in diagnosis for _, diagnosis in failed), outcomes
    # no failure names a different mistake of the part, except as an alternative ("X or Y")
    others = set(MISTAKES[part]) - {name}
    assert not any(diagnosis in others for _, diagnosis in failed), outcomes


# ----------------------------------------------------------------------------- the class stays in step

def code_cells(path):
    return [(c.metadata.get("nbgrader", {}).get("grade_id"), c.source)
            for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def test_reference_student_is_the_solution_source():
    assert (CLASS / "reference.ipynb").read_bytes() == reference.notebook_path(ASSIGNMENT).read_bytes()


@pytest.mark.parametrize("student", sorted(set(EXPECTED) - {"reference"}))
def test_students_only_changed_solution_cells_of_the_release(student):
    release = code_cells(CLASS / f"{UNTOUCHED}.ipynb")
    handed_in = code_cells(CLASS / f"{student}.ipynb")
    assert [grade_id for grade_id, _ in handed_in] == [grade_id for grade_id, _ in release]
    solutions = set(reference.part_points(ASSIGNMENT))
    for (grade_id, theirs), (_, released) in zip(handed_in, release):
        if grade_id in solutions:
            assert "raise NotImplementedError()" not in theirs, grade_id
        else:
            assert theirs == released, grade_id
