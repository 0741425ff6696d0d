"""How student code is isolated: bubblewrap where it runs, process limits alone where it does not.

With bubblewrap the worker sees a read-only view of Python, the installed packages and the worker's
own code, a private /tmp, no network, no other process, and nothing of the course: no hidden suites,
no reference solutions, no other submissions, no results or gradebook (nablab's own packages are
hidden even where they are installed into site-packages). It runs as user 65534.

The number of processes is capped by a pids cgroup where the grader may create one, else by
RLIMIT_NPROC, which the kernel ignores for root: :func:`process_cap` says which, and :func:`detect`
says in its reason (part of every result's isolation label) when there is no cap.
"""
from __future__ import annotations

import functools
import glob
import os
import shutil
import subprocess
import sys
import sysconfig
import warnings
from pathlib import Path

INSIDE = Path(__file__).resolve().parent / "inside"
SANDBOX_CODE = "/nablab"
BUBBLEWRAP = "bubblewrap"
REDUCED = "process limits only"
CGROUP = "pids cgroup"
NPROC = "RLIMIT_NPROC"
# nablab's own files wherever pip put them (a regular install copies the suites and the example
# class, reference included, into site-packages); hidden from the sandbox by empty mounts.
COURSE_FILES = ("autograder", "question_bank", "solutions", "nablab-*", "nablab.*", "__editable__*nablab*",
                "__pycache__/__editable__*nablab*")


def site_dirs() -> list[str]:
    """Where numpy, sympy and matplotlib live, for the worker's sys.path."""
    dirs = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    return sorted(d for d in dirs if Path(d).is_dir())


def bwrap_prefix() -> list[str]:
    """The bubblewrap command line that wraps the worker's python."""
    python_home = Path(sys.base_prefix).resolve()
    # No user namespaces inside: the student would be root in one (a common first step of kernel
    # exploits). bubblewrap < 0.8 has no --disable-userns; it still runs, without this.
    nested = ["--unshare-user", "--disable-userns"] if _bwrap_has("--disable-userns") else []
    args = ["bwrap", "--unshare-all", *nested, "--die-with-parent", "--new-session",
            "--uid", "65534", "--gid", "65534", "--hostname", "sandbox",
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--chdir", "/tmp",
            "--clearenv", "--setenv", "HOME", "/tmp", "--setenv", "PATH", "/usr/bin:/bin"]
    for system_dir in ("/usr", "/bin", "/lib", "/lib64", "/lib32", "/etc/alternatives"):
        if Path(system_dir).exists():
            args += ["--ro-bind", system_dir, system_dir]
    if not str(python_home).startswith("/usr/"):
        args += ["--ro-bind", str(python_home), str(python_home)]
    for site in site_dirs():
        args += ["--ro-bind", site, site]
        for hidden in course_files(site):
            args += ["--tmpfs", hidden] if os.path.isdir(hidden) else ["--ro-bind", "/dev/null", hidden]
    args += ["--ro-bind", str(INSIDE), SANDBOX_CODE]
    return args


@functools.cache
def _bwrap_has(option: str) -> bool:
    try:
        return option in subprocess.run(["bwrap", "--help"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        return False


def course_files(site: str) -> list[str]:
    """Entries of a site-packages directory that belong to nablab itself."""
    return sorted({path for pattern in COURSE_FILES for path in glob.glob(os.path.join(glob.escape(site), pattern))
                   if not os.path.islink(path)})


@functools.cache
def detect() -> tuple[str, str]:
    """``(mode, reason)``: :data:`BUBBLEWRAP` if a trial sandbox runs here, else :data:`REDUCED`;
    the reason says what full isolation lacks here (empty when nothing): bubblewrap, a cap on the
    number of processes, or both. Each shortfall is announced once, as a RuntimeWarning; every
    result carries both parts as its isolation label."""
    mode, reason = _bubblewrap()
    cap, no_cap = process_cap()
    return mode, "; ".join(r for r in (reason, no_cap) if r)


def _bubblewrap() -> tuple[str, str]:
    if shutil.which("bwrap") is None:
        reason = "bubblewrap (bwrap) is not installed"
    else:
        probe = bwrap_prefix() + [python_executable(), "-I", "-S", "-c", "import os; os.listdir('/tmp')"]
        try:
            done = subprocess.run(probe, capture_output=True, timeout=30)
            if done.returncode == 0:
                return BUBBLEWRAP, ""
            reason = f"bwrap fails here: {done.stderr.decode(errors='replace').strip()[:200]}"
        except (OSError, subprocess.TimeoutExpired) as err:
            reason = f"bwrap fails here: {err}"
    warnings.warn(f"ISOLATION IS REDUCED: {reason}. Student code runs with process limits only "
                  "(it can read files the grader can read). Install bubblewrap for full isolation.",
                  RuntimeWarning, stacklevel=3)
    return REDUCED, reason


@functools.cache
def process_cap() -> tuple[str | None, str]:
    """``(how, "")`` with how the sandbox's processes are capped (:data:`CGROUP` or :data:`NPROC`),
    or ``(None, why not)``: then a fork bomb is stopped only by the wall-clock limit of the call."""
    from . import cgroup
    ok, why_not = cgroup.available()
    if ok:
        return CGROUP, ""
    if os.geteuid() != 0:
        return NPROC, ""
    why = f"the grader runs as root, which RLIMIT_NPROC does not limit, and {why_not}"
    warnings.warn(f"PROCESSES ARE NOT CAPPED: {why}. A fork bomb is stopped only by the time limit; run the "
                  "grader as an ordinary user or where it may create cgroups.", RuntimeWarning, stacklevel=3)
    return None, f"processes are not capped: {why}"


def python_executable() -> str:
    """The interpreter itself (not the venv's link to it), which the sandbox can see."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    candidate = Path(sys.base_prefix) / "bin" / version
    return str(candidate if candidate.exists() else Path(sys.executable).resolve())


def worker_env() -> dict[str, str]:
    """The worker's whole environment: nothing of the grader's, single-threaded BLAS."""
    env = {"HOME": "/tmp", "PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg", "OPENBLAS_NUM_THREADS": "1",
           "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONHASHSEED": "0"}
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):  # needed by OpenBLAS on some processors
        if name in os.environ:
            env[name] = os.environ[name]
    return env
