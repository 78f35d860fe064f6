/**
 * Broadcasting as two ops that are each other's backward: expand (a shape to a larger one it
 * broadcasts to) and sumTo (a gradient back onto the operand's shape, PyTorch's sum_to_size).
 */
import { ShapeError } from '../errors';
import { broadcastIndex, broadcastShapes, numel, sameShape, shapeText, type Tensor } from '../tensor';
import { apply, type Op, type Var } from './var';

interface ShapeAttr {
  shape: number[];
}

const expandOp: Op<ShapeAttr> = {
  name: 'expand',
  forward: ([x], { shape }) => {
    const idx = broadcastIndex(x.shape, shape);
    const out = new Float64Array(idx.length);
    const d = x.data;
    for (let k = 0; k < idx.length; k++) out[k] = d[idx[k]];
    return { shape: shape.slice(), data: out };
  },
  backward: (g, { inputs }) => [sumTo(g, inputs[0].shape)],
  rule: (G) => `${G} summed over the broadcast dimensions`,
};

const sumToOp: Op<ShapeAttr> = {
  name: 'sum_to_size',
  forward: ([g], { shape }) => {
    const idx = broadcastIndex(shape, g.shape);
    const out = new Float64Array(numel(shape));
    const d = g.data;
    for (let k = 0; k < idx.length; k++) out[idx[k]] += d[k];
    return { shape: shape.slice(), data: out };
  },
  backward: (g, { inputs }) => [expand(g, inputs[0].shape)],
};

/** x broadcast to `shape` (a no-op when it has that shape already). */
export function expand(x: Var, shape: readonly number[]): Var {
  if (sameShape(x.shape, shape)) return x;
  const b = broadcastShapes(x.shape, shape);
  if (!b || !sameShape(b, shape)) throw new ShapeError(`cannot broadcast shape ${shapeText(x.shape)} to ${shapeText(shape)}`);
  return apply(expandOp, [x], { shape: shape.slice() });
}

/** g summed onto `shape`, which broadcasts to g's shape (a no-op when the shapes are equal). */
export function sumTo(g: Var, shape: readonly number[]): Var {
  if (sameShape(g.shape, shape)) return g;
  return apply(sumToOp, [g], { shape: shape.slice() });
}

/** Reduces a tensor (not a Var) onto a shape: for kernels that broadcast internally. */
export function sumToTensor(g: Tensor, shape: readonly number[]): Tensor {
  return sumToOp.forward([g], { shape: shape.slice() });
}
