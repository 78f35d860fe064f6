/**
 * Functions of a whole row (a slice along one dimension, the last by default): softmax and its
 * relatives, GLU, logsumexp and the p-norm. Kernels are PyTorch's (SoftMaxKernel.cpp, GluKernel.cpp,
 * ReduceOps.cpp logsumexp, the linalg_vector_norm reductions); each backward is PyTorch's backward op
 * (_softmax_backward_data, _log_softmax_backward_data, glu_backward, logsumexp_backward,
 * norm_backward) written with ops or as an op whose own backward is its derivatives.yaml entry, so
 * Hessians are PyTorch's double backward. See docs/dev/pytorch-formulas.md §3.4–3.5.
 */
import { expand } from '../autograd/broadcast';
import { abs, add, constant, div, eq, exp, mul, neg, ones, pow, sigmoid, sigmoidScalar, sign, sub, where } from '../autograd/elementwise';
import { keptShape, logsumexp as logsumexpAlong, normaliseDims, sum } from '../autograd/reduce';
import { cat, narrow, reshape } from '../autograd/shape';
import { apply, type Op, type Var } from '../autograd/var';
import { broadcastIndex, numel, stridesOf, type Tensor } from '../tensor';
import { flag, ints, INPUT, num, tensor } from './common';
import { type ArgSpec, ArgumentError, type Args, type Descriptor } from './types';

/**
 * Applies `f` to every slice of `x` along `dim` (a row of n numbers → a row of k numbers),
 * copying strided slices into a buffer when `dim` is not the last dimension.
 */
export function mapSlices(x: Tensor, dim: number, k: number, f: (row: Float64Array, out: Float64Array) => void): Tensor {
  const shape = x.shape.length === 0 ? [1] : x.shape;
  const n = shape[dim];
  const inner = stridesOf(shape)[dim];
  const outer = numel(shape) / (n * inner);
  const outShape = shape.slice();
  outShape[dim] = k;
  const out = new Float64Array(outer * k * inner);
  const row = new Float64Array(n);
  const res = new Float64Array(k);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      if (inner === 1) {
        f(x.data.subarray(o * n, (o + 1) * n), out.subarray(o * k, (o + 1) * k));
        continue;
      }
      for (let j = 0; j < n; j++) row[j] = x.data[(o * n + j) * inner + i];
      f(row, res);
      for (let j = 0; j < k; j++) out[(o * k + j) * inner + i] = res[j];
    }
  }
  return { shape: x.shape.length === 0 ? [] : outShape, data: out };
}

/** max of a row, NaN if any element is NaN (as torch.amax). */
export function rowMax(x: Float64Array): number {
  let m = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v !== v) return NaN;
    if (v > m) m = v;
  }
  return m;
}

/**
 * The dimension a softmax-family function works along: `dim` if given, else PyTorch's implicit
 * choice (_get_softmax_dim: 0 for 0-, 1- and 3-dimensional inputs, 1 otherwise), which is the
 * last dimension for a vector or a matrix.
 */
export function softmaxDim(x: Var, dim: number | null): number {
  const r = x.shape.length;
  if (dim === null) return r === 0 || r === 1 || r === 3 ? 0 : 1;
  return normaliseDims(dim, r)[0];
}

export const DIM_ARG: ArgSpec = { name: 'dim', type: 'int', default: null, doc: 'the dimension to work along (default: the last for a vector or a matrix)' };

interface DimAttr {
  dim: number;
}

const softmaxOp: Op<DimAttr> = {
  name: 'softmax',
  forward: ([x], { dim }) =>
    mapSlices(x, dim, x.shape[dim] ?? 1, (row, out) => {
      // Subtract the max so that no exponent is positive: softmax([1000, 999, -1000]) stays finite.
      const m = rowMax(row);
      let s = 0;
      for (let i = 0; i < row.length; i++) s += out[i] = Math.exp(row[i] - m);
      for (let i = 0; i < row.length; i++) out[i] /= s;
    }),
  // _softmax_backward_data: y ⊙ (dy − Σ dy ⊙ y)
  backward: (g, { output: y, attrs: { dim } }) => [mul(y, sub(g, sum(mul(g, y), dim, true)))],
  rule: (G, [x]) => `softmax'(${x})ᵀ · ${G}`,
};

export const softmaxAlong = (x: Var, dim: number): Var => apply(softmaxOp, [x], { dim });

