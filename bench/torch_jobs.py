"""The benchmark's jobs done with PyTorch (float64), for the side-by-side column of bench/bench.js.

Usage: python3 bench/torch_jobs.py JOB < input, with JOB one of startup, sigmoid,
softmax_jacobian, cross_entropy_10000. Reads numbers like actgrad does and writes the same
quantity as plain text. Run only where python3 can import torch.
"""
import sys

import torch

torch.set_default_dtype(torch.float64)


def read_rows():
    return [[float(v) for v in line.replace(",", " ").split()] for line in sys.stdin if line.strip()]


def write(t):
    out = sys.stdout
    if t.dim() == 1:
        out.write(" ".join(repr(v) for v in t.tolist()) + "\n")
    else:
        for row in t.tolist():
            out.write(" ".join(repr(v) for v in row) + "\n")


job = sys.argv[1]
if job == "startup":
    x = torch.tensor([2.0, 1.0, 0.1])
    write(torch.autograd.functional.jacobian(lambda v: torch.softmax(v, -1), x))
elif job == "sigmoid":
    x = torch.tensor([r[0] for r in read_rows()], requires_grad=True)
    torch.sigmoid(x).sum().backward()
    write(x.grad)
elif job == "softmax_jacobian":
    x = torch.tensor(read_rows()[0])
    write(torch.autograd.functional.jacobian(lambda v: torch.softmax(v, -1), x))
elif job == "cross_entropy_10000":
    x = torch.tensor(read_rows(), requires_grad=True)
    target = torch.arange(x.shape[0]) % x.shape[1]
    torch.nn.functional.cross_entropy(x, target).backward()
    write(x.grad)
else:
    sys.exit(f"unknown job {job}")
