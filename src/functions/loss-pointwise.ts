/**
 * Losses that compare input and target element by element. PyTorch computes most of them with
 * kernels of their own and backward formulas of their own (mse_loss_backward, ...); each is a
 * primitive op here with that formula, written with ops, so that its order of operations (which
 * decides over- and underflow) and its higher derivatives are PyTorch's. The losses PyTorch
 * composes from other ops (l1, kl_div, poisson_nll, hinge_embedding) are composed the same way.
 * Sources: aten/src/ATen/native/Loss.cpp and cpu/BinaryOpsKernel.cpp, PointwiseOpsKernel.cpp
 * (kernels), tools/autograd/derivatives.yaml and FunctionsManual.cpp (backward formulas),
 * torch/nn/functional.py (signatures and checks); docs/dev/pytorch-formulas.md §4.
 */
import { expand, sumTo } from '../autograd/broadcast';
import {
  abs,
  add,
  binaryKernel,
  clamp,
  constant,
  defineUnary,
  div,
  eq,
  exp,
  ge,
  le,
  log,
  logicalAnd,
  mul,
  ne,
  neg,
  ones,
  pow,
  sigmoid,
  sub,
  where,
} from '../autograd/elementwise';
import { sum } from '../autograd/reduce';
import { reshape } from '../autograd/shape';
import { apply, type Op, type Var } from '../autograd/var';
import { broadcastShapes, sameShape, shapeText, type Tensor } from '../tensor';
import { choice, flag, INPUT, LEGACY_REDUCTION, num, optionalTensor, reduceLosses, reductionArg, sameSizeTarget, tensor } from './common';
import { type ArgSpec, ArgumentError, type Args, type CallContext, type Descriptor } from './types';

/** log σ from the smooth family, loaded only by the losses on logits that use it (not by mse, l1, ...). */
const logSigmoid = (x: Var): Var => (require('./smooth') as typeof import('./smooth')).logSigmoid(x);

export interface LossAttr {
  reduction: string;
  /** the number of elements (the denominator of mean) */
  n: number;
}

/** Σ or mean of elementwise losses, or the losses themselves, as PyTorch's loss kernels reduce. */
export function reduceKernel(losses: Float64Array, shape: number[], reduction: string): { shape: number[]; data: Float64Array } {
  if (reduction === 'none') return { shape, data: losses };
  let s = 0;
  for (let i = 0; i < losses.length; i++) s += losses[i];
  return { shape: [], data: Float64Array.of(reduction === 'mean' ? s / losses.length : s) };
}

/** The target as the input's shape (same number of elements required). */
export function targetLike(x: Var, t: Var): Var {
  sameSizeTarget(x, t);
  return reshape(t, x.shape);
}

export const TARGET: ArgSpec = { name: 'target', type: 'tensor', doc: "target: numbers of the input's shape" };

type LossSpec = Omit<Descriptor, 'kind' | 'args' | 'forward'> & {
  params?: readonly ArgSpec[];
  /** arguments after reduction (huber's delta, smooth_l1's beta) */
  after?: readonly ArgSpec[];
  target?: ArgSpec;
  /** reductions beyond mean, sum and none (kl_div's batchmean) */
  extraReductions?: readonly string[];
  /** every argument after input and target, where PyTorch's order is not the usual one (huber, poisson_nll) */
  signature?: readonly ArgSpec[];
  forward(x: Var, t: Var, a: Args, ctx: CallContext): Var;
};

/** A loss descriptor: (input, target, params..., size_average, reduce, reduction, after...) as in PyTorch. */
export function lossFn(d: LossSpec): Descriptor {
  const { params = [], after = [], target = TARGET, extraReductions = [], signature, forward, ...rest } = d;
  return {
    // Losses element by element by default: each input element's loss depends on it alone.
    structure: 'elementwise',
    ...rest,
    kind: 'loss',
    args: [INPUT, target, ...(signature ?? [...params, ...LEGACY_REDUCTION, reductionArg(extraReductions), ...after])],
    forward: (a, ctx) => forward(tensor(a, 'input'), tensor(a, 'target'), a, ctx),
  };
}

/** The loss attributes of a call: its reduction and the number of elements of the input. */
const lossAttr = (x: Var, a: Args): LossAttr => ({ reduction: choice(a, 'reduction'), n: x.value.data.length });

/** The factor of mean in PyTorch's backward kernels: 1/N as a double (`1. / input.numel()`), else 1. */
const meanFactor = ({ reduction, n }: LossAttr): number => (reduction === 'mean' ? 1 / n : 1);

/** `v / input.numel()` for mean, as PyTorch's double-backward formulas end. */
const divideForMean = (v: Var, { reduction, n }: LossAttr): Var => (reduction === 'mean' ? div(v, n) : v);

/** The losses of a fused kernel f(x, t), reduced as the kernel's caller does (mean = sum / N). */
function lossKernel(x: Tensor, t: Tensor, reduction: string, f: (x: number, t: number) => number): Tensor {
  const out = new Float64Array(x.data.length);
  for (let i = 0; i < out.length; i++) out[i] = f(x.data[i], t.data[i]);
  return reduceKernel(out, x.shape.slice(), reduction);
}

