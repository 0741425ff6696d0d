"""The question bank's vocabulary: answer parts, check results and rubric items.

A template describes what it expects as a tuple of *parts*. Each part knows its
label (``a``, ``b``, ...), its prompt, and its expected answer; the grading
module turns a typed answer into one ``PartResult`` per part, and those into a
``CheckResult``. Every type here is a frozen dataclass built by keyword, so
results cross process boundaries as JSON via ``to_dict``.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Misconception:
    """A typical wrong answer, computed from the variant, with the feedback it earns.

    ``value`` is a flat tuple of floats for numeric parts and an answer string
    (engine syntax) for symbolic parts.
    """

    value: tuple[float, ...] | str
    feedback: str


@dataclass(frozen=True)
class NumericPart:
    """A number, vector or matrix. ``value`` is flat (row-major); ``shape`` is () for a scalar.

    A component is accepted when |got - want| <= max(abs_tol, rel_tol * |want|).
    """

    label: str
    prompt: str
    value: tuple[float, ...]
    shape: tuple[int, ...] = ()
    rel_tol: float = 1e-2
    abs_tol: float = 1e-3
    digits: int = 4
    misconceptions: tuple[Misconception, ...] = ()
    weight: float = 1.0
    kind: str = field(default="numeric", init=False)

    def tolerance(self, index: int) -> float:
        return max(self.abs_tol, self.rel_tol * abs(self.value[index]))


@dataclass(frozen=True)
class SymbolicPart:
    """A formula typed in the shared engine's syntax and compared by equivalence.

    ``expected`` is itself engine-syntax text, so the canonical answer is read by
    the same parser as the student's. ``symbols`` are the names the student may
    use; those in ``positive`` are declared positive (e.g. sigma, t).
    """

    label: str
    prompt: str
    expected: str
    symbols: tuple[str, ...]
    kinds: tuple[tuple[str, str], ...] = ()
    misconceptions: tuple[Misconception, ...] = ()
    ignore_additive_constant: bool = False
    weight: float = 1.0
    kind: str = field(default="symbolic", init=False)


@dataclass(frozen=True)
class ChoicePart:
    """Exactly one of ``options`` (shown as A, B, C, ...) is right: ``options[correct]``."""

    label: str
    prompt: str
    options: tuple[str, ...]
    correct: int
    explanation: str = ""
    weight: float = 1.0
    kind: str = field(default="choice", init=False)


@dataclass(frozen=True)
class TrueFalsePart:
    """A statement about the variant whose truth the template computed."""

    label: str
    statement: str
    truth: bool
    explanation: str = ""
    weight: float = 1.0
    kind: str = field(default="truefalse", init=False)

    @property
    def prompt(self) -> str:
        return f"True or false: {self.statement}"


Part = NumericPart | SymbolicPart | ChoicePart | TrueFalsePart


@dataclass(frozen=True)
class RubricItem:
    """One key point of a written answer, for self-marking."""

    points: float
    text: str


@dataclass(frozen=True)
class PartResult:
    """How one part of an answer fared.

    ``status`` is ``correct``, ``wrong``, ``unreadable`` (a format error, not a
    wrong answer), ``missing`` or ``error`` (the checker itself failed: a bug); ``diagnosis`` names a recognised mistake
    (``sign``, ``misconception``, ``shape``, an engine verdict kind, ...) or is empty.
    """

    label: str
    status: str
    score: float
    feedback: str
    diagnosis: str = ""


@dataclass(frozen=True)
class CheckResult:
    """The outcome of ``check``: a score in [0, 1] over the auto-checked parts."""

    template: str
    seed: int
    score: float
    points: float
    max_points: float
    readable: bool
    feedback: str
    parts: tuple[PartResult, ...]

    @property
    def correct(self) -> bool:
        return self.score >= 1.0 - 1e-12

    def to_dict(self) -> dict:
        data = asdict(self)
        data["correct"] = self.correct
        return data