const vectorFn = (d: Omit<Descriptor, 'kind' | 'structure' | 'args' | 'forward'> & { params?: readonly ArgSpec[]; forward(x: Var, a: Args): Var }): Descriptor => {
  const { params = [], forward, ...rest } = d;
  return { ...rest, kind: 'vector', structure: 'rows', args: [INPUT, ...params], forward: (a) => forward(tensor(a, 'input'), a) };
};

export const softmax = vectorFn({
  name: 'softmax',
  summary: 'normalised exponentials e^x_i / Σ_j e^x_j of each row',
  torch: 'torch.softmax(input, dim)',
  params: [DIM_ARG],
  formula: {
    value: 'softmax(x)_i = e^(x_i - m) / Σ_j e^(x_j - m), m = max(x)',
    derivative: '∂y_i/∂x_j = y_i·(δ_ij - y_j);  VJP: dx = y ⊙ (dy - ⟨dy, y⟩)',
  },
  kinks: 'No kinks. The max is subtracted first, so softmax([1000, 999, -1000]) = [0.731, 0.269, 0]; a row with +inf gives NaN there, as in PyTorch.',
  example: 'softmax 2 1 0.1 --jacobian',
  forward: (x, a) => softmaxAlong(x, softmaxDim(x, a.dim as number | null)),
});

/** Calls f(base, step, n) for every slice along `dim`: its n elements are at base + j·step. */
function forEachSlice(shape: readonly number[], dim: number, f: (base: number, step: number, n: number) => void): void {
  const s = shape.length === 0 ? [1] : shape;
  const n = s[dim];
  const step = stridesOf(s)[dim];
  if (n === 0) return;
  const outer = numel(s) / (n * step);
  for (let o = 0; o < outer; o++) for (let i = 0; i < step; i++) f(o * n * step + i, step, n);
}

const logSoftmaxOp: Op<DimAttr> = {
  name: 'log_softmax',
  forward: ([x], { dim }) =>
    mapSlices(x, dim, x.shape[dim] ?? 1, (row, out) => {
      // PyTorch's kernel (SoftMaxKernel.cpp, _vec_log_softmax_lastdim): x − m − log Σ e^(x − m), in
      // this order. The max is not masked, so a row holding +inf gives inf − inf = NaN in every entry
      // (log_softmax([inf, 1]) = [nan, nan]), and a row of −inf NaN too.
      const m = rowMax(row);
      let s = 0;
      for (let i = 0; i < row.length; i++) s += Math.exp(row[i] - m);
      const logSum = Math.log(s);
      for (let i = 0; i < row.length; i++) out[i] = row[i] - m - logSum;
    }),
  backward: (g, { output: y, attrs: { dim } }) => [logSoftmaxBackward(g, y, dim)],
  rule: (G, [x]) => `(${G} − softmax(${x})·Σ ${G})`,
};

/**
 * _log_softmax_backward_data(grad_output, output) = grad_output − e^output · Σ grad_output (the
 * kernel's order), with its own derivatives from derivatives.yaml, so that Hessians through
 * log_softmax (cross-entropy's diag(p) − ppᵀ) are PyTorch's double backward.
 */
const logSoftmaxBackwardOp: Op<DimAttr> = {
  name: 'log_softmax_backward',
  forward([g, y], { dim }) {
    const out = new Float64Array(y.data.length);
    forEachSlice(y.shape, dim, (base, step, n) => {
      let total = 0;
      for (let j = 0; j < n; j++) total += g.data[base + j * step];
      for (let j = 0; j < n; j++) {
        const k = base + j * step;
        out[k] = g.data[k] - Math.exp(y.data[k]) * total;
      }
    });
    return { shape: y.shape.slice(), data: out };
  },
  backward: (gg, { inputs: [g, y], attrs: { dim }, needs }) => [
    // grad_output: grad − (grad · e^output).sum(dim, keepdim)
    needs[0] ? sub(gg, sum(mul(gg, exp(y)), dim, true)) : null,
    // output: −grad_output.sum(dim, keepdim) · e^output · grad
    needs[1] ? mul(mul(neg(sum(g, dim, true)), exp(y)), gg) : null,
  ],
};

const logSoftmaxBackward = (g: Var, y: Var, dim: number): Var => apply(logSoftmaxBackwardOp, [g, y], { dim });

