"""Moodle XML for exam papers: one category per student, one or two Moodle questions per exam question.

Mapping:
* a single number -> ``numerical`` with an absolute tolerance; computed misconceptions
  become 0% answers with their feedback;
* a single choice -> ``multichoice``; a single true/false -> ``truefalse``;
* several numeric/choice/true-false parts (or a vector) -> ``cloze`` with one embedded
  NUMERICAL or MULTICHOICE blank per entry;
* a question with a formula part or a written part ("describe", "compare") -> two
  questions: a ``cloze`` with a blank per entry of its numeric / choice / true-false parts
  (auto-graded by Moodle), and an ``essay`` for the formulas and the written part, with the
  answer key (canonical answer, worked solution, model answer, rubric) as grader
  information and feedback, because Moodle cannot decide formula equivalence (`nablab bank
  check` can). Without such parts only the essay is written. The essay's grade is the
  question's points minus the share of the auto-graded parts.
The tree is built with xml.etree, so all text is escaped; LaTeX becomes \\( ... \\).
"""
from __future__ import annotations

import math
import xml.etree.ElementTree as ET

from question_bank.core import ChoicePart, NumericPart, SymbolicPart, TrueFalsePart
from question_bank.exam import ExamQuestion, Paper
from question_bank.export_papers import markdown_to_html
from question_bank.layout import LETTERS, fmt, fmt_sig

_CLOZE_SPECIAL = ("\\", "}", "#", "~", "/", '"')


def _html(markdown: str) -> str:
    return markdown_to_html(markdown, math_open=r"\(", math_close=r"\)")


def _text(parent: ET.Element, tag: str, value: str, fmt_: str | None = "html") -> ET.Element:
    node = ET.SubElement(parent, tag, {"format": fmt_} if fmt_ else {})
    ET.SubElement(node, "text").text = value
    return node


def _header(kind: str, q: ExamQuestion, text_html: str, feedback_html: str, *, what: str = "",
            points: float | None = None) -> ET.Element:
    node = ET.Element("question", {"type": kind})
    _text(node, "name", f"Q{q.number} {q.template.title} (template {q.template.name}, seed {q.seed}){what}", None)
    _text(node, "questiontext", text_html)
    _text(node, "generalfeedback", feedback_html)
    if kind != "cloze":  # a cloze question's mark is the sum of its blanks' weights
        ET.SubElement(node, "defaultgrade").text = fmt(q.template.points if points is None else points, 3)
    ET.SubElement(node, "penalty").text = "0"
    ET.SubElement(node, "hidden").text = "0"
    return node


def _statement_without_syntax(q: ExamQuestion) -> str:
    """The rendered statement minus the typed-answer syntax line (Moodle has its own inputs)."""
    lines = q.template.render(q.variant).splitlines()
    return "\n".join(line for line in lines if not line.startswith("*Answer format:*"))


def _num(x: float) -> str:
    return fmt_sig(float(x), 10)


def _wrongs(part: NumericPart, index: int):
    want, tol = part.value[index], part.tolerance(index)
    for wrong in part.misconceptions:
        value = wrong.value[index] if len(wrong.value) == len(part.value) else None
        if value is not None and math.isfinite(value) and abs(value - want) > tol:
            yield value, wrong.feedback


def _numerical(q: ExamQuestion, part: NumericPart, text_html: str, feedback_html: str) -> ET.Element:
    node = _header("numerical", q, text_html, feedback_html)
    answers = [(100, part.value[0], "Correct.")] + [(0, value, fb) for value, fb in _wrongs(part, 0)]
    for fraction, value, feedback in answers:
        answer = ET.SubElement(node, "answer", {"fraction": str(fraction), "format": "moodle_auto_format"})
        ET.SubElement(answer, "text").text = _num(value)
        _text(answer, "feedback", feedback)
        ET.SubElement(answer, "tolerance").text = _num(part.tolerance(0))
    return node


def _multichoice(q: ExamQuestion, part: ChoicePart, text_html: str, feedback_html: str) -> ET.Element:
    node = _header("multichoice", q, text_html, feedback_html)
    ET.SubElement(node, "single").text = "true"
    ET.SubElement(node, "shuffleanswers").text = "0"  # the order is part of the variant
    ET.SubElement(node, "answernumbering").text = "ABCD"
    for i, option in enumerate(part.options):
        answer = ET.SubElement(node, "answer", {"fraction": "100" if i == part.correct else "0", "format": "html"})
        ET.SubElement(answer, "text").text = _html(option)
        _text(answer, "feedback", "Correct." if i == part.correct else part.explanation)
    return node


def _truefalse(q: ExamQuestion, part: TrueFalsePart, text_html: str, feedback_html: str) -> ET.Element:
    node = _header("truefalse", q, text_html, feedback_html)
    for value in ("true", "false"):
        right = (value == "true") == part.truth
        answer = ET.SubElement(node, "answer", {"fraction": "100" if right else "0", "format": "moodle_auto_format"})
        ET.SubElement(answer, "text").text = value
        _text(answer, "feedback", "Correct." if right else part.explanation)
    return node


def cloze_escape(text: str) -> str:
    for ch in _CLOZE_SPECIAL:
        text = text.replace(ch, "\\" + ch)
    return text


