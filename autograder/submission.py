"""Read a student's submission into the code cells the sandbox will run; never executes anything.

A submission is a notebook (``.ipynb``), a Python file (``.py``) or a folder holding exactly one of
those; the student id is the file stem or the folder name. From a notebook we take the code cells
in order, except nbgrader's test cells (``grade`` without ``solution``: our hidden suite replaces
them) and cells tagged ``demo`` (plots and experiments). IPython magics and shell escapes are
commented out. Anything unreadable raises :class:`SubmissionError` with a message for the student;
what can be graded but looks wrong (no nbgrader metadata at all, two cells with one ``grade_id``) is
a note in :attr:`Submission.notes`. Cells are run in the order they stand, every copy of a
duplicated cell included (the last definition counts, as when the notebook runs top to bottom).

Hand-ins usually arrive as archives, which can carry symbolic links, FIFOs and device files: a link
to the reference notebook would be graded as the student's work, a FIFO would block the grader, a
link to /dev/zero would fill its memory. Only regular files are read (never through a link), and
never more than ``MAX_BYTES + 1`` bytes of them.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import nbformat

MAX_BYTES = 20 * 2**20
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,99}$")


class SubmissionError(Exception):
    """The submission cannot be read; the message says why, for the student and the instructor."""


@dataclass(frozen=True)
class Submission:
    student: str
    path: Path
    cells: tuple[str, ...]
    fingerprint: str  # sha256 of the file's bytes
    notes: tuple[str, ...] = ()  # gradable, but worth telling the student (see cell_notes)


def student_id(path: Path) -> str:
    """The id a path stands for, whether or not the submission can be read."""
    path = Path(path)
    return path.name if path.is_dir() else path.stem


def load(path: Path) -> Submission:
    path = Path(path)
    student = student_id(path)
    if not STUDENT_ID.match(student):
        raise SubmissionError(f"{path.name!r} is not a usable student id (letters, digits and . _ - @ +)")
    file = _pick_file(path)
    data = _read(file)
    if not data.strip():
        raise SubmissionError(f"{file.name} is empty")
    if len(data) > MAX_BYTES:
        raise SubmissionError(f"{file.name} is {len(data) / 2**20:.1f} MiB; the limit is "
                              f"{MAX_BYTES / 2**20:.0f} MiB (clear large cell outputs and resubmit)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise SubmissionError(f"{file.name} is not UTF-8 text (byte {data[err.start]:#04x} at "
                              f"offset {err.start})") from None
    if file.suffix == ".ipynb":
        nb = _notebook(text, file.name)
        cells, notes = code_cells(nb), cell_notes(nb, file.name)
    else:
        cells, notes = [text], []
    return Submission(student=student, path=file, cells=tuple(cells),
                      fingerprint=hashlib.sha256(data).hexdigest(), notes=tuple(notes))


def _read(file: Path) -> bytes:
    try:
        fd = os.open(file, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as err:
        if os.path.islink(file):
            raise SubmissionError(f"{file.name} is a symbolic link; hand in the file itself") from None
        raise SubmissionError(f"{file.name} cannot be read: {err.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise SubmissionError(f"{file.name} is not a regular file")
        return handle.read(MAX_BYTES + 1)


def _pick_file(path: Path) -> Path:
    if path.is_symlink():
        raise SubmissionError(f"{path.name} is a symbolic link; hand in the file or folder itself")
    if path.is_dir():
        candidates = sorted(p for p in path.iterdir() if p.suffix in (".ipynb", ".py")
                            and (p.is_file() or p.is_symlink()) and not p.name.startswith("."))
        if not candidates:
            raise SubmissionError(f"folder {path.name} holds no .ipynb or .py file")
        if len(candidates) > 1:
            names = ", ".join(p.name for p in candidates)
            raise SubmissionError(f"folder {path.name} holds {len(candidates)} candidate files ({names}); "
                                  "hand in exactly one notebook or Python file")
        return candidates[0]
    if not path.exists():
        raise SubmissionError(f"{path} does not exist")
    if path.suffix not in (".ipynb", ".py"):
        raise SubmissionError(f"{path.name}: a {path.suffix or 'file without extension'} cannot be "
                              "graded; hand in the .ipynb notebook or a .py file")
    return path


def _notebook(text: str, name: str):
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as err:
        raise SubmissionError(f"{name} is not a valid notebook: broken JSON at line {err.lineno}, "
                              f"column {err.colno} ({err.msg}); was the file truncated or edited "
                              "outside Jupyter?") from None
    except RecursionError:
        raise SubmissionError(f"{name} is not a valid notebook: its JSON is nested too deeply") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("cells", raw.get("worksheets")), list):
        raise SubmissionError(f"{name} is JSON but not a Jupyter notebook (no list of cells)")
    if isinstance(raw.get("cells"), list):  # nbformat 4; older ones are converted by nbformat
        text = json.dumps(_checked_v4(raw, name))
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as err:  # nbformat raises many types for malformed notebooks
        raise SubmissionError(f"{name} is not a notebook nbformat can read: {err}") from None
    return nb


def _checked_v4(raw: dict, name: str) -> dict:
    """The cells' structure checked before nbformat sees it (its messages name no cell, and it
    accepts a code cell without source or with a number as source, which would crash the grader).
    Missing ``metadata`` (edited by hand, written by another tool) is filled in as empty."""
    def invalid(number: int, problem: str) -> SubmissionError:
        return SubmissionError(f"{name} is not a valid notebook: cell {number} (counting every cell "
                               f"from 1) {problem}; was it edited outside Jupyter?")

    if not isinstance(raw.get("metadata", {}), dict):
        raise SubmissionError(f"{name} is not a valid notebook: its metadata is not a JSON object")
    raw.setdefault("metadata", {})
    for number, cell in enumerate(raw["cells"], 1):
        if not isinstance(cell, dict):
            raise invalid(number, "is not a JSON object")
        if not isinstance(cell.get("cell_type"), str):
            raise invalid(number, "has no cell_type")
        if not isinstance(cell.setdefault("metadata", {}), dict):
            raise invalid(number, "has metadata that is not a JSON object")
        if cell["cell_type"] == "code":
            source = cell.get("source")
            if source is None:
                raise invalid(number, "is a code cell without source")
            if not (isinstance(source, str) or isinstance(source, list)
                    and all(isinstance(line, str) for line in source)):
                raise invalid(number, "has a source that is not text")
    return raw


def code_cells(nb) -> list[str]:
    """The sources the sandbox runs, from a parsed notebook (also used on nbgrader's copy)."""
    cells = []
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        grading = _grading(cell)
        if grading.get("grade") and not grading.get("solution"):
            continue
        tags = _metadata(cell).get("tags")
        if isinstance(tags, list) and "demo" in tags:
            continue
        cells.append(_strip_magics(cell.get("source", "")))
    return cells


def cell_notes(nb, name: str) -> list[str]:
    """What the student should hear about a gradable notebook: no nbgrader metadata at all (the
    visible tests then run as their code, and a failing one is reported as a failing cell), or one
    ``grade_id`` on several cells (all of them run, in order)."""
    code = [cell for cell in nb.cells if cell.get("cell_type") == "code"]
    grading = [_grading(cell) for cell in code]
    if code and not any(grading):
        return [f"{name} has no nbgrader metadata (was the work copied into a new notebook?): every code "
                "cell ran as your code, the visible test cells included; hand in the released notebook"]
    ids: dict[str, int] = {}
    for g in grading:
        if isinstance(g.get("grade_id"), str):
            ids[g["grade_id"]] = ids.get(g["grade_id"], 0) + 1
    return [f"{name} has {count} cells with grade_id {grade_id!r} (a copied cell?): all of them ran, in "
            "order, so the last one's definitions count" for grade_id, count in ids.items() if count > 1]


def _metadata(cell) -> dict:
    meta = cell.get("metadata")
    return meta if isinstance(meta, dict) else {}


def _grading(cell) -> dict:
    grading = _metadata(cell).get("nbgrader")
    return grading if isinstance(grading, dict) else {}


def _strip_magics(source: str) -> str:
    return "\n".join(f"# {line}" if line.lstrip().startswith(("%", "!")) else line
                     for line in source.splitlines())
