"""The optimizers suite, judged: the bundled example class scores as its README says (each buggy
student loses exactly the points of the hidden checks its bug fails), every harmless variant of the
lecture's conventions keeps full marks, every named mistake loses points and is named, and every
update that changes the caller's dw or hyperparameters loses the check that says so."""
import pytest

from autograder.batch import grade_class
from autograder.grading import run_suite, suite_path
from autograder.reference import load, part_points
from autograder.sandbox import Limits
from autograder.sandbox.inprocess import InProcess
from autograder.suites.optimizers import test_optimizers as suite
from autograder.suites.optimizers.mistakes import HARMLESS, MISTAKES, SIDE_EFFECTS, modifies_dw
from autograder.suites.plugin import MARK
from grading_helpers import EXAMPLE_CLASS

CLASS = EXAMPLE_CLASS / "optimizers"
FULL = part_points("optimizers")


def hidden_checks() -> dict[str, dict[str, float]]:
    """{part: {what the check checks: its points}}, read from the @points marks of the hidden suite."""
    table: dict[str, dict[str, float]] = {}
    for name in dir(suite):
        for mark in getattr(getattr(suite, name), "pytestmark", []):
            if mark.name == MARK:
                points, check, part = mark.args
                table.setdefault(part, {})[check.split(": ", 1)[1]] = float(points)
    return table


CHECKS = hidden_checks()
SIDE_EFFECT_CHECK = "leaves the gradient dw and the hyperparameters unchanged"


def loses(part: str, words: str, *, keeps: tuple[str, ...] = (), fails: tuple[str, ...] = ()):
    """The bug fails the checks ``fails`` of ``part`` (default: every check but ``keeps``); what it
    loses is their points. Returns (points lost, names of the failed checks, words of the feedback)."""
    assert set(keeps) | set(fails) <= set(CHECKS[part]), (part, keeps, fails)
    failed = set(fails) or set(CHECKS[part]) - set(keeps)
    return sum(CHECKS[part][name] for name in failed), failed, words


