"""Figures from the runs, the targets of issue 7, and the tables that show them.

``figures(...)`` is what the JSON line holds; the tables are rendered from it alone, so what is
printed and what is recorded cannot disagree.
"""
from __future__ import annotations

from collections import Counter

from rich.table import Table

from .paths import PATHS, PathRun
from .symbolic import Timing, percentile
from .synth import Student

TARGETS = {
    "nbgrader_20x": "grading ≥ 20× faster than nbgrader autograde (own kernel), whole class",
    "identical_scores": "identical scores: nablab grade = nbgrader autograde + nablab (every part)",
    "inprocess_3x": "grading within 3× of the in-process limit, whole class",
    "exam_30s": "exam of 20 questions for 300 students with answer keys < 30 s",
    "symbolic_p95_100ms": "symbolic check p95 < 100 ms (typical answers)",
    "hostile_2s": "every hostile input bounded < 2 s (engine check)",
}


def _rate(n: int, seconds: float) -> float | None:
    return round(n / seconds, 3) if seconds else None


def grading_figures(students: list[Student], runs: dict[str, PathRun]) -> dict:
    n_well = sum(s.well_behaved for s in students)
    n_rest = len(students) - n_well
    out = {}
    for key, run in runs.items():
        whole = run.seconds.get("well-behaved", 0.0) + run.seconds.get("rest", 0.0)
        out[key] = {"seconds": round(whole, 2), "students_per_s": _rate(len(students), whole),
                    "well_behaved_seconds": round(run.seconds.get("well-behaved", 0.0), 2),
                    "well_behaved_per_s": _rate(n_well, run.seconds.get("well-behaved", 0.0)),
                    "rest_seconds": round(run.seconds.get("rest", 0.0), 2),
                    "rest_per_s": _rate(n_rest, run.seconds.get("rest", 0.0)),
                    "errors": run.errors[:10]}
    return out


def speedups(grading: dict) -> dict:
    """Each path's time divided by nablab grade's: 20 means nablab is 20× faster, 0.5 twice as slow."""
    base = grading.get("nablab")
    out = {}
    if not base:
        return out
    for key, row in grading.items():
        if key == "nablab":
            continue
        out[key] = {"whole": _ratio(row["seconds"], base["seconds"]),
                    "well_behaved": _ratio(row["well_behaved_seconds"], base["well_behaved_seconds"])}
    return out


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 3) if a and b else None


def agreement(students: list[Student], runs: dict[str, PathRun]) -> dict:
    """Per path: students whose every part (and total) matches nablab grade's, and the first few that do not."""
    base = runs.get("nablab")
    out = {}
    if base is None:
        return out
    for key, run in runs.items():
        if key == "nablab":
            continue
        same_parts = same_total = 0
        differ = []
        for s in students:
            a, b = base.scores.get(s.id), run.scores.get(s.id)
            if a is None or b is None:
                differ.append(f"{s.id} ({s.kind}): missing in {'nablab' if a is None else key}")
                continue
            parts = set(a) | set(b)
            equal = all(abs(a.get(p, 0.0) - b.get(p, 0.0)) < 1e-6 for p in parts)
            same_parts += equal
            same_total += abs(sum(a.values()) - sum(b.values())) < 1e-6
            if not equal:
                differ.append(f"{s.id} ({s.assignment}/{s.kind}): nablab {sum(a.values()):g}, {key} {sum(b.values()):g}")
        out[key] = {"identical_parts": same_parts, "identical_totals": same_total, "of": len(students),
                    "differences": differ[:8]}
    return out


def latency(timings: list[Timing], bound: float | None = None) -> dict:
    seconds = [t.seconds for t in timings]
    if not seconds:
        return {"n": 0}
    row = {"n": len(seconds), "p50_ms": round(1000 * percentile(seconds, 50), 1),
           "p95_ms": round(1000 * percentile(seconds, 95), 1), "max_ms": round(1000 * max(seconds), 1),
           "kinds": dict(Counter(t.kind for t in timings)),
           "checker_errors": [t.answer for t in timings if t.kind == "error"],
           "accepted": [t.answer for t in timings if t.correct and t.corpus != "typical"]}
    if bound is not None:
        row["over_bound"] = [f"{t.answer} ({t.seconds:.2f} s, {t.kind})" for t in timings if t.seconds >= bound]
    return row


def targets(fig: dict) -> dict:
    g, r, a = fig.get("grading", {}), fig.get("speedup", {}), fig.get("agreement", {})
    sym, exam = fig.get("symbolic", {}), fig.get("exam", {})
    met = {}
    if "nbgrader" in r and r["nbgrader"]["whole"] is not None:
        met["nbgrader_20x"] = r["nbgrader"]["whole"] >= 20
    if "nbgrader_nablab" in a:
        row = a["nbgrader_nablab"]
        met["identical_scores"] = row["identical_parts"] == row["of"]
    if "inprocess" in r and r["inprocess"]["whole"]:
        met["inprocess_3x"] = 1 / r["inprocess"]["whole"] <= 3
    if exam.get("students") == 300 and exam.get("questions") == 20 and exam.get("md_seconds") is not None:
        met["exam_30s"] = exam["md_seconds"] < 30 and exam.get("md_exit") == 0
    if sym.get("typical", {}).get("n"):
        met["symbolic_p95_100ms"] = sym["typical"]["p95_ms"] < 100
    if sym.get("hostile", {}).get("n"):
        met["hostile_2s"] = sym["hostile"]["max_ms"] < 2000 and not sym["hostile"]["checker_errors"]
    return met


