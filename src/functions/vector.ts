/**
 * Functions of a whole row: softmax and its relatives, GLU, logsumexp and the p-norm.
 * Forward and backward (the vector-Jacobian product) side by side; the backward never builds
 * the Jacobian (tfjs Softmax_grad: y ⊙ (dy − ⟨dy, y⟩)).
 */
import { sgn, sigmoid } from '../math';
import type { Params, VectorFn } from './types';

/** max of a row, NaN if any element is NaN (as torch.amax). */
function rowMax(x: Float64Array): number {
  let m = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (Number.isNaN(v)) return NaN;
    if (v > m) m = v;
  }
  return m;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function softmaxForward(x: Float64Array): Float64Array {
  // Subtract the max so that no exponent is positive: softmax([1000, 999, -1000]) stays finite.
  const m = rowMax(x);
  const y = new Float64Array(x.length);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += y[i] = Math.exp(x[i] - m);
  for (let i = 0; i < x.length; i++) y[i] /= s;
  return y;
}

function softmaxBackward(y: Float64Array, dy: Float64Array): Float64Array {
  const inner = dot(dy, y);
  const dx = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) dx[i] = y[i] * (dy[i] - inner);
  return dx;
}

/** log Σ e^x with the max subtracted; an infinite max is not subtracted (PyTorch's logsumexp). */
function logsumexpRow(x: Float64Array): number {
  let m = rowMax(x);
  if (Math.abs(m) === Infinity) m = 0;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.exp(x[i] - m);
  return Math.log(s) + m;
}

const negate = (x: Float64Array): Float64Array => x.map((v) => -v);

const sameLength = (n: number): number => n;

export const softmax: VectorFn = {
  kind: 'vector',
  name: 'softmax',
  summary: 'normalised exponentials e^x_i / Σ_j e^x_j of each row',
  torch: 'torch.softmax(x, dim=-1)',
  params: [],
  reducesRow: false,
  outputLength: sameLength,
  formula: {
    value: 'softmax(x)_i = e^(x_i - m) / Σ_j e^(x_j - m), m = max(x)',
    derivative: '∂y_i/∂x_j = y_i·(δ_ij - y_j);  VJP: dx = y ⊙ (dy - ⟨dy, y⟩)',
  },
  kinks: 'No kinks. The max is subtracted first, so softmax([1000, 999, -1000]) = [0.731, 0.269, 0]; a row with +inf gives NaN there, as in PyTorch.',
  example: 'softmax 2 1 0.1 --jacobian',
  forward: (x) => softmaxForward(x),
  backward: (_x, y, dy) => softmaxBackward(y, dy),
};

export const logSoftmax: VectorFn = {
  kind: 'vector',
  name: 'log-softmax',
  summary: 'log of softmax, x_i - logsumexp(x)',
  torch: 'torch.log_softmax(x, dim=-1)',
  params: [],
  reducesRow: false,
  outputLength: sameLength,
  formula: {
    value: 'log_softmax(x)_i = x_i - logsumexp(x)',
    derivative: '∂y_i/∂x_j = δ_ij - softmax(x)_j;  VJP: dx = dy - softmax(x)·Σ dy',
  },
  kinks: 'No kinks. Computed through logsumexp, never as log(softmax(x)), so log_softmax([0, -1000]) = [0, -1000].',
  example: 'log-softmax 2 1 0.1 --grad',
  forward: (x) => {
    const lse = logsumexpRow(x);
    return x.map((v) => v - lse);
  },
  backward: (_x, y, dy) => {
    let total = 0;
    for (let i = 0; i < dy.length; i++) total += dy[i];
    return dy.map((d, i) => d - Math.exp(y[i]) * total);
  },
};

export const softmin: VectorFn = {
  kind: 'vector',
  name: 'softmin',
  summary: 'softmax of -x',
  torch: 'torch.nn.functional.softmin(x, dim=-1)',
  params: [],
  reducesRow: false,
  outputLength: sameLength,
  formula: { value: 'softmin(x) = softmax(-x)', derivative: '∂y_i/∂x_j = -y_i·(δ_ij - y_j);  VJP: dx = -y ⊙ (dy - ⟨dy, y⟩)' },
  kinks: 'No kinks; the min is subtracted first.',
  example: 'softmin 2 1 0.1 --jacobian',
  forward: (x) => softmaxForward(negate(x)),
  backward: (_x, y, dy) => negate(softmaxBackward(y, dy)),
};

export const glu: VectorFn = {
  kind: 'vector',
  name: 'glu',
  summary: 'gated linear unit a ⊙ σ(b) of the two halves [a, b] of each row',
  torch: 'torch.nn.functional.glu(x, dim=-1)',
  params: [],
  reducesRow: false,
  outputLength: (n) => n / 2,
  checkRow: (n) => (n % 2 === 0 ? undefined : `glu splits each row into two halves, so it needs an even number of inputs; a row has ${n}`),
  formula: {
    value: 'glu(x) = a ⊙ σ(b), a = x[0 : n/2], b = x[n/2 : n]',
    derivative: '∂y_i/∂a_i = σ(b_i);  ∂y_i/∂b_i = a_i·σ(b_i)·σ(-b_i)',
  },
  kinks: 'No kinks. The input length must be even.',
  example: 'glu 1 2 0 -1 --jacobian',
  forward: (x) => {
    const h = x.length / 2;
    const y = new Float64Array(h);
    for (let i = 0; i < h; i++) y[i] = x[i] * sigmoid(x[h + i]);
    return y;
  },
  backward: (x, _y, dy) => {
    const h = x.length / 2;
    const dx = new Float64Array(x.length);
    for (let i = 0; i < h; i++) {
      const s = sigmoid(x[h + i]);
      dx[i] = dy[i] * s;
      dx[h + i] = dy[i] * x[i] * s * sigmoid(-x[h + i]);
    }
    return dx;
  },
};

