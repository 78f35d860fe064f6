/**
 * Piecewise-linear activations and their kinks. Forward and backward kernels are PyTorch 2.11's
 * (aten/src/ATen/native/cpu/Activation.cpp), each backward kernel an op whose own derivatives are
 * its entries in tools/autograd/derivatives.yaml: the backward is linear in grad_output and flat in
 * the input (`self: zeros_like(grad)`), so every second derivative is 0, at the kinks too. The
 * backward kernels select (the gradient where the test holds, else 0) rather than multiply by a
 * mask, so an infinite or NaN upstream gradient gives 0 on a flat piece, not NaN; where a kernel
 * multiplies (leaky_relu's slope, prelu's weight), inf·0 is NaN as in PyTorch.
 *
 * Conditions are tested element by element as PyTorch's scalar kernels test them (a NaN input fails
 * every comparison). PyTorch's vectorised kernels, used on blocks of 8 or 16 contiguous doubles
 * (depending on the CPU), test the complementary condition in a few backward kernels (hardtanh,
 * hardswish, the shrinks), so for a NaN input PyTorch's gradient can depend on the element's
 * position; actgrad always gives the scalar kernels' answer.
 */
import { sumTo } from '../autograd/broadcast';
import { constant, defineUnary, div, ge, gt, logicalAnd, lt, mul, where, zeros } from '../autograd/elementwise';
import { reshape } from '../autograd/shape';
import { apply, type Op, type Var } from '../autograd/var';
import { broadcastIndex, numel, type Tensor } from '../tensor';
import { elementwise, num } from './common';
import { defineBackwardOp } from '../autograd/elementwise';
import { ArgumentError, type Args } from './types';

/** derivatives.yaml's `self: zeros_like(grad)` for the backward kernels of piecewise-linear functions. */
const flat = (_gg: Var, _g: Var, x: Var): Var => zeros(x.shape);

// ---------------------------------------------------------------------------------------------
// step (torch.heaviside)
// ---------------------------------------------------------------------------------------------

interface StepAttrs {
  atZero: number;
}

const heavisideOp = defineUnary<StepAttrs>({
  name: 'heaviside',
  // heaviside_kernel: x == 0 ? values : (x > 0); NaN gives 0
  f: (x, { atZero }) => (x === 0 ? atZero : x > 0 ? 1 : 0),
  // PyTorch has no derivative for heaviside; actgrad's convention is 0 everywhere.
  backward: (_g, x) => zeros(x.shape),
  rule: (G) => `${G} · 0`,
});

export const step = elementwise({
  name: 'step',
  aliases: ['heaviside'],
  summary: 'Heaviside step: 0 for x < 0, 1 for x > 0',
  torch: 'torch.heaviside(input, torch.tensor(at_zero))',
  params: [{ name: 'at_zero', type: 'number', default: 0, doc: 'value at x = 0' }],
  formula: { value: 'step(x) = 0 if x < 0, at_zero if x = 0, 1 if x > 0', derivative: "step'(x) = 0" },
  kinks:
    'PyTorch defines no derivative for heaviside (autograd refuses it); actgrad uses 0 everywhere, including at x = 0 (the jump), ' +
    'and so every higher derivative is 0 too. step(NaN) = 0, as torch.heaviside gives.',
  example: 'step -1 0 2 --at-zero 0.5',
  forward: (x, a) => apply(heavisideOp, [x], { atZero: num(a, 'at_zero') }),
});

// ---------------------------------------------------------------------------------------------
// relu and threshold: threshold_backward
// ---------------------------------------------------------------------------------------------

interface ThresholdAttrs {
  threshold: number;
}

// threshold_backward(grad, self, threshold) = threshold_kernel(self, threshold, 0, grad):
// x <= threshold ? 0 : grad (a selection)
const thresholdBackward = defineBackwardOp<ThresholdAttrs>({
  name: 'threshold_backward',
  f: (g, x, { threshold }) => (x <= threshold ? 0 : g),
  input: flat,
});

