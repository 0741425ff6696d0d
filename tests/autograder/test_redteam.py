"""Red team (issue 6): hostile optimizers submissions against the real grader.

Each file in ``redteam/`` is what a hostile student adds to honest work: cells separated by ``# %%``
lines (a JSON object after ``# %%`` is the cell's metadata), placed after the reference's setup and
solution cells, or where a ``# %% reference`` line puts them. The test writes that notebook, grades it
with :func:`~autograder.grading.grade_submission` (or in a batch, where the attack is on the batch)
and asserts that

(a) it gains nothing: every part the attack touches scores 0 (each attacked function is also
    wrong, so honest work on it would score 0 too), the checks and their points are exactly the
    hidden suite's, and the total is the points of the untouched parts;
(b) the honest work still scores: every untouched part keeps full marks.

Attacks that only bubblewrap can stop (reading the course files, the network, signals to other
processes, files left for the next student) are skipped without it: reduced isolation is labelled
in every result and warned about, and these are what it does not prevent. Some of them would touch
the machine for real there (kill -1 as root), which is one more reason not to run them.
"""
from __future__ import annotations

import json
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from autograder.batch import grade_class
from autograder.grading import grade_submission
from autograder.reference import notebook_path, part_points
from autograder.results import SubmissionResult
from autograder.sandbox import Limits, detect_isolation
from autograder.sandbox.isolation import BUBBLEWRAP
from grading_helpers import running

REDTEAM = Path(__file__).resolve().parent / "redteam"
FULL = part_points("optimizers")
FAST = Limits(timeout=2.0)  # the sandbox never calls a function again after it timed out


@dataclass(frozen=True)
class Attack:
    parts: tuple[str, ...] = ()  # the parts it attacks; each is also wrong, so honest work scores 0 there
    says: str = ""  # words the feedback of the attacked parts contains
    bubblewrap: bool = False  # only bubblewrap stops it
    limits: Limits = FAST


ATTACKS = {
    # time, memory, processes, crashes
    "endless_loop": Attack(("sgd",), "did not finish within 2 s"),
    "sleep_forever": Attack(("adagrad",), "did not finish within 2 s"),
    "ignores_signals": Attack(("rmsprop",), "did not finish within 2 s"),
    "memory_bomb": Attack(("nesterov",)),  # MemoryError, or the timeout while pages are filled
    "fork_bomb": Attack(("sgd_momentum",), "did not finish within 2 s"),
    "segfault": Attack(("nesterov_lookahead",), "SIGSEGV"),
    "deep_recursion": Attack(("adagrad",), "SIGSEGV"),
    "slow_every_call": Attack(("clip_grad_norm",), "s of running time", limits=Limits(timeout=2.0, budget=4.0)),
    # ending the program
    "exit_at_import": Attack(),
    "os_exit_at_import": Attack(),
    "exits_in_functions": Attack(("sgd", "sgd_momentum", "nesterov", "nesterov_lookahead")),
    "pytest_outcomes": Attack(("adamw", "clip_grad_norm", "rmsprop")),
    "kill_the_grader": Attack(("sgd",), bubblewrap=True),
    # looking for the answers
    "import_hidden_suite": Attack(("sgd",), "could not steal sgd", bubblewrap=True),
    "walk_filesystem": Attack(("adagrad",), "found nothing to copy: []", bubblewrap=True),
    "site_packages_finder": Attack(("rmsprop",), "nothing usable in site-packages", bubblewrap=True),
    "proc_and_parents": Attack(("sgd_momentum",), bubblewrap=True),
    "network": Attack(("adagrad",), "no network", bubblewrap=True),
    "environment": Attack(("clip_grad_norm",)),
    "caller_frames": Attack(("nesterov",)),
    "gc_objects": Attack(("nesterov_lookahead",)),
    # making a wrong answer look right
    "monkeypatch_numpy": Attack(("rmsprop",)),
    "monkeypatch_builtins": Attack(("sgd",)),
    "forge_worker_replies": Attack(("sgd_momentum",)),
    "forge_raw_frames": Attack(("clip_grad_norm",)),
    "agreeable_objects": Attack(("sgd",)),
    "ndarray_subclass": Attack(("sgd_momentum", "clip_grad_norm")),
    "nan_inf": Attack(("adagrad", "rmsprop"), "non-finite"),
    "wrong_types": Attack(("sgd", "sgd_momentum", "nesterov", "nesterov_lookahead", "clip_grad_norm")),
    "huge_outputs": Attack(("sgd", "adagrad", "clip_grad_norm")),
    "mutate_inputs": Attack(("sgd", "adamw")),
    "hostile_exception": Attack(("rmsprop", "nesterov")),
    "forged_nbgrader_metadata": Attack(("sgd",)),
    # output nobody should read
    "print_forged_results": Attack(("sgd", "nesterov")),
    "flood_stdout": Attack(),
}
NEEDS_BWRAP = "only bubblewrap stops this attack; without it isolation is reduced (and labelled so)"


