"""The question bank's only door to the shared symbolic engine (``autograder.symbolic``).

Every formula a student types -- and every canonical answer a template writes -- is read
by the engine's ``parse_answer`` allow-list; equivalence is decided by its
``check_equivalent``, which runs in a time-limited child process. This module only
adapts names: symbol kinds become the engine's ``symbols_for`` table, and the engine's
typed errors become ``AnswerUnreadable`` with the engine's own message (what, and where).

Student text is never turned into sympy objects in this process: building, printing or
evaluating a hostile expression (``sigmoid(exp(exp(exp(5))))``) can run for minutes inside
sympy. Formulas go to ``check_equivalent`` as text (read in its child); numbers typed as
arithmetic are read and evaluated by ``read_constants`` in a child of their own
(``autograder.symbolic.isolation.run_isolated``), with a small float evaluator over the
allow-listed functions, so every reading is bounded and an overflow is the student's
"not a finite number", never a checker failure. Only the templates' own (trusted) answer
texts are parsed here, by ``parse_trusted``.
"""
from __future__ import annotations

import json
import math
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


READ_CPU_SECONDS = 1.0    # CPU seconds to read and evaluate the numbers of one part
READ_WALL_SECONDS = 1.5   # real seconds waited for them, unless the caller gives less
COMPARE_CPU_SECONDS = 1.0


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:37] + "..."


class _NotANumber(Exception):
    pass


def _real(value: float) -> float:
    if math.isnan(value):
        raise _NotANumber("is undefined (not a finite number)")
    return value


def _pow(base: float, exponent: float) -> float:
    if base < 0 and math.isfinite(exponent) and exponent != int(exponent):
        raise _NotANumber("is not a real number (a negative number to a fractional power)")
    if base == 0 and exponent < 0:
        return math.inf
    try:
        return base ** exponent
    except OverflowError:
        # |base| > 1 and a large exponent: the sign survives only for integer exponents
        odd = exponent == int(exponent) and int(exponent) % 2 == 1
        return -math.inf if base < 0 and odd else math.inf
    except ZeroDivisionError:
        return math.inf


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _log(x: float) -> float:
    if x < 0:
        raise _NotANumber("is not a real number (the log of a negative number)")
    if x == 0:
        return -math.inf
    return math.log(x)


def _evaluate(expr) -> float:
    """``_node`` with NaN (inf - inf, 0 * inf, ...) refused at every node."""
    return _real(_node(expr))


def _node(expr) -> float:
    """A sympy tree of numbers and allow-listed functions as an IEEE float (inf on overflow).

    Only the node types the engine's parser can build are known; anything else is evaluated
    by ``sympy.N`` (still inside the time-limited child).
    """
    if expr.is_Rational:
        try:
            return int(expr.p) / int(expr.q)
        except OverflowError:
            return math.inf if expr.p > 0 else -math.inf
    if expr.is_Float:
        return float(expr)
    if expr is sympy.pi:
        return math.pi
    if expr is sympy.E:
        return math.e
    if expr in (sympy.oo, sympy.zoo):
        return math.inf
    if expr is sympy.S.NegativeInfinity:
        return -math.inf
    if expr is sympy.nan:
        return math.nan
    if expr is sympy.I:
        raise _NotANumber("is not a real number")
    args = expr.args
    if isinstance(expr, sympy.Add):
        values = [_evaluate(a) for a in args]
        try:
            return math.fsum(values)
        except (OverflowError, ValueError):  # inf - inf (NaN, refused), or a sum that overflows
            return sum(values)
    if isinstance(expr, sympy.Mul):
        product = 1.0
        for a in args:
            product = _real(product * _evaluate(a))
        return product
    if isinstance(expr, sympy.Pow):
        return _pow(_evaluate(args[0]), _evaluate(args[1]))
    if isinstance(expr, sympy.exp):
        return _exp(_evaluate(args[0]))
    if isinstance(expr, sympy.log):
        value = _log(_evaluate(args[0]))
        return value if len(args) == 1 else value / _log(_evaluate(args[1]))
    if isinstance(expr, sympy.tanh):
        return math.tanh(_evaluate(args[0]))
    if isinstance(expr, sympy.Abs):
        return abs(_evaluate(args[0]))
    if isinstance(expr, sympy.sign):
        x = _evaluate(args[0])
        return float((x > 0) - (x < 0))
    if isinstance(expr, sympy.Max):
        return max(_evaluate(a) for a in args)
    if isinstance(expr, sympy.Min):
        return min(_evaluate(a) for a in args)
    value = complex(sympy.N(expr, 20))
    if abs(value.imag) > 1e-12 * max(1.0, abs(value.real)):
        raise _NotANumber("is not a real number")
    return value.real


