"""A stand-in for :class:`~autograder.sandbox.Sandbox` that calls trusted functions in this process.

For our own code only — the reference, the named mistakes and harmless variants in the suites' own
tests, and the in-process baseline of the benchmarks. Never for student code. Results still go
through the wire format, so they arrive exactly as from the sandbox (sympy as ``SreprText``).
"""
from __future__ import annotations

import copy
import importlib

import numpy as np

from .inside import wire
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
        before = [a.copy() if isinstance(a, np.ndarray) else None for a in args]
        try:
            with np.errstate(all="ignore"):
                if harness:
                    value = getattr(self.harness, fn)(self.namespace, *args, **kwargs)
                elif fn not in self.namespace:
                    raise StudentFault(f"{fn} is not defined in the submission", kind="missing")
                else:
                    value = self.namespace[fn](*args, **kwargs)
        except NotImplementedError as err:
            raise StudentFault(f"{fn} raised NotImplementedError: {err}", kind="not_implemented") from None
        except (StudentFault, AssertionError):
            raise
        except Exception as err:
            raise StudentFault(f"{fn} raised {type(err).__name__}: {err}", kind="exception",
                               error_type=type(err).__name__) from None
        mutated = [i for i, (a, b) in enumerate(zip(args, before))
                   if b is not None and not np.array_equal(a, b, equal_nan=True)]
        return wire.decode(wire.encode(value)), mutated

    def close(self) -> None:
        pass