/** relu: max(0, x); NaN stays NaN. Its backward is threshold_backward(grad, result, 0), from the output. */
const reluOp: Op<undefined> = {
  name: 'relu',
  forward: ([x]) => ({ shape: x.shape, data: x.data.map((v) => (v > 0 || v !== v ? v : 0)) }),
  backward: (g, { output }) => [thresholdBackward(g, output, { threshold: 0 })],
  rule: (G, [x]) => `${G} · [${x} > 0]`,
};

export const relu = elementwise({
  name: 'relu',
  summary: 'rectified linear unit max(0, x)',
  torch: 'torch.nn.functional.relu(input)',
  formula: { value: 'relu(x) = max(0, x)', derivative: "relu'(x) = 1 if x > 0, else 0" },
  kinks:
    "relu'(0) = 0 (PyTorch's threshold_backward passes the gradient only where the output is > 0, and selects, so an " +
    'infinite upstream gradient gives 0 where x ≤ 0); the second derivative is 0 everywhere, at the kink too.',
  example: 'relu -1 0 2.5 --grad',
  forward: (x) => apply(reluOp, [x], undefined),
});

interface ThresholdOpAttrs extends ThresholdAttrs {
  value: number;
}

const thresholdOp = defineUnary<ThresholdOpAttrs>({
  name: 'threshold',
  // threshold_kernel: x <= threshold ? value : x (NaN stays NaN)
  f: (x, { threshold, value }) => (x <= threshold ? value : x),
  backward: (g, x, _y, attrs) => thresholdBackward(g, x, attrs),
  rule: (G, x, { threshold }) => `${G} · [${x} > ${threshold}]`,
});

export const threshold = elementwise({
  name: 'threshold',
  summary: 'x where x > threshold, value elsewhere',
  torch: 'torch.nn.functional.threshold(input, threshold, value)',
  params: [
    { name: 'threshold', type: 'number', doc: 'the cut-off' },
    { name: 'value', type: 'number', doc: 'the replacement at or below the cut-off' },
  ],
  formula: { value: 'threshold(x) = x if x > threshold, else value', derivative: "threshold'(x) = 1 if x > threshold, else 0" },
  kinks:
    "threshold'(threshold) = 0 (PyTorch's threshold_backward zeroes x ≤ threshold, selecting, so an infinite upstream " +
    'gradient gives 0 there); the jump from value to threshold is not differentiated, and the second derivative is 0.',
  example: 'threshold -1 0.5 2 --threshold 0.5 --value -1 --grad',
  forward: (x, a) => apply(thresholdOp, [x], { threshold: num(a, 'threshold'), value: num(a, 'value') }),
});

// ---------------------------------------------------------------------------------------------
// hardtanh and relu6: hardtanh_backward
// ---------------------------------------------------------------------------------------------

interface HardtanhAttrs {
  minVal: number;
  maxVal: number;
}

// hardtanh_backward_kernel: (x <= min_val || x >= max_val) ? 0 : grad (a selection)
const hardtanhBackward = defineBackwardOp<HardtanhAttrs>({
  name: 'hardtanh_backward',
  f: (g, x, { minVal, maxVal }) => (x <= minVal || x >= maxVal ? 0 : g),
  input: flat,
});

const hardtanhOp = defineUnary<HardtanhAttrs>({
  name: 'hardtanh',
  // hardtanh is clamp(x, min_val, max_val): min(max(x, min), max), NaN propagated
  f: (x, { minVal, maxVal }) => Math.min(Math.max(x, minVal), maxVal),
  backward: (g, x, _y, attrs) => hardtanhBackward(g, x, attrs),
  rule: (G, x, { minVal, maxVal }) => `${G} · [${minVal} < ${x} < ${maxVal}]`,
});

