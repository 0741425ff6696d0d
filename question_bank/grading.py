"""Grading a typed answer against a template's parts.

``grade`` splits the answer into parts (``answers.split_parts``), reads each
piece with the reader its part needs, and compares: numbers within a tolerance,
formulas by the shared engine, choices and true/false exactly. A wrong answer is
then matched against the part's computed misconceptions and a few generic slips
(sign, constant factor, transposed matrix, rounding) so feedback is specific.
A piece that cannot be read is ``unreadable`` -- a format error, not a wrong answer.

Time is bounded, whatever is typed: the whole answer has ``CHECK_SECONDS`` of real time;
each formula part has one budget of ``PART_SECONDS`` shared by the main comparison
(at most ``COMPARE_CPU_SECONDS`` of CPU in the engine's child) and the misconception
matches, which only sharpen feedback and are skipped when nothing is left. Numbers typed
as arithmetic are read in one child per part, within the same limits. A part reached
when the whole answer's time is spent is reported as "could not be checked in time".
"""
from __future__ import annotations

import dataclasses
import time

import numpy as np

from question_bank import answers
from question_bank.core import (
    CheckResult, ChoicePart, NumericPart, Part, PartResult, SymbolicPart, TrueFalsePart,
)
from question_bank.layout import fmt_values
from question_bank.symbolic import AnswerUnreadable, compare, parse_trusted


_SLIP_FACTORS = (2.0, 0.5, 4.0, 0.25, 10.0, 0.1)
CHECK_SECONDS = 4.0         # real time for a whole answer
PART_SECONDS = 1.5          # real time for one part: comparison + misconception matches
COMPARE_CPU_SECONDS = 1.0   # CPU time of the main comparison in the engine's child
MIN_SECONDS = 0.05          # less than this left: not worth starting a child
_TOO_LATE = ("could not be checked in time: the answer as a whole took too long to check; "
             "simplify the formulas (or type plain numbers) and try again")
_TOO_BIG = {RecursionError: "it is nested too deeply to read", MemoryError: "it is too large to read",
            OverflowError: "a number in it is too large to read"}


def _until(deadline: float) -> float:
    return deadline - time.monotonic()


def grade(parts: tuple[Part, ...], answer: str, *, template: str, seed: int, max_points: float) -> CheckResult:
    """Check ``answer`` against every part; never raises for any text, and returns within about
    ``CHECK_SECONDS`` (plus the time to kill a child that overran)."""
    deadline = time.monotonic() + CHECK_SECONDS
    labels = tuple(p.label for p in parts)
    try:
        pieces = answers.split_parts(answer, labels)
    except Exception as exc:  # noqa: BLE001 - a layout that cannot be read is the student's, never a crash
        reason = str(exc) if isinstance(exc, AnswerUnreadable) else _TOO_BIG.get(
            type(exc), f"its layout could not be read ({type(exc).__name__})")
        results = tuple(PartResult(label=l, status="unreadable", score=0.0,
                                   feedback=f"could not read the answer: {reason}") for l in labels)
        checked = _combine(parts, results, template=template, seed=seed, max_points=max_points)
        return dataclasses.replace(checked, feedback=f"Could not read the answer: {reason}. Nothing was marked; "
                                                     "fix the format and try again.")
    results = []
    for part in parts:
        piece = pieces.get(part.label)
        if piece is None or not str(piece).strip():
            results.append(PartResult(label=part.label, status="missing", score=0.0,
                                      feedback="no answer given"))
            continue
        try:
            results.append(grade_part(part, str(piece), deadline=deadline))
        except AnswerUnreadable as exc:
            results.append(PartResult(label=part.label, status="unreadable", score=0.0,
                                      feedback=f"could not read this part: {exc}"))
        except (RecursionError, MemoryError, OverflowError) as exc:
            results.append(PartResult(label=part.label, status="unreadable", score=0.0,
                                      feedback=f"could not read this part: {_TOO_BIG[type(exc)]}"))
        except Exception as exc:  # noqa: BLE001 - hostile input must never crash a check
            results.append(PartResult(label=part.label, status="error", score=0.0, diagnosis="error",
                                      feedback=f"the checker failed on this part ({type(exc).__name__}); "
                                               "this is a bug to report, not a wrong answer"))
    return _combine(parts, tuple(results), template=template, seed=seed, max_points=max_points)


