"""The process that runs a student's code, inside the sandbox.

    python -I -S worker.py REQUEST_FD RESPONSE_FD SITE_DIR...

Protocol (framed messages, see wire.py), parent -> worker first:
    {"cells": [source, ...], "skip": [index, ...], "harness": "optimizers" | None,
     "nproc": RLIMIT_NPROC to set before any student code runs | None}
worker -> parent while loading: {"event": "cell", "index": i} before each cell,
    {"event": "cell_error", "index": i, "error": "..."} after a failing one, then
    {"event": "ready", "names": [...]}.
Then per call: {"id": n, "fn": name, "harness": bool, "args": [...], "kwargs": {...}} ->
    {"id": n, "ok": true, "value": ..., "mutated": [argument positions]} or
    {"id": n, "ok": false, "error": "ValueError: ...", "not_implemented": bool}.
Everything here is trusted code in an untrusted process: a student can tamper with it, but can only
change what *their own* answers look like; verdicts are computed by the grader outside.
"""
import linecache
import os
import sys
import traceback


def main():
    request_fd, response_fd = int(sys.argv[1]), int(sys.argv[2])
    sys.path[:0] = [os.path.dirname(os.path.abspath(__file__))] + sys.argv[3:]
    import numpy as np  # noqa: F401  (student code expects it importable and warm)
    import wire

    requests = os.fdopen(request_fd, "rb", buffering=0)
    responses = os.fdopen(response_fd, "wb")
    init = wire.decode(wire.read_frame(requests), max_items=None)
    if init.get("nproc"):
        import resource
        resource.setrlimit(resource.RLIMIT_NPROC, (init["nproc"], init["nproc"]))
    namespace = Namespace(__name__="__main__", __builtins__=__builtins__)
    for index, source in enumerate(init["cells"]):
        if index in init["skip"]:
            continue
        wire.write_message(responses, {"event": "cell", "index": index})
        filename = f"<cell {index}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        try:
            exec(compile(source, filename, "exec"), namespace)
        except BaseException as err:  # noqa: BLE001 - SystemExit, KeyboardInterrupt, pytest outcomes too
            wire.write_message(responses, {"event": "cell_error", "index": index,
                                           "error": _describe(err, f"<cell {index}>")})
    harness = None
    if init.get("harness"):
        import importlib
        harness = importlib.import_module(f"harness.{init['harness']}")
    names = sorted(k for k, v in namespace.items() if callable(v) and not k.startswith("_"))
    wire.write_message(responses, {"event": "ready", "names": names})
    while True:
        try:
            request = wire.decode(wire.read_frame(requests), max_items=None)
        except EOFError:
            return
        reply = _serve(request, namespace, harness)
        try:
            payload = wire.encode(reply)
        except BaseException as err:  # noqa: BLE001 - e.g. MemoryError for a huge result
            payload = wire.encode({"id": request["id"], "ok": False,
                                   "error": f"the return value cannot be sent to the grader: {_describe(err, '<cell')}"})
        responses.write(wire.frame(payload))
        responses.flush()


class Missing(KeyError):
    """A harness asked for a function the submission does not define."""


class Namespace(dict):
    def __missing__(self, name):
        raise Missing(name)


def _serve(request, namespace, harness):
    import numpy as np
    reply = {"id": request["id"]}
    try:
        if request["harness"]:
            fn = getattr(harness, request["fn"])
            args = [namespace] + list(request["args"])
        else:
            fn = namespace.get(request["fn"])
            if not callable(fn):
                return {**reply, "ok": False, "missing": True,
                        "error": f"{request['fn']} is not defined in the submission"}
            args = list(request["args"])
        before = [a.copy() if isinstance(a, np.ndarray) else None for a in args]
        value = fn(*args, **request["kwargs"])
        mutated = [i for i, (a, b) in enumerate(zip(args, before))
                   if b is not None and not np.array_equal(a, b, equal_nan=True)]
        if request["harness"]:
            mutated = [i - 1 for i in mutated if i > 0]
        return {**reply, "ok": True, "value": value, "mutated": mutated}
    except Missing as err:
        return {**reply, "ok": False, "missing": True, "error": f"{err.args[0]} is not defined in the submission"}
    except BaseException as err:  # noqa: BLE001 - the student's exception becomes a message
        return {**reply, "ok": False, "error": _describe(err, "<cell"),
                "not_implemented": isinstance(err, NotImplementedError)}


def _describe(err, marker):
    """'ValueError: msg' plus the student's own frames (those in notebook cells)."""
    try:
        frames = [f for f in traceback.extract_tb(err.__traceback__) if f.filename.startswith(marker[:5])]
        where = "".join(f"\n  {f.filename}, line {f.lineno}, in {f.name}: {f.line}" for f in frames[-3:])
        text = f"{type(err).__name__}: {err}"
    except BaseException:  # noqa: BLE001 - a student's exception whose __str__ itself raises
        where, text = "", f"{type(err).__name__} (its message could not be shown)"
    return (text[:2000] + where)[:4000]


if __name__ == "__main__":
    main()
