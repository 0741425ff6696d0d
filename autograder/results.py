"""What grading produces: a result per check and per submission, serialised as Gradescope's results.json."""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class CheckResult:
    """One hidden test: ``name`` is "<part>: <what>", ``part`` the student function it grades."""

    name: str
    part: str
    score: float
    max_score: float
    output: str = ""
    diagnosis: str | None = None
    series: dict | None = None  # data for a plot in the feedback

    @property
    def passed(self) -> bool:
        return self.score >= self.max_score


@dataclass
class SubmissionResult:
    student: str
    assignment: str
    checks: list[CheckResult]
    isolation: str
    messages: list[str] = field(default_factory=list)  # problems reading or loading the submission
    fingerprint: str = ""
    seconds: float = 0.0

    @property
    def score(self) -> float:
        return sum(c.score for c in self.checks)

    @property
    def max_score(self) -> float:
        return sum(c.max_score for c in self.checks)

    def parts(self) -> dict[str, tuple[float, float]]:
        """part -> (score, max_score), in the order the suite checks them."""
        totals: dict[str, tuple[float, float]] = {}
        for c in self.checks:
            got, most = totals.get(c.part, (0.0, 0.0))
            totals[c.part] = (got + c.score, most + c.max_score)
        return totals

    def to_gradescope(self) -> dict:
        """Gradescope's results.json; our own fields live under ``extra_data``."""
        return {
            "score": round(self.score, 6),
            "execution_time": round(self.seconds, 3),
            "output": "\n".join(self.messages),
            "tests": [{"name": c.name, "score": c.score, "max_score": c.max_score,
                       "status": "passed" if c.passed else "failed", "output": c.output}
                      for c in self.checks],
            "extra_data": {"student": self.student, "assignment": self.assignment,
                           "isolation": self.isolation, "fingerprint": self.fingerprint,
                           "checks": [{"part": c.part, "diagnosis": c.diagnosis, "series": c.series}
                                      for c in self.checks]},
        }

    @classmethod
    def from_gradescope(cls, data: dict) -> SubmissionResult:
        extra = data["extra_data"]
        checks = [CheckResult(name=t["name"], part=x["part"], score=t["score"], max_score=t["max_score"],
                              output=t["output"], diagnosis=x["diagnosis"], series=x["series"])
                  for t, x in zip(data["tests"], extra["checks"])]
        return cls(student=extra["student"], assignment=extra["assignment"], checks=checks,
                   isolation=extra["isolation"], messages=[m for m in data["output"].split("\n") if m],
                   fingerprint=extra["fingerprint"], seconds=data["execution_time"])


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write to a temporary file beside ``path``, then rename: readers see old or new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = "wb" if isinstance(text, bytes) else "w"
    with tempfile.NamedTemporaryFile(mode, dir=path.parent, prefix=f".{path.name}.", delete=False,
                                     **({} if mode == "wb" else {"encoding": "utf-8"})) as tmp:
        try:
            tmp.write(text)
            tmp.flush()
            os.fsync(tmp.fileno())
        except BaseException:  # a full disk or a Ctrl-C mid-write leaves no temporary file behind
            os.unlink(tmp.name)
            raise
    os.replace(tmp.name, path)


def save(result: SubmissionResult, path: Path) -> None:
    write_atomic(path, json.dumps(result.to_gradescope(), indent=1, allow_nan=False, default=str))


def load(path: Path) -> SubmissionResult:
    return SubmissionResult.from_gradescope(json.loads(path.read_text(encoding="utf-8")))


