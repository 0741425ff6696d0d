"""The question bank's only door to the shared symbolic engine (``autograder.symbolic``).

Every formula a student types -- and every canonical answer a template writes -- is read
by the engine's ``parse_answer`` allow-list; equivalence is decided by its
``check_equivalent``, which runs in a time-limited child process. This module only
adapts names: symbol kinds become the engine's ``symbols_for`` table, and the engine's
typed errors become ``AnswerUnreadable`` with the engine's own message (what, and where).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy

Kinds = tuple[tuple[str, str], ...]


class AnswerUnreadable(Exception):
    """An answer (or a part of it) could not be read; the message says why and where."""


@dataclass(frozen=True)
class Comparison:
    """The engine's verdict, reduced to what the question bank reports."""

    correct: bool
    kind: str
    feedback: str


def _engine():
    # Imported late so that `nablab --help` and purely numeric answers never start sympy work there.
    from autograder import symbolic

    return symbolic


@lru_cache(maxsize=256)
def symbol_table(names: tuple[str, ...], kinds: Kinds = ()):
    """The names a student may type, real unless ``kinds`` gives an engine kind."""
    given = dict(kinds)
    return _engine().symbols_for({name: given.get(name, "real") for name in names})


def parse(text: str, names: tuple[str, ...] = (), kinds: Kinds = ()) -> sympy.Expr:
    """Read engine-syntax text; raise ``AnswerUnreadable`` with the engine's explanation."""
    engine = _engine()
    try:
        return engine.parse_answer(text, symbol_table(names, kinds))
    except engine.AnswerError as exc:
        raise AnswerUnreadable(str(exc)) from None


@lru_cache(maxsize=512)
def parse_trusted(text: str, names: tuple[str, ...], kinds: Kinds) -> sympy.Expr:
    """A template's own answer text; failing to read it is a bug in the template."""
    try:
        return parse(text, names, kinds)
    except AnswerUnreadable as exc:
        raise ValueError(f"template answer {text!r} is not engine syntax: {exc}") from None


def read_constant(text: str) -> float:
    """A number typed as arithmetic without unknowns, e.g. ``1/3`` or ``sqrt(6/5)``."""
    expr = parse(text)
    if expr.free_symbols:
        names = ", ".join(sorted(str(s) for s in expr.free_symbols))
        raise AnswerUnreadable(f"expected a number, but the answer contains {names}")
    try:
        value = complex(sympy.N(expr, 20))
    except (TypeError, ValueError):
        raise AnswerUnreadable(f"'{text.strip()[:40]}' is not a number") from None
    if abs(value.imag) > 1e-12 * max(1.0, abs(value.real)):
        raise AnswerUnreadable(f"'{text.strip()[:40]}' is not a real number")
    return value.real


def compare(answer: sympy.Expr, expected: sympy.Expr, *, names: tuple[str, ...], kinds: Kinds,
            ignore_additive_constant: bool = False) -> Comparison:
    """Equivalence by the engine; its verdict kinds (sign, constant_factor, off_by_one, ...) pass through."""
    verdict = _engine().check_equivalent(answer, expected, symbols=symbol_table(names, kinds),
                                         ignore_additive_constant=ignore_additive_constant)
    return Comparison(correct=bool(verdict.correct), kind=str(verdict.kind), feedback=str(verdict.feedback))