/** A backward kernel f(x, t, g) for each element; grad_output is one number (reduced) or one per element. */
function backwardKernel(g: Tensor, x: Tensor, t: Tensor, f: (x: number, t: number, g: number) => number): Tensor {
  const out = new Float64Array(x.data.length);
  const perElement = g.data.length === out.length;
  for (let i = 0; i < out.length; i++) out[i] = f(x.data[i], t.data[i], g.data[perElement ? i : 0]);
  return { shape: x.shape.slice(), data: out };
}

/** A 0/1 mask (a constant, as PyTorch's comparisons) of the elements where test(x, t) holds. */
const maskOf = (x: Var, t: Var, test: (x: number, t: number) => boolean): Var =>
  constant({ shape: x.shape.slice(), data: x.value.data.map((v, i) => (test(v, t.value.data[i]) ? 1 : 0)) });

/**
 * A per-element weight (bce's weight, bce_with_logits' weight and pos_weight) as a constant of the
 * input's shape: PyTorch broadcasts it to the input, and computes no gradient for it.
 */
function elementWeight(w: Var | null, x: Var, arg: string, ctx: CallContext): Var | null {
  if (!w) return null;
  ctx.noGradient(w, `PyTorch computes no gradient for the ${arg} of this loss`);
  const shape = broadcastShapes(w.shape, x.shape);
  if (!shape || !sameShape(shape, x.shape)) {
    throw new ArgumentError(
      (name) =>
        `${name(arg)} of shape ${shapeText(w.shape)} does not broadcast to the shape of ${name('input')}, ${shapeText(x.shape)} ` +
        '(give one number, one per column, or one per element)',
    );
  }
  return constant(expand(constant(w.value), x.shape).value);
}

const TARGET_SELECTS = 'the target only selects terms (PyTorch computes no gradient for it)';

// ---------------------------------------------------------------------------------------------
// mse_loss
// ---------------------------------------------------------------------------------------------

const mseOp: Op<LossAttr> = {
  name: 'mse_loss',
  forward([x, t], { reduction }) {
    const out = new Float64Array(x.data.length);
    for (let i = 0; i < out.length; i++) {
      const d = x.data[i] - t.data[i];
      out[i] = d * d;
    }
    return reduceKernel(out, x.shape, reduction);
  },
  // mse_loss_backward(grad, self, target): (2/N or 2) * (self - target) * grad; the target's is
  // the same with self and target swapped. 2/N first, so 1e308 entries do not overflow.
  backward(g, { inputs: [x, t], attrs: { reduction, n }, needs }) {
    const norm = reduction === 'mean' ? 2 / n : 2;
    return [needs[0] ? mul(mul(norm, sub(x, t)), g) : null, needs[1] ? mul(mul(norm, sub(t, x)), g) : null];
  },
  rule: (G, [x, t], i) => `${G} · 2(${i === 0 ? `${x} − ${t}` : `${t} − ${x}`})/N`,
};

export const mse = lossFn({
  name: 'mse',
  aliases: ['mse-loss'],
  summary: 'mean squared error (x - t)²',
  torch: "torch.nn.functional.mse_loss(input, target, size_average=None, reduce=None, reduction='mean')",
  formula: { value: 'ℓ = (x - t)²', derivative: '∂ℓ/∂x = 2·(x - t)' },
  kinks: "No kinks. With reduction mean the gradient is (2/N)·(x - t), 2/N first as in PyTorch's mse_loss_backward.",
  example: 'mse 1 2 --target 0,0 --grad',
  forward: (x, t, a) => apply(mseOp, [x, targetLike(x, t)], { reduction: choice(a, 'reduction'), n: x.value.data.length }),
});

// ---------------------------------------------------------------------------------------------
// l1_loss: PyTorch composes it (Loss.cpp l1_loss): (input - target).abs(), reduced
// ---------------------------------------------------------------------------------------------

const l1Losses = (x: Var, t: Var, reduction: string): Var => reduceLosses(abs(sub(x, t)), reduction);

export const l1 = lossFn({
  name: 'l1',
  aliases: ['l1-loss'],
  summary: 'absolute error |x - t|',
  torch: "torch.nn.functional.l1_loss(input, target, size_average=None, reduce=None, reduction='mean')",
  formula: { value: 'ℓ = |x - t|', derivative: '∂ℓ/∂x = sgn(x - t)' },
  kinks: 'At x = t the gradient is sgn(0) = 0, as in PyTorch (abs backward: grad·sgn). The second derivative is 0.',
  example: 'l1 1 2 3 --target 1,0,4 --grad',
  forward: (x, t, a) => l1Losses(x, targetLike(x, t), choice(a, 'reduction')),
});

// ---------------------------------------------------------------------------------------------
// smooth_l1_loss
// ---------------------------------------------------------------------------------------------

interface BetaAttr extends LossAttr {
  beta: number;
}

const smoothL1Op: Op<BetaAttr> = {
  name: 'smooth_l1_loss',
  // smooth_l1_kernel: z < β ? 0.5·z·z/β : z − 0.5·β, z = |x − t|
  forward: ([x, t], { reduction, beta }) =>
    lossKernel(x, t, reduction, (xv, tv) => {
      const z = Math.abs(xv - tv);
      return z < beta ? (0.5 * z * z) / beta : z - 0.5 * beta;
    }),
  // self: smooth_l1_loss_backward(grad, self, target); target: the same with self and target swapped
  backward: (g, { inputs: [x, t], attrs, needs }) => [
    needs[0] ? smoothL1Backward(g, x, t, attrs) : null,
    needs[1] ? smoothL1Backward(g, t, x, attrs) : null,
  ],
};