def grade_part(part: Part, piece: str, *, deadline: float | None = None) -> PartResult:
    """One part; ``deadline`` (``time.monotonic()``) is when the whole answer's time runs out."""
    now = time.monotonic()
    part_deadline = now + PART_SECONDS if deadline is None else min(deadline, now + PART_SECONDS)
    if isinstance(part, NumericPart):
        return _grade_numeric(part, piece, part_deadline)
    if isinstance(part, SymbolicPart):
        return _grade_symbolic(part, piece, part_deadline)
    if isinstance(part, ChoicePart):
        got = answers.read_choice(piece, len(part.options))
        ok = got == part.correct
        letter = "ABCDEFGH"[part.correct]
        why = "" if ok else f"the right option is {letter}. {part.explanation}".strip()
        return PartResult(label=part.label, status="correct" if ok else "wrong", score=float(ok),
                          feedback="correct" if ok else why, diagnosis="" if ok else "choice")
    if isinstance(part, TrueFalsePart):
        got = answers.read_bool(piece)
        ok = got == part.truth
        why = "" if ok else f"the statement is {str(part.truth).lower()}. {part.explanation}".strip()
        return PartResult(label=part.label, status="correct" if ok else "wrong", score=float(ok),
                          feedback="correct" if ok else why, diagnosis="" if ok else "truth")
    raise TypeError(f"unknown part type {type(part).__name__}")


def _close(got: np.ndarray, want: np.ndarray, part: NumericPart) -> np.ndarray:
    tol = np.maximum(part.abs_tol, part.rel_tol * np.abs(want))
    return np.abs(got - want) <= tol


def _grade_numeric(part: NumericPart, piece: str, deadline: float) -> PartResult:
    values, shape = answers.read_array(piece, wall_timeout=_until(deadline))
    with np.errstate(all="ignore"):  # a huge (finite) answer may overflow a ratio: just not a match
        return _judge_numeric(part, values, shape)


def _judge_numeric(part: NumericPart, values: tuple[float, ...], shape: tuple[int, ...]) -> PartResult:
    want = np.asarray(part.value, dtype=float)
    got = np.asarray(values, dtype=float)
    if shape == (1,) and part.shape == ():
        shape = ()
    if shape != part.shape:
        if len(part.shape) == 2 and shape == part.shape[::-1]:
            transposed = got.reshape(shape).T.ravel()
            if _close(transposed, want, part).all():
                return PartResult(label=part.label, status="wrong", score=0.0, diagnosis="transposed",
                                  feedback=f"this is the transpose of the answer: expected shape {part.shape}")
        return PartResult(label=part.label, status="wrong", score=0.0, diagnosis="shape",
                          feedback=f"expected {_shape_words(part.shape)}, got {_shape_words(shape)}")
    ok = _close(got, want, part)
    shown = fmt_values(values, shape, part.digits)
    if ok.all():
        return PartResult(label=part.label, status="correct", score=1.0, feedback="correct")
    score = float(ok.mean()) if want.size > 1 else 0.0
    expected = fmt_values(part.value, part.shape, part.digits)
    base = f"your answer {shown}; expected {expected}"
    for wrong in part.misconceptions:
        wrong_value = np.asarray(wrong.value, dtype=float)
        if wrong_value.shape == want.shape and _close(got, wrong_value, part).all():
            return PartResult(label=part.label, status="wrong", score=score, diagnosis="misconception",
                              feedback=f"{wrong.feedback} ({base})")
    nonzero = np.abs(want) > part.abs_tol
    if nonzero.any() and _close(-got, want, part).all():
        return PartResult(label=part.label, status="wrong", score=score, diagnosis="sign",
                          feedback=f"the sign is wrong ({base})")
    if nonzero.all() and (np.abs(got) > 0).all():
        ratios = got / want
        # One number always has "a" ratio; only a common slip (2, 1/2, 10, ...) is worth naming.
        plausible = want.size > 1 or any(abs(ratios[0] - k) < 0.01 * k for k in _SLIP_FACTORS)
        if plausible and np.ptp(ratios) <= 1e-3 * abs(ratios[0]) and abs(ratios[0] - 1) > 0.05:
            return PartResult(label=part.label, status="wrong", score=score, diagnosis="constant_factor",
                              feedback=f"off by a constant factor of about {ratios[0]:.3g} ({base})")
    loose = np.abs(got - want) <= 10 * np.maximum(part.abs_tol, part.rel_tol * np.abs(want))
    if loose.all():
        return PartResult(label=part.label, status="wrong", score=score, diagnosis="precision",
                          feedback=f"close, but outside the tolerance -- check rounding of intermediate steps ({base})")
    if want.size > 1:
        bad = ", ".join(str(i + 1) for i in np.flatnonzero(~ok)[:6])
        base += f"; entries {bad} are off"
    return PartResult(label=part.label, status="wrong", score=score, diagnosis="wrong", feedback=base)


