"""Reading typed answers: the multi-part syntax, numbers, arrays, true/false, choices.

Answer syntax (also shown to students by ``layout.answer_syntax``):

* one part: type the answer alone (``a) ...`` is accepted too);
* several parts: ``a) 0.25; b) [1, -2]; c) true`` -- labelled, in any order -- or the
  bare answers in order, ``0.25; [1, -2]; true``; or a JSON object
  ``{"a": 0.25, "b": [1, -2], "c": "true"}``;
* numbers: ``-0.125``, ``1e-3`` or arithmetic without unknowns (``1/3``, ``sqrt(6/5)``);
* vectors ``[1, 2.5, -3]`` and matrices ``[[1, 2], [3, 4]]`` (rows in brackets);
* true/false: ``true``/``false`` (``t``/``f``, ``yes``/``no``); choices: a letter ``A``-``H``;
* formulas in the shared engine's syntax (``2*(o - g)``, ``1/(2*sigma^2)``).

Nothing here evaluates student text: numbers go through a strict regular
expression, anything else through the shared engine's ``parse_answer`` allow-list.
"""
from __future__ import annotations

import json
import math
import re

from question_bank.symbolic import AnswerUnreadable, read_constant

MAX_ANSWER_CHARS = 4000
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


def split_parts(text: str, labels: tuple[str, ...]) -> dict[str, str]:
    """Map each part label to its piece of the answer; missing parts are absent."""
    text = normalise(text)
    if text.startswith("{"):
        return _split_json(text, labels)
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


def _split_json(text: str, labels: tuple[str, ...]) -> dict[str, str]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AnswerFormatError(f"could not read the JSON object: {exc.msg} at column {exc.pos + 1}") from None
    if not isinstance(data, dict):
        raise AnswerFormatError("a JSON answer must be an object such as {\"a\": 1.5}")
    found = {}
    for key, value in data.items():
        label = str(key).strip().rstrip(")").lower()
        if label not in labels:
            raise AnswerFormatError(f"there is no part '{key}'; parts are {', '.join(labels)}")
        found[label] = value if isinstance(value, str) else json.dumps(value)
    return found


def read_number(text: str) -> float:
    """A finite real number: a plain decimal, or constant arithmetic read by the engine."""
    text = normalise(text)
    if not text:
        raise AnswerFormatError("expected a number, got nothing")
    if _FLOAT.match(text):
        value = float(text)
    else:
        value = read_constant(text)
    if not math.isfinite(value):
        raise AnswerFormatError(f"'{text}' is not a finite number")
    return value


def read_array(text: str) -> tuple[tuple[float, ...], tuple[int, ...]]:
    """A scalar, ``[v1, v2]`` or ``[[r1c1, r1c2], [r2c1, r2c2]]``; returns (flat values, shape)."""
    text = normalise(text)
    if not text.startswith("["):
        return (read_number(text),), ()
    if not text.endswith("]"):
        raise AnswerFormatError("a vector must end with ']'")
    inner = text[1:-1].strip()
    if not inner:
        raise AnswerFormatError("the vector '[]' is empty")
    items = [item.strip() for item in split_top_level(inner, ",")]
    if all(item.startswith("[") for item in items):
        rows = [read_array(item) for item in items]
        shapes = {shape for _, shape in rows}
        if len(shapes) != 1 or len(next(iter(shapes))) != 1:
            raise AnswerFormatError("the rows of the matrix have different lengths")
        flat = tuple(v for values, _ in rows for v in values)
        return flat, (len(rows), rows[0][1][0])
    if any(item.startswith("[") for item in items):
        raise AnswerFormatError("mix of numbers and bracketed rows; write a matrix as [[..], [..]]")
    for index, item in enumerate(items):
        if not item:
            raise AnswerFormatError(f"entry {index + 1} of the vector is empty")
    return tuple(read_number(item) for item in items), (len(items),)


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