def reference_cells() -> list[tuple[str, dict]]:
    """The honest work: the solution notebook's setup and solution cells."""
    nb = nbformat.read(notebook_path("optimizers"), as_version=4)
    return [(c.source, {}) for c in nb.cells if c.cell_type == "code"
            and (c.metadata.get("nbgrader", {}).get("solution") or c.metadata.get("nbgrader", {}).get("grade_id") == "setup")]


def hand_in(name: str, folder: Path, **fill: str) -> Path:
    """The notebook of attack ``name``: its cells and the reference's, ``@@KEY@@`` filled in."""
    text = (REDTEAM / f"{name}.py").read_text()
    for key, value in fill.items():
        text = text.replace(f"@@{key}@@", value)
    cells, placed = [], False
    for chunk in text.split("\n# %%")[1:]:
        header, _, source = chunk.partition("\n")
        if header.strip() == "reference":
            cells += reference_cells()
            placed = True
        else:
            cells.append((source, json.loads(header) if header.strip() else {}))
    if not placed:
        cells = reference_cells() + cells
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source, metadata=metadata) for source, metadata in cells]
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def isolation_label() -> str:
    mode, reason = detect_isolation()
    return f"{mode} ({reason})" if reason else mode


@pytest.fixture(scope="module")
def honest(tmp_path_factory) -> SubmissionResult:
    folder = tmp_path_factory.mktemp("honest")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source, _ in reference_cells()]
    nbformat.write(nb, folder / "honest.ipynb")
    result = grade_submission("optimizers", folder / "honest.ipynb", limits=FAST)
    assert result.score == result.max_score == sum(FULL.values())
    return result


def assert_gains_nothing(result: SubmissionResult, honest: SubmissionResult, attacked, says: str = "") -> None:
    assert [(c.name, c.max_score) for c in result.checks] == [(c.name, c.max_score) for c in honest.checks]
    assert all(0 <= c.score <= c.max_score for c in result.checks)
    scores = result.parts()
    for part, points in FULL.items():
        feedback = " | ".join(c.output for c in result.checks if c.part == part and not c.passed)
        if part in attacked:
            assert scores[part] == (0.0, points), f"the attack on {part} gained points"
            assert says in feedback, feedback
        else:
            assert scores[part] == (points, points), f"honest {part} lost points: {feedback}"
    assert result.score == sum(points for part, points in FULL.items() if part not in attacked)
    assert result.isolation == isolation_label()
    data = result.to_gradescope()
    assert data["score"] == result.score and data["extra_data"]["isolation"] == result.isolation
    json.dumps(data, allow_nan=False)  # a result file can always be written


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_attack_gains_nothing_and_honest_work_still_scores(name, honest, tmp_path, monkeypatch):
    attack = ATTACKS[name]
    if attack.bubblewrap and detect_isolation()[0] != BUBBLEWRAP:
        pytest.skip(NEEDS_BWRAP)
    marker = str(7_000_000 + zlib.crc32(f"{os.getpid()} {name}".encode()) % 1_000_000)
    if name == "environment":  # a careless grader set-up with the reference in its environment
        clip = next(source for source, _ in reference_cells() if "def clip_grad_norm" in source)
        monkeypatch.setenv("NABLAB_REFERENCE", "import numpy as np\n" + clip)
    result = grade_submission("optimizers", hand_in(name, tmp_path, MARKER=marker), limits=attack.limits)
    assert_gains_nothing(result, honest, attack.parts, attack.says)
    assert running(marker) == 0  # nothing the submission started outlives its grading


