/**
 * The matrix product with torch.matmul's rules: vector·vector is a dot product, a vector on the
 * left is a row and on the right a column (the added dimension removed afterwards), and leading
 * (batch) dimensions broadcast. The primitive is the batched matrix product; its backward is
 * G·Bᵀ and Aᵀ·G, with matmuls again, so it can be differentiated twice.
 */
import { ShapeError } from '../errors';
import { broadcastIndex, broadcastShapes, numel, shapeText } from '../tensor';
import { sumTo } from './broadcast';
import { reshape, transpose } from './shape';
import { apply, type Op, type Var } from './var';

/** [..., m, k] @ [..., k, n] with broadcast batch dimensions; sums in index order. */
const bmmOp: Op<undefined> = {
  name: '@',
  forward([A, B]) {
    const ra = A.shape.length;
    const rb = B.shape.length;
    const [m, k] = A.shape.slice(ra - 2);
    const [k2, n] = B.shape.slice(rb - 2);
    if (k !== k2) throw new ShapeError(`matmul: inner dimensions differ: ${shapeText(A.shape)} @ ${shapeText(B.shape)}`);
    const batch = broadcastShapes(A.shape.slice(0, ra - 2), B.shape.slice(0, rb - 2));
    if (!batch) throw new ShapeError(`matmul: batch dimensions do not broadcast: ${shapeText(A.shape)} @ ${shapeText(B.shape)}`);
    const nb = numel(batch);
    const ia = broadcastIndex(A.shape.slice(0, ra - 2), batch);
    const ib = broadcastIndex(B.shape.slice(0, rb - 2), batch);
    const out = new Float64Array(nb * m * n);
    const a = A.data;
    const b = B.data;
    for (let t = 0; t < nb; t++) {
      const oa = ia[t] * m * k;
      const ob = ib[t] * k * n;
      const oo = t * m * n;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += a[oa + i * k + p] * b[ob + p * n + j];
          out[oo + i * n + j] = s;
        }
      }
    }
    return { shape: [...batch, m, n], data: out };
  },
  backward(g, { inputs: [a, b], needs }) {
    return [needs[0] ? sumTo(bmm(g, transpose(b)), a.shape) : null, needs[1] ? sumTo(bmm(transpose(a), g), b.shape) : null];
  },
  rule: (G, [a, b], i) => (i === 0 ? `${G} · ${b}ᵀ` : `${a}ᵀ · ${G}`),
};

const bmm = (a: Var, b: Var): Var => apply(bmmOp, [a, b], undefined);

/** torch.matmul. */
export function matmul(a: Var, b: Var): Var {
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra === 0 || rb === 0) {
    throw new ShapeError(`matmul needs tensors of at least one dimension, not ${shapeText(a.shape)} and ${shapeText(b.shape)} (use * for a scalar)`);
  }
  const A = ra === 1 ? reshape(a, [1, a.shape[0]]) : a;
  const B = rb === 1 ? reshape(b, [b.shape[0], 1]) : b;
  const k = A.shape[A.shape.length - 1];
  const k2 = B.shape[B.shape.length - 2];
  if (k !== k2) {
    throw new ShapeError(`cannot multiply ${shapeText(a.shape)} by ${shapeText(b.shape)}: inner dimensions ${k} and ${k2} differ`);
  }
  const batchA = A.shape.slice(0, -2);
  const batchB = B.shape.slice(0, -2);
  if (!broadcastShapes(batchA, batchB)) {
    throw new ShapeError(`cannot multiply ${shapeText(a.shape)} by ${shapeText(b.shape)}: batch dimensions do not broadcast`);
  }
  const y = bmm(A, B);
  // Remove the dimensions that were added for vectors.
  let shape = y.shape.slice();
  if (rb === 1) shape = shape.slice(0, -1);
  if (ra === 1) shape.splice(shape.length - (rb === 1 ? 1 : 2), 1);
  return reshape(y, shape);
}

/** torch.outer: the outer product of two vectors. */
export function outer(a: Var, b: Var): Var {
  if (a.shape.length !== 1 || b.shape.length !== 1) throw new ShapeError(`outer needs two vectors, not ${shapeText(a.shape)} and ${shapeText(b.shape)}`);
  return bmm(reshape(a, [a.shape[0], 1]), reshape(b, [1, b.shape[0]]));
}