export const logSoftmaxAlong = (x: Var, dim: number): Var => apply(logSoftmaxOp, [x], { dim });

export const logSoftmax = vectorFn({
  name: 'log-softmax',
  summary: 'log of softmax, x_i - logsumexp(x), of each row',
  torch: 'torch.nn.functional.log_softmax(input, dim=None)',
  params: [DIM_ARG],
  formula: {
    value: 'log_softmax(x)_i = x_i - m - log Σ_j e^(x_j - m), m = max(x)',
    derivative: '∂y_i/∂x_j = δ_ij - softmax(x)_j;  VJP: dx = dy - e^y·Σ dy',
  },
  kinks:
    'No kinks. Computed as x - m - log Σ e^(x - m) in that order (PyTorch\'s kernel), never as log(softmax(x)), so ' +
    'log_softmax([0, -1000]) = [0, -1000]. A row holding +inf, or only -inf, is NaN throughout, as in PyTorch ' +
    '(log_softmax([inf, 1]) = [nan, nan]).',
  example: 'log-softmax 2 1 0.1 --grad',
  forward: (x, a) => logSoftmaxAlong(x, softmaxDim(x, a.dim as number | null)),
});

export const softmin = vectorFn({
  name: 'softmin',
  summary: 'softmax of -x of each row',
  torch: 'torch.nn.functional.softmin(input, dim=None)',
  params: [DIM_ARG],
  formula: { value: 'softmin(x) = softmax(-x)', derivative: '∂y_i/∂x_j = -y_i·(δ_ij - y_j);  VJP: dx = -y ⊙ (dy - ⟨dy, y⟩)' },
  kinks: 'No kinks. PyTorch computes (-input).softmax(dim), so the gradient is softmax\'s through a negation; the min is subtracted first.',
  example: 'softmin 2 1 0.1 --jacobian',
  forward: (x, a) => softmaxAlong(neg(x), softmaxDim(x, a.dim as number | null)),
});

// ---------------------------------------------------------------------------------------------
// GLU: a ⊙ σ(b) of the two halves; glu_backward and its double backward are PyTorch's
// (activation.cpp glu_backward_cpu_out, FunctionsManual.cpp glu_double_backward*).
// ---------------------------------------------------------------------------------------------

/** Calls f(ia, ib, io) for each pair of halves: ia, ib index the input, io the half-size output. */
function forEachHalfPair(shape: readonly number[], dim: number, f: (ia: number, ib: number, io: number) => void): void {
  const n = shape[dim];
  const h = n / 2;
  const inner = stridesOf(shape)[dim];
  const outer = numel(shape) / (n * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < h; j++) {
      for (let i = 0; i < inner; i++) f((o * n + j) * inner + i, (o * n + j + h) * inner + i, (o * h + j) * inner + i);
    }
  }
}

const halvedShape = (shape: readonly number[], dim: number): number[] => shape.map((s, i) => (i === dim ? s / 2 : s));

const gluOp: Op<DimAttr> = {
  name: 'glu',
  forward([x], { dim }) {
    const out = new Float64Array(numel(x.shape) / 2);
    // GluKernel.cpp: a · (1 / (1 + e^(−b)))
    forEachHalfPair(x.shape, dim, (ia, ib, io) => (out[io] = x.data[ia] * sigmoidScalar(x.data[ib])));
    return { shape: halvedShape(x.shape, dim), data: out };
  },
  backward: (g, { inputs: [x], attrs: { dim } }) => [gluBackward(g, x, dim)],
  rule: (G, [x]) => `glu'(${x})ᵀ · ${G}`,
};

/** glu_backward: ∂a = σ(b)·g; ∂b = (1 − σ(b))·σ(b)·a·g, in the kernel's order. */
const gluBackwardOp: Op<DimAttr> = {
  name: 'glu_backward',
  forward([g, x], { dim }) {
    const out = new Float64Array(x.data.length);
    forEachHalfPair(x.shape, dim, (ia, ib, io) => {
      const s = sigmoidScalar(x.data[ib]);
      const gv = g.data[io];
      out[ib] = (1 - s) * s * x.data[ia] * gv;
      out[ia] = s * gv;
    });
    return { shape: x.shape.slice(), data: out };
  },
  backward: (gg, { inputs: [g, x], attrs: { dim }, needs }) => [
    needs[0] ? gluDoubleBackwardGradOutput(gg, x, dim) : null,
    needs[1] ? gluDoubleBackward(gg, g, x, dim) : null,
  ],
};

