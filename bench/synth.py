"""A synthetic class: N student notebooks across the assignments, with a realistic mix.

    students = make_class(Path("class"), n=300, seed=0)   # writes class/<assignment>/<id>.ipynb

Every hand-in is a notebook (nbgrader grades nothing else), built from an assignment's own material,
never from hand-written answers:

* ``correct``: the solution source with its markers removed, the bundled ``different_but_correct``
  student, or the reference with one or two functions swapped for a named *harmless* variant of the
  suite (``HARMLESS`` in ``autograder/suites/<a>/mistakes.py``);
* ``bug``: a bundled buggy student (``autograder/example_class/<a>/``), or the reference with one or two
  named *mistakes* of the suite pasted into the function's cell, the way a student rewrites an answer;
* ``unfinished``: the release untouched, or half done (the first solution cells filled in);
* ``crash``: a function that raises on every call (a typo'd name), or a cell that raises while the
  notebook loads so the functions after it in that cell are never defined;
* ``endless``: a function that never returns (a loop whose counter is never incremented), or a
  training-loop cell that never converges;
* ``broken``: the notebook's JSON cut off (an interrupted upload).

The first three are the *well-behaved* students. Each student hands in one assignment (round robin);
``manifest.json`` records who is what. Every random choice comes from ``random.Random(seed)``.
"""
from __future__ import annotations

import ast
import builtins
import copy
import dis
import importlib
import inspect
import json
import random
import re
import textwrap
import types
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat

from autograder.grading import assignments as graded_assignments
from autograder.reference import ROOT, SOLUTIONS, load as load_reference, part_points

