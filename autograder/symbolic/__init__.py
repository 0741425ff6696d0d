"""The shared symbolic checking engine: read student math safely, then judge it.

Two readers, both allow-list based and free of ``eval``: :func:`parse_answer` for typed math
and :func:`from_srepr` for expressions sent back from a notebook process. One judge,
:func:`check_equivalent`, returns a :class:`Verdict` that names near misses (sign, constant
factor, missing constant, uncancelled symbol, off-by-one, form) and runs under a hard time
limit in a child process.

    S = symbols_for(sigma="positive", beta="unit", t="count", y="real", yhat="real")
    parse_answer("(y - yhat)^2/(2 sigma^2)", S)           # typed text -> sympy (or AnswerError)
    from_srepr(text_from_notebook, symbols=S)              # srepr text -> sympy (or AnswerError)
    check_equivalent("1 - beta^(t+1)", 1 - S["beta"]**S["t"], symbols=S)
    # Verdict(correct=False, kind="off_by_one", feedback="t is off by one: ...")
"""

from .check import check_equivalent
from .domains import SymbolTable, symbols_for
from .errors import AnswerError, AnswerTooLong, ParseError, TooComplex, UnknownSymbol
from .forms import FORMS, Form
from .srepr_reader import from_srepr
from .typed import parse_answer
from .verdict import KINDS, Verdict

__all__ = [
    "FORMS", "KINDS", "AnswerError", "AnswerTooLong", "Form", "ParseError", "SymbolTable",
    "TooComplex", "UnknownSymbol", "Verdict", "check_equivalent", "from_srepr", "parse_answer",
    "symbols_for",
]
