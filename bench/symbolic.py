"""Latency of ``check_equivalent`` over typical student answers and over hostile ones.

Typical: every symbolic part of the question bank (its expected answer, its named misconceptions, the
same formula written the ways students write it, and the usual slips: a factor 2, the sign, a stray
constant), checked the way the question bank checks them (``question_bank.symbolic``'s symbol table,
the engine's default limits). Hostile: answers built to make sympy spin, blow up or crash, as typed
text, as ``srepr`` text from a notebook and as a ready sympy object; each must come back, bounded.
Latency is wall time of the call in this process, fork of the checking child included.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import sympy

from autograder.symbolic import check_equivalent, symbols_for
from autograder.symbolic.check import forget_verdicts
from question_bank.registry import all_templates
from question_bank.symbolic import parse_trusted, symbol_table

# The same formula as students write it (all correct), keyed by the bank's expected answer.
REWRITES = {
    "log(2*pi*sigma^2)/2 + (y - yhat)^2/(2*sigma^2)": [
        "-log(exp(-(y - yhat)^2/(2 sigma^2)) / sqrt(2 pi sigma^2))",
        "log(sigma*sqrt(2*pi)) + (yhat - y)^2/(2sigma^2)",
        r"\frac{1}{2}\log(2\pi) + \log(\sigma) + \frac{(y-\hat{y})^2}{2\sigma^2}",
        "(y^2 - 2 y yhat + yhat^2)/(2 sigma^2) + log(2 pi)/2 + log(sigma)"],
    "1 - beta^t": ["(1-beta)*Sum(beta**(t-i), (i, 1, t))", "-(beta^t - 1)", "1-β^t"],
    "t*g^2": ["g^2 t", "g*g*t"],
    "(1 - beta^t)*g^2": ["g^2 - beta^t g^2", "g^2 (1 - beta^t)"],
    "o - g": ["-(g - o)", "o-g"],
    "2*(o - g)": ["2o - 2g", "-2 (g - o)"],
    "theta - gamma*g + alpha*(alpha*v - gamma*g)": ["theta + alpha^2 v - alpha gamma g - gamma g",
                                                    "theta - (1 + alpha) gamma g + alpha^2 v"],
    "1/(2*sigma^2)": ["0.5/sigma^2", "1/2 sigma^(-2)", "(2 sigma^2)^(-1)"],
}
_H = "(x+y+w+theta+sigma+beta)"
HOSTILE_TYPED = [
    "9**9**9**9", "x**(10**10)", "factorial(10**6)", "(" * 300 + "x" + ")" * 300, "+".join(["x"] * 10_000),
    "exp(exp(exp(exp(exp(exp(x))))))", f"{_H}^100 - {_H}^99*{_H}",
    "Sum(Sum(x^i*y^t, (i, 1, 1000)), (t, 1, 1000))", "Sum(x^i/i, (i, 1, 10^9))",
    "__import__('os').system('true')", "x.__class__.__mro__", "lambda: x", "\x00x", "x" * 499,
    "1e308*1e308*x", "x^x^x^x^x^x", "tan(tan(tan(tan(tan(tan(x))))))", "sin(x)^50 + cos(x)^50 - 1",
    "log(log(log(log(log(log(x))))))", "exp(x^100) - exp(x^100) + x", "1/(x - x)", "0/0 + x",
    "sqrt(sqrt(sqrt(sqrt(sqrt(sqrt(sqrt(sqrt(x))))))))^256", "(x+1)^99 - (x+1)^98*(x+1) + x",
    "Sum(Sum(Sum(x^(i+t+w), (i, 1, 100)), (t, 1, 100)), (w, 1, 100))",
]
HOSTILE_SREPR = [
    "Pow(Integer(9), Pow(Integer(9), Pow(Integer(9), Integer(9))))",
    "Add(" * 400 + "Symbol('x')" + ", Integer(1))" * 400,
    "Symbol('x').__class__",
    "Function('eval')(Symbol('x'))",
    "Mul(Integer(10)**Integer(100000), Symbol('x'))",
]


@dataclass(frozen=True)
class Timing:
    corpus: str
    answer: str
    seconds: float
    kind: str      # the verdict's kind
    correct: bool


def typical_cases() -> list[tuple[str, str, tuple, tuple, bool]]:
    """(answer, expected, names, kinds, ignore_additive_constant) for every symbolic part of the bank."""
    cases, seen = [], set()
    for template in all_templates():
        for seed in range(3):
            for part in template.parts(template.generate(seed)):
                if part.kind != "symbolic":
                    continue
                e = part.expected
                answers = [e, *(str(m.value) for m in part.misconceptions), *REWRITES.get(e, []),
                           f"2*({e})", f"-({e})", f"({e}) + 1"]
                for answer in answers:
                    key = (answer, e, part.symbols, part.kinds)
                    if key not in seen:
                        seen.add(key)
                        cases.append((answer, e, part.symbols, part.kinds, part.ignore_additive_constant))
    return cases


def run_typical(limit: int | None = None, advance=lambda n: None) -> list[Timing]:
    out = []
    for answer, expected, names, kinds, constant in typical_cases()[:limit]:
        reference = parse_trusted(expected, names, kinds)
        table = symbol_table(names, kinds)
        forget_verdicts()  # cold latency: every answer judged from scratch
        started = time.perf_counter()
        verdict = check_equivalent(answer, reference, symbols=table, ignore_additive_constant=constant)
        out.append(Timing("typical", answer, time.perf_counter() - started, verdict.kind, verdict.correct))
        advance(1)
    return out


def hostile_cases():
    """(label, answer, answer_format) ; the expected answer is x."""
    x, y = sympy.symbols("x y", real=True)
    huge = sympy.Add(*[x**k * y ** (k % 7) / (k + 1) for k in range(3000)])
    return ([(text, text, "typed") for text in HOSTILE_TYPED]
            + [(text, text, "srepr") for text in HOSTILE_SREPR]
            + [("a sympy Add of 3000 terms", huge, "typed")])


def run_hostile(*, timeout: float | None = None, limit: int | None = None, advance=lambda n: None) -> list[Timing]:
    """Each hostile answer against ``x``; ``timeout`` None keeps the engine's default (as the bank does)."""
    S = symbols_for(sigma="positive", beta="unit", t="count", y="real", yhat="real", theta="real",
                    x="real", w="real", i="integer")
    options = {} if timeout is None else {"timeout": timeout}
    out = []
    for label, answer, answer_format in hostile_cases()[:limit]:
        forget_verdicts()
        started = time.perf_counter()
        verdict = check_equivalent(answer, S["x"], symbols=S, answer_format=answer_format, **options)
        out.append(Timing("hostile", _short(label), time.perf_counter() - started, verdict.kind, verdict.correct))
        advance(1)
    return out


