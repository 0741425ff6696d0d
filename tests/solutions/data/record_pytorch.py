"""Record torch.optim trajectories and torch.nn.utils.clip_grad_norm_ into pytorch_optimizers.json.

Not run by the tests (the project does not depend on PyTorch): run once by hand in an environment
with torch, and commit the JSON it writes beside this file.

    python -m venv /tmp/torch && /tmp/torch/bin/pip install torch numpy
    /tmp/torch/bin/python tests/solutions/data/record_pytorch.py

Each case holds its own inputs (w0, the gradient stream, the hyperparameters in PyTorch's names)
and the parameters after every step, in float64, so a test replays the same gradients through our
reference and compares trajectories of w.
"""
import json
from pathlib import Path

import numpy as np
import torch

STEPS = 12
SHAPE = (3, 2)

CASES = {
    "sgd_momentum": (torch.optim.SGD, {"lr": 0.05, "momentum": 0.9}),
    "nesterov": (torch.optim.SGD, {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    "adagrad": (torch.optim.Adagrad, {"lr": 0.1, "eps": 1e-8}),
    "rmsprop": (torch.optim.RMSprop, {"lr": 0.01, "alpha": 0.99, "eps": 1e-8}),
    "adam": (torch.optim.Adam, {"lr": 0.01, "betas": (0.9, 0.999), "eps": 1e-8}),
    "adamw": (torch.optim.AdamW, {"lr": 0.01, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.1}),
}


def trajectory(optimizer, options, w0, grads):
    w = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
    opt = optimizer([w], **options)
    steps = []
    for g in grads:
        w.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        steps.append(w.detach().numpy().tolist())
    return steps


def main():
    rng = np.random.default_rng(2026)
    out = {"_source": f"torch {torch.__version__}, torch.optim and torch.nn.utils.clip_grad_norm_, "
                      "float64, recorded by record_pytorch.py", "optimizers": {}, "clip_grad_norm": []}
    for name, (optimizer, options) in CASES.items():
        w0 = rng.normal(size=SHAPE)
        grads = rng.normal(size=(STEPS, *SHAPE))
        out["optimizers"][name] = {"torch": optimizer.__name__, "options": options, "w0": w0.tolist(),
                                   "grads": grads.tolist(), "w": trajectory(optimizer, options, w0, grads)}
    for max_norm in (0.5, 3.0, 100.0):
        grads = [rng.normal(size=(2, 3)), rng.normal(size=4), rng.normal(size=(1,))]
        tensors = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
        for t, g in zip(tensors, grads):
            t.grad = torch.tensor(g, dtype=torch.float64)
        total = torch.nn.utils.clip_grad_norm_(tensors, max_norm)
        out["clip_grad_norm"].append({"max_norm": max_norm, "grads": [g.tolist() for g in grads],
                                      "total_norm": float(total),
                                      "clipped": [t.grad.numpy().tolist() for t in tensors]})
    path = Path(__file__).with_name("pytorch_optimizers.json")
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