# ------------------------------------------------------------------------------------------ tables

def _f(value, digits: int = 2, suffix: str = "") -> str:
    return "—" if value is None else f"{value:.{digits}f}{suffix}"


def class_table(students: list[Student]) -> Table:
    table = Table(title=f"Synthetic class: {len(students)} students")
    assignments = sorted({s.assignment for s in students})
    table.add_column("category")
    table.add_column("kinds")
    for a in assignments:
        table.add_column(a, justify="right")
    table.add_column("all", justify="right", style="bold")
    for category in dict.fromkeys(s.category for s in sorted(students, key=lambda s: not s.well_behaved)):
        members = [s for s in students if s.category == category]
        kinds = ", ".join(f"{k} {n}" for k, n in Counter(s.kind for s in members).most_common())
        label = category + ("" if members[0].well_behaved else " *")
        table.add_row(label, kinds, *(str(sum(s.assignment == a for s in members)) for a in assignments),
                      str(len(members)))
    table.caption = "* not well-behaved (crashes, hangs or cannot be read)"
    return table


def grading_table(fig: dict) -> Table:
    g, r, a = fig["grading"], fig.get("speedup", {}), fig.get("agreement", {})
    c = fig["class"]
    table = Table(title=f"Grading throughput ({fig['settings']['timeout']:g} s per call and per cell in every path; "
                        f"nablab and in-process with --jobs {fig['settings']['jobs']})")
    for column in ("path", f"whole class ({c['students']}) s", "students/s", f"well-behaved ({c['well_behaved']}) s",
                   "students/s", "time ÷ nablab's (whole / well-behaved)", "same score as nablab (parts / totals)"):
        table.add_column(column, justify="left" if column == "path" else "right")
    for key, row in g.items():
        speed = r.get(key)
        same = a.get(key)
        table.add_row(PATHS[key], _f(row["seconds"], 1), _f(row["students_per_s"]), _f(row["well_behaved_seconds"], 1),
                      _f(row["well_behaved_per_s"]),
                      "—" if speed is None else f"{_f(speed['whole'])} / {_f(speed['well_behaved'])}",
                      "—" if same is None else f"{same['identical_parts']} / {same['identical_totals']} of {same['of']}")
    return table


def bank_table(fig: dict) -> Table:
    bank = fig["bank"]
    table = Table(title=f"Question bank: generate + render + solution + check of its own answer "
                        f"({bank['seeds']} seeds per template)")
    table.add_column("template")
    table.add_column("variants/s", justify="right")
    table.add_column("verified", justify="right")
    for name, row in bank["per_template"].items():
        table.add_row(name, _f(row["per_s"], 1), f"{row['verified']}/{row['variants']}")
    table.add_row("[bold]overall[/bold]", f"[bold]{_f(bank['overall_per_s'], 1)}[/bold]",
                  f"{bank['verified']}/{bank['variants']}")
    return table


def timing_table(fig: dict) -> Table:
    table = Table(title="Exam, symbolic checks, memory")
    table.add_column("what")
    table.add_column("figure", justify="right")
    exam = fig.get("exam", {})
    if exam:
        who = f"{exam['questions']} questions × {exam['students']} students"
        table.add_row(f"nablab exam, {who}, Markdown papers + keys", _f(exam.get("md_seconds"), 1, " s"))
        if exam.get("all_seconds") is not None:
            table.add_row(f"nablab exam, {who}, md + html + moodle", _f(exam.get("all_seconds"), 1, " s"))
    for corpus, label in (("typical", "typical answers"), ("hostile", "hostile answers (engine)"),
                          ("hostile_1s", "hostile answers, timeout=1.0"), ("bank_hostile", "hostile, whole bank check")):
        row = fig.get("symbolic", {}).get(corpus)
        if row and row.get("n"):
            extra = ""
            if row.get("over_bound"):
                extra += f"; {len(row['over_bound'])} ≥ 2 s"
            if row.get("checker_errors"):
                extra += f"; {len(row['checker_errors'])} checker errors"
            table.add_row(f"symbolic check, {label} (n={row['n']})",
                          f"p50 {row['p50_ms']:.0f} ms · p95 {row['p95_ms']:.0f} ms · max {row['max_ms']:.0f} ms{extra}")
    memory = fig.get("memory", {})
    for key, row in memory.items():
        table.add_row(f"peak RSS, {key}", f"grader {row['grader_main_mib']:.0f} MiB · largest pool worker "
                      f"{row['grader_pool_max_mib']:.0f} MiB · grader + pool ≤ {row['grader_total_mib']:.0f} MiB · "
                      f"largest sandbox {row['sandbox_max_mib']:.0f} MiB · largest symbolic-check child "
                      f"{row.get('checker_max_mib', 0):.0f} MiB")
    return table


def targets_table(fig: dict) -> Table:
    table = Table(title="Targets of issue 7" + (" (quick run: sizes too small to judge them; see make bench)"
                                                if fig["settings"]["quick"] else ""))
    table.add_column("target")
    table.add_column("met", justify="center")
    for key, text in TARGETS.items():
        value = fig["targets"].get(key)
        table.add_row(text, "—" if value is None else ("[green]yes[/green]" if value else "[red]no[/red]"))
    return table
