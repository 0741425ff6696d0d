"""Resource limits of one sandboxed student process, applied with setrlimit before exec."""
from __future__ import annotations

import resource
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """``timeout``: wall seconds per call and per notebook cell; ``budget``: wall seconds of student
    code for the whole submission, loading (again after every restart) and all calls together, so
    that no hand-in can hold a batch up for more than about that long; ``cpu``: CPU seconds per
    process; ``memory``: bytes of address space per process; ``processes``: tasks (processes and
    threads) in the sandbox at once, enforced by a pids cgroup or RLIMIT_NPROC (see
    ``isolation.process_cap``); ``file_size``: largest file the student may write (in the sandbox's
    private /tmp)."""

    timeout: float = 10.0
    budget: float = 120.0
    cpu: int = 120
    memory: int = 2 * 2**30
    processes: int = 64
    file_size: int = 16 * 2**20

    def apply(self) -> None:
        """Run in the child between fork and exec (``preexec_fn``). RLIMIT_NPROC is not set here:
        it would count every process of the grader's user, bubblewrap's included; the worker sets it
        on itself once it is inside the sandbox's user namespace."""
        for name, value in ((resource.RLIMIT_CPU, self.cpu), (resource.RLIMIT_AS, self.memory),
                            (resource.RLIMIT_FSIZE, self.file_size), (resource.RLIMIT_CORE, 0)):
            resource.setrlimit(name, (value, value))