export const logsumexp: VectorFn = {
  kind: 'vector',
  name: 'logsumexp',
  summary: 'log Σ e^x_i of each row',
  torch: 'torch.logsumexp(x, dim=-1)',
  params: [],
  reducesRow: true,
  outputLength: () => 1,
  formula: { value: 'logsumexp(x) = m + log Σ_i e^(x_i - m), m = max(x)', derivative: '∂y/∂x_i = e^(x_i - y) = softmax(x)_i' },
  kinks: 'No kinks. An infinite max is not subtracted, so a row with +inf gives +inf and a row of -inf gives -inf, as in PyTorch.',
  example: 'logsumexp 1000 1000 --grad',
  forward: (x) => Float64Array.of(logsumexpRow(x)),
  backward: (x, y, dy) => x.map((v) => dy[0] * Math.exp(v - y[0])),
};

function pNorm(x: Float64Array, p: number): number {
  const n = x.length;
  if (p === Infinity || p === -Infinity) {
    let r = p === Infinity ? 0 : Infinity;
    for (let i = 0; i < n; i++) {
      const a = Math.abs(x[i]);
      if (Number.isNaN(a)) return NaN;
      r = p === Infinity ? Math.max(r, a) : Math.min(r, a);
    }
    return n === 0 ? 0 : r;
  }
  if (p === 0) {
    let count = 0;
    for (let i = 0; i < n; i++) if (x[i] !== 0) count += Number.isNaN(x[i]) ? NaN : 1;
    return count;
  }
  if (p === 1) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(x[i]);
    return s;
  }
  if (p >= 1) {
    // Scale by the largest magnitude so that |x|^p neither overflows nor underflows.
    const scale = pNorm(x, Infinity);
    if (scale === 0 || !Number.isFinite(scale)) return scale;
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(x[i] / scale) ** p;
    return scale * s ** (1 / p);
  }
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(x[i]) ** p;
  return s ** (1 / p);
}

/** PyTorch's norm_backward (torch/csrc/autograd/FunctionsManual.cpp), case by case. */
function pNormBackward(x: Float64Array, norm: number, g: number, p: number): Float64Array {
  if (p === 0) return new Float64Array(x.length);
  if (p === 1) return x.map((v) => sgn(v) * g);
  if (p === 2) return x.map((v) => (norm === 0 ? 0 : (g * v) / norm));
  if (p === Infinity || p === -Infinity) {
    // The gradient is shared evenly among the elements that attain the norm.
    let ties = 0;
    for (let i = 0; i < x.length; i++) if (Math.abs(x[i]) === norm) ties++;
    return x.map((v) => (Math.abs(v) === norm ? (sgn(v) * g) / ties : 0));
  }
  if (p < 1) {
    return x.map((v) => (v === 0 ? 0 : sgn(v) * Math.abs(v) ** (p - 1)) * g * norm ** (1 - p));
  }
  const scale = norm === 0 ? 0 : g / norm ** (p - 1);
  if (p < 2) return x.map((v) => sgn(v) * Math.abs(v) ** (p - 1) * scale);
  return x.map((v) => v * Math.abs(v) ** (p - 2) * scale);
}

export const norm: VectorFn = {
  kind: 'vector',
  name: 'norm',
  aliases: ['vector-norm'],
  summary: 'p-norm (Σ|x_i|^p)^(1/p) of each row',
  torch: 'torch.linalg.vector_norm(x, ord=p, dim=-1)',
  params: [{ name: 'p', type: 'number', default: 2, doc: 'the order p: any real number, inf or -inf' }],
  reducesRow: true,
  outputLength: () => 1,
  formula: {
    value: '‖x‖_p = (Σ_i |x_i|^p)^(1/p);  p = inf: max|x_i|;  p = 0: number of non-zero x_i',
    derivative: '∂‖x‖_p/∂x_i = sgn(x_i)·|x_i|^(p-1) / ‖x‖_p^(p-1);  p = 2: x_i/‖x‖;  p = 1: sgn(x_i)',
  },
  kinks:
    'At x = 0 the gradient is 0 (PyTorch masks the division by a zero norm); for p = 1 sgn(0) = 0; ' +
    'for p = ±inf the gradient is shared evenly among tied elements. For p ≥ 1 the entries are scaled by the largest ' +
    'magnitude first, so ‖(1e200, 1e200)‖ is 1.41e200 where an unscaled sum of squares overflows to inf.',
  example: 'norm 3 4 --grad',
  forward: (x, p: Params) => Float64Array.of(pNorm(x, p.p as number)),
  backward: (x, y, dy, p: Params) => pNormBackward(x, y[0], dy[0], p.p as number),
};