EXAMPLE_CLASS = ROOT / "autograder" / "example_class"
RELEASES = ROOT / "assignments"
WELL_BEHAVED = ("correct", "bug", "unfinished")
# Share of each category in the class; within one, the kinds an assignment supports share equally.
MIX = {"correct": 0.40, "bug": 0.33, "unfinished": 0.07, "crash": 0.08, "endless": 0.06, "broken": 0.06}
KINDS = {
    "correct": ("reference", "different_but_correct", "harmless"),
    "bug": ("example_bug", "mistake", "two_mistakes"),
    "unfinished": ("untouched", "half_done"),
    "crash": ("crash_call", "crash_load"),
    "endless": ("endless_call", "endless_load"),
    "broken": ("truncated",),
}
# Bundled students that are not plain bugs: they are covered by the kinds above.
NOT_BUGS = {"reference", "different_but_correct", "untouched", "half_done", "broken", "endless_loop"}
MARKERS = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.MULTILINE)
SOLUTION_REGION = re.compile(r"^([ \t]*)### BEGIN SOLUTION.*?### END SOLUTION[ \t]*$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Student:
    id: str
    assignment: str
    category: str   # one of MIX
    kind: str       # one of KINDS[category]
    detail: str     # what exactly: the mistake's name, the function that hangs, ...

    @property
    def well_behaved(self) -> bool:
        return self.category in WELL_BEHAVED


def usable_assignments() -> list[str]:
    """Assignments with a hidden suite and a solution notebook (others are still being written)."""
    return [a for a in graded_assignments() if (SOLUTIONS / a / f"{a}.ipynb").is_file()]


def make_class(out: Path, *, n: int = 300, seed: int = 0, assignments: list[str] | None = None,
               kinds: list[tuple[str, str]] | None = None) -> list[Student]:
    """Write ``n`` notebooks to ``out/<assignment>/<id>.ipynb`` and ``out/manifest.json``.

    ``kinds`` (a list of (category, kind)) replaces the random mix, cycled over the students: the
    quick benchmark uses it to have one student of each sort."""
    names = assignments or usable_assignments()
    rng = random.Random(seed)
    material = {a: Material(a) for a in names}
    students = []
    for index in range(n):
        assignment = names[index % len(names)]
        if kinds:
            category, kind = kinds[index % len(kinds)]
        else:
            category = rng.choices(list(MIX), weights=list(MIX.values()))[0]
            kind = None
        sid = f"s{index + 1:04d}"
        text, kind, detail = material[assignment].student(category, kind, rng)
        path = out / assignment / f"{sid}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        students.append(Student(sid, assignment, category, kind, detail))
    (out / "manifest.json").write_text(json.dumps(
        {"seed": seed, "students": [asdict(s) for s in students]}, indent=1, ensure_ascii=False))
    return students


def read_manifest(folder: Path) -> list[Student]:
    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return [Student(**s) for s in data["students"]]


class Material:
    """What one assignment offers to build students from."""

    def __init__(self, assignment: str):
        self.assignment = assignment
        self.source = nbformat.read(SOLUTIONS / assignment / f"{assignment}.ipynb", as_version=4)
        self.parts = list(part_points(assignment))
        self.defining = {part: i for part in self.parts for i, cell in enumerate(self.source.cells)
                         if _is_solution(cell) and re.search(rf"^def {re.escape(part)}\(", cell.source, re.M)}
        folder = EXAMPLE_CLASS / assignment
        bundled = sorted(folder.glob("*.ipynb")) + sorted(p / f"{assignment}.ipynb" for p in folder.glob("*")
                                                           if (p / f"{assignment}.ipynb").is_file())
        self.bundled = {(p.stem if p.name != f"{assignment}.ipynb" else p.parent.name): p for p in bundled}
        self.bugs = sorted(k for k in self.bundled if k not in NOT_BUGS)
        module = _mistakes_module(assignment)
        self.mistakes = self._pasteable(getattr(module, "MISTAKES", {}), module)
        self.harmless = self._pasteable(getattr(module, "HARMLESS", {}), module)

    # --------------------------------------------------------------- kinds
    def available(self, kind: str) -> bool:
        return {"different_but_correct": "different_but_correct" in self.bundled,
                "harmless": bool(self.harmless), "example_bug": bool(self.bugs),
                "mistake": bool(self.mistakes), "two_mistakes": len(self.mistakes) >= 2,
                "half_done": len(self.defining) >= 2,
                "crash_call": bool(self.defining), "crash_load": bool(self.defining),
                "endless_call": bool(self.defining)}.get(kind, True)

    def student(self, category: str, kind: str | None, rng: random.Random) -> tuple[str, str, str]:
        """(notebook text, kind, detail) of one student of ``category``."""
        if kind is None:
            options = [k for k in KINDS[category] if self.available(k)]
            kind = rng.choice(options)
        nb = self.solved()
        detail = ""
        if kind in ("different_but_correct",):
            return self.bundled[kind].read_text(encoding="utf-8"), kind, ""
        if kind == "example_bug":
            detail = rng.choice(self.bugs)
            return self.bundled[detail].read_text(encoding="utf-8"), kind, detail
        if kind in ("harmless", "mistake", "two_mistakes"):
            pool = self.harmless if kind == "harmless" else self.mistakes
            functions = rng.sample(sorted(pool), 2 if kind == "two_mistakes" or (kind == "harmless" and len(pool) > 1
                                                                                and rng.random() < 0.5) else 1)
            names = []
            for function in functions:
                label, code = rng.choice(pool[function])
                self._paste(nb, function, code)
                names.append(f"{function}: {label}")
            detail = "; ".join(names)
        elif kind == "untouched":
            nb = self.release()
        elif kind == "half_done":
            stubs = self.release()
            order = sorted(self.defining.values())
            keep = rng.randint(1, len(order) - 1)
            for index in order[keep:]:
                nb.cells[index].source = _cell_with_id(stubs, nb.cells[index]).source
            detail = f"first {keep} of {len(order)} solution cells done"
        elif kind == "crash_call":
            function = rng.choice(sorted(self.defining))
            self._append(nb, function, _CRASH_CALL.format(f=function))
            detail = function
        elif kind == "crash_load":
            function = rng.choice(sorted(self.defining))
            cell = nb.cells[self.defining[function]]
            cell.source = _CRASH_LOAD + cell.source
            detail = function
        elif kind == "endless_call":
            function = rng.choice(sorted(self.defining))
            self._append(nb, function, _ENDLESS_CALL.format(f=function))
            detail = function
        elif kind == "endless_load":
            index = rng.choice(sorted(self.defining.values()))
            nb.cells.insert(index + 1, nbformat.v4.new_code_cell(_ENDLESS_LOAD))
            detail = f"after cell {index}"
        elif kind == "truncated":
            text = nbformat.writes(nb)
            cut = rng.uniform(0.3, 0.9)
            return text[:int(len(text) * cut)], kind, f"cut at {cut:.0%}"
        return nbformat.writes(nb), kind, detail

    # --------------------------------------------------------------- notebooks
    def solved(self) -> nbformat.NotebookNode:
        """The solution source as a student who solved everything would hand it in."""
        nb = copy.deepcopy(self.source)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.source = MARKERS.sub("", cell.source)
                cell.outputs, cell.execution_count = [], None
        return nb

    def release(self) -> nbformat.NotebookNode:
        """nbgrader's release where one exists, else the same made here (solution regions -> stubs)."""
        for path in (RELEASES / self.assignment / f"{self.assignment}.ipynb", self.bundled.get("untouched")):
            if path is not None and path.is_file():
                return nbformat.read(path, as_version=4)
        nb = copy.deepcopy(self.source)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.source = SOLUTION_REGION.sub(
                    lambda m: f"{m.group(1)}# YOUR CODE HERE\n{m.group(1)}raise NotImplementedError()", cell.source)
                cell.outputs, cell.execution_count = [], None
        return nb

    def _append(self, nb, function: str, code: str) -> None:
        cell = nb.cells[self.defining[function]]
        cell.source = cell.source.rstrip("\n") + "\n\n" + code

    def _paste(self, nb, function: str, code: str) -> None:
        self._append(nb, function, code)

    # --------------------------------------------------------------- named variants as student code
    def _pasteable(self, table: dict, module) -> dict[str, list[tuple[str, str]]]:
        """function -> [(name, source a student could have written)] for the variants whose code can
        be lifted out of the mistakes module on its own (module-level functions, numpy/sympy, literals,
        the notebook's own setup names); closures and lambdas are left out."""
        reference = load_reference(self.assignment) if table else {}
        out: dict[str, list[tuple[str, str]]] = {}
        for function, variants in table.items():
            if function not in self.defining:
                continue
            for label, fn in variants.items():
                code = _lift(fn, module, reference)
                if code is not None:
                    out.setdefault(function, []).append((label, f"{code}\n\n{function} = {fn.__name__}\n"))
        return out


def _is_solution(cell) -> bool:
    return cell.cell_type == "code" and bool(cell.metadata.get("nbgrader", {}).get("solution"))


def _cell_with_id(nb, like):
    grade_id = like.metadata.get("nbgrader", {}).get("grade_id")
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _mistakes_module(assignment: str):
    try:
        return importlib.import_module(f"autograder.suites.{assignment}.mistakes")
    except ImportError:
        return types.SimpleNamespace()


MODULE_ALIASES = {"numpy": "np", "sympy": "sp", "math": "math"}


def _lift(fn, module, reference: dict) -> str | None:
    """The source of ``fn`` and of every module-level helper it needs, or None if that is not possible."""
    if not inspect.isfunction(fn) or fn.__name__ == "<lambda>" or fn.__qualname__ != fn.__name__ \
            or getattr(module, fn.__name__, None) is not fn or fn.__name__ in reference:
        return None
    pieces: dict[str, str] = {}     # helper functions, by name
    constants: dict[str, str] = {}
    imports: set[str] = set()

    def visit(f) -> bool:
        if f.__name__ in pieces:
            return True
        try:
            pieces[f.__name__] = textwrap.dedent(inspect.getsource(f))
        except (OSError, TypeError):
            return False
        for name in _global_names(f.__code__):
            if name in reference and reference[name] is getattr(module, name, object()):
                continue  # a setup name of the notebook (e.g. its sympy symbols): the student has it
            if hasattr(builtins, name):
                continue
            value = getattr(module, name, None)
            if isinstance(value, types.ModuleType):
                alias = MODULE_ALIASES.get(value.__name__)
                if alias != name:
                    return False
                imports.add(f"import {value.__name__} as {name}" if name != value.__name__ else f"import {name}")
            elif inspect.isfunction(value) and value.__qualname__ == value.__name__ and name == value.__name__:
                if name in reference or not visit(value):
                    return False
            elif _literal(value):
                constants[name] = f"{name} = {value!r}"
            else:
                return False
        return True

    if not visit(fn):
        return None
    helpers = [pieces[k] for k in sorted(pieces) if k != fn.__name__]
    return "\n\n".join(["\n".join(sorted(imports)), "\n".join(constants[k] for k in sorted(constants)),
                        *helpers, pieces[fn.__name__]]).strip()


def _global_names(code) -> set[str]:
    """Names the code reads as globals (attribute names such as np.<name> are not among them)."""
    names = {i.argval for i in dis.get_instructions(code) if i.opname in ("LOAD_GLOBAL", "LOAD_NAME")}
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _global_names(const)
    return names


def _literal(value) -> bool:
    try:
        return ast.literal_eval(repr(value)) == value
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False


# What misbehaving students add to a function's cell (or a new cell). Written as students write them.
_CRASH_CALL = '''_{f}_first_try = {f}


def {f}(*args, **kwargs):
    result = _{f}_first_try(*args, **kwargs)
    print("debug:", reslt)  # typo: every call raises NameError
    return result
'''
_CRASH_LOAD = "print(loss_history[-1])  # left over from an earlier session\n"
_ENDLESS_CALL = '''_{f}_vectorised = {f}


def {f}(*args, **kwargs):
    # redo it step by step to be sure
    step = 0
    while step < 3:
        result = _{f}_vectorised(*args, **kwargs)
    return result
'''
_ENDLESS_LOAD = '''# train until the loss is small
loss = 1.0
while loss > 1e-6:
    loss = 0.999999 * loss + 1e-6
'''
