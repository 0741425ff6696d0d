"""Fuzzing both readers: only AnswerError escapes, every input returns promptly, nothing runs.

A seeded generator makes token soup and mutations of valid answers (always runs); a
hypothesis-based test adds shrinking when hypothesis is installed.
"""

import ast
import builtins
import random
import time
from pathlib import Path

import pytest
import sympy

from autograder.symbolic import AnswerError, KINDS, check_equivalent, from_srepr, parse_answer

PER_INPUT_SECONDS = 5.0  # generous: parse time is capped at 1 s inside the parser
SENTINEL = Path("/tmp/nablab_symbolic_fuzz_sentinel")
PAYLOADS = [
    f"__import__('pathlib').Path('{SENTINEL}').touch()",
    f"open('{SENTINEL}', 'w')", "exec('x=1')", "eval('1')", "lambda: 0", "globals()",
    "x.__class__.__mro__", "().__class__", "[c for c in ()]", "import os", "sympify('x')",
]
TOKENS = [
    "x", "y", "yhat", "sigma", "beta", "t", "i", "sgima", "xy", "e", "E", "pi", "lambda", "eval",
    "exp", "log", "ln", "sqrt", "Abs", "abs", "Max", "min", "Sum", "sigmoid", "factorial",
    "0", "1", "2", "0.5", "1e-8", "1e12", "123456789012345", ".", "1.2.3", "9", "100", "10**10",
    "+", "-", "*", "/", "^", "**", "(", ")", "{", "}", "|", ",", "[", "]", "=", "'", '"', "_",
    "__", ";", ":", "!", "@", "#", "\\frac", "\\sqrt", "\\cdot", "\\beta", "\\hat", "\\left",
    "\\right", "\\foo", "σ", "ŷ", "−", "·", "²", "\u0302", "\n", "\t", " ", "\x00", "\U0001F600",
]
VALID = [
    "-(y - yhat)**2/(2*sigma**2)", "1 - beta**t", "(1-beta)*Sum(beta**(t-i), (i, 1, t))",
    r"\frac{1}{2}\log(2\pi\sigma^2)", "alpha/sqrt(t)/Abs(g0)", "|x||y| - 2x^2",
]


def token_soup(rng: random.Random) -> str:
    return "".join(rng.choice(TOKENS) for _ in range(rng.randint(1, 40)))


def mutate(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 4)):
        where = rng.randrange(len(chars) + 1)
        action = rng.random()
        if action < 0.4:
            chars.insert(where, rng.choice(TOKENS))
        elif action < 0.7 and chars:
            del chars[min(where, len(chars) - 1)]
        elif chars:
            chars[min(where, len(chars) - 1)] = rng.choice(TOKENS)
    return "".join(chars)


