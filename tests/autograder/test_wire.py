"""The plain-data wire: what may cross the sandbox boundary, and what is refused."""
import base64
import json

import numpy as np
import pytest
import sympy

from autograder.sandbox.inside import wire


def roundtrip(value):
    return wire.decode(wire.encode(value))


def test_arrays_tuples_dicts_and_scalars_roundtrip():
    value = {"w": np.arange(6.0).reshape(2, 3), "t": 3, "pair": (np.float64(1.5), [True, None, "x"]),
             "ints": np.array([1, 2], dtype=np.int32), "c": np.array([1 + 2j]), "nan": float("nan")}
    back = roundtrip(value)
    np.testing.assert_array_equal(back["w"], value["w"])
    assert back["w"].dtype == np.float64 and back["ints"].dtype == np.int32
    assert back["pair"] == (1.5, [True, None, "x"]) and type(back["pair"][0]) is float
    assert back["c"][0] == 1 + 2j and np.isnan(back["nan"]) and back["t"] == 3


def test_ndarray_subclass_crosses_as_a_plain_array():
    class Agreeable(np.ndarray):
        def __eq__(self, other):
            return True
    back = roundtrip(np.zeros(3).view(Agreeable))
    assert type(back) is np.ndarray


def test_objects_and_object_arrays_become_opaque_markers():
    class Liar:
        def __eq__(self, other):
            return True
    back = roundtrip([Liar(), np.array([object()]), {1: 2}, lambda: 0])
    assert all(isinstance(b, wire.Opaque) for b in back)
    assert back[0] == "Liar" and "dtype object" in back[1]


def test_sympy_crosses_as_srepr_text():
    x = sympy.Symbol("x", positive=True)
    back = roundtrip(sympy.log(x) / 2)
    assert isinstance(back, wire.SreprText) and back == sympy.srepr(sympy.log(x) / 2)


@pytest.mark.parametrize("payload, problem", [
    ({"$nd": base64.b64encode(b"\0" * 8).decode(), "dtype": "|O", "shape": [1]}, "not allowed"),
    ({"$nd": base64.b64encode(b"\0" * 8).decode(), "dtype": "<f8", "shape": [2]}, "does not match"),
    ({"$nd": "not base64!", "dtype": "<f8", "shape": [1]}, "malformed"),
    ({"$nd": "", "dtype": "[('a', '<f8')]", "shape": [0]}, "malformed|not allowed"),
])
def test_decode_refuses_forged_arrays(payload, problem):
    with pytest.raises(wire.WireError, match=problem):
        wire.decode(json.dumps(payload).encode())


def test_decode_refuses_non_json_and_deep_nesting():
    with pytest.raises(wire.WireError):
        wire.decode(b"\x80not json")
    deep = "[" * 200 + "]" * 200
    with pytest.raises(wire.WireError, match="deeply"):
        wire.decode(deep.encode())
