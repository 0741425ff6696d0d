"""The reference namespace of the backprop assignment, its given cells included.

``autograder.reference.load`` runs the setup and solution cells. This notebook also gives code in
locked cells of its own (``engine``: the graph's ``Node``, ``FORWARD`` and ``unbroadcast``;
``spirals``: the data set), which every submission runs too (the submission loader skips only test
and demo cells). The reference needs them as well: ``op_backward`` calls ``unbroadcast``, the
harness builds graphs from ``Node``. So run every nbgrader cell that is not a test cell, in order.
"""
from __future__ import annotations

import functools

import nbformat

from autograder.reference import notebook_path


@functools.cache
def load_reference() -> dict:
    path = notebook_path("backprop")
    namespace: dict = {"__name__": "reference_backprop"}
    for cell in nbformat.read(path, as_version=4).cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta and not meta.get("grade"):
            exec(compile(cell.source, f"{path.name}:{meta.get('grade_id')}", "exec"), namespace)
    return namespace
