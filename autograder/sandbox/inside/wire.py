"""Plain data across the sandbox boundary: JSON with tagged numpy arrays, tuples and sympy text.

Used on both sides. ``encode`` (inside) turns a student's return value into bytes; anything that
is not plain data becomes an ``{"$opaque": type name}`` marker, so no student object, class or
behaviour ever reaches the grader. ``decode`` (outside) accepts only these shapes:

    None, bool, int, float (NaN/inf allowed), str, list, dict with str keys,
    {"$tuple": [...]}, {"$nd": base64, "dtype": "<f8", "shape": [2, 3]} (dtype kinds b i u f c),
    {"$sympy": srepr text} -> SreprText, {"$opaque": "type name"} -> Opaque

Messages are framed as an 8-byte big-endian length followed by UTF-8 JSON. What the grader reads
is also bounded in items (JSON values outside arrays), so that 64 MiB of ``[[],[],…]`` cannot make it
build millions of Python objects; arrays travel as one string and cost nothing there.
"""
import base64
import json
import struct

import numpy as np

MAX_MESSAGE = 64 * 2**20
MAX_DEPTH = 32
MAX_ITEMS = 200_000
MAX_ARRAY_BYTES = 32 * 2**20  # of all arrays in one message together
MAX_NAME = 200  # characters of an opaque type name
ARRAY_KINDS = "biufc"


class WireError(ValueError):
    """A message that is not plain data of the allowed shapes."""


class SreprText(str):
    """A sympy expression as ``srepr`` text; the grader reads it with the allow-list reader."""


class Opaque(str):
    """Marks a value that could not cross: the text is its type name."""


def encode(value, max_items: int | None = MAX_ITEMS) -> bytes:
    """Raises :class:`WireError` for more than ``max_items`` values outside arrays."""
    budget = {"items": max_items if max_items is not None else float("inf"), "bytes": MAX_ARRAY_BYTES}
    return json.dumps(_to_plain(value, 0, budget), allow_nan=True).encode("utf-8")


def _to_plain(value, depth, budget):
    budget["items"] -= 1
    if budget["items"] < 0:
        raise WireError("too many values (many numbers belong in a numpy array)")
    if depth > MAX_DEPTH:
        return {"$opaque": "structure nested too deeply"}
    if value is None or type(value) in (bool, int, float, str):
        return value
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        array = np.asarray(value)
        if array.dtype.kind not in ARRAY_KINDS:
            return {"$opaque": f"array of dtype {array.dtype}"}
        budget["bytes"] -= array.nbytes
        if budget["bytes"] < 0:
            return {"$opaque": f"array of {array.nbytes / 2**20:.0f} MiB (at most "
                               f"{MAX_ARRAY_BYTES / 2**20:.0f} MiB of arrays can be returned)"}
        if isinstance(value, np.generic) and array.dtype.kind in "biuf":
            return array.item()
        array = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<")).reshape(array.shape)
        return {"$nd": base64.b64encode(array.tobytes()).decode("ascii"),
                "dtype": array.dtype.str, "shape": list(array.shape)}
    if type(value) in (list, tuple):
        items = [_to_plain(v, depth + 1, budget) for v in value]
        return items if type(value) is list else {"$tuple": items}
    if type(value) is dict:
        if not all(type(k) is str for k in value):
            return {"$opaque": "dict with non-string keys"}
        return {k: _to_plain(v, depth + 1, budget) for k, v in value.items()}
    module = type(value).__module__ or ""
    if module.startswith("sympy"):
        from sympy import srepr
        return {"$sympy": srepr(value)}
    return {"$opaque": type(value).__name__}


def decode(data: bytes, max_items: int | None = MAX_ITEMS):
    """The grader's reader of the worker's messages (the worker reads the grader's with
    ``max_items=None``: notebook cells are text full of commas)."""
    if len(data) > MAX_MESSAGE:
        raise WireError(f"message of {len(data)} bytes is larger than {MAX_MESSAGE}")
    # Every list item or dict entry needs a comma or an opening bracket (base64 has neither): an
    # upper bound of the values, counted before json builds any of them.
    if max_items is not None and data.count(b",") + data.count(b"[") + data.count(b"{") > max_items + 1:
        raise WireError(f"more than {max_items} values")
    try:
        plain = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise WireError(f"not JSON: {err}") from None
    except RecursionError:
        raise WireError("structure nested too deeply") from None
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
        name = value["$opaque"]
        return Opaque(name if len(name) <= MAX_NAME else name[:MAX_NAME] + "…")
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


def frame(payload: bytes) -> bytes:
    return struct.pack(">Q", len(payload)) + payload


def write_message(stream, value) -> None:
    stream.write(frame(encode(value)))
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