# Hostile answers the question bank's own check meets: there a wrong formula is compared again with
# each of the part's misconceptions, so one answer can cost several engine checks.
BANK_TEMPLATES = ("map_gaussian_prior", "adam_bias_correction")
BANK_HOSTILE = ["log(log(log(log(log(log(x))))))", "x^x^x^x^x^x", "exp(exp(exp(exp(exp(exp(x))))))",
                "(x+1)^99 - (x+1)^98*(x+1) + x", "tan(x)", "9**9**9**9", "x" * 600]


def run_bank_hostile(*, limit: int | None = None, advance=lambda n: None) -> list[Timing]:
    """``template.check`` of a whole answer whose symbolic part is hostile (the others canonical)."""
    import re

    from question_bank.layout import canonical_piece
    from question_bank.registry import get

    out = []
    for name in BANK_TEMPLATES:
        template = get(name)
        variant = template.generate(0)
        parts = template.parts(variant)
        symbolic = next(p for p in parts if p.kind == "symbolic")
        for text in BANK_HOSTILE[:limit]:
            piece = re.sub(r"\bx\b", symbolic.symbols[0], text)
            answer = "; ".join(f"{p.label}) {piece if p is symbolic else canonical_piece(p)}" for p in parts)
            forget_verdicts()
            started = time.perf_counter()
            result = template.check(variant, answer)
            verdict = next(r for r in result.parts if r.label == symbolic.label)
            out.append(Timing("bank", f"{name}: {_short(piece, 36)}", time.perf_counter() - started,
                              verdict.diagnosis or verdict.status, verdict.status == "correct"))
            advance(1)
    return out


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 100))))
    return ordered[rank - 1]


def _short(text: str, limit: int = 48) -> str:
    text = repr(text)[1:-1] if any(ord(c) < 32 for c in text) else text
    return text if len(text) <= limit else text[:limit - 12] + f"… ({len(text)} ch)"
