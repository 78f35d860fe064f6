/**
 * Losses that compare input and target element by element: one loss per element, reduced by the
 * caller. Each is a pair (loss, dloss/dx) of scalar functions, side by side.
 */
import type { Tensor } from '../tensor';
import { sgn, sigmoid, softplus, xlogy } from '../math';
import type { LossFn, ParamSpec, Params } from './types';

/** A loss's description plus one pair of scalar functions; pointwise() builds the LossFn. */
interface PointwiseLoss extends Omit<LossFn, 'kind' | 'target' | 'forward' | 'backward'> {
  /** Loss of one element; col is the element's index in its row (for per-class weights). */
  loss(x: number, t: number, p: Params, col: number): number;
  /** ∂loss/∂x of one element. */
  dloss(x: number, t: number, p: Params, col: number): number;
  /** ∂loss/∂t of one element (PyTorch's target gradient). */
  dlossdt(x: number, t: number, p: Params, col: number): number;
}

function pointwise(def: PointwiseLoss): LossFn {
  const { loss, dloss, dlossdt, ...rest } = def;
  const elementwiseGrad = (local: PointwiseLoss['dloss']) => (input: Tensor, target: Tensor, dLosses: Tensor, p: Params): Tensor => {
    const n = input.shape.length === 0 ? 1 : input.shape[input.shape.length - 1];
    const out = new Float64Array(input.data.length);
    for (let i = 0; i < out.length; i++) {
      const d = dLosses.data[i];
      // A zero upstream gradient contributes nothing, even where the local derivative is infinite.
      out[i] = d === 0 ? 0 : d * local(input.data[i], target.data[i], p, i % n);
    }
    return { shape: input.shape.slice(), data: out };
  };
  return {
    ...rest,
    kind: 'loss',
    target: 'same',
    checkValues(input, target, p) {
      // Per-class vectors (weight, pos_weight) broadcast over each row: one number, or one per column.
      const n = input.shape.length === 0 ? 1 : input.shape[input.shape.length - 1];
      for (const spec of def.params) {
        const v = p[spec.name];
        if (v instanceof Float64Array && v.length !== 1 && v.length !== n) {
          return `--${spec.name.replace(/_/g, '-')} has ${v.length} numbers; give one, or one per column (${n})`;
        }
      }
      return def.checkValues?.(input, target, p);
    },
    forward(input, target, p) {
      const n = input.shape.length === 0 ? 1 : input.shape[input.shape.length - 1];
      const out = new Float64Array(input.data.length);
      for (let i = 0; i < out.length; i++) out[i] = loss(input.data[i], target.data[i], p, i % n);
      return { losses: { shape: input.shape.slice(), data: out }, meanDenominator: out.length };
    },
    backward: elementwiseGrad(dloss),
    backwardTarget: elementwiseGrad(dlossdt),
  };
}

const num = (p: Params, name: string): number => p[name] as number;

/** A per-class weight vector broadcast over the last dimension; 1 when not given (None). */
function classWeight(p: Params, name: string, col: number): number {
  const w = p[name] as Float64Array | null;
  if (w === null) return 1;
  return w.length === 1 ? w[0] : w[col];
}

/** Losses of d = x - t: ∂ℓ/∂t = -∂ℓ/∂x, both from ℓ'(d). */
const ofDifference = (dd: (d: number, p: Params) => number): Pick<PointwiseLoss, 'dloss' | 'dlossdt'> => ({
  dloss: (x, t, p) => dd(x - t, p),
  dlossdt: (x, t, p) => -dd(x - t, p),
});

const weightParam = (doc: string): ParamSpec => ({ name: 'weight', type: 'vector', default: null, doc });

export const mse = pointwise({
  name: 'mse',
  aliases: ['mse-loss'],
  summary: 'mean squared error (x - t)²',
  torch: 'torch.nn.functional.mse_loss(x, t, reduction=...)',
  params: [],
  formula: { value: 'ℓ = (x - t)²', derivative: '∂ℓ/∂x = 2·(x - t)' },
  kinks: 'No kinks. With reduction mean the gradient is 2(x - t)/N.',
  example: 'mse 1 2 --target 0,0 --grad',
  loss: (x, t) => (x - t) * (x - t),
  ...ofDifference((d) => 2 * d),
});

