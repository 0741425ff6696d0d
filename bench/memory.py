"""Peak memory of a process tree, sampled from /proc while it runs.

    with TreeMemory(proc.pid) as memory:
        proc.wait()
    memory.peaks()   # {"grader": MiB of the main process, "pool": largest pool worker, ...}

Each process's own high-water mark (``VmHWM``) is read every ``interval`` seconds; since it only
grows, the last reading before a process exits is its peak to within one interval. Processes are
told apart by their command line and place in the tree: the sandbox's worker runs ``worker.py``,
bubblewrap is ``bwrap``, the root's other children are the ``--jobs`` pool, and what a pool worker forks
besides a sandbox is a symbolic check's time-limited child ("checker").
"""
from __future__ import annotations

import threading
from pathlib import Path


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return found


def _hwm_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _role(pid: int, parent_role: str | None) -> str | None:
    if parent_role is None:
        return "grader"
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return None
    if any(a.endswith(b"worker.py") for a in argv):
        return "sandbox"
    if argv and argv[0].endswith(b"bwrap"):
        return "bwrap"
    return {"grader": "pool", "bwrap": "bwrap", "sandbox": "sandbox"}.get(parent_role, "checker")


class TreeMemory:
    def __init__(self, root: int, *, interval: float = 0.1):
        self.root = root
        self.interval = interval
        self.hwm: dict[int, tuple[str, int]] = {}   # pid -> (role, KiB)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        todo, seen = [(self.root, None)], set()
        while todo:
            pid, parent_role = todo.pop()
            if pid in seen:
                continue
            seen.add(pid)
            kib = _hwm_kib(pid)
            role = self.hwm.get(pid, (None, 0))[0] or _role(pid, parent_role)
            if kib is not None and role is not None:
                self.hwm[pid] = (role, max(kib, self.hwm.get(pid, (role, 0))[1]))
            todo += [(child, role) for child in _children(pid)]

    def peaks(self) -> dict[str, float]:
        """MiB: the main grader process, the largest pool worker, main + every pool worker (an upper
        bound of the grader's memory: forked workers share pages), the largest sandbox worker and the
        largest symbolic-check child."""
        def mib(kib: float) -> float:
            return round(kib / 1024, 1)
        by_role: dict[str, list[int]] = {}
        for role, kib in self.hwm.values():
            by_role.setdefault(role, []).append(kib)
        main = max(by_role.get("grader", [0]))
        pool = by_role.get("pool", [])
        return {"grader_main_mib": mib(main), "grader_pool_max_mib": mib(max(pool, default=0)),
                "grader_total_mib": mib(main + sum(pool)),
                "sandbox_max_mib": mib(max(by_role.get("sandbox", []), default=0)),
                "checker_max_mib": mib(max(by_role.get("checker", []), default=0)),
                "processes_seen": len(self.hwm)}
