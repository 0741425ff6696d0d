"""The bank covers its exam prompts: every prompt of seed 000, and the official NPFL114/NPFL138
list of lectures 1-4 (tests/question_bank/data/, sources in its README).

A template declares what it covers in its metadata: ``SOURCE`` names the prompt with its points
("seed 000 prompt [10]", "NPFL114 lecture 3 [5] ...") and the module docstring quotes the prompt
("Source: seed 000 ("Write down the Adam algorithm. ..." [10])"). A seed-000 prompt is covered by
the template whose docstring quotes it and whose SOURCE names seed 000 with the same points.

The official list is mapped by hand in ``OFFICIAL``: each question of sections A (npfl114) and
B (npfl138) to a template, or to the reason it is outside this kit (the "training neural
networks" part of the course: every lecture 2 and 3 question must have a template). A template
named here that is not in the registry fails the test. Section C (the 2019/20 format, without
points) is not tabulated.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from question_bank.registry import TEMPLATE_MODULES, all_templates

DATA = Path(__file__).with_name("data")
TEMPLATES = {t.name: t for t in all_templates()}


def norm(text: str) -> str:
    """Compare prompts across Markdown/LaTeX and plain docstrings: no $ or backslashes, one space."""
    text = text.replace("$", "").replace("\\", "")
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([.,;:)?])", r"\1", text)
    text = re.sub(r"\(\s+", "(", text)
    return text.strip().lower()


def seed_prompts() -> list[tuple[str, float]]:
    lines = (DATA / "seed_000_prompts.txt").read_text(encoding="utf-8").splitlines()
    prompts = []
    for line in lines:
        match = re.fullmatch(r"(.+?)\s*\[(\d+)\]\s*", line)
        assert match, f"not a prompt line: {line!r}"
        prompts.append((match.group(1), float(match.group(2))))
    return prompts


def official_questions() -> list[tuple[str, int, str, float]]:
    """(section, lecture, prompt, points) of sections A and B of the official list."""
    text = (DATA / "npfl114_exam_questions.md").read_text(encoding="utf-8")
    found = []
    for section in ("A", "B"):
        body = text.split(f"\n## {section}. ", 1)[1].split("\n## ", 1)[0]
        pieces = re.split(r"\n#### Questions@:, Lecture (\d) Questions\n", body)
        for lecture, chunk in zip(pieces[1::2], pieces[2::2]):
            chunk = chunk.split("```", 1)[0]
            for item in re.split(r"\n- ", "\n" + chunk)[1:]:
                match = re.fullmatch(r"(.+?)\s*\[(\d+)\]\s*", item, re.S)
                assert match, f"section {section} lecture {lecture}: no points in {item[:60]!r}"
                found.append((section, int(lecture), re.sub(r"\s+", " ", match.group(1)), float(match.group(2))))
    return found


OUT = "out of scope: "
# prompt prefix (normalised, matches sections A and B where their wording agrees) -> template or reason
OFFICIAL: dict[tuple[int, str], str] = {
    (1, "considering a neural network with d input neurons, a single hidden layer with h neurons"): "mlp_forward",
    (1, "list the definitions of frequently used mlp output layer activations"): "mlp_forward",
    (1, "formulate the universal approximation theorem"):
        OUT + "a theorem to state, with nothing to compute or check; network capacity, not training",
    (2, "describe maximum likelihood estimation"): "mle_nll_ce_kl",
    (2, "define maximum likelihood estimation"): "mle_nll_ce_kl",
    (2, "define mean squared error"): "mse_from_mle",
    (2, "describe gradient descent and compare it"): "gd_sgd_minibatch",
    (2, "formulate conditions on the sequence of learning rates"): "robbins_monro",
    (2, "write down the backpropagation algorithm"): "backprop_algorithm",
    (2, "write down the mini-batch sgd algorithm with momentum"): "momentum_vs_nesterov",
    (2, "write down the adagrad algorithm"): "adagrad_rmsprop",
    (2, "write down the adam algorithm"): "adam_bias_correction",
    (3, "considering a neural network with d input neurons, a single relu hidden layer"): "mlp_softmax_gradients",
    (3, "assume a network with mse loss"): "mse_gradient",
    (3, "assume a binary-classification network with cross-entropy loss"): "sigmoid_ce_gradient",
    (3, "assume a k-class-classification network with cross-entropy loss"): "softmax_ce_gradient",
    (3, "define l_2 regularization"): "l2_vs_weight_decay",
    (3, "describe the dropout method"): "dropout",
    (3, "describe how label smoothing works"): "label_smoothing",
    (3, "how are weights and biases initialized"): "glorot_init",
    (4, "write down the equation of how convolution of a given image is computed"):
        OUT + "convolutional architecture (lecture 4), not training; the kit has only the 1-D convolution "
              "backward pass of seed 004 (conv1d_backward)",
    (4, "explain both `same` and `valid` padding schemes"):
        OUT + "convolutional architecture (padding and output sizes), not training",
    (4, "describe batch normalization"): "batchnorm_inference",
    (4, "describe batchnorm"): "batchnorm_inference",
    (4, "describe overall architecture of vgg-19"): OUT + "a network architecture to recall, not training",
}
MUST_BE_COVERED = (2, 3)  # the kit's part of the course: no question of these lectures may be out of scope


def row_for(lecture: int, prompt: str) -> tuple[int, str]:
    rows = [key for key in OFFICIAL if key[0] == lecture and norm(prompt).startswith(key[1])]
    assert len(rows) == 1, f"lecture {lecture}: {len(rows)} rows of OFFICIAL match {prompt[:70]!r}"
    return rows[0]


def test_data_files_are_there():
    assert len(seed_prompts()) == 8
    questions = official_questions()
    assert {(s, lec) for s, lec, _, _ in questions} == {(s, lec) for s in "AB" for lec in (1, 2, 3, 4)}
    assert len(questions) >= 40


@pytest.mark.parametrize("prompt, points", seed_prompts(), ids=lambda v: str(v)[:40])
def test_every_seed_000_prompt_has_its_template_with_the_same_points(prompt, points):
    quoted = [t for t in TEMPLATES.values() if norm(prompt) in norm(t.module.__doc__ or "")]
    assert len(quoted) == 1, f"{len(quoted)} templates quote {prompt[:60]!r}: {[t.name for t in quoted]}"
    template = quoted[0]
    assert f"seed 000 prompt [{points:g}]" in template.source, (template.name, template.source)
    assert template.points == points, (template.name, template.points, points)
    assert f"[{points:g} points]" in template.render(template.generate(0))


def test_every_seed_000_template_is_claimed_by_a_prompt():
    claimed = {t.name for prompt, _ in seed_prompts() for t in TEMPLATES.values()
               if norm(prompt) in norm(t.module.__doc__ or "")}
    declared = {name for name, t in TEMPLATES.items() if "seed 000 prompt" in t.source}
    assert declared == claimed


def test_every_table_row_is_used():
    used = {row_for(lecture, prompt) for _, lecture, prompt, _ in official_questions()}
    assert set(OFFICIAL) == used, f"rows matching no question: {sorted(set(OFFICIAL) - used)}"


@pytest.mark.parametrize("section, lecture, prompt, points", official_questions(),
                         ids=lambda v: str(v)[:40])
def test_official_question_has_a_template_or_a_reason(section, lecture, prompt, points):
    target = OFFICIAL[row_for(lecture, prompt)]
    if target.startswith(OUT):
        assert lecture not in MUST_BE_COVERED, f"lecture {lecture} is the kit's part: {prompt[:70]!r} needs a template"
        assert len(target) > len(OUT) + 20, "say why it is out of scope"
        return
    assert target in TEMPLATE_MODULES, f"template {target!r} for lecture {lecture} ({prompt[:60]!r}) is not in the registry"
    template = TEMPLATES[target]
    assert template.points == points, (target, template.points, points)
    declared = f"NPFL114 lecture {lecture}" in template.source or (lecture == 2 and "seed 000 prompt" in template.source)
    assert declared, f"{target}'s SOURCE does not name NPFL114 lecture {lecture}: {template.source!r}"