export const l1 = pointwise({
  name: 'l1',
  aliases: ['l1-loss'],
  summary: 'absolute error |x - t|',
  torch: 'torch.nn.functional.l1_loss(x, t, reduction=...)',
  params: [],
  formula: { value: 'ℓ = |x - t|', derivative: '∂ℓ/∂x = sgn(x - t)' },
  kinks: 'At x = t the gradient is sgn(0) = 0, as in PyTorch.',
  example: 'l1 1 2 3 --target 1,0,4 --grad',
  loss: (x, t) => Math.abs(x - t),
  ...ofDifference((d) => sgn(d)),
});

export const smoothL1 = pointwise({
  name: 'smooth-l1',
  aliases: ['smooth-l1-loss'],
  summary: 'squared error below beta, absolute error above',
  torch: 'torch.nn.functional.smooth_l1_loss(x, t, reduction=..., beta=...)',
  params: [{ name: 'beta', type: 'number', default: 1, doc: 'where the quadratic part ends (≥ 0; 0 gives l1)' }],
  formula: { value: 'ℓ = 0.5·d²/beta if |d| < beta, else |d| - 0.5·beta;  d = x - t', derivative: '∂ℓ/∂x = d/beta if |d| < beta, else sgn(d)' },
  kinks: 'At |d| = beta both branches give sgn(d). With beta = 0 it is l1 (gradient sgn(d), 0 at d = 0), as PyTorch routes it.',
  example: 'smooth-l1 0 2 --target 0.5,0 --beta 1 --grad',
  checkParams: (p) => (num(p, 'beta') < 0 ? `--beta must be at least 0 for smooth-l1, got ${num(p, 'beta')}` : undefined),
  loss: (x, t, p) => {
    const beta = num(p, 'beta');
    const z = Math.abs(x - t);
    if (beta === 0) return z;
    return z < beta ? (0.5 * z * z) / beta : z - 0.5 * beta;
  },
  ...ofDifference((d, p) => {
    const beta = num(p, 'beta');
    if (beta === 0) return sgn(d);
    return d < -beta ? -1 : d > beta ? 1 : d / beta;
  }),
});

export const huber = pointwise({
  name: 'huber',
  aliases: ['huber-loss'],
  summary: 'squared error below delta, delta-scaled absolute error above',
  torch: 'torch.nn.functional.huber_loss(x, t, reduction=..., delta=...)',
  params: [{ name: 'delta', type: 'number', default: 1, doc: 'where the quadratic part ends (> 0)' }],
  formula: { value: 'ℓ = 0.5·d² if |d| < delta, else delta·(|d| - 0.5·delta);  d = x - t', derivative: '∂ℓ/∂x = d if |d| ≤ delta, else delta·sgn(d)' },
  kinks: 'Continuous derivative: at |d| = delta both branches give ±delta.',
  example: 'huber 0 3 --target 0.5,0 --delta 1 --grad',
  checkParams: (p) => (num(p, 'delta') > 0 ? undefined : `--delta must be greater than 0 for huber, got ${num(p, 'delta')}`),
  loss: (x, t, p) => {
    const delta = num(p, 'delta');
    const z = Math.abs(x - t);
    return z < delta ? 0.5 * z * z : delta * (z - 0.5 * delta);
  },
  ...ofDifference((d, p) => {
    const delta = num(p, 'delta');
    return d < -delta ? -delta : d > delta ? delta : d;
  }),
});

/** PyTorch clamps each log of binary_cross_entropy at -100, and the backward's denominator at 1e-12. */
const BCE_LOG_FLOOR = -100;
const BCE_EPSILON = 1e-12;

