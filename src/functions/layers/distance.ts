/**
 * Distances and similarities between tensors: pairwise_distance and cosine_similarity, composed as
 * PyTorch composes them (aten/src/ATen/native/Distance.cpp) from linalg.vector_norm (vector.ts).
 */
import { expand } from '../../autograd/broadcast';
import { add, div, mul, sub } from '../../autograd/elementwise';
import { normaliseDims, sum } from '../../autograd/reduce';
import type { Var } from '../../autograd/var';
import { broadcastShapes, shapeText } from '../../tensor';
import { num, tensor } from '../common';
import type { Descriptor } from '../types';
import { vectorNorm as vectorNormAlong } from '../vector';
import { clampMinPassThrough, fail } from './shared';

/** torch.linalg.vector_norm(x, p, dim, keepdim) along one dimension: vector.ts's norm, one op for every norm. */
export function vectorNorm(x: Var, p: number, dim: number, keepdim: boolean): Var {
  return vectorNormAlong(x, p, [dim], keepdim);
}

/** The shape two inputs broadcast to, or the error that says why they do not. */
function commonShape(fn: string, a: Var, b: Var, names: [string, string]): number[] {
  const shape = broadcastShapes(a.shape, b.shape);
  if (!shape) {
    fail((name) => `${fn}: ${name(names[0])} (shape ${shapeText(a.shape)}) and ${name(names[1])} (shape ${shapeText(b.shape)}) do not broadcast (each dimension equal, or 1 in one of them)`);
  }
  return shape;
}

/** ‖x1 − x2 + eps‖_p along the last dimension (aten pairwise_distance: eps is added to the difference). */
export function pNormDistance(x1: Var, x2: Var, p: number, eps: number, keepdim: boolean, names: [string, string] = ['x1', 'x2']): Var {
  const rank = commonShape('pairwise_distance', x1, x2, names).length;
  return vectorNorm(add(sub(x1, x2), eps), p, rank - 1, keepdim);
}

const X1 = { name: 'x1', type: 'tensor', doc: 'the first tensor' } as const;
const X2 = { name: 'x2', type: 'tensor', doc: 'the second tensor (broadcasts with x1)', expressionOnly: true } as const;

export const pairwiseDistance: Descriptor = {
  name: 'pairwise-distance',
  kind: 'call',
  summary: 'p-norm distance ‖x1 − x2 + eps‖_p between the rows of two tensors',
  torch: 'torch.nn.functional.pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False)',
  args: [
    X1,
    X2,
    { name: 'p', type: 'number', default: 2, doc: 'the order of the norm' },
    { name: 'eps', type: 'number', default: 1e-6, doc: 'added to the difference x1 − x2 (not to the norm)' },
    { name: 'keepdim', type: 'boolean', default: false, doc: 'keep the last dimension as size 1' },
  ],
  formula: {
    value: 'd = ‖x1 − x2 + eps‖_p = (Σ_i |x1_i − x2_i + eps|^p)^(1/p) along the last dimension',
    derivative: '∂d/∂x1 = sign(u)·|u|^(p−1) / d^(p−1) with u = x1 − x2 + eps (p = 2: u/d);  ∂d/∂x2 = −∂d/∂x1',
  },
  kinks:
    "eps is added to the difference, as PyTorch does, so the distance of equal rows is eps·n^(1/p), not 0, and its gradient is defined. " +
    "Where the norm is 0 the gradient is 0 (PyTorch's norm_backward masks it). Both inputs get gradients; they broadcast, and the norm is " +
    'taken along the last dimension of the broadcast shape.',
  example: 'grad "F.pairwise_distance(a, b).sum()" a="1 2; 0 1" b="0 0; 2 -1"',
  forward: (a) => pNormDistance(tensor(a, 'x1'), tensor(a, 'x2'), num(a, 'p'), num(a, 'eps'), a.keepdim as boolean),
};

export const cosineSimilarity: Descriptor = {
  name: 'cosine-similarity',
  kind: 'call',
  summary: 'cosine of the angle between x1 and x2 along a dimension',
  torch: 'torch.nn.functional.cosine_similarity(x1, x2, dim=1, eps=1e-8)',
  args: [
    X1,
    X2,
    { name: 'dim', type: 'int', default: 1, doc: 'the dimension along which the vectors lie' },
    { name: 'eps', type: 'number', default: 1e-8, doc: 'lower bound of each norm' },
  ],
  formula: {
    value: 'cos = Σ (x1 / max(‖x1‖, eps)) · (x2 / max(‖x2‖, eps)) along dim',
    derivative: '∂cos/∂x1 = x2/(‖x1‖‖x2‖) − cos·x1/‖x1‖²  (norms above eps)',
  },
  kinks:
    "Each input is divided by its norm first, as PyTorch 2's Distance.cpp does, so |cos| ≤ 1. The norms are clamped to eps under " +
    'no_grad, as PyTorch does: below eps the value uses eps but the gradient is that of the unclamped norm. The inputs broadcast; ' +
    'dim refers to the broadcast shape. Both inputs get gradients.',
  example: 'grad "F.cosine_similarity(a, b, dim=0)" a=1,2,3 b=-1,0.5,2',
  forward(a) {
    const shape = commonShape('cosine_similarity', tensor(a, 'x1'), tensor(a, 'x2'), ['x1', 'x2']);
    const [x1, x2] = [expand(tensor(a, 'x1'), shape), expand(tensor(a, 'x2'), shape)];
    const [d] = normaliseDims(a.dim as number, x1.shape.length);
    const eps = num(a, 'eps');
    if (!(eps >= 0)) fail((name) => `cosine_similarity: ${name('eps')} must be non-negative, got ${eps}`);
    const unit = (x: Var): Var => div(x, clampMinPassThrough(vectorNorm(x, 2, d, true), eps));
    return sum(mul(unit(x1), unit(x2)), d);
  },
};
