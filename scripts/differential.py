#!/usr/bin/env python3
"""Differential test of actgrad against PyTorch's autograd, in float64.

Why this exists: shared/CLI.md promises PyTorch 2.11's numbers: values, gradients, Jacobians,
Hessians and N-th derivatives, kinks and non-finite inputs included. Hand-picked reference cases
cover the points someone thought of. This script draws the points nobody thought of: random
inputs near and exactly at kinks, at the extremes of float64, in batches; random parameter
values; random formulas in the expression language. It compares every number with
torch.autograd and sorts each disagreement into one of these classes:

  BUG          a number differs beyond rtol 1e-9 / atol 1e-12; or actgrad exits 0 with numbers
               where PyTorch raises; or actgrad refuses what PyTorch computes; or it crashes or
               hangs. The report gives the command that reproduces it and the torch snippet.
  VERSION      the installed PyTorch (1.13 in Debian) and PyTorch 2.11 differ here, and actgrad
               gives 2.11's numbers. Each such difference is an entry of VERSION_DIFFS, with its
               source. The script checks the 2.11 numbers too, by re-running the reference with
               a "shim" that implements 2.11's formula.
  DOCUMENTED   actgrad deliberately differs from PyTorch, and says so (README, `explain`,
               docs/dev/pytorch-formulas.md). Each such difference is an entry of DOCUMENTED_DIFFS,
               with a pointer to where it is documented. Again the script checks that actgrad's
               numbers are the documented ones, by a shim.
  ERROR-MATCH  both refuse the input.
  PASS         the numbers agree.

The reference is evaluated in up to three layers, cheapest first:
  L1 = the installed torch + VERSION shims (PyTorch 2.11 as far as we know it): the truth;
  L0 = the installed torch alone (to tell whether a VERSION shim changed anything);
  L2 = L1 + DOCUMENTED shims (actgrad's documented deviations).
actgrad == L1 is PASS (or VERSION when L0 differs); actgrad == L2 != L1 is DOCUMENTED; anything
else is a BUG, reported against L1. So a result that matches 1.13 but not 2.11 is a BUG too.

Numbers are compared with the contract's tolerance, |a - b| <= 1e-12 + 1e-9·|b|; NaN equals NaN
(the JSON string "NaN"), infinities must be equal, -0 equals 0 (no quantity of the contract
depends on the sign of a zero: PyTorch's own kernels disagree on it), and shapes must be equal.
A BUG whose every difference is below 1e-10, or below 1e-11 times the largest magnitude of its
quantity, is labelled "rounding-level": it is still a BUG by the contract's tolerance, but most
likely summation order under cancellation (docs/dev/pytorch-formulas.md §0.1); triage it last.

Run it by hand where PyTorch is installed, from the repository's root (not part of CI):

  /usr/bin/python3 scripts/differential.py --cases 2000 -j 4
  /usr/bin/python3 scripts/differential.py --only hardswish --cases 200 -v
  /usr/bin/python3 scripts/differential.py --kinds formulas --seed 7 --cases 500
  /usr/bin/python3 scripts/differential.py --tables        # the VERSION / DOCUMENTED tables

Options: --seed S (default 1), --cases N (total over the kinds), --only NAME (a function, or an
operation inside formulas), --kinds functions,formulas,second-order, -j N (workers), --cmd
(default `node bin/actgrad.js`), --timeout SECONDS, -v (every BUG and every classified case),
--ids ID,... (re-run cases of a report), --list-cases, --tables.
Exit status 1 when a BUG is found, 0 otherwise, 2 on a usage error.

The run is deterministic given the seed (and --cases/--only/--kinds): every case draws from its own
random.Random seeded with (seed, kind, index), so workers and their order change nothing.
"""
from __future__ import annotations

import argparse
import collections
import concurrent.futures as cf
import dataclasses
import json
import math
import os
import random
import re
import shlex
import struct
import subprocess
import sys
import textwrap
import traceback
import warnings

RTOL = 1e-9
ATOL = 1e-12
TINY = 1e-10       # a BUG whose every difference is below TINY, or below TINY_REL times the largest
TINY_REL = 1e-11   # magnitude of its quantity, is flagged "rounding-level" (cancellation?): still a BUG
F32_ONE_SIXTH = 0.1666666716337204  # float32(1/6), hardsigmoid_backward's constant (formulas §0.2)
DBL_EPSILON = 2.220446049250313e-16

# --------------------------------------------------------------------------------------------
# The tables of known differences. Each entry names the functions it concerns, what differs, and
# where that is written down. The shims below (make_shims) implement them; an entry whose shim
# changed a result of a case is named in that case's classification.
# --------------------------------------------------------------------------------------------

FORMULAS = "docs/dev/pytorch-formulas.md"

VERSION_DIFFS = {
    "hardswish-kinks": dict(
        functions=["hardswish"],
        what="hardswish'(-3) = 0 and hardswish'(3) = 1 in 2.11 (x <= -3 ? 0 : x < 3 ? x/3 + 1/2 : 1); "
             "1.13 gives -0.5 and 1.5. The double backward's mask is -3 < x < 3.",
        source=f"{FORMULAS} §1.16; shared/reference/README.md (kink values)"),
    "prelu-double-backward": dict(
        functions=["prelu"],
        what="2.11's _prelu_kernel_backward double backward masks x >= 0 (first order: x > 0), so "
             "the mixed partial d2/dx dweight at x = 0 is 0; 1.13 gives 1.",
        source=f"{FORMULAS} §1.7 (derivatives.yaml _prelu_kernel_backward)"),
    "hardtanh-check": dict(
        functions=["hardtanh"],
        what="2.11 raises ValueError 'min_val cannot be greater than max_val'; 1.13 clamps.",
        source=f"{FORMULAS} §1.5 (PR #121627, 2024)"),
    "triplet-margin-check": dict(
        functions=["triplet_margin_loss"],
        what="2.11 raises ValueError 'margin must be greater than 0' for margin <= 0; 1.13 computes.",
        source=f"{FORMULAS} §4.18 (PR #121978, 2024)"),
    "bce-target-check": dict(
        functions=["bce", "binary_cross_entropy"],
        what="2.11's kernel checks 0 <= target <= 1 (NaN fails) and raises 'all elements of target "
             "should be between 0 and 1'; 1.13 computes.",
        source=f"{FORMULAS} §4.5 (Loss.cpp binary_cross_entropy_out_cpu); issue 11 point 9"),
    "gaussian-nll-float-var": dict(
        functions=["gaussian-nll", "gaussian_nll_loss"],
        what="2.11 accepts a Python float var (as var * ones_like(input)); 1.13 raises AttributeError.",
        source=f"{FORMULAS} §0.3, §4.13"),
    "batch-norm-eps-check": dict(
        functions=["batch-norm", "batch_norm"],
        what="F.batch_norm raises ValueError for eps <= 0 in training and eps < 0 in evaluation "
             "('batch_norm eps must be positive during training, but got ...'); 1.13 has no check. "
             "2.10 rejects eps <= 0 always; PR #175508 (2026-02) relaxed evaluation mode, probably in 2.11: "
             "if 2.11 still refuses eval eps = 0, a BUG reported for it is not one.",
        source=f"{FORMULAS} §0.3, §5.2"),
    "softshrink-nan": dict(
        functions=["softshrink"],
        what="2.11's scalar kernel returns x*0 inside the dead zone, so softshrink(NaN) = NaN; "
             "1.13 returns 0. The gradient at NaN is the upstream gradient in both.",
        source=f"{FORMULAS} §1.18"),
    "smooth-l1-beta0": dict(
        functions=["smooth-l1", "smooth_l1_loss"],
        what="2.11's F.smooth_l1_loss calls l1_loss when beta == 0 (gradient sgn(d), 0 at d = 0); 1.13 runs "
             "the smooth_l1 kernel, whose backward gives -1 at d = 0 (d <= -beta).",
        source=f"{FORMULAS} §4.3; `actgrad explain smooth-l1`"),
    "rms-norm-polyfill": dict(
        functions=["rms-norm", "rms_norm"],
        what="F.rms_norm does not exist in 1.13 (added in 2.4): the reference is 2.11's composite "
             "x * rsqrt(mean(x^2) + eps) * weight with eps=None = DBL_EPSILON, in every reference layer "
             "(not a difference by itself).",
        source=f"{FORMULAS} §5.5; shared/reference/README.md"),
    "sdpa-polyfill": dict(
        functions=["scaled_dot_product_attention"],
        what="F.scaled_dot_product_attention does not exist in 1.13 (added in 2.0): the reference is "
             "2.11's math backend with _safe_softmax, in every reference layer (not a difference by itself).",
        source=f"{FORMULAS} §5.16; shared/reference/README.md"),
}

DOCUMENTED_DIFFS = {
    "step-derivative": dict(
        functions=["step", "heaviside"],
        what="PyTorch has no derivative for heaviside (autograd raises); actgrad defines it as 0 "
             "everywhere, every order.",
        source="`actgrad explain step`; shared/reference/README.md"),
    "hardsigmoid-double-backward": dict(
        functions=["hardsigmoid"],
        what="PyTorch raises 'derivative for aten::hardsigmoid_backward is not implemented'; "
             "actgrad gives 0 (the derivative of the piecewise-constant derivative).",
        source=f"`actgrad explain hardsigmoid`; {FORMULAS} §1.15, §6"),
    "multi-margin-double-backward": dict(
        functions=["multi-margin", "multi_margin_loss"],
        what="PyTorch raises on the double backward; actgrad gives the exact second derivative "
             "(0 for p = 1, 2*w_y/C per active term for p = 2).",
        source=f"`actgrad explain multi-margin`; {FORMULAS} §4.14"),
    "multilabel-margin-double-backward": dict(
        functions=["multilabel-margin", "multilabel_margin_loss"],
        what="PyTorch raises on the double backward; actgrad gives 0.",
        source=f"`actgrad explain multilabel-margin` ('The second derivative is 0'); {FORMULAS} §4.15"),
    "norm-scaling": dict(
        functions=["norm", "vector_norm"],
        what="for p other than 0, 1, ±inf actgrad scales the entries by a power of two near the largest "
             "magnitude (value and derivatives), so it is finite where PyTorch's unscaled sum of "
             "powers overflows or underflows.",
        source="`actgrad explain norm`; README (numerics)"),
    "scalar-kernel-lambda": dict(
        functions=["hardtanh", "relu6", "softshrink"],
        what="PyTorch's vectorised kernel (blocks of 8 doubles) and its scalar tail differ for NaN "
             "(hardtanh_backward) and the sign of zero; actgrad follows the scalar lambda, "
             "which is what PyTorch computes for inputs of fewer than 8 elements.",
        source=f"{FORMULAS} §0.1 ('Use the scalar-lambda semantics')"),
    "independent-rows": dict(
        functions=["elementwise functions", "vector functions", "losses"],
        what="Jacobian and Hessian entries that are zero because elements (rows) do not interact are 0 in "
             "actgrad; PyTorch's unit-vector VJPs (torch.autograd.functional.jacobian/hessian) can turn them "
             "into NaN (0·NaN) when another element or row is NaN or infinite.",
        source="shared/CLI.md, 'What is computed' (each row on its own; an elementwise function's Hessian is diag(f''))"),
    "batch-norm-batch-stats": dict(
        functions=["batch-norm", "batch_norm"],
        what="without running statistics actgrad uses the batch's (PyTorch raises in evaluation mode).",
        source="shared/CLI.md (Functions); `actgrad explain batch-norm`"),
    "plain-shapes": dict(
        functions=["normalize", "max-pool1d", "avg-pool1d", "max-pool2d", "avg-pool2d", "conv1d", "conv2d",
                   "layer_norm", "rms_norm", "max_pool1d", "avg_pool1d", "max_pool2d", "avg_pool2d"],
        what="shapes PyTorch refuses and actgrad accepts: a plain vector (matrix) as one channel for the "
             "1-d (2-d) pools and convolutions, normalize of a vector with dim=1, normalized_shape "
             "defaulting to the last dimension.",
        source="shared/CLI.md (Functions: 'Beyond PyTorch ...'); `actgrad explain` of each"),
    "random-modes-refused": dict(
        functions=["dropout", "rrelu", "max-pool1d", "max-pool2d", "scaled_dot_product_attention"],
        what="training-mode dropout (0 < p < 1) and rrelu (lower != upper), SDPA's dropout_p != 0 draw "
             "random numbers and return_indices=True returns indices: actgrad refuses them.",
        source="`actgrad explain dropout|rrelu|max-pool1d|scaled-dot-product-attention`"),
}

# Error messages of the installed torch that mean "not differentiable with respect to this argument":
# such a bound name gets no gradient (contract, Functions), it is not an error of the formula.
NOT_DIFFERENTIABLE = ("is not differentiable with respect to argument", "does not require grad",
                      "only Tensors of floating point", "cannot have requires_grad")


# --------------------------------------------------------------------------------------------
# Numbers: how a float is written on actgrad's command line, and read back from its JSON.
# --------------------------------------------------------------------------------------------