export const bce = pointwise({
  name: 'bce',
  aliases: ['binary-cross-entropy'],
  summary: 'binary cross-entropy of probabilities x ∈ [0, 1]',
  torch: 'torch.nn.functional.binary_cross_entropy(x, t, weight=..., reduction=...)',
  params: [weightParam('weight of each element, broadcast over each row (a number or one per column)')],
  formula: {
    value: 'ℓ = -w·(t·max(log x, -100) + (1 - t)·max(log(1 - x), -100))',
    derivative: '∂ℓ/∂x = w·(x - t) / max(x·(1 - x), 1e-12)',
  },
  kinks:
    'Each log is clamped at -100, so x = 0 or 1 gives a finite loss (at most 100); the gradient divides by max(x(1 - x), 1e-12), ' +
    'as PyTorch does. The input must lie in [0, 1] (use bce-with-logits for logits). log(1 - x) is computed as log1p(-x).',
  example: 'bce 0.9 0.2 --target 1,0 --grad',
  checkValues: (input) => {
    const i = input.data.findIndex((x) => !(x >= 0 && x <= 1));
    if (i < 0) return undefined;
    return `bce expects probabilities in [0, 1], but input number ${i + 1} is ${input.data[i]} (for logits use bce-with-logits)`;
  },
  loss: (x, t, p, col) =>
    -classWeight(p, 'weight', col) * (t * Math.max(Math.log(x), BCE_LOG_FLOOR) + (1 - t) * Math.max(Math.log1p(-x), BCE_LOG_FLOOR)),
  dloss: (x, t, p, col) => (classWeight(p, 'weight', col) * (x - t)) / Math.max(x * (1 - x), BCE_EPSILON),
  // PyTorch's binary_cross_entropy_target_backward: -w·logit(x), unclamped.
  dlossdt: (x, _t, p, col) => classWeight(p, 'weight', col) * (Math.log1p(-x) - Math.log(x)),
});

export const bceWithLogits = pointwise({
  name: 'bce-with-logits',
  aliases: ['binary-cross-entropy-with-logits'],
  summary: 'binary cross-entropy of σ(x), computed from the logits x',
  torch: 'torch.nn.functional.binary_cross_entropy_with_logits(x, t, weight=..., reduction=..., pos_weight=...)',
  params: [
    weightParam('weight of each element, broadcast over each row (a number or one per column)'),
    { name: 'pos_weight', type: 'vector', default: null, doc: 'weight of the positive term per class (a number or one per column)' },
  ],
  formula: {
    value: 'ℓ = w·((1 - t)·x + (1 + (pos_weight - 1)·t)·softplus(-x))',
    derivative: '∂ℓ/∂x = w·((pos_weight·t + 1 - t)·σ(x) - pos_weight·t)',
  },
  kinks: 'No kinks. softplus(-x) = max(-x, 0) + log1p(e^(-|x|)), finite for any finite x.',
  example: 'bce-with-logits 2 -1 --target 1,0 --grad',
  loss: (x, t, p, col) => {
    const pw = classWeight(p, 'pos_weight', col);
    return classWeight(p, 'weight', col) * ((1 - t) * x + (1 + (pw - 1) * t) * softplus(-x));
  },
  dloss: (x, t, p, col) => {
    const pw = classWeight(p, 'pos_weight', col);
    return classWeight(p, 'weight', col) * ((pw * t + 1 - t) * sigmoid(x) - pw * t);
  },
  // ∂/∂t of (1 - t)·x + (1 + (pw - 1)·t)·softplus(-x)
  dlossdt: (x, _t, p, col) => classWeight(p, 'weight', col) * (-x + (classWeight(p, 'pos_weight', col) - 1) * softplus(-x)),
});

export const softMargin = pointwise({
  name: 'soft-margin',
  aliases: ['soft-margin-loss'],
  summary: 'logistic loss log(1 + e^(-t·x)) for targets ±1',
  torch: 'torch.nn.functional.soft_margin_loss(x, t, reduction=...)',
  params: [],
  formula: { value: 'ℓ = log(1 + e^(-t·x))', derivative: '∂ℓ/∂x = -t·σ(-t·x)' },
  kinks:
    'No kinks. Computed as softplus(-t·x): PyTorch 2.11 evaluates log(1 + e^(-t·x)) literally, which overflows to inf ' +
    '(and a NaN gradient) for t·x < -709; actgrad returns the finite value there.',
  example: 'soft-margin 2 -1 --target 1,1 --grad',
  loss: (x, t) => softplus(-t * x),
  dloss: (x, t) => -t * sigmoid(-t * x),
  dlossdt: (x, t) => -x * sigmoid(-t * x),
});

