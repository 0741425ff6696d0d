"""Hostile typed answers through the bank's whole ``check``, for every template.

Each check must return (a hard alarm of ``HANG_SECONDS`` turns a hang into a failure -- this
is not a timing test), never raise, never report a checker failure (status "error": overflow,
deep nesting and the like are the student's problem, reported as unreadable or wrong), and
never execute the text: payloads carry a marker, and ``eval``/``exec``/``compile``/``sympify``
are wrapped to log any call whose source holds it, to a file, so that calls in the engine's
forked children are seen too (the idea of tests/symbolic/test_sym_fuzz.py's no_code_execution).

The engine's own parser fuzzing lives with the engine; this covers the question bank's
layers around it -- part splitting, JSON, arrays, numbers read as arithmetic, formula parts
with their misconceptions, the time budgets -- with explicit regressions and hypothesis.
"""
from __future__ import annotations

import builtins
import contextlib
import dataclasses
import os
import signal
from pathlib import Path

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from question_bank.grading import grade
from question_bank.layout import canonical_piece
from question_bank.registry import all_templates, get

HANG_SECONDS = 20  # generous: the bank bounds a check at about 4 s
MARKER = "nablab_pwned"
SENTINEL = Path(f"/tmp/nablab_qb_hostile_sentinel_{os.getpid()}")
PAYLOADS = [
    f"__import__('pathlib').Path('{SENTINEL}').touch() or {MARKER}",
    f"exec('{MARKER} = 1')", f"eval('{MARKER}')", f"lambda: {MARKER}", f"{MARKER}.__class__.__mro__",
    f"sympify('{MARKER}')", f"a) __import__('os').system('touch {SENTINEL}'); b) {MARKER}",
    f'{{"a": "__import__(\'os\').system(\'touch {SENTINEL}\')", "b": "{MARKER}()"}}',
]
STATUSES = {"correct", "wrong", "unreadable", "missing"}
TEMPLATES = all_templates()


class Hang(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: int, what: str):
    def on_alarm(signum, frame):
        raise Hang(f"no result within {seconds} s for {what}")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def no_code_execution(log: Path):
    """Log every eval/exec/compile/sympify of a text holding MARKER, also from forked children."""
    originals = {name: getattr(builtins, name) for name in ("eval", "exec", "compile")}
    original_sympify = sympy.sympify

    def recorder(name, original):
        def wrapped(source, *args, **kwargs):
            text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
            if isinstance(text, str) and (MARKER in text or str(SENTINEL) in text):
                fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
                os.write(fd, f"{name}: {text[:200]!r}\n".encode())
                os.close(fd)
            return original(source, *args, **kwargs)
        return wrapped

    for name, original in originals.items():
        setattr(builtins, name, recorder(name, original))
    sympy.sympify = recorder("sympify", original_sympify)
    SENTINEL.unlink(missing_ok=True)
    try:
        yield
    finally:
        for name, original in originals.items():
            setattr(builtins, name, original)
        sympy.sympify = original_sympify
    executed = log.read_text() if log.exists() else ""
    assert not SENTINEL.exists(), "a payload was executed"
    assert executed == "", f"student text reached eval/exec/compile/sympify:\n{executed}"


def hostile_check(template, variant, text: str):
    """One check under the alarm, with the properties every answer must have."""
    with time_limit(HANG_SECONDS, f"{template.name}: {text[:80]!r}"):
        result = template.check(variant, text)
    assert 0.0 <= result.score <= 1.0 and result.feedback
    assert len(result.parts) == len(template.parts(variant))
    for part in result.parts:
        assert part.status in STATUSES, (template.name, text[:200], part)
        assert "bug to report" not in part.feedback, (template.name, text[:200], part)
    return result


def labelled(template, variant, piece: str, label: str | None = None) -> str:
    parts = template.parts(variant)
    label = label or parts[0].label
    return f"{label}) {piece}" if len(parts) > 1 else piece


# -- explicit regressions ----------------------------------------------------------------------