const hardtanhOf = (x: Var, minVal: number, maxVal: number): Var => apply(hardtanhOp, [x], { minVal, maxVal });

export const hardtanh = elementwise({
  name: 'hardtanh',
  summary: 'x clamped to [min_val, max_val]',
  torch: 'torch.nn.functional.hardtanh(input, min_val=-1.0, max_val=1.0)',
  params: [
    { name: 'min_val', type: 'number', default: -1, doc: 'lower edge' },
    { name: 'max_val', type: 'number', default: 1, doc: 'upper edge (not below min_val)' },
  ],
  formula: { value: 'hardtanh(x) = min(max(x, min_val), max_val)', derivative: "hardtanh'(x) = 1 if min_val < x < max_val, else 0" },
  kinks:
    "hardtanh' is 0 at both edges x = min_val and x = max_val (PyTorch's hardtanh_backward, which selects: an infinite " +
    'upstream gradient gives 0 outside the open interval). The second derivative is 0 everywhere.',
  example: 'hardtanh -2 -1 0 1 2 --grad',
  check: (a) => {
    // torch.nn.functional.hardtanh: raise ValueError("min_val cannot be greater than max_val")
    const lo = num(a, 'min_val');
    const hi = num(a, 'max_val');
    if (lo > hi) throw new ArgumentError((name) => `${name('min_val')} (${lo}) cannot be greater than ${name('max_val')} (${hi})`);
  },
  forward: (x, a) => hardtanhOf(x, num(a, 'min_val'), num(a, 'max_val')),
});

export const relu6 = elementwise({
  name: 'relu6',
  summary: 'ReLU capped at 6: min(max(0, x), 6)',
  torch: 'torch.nn.functional.relu6(input)',
  formula: { value: 'relu6(x) = min(max(0, x), 6)', derivative: "relu6'(x) = 1 if 0 < x < 6, else 0" },
  kinks:
    "relu6'(0) = relu6'(6) = 0: PyTorch computes relu6 as hardtanh(x, 0, 6), whose backward is 0 at both edges and selects " +
    '(an infinite upstream gradient gives 0 on the flat pieces). The second derivative is 0 everywhere.',
  example: 'relu6 -1 3 6 7 --grad',
  forward: (x) => hardtanhOf(x, 0, 6),
});

// ---------------------------------------------------------------------------------------------
// leaky_relu
// ---------------------------------------------------------------------------------------------

interface SlopeAttrs {
  negativeSlope: number;
}

// leaky_relu_backward_kernel(self, grad): x > 0 ? grad : grad·negative_slope
const leakyReluBackward = defineBackwardOp<SlopeAttrs>({
  name: 'leaky_relu_backward',
  f: (g, x, { negativeSlope }) => (x > 0 ? g : g * negativeSlope),
  input: flat,
});

const leakyReluOp = defineUnary<SlopeAttrs>({
  name: 'leaky_relu',
  f: (x, { negativeSlope }) => (x > 0 ? x : x * negativeSlope),
  backward: (g, x, _y, attrs) => leakyReluBackward(g, x, attrs),
  rule: (G, x, { negativeSlope }) => `${G} · (1 if ${x} > 0, else ${negativeSlope})`,
});

export const leakyRelu = elementwise({
  name: 'leaky-relu',
  summary: 'x for x > 0, negative_slope·x otherwise',
  torch: 'torch.nn.functional.leaky_relu(input, negative_slope=0.01)',
  params: [{ name: 'negative_slope', type: 'number', default: 0.01, doc: 'slope for x ≤ 0' }],
  formula: { value: 'leaky_relu(x) = x if x > 0, else negative_slope·x', derivative: "leaky_relu'(x) = 1 if x > 0, else negative_slope" },
  kinks:
    "leaky_relu'(0) = negative_slope (PyTorch's leaky_relu_backward tests x > 0); the second derivative is 0 everywhere. " +
    'The backward multiplies the upstream gradient by negative_slope for x ≤ 0, so an infinite one stays infinite there.',
  example: 'leaky-relu -2 0 2 --negative-slope 0.2 --grad',
  forward: (x, a) => apply(leakyReluOp, [x], { negativeSlope: num(a, 'negative_slope') }),
});

