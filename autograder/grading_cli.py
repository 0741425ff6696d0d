"""`nablab grade` and `nablab demo`: the instructor's commands, thin over :func:`batch.grade_class`."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .batch import grade_class
from .grading import GraderError, assignments
from .results import SubmissionResult
from .sandbox import Limits

EXAMPLE_CLASS = Path(__file__).resolve().parent / "example_class"
console = Console(stderr=True)
output = Console(width=None if sys.stdout.isatty() else 200)  # no truncated tables in files and pipes


def run_batch(assignment: str, paths: list[Path], out: Path, *, jobs: int, timeout: float,
              regrade: bool = False) -> list[SubmissionResult]:
    columns = (TextColumn(f"grading {assignment}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[last]}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("grade", total=len(paths), last="")

        def advance(result: SubmissionResult, reused: bool) -> None:
            note = " (unchanged, kept)" if reused else ""
            progress.update(task, advance=1, last=f"{result.student}: {result.score:g}/{result.max_score:g}{note}")

        return grade_class(assignment, paths, out, jobs=jobs, limits=Limits(timeout=timeout),
                           regrade=regrade, on_result=advance)


def gradebook_table(title: str, results: list[SubmissionResult]) -> Table:
    parts = list(results[0].parts()) if results else []
    table = Table(title=title)
    table.add_column("student")
    for part in parts:
        table.add_column(part, justify="right")
    table.add_column("total", justify="right", style="bold")
    for result in results:
        scores = result.parts()
        table.add_row(result.student, *(f"{scores.get(p, (0, 0))[0]:g}" for p in parts),
                      f"{result.score:g}/{result.max_score:g}")
    return table


@click.command()
@click.argument("assignment", type=click.Choice(assignments()))
@click.argument("submissions", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Writes results/<student>.json (Gradescope format), feedback/<student>.md, grades.csv.")
@click.option("--jobs", default=os.cpu_count() or 1, show_default=True, help="Students graded in parallel.")
@click.option("--timeout", default=10.0, show_default=True, help="Wall seconds per call and per notebook cell.")
@click.option("--regrade", is_flag=True, help="Grade again even where an up-to-date result exists.")
def grade(assignment: str, submissions: tuple[Path, ...], out: Path, jobs: int, timeout: float,
          regrade: bool) -> None:
    """Grade SUBMISSIONS (.ipynb, .py, or folders holding one) of ASSIGNMENT with its hidden suite."""
    try:
        results = run_batch(assignment, list(submissions), out, jobs=jobs, timeout=timeout, regrade=regrade)
    except GraderError as err:
        raise click.ClickException(str(err)) from None
    output.print(gradebook_table(f"{assignment}: {out / 'grades.csv'}", results))
    click.echo(f"Feedback: {out / 'feedback'}/<student>.md   Results: {out / 'results'}/<student>.json   "
               f"Class overview: {out / 'grades.png'}")


def example_submissions(folder: Path) -> list[Path]:
    """The bundled hand-ins of one assignment: notebooks, ``.py`` files and folders holding one (as
    ``nablab grade`` takes them); not the README nor hidden entries."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if not p.name.startswith((".", "__"))
                  and (p.is_dir() or p.suffix in (".ipynb", ".py")))


@click.command()
@click.option("--out", default="nablab-demo", show_default=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--jobs", default=os.cpu_count() or 1, show_default=True)
@click.option("--timeout", default=5.0, show_default=True, help="Wall seconds per call (the class has an endless loop).")
def demo(out: Path, jobs: int, timeout: float) -> None:
    """Grade the bundled example class for every assignment and print the gradebooks."""
    for assignment in assignments():
        folder = EXAMPLE_CLASS / assignment
        paths = example_submissions(folder)
        if not paths:
            continue
        results = run_batch(assignment, paths, out / assignment, jobs=jobs, timeout=timeout, regrade=True)
        output.print(gradebook_table(f"{assignment} — example class", results))
        click.echo(f"Feedback for each student: {out / assignment / 'feedback'}/<student>.md   "
                   f"Class overview: {out / assignment / 'grades.png'}\n")





@click.command()
@click.argument("names", nargs=-1)
@click.option("--check", is_flag=True, help="Only compare the committed releases with nbgrader's; exit 1 if stale.")
def release(names: tuple[str, ...], check: bool) -> None:
    """Make the student releases in assignments/ from solutions/ with nbgrader generate_assignment."""
    from . import release as releases

    chosen = list(names) or releases.released_assignments()
    unknown = set(chosen) - set(releases.released_assignments())
    if unknown:
        raise click.ClickException(f"no solution notebook for {', '.join(sorted(unknown))}")
    if check:
        outdated = releases.stale(chosen)
        if outdated:
            raise click.ClickException(f"stale releases (run `nablab release`): {', '.join(outdated)}")
        click.echo(f"up to date: {', '.join(chosen)}")
        return
    for path in releases.generate(chosen, releases.ASSIGNMENTS):
        click.echo(f"wrote {path.relative_to(releases.ROOT)}")



@click.command("nbgrader-demo")
@click.option("--json", "as_json", is_flag=True, help='Print {"students": {id: {"nbgrader", "nablab", "parts"}}}.')
@click.option("--keep", type=click.Path(file_okay=False, path_type=Path), help="Course directory to keep.")
@click.option("--assignment", "chosen", multiple=True, help="Only these assignments (default: all).")
@click.option("--timeout", default=5.0, show_default=True)
def nbgrader_demo(as_json: bool, keep: Path | None, chosen: tuple[str, ...], timeout: float) -> None:
    """Run real nbgrader (generate, autograde, feedback, export) on the example class, next to nablab grade."""
    import json
    import tempfile

    from .nbgrader_bridge import flow

    names = list(chosen) or [a for a in assignments() if (EXAMPLE_CLASS / a).is_dir()]
    hand_ins = {a: sorted((EXAMPLE_CLASS / a).iterdir()) for a in names}
    with tempfile.TemporaryDirectory(prefix="nablab-nbgrader-") as tmp:
        course = keep or Path(tmp)
        with console.status("nbgrader") as status:
            rows = flow.run(course, hand_ins, timeout=timeout, step=lambda text: status.update(text))
    report = {"students": {f"{r.assignment}/{r.student}": {
        "nbgrader": sum(r.nbgrader.values()), "nablab": sum(r.nablab.values()),
        "parts": {p: {"nbgrader": r.nbgrader.get(p), "nablab": r.nablab[p]} for p in r.nablab}}
        for r in rows}}
    if as_json:
        click.echo(json.dumps(report, indent=1))
    else:
        table = Table(title="nbgrader autograde vs nablab grade")
        for column in ("assignment", "student", "nbgrader", "nablab", "parts agree"):
            table.add_column(column)
        for r in rows:
            table.add_row(r.assignment, r.student, f"{sum(r.nbgrader.values()):g}", f"{sum(r.nablab.values()):g}",
                          "yes" if r.agree else "[red]NO[/red]")
        output.print(table)
        if keep:
            click.echo(f"Course directory (gradebook.db, feedback/, grades.csv): {keep}")
    if not all(r.agree for r in rows):
        raise SystemExit(1)
COMMANDS = [grade, demo, release, nbgrader_demo]
