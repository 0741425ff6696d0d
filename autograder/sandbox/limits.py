"""Resource limits of one sandboxed student process, applied with setrlimit before exec."""
from __future__ import annotations

import resource
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """``timeout``: wall seconds per call and per notebook cell; ``cpu``: CPU seconds for the
    whole process; ``memory``: bytes of address space; ``processes``: tasks of the sandbox user;
    ``file_size``: largest file the student may write (in the sandbox's private /tmp)."""

    timeout: float = 10.0
    cpu: int = 120
    memory: int = 2 * 2**30
    processes: int = 64
    file_size: int = 16 * 2**20

    def apply(self) -> None:
        """Run in the child between fork and exec (``preexec_fn``)."""
        for name, value in ((resource.RLIMIT_CPU, self.cpu), (resource.RLIMIT_AS, self.memory),
                            (resource.RLIMIT_NPROC, self.processes),
                            (resource.RLIMIT_FSIZE, self.file_size), (resource.RLIMIT_CORE, 0)):
            resource.setrlimit(name, (value, value))