const smoothL1BackwardOp: Op<BetaAttr> = {
  name: 'smooth_l1_loss_backward',
  // smooth_l1_backward_cpu_kernel (scalar lambda), norm = 1/N for mean
  forward([g, x, t], attrs) {
    const norm = meanFactor(attrs);
    const { beta } = attrs;
    return backwardKernel(g, x, t, (xv, tv, gv) => {
      const d = xv - tv;
      return d <= -beta ? -norm * gv : d >= beta ? norm * gv : (norm * d * gv) / beta;
    });
  },
  // derivatives.yaml smooth_l1_loss_backward: grad_output → smooth_l1_loss_backward(grad, self, target);
  // self → smooth_l1_loss_double_backward(grad * grad_output, ...); target → its negation
  backward(gg, { inputs: [g, x, t], attrs, needs }) {
    const second = needs[1] || needs[2] ? smoothL1DoubleBackward(mul(gg, g), x, t, attrs) : null;
    return [needs[0] ? sumTo(smoothL1Backward(gg, x, t, attrs), g.shape) : null, second, second && needs[2] ? neg(second) : null];
  },
};

const smoothL1Backward = (g: Var, x: Var, t: Var, attrs: BetaAttr): Var => apply(smoothL1BackwardOp, [g, x, t], attrs);

/** smooth_l1_loss_double_backward: grad · (|x − t| < β) / β (/ N); the mask multiplies. */
const smoothL1DoubleBackward = (grad: Var, x: Var, t: Var, attrs: BetaAttr): Var =>
  divideForMean(div(mul(grad, maskOf(x, t, (xv, tv) => Math.abs(xv - tv) < attrs.beta)), attrs.beta), attrs);

const BETA: ArgSpec = { name: 'beta', type: 'number', default: 1, doc: 'where the quadratic part ends (≥ 0; 0 gives l1)' };

export const smoothL1 = lossFn({
  name: 'smooth-l1',
  aliases: ['smooth-l1-loss'],
  summary: 'squared error below beta, absolute error above',
  torch: "torch.nn.functional.smooth_l1_loss(input, target, size_average=None, reduce=None, reduction='mean', beta=1.0)",
  after: [BETA],
  formula: { value: 'ℓ = 0.5·d²/beta if |d| < beta, else |d| - 0.5·beta;  d = x - t', derivative: '∂ℓ/∂x = d/beta if |d| < beta, else sgn(d)' },
  kinks:
    "At |d| = beta the gradient is ±1 and the second derivative 0 (PyTorch's double backward masks |d| < beta). " +
    'With beta = 0 PyTorch calls l1_loss instead: gradient sgn(d), 0 at d = 0.',
  example: 'smooth-l1 0 2 --target 0.5,0 --beta 1 --grad',
  check(a) {
    const beta = num(a, 'beta');
    if (!(beta >= 0)) throw new ArgumentError((name) => `smooth-l1: ${name('beta')} must be at least 0 (smooth_l1_loss does not support negative values for beta), not ${beta}`);
  },
  forward(x, t, a) {
    const target = targetLike(x, t);
    const beta = num(a, 'beta');
    // torch.nn.functional.smooth_l1_loss: beta == 0 calls l1_loss
    if (beta === 0) return l1Losses(x, target, choice(a, 'reduction'));
    return apply(smoothL1Op, [x, target], { ...lossAttr(x, a), beta });
  },
});

// ---------------------------------------------------------------------------------------------
// huber_loss
// ---------------------------------------------------------------------------------------------

interface DeltaAttr extends LossAttr {
  delta: number;
}

const huberOp: Op<DeltaAttr> = {
  name: 'huber_loss',
  // huber_kernel: z < δ ? 0.5·z·z : δ·(z − 0.5·δ)
  forward: ([x, t], { reduction, delta }) =>
    lossKernel(x, t, reduction, (xv, tv) => {
      const z = Math.abs(xv - tv);
      return z < delta ? 0.5 * z * z : delta * (z - 0.5 * delta);
    }),
  backward: (g, { inputs: [x, t], attrs, needs }) => [needs[0] ? huberBackward(g, x, t, attrs) : null, needs[1] ? huberBackward(g, t, x, attrs) : null],
};

const huberBackwardOp: Op<DeltaAttr> = {
  name: 'huber_loss_backward',
  // huber_backward_cpu_kernel, norm = 1/N for mean
  forward([g, x, t], attrs) {
    const norm = meanFactor(attrs);
    const { delta } = attrs;
    return backwardKernel(g, x, t, (xv, tv, gv) => {
      const d = xv - tv;
      return d <= -delta ? -norm * gv * delta : d >= delta ? norm * gv * delta : norm * d * gv;
    });
  },
  // derivatives.yaml huber_loss_backward: grad_output → huber_loss_double_backward_grad_output;
  // self → huber_loss_double_backward(grad * grad_output, ...); target → its negation
  backward(gg, { inputs: [g, x, t], attrs, needs }) {
    const second = needs[1] || needs[2] ? divideForMean(mul(mul(gg, g), maskOf(x, t, (xv, tv) => Math.abs(xv - tv) < attrs.delta)), attrs) : null;
    let gradOutput: Var | null = null;
    if (needs[0]) {
      gradOutput =
        attrs.reduction === 'none' ? huberBackward(gg, x, t, attrs) : sum(mul(huberBackward(ones(g.shape), x, t, attrs), gg));
    }
    return [gradOutput, second, second && needs[2] ? neg(second) : null];
  },
};

