"""`nablab bank`, `nablab quiz` and `nablab exam`: thin click commands over the question bank.

``COMMANDS`` is what `autograder.cli` adds to the `nablab` group. Exit codes: 0 for every
answer, however malformed (an unreadable answer gets a "could not read" message); 2 for
usage errors such as an unknown template or topic.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import Progress

from question_bank import exam as exam_mod
from question_bank.export_moodle import moodle_xml
from question_bank.export_papers import html_page, key_markdown, paper_markdown
from question_bank.layout import canonical_piece, fmt
from question_bank.quiz import pool_for, run_quiz
from question_bank.registry import Template, UnknownTemplate, all_templates, get

SEED = click.IntRange(min=0, max=2**63 - 1)
FORMATS = ("md", "html", "moodle")
PROGRESS_FROM = 20  # rosters at least this large get a progress bar


def _template(name: str) -> Template:
    try:
        return get(name)
    except UnknownTemplate as exc:
        raise click.UsageError(exc.message) from None


def _echo_json(data) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _part_json(part) -> dict:
    data = {"label": part.label, "kind": part.kind, "prompt": part.prompt}
    if part.kind == "choice":
        data["options"] = list(part.options)
    if part.kind == "numeric":
        data["shape"] = list(part.shape)
    return data


@click.group()
def bank() -> None:
    """Browse question templates, show variants, check answers."""


@bank.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def bank_list(as_json: bool) -> None:
    """List the templates."""
    rows = [{"name": t.name, "title": t.title, "topic": t.topic, "points": t.points, "source": t.source,
             "written": t.describes} for t in all_templates()]
    if as_json:
        _echo_json(rows)
        return
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        click.echo(f"{r['name']:<{width}}  {r['topic']:<14} [{fmt(r['points'], 1):>2}]  {r['title']}")


@bank.command("show")
@click.argument("template")
@click.option("--seed", type=SEED, required=True, help="Variant seed.")
@click.option("--solution", is_flag=True, help="Also print the worked solution (and model answer).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def bank_show(template: str, seed: int, solution: bool, as_json: bool) -> None:
    """Render one variant of TEMPLATE."""
    t = _template(template)
    v = t.generate(seed)
    if as_json:
        data = {"template": t.name, "seed": seed, "title": t.title, "topic": t.topic, "points": t.points,
                "statement": t.render(v), "variant": t.variant_dict(v),
                "parts": [_part_json(p) for p in t.parts(v)]}
        if solution:
            data.update(answer=t.answer_text(v), solution=t.solution(v),
                        answers={p.label: canonical_piece(p) for p in t.parts(v)})
            if t.describes:
                data.update(model_answer=t.model_answer(v),
                            rubric=[{"points": r.points, "text": r.text} for r in t.rubric(v)])
        _echo_json(data)
        return
    click.echo(t.render(v))
    if solution:
        click.echo("#### Solution\n")
        click.echo(t.solution(v))
        click.echo(f"\nAnswer: {t.answer_text(v)}")
        if t.describes:
            click.echo("\n#### Model answer\n")
            click.echo(t.model_answer(v))
            for item in t.rubric(v):
                click.echo(f"- [{fmt(item.points, 1)}] {item.text}")


@bank.command("check")
@click.argument("template")
@click.option("--seed", type=SEED, required=True, help="Variant seed.")
@click.option("--answer", required=True, help="The typed answer, e.g. 'a) 0.5; b) [1, 2]'.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def bank_check(template: str, seed: int, answer: str, as_json: bool) -> None:
    """Check ANSWER against one variant of TEMPLATE (exit 0 even for unreadable answers)."""
    t = _template(template)
    result = t.check(t.generate(seed), answer)
    if as_json:
        _echo_json(result.to_dict())
        return
    click.echo(result.feedback)
    click.echo(f"Score: {fmt(result.points, 2)} / {fmt(result.max_points, 2)}")


@click.command()
@click.option("--topic", default=None, help="Only questions of this topic (or template name).")
@click.option("--seed", type=SEED, default=None, help="Seed for the question sequence (default: fresh, printed).")
@click.option("--count", type=click.IntRange(min=1), default=None, help="Stop after this many questions.")
def quiz(topic: str | None, seed: int | None, count: int | None) -> None:
    """Interactive self-quiz: answer, get feedback and the worked solution; Ctrl-C or :quit ends it."""
    try:
        pool_for(topic)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    if seed is None:
        import secrets
        seed = secrets.randbelow(10**9)  # printed at the start, so the session can be replayed
    # sys.stdin is looked up per line so click's test runner (which swaps it) drives the quiz too.
    run_quiz(seed=seed, topic=topic, console=Console(), readline=lambda: sys.stdin.readline(), count=count)


@click.command()
@click.option("--seed", type=SEED, required=True, help="Exam seed.")
@click.option("--questions", "n_questions", type=click.IntRange(min=1, max=200), required=True, help="Questions per paper.")
@click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="CSV with a student id column: one reproducible paper per student.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Output directory.")
@click.option("--format", "formats", default="md", show_default=True, help="Comma-separated: md, html, moodle.")
def exam(seed: int, n_questions: int, roster: Path | None, out: Path, formats: str) -> None:
    """Write an exam paper and answer key (per student with --roster) as Markdown, HTML and/or Moodle XML."""
    chosen = [f.strip().lower() for f in formats.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise click.UsageError(f"unknown format(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}")
    try:
        students = exam_mod.read_roster(roster) if roster else (None,)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    console = Console(stderr=True)
    with Progress(console=console, disable=len(students) < PROGRESS_FROM, transient=True) as progress:
        task = progress.add_task("papers", total=len(students) * (2 if "moodle" in chosen else 1))
        papers = []
        for sid in students:
            paper = exam_mod.build_paper(seed, n_questions, sid)
            papers.append(paper)
            _write_paper(paper, out, chosen, per_student=roster is not None)
            progress.advance(task)
        if "moodle" in chosen:
            out.mkdir(parents=True, exist_ok=True)
            (out / "moodle.xml").write_bytes(moodle_xml(papers, on_paper=lambda: progress.advance(task)))
    manifest = {"exam_seed": seed, "questions": n_questions, "formats": chosen,
                "papers": [p.manifest() for p in papers]}
    out.mkdir(parents=True, exist_ok=True)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    click.echo(f"Wrote {len(papers)} paper(s) with {n_questions} question(s) each to {out}.")


def _write_paper(paper: exam_mod.Paper, out: Path, formats: list[str], *, per_student: bool) -> None:
    docs = {"paper": paper_markdown(paper), "key": key_markdown(paper)}
    for kind, markdown in docs.items():
        folder = out / (kind + "s") if per_student else out
        name = paper.slug if per_student else kind
        folder.mkdir(parents=True, exist_ok=True)
        if "md" in formats:
            (folder / f"{name}.md").write_text(markdown, encoding="utf-8")
        if "html" in formats:
            (folder / f"{name}.html").write_text(html_page(f"nablab exam {paper.exam_seed} {kind}", markdown), encoding="utf-8")


COMMANDS = [bank, quiz, exam]
