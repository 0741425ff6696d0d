"""One PNG of a run's figures, drawn from the same dict as the JSON line and the tables.

Three panels, each shown only when its section ran: grading throughput per path (whole class and
well-behaved students), symbolic-check latency per corpus against the 100 ms and 2 s targets, and
question-bank variants per second per template.
"""
from __future__ import annotations

from pathlib import Path

from .paths import PATHS


def plot_figures(fig: dict, path: Path) -> Path | None:
    """Draw ``fig`` (the benchmark's figures) into ``path``; None when no section has anything to draw."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [draw for key, draw in (("grading", _grading), ("symbolic", _latency), ("bank", _bank)) if fig.get(key)]
    if not panels:
        return None
    figure, axes = plt.subplots(1, len(panels), figsize=(6.2 * len(panels), 5.2), squeeze=False)
    for ax, draw in zip(axes[0], panels):
        draw(ax, fig)
    m = fig.get("machine", {})
    figure.suptitle(f"nablab bench: {m.get('cores', '?')} cores, isolation {m.get('isolation', '?')}, "
                    f"load {', '.join(f'{x:.1f}' for x in m.get('load_before', []))} at the start", fontsize=10)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=90)
    plt.close(figure)
    return path


def _grading(ax, fig: dict) -> None:
    rows = fig["grading"]
    names = [PATHS[k] for k in rows]
    whole = [rows[k]["students_per_s"] or 0 for k in rows]
    well = [rows[k]["well_behaved_per_s"] or 0 for k in rows]
    y = range(len(rows))
    ax.barh([i + 0.2 for i in y], whole, height=0.4, label=f"whole class ({fig['class']['students']})")
    ax.barh([i - 0.2 for i in y], well, height=0.4, label=f"well-behaved ({fig['class']['well_behaved']})")
    ax.set_yticks(list(y), names, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("students graded per second (higher is better)")
    ax.set_title(f"Grading throughput, {fig['settings']['timeout']:g} s per call", fontsize=10)
    ax.legend(fontsize=8)


def _latency(ax, fig: dict) -> None:
    corpora = [(name, row) for name, row in fig["symbolic"].items() if row.get("n")]
    y = range(len(corpora))
    for offset, stat, label in ((0.27, "p50_ms", "p50"), (0.0, "p95_ms", "p95"), (-0.27, "max_ms", "max")):
        ax.barh([i - offset for i in y], [row[stat] for _, row in corpora], height=0.27, label=label)
    ax.axvline(100, color="grey", linestyle="--", linewidth=1)
    ax.axvline(2000, color="red", linestyle="--", linewidth=1)
    ax.set_xscale("log")
    ax.set_yticks(list(y), [f"{name} (n={row['n']})" for name, row in corpora], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("ms per check (log); dashed: 100 ms p95 and 2 s bound targets")
    ax.set_title("Symbolic checks", fontsize=10)
    ax.legend(fontsize=8)


def _bank(ax, fig: dict) -> None:
    rows = sorted(fig["bank"]["per_template"].items(), key=lambda kv: kv[1]["per_s"])
    ax.barh(range(len(rows)), [row["per_s"] for _, row in rows])
    ax.set_yticks(range(len(rows)), [name for name, _ in rows], fontsize=7)
    ax.set_xscale("log")
    ax.set_xlabel("variants generated + verified per second (log)")
    ax.set_title(f"Question bank, overall {fig['bank']['overall_per_s']:g}/s", fontsize=10)
