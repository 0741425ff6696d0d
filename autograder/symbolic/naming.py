"""Match symbols by *name*: a student's ``Symbol('sigma')`` is the grader's positive sigma.

Students build their own Symbols (often without assumptions), so answers are re-expressed in
the grader's objects before judging. An IndexedBase is matched as a whole, because its label
Symbol also shows up among ``free_symbols``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import sympy

from .errors import UnknownSymbol
from .vocabulary import suggest


def known_names(*sources: Mapping[str, sympy.Basic] | sympy.Basic | None
                ) -> dict[str, sympy.Basic]:
    """Name -> Symbol or IndexedBase from mappings and expressions; earlier sources win."""
    known: dict[str, sympy.Basic] = {}
    for source in reversed([s for s in sources if s is not None]):
        if isinstance(source, Mapping):
            items: Iterable = source.values()
        else:
            items = [*source.free_symbols, *source.atoms(sympy.IndexedBase)]
        known.update({str(getattr(x, "name", x)): x for x in items
                      if isinstance(x, (sympy.Symbol, sympy.IndexedBase))
                      and not isinstance(x, sympy.Dummy)})
    return known


def rebind(expr: sympy.Basic, known: Mapping[str, sympy.Basic], *,
           strict: bool = False) -> sympy.Basic:
    """Replace free symbols and IndexedBases of ``expr`` by the same-named ``known`` objects.

    With ``strict``, a name missing from ``known`` raises :class:`UnknownSymbol`; otherwise it
    is left as it is. Bound summation indices are free of this (they are not free symbols).
    """
    bases = {base.label: base for base in expr.atoms(sympy.IndexedBase)}
    swap: dict[sympy.Basic, sympy.Basic] = {}
    for free in expr.free_symbols:
        if not isinstance(free, sympy.Symbol) or isinstance(free, sympy.Dummy):
            continue
        target = known.get(free.name)
        if target is None:
            if strict:
                raise UnknownSymbol(free.name, suggestion=suggest(free.name, known))
            continue
        if free in bases:
            base = target if isinstance(target, sympy.IndexedBase) else sympy.IndexedBase(target)
            swap[bases[free]] = base
            target = base.label
        elif isinstance(target, sympy.IndexedBase):
            target = target.label
        swap[free] = target
    swap = {old: new for old, new in swap.items() if old != new}
    return expr.xreplace(swap) if swap else expr
