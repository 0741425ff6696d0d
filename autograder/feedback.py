"""Readable feedback for one student: a Markdown page with the score per part, what went wrong,
the named mistake, and a plot of the student's trajectory beside the reference where there is one."""
from __future__ import annotations

import re
from pathlib import Path

from .results import SubmissionResult, write_atomic


def write_feedback(result: SubmissionResult, folder: Path) -> Path:
    """``folder/<student>.md`` plus its plots in ``folder/<student>/``; returns the Markdown path."""
    plots = folder / result.student
    lines = [f"# {result.assignment}: feedback for {result.student}", "",
             f"**Score: {result.score:g} / {result.max_score:g}**", "",
             f"_Isolation: {result.isolation}._", ""]
    if result.messages:
        lines += ["## Problems reading or running your submission", ""]
        lines += [f"- {_one_line(m)}" for m in result.messages] + [""]
    lines += ["| part | score |", "| --- | --- |"]
    lines += [f"| `{part}` | {got:g} / {most:g} |" for part, (got, most) in result.parts().items()]
    failed = [c for c in result.checks if not c.passed]
    if failed:
        lines += ["", "## What to fix", ""]
    for n, check in enumerate(failed, 1):
        lines += [f"### {check.name} ({check.score:g} / {check.max_score:g})", "", _quote(check.output)]
        if check.diagnosis and " " in check.diagnosis:  # a named mistake, not a fault kind
            lines += ["", f"**Diagnosis:** {check.diagnosis}."]
        if check.series:
            image = plots / f"{n:02d}_{_slug(check.name)}.png"
            if _plot(check.series, check.name, image):
                lines += ["", f"![your result next to the reference]({result.student}/{image.name})"]
        lines.append("")
    if not failed:
        lines += ["", "Every check passed."]
    path = folder / f"{result.student}.md"
    write_atomic(path, "\n".join(lines) + "\n")
    return path


def _plot(series: dict, title: str, path: Path) -> bool:
    """Draw the plot; False if it cannot be drawn. The student chose these numbers (±1.7e308 makes
    matplotlib's tick locator raise), and a plot must never stop the batch."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 4))
    try:
        two_d = all(len(p) == 2 for points in series.values() for p in points)
        for label, points in series.items():
            clean = [[float("nan") if v is None else v for v in p] for p in points]
            if two_d:
                ax.plot([p[0] for p in clean], [p[1] for p in clean], ".-", label=label)
            else:
                ax.plot(range(1, len(clean) + 1), [p[0] for p in clean], ".-", label=label)
        ax.set_title(title[:80], fontsize=9)
        ax.set(xlabel="w[0]" if two_d else "step", ylabel="w[1]" if two_d else "w[0]")
        ax.legend()
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.tight_layout()
        fig.savefig(path, dpi=80)
        return True
    except Exception:  # noqa: BLE001 - whatever matplotlib makes of hostile numbers
        path.unlink(missing_ok=True)
        return False
    finally:
        plt.close(fig)


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in (text or "failed").splitlines())


def _one_line(text: str) -> str:
    return text.replace("\n", " ")


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:40]
