"""adam_bias_correction graded end to end: the bundled example class through `nablab grade` (sandbox,
hidden suite, results, feedback, gradebook); every named mistake of the suite's mistakes.py
recognised by name when a submission makes it, every accepted alternative graded correct; the
example notebooks kept in step with the solution's release."""
import importlib
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import grading_helpers

from autograder import reference
from autograder.results import load as load_result

ASSIGNMENT = "adam_bias_correction"
ROOT = Path(__file__).resolve().parents[2]
CLASS = ROOT / "autograder" / "example_class" / ASSIGNMENT
SUITE = importlib.import_module(f"autograder.suites.{ASSIGNMENT}.test_{ASSIGNMENT}")
VARIANTS = importlib.import_module(f"autograder.suites.{ASSIGNMENT}.mistakes")
MISTAKES, HARMLESS = VARIANTS.MISTAKES, VARIANTS.HARMLESS

# student -> {part: (points kept, [text each of that part's failures must contain between them])};
# parts not listed keep their full points. See the class's README.md for the bugs.
EXPECTED = {
    "reference": {},
    "different_but_correct": {},
    "bias_correction_t_minus_1": {
        "bias_corrected": (0, ["the bias correction with t - 1 (1 - β^(t-1); steps counted from 0)"]),
        "monte_carlo_moments": (0, ["s_hat and r_hat corrected with t - 1 (steps counted from 0)",
                                    "5 standard errors"]),
    },
    "ema_no_one_minus_beta": {
        "ema": (0, ["an EMA without the factor (1 - β): s ← βs + g"]),
        "monte_carlo_moments": (0, ["EMAs without the factor (1 - β) (s ← βs + g)"]),
        "ema_weight_sum": (0, ["the geometric sum (1 - βᵗ)/(1 - β) without the factor (1 - β)"]),
    },
    "weights_off_by_one": {
        "ema_weight_sum": (0, ["t is off by one", "off_by_one"]),
        "unrolled_r": (0, ["weights β₂^(i-1): the oldest gradient weighted most"]),
    },
    "adagrad_no_abs": {
        "expected_moments": (0, ["E[g²] taken as Var[g] = std² (mean² missing)"]),
        "adagrad_step_limit": (0, ["α/(√t·g0) without the absolute value (negative for g0 < 0)"]),
    },
    "mc_second_moment_of_g": {
        "monte_carlo_moments": (0, ["r as the EMA of g instead of g²"]),
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
            assert name in feedback or name == "off_by_one", (part, name)
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


@pytest.mark.parametrize("part, name", [(part, name) for part, variants in HARMLESS.items() for name in variants])
def test_harmless_alternative_passes(part, name):
    outcomes = run_part({**reference.load(ASSIGNMENT), part: HARMLESS[part][name]}, part)
    assert all(diagnosis is None for _, diagnosis, _ in outcomes), outcomes


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
