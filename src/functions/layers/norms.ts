/**
 * Normalisation layers: layer_norm, batch_norm, group_norm, instance_norm, rms_norm and
 * normalize. PyTorch computes the first four with fused kernels (mean, rstd = 1/sqrt(var + eps)
 * with the biased variance, then (x − mean)·rstd·γ + β); here they are that formula composed from
 * the engine's ops (`standardize`), which agrees to rounding and gives the gradients with respect
 * to the input, γ and β, and the second derivatives, from one definition.
 */
import { expand } from '../../autograd/broadcast';
import { add, clamp, div, mul, pow, rsqrt, sub } from '../../autograd/elementwise';
import { mean } from '../../autograd/reduce';
import { reshape } from '../../autograd/shape';
import type { Var } from '../../autograd/var';
import { numel, shapeText } from '../../tensor';
import { flag, num, optionalTensor } from '../common';
import type { ArgSpec, Args, CallContext } from '../types';
import { vectorNorm } from './distance';
import { affine, checkShape, detached, fail, layer, noGradientFor, shapeOf, standardize } from './shared';

const EPS: ArgSpec = { name: 'eps', type: 'number', default: 1e-5, doc: 'added to the variance inside the square root' };
const RUNNING_STATS_NO_GRAD = 'running statistics are buffers: PyTorch computes no gradient for them';

/** Every dimension but the channel dimension 1: the dimensions a batch norm averages over. */
const allButChannel = (rank: number): number[] => Array.from({ length: rank }, (_, i) => i).filter((d) => d !== 1);
/** The dimensions after batch and channel: the spatial dimensions. */
const spatial = (rank: number): number[] => Array.from({ length: rank - 2 }, (_, i) => i + 2);
/** [C, 1, 1, ...]: a per-channel parameter shaped to broadcast against (N, C, *). */
const perChannel = (x: Var): number[] => [x.shape[1], ...new Array<number>(x.shape.length - 2).fill(1)];

function needsBatchAndChannel(fn: string, x: Var): void {
  if (x.shape.length < 2) {
    fail((name) => `${fn}: ${name('input')} (shape ${shapeOf(x)}) needs a batch and a channel dimension (N, C, ...); write a column "1; 2; 3" for a batch of single values`);
  }
}

/**
 * The trailing dimensions layer_norm and rms_norm normalise over: normalized_shape, or the last
 * dimension when it is None (actgrad's default; PyTorch requires it). It must match the input's
 * trailing dimensions.
 */
function normalizedDims(fn: string, x: Var, a: Args): { shape: number[]; dims: number[] } {
  const given = a.normalized_shape as readonly number[] | null;
  const r = x.shape.length;
  if (given === null && r === 0) fail((name) => `${fn}: ${name('input')} is a scalar; there is no dimension to normalise over`);
  const shape = given === null ? [x.shape[r - 1]] : given.slice();
  const k = shape.length;
  const trailing = x.shape.slice(Math.max(0, r - k));
  if (k === 0 || k > r || shapeText(trailing) !== shapeText(shape)) {
    const what = k === 1 ? `the last dimension ${x.shape[r - 1] ?? 'of a scalar'}` : `the last ${k} dimensions ${shapeText(trailing)}`;
    fail((name) => `${fn}: ${name('normalized_shape')} ${shapeText(shape)} does not match ${what} of ${name('input')} (shape ${shapeOf(x)}): it must equal the input's trailing dimensions`);
  }
  for (const arg of ['weight', 'bias']) checkShape(fn, arg, optionalTensor(a, arg), shape, 'normalized_shape');
  return { shape, dims: Array.from({ length: k }, (_, i) => r - k + i) };
}

/** Over the last dimension alone (normalized_shape None or one number): each row is normalised apart. */
const lastDimensionOnly = (a: Args): boolean => a.normalized_shape === null || (a.normalized_shape as readonly number[]).length === 1;