// ---------------------------------------------------------------------------------------------
// prelu: _prelu_kernel(self, weight) and _prelu_kernel_backward, with the weight differentiated
// ---------------------------------------------------------------------------------------------

/** out[k] = f(x[k], w[·], g[k]) over x's shape, with prelu's weight w broadcast to it (g: a gradient, or none). */
function overInput(x: Tensor, w: Tensor, g: Tensor | null, f: (x: number, w: number, g: number) => number): Tensor {
  const iw = broadcastIndex(w.shape, x.shape);
  const out = new Float64Array(x.data.length);
  for (let k = 0; k < out.length; k++) out[k] = f(x.data[k], w.data[iw[k]], g ? g.data[k] : 0);
  return { shape: x.shape.slice(), data: out };
}

// prelu_backward_kernel computes both outputs, grad_input = x > 0 ? g : w·g and
// grad_weight = x > 0 ? 0 : x·g (in x's shape; _prelu_kernel_backward sums it onto the weight's).
// Here each output is an op of its own, and derivatives.yaml's formulas for _prelu_kernel_backward
// (with grads[0], grads[1] the gradients of the two outputs) are split between them; both test
// self >= 0 where the kernels test self > 0, as PyTorch's do.
const preluGradInputOp: Op<undefined> = {
  name: 'prelu_backward_input',
  forward: ([g, x, w]) => overInput(x, w, g, (x, w, g) => (x > 0 ? g : w * g)),
  backward: (gg, { inputs: [g, x, w], needs }) => [
    // grad_output: where(self >= 0, grads[0], grads[0] * weight)
    needs[0] ? where(ge(x, 0), gg, mul(gg, w)) : null,
    // self: its grads[0] term is 0 (grads[1] alone reaches self)
    needs[1] ? zeros(x.shape) : null,
    // weight: where(self >= 0, 0, grad_output * grads[0])
    needs[2] ? sumTo(where(ge(x, 0), 0, mul(g, gg)), w.shape) : null,
  ],
};

const preluGradWeightOp: Op<undefined> = {
  name: 'prelu_backward_weight',
  forward: ([g, x, w]) => overInput(x, w, g, (x, _w, g) => (x > 0 ? 0 : x * g)),
  backward: (gg, { inputs: [g, x, w], needs }) => [
    // grad_output: where(self >= 0, 0, grads[1] * self)
    needs[0] ? where(ge(x, 0), 0, mul(gg, x)) : null,
    // self: where(self >= 0, 0, grad_output * grads[1])
    needs[1] ? where(ge(x, 0), 0, mul(g, gg)) : null,
    // weight: its grads[1] term is 0
    needs[2] ? zeros(w.shape) : null,
  ],
};

const preluOp: Op<undefined> = {
  name: 'prelu',
  // prelu_kernel: x > 0 ? x : w·x
  forward: ([x, w]) => overInput(x, w, null, (x, w) => (x > 0 ? x : w * x)),
  backward: (g, { inputs: [x, w], needs }) => [
    needs[0] ? apply(preluGradInputOp, [g, x, w], undefined) : null,
    needs[1] ? sumTo(apply(preluGradWeightOp, [g, x, w], undefined), w.shape) : null,
  ],
  rule: (G, [x, w], i) => (i === 0 ? `${G} · (1 if ${x} > 0, else ${w})` : `${G} · (0 if ${x} > 0, else ${x})`),
};

/** The weight as a tensor (the default 0.25 arrives as a number). */
const weightOf = (a: Args): Var => (typeof a.weight === 'number' ? constant(a.weight) : (a.weight as Var));

