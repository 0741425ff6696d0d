"""Question bank: variants generated and verified per second, and the time to write a class's exam.

A variant counts as verified when ``check`` of its own canonical answer gives full marks; the timed
loop is generate → render → solution → check, per template over consecutive seeds (after one untimed
variant, so the first import of sympy is not charged to one template).
"""
from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from question_bank.registry import all_templates

BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class TemplateSpeed:
    template: str
    variants: int
    verified: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.variants / self.seconds if self.seconds else float("inf")


def bank_throughput(seeds: int, advance=lambda n: None) -> list[TemplateSpeed]:
    rows = []
    for template in all_templates():
        variant = template.generate(10**6)
        template.check(variant, template.answer_text(variant))
        verified = 0
        started = time.perf_counter()
        for seed in range(seeds):
            variant = template.generate(seed)
            template.render(variant)
            template.solution(variant)
            verified += template.check(variant, template.answer_text(variant)).correct
        rows.append(TemplateSpeed(template.name, seeds, verified, time.perf_counter() - started))
        advance(1)
    return rows


def write_roster(path: Path, students: int) -> Path:
    path.write_text("student_id\n" + "".join(f"s{i + 1:04d}\n" for i in range(students)), encoding="utf-8")
    return path


def exam_seconds(work: Path, *, students: int, questions: int, formats: str) -> tuple[float, int]:
    """Wall seconds of ``nablab exam`` (the command line, start-up included) and its exit code."""
    roster = write_roster(work / f"roster-{students}.csv", students)
    out = work / f"exam-{formats.replace(',', '-')}"
    command = [str(BIN / "nablab"), "exam", "--seed", "2026", "--questions", str(questions),
               "--roster", str(roster), "--out", str(out), "--format", formats]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    return time.perf_counter() - started, done.returncode