const NORMALIZED_SHAPE: ArgSpec = {
  name: 'normalized_shape',
  type: 'ints',
  default: null,
  doc: "the trailing dimensions to normalise over (default: the input's last dimension)",
};

export const layerNorm = layer({
  name: 'layer-norm',
  summary: 'normalise the last dimensions of each sample to mean 0 and variance 1, then scale by γ and shift by β',
  torch: 'torch.nn.functional.layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05)',
  params: [
    NORMALIZED_SHAPE,
    { name: 'weight', type: 'tensor', default: null, doc: 'γ, of shape normalized_shape (default: ones)' },
    { name: 'bias', type: 'tensor', default: null, doc: 'β, of shape normalized_shape (default: zeros)' },
    EPS,
  ],
  formula: {
    value: 'y = (x − μ)/√(σ² + eps)·γ + β, with μ and σ² (biased: divisor N) over the normalized dimensions of each sample',
    derivative:
      'x̂ = (x − μ)·rstd, rstd = 1/√(σ² + eps):  ∂L/∂x = rstd·(g − mean(g) − x̂·mean(g·x̂)) with g = γ·∂L/∂y;  ∂L/∂γ = Σ ∂L/∂y·x̂;  ∂L/∂β = Σ ∂L/∂y',
  },
  kinks:
    "No kinks: eps keeps 1/√(σ² + eps) finite when a row is constant. normalized_shape defaults to the input's last dimension " +
    '(actgrad\'s addition; PyTorch requires it). The input, γ and β get gradients; the Jacobian couples the elements of each normalised group.',
  example: 'layer-norm "1 2 4; -1 0.5 3" --normalized-shape 3 --jacobian',
  rowsApart: lastDimensionOnly,
  forward(x, a) {
    const { shape, dims } = normalizedDims('layer_norm', x, a);
    return affine(standardize(x, dims, num(a, 'eps')), a, shape);
  },
});

export const rmsNorm = layer({
  name: 'rms-norm',
  summary: 'divide the last dimensions of each sample by their root mean square, then scale by γ',
  torch: 'torch.nn.functional.rms_norm(input, normalized_shape, weight=None, eps=None)',
  params: [
    NORMALIZED_SHAPE,
    { name: 'weight', type: 'tensor', default: null, doc: 'γ, of shape normalized_shape (default: ones)' },
    { name: 'eps', type: 'number', default: null, doc: 'added to the mean square (default: torch.finfo(float64).eps = 2.22e-16)' },
  ],
  formula: {
    value: 'y = x / √(mean(x²) + eps) · γ, the mean over the normalized dimensions of each sample',
    derivative: 'r = 1/√(mean(x²) + eps):  ∂L/∂x = r·g − x·r³·mean(g·x) with g = γ·∂L/∂y;  ∂L/∂γ = Σ ∂L/∂y·x·r',
  },
  kinks:
    "No kinks for eps > 0. eps=None is the machine epsilon of float64, as PyTorch. Computed as PyTorch's composite rms_norm: " +
    "x·rsqrt(pow(x, 2).mean(dims, keepdim=True) + eps)·weight. normalized_shape defaults to the last dimension (actgrad's addition). " +
    'The input and γ get gradients.',
  example: 'rms-norm "1 2 4; -1 0.5 3" --grad',
  rowsApart: lastDimensionOnly,
  forward(x, a) {
    const { dims } = normalizedDims('rms_norm', x, a);
    const eps = a.eps === null ? Number.EPSILON : num(a, 'eps');
    const y = mul(x, rsqrt(add(mean(pow(x, 2), dims, true), eps)));
    const w = optionalTensor(a, 'weight');
    return w ? mul(y, w) : y;
  },
});

/** A per-channel tensor argument (weight, bias, running statistic) must hold C numbers. */
function checkPerChannel(fn: string, x: Var, a: Args, args: readonly string[]): void {
  for (const arg of args) checkShape(fn, arg, optionalTensor(a, arg), [x.shape[1]], `one number per channel: input has ${x.shape[1]} channels in dimension 1`);
}

