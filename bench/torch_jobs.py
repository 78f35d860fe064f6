"""The benchmark's jobs done with PyTorch (float64), for the side-by-side column of bench/bench.js.

Usage: python3 bench/torch_jobs.py JOB [FILES...] [< input]. Each job reads its numbers as the
actgrad command beside it does (the same files, standard input, one row per line, rows of a
binding separated by ";") and writes the same quantity as plain text, so that PyTorch's time
includes its start-up, reading and writing, as a user would see it. Run only where torch imports.
"""
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def rows(text):
    return [[float(v) for v in line.replace(",", " ").split()] for line in text.splitlines() if line.strip()]


def read_stdin():
    return torch.tensor(rows(sys.stdin.read()))


def read_file(path):
    with open(path) as f:
        text = f.read()
    return torch.tensor(rows(text.replace(";", "\n")))


def read_vector(path):
    return read_file(path).reshape(-1)


def write(t):
    out = sys.stdout
    if t.dim() <= 1:
        out.write(" ".join(repr(v) for v in t.reshape(-1).tolist()) + "\n")
    else:
        for row in t.reshape(-1, t.shape[-1]).tolist():
            out.write(" ".join(repr(v) for v in row) + "\n")


def class_targets(path):
    return read_vector(path).long()


def loss_grad(loss, x, target):
    x.requires_grad_(True)
    loss(x, target).backward()
    write(x.grad)


job, files = sys.argv[1], sys.argv[2:]
if job == "startup":
    x = torch.tensor([2.0, 1.0, 0.1])
    write(torch.autograd.functional.jacobian(lambda v: torch.softmax(v, -1), x))
elif job == "grad_startup":
    x, w, b, y = (torch.tensor(v, requires_grad=True) for v in (1.0, 2.0, 0.0, 1.0))
    F.mse_loss(x * w + b, y).backward()
    for v in (x, w, b, y):
        write(v.grad.reshape(1))
elif job == "sigmoid":
    x = read_stdin().reshape(-1).requires_grad_(True)
    torch.sigmoid(x).sum().backward()
    write(x.grad)
elif job == "softmax_jacobian":
    x = read_stdin().reshape(-1)
    write(torch.autograd.functional.jacobian(lambda v: torch.softmax(v, -1), x))
elif job == "cross_entropy":
    loss_grad(F.cross_entropy, read_stdin(), class_targets(files[0]))
elif job == "nll":
    loss_grad(F.nll_loss, read_stdin(), class_targets(files[0]))
elif job == "mse":
    loss_grad(F.mse_loss, read_stdin(), read_file(files[0]))
elif job == "bce":
    loss_grad(F.binary_cross_entropy, read_stdin(), read_file(files[0]))
elif job == "hessian_cross_entropy":
    x = torch.tensor([float(v) for v in files[1:]])
    target = torch.tensor(int(files[0]))
    write(torch.autograd.functional.hessian(lambda v: F.cross_entropy(v, target), x))
elif job == "hessian_mlp":
    W1, x, b1, W2, b2, y = (read_file(f) for f in files)
    x, b1, b2, y = (v.reshape(-1) for v in (x, b1, b2, y))
    write(torch.autograd.functional.hessian(lambda b: F.mse_loss(W2 @ torch.tanh(W1 @ x + b) + b2, y), b1))
elif job == "matvec_tanh":
    W = read_file(files[0]).requires_grad_(True)
    x = read_vector(files[1]).requires_grad_(True)
    torch.tanh(W @ x).sum().backward()
    sys.stdout.write("# W\n")
    write(W.grad)
    sys.stdout.write("# x\n")
    write(x.grad)
elif job == "conv2d":
    image = read_file(files[0]).requires_grad_(True)
    kernel = read_file(files[1]).requires_grad_(True)
    F.conv2d(image[None, None], kernel[None, None]).sum().backward()
    sys.stdout.write("# x\n")
    write(image.grad)
    sys.stdout.write("# w\n")
    write(kernel.grad)
elif job == "layer_norm":
    x = read_stdin().requires_grad_(True)
    F.layer_norm(x, (x.shape[-1],)).sum().backward()
    write(x.grad)
else:
    sys.exit(f"unknown job {job}")
