"""Exam papers: which templates and variants each student gets, reproducibly.

A paper's seed is derived from the exam seed and the student id with SHA-256 (never
Python's ``hash()``, which is salted per process), so the same roster and seed give the
same papers on any machine and in any order. Template choice and variant seeds come from
``numpy.random.default_rng(paper_seed)``.
"""
from __future__ import annotations

import csv
import functools
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from question_bank import draw
from question_bank.registry import Template, all_templates

# Header names are compared lower-case without spaces, '_' or '-': "Student ID" matches "studentid".
ID_COLUMNS = ("studentid", "id", "student", "login", "username", "userid", "uco", "email")


@dataclass(frozen=True)
class ExamQuestion:
    number: int
    template: Template
    seed: int

    @functools.cached_property
    def variant(self):
        """Generated once per question (a frozen dataclass without __slots__ keeps it in __dict__)."""
        return self.template.generate(self.seed)


@dataclass(frozen=True)
class Paper:
    exam_seed: int
    student_id: str | None
    seed: int
    questions: tuple[ExamQuestion, ...]

    @property
    def points(self) -> float:
        return sum(q.template.points for q in self.questions)

    @property
    def slug(self) -> str:
        return "paper" if self.student_id is None else slug(self.student_id)

    def manifest(self) -> dict:
        return {"student_id": self.student_id, "paper_seed": self.seed,
                "questions": [{"number": q.number, "template": q.template.name, "seed": q.seed,
                               "points": q.template.points} for q in self.questions]}


def paper_seed(exam_seed: int, student_id: str | None) -> int:
    key = f"nablab-exam\x00{exam_seed}\x00{'' if student_id is None else student_id}".encode("utf-8")
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "big") >> 1


def slug(student_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", student_id.strip()) or "_"


def build_paper(exam_seed: int, n_questions: int, student_id: str | None = None) -> Paper:
    """N questions from distinct templates (templates repeat only when N exceeds their number)."""
    if n_questions < 1:
        raise ValueError("an exam needs at least one question")
    templates = all_templates()
    seed = paper_seed(exam_seed, student_id)
    rng = draw.rng_for(seed)
    chosen: list[Template] = []
    while len(chosen) < n_questions:
        chosen.extend(draw.shuffled(rng, templates))
    questions = tuple(ExamQuestion(number=i + 1, template=t, seed=int(rng.integers(0, 2**31 - 1)))
                      for i, t in enumerate(chosen[:n_questions]))
    return Paper(exam_seed=exam_seed, student_id=student_id, seed=seed, questions=questions)


def read_roster(path: Path) -> tuple[str, ...]:
    """Student ids from a CSV: the column named like an id (Student ID, id, login, ...), else the first column."""
    text = Path(path).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise ValueError(f"{path}: the roster is empty")
    header = [re.sub(r"[^a-z0-9]", "", cell.lower()) for cell in rows[0]]
    column = next((header.index(name) for name in ID_COLUMNS if name in header), None)
    body = rows[1:] if column is not None else rows
    column = 0 if column is None else column
    ids = [r[column].strip() for r in body if len(r) > column and r[column].strip()]
    if not ids:
        raise ValueError(f"{path}: no student ids found")
    seen: set[str] = set()
    slugs: dict[str, str] = {}
    for sid in ids:
        if sid in seen:
            raise ValueError(f"{path}: student id '{sid}' appears twice")
        seen.add(sid)
        if slug(sid) in slugs:
            raise ValueError(f"{path}: ids '{slugs[slug(sid)]}' and '{sid}' would share the file name '{slug(sid)}'")
        slugs[slug(sid)] = sid
    return tuple(ids)
