"""Reading typed answers: the multi-part syntax, numbers, arrays, true/false, choices.

Answer syntax (also shown to students by ``layout.answer_syntax``):

* one part: type the answer alone (``a) ...`` is accepted too);
* several parts: ``a) 0.25; b) [1, -2]; c) true`` -- labelled, in any order -- or the
  bare answers in order, ``0.25; [1, -2]; true``; or a JSON object
  ``{"a": 0.25, "b": [1, -2], "c": "true"}``;
* numbers: ``-0.125``, ``1e-3`` or arithmetic without unknowns (``1/3``, ``sqrt(6/5)``);
* vectors ``[1, 2.5, -3]`` and matrices ``[[1, 2], [3, 4]]`` (rows in brackets; nothing deeper);
* true/false: ``true``/``false`` (``t``/``f``, ``yes``/``no``); choices: a letter ``A``-``H``;
* formulas in the shared engine's syntax (``2*(o - g)``, ``1/(2*sigma^2)``).

Nothing here evaluates student text: numbers go through a strict regular
expression, anything else through the shared engine's ``parse_answer`` allow-list, in a
time-limited child (``symbolic.read_constants``: one child for all the arithmetic of a part).
Nesting is bounded before anything recursive runs: at most ``MAX_NESTING`` brackets in an
answer, two levels of ``[`` in an array, ``MAX_JSON_DEPTH`` levels in a JSON object.
"""
from __future__ import annotations

import json
import math
import re

from question_bank.symbolic import READ_WALL_SECONDS, AnswerUnreadable, read_constants

MAX_ANSWER_CHARS = 4000
MAX_NESTING = 40       # brackets of any kind inside one another (the engine reads formulas to depth 40)
MAX_JSON_DEPTH = 3     # {"a": [[1, 2], [3, 4]]}
_NOT_FINITE = {"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity", "nan", "+nan", "-nan", "oo", "-oo"}
_LABEL = re.compile(r"\s*([a-h])\s*[):]\s*", re.IGNORECASE)
_FLOAT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = set(_OPEN.values())
_TRUE = {"true", "t", "yes", "y", "1", "pravda", "ano"}
_FALSE = {"false", "f", "no", "n", "0", "nepravda", "ne"}


class AnswerFormatError(AnswerUnreadable):
    """The answer's layout (parts, brackets, labels) could not be read."""


def normalise(text: str) -> str:
    """Unicode minus and friends to ASCII; a length cap before any parsing."""
    if len(text) > MAX_ANSWER_CHARS:
        raise AnswerFormatError(
            f"the answer is {len(text)} characters long; at most {MAX_ANSWER_CHARS} are read"
        )
    return (
        text.replace("\u2212", "-").replace("\u2013", "-").replace("\u00d7", "*")
        .replace("\u00b7", "*").replace("\u2009", " ").replace("\u00a0", " ").strip()
    )


def split_top_level(text: str, sep: str, *, labels: bool = False) -> list[str]:
    """Split at ``sep`` outside brackets; an unbalanced bracket is a format error.

    With ``labels``, a part label such as ``b)`` at the start of a piece is not a bracket.
    """
    pieces, stack, start = [], [], 0
    skip_to = _LABEL.match(text).end() if labels and _LABEL.match(text) else 0
    for i, ch in enumerate(text):
        if i < skip_to:
            continue
        if ch in _OPEN:
            stack.append((ch, i))
        elif ch in _CLOSE:
            if not stack:
                raise AnswerFormatError(f"unmatched '{ch}' at column {i + 1}")
            opener, at = stack.pop()
            if _OPEN[opener] != ch:
                raise AnswerFormatError(f"'{opener}' opened at column {at + 1} is closed by '{ch}' at column {i + 1}")
        elif ch == sep and not stack:
            pieces.append(text[start:i])
            start = i + 1
            match = _LABEL.match(text, start) if labels else None
            skip_to = match.end() if match else 0
    if stack:
        raise AnswerFormatError(f"'{stack[-1][0]}' opened at column {stack[-1][1] + 1} is never closed")
    pieces.append(text[start:])
    return pieces


def _depth(text: str, opening: str, *, skip_strings: bool = False) -> int:
    """How deep brackets from ``opening`` nest in ``text`` (unbalanced closers ignored)."""
    closing = {_OPEN[ch] for ch in opening}
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif skip_strings and ch == '"':
            in_string = True
        elif ch in opening:
            depth += 1
            deepest = max(deepest, depth)
        elif ch in closing and depth:
            depth -= 1
    return deepest


def split_parts(text: str, labels: tuple[str, ...]) -> dict[str, str]:
    """Map each part label to its piece of the answer; missing parts are absent."""
    text = normalise(text)
    if text.startswith("{"):
        return _split_json(text, labels)
    depth = _depth(text, "([{")
    if depth > MAX_NESTING:
        raise AnswerFormatError(f"the answer nests {depth} brackets inside one another; at most {MAX_NESTING} are read")
    pieces = [p.strip() for p in split_top_level(text, ";", labels=True)]
    if pieces and pieces[-1] == "":
        pieces.pop()  # a trailing ';' is harmless
    matches = [_LABEL.match(p) for p in pieces]
    if len(labels) == 1 and not any(matches) and len(pieces) > 1:
        raise AnswerFormatError("this question has one part, but the answer has several ';'-separated pieces")
    if any(matches):
        if not all(matches):
            raise AnswerFormatError("label every part (a) ...; b) ...) or none of them")
        found: dict[str, str] = {}
        for piece, match in zip(pieces, matches):
            label = match.group(1).lower()
            if label not in labels:
                raise AnswerFormatError(f"there is no part '{label})'; parts are {', '.join(labels)}")
            if label in found:
                raise AnswerFormatError(f"part '{label})' is answered twice")
            found[label] = piece[match.end():].strip()
        return found
    if len(pieces) > len(labels):
        raise AnswerFormatError(f"{len(pieces)} answers given for {len(labels)} parts")
    return {label: piece for label, piece in zip(labels, pieces) if piece}


