"""``Verdict``: the result of one symbolic check, small enough to cross processes as JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass

KINDS = (
    "equivalent",        # correct (possibly up to an ignored additive constant)
    "form",              # equivalent, but not in the requested form
    "sign",              # answer = -expected
    "constant_factor",   # answer = c * expected, c free of the variables, c != 1
    "missing_constant",  # answer = expected - c: a variable-free term is missing
    "extra_constant",    # answer = expected + c: a variable-free term is extra or different
    "uncancelled",       # answer contains a symbol that should have cancelled
    "off_by_one",        # answer = expected with an integer symbol shifted by one
    "wrong",             # none of the above
    "timeout",           # could not be decided within the time/memory limit
    "unreadable",        # the answer text could not be parsed (a format error)
    "error",             # the checker itself failed on this input; a bug to report
)


@dataclass(frozen=True)
class Verdict:
    """``correct`` decides the score; ``kind`` (one of ``KINDS``) names the diagnosis;
    ``feedback`` is one or two English sentences for the student; ``method`` says how a
    correct verdict was established (``"symbolic"`` or ``"numeric"``), else ``""``."""

    correct: bool
    kind: str
    feedback: str
    method: str = ""

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown verdict kind {self.kind!r}")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Verdict:
        return cls(correct=bool(data["correct"]), kind=str(data["kind"]),
                   feedback=str(data["feedback"]), method=str(data.get("method", "")))