/**
 * aten/src/ATen/native/Activation.cpp's prelu: the weight is one number, or one per channel where
 * the channel is dimension 1 of the input (a vector has 1 channel); a 0- or 1-dimensional weight.
 */
function checkPrelu(a: Args): void {
  const x = a.input as Var;
  const w = weightOf(a);
  const count = numel(w.shape);
  if (w.shape.length > 1) {
    throw new ArgumentError((name) => `${name('weight')} must be one number or a vector (PyTorch's prelu takes a weight of at most 1 dimension), not ${w.shape.length}-dimensional`);
  }
  if (count === 1) return;
  if (x.shape.length === 0) throw new ArgumentError((name) => `${name('weight')} has ${count} numbers, but ${name('input')} is a single number: give one weight`);
  const channels = x.shape.length > 1 ? x.shape[1] : 1;
  if (count !== channels) {
    throw new ArgumentError(
      (name) =>
        `${name('weight')} has ${count} numbers, but ${name('input')} has ${channels} channel${channels === 1 ? '' : 's'} ` +
        `(PyTorch's prelu takes one weight, or one per channel: dimension 1 of the input, so a vector has 1)`,
    );
  }
}

function preluForward(x: Var, a: Args): Var {
  const w = weightOf(a);
  // Reshaped to broadcast over the input: [1, C, 1, ...] (a scalar shape for a scalar input).
  const r = x.shape.length;
  const shaped = r === w.shape.length ? w : reshape(w, Array.from({ length: r }, (_, i) => (i === 1 ? numel(w.shape) : 1)));
  return apply(preluOp, [x, shaped], undefined);
}

export const prelu = elementwise({
  name: 'prelu',
  summary: 'parametric ReLU: x for x > 0, weight·x otherwise',
  torch: 'torch.nn.functional.prelu(input, weight)',
  params: [
    {
      name: 'weight',
      type: 'tensor',
      default: 0.25,
      doc: 'slope for x ≤ 0: one number, or one per channel (dimension 1 of the input); nn.PReLU initialises it to 0.25',
    },
  ],
  formula: { value: 'prelu(x) = x if x > 0, else weight·x', derivative: "prelu'(x) = 1 if x > 0, else weight;  ∂prelu/∂weight = 0 if x > 0, else x" },
  kinks:
    "prelu'(0) = weight (PyTorch's prelu backward tests x > 0). The weight is differentiated too, as in PyTorch: " +
    '∂/∂weight sums x over the elements with x ≤ 0 (per channel). Second derivatives are 0 in x; the mixed ' +
    "∂²/∂x∂weight is 1 where x < 0 and 0 where x ≥ 0 (derivatives.yaml's double backward tests x ≥ 0, so it is 0 at x = 0). " +
    'A weight of several numbers is one per channel: dimension 1 of the input (a vector is one channel, as in PyTorch).',
  example: 'prelu -2 0 2 --weight 0.1 --grad',
  check: checkPrelu,
  forward: preluForward,
});

// ---------------------------------------------------------------------------------------------
// hardsigmoid, hardswish
// ---------------------------------------------------------------------------------------------

/** hardsigmoid_backward_kernel's one_sixth is 1.0f / 6.0f, a float32, also for double tensors. */
const ONE_SIXTH_FLOAT32 = Math.fround(1 / 6);

// hardsigmoid_backward_kernel: (x > -3 && x < 3) ? grad·(1.0f/6.0f) : 0 (a selection). PyTorch's
// derivatives.yaml has no entry for hardsigmoid_backward (its double backward raises); actgrad
// treats it like the other piecewise-linear backward kernels.
const hardsigmoidBackward = defineBackwardOp<undefined>({
  name: 'hardsigmoid_backward',
  f: (g, x) => (x > -3 && x < 3 ? g * ONE_SIXTH_FLOAT32 : 0),
  input: flat,
});