const gluBackward = (g: Var, x: Var, dim: number): Var => apply(gluBackwardOp, [g, x], { dim });

/** glu_double_backward_grad_output: glu_backward is linear in grad_output; its adjoint folds the halves. */
function gluDoubleBackwardGradOutput(grad: Var, x: Var, dim: number): Var {
  const h = x.shape[dim] / 2;
  const tmp = mul(grad, gluBackward(ones(halvedShape(x.shape, dim)), x, dim));
  return add(narrow(tmp, dim, 0, h), narrow(tmp, dim, h, h));
}

/** glu_double_backward (FunctionsManual.cpp), term by term. */
function gluDoubleBackward(grad: Var, gO: Var, x: Var, dim: number): Var {
  const h = x.shape[dim] / 2;
  const firstHalf = narrow(x, dim, 0, h);
  const sig = sigmoid(narrow(x, dim, h, h));
  const oneSubSig = sub(1, sig);
  const sigOneSubSig = mul(sig, oneSubSig);
  const ggFirst = narrow(grad, dim, 0, h);
  const ggSecond = narrow(grad, dim, h, h);
  const gFirst = mul(mul(ggSecond, gO), sigOneSubSig);
  const secondOrder = sub(mul(sigOneSubSig, oneSubSig), mul(sig, sigOneSubSig));
  const gSecond = add(mul(mul(mul(ggSecond, firstHalf), gO), secondOrder), mul(mul(ggFirst, gO), sigOneSubSig));
  return cat([gFirst, gSecond], dim);
}

const GLU_DIM: ArgSpec = { name: 'dim', type: 'int', default: -1, doc: 'the dimension split in halves (default: the last)' };

export const glu = vectorFn({
  name: 'glu',
  summary: 'gated linear unit a ⊙ σ(b) of the two halves [a, b] of each row',
  torch: 'torch.nn.functional.glu(input, dim=-1)',
  params: [GLU_DIM],
  formula: {
    value: 'glu(x) = a ⊙ σ(b), a = x[0 : n/2], b = x[n/2 : n]',
    derivative: '∂y_i/∂a_i = σ(b_i);  ∂y_i/∂b_i = (1 - σ(b_i))·σ(b_i)·a_i',
  },
  kinks: "No kinks. The halved dimension must have an even size. The derivative is PyTorch's glu_backward, (1 - σ)·σ·a from σ(b).",
  example: 'glu 1 2 0 -1 --jacobian',
  check(a) {
    const x = tensor(a, 'input');
    if (x.shape.length === 0) {
      throw new ArgumentError((name) => `glu splits ${name('input')} into two halves, so it needs a vector or a matrix, not a single number`);
    }
    const [d] = normaliseDims(num(a, 'dim'), x.shape.length);
    const n = x.shape[d];
    if (n % 2 !== 0) {
      throw new ArgumentError(
        (name) => `glu splits ${name('input')} into two halves along dimension ${d}, so that dimension needs an even size; it has ${n}`,
      );
    }
  },
  forward: (x, a) => apply(gluOp, [x], { dim: normaliseDims(num(a, 'dim'), x.shape.length)[0] }),
});

// ---------------------------------------------------------------------------------------------
// logsumexp (autograd/reduce.ts: PyTorch's kernel, with logsumexp_backward)
// ---------------------------------------------------------------------------------------------

const KEEPDIM: ArgSpec = { name: 'keepdim', type: 'boolean', default: false, doc: 'keep the reduced dimensions as size 1' };

/** The dims of a reduction; a 0-dimensional input reduces over nothing (PyTorch accepts dim 0 or -1 for it). */
const reductionDims = (x: Var, dims: readonly number[]): number[] => (x.shape.length === 0 ? [] : normaliseDims(dims, x.shape.length));

export const logsumexp = vectorFn({
  name: 'logsumexp',
  summary: 'log Σ e^x_i of each row',
  torch: 'torch.logsumexp(input, dim, keepdim=False)',
  params: [
    { name: 'dim', type: 'ints', default: -1, doc: 'the dimension or dimensions to reduce (PyTorch requires it; default here: the last)' },
    KEEPDIM,
  ],
  formula: { value: 'logsumexp(x) = log Σ_i e^(x_i - m) + m, m = max(x)', derivative: '∂y/∂x_i = e^(x_i - y) = softmax(x)_i' },
  kinks:
    'No kinks. An infinite max is not subtracted (PyTorch masks it to 0), so a row with +inf gives +inf and a row of -inf ' +
    'gives -inf; the gradient e^(x - y) is then NaN, as in PyTorch.',
  example: 'logsumexp 1000 1000 --grad',
  forward: (x, a) => logsumexpAlong(x, reductionDims(x, ints(a, 'dim')), flag(a, 'keepdim')),
});

