"""Every template: many valid, distinct, deterministic variants whose own answer is accepted,
and whose typical wrong answers are rejected with specific feedback.

Speed: generate/render/solution run on 200 seeds per template. ``check`` of the canonical
answer runs on all 200 seeds for purely numeric templates, and on the first 20 seeds for
templates with formula parts, because each formula check goes through the symbolic
engine (sympy, up to a couple of seconds in the worst case).
"""
import dataclasses

import numpy as np
import pytest

from question_bank.core import ChoicePart, NumericPart, SymbolicPart, TrueFalsePart
from question_bank.layout import LETTERS, canonical_piece, fmt_values
from question_bank.registry import TEMPLATE_MODULES, all_templates

TEMPLATES = all_templates()
IDS = [t.name for t in TEMPLATES]
N_VARIANTS = 200
N_SYMBOLIC_CHECKS = 20
N_WRONG_SEEDS = 12


def has_formula(template) -> bool:
    return any(isinstance(p, SymbolicPart) for p in template.parts(template.generate(0)))


def answer_with(parts, label, piece) -> str:
    return "; ".join(f"{p.label}) {piece if p.label == label else canonical_piece(p)}" for p in parts)


def part_result(result, label):
    return next(p for p in result.parts if p.label == label)


@pytest.mark.parametrize("template", TEMPLATES, ids=IDS)
def test_many_valid_and_distinct_variants(template):
    renderings = set()
    for seed in range(N_VARIANTS):
        variant = template.generate(seed)
        text = template.render(variant)
        assert f"[{template.points:g} points]" in text and "*Answer format:*" in text
        assert template.solution(variant).strip()
        assert template.answer_text(variant).strip()
        if template.describes:
            assert template.model_answer(variant).strip() and template.rubric(variant)
        renderings.add(text)
    assert len(renderings) >= 50, f"{template.name}: only {len(renderings)} distinct variants in {N_VARIANTS} seeds"


@pytest.mark.parametrize("template", TEMPLATES, ids=IDS)
def test_own_answer_is_accepted(template):
    seeds = range(N_SYMBOLIC_CHECKS if has_formula(template) else N_VARIANTS)
    for seed in seeds:
        variant = template.generate(seed)
        result = template.check(variant, template.answer_text(variant))
        assert result.correct, f"{template.name} seed {seed}: {template.answer_text(variant)!r} -> {result.feedback}"
        assert result.points == pytest.approx(template.item_points)


@pytest.mark.parametrize("template", TEMPLATES, ids=IDS)
def test_same_seed_same_variant_and_rendering(template):
    for seed in (0, 1, 12345, 2**31 - 2):
        first, second = template.generate(seed), template.generate(seed)
        assert first == second and template.render(first) == template.render(second)
        assert template.solution(first) == template.solution(second)
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(first, "seed", seed + 1)


@pytest.mark.parametrize("template", TEMPLATES, ids=IDS)
def test_template_contract(template):
    assert template.name == TEMPLATE_MODULES[IDS.index(template.name)]
    parts = template.parts(template.generate(0))
    assert [p.label for p in parts] == list("abcdefgh"[: len(parts)])
    if template.describes:
        written = sum(item.points for item in template.rubric(template.generate(0)))
        assert written + template.item_points == pytest.approx(template.points)


def wrong_pieces(part):
    """(answer piece, acceptable feedback fragments, expected diagnoses) for typical slips of one part."""
    if isinstance(part, NumericPart):
        want = np.asarray(part.value)
        tol = np.maximum(part.abs_tol, part.rel_tol * np.abs(want))
        def matching(value):
            return [m.feedback for m in part.misconceptions
                    if np.isfinite(m.value).all() and (np.abs(np.asarray(m.value) - value) <= tol).all()]

        for wrong in part.misconceptions:
            value = np.asarray(wrong.value, dtype=float)
            if not np.isfinite(value).all() or (np.abs(value - want) <= tol).all():
                continue  # indistinguishable from the right answer (or a diverged trajectory)
            yield fmt_values(value, part.shape, 10), matching(value), {"misconception"}
        if (np.abs(want) > 2 * tol).any():
            # a flipped sign is named as such, unless it coincides with a computed misconception
            yield fmt_values(-want, part.shape, 10), ["sign", *matching(-want)], {"sign", "misconception"}
    elif isinstance(part, SymbolicPart):
        for wrong in part.misconceptions:
            yield str(wrong.value), [m.feedback for m in part.misconceptions], {"misconception"}
    elif isinstance(part, TrueFalsePart):
        yield ("false" if part.truth else "true"), [part.explanation], {"truth"}
    elif isinstance(part, ChoicePart):
        yield LETTERS[(part.correct + 1) % len(part.options)], [part.explanation], {"choice"}


@pytest.mark.parametrize("template", TEMPLATES, ids=IDS)
def test_typical_wrong_answers_get_specific_feedback(template):
    seen_diagnoses = set()
    for seed in range(N_WRONG_SEEDS if not has_formula(template) else 4):
        variant = template.generate(seed)
        parts = template.parts(variant)
        for part in parts:
            for piece, feedbacks, diagnoses in wrong_pieces(part):
                result = template.check(variant, answer_with(parts, part.label, piece))
                got = part_result(result, part.label)
                assert result.readable and not result.correct
                assert got.status == "wrong", f"{template.name} seed {seed} part {part.label}: {piece!r} accepted"
                assert got.diagnosis in diagnoses, f"{template.name} {part.label} {piece!r}: {got.diagnosis} {got.feedback}"
                assert any(fb in got.feedback for fb in feedbacks), got.feedback
                # the other parts are still marked correct
                assert all(p.status == "correct" for p in result.parts if p.label != part.label)
                seen_diagnoses.add(got.diagnosis)
    assert seen_diagnoses, f"{template.name}: no typical wrong answer was exercised"


def test_every_template_names_at_least_one_computed_misconception_or_explained_item():
    for template in TEMPLATES:
        parts = template.parts(template.generate(0))
        assert any(getattr(p, "misconceptions", ()) or isinstance(p, (TrueFalsePart, ChoicePart)) for p in parts), template.name
