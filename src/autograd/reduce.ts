/**
 * Reductions over dimensions: sum, mean, amax/amin, max/min (full or along a dimension),
 * logsumexp. Backward formulas are PyTorch's: sum_backward expands, amax/amin share the gradient
 * evenly among ties (scale_grad_by_count), a full max()/min() too (evenly_distribute_backward),
 * max/min along a dimension send it to the selected index only.
 */
import { ShapeError } from '../errors';
import { broadcastIndex, numel, stridesOf, type Tensor } from '../tensor';
import { expand } from './broadcast';
import { constant, div, eq, exp, mul, sub, where } from './elementwise';
import { reshape, take } from './shape';
import { apply, type Op, type Var } from './var';

/** Dimensions normalised to 0..r-1, sorted and unique; undefined or [] means all of them. */
export function normaliseDims(dims: number | readonly number[] | undefined, rank: number, what = 'dim'): number[] {
  if (dims === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof dims === 'number' ? [dims] : dims;
  if (list.length === 0) return Array.from({ length: rank }, (_, i) => i);
  const r = Math.max(rank, 1);
  const out = new Set<number>();
  for (const d of list) {
    if (!Number.isInteger(d) || d < -r || d >= r) {
      throw new ShapeError(`${what}=${d} is out of range for a tensor of ${rank} dimension${rank === 1 ? '' : 's'} (expected ${-r} to ${r - 1})`);
    }
    out.add(d < 0 ? d + r : d);
  }
  return [...out].sort((a, b) => a - b);
}

/** The shape with the reduced dimensions kept as 1. */
export const keptShape = (shape: readonly number[], dims: readonly number[]): number[] => shape.map((s, i) => (dims.includes(i) ? 1 : s));
const reducedShape = (shape: readonly number[], dims: readonly number[], keepdim: boolean): number[] =>
  keepdim ? keptShape(shape, dims) : shape.filter((_, i) => !dims.includes(i));

interface ReduceAttr {
  dims: number[];
  keepdim: boolean;
}

/** For each input element, the flat index of the output element it reduces into. */
const reduceIndex = (shape: readonly number[], dims: readonly number[]): Int32Array => broadcastIndex(keptShape(shape, dims), shape);

/**
 * Each output element accumulates its inputs in row-major order, from `init`. `step` undefined is
 * the sum, written out: the same additions in the same order, without a call per element.
 */
function reduceKernel(x: Tensor, { dims, keepdim }: ReduceAttr, init: number, step?: (acc: number, v: number) => number): Tensor {
  const shape = reducedShape(x.shape, dims, keepdim);
  const out = new Float64Array(numel(shape)).fill(init);
  const d = x.data;
  if (dims.length === x.shape.length) {
    let acc = init;
    if (step) for (let k = 0; k < d.length; k++) acc = step(acc, d[k]);
    else for (let k = 0; k < d.length; k++) acc += d[k];
    out[0] = acc;
  } else {
    const idx = reduceIndex(x.shape, dims);
    if (step) for (let k = 0; k < idx.length; k++) out[idx[k]] = step(out[idx[k]], d[k]);
    else for (let k = 0; k < idx.length; k++) out[idx[k]] += d[k];
  }
  return { shape, data: out };
}

/** The gradient of a reduced tensor, back in the input's rank (size 1 in the reduced dimensions). */
const restore = (g: Var, inShape: readonly number[], dims: readonly number[]): Var => reshape(g, keptShape(inShape, dims));

const sumOp: Op<ReduceAttr> = {
  name: 'sum',
  forward: ([x], a) => reduceKernel(x, a, 0),
  backward: (g, { inputs: [x], attrs }) => [expand(restore(g, x.shape, attrs.dims), x.shape)],
  rule: (G) => `${G} · 1 (every element)`,
};

export function sum(x: Var, dims?: number | readonly number[], keepdim = false): Var {
  return apply(sumOp, [x], { dims: normaliseDims(dims, x.shape.length), keepdim });
}

/** mean = sum / N, and mean_backward = expand(grad) / N, as PyTorch. */
export function mean(x: Var, dims?: number | readonly number[], keepdim = false): Var {
  const d = normaliseDims(dims, x.shape.length);
  const n = d.reduce((p, i) => p * (x.shape[i] ?? 1), 1);
  return apply(meanOp, [x], { dims: d, keepdim, n });
}

interface MeanAttr extends ReduceAttr {
  n: number;
}
const meanOp: Op<MeanAttr> = {
  name: 'mean',
  forward([x], a) {
    const s = reduceKernel(x, a, 0);
    for (let i = 0; i < s.data.length; i++) s.data[i] /= a.n;
    return s;
  },
  backward: (g, { inputs: [x], attrs }) => [div(expand(restore(g, x.shape, attrs.dims), x.shape), attrs.n)],
  rule: (G, _inputs, _i, a) => `${G} / ${a.n} (every element)`,
};

// amax / amin: NaN propagates; ties share the gradient evenly (scale_grad_by_count).
const maxStep = (m: number, v: number): number => (v > m || v !== v ? v : m);
const minStep = (m: number, v: number): number => (v < m || v !== v ? v : m);

function extremumOp(name: string, step: (m: number, v: number) => number, init: number): Op<ReduceAttr> {
  return {
    name,
    forward: ([x], a) => reduceKernel(x, a, init, (m, v) => (m !== m ? m : step(m, v))),
    backward(g, { inputs: [x], output, attrs: { dims } }) {
      const mask = eq(x, expand(restore(output, x.shape, dims), x.shape));
      const count = sum(mask, dims, true);
      return [mul(div(expand(restore(g, x.shape, dims), x.shape), expand(count, x.shape)), mask)];
    },
  };
}
const amaxOp = extremumOp('amax', maxStep, -Infinity);
const aminOp = extremumOp('amin', minStep, Infinity);

function checkNonEmpty(x: Var, name: string): void {
  if (x.value.data.length === 0) throw new ShapeError(`${name} of an empty tensor has no value`);
}

export function amax(x: Var, dims?: number | readonly number[], keepdim = false): Var {
  checkNonEmpty(x, 'amax');
  return apply(amaxOp, [x], { dims: normaliseDims(dims, x.shape.length), keepdim });
}
export function amin(x: Var, dims?: number | readonly number[], keepdim = false): Var {
  checkNonEmpty(x, 'amin');
  return apply(aminOp, [x], { dims: normaliseDims(dims, x.shape.length), keepdim });
}

// max() / min() of all elements: evenly_distribute_backward, which selects (masked_fill).
function fullExtremumOp(name: string, step: (m: number, v: number) => number, init: number): Op<ReduceAttr> {
  return {
    name,
    forward: ([x], a) => reduceKernel(x, a, init, (m, v) => (m !== m ? m : step(m, v))),
    backward(g, { inputs: [x], output }) {
      const value = output.value.data[0];
      const mask = value !== value ? constant(mapTensor(x.value, (v) => (v !== v ? 1 : 0))) : eq(x, output);
      const count = mask.value.data.reduce((s, v) => s + v, 0);
      return [where(mask, div(g, count), 0)];
    },
  };
}
const maxAllOp = fullExtremumOp('max', maxStep, -Infinity);
const minAllOp = fullExtremumOp('min', minStep, Infinity);

const mapTensor = (t: Tensor, f: (v: number) => number): Tensor => ({ shape: t.shape, data: t.data.map(f) });

export function maxAll(x: Var): Var {
  checkNonEmpty(x, 'max');
  return apply(maxAllOp, [x], { dims: normaliseDims(undefined, x.shape.length), keepdim: false });
}
export function minAll(x: Var): Var {
  checkNonEmpty(x, 'min');
  return apply(minAllOp, [x], { dims: normaliseDims(undefined, x.shape.length), keepdim: false });
}

/**
 * max/min along one dimension, with the index of the first extremum (NaN counts as the
 * extremum, as in PyTorch); the values are taken at those indices, so the gradient goes to
 * them alone (value_selecting_reduction_backward).
 */
export function extremumAlong(x: Var, dim: number, keepdim: boolean, which: 'max' | 'min'): { values: Var; indices: Tensor } {
  checkNonEmpty(x, which);
  const [d] = normaliseDims(dim, x.shape.length);
  const shape = x.shape.length === 0 ? [] : x.shape;
  const size = shape.length === 0 ? 1 : shape[d];
  const strides = stridesOf(shape);
  const stride = shape.length === 0 ? 1 : strides[d];
  const outShape = reducedShape(shape, [d], keepdim);
  const n = numel(outShape);
  const index = new Int32Array(n);
  const positions = new Float64Array(n);
  const data = x.value.data;
  const better = which === 'max' ? (v: number, m: number) => v > m : (v: number, m: number) => v < m;
  // Output element k ↔ (outer, inner) around dimension d.
  const inner = stride;
  for (let k = 0; k < n; k++) {
    const outer = Math.floor(k / inner);
    const base = outer * size * inner + (k % inner);
    let best = base;
    let bestAt = 0;
    for (let j = 1; j < size && data[best] === data[best]; j++) {
      const at = base + j * inner;
      if (data[at] !== data[at] || better(data[at], data[best])) {
        best = at;
        bestAt = j;
      }
    }
    index[k] = best;
    positions[k] = bestAt;
  }
  return { values: take(x, index, outShape), indices: { shape: outShape, data: positions } };
}

interface LogsumexpAttr extends ReduceAttr {}

const logsumexpOp: Op<LogsumexpAttr> = {
  name: 'logsumexp',
  forward([x], a) {
    // The max of each slice is subtracted, unless it is infinite (PyTorch's logsumexp).
    const m = reduceKernel(x, { dims: a.dims, keepdim: true }, -Infinity, (acc, v) => (acc !== acc ? acc : maxStep(acc, v)));
    for (let i = 0; i < m.data.length; i++) if (Math.abs(m.data[i]) === Infinity) m.data[i] = 0;
    const idx = reduceIndex(x.shape, a.dims);
    const s = new Float64Array(m.data.length);
    for (let k = 0; k < x.data.length; k++) s[idx[k]] += Math.exp(x.data[k] - m.data[idx[k]]);
    const out = new Float64Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = Math.log(s[i]) + m.data[i];
    return { shape: reducedShape(x.shape, a.dims, a.keepdim), data: out };
  },
  // logsumexp_backward: grad * exp(self - result)
  backward(g, { inputs: [x], output, attrs: { dims } }) {
    const y = expand(restore(output, x.shape, dims), x.shape);
    return [mul(expand(restore(g, x.shape, dims), x.shape), exp(sub(x, y)))];
  },
};

export function logsumexp(x: Var, dims?: number | readonly number[], keepdim = false): Var {
  return apply(logsumexpOp, [x], { dims: normaliseDims(dims, x.shape.length), keepdim });
}