/** relu6(x + 3) as hardsigmoid_kernel and hardswish_kernel compute it: min(max(x + 3, 0), 6). */
const relu6Shifted = (x: number): number => Math.min(Math.max(x + 3, 0), 6);

const hardsigmoidOp = defineUnary({
  name: 'hardsigmoid',
  f: (x) => relu6Shifted(x) / 6,
  backward: (g, x) => hardsigmoidBackward(g, x, undefined),
  rule: (G, x) => `${G} · (1/6 if -3 < ${x} < 3, else 0)`,
});

export const hardsigmoid = elementwise({
  name: 'hardsigmoid',
  summary: 'piecewise-linear sigmoid relu6(x + 3)/6',
  torch: 'torch.nn.functional.hardsigmoid(input)',
  formula: { value: 'hardsigmoid(x) = min(max(x + 3, 0), 6) / 6', derivative: "hardsigmoid'(x) = 1/6 if -3 < x < 3, else 0" },
  kinks:
    "hardsigmoid' is 0 at x = ±3. Inside (-3, 3) PyTorch's hardsigmoid_backward multiplies by the float32 constant " +
    '1.0f/6.0f, so the float64 derivative is 0.1666666716337204, not 1/6; actgrad returns the same. The backward selects ' +
    '(an infinite upstream gradient gives 0 outside (-3, 3)). The second derivative is 0 everywhere: PyTorch itself has ' +
    'no double backward for hardsigmoid (autograd raises "derivative for aten::hardsigmoid_backward is not implemented"), ' +
    'and 0 is the derivative of the piecewise-constant derivative, as for relu.',
  example: 'hardsigmoid -4 -3 0 3 --grad',
  forward: (x) => apply(hardsigmoidOp, [x], undefined),
});

// hardswish_backward_kernel: x <= -3 ? 0 : x < 3 ? grad·(x/3 + 0.5) : grad
const hardswishBackward = defineBackwardOp<undefined>({
  name: 'hardswish_backward',
  f: (g, x) => (x <= -3 ? 0 : x < 3 ? g * (x / 3 + 0.5) : g),
  // derivatives.yaml: where(logical_and(-3.0 < self, self < 3.0), grad * grad_output / 3.0, 0)
  input: (gg, g, x) => where(logicalAnd(gt(x, -3), lt(x, 3)), div(mul(gg, g), 3), 0),
});

const hardswishOp = defineUnary({
  name: 'hardswish',
  f: (x) => (x * relu6Shifted(x)) / 6,
  backward: (g, x) => hardswishBackward(g, x, undefined),
  rule: (G, x) => `${G} · (0 if ${x} ≤ -3, ${x}/3 + 1/2 if ${x} < 3, else 1)`,
});

export const hardswish = elementwise({
  name: 'hardswish',
  summary: 'x·relu6(x + 3)/6',
  torch: 'torch.nn.functional.hardswish(input)',
  formula: { value: 'hardswish(x) = x·min(max(x + 3, 0), 6) / 6', derivative: "hardswish'(x) = 0 if x ≤ -3, x/3 + 1/2 if -3 < x < 3, 1 if x ≥ 3" },
  kinks:
    "hardswish'(-3) = 0 and hardswish'(3) = 1, as in PyTorch 2.11's hardswish_backward (releases before 1.13 gave -0.5 " +
    'and 1.5). The second derivative is 1/3 inside (-3, 3) and 0 elsewhere, 0 at ±3 too (derivatives.yaml tests ' +
    '-3 < x < 3). The backward gives 0 for x ≤ -3 without multiplying, so an infinite upstream gradient gives 0 there.',
  example: 'hardswish -3 0 3 --grad',
  forward: (x) => apply(hardswishOp, [x], undefined),
});

// ---------------------------------------------------------------------------------------------
// softshrink, hardshrink: shrink_backward
// ---------------------------------------------------------------------------------------------