DEEP_JSON = '{"a": ' + "[" * 1200 + "]" * 1200 + "}"
DEEP_BRACKETS = "a) " + "[" * 1500 + "]" * 1500
REGRESSIONS = [  # (answer, where: "numeric" / "formula" part, "json-a" (part a numeric) or None = as it is,
    #               words the feedback must hold)
    ("exp(exp(exp(40)))", "numeric", "not a finite number"),
    ("sigmoid(exp(exp(exp(5))))", "numeric", None),        # reads as 1.0: wrong, not a hang
    ("tanh(exp(exp(exp(10))))", "numeric", None),          # once an OverflowError "bug to report"
    ("-exp(exp(exp(exp(3))))", "numeric", "not a finite number"),
    ("[exp(exp(exp(40))), 1/3, sigmoid(exp(exp(exp(5))))]", "numeric", None),
    ("1e999", "numeric", "not a finite number"),
    ("nan", "numeric", "not a finite number"),
    ("(-8)^(1/3)", "numeric", "not a real number"),
    ("[[[[1]]]]", "numeric", "at most 2-D"),
    (DEEP_JSON, None, "nests"),
    (DEEP_BRACKETS, None, "nests"),
    ('{"a": 1e999}', "json-a", "not a finite number"),
    ('{"a": [1e999, 2]}', "json-a", "not a finite number"),
    ('{"a": NaN}', "json-a", "not a finite number"),
    ('{"a": {"b": 1}}', None, "JSON object"),
    ("a) " + "(" * 41 + "1" + ")" * 41, None, "at most 40"),
    ("a) " + "(" * 39 + "1" + ")" * 39, None, None),
    *[(payload, None, None) for payload in PAYLOADS],
]


FORMULA_REGRESSIONS = [  # {s} is a symbol of the part
    "sigmoid(exp(exp(exp(5))))", "exp(exp(exp(40)))", "exp(exp(exp(exp(exp(exp({s}))))))", "{s}^{s}^{s}^{s}^{s}^{s}",
    "log(log(log(log(log(log({s}))))))", "tanh(exp(exp(exp(10*{s}))))", "(" * 39 + "{s}" + ")" * 39,
]
# The slow ones cost their full budget (about 1.5 s): a few templates with formula parts suffice.
FORMULA_TEMPLATES = [t for t in TEMPLATES if any(p.kind == "symbolic" for p in t.parts(t.generate(0)))][:2]


def place(template, variant, answer: str, where: str | None) -> str | None:
    if where is None:
        return answer
    if where == "json-a":
        return answer if template.parts(variant)[0].kind == "numeric" else None
    kind = {"numeric": "numeric", "formula": "symbolic"}[where]
    part = next((p for p in template.parts(variant) if p.kind == kind), None)
    return None if part is None else labelled(template, variant, answer, part.label)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.name)
def test_regressions_are_bounded_and_explained(template, tmp_path):
    variant = template.generate(3)
    with no_code_execution(tmp_path / "executed.log"):
        for answer, where, words in REGRESSIONS:
            text = place(template, variant, answer, where)
            if text is None:
                continue
            result = hostile_check(template, variant, text)
            assert not result.correct, (template.name, answer[:80])
            if words is not None:
                assert words in result.feedback, (template.name, answer[:80], result.feedback)


@pytest.mark.parametrize("template", FORMULA_TEMPLATES, ids=lambda t: t.name)
def test_hostile_formulas_are_bounded_and_never_a_checker_failure(template, tmp_path):
    variant = template.generate(2)
    with no_code_execution(tmp_path / "executed.log"):
        for part in [p for p in template.parts(variant) if p.kind == "symbolic"][:1]:
            for answer in FORMULA_REGRESSIONS:
                result = hostile_check(template, variant, labelled(template, variant, answer.format(s=part.symbols[0]),
                                                                   part.label))
                got = next(r for r in result.parts if r.label == part.label)
                assert got.status in ("wrong", "unreadable"), (answer, got)


