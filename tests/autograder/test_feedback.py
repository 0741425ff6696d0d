"""Feedback pages, through the real grader: a wrong answer that matches no named mistake says where it
first differed (got / expected), a trajectory mistake comes with a plot of the student's path next to
the reference's, linked from the page and written as a PNG, and a named mistake is named."""
import re

import nbformat
import pytest

from autograder.batch import grade_class
from grading_helpers import EXAMPLE_CLASS, FAST

REFERENCE = EXAMPLE_CLASS / "optimizers" / "reference.ipynb"
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+\.png)\)")
PNG = b"\x89PNG\r\n\x1a\n"

# AdaGrad with a decayed cache: no named mistake of the suite, right on the first step only
ADAGRAD_DECAYED_CACHE = '''
def adagrad(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("epsilon", 1e-8)
    cache = config.get("cache", np.zeros_like(w))
    cache = 0.9 * cache + dw**2
    next_w = w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"])
    config["cache"] = cache
    return next_w, config
'''
# momentum as an exponential moving average: a named mistake
MOMENTUM_AS_EMA = '''
def sgd_momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    v = config["momentum"] * v - (1 - config["momentum"]) * config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config
'''
# right values, but the caller's gradient scaled in place
SGD_SCALING_DW = '''
def sgd(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    dw *= config["learning_rate"]
    w -= dw
    return w, config
'''


def hand_in(folder, student, **answers):
    """The reference notebook with the solution cells of ``answers`` (grade_id: source) replaced."""
    nb = nbformat.read(REFERENCE, as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers.pop(grade_id)
    assert not answers, f"no solution cell for {sorted(answers)}"
    path = folder / f"{student}.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def feedback(tmp_path_factory):
    folder, out = tmp_path_factory.mktemp("hand_ins"), tmp_path_factory.mktemp("graded")
    paths = [hand_in(folder, "decayed_cache", adagrad=ADAGRAD_DECAYED_CACHE),
             hand_in(folder, "ema_momentum", sgd_momentum=MOMENTUM_AS_EMA),
             hand_in(folder, "scales_dw", sgd=SGD_SCALING_DW)]
    results = {r.student: r for r in grade_class("optimizers", paths, out, jobs=2, limits=FAST)}
    return results, out / "feedback"


def section(page: str, check: str) -> str:
    """The part of a feedback page about one failed check: from its heading to the next."""
    start = page.index(f"### {check} (")
    end = page.find("\n### ", start + 1)
    return page[start:end if end > 0 else len(page)]


def test_an_unnamed_mistake_says_where_it_first_differed(feedback):
    results, folder = feedback
    page = (folder / "decayed_cache.md").read_text()
    result = results["decayed_cache"]
    assert [p for p, (got, most) in result.parts().items() if got < most] == ["adagrad"]
    text = section(page, "adagrad: cache accumulated over 15 steps")
    assert re.search(r"first differed at step 2: got -?[0-9.e+-]+, expected -?[0-9.e+-]+ at index \(\d+,\)", text), text
    assert "matches" not in text and "**Diagnosis:**" not in text  # nothing to name
    assert "first differed at step 2" in section(page, "adagrad: zero gradients and the defaults")


def test_a_trajectory_mistake_links_a_plot_of_its_path(feedback):
    results, folder = feedback
    page = (folder / "decayed_cache.md").read_text()
    links = IMAGE.findall(section(page, "adagrad: cache accumulated over 15 steps"))
    assert len(links) == 1
    image = folder / links[0]
    assert image.is_file() and image.parent == folder / "decayed_cache"
    assert image.read_bytes()[:8] == PNG and image.stat().st_size > 1000
    assert all((folder / link).is_file() for link in IMAGE.findall(page))


def test_a_named_mistake_is_named(feedback):
    results, folder = feedback
    page = (folder / "ema_momentum.md").read_text()
    name = "momentum as a moving average (v ← μv − (1−μ)γ∇L)"
    text = section(page, "sgd_momentum: velocity carried across 15 steps")
    assert f"your result matches {name}." in text and f"**Diagnosis:** {name}." in text
    assert IMAGE.search(text)  # a trajectory mistake: plotted too
    assert [p for p, (got, most) in results["ema_momentum"].parts().items() if got < most] == ["sgd_momentum"]


def test_changing_the_callers_gradient_is_named(feedback):
    results, folder = feedback
    page = (folder / "scales_dw.md").read_text()
    result = results["scales_dw"]
    assert [c.name for c in result.checks if not c.passed] == ["sgd: leaves the gradient dw and the hyperparameters unchanged"]
    text = section(page, "sgd: leaves the gradient dw and the hyperparameters unchanged")
    assert "changed the caller's gradient dw in place" in text and "Updating w in place is fine" in text
    assert "**Diagnosis:** sgd modifies the caller's gradient dw in place." in text
    assert result.score == result.max_score - 0.25
