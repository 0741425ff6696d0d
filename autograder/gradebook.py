"""The class gradebook: ``grades.csv`` with a row per student, a column per part, the total and the
isolation used, in full: "process limits only (bubblewrap (bwrap) is not installed)", not just its
mode, so a reduced run is plain from the gradebook alone."""
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
                         f"{result.score:g}", f"{result.max_score:g}", result.isolation])
    write_atomic(path, out.getvalue())
