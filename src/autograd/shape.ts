/**
 * Ops that move elements without arithmetic: reshape, permute, and take/putAdd (gather by flat
 * indices and its adjoint, scatter-add). Indexing, slicing, transposes, diagonals, padding,
 * im2col (convolution) and pooling windows are all `take` with an index array, so each gets its
 * backward (and its double backward) from this one pair.
 */
import { ShapeError } from '../errors';
import { numel, sameShape, shapeText, stridedIndex, stridesOf } from '../tensor';
import { apply, type Op, type Var } from './var';

interface ShapeAttr {
  shape: number[];
}

const reshapeOp: Op<ShapeAttr> = {
  name: 'reshape',
  forward: ([x], { shape }) => ({ shape: shape.slice(), data: x.data }),
  backward: (g, { inputs: [x] }) => [reshape(g, x.shape)],
  rule: (G) => `${G} reshaped back`,
};

/** x with a new shape of as many elements; one dimension may be -1 (inferred), as in PyTorch. */
export function reshape(x: Var, shape: readonly number[]): Var {
  const n = numel(x.shape);
  const free = shape.filter((s) => s === -1).length;
  let resolved = shape.slice();
  if (free > 1) throw new ShapeError(`only one dimension can be inferred (-1) in ${shapeText(shape)}`);
  if (free === 1) {
    const known = numel(shape.filter((s) => s !== -1));
    if (known === 0 || n % known !== 0) throw new ShapeError(`shape ${shapeText(shape)} is invalid for input of size ${n}`);
    resolved = shape.map((s) => (s === -1 ? n / known : s));
  }
  if (resolved.some((s) => !Number.isInteger(s) || s < 0) || numel(resolved) !== n) {
    throw new ShapeError(`shape ${shapeText(shape)} is invalid for input of size ${n}`);
  }
  if (sameShape(resolved, x.shape)) return x;
  return apply(reshapeOp, [x], { shape: resolved });
}

interface PermuteAttr {
  dims: number[];
}

/** Does the permutation swap the last two dimensions and keep the others (a matrix transpose)? */
const swapsLastTwo = (dims: readonly number[]): boolean => {
  const r = dims.length;
  if (r < 2 || dims[r - 2] !== r - 1 || dims[r - 1] !== r - 2) return false;
  for (let d = 0; d < r - 2; d++) if (dims[d] !== d) return false;
  return true;
};

/** Each m × n matrix of a batch transposed, in a loop without an index map (matmul's backward transposes on every pass). */
function transposeLastTwo(x: Float64Array, m: number, n: number): Float64Array {
  const out = new Float64Array(x.length);
  const size = m * n;
  for (let o = 0; o < x.length; o += size) {
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[o + j * m + i] = x[o + i * n + j];
  }
  return out;
}

const permuteOp: Op<PermuteAttr> = {
  name: 'permute',
  forward([x], { dims }) {
    const shape = dims.map((d) => x.shape[d]);
    if (swapsLastTwo(dims)) return { shape, data: transposeLastTwo(x.data, x.shape[dims.length - 2], x.shape[dims.length - 1]) };
    const inStrides = stridesOf(x.shape);
    const strides = dims.map((d) => inStrides[d]);
    const index = stridedIndex(shape, strides, 0);
    const out = new Float64Array(index.length);
    for (let k = 0; k < index.length; k++) out[k] = x.data[index[k]];
    return { shape, data: out };
  },
  backward(g, { attrs: { dims } }) {
    const inverse = new Array<number>(dims.length);
    dims.forEach((d, i) => (inverse[d] = i));
    return [permute(g, inverse)];
  },
  rule: (G) => `${G} transposed back`,
};

/** x with its dimensions reordered (torch.permute); dims must be a permutation of 0..rank-1. */
export function permute(x: Var, dims: readonly number[]): Var {
  if (dims.every((d, i) => d === i)) return x;
  return apply(permuteOp, [x], { dims: dims.slice() });
}

/** Swaps two dimensions (torch.transpose); negative dimensions count from the end. */
export function transpose(x: Var, d0 = -2, d1 = -1): Var {
  const r = x.shape.length;
  if (r < 2) return x;
  const a = d0 < 0 ? d0 + r : d0;
  const b = d1 < 0 ? d1 + r : d1;
  const dims = Array.from({ length: r }, (_, i) => i);
  dims[a] = b;
  dims[b] = a;
  return permute(x, dims);
}