const huberBackward = (g: Var, x: Var, t: Var, attrs: DeltaAttr): Var => apply(huberBackwardOp, [g, x, t], attrs);

export const huber = lossFn({
  name: 'huber',
  aliases: ['huber-loss'],
  summary: 'squared error below delta, delta-scaled absolute error above',
  torch: "torch.nn.functional.huber_loss(input, target, reduction='mean', delta=1.0)",
  signature: [reductionArg(), { name: 'delta', type: 'number', default: 1, doc: 'where the quadratic part ends (> 0)' }],
  formula: { value: 'ℓ = 0.5·d² if |d| < delta, else delta·(|d| - 0.5·delta);  d = x - t', derivative: '∂ℓ/∂x = d if |d| < delta, else delta·sgn(d)' },
  kinks: "Continuous derivative: at |d| = delta both branches give ±delta. The second derivative is 1 for |d| < delta and 0 from |d| = delta on (PyTorch's mask).",
  example: 'huber 0 3 --target 0.5,0 --delta 1 --grad',
  check(a) {
    const delta = num(a, 'delta');
    if (!(delta > 0)) throw new ArgumentError((name) => `huber: ${name('delta')} must be greater than 0 (huber_loss does not support non-positive values for delta), not ${delta}`);
  },
  forward: (x, t, a) => apply(huberOp, [x, targetLike(x, t)], { ...lossAttr(x, a), delta: num(a, 'delta') }),
});

// ---------------------------------------------------------------------------------------------
// soft_margin_loss
// ---------------------------------------------------------------------------------------------

const softMarginOp: Op<LossAttr> = {
  name: 'soft_margin_loss',
  // soft_margin_loss_out: log1p(exp(−input · target)); inf once −t·x > 709.78, as in PyTorch
  forward: ([x, t], { reduction }) => lossKernel(x, t, reduction, (xv, tv) => Math.log1p(Math.exp(-xv * tv))),
  // derivatives.yaml soft_margin_loss has no target entry: PyTorch does not differentiate the target
  backward: (g, { inputs: [x, t], attrs, needs }) => [needs[0] ? softMarginBackward(g, x, t, attrs) : null, null],
};

const softMarginBackwardOp: Op<LossAttr> = {
  name: 'soft_margin_loss_backward',
  // soft_margin_loss_backward_out: z = exp(−target · input); (target · z · (−norm)) / (z + 1) · grad_output
  forward([g, x, t], attrs) {
    const norm = meanFactor(attrs);
    return backwardKernel(g, x, t, (xv, tv, gv) => {
      const z = Math.exp(-tv * xv);
      return ((tv * z * -norm) / (z + 1)) * gv;
    });
  },
  // derivatives.yaml soft_margin_loss_backward: grad_output → soft_margin_loss_double_backward_grad_output;
  // self → soft_margin_loss_double_backward(grad * grad_output, ...)
  backward(gg, { inputs: [g, x, t], attrs, needs }) {
    let gradOutput: Var | null = null;
    if (needs[0]) {
      gradOutput =
        attrs.reduction === 'none' ? softMarginBackward(gg, x, t, attrs) : sum(mul(softMarginBackward(ones(g.shape), x, t, attrs), gg));
    }
    return [gradOutput, needs[1] ? softMarginDoubleBackward(mul(gg, g), x, t, attrs) : null, null];
  },
};

const softMarginBackward = (g: Var, x: Var, t: Var, attrs: LossAttr): Var => apply(softMarginBackwardOp, [g, x, t], attrs);

/** soft_margin_loss_double_backward: z = exp(x·(−t)); grad · t² · z / (z + 1)² (/ N). */
function softMarginDoubleBackward(grad: Var, x: Var, t: Var, attrs: LossAttr): Var {
  const z = exp(mul(x, neg(t)));
  const zPlus1 = add(z, 1);
  return divideForMean(div(mul(mul(grad, mul(t, t)), z), mul(zPlus1, zPlus1)), attrs);
}

export const softMargin = lossFn({
  name: 'soft-margin',
  aliases: ['soft-margin-loss'],
  summary: 'logistic loss log(1 + e^(-t·x)) for targets ±1',
  torch: "torch.nn.functional.soft_margin_loss(input, target, size_average=None, reduce=None, reduction='mean')",
  target: { ...TARGET, noGrad: 'PyTorch does not differentiate soft_margin_loss with respect to its target' },
  formula: { value: 'ℓ = log(1 + e^(-t·x))', derivative: '∂ℓ/∂x = -t·e^(-t·x) / (1 + e^(-t·x))' },
  kinks:
    "No kinks. PyTorch's kernel evaluates log1p(e^(-t·x)) literally, so for -t·x > 709.78 the value is inf and the " +
    'gradient NaN (inf/inf), as in PyTorch. The target gets no gradient (PyTorch implements none).',
  example: 'soft-margin 2 -1 --target 1,1 --grad',
  forward(x, t, a, ctx) {
    ctx.noGradient(t, 'PyTorch does not differentiate soft_margin_loss with respect to its target');
    return apply(softMarginOp, [x, targetLike(x, t)], lossAttr(x, a));
  },
});

