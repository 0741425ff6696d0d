"""How student code is isolated: bubblewrap where it runs, process limits alone where it does not.

With bubblewrap the worker sees a read-only view of Python, the installed packages and the worker's
own code, a private /tmp, no network, no other process, and nothing of the course: no hidden suites,
no reference solutions, no other submissions, no results or gradebook. It runs as user 65534.
"""
from __future__ import annotations

import functools
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


def site_dirs() -> list[str]:
    """Where numpy, sympy and matplotlib live, for the worker's sys.path."""
    dirs = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    return sorted(d for d in dirs if Path(d).is_dir())


def bwrap_prefix() -> list[str]:
    """The bubblewrap command line that wraps the worker's python."""
    python_home = Path(sys.base_prefix).resolve()
    args = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session",
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
    args += ["--ro-bind", str(INSIDE), SANDBOX_CODE]
    return args


@functools.cache
def detect() -> tuple[str, str]:
    """``(mode, reason)``: ``"bubblewrap"`` if a trial sandbox runs here, else the reduced mode
    with the reason, announced once on stderr."""
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
                  RuntimeWarning, stacklevel=2)
    return REDUCED, reason


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
