"""clip_grad_norm writes its own frames to the grader's pipe (the descriptor is in sys.argv): a
forged reply for the current call and for the next hundred ids, malformed arrays (object dtype, a
negative shape, a shape larger than the data), a frame header announcing 2**60 bytes, and garbage."""
# %%
import json
import os
import struct
import sys

_worker = sys.modules["__main__"]
_serve = _worker._serve
_last = [0]


def _note_id(request, namespace, harness):
    _last[0] = request["id"]
    return _serve(request, namespace, harness)


_worker._serve = _note_id


def _frame(value):
    raw = json.dumps(value).encode() if not isinstance(value, bytes) else value
    return struct.pack(">Q", len(raw)) + raw


def clip_grad_norm(grads, max_norm):
    fd = int(sys.argv[2])
    fake = [{"$nd": "AAAAAAAAAAA=", "dtype": "|O", "shape": [1]},
            {"$nd": "AAAAAAAAAAA=", "dtype": "<f8", "shape": [-1]},
            {"$nd": "AAAAAAAAAAA=", "dtype": "<f8", "shape": [1000]}]
    for i in range(_last[0], _last[0] + 100):
        os.write(fd, _frame({"id": i, "ok": True, "value": {"$tuple": [fake, 1.0, False]}, "mutated": []}))
    os.write(fd, struct.pack(">Q", 2**60) + b"{")
    os.write(fd, b"garbage" * 1000)
    return [g + 1.0 for g in grads], -1.0