def _blank(part) -> list[str]:
    if isinstance(part, NumericPart):
        blanks = []
        for i, value in enumerate(part.value):
            tol = _num(part.tolerance(i))
            body = f"={_num(value)}:{tol}#Correct"
            body += "".join(f"~%0%{_num(w)}:{tol}#{cloze_escape(fb)}" for w, fb in _wrongs(part, i))
            blanks.append("{1:NUMERICAL:" + body + "}")
        return blanks
    if isinstance(part, ChoicePart):
        options = [("=" if i == part.correct else "") + LETTERS[i] for i in range(len(part.options))]
        return ["{1:MULTICHOICE:" + "~".join(options) + "}"]
    truth = "true" if part.truth else "false"
    other = "false" if part.truth else "true"
    return ["{1:MULTICHOICE:=" + truth + "~" + other + "}"]


def _cloze(q: ExamQuestion, parts, text_html: str, feedback_html: str, *, what: str = "") -> ET.Element:
    rows = "".join(f"<p><strong>{p.label})</strong> {' '.join(_blank(p))}</p>" for p in parts)
    return _header("cloze", q, text_html + "<p><strong>Answers</strong></p>" + rows, feedback_html, what=what)


def _essay(q: ExamQuestion, text_html: str, key_html: str, *, what: str = "",
           points: float | None = None) -> ET.Element:
    node = _header("essay", q, text_html, key_html, what=what, points=points)
    ET.SubElement(node, "responseformat").text = "editor"
    ET.SubElement(node, "responserequired").text = "1"
    ET.SubElement(node, "responsefieldlines").text = "15"
    ET.SubElement(node, "attachments").text = "0"
    _text(node, "graderinfo", key_html)
    _text(node, "responsetemplate", "")
    return node


def _labels(parts) -> str:
    return ", ".join(f"{p.label})" for p in parts)


def _key_markdown(q: ExamQuestion) -> str:
    t, v = q.template, q.variant
    lines = [f"**Answer:** `{t.answer_text(v)}`", "", t.solution(v)]
    if t.describes:
        lines += ["", "**Model answer:**", "", t.model_answer(v), "", "**Rubric:**", ""]
        lines += [f"- [{fmt(item.points, 1)}] {item.text}" for item in t.rubric(v)]
    return "\n".join(lines)


def question_xmls(q: ExamQuestion) -> tuple[ET.Element, ...]:
    """The Moodle question(s) of one exam question: one, or a cloze of the auto-gradable parts
    followed by an essay for the formula parts and the written part."""
    parts = q.template.parts(q.variant)
    text_html = _html(_statement_without_syntax(q))
    key_html = _html(_key_markdown(q))
    formulas = [p for p in parts if isinstance(p, SymbolicPart)]
    auto = [p for p in parts if not isinstance(p, SymbolicPart)]
    if not (q.template.describes or formulas):
        return (_single(q, parts, text_html, key_html),)
    by_hand = ([f"the formula{'s' if len(formulas) > 1 else ''} of part{'s' if len(formulas) > 1 else ''} "
                f"{_labels(formulas)}"] if formulas else []) + (["the written part"] if q.template.describes else [])
    by_hand_text = " and ".join(by_hand)
    if not auto:
        return (_essay(q, text_html + _html(f"*Answer here: {by_hand_text}.*"), key_html),)
    total = sum(p.weight for p in parts)
    auto_points = q.template.item_points * sum(p.weight for p in auto) / total
    essay_points = q.template.points - auto_points
    cloze_note = _html(f"*Parts {_labels(auto)} are answered below (auto-graded); {by_hand_text} "
                       "in the next question.*")
    essay_note = _html(f"*Answer here: {by_hand_text}. Parts {_labels(auto)} are answered in the "
                       "previous question (auto-graded).*")
    return (_cloze(q, auto, text_html + cloze_note, key_html, what=f" -- auto-graded parts {_labels(auto)}"),
            _essay(q, text_html + essay_note, key_html, what=" -- " + by_hand_text, points=essay_points))


def _single(q: ExamQuestion, parts, text_html: str, key_html: str) -> ET.Element:
    if len(parts) == 1 and isinstance(parts[0], NumericPart) and parts[0].shape == ():
        return _numerical(q, parts[0], text_html, key_html)
    if len(parts) == 1 and isinstance(parts[0], ChoicePart):
        return _multichoice(q, parts[0], text_html, key_html)
    if len(parts) == 1 and isinstance(parts[0], TrueFalsePart):
        return _truefalse(q, parts[0], text_html, key_html)
    return _cloze(q, parts, text_html, key_html)


def moodle_xml(papers: list[Paper], on_paper=None) -> bytes:
    """All papers as one Moodle XML quiz file; ``on_paper`` is called after each (progress)."""
    root = ET.Element("quiz")
    for paper in papers:
        category = ET.SubElement(root, "question", {"type": "category"})
        who = "paper" if paper.student_id is None else f"student {paper.student_id}"
        _text(category, "category", f"$course$/nablab exam {paper.exam_seed}/{who}", None)
        for q in paper.questions:
            root.extend(question_xmls(q))
        if on_paper:
            on_paper()
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
