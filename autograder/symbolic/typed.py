"""``parse_answer``: a recursive-descent parser for math typed by students.

Why not ``sympy.parse_expr``? It compiles the transformed token stream with ``eval``. Even with
a validated token stream and empty namespaces, safety would rest on two layers (our validator
and sympy's transformations) agreeing forever. This parser instead builds sympy objects
directly: a name becomes an object only by lookup in the variant's symbols or the tables in
``vocabulary``; there is no code path from the text to ``eval``, ``getattr`` or ``import``.
It also lets every error carry its column and every power be size-checked before sympy
evaluates it.

Grammar (``^`` and ``**`` are both powers; juxtaposition is multiplication)::

    expr   := term (('+' | '-') term)*
    term   := unary (('*' | '/') unary | <implicit> power)*
    unary  := ('-' | '+') unary | power
    power  := atom ('^' unary)?                  # right-associative: 2^3^2 = 2^9
    atom   := NUM | NAME | NAME '(' args ')' | '(' expr ')' | '{' expr '}' | '|' expr '|'
            | '\\frac' group group | '\\sqrt' group | '\\hat' group

Like most calculators, ``1/2x`` means ``(1/2)*x`` and ``-x^2`` means ``-(x^2)``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from contextlib import contextmanager

import sympy

from .errors import AnswerTooLong, ParseError, TooComplex, UnknownSymbol
from .lexer import Token, tokenize
from .limits import (MAX_DEPTH, MAX_TYPED_LENGTH, check_literal, check_structure,
                     check_sum_limits, safe_pow)
from .vocabulary import CONSTANTS, FUNCTIONS, SUM_NAMES, resolve_functions, suggest

PARSE_SECONDS = 1.0
_ATOM_START = {"NUM", "NAME", "(", "{", "FRAC", "SQRT", "HAT"}


def parse_answer(text: str, symbols: Mapping[str, sympy.Basic], *,
                 functions: Iterable[str] | Mapping = ()) -> sympy.Expr:
    """Parse typed math into a sympy expression, using only ``symbols`` and allowed functions.

    ``symbols`` maps the names a student may type to sympy objects (``{"sigma": Symbol(...)}``);
    ``functions`` adds undefined functions by name (``("f",)``) or trusted builders by mapping.
    Raises ParseError, UnknownSymbol, AnswerTooLong or TooComplex (all AnswerError).
    """
    if not isinstance(text, str):
        raise ParseError(f"expected text, got {type(text).__name__}")
    if len(text) > MAX_TYPED_LENGTH:
        raise AnswerTooLong(len(text), MAX_TYPED_LENGTH)
    if not text.strip():
        raise ParseError("the answer is empty", at=0)
    parser = _Parser(tokenize(text), dict(symbols), resolve_functions(functions))
    return parser.parse()


class _Parser:
    def __init__(self, tokens: list[Token], symbols: dict, functions: dict):
        self.tokens = tokens
        self.index = 0
        self.depth = 0
        self.bars = 0  # open |...| pairs: inside one, a '|' closes rather than multiplies
        self.symbols = symbols
        self.functions = {**FUNCTIONS, **functions}
        self.deadline = time.monotonic() + PARSE_SECONDS

    # -- token helpers ---------------------------------------------------------------------
    @property
    def peek(self) -> Token:
        return self.tokens[self.index]

    def take(self) -> Token:
        if time.monotonic() > self.deadline:
            raise TooComplex("the answer took too long to read", at=self.peek.at)
        token = self.tokens[self.index]
        self.index += 1
        return token

    def expect(self, kind: str, what: str) -> Token:
        if self.peek.kind != kind:
            found = "the end" if self.peek.kind == "END" else f"'{self.peek.text}'"
            raise ParseError(f"expected {what} but found {found}", at=self.peek.at)
        return self.take()

    def is_op(self, *ops: str) -> bool:
        return self.peek.kind == "OP" and self.peek.text in ops

    @contextmanager
    def nested(self):
        """One level deeper into brackets/operators; refuses nesting past ``MAX_DEPTH``."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise TooComplex("the answer is nested too deeply", at=self.peek.at)
        try:
            yield
        finally:
            self.depth -= 1

    # -- grammar ---------------------------------------------------------------------------
    def parse(self) -> sympy.Expr:
        result = self.expr()
        if self.peek.kind != "END":
            token = self.peek
            message = ("unmatched closing bracket" if token.kind in (")", "}", "|")
                       else f"unexpected '{token.text}'")
            raise ParseError(message, at=token.at)
        if isinstance(result, sympy.Tuple):
            raise ParseError("a tuple ( , ) is only allowed as the limits of a Sum", at=0)
        return check_structure(result)

    def expr(self) -> sympy.Basic:
        with self.nested():
            result = self.term()
            while self.is_op("+", "-"):
                op = self.take()
                right = self.term()
                result = result + right if op.text == "+" else result - right
            return result

    def term(self) -> sympy.Basic:
        result = self.unary()
        while True:
            if self.is_op("*", "/"):
                op = self.take()
                right = self.unary()
                if op.text == "/" and right == 0:
                    raise ParseError("division by zero", at=op.at)
                result = result * right if op.text == "*" else result / right
            elif self.peek.kind in _ATOM_START or (self.peek.kind == "|" and not self.bars):
                previous = self.tokens[self.index - 1]
                if previous.kind == "NUM" and self.peek.kind == "NUM":
                    raise ParseError("missing operator between two numbers", at=self.peek.at)
                result = result * self.power()
            else:
                return result

    def unary(self) -> sympy.Basic:
        if self.is_op("-", "+"):
            op = self.take()
            with self.nested():
                operand = self.unary()
            return -operand if op.text == "-" else operand
        return self.power()

    def power(self) -> sympy.Basic:
        base = self.atom()
        if self.is_op("^"):
            op = self.take()
            with self.nested():
                exponent = self.unary()
            if base == 0 and exponent.is_negative:
                raise ParseError("division by zero", at=op.at)
            return safe_pow(base, exponent, at=op.at)
        return base

    def atom(self) -> sympy.Basic:
        token = self.peek
        if token.kind == "NUM":
            return self.number(self.take())
        if token.kind == "NAME":
            return self.name()
        if token.kind in ("(", "{"):
            return self.group()
        if token.kind == "|":
            self.take()
            self.bars += 1
            with self.nested():
                inner = self.expr()
            self.expect("|", "a closing '|'")
            self.bars -= 1
            return sympy.Abs(inner)
        if token.kind == "FRAC":
            self.take()
            numerator, denominator = self.braced(), self.braced()
            if denominator == 0:
                raise ParseError("division by zero", at=token.at)
            return numerator / denominator
        if token.kind == "SQRT":
            self.take()
            return safe_pow(self.braced(), sympy.Rational(1, 2), at=token.at)
        if token.kind == "HAT":
            return self.hat()
        if token.kind == "END":
            raise ParseError("the answer ends too early", at=token.at)
        raise ParseError(f"unexpected '{token.text}'", at=token.at)

    def group(self) -> sympy.Basic:
        """``( expr )``, ``{ expr }``, or a tuple ``(a, b, c)`` as a whole function argument."""
        start = self.index
        opening = self.take()
        closing = ")" if opening.kind == "(" else "}"
        with self.nested():
            items = [self.expr()]
            while opening.kind == "(" and self.peek.kind == ",":
                self.take()
                items.append(self.expr())
        if self.peek.kind != closing:
            raise ParseError(f"'{opening.text}' is never closed", at=opening.at)
        self.take()
        if len(items) == 1:
            return items[0]
        before = self.tokens[start - 1] if start else None
        if before is None or before.kind != "," or self.peek.kind not in (")", ","):
            raise ParseError("a tuple ( , ) is only allowed as the limits of a Sum",
                             at=opening.at)
        return sympy.Tuple(*items)


    def braced(self) -> sympy.Basic:
        if self.peek.kind != "{":
            raise ParseError("expected '{' (LaTeX arguments go in braces)", at=self.peek.at)
        return self.group()

    def hat(self) -> sympy.Basic:
        start = self.take()
        self.expect("{", "'{' after \\hat")
        name = self.expect("NAME", "a name inside \\hat{...}")
        self.expect("}", "'}'")
        return self.lookup(Token("NAME", name.text + "hat", start.at))

    def number(self, token: Token) -> sympy.Rational:
        mantissa, _, exponent = token.text.lower().partition("e")
        if len(mantissa) > 20 or (exponent and abs(int(exponent)) > 15):
            raise TooComplex("number too large or too precise", at=token.at)
        whole, _, fraction = mantissa.partition(".")
        value = sympy.Rational(int(whole or "0") * 10**len(fraction) + int(fraction or "0"),
                               10**len(fraction))
        if exponent:
            value *= sympy.Rational(10) ** int(exponent)
        return check_literal(value, at=token.at)

    def name(self) -> sympy.Basic:
        token = self.take()
        if token.text in self.symbols:
            return self.symbols[token.text]
        if self.peek.kind == "(" and (token.text in self.functions or token.text in SUM_NAMES):
            return self.call(token)
        if token.text in self.functions or token.text in SUM_NAMES:
            raise ParseError(f"'{token.text}' needs its argument in parentheses: "
                             f"{token.text}(...)", at=self.peek.at)
        return self.lookup(token)

    def lookup(self, token: Token) -> sympy.Basic:
        if token.text in self.symbols:
            return self.symbols[token.text]
        if token.text in CONSTANTS:
            return CONSTANTS[token.text]
        known = [*self.symbols, *self.functions, "pi"]
        what = "function" if self.peek.kind == "(" else "name"
        raise UnknownSymbol(token.text, suggestion=suggest(token.text, known), at=token.at,
                            what=what)

    def call(self, token: Token) -> sympy.Basic:
        opening = self.take()
        args = []
        with self.nested():
            if self.peek.kind != ")":
                args.append(self.expr())
                while self.peek.kind == ",":
                    self.take()
                    args.append(self.expr())
        if self.peek.kind != ")":
            raise ParseError(f"'(' of {token.text}(...) is never closed", at=opening.at)
        self.take()
        if token.text in SUM_NAMES:
            return self.sum(token, args)
        builder, least, most = self.functions[token.text]
        if any(isinstance(a, sympy.Tuple) for a in args):
            raise ParseError("a tuple ( , ) is only allowed as the limits of a Sum", at=token.at)
        if not least <= len(args) <= most:
            count = f"{least}" if least == most else f"{least} to {most}"
            raise ParseError(f"{token.text} takes {count} argument(s), got {len(args)}",
                             at=token.at)
        return builder(*args)

    def sum(self, token: Token, args: list) -> sympy.Basic:
        """``Sum(f, (i, a, b))``; the index must be one of the variant's symbols."""
        if len(args) != 2 or not isinstance(args[1], sympy.Tuple) or len(args[1]) != 3:
            raise ParseError("write a sum as Sum(term, (i, first, last))", at=token.at)
        index, lower, upper = args[1]
        if not isinstance(index, sympy.Symbol):
            raise ParseError("the summation index must be a single name", at=token.at)
        check_sum_limits(lower, upper, at=token.at)
        return sympy.Sum(args[0], (index, lower, upper))