// ---------------------------------------------------------------------------------------------
// norm: torch.norm → torch.linalg.vector_norm, with norm_backward (FunctionsManual.cpp)
// ---------------------------------------------------------------------------------------------

interface NormAttr {
  p: number;
  dims: number[];
  keepdim: boolean;
}

/** For each element, the flat index of the reduced element (its slice) it belongs to. */
const sliceIndex = (shape: readonly number[], dims: readonly number[]): Int32Array => broadcastIndex(keptShape(shape, dims), shape);

/**
 * For each element, a power of two near the largest finite magnitude of its slice (1 for a slice of
 * zeros, or whose largest magnitude is inf). Dividing by a power of two is exact, so where PyTorch's
 * unscaled sums neither overflow nor underflow the scaled formulas give PyTorch's numbers.
 */
function sliceScales(x: Tensor, dims: readonly number[]): Tensor {
  const idx = sliceIndex(x.shape, dims);
  const largest = new Float64Array(numel(keptShape(x.shape, dims)));
  for (let k = 0; k < idx.length; k++) {
    const a = Math.abs(x.data[k]);
    if (a > largest[idx[k]]) largest[idx[k]] = a;
  }
  const scale = largest.map((m) => (m > 0 && m < Infinity ? 2 ** Math.min(1023, Math.max(-1074, Math.floor(Math.log2(m)))) : 1));
  return { shape: x.shape.slice(), data: Float64Array.from(idx, (i) => scale[i]) };
}

const normOp: Op<NormAttr> = {
  name: 'norm',
  forward([x], { p, dims, keepdim }) {
    const kept = keptShape(x.shape, dims);
    const idx = sliceIndex(x.shape, dims);
    const out = new Float64Array(numel(kept));
    const d = x.data;
    if (p === 0) {
      // The number of non-zero entries; NaN is not zero, so it counts (PyTorch: norm([nan, 0, 1], 0) = 2).
      for (let k = 0; k < d.length; k++) out[idx[k]] += d[k] !== 0 ? 1 : 0;
    } else if (p === 1) {
      for (let k = 0; k < d.length; k++) out[idx[k]] += Math.abs(d[k]);
    } else if (p === Infinity || p === -Infinity) {
      // max (min) of |x|, NaN propagating
      const better = p > 0 ? (a: number, m: number) => a > m : (a: number, m: number) => a < m;
      out.fill(p > 0 ? 0 : Infinity);
      for (let k = 0; k < d.length; k++) {
        const a = Math.abs(d[k]);
        const m = out[idx[k]];
        if (m === m && (a !== a || better(a, m))) out[idx[k]] = a;
      }
    } else {
      // (Σ|x|^p)^(1/p) with the entries scaled by a power of two near the largest magnitude: the
      // documented difference from PyTorch, whose unscaled sum overflows (‖(1e200, 1e200)‖ = inf) or
      // underflows (‖(1e-200, 1e-200)‖₃ = 0). p = 2 is √Σx² as PyTorch's kernel computes it.
      const s = sliceScales(x, dims).data;
      const scaleOf = new Float64Array(out.length);
      for (let k = 0; k < d.length; k++) {
        const v = d[k] / s[k];
        scaleOf[idx[k]] = s[k];
        out[idx[k]] += p === 2 ? v * v : Math.abs(v) ** p;
      }
      for (let i = 0; i < out.length; i++) out[i] = (p === 2 ? Math.sqrt(out[i]) : out[i] ** (1 / p)) * scaleOf[i];
    }
    return { shape: keepdim ? kept : x.shape.filter((_, i) => !dims.includes(i)), data: out };
  },
  backward: (g, { inputs: [x], output, attrs: { p, dims } }) => [normBackward(g, x, output, p, dims)],
  rule: (G, [x], _i, { p }) => `${G} · ∂‖${x}‖_${p}/∂${x}`,
};

