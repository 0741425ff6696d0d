"""Run-wide guard: CI (``.ci/run`` sets NABLAB_REQUIRE_BWRAP=1) must test the real sandbox.

Without it, the sandbox and red-team tests that need bubblewrap would skip and a green run would
say nothing about isolation."""
import os

import pytest

from autograder.sandbox import detect_isolation


def pytest_sessionstart(session):
    if os.environ.get("NABLAB_REQUIRE_BWRAP") == "1":
        mode, reason = detect_isolation()
        if mode != "bubblewrap":
            pytest.exit(f"NABLAB_REQUIRE_BWRAP=1 but the sandbox would be '{mode}' "
                        f"({reason}); install bubblewrap (make sandbox)", returncode=1)
