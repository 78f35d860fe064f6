/**
 * Losses over class scores: one loss per row of C scores, against a class index per row (or, for
 * cross-entropy, a probability per class). A row's loss is written as -Σ_c a_c·z_c, where z is
 * the row's log-probabilities and a its target coefficients; forward and backward share a.
 */
import type { Tensor } from '../tensor';
import type { LossFn, ParamSpec, Params } from './types';
import { logSoftmax } from './vector';

interface ClassRows {
  rows: number;
  classes: number;
  row(t: Tensor, r: number): Float64Array;
}

function classRows(input: Tensor): ClassRows {
  const rows = input.shape.length === 1 ? 1 : input.shape[0];
  const classes = input.shape[input.shape.length - 1];
  return { rows, classes, row: (t, r) => t.data.subarray(r * classes, (r + 1) * classes) };
}

/** The losses' shape: a scalar for one row of scores, one per row for a batch. */
const lossShape = (input: Tensor): number[] => (input.shape.length === 1 ? [] : [input.shape[0]]);

const weightOf = (p: Params, c: number): number => {
  const w = p.weight as Float64Array | null;
  return w === null ? 1 : w[c];
};

/** Does the target hold probabilities (the input's shape) rather than class indices? */
const isProbabilityTarget = (input: Tensor, target: Tensor): boolean =>
  input.shape.length === target.shape.length && input.shape.every((s, i) => s === target.shape[i]);

/**
 * Coefficients a of row r, such that the row's loss is -Σ_c a_c·z_c (PyTorch's cross_entropy,
 * aten/src/ATen/native/LossNLL.cpp):
 * - class index y: a = (1 - ε)·w_y·e_y + (ε/C)·w;
 * - probabilities t: a = w ⊙ ((1 - ε)·t + ε/C).
 */
function coefficients(input: Tensor, target: Tensor, r: number, p: Params, smoothing: number): Float64Array {
  const { classes } = classRows(input);
  const a = new Float64Array(classes);
  if (isProbabilityTarget(input, target)) {
    for (let c = 0; c < classes; c++) {
      a[c] = weightOf(p, c) * (target.data[r * classes + c] * (1 - smoothing) + smoothing / classes);
    }
    return a;
  }
  if (smoothing > 0) for (let c = 0; c < classes; c++) a[c] = (smoothing / classes) * weightOf(p, c);
  const y = target.data[r];
  a[y] += (1 - smoothing) * weightOf(p, y);
  return a;
}

/** PyTorch's mean: Σ losses / Σ_n w_{y_n} for class indices; / N for probabilities. */
function meanDenominator(input: Tensor, target: Tensor, p: Params): number {
  const { rows } = classRows(input);
  if (isProbabilityTarget(input, target) || p.weight === null || p.weight === undefined) return rows;
  let s = 0;
  for (let r = 0; r < rows; r++) s += weightOf(p, target.data[r]);
  return s;
}

/** -Σ_c a_c·z_c, skipping a_c = 0 so that a -inf log-probability of another class does not give NaN. */
function negDot(a: Float64Array, z: Float64Array): number {
  let s = 0;
  for (let c = 0; c < a.length; c++) if (a[c] !== 0) s -= a[c] * z[c];
  return s;
}

const weightParam: ParamSpec = { name: 'weight', type: 'vector', default: null, doc: 'weight of each class (one number per class)' };

const checkWeightLength = (input: Tensor, p: Params): string | undefined => {
  const w = p.weight as Float64Array | null;
  const classes = input.shape[input.shape.length - 1];
  return w !== null && w.length !== classes ? `--weight has ${w.length} numbers, but the input has ${classes} classes per row` : undefined;
};

export const crossEntropy: LossFn = {
  kind: 'loss',
  name: 'cross-entropy',
  aliases: ['cross-entropy-loss', 'ce'],
  summary: 'cross-entropy of logits against a class index or class probabilities',
  torch: 'torch.nn.functional.cross_entropy(x, t, weight=..., reduction=..., label_smoothing=...)',
  target: 'class-or-probs',
  params: [weightParam, { name: 'label_smoothing', type: 'number', default: 0, doc: 'ε in [0, 1]: mixes the target with the uniform distribution' }],
  formula: {
    value: 'ℓ = -Σ_c a_c·log_softmax(x)_c;  class y: a = (1 - ε)·w_y·e_y + ε/C·w;  probabilities t: a = w ⊙ ((1 - ε)·t + ε/C)',
    derivative: '∂ℓ/∂x = softmax(x)·Σ_c a_c - a   (class y, no weight or smoothing: softmax(x) - onehot(y))',
  },
  kinks:
    'No kinks. Computed through log_softmax (logsumexp), so logits of ±1000 are exact. Reduction mean divides by Σ w_y over ' +
    'the rows for class indices and by the number of rows for probabilities, as PyTorch does.',
  example: 'cross-entropy 2 1 0.1 --target 0 --grad',
  checkParams: (p) => {
    const e = p.label_smoothing as number;
    return e >= 0 && e <= 1 ? undefined : `--label-smoothing must be between 0 and 1, got ${e}`;
  },
  checkValues: (input, _target, p) => checkWeightLength(input, p),
  forward(input, target, p) {
    const { rows, row } = classRows(input);
    const losses = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      const x = row(input, r);
      losses[r] = negDot(coefficients(input, target, r, p, p.label_smoothing as number), logSoftmax.forward(x, p));
    }
    return { losses: { shape: lossShape(input), data: losses }, meanDenominator: meanDenominator(input, target, p) };
  },
  backward(input, target, dLosses, p) {
    const { rows, classes, row } = classRows(input);
    const dx = new Float64Array(input.data.length);
    for (let r = 0; r < rows; r++) {
      const x = row(input, r);
      const a = coefficients(input, target, r, p, p.label_smoothing as number);
      const dz = a.map((v) => -dLosses.data[r] * v);
      dx.set(logSoftmax.backward(x, logSoftmax.forward(x, p), dz, p), r * classes);
    }
    return { shape: input.shape.slice(), data: dx };
  },
};

