/**
 * Affine maps: linear (x·Wᵀ + b, aten linear: addmm/matmul) and bilinear (x1ᵀ·W_k·x2 + b_k,
 * aten bilinear through _trilinear, which contracts in1 first and then in2), as matrix products of
 * the engine, so every argument gets its gradient and second derivatives come for free.
 */
import { add } from '../../autograd/elementwise';
import { matmul } from '../../autograd/linalg';
import { permute, reshape, transpose } from '../../autograd/shape';
import type { Var } from '../../autograd/var';
import { broadcastShapes, numel, shapeText } from '../../tensor';
import { optionalTensor, tensor } from '../common';
import type { Descriptor } from '../types';
import { fail, shapeOf } from './shared';

/** Adds the bias, which must broadcast against the output (a vector of out_features). */
function withBias(fn: string, y: Var, bias: Var | null, rule: string): Var {
  if (!bias) return y;
  const shape = broadcastShapes(y.shape, bias.shape);
  if (!shape || shapeText(shape) !== shapeText(y.shape)) {
    fail((name) => `${fn}: ${name('bias')} (shape ${shapeOf(bias)}) does not broadcast to the output (shape ${shapeOf(y)}): ${rule}`);
  }
  return add(y, bias);
}

export const linear: Descriptor = {
  name: 'linear',
  kind: 'call',
  summary: 'affine map x·Wᵀ + b of the last dimension',
  torch: 'torch.nn.functional.linear(input, weight, bias=None)',
  args: [
    { name: 'input', type: 'tensor', doc: 'the input (..., in_features)' },
    { name: 'weight', type: 'tensor', doc: 'W (out_features, in_features), or a vector (in_features)', expressionOnly: true },
    { name: 'bias', type: 'tensor', default: null, doc: 'b (out_features)', expressionOnly: true },
  ],
  formula: { value: 'y = x·Wᵀ + b', derivative: '∂L/∂x = G·W;  ∂L/∂W = Gᵀ·x (summed over the batch);  ∂L/∂b = Σ G over the batch, G = ∂L/∂y' },
  kinks: 'Linear: no kinks, and second derivatives are 0 except the cross terms between x and W. Input, weight and bias all get gradients.',
  example: 'grad "(F.linear(X, W, b)).sum()" X="1 2; 3 4" W="1 0; 0 1" b=0,0',
  forward(a) {
    const fn = 'linear';
    const x = tensor(a, 'input');
    const w = tensor(a, 'weight');
    if (x.shape.length === 0 || w.shape.length === 0 || w.shape.length > 2) {
      fail((name) => `${fn}: ${name('input')} (shape ${shapeOf(x)}) needs at least one dimension and ${name('weight')} (shape ${shapeOf(w)}) must be (out_features, in_features) or a vector`);
    }
    const inFeatures = w.shape[w.shape.length - 1];
    if (x.shape[x.shape.length - 1] !== inFeatures) {
      fail((name) => `${fn}: ${name('input')} (shape ${shapeOf(x)}) has ${x.shape[x.shape.length - 1]} features in its last dimension, but ${name('weight')} (shape ${shapeOf(w)}) takes ${inFeatures} (weight is (out_features, in_features))`);
    }
    return withBias(fn, matmul(x, transpose(w)), optionalTensor(a, 'bias'), 'one number per output feature');
  },
};

export const bilinear: Descriptor = {
  name: 'bilinear',
  kind: 'call',
  summary: 'bilinear map y_k = x1ᵀ·W_k·x2 + b_k of the last dimensions',
  torch: 'torch.nn.functional.bilinear(input1, input2, weight, bias=None)',
  args: [
    { name: 'input1', type: 'tensor', doc: 'x1 (..., in1_features)' },
    { name: 'input2', type: 'tensor', doc: 'x2 (..., in2_features), the same leading dimensions as x1', expressionOnly: true },
    { name: 'weight', type: 'tensor', doc: 'W (out_features, in1_features, in2_features)', expressionOnly: true },
    { name: 'bias', type: 'tensor', default: null, doc: 'b (out_features)', expressionOnly: true },
  ],
  formula: {
    value: 'y_k = Σ_ij x1_i·W_kij·x2_j + b_k',
    derivative: '∂L/∂x1_i = Σ_k G_k·Σ_j W_kij·x2_j;  ∂L/∂x2_j = Σ_k G_k·Σ_i x1_i·W_kij;  ∂L/∂W_kij = G_k·x1_i·x2_j;  ∂L/∂b = G',
  },
  kinks: 'No kinks. All four arguments get gradients; leading (batch) dimensions of x1 and x2 must be equal.',
  example: 'grad "F.bilinear(a, b, W).sum()" a=1,2 b=3,-1 W="[[[1, 0], [0, 1]]]"',
  forward(a) {
    const fn = 'bilinear';
    const x1 = tensor(a, 'input1');
    const x2 = tensor(a, 'input2');
    const w = tensor(a, 'weight');
    const shapes = (name: (arg: string) => string): string =>
      `${name('input1')} ${shapeOf(x1)}, ${name('input2')} ${shapeOf(x2)}, ${name('weight')} ${shapeOf(w)}`;
    if (w.shape.length !== 3) fail((name) => `${fn}: ${name('weight')} must be (out_features, in1_features, in2_features) (${shapes(name)})`);
    const [out, in1, in2] = w.shape;
    const r = x1.shape.length;
    if (r === 0 || x2.shape.length !== r || shapeText(x1.shape.slice(0, -1)) !== shapeText(x2.shape.slice(0, -1))) {
      fail((name) => `${fn}: ${name('input1')} and ${name('input2')} need the same leading (batch) dimensions (${shapes(name)})`);
    }
    if (x1.shape[r - 1] !== in1 || x2.shape[r - 1] !== in2) {
      fail((name) => `${fn}: the last dimensions of ${name('input1')} and ${name('input2')} must be the weight's dimensions 1 and 2 (${shapes(name)})`);
    }
    const batch = x1.shape.slice(0, -1);
    const rows = numel(batch);
    // Contract in1 first: t[n, k, j] = Σ_i x1[n, i]·W[k, i, j]; then y[n, k] = Σ_j t[n, k, j]·x2[n, j].
    const t = reshape(matmul(reshape(x1, [rows, in1]), reshape(permute(w, [1, 0, 2]), [in1, out * in2])), [rows, out, in2]);
    const y = reshape(matmul(t, reshape(x2, [rows, in2, 1])), [...batch, out]);
    return withBias(fn, y, optionalTensor(a, 'bias'), 'one number per output feature');
  },
};