interface LambdAttrs {
  lambd: number;
}

// shrink_backward_kernel, shared by softshrink_backward and hardshrink_backward:
// (x >= -lambd && x <= lambd) ? 0 : grad (a selection)
const shrinkBackwardKernel = (g: number, x: number, { lambd }: LambdAttrs): number => (x >= -lambd && x <= lambd ? 0 : g);
const softshrinkBackward = defineBackwardOp<LambdAttrs>({ name: 'softshrink_backward', f: shrinkBackwardKernel, input: flat });
const hardshrinkBackward = defineBackwardOp<LambdAttrs>({ name: 'hardshrink_backward', f: shrinkBackwardKernel, input: flat });

const softshrinkOp = defineUnary<LambdAttrs>({
  name: 'softshrink',
  // softshrink_kernel: the middle branch is x·0, so NaN stays NaN
  f: (x, { lambd }) => (x > lambd ? x - lambd : x < -lambd ? x + lambd : x * 0),
  backward: (g, x, _y, attrs) => softshrinkBackward(g, x, attrs),
  rule: (G, x, { lambd }) => `${G} · [|${x}| > ${lambd}]`,
});

const hardshrinkOp = defineUnary<LambdAttrs>({
  name: 'hardshrink',
  // hardshrink_kernel
  f: (x, { lambd }) => (x >= -lambd && x <= lambd ? 0 : x),
  backward: (g, x, _y, attrs) => hardshrinkBackward(g, x, attrs),
  rule: (G, x, { lambd }) => `${G} · [|${x}| > ${lambd}]`,
});

export const softshrink = elementwise({
  name: 'softshrink',
  summary: 'shrinks x towards 0 by lambd, 0 inside [-lambd, lambd]',
  torch: 'torch.nn.functional.softshrink(input, lambd=0.5)',
  params: [{ name: 'lambd', type: 'number', default: 0.5, doc: 'half-width of the dead zone (at least 0, finite)' }],
  formula: { value: 'softshrink(x) = x - lambd if x > lambd, x + lambd if x < -lambd, else 0', derivative: "softshrink'(x) = 0 if -lambd ≤ x ≤ lambd, else 1" },
  kinks:
    "softshrink'(±lambd) = 0 (PyTorch's backward zeroes the closed interval, selecting: an infinite upstream gradient " +
    'gives 0 there); the second derivative is 0 everywhere.',
  example: 'softshrink -1 -0.5 0 0.5 1 --grad',
  check: (a) => {
    // softshrink's meta function: "lambda must be in range [0, <largest double>] for input dtype Double"
    const lambd = num(a, 'lambd');
    if (!(lambd >= 0 && lambd <= Number.MAX_VALUE)) throw new ArgumentError((name) => `${name('lambd')} must be a number from 0 up (finite), not ${lambd}`);
  },
  forward: (x, a) => apply(softshrinkOp, [x], { lambd: num(a, 'lambd') }),
});

export const hardshrink = elementwise({
  name: 'hardshrink',
  summary: 'x outside [-lambd, lambd], 0 inside',
  torch: 'torch.nn.functional.hardshrink(input, lambd=0.5)',
  params: [{ name: 'lambd', type: 'number', default: 0.5, doc: 'half-width of the dead zone' }],
  formula: { value: 'hardshrink(x) = x if |x| > lambd, else 0', derivative: "hardshrink'(x) = 1 if |x| > lambd, else 0" },
  kinks:
    "hardshrink'(±lambd) = 0, and the value there is 0 (the jump is not differentiated); the second derivative is 0 " +
    'everywhere. PyTorch accepts a negative lambd here (unlike softshrink), which makes hardshrink the identity.',
  example: 'hardshrink -1 -0.5 0 0.5 1 --grad',
  forward: (x, a) => apply(hardshrinkOp, [x], { lambd: num(a, 'lambd') }),
});
