/**
 * Layers that are a lookup or an evaluation-mode identity: dropout and rrelu (whose training mode
 * is random, so actgrad evaluates them as nn.Module.eval() does) and embedding (a row lookup whose
 * backward is PyTorch's embedding_dense_backward: padding rows get no gradient, and
 * scale_grad_by_freq divides by each index's count).
 */
import { constant, gt, mul, where } from '../../autograd/elementwise';
import { take } from '../../autograd/shape';
import { apply, type Op } from '../../autograd/var';
import { shapeText, type Tensor } from '../../tensor';
import { flag, num, tensor } from '../common';
import type { Descriptor } from '../types';
import { vectorNorm } from '../vector';
import { fail, layer, noGradientFor, shapeOf, wholeNumbers } from './shared';

const INPLACE = { name: 'inplace', type: 'boolean', default: false, doc: 'PyTorch writes the result into the input (no effect on the numbers)' } as const;

export const dropout = layer({
  name: 'dropout',
  summary: 'dropout in evaluation mode: the identity',
  torch: 'torch.nn.functional.dropout(input, p=0.5, training=True, inplace=False)',
  params: [
    { name: 'p', type: 'number', default: 0.5, doc: 'the probability of zeroing an element (in training mode)' },
    { name: 'training', type: 'boolean', default: false, doc: 'training mode (random): only p = 0 or p = 1 are deterministic' },
    INPLACE,
  ],
  structure: 'elementwise',
  formula: { value: 'y = x (evaluation mode);  training with p = 1: y = 0', derivative: '∂y/∂x = 1 (evaluation mode);  0 for p = 1' },
  kinks:
    "actgrad evaluates dropout in evaluation mode (the state of nn.Dropout after model.eval()), so training defaults to False where " +
    "F.dropout's default is True. Training mode draws a random mask, which cannot be reproduced: training=True is accepted only for " +
    'p = 0 (the identity) and p = 1 (zeros), the two deterministic cases.',
  example: 'dropout 1 -2 3 --p 0.5 --grad',
  check(a) {
    const p = a.p as number;
    if (!(p >= 0 && p <= 1)) fail((name) => `dropout: ${name('p')} is a probability between 0 and 1, not ${p}`);
    if (a.training === true && p !== 0 && p !== 1) {
      fail((name) => `dropout: ${name('training')}=True with ${name('p')}=${p} draws a random mask, which cannot be reproduced; actgrad computes evaluation mode (training=False), or training with p = 0 or 1`);
    }
  },
  forward: (x, a) => (flag(a, 'training') && num(a, 'p') === 1 ? mul(x, 0) : x),
});

export const rrelu = layer({
  name: 'rrelu',
  summary: 'randomized leaky ReLU in evaluation mode: slope (lower + upper)/2 for x ≤ 0',
  torch: 'torch.nn.functional.rrelu(input, lower=1/8, upper=1/3, training=False, inplace=False)',
  params: [
    { name: 'lower', type: 'number', default: 1 / 8, doc: 'lower bound of the random slope' },
    { name: 'upper', type: 'number', default: 1 / 3, doc: 'upper bound of the random slope' },
    { name: 'training', type: 'boolean', default: false, doc: 'training mode (a random slope per element): only lower = upper is deterministic' },
    INPLACE,
  ],
  structure: 'elementwise',
  formula: { value: 'y = x for x > 0, else a·x with a = (lower + upper)/2', derivative: "y' = 1 for x > 0, else a" },
  kinks:
    "Evaluation mode is leaky_relu with slope (lower + upper)/2, as PyTorch's rrelu_with_noise computes it; at x = 0 the derivative " +
    "is the slope (PyTorch's leaky_relu_backward tests x > 0). Training mode draws a slope per element from U(lower, upper), which " +
    'cannot be reproduced: training=True is accepted only when lower = upper (the slope is then lower).',
  example: 'rrelu -2 0 3 --grad',
  check(a) {
    if ((a.lower as number) > (a.upper as number)) fail((name) => `rrelu: ${name('lower')}=${a.lower} is above ${name('upper')}=${a.upper}; the lower bound must not exceed the upper`);
    if (a.training === true && a.lower !== a.upper) {
      fail((name) => `rrelu: ${name('training')}=True draws a random slope between ${name('lower')} and ${name('upper')}, which cannot be reproduced; actgrad computes evaluation mode (training=False), or training with lower = upper`);
    }
  },
  forward(x, a) {
    const slope = flag(a, 'training') ? num(a, 'lower') : (num(a, 'lower') + num(a, 'upper')) / 2;
    return where(gt(x, 0), x, mul(x, slope));
  },
});