def test_one_budget_per_formula_part_and_per_answer():
    """A wrong formula that is slow to compare is not compared again with a fresh budget per
    misconception, and several such parts do not add up: the parts beyond the answer's budget
    are reported as not checked in time (never as wrong, never as a checker failure)."""
    template = get("map_gaussian_prior")
    variant = template.generate(0)
    formula = next(p for p in template.parts(variant) if p.kind == "symbolic")
    result = hostile_check(template, variant, f"{formula.label}) log(log(log(log(log(log(sigma))))))")
    assert result.parts[-1].status in ("wrong", "unreadable")
    many = tuple(dataclasses.replace(formula, label=label) for label in "abcdefgh")
    # distinct texts: the engine remembers verdicts, and each part should cost its full budget
    answer = "; ".join(f"{p.label}) log(log(log(log(log(log(sigma + {i}))))))" for i, p in enumerate(many))
    with time_limit(HANG_SECONDS, "eight slow formula parts"):
        checked = grade(many, answer, template="t", seed=0, max_points=8)
    assert all(p.status in ("wrong", "unreadable") for p in checked.parts), checked.parts
    assert "could not be checked in time" in checked.parts[-1].feedback, checked.parts[-1]


# -- hypothesis ---------------------------------------------------------------------------------

TOKENS = [*"0123456789", "exp(", "sigmoid(", "tanh(", "log(", "sqrt(", "abs(", "Max(", "(", ")", "[", "]",
          "{", "}", ",", ";", ":", "^", "**", "*", "/", "+", "-", ".", " ", "e", "E", "1e308", "1e999", "9" * 30,
          "sigma", "beta", "t", "x", "o", "g", "pi", "a) ", "b) ", "c) ", "d) ", "e) ", '"a": ', '"b": ', '"',
          "true", "false", "yes", "A", "B", "nan", "inf", "NaN", "Infinity", "\\frac{", "\\sqrt{", "|", "\u2212",
          "\u00b2", "\x00", "\n", "\u2603", MARKER, *PAYLOADS]
soup = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)


@st.composite
def nested(draw):
    opening = draw(st.sampled_from(["[", "{", "(", "exp(", "sigmoid(", "[[", '{"a": [']))
    closing = {"[": "]", "{": "}", "(": ")", "exp(": ")", "sigmoid(": ")", "[[": "]]", '{"a": [': "]}"}[opening]
    depth = draw(st.integers(1, 1500))
    inner = draw(soup)
    unbalanced = draw(st.integers(0, 2))
    return draw(st.sampled_from(["", "a) ", '{"a": '])) + opening * depth + inner + closing * max(depth - unbalanced, 0)


answers = st.one_of(
    soup,
    nested(),
    st.builds(lambda a, b: f"a) {a}; b) {b}", soup, soup),
    st.builds(lambda a: '{"a": ' + a + "}", soup),
    st.text(max_size=80),
)


def with_piece(template, variant, index: int, piece: str) -> str:
    """The canonical answer with part ``index`` replaced: the layout reads, the piece reaches its reader."""
    parts = template.parts(variant)
    pieces = [canonical_piece(p) for p in parts]
    pieces[index % len(parts)] = piece
    return "; ".join(f"{p.label}) {text}" for p, text in zip(parts, pieces)) if len(parts) > 1 else pieces[0]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.name)
@settings(max_examples=15, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzz_every_template(template, data, tmp_path):
    variant = template.generate(data.draw(st.integers(0, 3), label="seed"))
    whole = data.draw(st.booleans(), label="whole answer")
    if whole:
        text = data.draw(answers, label="answer")
    else:
        text = with_piece(template, variant, data.draw(st.integers(0, 7), label="part"),
                          data.draw(st.one_of(soup, nested()), label="piece"))
    with no_code_execution(tmp_path / "executed.log"):
        hostile_check(template, variant, text)


def test_the_code_execution_guard_sees_forked_children(tmp_path):
    """Negative control: an eval of marked text in a child of the engine's isolation is caught."""
    from autograder.symbolic.isolation import run_isolated
    from autograder.symbolic.verdict import Verdict

    def job(report):
        eval(f"'{MARKER}'")  # noqa: S307 - the point of the test
        report(Verdict(True, "equivalent", ""), True)

    with pytest.raises(AssertionError, match="reached eval"):
        with no_code_execution(tmp_path / "executed.log"):
            run_isolated(job, timeout=5)
