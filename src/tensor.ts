/**
 * The one data type: a dense float64 array with a shape.
 * shape [] is a scalar, [n] a vector, [m, n] a matrix (a batch of m rows).
 */
export interface Tensor {
  shape: number[];
  data: Float64Array;
}

export function tensor(shape: number[], data?: Float64Array | ArrayLike<number>): Tensor {
  const n = numel(shape);
  const d = data === undefined ? new Float64Array(n) : data instanceof Float64Array ? data : Float64Array.from(data);
  if (d.length !== n) throw new Error(`tensor: ${d.length} numbers for shape [${shape.join(', ')}]`);
  return { shape: shape.slice(), data: d };
}

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

export function full(shape: number[], value: number): Tensor {
  return { shape: shape.slice(), data: new Float64Array(numel(shape)).fill(value) };
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/** Human form of a shape for error messages: "scalar", "3", "2×3". */
export function describeShape(shape: readonly number[]): string {
  return shape.length === 0 ? 'a scalar' : shape.join('×');
}

/** Nested plain arrays, for JSON and tests. */
export function toNested(t: Tensor): number | unknown[] {
  if (t.shape.length === 0) return t.data[0];
  const build = (offset: number, dim: number): unknown[] => {
    const size = t.shape[dim];
    const stride = numel(t.shape.slice(dim + 1));
    const out: unknown[] = new Array(size);
    for (let i = 0; i < size; i++) {
      out[i] = dim === t.shape.length - 1 ? t.data[offset + i] : build(offset + i * stride, dim + 1);
    }
    return out;
  };
  return build(0, 0);
}

/** The inverse of toNested for rectangular nested arrays of numbers. */
export function fromNested(v: unknown): Tensor {
  const shape: number[] = [];
  let probe: unknown = v;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  const flat: number[] = [];
  const walk = (x: unknown, dim: number): void => {
    if (dim === shape.length) {
      flat.push(x as number);
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[dim]) throw new Error('fromNested: ragged array');
    for (const e of x) walk(e, dim + 1);
  };
  walk(v, 0);
  return tensor(shape, flat);
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let k = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = k;
    k *= shape[d];
  }
  return s;
}

/** A shape as PyTorch prints it in messages: [2, 3]; a scalar is []. */
export const shapeText = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

export const scalar = (x: number): Tensor => ({ shape: [], data: Float64Array.of(x) });

/**
 * The shape two shapes broadcast to (NumPy's and PyTorch's rule: align the trailing dimensions;
 * each pair equal or one of them 1), or undefined when they do not broadcast.
 */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] | undefined {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da !== db && da !== 1 && db !== 1) return undefined;
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Effective strides of `from` broadcast to `shape` (row-major, aligned on the trailing
 * dimensions): 0 in every dimension where `from` is broadcast. `from` must broadcast to `shape`.
 */
export function broadcastStrides(from: readonly number[], shape: readonly number[]): number[] {
  const offset = shape.length - from.length;
  const fromStrides = stridesOf(from);
  return shape.map((_, d) => {
    const fd = d - offset;
    return fd < 0 || from[fd] === 1 ? 0 : fromStrides[fd];
  });
}

/**
 * The last index maps made, by shapes: a Hessian or a Jacobian runs the same backward ops on the
 * same shapes once per row, and a map costs an allocation and a pass over the output. Callers
 * only read them. Up to 16 maps and 2²² indices (16 MB) are kept, oldest dropped first.
 */
const indexMaps = new Map<string, Int32Array>();
let indexMapsSize = 0;

function remember(key: string, make: () => Int32Array): Int32Array {
  const hit = indexMaps.get(key);
  if (hit) return hit;
  const map = make();
  if (map.length > 1 << 20) return map;
  indexMaps.set(key, map);
  indexMapsSize += map.length;
  for (const [k, v] of indexMaps) {
    if (indexMaps.size <= 16 && indexMapsSize <= 1 << 22) break;
    indexMaps.delete(k);
    indexMapsSize -= v.length;
  }
  return map;
}

/**
 * For each element of `shape` (row-major), the flat index of the element of `from` that
 * broadcasts to it. `from` must broadcast to `shape`. The array is shared: read it only.
 */
export function broadcastIndex(from: readonly number[], shape: readonly number[]): Int32Array {
  return remember(`${from.join(',')}>${shape.join(',')}`, () => stridedIndex(shape, broadcastStrides(from, shape), 0));
}

/** Flat indices of a strided view: element (i0, i1, …) of `shape` at offset + Σ i_d·strides[d]. */
export function stridedIndex(shape: readonly number[], strides: readonly number[], offset: number): Int32Array {
  const n = numel(shape);
  const out = new Int32Array(n);
  const r = shape.length;
  if (n === 0) return out;
  if (r === 0) {
    out[0] = offset;
    return out;
  }
  // The last dimension in a tight loop; the others as an odometer, advanced once per row.
  const width = shape[r - 1];
  const step = strides[r - 1];
  const coord = new Array<number>(r).fill(0);
  let base = offset;
  for (let k = 0; k < n; k += width) {
    for (let j = 0, src = base; j < width; j++, src += step) out[k + j] = src;
    for (let d = r - 2; d >= 0; d--) {
      coord[d]++;
      base += strides[d];
      if (coord[d] < shape[d]) break;
      base -= strides[d] * coord[d];
      coord[d] = 0;
    }
  }
  return out;
}
