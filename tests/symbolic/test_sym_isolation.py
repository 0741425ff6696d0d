"""Hard limits: slow, hungry or crashing checks are stopped, never waited for."""

import multiprocessing
import os
import time

import pytest
import sympy

from autograder.symbolic import Verdict, check_equivalent
from autograder.symbolic.isolation import run_isolated

BOUND = 30.0  # generous "returned at all" bound for a loaded 2-core machine


def returns_within(seconds, call):
    start = time.monotonic()
    result = call()
    assert time.monotonic() - start < seconds, f"took too long: {result}"
    return result


def spin(report):
    while True:
        pass


def test_a_spinning_check_is_killed():
    verdict = returns_within(BOUND, lambda: run_isolated(spin, timeout=0.5))
    assert verdict.kind == "timeout" and not verdict.correct
    assert no_children_left()


def test_the_best_verdict_so_far_survives_a_timeout():
    def job(report):
        report(Verdict(True, "equivalent", "Correct.", "numeric"), False)
        spin(report)

    verdict = returns_within(BOUND, lambda: run_isolated(job, timeout=0.5))
    assert verdict == Verdict(True, "equivalent", "Correct.", "numeric")


def test_a_sleeping_check_hits_the_wall_clock_cap():
    verdict = returns_within(BOUND, lambda: run_isolated(lambda report: time.sleep(60),
                                                         timeout=0.2, wall_timeout=0.5))
    assert verdict.kind == "timeout"


def test_memory_blowup_ends_in_a_verdict():
    def hog(report):
        blocks = []
        while True:
            blocks.append(bytearray(1 << 26))

    verdict = returns_within(BOUND, lambda: run_isolated(hog, timeout=10))
    assert verdict.kind == "timeout" and "memory" in verdict.feedback


def test_a_crashing_check_is_an_error_not_a_wrong_answer():
    def boom(report):
        raise KeyError("bug")

    assert run_isolated(boom, timeout=5).kind == "error"
    assert run_isolated(lambda report: os._exit(3), timeout=5).kind == "error"
    assert run_isolated(lambda report: os.kill(os.getpid(), 9), timeout=5).kind == "error"


def test_checks_run_inside_daemonic_pool_workers(S):
    """multiprocessing forbids daemon processes to have children; os.fork does not."""
    context = multiprocessing.get_context("fork")
    with context.Pool(1) as pool:
        verdict = pool.apply(check_equivalent, ("2x", S["x"] * 2), {"symbols": dict(S)})
    assert verdict.correct


def no_children_left():
    """No child of this process remains, not even a zombie."""
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.mark.parametrize("text", [
    "9**9**9**9", "x**(10**10)", "factorial(10**6)", "(" * 300 + "x" + ")" * 300,
    "+".join(["x"] * 10_000), "exp(exp(exp(exp(exp(exp(x))))))",
    "(x+y+w+theta+sigma+beta)^100 - (x+y+w+theta+sigma+beta)^99*(x+y+w+theta+sigma+beta)",
    "Sum(Sum(x^i*y^t, (i, 1, 1000)), (t, 1, 1000))",
])
def test_hostile_typed_answers_return_promptly(S, text):
    verdict = returns_within(BOUND, lambda: check_equivalent(text, S["x"], symbols=S,
                                                             timeout=1.0))
    assert verdict.kind != "error", verdict
    assert not verdict.correct


def test_expensive_sympy_objects_time_out_cleanly(S):
    x, y = S["x"], S["y"]
    huge = sympy.Add(*[x**k * y ** (k % 7) / (k + 1) for k in range(3000)])
    verdict = returns_within(BOUND, lambda: check_equivalent(huge, x, timeout=0.5))
    assert verdict.kind in ("timeout", "wrong")
    assert no_children_left()


def test_towers_that_overflow_get_a_verdict_not_a_checker_error(S):
    """mpmath raises OverflowError on x^x^x^x^x^x at most sample points: undefined there, not a bug."""
    verdict = returns_within(BOUND, lambda: check_equivalent("x^x^x^x^x^x", S["x"] ** 2, symbols=S))
    assert verdict.kind != "error", verdict
    assert not verdict.correct
