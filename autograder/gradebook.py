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


def part_means(results: list[SubmissionResult]) -> dict[str, float]:
    """Each part's mean score as a share of its points, over the whole class (a part missing from a
    result counts as 0)."""
    shares: dict[str, float] = {}
    for result in results:
        for part, (got, most) in result.parts().items():
            shares[part] = shares.get(part, 0.0) + (got / most if most else 0.0)
    return {part: total / len(results) for part, total in shares.items()}


def plot_grades(results: list[SubmissionResult], path: Path) -> Path | None:
    """``grades.png``: the class's totals as a histogram and each part's mean as a share of its
    points, so the parts the class struggled with stand out. None for an empty class."""
    if not results:
        return None
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    totals = [r.score for r in results]
    most = max(r.max_score for r in results)
    shares = part_means(results)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, max(3.5, 0.32 * len(shares) + 1.5)))
    left.hist(totals, bins=min(20, max(5, len(results))), range=(0, most or 1), color="tab:blue")
    left.yaxis.get_major_locator().set_params(integer=True)
    left.set(xlabel=f"total score (of {most:g})", ylabel="students",
             title=f"{results[0].assignment}: {len(results)} students, mean {sum(totals) / len(totals):.3g}")
    names, means = list(shares), [100 * m for m in shares.values()]
    right.barh(range(len(names)), means, color=["tab:red" if m < 50 else "tab:green" for m in means])
    right.set_yticks(range(len(names)), names, fontsize=8)
    right.invert_yaxis()
    right.set(xlim=(0, 100), xlabel="mean score, % of the part's points", title="by part")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80)
    plt.close(fig)
    write_atomic(path, buffer.getvalue())
    return path
