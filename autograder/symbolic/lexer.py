"""Split typed math into tokens, remembering where each one starts.

The lexer accepts ASCII math (``-(y - yhat)**2/(2*sigma**2)``), a few Unicode spellings
(``σ``, ``ŷ``, ``−``, ``·``, ``x²``) and a little LaTeX (``\\frac``, ``\\sqrt``, ``\\cdot``,
``\\beta``, ``\\left(``). Anything else is a :class:`ParseError` at the offending column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import ParseError
from .vocabulary import (COMBINING_HAT, LATEX_FUNCTIONS, LATEX_IGNORED, LATEX_NAMES,
                         LATEX_OPERATORS, SUPERSCRIPTS, UNICODE_NAMES, UNICODE_OPERATORS)


@dataclass(frozen=True)
class Token:
    kind: str   # NUM NAME OP ( ) { } , | FRAC SQRT HAT END
    text: str
    at: int


_NUMBER = re.compile(r"(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_LATEX = re.compile(r"\\([A-Za-z]+|[,;! ])")
_SIMPLE = {"+": "OP", "-": "OP", "*": "OP", "/": "OP", "^": "OP", "(": "(", ")": ")",
           "{": "{", "}": "}", ",": ",", "|": "|"}
_HINTS = {
    "[": "use round brackets ( ) instead of [ ]", "]": "use round brackets ( ) instead of [ ]",
    "=": "enter only the expression, not an equation", "'": "quotes are not allowed",
    '"': "quotes are not allowed", ".": "a '.' may only appear inside a number",
    "_": "names must start with a letter", "!": "factorials are not supported",
    "\\": "unknown LaTeX command",
}


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text`` followed by an END token; raises ParseError on a foreign character."""
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        ch = text[pos]
        if ch.isspace():
            pos += 1
        elif text.startswith("**", pos):
            tokens.append(Token("OP", "^", pos))
            pos += 2
        elif match := _NUMBER.match(text, pos):
            tokens.append(Token("NUM", match.group(), pos))
            pos = match.end()
        elif match := _NAME.match(text, pos):
            pos = _name_token(text, match, tokens)
        elif ch in UNICODE_NAMES:
            tokens.append(Token("NAME", UNICODE_NAMES[ch], pos))
            pos += 1
        elif ch in UNICODE_OPERATORS:
            tokens.append(Token("OP", UNICODE_OPERATORS[ch], pos))
            pos += 1
        elif ch in SUPERSCRIPTS:
            tokens += [Token("OP", "^", pos), Token("NUM", SUPERSCRIPTS[ch], pos)]
            pos += 1
        elif ch in _SIMPLE:
            tokens.append(Token(_SIMPLE[ch], ch, pos))
            pos += 1
        elif ch == "\\":
            pos = _latex_token(text, pos, tokens)
        else:
            hint = _HINTS.get(ch, f"unexpected character {ch!r}")
            raise ParseError(hint, at=pos)
    tokens.append(Token("END", "", len(text)))
    return tokens


def _name_token(text: str, match: re.Match, tokens: list[Token]) -> int:
    """A NAME; a trailing combining circumflex turns ``y\u0302`` into ``yhat``."""
    name, end = match.group(), match.end()
    if text.startswith(COMBINING_HAT, end):
        name, end = name + "hat", end + 1
    tokens.append(Token("NAME", name, match.start()))
    return end


def _latex_token(text: str, pos: int, tokens: list[Token]) -> int:
    match = _LATEX.match(text, pos)
    if not match:
        raise ParseError(_HINTS["\\"], at=pos)
    command = match.group(1)
    if command in LATEX_IGNORED:
        pass
    elif command in LATEX_OPERATORS:
        tokens.append(Token("OP", LATEX_OPERATORS[command], pos))
    elif command in LATEX_NAMES:
        tokens.append(Token("NAME", LATEX_NAMES[command], pos))
    elif command in LATEX_FUNCTIONS:
        tokens.append(Token("NAME", LATEX_FUNCTIONS[command], pos))
    elif command in ("frac", "dfrac", "tfrac"):
        tokens.append(Token("FRAC", command, pos))
    elif command == "sqrt":
        tokens.append(Token("SQRT", command, pos))
    elif command == "hat":
        tokens.append(Token("HAT", command, pos))
    else:
        raise ParseError(f"unknown LaTeX command '\\{command}'", at=pos)
    return match.end()
