"""Verdicts are remembered per process: the same question answered the same way forks no new child."""
import pytest

from autograder.symbolic import check, check_equivalent
from autograder.symbolic.verdict import Verdict


@pytest.fixture
def forks(monkeypatch):
    """Count the children check_equivalent starts, on an empty memo."""
    check.forget_verdicts()
    calls = []
    real = check.run_isolated

    def counting(job, **kwargs):
        calls.append(kwargs)
        return real(job, **kwargs)

    monkeypatch.setattr(check, "run_isolated", counting)
    return calls


def test_the_same_answer_is_judged_once(S, forks):
    first = check_equivalent("(y - yhat)^2", (S["yhat"] - S["y"]) ** 2, symbols=S)
    again = check_equivalent("(y - yhat)^2", (S["yhat"] - S["y"]) ** 2, symbols=S)
    assert first == again and first.correct
    assert len(forks) == 1


@pytest.mark.parametrize("change", [
    dict(answer="(y + yhat)^2"),
    dict(expected="y^2"),
    dict(ignore_additive_constant=True),
    dict(form="expanded"),
    dict(show_expected=False),
    dict(seed=1),
])
def test_anything_the_verdict_depends_on_is_part_of_the_key(S, forks, change):
    base = dict(answer="(y - yhat)^2", expected="(yhat - y)^2")
    check_equivalent(base["answer"], base["expected"], symbols=S)
    call = {**base, **change}
    check_equivalent(call.pop("answer"), call.pop("expected"), symbols=S, **call)
    assert len(forks) == 2


def test_timeouts_are_not_remembered(S, forks, monkeypatch):
    monkeypatch.setattr(check, "run_isolated",
                        lambda job, **kw: forks.append(kw) or Verdict(False, "timeout", "slow"))
    for _ in range(2):
        assert check_equivalent("y", S["y"], symbols=S).kind == "timeout"
    assert len(forks) == 2


def test_a_custom_form_predicate_is_never_remembered(S, forks):
    for _ in range(2):
        check_equivalent("y", S["y"], symbols=S, form=lambda e: True)
    assert len(forks) == 2


def test_the_memo_is_bounded(S, forks, monkeypatch):
    monkeypatch.setattr(check, "MEMO_SIZE", 3)
    for k in range(5):
        check_equivalent(f"y + {k}", S["y"], symbols=S)
    assert len(check._VERDICTS) == 3