interface TakeAttr {
  /** flat indices into the input; -1 gives 0 (padding) */
  index: Int32Array;
  shape: number[];
  inShape: number[];
}

const takeOp: Op<TakeAttr> = {
  name: 'take',
  forward([x], { index, shape }) {
    const out = new Float64Array(index.length);
    const d = x.data;
    for (let k = 0; k < index.length; k++) {
      const i = index[k];
      out[k] = i < 0 ? 0 : d[i];
    }
    return { shape: shape.slice(), data: out };
  },
  backward: (g, { attrs: { index, inShape } }) => [putAdd(g, index, inShape)],
  rule: (G) => `${G} placed back where the elements were taken`,
};

const putAddOp: Op<TakeAttr> = {
  name: 'index_add',
  forward([g], { index, inShape }) {
    const out = new Float64Array(numel(inShape));
    const d = g.data;
    for (let k = 0; k < index.length; k++) {
      const i = index[k];
      if (i >= 0) out[i] += d[k];
    }
    return { shape: inShape.slice(), data: out };
  },
  backward: (gg, { attrs: { index, inShape }, inputs: [g] }) => [take(gg, index, g.shape, inShape)],
};

/**
 * Elements of x at flat indices, in a tensor of `shape` (numel(shape) = index.length); index -1
 * gives 0. Its backward adds each gradient element back at its index.
 */
export function take(x: Var, index: Int32Array, shape: readonly number[], inShape: readonly number[] = x.shape): Var {
  return apply(takeOp, [x], { index, shape: shape.slice(), inShape: inShape.slice() });
}

/** The adjoint of take: a tensor of `inShape` with g's elements added at their indices. */
export function putAdd(g: Var, index: Int32Array, inShape: readonly number[]): Var {
  return apply(putAddOp, [g], { index, shape: g.shape.slice(), inShape: inShape.slice() });
}

/** Inserts a dimension of size 1 at `dim` (torch.unsqueeze). */
export function unsqueeze(x: Var, dim: number): Var {
  const r = x.shape.length;
  const d = dim < 0 ? dim + r + 1 : dim;
  return reshape(x, [...x.shape.slice(0, d), 1, ...x.shape.slice(d)]);
}

interface CatAttr {
  dim: number;
}

const catOp: Op<CatAttr> = {
  name: 'cat',
  forward(xs, { dim }) {
    const shape = xs[0].shape.slice();
    shape[dim] = xs.reduce((s, x) => s + x.shape[dim], 0);
    const outer = numel(shape.slice(0, dim));
    const inner = numel(shape.slice(dim + 1));
    const out = new Float64Array(numel(shape));
    let offset = 0;
    const rowLength = shape[dim] * inner;
    for (const x of xs) {
      const block = x.shape[dim] * inner;
      for (let o = 0; o < outer; o++) out.set(x.data.subarray(o * block, (o + 1) * block), o * rowLength + offset);
      offset += block;
    }
    return { shape, data: out };
  },
  backward(g, { inputs, attrs: { dim }, needs }) {
    let start = 0;
    return inputs.map((x, i) => {
      const piece = needs[i] ? narrow(g, dim, start, x.shape[dim]) : null;
      start += x.shape[dim];
      return piece;
    });
  },
};

/** Joins tensors along an existing dimension (torch.cat); all other dimensions must agree. */
export function cat(xs: readonly Var[], dim: number): Var {
  if (xs.length === 1) return xs[0];
  const r = xs[0].shape.length;
  const d = dim < 0 ? dim + r : dim;
  for (const x of xs) {
    if (x.shape.length !== r || x.shape.some((s, i) => i !== d && s !== xs[0].shape[i])) {
      throw new ShapeError(`cat needs tensors of the same shape except in dimension ${d}: ${xs.map((v) => shapeText(v.shape)).join(' and ')}`);
    }
  }
  return apply(catOp, xs, { dim: d });
}

/** Elements start..start+length-1 along `dim` (torch.narrow), as a take. */
export function narrow(x: Var, dim: number, start: number, length: number): Var {
  const shape = x.shape.slice();
  shape[dim] = length;
  const strides = stridesOf(x.shape);
  return take(x, stridedIndex(shape, dims(shape.length).map((d) => strides[d]), start * strides[dim]), shape);
}

const dims = (r: number): number[] => Array.from({ length: r }, (_, i) => i);

export { stridedIndex };

