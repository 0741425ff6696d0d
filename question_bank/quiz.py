"""The interactive self-quiz: question, typed answer, feedback, worked solution, running score.

``run_quiz`` takes its input and output as arguments (a ``readline`` callable and a rich
``Console``) so tests can drive it end to end. An unreadable answer is not marked wrong:
the student is told what could not be read and asked again. An empty answer skips the
question; ``:quit``, end of input or Ctrl-C end the quiz with a summary.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterator

from rich.console import Console
from rich.rule import Rule

from question_bank import draw
from question_bank.layout import fmt
from question_bank.registry import Template, all_templates

HELP = ("Type your answer and press Enter. An empty line skips the question (and shows the solution); "
        "`:quit` ends the quiz; `:help` shows this text.")


@dataclass
class QuizScore:
    asked: int = 0
    answered: int = 0
    points: float = 0.0
    max_points: float = 0.0
    by_topic: dict[str, list[float]] = field(default_factory=dict)

    def add(self, topic: str, points: float, max_points: float, answered: bool) -> None:
        self.asked += 1
        self.answered += int(answered)
        self.points += points
        self.max_points += max_points
        got, total = self.by_topic.get(topic, [0.0, 0.0])
        self.by_topic[topic] = [got + points, total + max_points]


class QuizEnded(Exception):
    """The student asked to stop (``:quit``, end of input or Ctrl-C)."""


def pool_for(topic: str | None) -> tuple[Template, ...]:
    templates = all_templates()
    if topic is None:
        return templates
    chosen = tuple(t for t in templates if t.topic == topic or t.name == topic)
    if not chosen:
        known = sorted({t.topic for t in templates})
        raise ValueError(f"no questions for topic '{topic}'; topics are: {', '.join(known)}")
    return chosen


def _ask(console: Console, readline: Callable[[], str], prompt: str) -> str:
    console.print(prompt, end="", markup=False, highlight=False)
    try:
        line = readline()
    except (KeyboardInterrupt, EOFError):
        console.print()
        raise QuizEnded from None
    if line == "":  # end of input
        console.print()
        raise QuizEnded
    text = line.rstrip("\r\n")
    if text.strip() in (":quit", ":q", ":exit"):
        raise QuizEnded
    return text


def ask_question(template: Template, variant_seed: int, console: Console, readline: Callable[[], str],
                 score: QuizScore, number: int) -> None:
    variant = template.generate(variant_seed)
    console.print(Rule(f"Question {number} - {template.name} (seed {variant_seed})"))
    console.print(template.render(variant), markup=False, highlight=False)
    while True:
        answer = _ask(console, readline, "Your answer> ")
        if answer.strip() == ":help":
            console.print(HELP, markup=False)
            continue
        if not answer.strip():
            console.print("Skipped.", style="yellow")
            result = None
            break
        result = template.check(variant, answer)
        if result.readable:
            break
        console.print(result.feedback, style="yellow", markup=False, highlight=False)
        console.print("Please try again (the answer was not marked).", style="yellow")
    if result is not None:
        style = "green" if result.correct else "red"
        console.print(result.feedback, style=style, markup=False, highlight=False)
        console.print(f"Score: {fmt(result.points, 2)} / {fmt(result.max_points, 2)}", style=style)
    score.add(template.topic, result.points if result else 0.0, template.item_points, result is not None)
    console.print(Rule("Worked solution", style="dim"))
    console.print(template.solution(variant), markup=False, highlight=False)
    console.print(f"Answer: {template.answer_text(variant)}", markup=False, highlight=False)
    if template.describes:
        console.print(Rule("Model answer for the written part", style="dim"))
        console.print(template.model_answer(variant), markup=False, highlight=False)
        for item in template.rubric(variant):
            console.print(f"  [{fmt(item.points, 1)}] {item.text}", markup=False, highlight=False)
    console.print(f"Running score: {fmt(score.points, 2)} / {fmt(score.max_points, 2)}", style="bold")


def summary(score: QuizScore) -> str:
    lines = [f"Quiz over: {score.asked} question(s), {score.answered} answered, "
             f"{fmt(score.points, 2)} / {fmt(score.max_points, 2)} points."]
    for topic, (got, total) in score.by_topic.items():
        lines.append(f"  {topic}: {fmt(got, 2)} / {fmt(total, 2)}")
    return "\n".join(lines)


def question_sequence(seed: int, pool: tuple[Template, ...]) -> Iterator[tuple[Template, int]]:
    """The endless, seeded sequence of (template, variant seed); no template twice in a row."""
    rng = draw.rng_for(seed)
    previous = None
    while True:
        template = draw.pick(rng, pool)
        if len(pool) > 1 and template.name == previous:
            continue
        previous = template.name
        yield template, int(rng.integers(0, 2**31 - 1))


def run_quiz(*, seed: int, topic: str | None, console: Console, readline: Callable[[], str],
             count: int | None = None) -> QuizScore:
    """Ask questions until ``count`` is reached or the student stops; print a summary either way."""
    pool = pool_for(topic)
    score = QuizScore()
    console.print(f"nablab quiz (seed {seed}; {len(pool)} template(s)). {HELP}", markup=False, highlight=False)
    questions = question_sequence(seed, pool)
    try:
        while count is None or score.asked < count:
            template, variant_seed = next(questions)
            ask_question(template, variant_seed, console, readline, score, score.asked + 1)
    except QuizEnded:
        pass
    except KeyboardInterrupt:
        console.print()
    console.print(summary(score), style="bold", markup=False, highlight=False)
    return score