// ---------------------------------------------------------------------------------------------
// embedding
// ---------------------------------------------------------------------------------------------

interface EmbeddingAttr {
  /** the row of each looked-up index, flattened */
  rows: Int32Array;
  /** rows whose gradient is dropped (padding_idx), or -1 */
  paddingIdx: number;
  /** per looked-up index, the factor of its gradient (1, or 1/count with scale_grad_by_freq) */
  gradScale: Float64Array;
  weightShape: number[];
  outShape: number[];
  /** the weight's values after max_norm renormalisation, or null */
  renormed: Float64Array | null;
}

/** For each element of the output (index k, feature j), the flat position of row[k]'s feature j, or -1 for padding rows. */
function gatherIndex(rows: Int32Array, dim: number, paddingIdx: number): Int32Array {
  const index = new Int32Array(rows.length * dim);
  for (let k = 0; k < rows.length; k++) {
    for (let j = 0; j < dim; j++) index[k * dim + j] = rows[k] === paddingIdx ? -1 : rows[k] * dim + j;
  }
  return index;
}

/**
 * embedding_dense_backward: the gradient rows added into the weight's rows, padding rows skipped,
 * scaled by 1/count with scale_grad_by_freq. Its own derivative is embedding_dense_double_backward,
 * a gather that skips padding rows and, as in PyTorch, does not scale.
 */
const embeddingBackwardOp: Op<EmbeddingAttr> = {
  name: 'embedding_dense_backward',
  forward([g], { rows, paddingIdx, gradScale, weightShape }) {
    const dim = weightShape[1];
    const out = new Float64Array(weightShape[0] * dim);
    for (let k = 0; k < rows.length; k++) {
      if (rows[k] === paddingIdx) continue;
      for (let j = 0; j < dim; j++) out[rows[k] * dim + j] += g.data[k * dim + j] * gradScale[k];
    }
    return { shape: weightShape.slice(), data: out };
  },
  backward: (gg, { attrs: { rows, paddingIdx, weightShape, outShape } }) => [take(gg, gatherIndex(rows, weightShape[1], paddingIdx), outShape)],
};

const embeddingOp: Op<EmbeddingAttr> = {
  name: 'embedding',
  forward([w], { rows, weightShape, outShape, renormed }) {
    const dim = weightShape[1];
    const source = renormed ?? w.data;
    const out = new Float64Array(rows.length * dim);
    for (let k = 0; k < rows.length; k++) out.set(source.subarray(rows[k] * dim, (rows[k] + 1) * dim), k * dim);
    return { shape: outShape.slice(), data: out };
  },
  backward: (g, { attrs }) => [apply(embeddingBackwardOp, [g], attrs)],
  rule: (G) => `${G} added into the looked-up rows`,
};

/**
 * The weight after embedding_renorm_: each looked-up row whose norm exceeds max_norm is scaled by
 * max_norm/(norm + 1e-7) (aten/src/ATen/native/Embedding.cpp).
 */
function renorm(w: Tensor, rows: Int32Array, maxNorm: number, normType: number): Float64Array {
  const dim = w.shape[1];
  const out = Float64Array.from(w.data);
  for (const r of new Set(rows)) {
    const row = out.subarray(r * dim, (r + 1) * dim);
    const norm = vectorNorm(constant({ shape: [dim], data: row.slice() }), normType, [0], false).value.data[0];
    if (norm > maxNorm) {
      const scale = maxNorm / (norm + 1e-7);
      for (let j = 0; j < dim; j++) row[j] *= scale;
    }
  }
  return out;
}

