/**
 * scaled_dot_product_attention as PyTorch's math backend computes it
 * (aten/src/ATen/native/transformers/attention.cpp, _scaled_dot_product_attention_math): query and
 * key each scaled by √scale, their product plus the mask, _safe_softmax (a row masked everywhere
 * gives zeros, not NaN), times value. Matmuls and softmax of the engine, so Q, K, V and a float
 * mask get gradients and second derivatives.
 */
import { add, constant, mul, where } from '../../autograd/elementwise';
import { matmul } from '../../autograd/linalg';
import { take, transpose } from '../../autograd/shape';
import type { Var } from '../../autograd/var';
import { broadcastShapes, numel, shapeText, stridesOf } from '../../tensor';
import { flag, num, optionalTensor, tensor } from '../common';
import type { Descriptor } from '../types';
import { softmaxAlong } from '../vector';
import { fail, shapeOf } from './shared';

/** 0 where attention is allowed, −inf where it is not (convert_boolean_attn_mask). */
function maskBias(allowed: (i: number) => boolean, shape: number[]): Var {
  const data = new Float64Array(numel(shape));
  for (let i = 0; i < data.length; i++) data[i] = allowed(i) ? 0 : -Infinity;
  return constant({ shape, data });
}

/**
 * A mask holding only 0 and 1 (with at least one 1), and asking for no gradient, is read as a
 * boolean mask (True = take part), as comparisons and torch.ones(...).tril() give; any other mask
 * is a float mask, added to the scores. (actgrad's tensors have no dtype to tell them apart.)
 */
function isBooleanMask(mask: Var): boolean {
  const d = mask.value.data;
  return !mask.requiresGrad && d.some((v) => v === 1) && d.every((v) => v === 0 || v === 1);
}

/**
 * _safe_softmax along the last dimension: rows whose scores are all −inf give 0 (PyTorch ≥ 2.5's
 * math backend). Those rows are replaced by zeros before the softmax, so that neither the value nor
 * the gradient (0 there, as PyTorch's _softmax_backward_data with a zero result) sees a NaN.
 */
function safeSoftmax(scores: Var): Var {
  const n = scores.shape[scores.shape.length - 1];
  const d = scores.value.data;
  const rows = d.length / n;
  const dead = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let all = true;
    for (let j = 0; j < n && all; j++) all = d[r * n + j] === -Infinity;
    dead[r] = all ? 1 : 0;
  }
  if (!dead.includes(1)) return softmaxAlong(scores, scores.shape.length - 1);
  const mask = constant({ shape: [...scores.shape.slice(0, -1), 1], data: dead });
  return where(mask, 0, softmaxAlong(where(mask, 0, scores), scores.shape.length - 1));
}

/** key or value with each of its heads (dimension −3) repeated to match query's heads (repeat_interleave, for enable_gqa). */
function repeatHeads(v: Var, heads: number): Var {
  const r = v.shape.length;
  const shape = v.shape.slice();
  const factor = heads / shape[r - 3];
  shape[r - 3] = heads;
  const strides = stridesOf(v.shape);
  const out = stridesOf(shape);
  const index = new Int32Array(numel(shape));
  for (let i = 0; i < index.length; i++) {
    let rest = i;
    let flat = 0;
    for (let dim = 0; dim < r; dim++) {
      const c = Math.floor(rest / out[dim]);
      rest -= c * out[dim];
      flat += (dim === r - 3 ? Math.floor(c / factor) : c) * strides[dim];
    }
    index[i] = flat;
  }
  return take(v, index, shape);
}

