"""Run a check in a forked child that is killed, not waited for, when its time runs out.

The child reports verdicts as JSON lines over a pipe, best-so-far first (e.g. "numerically
equivalent" before a slow ``simplify``). When the budget is spent the parent kills the child
and keeps the last verdict it received, or returns a ``timeout`` verdict if there was none.

The budget is the child's *CPU* time (read from ``/proc``), so a loaded machine does not turn
correct answers into timeouts; a wall-clock cap (``wall_timeout``, default ``3*timeout + 1``)
still bounds the wait for a child that is starved or blocked. Without ``/proc`` the budget is
wall time. The child's address space is capped so that a blow-up ends in ``MemoryError``
instead of swapping the machine.

``os.fork`` is used directly rather than ``multiprocessing`` so that checks also work inside
daemonic pool workers, which ``multiprocessing`` forbids to have children. POSIX only; fork
from the thread that does the grading (forking a process with busy threads is fragile).
"""

from __future__ import annotations

import json
import os
import resource
import select
import signal
import sys
import time
import traceback
from collections.abc import Callable

from .verdict import Verdict

MEMORY_HEADROOM = 1 << 30   # bytes the child may allocate beyond what it inherited
POLL_SECONDS = 0.02
Job = Callable[[Callable[[Verdict, bool], None]], None]


def run_isolated(job: Job, *, timeout: float, wall_timeout: float | None = None) -> Verdict:
    """Run ``job(report)`` in a child; ``report(verdict, final)`` may be called many times."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never returns into the caller's stack
        os.close(read_end)
        _child_main(job, write_end)
    os.close(write_end)
    wall_limit = 3 * timeout + 1 if wall_timeout is None else wall_timeout
    best, final, timed_out, exit_status = None, False, False, None
    started, buffer = time.monotonic(), b""
    try:
        while not final:
            ready, _, _ = select.select([read_end], [], [], POLL_SECONDS)
            if ready:
                chunk = os.read(read_end, 1 << 16)
                if not chunk:  # the child ended without a final verdict
                    break
                *lines, buffer = (buffer + chunk).split(b"\n")
                for line in lines:
                    message = json.loads(line)
                    best, final = Verdict.from_dict(message["verdict"]), message["final"]
            spent = _cpu_seconds(pid)
            elapsed = time.monotonic() - started
            if not final and (elapsed > wall_limit or
                              (spent if spent is not None else elapsed) > timeout):
                timed_out = True
                break
    finally:
        os.close(read_end)
        exit_status = _reap(pid)
    if best is not None:
        return best
    if timed_out:
        return Verdict(False, "timeout", f"Your answer could not be checked within "
                       f"{timeout:g} s; try a simpler form.")
    return Verdict(False, "error", "The checker stopped unexpectedly on this answer "
                   f"(status {exit_status}); please report it.")


def _reap(pid: int) -> int:
    """Kill the child if it is still running and collect it (no zombies)."""
    done, status = os.waitpid(pid, os.WNOHANG)
    if done == 0:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _, status = os.waitpid(pid, 0)
    return status


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a running process, or None where /proc is unavailable."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _child_main(job: Job, write_end: int) -> None:
    sent: list[Verdict] = []

    def report(verdict: Verdict, final: bool) -> None:
        sent.append(verdict)
        line = json.dumps({"verdict": verdict.to_dict(), "final": final}).encode() + b"\n"
        try:
            os.write(write_end, line)
        except OSError:
            os._exit(0)  # the parent has stopped listening; nothing left to do

    try:
        _cap_memory()
        job(report)
    except MemoryError:
        report(sent[-1] if sent else Verdict(
            False, "timeout", "Your answer needs too much memory to check; try a simpler form."),
            True)
    except RecursionError:
        report(sent[-1] if sent else Verdict(
            False, "timeout", "Your answer is nested too deeply to check."), True)
    except BaseException as err:  # noqa: BLE001 - reported as an "error" verdict, never hidden
        last = traceback.extract_tb(err.__traceback__)[-1]
        where = f"{os.path.basename(last.filename)}:{last.lineno}"
        traceback.print_exc()
        sys.stderr.flush()
        report(sent[-1] if sent else Verdict(
            False, "error", f"The checker failed on this answer ({type(err).__name__}: {err} "
            f"at {where}); please report it."), True)
    finally:
        os._exit(0)


def _cap_memory() -> None:
    """Limit the child's address space to what it inherited plus ``MEMORY_HEADROOM``."""
    try:
        with open("/proc/self/statm") as statm:
            inherited = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return  # no /proc (macOS): rely on the time limit alone
    limit = inherited + MEMORY_HEADROOM
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
