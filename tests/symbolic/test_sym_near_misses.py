"""Each near-miss kind is recognised and named in the feedback."""

import pytest
import sympy

from autograder.symbolic import check_equivalent


def verdict_for(text, expected, S, **kw):
    verdict = check_equivalent(text, expected, symbols=S, **kw)
    assert not verdict.correct or kw.get("ignore_additive_constant"), verdict
    return verdict


@pytest.fixture
def half_square(S):
    return (S["y"] - S["yhat"]) ** 2 / (2 * S["sigma"] ** 2)


def test_constant_factor_names_the_factor(S, half_square):
    verdict = verdict_for("(y - yhat)^2/sigma^2", half_square, S)
    assert verdict.kind == "constant_factor"
    assert "factor of 2" in verdict.feedback
    assert "(y − ŷ)²/(2σ²)" in verdict.feedback  # what was expected, in readable form


def test_constant_factor_that_is_a_symbol(S):
    y, i, m = sympy.IndexedBase("y", real=True), S["i"], S["m"]
    expected = sympy.Sum(y[i] ** 2, (i, 1, m)) / m
    verdict = check_equivalent(sympy.Sum(y[i] ** 2, (i, 1, m)), expected, variables=["y"])
    assert verdict.kind == "constant_factor"
    assert "factor of m" in verdict.feedback
    backwards = check_equivalent(expected, sympy.Sum(y[i] ** 2, (i, 1, m)), variables=["y"])
    assert "factor of 1/m" in backwards.feedback


def test_sign(S, half_square):
    verdict = verdict_for("-(y - yhat)^2/(2sigma^2)", half_square, S)
    assert verdict.kind == "sign"
    assert "sign" in verdict.feedback


def test_missing_constant_when_only_yhat_matters(S, nll):
    verdict = verdict_for("(y - yhat)^2/(2sigma^2)", nll, S, variables=[S["yhat"]])
    assert verdict.kind == "missing_constant"
    assert "log(2π·σ²)/2" in verdict.feedback and "ŷ" in verdict.feedback


def test_missing_constant_is_correct_when_constants_are_ignored(S, nll):
    verdict = check_equivalent("(y - yhat)^2/(2sigma^2)", nll, symbols=S,
                               variables=[S["yhat"]], ignore_additive_constant=True)
    assert verdict.correct and verdict.kind == "equivalent"
    assert "additive constant" in verdict.feedback


def test_ignoring_constants_does_not_excuse_a_wrong_answer(S, nll):
    verdict = check_equivalent("(y - yhat)^2/sigma^2", nll, symbols=S, variables=[S["yhat"]],
                               ignore_additive_constant=True)
    assert not verdict.correct


def test_without_variables_the_log_term_is_not_a_constant(S, nll):
    """By default every symbol of the expected answer matters, sigma included."""
    verdict = verdict_for("(y - yhat)^2/(2sigma^2)", nll, S)
    assert verdict.kind == "wrong"


def test_extra_constant(S):
    verdict = verdict_for("1 - beta^t + 1/2", 1 - S["beta"] ** S["t"], S)
    assert verdict.kind == "extra_constant"
    assert "1/2" in verdict.feedback


def test_uncancelled_sigma(S):
    expected = (S["y"] - S["yhat"]) ** 2
    verdict = verdict_for("(y - yhat)^2/(2 sigma^2)", expected, S)
    assert verdict.kind == "uncancelled"
    assert "σ" in verdict.feedback and "cancelled" in verdict.feedback
    assert "1/(2σ²)" in verdict.feedback


@pytest.mark.parametrize("text, shifted", [("1 - beta^(t+1)", "t + 1"),
                                           ("1 - beta^(t-1)", "t − 1")])
def test_off_by_one(S, text, shifted):
    verdict = verdict_for(text, 1 - S["beta"] ** S["t"], S)
    assert verdict.kind == "off_by_one"
    assert "t is off by one" in verdict.feedback and shifted in verdict.feedback


def test_wrong_gives_a_counterexample(S):
    verdict = verdict_for("x^3", S["x"] ** 2, S)
    assert verdict.kind == "wrong"
    assert "x=" in verdict.feedback and "expected answer gives" in verdict.feedback
    hidden = check_equivalent("x^3", S["x"] ** 2, symbols=S, show_expected=False)
    assert "expected answer gives" not in hidden.feedback and "x²" not in hidden.feedback


def test_zero_is_wrong_not_a_factor(S):
    assert verdict_for("0", S["x"] ** 2, S).kind == "wrong"


def test_matrix_near_misses(S):
    x = S["x"]
    expected = sympy.ImmutableMatrix([[x], [1 - x]])
    assert check_equivalent(-expected, expected).kind == "sign"
    assert check_equivalent(3 * expected, expected).kind == "constant_factor"
    assert "2×1" in check_equivalent(expected.T, expected).feedback


@pytest.mark.parametrize("form, text, expected_word", [
    ("no_sum", "(1-beta)*Sum(beta**(t-i), (i, 1, t))", "without a sum"),
    ("expanded", "(x+1)^2", "expanded"),
    ("factored", "x^2 + 2x + 1", "factored"),
    ("no_sigma", "log(sigma^2) - 2 log(sigma) + x", "does not contain"),
])
def test_equivalent_but_wrong_form(S, form, text, expected_word):
    answers = {"no_sum": 1 - S["beta"] ** S["t"], "expanded": (S["x"] + 1) ** 2,
               "factored": (S["x"] + 1) ** 2, "no_sigma": S["x"]}
    verdict = check_equivalent(text, answers[form], symbols=S, form=form)
    assert verdict.kind == "form" and not verdict.correct
    assert expected_word in verdict.feedback


def test_right_form_passes(S):
    assert check_equivalent("1 - beta^t", 1 - S["beta"] ** S["t"], symbols=S,
                            form="no_sum").correct
    assert check_equivalent("x^2 + 2x + 1", (S["x"] + 1) ** 2, symbols=S,
                            form="expanded").correct
    short = check_equivalent("x + x", 2 * S["x"], symbols=S,
                             form=lambda e: sympy.count_ops(e) <= 1)
    assert short.correct


def test_unreadable_is_not_wrong(S):
    verdict = check_equivalent("(y - yhat)^2/(2 sgima^2)", S["x"], symbols=S)
    assert verdict.kind == "unreadable" and "did you mean 'sigma'" in verdict.feedback


def test_rounded_constants_are_called_out(S):
    verdict = verdict_for("0.333 x", S["x"] / 3, S)
    assert verdict.kind == "wrong" and "rounded" in verdict.feedback