def num(v) -> str:
    """A float in actgrad's number syntax, round-trip exact (nan, inf, -inf, -0 included)."""
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, int):
        return str(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if v == 0:
        return "-0" if math.copysign(1, v) < 0 else "0"
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


def shape_of(v) -> tuple:
    """The shape of a nested list (a number has shape ())."""
    if isinstance(v, list):
        return (len(v),) + (shape_of(v[0]) if v else ())
    return ()


def flatten(v) -> list:
    if isinstance(v, list):
        return [e for sub in v for e in flatten(sub)]
    return [v]


def reshape(flat: list, shape: tuple):
    """The nested list of `shape` holding `flat` in row-major order."""
    if not shape:
        return flat[0]
    step = len(flat) // shape[0] if shape[0] else 0
    return [reshape(flat[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]


def numel(shape) -> int:
    n = 1
    for d in shape:
        n *= d
    return n


def nested_text(v) -> str:
    """A tensor in bracket syntax: "[[1, 2], [3, 4]]" (any rank)."""
    if isinstance(v, list):
        return "[" + ", ".join(nested_text(e) for e in v) + "]"
    return num(v)


def tensor_arg(v, style: int) -> str:
    """One command-line argument holding a tensor, in one of the syntaxes the contract allows."""
    shp = shape_of(v)
    if len(shp) == 0:
        return num(v)
    if len(shp) == 1:
        if len(v) <= 1:
            return "[" + ", ".join(num(e) for e in v) + "]"   # one number without brackets is a 0-d tensor
        return ("[" + ", ".join(num(e) for e in v) + "]") if style % 3 == 0 else ",".join(num(e) for e in v)
    if len(shp) == 2 and style % 2 == 0 and shp[0] > 1 and shp[1] > 0:   # one row without ';' is a vector
        return "; ".join(" ".join(num(e) for e in row) for row in v)
    return nested_text(v)


def from_json(v):
    """actgrad's JSON numbers to floats: "NaN", "Infinity", "-Infinity" are the non-finite ones."""
    if isinstance(v, list):
        return [from_json(e) for e in v]
    if isinstance(v, dict):
        return {k: from_json(e) for k, e in v.items()}
    if isinstance(v, str):
        return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}.get(v, v)
    if isinstance(v, bool) or v is None:
        return v
    return float(v)


def pyrepr(v) -> str:
    """A Python literal for a parameter value inside torch code."""
    if isinstance(v, float):
        if math.isnan(v):
            return "math.nan"
        if math.isinf(v):
            return "math.inf" if v > 0 else "-math.inf"
        return repr(v)
    if isinstance(v, tuple):
        return "(" + "".join(pyrepr(e) + ", " for e in v) + ")" if len(v) == 1 else "(" + ", ".join(pyrepr(e) for e in v) + ")"
    if isinstance(v, list):
        return "[" + ", ".join(pyrepr(e) for e in v) + "]"
    return repr(v)


def close(a, b) -> bool:
    """One number against the reference: NaN = NaN, inf exact, -0 = 0, else rtol/atol."""
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        if a == b:
            return True
        if math.isinf(a) or math.isinf(b):
            return False
        return abs(a - b) <= ATOL + RTOL * abs(b)
    return a == b


# --------------------------------------------------------------------------------------------
# Cases. A case is data only (picklable): the command line, the torch code and bindings that give
# the same numbers, and which quantities to compare. Workers run it.
# --------------------------------------------------------------------------------------------

@dataclasses.dataclass
class Binding:
    """A name bound to a tensor, on both sides: `name=value` for actgrad, a torch tensor for torch."""
    name: str
    value: object          # nested list, or a number for a 0-d tensor
    dtype: str = "float"   # "float" (float64) or "long" (class indices)
    grad: bool = True      # function cases: requires_grad in torch (the input x only; parameters are
                           # constants). Formulas differentiate every float name, as actgrad does.


@dataclasses.dataclass
class Case:
    id: str
    kind: str                     # functions | formulas | second-order
    labels: list                  # function name, or the operations a formula uses (summary rows)
    seed: str
    argv: list                    # actgrad's arguments after the command (without options filled later)
    stmts: list                   # torch code: statements; the last one is the result expression
    bindings: list                # Binding
    wrt: list                     # names differentiated (function cases: ["x"])
    # what to compute
    grad: bool = False
    jacobian: bool = False
    hessian: bool = False
    order: int = 0
    grad_output: bool = False     # draw a random --grad-output of the output's shape
    hvp: bool = False
    layout: str = "full"          # function Jacobian/Hessian layout: elementwise | rows | full
    split: bool = False           # elementwise: may also be evaluated per element (scalar lambda)
    formula: bool = False         # an `actgrad grad` case
    explicit_wrt: bool = False    # --wrt given: a name PyTorch cannot differentiate is an error
    note: str = ""


# --------------------------------------------------------------------------------------------
# Drawing numbers.
# --------------------------------------------------------------------------------------------

EXTREMES = [math.inf, -math.inf, math.nan, 1e308, -1e308, 1.7976931348623157e308, -1.7976931348623157e308,
            1e-300, -1e-300, 5e-324, -5e-324, 1e-310, -1e-310, -0.0, 0.0, 710.0, -710.0, 745.5, -745.5,
            1e16, -1e16, 1e154, 1e-154, 40.0, -40.0, 20.0, 37.0, -37.0, 19.0, 1e8, -1e8]


def nextafter(x: float, direction: float) -> float:
    if hasattr(math, "nextafter"):
        return math.nextafter(x, direction)
    if x == direction or math.isnan(x):
        return x
    if x == 0:
        return math.copysign(5e-324, direction)
    bits = struct.unpack("<q", struct.pack("<d", x))[0]
    bits += 1 if (direction > x) == (x > 0) else -1
    return struct.unpack("<d", struct.pack("<q", bits))[0]


def near(rng: random.Random, k: float) -> float:
    """k itself (half the time), or one ulp either side, or k moved by a tiny relative amount."""
    r = rng.random()
    if r < 0.5 or not math.isfinite(k):
        return k
    if r < 0.7:
        return nextafter(k, math.inf)
    if r < 0.85:
        return nextafter(k, -math.inf)
    return k + rng.choice([-1, 1]) * max(abs(k), 1.0) * rng.choice([1e-12, 1e-9, 1e-6])


def draw(rng: random.Random, profile: str, kinks=(), lo=None, hi=None) -> float:
    """One number: normal, wide uniform, near a kink, or extreme, by the case's profile.
    With lo/hi, the number is kept in [lo, hi] (except where the profile asks for extremes,
    which then test the function's own range check)."""
    r = rng.random()
    kinks = list(kinks)
    if profile == "kinks" and kinks and r < 0.65:
        v = near(rng, rng.choice(kinks))
    elif profile == "extremes" and r < 0.3:
        v = rng.choice(EXTREMES)
        return v
    elif profile == "extremes" and kinks and r < 0.5:
        v = near(rng, rng.choice(kinks))
    elif profile == "wide" or r > 0.85:
        v = rng.choice([-1, 1]) * 10 ** rng.uniform(-6, 6)
    elif kinks and r < 0.15:
        v = near(rng, rng.choice(kinks))
    else:
        v = rng.gauss(0, rng.choice([0.5, 1, 2, 4, 10]))
        if rng.random() < 0.3:
            v = round(v, rng.choice([0, 1, 2]))  # ties and exact small numbers
    if lo is not None and hi is not None and not (lo <= v <= hi):
        v = lo + (hi - lo) * rng.random() if rng.random() < 0.8 else rng.choice([lo, hi])
    return float(v)


def tensor(rng, shape, profile, kinks=(), lo=None, hi=None):
    """A nested list of `shape` drawn with draw()."""
    flat = [draw(rng, profile, kinks, lo, hi) for _ in range(numel(shape))]
    return reshape(flat, tuple(shape))


# --------------------------------------------------------------------------------------------
# The function catalogue: for each registry function, how to draw its input and parameters and
# how to call it in torch. Parameters use PyTorch's keyword names; a parameter left out is left out
# of the torch call too, so that actgrad's defaults are checked against PyTorch's own.
# --------------------------------------------------------------------------------------------

class Draft:
    """What a function's generator produces: the input, the parameters (PyTorch names; tensors
    as nested lists), the extra bindings (target, weights) and the torch call."""

    def __init__(self, x):
        self.x = x
        self.params = {}        # name -> value, shown on the command line (flags)
        self.tensor_params = {} # name -> Binding (a flag whose value is a tensor)
        self.target = None      # Binding
        self.call = None        # torch code using the names x, t, and the tensor params


def kw(params: dict, names=None) -> str:
    out = []
    for k, v in params.items():
        if names is not None and k not in names:
            continue
        out.append(f"{k}={pyrepr(v)}")
    return "".join(", " + s for s in out)


def elementwise_shape(rng, profile):
    r = rng.random()
    if profile == "batch" or r < 0.25:
        return rng.choice([(2, 3), (3, 2), (2, 2, 2), (4, 5), (2, 9)])
    return (rng.randint(1, 6),)


def pick(rng, options):
    """One of the options; None means "leave the parameter out" (PyTorch's default)."""
    return rng.choice(options)


def set_params(d: Draft, **kv):
    for k, v in kv.items():
        if v is not None:
            d.params[k] = v


ELEMENTWISE = {
    # name: (torch function, parameter sampler, kinks given the params)
    "sigmoid": ("torch.sigmoid", None, lambda p: [0.0, 36.7368005696771, 37.0, -709.78, -745.2, 16.0]),
    "tanh": ("torch.tanh", None, lambda p: [0.0, 18.714973875, 19.06, -18.72, 0.5493]),
    "relu": ("F.relu", None, lambda p: [0.0]),
    "relu6": ("F.relu6", None, lambda p: [0.0, 6.0]),
    "leaky-relu": ("F.leaky_relu", lambda rng: dict(negative_slope=pick(rng, [None, None, 0.01, 0.2, 0.0, -0.5, 1.5, round(rng.gauss(0, 1), 3)])), lambda p: [0.0]),
    "prelu": ("F.prelu", None, lambda p: [0.0]),
    "elu": ("F.elu", lambda rng: dict(alpha=pick(rng, [None, None, 1.0, 0.5, 2.0, -1.0, 0.0, round(rng.uniform(0, 3), 3)])), lambda p: [0.0, -1e-300]),
    "selu": ("F.selu", None, lambda p: [0.0]),
    "celu": ("F.celu", lambda rng: dict(alpha=pick(rng, [None, None, 0.3, 0.7, 0.1, 2.0, 1.0, 0.0, -1.0])), lambda p: [0.0]),
    "gelu": ("F.gelu", lambda rng: dict(approximate=pick(rng, [None, "none", "tanh"])), lambda p: [0.0, -8.374, -5.6, 10.0, -38.0]),
    "silu": ("F.silu", None, lambda p: [0.0, -20.0, 40.0, -745.0]),
    "mish": ("F.mish", None, lambda p: [0.0, -20.0, 20.0, 40.0]),
    "softplus": ("F.softplus", lambda rng: dict(beta=pick(rng, [None, None, 1.0, 2.0, 0.5, -1.0, 0.0, round(rng.uniform(0.1, 5), 3)]),
                                                 threshold=pick(rng, [None, None, 20.0, 1.0, 5.0, 0.0, -1.0, 50.0, 800.0])),
                 lambda p: [0.0] + ([p.get("threshold", 20.0) / p.get("beta", 1.0)] if p.get("beta", 1.0) else [])),
    "softsign": ("F.softsign", None, lambda p: [0.0, 1e8, -1e8]),
    "hardtanh": ("F.hardtanh", None, lambda p: [p.get("min_val", -1.0), p.get("max_val", 1.0)]),
    "hardsigmoid": ("F.hardsigmoid", None, lambda p: [-3.0, 3.0]),
    "hardswish": ("F.hardswish", None, lambda p: [-3.0, 3.0, 0.0]),
    "logsigmoid": ("F.logsigmoid", None, lambda p: [0.0, -37.0, 37.0, 710.0, -710.0]),
    "tanhshrink": ("F.tanhshrink", None, lambda p: [0.0, 1e-5, 19.0]),
    "softshrink": ("F.softshrink", lambda rng: dict(lambd=pick(rng, [None, None, 0.5, 0.0, 1.5, round(rng.uniform(0, 3), 3), -1.0])),
                   lambda p: [p.get("lambd", 0.5), -p.get("lambd", 0.5)]),
    "hardshrink": ("F.hardshrink", lambda rng: dict(lambd=pick(rng, [None, None, 0.5, 0.0, 2.0, round(rng.uniform(0, 3), 3), -1.0])),
                   lambda p: [p.get("lambd", 0.5), -p.get("lambd", 0.5)]),
    "threshold": ("F.threshold", None, lambda p: [p["threshold"]]),
    "step": ("torch.heaviside", lambda rng: dict(at_zero=pick(rng, [None, None, 0.0, 0.5, 1.0, round(rng.gauss(0, 2), 2)])), lambda p: [0.0]),
}


def gen_elementwise(name, rng, profile):
    fn, sampler, kinks_of = ELEMENTWISE[name]
    params = {k: v for k, v in (sampler(rng) if sampler else {}).items() if v is not None}
    if name == "hardtanh":
        lo, hi = sorted([round(rng.gauss(0, 2), 2), round(rng.gauss(0, 2), 2)])
        r = rng.random()
        if r < 0.3:
            pass
        elif r < 0.8:
            params.update(min_val=lo, max_val=hi)
        elif r < 0.9:
            params.update(min_val=hi, max_val=lo if lo != hi else lo - 1)  # reversed: 2.11 raises
        else:
            params.update(min_val=lo, max_val=lo)
    if name == "threshold":
        params.update(threshold=round(rng.gauss(0, 2), 2), value=rng.choice([0.0, -1.0, round(rng.gauss(0, 3), 3), math.inf]))
    shape = elementwise_shape(rng, profile)
    x = tensor(rng, shape, profile, kinks_of(params))
    if profile == "batch" and numel(shape) >= 8 and rng.random() < 0.4:
        # a non-finite number where PyTorch's vectorised kernel computes it (scalar-kernel-lambda)
        flat = flatten(x)
        flat[rng.randrange(8)] = rng.choice([math.nan, math.inf, -math.inf])
        x = reshape(flat, shape)
    d = Draft(x)
    d.params = dict(params)
    if name == "step":
        d.call = f"torch.heaviside(x, torch.tensor({pyrepr(float(params.get('at_zero', 0.0)))}))"
    elif name == "prelu":
        r = rng.random()
        if r < 0.3:
            d.call = "F.prelu(x, torch.tensor([0.25]))"   # actgrad's default, nn.PReLU's init
        else:
            c = shape[1] if len(shape) >= 2 and rng.random() < 0.6 else 1
            w = [round(rng.gauss(0.2, 0.5), 3) for _ in range(c)]
            d.tensor_params["weight"] = Binding("w", w if c > 1 or rng.random() < 0.5 else w[0], grad=False)
            d.call = "F.prelu(x, w)" if c > 1 or isinstance(d.tensor_params["weight"].value, list) else "F.prelu(x, w.reshape(1))"
    elif name == "threshold":
        d.call = f"F.threshold(x, {pyrepr(params['threshold'])}, {pyrepr(params['value'])})"
    else:
        d.call = f"{fn}(x{kw(params)})"
    return d


def gen_dropout(rng, profile):
    shape = elementwise_shape(rng, profile)
    d = Draft(tensor(rng, shape, profile, [0.0]))
    p = pick(rng, [None, 0.5, 0.0, 1.0, 0.2])
    training = pick(rng, [None, None, False, True])
    set_params(d, p=p)
    if training is not None:
        d.params["training"] = training
    d.call = f"F.dropout(x{kw({'p': p} if p is not None else {})}, training={training is True})"
    return d


def gen_rrelu(rng, profile):
    shape = elementwise_shape(rng, profile)
    d = Draft(tensor(rng, shape, profile, [0.0]))
    lower = pick(rng, [None, 0.1, 0.3, 0.0])
    upper = pick(rng, [None, 0.3, 0.5, 0.1])
    training = pick(rng, [None, None, False, True])
    if training and rng.random() < 0.7:
        lower = upper = pick(rng, [0.2, 0.05])
    set_params(d, lower=lower, upper=upper)
    if training is not None:
        d.params["training"] = training
    d.call = f"F.rrelu(x{kw({k: v for k, v in d.params.items() if k != 'training'})}, training={training is True})"
    return d


def row_values(rng, shape, profile, kinks=()):
    """Rows for vector functions: random, with ties, ±inf, all -inf, NaN, large spreads."""
    x = tensor(rng, shape, profile, kinks)
    rows = [x] if len(shape) == 1 else (x if len(shape) == 2 else [r for m in x for r in m])
    for row in rows:
        r = rng.random()
        if profile in ("kinks", "extremes") and r < 0.5 and len(row) > 1:
            kind = rng.choice(["tie", "inf", "-inf", "allneg", "nan", "big", "zero"])
            i = rng.randrange(len(row))
            if kind == "tie":
                row[(i + 1) % len(row)] = row[i]
            elif kind == "inf":
                row[i] = math.inf
            elif kind == "-inf":
                row[i] = -math.inf
            elif kind == "allneg":
                row[:] = [-math.inf] * len(row)
            elif kind == "nan":
                row[i] = math.nan
            elif kind == "big":
                row[i] = rng.choice([1000.0, -1000.0, 1e300, -1e300])
            else:
                row[:] = [0.0] * len(row)
    return x


def vector_shape(rng, profile, even=False):
    w = rng.randint(1, 5) * (2 if even else 1)
    if profile == "batch" or rng.random() < 0.4:
        return rng.choice([(2, w), (3, w), (2, 2, w)])
    return (w,)


def gen_vector(name, rng, profile):
    even = name == "glu"
    shape = vector_shape(rng, profile, even)
    if even and rng.random() < 0.05:
        shape = shape[:-1] + (shape[-1] + 1,)  # odd: both refuse
    d = Draft(row_values(rng, shape, profile))
    dim = None
    if len(shape) >= 2 and rng.random() < 0.25:
        dim = rng.choice([0, -1, len(shape) - 1] if name != "glu" else [0, -1])
        if name == "glu" and dim == 0 and shape[0] % 2:
            dim = -1
    torch_dim = dim if dim is not None else -1   # the CLI works along the last dimension by default
    if name in ("softmax", "log-softmax", "softmin", "glu"):
        if dim is not None:
            d.params["dim"] = dim
        fn = {"softmax": "torch.softmax", "log-softmax": "F.log_softmax", "softmin": "F.softmin", "glu": "F.glu"}[name]
        d.call = f"{fn}(x, dim={torch_dim})"
    elif name == "logsumexp":
        keepdim = pick(rng, [None, None, True, False])
        if dim is not None:
            d.params["dim"] = dim
        if keepdim is not None:
            d.params["keepdim"] = keepdim
        d.call = f"torch.logsumexp(x, dim={torch_dim}, keepdim={keepdim is True})"
    elif name == "norm":
        p = pick(rng, [None, None, 2.0, 1.0, 3.0, 0.5, math.inf, -math.inf, 0.0, 1.5, -1.0, 4.0])
        keepdim = pick(rng, [None, None, True])
        if profile == "extremes" and rng.random() < 0.5:
            scale = rng.choice([1e200, 1e-200, 1e155, 1e-160, 5e-324])
            d.x = reshape([v * scale for v in flatten(d.x)], shape)
        if dim is not None:
            d.params["dim"] = dim
        if p is not None:
            d.params["p"] = p
        if keepdim:
            d.params["keepdim"] = True
        d.call = f"torch.norm(x{', p=' + pyrepr(p) if p is not None else ''}, dim={torch_dim}, keepdim={keepdim is True})"
    return d


def class_indices(rng, n, C, ignore=None):
    t = [rng.randrange(C) for _ in range(n)]
    if ignore is not None and rng.random() < 0.5:
        t[rng.randrange(n)] = ignore
    return t


def probs(rng, C, zero=False):
    w = [rng.random() ** 2 for _ in range(C)]
    if zero and C > 1:
        w[rng.randrange(C)] = 0.0
    s = sum(w) or 1.0
    return [v / s for v in w]


def gen_loss(name, rng, profile):
    """Losses: input, a target of the right kind, parameters."""
    red = pick(rng, [None, None, "mean", "sum", "none"])
    if name == "kl-div":
        red = pick(rng, [None, "mean", "sum", "none", "batchmean"])
    batch = profile == "batch" or rng.random() < 0.5
    C = rng.randint(1, 5) if name not in ("cross-entropy", "nll", "multi-margin", "multilabel-margin") else rng.randint(2, 5)
    N = rng.randint(1, 4)
    shape = (N, C) if batch else (C,)
    d = Draft(None)
    if red is not None:
        d.params["reduction"] = red

    def target(value, dtype="float"):
        d.target = Binding("t", value, dtype=dtype, grad=False)

    if name in ("mse", "l1", "smooth-l1", "huber"):
        t = tensor(rng, shape, "random")
        beta = delta = None
        if name == "smooth-l1":
            beta = pick(rng, [None, None, 1.0, 0.0, 0.5, 2.0, -1.0])
            set_params(d, beta=beta)
        if name == "huber":
            delta = pick(rng, [None, None, 1.0, 0.5, 2.0, 0.0])
            set_params(d, delta=delta)
        width = beta if beta is not None else delta if delta is not None else 1.0
        flat_t = flatten(t)
        xs = []
        for tv in flat_t:
            if profile in ("kinks", "extremes") and rng.random() < 0.6:
                xs.append(tv + rng.choice([0.0, width, -width]))
            else:
                xs.append(draw(rng, profile))
        d.x = reshape(xs, shape)
        target(t)
        extra = {k: v for k, v in d.params.items() if k != "reduction"}
        fn = {"mse": "F.mse_loss", "l1": "F.l1_loss", "smooth-l1": "F.smooth_l1_loss", "huber": "F.huber_loss"}[name]
        d.call = f"{fn}(x, t{kw(d.params, ['reduction'])}{kw(extra)})"
        return d
    if name == "bce":
        kinks = [0.0, 1.0, 1e-12, 1 - 1e-16, 5e-324, 0.5, 1e-300]
        d.x = tensor(rng, shape, "kinks" if profile != "random" else "random", kinks, 0.0, 1.0)
        if profile == "extremes" and rng.random() < 0.3:
            flat = flatten(d.x)
            flat[rng.randrange(len(flat))] = rng.choice([math.nan, -0.5, 1.5])
            d.x = reshape(flat, shape)
        t = tensor(rng, shape, "kinks", [0.0, 1.0, 0.5], 0.0, 1.0)
        if rng.random() < 0.1:
            flat = flatten(t)
            flat[rng.randrange(len(flat))] = rng.choice([2.0, -1.0, math.nan])
            t = reshape(flat, shape)
        target(t)
        call = "F.binary_cross_entropy(x, t"
        if rng.random() < 0.3:
            w = [round(rng.uniform(0, 2), 3) for _ in range(shape[-1])]
            d.tensor_params["weight"] = Binding("w", w, grad=False)
            call += ", weight=w"
        d.call = call + kw(d.params) + ")"
        return d
    if name == "bce-with-logits":
        d.x = tensor(rng, shape, profile, [0.0, 36.8, -36.8, 710.0])
        target(tensor(rng, shape, "kinks", [0.0, 1.0, 0.5], 0.0, 1.0))
        call = "F.binary_cross_entropy_with_logits(x, t"
        if rng.random() < 0.3:
            d.tensor_params["weight"] = Binding("w", [round(rng.uniform(0, 2), 3) for _ in range(shape[-1])], grad=False)
            call += ", weight=w"
        if rng.random() < 0.3:
            d.tensor_params["pos_weight"] = Binding("pw", [round(rng.uniform(0, 3), 3) for _ in range(shape[-1])], grad=False)
            call += ", pos_weight=pw"
        d.call = call + kw(d.params) + ")"
        return d
    if name in ("cross-entropy", "nll"):
        d.x = row_values(rng, shape, profile) if name == "cross-entropy" else tensor(rng, shape, profile)
        ignore = pick(rng, [None, None, None, 1, -1])
        soft = name == "cross-entropy" and rng.random() < 0.35
        if soft:
            target([probs(rng, C, zero=True) for _ in range(N)] if batch else probs(rng, C, zero=True))
        else:
            idx = class_indices(rng, N if batch else 1, C, ignore if ignore is not None else (-100 if rng.random() < 0.2 else None))
            target(idx if batch else idx[0], "long")
        call = ("F.cross_entropy" if name == "cross-entropy" else "F.nll_loss") + "(x, t"
        if rng.random() < 0.35:
            d.tensor_params["weight"] = Binding("w", [round(rng.uniform(0, 2), 3) for _ in range(C)], grad=False)
            call += ", weight=w"
        if ignore is not None:
            d.params["ignore_index"] = ignore
        if name == "cross-entropy":
            ls = pick(rng, [None, None, 0.0, 0.1, 0.5, 1.0, 1.2, -0.1])
            set_params(d, label_smoothing=ls)
        d.call = call + kw(d.params) + ")"
        return d
    if name == "kl-div":
        log_target = pick(rng, [None, None, True, False])
        d.x = tensor(rng, shape, profile)
        if log_target:
            target(tensor(rng, shape, profile, [0.0, -math.inf]))
        else:
            target([probs(rng, C, zero=True) for _ in range(N)] if batch else probs(rng, C, zero=True))
        if log_target is not None:
            d.params["log_target"] = log_target
        d.call = f"F.kl_div(x, t{kw(d.params)})"
        return d
    if name in ("soft-margin", "hinge-embedding"):
        d.x = tensor(rng, shape, profile, [0.0, 1.0, -1.0, 709.78, -709.78, 710.0, -710.0])
        t = [[rng.choice([1.0, -1.0]) for _ in range(C)] for _ in range(N)] if batch else [rng.choice([1.0, -1.0]) for _ in range(C)]
        if name == "hinge-embedding":
            margin = pick(rng, [None, None, 1.0, 0.5, 0.0, -1.0, 2.0])
            set_params(d, margin=margin)
            m = margin if margin is not None else 1.0
            if profile in ("kinks", "extremes"):
                d.x = tensor(rng, shape, "kinks", [m, 0.0])
            if rng.random() < 0.1:
                flat = flatten(t)
                flat[0] = rng.choice([0.0, 2.0])
                t = reshape(flat, shape)
        target(t)
        fn = "F.soft_margin_loss" if name == "soft-margin" else "F.hinge_embedding_loss"
        d.call = f"{fn}(x, t{kw(d.params)})"
        return d
    if name == "poisson-nll":
        log_input = pick(rng, [None, None, True, False])
        full = pick(rng, [None, None, True, False])
        eps = pick(rng, [None, None, 1e-8, 0.1])
        if log_input is False:
            d.x = tensor(rng, shape, profile, [0.0, 1e-9], 0.0, 10.0)
        else:
            d.x = tensor(rng, shape, profile, [0.0])
        target(tensor(rng, shape, "kinks", [0.0, 1.0, 2.0, 3.5, 10.0], 0.0, 20.0))
        for k, v in (("log_input", log_input), ("full", full), ("eps", eps)):
            if v is not None:
                d.params[k] = v
        d.call = f"F.poisson_nll_loss(x, t{kw(d.params)})"
        return d
    if name == "multi-margin":
        p = pick(rng, [None, None, 1, 2, 3])
        margin = pick(rng, [None, None, 1.0, 0.5, 0.0, 2.0])
        set_params(d, p=p, margin=margin)
        idx = class_indices(rng, N if batch else 1, C)
        x = tensor(rng, shape, profile)
        if profile in ("kinks", "extremes"):  # put some z = margin - x_y + x_i at exactly 0
            m = margin if margin is not None else 1.0
            rows = x if batch else [x]
            for r, row in enumerate(rows):
                i = rng.randrange(C)
                if i != idx[r]:
                    row[i] = row[idx[r]] - m
        d.x = x
        target(idx if batch else idx[0], "long")
        call = "F.multi_margin_loss(x, t"
        if rng.random() < 0.3:
            d.tensor_params["weight"] = Binding("w", [round(rng.uniform(0, 2), 3) for _ in range(C)], grad=False)
            call += ", weight=w"
        d.call = call + kw(d.params) + ")"
        return d
    if name == "gaussian-nll":
        full = pick(rng, [None, None, True])
        eps = pick(rng, [None, None, 1e-6, 0.1])
        d.x = tensor(rng, shape, profile)
        target(tensor(rng, shape, "random"))
        r = rng.random()
        vshape = shape if r < 0.6 else (shape[:-1] if r < 0.8 else (shape[:-1] + (1,)))
        var = tensor(rng, vshape, "kinks", [0.0, 1e-9, 1e-6, 1.0], 0.0, 5.0) if vshape else round(rng.uniform(0, 3), 3)
        if rng.random() < 0.05:
            var = -1.0 if not vshape else reshape([-abs(v) - 1 for v in flatten(var)], vshape)
        d.tensor_params["var"] = Binding("v", var, grad=False)
        for k, v in (("full", full), ("eps", eps)):
            if v is not None:
                d.params[k] = v
        d.call = f"F.gaussian_nll_loss(x, t, v{kw(d.params)})"
        return d
    if name == "multilabel-margin":
        d.x = tensor(rng, shape, profile, [0.0, 1.0])
        rows = []
        for _ in range(N if batch else 1):
            k = rng.randint(0, C)
            labels = rng.sample(range(C), k) + [-1] * (C - k)
            if k < C and rng.random() < 0.3:
                labels[-1] = rng.randrange(C)  # after a -1: ignored
            rows.append(labels)
        if profile in ("kinks", "extremes"):   # a term exactly at 0: x_j - x_i = 1
            xs = d.x if batch else [d.x]
            for row, labels in zip(xs, rows):
                if labels[0] >= 0 and C > 1:
                    others = [i for i in range(C) if i not in labels]
                    if others:
                        row[others[0]] = row[labels[0]] - 1.0
        target(rows if batch else rows[0], "long")
        d.call = f"F.multilabel_margin_loss(x, t{kw(d.params)})"
        return d
    if name == "multilabel-soft-margin":
        d.x = tensor(rng, shape, profile)
        target(tensor(rng, shape, "kinks", [0.0, 1.0], 0.0, 1.0))
        call = "F.multilabel_soft_margin_loss(x, t"
        if rng.random() < 0.3:
            d.tensor_params["weight"] = Binding("w", [round(rng.uniform(0, 2), 3) for _ in range(C)], grad=False)
            call += ", weight=w"
        d.call = call + kw(d.params) + ")"
        return d
    raise KeyError(name)


def gen_layer(name, rng, profile):
    """Layers: one input tensor, parameters as flags."""
    d = Draft(None)
    if name in ("layer-norm", "rms-norm"):
        shape = rng.choice([(2, 3), (3, 4), (2, 2, 3), (4,), (1, 5)])
        d.x = tensor(rng, shape, profile)
        if profile in ("kinks", "extremes") and rng.random() < 0.5:
            flat = flatten(d.x)
            d.x = reshape([flat[0]] * len(flat), shape)   # constant rows: variance 0
        ns = None
        r = rng.random()
        if r < 0.4:
            ns = (shape[-1],)
        elif r < 0.55 and len(shape) >= 2:
            ns = tuple(shape[-2:])
        if ns is not None:
            d.params["normalized_shape"] = list(ns)
        torch_ns = ns if ns is not None else (shape[-1],)
        call = ("F.layer_norm" if name == "layer-norm" else "F.rms_norm") + f"(x, {pyrepr(tuple(torch_ns))}"
        if rng.random() < 0.4:
            d.tensor_params["weight"] = Binding("g", tensor(rng, torch_ns, "random"), grad=False)
            call += ", weight=g"
        if name == "layer-norm" and rng.random() < 0.4:
            d.tensor_params["bias"] = Binding("b", tensor(rng, torch_ns, "random"), grad=False)
            call += ", bias=b"
        eps = pick(rng, [None, None, 1e-5, 0.0, 1e-3, 1.0, 1e-6])
        set_params(d, eps=eps)
        d.call = call + kw({"eps": eps} if eps is not None else {}) + ")"
        return d
    if name in ("batch-norm", "instance-norm", "group-norm"):
        if name == "batch-norm":
            shape = rng.choice([(3, 2), (4, 3), (2, 2, 3), (1, 3), (3, 1, 2)])
        elif name == "instance-norm":
            shape = rng.choice([(2, 3, 4), (1, 2, 3), (2, 2, 1), (3, 4)])
        else:
            shape = rng.choice([(2, 4, 3), (1, 6, 2), (3, 4), (2, 6)])
        d.x = tensor(rng, shape, profile)
        C = shape[1] if len(shape) >= 2 else shape[0]
        if profile in ("kinks", "extremes") and rng.random() < 0.4:
            flat = flatten(d.x)
            d.x = reshape([flat[0]] * len(flat), shape)
        call_args = []
        if name == "group-norm":
            G = rng.choice([g for g in range(1, C + 1) if C % g == 0] + ([C + 1] if rng.random() < 0.1 else []))
            d.params["num_groups"] = G
            call = f"F.group_norm(x, {G}"
        elif name == "batch-norm":
            call = "F.batch_norm(x"
            if rng.random() < 0.5:
                d.tensor_params["running_mean"] = Binding("rm", [round(rng.gauss(0, 1), 3) for _ in range(C)], grad=False)
                d.tensor_params["running_var"] = Binding("rv", [round(rng.uniform(0, 3), 3) for _ in range(C)], grad=False)
                call += ", rm, rv"
            else:
                call += ", None, None"
        else:
            call = "F.instance_norm(x"
            if rng.random() < 0.3:
                d.tensor_params["running_mean"] = Binding("rm", [round(rng.gauss(0, 1), 3) for _ in range(C)], grad=False)
                d.tensor_params["running_var"] = Binding("rv", [round(rng.uniform(0, 3), 3) for _ in range(C)], grad=False)
                call += ", rm, rv"
        if rng.random() < 0.4:
            d.tensor_params["weight"] = Binding("g", [round(rng.gauss(1, 1), 3) for _ in range(C)], grad=False)
            call_args.append("weight=g")
        if rng.random() < 0.4:
            d.tensor_params["bias"] = Binding("b", [round(rng.gauss(0, 1), 3) for _ in range(C)], grad=False)
            call_args.append("bias=b")
        if name == "batch-norm":
            training = pick(rng, [None, None, True, False])
            if training is not None:
                d.params["training"] = training
                call_args.append(f"training={training}")
            mom = pick(rng, [None, None, 0.1, 0.5])
            if mom is not None:
                d.params["momentum"] = mom
                call_args.append(f"momentum={mom!r}")
        if name == "instance-norm" and "running_mean" in d.tensor_params and rng.random() < 0.7:
            d.params["use_input_stats"] = False
            call_args.append("use_input_stats=False")
        eps = pick(rng, [None, None, 1e-5, 1e-3, 0.0, 1.0])
        if eps is not None:
            d.params["eps"] = eps
            call_args.append(f"eps={eps!r}")
        d.call = call + "".join(", " + a for a in call_args) + ")"
        return d
    if name == "normalize":
        shape = rng.choice([(3,), (2, 3), (3, 2), (2, 2, 2)])
        d.x = row_values(rng, shape, profile) if profile != "extremes" else tensor(rng, shape, profile)
        p = pick(rng, [None, None, 2.0, 1.0, 3.0, math.inf, 0.5])
        dim = pick(rng, [None, None, 0, -1] + ([1] if len(shape) >= 2 else []))
        eps = pick(rng, [None, None, 1e-12, 0.1, 0.0])
        set_params(d, p=p, dim=dim, eps=eps)
        d.call = f"F.normalize(x{kw(d.params)})"
        return d
    if name == "dropout":
        return gen_dropout(rng, profile)
    if name == "rrelu":
        return gen_rrelu(rng, profile)
    if name in ("max-pool1d", "avg-pool1d", "max-pool2d", "avg-pool2d"):
        two = name.endswith("2d")
        if two:
            shape = rng.choice([(1, 4, 4), (2, 3, 4), (1, 2, 5, 4), (4, 4), (3, 5)])
        else:
            shape = rng.choice([(1, 6), (2, 5), (2, 1, 7), (6,), (2, 2, 4)])
        x = tensor(rng, shape, profile if profile != "kinks" else "random")
        if profile in ("kinks", "extremes"):   # ties and NaN/inf inside windows
            flat = flatten(x)
            for _ in range(max(1, len(flat) // 4)):
                i = rng.randrange(len(flat))
                flat[i] = rng.choice([flat[(i + 1) % len(flat)], math.nan, -math.inf, math.inf, 0.0])
            x = reshape(flat, shape)
        d.x = x
        spatial = shape[-2:] if two else shape[-1:]
        kmax = min(spatial)
        k = rng.randint(1, max(1, min(3, kmax)))
        ks = k if rng.random() < 0.7 or not two else [k, rng.randint(1, max(1, min(3, spatial[1])))]
        d.params["kernel_size"] = ks if isinstance(ks, list) else [ks]
        args = [f"{pyrepr(tuple(ks)) if isinstance(ks, list) else ks}"]
        kmin = min(ks) if isinstance(ks, list) else ks
        if rng.random() < 0.5:
            s = rng.randint(1, 3)
            d.params["stride"] = [s]
            args.append(f"stride={s}")
        if rng.random() < 0.4:
            pad = rng.randint(0, kmin // 2 + (1 if rng.random() < 0.1 else 0))
            d.params["padding"] = [pad]
            args.append(f"padding={pad}")
        if name.startswith("max") and rng.random() < 0.2:
            dil = rng.randint(1, 2)
            d.params["dilation"] = [dil]
            args.append(f"dilation={dil}")
        if rng.random() < 0.25:
            d.params["ceil_mode"] = True
            args.append("ceil_mode=True")
        if name.startswith("avg") and rng.random() < 0.3:
            d.params["count_include_pad"] = False
            args.append("count_include_pad=False")
        if name == "avg-pool2d" and rng.random() < 0.15:
            d.params["divisor_override"] = rng.randint(1, 5)
            args.append(f"divisor_override={d.params['divisor_override']}")
        if name.startswith("max") and rng.random() < 0.05:
            d.params["return_indices"] = True
            args.append("return_indices=True")
        fn = "F." + name.replace("-", "_")
        d.call = f"{fn}(x, {', '.join(args)})"
        return d
    raise KeyError(name)


VECTOR = ("softmax", "log-softmax", "softmin", "glu", "logsumexp", "norm")
LOSSES = ("mse", "l1", "smooth-l1", "huber", "bce", "bce-with-logits", "cross-entropy", "nll", "kl-div",
          "soft-margin", "hinge-embedding", "poisson-nll", "multi-margin", "gaussian-nll",
          "multilabel-margin", "multilabel-soft-margin")
LAYERS = ("layer-norm", "batch-norm", "group-norm", "instance-norm", "rms-norm", "normalize", "dropout", "rrelu",
          "max-pool1d", "max-pool2d", "avg-pool1d", "avg-pool2d")


def generate_draft(name, rng, profile) -> Draft:
    if name in ELEMENTWISE:
        return gen_elementwise(name, rng, profile)
    if name in VECTOR:
        return gen_vector(name, rng, profile)
    if name in LOSSES:
        return gen_loss(name, rng, profile)
    if name in LAYERS:
        return gen_layer(name, rng, profile)
    raise KeyError(name)


# Losses whose value is computed element by element (each input element's loss depends on it
# alone), and those with one loss per row of class scores: their Jacobians come one block per row.
POINTWISE_LOSSES = {"mse", "l1", "smooth-l1", "huber", "bce", "bce-with-logits", "kl-div", "soft-margin",
                    "hinge-embedding", "poisson-nll", "gaussian-nll"}
ROW_LOSSES = {"cross-entropy", "nll", "multi-margin", "multilabel-margin", "multilabel-soft-margin"}


def structure_of(entry: dict, params: dict, rank: int) -> str:
    """How outputs depend on inputs: elementwise, rows (each row of the last dimension on its own),
    or full. Decides the Jacobian's per-row layout and which Hessian entries are zero by structure."""
    name = entry["name"]
    if entry["kind"] == "elementwise" or name in ("dropout", "rrelu") or name in POINTWISE_LOSSES:
        return "elementwise"
    if name in ROW_LOSSES:
        return "rows"
    if entry["kind"] == "vector":
        dim = params.get("dim", -1)
        dim = dim[0] if isinstance(dim, list) and len(dim) == 1 else dim
        return "rows" if dim in (-1, rank - 1) else "full"
    return "full"


def function_case(entry: dict, idx: int, kind: str, seed: int) -> Case:
    """One command-line function case: draw input and parameters, choose what to ask for."""
    name = entry["name"]
    key = f"{seed}:{kind}:{name}:{idx}"
    rng = random.Random(key)
    profile = rng.choice(["random", "kinks", "kinks", "extremes", "batch", "wide"])
    d = generate_draft(name, rng, profile)
    style = rng.randrange(6)
    flags = {p["name"]: p for p in entry["params"]}
    argv = [name]
    shp = shape_of(d.x)
    if len(shp) == 1 and style % 2 == 0 and shp[0] > 0:
        argv += [num(v) for v in d.x]          # separate arguments, negatives unescaped
    else:
        argv.append(tensor_arg(d.x, style))
    bindings = [Binding("x", d.x)]
    if d.target is not None:
        argv += ["--target", tensor_arg(d.target.value, style)]
        bindings.append(d.target)
    for pname, b in d.tensor_params.items():
        argv += [flags[pname]["flag"] if pname in flags else "--" + pname.replace("_", "-"), tensor_arg(b.value, style)]
        bindings.append(b)
    for pname, v in d.params.items():
        flag = flags[pname]["flag"] if pname in flags else "--" + pname.replace("_", "-")
        ptype = flags.get(pname, {}).get("type")
        if isinstance(v, bool):
            argv.append(flag if v else "--no-" + flag[2:])
        elif isinstance(v, list):
            argv += [flag, ",".join(str(e) for e in v)]
        elif ptype == "ints" and isinstance(v, int):
            argv += [flag, str(v)]
        else:
            argv += [flag, num(v) if isinstance(v, (int, float)) else str(v)]
    structure = structure_of(entry, d.params, len(shp))
    case = Case(id=f"{kind}-{idx:05d}", kind=kind, labels=[name], seed=key, argv=argv, stmts=[d.call],
                bindings=bindings, wrt=["x"], layout=structure, split=entry["kind"] == "elementwise")
    if kind == "functions":
        case.grad = True
        r = rng.random()
        case.jacobian = r < 0.35 and numel(shp) <= 40
        case.grad_output = entry["kind"] != "loss" and rng.random() < 0.3 or \
            (entry["kind"] == "loss" and d.params.get("reduction") == "none" and rng.random() < 0.3)
    else:
        if entry["kind"] == "elementwise" and rng.random() < 0.6:
            case.grad = True
            case.order = rng.choice([2, 2, 3])
        else:
            case.grad = rng.random() < 0.5
            case.hessian = numel(shp) <= 30
            case.order = 0
            case.grad_output = entry["kind"] not in ("loss",) and rng.random() < 0.3
            case.hvp = not case.hessian or rng.random() < 0.2
    case.note = profile
    return case


# --------------------------------------------------------------------------------------------
# Random formulas. A small typed grammar over PyTorch code that the contract's expression language
# lists; the same string is Python, evaluated by torch, and actgrad's input.
# --------------------------------------------------------------------------------------------

class FormulaGen:
    """Builds one random formula. Shapes are tracked so that every sub-expression is valid; the
    operations used are collected for the summary (and --only)."""

    UNARY_TORCH = ["sin", "cos", "tan", "atan", "sinh", "cosh", "tanh", "exp", "log", "log1p", "expm1", "sqrt",
                   "rsqrt", "abs", "sign", "erf", "erfc", "asin", "acos", "log2", "log10", "sigmoid", "relu"]
    UNARY_METHOD = ["exp", "log", "sigmoid", "tanh", "relu", "abs", "sqrt", "sin", "cos", "neg", "square"]

    def __init__(self, rng: random.Random, profile: str):
        self.rng = rng
        self.profile = profile
        self.n = rng.randint(2, 4)
        self.r = rng.randint(2, 3)
        self.bindings = {}
        self.ops = set()
        self.stmts = []
        self.locals = {}   # statement-bound names -> shape

    # ---- leaves
    def value(self, shape, kinks=(0.0, 1.0, -1.0, 0.5), lo=None, hi=None):
        prof = self.profile if self.profile != "batch" else "random"
        return tensor(self.rng, shape, prof, kinks, lo, hi) if shape else draw(self.rng, prof, kinks, lo, hi)

    def bind(self, name, shape, **kw):
        """A bound name of this shape (reused if already bound with it)."""
        b = self.bindings.get(name)
        if b is not None and shape_of(b.value) == tuple(shape):
            return name
        base, i = name, 2
        while name in self.bindings:
            name = f"{base}{i}"
            i += 1
        lo, hi = kw.pop("lo", None), kw.pop("hi", None)
        value = kw.pop("value", None)
        if value is None:
            value = self.value(tuple(shape), lo=lo, hi=hi)
        self.bindings[name] = Binding(name, value, **kw)
        return name

    def leaf(self, shape):
        rng = self.rng
        shape = tuple(shape)
        for nm, s in self.locals.items():
            if s == shape and rng.random() < 0.5:
                return nm
        if not shape:
            r = rng.random()
            if r < 0.4:
                return self.bind("a", ())
            if r < 0.6:
                return pyrepr(rng.choice([0.5, 2.0, 3.0, 1.5, 0.1, 10.0]))
            return f"{self.leaf((self.n,))}[{rng.randrange(-self.n, self.n)}]"
        if len(shape) == 1:
            names = {self.n: ["x", "y", "z"], self.r: ["u", "v"]}.get(shape[0], ["x"])
            if shape[0] == self.n and rng.random() < 0.2:
                return f"{self.leaf((self.r, self.n))}[{rng.randrange(self.r)}]"
            return self.bind(rng.choice(names), shape)
        return self.bind(rng.choice(["W", "X"]), shape)

    # ---- productions
    def elementwise(self, shape, depth):
        rng = self.rng
        e = self.expr(shape, depth - 1)
        r = rng.random()
        if r < 0.25:
            f = rng.choice(self.UNARY_TORCH)
            self.ops.add(f"torch.{f}")
            return f"torch.{f}({e})"
        if r < 0.4:
            m = rng.choice(self.UNARY_METHOD)
            self.ops.add(f".{m}()")
            return f"({e}).{m}()"
        if r < 0.75:
            f, params = rng.choice([
                ("relu", ""), ("relu6", ""), ("leaky_relu", f", negative_slope={rng.choice([0.01, 0.2, -0.5])}"),
                ("elu", f", alpha={rng.choice([1.0, 0.5, 2.0])}"), ("selu", ""), ("celu", f", alpha={rng.choice([1.0, 0.3, 0.7])}"),
                ("gelu", rng.choice(["", ", approximate='tanh'"])), ("silu", ""), ("mish", ""),
                ("softplus", rng.choice(["", ", beta=2", ", beta=0.5, threshold=1.0"])), ("softsign", ""),
                ("hardtanh", rng.choice(["", ", min_val=-0.5, max_val=2.0"])), ("hardsigmoid", ""), ("hardswish", ""),
                ("logsigmoid", ""), ("tanhshrink", ""), ("softshrink", rng.choice(["", ", lambd=1.0"])),
                ("hardshrink", rng.choice(["", ", lambd=1.0"])), ("threshold", f", {rng.choice([0.0, 1.0, -1.0])}, {rng.choice([0.0, -2.0, 5.0])}"),
                ("dropout", ", p=0.3, training=False"), ("rrelu", ""),
            ])
            self.ops.add(f"F.{f}")
            return f"F.{f}({e}{params})"
        if r < 0.85:
            lo, hi = sorted(rng.sample([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0], 2))
            form = rng.choice([f"torch.clamp({e}, {lo!r}, {hi!r})", f"({e}).clamp(min={lo!r})", f"({e}).clamp(max={hi!r})",
                               f"torch.clamp({e}, min={lo!r})", f"({e}).clamp_min({lo!r})"])
            self.ops.add("clamp")
            return form
        k = rng.choice(["2", "3", "0.5", "-1", "1.5", "0", "-2", "2.5"])
        self.ops.add("**")
        return rng.choice([f"({e}) ** {k}", f"({e}).pow({k})", f"torch.pow({e}, {k})"])

    def binary(self, shape, depth):
        rng = self.rng
        a = self.expr(shape, depth - 1)
        other = shape if rng.random() < 0.6 else ()
        b = self.expr(other, depth - 1)
        r = rng.random()
        if r < 0.55:
            op = rng.choice(["+", "-", "*", "/"])
            self.ops.add(op)
            return f"({a} {op} {b})" if rng.random() < 0.8 else f"({b} {op} {a})"
        if r < 0.75:
            f = rng.choice(["maximum", "minimum"])
            self.ops.add(f"torch.{f}")
            b2 = self.expr(shape, depth - 1)
            return f"torch.{f}({a}, {b2})"
        if r < 0.9:
            c = self.expr(shape, depth - 1)
            cmp = rng.choice([">", "<", ">=", "<="])
            self.ops.add("torch.where")
            return f"torch.where({a} {cmp} {b}, {c}, {self.expr(rng.choice([shape, ()]), depth - 1)})"
        self.ops.add("** tensor")
        return f"({a}) ** ({b})"

    def structural(self, shape, depth):
        """Shape-changing productions that land on `shape`."""
        rng = self.rng
        n, r = self.n, self.r
        if shape == (n,):
            choice = rng.choice(["softmax", "log_softmax", "softmin", "matvec", "rowsum", "row", "normalize", "col_T"])
            e = self.expr((n,), depth - 1)
            if choice in ("softmax", "log_softmax", "softmin"):
                self.ops.add(f"F.{choice}")
                return rng.choice([f"F.{choice}({e}, dim=0)", f"F.{choice}({e}, dim=-1)"]) if choice != "softmax" or rng.random() < 0.5 else f"({e}).softmax(dim=0)"
            if choice == "matvec":
                self.ops.add("@")
                M = self.expr((n, n), depth - 1)
                return rng.choice([f"({M} @ {e})", f"torch.matmul({M}, {e})", f"({M}).T @ {e}", f"torch.mv({M}, {e})"])
            if choice == "rowsum":
                self.ops.add("sum(dim)")
                M = self.expr((r, n), depth - 1)
                return rng.choice([f"({M}).sum(dim=0)", f"({M}).mean(dim=0)", f"torch.sum({M}, 0)", f"({M}).amax(dim=0)"])
            if choice == "row":
                self.ops.add("indexing")
                M = self.expr((r, n), depth - 1)
                return rng.choice([f"({M})[{rng.randrange(r)}]", f"({M})[-1]", f"({M})[0, :]"])
            if choice == "normalize":
                self.ops.add("F.normalize")
                return f"F.normalize({e}, dim=0)"
            self.ops.add(".T")
            M = self.expr((n, r), depth - 1)
            return f"({M}).T[{rng.randrange(r)}]"
        if len(shape) == 2:
            a, b = shape
            choice = rng.choice(["outer", "softmax", "layer_norm", "T", "bcast", "matmul"])
            if choice == "outer":
                self.ops.add("torch.outer")
                return f"torch.outer({self.expr((a,), depth - 1)}, {self.expr((b,), depth - 1)})"
            if choice == "softmax":
                self.ops.add("F.softmax(dim)")
                return f"F.softmax({self.expr(shape, depth - 1)}, dim={rng.choice([0, 1, -1])})"
            if choice == "layer_norm":
                self.ops.add("F.layer_norm")
                return f"F.layer_norm({self.expr(shape, depth - 1)}, ({b},))"
            if choice == "T":
                self.ops.add(".T")
                return rng.choice([f"({self.expr((b, a), depth - 1)}).T", f"({self.expr((b, a), depth - 1)}).t()"])
            if choice == "bcast":
                self.ops.add("broadcast")
                return f"({self.expr(shape, depth - 1)} * {self.expr((b,), depth - 1)})"
            self.ops.add("@")
            return f"({self.expr((a, n), depth - 1)} @ {self.expr((n, b), depth - 1)})"
        return self.elementwise(shape, depth)

    def expr(self, shape, depth):
        shape = tuple(shape)
        if depth <= 0 or self.rng.random() < 0.25:
            return self.leaf(shape)
        if not shape:
            return self.scalar(depth)
        r = self.rng.random()
        if r < 0.45:
            return self.elementwise(shape, depth)
        if r < 0.75:
            return self.binary(shape, depth)
        return self.structural(shape, depth)

    def scalar(self, depth):
        """A single number: reductions, indexing, losses, or arithmetic on scalars."""
        rng = self.rng
        n, r = self.n, self.r
        c = rng.random()
        if c < 0.45:
            shp = rng.choice([(n,), (n,), (r, n)])
            e = self.expr(shp, depth - 1)
            red = rng.choice(["sum", "mean", "max", "min", "amax", "amin", "norm", "norm_p", "lse", "index", "slice",
                              "var", "std", "dot", "prod_sum"])
            self.ops.add(red)
            if red in ("sum", "mean"):
                return rng.choice([f"({e}).{red}()", f"torch.{red}({e})"])
            if red in ("max", "min"):
                return rng.choice([f"({e}).{red}()", f"torch.{red}({e})"])
            if red in ("amax", "amin"):
                return f"torch.{red}({e})"
            if red == "norm":
                return rng.choice([f"({e}).norm()", f"torch.norm({e})", f"torch.linalg.norm({e})"])
            if red == "norm_p":
                p = rng.choice(["1", "3", "0.5", "float('inf')", "math.inf"])
                if "float(" in p:
                    p = "math.inf"
                return rng.choice([f"torch.norm({e}, {p})", f"torch.linalg.vector_norm({e}, ord={p})"])
            if red == "lse":
                return f"torch.logsumexp({e}.flatten(), dim=0)" if len(shp) == 2 else f"torch.logsumexp({e}, dim=0)"
            if red == "index":
                return f"({e})[{rng.randrange(shp[0])}]" + ("" if len(shp) == 1 else f"[{rng.randrange(n)}]") if rng.random() < 0.5 or len(shp) == 1 \
                    else f"({e})[{rng.randrange(r)}, {rng.randrange(n)}]"
            if red == "slice":
                if len(shp) == 1:
                    return rng.choice([f"({e})[1:3].sum()", f"({e})[::2].sum()", f"({e})[-1]", f"({e})[:-1].mean()"])
                return rng.choice([f"({e})[:, 0].sum()", f"({e})[0, 1]", f"({e})[1:, :].sum()", f"({e}).trace()"])
            if red in ("var", "std"):
                return rng.choice([f"({e}).{red}()", f"({e}).{red}(unbiased=False)", f"torch.{red}({e})"])
            if red == "dot":
                if len(shp) == 2:
                    return f"({e}).flatten().dot(({e}).flatten())"
                return rng.choice([f"({e}).dot({self.expr(shp, depth - 1)})", f"torch.dot({e}, {self.expr(shp, depth - 1)})"])
            return f"(({e}) * ({self.expr(shp, depth - 1)})).sum()"
        if c < 0.8:
            return self.loss(depth)
        if c < 0.9:
            a, b = self.expr((), depth - 1), self.expr((), depth - 1)
            op = rng.choice(["+", "-", "*", "/", "**"])
            self.ops.add(op)
            return f"({a} {op} {b})"
        e = self.expr((), depth - 1)
        f = rng.choice(["math.pi", "math.e", "torch.pi"])
        self.ops.add("constants")
        return f"({e} * {f})"

    def loss(self, depth):
        rng = self.rng
        n, r = self.n, self.r
        batch = rng.random() < 0.5
        shp = (r, n) if batch else (n,)
        e = self.expr(shp, depth - 1)
        red = rng.choice(["", "", ", reduction='sum'", ", reduction='mean'"])
        which = rng.choice(["mse", "l1", "smooth_l1", "huber", "bce", "bce_logits", "ce", "ce_soft", "nll", "kl", "soft_margin",
                            "hinge", "poisson", "gaussian", "multi_margin", "mlm", "mlsm"])
        self.ops.add(which)
        if which in ("mse", "l1", "smooth_l1", "huber"):
            t = self.expr(shp, depth - 1)
            fn = {"mse": "F.mse_loss", "l1": "F.l1_loss", "smooth_l1": "F.smooth_l1_loss", "huber": "F.huber_loss"}[which]
            extra = {"smooth_l1": rng.choice(["", ", beta=0.5", ", beta=0.0"]), "huber": rng.choice(["", ", delta=0.5"])}.get(which, "")
            return f"{fn}({e}, {t}{red}{extra})"
        if which == "bce":
            p = self.bind("p", shp, lo=0.0, hi=1.0)
            return f"F.binary_cross_entropy(torch.sigmoid({e}), {p}{red})"
        if which == "bce_logits":
            p = self.bind("p", shp, lo=0.0, hi=1.0)
            pw = rng.choice(["", f", pos_weight=torch.tensor({pyrepr([1.0 + i for i in range(n)])})"])
            return f"F.binary_cross_entropy_with_logits({e}, {p}{red}{pw})"
        if which in ("ce", "nll"):
            if batch:
                t = self.bind("T", (r,), dtype="long", grad=False, value=[rng.randrange(n) for _ in range(r)])
            else:
                t = self.bind("k", (), dtype="long", grad=False, value=rng.randrange(n))
            ls = rng.choice(["", "", ", label_smoothing=0.1"]) if which == "ce" else ""
            inner = e if which == "ce" else f"F.log_softmax({e}, dim=-1)"
            return f"F.{'cross_entropy' if which == 'ce' else 'nll_loss'}({inner}, {t}{red}{ls})"
        if which == "ce_soft":
            q = self.bind("q", shp, lo=0.0, hi=1.0)
            return f"F.cross_entropy({e}, {q}{red})"
        if which == "kl":
            return f"F.kl_div(F.log_softmax({e}, dim=-1), F.softmax({self.expr(shp, depth - 1)}, dim=-1), reduction='batchmean')"
        if which in ("soft_margin", "hinge"):
            s = self.bind("s", shp, grad=False, value=reshape([rng.choice([1.0, -1.0]) for _ in range(numel(shp))], shp))
            return f"F.{'soft_margin_loss' if which == 'soft_margin' else 'hinge_embedding_loss'}({e}, {s}{red})"
        if which == "poisson":
            c = self.bind("c", shp, grad=False, value=reshape([float(rng.randint(0, 4)) for _ in range(numel(shp))], shp))
            return f"F.poisson_nll_loss({e}, {c}{rng.choice(['', ', full=True'])}{red})"
        if which == "gaussian":
            t = self.expr(shp, depth - 1)
            var = rng.choice(["torch.ones_like(" + t + ") * 0.5", self.bind("var", shp, lo=0.0, hi=3.0), "0.7"])
            return f"F.gaussian_nll_loss({e}, {t}, {var}{red})"
        if which == "multi_margin":
            t = self.bind("T", (r,), dtype="long", grad=False, value=[rng.randrange(n) for _ in range(r)]) if batch else \
                self.bind("k", (), dtype="long", grad=False, value=rng.randrange(n))
            opts = rng.choice(['', ', p=2', ', margin=0.5'])
            if not batch:   # one row, as a batch of one (a 1-d input with a 1-d target)
                t1 = self.bind("k1", (1,), dtype="long", grad=False, value=[rng.randrange(n)])
                return f"F.multi_margin_loss(({e}).unsqueeze(0), {t1}{opts}{red})"
            return f"F.multi_margin_loss({e}, {t}{opts}{red})"
        if which == "mlm":
            labels = []
            for _ in range(r if batch else 1):
                k = rng.randint(0, n)
                labels.append(rng.sample(range(n), k) + [-1] * (n - k))
            t = self.bind("L", shp, dtype="long", grad=False, value=labels if batch else labels[0])
            return f"F.multilabel_margin_loss({e}, {t}{red})"
        p = self.bind("p", shp, lo=0.0, hi=1.0)
        return f"F.multilabel_soft_margin_loss({e}, {p}{red})"


# Templates: the expression-only functions and layers, each with bindings of the shapes it needs.
def template(g: FormulaGen, depth: int):
    rng = g.rng
    which = rng.choice(["linear", "bilinear", "conv1d", "conv2d", "sdpa", "cosine_similarity", "pairwise_distance",
                        "embedding", "margin_ranking", "triplet", "cosine_embedding", "ctc", "layer_norm", "batch_norm",
                        "group_norm", "rms_norm", "instance_norm", "max_pool1d", "avg_pool1d", "max_pool2d", "avg_pool2d",
                        "prelu", "glu", "normalize"])
    g.ops.add(which)
    reduce = rng.choice(["({}).sum()", "(({}) ** 2).sum()", "torch.tanh({}).sum()", "({}).mean()", "(G * {}).sum()"])

    def out(e, shape):
        if reduce.startswith("(G"):
            G = g.bind("G", shape, grad=False)
            return reduce.replace("G", G).format(e)
        return reduce.format(e)

    if which == "linear":
        r, i, o = rng.randint(1, 3), rng.randint(1, 3), rng.randint(1, 3)
        X, W, b = g.bind("X", (r, i)), g.bind("W", (o, i)), g.bind("b", (o,))
        return out(rng.choice([f"F.linear({X}, {W}, {b})", f"F.linear({X}, {W})"]), (r, o))
    if which == "bilinear":
        r, i, j, o = rng.randint(1, 2), rng.randint(1, 3), rng.randint(1, 3), rng.randint(1, 2)
        x1, x2, W, b = g.bind("x1", (r, i)), g.bind("x2", (r, j)), g.bind("Wb", (o, i, j)), g.bind("b", (o,))
        return out(f"F.bilinear({x1}, {x2}, {W}, {b})", (r, o))
    if which in ("conv1d", "conv2d"):
        two = which == "conv2d"
        cin, cout = rng.randint(1, 2), rng.randint(1, 2)
        groups = 1
        if cin == 2 and cout == 2 and rng.random() < 0.3:
            groups = 2
        k = rng.randint(1, 3)
        L = rng.randint(k + 1, 6)
        plain = rng.random() < 0.2
        if two:
            xs = (L, L) if plain else (cin, L, L)
            ws = (k, k) if plain else (cout, cin // groups, k, k)
        else:
            xs = (L,) if plain else (cin, L)
            ws = (k,) if plain else (cout, cin // groups, k)
        x, w = g.bind("inp", xs), g.bind("K", ws)
        extra = ""
        if not plain and rng.random() < 0.5:
            extra += f", bias={g.bind('c', (cout,))}"
        pad = rng.choice(["", ", padding=1", ", padding='same'", ", padding='valid'", ", stride=2", ", dilation=2"])
        if "dilation" in pad and (L < 2 * k):
            pad = ""
        if groups > 1:
            extra += ", groups=2"
        return f"(F.{which}({x}, {w}{extra}{pad}) ** 2).sum()"
    if which == "sdpa":
        L, S, E = rng.randint(1, 3), rng.randint(1, 3), rng.randint(1, 3)
        Q, K, V = g.bind("Q", (L, E)), g.bind("K", (S, E)), g.bind("V", (S, E))
        extra = rng.choice(["", ", is_causal=True", ", scale=0.5", f", attn_mask={g.bind('M', (L, S), grad=False)}"])
        return out(f"F.scaled_dot_product_attention({Q}, {K}, {V}{extra})", (L, E))
    if which == "cosine_similarity":
        n = rng.randint(1, 4)
        a, b = g.bind("a1", (n,)), g.bind("b1", (n,))
        if rng.random() < 0.2:
            g.bindings[a].value = [0.0] * n
        return f"F.cosine_similarity({a}, {b}, dim=0)" if rng.random() < 0.5 else f"F.cosine_similarity({g.bind('A', (2, n))}, {g.bind('B', (2, n))}).sum()"
    if which == "pairwise_distance":
        n = rng.randint(1, 4)
        a, b = g.bind("A", (2, n)), g.bind("B", (2, n))
        return f"F.pairwise_distance({a}, {b}{rng.choice(['', ', p=1.0', ', p=3.0', ', eps=0.0'])}).sum()"
    if which == "embedding":
        V, D = rng.randint(2, 4), rng.randint(1, 3)
        E = g.bind("E", (V, D))
        idx = g.bind("i", (3,), dtype="long", grad=False, value=[rng.randrange(V) for _ in range(3)])
        return out(f"F.embedding({idx}, {E}{rng.choice(['', ', padding_idx=0'])})", (3, D))
    if which == "margin_ranking":
        n = rng.randint(1, 4)
        a, b = g.bind("a1", (n,)), g.bind("b1", (n,))
        y = g.bind("s", (n,), grad=False, value=[rng.choice([1.0, -1.0]) for _ in range(n)])
        return f"F.margin_ranking_loss({a}, {b}, {y}{rng.choice(['', ', margin=0.5'])})"
    if which == "triplet":
        n = rng.randint(1, 3)
        a, p, q = g.bind("A", (2, n)), g.bind("P", (2, n)), g.bind("Nn", (2, n))
        return f"F.triplet_margin_loss({a}, {p}, {q}{rng.choice(['', ', swap=True', ', margin=0.5, p=1.0', ', margin=0.0'])})"
    if which == "cosine_embedding":
        n = rng.randint(1, 3)
        a, b = g.bind("A", (2, n)), g.bind("B", (2, n))
        y = g.bind("s", (2,), grad=False, value=[rng.choice([1.0, -1.0]) for _ in range(2)])
        return f"F.cosine_embedding_loss({a}, {b}, {y}{rng.choice(['', ', margin=0.2'])})"
    if which == "ctc":
        T, C, S = rng.randint(3, 5), rng.randint(2, 4), rng.randint(1, 2)
        Z = g.bind("Z", (T, 1, C))
        tg = g.bind("tg", (1, S), dtype="long", grad=False, value=[[rng.randint(1, C - 1) for _ in range(S)]])
        red = rng.choice(["", ", reduction='sum'"])
        return f"F.ctc_loss(F.log_softmax({Z}, dim=2), {tg}, ({T},), ({S},){red})"
    if which in ("layer_norm", "rms_norm"):
        r, n = rng.randint(1, 3), rng.randint(2, 4)
        X = g.bind("X", (r, n))
        gm = g.bind("gm", (n,))
        if which == "layer_norm":
            return out(rng.choice([f"F.layer_norm({X}, ({n},), weight={gm}, bias={g.bind('b', (n,))})", f"F.layer_norm({X}, [{n}])"]), (r, n))
        return out(rng.choice([f"F.rms_norm({X}, [{n}], weight={gm})", f"F.rms_norm({X}, ({n},), eps=1e-6)"]), (r, n))
    if which in ("batch_norm", "instance_norm", "group_norm"):
        N, C, L = rng.randint(2, 3), 2, rng.randint(2, 3)
        X = g.bind("X3", (N, C, L))
        gm, b = g.bind("gm", (C,)), g.bind("b", (C,))
        if which == "batch_norm":
            return out(f"F.batch_norm({X}, None, None, weight={gm}, bias={b}, training=True)", (N, C, L))
        if which == "instance_norm":
            return out(f"F.instance_norm({X}, weight={gm}, bias={b})", (N, C, L))
        return out(f"F.group_norm({X}, {rng.choice([1, 2])}, weight={gm}, bias={b})", (N, C, L))
    if which in ("max_pool1d", "avg_pool1d"):
        X = g.bind("X", (2, 5))
        return f"(F.{which}({X}, 2{rng.choice(['', ', stride=1', ', padding=1'])}) ** 2).sum()"
    if which in ("max_pool2d", "avg_pool2d"):
        X = g.bind("X3", (1, 4, 4))
        return f"(F.{which}({X}, 2{rng.choice(['', ', stride=1', ', padding=1'])}) ** 2).sum()"
    if which == "prelu":
        X = g.bind("X", (2, 3))
        a = g.bind("pw", (3,) if rng.random() < 0.5 else (1,))
        return out(f"F.prelu({X}, {a})", (2, 3))
    if which == "glu":
        X = g.bind("X", (2, 4))
        return out(f"F.glu({X})", (2, 2))
    X = g.bind("X", (2, 3))
    return out(f"F.normalize({X}{rng.choice(['', ', p=1.0', ', dim=0'])})", (2, 3))


def formula_case(idx: int, kind: str, seed: int, only: str | None) -> Case | None:
    """One `actgrad grad` case: a random formula, its bindings, and what to ask for."""
    key = f"{seed}:{kind}:formula:{idx}"
    for attempt in range(200 if only else 20):
        rng = random.Random(f"{key}:{attempt}")
        profile = rng.choice(["random", "random", "kinks", "extremes", "wide"])
        g = FormulaGen(rng, profile)
        depth = rng.randint(1, 3)
        if rng.random() < 0.35:
            final = template(g, depth)
        else:
            if rng.random() < 0.2:   # a program: h = ...; ...
                shp = rng.choice([(g.n,), (g.r, g.n)])
                g.stmts.append(f"h = {g.expr(shp, depth)}")
                g.locals["h"] = shp
                g.ops.add("program")
            nonscalar = kind == "formulas" and rng.random() < 0.2
            final = g.expr(rng.choice([(g.n,), (g.r, g.n)]) if nonscalar else (), depth + 1)
        if only and not any(only == o or only.replace("-", "_") in o for o in g.ops):
            continue
        names = [n for n in list(g.bindings) + list(g.locals)]
        if not names or not re.search(r"\b(" + "|".join(names) + r")\b", final):
            continue   # a constant formula ('1.5') tests nothing
        break
    else:
        return None
    stmts = g.stmts + [final]
    bindings = list(g.bindings.values())
    if not bindings:
        bindings = [Binding("x", g.value((g.n,)))]
    floats = [b.name for b in bindings if b.dtype == "float"]
    style = rng.randrange(6)
    argv = ["grad", "; ".join(stmts)] + [f"{b.name}={tensor_arg(b.value, style)}" for b in bindings]
    case = Case(id=f"{kind}-{idx:05d}", kind=kind, labels=sorted(g.ops) or ["leaf"], seed=key, argv=argv, stmts=stmts,
                bindings=bindings, wrt=floats, formula=True, note=profile)
    if kind == "second-order":
        case.hessian = True
        if floats and rng.random() < 0.6:
            case.wrt = sorted(rng.sample(floats, rng.randint(1, len(floats))), key=floats.index)
        case.grad = True
    else:
        case.grad = True
        r = rng.random()
        if r < 0.25:
            case.jacobian = True
        elif r < 0.45:
            case.grad_output = True
        if floats and rng.random() < 0.2:
            case.wrt = sorted(rng.sample(floats, rng.randint(1, len(floats))), key=floats.index)
    case.explicit_wrt = bool(case.wrt) and (case.wrt != floats or case.hessian)
    return case


# --------------------------------------------------------------------------------------------
# The reference: torch, with the shims of the tables. Runs in the workers.
# --------------------------------------------------------------------------------------------

torch = None
F = None


def import_torch():
    global torch, F
    if torch is None:
        import torch as _torch
        import torch.nn.functional as _F
        torch, F = _torch, _F
        torch.set_default_dtype(torch.float64)
        torch.set_num_threads(1)
        warnings.filterwarnings("ignore")
    return torch


class Proxy:
    """A module with some attributes replaced (F.hardswish -> the 2.11 shim)."""

    def __init__(self, base, overrides):
        self._base, self._over = base, overrides

    def __getattr__(self, name):
        if name in self._over:
            return self._over[name]
        return getattr(self._base, name)


def tensor_from(b: Binding, grad: bool):
    t = torch.tensor(b.value, dtype=torch.long if b.dtype == "long" else torch.float64)
    if grad and b.dtype == "float":
        t.requires_grad_(True)
    return t


def make_shims(layer: int, hits: set):
    """The overrides of F and torch for a layer (0: polyfills; 1: + 2.11; 2: + documented)."""
    Fn = torch.autograd.Function
    f_over, t_over, method_over = {}, {}, {}

    # ---- polyfills: functions 1.13 lacks, written as 2.11 computes them
    def rms_norm(input, normalized_shape, weight=None, eps=None):
        dims = tuple(range(-len(normalized_shape), 0))
        e = DBL_EPSILON if eps is None else eps
        y = input * torch.rsqrt(input.pow(2).mean(dims, keepdim=True) + e)
        return y * weight if weight is not None else y

    def sdpa(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None, enable_gqa=False):
        if layer >= 2 and dropout_p != 0:
            hits.add("random-modes-refused")
            raise RuntimeError("documented: dropout_p must be 0")
        L, S = query.size(-2), key.size(-2)
        sc = (1 / math.sqrt(query.size(-1))) if scale is None else scale
        sf = math.sqrt(abs(sc))
        q = query * (sf if sc >= 0 else -sf)
        attn = q @ (key.transpose(-2, -1) * sf)
        if is_causal:
            if attn_mask is not None:
                raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True")
            attn_mask = torch.ones(L, S, dtype=torch.bool).tril()
        if attn_mask is not None:
            if attn_mask.dtype == torch.bool:
                attn = attn + torch.zeros(L, S).masked_fill(attn_mask.logical_not(), -math.inf)
            else:
                attn = attn + attn_mask
        dead = torch.isneginf(attn).all(dim=-1, keepdim=True)
        w = torch.softmax(torch.where(dead, torch.zeros_like(attn), attn), dim=-1)
        w = torch.where(dead, torch.zeros_like(w), w)
        return w @ value

    f_over["rms_norm"] = rms_norm
    f_over["scaled_dot_product_attention"] = sdpa

    if layer >= 1:
        # ---- hardswish-kinks
        class HardswishBackward(Fn):
            @staticmethod
            def forward(ctx, g, x):
                ctx.save_for_backward(g, x)
                return torch.where(x <= -3, torch.zeros_like(g), torch.where(x < 3, g * (x / 3 + 0.5), g))

            @staticmethod
            def backward(ctx, gg):
                g, x = ctx.saved_tensors
                inside = (x > -3) & (x < 3)
                return HardswishBackward.apply(gg, x), torch.where(inside, gg * g / 3.0, torch.zeros_like(g))

        class Hardswish(Fn):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return torch.ops.aten.hardswish(x)

            @staticmethod
            def backward(ctx, g):
                (x,) = ctx.saved_tensors
                return HardswishBackward.apply(g, x)

        def hardswish(input, inplace=False):
            if bool(((input == 3) | (input == -3)).any()):
                hits.add("hardswish-kinks")
            return Hardswish.apply(input)

        f_over["hardswish"] = hardswish

        # ---- prelu-double-backward
        def wshape(x, w):
            if w.numel() == 1:
                return w.reshape(())
            return w.reshape([1, -1] + [1] * (x.dim() - 2))

        def reduce_to(full, w):
            if w.numel() == 1:
                return full.sum().reshape(w.shape)
            dims = [0] + list(range(2, full.dim()))
            return full.sum(dims).reshape(w.shape)

        class PreluBackward(Fn):
            @staticmethod
            def forward(ctx, g, x, w):
                ctx.save_for_backward(g, x, w)
                wb = wshape(x, w)
                pos = x > 0
                gx = torch.where(pos, g, wb * g)
                gw = reduce_to(torch.where(pos, torch.zeros_like(g), x * g), w)
                return gx, gw

            @staticmethod
            def backward(ctx, ggx, ggw):
                g, x, w = ctx.saved_tensors
                wb = wshape(x, w)
                ggx = torch.zeros_like(x) if ggx is None else ggx
                ggw_b = torch.zeros_like(x) if ggw is None else (wshape(x, ggw) * torch.ones_like(x))
                nonneg = x >= 0
                zero = torch.zeros_like(x)
                if bool((x == 0).any()):
                    hits.add("prelu-double-backward")
                d_g = torch.where(nonneg, ggx, ggx * wb + ggw_b * x)
                d_x = torch.where(nonneg, zero, g * ggw_b)
                d_w = reduce_to(torch.where(nonneg, zero, g * ggx), w)
                return d_g, d_x, d_w

        class Prelu(Fn):
            @staticmethod
            def forward(ctx, x, w):
                ctx.save_for_backward(x, w)
                return torch.ops.aten.prelu(x, w)

            @staticmethod
            def backward(ctx, g):
                x, w = ctx.saved_tensors
                return PreluBackward.apply(g, x, w)

        def prelu(input, weight):
            if input.dim() >= 2 and weight.numel() not in (1, input.size(1)) or input.dim() < 2 and weight.numel() != 1:
                return F.prelu(input, weight)   # the installed torch's error message
            return Prelu.apply(input, weight)

        f_over["prelu"] = prelu

        # ---- hardtanh-check
        def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
            if min_val > max_val:
                hits.add("hardtanh-check")
                raise ValueError("min_val cannot be greater than max_val")
            return F.hardtanh(input, min_val, max_val)

        f_over["hardtanh"] = hardtanh

        # ---- triplet-margin-check
        def triplet_margin_loss(anchor, positive, negative, margin=1.0, *args, **kwargs):
            if margin <= 0:
                hits.add("triplet-margin-check")
                raise ValueError(f"margin must be greater than 0, got {margin}")
            return F.triplet_margin_loss(anchor, positive, negative, margin, *args, **kwargs)

        f_over["triplet_margin_loss"] = triplet_margin_loss

        # ---- bce-target-check
        def binary_cross_entropy(input, target, *args, **kwargs):
            tt = target.detach()
            if not bool(((tt >= 0) & (tt <= 1)).all()):
                ii = input.detach()
                if bool(((ii >= 0) & (ii <= 1)).all()):
                    hits.add("bce-target-check")
                raise RuntimeError("all elements of target should be between 0 and 1")
            return F.binary_cross_entropy(input, target, *args, **kwargs)

        f_over["binary_cross_entropy"] = binary_cross_entropy

        # ---- gaussian-nll-float-var
        def gaussian_nll_loss(input, target, var, *args, **kwargs):
            if isinstance(var, (int, float)):
                hits.add("gaussian-nll-float-var")
                if var < 0:
                    raise ValueError("var has negative entry/entries")
                var = var * torch.ones_like(input)
            return F.gaussian_nll_loss(input, target, var, *args, **kwargs)

        f_over["gaussian_nll_loss"] = gaussian_nll_loss

        # ---- softshrink-nan
        def softshrink(input, lambd=0.5):
            y = F.softshrink(input, lambd)
            if bool(torch.isnan(input).any()):
                hits.add("softshrink-nan")
                return torch.where(torch.isnan(input), input, y)
            return y

        f_over["softshrink"] = softshrink

        # ---- smooth-l1-beta0
        def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
            if beta == 0.0:
                hits.add("smooth-l1-beta0")
                return F.l1_loss(input, target, size_average, reduce, reduction)
            return F.smooth_l1_loss(input, target, size_average, reduce, reduction, beta)

        f_over["smooth_l1_loss"] = smooth_l1_loss

        # ---- batch-norm-eps-check
        def batch_norm_211(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5):
            if training and eps <= 0.0:
                hits.add("batch-norm-eps-check")
                raise ValueError(f"batch_norm eps must be positive during training, but got {eps}")
            if eps < 0.0:
                hits.add("batch-norm-eps-check")
                raise ValueError(f"batch_norm eps must be non-negative, but got {eps}")
            return F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)

        f_over["batch_norm"] = batch_norm_211

    if layer >= 2:
        # ---- step-derivative
        class Heaviside(Fn):
            @staticmethod
            def forward(ctx, x, v):
                return torch.heaviside(x, v)

            @staticmethod
            def backward(ctx, g):
                hits.add("step-derivative")
                return torch.zeros_like(g), None

        t_over["heaviside"] = lambda x, v: Heaviside.apply(x, v)

        # ---- hardsigmoid-double-backward
        class Hardsigmoid(Fn):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return F.hardsigmoid(x)

            @staticmethod
            def backward(ctx, g):
                (x,) = ctx.saved_tensors
                hits.add("hardsigmoid-double-backward")
                return torch.where((x > -3) & (x < 3), g * F32_ONE_SIXTH, torch.zeros_like(g))

        f_over["hardsigmoid"] = lambda input, inplace=False: Hardsigmoid.apply(input)

        # ---- multi-margin / multilabel-margin double backward: composites with PyTorch's first order
        def reduce_loss(per, reduction):
            return per.mean() if reduction == "mean" else per.sum() if reduction == "sum" else per

        def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None, reduce=None, reduction="mean"):
            if p not in (1, 2):
                raise ValueError("only p == 1 and p == 2 supported")
            hits.add("multi-margin-double-backward")
            x = input if input.dim() == 2 else input.unsqueeze(0)
            t = target.reshape(-1)
            C = x.size(1)
            xy = x.gather(1, t.unsqueeze(1))
            z = margin - xy + x
            other = torch.ones_like(x, dtype=torch.bool).scatter(1, t.unsqueeze(1), False)
            # select before squaring: an inactive term must pass no 0·inf into the gradient
            zs = torch.where((z > 0) & other, z, torch.zeros_like(z))
            term = zs if p == 1 else zs * zs
            if weight is not None:
                term = term * weight[t].unsqueeze(1)
            per = term.sum(1) / C
            if input.dim() == 1:
                per = per.reshape(())
            return reduce_loss(per, reduction)

        def multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
            hits.add("multilabel-margin-double-backward")
            x = input if input.dim() == 2 else input.unsqueeze(0)
            t = target if target.dim() == 2 else target.unsqueeze(0)
            C = x.size(1)
            rows = []
            for i in range(x.size(0)):
                labels = []
                for v in t[i].tolist():
                    if v < 0:
                        break
                    labels.append(v)
                is_t = torch.zeros(C, dtype=torch.bool)
                for v in labels:
                    is_t[v] = True
                total = x.new_zeros(())
                for j in labels:
                    z = 1 - (x[i, j] - x[i])
                    total = total + torch.where((z > 0) & ~is_t, z, torch.zeros_like(z)).sum()
                rows.append(total / C)
            per = torch.stack(rows)
            if input.dim() == 1:
                per = per.reshape(())
            return reduce_loss(per, reduction)

        f_over["multi_margin_loss"] = multi_margin_loss
        f_over["multilabel_margin_loss"] = multilabel_margin_loss

        # ---- norm-scaling: the value from entries divided by a power of two S near the slice's
        # largest magnitude (1 for a slice of zeros or one holding inf); the backward is PyTorch's
        # norm_backward with the entries and the norm divided by S, over the output as a node.
        def slice_scale(x, dims):
            with torch.no_grad():
                a = x.detach().abs()
                a = torch.where(torch.isnan(a), torch.zeros_like(a), a)
                m = a.amax(dim=dims, keepdim=True) if dims else a.max().reshape([1] * x.dim())
                ok = (m > 0) & torch.isfinite(m)
                e = torch.floor(torch.log2(torch.where(ok, m, torch.ones_like(m)))).clamp(-1074, 1023)
                return torch.where(ok, torch.exp2(e), torch.ones_like(m))

        class ScaledNorm(Fn):
            @staticmethod
            def forward(ctx, x, p, dims):
                S = slice_scale(x, dims)
                out = torch.linalg.vector_norm(x / S, p, dim=dims or None, keepdim=True) * S
                ctx.p, ctx.dims = p, dims
                ctx.save_for_backward(x, out)
                return out

            @staticmethod
            def backward(ctx, g):
                x, n = ctx.saved_tensors
                p = ctx.p
                S = slice_scale(x, ctx.dims)
                xs, ns = x / S, n / S
                zero = torch.zeros_like(x)
                if p == 2:
                    return g * torch.where(n == 0, zero, xs / ns), None, None
                if p < 1:
                    self_s = torch.sign(x) * torch.where(x == 0, zero, xs.abs().pow(p - 1))
                    return self_s * g * ns.pow(1 - p), None, None
                self_s = torch.sign(x) * xs.abs().pow(p - 1) if p < 2 else xs * xs.abs().pow(p - 2)
                return self_s * torch.where(n == 0, torch.zeros_like(n), g / ns.pow(p - 1)), None, None

        def scaled_norm(base):
            def norm(input, p="fro", dim=None, keepdim=False, *args, **kwargs):
                pv = 2.0 if p in ("fro", None) else p
                if isinstance(pv, str) or pv in (0, 1, math.inf, -math.inf) or args or kwargs:
                    return base(input, p, dim, keepdim, *args, **kwargs)
                dims = [] if dim is None else ([dim] if isinstance(dim, int) else list(dim))
                dims = [d % input.dim() for d in dims]
                hits.add("norm-scaling")
                out = ScaledNorm.apply(input, float(pv), tuple(dims))
                if not keepdim:
                    out = out.reshape([sz for i, sz in enumerate(out.shape) if dims and i not in dims])
                return out
            return norm

        t_over["norm"] = scaled_norm(torch.norm)
        method_over["norm"] = scaled_norm(torch.Tensor.norm)

        # ---- batch-norm-batch-stats
        def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5):
            if running_mean is None and running_var is None and not training:
                hits.add("batch-norm-batch-stats")
                training = True
            return batch_norm_211(input, running_mean, running_var, weight, bias, training, momentum, eps)

        f_over["batch_norm"] = batch_norm

        # ---- plain-shapes
        def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
            if input.dim() == 1 and dim == 1:
                hits.add("plain-shapes")
                dim = 0
            return F.normalize(input, p, dim, eps)

        f_over["normalize"] = normalize

        def pool(base, plain_rank):
            def fn(input, *args, **kwargs):
                if kwargs.get("return_indices"):
                    hits.add("random-modes-refused")
                    raise RuntimeError("documented: return_indices=True is refused")
                if input.dim() == plain_rank:
                    hits.add("plain-shapes")
                    return base(input.unsqueeze(0), *args, **kwargs).squeeze(0)
                return base(input, *args, **kwargs)
            return fn

        for nm, rank in (("max_pool1d", 1), ("avg_pool1d", 1), ("max_pool2d", 2), ("avg_pool2d", 2)):
            f_over[nm] = pool(getattr(F, nm), rank)

        def conv(base, rank):
            def fn(input, weight, bias=None, *args, **kwargs):
                plain_x, plain_w = input.dim() == rank, weight.dim() == rank
                if plain_x or plain_w:
                    hits.add("plain-shapes")
                x = input.unsqueeze(0) if plain_x else input
                w = weight.unsqueeze(0).unsqueeze(0) if plain_w else weight
                y = base(x, w, bias, *args, **kwargs)
                return y.squeeze(0) if plain_x and plain_w else y
            return fn

        f_over["conv1d"] = conv(F.conv1d, 1)
        f_over["conv2d"] = conv(F.conv2d, 2)

        def layer_norm(input, normalized_shape=None, weight=None, bias=None, eps=1e-5):
            if normalized_shape is None:
                hits.add("plain-shapes")
                normalized_shape = input.shape[-1:]
            return F.layer_norm(input, normalized_shape, weight, bias, eps)

        f_over["layer_norm"] = layer_norm
        base_rms = rms_norm

        def rms_norm2(input, normalized_shape=None, weight=None, eps=None):
            if normalized_shape is None:
                hits.add("plain-shapes")
                normalized_shape = input.shape[-1:]
            return base_rms(input, normalized_shape, weight, eps)

        f_over["rms_norm"] = rms_norm2

        # ---- random-modes-refused
        def dropout(input, p=0.5, training=True, inplace=False):
            if training and p not in (0, 1):
                hits.add("random-modes-refused")
                raise RuntimeError("documented: training-mode dropout is random")
            return F.dropout(input, p, training)

        def rrelu(input, lower=1. / 8, upper=1. / 3, training=False, inplace=False):
            if training and lower != upper:
                hits.add("random-modes-refused")
                raise RuntimeError("documented: training-mode rrelu is random")
            if training:
                return F.leaky_relu(input, lower)
            return F.rrelu(input, lower, upper, False)

        f_over["dropout"] = dropout
        f_over["rrelu"] = rrelu
    return f_over, t_over, method_over


class Patched:
    """Tensor methods replaced for the duration of one evaluation (x.norm() under norm-scaling)."""

    def __init__(self, methods):
        self.methods, self.saved = methods, {}

    def __enter__(self):
        for k, v in self.methods.items():
            self.saved[k] = getattr(torch.Tensor, k)
            setattr(torch.Tensor, k, v)

    def __exit__(self, *exc):
        for k, v in self.saved.items():
            setattr(torch.Tensor, k, v)


class TorchError(Exception):
    """The reference raised: PyTorch refuses the input (or the asked derivative). `hits` are the
    shims that took part (a documented refusal is a shim that raises)."""

    def __init__(self, message, hits=()):
        super().__init__(message)
        self.hits = set(hits)


def namespace(layer, hits, tensors):
    f_over, t_over, m_over = make_shims(layer, hits)
    Fp = Proxy(F, f_over)
    nn = Proxy(torch.nn, {"functional": Fp})
    tp = Proxy(torch, dict(t_over, nn=nn))
    ns = {"torch": tp, "F": Fp, "nn": nn, "math": math}
    ns.update(tensors)
    return ns, m_over


def run_program(stmts, ns):
    for s in stmts[:-1]:
        exec(s, ns)   # noqa: S102 - our own generated PyTorch code
    return eval(stmts[-1], ns)   # noqa: S307


def materialize(t):
    """A real tensor for 1.13's "efficient zero tensors" (some double backwards return them, and
    they cannot be read)."""
    if t is not None and getattr(t, "_is_zerotensor", lambda: False)():
        return torch.zeros(t.shape, dtype=t.dtype)
    return t


def as_list(t):
    """A tensor's values as (shape, flat floats)."""
    t = materialize(t.detach())
    return tuple(t.shape), [float(v) for v in t.reshape(-1).tolist()]


def grad_of(y, xs, go, create_graph=False, unused=None):
    """torch.autograd.grad with zeros for inputs y does not depend on (PyTorch's None); the
    indices of those go into `unused` when given."""
    if not y.requires_grad:
        if unused is not None:
            unused.update(range(len(xs)))
        return [torch.zeros_like(x) for x in xs]
    gs = torch.autograd.grad(y, xs, go, retain_graph=True, create_graph=create_graph, allow_unused=True)
    if unused is not None:
        unused.update(i for i, g in enumerate(gs) if g is None)
    return [torch.zeros_like(x) if g is None else materialize(g) for x, g in zip(xs, gs)]


def evaluate(case: Case, layer: int, go_values=None, hvp_values=None):
    """The reference numbers of a case at a layer: (quantities, shims hit, names without gradient).
    Each quantity is (shape, flat floats). Raises TorchError when PyTorch refuses.

    In a formula every float name is bound with requires_grad, as actgrad differentiates every
    bound name. Where PyTorch refuses to differentiate one ("not differentiable with respect to
    argument 'target'", raised in the forward or the backward pass), that name is bound as a
    constant instead and gets no gradient: the contract's rule for such names."""
    import_torch()
    hits = set()
    nograd = set()

    def attempt(skip, hit_set):
        tensors = {}
        for b in case.bindings:
            wants = (b.grad and b.name in case.wrt) if not case.formula else b.name not in skip
            tensors[b.name] = tensor_from(b, wants)
        ns, methods = namespace(layer, hit_set, tensors)
        with Patched(methods):
            y = run_program(case.stmts, ns)
            return compute(case, y, tensors, skip, go_values, hvp_values, layer, hit_set)

    try:
        while True:
            try:
                return attempt(nograd, hits), hits, nograd
            except RuntimeError as e:
                if not (case.formula and any(s in str(e) for s in NOT_DIFFERENTIABLE)):
                    raise
                found = None
                for c in [b.name for b in case.bindings if b.dtype == "float" and b.name not in nograd]:
                    try:
                        attempt(nograd | {c}, set())
                        found = c
                        break
                    except Exception:  # noqa: BLE001
                        continue
                if found is None:
                    raise
                nograd.add(found)
    except Exception as e:  # noqa: BLE001 - any exception of PyTorch's is its refusal
        raise TorchError(f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}", hits) from None


def compute(case: Case, y, tensors, nograd, go_values, hvp_values, layer=1, hits=None):
    """The quantities the case asks for, as PyTorch computes them (see the Case fields)."""
    out = {}
    if not isinstance(y, torch.Tensor):
        y = torch.tensor(float(y))
    out["value"] = as_list(y)
    names = [n for n in case.wrt if n not in nograd and isinstance(tensors.get(n), torch.Tensor)
             and tensors[n].dtype == torch.float64]
    xs = [tensors[n] for n in names]
    out["_names"] = names
    out["_nograd"] = sorted(nograd)
    go = None
    if go_values is not None:
        go = torch.tensor(go_values, dtype=torch.float64).reshape(y.shape)
    if case.formula:
        return compute_formula(case, y, xs, names, go, out, hvp_values)
    x = tensors["x"]
    seed = go if go is not None else torch.ones_like(y)
    if case.grad and case.order <= 1:
        out["grad"] = as_list(grad_of(y, [x], seed)[0])
    if case.order > 1:
        d = y
        for _ in range(case.order):
            d = grad_of(d, [x], torch.ones_like(d), create_graph=True)[0] if d.requires_grad else torch.zeros_like(x)
        out["grad"] = as_list(d)
    if case.jacobian:
        if y.dim() == 0:
            out["jacobian"] = as_list(grad_of(y, [x], None)[0])   # a scalar: the gradient (input's shape)
        else:
            yf = y.reshape(-1)
            J = torch.stack([grad_of(yf, [x], unit(yf.numel(), i))[0].reshape(-1) for i in range(yf.numel())]) \
                if yf.numel() else torch.zeros(0, x.numel())
            out["jacobian"] = as_list(J)                                    # [outputs, inputs]
            blocks = jacobian_blocks(case, x, y, J, layer, hits)
            if blocks is not None:
                out["jacobian_blocks"] = blocks
    if case.hessian or case.hvp:
        s = y if (y.dim() == 0 and go is None) else (y * seed).sum()
        g = grad_of(s, [x], None, create_graph=True)[0]
        n = x.numel()
        if case.hessian:
            gf = g.reshape(-1)
            H = torch.stack([grad_of(gf[i], [x], None)[0].reshape(-1) for i in range(n)]) if n else torch.zeros(0, 0)
            if layer >= 2:
                keep = block_mask(case.layout, x)
                if keep is not None:
                    if bool((torch.isnan(H) & ~keep).any()):
                        hits.add("independent-rows")
                    H = torch.where(keep, H, torch.zeros_like(H))
            out["hessian"] = as_list(H)
        if case.hvp and hvp_values is not None:
            v = torch.tensor(hvp_values, dtype=torch.float64).reshape(x.shape)
            out["hvp"] = as_list(grad_of(g, [x], v)[0])
    return out


def unit(m, i):
    e = torch.zeros(m)
    e[i] = 1
    return e


def block_mask(layout, x):
    """Which entries of an [n, n] matrix over the flattened input can be non-zero: the diagonal for
    an elementwise function, the row's block for a row-wise one; None for a coupled one."""
    n = x.numel()
    if layout == "elementwise":
        return torch.eye(n, dtype=torch.bool)
    if layout == "rows" and x.dim() >= 1 and x.shape[-1] > 0:
        w = x.shape[-1]
        keep = torch.zeros(n, n, dtype=torch.bool)
        for b in range(n // w):
            keep[b * w:(b + 1) * w, b * w:(b + 1) * w] = True
        return keep
    return None


def jacobian_blocks(case: Case, x, y, J, layer, hits):
    """The Jacobian in the contract's per-row layout (src/commands/function.ts jacobianOf): an
    elementwise function gives one [w, w] matrix per row ([rows, w, w] for a batch), a row-wise one
    one [k, w] block per row ([w] when a row gives one number). At layer 2 the entries that are zero
    by structure are zero (independent-rows): PyTorch's unit-vector VJPs can spread 0·NaN into
    them. None when the layout does not apply."""
    n, m = x.numel(), y.numel()
    if case.layout not in ("elementwise", "rows") or x.dim() == 0:
        return None
    w = x.shape[-1]
    rows = n // w if w else 0
    if not rows or m % rows:
        return None
    k = m // rows
    if case.layout == "elementwise" and k != w:
        return None
    if layer >= 2:
        keep = torch.zeros(m, n, dtype=torch.bool)
        for r in range(rows):
            if case.layout == "elementwise":
                for i in range(w):
                    keep[r * w + i, r * w + i] = True
            else:
                keep[r * k:(r + 1) * k, r * w:(r + 1) * w] = True
        if bool((torch.isnan(J) & ~keep).any()):
            hits.add("independent-rows")
        J = torch.where(keep, J, torch.zeros_like(J))
    blocks = torch.stack([J[r * k:(r + 1) * k, r * w:(r + 1) * w] for r in range(rows)])
    block_shape = [w] if k == 1 and y.dim() < x.dim() else [k, w]
    return as_list(blocks.reshape(([rows] if x.dim() >= 2 else []) + block_shape))


def compute_formula(case, y, xs, names, go, out, hvp_values):
    refused = [n for n in case.wrt if n in out["_nograd"]]
    if case.explicit_wrt and refused:
        raise ValueError(f"--wrt {refused[0]}: PyTorch computes no gradient for {refused[0]}")
    if case.grad or case.hessian:
        if go is None and y.numel() != 1:
            if case.jacobian:
                pass
            else:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
        if not case.jacobian or go is not None:
            seed = go if go is not None else torch.ones_like(y)
            unused = set()
            gs = grad_of(y, xs, seed, create_graph=case.hessian, unused=unused) if xs else []
            out["grad"] = {n: as_list(g) for n, g in zip(names, gs)}
            out["_unused"] = [names[i] for i in sorted(unused)]
    if case.jacobian:
        m = y.numel()
        yf = y.reshape(-1)
        jac = {}
        unused = set(out.get("_unused", names))
        for n, x in zip(names, xs):
            rows = []
            for i in range(m):
                e = torch.zeros(m)
                e[i] = 1
                none = set()
                rows.append(grad_of(yf, [x], e, unused=none)[0].reshape(-1))
                if not none:
                    unused.discard(n)
            J = torch.stack(rows) if rows else torch.zeros(0, x.numel())
            jac[n] = as_list(J.reshape(tuple(y.shape) + tuple(x.shape)))
        out["jacobian"] = jac
        out["_unused"] = sorted(unused & set(names)) if m else out.get("_unused", [])
    if case.hessian:
        gs = grad_of(y.reshape(()) if y.numel() == 1 else y, xs, None if y.numel() == 1 else go, create_graph=True) if xs else []
        flat = torch.cat([g.reshape(-1) for g in gs]) if gs else torch.zeros(0)
        rows = []
        for i in range(flat.numel()):
            r = grad_of(flat[i], xs, None)
            rows.append(torch.cat([t.reshape(-1) for t in r]))
        H = torch.stack(rows) if rows else torch.zeros(0, 0)
        out["hessian"] = as_list(H)
    return out


# --------------------------------------------------------------------------------------------
# Running actgrad, comparing, classifying.
# --------------------------------------------------------------------------------------------

def run_actgrad(cmd, argv, timeout):
    """(status, parsed JSON or message). status: ok | refused | crash | timeout | badjson"""
    try:
        p = subprocess.run(cmd + argv, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
                           env=dict(os.environ, NO_COLOR="1"))
    except subprocess.TimeoutExpired:
        return "timeout", f"no answer within {timeout} s"
    err = p.stderr.strip()
    if p.returncode == 2 and "internal error" not in err and "Error:" not in err.split("\n")[0][:6]:
        return "refused", err.splitlines()[0] if err else "(exit 2, no message)"
    if p.returncode != 0:
        return "crash", f"exit {p.returncode}: {err[:400]}"
    try:
        return "ok", from_json(json.loads(p.stdout))
    except json.JSONDecodeError:
        return "badjson", p.stdout[:300]


def magnitude(*refs) -> float:
    """The largest finite magnitude among references (shape, flat): the scale of a quantity."""
    return max([abs(v) for r in refs for v in r[1] if math.isfinite(v)] or [0.0])


def compare_tensor(label, got, want, scale=None):
    """Differences between actgrad's nested list and a reference (shape, flat): a list of strings.
    A difference is marked "(tiny)" when it is below TINY, or below TINY_REL times the largest
    magnitude of the quantity (`scale`): rounding under cancellation, to triage first."""
    wshape, wflat = want
    scale = magnitude(want) if scale is None else scale
    gshape = shape_of(got)
    if gshape != tuple(wshape):
        return [f"{label}: shape {list(gshape)}, expected {list(wshape)}"]
    gflat = flatten(got)
    bad = []
    for i, (a, b) in enumerate(zip(gflat, wflat)):
        if not isinstance(a, float):
            bad.append(f"{label}[{i}]: {a!r} is not a number")
            break
        if not close(a, b):
            tiny = math.isfinite(a) and math.isfinite(b) and (abs(a - b) < TINY or abs(a - b) <= TINY_REL * scale)
            bad.append(f"{label}{index_text(i, wshape)}: {a!r}, expected {b!r}" + (" (tiny)" if tiny else ""))
    return bad


def index_text(i, shape):
    if not shape:
        return ""
    idx = []
    for d in reversed(shape):
        idx.append(i % d if d else 0)
        i //= d if d else 1
    return "[" + ", ".join(str(v) for v in reversed(idx)) + "]"


def compare(case, out, ref):
    """Every difference between actgrad's JSON and a reference dict."""
    bad = []
    if "value" not in out:
        return ["no 'value' in the output"]
    bad += compare_tensor("value", out["value"], ref["value"])
    if case.formula:
        for q in ("grad", "jacobian"):
            if q in ref:
                have = out.get(q)
                if not isinstance(have, dict):
                    bad.append(f"no '{q}' in the output")
                    continue
                scale = magnitude(*ref[q].values())
                for n, want in ref[q].items():
                    if n not in have and n in ref.get("_unused", []):
                        continue   # PyTorch's gradient is None (y does not depend on n): none or zeros
                    if n not in have:
                        bad.append(f"{q}: no entry for {n}")
                    else:
                        bad += compare_tensor(f"{q}[{n}]", have[n], want, scale)
                extra = [n for n in have if n not in ref[q]]
                for n in extra:
                    if n in ref.get("_nograd", []):
                        bad.append(f"{q}[{n}]: actgrad gives a gradient; PyTorch cannot differentiate {n}")
        if "hessian" in ref:
            h = out.get("hessian")
            if not isinstance(h, dict) or "matrix" not in h:
                bad.append("no 'hessian' matrix in the output")
            else:
                bad += compare_tensor("hessian", h["matrix"], ref["hessian"])
        return bad
    for q in ("grad", "jacobian", "hessian", "hvp"):
        if q not in ref:
            continue
        if q not in out:
            bad.append(f"no '{q}' in the output")
            continue
        want = ref[q]
        if q == "jacobian" and "jacobian_blocks" in ref:
            # one matrix per row of a batch (the contract's layout), or the full [outputs, inputs]
            blocks = ref["jacobian_blocks"]
            if shape_of(out[q]) == tuple(blocks[0]) or shape_of(out[q]) != tuple(want[0]):
                if shape_of(out[q]) != tuple(blocks[0]):
                    bad.append(f"jacobian: shape {list(shape_of(out[q]))}, expected {list(blocks[0])} "
                               f"(one block per row) or {list(want[0])} (full)")
                    continue
                want = blocks
        bad += compare_tensor(q, out[q], want)
    return bad


def same_reference(a, b) -> bool:
    """Whether two references give the same numbers (to tell if a shim changed anything)."""
    if isinstance(a, TorchError) or isinstance(b, TorchError):
        return isinstance(a, TorchError) and isinstance(b, TorchError)
    for k in set(a) | set(b):
        if k.startswith("_"):
            continue
        if k not in a or k not in b:
            return False
        va, vb = a[k], b[k]
        if isinstance(va, dict):
            if set(va) != set(vb) or any(not same_pair(va[n], vb[n]) for n in va):
                return False
        elif not same_pair(va, vb):
            return False
    return True


def same_pair(x, y):
    return tuple(x[0]) == tuple(y[0]) and all(close(p, q) for p, q in zip(x[1], y[1]))


def split_reference(case: Case, layer: int, go_values):
    """An elementwise case evaluated one element at a time (PyTorch's scalar kernel lambdas),
    stitched back together. Used for the scalar-kernel-lambda entry."""
    import_torch()
    xb = case.bindings[0]
    flat = flatten(xb.value)
    shp = shape_of(xb.value)
    parts, hits = [], set()
    for i, v in enumerate(flat):
        sub = dataclasses.replace(case, bindings=[Binding("x", [v])] + case.bindings[1:], jacobian=False,
                                  hessian=case.hessian, layout="elementwise")
        # prelu with a weight per channel: pick this element's channel
        if "w" in [b.name for b in case.bindings] and len(shp) >= 2:
            wb = next(b for b in case.bindings if b.name == "w")
            if isinstance(wb.value, list) and len(wb.value) > 1:
                inner = numel(shp[2:])
                ch = (i // inner) % shp[1]
                sub.bindings = [Binding("x", [v]), dataclasses.replace(wb, value=[wb.value[ch]])]
        go = None if go_values is None else [flatten(go_values)[i]]
        ref, h, _ = evaluate(sub, layer, go)
        hits |= h
        parts.append(ref)
    out = {"value": (tuple(shp), [p["value"][1][0] for p in parts])}
    if parts and "grad" in parts[0]:
        out["grad"] = (tuple(shp), [p["grad"][1][0] for p in parts])
    if case.hessian and parts:
        n = len(flat)
        H = [0.0] * (n * n)
        for i, p in enumerate(parts):
            H[i * n + i] = p["hessian"][1][0]
        out["hessian"] = ((n, n), H)
    if case.jacobian and parts:
        w = shp[-1] if shp else 1
        rows = len(flat) // w if w else 0
        d = out["grad"][1] if case.grad and case.order <= 1 and go_values is None else None
        if d is None:
            ones = dataclasses.replace(case, grad=True, order=0, jacobian=False, hessian=False)
            dref = split_reference(ones, layer, None)[0]
            d = dref["grad"][1]
        J = [0.0] * (rows * w * w)
        for r in range(rows):
            for i in range(w):
                J[(r * w + i) * w + i] = d[r * w + i]
        out["jacobian"] = ((rows, w, w) if len(shp) >= 2 else (w, w), J)
    return out, hits


@dataclasses.dataclass
class Outcome:
    case_id: str
    kind: str
    labels: list
    status: str           # PASS | BUG | VERSION | DOCUMENTED | ERROR-MATCH
    reason: str           # one line
    entries: list         # table entries that explain it
    command: str
    snippet: str = ""
    details: list = dataclasses.field(default_factory=list)


def classify(case: Case, cmd, timeout) -> Outcome:
    """Run one case on both sides and classify it (see the module docstring)."""
    import_torch()
    rng = random.Random(case.seed + ":io")
    go_values = hvp_values = None
    argv = list(case.argv)
    # The output's shape decides --grad-output: take it from the reference's forward pass.
    if case.grad_output or case.hvp:
        try:
            probe = dataclasses.replace(case, grad=False, jacobian=False, hessian=False, order=0, hvp=False, grad_output=False)
            r, _, _ = evaluate(probe, 1)
            yshape = r["value"][0]
            if case.grad_output:
                go_values = reshape([draw(rng, "random") for _ in range(numel(yshape))], tuple(yshape))
            if case.hvp:
                xshape = shape_of(case.bindings[0].value) if not case.formula else None
                if xshape is not None:
                    hvp_values = reshape([draw(rng, "random") for _ in range(numel(xshape))], xshape)
        except TorchError:
            pass
    style = rng.randrange(6)
    if go_values is not None:
        argv += ["--grad-output", tensor_arg(go_values, style)]
    if case.formula:
        if case.jacobian:
            argv.append("--jacobian")
        if case.hessian:
            argv.append("--hessian")
        if case.explicit_wrt:
            argv += ["--wrt", ",".join(case.wrt)]
    else:
        if case.grad:
            argv.append(rng.choice(["--grad", "-g"]))
        if case.order > 1:
            argv += ["--order", str(case.order)]
        if case.jacobian:
            argv.append(rng.choice(["--jacobian", "-j"]))
        if case.hessian:
            argv.append(rng.choice(["--hessian", "-H"]))
        if hvp_values is not None:
            argv += ["--hvp", tensor_arg(hvp_values, style)]
    argv.append("--json")
    command = shlex.join(cmd + argv)
    snippet = torch_snippet(case, go_values, hvp_values)
    oc = Outcome(case.id, case.kind, case.labels, "PASS", "", [], command, snippet)

    status, out = run_actgrad(cmd, argv, timeout)
    if status in ("crash", "timeout", "badjson"):
        oc.status, oc.reason = "BUG", f"actgrad {status}: {out}"
        return oc
    case_h = dataclasses.replace(case, hvp=hvp_values is not None)

    def ref_at(layer):
        try:
            r, hits, _ = evaluate(case_h, layer, go_values, hvp_values)
            return r, hits
        except TorchError as e:
            return e, e.hits
        except Exception as e:  # noqa: BLE001 - a defect of this script, not of actgrad
            return TorchError(f"(differential.py) {type(e).__name__}: {e}"), set()

    ref1, hits1 = ref_at(1)
    if status == "refused" and case.explicit_wrt and not isinstance(ref1, TorchError) and \
            any(n in ref1.get("_unused", []) for n in case.wrt):
        oc.status = "ERROR-MATCH"
        oc.reason = f"--wrt names a name whose PyTorch gradient is None (unused); actgrad: {out}"
        return oc
    if status == "refused":
        if isinstance(ref1, TorchError):
            ref2, hits2 = ref_at(2)
            entries = sorted(e for e in hits2 if e in DOCUMENTED_DIFFS)
            if not isinstance(ref2, TorchError) and entries:
                oc.status = "BUG"
                oc.reason = (f"actgrad refuses ({out}) an input it documents as accepted "
                             f"({', '.join(entries)}); torch itself raises: {ref1}")
                oc.details = [f"documented value: {fmt_ref(ref2['value'])}"]
                return oc
            ref0, _ = ref_at(0)
            if isinstance(ref0, TorchError):
                oc.status, oc.reason = "ERROR-MATCH", f"actgrad: {out} | torch: {ref1}"
            else:
                oc.status, oc.entries = "VERSION", sorted(e for e in hits1 if e in VERSION_DIFFS)
                oc.reason = f"2.11 refuses ({ref1}), 1.13 computes; actgrad refuses: {out}"
            return oc
        ref2, hits2 = ref_at(2)
        if isinstance(ref2, TorchError):
            oc.status, oc.entries = "DOCUMENTED", sorted(e for e in hits2 if e in DOCUMENTED_DIFFS)
            oc.reason = f"actgrad refuses: {out}"
            if oc.entries:
                return oc
        finite = all(math.isfinite(v) for v in ref1["value"][1])
        oc.status = "BUG"
        oc.reason = f"actgrad refuses ({out}) where torch computes{'' if finite else ' (non-finite numbers)'}"
        oc.details = [f"torch value: {fmt_ref(ref1['value'])}"]
        return oc
    # actgrad answered
    if isinstance(ref1, TorchError):
        ref2, hits2 = ref_at(2)
        if not isinstance(ref2, TorchError):
            diffs = compare(case, out, ref2)
            entries = sorted(e for e in hits2 if e in DOCUMENTED_DIFFS)
            if not diffs and entries:
                oc.status, oc.entries, oc.reason = "DOCUMENTED", entries, f"torch raises ({ref1}); actgrad gives the documented numbers"
                return oc
            if entries:
                oc.status, oc.reason = "BUG", f"torch raises ({ref1}); actgrad's numbers differ from the documented ones ({', '.join(entries)})"
                oc.details = diffs[:6]
                return oc
        oc.status, oc.reason = "BUG", f"actgrad exits 0 with numbers where torch raises: {ref1}"
        oc.details = [f"actgrad value: {short(out.get('value'))}"]
        return oc
    diffs1 = compare(case, out, ref1)
    if not diffs1:
        vhits = [e for e in hits1 if e in VERSION_DIFFS and not e.endswith("polyfill")]
        if vhits:
            ref0, _ = ref_at(0)
            if isinstance(ref0, TorchError) or not same_reference(ref0, ref1):
                oc.status, oc.entries = "VERSION", sorted(vhits)
                oc.reason = "actgrad gives 2.11's numbers; 1.13 " + ("raises" if isinstance(ref0, TorchError) else "differs")
        return oc
    ref2, hits2 = ref_at(2)
    if not isinstance(ref2, TorchError) and not compare(case, out, ref2):
        entries = sorted(e for e in hits2 if e in DOCUMENTED_DIFFS)
        if entries:
            oc.status, oc.entries, oc.reason = "DOCUMENTED", entries, diffs1[0]
            return oc
    if case.split and not case.formula:
        try:
            sref, _ = split_reference(case_h, 2, go_values)
            if not compare(case, out, sref):
                oc.status, oc.entries, oc.reason = "DOCUMENTED", ["scalar-kernel-lambda"], diffs1[0]
                return oc
        except TorchError:
            pass
    ref0, _ = ref_at(0)
    oc.status = "BUG"
    oc.reason = diffs1[0]
    if all(d.endswith("(tiny)") for d in diffs1):
        oc.reason = "rounding-level: " + oc.reason
    oc.details = diffs1[:8]
    if not isinstance(ref0, TorchError) and not same_reference(ref0, ref1) and not compare(case, out, ref0):
        oc.reason += " (actgrad follows 1.13 here, not 2.11: " + ", ".join(sorted(e for e in hits1 if e in VERSION_DIFFS)) + ")"
    return oc


def short(v, n=160):
    s = json.dumps(v) if not isinstance(v, str) else v
    return s if len(s) <= n else s[:n] + "..."


def fmt_ref(t):
    return short(reshape(t[1], tuple(t[0])))


def torch_snippet(case: Case, go_values, hvp_values) -> str:
    """Self-contained PyTorch code that reproduces the reference with the installed torch (1.13:
    where a VERSION shim applies, its table entry says what 2.11 computes instead)."""
    lines = ["import math, torch, torch.nn.functional as F", "torch.set_default_dtype(torch.float64)"]
    code = " ".join(case.stmts)
    if "rms_norm" in code:
        lines += ["def rms_norm(x, shape, weight=None, eps=None):  # 2.11's composite; not in 1.13",
                  "    y = x * torch.rsqrt(x.pow(2).mean(tuple(range(-len(shape), 0)), keepdim=True)"
                  " + (2.220446049250313e-16 if eps is None else eps))",
                  "    return y if weight is None else y * weight",
                  "F.rms_norm = rms_norm"]
    if "scaled_dot_product_attention" in code:
        lines += ["# F.scaled_dot_product_attention is not in 1.13: see make_shims' sdpa in scripts/differential.py"]
    for b in case.bindings:
        args = [pyrepr(b.value)]
        if b.dtype == "long":
            args.append("dtype=torch.long")
        elif b.name in case.wrt:
            args.append("requires_grad=True")
        lines.append(f"{b.name} = torch.tensor({', '.join(args)})")
    wrt = ", ".join(case.wrt)
    lines.append(f"def f({wrt}):")
    lines += ["    " + st for st in case.stmts[:-1] + [f"return {case.stmts[-1]}"]]
    lines.append(f"out = torch.as_tensor(f({wrt}))")
    lines.append("print('value', out)")
    G = f"torch.tensor({pyrepr(go_values)})" if go_values is not None else "torch.ones_like(out)"
    if case.grad and case.order <= 1 and not case.jacobian:
        lines.append(f"print('grad', torch.autograd.grad(out, [{wrt}], {G}, allow_unused=True))")
    if case.order > 1:
        lines.append("d = out")
        lines.append(f"for _ in range({case.order}):")
        lines.append("    d = torch.autograd.grad(d.sum(), x, create_graph=True)[0] if d.requires_grad else torch.zeros_like(x)")
        lines.append(f"print('derivative of order {case.order}', d)")
    if case.jacobian:
        lines.append(f"print('jacobian', torch.autograd.functional.jacobian(f, ({wrt},)))")
    if case.hessian or hvp_values is not None:
        scalar = f"lambda {wrt}: (f({wrt}) * {G if go_values is not None else '1.0'}).sum()"
        if case.hessian:
            lines.append(f"print('hessian', torch.autograd.functional.hessian({scalar}, ({wrt},)))")
        if hvp_values is not None:
            lines.append(f"print('hvp', torch.autograd.functional.hvp({scalar}, x, torch.tensor({pyrepr(hvp_values)}))[1])")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Driving: generate, run in parallel, report.
# --------------------------------------------------------------------------------------------

def worker_init():
    import_torch()
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_one(args):
    case, cmd, timeout = args
    try:
        return classify(case, cmd, timeout)
    except Exception:  # noqa: BLE001 - report the script's own failure, keep going
        return Outcome(case.id, case.kind, case.labels, "BUG", "differential.py failed on this case (a defect of the script?)",
                       [], shlex.join(cmd + case.argv), details=traceback.format_exc().splitlines()[-3:])


def registry(cmd):
    p = subprocess.run(cmd + ["list", "--json"], capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        sys.exit(f"differential.py: `{shlex.join(cmd)} list --json` failed: {p.stderr.strip()[:300]}\n"
                 "Build first: npm run build (or npx tsc -p tsconfig.json; node scripts/registry-index.js)")
    return json.loads(p.stdout)


def make_cases(entries, kinds, total, seed, only):
    """All cases, deterministically: function cases round-robin over the functions, formulas."""
    # the command-line functions; "call" (expression-only) and "builtin" entries are covered by formulas
    runnable = [e for e in entries if e["kind"] in ("elementwise", "vector", "loss", "layer")]
    cli_fns = [e for e in runnable if e["name"] in set(ELEMENTWISE) | set(VECTOR) | set(LOSSES) | set(LAYERS)]
    missing = [e["name"] for e in runnable if e not in cli_fns]
    if only:
        cli_fns = [e for e in cli_fns if only == e["name"] or only in e.get("aliases", [])]
    per_kind = {}
    kinds = list(kinds)
    for i, k in enumerate(kinds):
        per_kind[k] = total // len(kinds) + (1 if i < total % len(kinds) else 0)
    cases = []
    for k in kinds:
        n = per_kind[k]
        if k == "functions" or k == "second-order":
            fn_part = n if k == "functions" else n // 2
            if only and not cli_fns:
                fn_part = 0
            for i in range(fn_part):
                if not cli_fns:
                    break
                cases.append(function_case(cli_fns[i % len(cli_fns)], i, k, seed))
            n -= fn_part
            if k == "functions":
                continue
        start = 100000 if k == "second-order" else 0
        made = 0
        i = 0
        while made < n and i < n * 3 + 10:
            c = formula_case(start + i, k, seed, only)
            i += 1
            if c is not None:
                cases.append(c)
                made += 1
    return cases, missing


def print_tables():
    for title, table in (("VERSION (PyTorch 1.13 vs 2.11)", VERSION_DIFFS), ("DOCUMENTED (actgrad's deliberate differences)", DOCUMENTED_DIFFS)):
        print(f"\n{title}")
        for k, v in table.items():
            print(f"  {k}  [{', '.join(v['functions'])}]")
            for line in textwrap.wrap(v["what"], 96):
                print(f"      {line}")
            print(f"      source: {v['source']}")


def report(outcomes, verbose):
    statuses = ["PASS", "VERSION", "DOCUMENTED", "ERROR-MATCH", "BUG"]
    rows = collections.OrderedDict()
    for o in outcomes:
        for lab in o.labels:
            key = (o.kind, lab)
            rows.setdefault(key, collections.Counter())[o.status] += 1
    print("\nSummary (a formula counts once for each operation it uses)")
    head = f"{'kind':<13} {'function / operation':<28} {'cases':>5} " + " ".join(f"{s:>11}" for s in statuses)
    print(head)
    print("-" * len(head))
    for (kind, lab), c in sorted(rows.items()):
        print(f"{kind:<13} {lab:<28} {sum(c.values()):>5} " + " ".join(f"{c[s] or '':>11}" for s in statuses))
    total = collections.Counter(o.status for o in outcomes)
    print("-" * len(head))
    print(f"{'all':<13} {'':<28} {len(outcomes):>5} " + " ".join(f"{total[s] or '':>11}" for s in statuses))

    explained = collections.Counter(e for o in outcomes if o.status in ("VERSION", "DOCUMENTED") for e in o.entries)
    if explained:
        print("\nKnown differences met: " + ", ".join(f"{k} {v}" for k, v in sorted(explained.items())))
    if verbose:
        for o in outcomes:
            if o.status in ("VERSION", "DOCUMENTED", "ERROR-MATCH"):
                print(f"{o.status:<11} {o.case_id} [{', '.join(o.entries)}] {o.reason[:200]}\n            {o.command}")

    bugs = [o for o in outcomes if o.status == "BUG"]
    if not bugs:
        print("\nNo BUG found.")
        return
    groups = collections.OrderedDict()
    for o in bugs:
        sig = (o.kind, ",".join(o.labels[:3]) if o.kind != "formulas" else "formula", bug_signature(o.reason))
        groups.setdefault(sig, []).append(o)
    print(f"\nBUG: {len(bugs)} case(s) in {len(groups)} group(s) (by function and kind of difference)")
    for (kind, lab, sig), os_ in groups.items():
        print(f"\n== BUG [{kind}] {lab}: {sig} ({len(os_)} case(s))")
        for o in os_[: None if verbose else 2]:
            print(f"  {o.case_id}: {o.reason}")
            for d in o.details[:6]:
                print(f"      {d}")
            print(f"    repro: {o.command}")
            print("    torch:\n" + textwrap.indent(o.snippet, "      "))


def bug_signature(reason: str) -> str:
    """A coarse key for grouping BUGs: the quantity and the kind of difference, not the numbers."""
    r = reason
    tag = ""
    if r.startswith("rounding-level: "):
        r, tag = r[len("rounding-level: "):], "rounding-level "
    for q in ("value", "grad", "jacobian", "hessian", "hvp"):
        if r.startswith(q):
            kind = "shape" if "shape" in r else "non-finite" if any(s in r for s in ("nan", "inf")) else "numbers"
            return f"{tag}{q} {kind}"
    if "documents as accepted" in r:
        return "refuses an input its documentation accepts"
    if r.startswith("actgrad refuses"):
        return "refuses what torch computes"
    if r.startswith("actgrad exits 0"):
        return "answers where torch raises"
    if r.startswith("torch raises"):
        return "documented numbers differ"
    return r[:60]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cases", type=int, default=600, help="cases in total, split evenly over --kinds (default 600)")
    ap.add_argument("--only", help="one function (registry name or alias), or an operation used inside formulas")
    ap.add_argument("--kinds", default="functions,formulas,second-order")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--cmd", default="node bin/actgrad.js")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per actgrad invocation (default 60)")
    ap.add_argument("-v", "--verbose", action="store_true", help="every BUG case (not two per group), and the explained ones")
    ap.add_argument("--ids", help="run only these case ids (comma-separated, as a report prints them; "
                                  "same --seed/--cases/--kinds/--only as the run that printed them)")
    ap.add_argument("--tables", action="store_true", help="print the VERSION and DOCUMENTED tables and exit")
    ap.add_argument("--list-cases", action="store_true",
                    help="print the generated commands and exit (the derivative options and --grad-output are added at run time)")
    a = ap.parse_args()
    if a.tables:
        print_tables()
        return 0
    kinds = [k.strip() for k in a.kinds.split(",") if k.strip()]
    for k in kinds:
        if k not in ("functions", "formulas", "second-order"):
            ap.error(f"--kinds: unknown kind {k!r} (functions, formulas, second-order)")
    cmd = shlex.split(a.cmd)
    entries = registry(cmd)
    cases, missing = make_cases(entries, kinds, a.cases, a.seed, a.only)
    if a.ids:
        wanted = set(a.ids.split(","))
        cases = [c for c in cases if c.id in wanted]
    if missing:
        print(f"note: no generator for {', '.join(missing)} (not covered)")
    if a.list_cases:
        for c in cases:
            print(c.id, shlex.join(cmd + c.argv))
        return 0
    if not cases:
        print("no cases (check --only and --kinds)")
        return 2
    print(f"differential.py: {len(cases)} cases, seed {a.seed}, kinds {','.join(kinds)}, {a.jobs} workers, rtol {RTOL:g} atol {ATOL:g}")
    outcomes = [None] * len(cases)
    with cf.ProcessPoolExecutor(max_workers=max(1, a.jobs), initializer=worker_init) as ex:
        futs = {ex.submit(run_one, (c, cmd, a.timeout)): i for i, c in enumerate(cases)}
        done = 0
        for f in cf.as_completed(futs):
            outcomes[futs[f]] = f.result()
            done += 1
            if done % 100 == 0:
                print(f"  {done}/{len(cases)}", file=sys.stderr)
    report(outcomes, a.verbose)
    return 1 if any(o.status == "BUG" for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