export const scaledDotProductAttention: Descriptor = {
  name: 'scaled-dot-product-attention',
  kind: 'call',
  summary: 'attention softmax(Q·Kᵀ·scale + mask)·V',
  torch: 'torch.nn.functional.scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None, enable_gqa=False)',
  args: [
    { name: 'query', type: 'tensor', doc: 'Q (..., L, E)' },
    { name: 'key', type: 'tensor', doc: 'K (..., S, E)', expressionOnly: true },
    { name: 'value', type: 'tensor', doc: 'V (..., S, E_v)', expressionOnly: true },
    { name: 'attn_mask', type: 'tensor', default: null, doc: '(..., L, S): 0/1 (True = attend) or added to the scores', expressionOnly: true },
    { name: 'dropout_p', type: 'number', default: 0, doc: 'dropout probability (random: only 0)' },
    { name: 'is_causal', type: 'boolean', default: false, doc: 'attend only to keys j ≤ i (a lower-triangular mask, top-left aligned)' },
    { name: 'scale', type: 'number', default: null, doc: 'the factor of the scores (default 1/√E)' },
    { name: 'enable_gqa', type: 'boolean', default: false, doc: "grouped-query attention: repeat key's and value's heads (dimension −3) to query's" },
  ],
  formula: {
    value: 'A = softmax(Q·Kᵀ·scale + M) along the keys;  y = A·V',
    derivative: 'dA = G·Vᵀ;  dS = A ⊙ (dA − rowsum(dA ⊙ A));  ∂L/∂Q = dS·K·scale;  ∂L/∂K = dSᵀ·Q·scale;  ∂L/∂V = Aᵀ·G;  ∂L/∂M = dS',
  },
  kinks:
    "PyTorch's math backend: Q and K are each scaled by √scale before their product (a negative scale negates Q). A boolean " +
    'mask (False = masked) becomes −inf; is_causal is the mask tril(ones(L, S)), top-left aligned when L ≠ S, and cannot be combined with ' +
    'attn_mask. A row masked everywhere gives zeros and no gradient (_safe_softmax). actgrad has no boolean dtype: a mask of only 0s and ' +
    '1s that asks for no gradient is read as boolean, any other as a float mask (which gets a gradient). dropout_p must be 0 ' +
    '(dropout is random). Q, K and V get gradients.',
  example: 'grad "(G * F.scaled_dot_product_attention(Q, K, V)).sum()" Q="0.5 -1; 1 0.2" K="0.3 0.8; -0.6 1" V="1 2; -1 0.5" G="1 0; 0.5 -1" --wrt Q,K,V',
  forward(a) {
    const fn = 'scaled_dot_product_attention';
    const q = tensor(a, 'query');
    let k = tensor(a, 'key');
    let v = tensor(a, 'value');
    const shapes = (name: (arg: string) => string): string => `${name('query')} ${shapeOf(q)}, ${name('key')} ${shapeOf(k)}, ${name('value')} ${shapeOf(v)}`;
    if (q.shape.length < 2 || k.shape.length < 2 || v.shape.length < 2) fail((name) => `${fn}: query, key and value need at least 2 dimensions (..., L or S, E) (${shapes(name)})`);
    const [L, E] = q.shape.slice(-2);
    const S = k.shape[k.shape.length - 2];
    if (k.shape[k.shape.length - 1] !== E) fail((name) => `${fn}: ${name('query')} and ${name('key')} must have the same last dimension E (${shapes(name)})`);
    if (v.shape[v.shape.length - 2] !== S) fail((name) => `${fn}: ${name('key')} and ${name('value')} must have the same number of keys S in dimension −2 (${shapes(name)})`);
    if (num(a, 'dropout_p') !== 0) fail((name) => `${fn}: ${name('dropout_p')}=${num(a, 'dropout_p')} drops attention weights at random, which cannot be reproduced; use 0`);
    if (flag(a, 'enable_gqa')) {
      const heads = q.shape[q.shape.length - 3];
      const kvHeads = k.shape[k.shape.length - 3];
      const headed = q.shape.length >= 3 && k.shape.length >= 3 && v.shape.length >= 3;
      if (!headed || v.shape[v.shape.length - 3] !== kvHeads || heads % kvHeads !== 0) {
        fail((name) => `${fn}: enable_gqa needs heads in dimension −3, the number of ${name('query')}'s a multiple of ${name('key')}'s and ${name('value')}'s (${shapes(name)})`);
      }
      k = repeatHeads(k, heads);
      v = repeatHeads(v, heads);
    }
    // calculate_scale: 1/√E unless given; query and key are each multiplied by its square root.
    const scale = a.scale === null ? 1 / Math.sqrt(E) : num(a, 'scale');
    const root = Math.sqrt(Math.abs(scale));
    let scores = matmul(mul(q, scale < 0 ? -root : root), mul(transpose(k), root));

    const mask = optionalTensor(a, 'attn_mask');
    let bias: Var | null = null;
    if (flag(a, 'is_causal')) {
      if (mask) fail((name) => `${fn}: is_causal=True builds its own mask; do not also give ${name('attn_mask')}`);
      bias = maskBias((i) => i % S <= Math.floor(i / S), [L, S]);
    } else if (mask) {
      const shape = broadcastShapes(mask.shape, scores.shape);
      if (!shape || shapeText(shape) !== shapeText(scores.shape)) {
        fail((name) => `${fn}: ${name('attn_mask')} (shape ${shapeOf(mask)}) does not broadcast to the attention scores (shape ${shapeOf(scores)}, (..., L, S))`);
      }
      bias = isBooleanMask(mask) ? maskBias((i) => mask.value.data[i] === 1, mask.shape.slice()) : mask;
    }
    if (bias) scores = add(scores, bias);
    return matmul(safeSoftmax(scores), v);
  },
};
