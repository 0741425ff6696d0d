"""Plain data across the sandbox boundary: JSON with tagged numpy arrays, tuples and sympy text.

Used on both sides. ``encode`` (inside) turns a student's return value into bytes; anything that
is not plain data becomes an ``{"$opaque": type name}`` marker, so no student object, class or
behaviour ever reaches the grader. ``decode`` (outside) accepts only these shapes:

    None, bool, int, float (NaN/inf allowed), str, list, dict with str keys,
    {"$tuple": [...]}, {"$nd": base64, "dtype": "<f8", "shape": [2, 3]} (dtype kinds b i u f c),
    {"$sympy": srepr text} -> SreprText, {"$opaque": "type name"} -> Opaque

Messages are framed as an 8-byte big-endian length followed by UTF-8 JSON.
"""
import base64
import json
import struct

import numpy as np

MAX_MESSAGE = 64 * 2**20
MAX_DEPTH = 32
ARRAY_KINDS = "biufc"


class WireError(ValueError):
    """A message that is not plain data of the allowed shapes."""


class SreprText(str):
    """A sympy expression as ``srepr`` text; the grader reads it with the allow-list reader."""


class Opaque(str):
    """Marks a value that could not cross: the text is its type name."""


def encode(value) -> bytes:
    return json.dumps(_to_plain(value, 0), allow_nan=True).encode("utf-8")


def _to_plain(value, depth):
    if depth > MAX_DEPTH:
        return {"$opaque": "structure nested too deeply"}
    if value is None or type(value) in (bool, int, float, str):
        return value
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        array = np.asarray(value)
        if array.dtype.kind not in ARRAY_KINDS:
            return {"$opaque": f"array of dtype {array.dtype}"}
        if isinstance(value, np.generic) and array.dtype.kind in "biuf":
            return array.item()
        array = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<"))
        return {"$nd": base64.b64encode(array.tobytes()).decode("ascii"),
                "dtype": array.dtype.str, "shape": list(array.shape)}
    if type(value) in (list, tuple):
        items = [_to_plain(v, depth + 1) for v in value]
        return items if type(value) is list else {"$tuple": items}
    if type(value) is dict:
        if not all(type(k) is str for k in value):
            return {"$opaque": "dict with non-string keys"}
        return {k: _to_plain(v, depth + 1) for k, v in value.items()}
    module = type(value).__module__ or ""
    if module.startswith("sympy"):
        from sympy import srepr
        return {"$sympy": srepr(value)}
    return {"$opaque": type(value).__name__}


def decode(data: bytes):
    if len(data) > MAX_MESSAGE:
        raise WireError(f"message of {len(data)} bytes is larger than {MAX_MESSAGE}")
    try:
        plain = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise WireError(f"not JSON: {err}") from None
    return _from_plain(plain, 0)


def _from_plain(value, depth):
    if depth > MAX_DEPTH + 1:
        raise WireError("structure nested too deeply")
    if value is None or type(value) in (bool, int, float, str):
        return value
    if type(value) is list:
        return [_from_plain(v, depth + 1) for v in value]
    if type(value) is not dict:
        raise WireError(f"unexpected JSON value {type(value).__name__}")
    if "$nd" in value:
        return _array(value)
    if "$tuple" in value and type(value["$tuple"]) is list:
        return tuple(_from_plain(v, depth + 1) for v in value["$tuple"])
    if "$sympy" in value and type(value["$sympy"]) is str:
        return SreprText(value["$sympy"])
    if "$opaque" in value and type(value["$opaque"]) is str:
        return Opaque(value["$opaque"])
    return {str(k): _from_plain(v, depth + 1) for k, v in value.items()}


def _array(value):
    try:
        dtype = np.dtype(str(value["dtype"]))
        shape = tuple(int(n) for n in value["shape"])
        raw = base64.b64decode(str(value["$nd"]), validate=True)
    except (KeyError, TypeError, ValueError) as err:
        raise WireError(f"malformed array: {err}") from None
    if dtype.kind not in ARRAY_KINDS or dtype.fields is not None or dtype.subdtype is not None:
        raise WireError(f"array dtype {dtype} is not allowed")
    if any(n < 0 for n in shape) or int(np.prod(shape, dtype=np.int64)) * dtype.itemsize != len(raw):
        raise WireError("array shape does not match its data")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).astype(dtype.newbyteorder("="))


def write_message(stream, value) -> None:
    payload = encode(value)
    stream.write(struct.pack(">Q", len(payload)) + payload)
    stream.flush()


def read_frame(stream) -> bytes:
    """One framed message; EOFError when the other side is gone."""
    header = _read_exactly(stream, 8)
    (size,) = struct.unpack(">Q", header)
    if size > MAX_MESSAGE:
        raise WireError(f"message of {size} bytes is larger than {MAX_MESSAGE}")
    return _read_exactly(stream, size)


def _read_exactly(stream, size):
    chunks, left = [], size
    while left:
        chunk = stream.read(left)
        if not chunk:
            raise EOFError("the other side closed the channel")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
