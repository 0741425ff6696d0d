"""Shared symbols for the symbolic-engine tests: the course's notation with its domains."""

import pytest
import sympy

from autograder.symbolic import symbols_for


@pytest.fixture(scope="session")
def S():
    """sigma > 0, 0 < beta < 1, t a positive integer, y/yhat/theta/x real, ..."""
    return symbols_for({"lambda": "positive"}, sigma="positive", beta="unit", t="count",
                       y="real", yhat="real", theta="real", x="real", alpha="positive",
                       g0="positive", epsilon="positive", m="count", i="integer", w="real")


@pytest.fixture(scope="session")
def nll(S):
    """Gaussian NLL of one observation: (y - yhat)^2/(2 sigma^2) + log(2 pi sigma^2)/2."""
    y, yhat, sigma = S["y"], S["yhat"], S["sigma"]
    return (y - yhat) ** 2 / (2 * sigma**2) + sympy.log(2 * sympy.pi * sigma**2) / 2
