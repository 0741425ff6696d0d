"""check_equivalent accepts every correct way of writing the course's answers."""

import pytest
import sympy

from autograder.symbolic import Verdict, check_equivalent, symbols_for


def assert_correct(verdict: Verdict):
    assert verdict.correct and verdict.kind == "equivalent", verdict


@pytest.mark.parametrize("text", [
    "(y - yhat)**2/(2*sigma**2) + log(2*pi*sigma**2)/2",
    "-log(exp(-(y - yhat)^2/(2 sigma^2)) / sqrt(2 pi sigma^2))",
    "log(sigma*sqrt(2*pi)) + (yhat - y)^2/(2sigma^2)",
    r"\frac{1}{2}\log(2\pi) + \log(\sigma) + \frac{(y-\hat{y})^2}{2\sigma^2}",
])
def test_gaussian_nll_written_differently(S, nll, text):
    assert_correct(check_equivalent(text, nll, symbols=S))


@pytest.mark.parametrize("name", ["x", "sigma", "t", "beta"])
def test_a_single_symbol(S, name):
    assert_correct(check_equivalent(name, S[name], symbols=S))
    assert_correct(check_equivalent(S[name], S[name]))


def test_equations_are_not_expressions(S):
    verdict = check_equivalent(sympy.Eq(S["x"], 1), S["x"] - 1)
    assert verdict.kind == "wrong" and "not an equation" in verdict.feedback


def test_log_of_sigma_root_two_pi(S):
    expected = sympy.log(2 * sympy.pi * S["sigma"] ** 2) / 2
    assert_correct(check_equivalent("log(sigma*sqrt(2*pi))", expected, symbols=S))


def test_ema_weight_sum_closed_form(S):
    beta, t = S["beta"], S["t"]
    verdict = check_equivalent("(1-beta)*Sum(beta**(t-i), (i, 1, t))", 1 - beta**t, symbols=S)
    assert_correct(verdict)


def test_ema_sum_is_not_equal_for_a_wrong_exponent(S):
    """Guards the test above: the same machinery must reject a near-identical sum."""
    verdict = check_equivalent("(1-beta)*Sum(beta**(t-i), (i, 0, t))", 1 - S["beta"] ** S["t"],
                               symbols=S)
    assert not verdict.correct


def test_adagrad_effective_step_limit(S):
    alpha, t, g0 = S["alpha"], S["t"], S["g0"]
    assert_correct(check_equivalent("alpha/sqrt(t)/Abs(g0)", alpha / sympy.sqrt(t * g0**2),
                                    symbols=S))


def test_map_objective_with_lambda_from_prior_variance(S):
    y, x, theta = S["y"], S["x"], S["theta"]
    sigma = S["sigma"]
    expected = (y - theta * x) ** 2 + theta**2 / (2 * sigma**2)
    answer = "(y - theta x)^2 + lambda theta^2"
    lam = {"lambda": 1 / (2 * sigma**2)}
    symbols = {**S, **lam}  # a question may bind a name to an expression
    assert_correct(check_equivalent(answer, expected, symbols=symbols))


def test_softmax_cross_entropy_gradient():
    k, c, j, n = sympy.symbols("k c j n", integer=True, positive=True)
    z = sympy.IndexedBase("z", real=True)
    p = sympy.exp(z[k]) / sympy.Sum(sympy.exp(z[j]), (j, 1, n))
    answer = sympy.exp(z[k]) * sympy.exp(-sympy.log(sympy.Sum(sympy.exp(z[j]), (j, 1, n)))) \
        - sympy.KroneckerDelta(c, k)
    assert_correct(check_equivalent(answer, p - sympy.KroneckerDelta(k, c)))
    assert not check_equivalent(p, p - sympy.KroneckerDelta(k, c)).correct


def test_srepr_answers_from_a_notebook(S, nll):
    student_sigma = sympy.Symbol("sigma")  # no assumptions on the student's side
    y, yhat = sympy.symbols("y yhat")
    text = sympy.srepr((y - yhat) ** 2 / (2 * student_sigma**2)
                       + sympy.log(student_sigma) + sympy.log(2 * sympy.pi) / 2)
    assert_correct(check_equivalent(text, nll, symbols=S, answer_format="srepr"))


def test_matrices_compare_entrywise(S):
    x, y = S["x"], S["y"]
    expected = sympy.ImmutableMatrix([[x - y], [x * (x - y)]])
    assert_correct(check_equivalent(sympy.Matrix([[x - y], [x**2 - x * y]]), expected))
    assert not check_equivalent(sympy.Matrix([[x - y], [x - y]]), expected).correct


def test_undefined_functions_and_derivatives():
    x = sympy.Symbol("x", real=True)
    f = sympy.Function("f")
    expected = 2 * f(x) * sympy.Derivative(f(x), x)
    assert_correct(check_equivalent(sympy.diff(f(x) ** 2, x), expected))
    assert not check_equivalent(sympy.Derivative(f(x), x) ** 2, expected).correct


def test_bounds_matter(S):
    """sqrt(beta^2) = beta only because beta > 0; with beta in (-1, 0) it is -beta."""
    beta = sympy.Symbol("b", real=True)
    assert check_equivalent(sympy.Abs(beta), beta, bounds={beta: (0.0, 1.0)}).correct
    assert check_equivalent(sympy.Abs(beta), -beta, bounds={"b": (-1.0, 0.0)}).correct
    assert not check_equivalent(sympy.Abs(beta), beta, bounds={beta: (-1.0, 1.0)}).correct


def test_symbols_for_kinds():
    S = symbols_for(beta="unit", t="count", k=(2, 5), lam=(-1, 1))
    assert S["t"].is_integer and S["t"].is_positive and S["beta"].is_positive
    assert S.bounds == {S["beta"]: (0, 1), S["k"]: (2, 5), S["lam"]: (-1, 1)}
    assert S["lam"].is_positive is None
    with pytest.raises(ValueError):
        symbols_for(x="imaginary")


def test_verdict_is_small_and_serialisable():
    verdict = Verdict(correct=False, kind="sign", feedback="Wrong sign.")
    assert Verdict.from_dict(verdict.to_dict()) == verdict
    with pytest.raises(ValueError):
        Verdict(correct=True, kind="great", feedback="")


def test_question_author_mistakes_raise_at_once(S):
    with pytest.raises(ValueError, match="cannot be read"):
        check_equivalent("x", "x +", symbols=S)
    with pytest.raises(ValueError, match="variables"):
        check_equivalent("x", S["x"], symbols=S, variables=["thetta"])
    with pytest.raises(ValueError, match="symbols="):
        check_equivalent("x", S["x"])
    with pytest.raises(ValueError, match="unknown form"):
        check_equivalent("x", S["x"], symbols=S, form="tidy")


def test_expected_may_be_typed_text(S):
    assert_correct(check_equivalent("2x", "x + x", symbols=S))


def test_student_symbols_without_assumptions_are_matched_by_name(S):
    """sqrt(sigma**2) is sigma only for the grader's positive sigma."""
    plain = sympy.Symbol("sigma")
    assert_correct(check_equivalent(sympy.sqrt(plain**2), S["sigma"], symbols=S))
    i, m = S["i"], S["m"]
    Y = sympy.IndexedBase("y", real=True)
    expected = sympy.Sum((Y[i] - S["yhat"]) ** 2, (i, 1, m)) / m
    student = sympy.Sum((sympy.IndexedBase("y")[i] - sympy.Symbol("yhat")) ** 2, (i, 1, m)) / m
    assert_correct(check_equivalent(sympy.srepr(student), expected, answer_format="srepr",
                                    symbols={**S, "y": Y}))