// ---------------------------------------------------------------------------------------------
// binary_cross_entropy
// ---------------------------------------------------------------------------------------------

/** Loss.cpp `constexpr float EPSILON = 1e-12`: the backward's clamp, a float32 (9.999999960041972e-13). */
const BCE_EPSILON = Math.fround(1e-12);
/** FunctionsManual.cpp binary_cross_entropy_double_backward*: `eps = 1e-12`, a double. */
const BCE_DOUBLE_BACKWARD_EPS = 1e-12;

interface BceAttr extends LossAttr {
  /** the weight broadcast to the input's shape (a constant), or null */
  weight: Var | null;
}

const bceOp: Op<BceAttr> = {
  name: 'binary_cross_entropy',
  forward([x, t], { reduction, weight }) {
    const out = new Float64Array(x.data.length);
    for (let i = 0; i < out.length; i++) {
      const xv = x.data[i];
      const tv = t.data[i];
      // binary_cross_entropy_out_cpu: each log clamped at -100, log(1 - x) as log1p(-x)
      out[i] = (tv - 1) * Math.max(Math.log1p(-xv), -100) - tv * Math.max(Math.log(xv), -100);
    }
    if (weight) for (let i = 0; i < out.length; i++) out[i] *= weight.value.data[i];
    return reduceKernel(out, x.shape.slice(), reduction);
  },
  backward: (g, { inputs: [x, t], attrs, needs }) => [needs[0] ? bceBackward(g, x, t, attrs) : null, needs[1] ? bceTargetBackward(g, x, attrs) : null],
};

const bceBackwardOp: Op<BceAttr> = {
  name: 'binary_cross_entropy_backward',
  // binary_cross_entropy_backward_out_cpu: grad · (x − t) / max((1 − x) · x, EPSILON), then · weight, then / N
  forward([g, x, t], { reduction, n, weight }) {
    const out = backwardKernel(g, x, t, (xv, tv, gv) => (gv * (xv - tv)) / Math.max((1 - xv) * xv, BCE_EPSILON));
    if (weight) for (let i = 0; i < out.data.length; i++) out.data[i] *= weight.value.data[i];
    if (reduction === 'mean') for (let i = 0; i < out.data.length; i++) out.data[i] /= n;
    return out;
  },
  // derivatives.yaml binary_cross_entropy_backward
  backward: (gg, { inputs: [g, x, t], attrs, needs }) => [
    needs[0] ? sumTo(bceDoubleBackwardGradOutput(gg, x, t, attrs), g.shape) : null,
    needs[1] ? bceDoubleBackward(g, gg, x, t, attrs) : null,
    needs[2] ? bceDoubleBackwardTarget(gg, g, x, attrs) : null,
  ],
};

const bceBackward = (g: Var, x: Var, t: Var, attrs: BceAttr): Var => apply(bceBackwardOp, [g, x, t], attrs);

const weighted = (v: Var, { weight }: BceAttr): Var => (weight ? mul(v, weight) : v);

/** binary_cross_entropy_target_backward: −logit(x) · grad · weight (/ N). */
const bceTargetBackward = (g: Var, x: Var, attrs: BceAttr): Var => divideForMean(weighted(mul(neg(logit(x)), g), attrs), attrs);

/** binary_cross_entropy_double_backward: (x² − 2xt + t) / ((x + ε)² (1 − x + ε)²) · (grad · grad_output) · w (/ N). */
function bceDoubleBackward(gradOutput: Var, grad: Var, x: Var, t: Var, attrs: BceAttr): Var {
  const eps = BCE_DOUBLE_BACKWARD_EPS;
  const numerator = add(sub(mul(x, x), mul(mul(2, x), t)), t);
  const denominator = mul(pow(add(x, eps), 2), pow(add(sub(1, x), eps), 2));
  return divideForMean(weighted(mul(div(numerator, denominator), mul(grad, gradOutput)), attrs), attrs);
}

/** binary_cross_entropy_double_backward_target: −grad · grad_output · w / clamp_min((1 − x)·x, 1e-12) (/ N). */
function bceDoubleBackwardTarget(grad: Var, gradOutput: Var, x: Var, attrs: BceAttr): Var {
  const res = weighted(mul(neg(grad), gradOutput), attrs);
  return divideForMean(div(res, clampMinValueOnly(mul(sub(1, x), x), BCE_DOUBLE_BACKWARD_EPS)), attrs);
}

/** binary_cross_entropy_double_backward_grad_output: (x − t) / ((x + ε)(1 − x + ε)) · grad · w (/ N). */
function bceDoubleBackwardGradOutput(grad: Var, x: Var, t: Var, attrs: BceAttr): Var {
  const eps = BCE_DOUBLE_BACKWARD_EPS;
  const ggO = mul(div(sub(x, t), mul(add(x, eps), add(sub(1, x), eps))), grad);
  return divideForMean(weighted(ggO, attrs), attrs);
}

