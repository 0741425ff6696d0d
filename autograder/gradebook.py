"""The class gradebook: ``grades.csv`` with a row per student, a column per part and the total."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from .results import SubmissionResult, write_atomic


def write_grades(results: list[SubmissionResult], path: Path) -> None:
    parts: list[str] = []
    for result in results:
        parts += [p for p in result.parts() if p not in parts]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["student", *parts, "total", "max", "isolation"])
    for result in sorted(results, key=lambda r: r.student):
        scores = result.parts()
        writer.writerow([result.student, *(f"{scores.get(p, (0.0, 0.0))[0]:g}" for p in parts),
                         f"{result.score:g}", f"{result.max_score:g}", result.isolation.split(" (")[0]])
    write_atomic(path, out.getvalue())
