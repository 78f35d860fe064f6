/**
 * Tensor indexing as PyTorch (and NumPy) define it, built on `take`: integers, slices, None,
 * Ellipsis, integer index tensors (advanced indexing, broadcast together) and boolean masks. The
 * result is one `take` with computed flat indices, so its backward (a scatter-add, which sums the
 * gradient of repeated indices) and its double backward come from shape.ts.
 */
import { ShapeError } from '../errors';
import { broadcastIndex, broadcastShapes, numel, shapeText, stridesOf } from '../tensor';
import { take } from './shape';
import type { Var } from './var';

/** One entry of a subscript, after the evaluator has read it. */
export type IndexItem =
  | { kind: 'int'; index: number }
  | { kind: 'slice'; start: number | null; stop: number | null; step: number | null }
  | { kind: 'newaxis' }
  | { kind: 'ellipsis' }
  /** Integer indices of any shape (values already whole numbers). */
  | { kind: 'array'; shape: readonly number[]; data: ArrayLike<number> }
  /** A boolean mask over as many dimensions as it has. */
  | { kind: 'mask'; shape: readonly number[]; data: ArrayLike<number> };

/** An input dimension's part of the index, once masks are turned into index arrays. */
type DimIndex =
  | { kind: 'slice'; start: number; step: number; length: number }
  | { kind: 'int'; index: number }
  | { kind: 'array'; shape: number[]; data: Int32Array };

/** Python's slice.indices for a positive step: start, step and the number of elements. */
function sliceOf(size: number, start: number | null, stop: number | null, step: number | null): DimIndex {
  const s = step ?? 1;
  // PyTorch refuses what Python would reverse: "step must be greater than zero".
  if (s <= 0) throw new ShapeError(`a slice step must be greater than zero (PyTorch has no negative steps; use torch.flip), not ${s}`);
  const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + size : v, 0), size);
  const a = start === null ? 0 : clamp(start);
  const b = stop === null ? size : clamp(stop);
  return { kind: 'slice', start: a, step: s, length: Math.max(0, Math.ceil((b - a) / s)) };
}

function checkedIndex(i: number, dim: number, size: number): number {
  if (i < -size || i >= size) throw new ShapeError(`index ${i} is out of bounds for dimension ${dim} with size ${size}`);
  return i < 0 ? i + size : i;
}

/** The coordinates of the true entries of a mask, one index array per masked dimension. */
function maskIndices(mask: Extract<IndexItem, { kind: 'mask' }>, shape: readonly number[], first: number): DimIndex[] {
  const k = mask.shape.length;
  for (let j = 0; j < k; j++) {
    if (mask.shape[j] !== shape[first + j]) {
      throw new ShapeError(
        `the shape of the mask ${shapeText(mask.shape)} at index ${j} does not match the shape of the indexed tensor ${shapeText(shape)} at index ${first + j}`,
      );
    }
  }
  const strides = stridesOf(mask.shape);
  const hits: number[] = [];
  for (let f = 0; f < mask.data.length; f++) if (mask.data[f] !== 0) hits.push(f);
  return Array.from({ length: k }, (_, j) => ({
    kind: 'array' as const,
    shape: [hits.length],
    data: Int32Array.from(hits, (f) => Math.floor(f / strides[j]) % mask.shape[j]),
  }));
}

/**
 * x[items]: basic indexing (integers, slices, None, ...) gives a view's elements; integer arrays
 * and masks (advanced indexing) are broadcast together, and their dimensions stand where the
 * first of them stood when they are adjacent, else first (NumPy's rule, which PyTorch follows;
 * an integer counts as an advanced index when there is one).
 */
