"""A cgroup per sandbox: a hard cap on its processes, one fair share of the CPU, and a way to kill
every process in it however it was started (double fork, ``setsid``, a new session or namespace).

Why not RLIMIT_NPROC alone: when the grader runs as root, bubblewrap maps the sandbox user to root
outside, and the kernel never applies RLIMIT_NPROC to root, so a fork bomb was held back only by the
wall-clock timeout. A ``pids`` cgroup limits root too. The ``cpu`` controller (where there is one)
makes the whole sandbox one scheduling entity, so a student who spins up many busy processes gets
one process's share of the CPU and cannot starve the grader or the student graded next to them.

Works where this process may create cgroups: root with cgroup v1, or a v2 hierarchy whose
``subtree_control`` has (or accepts) ``pids``. Elsewhere :func:`available` says why not and the
sandbox falls back to RLIMIT_NPROC (see ``runner.py``).

    group = SandboxCgroup.create(max_pids=64)   # OSError where cgroups cannot be made
    Popen(..., preexec_fn=group.join)            # the child and all its descendants are inside
    group.kill(); group.remove()
"""
from __future__ import annotations

import functools
import itertools
import os
import re
import signal
import time
from dataclasses import dataclass
from pathlib import Path

CONTROLLERS = ("pids", "cpu")
PREFIX = "nablab-"
_names = itertools.count()


@dataclass(frozen=True)
class Hierarchy:
    """This process's own cgroup in one mounted hierarchy, and which of CONTROLLERS it carries."""

    own: Path
    controllers: frozenset[str]
    version: int


def hierarchies() -> list[Hierarchy]:
    """Mounted hierarchies with the pids or cpu controller, from /proc/self/{mountinfo,cgroup}."""
    own: dict[str, str] = {}
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        own[controllers] = path
    found = []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        fields = line.split()
        dash = fields.index("-")
        fstype, root, mount = fields[dash + 1], fields[3], Path(fields[4])
        if fstype == "cgroup":
            options = set(fields[dash + 3].split(","))
            wanted = frozenset(c for c in CONTROLLERS if c in options)
            key = next((k for k in own if k and set(k.split(",")) <= options and wanted & set(k.split(","))),
                       None)
            if wanted and key is not None:
                found.append(Hierarchy(_inside(mount, root, own[key]), wanted, 1))
        elif fstype == "cgroup2" and "" in own:
            path = _inside(mount, root, own[""])
            try:
                available = set((path / "cgroup.controllers").read_text().split())
            except OSError:
                continue
            wanted = frozenset(c for c in CONTROLLERS if c in available)
            if wanted:
                found.append(Hierarchy(path, wanted, 2))
    return found


def _inside(mount: Path, root: str, path: str) -> Path:
    relative = path[len(root):] if root != "/" and path.startswith(root) else path
    return mount / relative.lstrip("/")


@functools.cache
def available() -> tuple[bool, str]:
    """``(True, "")`` if a sandbox cgroup with a pids limit can be made and joined here, else
    ``(False, why not)``. Also removes cgroups left behind by graders that died."""
    try:
        usable = [h for h in hierarchies() if "pids" in h.controllers]
        if not usable:
            return False, "no pids cgroup controller is mounted"
        _sweep()
        probe = SandboxCgroup.create(max_pids=8)
    except (OSError, ValueError) as err:
        return False, f"cannot create a pids cgroup ({err})"
    try:
        pid = os.fork()
        if pid == 0:  # the probe must also be able to move a process in
            try:
                probe.join()
                os._exit(0)
            except BaseException:  # noqa: BLE001 - report by exit status only
                os._exit(1)
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            return False, "cannot move a process into a new pids cgroup"
        return True, ""
    finally:
        probe.kill()
        probe.remove()


class SandboxCgroup:
    """One cgroup (in each hierarchy that has pids or cpu) holding one sandbox's processes."""

    def __init__(self, dirs: list[Path]):
        self.dirs = dirs
        self._procs_files = [str(d / "cgroup.procs") for d in dirs]

    @classmethod
    def create(cls, *, max_pids: int) -> SandboxCgroup:
        name = f"{PREFIX}{os.getpid()}-{next(_names)}"
        dirs: list[Path] = []
        try:
            for hierarchy in hierarchies():
                if hierarchy.version == 2:
                    _enable(hierarchy)
                path = hierarchy.own / name
                path.mkdir()
                dirs.append(path)
                if "pids" in hierarchy.controllers:
                    (path / "pids.max").write_text(str(max_pids))
            if not any((d / "pids.max").exists() for d in dirs):
                raise OSError("the pids controller is not enabled below this process's cgroup")
        except BaseException:
            cls(dirs).remove()
            raise
        return cls(dirs)

    def join(self) -> None:
        """Move the calling process in; run in the child between fork and exec (``preexec_fn``)."""
        pid = str(os.getpid())
        for file in self._procs_files:
            with open(file, "w") as procs:
                procs.write(pid)

    def pids(self) -> list[int]:
        try:
            return [int(p) for p in (self.dirs[0] / "cgroup.procs").read_text().split()]
        except (OSError, IndexError):
            return []

    def peak(self) -> int | None:
        """The most tasks (processes and threads) that were ever in it, where the kernel says."""
        for d in self.dirs:
            try:
                return int((d / "pids.peak").read_text())
            except (OSError, ValueError):
                continue
        return None

    def kill(self) -> None:
        """SIGKILL every process inside until none is left (a process being killed cannot fork)."""
        for d in self.dirs:
            if (d / "cgroup.kill").exists():
                try:
                    (d / "cgroup.kill").write_text("1")
                except OSError:
                    pass
        for _ in range(200):
            pids = self.pids()
            if not pids:
                return
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            time.sleep(0.005)

    def remove(self) -> None:
        """Remove the (empty) cgroup; processes still exiting may make this wait a little."""
        for d in self.dirs:
            for _ in range(200):
                try:
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.01)


def _enable(hierarchy: Hierarchy) -> None:
    """In cgroup v2 a child gets a controller only if the parent's subtree_control lists it."""
    control = hierarchy.own / "cgroup.subtree_control"
    enabled = set(control.read_text().split())
    for controller in sorted(hierarchy.controllers - enabled):
        try:
            control.write_text(f"+{controller}")
        except OSError:
            pass  # e.g. processes in this cgroup itself (v2's no-internal-processes rule)


def _sweep() -> None:
    """Kill and remove sandbox cgroups whose grader process no longer exists."""
    for hierarchy in hierarchies():
        try:
            entries = list(hierarchy.own.iterdir())
        except OSError:
            continue
        for entry in entries:
            match = re.fullmatch(rf"{PREFIX}(\d+)-\d+", entry.name)
            if not match or not entry.is_dir() or _alive(int(match.group(1))):
                continue
            stale = SandboxCgroup([entry])
            stale.kill()
            stale.remove()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
