"""Typed errors for answers that cannot be read.

An ``AnswerError`` is a *format* problem, never a wrong answer: graders turn it into a
``Verdict(kind="unreadable")`` and show ``str(err)`` to the student. ``at`` is a 0-based
character offset into the text the student typed (``None`` when there is no single place).
"""

from __future__ import annotations


class AnswerError(ValueError):
    """Base class: the answer text could not be turned into a sympy expression."""

    def __init__(self, message: str, *, at: int | None = None):
        self.message = message
        self.at = at
        where = f" (at column {at + 1})" if at is not None else ""
        super().__init__(f"{message}{where}")

    def pointer(self, text: str) -> str:
        """Two lines: the text and a caret under the offending column (or the message alone)."""
        if self.at is None:
            return str(self)
        caret = " " * min(self.at, len(text)) + "^"
        return f"{text}\n{caret} {self.message}"

    def to_dict(self) -> dict:
        """A JSON-safe description of the error, for results that cross process boundaries."""
        return {"error": type(self).__name__, "message": self.message, "at": self.at}


class ParseError(AnswerError):
    """The text is not a well-formed expression (unexpected character, unbalanced bracket, ...)."""

    def __init__(self, message: str, *, at: int | None = None):
        super().__init__(message, at=at)


class UnknownSymbol(AnswerError):
    """A name that is neither an allowed symbol nor an allowed function, e.g. ``sgima``."""

    def __init__(self, name: str, *, suggestion: str | None = None, at: int | None = None,
                 what: str = "name"):
        self.name = name
        self.suggestion = suggestion
        hint = f"; did you mean '{suggestion}'?" if suggestion else ""
        super().__init__(f"unknown {what} '{name}'{hint}", at=at)

    def to_dict(self) -> dict:
        return {**super().to_dict(), "name": self.name, "suggestion": self.suggestion}


class AnswerTooLong(AnswerError):
    """The text exceeds the length cap; refused before any parsing."""

    def __init__(self, length: int, limit: int):
        self.length = length
        self.limit = limit
        super().__init__(f"answer is too long ({length} characters, limit {limit})")


class TooComplex(AnswerError):
    """Numbers, exponents, nesting or parse time beyond the caps (e.g. ``x**(10**10)``)."""
