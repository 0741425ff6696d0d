"""Behaviour specific to the templates added for the official NPFL114 exam questions (lectures 1, 3, 4):
the variety the prompts need, the conventions they fix and the slips they name."""
import numpy as np
import pytest

from question_bank.layout import canonical_piece, fmt_values
from question_bank.registry import get


def answer_with(parts, label, piece) -> str:
    return "; ".join(f"{p.label}) {piece if p.label == label else canonical_piece(p)}" for p in parts)


def part(template, variant, label):
    return next(p for p in template.parts(variant) if p.label == label)


def result_of(template, variant, label, piece):
    result = template.check(variant, answer_with(template.parts(variant), label, piece))
    return next(p for p in result.parts if p.label == label)


# --- mlp_softmax_gradients ---------------------------------------------------------------------

def test_mlp_gradients_vary_sizes_and_include_inactive_relu_units():
    from question_bank.templates import mlp_softmax_gradients as mlp
    shapes, inactive = set(), 0
    for seed in range(100):
        v = mlp.generate(seed)
        f = mlp.forward(v)
        assert max(v.d, v.h, v.k) <= 4 and (f["h_in"] != 0).all() and (f["h_in"] > 0).any()
        shapes.add((v.d, v.h, v.k))
        inactive += bool((f["h_in"] < 0).any())
    assert len(shapes) >= 8 and 40 <= inactive <= 90


def test_mlp_gradients_name_the_forgotten_relu_mask_and_the_transposed_matrix():
    from question_bank.templates import mlp_softmax_gradients as mlp
    t = get("mlp_softmax_gradients")
    seed = next(s for s in range(200) if (mlp.forward(mlp.generate(s))["h_in"] < 0).any() and mlp.generate(s).d != mlp.generate(s).h)
    v = mlp.generate(seed)
    nomask = mlp.gradients(v, mask=False)["w1"]
    got = result_of(t, v, "e", fmt_values(nomask.ravel(), (v.d, v.h), 10))
    assert got.diagnosis == "misconception" and "ReLU mask" in got.feedback
    right = mlp.gradients(v)["w1"]
    got = result_of(t, v, "e", fmt_values(right.T.ravel(), (v.h, v.d), 10))
    assert got.diagnosis == "transposed"
    got = result_of(t, v, "b", fmt_values(-mlp.gradients(v)["b2"], (v.k,), 10))
    assert got.diagnosis == "misconception" and "o - 1_g" in got.feedback


# --- dropout -------------------------------------------------------------------------------------

def test_dropout_states_the_probability_both_ways_and_computes_its_true_false_items():
    from question_bank.templates import dropout
    t = get("dropout")
    stated, truths = set(), set()
    for seed in range(60):
        v = dropout.generate(seed)
        stated.add(v.stated_as)
        text = t.render(v)
        assert ("keep probability $1 - p =" in text) == (v.stated_as == "keep")
        e, f = part(t, v, "e"), part(t, v, "f")
        assert e.truth == (abs(dropout.claimed(v) * (1 - v.rate) - 1) < 1e-9)
        assert f.truth == ((len(v.mask) - sum(v.mask)) == round(v.rate * len(v.mask), 6))
        truths.add((e.truth, f.truth))
    assert stated == {"rate", "keep"} and len(truths) >= 3


def test_dropout_names_the_missing_rescaling_and_the_mask_at_inference():
    from question_bank.templates import dropout
    t = get("dropout")
    v = dropout.generate(5)
    h, m = np.asarray(v.h), np.asarray(v.mask)
    got = result_of(t, v, "a", fmt_values(h * m, (len(h),), 10))
    assert got.diagnosis == "misconception" and "rescales at training" in got.feedback
    got = result_of(t, v, "b", fmt_values(h * m / (1 - v.rate), (len(h),), 10))
    assert got.diagnosis == "misconception" and "switched off" in got.feedback
    got = result_of(t, v, "c", fmt_values(h, (len(h),), 10))
    assert got.diagnosis == "misconception" and "keep probability" in got.feedback


# --- label_smoothing -----------------------------------------------------------------------------

def test_label_smoothing_names_the_unsmoothed_target_and_the_k_minus_1_convention():
    from question_bank.templates import label_smoothing as ls
    t = get("label_smoothing")
    for seed in range(6):
        v = ls.generate(seed)
        k = len(v.z)
        onehot = np.eye(k)[v.gold]
        got = result_of(t, v, "c", fmt_values(ls.softmax(v.z) - onehot, (k,), 10))
        assert got.diagnosis == "misconception" and "not softmax(z) - 1_g" in got.feedback
        other = (1 - v.alpha) * onehot + v.alpha / (k - 1) * (1 - onehot)
        got = result_of(t, v, "a", fmt_values(other, (k,), 10))
        assert got.diagnosis == "misconception" and "K - 1" in got.feedback
        got = result_of(t, v, "f", fmt_values([ls.sigmoid(v.zb) - v.gb], (), 10))
        assert got.diagnosis == "misconception"
    assert {ls.generate(s).gb for s in range(20)} == {0, 1}


# --- mlp_forward ---------------------------------------------------------------------------------

def test_mlp_forward_covers_every_hidden_and_output_activation_and_names_the_slips():
    from question_bank.templates import mlp_forward
    t = get("mlp_forward")
    seen = set()
    for seed in range(80):
        v = mlp_forward.generate(seed)
        seen.add((v.hidden, v.output, v.dist))
        assert (part(t, v, "d").shape == ()) == (v.k == 1)
    assert {h for h, _, _ in seen} == {"sigmoid", "tanh", "relu"}
    assert {o for _, o, _ in seen} == {"softmax", "sigmoid", "identity"} and {d for *_, d in seen} == {"Bernoulli", "categorical"}
    v = mlp_forward.generate(2)
    d, h, k = v.big
    got = result_of(t, v, "b", str(d * h + h * k))
    assert got.diagnosis == "misconception" and "biases" in got.feedback
    got = result_of(t, v, "c", fmt_values(mlp_forward.forward(v)["pre"], (v.h,), 10))
    assert got.diagnosis == "misconception" and "apply the hidden activation" in got.feedback


# --- batchnorm_inference -------------------------------------------------------------------------

def test_batchnorm_inference_names_batch_statistics_at_inference_and_the_unbiased_variance():
    from question_bank.templates import batchnorm_inference as bn
    t = get("batchnorm_inference")
    layers = set()
    for seed in range(8):
        v = bn.generate(seed)
        layers.add(v.layer)
        s = bn.statistics(v)
        got = result_of(t, v, "f", fmt_values(bn.normalize(v.x_new, s["mu"], s["var"], v.gamma, v.beta), (bn.F,), 10))
        assert got.diagnosis == "misconception" and "running statistics" in got.feedback
        got = result_of(t, v, "b", fmt_values(s["var"] * v.n / (v.n - 1), (bn.F,), 10))
        assert got.diagnosis == "misconception" and "biased variance" in got.feedback
        got = result_of(t, v, "h", str(4 * v.layer_shape[-1]))
        assert got.diagnosis == "misconception" and "not trained" in got.feedback
    assert layers == {"dense", "conv"}