/** Batch statistics need more than one value per channel (torch.nn.functional._verify_batch_size). */
function checkSeveralValues(fn: string, x: Var, dims: readonly number[]): void {
  if (dims.reduce((p, d) => p * x.shape[d], 1) === 1) {
    fail((name) => `${fn}: ${name('input')} (shape ${shapeOf(x)}) has a single value per channel; batch statistics need more than one`);
  }
}

/** (x − running_mean)/√(running_var + eps), per channel: the evaluation-mode normalisation. */
function withRunningStats(x: Var, runningMean: Var, runningVar: Var, eps: number): Var {
  const shape = perChannel(x);
  return mul(sub(x, reshape(detached(runningMean), shape)), rsqrt(add(reshape(detached(runningVar), shape), eps)));
}

function runningStats(fn: string, a: Args, ctx: CallContext): { runningMean: Var | null; runningVar: Var | null } {
  const runningMean = optionalTensor(a, 'running_mean');
  const runningVar = optionalTensor(a, 'running_var');
  noGradientFor(ctx, runningMean, RUNNING_STATS_NO_GRAD);
  noGradientFor(ctx, runningVar, RUNNING_STATS_NO_GRAD);
  if ((runningMean === null) !== (runningVar === null)) {
    const missing = runningMean === null ? 'running_mean' : 'running_var';
    const given = runningMean === null ? 'running_var' : 'running_mean';
    fail((name) => `${fn}: ${name(given)} is given but ${name(missing)} is not: normalising with running statistics needs both`);
  }
  return { runningMean, runningVar };
}

const RUNNING_MEAN: ArgSpec = { name: 'running_mean', type: 'tensor', default: null, doc: 'mean of each channel for evaluation mode', noGrad: RUNNING_STATS_NO_GRAD };
const RUNNING_VAR: ArgSpec = { name: 'running_var', type: 'tensor', default: null, doc: 'variance of each channel for evaluation mode', noGrad: RUNNING_STATS_NO_GRAD };
const CHANNEL_WEIGHT: ArgSpec = { name: 'weight', type: 'tensor', default: null, doc: 'γ, one per channel (default: ones)' };
const CHANNEL_BIAS: ArgSpec = { name: 'bias', type: 'tensor', default: null, doc: 'β, one per channel (default: zeros)' };
const MOMENTUM: ArgSpec = { name: 'momentum', type: 'number', default: 0.1, doc: 'running statistics update factor (changes no output)' };

