"""from_srepr: notebook answers round-trip; anything outside the allow-list is refused."""

import pytest
import sympy

from autograder.symbolic import (AnswerError, AnswerTooLong, ParseError, TooComplex,
                                 UnknownSymbol, from_srepr)


def course_expressions():
    """The notebook answers of mse_from_mle and adam_bias_correction, plus odd corners."""
    sigma, alpha, g0, lam, eps = sympy.symbols("sigma alpha g0 lambda epsilon", positive=True)
    y, yhat, theta, x = sympy.symbols("y yhat theta x", real=True)
    t, m = sympy.symbols("t m", integer=True, positive=True)
    i, k, c = sympy.symbols("i k c", integer=True)
    beta = sympy.Symbol("beta", positive=True)
    Y, Z = sympy.IndexedBase("y", real=True), sympy.IndexedBase("z", real=True)
    f = sympy.Function("f")
    return {
        "gaussian_nll": (y - yhat) ** 2 / (2 * sigma**2) + sympy.log(2 * sympy.pi * sigma**2) / 2,
        "mse": sympy.Sum((Y[i] - yhat) ** 2, (i, 1, m)) / m,
        "map_objective": (y - theta * x) ** 2 / 2 + lam * theta**2,
        "softmax_ce_grad": sympy.exp(Z[k]) / sympy.Sum(sympy.exp(Z[i]), (i, 1, c))
        - sympy.KroneckerDelta(k, c),
        "ema_weights": (1 - beta) * sympy.Sum(beta ** (t - i), (i, 1, t)),
        "ema_closed": 1 - beta**t,
        "adagrad_step": alpha / sympy.sqrt(t * g0**2 + eps),
        "adagrad_limit": alpha / sympy.sqrt(t) / sympy.Abs(g0),
        "gradient_vector": sympy.ImmutableMatrix([[y - yhat], [x * (y - yhat)]]),
        "relu_grad": sympy.Piecewise((1, x > 0), (0, True)) + sympy.Heaviside(x),
        "chain_rule": sympy.Derivative(f(x), x) * sympy.exp(-x) + sympy.Max(x, 0),
        "floats": sympy.Float("0.9") * beta + sympy.Rational(1, 3) + sympy.E + sympy.I,
        "equation": sympy.Eq(theta, x / 2),
    }


@pytest.mark.parametrize("name", sorted(course_expressions()))
def test_round_trip(name):
    expr = course_expressions()[name]
    rebuilt = from_srepr(sympy.srepr(expr))
    assert rebuilt == expr
    assert sympy.srepr(rebuilt) == sympy.srepr(expr)


def test_dummies_keep_their_identity_within_one_text():
    d = sympy.Dummy("d", positive=True)
    rebuilt = from_srepr(sympy.srepr(d**2 + d))
    (only,) = rebuilt.free_symbols
    assert isinstance(only, sympy.Dummy) and only.is_positive


def test_symbols_are_rebound_to_the_graders_assumptions():
    sigma = sympy.Symbol("sigma", positive=True)
    text = sympy.srepr(sympy.sqrt(sympy.Symbol("sigma") ** 2))  # student forgot positive=True
    assert from_srepr(text, symbols={"sigma": sigma}) == sigma


def test_unknown_symbol_when_a_mapping_is_given():
    with pytest.raises(UnknownSymbol) as caught:
        from_srepr("Symbol('sgima')", symbols={"sigma": sympy.Symbol("sigma")})
    assert caught.value.suggestion == "sigma"


def test_bound_summation_index_need_not_be_in_the_mapping():
    t, beta = sympy.Symbol("t", integer=True, positive=True), sympy.Symbol("beta")
    i = sympy.Symbol("i", integer=True)
    text = sympy.srepr(sympy.Sum(beta ** (t - i), (i, 1, t)))
    assert from_srepr(text, symbols={"t": t, "beta": beta}).free_symbols == {t, beta}


SENTINEL = []


@pytest.mark.parametrize("text, words", [
    ("__import__('os').system('touch /tmp/pwned')", "allowed"),
    ("Symbol('x').__class__", "attribute"),
    ("Symbol('x').subs(Symbol('x'), 1)", "allowed"),
    ("(lambda: SENTINEL.append(1))()", "allowed"),
    ("Function('eval')(Symbol('x'))", "reserved"),
    ("Function('exec')(Symbol('x'))", "reserved"),
    ("Function('exp')(Symbol('x'))", "reserved"),
    ("Function('__class__')(Symbol('x'))", "not allowed"),
    ("Function(Symbol('f'))(Symbol('x'))", "quoted name"),
    ("eval('1')", "not an allowed"),
    ("sympify('x')", "not an allowed"),
    ("Integer(1) + Integer(2)", "BinOp"),
    ("[Integer(1)]", "List"),
    ("SENTINEL", "not an allowed"),
    ("Symbol('x', evaluate=True)", "keyword"),
    ("Symbol('x', positive='yes')", "True or False"),
    ("Symbol('x', **{'positive': True})", "keyword"),
    ("Add(*[Symbol('x')])", "Starred"),
    ("Integer('12')", "integer literal"),
    ("Rational(1, 0)", "zero denominator"),
    ("Float('nan; import os')", "malformed"),
    ("Matrix([[Integer(1)], [Integer(1), Integer(2)]])", "equal length"),
    ("Tuple(Integer(1), Integer(2))", "single sympy expression"),
    ("Symbol('x'", "never closed"),
    ("", "not valid"),
])
def test_hostile_or_foreign_text_is_refused(text, words):
    with pytest.raises(ParseError) as caught:
        from_srepr(text)
    assert words in str(caught.value)
    assert SENTINEL == []


@pytest.mark.parametrize("text", [
    "Pow(Integer(9), Pow(Integer(9), Pow(Integer(9), Integer(9))))",
    "Pow(Symbol('x'), Integer(10000000000))",
    "Pow(Pow(Symbol('x'), Integer(100)), Integer(100))",
    "Pow(Integer(10), Integer(99))" .replace("99", "1" + "0" * 40),
    "Integer(" + "9" * 40 + ")",
    "Sum(Symbol('i'), Tuple(Symbol('i'), Integer(1), Integer(10000000)))",
    "Add(" + "Add(" * 200 + "Integer(1)" + ")" * 201,
    "Add(" + ", ".join(["Symbol('x')"] * 3000) + ")",
])
def test_oversized_text_is_refused(text):
    with pytest.raises((TooComplex, ParseError)):
        from_srepr(text)


def test_length_cap():
    with pytest.raises(AnswerTooLong):
        from_srepr("Add(" + ", ".join(["Integer(1)"] * 6000) + ")")


def test_errors_are_answer_errors():
    assert issubclass(ParseError, AnswerError) and issubclass(TooComplex, AnswerError)


def test_indexed_bases_are_rebound_as_a_whole():
    i = sympy.Symbol("i", integer=True)
    m = sympy.Symbol("m", integer=True, positive=True)
    yhat = sympy.Symbol("yhat", real=True)
    Y = sympy.IndexedBase("y", real=True)
    student = sympy.Sum((sympy.IndexedBase("y")[i] - sympy.Symbol("yhat")) ** 2, (i, 1, m)) / m
    rebuilt = from_srepr(sympy.srepr(student), symbols={"y": Y, "yhat": yhat, "m": m})
    assert rebuilt == sympy.Sum((Y[i] - yhat) ** 2, (i, 1, m)) / m
