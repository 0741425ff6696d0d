"""Trusted helpers that a suite calls inside the sandbox (``student.harness(name, ...)``), one module per assignment."""
