"""What a student may type: function names, constants, Greek letters and LaTeX commands.

Every name in typed text is looked up in these tables (or in the variant's own symbols); nothing
is ever resolved through Python's namespaces, so ``__import__`` or ``eval`` are just unknown names.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping

import sympy

Builder = Callable[..., sympy.Basic]


def _sigmoid(x: sympy.Basic) -> sympy.Basic:
    return 1 / (1 + sympy.exp(-x))


# name -> (builder, min args, max args)
FUNCTIONS: dict[str, tuple[Builder, int, int]] = {
    "exp": (sympy.exp, 1, 1),
    "log": (sympy.log, 1, 2),
    "ln": (sympy.log, 1, 1),
    "sqrt": (sympy.sqrt, 1, 1),
    "Abs": (sympy.Abs, 1, 1),
    "abs": (sympy.Abs, 1, 1),
    "sign": (sympy.sign, 1, 1),
    "Max": (sympy.Max, 2, 10),
    "max": (sympy.Max, 2, 10),
    "Min": (sympy.Min, 2, 10),
    "min": (sympy.Min, 2, 10),
    "tanh": (sympy.tanh, 1, 1),
    "sigmoid": (_sigmoid, 1, 1),
}

SUM_NAMES = frozenset({"Sum", "sum"})

CONSTANTS: dict[str, sympy.Basic] = {"pi": sympy.pi, "E": sympy.E, "e": sympy.E}

GREEK = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi "
         "rho sigma tau upsilon phi chi psi omega").split()
_GREEK_LOWER = "αβγδεζηθικλμνξοπρστυφχψω"
_GREEK_UPPER = "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ"

GREEK_LETTER = {name: ch for name, ch in zip(GREEK, _GREEK_LOWER, strict=True)}

# single characters that stand for a whole ASCII name
UNICODE_NAMES: dict[str, str] = {
    **{ch: name for ch, name in zip(_GREEK_LOWER, GREEK, strict=False)},
    **{ch: name.capitalize() for ch, name in zip(_GREEK_UPPER, GREEK, strict=False)},
    "ς": "sigma", "ϵ": "epsilon", "ϑ": "theta", "φ": "phi", "ϕ": "phi",
    "ŷ": "yhat", "ȳ": "ybar",
}
COMBINING_HAT = "\u0302"

# unicode operators -> ASCII operator text
UNICODE_OPERATORS: dict[str, str] = {
    "−": "-", "–": "-", "·": "*", "⋅": "*", "×": "*", "∗": "*", "÷": "/",
}
SUPERSCRIPTS: dict[str, str] = {"²": "2", "³": "3", "⁴": "4", "¹": "1", "⁰": "0"}

LATEX_OPERATORS = {"cdot": "*", "times": "*", "div": "/"}
LATEX_IGNORED = frozenset({"left", "right", "displaystyle", ",", ";", "!", " ", "quad"})
LATEX_FUNCTIONS = {"ln": "ln", "log": "log", "exp": "exp", "tanh": "tanh"}
LATEX_NAMES = {**{g: g for g in GREEK}, **{g.capitalize(): g.capitalize() for g in GREEK},
               "varepsilon": "epsilon", "varsigma": "sigma", "vartheta": "theta",
               "varphi": "phi"}


def resolve_functions(functions: Iterable[str] | Mapping[str, Builder]) -> dict[str, tuple]:
    """Extra function names for one question: a name gives an undefined sympy Function,
    a mapping gives trusted builders (supplied by the question author, never by a student)."""
    table: dict[str, tuple[Builder, int, int]] = {}
    if isinstance(functions, Mapping):
        for name, builder in functions.items():
            table[name] = (builder, 1, 5)
    else:
        for name in functions:
            table[name] = (sympy.Function(name), 1, 5)
    return table


def suggest(name: str, known: Iterable[str]) -> str | None:
    """The closest known name, or a split into known names ('betat' -> 'beta*t'), or None."""
    known = sorted(set(known))
    split = _split_into(name, set(known)) if len(name) <= 24 else None
    if split and len(split) > 1:
        return "*".join(split)
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return close[0] if close else None


def _split_into(name: str, known: set[str]) -> list[str] | None:
    """Split ``name`` into a product of known names, longest names first (None if impossible)."""
    best: dict[int, list[str] | None] = {len(name): []}
    for start in range(len(name) - 1, -1, -1):  # dynamic programming from the right
        best[start] = None
        for end in range(len(name), start, -1):
            if name[start:end] in known and best[end] is not None:
                best[start] = [name[start:end], *best[end]]
                break
    return best[0]
