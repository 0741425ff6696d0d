"""The list of templates and the uniform interface the CLI, quiz and exam use.

A template module defines ``NAME, TITLE, TOPIC, POINTS, SOURCE``, a frozen
``Variant`` dataclass and four functions: ``generate(seed)``, ``parts(variant)``,
``render(variant)`` and ``solution(variant)``. Prompts that ask to describe or
compare also define ``model_answer(variant)``, ``rubric(variant)`` and
``ITEM_POINTS`` (the share of the points the generated items carry).
``Template`` adds what is the same for every module: the canonical answer text
and ``check`` via ``grading.grade``.
"""
from __future__ import annotations

import dataclasses
import difflib
import importlib
from dataclasses import dataclass
from types import ModuleType

from question_bank.core import CheckResult, Part, RubricItem
from question_bank.grading import grade
from question_bank.layout import canonical_answer

# Order is the order of `nablab bank list` and of exam question selection.
TEMPLATE_MODULES = (
    "mle_nll_ce_kl",
    "mse_from_mle",
    "gd_sgd_minibatch",
    "robbins_monro",
    "backprop_algorithm",
    "momentum_vs_nesterov",
    "adagrad_rmsprop",
    "adam_bias_correction",
    "gd_numeric_1d",
    "gd_2d_quadratic",
    "softmax_ce_gradient",
    "sigmoid_ce_gradient",
    "mse_gradient",
    "l2_vs_weight_decay",
    "nesterov_shifted",
    "map_gaussian_prior",
    "information_identities",
    "glorot_init",
    "affine_backward",
    "batchnorm_backward",
    "conv1d_backward",
    "gradient_clipping",
    "network_sgd_step",
    "mlp_softmax_gradients",
    "dropout",
    "label_smoothing",
    "mlp_forward",
    "batchnorm_inference",
)


@dataclass(frozen=True)
class Template:
    module: ModuleType

    @property
    def name(self) -> str:
        return self.module.NAME

    @property
    def title(self) -> str:
        return self.module.TITLE

    @property
    def topic(self) -> str:
        return self.module.TOPIC

    @property
    def points(self) -> float:
        return float(self.module.POINTS)

    @property
    def source(self) -> str:
        return self.module.SOURCE

    @property
    def describes(self) -> bool:
        """True for prompts answered in writing (model answer + rubric + generated items)."""
        return hasattr(self.module, "rubric")

    @property
    def item_points(self) -> float:
        """Points carried by the auto-checked parts."""
        return float(getattr(self.module, "ITEM_POINTS", self.module.POINTS))

    def generate(self, seed: int):
        return self.module.generate(seed)

    def parts(self, variant) -> tuple[Part, ...]:
        return self.module.parts(variant)

    def render(self, variant) -> str:
        return self.module.render(variant)

    def solution(self, variant) -> str:
        return self.module.solution(variant)

    def answer_text(self, variant) -> str:
        return canonical_answer(self.parts(variant))

    def check(self, variant, answer: str) -> CheckResult:
        return grade(self.parts(variant), answer, template=self.name, seed=variant.seed,
                     max_points=self.item_points)

    def model_answer(self, variant) -> str:
        return self.module.model_answer(variant) if self.describes else ""

    def rubric(self, variant) -> tuple[RubricItem, ...]:
        return tuple(self.module.rubric(variant)) if self.describes else ()

    def variant_dict(self, variant) -> dict:
        return dataclasses.asdict(variant)


def _load(name: str) -> Template:
    return Template(importlib.import_module(f"question_bank.templates.{name}"))


def all_templates() -> tuple[Template, ...]:
    return tuple(_load(name) for name in TEMPLATE_MODULES)


def topics() -> tuple[str, ...]:
    seen: list[str] = []
    for template in all_templates():
        if template.topic not in seen:
            seen.append(template.topic)
    return tuple(seen)


class UnknownTemplate(KeyError):
    def __init__(self, name: str):
        close = difflib.get_close_matches(name, TEMPLATE_MODULES, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        super().__init__(f"no template named '{name}'{hint}; see `nablab bank list`")
        self.message = self.args[0]


def get(name: str) -> Template:
    if name not in TEMPLATE_MODULES:
        raise UnknownTemplate(name)
    return _load(name)