export const batchNorm = layer({
  name: 'batch-norm',
  summary: 'normalise each channel over the batch (and spatial dimensions), then scale by γ and shift by β',
  torch: 'torch.nn.functional.batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-05)',
  params: [
    RUNNING_MEAN,
    RUNNING_VAR,
    CHANNEL_WEIGHT,
    CHANNEL_BIAS,
    { name: 'training', type: 'boolean', default: false, doc: "normalise with the batch's statistics (True) or the running ones" },
    MOMENTUM,
    EPS,
  ],
  formula: {
    value: 'y = (x − μ_c)/√(σ²_c + eps)·γ_c + β_c: μ_c, σ²_c (biased) of channel c over the batch and spatial dimensions, or the running statistics',
    derivative:
      'batch statistics: ∂L/∂x = rstd·(g − mean(g) − x̂·mean(g·x̂)) per channel, g = γ·∂L/∂y (every row of the batch depends on every other);  ' +
      'running statistics: ∂L/∂x = γ·∂L/∂y/√(running_var + eps);  ∂L/∂γ = Σ ∂L/∂y·x̂;  ∂L/∂β = Σ ∂L/∂y',
  },
  kinks:
    "Channels are dimension 1 of (N, C, ...). With training=True, or when no running statistics are given (actgrad's addition: PyTorch " +
    "requires them in evaluation mode), the batch's mean and biased variance are used, so the Jacobian couples the rows of the batch. " +
    "The running statistics get no gradient (PyTorch's native_batch_norm is not differentiable in them) and are never updated: momentum " +
    'changes no number actgrad shows. The input, γ and β get gradients.',
  example: 'batch-norm "1 2; 3 -1; 0 0.5" --jacobian',
  forward(x, a, ctx) {
    const fn = 'batch_norm';
    needsBatchAndChannel(fn, x);
    const { runningMean, runningVar } = runningStats(fn, a, ctx);
    checkPerChannel(fn, x, a, ['running_mean', 'running_var', 'weight', 'bias']);
    const eps = num(a, 'eps');
    const batchStatistics = flag(a, 'training') || runningMean === null || runningVar === null;
    // F.batch_norm's check: eps > 0 with batch statistics (a variance of 0 would divide by 0), ≥ 0 otherwise.
    if (batchStatistics ? !(eps > 0) : !(eps >= 0)) fail((name) => `${fn}: ${name('eps')} must be ${batchStatistics ? 'positive with batch statistics' : 'non-negative'}, got ${eps}`);
    let normalised: Var;
    if (batchStatistics) {
      const dims = allButChannel(x.shape.length);
      checkSeveralValues(fn, x, dims);
      normalised = standardize(x, dims, eps);
    } else {
      normalised = withRunningStats(x, runningMean, runningVar, eps);
    }
    return affine(normalised, a, perChannel(x));
  },
});

export const instanceNorm = layer({
  name: 'instance-norm',
  summary: 'normalise each channel of each sample over its spatial dimensions, then scale by γ and shift by β',
  torch:
    'torch.nn.functional.instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True, momentum=0.1, eps=1e-05)',
  params: [
    RUNNING_MEAN,
    RUNNING_VAR,
    CHANNEL_WEIGHT,
    CHANNEL_BIAS,
    { name: 'use_input_stats', type: 'boolean', default: true, doc: "normalise with each sample's statistics (True) or the running ones" },
    MOMENTUM,
    EPS,
  ],
  formula: {
    value: 'y = (x − μ_nc)/√(σ²_nc + eps)·γ_c + β_c: μ_nc, σ²_nc (biased) of sample n, channel c over the spatial dimensions',
    derivative: '∂L/∂x = rstd·(g − mean(g) − x̂·mean(g·x̂)) over the spatial positions of each (n, c), g = γ·∂L/∂y;  ∂L/∂γ = Σ ∂L/∂y·x̂;  ∂L/∂β = Σ ∂L/∂y',
  },
  kinks:
    'The input is (N, C, L) or (N, C, H, W): PyTorch reads a (C, L) input as N = C samples of L channels without spatial ' +
    'dimensions, and so refuses it with use_input_stats=True; so does actgrad. use_input_stats=False normalises with the running ' +
    'statistics (which get no gradient and are never updated). The input, γ and β get gradients.',
  example: 'instance-norm "[[[1, 2, 4], [-1, 0.5, 3]]]" --jacobian',
  forward(x, a, ctx) {
    const fn = 'instance_norm';
    needsBatchAndChannel(fn, x);
    const { runningMean, runningVar } = runningStats(fn, a, ctx);
    checkPerChannel(fn, x, a, ['running_mean', 'running_var', 'weight', 'bias']);
    const eps = num(a, 'eps');
    let normalised: Var;
    if (flag(a, 'use_input_stats')) {
      const dims = spatial(x.shape.length);
      if (dims.reduce((p, d) => p * x.shape[d], 1) === 1) {
        fail((name) => `${fn}: ${name('input')} (shape ${shapeOf(x)}) has a single spatial element per channel (it reads (N, C, *spatial)); instance statistics need more than one`);
      }
      // PyTorch runs batch_norm on the input viewed as (1, N·C, *spatial): statistics per (n, c).
      normalised = standardize(x, dims, eps);
    } else {
      if (runningMean === null || runningVar === null) {
        fail((name) => `${fn}: use_input_stats=False needs ${name('running_mean')} and ${name('running_var')}`);
      }
      normalised = withRunningStats(x, runningMean, runningVar, eps);
    }
    return affine(normalised, a, perChannel(x));
  },
});

