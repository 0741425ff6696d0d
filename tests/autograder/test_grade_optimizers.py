"""The optimizers suite, judged: the bundled example class scores as its README says, every harmless
variant of the lecture's conventions keeps full marks, every named mistake loses points and is named."""
import pytest

from autograder.batch import grade_class
from autograder.grading import run_suite, suite_path
from autograder.reference import load, part_points
from autograder.sandbox import Limits
from autograder.sandbox.inprocess import InProcess
from autograder.suites.optimizers.mistakes import HARMLESS, MISTAKES
from grading_helpers import EXAMPLE_CLASS

CLASS = EXAMPLE_CLASS / "optimizers"
FULL = part_points("optimizers")
# student: {part that must lose points: words its feedback must contain}; every other part full marks
EXPECTED = {
    "reference": {},
    "different_but_correct": {},
    "untouched": {part: "not implemented yet" for part in FULL},
    "half_done": {part: "not implemented yet" for part in FULL if part not in ("sgd", "sgd_momentum")},
    "adam_no_bias_correction": {"adam": "matches Adam without bias correction",
                                "adamw": "matches AdamW on top of Adam without bias correction"},
    "adam_t_off_by_one": {"adam": "Adam with t incremented after the bias correction (t off by one)",
                          "adamw": "t off by one"},
    "momentum_wrong_sign": {"sgd_momentum": "matches momentum with the wrong sign"},
    "adamw_as_l2": {"adamw": "matches AdamW done as L2 regularisation"},
    "clip_per_tensor": {"clip_grad_norm": "matches clipping per tensor instead of by the global norm"},
    "two_bugs": {"nesterov": "matches Nesterov written as plain momentum",
                 "adagrad": "matches AdaGrad not accumulating"},
    "rmsprop_swapped": {"rmsprop": "matches RMSprop with decay_rate and 1−decay_rate swapped"},
    "endless_loop": {"adagrad": "did not finish within"},
    "clip_renamed": {"clip_grad_norm": "clip_grad_norm is not defined in the submission"},
    "broken": {part: "not a valid notebook: broken JSON" for part in FULL},
    "syntax_error": {part: "is not defined in the submission" for part in FULL},
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("optimizers")
    paths = sorted(p for p in CLASS.iterdir() if p.suffix in (".ipynb", ".py") or p.is_dir())
    results = grade_class("optimizers", paths, out, jobs=2, limits=Limits(timeout=3.0))
    return {r.student: r for r in results}, out


def test_every_bundled_student_is_graded(graded):
    results, out = graded
    assert set(results) == set(EXPECTED)
    assert all(r.max_score == sum(FULL.values()) == 18 for r in results.values())


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_student_loses_exactly_the_parts_of_its_bugs(graded, student):
    results, out = graded
    result = results[student]
    feedback = (out / "feedback" / f"{student}.md").read_text()
    for part, (score, most) in result.parts().items():
        assert most == FULL[part]
        if part not in EXPECTED[student]:
            assert score == most, f"{student} should keep full marks in {part}: {feedback}"
        else:
            assert score < most, f"{student} should lose points in {part}"
            outputs = " ".join(c.output for c in result.checks if c.part == part and not c.passed)
            assert EXPECTED[student][part] in outputs
            assert EXPECTED[student][part] in feedback


def test_unreadable_submissions_say_why_and_zero_every_part(graded):
    results, out = graded
    assert "broken JSON at line" in results["broken"].messages[0]
    assert "SyntaxError" in results["syntax_error"].messages[0]
    assert results["untouched"].score == results["broken"].score == 0


def test_grades_csv_has_a_row_per_student(graded):
    results, out = graded
    rows = (out / "grades.csv").read_text().splitlines()
    assert rows[0].startswith("student,sgd,sgd_momentum,") and rows[0].endswith(",total,max,isolation")
    assert len(rows) == 1 + len(EXPECTED)
    assert "reference,1,2,2,2,2,2,3,2,2,18,18," in (out / "grades.csv").read_text()


def suite_scores(namespace):
    plugin = run_suite(suite_path("optimizers"), InProcess(namespace, harness="optimizers"))
    scores = {}
    for check in plugin.results:
        got, most = scores.get(check.part, (0.0, 0.0))
        scores[check.part] = (got + check.score, most + check.max_score)
    return scores, plugin.results


def variants(table):
    return [(part, name) for part, named in table.items() for name in named]


@pytest.mark.parametrize("part, name", variants(HARMLESS))
def test_harmless_variant_keeps_full_marks(part, name):
    scores, checks = suite_scores({**load("optimizers"), part: HARMLESS[part][name]})
    failing = [c.output for c in checks if not c.passed]
    assert scores[part][0] == scores[part][1], failing
    assert not failing


@pytest.mark.parametrize("part, name", variants(MISTAKES))
def test_named_mistake_loses_points_and_is_named(part, name):
    scores, checks = suite_scores({**load("optimizers"), part: MISTAKES[part][name]})
    assert scores[part][0] < scores[part][1]
    assert any(c.diagnosis == name for c in checks if c.part == part), \
        [c.output for c in checks if c.part == part and not c.passed]
    others = {p: s for p, s in scores.items() if p != part and not (part == "adam" and p == "adamw")}
    assert all(got == most for got, most in others.values())
