"""Exam paper and answer key as Markdown and HTML.

The key holds, per question, the canonical answer (which `nablab bank check` accepts),
the worked solution, and for written prompts the model answer and rubric. HTML is the
same Markdown rendered by markdown-it (markdown-it-py, a dependency of nablab) with the
LaTeX kept intact for MathJax. One parser serves every call: building a ``MarkdownIt`` is
most of the cost of a small rendering.
"""
from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt

from question_bank.exam import Paper
from question_bank.layout import fmt

MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", re.DOTALL)
_MARKDOWN = MarkdownIt("commonmark").enable("table")
MATHJAX = ('<script>window.MathJax = {tex: {inlineMath: [["$", "$"], ["\\\\(", "\\\\)"]]}};</script>\n'
           '<script defer src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js"></script>')


def _title(paper: Paper, kind: str) -> str:
    who = f" -- student {paper.student_id}" if paper.student_id is not None else ""
    return f"# nablab exam {paper.exam_seed}{who}: {kind}"


def paper_markdown(paper: Paper) -> str:
    lines = [_title(paper, "paper"), "",
             f"{len(paper.questions)} questions, {fmt(paper.points, 1)} points. Paper seed {paper.seed}.", "",
             "Answer each part as `a) ...; b) ...`. Written parts are marked with the rubric in the key.", ""]
    for q in paper.questions:
        lines += [f"## Question {q.number}", "", q.template.render(q.variant), ""]
    return "\n".join(lines)


def key_markdown(paper: Paper) -> str:
    lines = [_title(paper, "answer key"), ""]
    for q in paper.questions:
        t, v = q.template, q.variant
        lines += [f"## Question {q.number}: {t.title} [{fmt(t.points, 1)} points]", "",
                  f"Template `{t.name}`, seed {q.seed} (`nablab bank check {t.name} --seed {q.seed} --answer ...`).", "",
                  f"**Answer:** `{t.answer_text(v)}`", "", "**Worked solution:**", "", t.solution(v), ""]
        if t.describes:
            lines += ["**Model answer (written part):**", "", t.model_answer(v), "", "**Rubric:**", ""]
            lines += [f"- [{fmt(item.points, 1)}] {item.text}" for item in t.rubric(v)]
            lines += [f"- [{fmt(t.item_points, 1)}] the generated items a), b), ... (auto-checked)", ""]
    return "\n".join(lines)


def markdown_to_html(text: str, *, math_open: str = "$", math_close: str = "$") -> str:
    """Markdown body to HTML, with every $...$ kept verbatim (escaped) for MathJax."""
    stash: list[str] = []

    def keep(match: re.Match) -> str:
        body = match.group(0)
        if body.startswith("$$"):
            body = (r"\[" + body[2:-2] + r"\]") if math_open != "$" else body
        elif math_open != "$":
            body = math_open + body[1:-1] + math_close
        stash.append(html.escape(body, quote=False))
        return f"MATHPLACEHOLDER{len(stash) - 1}X"

    protected = MATH.sub(keep, text)
    rendered = _MARKDOWN.render(protected)
    return re.sub(r"MATHPLACEHOLDER(\d+)X", lambda m: stash[int(m.group(1))], rendered)


def html_page(title: str, markdown: str) -> str:
    return (f"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{html.escape(title)}</title>\n"
            f"{MATHJAX}\n</head>\n<body>\n{markdown_to_html(markdown)}</body>\n</html>\n")
