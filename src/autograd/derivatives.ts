/**
 * Every derivative the program reports is built here, from reverse-mode passes over the graph:
 * gradients, Jacobians (one VJP per output, or per output position of a block when blocks are
 * independent), Hessians (the Jacobian of the gradient, with the gradient's own graph),
 * Hessian-vector products, Jacobian-vector products (the double-VJP trick, as
 * torch.autograd.functional.jvp does) and N-th derivatives of elementwise functions.
 */
import { numel, type Tensor } from '../tensor';
import { constant, ones } from './elementwise';
import { grad } from './engine';
import { leaf, type Var } from './var';

const zerosLike = (x: Var): Tensor => ({ shape: x.shape.slice(), data: new Float64Array(numel(x.shape)) });

/** The tensors of grads, zeros where an input was not reached (its derivative is 0). */
export const valuesOf = (gs: readonly (Var | null)[], xs: readonly Var[]): Tensor[] => gs.map((g, i) => (g ? g.value : zerosLike(xs[i])));

/** ∂(Σ seed ⊙ y)/∂x for each x. */
export function vjp(y: Var, xs: readonly Var[], seed: Tensor, createGraph = false): (Var | null)[] {
  return grad([y], [constant(seed)], xs, { createGraph });
}

/**
 * How the outputs and inputs fall into independent blocks: `blocks` blocks, each with `outPerBlock`
 * outputs that depend only on the block's `inPerBlock` inputs (rows of a batch for row-wise
 * functions; single elements for elementwise ones). One VJP per output position of a block then
 * gives that row of every block's Jacobian at once.
 */
export interface BlockStructure {
  blocks: number;
  outPerBlock: number;
  inPerBlock: number;
}

/**
 * The Jacobians of the flattened outputs ys (concatenated) with respect to the flattened xs
 * (concatenated): a dense [Σ|y|, Σ|x|] row-major matrix, rows = outputs. With a block structure
 * (one y and one x), only the diagonal blocks are computed: [blocks, outPerBlock, inPerBlock].
 */
export function jacobian(ys: readonly Var[], xs: readonly Var[], structure?: BlockStructure): Float64Array {
  const outSizes = ys.map((y) => numel(y.shape));
  const inSizes = xs.map((x) => numel(x.shape));
  const inTotal = inSizes.reduce((a, b) => a + b, 0);
  if (structure) {
    const { blocks, outPerBlock: k, inPerBlock: n } = structure;
    const J = new Float64Array(blocks * k * n);
    for (let j = 0; j < k; j++) {
      const seed = new Float64Array(outSizes[0]);
      for (let b = 0; b < blocks; b++) seed[b * k + j] = 1;
      const [g] = valuesOf(grad([ys[0]], [constant({ shape: ys[0].shape.slice(), data: seed })], xs), xs);
      for (let b = 0; b < blocks; b++) J.set(g.data.subarray(b * n, (b + 1) * n), (b * k + j) * n);
    }
    return J;
  }
  const outTotal = outSizes.reduce((a, b) => a + b, 0);
  const J = new Float64Array(outTotal * inTotal);
  let row = 0;
  ys.forEach((y, yi) => {
    for (let i = 0; i < outSizes[yi]; i++, row++) {
      const seeds = ys.map((u, ui) => {
        const data = new Float64Array(outSizes[ui]);
        if (ui === yi) data[i] = 1;
        return constant({ shape: u.shape.slice(), data });
      });
      const gs = valuesOf(grad(ys, seeds, xs), xs);
      let col = row * inTotal;
      for (const g of gs) {
        J.set(g.data, col);
        col += g.data.length;
      }
    }
  });
  return J;
}

/** The gradients of a scalar s with respect to xs, with their own graph (for second derivatives). */
export function gradWithGraph(s: Var, xs: readonly Var[]): (Var | null)[] {
  return grad([s], [ones(s.shape)], xs, { createGraph: true });
}

/**
 * The Hessian of the scalar s over the flattened, concatenated xs: the Jacobian of its gradient.
 * A gradient that does not depend on the xs (s linear in them) gives rows of zeros.
 */
export function hessian(s: Var, xs: readonly Var[], structure?: BlockStructure): Float64Array {
  const gs = gradWithGraph(s, xs);
  const live = gs.map((g, i) => g ?? leaf(zerosLike(xs[i])));
  if (structure) return jacobian([live[0]], xs, { blocks: structure.blocks, outPerBlock: structure.inPerBlock, inPerBlock: structure.inPerBlock });
  return jacobian(live, xs);
}

/** H·v for the scalar s, v split over the xs. */
export function hvp(s: Var, xs: readonly Var[], v: readonly Tensor[]): Tensor[] {
  const gs = gradWithGraph(s, xs);
  const live = gs.map((g, i) => g ?? leaf(zerosLike(xs[i])));
  return valuesOf(grad(live, v.map(constant), xs), xs);
}

/**
 * J·v (forward mode, tangent v in x's shape) by the double-VJP trick: u ↦ uᵀJ is linear in u, and
 * its gradient with respect to u, seeded with v, is J·v.
 */
export function jvp(y: Var, x: Var, v: Tensor): Tensor {
  const u = leaf(zerosLike(y), undefined, true);
  const [uJ] = grad([y], [u], [x], { createGraph: true });
  if (!uJ) return zerosLike(y);
  const [Jv] = grad([uJ], [constant(v)], [u]);
  return Jv ? Jv.value : zerosLike(y);
}

/**
 * The N-th derivative of an elementwise function at each element: y = f(x) has a diagonal
 * Jacobian, so the gradient of Σ f^(k)(x) is f^(k+1)(x), element by element.
 */
export function nthDerivative(y: Var, x: Var, order: number): Tensor {
  let d = y;
  for (let k = 1; k <= order; k++) {
    const [g] = grad([d], [ones(d.shape)], [x], { createGraph: k < order });
    if (!g) return zerosLike(x);
    d = g;
  }
  return d.value;
}