def _read_one(text: str) -> float:
    """Parse and evaluate one constant (runs in the child). Raises AnswerUnreadable."""
    engine = _engine()
    try:
        expr = engine.parse_answer(text, symbol_table(()))
    except engine.AnswerError as exc:
        raise AnswerUnreadable(str(exc)) from None
    if expr.free_symbols:
        names = ", ".join(sorted(str(s) for s in expr.free_symbols))
        raise AnswerUnreadable(f"expected a number, but the answer contains {names}")
    try:
        value = _evaluate(expr)
    except _NotANumber as exc:
        raise AnswerUnreadable(f"'{_shown(text)}' {exc}") from None
    except (TypeError, ValueError, ArithmeticError):
        raise AnswerUnreadable(f"'{_shown(text)}' is not a number") from None
    if not math.isfinite(value):
        raise AnswerUnreadable(f"'{_shown(text)}' is not a finite number (too large to evaluate, or infinite)")
    return value


def read_constants(texts: tuple[str, ...] | list[str], *, wall_timeout: float = READ_WALL_SECONDS) -> tuple[float, ...]:
    """Numbers typed as arithmetic without unknowns (``1/3``, ``sqrt(6/5)``), in one child.

    Raises ``AnswerUnreadable`` for the first text (in order) that is not a finite real number,
    or that could not be read within ``READ_CPU_SECONDS`` of CPU / ``wall_timeout`` real seconds.
    """
    texts = list(texts)
    if not texts:
        return ()
    if wall_timeout <= 0:
        raise AnswerUnreadable(f"'{_shown(texts[0])}' could not be read in the time left for this answer; "
                               "type plain numbers or simplify")
    from autograder.symbolic.isolation import run_isolated
    from autograder.symbolic.verdict import Verdict

    def job(report) -> None:
        values: list[float] = []
        for text in texts:
            try:
                values.append(_read_one(text))
            except AnswerUnreadable as exc:
                report(Verdict(False, "unreadable", json.dumps({"values": values, "error": str(exc)})), True)
                return
            except RecursionError:
                message = f"'{_shown(text)}' is nested too deeply to evaluate"
                report(Verdict(False, "unreadable", json.dumps({"values": values, "error": message})), True)
                return
            except MemoryError:
                message = f"'{_shown(text)}' needs too much memory to evaluate; simplify it"
                report(Verdict(False, "unreadable", json.dumps({"values": values, "error": message})), True)
                return
            report(Verdict(True, "equivalent", json.dumps({"values": values, "error": None})), False)
        report(Verdict(True, "equivalent", json.dumps({"values": values, "error": None})), True)

    verdict = run_isolated(job, timeout=READ_CPU_SECONDS, wall_timeout=wall_timeout)
    try:
        payload = json.loads(verdict.feedback)
        values, error = [float(v) for v in payload["values"]], payload["error"]
    except (ValueError, TypeError, KeyError):
        values, error = [], None  # a timeout (or a child that died) before the first number
    if error is not None:
        raise AnswerUnreadable(error)
    if len(values) < len(texts):
        raise AnswerUnreadable(f"'{_shown(texts[len(values)])}' could not be evaluated in time; "
                               "type a plain number or simplify the arithmetic")
    return tuple(values)


def read_constant(text: str, *, wall_timeout: float = READ_WALL_SECONDS) -> float:
    """One number typed as arithmetic without unknowns, e.g. ``1/3`` or ``sqrt(6/5)``."""
    return read_constants((text,), wall_timeout=wall_timeout)[0]


def compare(answer: str | sympy.Expr, expected: sympy.Expr, *, names: tuple[str, ...], kinds: Kinds,
            ignore_additive_constant: bool = False, timeout: float = COMPARE_CPU_SECONDS,
            wall_timeout: float | None = None) -> Comparison:
    """Equivalence by the engine; its verdict kinds (sign, constant_factor, off_by_one, ...) pass through.

    A student's ``answer`` is passed as text: the engine reads it in its time-limited child.
    ``timeout`` is the child's CPU seconds, ``wall_timeout`` the real seconds waited for it.
    """
    verdict = _engine().check_equivalent(answer, expected, symbols=symbol_table(names, kinds),
                                         ignore_additive_constant=ignore_additive_constant,
                                         timeout=timeout, wall_timeout=wall_timeout)
    return Comparison(correct=bool(verdict.correct), kind=str(verdict.kind), feedback=str(verdict.feedback))
