"""Read a student's submission into the code cells the sandbox will run; never executes anything.

A submission is a notebook (``.ipynb``), a Python file (``.py``) or a folder holding exactly one of
those; the student id is the file stem or the folder name. From a notebook we take the code cells
in order, except nbgrader's test cells (``grade`` without ``solution``: our hidden suite replaces
them) and cells tagged ``demo`` (plots and experiments). IPython magics and shell escapes are
commented out. Anything unreadable raises :class:`SubmissionError` with a message for the student.

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
    cells = _notebook_cells(text, file.name) if file.suffix == ".ipynb" else (text,)
    return Submission(student=student, path=file, cells=tuple(cells),
                      fingerprint=hashlib.sha256(data).hexdigest())


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


def _notebook_cells(text: str, name: str) -> list[str]:
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
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as err:  # nbformat raises many types for malformed notebooks
        raise SubmissionError(f"{name} is not a notebook nbformat can read: {err}") from None
    return code_cells(nb)


def code_cells(nb) -> list[str]:
    """The sources the sandbox runs, from a parsed notebook (also used on nbgrader's copy)."""
    cells = []
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        meta = cell.get("metadata", {})
        grading = meta.get("nbgrader", {}) if isinstance(meta.get("nbgrader"), dict) else {}
        if grading.get("grade") and not grading.get("solution"):
            continue
        if "demo" in (meta.get("tags") or []):
            continue
        cells.append(_strip_magics(cell.get("source", "")))
    return cells


def _strip_magics(source: str) -> str:
    return "\n".join(f"# {line}" if line.lstrip().startswith(("%", "!")) else line
                     for line in source.splitlines())