/** logit(x) = log(x / (1 − x)); its backward is infinitely_differentiable_logit_backward (no eps). */
const logitOp = defineUnary({
  name: 'logit',
  f: (x) => Math.log(x / (1 - x)),
  backward: (g, x) => where(logicalAnd(ge(x, 0), le(x, 1)), div(g, mul(x, sub(1, x))), NaN),
});
const logit = (x: Var): Var => apply(logitOp, [x], undefined);

/**
 * `denom.clamp_min_(eps)` under NoGradGuard (binary_cross_entropy_double_backward_target): the
 * value is clamped, the gradient is that of the unclamped expression.
 */
const clampMinValueOnlyOp = defineUnary<number>({
  name: 'clamp_min_no_grad',
  f: (x, min) => (x !== x ? x : Math.max(x, min)),
  backward: (g) => g,
});
const clampMinValueOnly = (x: Var, min: number): Var => apply(clampMinValueOnlyOp, [x], min);

/** PyTorch's kernel check (Loss.cpp): every element of the input, and of the target, in [0, 1]; NaN fails. */
function checkProbabilities(v: Var, arg: 'input' | 'target'): void {
  const i = v.value.data.findIndex((e) => !(e >= 0 && e <= 1));
  if (i < 0) return;
  const hint = arg === 'input' ? ' (for logits use bce-with-logits)' : '';
  throw new ArgumentError(
    (name) => `bce: all elements of ${name(arg)} should be between 0 and 1, but number ${i + 1} is ${v.value.data[i]}${hint}`,
  );
}

const BCE_WEIGHT: ArgSpec = {
  name: 'weight',
  type: 'tensor',
  default: null,
  doc: 'weight of each element, broadcast to the input (a number, one per column, or one per element)',
  noGrad: 'PyTorch computes no gradient for the weight of binary_cross_entropy',
};

export const bce = lossFn({
  name: 'bce',
  aliases: ['binary-cross-entropy'],
  summary: 'binary cross-entropy of probabilities x ∈ [0, 1]',
  torch: "torch.nn.functional.binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction='mean')",
  params: [BCE_WEIGHT],
  formula: {
    value: 'ℓ = -w·(t·max(log x, -100) + (1 - t)·max(log(1 - x), -100))',
    derivative: '∂ℓ/∂x = w·(x - t) / max(x·(1 - x), 1e-12);  ∂ℓ/∂t = -w·logit(x)',
  },
  kinks:
    "Each log is clamped at -100, so x = 0 or 1 gives a finite loss (at most 100·w); the gradient divides by " +
    'max(x(1 - x), 1e-12) with 1e-12 a float32 (9.999999960041972e-13) as in PyTorch, so bce(0, target 1) has gradient ' +
    '-1.0000000039958e12. The second derivative uses (x + 1e-12)²(1 - x + 1e-12)² (a double). Input and target must lie in ' +
    '[0, 1], as PyTorch 2.11 checks (use bce-with-logits for logits). log(1 - x) is computed as log1p(-x).',
  example: 'bce 0.9 0.2 --target 1,0 --grad',
  // The input is a probability.
  plotRange: [0, 1],
  forward(x, t, a, ctx) {
    const target = targetLike(x, t);
    checkProbabilities(x, 'input');
    checkProbabilities(target, 'target');
    const weight = elementWeight(optionalTensor(a, 'weight'), x, 'weight', ctx);
    return apply(bceOp, [x, target], { ...lossAttr(x, a), weight });
  },
});

// ---------------------------------------------------------------------------------------------
// binary_cross_entropy_with_logits: a kernel of its own (Loss.cpp) whose backward formulas are
// composites (FunctionsManual.cpp), differentiated again through their ops
// ---------------------------------------------------------------------------------------------


interface BceLogitsAttr extends BceAttr {
  posWeight: Var | null;
}

const bceWithLogitsOp: Op<BceLogitsAttr> = {
  name: 'binary_cross_entropy_with_logits',
  // Loss.cpp: ls = log_sigmoid(x); ls *= (pos_weight − 1)·t + 1; loss = (1 − t)·x − ls; loss *= weight
  forward([x, t], { reduction, weight, posWeight }) {
    const logSig = logSigmoid(constant(x)).value.data;
    const out = new Float64Array(x.data.length);
    for (let i = 0; i < out.length; i++) {
      const xv = x.data[i];
      const tv = t.data[i];
      let ls = logSig[i];
      if (posWeight) ls *= (posWeight.value.data[i] - 1) * tv + 1;
      out[i] = (1 - tv) * xv - ls;
      if (weight) out[i] *= weight.value.data[i];
    }
    return reduceKernel(out, x.shape.slice(), reduction);
  },
  backward: (g, { inputs: [x, t], attrs, needs }) => [
    needs[0] ? bceWithLogitsBackward(g, x, t, attrs) : null,
    needs[1] ? bceWithLogitsTargetBackward(g, x, attrs) : null,
  ],
};

