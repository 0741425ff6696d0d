"""Hostile typed answers never crash a check: a seeded stream of random garbage through ``check``.

(The engine's own parser fuzzing lives with the engine; this covers the question bank's
layers around it -- part splitting, array reading, JSON, choices -- for every part kind.)
"""
import numpy as np
import pytest

from question_bank.registry import get

ALPHABET = list("0123456789.,;:()[]{}+-*/^ eE\"'\\|abcxyzo_g") + ["a) ", "b) ", "sigma", "beta", "**", "1e308",
                                                                   "\u2212", "\u00b2", "\x00", "nan", "true", "{\"a\": "]
TEMPLATES = ("gd_2d_quadratic", "affine_backward", "robbins_monro", "mse_gradient", "adam_bias_correction")


def garbage(rng: np.random.Generator, n: int) -> list[str]:
    return ["".join(ALPHABET[int(i)] for i in rng.integers(0, len(ALPHABET), size=int(rng.integers(0, 40))))
            for _ in range(n)]


@pytest.mark.parametrize("name", TEMPLATES)
def test_random_garbage_never_crashes_and_is_never_accepted(name):
    template = get(name)
    variant = template.generate(3)
    has_formula = any(p.kind == "symbolic" for p in template.parts(variant))
    for text in garbage(np.random.default_rng(2024), 25 if has_formula else 300):
        result = template.check(variant, text)
        assert 0.0 <= result.score <= 1.0 and result.feedback
        assert not result.correct
        for part in result.parts:
            assert part.status in ("correct", "wrong", "unreadable", "missing"), (text, part)