def inputs(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    made = list(PAYLOADS)
    while len(made) < count:
        made.append(token_soup(rng) if rng.random() < 0.5 else mutate(rng, rng.choice(VALID)))
    return made


@pytest.fixture
def no_code_execution(monkeypatch):
    """Record any eval/exec/compile/sympify of text while the readers run."""
    calls = []

    def recorder(name, original):
        def wrapped(source, *args, **kwargs):
            flags = kwargs.get("flags", args[2] if len(args) > 2 else 0)
            only_ast = name == "compile" and flags & ast.PyCF_ONLY_AST  # ast.parse: no code
            if isinstance(source, str) and not only_ast:
                calls.append((name, source))
            return original(source, *args, **kwargs)
        return wrapped

    for name in ("eval", "exec", "compile"):
        monkeypatch.setattr(builtins, name, recorder(name, getattr(builtins, name)))
    monkeypatch.setattr(sympy, "sympify", recorder("sympify", sympy.sympify))
    SENTINEL.unlink(missing_ok=True)
    yield calls
    assert not SENTINEL.exists(), "a payload was executed"


def test_typed_parser_fuzz(S, no_code_execution):
    symbols = {**S, "alpha": S["alpha"], "g0": S["g0"]}
    for text in inputs(seed=1, count=600):
        start = time.monotonic()
        try:
            result = parse_answer(text, symbols)
        except AnswerError:
            pass
        else:
            assert isinstance(result, sympy.Basic), (text, result)
        assert time.monotonic() - start < PER_INPUT_SECONDS, text
    assert no_code_execution == []


def test_srepr_reader_fuzz(no_code_execution):
    rng = random.Random(2)
    x, sigma = sympy.Symbol("x"), sympy.Symbol("sigma", positive=True)
    valid = [sympy.srepr(e) for e in (x**2 / (2 * sigma**2), sympy.Sum(x**sympy.Symbol("i"),
             (sympy.Symbol("i"), 1, 5)), sympy.Function("f")(x) + sympy.pi)]
    pieces = ["Symbol(", "Integer(", "Pow(", "Add(", "Function(", "')", "(", ")", ",", "'x'",
              "1", "-", "True", "positive=", "__class__", ".", "[", "]", "lambda", "*"]
    texts = list(PAYLOADS)
    for _ in range(400):
        chars = list(rng.choice(valid))
        for _ in range(rng.randint(1, 3)):
            where = rng.randrange(len(chars))
            chars[where:where + rng.randint(0, 3)] = rng.choice(pieces)
        texts.append("".join(chars))
    for text in texts:
        start = time.monotonic()
        try:
            assert isinstance(from_srepr(text), sympy.Basic)
        except AnswerError:
            pass
        assert time.monotonic() - start < PER_INPUT_SECONDS, text
    assert no_code_execution == []


def test_judge_fuzz_gives_a_known_kind_and_never_an_error(S):
    expected = (S["y"] - S["yhat"]) ** 2 / (2 * S["sigma"] ** 2)
    for text in inputs(seed=3, count=40):
        verdict = check_equivalent(text, expected, symbols=S, timeout=1.0)
        assert verdict.kind in KINDS and verdict.kind != "error", (text, verdict)


def test_hypothesis_fuzz(S):
    hypothesis = pytest.importorskip("hypothesis")
    strategies = pytest.importorskip("hypothesis.strategies")

    @hypothesis.settings(max_examples=300, deadline=None, database=None)
    @hypothesis.given(strategies.lists(strategies.sampled_from(TOKENS), max_size=30).map("".join)
                      | strategies.text(max_size=60))
    def check(text):
        try:
            parse_answer(text, S)
        except AnswerError:
            pass

    check()


def random_expression(rng: random.Random, leaves: list, depth: int = 3) -> sympy.Expr:
    """A random expression over ``leaves`` built from the operations answers use."""
    if depth == 0 or rng.random() < 0.25:
        return rng.choice(leaves)
    a = random_expression(rng, leaves, depth - 1)
    op = rng.choice(["+", "*", "/", "pow", "exp", "log", "sqrt", "abs"])
    if op in ("+", "*", "/"):
        b = random_expression(rng, leaves, depth - 1)
        return a + b if op == "+" else a * b if op == "*" else a / b
    return {"pow": lambda: a ** rng.choice([2, 3, -1]), "exp": lambda: sympy.exp(a / 4),
            "log": lambda: sympy.log(1 + a**2), "sqrt": lambda: sympy.sqrt(1 + a**2),
            "abs": lambda: sympy.Abs(a)}[op]()


def test_judge_properties_on_random_expressions(S):
    """For random e: expand(e) is equivalent, 2e a factor, -e a sign, e + 1 a constant."""
    rng = random.Random(5)
    leaves = [S["sigma"], S["beta"], S["t"], S["y"], S["x"], sympy.Integer(2), sympy.Rational(1, 2)]
    checked = 0
    while checked < 8:
        e = random_expression(rng, leaves)
        if not e.free_symbols:
            continue
        checked += 1
        for answer, kind in [(sympy.expand(e), "equivalent"), (2 * e, "constant_factor"),
                             (-e, "sign"), (e + 1, "extra_constant")]:
            verdict = check_equivalent(answer, e, timeout=2.0)
            assert verdict.kind == kind, (e, answer, verdict)
