"""Grading typed answers against parts (question_bank.grading), independent of any template."""
from question_bank.core import ChoicePart, Misconception, NumericPart, TrueFalsePart
from question_bank.grading import grade

VECTOR = NumericPart(label="a", prompt="v", value=(1.0, -2.0), shape=(2,), rel_tol=1e-3, abs_tol=1e-3,
                     misconceptions=(Misconception((0.5, -1.0), "you forgot the factor 2"),))
MATRIX = NumericPart(label="b", prompt="m", value=(1.0, 2.0, 3.0, 4.0, 5.0, 6.0), shape=(2, 3), rel_tol=0.0, abs_tol=1e-6)
CHOICE = ChoicePart(label="c", prompt="pick", options=("x", "y", "z"), correct=1, explanation="y because.")
TRUTH = TrueFalsePart(label="d", statement="s", truth=False, explanation="it fails.")
PARTS = (VECTOR, MATRIX, CHOICE, TRUTH)


def run(answer):
    return grade(PARTS, answer, template="t", seed=0, max_points=4)


def by_label(result):
    return {p.label: p for p in result.parts}


def test_all_correct():
    result = run("a) [1, -2]; b) [[1, 2, 3], [4, 5, 6]]; c) B; d) false")
    assert result.correct and result.points == 4 and result.readable


def test_specific_diagnoses():
    parts = by_label(run("a) [-1, 2]; b) [[1, 4], [2, 5], [3, 6]]; c) A; d) true"))
    assert parts["a"].diagnosis == "sign"
    assert parts["b"].diagnosis == "transposed"
    assert parts["c"].status == "wrong" and "right option is B" in parts["c"].feedback
    assert parts["d"].status == "wrong" and "it fails" in parts["d"].feedback


def test_misconception_feedback_and_partial_credit():
    result = run("a) [0.5, -1]; b) [[1, 2, 3], [4, 5, 7]]; c) B; d) false")
    parts = by_label(result)
    assert parts["a"].diagnosis == "misconception" and "factor 2" in parts["a"].feedback
    assert parts["b"].status == "wrong" and 0 < parts["b"].score < 1 and "entries 6" in parts["b"].feedback
    assert 0 < result.score < 1


def test_shape_mismatch_is_wrong_not_unreadable():
    part = by_label(run("a) [1, -2, 3]; b) [[1, 2, 3], [4, 5, 6]]; c) B; d) false"))["a"]
    assert part.status == "wrong" and part.diagnosis == "shape" and "vector of 2" in part.feedback


def test_unreadable_part_is_flagged_not_marked():
    result = run("a) [1, -2]; b) [[1, 2, 3], [4, 5, 6]]; c) B; d) perhaps")
    assert not result.readable
    assert by_label(result)["d"].status == "unreadable"
    assert "Could not read" in result.feedback


def test_broken_layout_reads_nothing():
    result = run("a) [1, -2; b) 3")
    assert not result.readable and result.score == 0
    assert result.feedback.startswith("Could not read the answer")


def test_missing_parts():
    parts = by_label(run("a) [1, -2]"))
    assert parts["b"].status == "missing" and parts["a"].status == "correct"


def test_tolerance_boundary_and_precision_hint():
    scalar = NumericPart(label="a", prompt="x", value=(2.0,), rel_tol=0.0, abs_tol=0.01)
    ok = grade((scalar,), "2.0099", template="t", seed=0, max_points=1)
    close = grade((scalar,), "2.05", template="t", seed=0, max_points=1)
    far = grade((scalar,), "3.3", template="t", seed=0, max_points=1)
    assert ok.correct
    assert close.parts[0].diagnosis == "precision"
    assert far.parts[0].diagnosis == "wrong" and "expected 2" in far.parts[0].feedback


def test_common_factor_slip_is_named_for_scalars_only_when_plausible():
    scalar = NumericPart(label="a", prompt="x", value=(3.0,), rel_tol=1e-3, abs_tol=1e-3)
    assert grade((scalar,), "6", template="t", seed=0, max_points=1).parts[0].diagnosis == "constant_factor"
    assert grade((scalar,), "4.1", template="t", seed=0, max_points=1).parts[0].diagnosis == "wrong"


def test_grade_never_raises_even_if_reading_the_layout_does(monkeypatch):
    from question_bank import answers

    def explode(text, labels):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(answers, "split_parts", explode)
    result = run("a) [1, -2]")
    assert not result.readable and all(p.status == "unreadable" for p in result.parts)
    assert "nested too deeply" in result.feedback


def test_a_spent_answer_budget_leaves_formulas_unchecked_but_reads_plain_numbers(monkeypatch):
    from question_bank import grading
    from question_bank.core import SymbolicPart

    formula = SymbolicPart(label="b", prompt="f", expected="2*x", symbols=("x",))
    scalar = NumericPart(label="a", prompt="x", value=(2.0,), rel_tol=0.0, abs_tol=0.01)
    monkeypatch.setattr(grading, "CHECK_SECONDS", 0.0)
    result = grade((scalar, formula), "a) 2; b) x + x", template="t", seed=0, max_points=2)
    by = by_label(result)
    assert by["a"].status == "correct"
    assert by["b"].status == "unreadable" and "could not be checked in time" in by["b"].feedback
    monkeypatch.setattr(grading, "CHECK_SECONDS", 4.0)
    assert grade((scalar, formula), "a) 2; b) x + x", template="t", seed=0, max_points=2).correct