export const nll: LossFn = {
  kind: 'loss',
  name: 'nll',
  aliases: ['nll-loss'],
  summary: 'negative log-likelihood of log-probabilities at the target class',
  torch: 'torch.nn.functional.nll_loss(x, t, weight=..., reduction=...)',
  target: 'class',
  params: [weightParam],
  formula: { value: 'ℓ = -w_y·x_y', derivative: '∂ℓ/∂x_c = -w_y if c = y, else 0' },
  kinks: 'No kinks. Reduction mean divides by Σ w_y over the rows (the number of rows without weights).',
  example: 'nll "-0.4 -1.4 -2.3" --target 0 --grad',
  checkValues: (input, _target, p) => checkWeightLength(input, p),
  forward(input, target, p) {
    const { rows, row } = classRows(input);
    const losses = new Float64Array(rows);
    for (let r = 0; r < rows; r++) losses[r] = negDot(coefficients(input, target, r, p, 0), row(input, r));
    return { losses: { shape: lossShape(input), data: losses }, meanDenominator: meanDenominator(input, target, p) };
  },
  backward(input, target, dLosses, p) {
    const { rows, classes } = classRows(input);
    const dx = new Float64Array(input.data.length);
    for (let r = 0; r < rows; r++) {
      const a = coefficients(input, target, r, p, 0);
      for (let c = 0; c < classes; c++) dx[r * classes + c] = a[c] === 0 ? 0 : -dLosses.data[r] * a[c];
    }
    return { shape: input.shape.slice(), data: dx };
  },
};

/** The hinge terms z_i = margin - x_y + x_i of one row that are active (z_i > 0, i ≠ y). */
function* activeMargins(x: Float64Array, y: number, margin: number): Generator<[number, number]> {
  for (let i = 0; i < x.length; i++) {
    if (i === y) continue;
    const z = margin - x[y] + x[i];
    // PyTorch's kernel tests z > 0: a term exactly at the margin contributes neither loss nor gradient.
    if (z > 0) yield [i, z];
  }
}

export const multiMargin: LossFn = {
  kind: 'loss',
  name: 'multi-margin',
  aliases: ['multi-margin-loss'],
  summary: 'multi-class hinge loss against a class index',
  torch: 'torch.nn.functional.multi_margin_loss(x, t, p=..., margin=..., weight=..., reduction=...)',
  target: 'class',
  params: [
    { name: 'p', type: 'number', default: 1, doc: 'power of each hinge term: 1 or 2' },
    { name: 'margin', type: 'number', default: 1, doc: 'the margin' },
    weightParam,
  ],
  formula: {
    value: 'ℓ = Σ_{i≠y} w_y·max(0, margin - x_y + x_i)^p / C',
    derivative: '∂ℓ/∂x_i = w_y·p·z_i^(p-1)/C for each active term z_i > 0;  ∂ℓ/∂x_y = -Σ of those',
  },
  kinks: 'A term with z_i = margin - x_y + x_i exactly 0 contributes no gradient (PyTorch tests z > 0).',
  example: 'multi-margin 0.1 0.2 0.4 0.8 --target 3 --grad',
  checkParams: (p) => (p.p === 1 || p.p === 2 ? undefined : `--p must be 1 or 2 for multi-margin, got ${p.p}`),
  checkValues: (input, _target, p) => checkWeightLength(input, p),
  forward(input, target, p) {
    const { rows, classes, row } = classRows(input);
    const losses = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      const y = target.data[r];
      let s = 0;
      for (const [, z] of activeMargins(row(input, r), y, p.margin as number)) s += p.p === 1 ? z : z * z;
      losses[r] = (weightOf(p, y) * s) / classes;
    }
    return { losses: { shape: lossShape(input), data: losses }, meanDenominator: rows };
  },
  backward(input, target, dLosses, p) {
    const { rows, classes, row } = classRows(input);
    const dx = new Float64Array(input.data.length);
    for (let r = 0; r < rows; r++) {
      const y = target.data[r];
      const g = (dLosses.data[r] * weightOf(p, y)) / classes;
      for (const [i, z] of activeMargins(row(input, r), y, p.margin as number)) {
        const h = p.p === 1 ? g : 2 * g * z;
        dx[r * classes + i] += h;
        dx[r * classes + y] -= h;
      }
    }
    return { shape: input.shape.slice(), data: dx };
  },
};