export const groupNorm = layer({
  name: 'group-norm',
  summary: 'normalise groups of channels of each sample, then scale by γ and shift by β per channel',
  torch: 'torch.nn.functional.group_norm(input, num_groups, weight=None, bias=None, eps=1e-05)',
  params: [
    { name: 'num_groups', type: 'int', doc: 'the number of groups the channels are split into (it divides C)' },
    CHANNEL_WEIGHT,
    CHANNEL_BIAS,
    EPS,
  ],
  formula: {
    value: 'y = (x − μ_ng)/√(σ²_ng + eps)·γ_c + β_c: μ_ng, σ²_ng (biased) over the channels of group g (and spatial dimensions) of sample n',
    derivative: '∂L/∂x = rstd·(g − mean(g) − x̂·mean(g·x̂)) within each group, g = γ·∂L/∂y;  ∂L/∂γ = Σ ∂L/∂y·x̂;  ∂L/∂β = Σ ∂L/∂y',
  },
  kinks: 'Channels are dimension 1 of (N, C, ...), split into num_groups consecutive groups of C/num_groups channels. The input, γ and β get gradients.',
  example: 'group-norm "1 2 3 4; 0 -1 2 0.5" --num-groups 2 --jacobian',
  forward(x, a) {
    const fn = 'group_norm';
    needsBatchAndChannel(fn, x);
    const groups = num(a, 'num_groups');
    const [n, c] = x.shape;
    if (groups < 1 || c % groups !== 0) {
      fail((name) => `${fn}: ${name('num_groups')}=${groups} does not divide the ${c} channels of ${name('input')} (shape ${shapeOf(x)}, channels in dimension 1)`);
    }
    checkPerChannel(fn, x, a, ['weight', 'bias']);
    if (numel(x.shape) / groups === 1) {
      fail((name) => `${fn}: each of the ${groups} groups of ${name('input')} (shape ${shapeOf(x)}) holds a single value; group statistics need more than one`);
    }
    const grouped = standardize(reshape(x, [n, groups, -1]), [2], num(a, 'eps'));
    return affine(reshape(grouped, x.shape), a, perChannel(x));
  },
});

export const normalize = layer({
  name: 'normalize',
  summary: 'divide by the p-norm along a dimension (rows of a matrix by default)',
  torch: 'torch.nn.functional.normalize(input, p=2.0, dim=1, eps=1e-12)',
  params: [
    { name: 'p', type: 'number', default: 2, doc: 'the order of the norm' },
    { name: 'dim', type: 'int', default: 1, doc: 'the dimension to normalise along (a plain vector: its only dimension)' },
    { name: 'eps', type: 'number', default: 1e-12, doc: 'lower bound of the norm' },
  ],
  formula: {
    value: 'y = x / max(‖x‖_p, eps), the norm along dim',
    derivative: 'p = 2: ∂y_i/∂x_j = (δ_ij − y_i·y_j)/‖x‖ where ‖x‖ > eps;  where the norm is clamped: δ_ij/eps',
  },
  kinks:
    "The clamp is PyTorch's clamp_min, so below eps the norm is eps and its gradient 0. A plain vector with the default dim=1 " +
    "(which PyTorch refuses) is normalised along its only dimension, as one row. The norm's gradient is PyTorch's norm_backward " +
    '(0 where the norm is 0).',
  example: 'normalize 3 4 12 --jacobian',
  forward(x, a) {
    const dim = x.shape.length === 1 && a.dim === 1 ? 0 : num(a, 'dim');
    const norm = vectorNorm(x, num(a, 'p'), dim, true);
    return div(x, expand(clamp(norm, num(a, 'eps'), null), x.shape));
  },
});
