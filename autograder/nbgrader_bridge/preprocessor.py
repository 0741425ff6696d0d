"""``NablabAutograde``: nbgrader's autograde step, done by our sandbox and hidden suite.

For each autograded test cell (``grade_id`` ``<part>_tests``) the cell's outputs become our
feedback for that part on stdout and, as the cell's result, the part's score as a plain float in
[0, points] — the only output nbgrader reads as partial credit (a numpy scalar's repr, a string, a
negative number or no output would all give full marks, anything on stderr zero). The first line
names the isolation used in full, with the reason where it was reduced.
"""
from __future__ import annotations

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Float

from ..grading import grade_cells
from ..results import SubmissionResult
from ..sandbox import Limits
from ..submission import code_cells


class NablabAutograde(NbGraderPreprocessor):
    timeout = Float(10.0, help="Wall seconds per call and per notebook cell in the sandbox.").tag(config=True)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        result = grade_cells(info["assignment"], info["student"], code_cells(nb),
                             limits=Limits(timeout=self.timeout))
        self.log.info("nablab: %s scored %g / %g (%s)", info["student"], result.score, result.max_score,
                      result.isolation)
        for cell in nb.cells:
            grading = cell.metadata.get("nbgrader", {})
            if cell.cell_type == "code" and grading.get("grade") and not grading.get("solution"):
                cell.outputs = part_outputs(result, grading["grade_id"].removesuffix("_tests"),
                                            float(grading["points"]))
        return nb, resources


def part_outputs(result: SubmissionResult, part: str, points: float) -> list:
    """Feedback on stdout, then the score as the cell's plain-number result."""
    got, most = result.parts().get(part, (0.0, 0.0))
    score = min(max(got * points / most, 0.0), points) if most else 0.0
    lines = [f"nablab: {part} {score:g} / {points:g}  (isolation: {result.isolation})"]
    lines += [f"  - {m}" for m in result.messages]
    for check in result.checks:
        if check.part == part:
            mark = "ok  " if check.passed else "FAIL"
            lines.append(f"  {mark} {check.name} ({check.score:g}/{check.max_score:g})")
            lines += [f"       {line}" for line in check.output.splitlines() if line]
    return [nbformat.v4.new_output("stream", name="stdout", text="\n".join(lines) + "\n"),
            nbformat.v4.new_output("execute_result", data={"text/plain": repr(float(score))},
                                   execution_count=1)]