def _shape_words(shape: tuple[int, ...]) -> str:
    if shape == ():
        return "a single number"
    if len(shape) == 1:
        return f"a vector of {shape[0]} numbers"
    return f"a {shape[0]}x{shape[1]} matrix"


def _grade_symbolic(part: SymbolicPart, piece: str, deadline: float) -> PartResult:
    # The text goes to the engine as it is: it is read in the engine's time-limited child.
    want = parse_trusted(part.expected, part.symbols, part.kinds)
    opts = dict(names=part.symbols, kinds=part.kinds,
                ignore_additive_constant=part.ignore_additive_constant, timeout=COMPARE_CPU_SECONDS)
    if _until(deadline) < MIN_SECONDS:
        return PartResult(label=part.label, status="unreadable", score=0.0, diagnosis="timeout", feedback=_TOO_LATE)
    verdict = compare(piece, want, wall_timeout=_until(deadline), **opts)
    if verdict.correct:
        return PartResult(label=part.label, status="correct", score=1.0,
                          feedback=verdict.feedback or "correct", diagnosis=verdict.kind)
    if verdict.kind == "error":
        return PartResult(label=part.label, status="error", score=0.0, diagnosis="error",
                          feedback=verdict.feedback or "the checker failed on this part; this is a bug to report")
    if verdict.kind == "unreadable":
        reason = verdict.feedback.removeprefix("Your answer could not be read: ").rstrip(".")
        return PartResult(label=part.label, status="unreadable", score=0.0, diagnosis="unreadable",
                          feedback=f"could not read this part: {reason or 'the formula could not be read'}")
    if verdict.kind == "timeout":
        return PartResult(label=part.label, status="unreadable", score=0.0, diagnosis="timeout",
                          feedback=verdict.feedback or "the formula could not be checked in time; simplify it")
    for wrong in part.misconceptions:
        left = _until(deadline)
        if left < MIN_SECONDS:
            break  # the verdict stands; naming the misconception would only sharpen the feedback
        wrong_expr = parse_trusted(str(wrong.value), part.symbols, part.kinds)
        if compare(piece, wrong_expr, wall_timeout=left, **opts).correct:
            return PartResult(label=part.label, status="wrong", score=0.0, diagnosis="misconception",
                              feedback=wrong.feedback)
    return PartResult(label=part.label, status="wrong", score=0.0, diagnosis=verdict.kind,
                      feedback=verdict.feedback or "not equivalent to the expected formula")


def _combine(parts, results, *, template: str, seed: int, max_points: float) -> CheckResult:
    total = sum(p.weight for p in parts)
    score = sum(p.weight * r.score for p, r in zip(parts, results)) / total
    readable = all(r.status not in ("unreadable", "error") for r in results)
    lines = []
    if any(r.status == "unreadable" for r in results):
        lines.append("Could not read part of the answer (a format problem, not a wrong answer).")
    if any(r.status == "error" for r in results):
        lines.append("The checker failed on part of the answer (a bug to report, not a wrong answer).")
    for r in results:
        prefix = f"{r.label}) " if len(results) > 1 else ""
        lines.append(f"{prefix}{r.status}: {r.feedback}" if r.status != "correct" else f"{prefix}correct")
    return CheckResult(template=template, seed=seed, score=round(score, 6),
                       points=round(score * max_points, 3), max_points=max_points,
                       readable=readable, feedback="\n".join(lines), parts=results)
