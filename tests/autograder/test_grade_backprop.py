"""The backprop suite, judged: the bundled example class scores as its README says when graded through
the real sandbox, every named mistake loses points in its own part and is named, every layer or loss
that changes its caller's arrays in place loses its "leaves its inputs unchanged" check, and the
harness's trusted helpers are the reference's."""
import numpy as np
import pytest

from autograder.batch import grade_class
from autograder.grading import run_suite, suite_path
from autograder.reference import part_points
from autograder.sandbox.inprocess import InProcess
from autograder.sandbox.inside.harness import backprop as harness
from autograder.suites.backprop.mistakes import MISTAKES, SIDE_EFFECTS
from autograder.reference import load
from grading_helpers import EXAMPLE_CLASS, FAST

CLASS = EXAMPLE_CLASS / "backprop"
FULL = part_points("backprop")
LATER = ["relu_forward", "relu_backward", "sigmoid_forward", "sigmoid_backward", "tanh_forward", "tanh_backward",
         "softmax_loss", "mse_loss", "batchnorm_forward", "batchnorm_backward", "conv1d_forward", "conv1d_backward",
         "two_layer_loss", "train_two_layer"]
# student: {part that loses points: (points lost, words its feedback must contain)}; every other part full marks
EXPECTED = {
    "reference": {},
    "different_but_correct": {},
    "untouched": {part: (FULL[part], "not implemented yet") for part in FULL},
    "half_done": {part: (FULL[part], "not implemented yet") for part in LATER},
    "dw_transposed": {"affine_backward": (2.0, "matches dw transposed (doutᵀx instead of xᵀdout)")},
    "softmax_not_averaged": {"softmax_loss": (2.0, "matches softmax-CE not averaged over N")},
    "relu_mask_from_dout": {"relu_backward": (1.0, "matches the ReLU mask taken from the upstream gradient")},
    "batchnorm_no_mean_terms": {"batchnorm_backward": (3.0, "matches batchnorm backward missing the mean terms")},
    "gradient_overwritten": {"backward": (3.0, "matches the gradient overwritten instead of accumulated")},
    "two_bugs": {"conv1d_backward": (3.0, "matches dx correlated with the kernel not flipped"),
                 "train_two_layer": (2.0, "match the same permutation in every epoch")},
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("backprop")
    paths = sorted(p for p in CLASS.iterdir() if p.suffix in (".ipynb", ".py"))
    results = grade_class("backprop", paths, out, jobs=2, limits=FAST)
    return {r.student: r for r in results}, out


def test_suite_points_are_the_notebook_points():
    plugin = run_suite(suite_path("backprop"), InProcess(dict(load("backprop")), harness="backprop"))
    points = {}
    for check in plugin.results:
        points[check.part] = points.get(check.part, 0.0) + check.max_score
        assert check.passed, f"the reference fails {check.name}: {check.output}"
    assert points == FULL and sum(FULL.values()) == 40


def test_every_bundled_student_is_graded(graded):
    results, out = graded
    assert set(results) == set(EXPECTED)
    assert all(r.max_score == 40 for r in results.values())
    assert results["reference"].score == results["different_but_correct"].score == 40
    assert results["untouched"].score == 0 and not results["untouched"].messages


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_student_loses_exactly_the_points_of_its_bugs(graded, student):
    results, out = graded
    result = results[student]
    feedback = (out / "feedback" / f"{student}.md").read_text()
    for part, (score, most) in result.parts().items():
        assert most == FULL[part]
        if part not in EXPECTED[student]:
            assert score == most, f"{student} should keep full marks in {part}: {feedback}"
            continue
        lost, words = EXPECTED[student][part]
        assert most - score == lost, f"{student} should lose {lost} in {part}, lost {most - score}"
        outputs = " ".join(c.output for c in result.checks if c.part == part and not c.passed)
        assert words in outputs and words in feedback


def test_grades_csv_has_a_row_per_student(graded):
    results, out = graded
    text = (out / "grades.csv").read_text()
    assert text.splitlines()[0].startswith("student,relative_error,numeric_gradient,topological_order,")
    assert len(text.splitlines()) == 1 + len(EXPECTED)
    assert "\nreference,1,2,2,4,4,1,2,1,1,1,1,1,1,2,1,2,3,2,3,2,3,40,40," in text


# ----------------------------------------------------------------------------- named mistakes

def mistake_rounds():
    """Every named mistake once, several parts per suite run: the parts are graded independently,
    which these runs also test. A forward pass's mistake runs apart from its backward pass's mistakes,
    since a wrong forward can hand its backward a wrong cache."""
    table = {}
    for part, named in MISTAKES.items():
        backward_part = part.replace("_forward", "_backward")
        offset = len(MISTAKES.get(backward_part, {})) if part.endswith("_forward") else 0
        for i, name in enumerate(named):
            table.setdefault(i + offset, {})[part] = name
    return [table[r] for r in sorted(table)]


ROUNDS = mistake_rounds()


@pytest.mark.parametrize("injected", ROUNDS, ids=[f"round{i}" for i in range(len(ROUNDS))])
def test_named_mistakes_lose_points_in_their_part_and_are_named(injected):
    namespace = {**load("backprop"), **{part: MISTAKES[part][name] for part, name in injected.items()}}
    plugin = run_suite(suite_path("backprop"), InProcess(namespace, harness="backprop"))
    scores = {}
    for check in plugin.results:
        got, most = scores.get(check.part, (0.0, 0.0))
        scores[check.part] = (got + check.score, most + check.max_score)
    for part, name in injected.items():
        assert scores[part][0] < scores[part][1], f"{name} keeps full marks in {part}"
        diagnoses = [c.diagnosis for c in plugin.results if c.part == part]
        assert name in diagnoses, (name, [c.output for c in plugin.results if c.part == part and not c.passed])
    spoiled = {p.replace("_forward", "_backward") for p in injected if p.endswith("_forward")}
    for part, (got, most) in scores.items():
        if part not in injected and part not in spoiled:
            assert got == most, f"{part} lost points to mistakes elsewhere: {injected}"


def test_every_mistake_is_in_a_round():
    assert sum(len(r) for r in ROUNDS) == sum(len(named) for named in MISTAKES.values())
    assert set(MISTAKES) <= set(FULL)


# ----------------------------------------------------------------------------- inputs changed in place

LAYERS_AND_LOSSES = [f"{layer}_{direction}" for layer in ("affine", "relu", "sigmoid", "tanh", "batchnorm", "conv1d")
                     for direction in ("forward", "backward")] + ["softmax_loss", "mse_loss"]


def test_every_layer_and_loss_has_an_inputs_check():
    plugin = run_suite(suite_path("backprop"), InProcess(dict(load("backprop")), harness="backprop"))
    names = {c.name: c.max_score for c in plugin.results}
    for part in LAYERS_AND_LOSSES:
        assert names[f"{part}: leaves its inputs unchanged"] == 0.25
    assert set(SIDE_EFFECTS) <= set(LAYERS_AND_LOSSES)


@pytest.mark.parametrize("part, name", [(part, name) for part, named in SIDE_EFFECTS.items() for name in named])
def test_changing_inputs_in_place_loses_exactly_the_inputs_check(part, name):
    namespace = {**load("backprop"), part: SIDE_EFFECTS[part][name]}
    plugin = run_suite(suite_path("backprop"), InProcess(namespace, harness="backprop"))
    failed = [c for c in plugin.results if not c.passed]
    assert [c.name for c in failed] == [f"{part}: leaves its inputs unchanged"], [c.output for c in failed]
    assert failed[0].diagnosis == name and "in place" in failed[0].output


# ----------------------------------------------------------------------------- the harness's trusted helpers

@pytest.fixture(scope="module")
def ref():
    return load("backprop")


@pytest.mark.parametrize("op, shapes, attrs", [
    ("add", [(3, 4), (4,)], {}), ("add", [(3, 1), (1, 4)], {}), ("mul", [(3, 4), ()], {}), ("mul", [(2, 2), (2, 2)], {}),
    ("matmul", [(3, 5), (5, 2)], {}), ("pow", [(4,)], {"p": 3.0}), ("exp", [(3,)], {}), ("log", [(2, 3)], {}),
    ("tanh", [(3,)], {}), ("relu", [(5,)], {}), ("sum", [(3, 4)], {"axis": None}), ("sum", [(3, 4)], {"axis": 1}),
    ("mean", [(3, 4)], {"axis": 0}), ("mean", [(2, 3, 4)], {"axis": None}),
])
def test_trusted_op_backward_is_the_reference(ref, op, shapes, attrs):
    rng = np.random.default_rng(len(shapes) + len(op))
    inputs = [np.asarray(rng.uniform(0.5, 2.0, size=s)) for s in shapes]
    out = np.asarray(ref["FORWARD"][op](*inputs, **attrs))
    g = np.asarray(rng.normal(size=out.shape))
    expected = ref["op_backward"](op, inputs, out, g, attrs)
    for got, want in zip(harness.op_backward(op, inputs, out, g, attrs), expected):
        np.testing.assert_allclose(got, want, rtol=1e-15)
        assert np.shape(got) == np.shape(want)


def test_trusted_order_layers_and_network_are_the_reference(ref):
    rng = np.random.default_rng(0)
    Node = ref["Node"]
    x, w = Node(rng.normal(size=(2, 3))), Node(rng.normal(size=3))
    loss = ((x * w).tanh() + x * x).sum(axis=1).mean()
    assert harness.topological_order(loss) == ref["topological_order"](loss)
    X, W, b, dout = rng.normal(size=(4, 2, 3)), rng.normal(size=(6, 5)), rng.normal(size=5), rng.normal(size=(4, 5))
    for name, inputs, upstream in (("affine", (X, W, b), dout), ("relu", (rng.normal(size=(3, 4)),), rng.normal(size=(3, 4)))):
        out, cache = harness.LAYERS[f"{name}_forward"](*inputs)
        ref_out, ref_cache = ref[f"{name}_forward"](*inputs)
        np.testing.assert_array_equal(out, ref_out)
        got = harness.LAYERS[f"{name}_backward"](upstream, cache)
        want = ref[f"{name}_backward"](upstream, ref_cache)
        for g, r in zip(got if isinstance(got, tuple) else (got,), want if isinstance(want, tuple) else (want,)):
            np.testing.assert_array_equal(g, r)
    scores, labels = rng.normal(size=(5, 4)), rng.integers(0, 4, size=5)
    assert harness.softmax_loss(scores, labels)[0] == ref["softmax_loss"](scores, labels)[0]
    np.testing.assert_allclose(harness.softmax_loss(scores, labels)[1], ref["softmax_loss"](scores, labels)[1], rtol=1e-15)
    params = {"W1": rng.normal(size=(3, 6)), "b1": rng.normal(size=6), "W2": rng.normal(size=(6, 4)),
              "b2": rng.normal(size=4)}
    Xn, yn = rng.normal(size=(5, 3)), rng.integers(0, 4, size=5)
    got_loss, got_grads = harness.two_layer_loss(params, Xn, yn, reg=0.2)
    want_loss, want_grads = ref["two_layer_loss"](params, Xn, yn, reg=0.2)
    assert got_loss == pytest.approx(want_loss, rel=1e-15)
    for key in params:
        np.testing.assert_allclose(got_grads[key], want_grads[key], rtol=1e-14)


def test_trusted_helpers_are_put_back(ref):
    namespace = {**ref, "two_layer_loss": lambda *a: "student's own"}
    before = dict(namespace)
    with harness.trusted_helpers(namespace, "train_two_layer"):
        assert namespace["two_layer_loss"] is harness.two_layer_loss
    assert namespace == before
