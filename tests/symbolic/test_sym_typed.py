"""parse_answer: what students type becomes the sympy expression they meant, or a typed error."""

import pytest
import sympy

from autograder.symbolic import (AnswerError, AnswerTooLong, ParseError, TooComplex,
                                 UnknownSymbol, parse_answer)


def same(text, expected, S, **kw):
    got = parse_answer(text, S, **kw)
    assert sympy.simplify(got - expected) == 0, f"{text!r} -> {got}, expected {expected}"
    return got


@pytest.mark.parametrize("text", [
    "-(y - yhat)**2/(2*sigma**2)",
    "-(y - yhat)^2/(2 sigma^2)",
    "-(y-yhat)^2 / (2σ²)",
    r"-\frac{(y - \hat{y})^2}{2\sigma^2}",
    r"-\frac{\left(y - yhat\right)^{2}}{2 \cdot \sigma^{2}}",
    "−(y − ŷ)²/(2·σ²)",
])
def test_gaussian_log_likelihood_spellings(S, text):
    y, yhat, sigma = S["y"], S["yhat"], S["sigma"]
    same(text, -(y - yhat) ** 2 / (2 * sigma**2), S)


@pytest.mark.parametrize("text, build", [
    ("1 - beta**t", lambda S: 1 - S["beta"] ** S["t"]),
    ("alpha/sqrt(t)/Abs(g0)", lambda S: S["alpha"] / sympy.sqrt(S["t"]) / S["g0"]),
    ("alpha/(sqrt(t)|g0|)", lambda S: S["alpha"] / sympy.sqrt(S["t"]) / S["g0"]),
    ("|x||w| - ||x| - 1|", lambda S: sympy.Abs(S["x"] * S["w"]) - sympy.Abs(sympy.Abs(S["x"]) - 1)),
    ("2x", lambda S: 2 * S["x"]),
    ("2x^2", lambda S: 2 * S["x"] ** 2),
    ("x(x+1)", lambda S: S["x"] * (S["x"] + 1)),
    ("(x+1)(x-1)", lambda S: S["x"] ** 2 - 1),
    ("-x^2", lambda S: -S["x"] ** 2),
    ("2^3^2", lambda S: sympy.Integer(512)),
    ("x^-1", lambda S: 1 / S["x"]),
    ("1/2x", lambda S: S["x"] / 2),
    ("0.5 x", lambda S: S["x"] / 2),
    ("1e-8 + epsilon", lambda S: sympy.Rational(1, 10**8) + S["epsilon"]),
    (r"\sqrt{2\pi}\sigma", lambda S: sympy.sqrt(2 * sympy.pi) * S["sigma"]),
    ("ln(e^x)", lambda S: S["x"]),
    ("log(8, 2)", lambda S: sympy.Integer(3)),
    ("max(0, x) + Min(x, 1, 2)", lambda S: sympy.Max(0, S["x"]) + sympy.Min(S["x"], 1)),
    ("sigmoid(x)", lambda S: 1 / (1 + sympy.exp(-S["x"]))),
    ("lambda*theta^2", lambda S: S["lambda"] * S["theta"] ** 2),
    (r"\lambda\theta^2", lambda S: S["lambda"] * S["theta"] ** 2),
    ("(1-beta)*Sum(beta**(t-i), (i, 1, t))",
     lambda S: (1 - S["beta"]) * sympy.Sum(S["beta"] ** (S["t"] - S["i"]), (S["i"], 1, S["t"]))),
])
def test_forms_students_type(S, text, build):
    same(text, build(S), S)


def test_names_resolve_only_to_given_symbols(S):
    got = parse_answer("sigma*x", S)
    assert got.free_symbols == {S["sigma"], S["x"]}
    assert S["sigma"].is_positive  # the variant's assumptions survive


def test_extra_functions_by_name_and_by_builder(S):
    f = parse_answer("f(x) + 1", S, functions=("f",))
    assert f == sympy.Function("f")(S["x"]) + 1
    relu = parse_answer("relu(x)", S, functions={"relu": lambda z: sympy.Max(0, z)})
    assert relu == sympy.Max(0, S["x"])


@pytest.mark.parametrize("text, name, at, suggestion", [
    ("(y - yhat)**2/(2*sgima**2)", "sgima", 17, "sigma"),
    ("1 - betat", "betat", 4, "beta*t"),
    ("factorial(10**6)", "factorial", 0, None),
    ("__import__('os')", None, 0, None),
])
def test_unknown_names_are_reported_with_position(S, text, name, at, suggestion):
    with pytest.raises(AnswerError) as caught:
        parse_answer(text, S)
    err = caught.value
    assert err.at == at
    if name is not None:
        assert isinstance(err, UnknownSymbol)
        assert err.name == name
        assert err.suggestion == suggestion
        assert name in str(err)


@pytest.mark.parametrize("text, at, words", [
    ("(x + 1", 0, "never closed"),
    ("x + 1)", 5, "unmatched"),
    ("x +", 3, "ends too early"),
    ("x = 1", 2, "not an equation"),
    ("x[1]", 1, "round brackets"),
    ("x.real", 1, "inside a number"),
    ("'x'", 0, "quotes"),
    ("2 3", 2, "missing operator"),
    ("x ** * 2", 5, "unexpected"),
    ("log()", 0, "argument"),
    ("log x", 4, "parentheses"),
    ("x / 0", 2, "division by zero"),
    (r"\foo{x}", 0, "LaTeX"),
    ("|x", 2, "closing '|'"),
    ("(x, 1)", 0, "tuple"),
    ("Sum(x, (i, 1, t)*2)", 7, "tuple"),
    ("Sum(x, -(i, 1, t))", 8, "tuple"),
    ("Max(x, (1, 2))", 0, "tuple"),
    ("", 0, "empty"),
])
def test_format_errors_say_where(S, text, at, words):
    with pytest.raises(ParseError) as caught:
        parse_answer(text, S)
    assert caught.value.at == at, caught.value
    assert words in str(caught.value)
    assert "^" in caught.value.pointer(text)


@pytest.mark.parametrize("text", [
    "9**9**9**9", "x**(10**10)", "x^1000", "2^(10^5)", "(x^100)^100", "(10^12)^100^2",
    "123456789012345", "1e40", "Sum(x^i, (i, 1, 10^9))", "(" * 60 + "x" + ")" * 60,
    "-" * 60 + "x", "sqrt(10^12^2)",
])
def test_oversized_inputs_are_refused_as_too_complex(S, text):
    with pytest.raises(TooComplex):
        parse_answer(text, S)


def test_length_cap(S):
    with pytest.raises(AnswerTooLong) as caught:
        parse_answer("x+" * 300 + "x", S)
    assert caught.value.limit == 500


def test_errors_serialise_for_results(S):
    with pytest.raises(UnknownSymbol) as caught:
        parse_answer("sgima", S)
    assert caught.value.to_dict() == {"error": "UnknownSymbol", "message": caught.value.message,
                                      "at": 0, "name": "sgima", "suggestion": "sigma"}
