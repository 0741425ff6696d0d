"""Size caps shared by both readers, and the guarded constructors that enforce them.

sympy evaluates eagerly: ``Integer(9)**Integer(387420489)`` starts computing a 370-million-digit
number the moment the ``Pow`` is built. Both readers therefore build powers and sums only
through :func:`safe_pow` and :func:`check_sum_limits`, which refuse oversized numbers *before*
sympy sees them. The child-process time limit in ``isolation`` is the second line of defence.
"""

from __future__ import annotations

import math

import sympy

from .errors import TooComplex

MAX_TYPED_LENGTH = 500          # characters a student may type
MAX_SREPR_LENGTH = 50_000       # characters of srepr text from a notebook
MAX_SREPR_NODES = 5_000         # Python AST nodes in that text
MAX_DEPTH = 40                  # nesting of brackets/operators in typed text
MAX_SREPR_DEPTH = 120           # nesting of constructor calls in srepr text
MAX_LITERAL = 10**12            # largest integer (and denominator) a literal may have
MAX_EXPONENT = 100              # largest |numerator| or denominator of a numeric exponent
MAX_RESULT_DIGITS = 2_000       # largest number of digits a numeric power may produce
MAX_SUM_TERMS = 1_000           # largest numeric range of a Sum
MAX_MATRIX_ENTRIES = 400        # e.g. 20 x 20


def check_literal(value: sympy.Rational, *, at: int | None = None) -> sympy.Rational:
    """Refuse a number literal whose numerator or denominator exceeds ``MAX_LITERAL``."""
    if abs(value.p) > MAX_LITERAL or value.q > MAX_LITERAL:
        raise TooComplex(f"number too large (limit 10^{round(math.log10(MAX_LITERAL))})", at=at)
    return value


def _digits(n: int) -> float:
    return math.log10(abs(n)) if n else 0.0


def _check_exponent(exponent: sympy.Basic, at: int | None) -> None:
    for number in exponent.atoms(sympy.Rational):
        if abs(number.p) > MAX_EXPONENT or number.q > MAX_EXPONENT:
            raise TooComplex(f"exponent too large (numbers in exponents are limited to "
                             f"{MAX_EXPONENT})", at=at)
    for number in exponent.atoms(sympy.Float):
        if abs(number) > MAX_EXPONENT:
            raise TooComplex(f"exponent too large (limit {MAX_EXPONENT})", at=at)


def safe_pow(base: sympy.Basic, exponent: sympy.Basic, *, at: int | None = None) -> sympy.Basic:
    """``base**exponent``, refusing huge exponents and numeric results with too many digits."""
    _check_exponent(exponent, at)
    if isinstance(base, sympy.Rational) and isinstance(exponent, sympy.Rational):
        size = max(_digits(base.p), _digits(base.q)) * abs(exponent.p) / exponent.q
        if size > MAX_RESULT_DIGITS:
            raise TooComplex("number too large (a power with more than "
                             f"{MAX_RESULT_DIGITS} digits)", at=at)
        if exponent.q != 1 and max(_digits(base.p), _digits(base.q)) > 40:
            raise TooComplex("root of a number that is too large", at=at)
    result = sympy.Pow(base, exponent)
    for power in ([result] if isinstance(result, sympy.Pow) else []):
        _check_exponent(power.exp, at)  # (x**100)**100 collapses to x**10000
    return result


def check_sum_limits(lower: sympy.Basic, upper: sympy.Basic, *, at: int | None = None) -> None:
    """Refuse a Sum whose numeric range has more than ``MAX_SUM_TERMS`` terms."""
    for bound in (lower, upper):
        if isinstance(bound, sympy.Rational) and abs(bound) > MAX_LITERAL:
            raise TooComplex("summation limit too large", at=at)
    if isinstance(lower, sympy.Integer) and isinstance(upper, sympy.Integer):
        if int(upper) - int(lower) + 1 > MAX_SUM_TERMS:
            raise TooComplex(f"sum with more than {MAX_SUM_TERMS} terms", at=at)


def check_structure(expr: sympy.Basic, *, at: int | None = None) -> sympy.Basic:
    """Walk a finished expression and refuse powers whose exponents grew past the cap."""
    for power in expr.atoms(sympy.Pow):
        _check_exponent(power.exp, at)
    return expr
