"""The benchmark's quick run works end to end: its synthetic class is what the manifest says, its last
line is the JSON of the figures, and the grading paths agree on every student's score. No timings
are asserted (issue 7: never a timed unit test)."""
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    work = tmp_path_factory.mktemp("bench")
    done = subprocess.run([sys.executable, "-m", "bench", "--quick", "--only", "grading",
                           "--paths", "nablab,nbgrader_nablab,inprocess", "--keep", str(work),
                           "--plot", str(work / "figures.png")],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return work, done.stdout


def test_the_last_line_is_the_json_of_the_figures(quick):
    work, stdout = quick
    figures = json.loads(stdout.strip().splitlines()[-1])
    assert figures["settings"]["quick"] and figures["class"]["students"] == 5
    assert set(figures["grading"]) == {"nablab", "nbgrader_nablab", "inprocess"}
    assert figures["machine"]["cores"] >= 1 and "load average" in figures["machine"]["uptime_before"]


def test_the_grading_paths_agree_on_every_part(quick):
    work, stdout = quick
    agreement = json.loads(stdout.strip().splitlines()[-1])["agreement"]
    for path in ("nbgrader_nablab", "inprocess"):
        assert agreement[path]["identical_parts"] == agreement[path]["of"] == 5, agreement[path]


def test_the_class_is_what_its_manifest_says(quick):
    work, _ = quick
    students = json.loads((work / "class" / "manifest.json").read_text())["students"]
    assert [s["category"] for s in students] == ["correct", "bug", "crash", "endless", "broken"]
    for s in students:
        path = work / "class" / s["assignment"] / f"{s['id']}.ipynb"
        if s["category"] == "broken":
            with pytest.raises(Exception):
                nbformat.reads(path.read_text(), as_version=4)
        else:
            nbformat.validate(nbformat.reads(path.read_text(), as_version=4))


def test_the_figures_are_plotted(quick):
    work, stdout = quick
    assert f"figures plotted: {work / 'figures.png'}" in stdout.replace("\n", "")
    assert (work / "figures.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_nothing_to_plot_draws_nothing(tmp_path):
    from bench.plot import plot_figures
    assert plot_figures({"machine": {}, "settings": {}}, tmp_path / "none.png") is None
    assert not (tmp_path / "none.png").exists()
