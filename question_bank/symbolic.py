"""The question bank's only door to the shared symbolic engine (``autograder.symbolic``).

Every formula a student types -- and every canonical answer a template writes --
is read by the engine's ``parse_answer`` allow-list; equivalence is decided by
its ``check_equivalent`` (which also stops checks that run too long). This module
only adapts names and turns the engine's typed errors into ``AnswerUnreadable``
with a message that says what could not be read.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy


class AnswerUnreadable(Exception):
    """An answer (or a part of it) could not be read; the message says why and where."""


@dataclass(frozen=True)
class Comparison:
    """The engine's verdict, reduced to what the question bank reports."""

    correct: bool
    kind: str
    feedback: str


def _engine():
    # Imported late so that numeric questions (and `nablab --help`) never depend on it.
    from autograder import symbolic

    return symbolic


def _describe(exc: Exception) -> str:
    """A readable message for an engine ``AnswerError``."""
    text = str(exc).strip()
    name = type(exc).__name__
    if name == "UnknownSymbol" and not text:
        text = f"unknown name '{getattr(exc, 'name', '?')}'"
        if getattr(exc, "suggestion", None):
            text += f" (did you mean '{exc.suggestion}'?)"
    if name == "ParseError" and getattr(exc, "at", None) is not None and "character" not in text:
        text = f"{text or 'could not parse'} (at character {exc.at})"
    return text or name


@lru_cache(maxsize=256)
def symbol_table(names: tuple[str, ...], positive: tuple[str, ...]) -> dict[str, sympy.Symbol]:
    """Symbols the student may use; those in ``positive`` carry that assumption."""
    return {name: sympy.Symbol(name, positive=True) if name in positive else sympy.Symbol(name)
            for name in names}


def parse(text: str, names: tuple[str, ...] = (), positive: tuple[str, ...] = ()) -> sympy.Expr:
    """Read engine-syntax text; raise ``AnswerUnreadable`` with the engine's explanation."""
    engine = _engine()
    try:
        return engine.parse_answer(text, symbol_table(names, positive))
    except engine.AnswerError as exc:
        raise AnswerUnreadable(_describe(exc)) from None


@lru_cache(maxsize=512)
def parse_trusted(text: str, names: tuple[str, ...], positive: tuple[str, ...]) -> sympy.Expr:
    """A template's own answer text; failing to read it is a bug in the template."""
    try:
        return parse(text, names, positive)
    except AnswerUnreadable as exc:
        raise ValueError(f"template answer {text!r} is not engine syntax: {exc}") from None


def read_constant(text: str) -> float:
    """A number typed as arithmetic without unknowns, e.g. ``1/3`` or ``sqrt(6/5)``."""
    expr = parse(text)
    if expr.free_symbols:
        names = ", ".join(sorted(str(s) for s in expr.free_symbols))
        raise AnswerUnreadable(f"expected a number, but the answer contains {names}")
    value = complex(sympy.N(expr, 20))
    if abs(value.imag) > 1e-12 * max(1.0, abs(value.real)):
        raise AnswerUnreadable(f"'{text.strip()[:40]}' is not a real number")
    return value.real


def compare(answer: sympy.Expr, expected: sympy.Expr, *, names: tuple[str, ...],
            positive: tuple[str, ...], ignore_additive_constant: bool = False) -> Comparison:
    """Equivalence by the engine; its verdict kinds (sign, constant_factor, ...) pass through."""
    engine = _engine()
    verdict = engine.check_equivalent(
        answer, expected, symbols=symbol_table(names, positive),
        ignore_additive_constant=ignore_additive_constant,
    )
    return Comparison(correct=bool(verdict.correct), kind=str(verdict.kind), feedback=str(verdict.feedback))