const INDICES_NO_GRAD = 'embedding indices are integers: PyTorch computes no gradient for them';

export const embedding: Descriptor = {
  name: 'embedding',
  kind: 'call',
  summary: 'look up rows of a weight matrix by integer index',
  torch: 'torch.nn.functional.embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False)',
  args: [
    { name: 'input', type: 'tensor', doc: 'indices (whole numbers from 0 to num_embeddings − 1), any shape', noGrad: INDICES_NO_GRAD },
    { name: 'weight', type: 'tensor', doc: 'the embedding matrix (num_embeddings, embedding_dim)', expressionOnly: true },
    { name: 'padding_idx', type: 'int', default: null, doc: 'an index whose row gets no gradient (negative counts from the end)' },
    { name: 'max_norm', type: 'number', default: null, doc: 'looked-up rows with a larger norm are scaled down to it' },
    { name: 'norm_type', type: 'number', default: 2, doc: 'the p of the norm for max_norm' },
    { name: 'scale_grad_by_freq', type: 'boolean', default: false, doc: "divide each row's gradient by the index's count in input" },
    { name: 'sparse', type: 'boolean', default: false, doc: "PyTorch's gradient layout (no effect on the numbers)" },
  ],
  formula: { value: 'y[..., :] = weight[input[...], :]', derivative: '∂L/∂weight[r] = Σ over positions with input = r of ∂L/∂y (÷ count with scale_grad_by_freq); padding_idx rows: 0' },
  kinks:
    "The indices get no gradient. padding_idx's row is looked up as it is but gets no gradient. max_norm renormalises the looked-up " +
    "rows (scale max_norm/(norm + 1e-7)) under no_grad, so the gradient is the plain lookup's; PyTorch also writes the renormalised " +
    'rows into weight in place, which actgrad does not (a later use of weight in the same expression sees the original).',
  example: 'grad "F.embedding(i, E).sum()" i=2,0 E="1 2; 3 4; 5 6" --wrt E',
  forward(a, ctx) {
    const fn = 'embedding';
    const input = tensor(a, 'input');
    const w = tensor(a, 'weight');
    noGradientFor(ctx, input, INDICES_NO_GRAD);
    if (w.shape.length !== 2) fail((name) => `${fn}: ${name('weight')} (shape ${shapeOf(w)}) must be a matrix (num_embeddings, embedding_dim)`);
    const [count, dim] = w.shape;
    const rows = wholeNumbers(fn, 'input', input);
    rows.forEach((r, i) => {
      if (r < 0 || r >= count) {
        fail((name) => `${fn}: ${name('input')} holds index ${r} at position ${i}, out of range for ${name('weight')} with ${count} rows (shape ${shapeOf(w)}): indices go from 0 to ${count - 1}`);
      }
    });
    let paddingIdx = a.padding_idx === null ? -1 : num(a, 'padding_idx');
    if (paddingIdx >= count || paddingIdx < -count) {
      fail((name) => `${fn}: ${name('padding_idx')}=${paddingIdx} is out of range for ${name('weight')} with ${count} rows (shape ${shapeText(w.shape)})`);
    }
    if (a.padding_idx !== null && paddingIdx < 0) paddingIdx += count;
    const gradScale = new Float64Array(rows.length).fill(1);
    if (flag(a, 'scale_grad_by_freq')) {
      const counts = new Map<number, number>();
      for (const r of rows) counts.set(r, (counts.get(r) ?? 0) + 1);
      rows.forEach((r, k) => (gradScale[k] = 1 / counts.get(r)!));
    }
    const renormed = a.max_norm === null ? null : renorm(w.value, rows, num(a, 'max_norm'), num(a, 'norm_type'));
    return apply(embeddingOp, [w], { rows, paddingIdx, gradScale, weightShape: w.shape.slice(), outShape: [...input.shape, dim], renormed });
  },
};