def test_every_attack_file_is_graded_by_a_test():
    files = {p.stem for p in REDTEAM.glob("*.py")}
    assert files == set(ATTACKS) | {"background_writer", "poison_tmp_and_home", "extreme_values", "honest_neighbour"}
    assert len(files) - 1 >= 30


# ----------------------------------------------------------------------------- attacks on the batch
@pytest.mark.skipif(detect_isolation()[0] != BUBBLEWRAP, reason=NEEDS_BWRAP)
def test_a_background_writer_cannot_touch_results_or_outlive_its_grading(honest, tmp_path):
    out, marker = tmp_path / "out", str(7_200_000 + os.getpid() % 100_000)
    attacker = hand_in("background_writer", tmp_path, RESULTS=str(out / "results"), MARKER=marker)
    neighbour = hand_in("honest_neighbour", tmp_path)
    results = {r.student: r for r in grade_class("optimizers", [attacker, neighbour], out, jobs=2, limits=FAST)}
    assert running(marker) == 0
    assert_gains_nothing(results["background_writer"], honest, ("clip_grad_norm",))
    assert_gains_nothing(results["honest_neighbour"], honest, ())
    for student, result in results.items():  # what is on disk is the grader's own result
        saved = json.loads((out / "results" / f"{student}.json").read_text())
        assert saved == json.loads(json.dumps(result.to_gradescope()))
    assert sorted(p.name for p in (out / "results").iterdir()) == ["background_writer.json", "honest_neighbour.json"]
    assert "forged" not in (out / "grades.csv").read_text()


@pytest.mark.skipif(detect_isolation()[0] != BUBBLEWRAP, reason=NEEDS_BWRAP)
def test_files_left_behind_do_not_reach_the_next_student(honest, tmp_path):
    attacker = hand_in("poison_tmp_and_home", tmp_path)
    neighbour = hand_in("honest_neighbour", tmp_path)
    results = grade_class("optimizers", [attacker, neighbour], tmp_path / "out", jobs=1, limits=FAST)
    assert [r.student for r in results] == ["poison_tmp_and_home", "honest_neighbour"]
    assert_gains_nothing(results[0], honest, ("sgd",))
    assert_gains_nothing(results[1], honest, ())
    assert not any((Path(folder) / "nablab_poison").exists() for folder in ("/tmp", Path.home(), "/var/tmp"))


def test_numbers_that_break_the_feedback_plots_do_not_stop_the_batch(honest, tmp_path):
    out = tmp_path / "out"
    attacker = hand_in("extreme_values", tmp_path)
    neighbour = hand_in("honest_neighbour", tmp_path)
    results = grade_class("optimizers", [attacker, neighbour], out, jobs=1, limits=FAST)
    assert_gains_nothing(results[0], honest, ("sgd", "sgd_momentum", "adagrad", "rmsprop"))
    assert_gains_nothing(results[1], honest, ())
    feedback = (out / "feedback" / "extreme_values.md").read_text()
    assert "**Score: 11 / 18**" in feedback and (out / "feedback" / "honest_neighbour.md").is_file()


# ----------------------------------------------------------------------------- hostile files
def test_a_link_to_the_reference_or_a_fifo_is_not_graded(tmp_path):
    """A hand-in archive can carry a symbolic link to the reference notebook, or a FIFO that would
    block the grader while it reads."""
    linked = tmp_path / "mallory"
    linked.mkdir()
    (linked / "optimizers.ipynb").symlink_to(notebook_path("optimizers"))
    fifo = tmp_path / "fred.ipynb"
    os.mkfifo(fifo)
    for path, says in ((linked, "is a symbolic link"), (fifo, "is not a regular file")):
        result = grade_submission("optimizers", path, limits=FAST)
        assert result.score == 0 and result.max_score == sum(FULL.values())
        assert says in result.messages[0] and result.isolation == isolation_label()