# student: {part that loses points: loses(...)}; every other part full marks
EXPECTED = {
    "reference": {},
    "different_but_correct": {},
    "untouched": {part: loses(part, "not implemented yet") for part in FULL},
    "half_done": {part: loses(part, "not implemented yet") for part in FULL if part not in ("sgd", "sgd_momentum")},
    "adam_no_bias_correction": {
        "adam": loses("adam", "matches Adam without bias correction"),
        # with dw = 0 the moments stay 0 and the step is 0, bias correction or not
        "adamw": loses("adamw", "matches AdamW on top of Adam without bias correction",
                       keeps=("zero gradient shrinks w by (1 - learning_rate * weight_decay)",))},
    "adam_t_off_by_one": {  # NaN from the first step on (1 - β⁰ = 0), also with dw = 0
        "adam": loses("adam", "Adam with t incremented after the bias correction (t off by one)"),
        "adamw": loses("adamw", "t off by one")},
    "momentum_wrong_sign": {"sgd_momentum": loses("sgd_momentum", "matches momentum with the wrong sign")},
    "adamw_as_l2": {"adamw": loses("adamw", "matches AdamW done as L2 regularisation")},
    "clip_per_tensor": {  # below the threshold nothing is clipped, per tensor or not
        "clip_grad_norm": loses("clip_grad_norm", "matches clipping per tensor instead of by the global norm",
                                keeps=("leaves gradients below the threshold unchanged",))},
    "two_bugs": {
        "nesterov": loses("nesterov", "matches Nesterov written as plain momentum"),
        # cache = dw**2 is right on the first step from an empty cache, wrong from the second on
        "adagrad": loses("adagrad", "matches AdaGrad not accumulating",
                         fails=("cache accumulated over 15 steps", "zero gradients and the defaults"))},
    "rmsprop_swapped": {"rmsprop": loses("rmsprop", "matches RMSprop with decay_rate and 1−decay_rate swapped")},
    "endless_loop": {"adagrad": loses("adagrad", "did not finish within")},
    "clip_renamed": {"clip_grad_norm": loses("clip_grad_norm", "clip_grad_norm is not defined in the submission")},
    "broken": {part: loses(part, "not a valid notebook: broken JSON") for part in FULL},
    "syntax_error": {part: loses(part, "is not defined in the submission") for part in FULL},
}
TOTALS = {  # the README's table, and what the nbgrader test expects of two of them
    "reference": 18, "different_but_correct": 18, "untouched": 0, "half_done": 3, "adam_no_bias_correction": 13.5,
    "adam_t_off_by_one": 13, "momentum_wrong_sign": 16, "adamw_as_l2": 16, "clip_per_tensor": 16.5,
    "two_bugs": 14.5, "rmsprop_swapped": 16, "endless_loop": 16, "clip_renamed": 16, "broken": 0, "syntax_error": 0,
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("optimizers")
    paths = sorted(p for p in CLASS.iterdir() if p.suffix in (".ipynb", ".py") or p.is_dir())
    results = grade_class("optimizers", paths, out, jobs=2, limits=Limits(timeout=3.0))
    return {r.student: r for r in results}, out


def test_suite_points_are_the_notebook_points():
    assert {part: sum(checks.values()) for part, checks in CHECKS.items()} == FULL
    assert sum(FULL.values()) == 18


def test_every_bundled_student_is_graded(graded):
    results, out = graded
    assert set(results) == set(EXPECTED) == set(TOTALS)
    assert all(r.max_score == sum(FULL.values()) == 18 for r in results.values())
    assert {student: r.score for student, r in results.items()} == TOTALS


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_student_loses_exactly_the_points_of_its_bugs(graded, student):
    results, out = graded
    result = results[student]
    feedback = (out / "feedback" / f"{student}.md").read_text()
    for part, (score, most) in result.parts().items():
        assert most == FULL[part]
        if part not in EXPECTED[student]:
            assert score == most, f"{student} should keep full marks in {part}: {feedback}"
            continue
        lost, failing, words = EXPECTED[student][part]
        failed = {c.name.split(": ", 1)[1] for c in result.checks if c.part == part and not c.passed}
        assert failed == failing, f"{student} in {part}"
        assert most - score == lost, f"{student} should lose {lost} in {part}, lost {most - score}"
        outputs = " ".join(c.output for c in result.checks if c.part == part and not c.passed)
        assert words in outputs
        assert words in feedback


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


@pytest.mark.parametrize("part, name", variants(SIDE_EFFECTS))
def test_changing_dw_or_the_hyperparameters_loses_the_side_effect_check(part, name):
    scores, checks = suite_scores({**load("optimizers"), part: SIDE_EFFECTS[part][name]})
    side_effects = next(c for c in checks if c.name == f"{part}: {SIDE_EFFECT_CHECK}")
    assert not side_effects.passed and side_effects.diagnosis == name, side_effects.output
    assert side_effects.score == 0 and scores[part][0] <= scores[part][1] - CHECKS[part][SIDE_EFFECT_CHECK]
    if name == modifies_dw(part):  # right values on every copy of dw: only the side-effect check fails
        assert [c.name for c in checks if not c.passed] == [side_effects.name]
        assert "changed the caller's gradient dw in place" in side_effects.output
    others = {p: s for p, s in scores.items() if p != part and not (part == "adam" and p == "adamw")}
    assert all(got == most for got, most in others.values())


def test_every_update_rule_has_a_side_effect_check():
    rules = set(suite.SIDE_EFFECT_CONFIGS)
    assert rules == set(FULL) - {"nesterov_lookahead", "clip_grad_norm"}  # those take no dw to change
    assert all(SIDE_EFFECT_CHECK in CHECKS[part] for part in rules)
    assert rules == {part for part, named in SIDE_EFFECTS.items() if modifies_dw(part) in named}