/** binary_cross_entropy_with_logits_backward: ((pw·t + 1 − t)·σ(x) − pw·t or σ(x) − t) · grad · w (/ N). */
function bceWithLogitsBackward(g: Var, x: Var, t: Var, attrs: BceLogitsAttr): Var {
  let gradInput: Var;
  if (attrs.posWeight) {
    const pt = mul(attrs.posWeight, t);
    gradInput = sub(mul(sub(add(pt, 1), t), sigmoid(x)), pt);
  } else {
    gradInput = sub(sigmoid(x), t);
  }
  return divideForMean(weighted(mul(gradInput, g), attrs), attrs);
}

/** binary_cross_entropy_with_logits_target_backward: (log σ(−x) − log σ(x)·pw)·grad, or −x·grad; · w (/ N). */
function bceWithLogitsTargetBackward(g: Var, x: Var, attrs: BceLogitsAttr): Var {
  const gradTarget = attrs.posWeight ? mul(sub(logSigmoid(neg(x)), mul(logSigmoid(x), attrs.posWeight)), g) : mul(neg(x), g);
  return divideForMean(weighted(gradTarget, attrs), attrs);
}

export const bceWithLogits = lossFn({
  name: 'bce-with-logits',
  aliases: ['binary-cross-entropy-with-logits'],
  summary: 'binary cross-entropy of σ(x), computed from the logits x',
  torch:
    "torch.nn.functional.binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None, reduction='mean', pos_weight=None)",
  params: [{ ...BCE_WEIGHT, noGrad: 'PyTorch computes no gradient for the weight of binary_cross_entropy_with_logits' }],
  after: [
    {
      name: 'pos_weight',
      type: 'tensor',
      default: null,
      doc: 'weight of the positive term, broadcast to the input (a number or one per column)',
      noGrad: 'PyTorch computes no gradient for pos_weight',
    },
  ],
  formula: {
    value: 'ℓ = w·((1 - t)·x - (1 + (pos_weight - 1)·t)·log σ(x))',
    derivative: '∂ℓ/∂x = w·((pos_weight·t + 1 - t)·σ(x) - pos_weight·t);  ∂ℓ/∂t = w·(log σ(-x) - pos_weight·log σ(x))',
  },
  kinks:
    'No kinks. log σ(x) = min(x, 0) - log1p(e^(-|x|)), finite for any finite x. The derivative uses σ(x) through ' +
    "PyTorch's sigmoid, so it saturates exactly as PyTorch's does.",
  example: 'bce-with-logits 2 -1 --target 1,0 --grad',
  mistakes: [
    {
      kind: 'probabilities-for-logits',
      toLogits: (p) => Math.log(p / (1 - p)),
      hint: '{the} {treat} the inputs as probabilities, but bce-with-logits takes logits (it applies the sigmoid itself); for probabilities use bce',
    },
  ],
  forward(x, t, a, ctx) {
    const weight = elementWeight(optionalTensor(a, 'weight'), x, 'weight', ctx);
    const posWeight = elementWeight(optionalTensor(a, 'pos_weight'), x, 'pos_weight', ctx);
    return apply(bceWithLogitsOp, [x, targetLike(x, t)], { ...lossAttr(x, a), weight, posWeight });
  },
});

// ---------------------------------------------------------------------------------------------
// kl_div: a composite (Loss.cpp kl_div; torch.nn.functional.kl_div adds batchmean)
// ---------------------------------------------------------------------------------------------

/** xlogy(x, y) (BinaryOpsKernel xlogy_kernel): NaN if y is NaN; 0 if x = 0; x·log(y). */
const xlogyScalar = (x: number, y: number): number => (y !== y ? NaN : x === 0 ? 0 : x * Math.log(y));

const xlogyOp: Op<undefined> = {
  name: 'xlogy',
  forward: ([a, b]) => binaryKernel('xlogy', a, b, xlogyScalar),
  // derivatives.yaml xlogy.Tensor: self → xlogy(grad, other).masked_fill((self == 0) & (other <= 0), 0);
  // other → grad · self / other (so ∂/∂t xlogy(t, t) is NaN at t = 0, as in PyTorch)
  backward: (g, { inputs: [a, b], needs }) => [
    needs[0] ? sumTo(where(logicalAnd(eq(a, 0), le(b, 0)), 0, xlogy(g, b)), a.shape) : null,
    needs[1] ? sumTo(div(mul(g, a), b), b.shape) : null,
  ],
};
const xlogy = (a: Var, b: Var): Var => apply(xlogyOp, [a, b], undefined);

