"""``python -m bench``: the benchmarks of issue 7; a table per part, then one JSON line of the figures.

    python -m bench            # full: 300 students, every path, 300-student exam (make bench)
    python -m bench --quick    # 5 students of optimizers, small corpora (make bench-quick, for CI)

Nothing here asserts a time: the figures are reported, the targets marked met or not.
"""
from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from autograder.sandbox import detect_isolation

from . import paths, questions, report, symbolic, synth
from .plot import plot_figures

# One of each sort, for the quick run: every path meets a correct, a buggy, a crashing, a hanging
# and an unreadable notebook.
QUICK_KINDS = [("correct", "reference"), ("bug", "mistake"), ("crash", "crash_call"),
               ("endless", "endless_call"), ("broken", "truncated")]
ALL_PATHS = ("nablab", "nbgrader_nablab", "nbgrader", "inprocess")
SECTIONS = ("grading", "memory", "bank", "exam", "symbolic")


@click.command()
@click.option("--quick", is_flag=True, help="Small sizes for CI (a minute or two on 2 cores).")
@click.option("--students", type=int, default=None, help="Students in the class [300; quick: 5].")
@click.option("--assignment", "chosen", multiple=True, help="Only these assignments [all with a suite; quick: optimizers].")
@click.option("--timeout", type=float, default=None, help="Seconds per call and per cell, in every path [5; quick: 2].")
@click.option("--jobs", type=int, default=None, help="Parallel students for nablab and in-process [cores].")
@click.option("--paths", "chosen_paths", default=",".join(ALL_PATHS), show_default=True)
@click.option("--only", default=",".join(SECTIONS), show_default=True, help="Sections to run.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the synthetic class.")
@click.option("--keep", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Keep the class, results, courses and logs here (default: a temporary directory).")
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also draw the figures into this PNG.")
def main(quick: bool, students: int | None, chosen: tuple[str, ...], timeout: float | None, jobs: int | None,
         chosen_paths: str, only: str, seed: int, keep: Path | None, plot: Path | None) -> None:
    """Grading throughput against nbgrader, question-bank speed, symbolic-check latency, memory."""
    n = students or (5 if quick else 300)
    timeout = timeout or (2.0 if quick else 5.0)
    jobs = jobs or paths.cores()
    assignments = list(chosen) or (["optimizers"] if quick else synth.usable_assignments())
    sections = [s.strip() for s in only.split(",") if s.strip()]
    keys = [k.strip() for k in chosen_paths.split(",") if k.strip()]
    unknown = (set(sections) - set(SECTIONS)) | (set(keys) - set(ALL_PATHS))
    if unknown:
        raise click.UsageError(f"unknown: {', '.join(sorted(unknown))}")
    work = keep.resolve() if keep else Path(tempfile.mkdtemp(prefix="nablab-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    # Progress goes to the terminal's stderr even while fd 2 is sent to a log (symbolic section).
    terminal = Console(file=os.fdopen(os.dup(2), "w", buffering=1), stderr=True)
    out = Console(width=None if sys.stdout.isatty() else 200)
    fig: dict = {"machine": machine(), "settings": {
        "quick": quick, "students": n, "assignments": assignments, "timeout": timeout, "jobs": jobs,
        "paths": keys, "sections": sections, "seed": seed}}
    started = time.monotonic()
    try:
        if "grading" in sections or "memory" in sections:
            grading(fig, work, n=n, seed=seed, assignments=assignments, quick=quick, timeout=timeout, jobs=jobs,
                    keys=keys if "grading" in sections else [], memory="memory" in sections and not quick,
                    terminal=terminal, out=out)
        if "bank" in sections:
            bank(fig, seeds=3 if quick else 40, terminal=terminal)
            out.print(report.bank_table(fig))
        if "exam" in sections:
            exam(fig, work, students=20 if quick else 300, all_formats=not quick, terminal=terminal)
        if "symbolic" in sections:
            with _stderr_to(work / "logs" / "symbolic-children.log"):
                symbolic_latency(fig, quick=quick, terminal=terminal)
        fig["machine"]["load_after"] = list(os.getloadavg())
        fig["machine"]["uptime_after"] = _uptime()
        fig["seconds"] = round(time.monotonic() - started, 1)
        fig["targets"] = {} if quick else report.targets(fig)
        out.print(report.timing_table(fig))
        out.print(report.targets_table(fig))
        out.print(f"machine: {fig['machine']['cores']} cores; load before {fig['machine']['uptime_before']}; "
                  f"after {fig['machine']['uptime_after']}; isolation {fig['machine']['isolation']}; "
                  f"{fig['seconds']:.0f} s in all; work files: {work if keep else '(removed)'}")
        if plot and plot_figures(fig, plot):
            out.print(f"figures plotted: {plot}")
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(fig, ensure_ascii=False, separators=(",", ":")), flush=True)


def machine() -> dict:
    mode, reason = detect_isolation()
    return {"cores": paths.cores(), "cpu": platform.processor() or platform.machine(),
            "python": platform.python_version(), "isolation": mode + (f" ({reason})" if reason else ""),
            "load_before": list(os.getloadavg()), "uptime_before": _uptime()}


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "load average: " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def progress(terminal: Console) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=terminal, transient=True)


@contextmanager
def _stderr_to(path: Path):
    """Send fd 2 to ``path``: the symbolic engine's children print their tracebacks there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    saved = os.dup(2)
    with open(path, "ab") as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


# ------------------------------------------------------------------------------------------ sections

def grading(fig: dict, work: Path, *, n: int, seed: int, assignments: list[str], quick: bool, timeout: float,
            jobs: int, keys: list[str], memory: bool, terminal: Console, out: Console) -> None:
    folder = work / "class"
    shutil.rmtree(folder, ignore_errors=True)
    with terminal.status(f"writing the synthetic class ({n} students)"):
        students = synth.make_class(folder, n=n, seed=seed, assignments=assignments,
                                    kinds=QUICK_KINDS if quick else None)
    well = sum(s.well_behaved for s in students)
    fig["class"] = {"students": n, "well_behaved": well, "rest": n - well,
                    "by_category": {c: sum(s.category == c for s in students) for c in synth.MIX},
                    "by_assignment": {a: sum(s.assignment == a for s in students) for a in assignments}}
    out.print(report.class_table(students))
    runs: dict[str, paths.PathRun] = {}
    fig["suites"] = paths.suite_versions(assignments)
    courses = {}
    if {"nbgrader", "nbgrader_nablab"} & set(keys):
        with terminal.status("nbgrader generate_assignment (set-up, not timed)") as status:
            courses = paths.prepare_courses(work, assignments, timeout=timeout, step=status.update)
    for key in keys:
        try:
            runs[key] = grade_path(key, fig, folder, students, work, courses, n=n, jobs=jobs, timeout=timeout,
                                   assignments=assignments, terminal=terminal)
            runs[key].save(work / "runs" / f"{key}.json")
        except Exception as err:  # noqa: BLE001 - one failing path (a suite being edited) must not lose the others
            fig.setdefault("path_failures", {})[key] = f"{type(err).__name__}: {str(err)[:500]}"
            out.print(f"[red]{paths.PATHS[key]} failed: {type(err).__name__}: {str(err)[:300]}[/red]")
    changed = [a for a, v in paths.suite_versions(assignments).items() if fig["suites"].get(a) != v]
    if changed:  # other people edit the suites while a long run goes on: say so, the paths may disagree
        fig["suites_changed_during_run"] = changed
        out.print(f"[red]the suites of {', '.join(changed)} changed during the run: paths graded with different "
                  "versions[/red]")
    if runs:
        fig["grading"] = report.grading_figures(students, runs)
        fig["speedup"] = report.speedups(fig["grading"])
        fig["agreement"] = report.agreement(students, runs)
        out.print(report.grading_table(fig))
        for key, row in fig["agreement"].items():
            for line in row["differences"]:
                out.print(f"  differs from nablab in {paths.PATHS[key]}: {line}")
        for key, row in fig["grading"].items():
            for line in row["errors"]:
                out.print(f"  [red]{paths.PATHS[key]}: {line}[/red]")
    if memory:
        memory_run(fig, work, n=n, seed=seed, timeout=timeout, jobs=jobs, terminal=terminal)


def grade_path(key: str, fig: dict, folder: Path, students: list, work: Path, courses: dict, *, n: int,
               jobs: int, timeout: float, assignments: list[str], terminal: Console) -> paths.PathRun:
    with progress(terminal) as bar:
        task = bar.add_task(paths.PATHS[key], total=n)
        advance = lambda k: bar.advance(task, k)  # noqa: E731
        load = os.getloadavg()[0]
        if key == "nablab":
            run = paths.run_nablab(folder, students, work, jobs=jobs, timeout=timeout, advance=advance)
            fig.setdefault("memory", {})[f"nablab grade, {n} students over {len(assignments)} "
                                         f"assignment(s) (largest per invocation)"] = run.memory
        elif key == "inprocess":
            run = paths.run_inprocess(folder, students, jobs=jobs, timeout=timeout, advance=advance)
        else:
            run = paths.run_nbgrader(key, courses[key], folder, students, work, advance=advance,
                                     step=lambda text: bar.update(task, description=text))
        fig.setdefault("load_during", {})[key] = [round(load, 2), round(os.getloadavg()[0], 2)]
    return run


def memory_run(fig: dict, work: Path, *, n: int, seed: int, timeout: float, jobs: int, terminal: Console) -> None:
    """One ``nablab grade`` process for a whole class of one assignment: its peak RSS."""
    folder = work / "memory-class"
    shutil.rmtree(folder, ignore_errors=True)
    with terminal.status(f"writing {n} optimizers students"):
        students = synth.make_class(folder, n=n, seed=seed + 1, assignments=["optimizers"])
    with progress(terminal) as bar:
        task = bar.add_task(f"memory: nablab grade optimizers, {n} students", total=n)
        seconds, peaks, code = paths.grade_with_cli(
            "optimizers", [paths.notebook(folder, s) for s in students], work / "memory-results",
            jobs=jobs, timeout=timeout, advance=lambda k: bar.advance(task, k))
    fig.setdefault("memory", {})[f"nablab grade optimizers, {n} students in one process"] = {
        **peaks, "seconds": round(seconds, 1), "students_per_s": round(n / seconds, 3), "exit": code}


def bank(fig: dict, *, seeds: int, terminal: Console) -> None:
    from question_bank.registry import TEMPLATE_MODULES
    with progress(terminal) as bar:
        task = bar.add_task("question bank", total=len(TEMPLATE_MODULES))
        rows = questions.bank_throughput(seeds, advance=lambda k: bar.advance(task, k))
    variants = sum(r.variants for r in rows)
    seconds = sum(r.seconds for r in rows)
    fig["bank"] = {"seeds": seeds, "variants": variants, "verified": sum(r.verified for r in rows),
                   "seconds": round(seconds, 2), "overall_per_s": round(variants / seconds, 1),
                   "per_template": {r.template: {"per_s": round(r.per_second, 1), "variants": r.variants,
                                                 "verified": r.verified} for r in rows}}


def exam(fig: dict, work: Path, *, students: int, all_formats: bool, terminal: Console) -> None:
    row: dict = {"students": students, "questions": 20}
    with terminal.status(f"nablab exam: 20 questions × {students} students (Markdown papers and keys)"):
        seconds, code = questions.exam_seconds(work, students=students, questions=20, formats="md")
    row["md_seconds"], row["md_exit"] = round(seconds, 2), code
    if all_formats:
        with terminal.status(f"nablab exam: 20 questions × {students} students (md, html, moodle)"):
            seconds, code = questions.exam_seconds(work, students=students, questions=20, formats="md,html,moodle")
        row["all_seconds"], row["all_exit"] = round(seconds, 2), code
    fig["exam"] = row


def symbolic_latency(fig: dict, *, quick: bool, terminal: Console) -> None:
    typical_limit = 15 if quick else None
    hostile_limit = 6 if quick else None
    out: dict = {}
    with progress(terminal) as bar:
        task = bar.add_task("symbolic: typical answers", total=len(symbolic.typical_cases()[:typical_limit]))
        out["typical"] = report.latency(symbolic.run_typical(typical_limit, advance=lambda k: bar.advance(task, k)))
        task = bar.add_task("symbolic: hostile answers", total=len(symbolic.hostile_cases()[:hostile_limit]))
        out["hostile"] = report.latency(symbolic.run_hostile(limit=hostile_limit,
                                                             advance=lambda k: bar.advance(task, k)), bound=2.0)
        if not quick:
            task = bar.add_task("symbolic: hostile answers, timeout=1.0", total=len(symbolic.hostile_cases()))
            out["hostile_1s"] = report.latency(symbolic.run_hostile(timeout=1.0, advance=lambda k: bar.advance(task, k)),
                                               bound=2.0)
            total = len(symbolic.BANK_TEMPLATES) * len(symbolic.BANK_HOSTILE)
            task = bar.add_task("symbolic: hostile answers through the bank's check", total=total)
            out["bank_hostile"] = report.latency(symbolic.run_bank_hostile(advance=lambda k: bar.advance(task, k)),
                                                 bound=2.0)
    fig["symbolic"] = out


if __name__ == "__main__":
    main()
