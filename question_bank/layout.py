"""Formatting shared by all templates: numbers, LaTeX vectors, the statement layout.

Numbers are formatted with explicit precision (never ``str(float)`` of a
computed value), so a rendering depends only on the variant, not on the machine.
"""
from __future__ import annotations

from question_bank.core import ChoicePart, NumericPart, Part, SymbolicPart, TrueFalsePart

LETTERS = "ABCDEFGH"


def fmt(x: float, decimals: int = 4) -> str:
    """Fixed decimals with trailing zeros stripped; never '-0'."""
    text = f"{x:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fmtp(x: float, decimals: int = 4) -> str:
    """Like ``fmt`` but a negative number is wrapped in parentheses (for products)."""
    text = fmt(x, decimals)
    return f"({text})" if text.startswith("-") else text


def fmt_sig(x: float, sig: int = 6) -> str:
    """Significant digits (for answers that must survive a relative tolerance)."""
    text = f"{x:.{sig}g}"
    return "0" if text == "-0" else text


def fmt_values(values, shape: tuple[int, ...], sig: int = 6) -> str:
    """A scalar, ``[a, b]`` or ``[[a, b], [c, d]]`` in the answer syntax."""
    values = [fmt_sig(float(v), sig) for v in values]
    if shape == ():
        return values[0]
    if len(shape) == 1:
        return "[" + ", ".join(values) + "]"
    rows, cols = shape
    return "[" + ", ".join("[" + ", ".join(values[r * cols:(r + 1) * cols]) + "]" for r in range(rows)) + "]"


def tex_vec(values, decimals: int = 4) -> str:
    """A column vector in LaTeX."""
    return r"\begin{bmatrix}" + r" \\ ".join(fmt(v, decimals) for v in values) + r"\end{bmatrix}"


def tex_row(values, decimals: int = 4) -> str:
    """A row vector in LaTeX (round brackets)."""
    return r"\left(" + r",\ ".join(fmt(v, decimals) for v in values) + r"\right)"


def tex_mat(values, shape: tuple[int, int], decimals: int = 4) -> str:
    rows, cols = shape
    body = r" \\ ".join(" & ".join(fmt(values[r * cols + c], decimals) for c in range(cols)) for r in range(rows))
    return r"\begin{bmatrix}" + body + r"\end{bmatrix}"


def part_text(part: Part) -> str:
    """The prompt of one part, with its options for a choice."""
    if isinstance(part, ChoicePart):
        options = "\n".join(f"   - **{LETTERS[i]}.** {opt}" for i, opt in enumerate(part.options))
        return f"{part.prompt}\n{options}"
    return part.prompt


def answer_syntax(parts: tuple[Part, ...]) -> str:
    """One sentence on how to type the answer, tailored to the kinds of parts present."""
    kinds = {p.kind for p in parts}
    bits = []
    if len(parts) > 1:
        example = "; ".join(f"{p.label}) ..." for p in parts)
        bits.append(f"type `{example}` (or just the answers in order, separated by `;`)")
    if "numeric" in kinds:
        shapes = {len(p.shape) for p in parts if isinstance(p, NumericPart)}
        text = "numbers as `-0.125`, `1e-3` or `1/3`"
        if 1 in shapes:
            text += ", vectors as `[1, -2.5]`"
        if 2 in shapes:
            text += ", matrices row by row as `[[1, 2], [3, 4]]`"
        bits.append(text)
    if "symbolic" in kinds:
        bits.append("formulas as `2*(o - g)`, `x^2`, `exp(-z)`, `sqrt(t)`, `1/(2*sigma^2)`")
    if "truefalse" in kinds:
        bits.append("`true` or `false`")
    if "choice" in kinds:
        bits.append("one letter for a choice")
    return "*Answer format:* " + "; ".join(bits) + "."


def statement(*, title: str, points: float, stem: str, parts: tuple[Part, ...],
              written: str = "") -> str:
    """The full Markdown statement: title with points, stem, optional written task, parts, syntax."""
    lines = [f"### {title} [{fmt(points, 1)} points]", "", stem.strip(), ""]
    if written:
        lines += [f"**Written part (self-marked with the rubric):** {written.strip()}", ""]
    if len(parts) == 1:
        lines += [part_text(parts[0]), ""]
    else:
        for p in parts:
            lines.append(f"**{p.label})** {part_text(p)}")
            lines.append("")
    lines.append(answer_syntax(parts))
    return "\n".join(lines).strip() + "\n"


def canonical_piece(part: Part) -> str:
    """The answer text for one part that its own check accepts."""
    if isinstance(part, NumericPart):
        return fmt_values(part.value, part.shape, max(part.digits, 8))
    if isinstance(part, SymbolicPart):
        return part.expected
    if isinstance(part, ChoicePart):
        return LETTERS[part.correct]
    if isinstance(part, TrueFalsePart):
        return "true" if part.truth else "false"
    raise TypeError(type(part).__name__)


def canonical_answer(parts: tuple[Part, ...]) -> str:
    if len(parts) == 1:
        return canonical_piece(parts[0])
    return "; ".join(f"{p.label}) {canonical_piece(p)}" for p in parts)