export const klDiv = lossFn({
  name: 'kl-div',
  aliases: ['kl-div-loss'],
  summary: 'Kullback–Leibler divergence of target t from log-probabilities x',
  torch: "torch.nn.functional.kl_div(input, target, size_average=None, reduce=None, reduction='mean', log_target=False)",
  extraReductions: ['batchmean'],
  after: [{ name: 'log_target', type: 'boolean', default: false, doc: 'the target is given as log-probabilities' }],
  formula: {
    value: 'ℓ = xlogy(t, t) - t·x (0 where t = 0);  log_target: e^t·(t - x)',
    derivative: '∂ℓ/∂x = -t;  log_target: -e^t;  ∂ℓ/∂t = log t + 1 - x;  log_target: e^t·(t - x + 1)',
  },
  kinks:
    "PyTorch's composite: xlogy(t, t) is 0 at t = 0, and its target gradient there is NaN (0/0 in xlogy's backward), as in " +
    'PyTorch. Reduction mean divides by the number of elements (PyTorch warns that this is not the KL divergence); ' +
    "batchmean divides the sum by the input's first dimension, which gives the textbook KL for a batch of rows.",
  example: 'kl-div -1.2 -0.4 --target 0.3,0.7 --reduction batchmean --grad',
  mistakes: [
    {
      kind: 'other-reduction',
      from: 'mean',
      to: 'batchmean',
      hint: "{the} {match} reduction='batchmean' (the textbook KL per sample: the sum divided by the batch size); reduction='mean' divides by every element, {N} here",
    },
    {
      kind: 'other-reduction',
      from: 'mean',
      to: 'sum',
      hint: "{the} {match} reduction='sum' (the textbook KL divergence); reduction='mean' divides by every element, {N} here",
    },
  ],
  forward(x, t, a) {
    const target = targetLike(x, t);
    const losses = flag(a, 'log_target') ? mul(exp(target), sub(target, x)) : sub(xlogy(target, target), mul(target, x));
    const reduction = choice(a, 'reduction');
    if (reduction !== 'batchmean') return reduceLosses(losses, reduction);
    // torch.nn.functional.kl_div: the sum, divided by input.size(0) unless the input is 0-dimensional
    return x.shape.length === 0 ? sum(losses) : div(sum(losses), x.shape[0]);
  },
});

// ---------------------------------------------------------------------------------------------
// hinge_embedding_loss: a composite (Loss.cpp hinge_embedding_loss)
// ---------------------------------------------------------------------------------------------

export const hingeEmbedding = lossFn({
  name: 'hinge-embedding',
  aliases: ['hinge-embedding-loss'],
  summary: 'x for t = 1, max(0, margin - x) for t = -1',
  torch: "torch.nn.functional.hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None, reduction='mean')",
  target: { ...TARGET, noGrad: TARGET_SELECTS },
  params: [{ name: 'margin', type: 'number', default: 1, doc: 'margin for the t = -1 terms' }],
  formula: {
    value: 'ℓ = [t ≠ -1]·x + [t ≠ 1]·max(0, margin - x)',
    derivative: '∂ℓ/∂x = [t ≠ -1] - [t ≠ 1]·[x ≤ margin]',
  },
  kinks:
    "At x = margin (t = -1) the gradient is -1: PyTorch 2.11's clamp_min passes the gradient where margin - x ≥ 0. A target " +
    'other than ±1 takes both terms, as in PyTorch. The target gets no gradient.',
  example: 'hinge-embedding 0.3 2 --target 1,-1 --grad',
  forward(x, t, a, ctx) {
    ctx.noGradient(t, TARGET_SELECTS);
    const target = targetLike(x, t);
    const marginClamp = clamp(sub(num(a, 'margin'), x), 0, null);
    const losses = add(where(ne(target, 1), marginClamp, 0), where(ne(target, -1), x, 0));
    return reduceLosses(losses, choice(a, 'reduction'));
  },
});

// ---------------------------------------------------------------------------------------------
// poisson_nll_loss: a composite (Loss.cpp poisson_nll_loss)
// ---------------------------------------------------------------------------------------------

export const poissonNll = lossFn({
  name: 'poisson-nll',
  aliases: ['poisson-nll-loss'],
  summary: 'negative log-likelihood of a Poisson target',
  torch: "torch.nn.functional.poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-08, reduce=None, reduction='mean')",
  signature: [
    { name: 'log_input', type: 'boolean', default: true, doc: 'x is the log of the rate (use --no-log-input for the rate itself)' },
    { name: 'full', type: 'boolean', default: false, doc: 'add the Stirling term t·log t - t + log(2πt)/2 (for t > 1)' },
    LEGACY_REDUCTION[0],
    { name: 'eps', type: 'number', default: 1e-8, doc: 'added to x before the log when log_input is false' },
    LEGACY_REDUCTION[1],
    reductionArg(),
  ],
  formula: {
    value: 'ℓ = e^x - t·x (log_input);  x - t·log(x + eps) (otherwise);  full adds t·log t - t + log(2πt)/2 where t > 1',
    derivative: '∂ℓ/∂x = e^x - t (log_input);  1 - t/(x + eps) (otherwise);  ∂ℓ/∂t = -x or -log(x + eps), plus log t + 1/(2t) where t > 1 (full)',
  },
  kinks:
    "No kinks. The Stirling term is masked to 0 where t ≤ 1, as in PyTorch; with full, the target gradient is NaN at t = 0 " +
    "(PyTorch's masked_fill passes 0 into 0·log 0).",
  example: 'poisson-nll 0.5 1 --target 1,3 --grad',
  forward(x, t, a) {
    const target = targetLike(x, t);
    let losses = flag(a, 'log_input') ? sub(exp(x), mul(target, x)) : sub(x, mul(target, log(add(x, num(a, 'eps')))));
    if (flag(a, 'full')) {
      const stirling = add(sub(mul(target, log(target)), target), mul(0.5, log(mul(2 * Math.PI, target))));
      losses = add(losses, where(le(target, 1), 0, stirling));
    }
    return reduceLosses(losses, choice(a, 'reduction'));
  },
});