export const hingeEmbedding = pointwise({
  name: 'hinge-embedding',
  aliases: ['hinge-embedding-loss'],
  summary: 'x for t = 1, max(0, margin - x) for t = -1',
  torch: 'torch.nn.functional.hinge_embedding_loss(x, t, margin=..., reduction=...)',
  params: [{ name: 'margin', type: 'number', default: 1, doc: 'margin for the t = -1 terms' }],
  formula: {
    value: 'ℓ = [t ≠ -1]·x + [t ≠ 1]·max(0, margin - x)',
    derivative: '∂ℓ/∂x = [t ≠ -1] - [t ≠ 1]·[x ≤ margin]',
  },
  kinks: "At x = margin (t = -1) the gradient is -1: PyTorch's clamp_min passes the gradient where margin - x ≥ 0.",
  example: 'hinge-embedding 0.3 2 --target 1,-1 --grad',
  loss: (x, t, p) => (t !== -1 ? x : 0) + (t !== 1 ? Math.max(num(p, 'margin') - x, 0) : 0),
  dloss: (x, t, p) => (t !== -1 ? 1 : 0) - (t !== 1 && num(p, 'margin') - x >= 0 ? 1 : 0),
  // The target only selects terms: no gradient flows to it.
  dlossdt: () => 0,
});

export const poissonNll = pointwise({
  name: 'poisson-nll',
  aliases: ['poisson-nll-loss'],
  summary: 'negative log-likelihood of a Poisson target',
  torch: 'torch.nn.functional.poisson_nll_loss(x, t, log_input=..., full=..., eps=..., reduction=...)',
  params: [
    { name: 'log_input', type: 'boolean', default: true, doc: 'x is the log of the rate (use --no-log-input for the rate itself)' },
    { name: 'full', type: 'boolean', default: false, doc: 'add the Stirling term t·log t - t + log(2πt)/2 (for t > 1)' },
    { name: 'eps', type: 'number', default: 1e-8, doc: 'added to x before the log when log_input is false' },
  ],
  formula: {
    value: 'ℓ = e^x - t·x (log_input);  x - t·log(x + eps) (otherwise);  full adds t·log t - t + log(2πt)/2 where t > 1',
    derivative: '∂ℓ/∂x = e^x - t (log_input);  1 - t/(x + eps) (otherwise)',
  },
  kinks: 'No kinks. The Stirling term is 0 where t ≤ 1, as in PyTorch.',
  example: 'poisson-nll 0.5 1 --target 1,3 --grad',
  loss: (x, t, p) => {
    let l = p.log_input ? Math.exp(x) - t * x : x - t * Math.log(x + num(p, 'eps'));
    if (p.full && t > 1) l += t * Math.log(t) - t + 0.5 * Math.log(2 * Math.PI * t);
    return l;
  },
  dloss: (x, t, p) => (p.log_input ? Math.exp(x) - t : 1 - t / (x + num(p, 'eps'))),
  dlossdt: (x, t, p) => (p.log_input ? -x : -Math.log(x + num(p, 'eps'))) + (p.full && t > 1 ? Math.log(t) + 0.5 / t : 0),
});

export const klDiv = pointwise({
  name: 'kl-div',
  aliases: ['kl-div-loss'],
  summary: 'Kullback–Leibler divergence of target t from log-probabilities x',
  torch: 'torch.nn.functional.kl_div(x, t, reduction=..., log_target=...)',
  params: [{ name: 'log_target', type: 'boolean', default: false, doc: 'the target is given as log-probabilities' }],
  extraReductions: ['batchmean'],
  formula: {
    value: 'ℓ = t·log t - t·x (0 where t = 0);  log_target: e^t·(t - x)',
    derivative: '∂ℓ/∂x = -t;  log_target: -e^t',
  },
  kinks: "t·log t is xlogy(t, t): 0 at t = 0. Reduction batchmean divides the sum by the input's first dimension (the number of rows).",
  example: 'kl-div -1.2 -0.4 --target 0.3,0.7 --reduction batchmean --grad',
  loss: (x, t, p) => (p.log_target ? Math.exp(t) * (t - x) : xlogy(t, t) - t * x),
  dloss: (_x, t, p) => (p.log_target ? -Math.exp(t) : -t),
  dlossdt: (x, t, p) => (p.log_target ? Math.exp(t) * (t - x + 1) : Math.log(t) + 1 - x),
});
