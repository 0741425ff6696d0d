"""A stand-in for :class:`~autograder.sandbox.Sandbox` that calls trusted functions in this process.

For our own code only — the reference, the named mistakes and harmless variants in the suites' own
tests, and the in-process baseline of the benchmarks. Never for student code.
"""
from __future__ import annotations

import copy
import importlib

from .runner import StudentFault


class InProcess:
    def __init__(self, namespace: dict, *, harness: str | None = None):
        self.namespace = namespace
        self.harness = importlib.import_module(f"autograder.sandbox.inside.harness.{harness}") if harness else None
        self.part: str | None = None
        self.messages: list[str] = []

    def call(self, fn: str, *args, harness: bool = False, **kwargs):
        return self.call_checked(fn, *args, harness=harness, **kwargs)[0]

    def call_checked(self, fn: str, *args, harness: bool = False, **kwargs):
        args, kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)  # as the wire would copy them
        try:
            if harness:
                return getattr(self.harness, fn)(self.namespace, *args, **kwargs), []
            if fn not in self.namespace:
                raise StudentFault(f"{fn} is not defined in the submission", kind="missing")
            return self.namespace[fn](*args, **kwargs), []
        except NotImplementedError as err:
            raise StudentFault(f"{fn} raised NotImplementedError: {err}", kind="not_implemented") from None
        except (StudentFault, AssertionError):
            raise
        except Exception as err:
            raise StudentFault(f"{fn} raised {type(err).__name__}: {err}", kind="exception") from None

    def close(self) -> None:
        pass