class _Literal(str):
    """A JSON number (or NaN/Infinity) kept as the text the student typed."""


def _json_piece(value, key: str, *, top: bool = True) -> str:
    """A JSON value as answer text: numbers as typed, strings bare, lists as [..]."""
    if isinstance(value, _Literal):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if isinstance(value, list):
        return "[" + ", ".join(_json_piece(v, key, top=False) for v in value) + "]"
    raise AnswerFormatError(f"part '{key}' holds a JSON object; give a number, a list or a string")


def _split_json(text: str, labels: tuple[str, ...]) -> dict[str, str]:
    depth = _depth(text, "[{", skip_strings=True)
    if depth > MAX_JSON_DEPTH:
        raise AnswerFormatError(f"the JSON object nests {depth} levels deep; answers are numbers, vectors "
                                "[..] or matrices [[..], [..]] (at most 2-D)")
    try:
        data = json.loads(text, parse_float=_Literal, parse_int=_Literal, parse_constant=_Literal)
    except json.JSONDecodeError as exc:
        raise AnswerFormatError(f"could not read the JSON object: {exc.msg} at column {exc.pos + 1}") from None
    except (ValueError, RecursionError):
        raise AnswerFormatError("could not read the JSON object") from None
    if not isinstance(data, dict):
        raise AnswerFormatError("a JSON answer must be an object such as {\"a\": 1.5}")
    found = {}
    for key, value in data.items():
        label = str(key).strip().rstrip(")").lower()
        if label not in labels:
            raise AnswerFormatError(f"there is no part '{key}'; parts are {', '.join(labels)}")
        if label in found:
            raise AnswerFormatError(f"part '{label})' is answered twice")
        found[label] = _json_piece(value, str(key))
    return found


def _read_entries(entries: list[str], wall_timeout: float) -> tuple[float, ...]:
    """Plain decimals here; all arithmetic entries together in one time-limited child."""
    values: list[float | None] = []
    arithmetic: list[str] = []
    for index, entry in enumerate(entries):
        where = f"entry {index + 1} of the vector" if len(entries) > 1 else "the number"
        if not entry:
            raise AnswerFormatError(f"{where} is empty" if len(entries) > 1 else "expected a number, got nothing")
        if entry.lower() in _NOT_FINITE:
            raise AnswerFormatError(f"'{entry}' is not a finite number")
        if _FLOAT.match(entry):
            value = float(entry)
            if not math.isfinite(value):
                raise AnswerFormatError(f"'{entry}' is not a finite number (too large for a float)")
            values.append(value)
        else:
            values.append(None)
            arithmetic.append(entry)
    read = iter(read_constants(arithmetic, wall_timeout=wall_timeout))
    return tuple(next(read) if v is None else v for v in values)


def read_number(text: str, *, wall_timeout: float = READ_WALL_SECONDS) -> float:
    """A finite real number: a plain decimal, or constant arithmetic read by the engine."""
    return _read_entries([normalise(text)], wall_timeout)[0]


def _layout(text: str) -> tuple[list[str], tuple[int, ...]]:
    """The entry texts of a scalar, vector or matrix, row-major, and the shape."""
    if not text.startswith("["):
        return [text], ()
    if not text.endswith("]"):
        raise AnswerFormatError("a vector must end with ']'")
    inner = text[1:-1].strip()
    if not inner:
        raise AnswerFormatError("the vector '[]' is empty")
    items = [item.strip() for item in split_top_level(inner, ",")]
    if all(item.startswith("[") for item in items):
        rows = [_layout(item) for item in items]
        shapes = {shape for _, shape in rows}
        if len(shapes) != 1 or len(next(iter(shapes))) != 1:
            raise AnswerFormatError("the rows of the matrix have different lengths")
        return [e for entries, _ in rows for e in entries], (len(rows), rows[0][1][0])
    if any(item.startswith("[") for item in items):
        raise AnswerFormatError("mix of numbers and bracketed rows; write a matrix as [[..], [..]]")
    for index, item in enumerate(items):
        if not item:
            raise AnswerFormatError(f"entry {index + 1} of the vector is empty")
    return items, (len(items),)


def read_array(text: str, *, wall_timeout: float = READ_WALL_SECONDS) -> tuple[tuple[float, ...], tuple[int, ...]]:
    """A scalar, ``[v1, v2]`` or ``[[r1c1, r1c2], [r2c1, r2c2]]``; returns (flat values, shape)."""
    text = normalise(text)
    if _depth(text, "[") > 2:
        raise AnswerFormatError("arrays are at most 2-D: a vector [1, 2] or a matrix [[1, 2], [3, 4]]")
    entries, shape = _layout(text)
    return _read_entries(entries, wall_timeout), shape


def read_bool(text: str) -> bool:
    word = normalise(text).lower().rstrip(".")
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise AnswerFormatError(f"expected true or false, got '{text.strip()[:40]}'")


def read_choice(text: str, n_options: int) -> int:
    letter = normalise(text).strip("()").strip().upper()
    letters = "ABCDEFGH"[:n_options]
    if len(letter) == 1 and letter in letters:
        return letters.index(letter)
    raise AnswerFormatError(f"expected one letter from {', '.join(letters)}, got '{text.strip()[:40]}'")