/**
 * norm_backward (FunctionsManual.cpp), case by case and written with ops, so that its derivative is
 * PyTorch's double backward. Where PyTorch writes |x|^k and norm^k, the entries and the norm are
 * divided by the forward's power-of-two scale: the same numbers where PyTorch's do not over- or
 * underflow, and finite where they would (‖(1e-200, 1e-200)‖₃).
 */
function normBackward(g: Var, x: Var, norm: Var, p: number, dims: readonly number[]): Var | null {
  if (p === 0) return null;
  const bySlice = (v: Var): Var => expand(reshape(v, keptShape(x.shape, dims)), x.shape);
  const grad = bySlice(g);
  if (p === 1) return mul(sign(x), grad);
  const n = bySlice(norm);
  if (p === Infinity || p === -Infinity) {
    // The elements that attain the norm (or are NaN) share the gradient evenly.
    const attains = x.value.data.map((v, k) => (Math.abs(v) === n.value.data[k] || v !== v ? 1 : 0));
    const mask = constant({ shape: x.shape.slice(), data: attains });
    return mul(sign(x), mul(div(grad, expand(sum(mask, dims as number[], true), x.shape)), mask));
  }
  const S = constant(sliceScales(x.value, dims));
  const xs = div(x, S);
  const ns = div(n, S);
  // grad · (self / norm).masked_fill_(norm == 0, 0)
  if (p === 2) return mul(grad, where(eq(n, 0), 0, div(xs, ns)));
  if (p < 1) {
    const selfScaled = mul(sign(x), where(eq(x, 0), 0, pow(abs(xs), p - 1)));
    return mul(mul(selfScaled, grad), pow(ns, 1 - p));
  }
  const selfScaled = p < 2 ? mul(sign(x), pow(abs(xs), p - 1)) : mul(xs, pow(abs(xs), p - 2));
  const scaleV = where(eq(n, 0), 0, div(grad, pow(ns, p - 1)));
  return mul(selfScaled, scaleV);
}

/** torch.linalg.vector_norm(x, p, dims, keepdim): the op behind norm, normalize and the distances. */
export function vectorNorm(x: Var, p: number, dims: readonly number[], keepdim: boolean): Var {
  return apply(normOp, [x], { p, dims: x.shape.length === 0 ? [] : normaliseDims(dims, x.shape.length), keepdim });
}

export const norm = vectorFn({
  name: 'norm',
  aliases: ['vector-norm'],
  summary: 'p-norm (Σ|x_i|^p)^(1/p) of each row',
  torch: "torch.norm(input, p='fro', dim=None, keepdim=False)",
  params: [
    { name: 'p', type: 'number', default: 2, doc: "the order p: any real number, inf or -inf ('fro' is 2)" },
    { name: 'dim', type: 'ints', default: null, doc: 'the dimension or dimensions to reduce (None: all; the command line uses the last)' },
    KEEPDIM,
  ],
  formula: {
    value: '‖x‖_p = (Σ_i |x_i|^p)^(1/p);  p = inf: max|x_i|;  p = -inf: min|x_i|;  p = 0: number of non-zero x_i',
    derivative: '∂‖x‖_p/∂x_i = sgn(x_i)·|x_i|^(p-1) / ‖x‖_p^(p-1);  p = 2: x_i/‖x‖;  p = 1: sgn(x_i);  p = 0: 0',
  },
  kinks:
    "PyTorch's norm_backward: at the zero vector the gradient is 0 (the division by the zero norm is masked); for p = 1 " +
    'sgn(0) = 0; for p = ±inf the gradient is shared evenly among the tied elements. Deliberate difference: for p other ' +
    'than 0, 1 and ±inf the entries are scaled by a power of two near the largest magnitude, in the value and in the ' +
    'derivative, so ‖(1e200, 1e200)‖ is 1.41e200 and ‖(1e-200, 1e-200)‖₃ is 1.26e-200 where PyTorch\'s unscaled sum ' +
    'gives inf or 0; elsewhere the numbers are PyTorch\'s. normalize, pairwise_distance, triplet_margin_loss, cosine_similarity ' +
    "and embedding's max_norm use this same norm.",
  example: 'norm 3 4 --grad',
  forward(x, a) {
    return vectorNorm(x, num(a, 'p'), a.dim === null ? [] : ints(a, 'dim'), flag(a, 'keepdim'));
  },
});
