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


def test_the_grader_never_builds_more_than_max_items_values():
    many = b"[" + b"[]," * (wire.MAX_ITEMS + 1) + b"[]]"
    with pytest.raises(wire.WireError, match="more than"):
        wire.decode(many)
    with pytest.raises(wire.WireError, match="too many values"):
        wire.encode([[i] for i in range(wire.MAX_ITEMS)])
    assert len(wire.decode(wire.encode(list(range(1000))))) == 1000
    assert wire.decode(json.dumps({"cells": ["f(a, b, c)"] * wire.MAX_ITEMS}).encode(), max_items=None)


def test_json_nested_beyond_the_interpreter_is_a_wire_error():
    with pytest.raises(wire.WireError, match="deeply"):
        wire.decode(b"[" * 100_000 + b"]" * 100_000)


def test_arrays_over_the_byte_budget_and_long_names_become_short_markers():
    big = np.zeros(wire.MAX_ARRAY_BYTES // 8 + 1)
    assert "at most 32 MiB" in roundtrip(big)
    halves = roundtrip([np.zeros(wire.MAX_ARRAY_BYTES // 16), np.zeros(wire.MAX_ARRAY_BYTES // 16 + 1)])
    assert isinstance(halves[0], np.ndarray) and isinstance(halves[1], wire.Opaque)
    forged = wire.decode(json.dumps({"$opaque": "X" * 10**6}).encode())
    assert isinstance(forged, wire.Opaque) and len(forged) <= wire.MAX_NAME + 1


def test_zero_dimensional_arrays_keep_their_shape():
    back = roundtrip({"scalar_array": np.array(2.5), "complex": np.complex128(1 + 1j)})
    assert back["scalar_array"].shape == () and back["scalar_array"] == 2.5
    assert back["complex"].shape == () and back["complex"] == 1 + 1j
