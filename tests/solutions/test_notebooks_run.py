"""Each solution notebook runs top to bottom in a real Jupyter kernel, as a student or instructor
opens it: no cell raises, the plotting demos draw their figures, and the demos that check
something (the optimizers notebook's two Nesterov forms, adam_bias_correction's Monte Carlo table,
the backprop training run) print what they should."""
import os
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

SOLUTIONS = Path(__file__).resolve().parents[2] / "solutions"

# matplotlib's inline backend: headless (it renders with Agg) and, unlike MPLBACKEND=Agg, where
# plt.show() draws nothing, it sends each figure to the notebook as image/png. Set explicitly so
# a CI job that exports MPLBACKEND=Agg still sees the figures.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"

# name: {"plots": text identifying each cell that must draw a figure,
#        "prints": text identifying a cell -> text its printed output must contain}
EXPECTED = {
    "optimizers": {
        "plots": ["0.06 x1² + 0.25 x2² − 0.04 x1 x2 from (−5, −7.5)", "x⁴ + x + 2 from x = 1"],
        # the Nesterov agreement demo: both forms for 10 steps, asserting theta = theta_hat - mu v
        "prints": {"nesterov_lookahead(theta, quad_grad, cfg_look)": "10  theta = "},
    },
    "adam_bias_correction": {
        "plots": ["mean of s_t (no correction)"],
        # the 50-step Monte Carlo run the plot shows, checked against theory within 5 standard errors
        "prints": {"steps_demo, n_streams = 50,": "\n50  "},
    },
    "backprop": {
        "plots": ["train_two_layer(X_sp, y_sp"],
        "prints": {"train_two_layer(X_sp, y_sp": "final training loss"},
    },
    "mse_from_mle": {
        "plots": ["one argmin for all three objectives", "the same minimiser for every σ"],
        "prints": {"H(p) + KL(p||q)": "K = "},
    },
}


def the_cell(nb, text):
    cells = [c for c in nb.cells if c.cell_type == "code" and text in c.source]
    assert len(cells) == 1, f"{len(cells)} code cells contain {text!r}, expected one"
    return cells[0]


def printed(cell):
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def has_png(cell):
    return any("image/png" in o.get("data", {}) for o in cell.outputs
               if o.output_type in ("display_data", "execute_result"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_notebook_runs_top_to_bottom(name, tmp_path):
    assert sorted(p.name for p in SOLUTIONS.iterdir() if p.is_dir()) == sorted(EXPECTED), "a notebook is not covered"
    workdir = tmp_path / name
    shutil.copytree(SOLUTIONS / name, workdir)
    nb = nbformat.read(workdir / f"{name}.ipynb", as_version=4)
    kernel_name = nb.metadata["kernelspec"]["name"]
    assert kernel_name in KernelSpecManager().find_kernel_specs(), (
        f"kernel {kernel_name!r} of the notebook is not registered: `{sys.executable} -m ipykernel install --sys-prefix`")

    client = NotebookClient(nb, kernel_name=kernel_name, timeout=120, allow_errors=False,
                            resources={"metadata": {"path": str(workdir)}})
    # CellExecutionError (the failing cell and its traceback) if any cell raises
    client.execute(env=dict(os.environ, MPLBACKEND=INLINE_BACKEND))

    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code), "a code cell did not run"
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors, errors

    spec = EXPECTED[name]
    for text in spec["plots"]:
        assert has_png(the_cell(nb, text)), f"the cell drawing {text!r} produced no image/png"
    # and no figure anywhere is lost
    for cell in code:
        if "plt.show()" in cell.source:
            assert has_png(cell), f"a plotting cell produced no image/png:\n{cell.source[:300]}"
    for text, expected in spec["prints"].items():
        cell = the_cell(nb, text)
        assert "demo" in cell.metadata.get("tags", []), f"the cell of {text!r} is not tagged demo"
        assert expected in printed(cell), f"the cell of {text!r} printed:\n{printed(cell)}"
