"""``from_srepr``: rebuild a sympy expression from ``sympy.srepr`` text without ``eval``.

A notebook submission runs in an isolated student process and sends its answers back as
``srepr`` text. That text is untrusted: it is parsed with :mod:`ast` and only the allow-listed
constructors below are ever called, with literal arguments checked for type and size.
Attribute access, subscripts, lambdas, comprehensions, keyword arguments other than sympy
assumptions, and any class not listed are refused with a :class:`ParseError`.

``Function('f')(x)`` (an undefined function) is allowed for plain names that do not shadow a
Python builtin or one of the constructors here, so ``Function('eval')`` and an impostor
``Function('exp')`` are refused rather than silently mis-graded.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Callable, Mapping

import sympy
from sympy.core.assumptions import _assume_defined

from .errors import AnswerTooLong, ParseError, TooComplex
from .limits import (MAX_MATRIX_ENTRIES, MAX_SREPR_DEPTH, MAX_SREPR_LENGTH,
                     MAX_SREPR_NODES, check_structure, check_sum_limits, safe_pow)
from .naming import rebind

MAX_SREPR_INTEGER = 10**30
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,30}\Z")
_SYMBOL_NAME = re.compile(r"[^\s'\"\\]{1,40}\Z")

BARE_NAMES: dict[str, sympy.Basic] = {
    "pi": sympy.pi, "E": sympy.E, "I": sympy.I, "oo": sympy.oo, "zoo": sympy.zoo,
    "nan": sympy.nan, "true": sympy.true, "false": sympy.false,
}

# constructors whose arguments are all expressions: name -> (class, min args, max args)
_PLAIN: dict[str, tuple[Callable, int, int | None]] = {
    "Add": (sympy.Add, 0, None), "Mul": (sympy.Mul, 0, None),
    "exp": (sympy.exp, 1, 1), "log": (sympy.log, 1, 2), "Abs": (sympy.Abs, 1, 1),
    "sign": (sympy.sign, 1, 1), "Max": (sympy.Max, 1, 20), "Min": (sympy.Min, 1, 20),
    "Heaviside": (sympy.Heaviside, 1, 2), "tanh": (sympy.tanh, 1, 1),
    "sinh": (sympy.sinh, 1, 1), "cosh": (sympy.cosh, 1, 1), "sin": (sympy.sin, 1, 1),
    "cos": (sympy.cos, 1, 1), "KroneckerDelta": (sympy.KroneckerDelta, 2, 2),
    "Tuple": (sympy.Tuple, 0, None), "Equality": (sympy.Eq, 2, 2), "Eq": (sympy.Eq, 2, 2),
    "Unequality": (sympy.Ne, 2, 2), "StrictGreaterThan": (sympy.Gt, 2, 2),
    "GreaterThan": (sympy.Ge, 2, 2), "StrictLessThan": (sympy.Lt, 2, 2),
    "LessThan": (sympy.Le, 2, 2), "ExprCondPair": (sympy.Tuple, 2, 2),
    "Piecewise": (sympy.Piecewise, 1, 20), "And": (sympy.And, 2, 20),
    "Or": (sympy.Or, 2, 20), "Not": (sympy.Not, 1, 1), "Indexed": (sympy.Indexed, 2, 4),
    "Idx": (sympy.Idx, 1, 2),
}
_MATRICES = {"Matrix", "MutableDenseMatrix", "ImmutableDenseMatrix", "ImmutableMatrix"}
RESERVED = frozenset({*_PLAIN, *_MATRICES, *BARE_NAMES, "Symbol", "Dummy", "Integer",
                      "Rational", "Float", "Pow", "Sum", "Derivative", "IndexedBase",
                      "Function", "sqrt"})


def from_srepr(text: str, *, symbols: Mapping[str, sympy.Basic] | None = None) -> sympy.Basic:
    """Rebuild ``sympy.srepr`` text using only allow-listed constructors.

    With ``symbols``, every free symbol (and IndexedBase) is replaced by the object of the same
    name in the mapping, so the grader's assumptions (``sigma`` positive, ``t`` integer) apply;
    a name missing from the mapping raises :class:`UnknownSymbol`. Bound summation indices are
    kept as the student made them.
    """
    if not isinstance(text, str):
        raise ParseError(f"expected srepr text, got {type(text).__name__}")
    if len(text) > MAX_SREPR_LENGTH:
        raise AnswerTooLong(len(text), MAX_SREPR_LENGTH)
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as err:
        at = getattr(err, "offset", None)
        raise ParseError(f"not valid srepr text ({getattr(err, 'msg', err)})",
                         at=at - 1 if at else None) from None
    _check_shape(tree.body)
    expr = _Builder().build(tree.body)
    if not isinstance(expr, sympy.Basic) or isinstance(expr, sympy.Tuple):
        raise ParseError("srepr text must describe a single sympy expression")
    if symbols is not None:
        expr = rebind(expr, symbols, strict=True)
    return check_structure(expr)


def _check_shape(root: ast.AST) -> None:
    """Refuse trees with too many nodes or too much nesting before building anything."""
    stack, count = [(root, 1)], 0
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_SREPR_NODES:
            raise TooComplex(f"expression has more than {MAX_SREPR_NODES} parts")
        if depth > MAX_SREPR_DEPTH:
            raise TooComplex("expression is nested too deeply", at=node.col_offset)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


class _Builder:
    def __init__(self):
        self.dummies: dict[tuple[str, int], sympy.Dummy] = {}

    def fail(self, node: ast.AST, message: str) -> ParseError:
        return ParseError(message, at=getattr(node, "col_offset", None))

    def build(self, node: ast.AST) -> sympy.Basic:
        if isinstance(node, ast.Name):
            if node.id in BARE_NAMES:
                return BARE_NAMES[node.id]
            raise self.fail(node, f"'{node.id}' is not an allowed sympy name")
        if not isinstance(node, ast.Call):
            kind = {ast.Attribute: "attribute access", ast.Lambda: "lambda",
                    ast.Subscript: "subscripts"}.get(type(node), type(node).__name__)
            raise self.fail(node, f"{kind} is not allowed in srepr text")
        if isinstance(node.func, ast.Call):
            return self.applied_function(node)
        if not isinstance(node.func, ast.Name):
            raise self.fail(node, "only calls of allowed sympy classes are allowed")
        name = node.func.id
        if name in _PLAIN:
            return self.plain(node, *_PLAIN[name])
        if name in _MATRICES:
            return self.matrix(node)
        special = {"Symbol": self.symbol, "Dummy": self.dummy, "Integer": self.integer_node,
                   "Rational": self.rational, "Float": self.float, "Pow": self.pow,
                   "Sum": self.sum, "Derivative": self.derivative,
                   "IndexedBase": self.indexedbase}
        if name in special:
            return special[name](node)
        raise self.fail(node, f"'{name}' is not an allowed sympy class")

    # -- literal arguments -------------------------------------------------------------------
    def literal(self, node: ast.AST, kind: type, what: str):
        value, sign = node, 1
        if kind in (int, float) and isinstance(node, ast.UnaryOp) and \
                isinstance(node.op, ast.USub):
            value, sign = node.operand, -1
        if not isinstance(value, ast.Constant) or type(value.value) is not kind:
            raise self.fail(node, f"expected {what}")
        return sign * value.value if kind in (int, float) else value.value

    def integer(self, node: ast.AST) -> int:
        value = self.literal(node, int, "an integer literal")
        if abs(value) > MAX_SREPR_INTEGER:
            raise TooComplex("integer too large", at=node.col_offset)
        return value

    def assumptions(self, node: ast.Call, extra: tuple[str, ...] = ()) -> dict:
        found = {}
        for keyword in node.keywords:
            if keyword.arg in extra:
                found[keyword.arg] = self.integer(keyword.value)
            elif keyword.arg in _assume_defined:
                found[keyword.arg] = self.literal(keyword.value, bool, "True or False")
            else:
                raise self.fail(node, f"keyword '{keyword.arg}' is not allowed")
        return found

    def arguments(self, node: ast.Call, least: int, most: int | None) -> list[sympy.Basic]:
        if node.keywords:
            raise self.fail(node, f"{node.func.id} takes no keyword arguments")
        if len(node.args) < least or (most is not None and len(node.args) > most):
            raise self.fail(node, f"wrong number of arguments to {node.func.id}")
        return [self.build(arg) for arg in node.args]

    def name_argument(self, node: ast.Call, pattern: re.Pattern) -> str:
        if len(node.args) != 1:
            raise self.fail(node, f"{node.func.id} takes exactly one name")
        name = self.literal(node.args[0], str, "a quoted name")
        if not pattern.match(name) or name.startswith("_"):
            raise self.fail(node, f"name {name!r} is not allowed")
        return name

    # -- constructors ------------------------------------------------------------------------
    def plain(self, node: ast.Call, cls: Callable, least: int, most: int | None):
        args = self.arguments(node, least, most)
        try:
            return cls(*args)
        except (TypeError, ValueError) as err:
            raise self.fail(node, f"invalid {node.func.id}: {err}") from None

    def symbol(self, node: ast.Call) -> sympy.Symbol:
        return sympy.Symbol(self.name_argument(node, _SYMBOL_NAME), **self.assumptions(node))

    def dummy(self, node: ast.Call) -> sympy.Dummy:
        name = self.name_argument(node, _SYMBOL_NAME)
        facts = self.assumptions(node, extra=("dummy_index",))
        key = (name, facts.pop("dummy_index", 0))
        if key not in self.dummies:  # the same Dummy may occur several times
            self.dummies[key] = sympy.Dummy(name, **facts)
        return self.dummies[key]

    def integer_node(self, node: ast.Call) -> sympy.Integer:
        if len(node.args) != 1 or node.keywords:
            raise self.fail(node, "Integer takes one integer")
        return sympy.Integer(self.integer(node.args[0]))

    def rational(self, node: ast.Call) -> sympy.Rational:
        if len(node.args) != 2 or node.keywords:
            raise self.fail(node, "Rational takes two integers")
        p, q = (self.integer(arg) for arg in node.args)
        if q == 0:
            raise self.fail(node, "Rational with zero denominator")
        return sympy.Rational(p, q)

    def float(self, node: ast.Call) -> sympy.Float:
        if len(node.args) != 1:
            raise self.fail(node, "Float takes one number")
        arg = node.args[0]
        is_text = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
        value = self.literal(arg, str if is_text else float, "a number")
        facts = {k.arg: self.integer(k.value) for k in node.keywords if k.arg == "precision"}
        if len(facts) != len(node.keywords) or not 1 <= facts.get("precision", 53) <= 400:
            raise self.fail(node, "Float accepts only precision=<bits>")
        if is_text and not re.fullmatch(r"-?[0-9.]{1,40}(e[+-]?[0-9]{1,4})?", value):
            raise self.fail(node, f"malformed Float {value!r}")
        return sympy.Float(value, precision=facts.get("precision", 53))

    def pow(self, node: ast.Call) -> sympy.Basic:
        base, exponent = self.arguments(node, 2, 2)
        return safe_pow(base, exponent, at=node.col_offset)

    def sum(self, node: ast.Call) -> sympy.Sum:
        summand, *limits = self.arguments(node, 2, 4)
        for limit in limits:
            if not (isinstance(limit, sympy.Tuple) and len(limit) == 3
                    and isinstance(limit[0], sympy.Symbol)):
                raise self.fail(node, "Sum limits must be Tuple(index, first, last)")
            check_sum_limits(limit[1], limit[2], at=node.col_offset)
        return sympy.Sum(summand, *limits)

    def derivative(self, node: ast.Call) -> sympy.Derivative:
        expr, *variables = self.arguments(node, 2, 4)
        for var in variables:
            if not (isinstance(var, sympy.Tuple) and len(var) == 2
                    and isinstance(var[1], sympy.Integer) and 1 <= var[1] <= 3):
                raise self.fail(node, "Derivative variables must be Tuple(x, n) with n <= 3")
        return sympy.Derivative(expr, *variables)

    def indexedbase(self, node: ast.Call) -> sympy.IndexedBase:
        if len(node.args) != 1:
            raise self.fail(node, "IndexedBase takes one label")
        label = self.build(node.args[0])
        if not isinstance(label, sympy.Symbol):
            raise self.fail(node, "IndexedBase label must be a Symbol")
        return sympy.IndexedBase(label, **self.assumptions(node))

    def applied_function(self, node: ast.Call) -> sympy.Basic:
        inner = node.func
        if not (isinstance(inner.func, ast.Name) and inner.func.id == "Function"):
            raise self.fail(node, "only Function('name')(...) may be called")
        name = self.name_argument(inner, _NAME)
        if name in RESERVED or hasattr(builtins, name):
            raise self.fail(inner, f"function name '{name}' is reserved")
        if node.keywords or not 1 <= len(node.args) <= 5:
            raise self.fail(node, f"{name}(...) takes 1 to 5 arguments")
        function = sympy.Function(name, **self.assumptions(inner))
        return function(*(self.build(arg) for arg in node.args))

    def matrix(self, node: ast.Call) -> sympy.ImmutableMatrix:
        if len(node.args) != 1 or node.keywords or not isinstance(node.args[0], ast.List):
            raise self.fail(node, "a matrix is written Matrix([[...], ...])")
        rows = node.args[0].elts
        if not rows or not all(isinstance(row, ast.List) for row in rows):
            raise self.fail(node, "matrix rows must be lists")
        if len({len(row.elts) for row in rows}) != 1 or \
                len(rows) * len(rows[0].elts) > MAX_MATRIX_ENTRIES:
            raise self.fail(node, "matrix rows must have equal length (at most "
                            f"{MAX_MATRIX_ENTRIES} entries)")
        return sympy.ImmutableMatrix([[self.build(x) for x in row.elts] for row in rows])

