"""``check_equivalent``: compare a student's answer with the expected expression.

All sympy work (parsing the answer text, numeric sampling, simplification, diagnosis) happens
in a forked child with a hard time limit, so a hostile or merely huge answer costs at most
``timeout`` seconds and never hangs the grader.

A verdict is a pure function of its inputs (sampling is seeded), so verdicts on answers given as
text (typed or srepr) are remembered per process: a class where many students give the same answer
forks one child per distinct answer. Timeouts and checker errors are not remembered, since they may
depend on the machine's load.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import sympy

from .domains import Bounds, collect_bounds, symbols_for
from .errors import AnswerError
from .forms import FORMS, Form, resolve_form
from .isolation import run_isolated
from .judge import Problem, judge
from .naming import known_names, rebind
from .srepr_reader import from_srepr
from .typed import parse_answer
from .verdict import Verdict

Answer = str | sympy.Basic


def check_equivalent(answer: Answer, expected: Answer, *,
                     symbols: Mapping[str, sympy.Basic] | None = None,
                     form: str | Form | Callable[[sympy.Basic], bool] | None = None,
                     timeout: float = 1.5,
                     wall_timeout: float | None = None,
                     ignore_additive_constant: bool = False,
                     variables: Iterable[sympy.Basic | str] | None = None,
                     bounds: Mapping[sympy.Basic | str, Bounds] | None = None,
                     answer_format: str = "typed",
                     functions: Iterable[str] | Mapping = (),
                     show_expected: bool = True,
                     seed: int = 0) -> Verdict:
    """Judge ``answer`` against ``expected`` and return a :class:`Verdict`.

    ``answer`` is a sympy expression or text: typed math (``answer_format="typed"``, read with
    ``symbols`` and ``functions``) or ``sympy.srepr`` output (``answer_format="srepr"``).
    A text that cannot be read gives ``kind="unreadable"``. ``expected`` is a sympy expression
    (or typed text read with ``symbols``). ``variables`` are the symbols that matter (default:
    all symbols of ``expected``); anything free of them counts as a constant.
    ``bounds`` (or a ``SymbolTable``'s bounds) restrict sampling, e.g. ``{beta: (0, 1)}``.
    ``show_expected=False`` keeps the expected answer out of the feedback.
    ``timeout`` is CPU seconds of the checking process; ``wall_timeout`` (default
    ``3*timeout + 1``) caps the real time waited on a busy machine.
    """
    if answer_format not in ("typed", "srepr"):
        raise ValueError("answer_format must be 'typed' or 'srepr'")
    if isinstance(answer, str) and answer_format == "typed" and symbols is None:
        raise ValueError("typed answers need symbols=... to know which names are allowed")
    # The expected answer is the question author's: read it here so mistakes raise at once.
    try:
        reference = _read(expected, symbols, functions, "typed")
    except AnswerError as err:
        raise ValueError(f"the expected answer {expected!r} cannot be read: {err}") from None
    names = None if variables is None else frozenset(str(v) for v in variables)
    known = {str(s) for s in reference.free_symbols} | set(symbols or ())
    if names is not None and not names <= known:
        raise ValueError(f"variables {sorted(names - known)} appear neither in the expected "
                         "answer nor in symbols")
    resolved_form = resolve_form(form)
    sampling = collect_bounds(symbols, bounds)
    key = _memo_key(answer, answer_format, reference, symbols, sampling, form, names, functions,
                    ignore_additive_constant=ignore_additive_constant, show_expected=show_expected,
                    seed=seed, timeout=timeout)
    if key is not None and key in _VERDICTS:
        return _VERDICTS[key]
    _warm_up()

    def job(report) -> None:
        try:
            student = _read(answer, symbols, functions, answer_format)
        except AnswerError as err:
            report(Verdict(False, "unreadable", f"Your answer could not be read: {err}."), True)
            return
        student = rebind(student, known_names(symbols, reference))
        judge(Problem(answer=student, expected=reference, variables=names, bounds=sampling,
                      form=resolved_form, ignore_additive_constant=ignore_additive_constant,
                      show_expected=show_expected, seed=seed), report)

    verdict = run_isolated(job, timeout=timeout, wall_timeout=wall_timeout)
    if key is not None and verdict.kind not in ("timeout", "error"):
        if len(_VERDICTS) >= MEMO_SIZE:
            _VERDICTS.pop(next(iter(_VERDICTS)))  # oldest first
        _VERDICTS[key] = verdict
    return verdict


_warm = False


def _warm_up() -> None:
    """Once per process, judge a small trusted problem here, before the first fork: sympy's lazy
    imports and caches (parsing, evalf of log, exp, sqrt and powers) are then inherited by every
    child instead of being rebuilt in each, about a third of a typical check's time."""
    global _warm
    if _warm:
        return
    _warm = True
    table = symbols_for(x="real", s="positive", b="unit", t="count")
    x, s, b, t = (table[n] for n in ("x", "s", "b", "t"))
    expected = sympy.log(2 * sympy.pi * s**2) / 2 + x**2 / (2 * s**2) + (1 - b**t) * sympy.sqrt(x**2 + 1)
    answer = parse_answer("log(2 pi s^2)/2 + x^2/(2 s^2) + (1 - b^t) sqrt(x^2 + 1)", table)
    judge(Problem(answer=answer, expected=expected, variables=None, bounds=collect_bounds(table, None),
                  form=None, ignore_additive_constant=False, show_expected=True, seed=0),
          lambda verdict, final: None)


MEMO_SIZE = 4096
_VERDICTS: dict[tuple, Verdict] = {}


def forget_verdicts() -> None:
    """Empty the memo (a benchmark timing cold checks, a test counting children)."""
    _VERDICTS.clear()


def _memo_key(answer, answer_format, reference, symbols, sampling, form, names, functions,
              **options) -> tuple | None:
    """Everything the verdict depends on, as srepr text; None where that cannot be had (a custom
    form predicate or custom function builders) or would cost too much: an answer given as a sympy
    object, which may be huge, is only ever looked at in the child."""
    if not isinstance(answer, str):
        return None
    if callable(form) and not isinstance(form, Form) or isinstance(functions, Mapping) and functions:
        return None
    if isinstance(form, Form) and FORMS.get(form.name) is not form:
        return None
    if not all(isinstance(value, sympy.Basic) for value in (symbols or {}).values()):
        return None
    table = tuple(sorted((name, sympy.srepr(symbol)) for name, symbol in (symbols or {}).items()))
    limits = tuple(sorted((str(name), repr(bound)) for name, bound in sampling.items()))
    form_name = form.name if isinstance(form, Form) else form
    return (answer_format, answer, sympy.srepr(reference), table, limits, form_name,
            None if names is None else tuple(sorted(names)), tuple(functions),
            tuple(sorted(options.items())))


def _read(value: Answer, symbols, functions, answer_format: str) -> sympy.Basic:
    if isinstance(value, sympy.Basic):
        return value
    if isinstance(value, sympy.MatrixBase):
        return sympy.ImmutableMatrix(value)
    if not isinstance(value, str):
        raise TypeError(f"expected a sympy expression or text, got {type(value).__name__}")
    if answer_format == "srepr":
        return from_srepr(value, symbols=symbols)
    if symbols is None:
        raise ValueError("typed text needs symbols=... to know which names are allowed")
    return parse_answer(value, symbols, functions=functions)
