"""Short one-line rendering of expressions for feedback: ``(y − ŷ)²/(2·σ²)``."""

from __future__ import annotations

import re
import unicodedata

import sympy
from sympy.printing.str import StrPrinter

from .vocabulary import GREEK_LETTER as _GREEK_CHAR

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
MAX_SHOWN = 160


class _FeedbackPrinter(StrPrinter):
    def _print_Symbol(self, expr) -> str:
        name = expr.name
        if name.endswith("hat") and len(name) > 3:
            return self._name(name[:-3]) + "\u0302"
        return self._name(name)

    _print_Dummy = _print_Symbol

    def _name(self, name: str) -> str:
        if name in _GREEK_CHAR:
            return _GREEK_CHAR[name]
        head = name.rstrip("0123456789")
        return _GREEK_CHAR.get(head, head) + name[len(head):] if head else name

    def _print_Pow(self, expr, rational=False) -> str:
        exponent = expr.exp
        if exponent.is_Integer and 2 <= exponent <= 9:
            return self.parenthesize(expr.base, sympy.printing.precedence.PRECEDENCE["Pow"],
                                     strict=True) + str(exponent).translate(_SUPERSCRIPT)
        return super()._print_Pow(expr, rational).replace("**", "^")

    def _print_Abs(self, expr) -> str:
        return f"|{self._print(expr.args[0])}|"

    def _print_Pi(self, expr) -> str:
        return "π"


def show(expr: sympy.Basic) -> str:
    """One line, Greek letters and small superscripts, shortened if very long."""
    text = _FeedbackPrinter().doprint(expr)
    text = text.replace("**", "^").replace("*", "·").replace(" - ", " − ").replace("(-", "(−")
    text = "−" + text[1:] if text.startswith("-") else text
    text = re.sub(r"(?<![\w.])(\d+)·(?=[^\d\W]|\()", r"\1", text)  # 2·σ² -> 2σ²
    text = unicodedata.normalize("NFC", text)  # y + combining hat -> ŷ where one exists
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN - 1] + "…"