export function index(x: Var, items: readonly IndexItem[]): Var {
  const shape = x.shape;
  const rank = shape.length;
  const ellipses = items.filter((it) => it.kind === 'ellipsis').length;
  if (ellipses > 1) throw new ShapeError(`an index can only have a single ellipsis ('...')`);
  const consumes = (it: IndexItem): number => (it.kind === 'mask' ? it.shape.length : it.kind === 'newaxis' || it.kind === 'ellipsis' ? 0 : 1);
  const used = items.reduce((n, it) => n + consumes(it), 0);
  if (used > rank) {
    throw new ShapeError(`too many indices for a tensor of dimension ${rank}: ${used} given${rank === 0 ? ' (a scalar cannot be indexed)' : ''}`);
  }
  // Every dimension gets an entry: the ellipsis (or the end) stands for full slices.
  const full = (): IndexItem => ({ kind: 'slice', start: null, stop: null, step: null });
  const expanded: IndexItem[] = [];
  for (const it of items) {
    if (it.kind === 'ellipsis') for (let j = 0; j < rank - used; j++) expanded.push(full());
    else expanded.push(it);
  }
  if (ellipses === 0) for (let j = 0; j < rank - used; j++) expanded.push(full());

  // Per item: 'new' (None) or the index of each input dimension it consumes.
  const parts: ({ kind: 'new' } | { kind: 'dims'; dims: DimIndex[]; first: number })[] = [];
  let dim = 0;
  for (const it of expanded) {
    if (it.kind === 'newaxis') {
      parts.push({ kind: 'new' });
      continue;
    }
    const first = dim;
    if (it.kind === 'mask') {
      parts.push({ kind: 'dims', dims: maskIndices(it, shape, dim), first });
      dim += it.shape.length;
      continue;
    }
    const size = shape[dim];
    let d: DimIndex;
    if (it.kind === 'int') d = { kind: 'int', index: checkedIndex(it.index, dim, size) };
    else if (it.kind === 'slice') d = sliceOf(size, it.start, it.stop, it.step);
    else if (it.kind === 'array') d = { kind: 'array', shape: it.shape.slice(), data: Int32Array.from(it.data, (i) => checkedIndex(i, first, size)) };
    else throw new ShapeError(`unexpected index ${it.kind}`);
    parts.push({ kind: 'dims', dims: [d], first });
    dim++;
  }

  const advanced = parts.some((p) => p.kind === 'dims' && p.dims.some((d) => d.kind === 'array'));
  // With an advanced index, integers are 0-d index arrays; they join the broadcast.
  if (advanced) {
    for (const p of parts) {
      if (p.kind !== 'dims') continue;
      p.dims = p.dims.map((d) => (d.kind === 'int' ? { kind: 'array', shape: [], data: Int32Array.of(d.index) } : d));
    }
  }
  const arrays: { dim: number; shape: number[]; data: Int32Array }[] = [];
  const arrayParts: number[] = [];
  parts.forEach((p, k) => {
    if (p.kind !== 'dims') return;
    p.dims.forEach((d, j) => {
      if (d.kind !== 'array') return;
      arrays.push({ dim: p.first + j, shape: d.shape, data: d.data });
      if (!arrayParts.includes(k)) arrayParts.push(k);
    });
  });
  let B: number[] = [];
  for (const a of arrays) {
    const b = broadcastShapes(B, a.shape);
    if (!b) throw new ShapeError(`shape mismatch: indexing tensors could not be broadcast together with shapes ${arrays.map((v) => shapeText(v.shape)).join(', ')}`);
    B = b;
  }
  const adjacent = arrayParts.every((k, j) => j === 0 || k === arrayParts[j - 1] + 1);

  // The output's axes, each one a basic slice, a new axis, or an axis of the broadcast B.
  type Axis = { kind: 'slice'; dim: number; start: number; step: number } | { kind: 'new' } | { kind: 'b'; axis: number };
  const axes: Axis[] = [];
  const outShape: number[] = [];
  const pushB = (): void => B.forEach((s, axis) => (axes.push({ kind: 'b', axis }), outShape.push(s)));
  if (advanced && !adjacent) pushB();
  const strides = stridesOf(shape);
  let fixed = 0;
  parts.forEach((p, k) => {
    if (p.kind === 'new') {
      axes.push({ kind: 'new' });
      outShape.push(1);
      return;
    }
    p.dims.forEach((d, j) => {
      const dm = p.first + j;
      if (d.kind === 'slice') {
        axes.push({ kind: 'slice', dim: dm, start: d.start, step: d.step });
        outShape.push(d.length);
      } else if (d.kind === 'int') {
        fixed += d.index * strides[dm];
      }
    });
    if (advanced && adjacent && k === arrayParts[0]) pushB();
  });

  // Offsets contributed by the advanced indices, for each position of B.
  const nB = numel(B);
  const advancedOffset = new Float64Array(nB);
  for (const a of arrays) {
    const at = broadcastIndex(a.shape, B);
    for (let q = 0; q < nB; q++) advancedOffset[q] += a.data[at[q]] * strides[a.dim];
  }
  const bStrides = stridesOf(B);

  const n = numel(outShape);
  const flat = new Int32Array(n);
  const coord = new Array<number>(outShape.length).fill(0);
  for (let e = 0; e < n; e++) {
    let offset = fixed;
    let q = 0;
    for (let t = 0; t < axes.length; t++) {
      const ax = axes[t];
      if (ax.kind === 'slice') offset += (ax.start + coord[t] * ax.step) * strides[ax.dim];
      else if (ax.kind === 'b') q += coord[t] * bStrides[ax.axis];
    }
    flat[e] = offset + (advanced ? advancedOffset[q] : 0);
    for (let t = outShape.length - 1; t >= 0; t--) {
      if (++coord[t] < outShape[t]) break;
      coord[t] = 0;
    }
  }
  return take(x, flat, outShape);
}
