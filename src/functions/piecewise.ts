/**
 * Piecewise-linear activations and their kinks. The derivative at each kink is PyTorch 2.11's
 * (the backward kernels in aten/src/ATen/native/cpu/Activation.cpp and derivatives.yaml).
 */
import type { ElementwiseFn, Params } from './types';

const num = (p: Params, name: string): number => p[name] as number;

export const step: ElementwiseFn = {
  kind: 'elementwise',
  name: 'step',
  aliases: ['heaviside'],
  summary: 'Heaviside step: 0 for x < 0, 1 for x > 0',
  torch: 'torch.heaviside(x, torch.tensor(at_zero))',
  params: [{ name: 'at_zero', type: 'number', default: 0, doc: 'value at x = 0' }],
  formula: { value: 'step(x) = 0 if x < 0, at_zero if x = 0, 1 if x > 0', derivative: "step'(x) = 0" },
  kinks: 'PyTorch defines no derivative for heaviside; actgrad uses 0 everywhere, including at x = 0 (the jump).',
  example: 'step -1 0 2 --at-zero 0.5',
  f: (x, p) => (x > 0 ? 1 : x < 0 ? 0 : num(p, 'at_zero')),
  df: () => 0,
};

export const relu: ElementwiseFn = {
  kind: 'elementwise',
  name: 'relu',
  summary: 'rectified linear unit max(0, x)',
  torch: 'torch.nn.functional.relu(x)',
  params: [],
  formula: { value: 'relu(x) = max(0, x)', derivative: "relu'(x) = 1 if x > 0, else 0" },
  kinks: "relu'(0) = 0 (PyTorch's threshold_backward passes the gradient only where x > 0).",
  example: 'relu -1 0 2.5 --grad',
  f: (x) => (x > 0 ? x : 0),
  df: (x) => (x > 0 ? 1 : 0),
};

export const relu6: ElementwiseFn = {
  kind: 'elementwise',
  name: 'relu6',
  summary: 'ReLU capped at 6: min(max(0, x), 6)',
  torch: 'torch.nn.functional.relu6(x)',
  params: [],
  formula: { value: 'relu6(x) = min(max(0, x), 6)', derivative: "relu6'(x) = 1 if 0 < x < 6, else 0" },
  kinks: "relu6'(0) = relu6'(6) = 0 (relu6 is hardtanh(x, 0, 6); its backward is 0 at both edges).",
  example: 'relu6 -1 3 6 7 --grad',
  f: (x) => Math.min(Math.max(x, 0), 6),
  df: (x) => (x > 0 && x < 6 ? 1 : 0),
};

export const leakyRelu: ElementwiseFn = {
  kind: 'elementwise',
  name: 'leaky-relu',
  summary: 'x for x > 0, negative_slope·x otherwise',
  torch: 'torch.nn.functional.leaky_relu(x, negative_slope)',
  params: [{ name: 'negative_slope', type: 'number', default: 0.01, doc: 'slope for x ≤ 0' }],
  formula: { value: 'leaky_relu(x) = x if x > 0, else negative_slope·x', derivative: "leaky_relu'(x) = 1 if x > 0, else negative_slope" },
  kinks: "leaky_relu'(0) = negative_slope (PyTorch's backward tests x > 0).",
  example: 'leaky-relu -2 0 2 --negative-slope 0.2 --grad',
  f: (x, p) => (x > 0 ? x : x * num(p, 'negative_slope')),
  df: (x, _y, p) => (x > 0 ? 1 : num(p, 'negative_slope')),
};

export const prelu: ElementwiseFn = {
  kind: 'elementwise',
  name: 'prelu',
  summary: 'parametric ReLU: x for x > 0, weight·x otherwise',
  torch: 'torch.nn.functional.prelu(x, torch.tensor([weight]))',
  params: [{ name: 'weight', type: 'number', default: 0.25, doc: 'slope for x ≤ 0 (nn.PReLU initialises it to 0.25)' }],
  formula: { value: 'prelu(x) = x if x > 0, else weight·x', derivative: "prelu'(x) = 1 if x > 0, else weight" },
  kinks: "prelu'(0) = weight (PyTorch's backward tests x > 0). The gradient with respect to weight is not computed.",
  example: 'prelu -2 0 2 --weight 0.1 --grad',
  f: (x, p) => (x > 0 ? x : x * num(p, 'weight')),
  df: (x, _y, p) => (x > 0 ? 1 : num(p, 'weight')),
};

export const hardtanh: ElementwiseFn = {
  kind: 'elementwise',
  name: 'hardtanh',
  summary: 'x clamped to [min_val, max_val]',
  torch: 'torch.nn.functional.hardtanh(x, min_val, max_val)',
  params: [
    { name: 'min_val', type: 'number', default: -1, doc: 'lower edge' },
    { name: 'max_val', type: 'number', default: 1, doc: 'upper edge' },
  ],
  formula: { value: 'hardtanh(x) = min(max(x, min_val), max_val)', derivative: "hardtanh'(x) = 1 if min_val < x < max_val, else 0" },
  kinks: "hardtanh' is 0 at both edges x = min_val and x = max_val (PyTorch's hardtanh_backward).",
  example: 'hardtanh -2 -1 0 1 2 --grad',
  checkParams: (p) =>
    num(p, 'max_val') < num(p, 'min_val') ? `--max-val (${num(p, 'max_val')}) must be at least --min-val (${num(p, 'min_val')})` : undefined,
  f: (x, p) => Math.min(Math.max(x, num(p, 'min_val')), num(p, 'max_val')),
  df: (x, _y, p) => (x > num(p, 'min_val') && x < num(p, 'max_val') ? 1 : 0),
};

/** PyTorch's hardsigmoid_backward multiplies by 1.0f/6.0f, a float32 constant, also in float64. */
const ONE_SIXTH_FLOAT32 = Math.fround(1 / 6);

export const hardsigmoid: ElementwiseFn = {
  kind: 'elementwise',
  name: 'hardsigmoid',
  summary: 'piecewise-linear sigmoid relu6(x + 3)/6',
  torch: 'torch.nn.functional.hardsigmoid(x)',
  params: [],
  formula: { value: 'hardsigmoid(x) = min(max(x + 3, 0), 6) / 6', derivative: "hardsigmoid'(x) = 1/6 if -3 < x < 3, else 0" },
  kinks:
    "hardsigmoid' is 0 at x = ±3. Inside (-3, 3) PyTorch's backward multiplies by the float32 constant 1.0f/6.0f, " +
    'so the float64 derivative is 0.1666666716337204, not 1/6; actgrad returns the same.',
  example: 'hardsigmoid -4 -3 0 3 --grad',
  f: (x) => Math.min(Math.max(x + 3, 0), 6) / 6,
  df: (x) => (x > -3 && x < 3 ? ONE_SIXTH_FLOAT32 : 0),
};

export const hardswish: ElementwiseFn = {
  kind: 'elementwise',
  name: 'hardswish',
  summary: 'x·relu6(x + 3)/6',
  torch: 'torch.nn.functional.hardswish(x)',
  params: [],
  formula: { value: 'hardswish(x) = x·min(max(x + 3, 0), 6) / 6', derivative: "hardswish'(x) = 0 if x ≤ -3, x/3 + 1/2 if -3 < x < 3, 1 if x ≥ 3" },
  kinks: "hardswish'(-3) = 0 and hardswish'(3) = 1, as in PyTorch 2.11 (releases before 1.13 gave -0.5 and 1.5).",
  example: 'hardswish -3 0 3 --grad',
  f: (x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6,
  df: (x) => (x > -3 && x < 3 ? x / 3 + 0.5 : x >= 3 ? 1 : 0),
};

const checkLambd = (p: Params): string | undefined =>
  num(p, 'lambd') < 0 ? `--lambd must be at least 0, got ${num(p, 'lambd')}` : undefined;

export const softshrink: ElementwiseFn = {
  kind: 'elementwise',
  name: 'softshrink',
  summary: 'shrinks x towards 0 by lambd, 0 inside [-lambd, lambd]',
  torch: 'torch.nn.functional.softshrink(x, lambd)',
  params: [{ name: 'lambd', type: 'number', default: 0.5, doc: 'half-width of the dead zone' }],
  formula: { value: 'softshrink(x) = x - lambd if x > lambd, x + lambd if x < -lambd, else 0', derivative: "softshrink'(x) = 0 if -lambd ≤ x ≤ lambd, else 1" },
  kinks: "softshrink'(±lambd) = 0 (PyTorch's backward zeroes the closed interval).",
  example: 'softshrink -1 -0.5 0 0.5 1 --grad',
  checkParams: checkLambd,
  f: (x, p) => {
    const l = num(p, 'lambd');
    return x > l ? x - l : x < -l ? x + l : 0;
  },
  df: (x, _y, p) => (x >= -num(p, 'lambd') && x <= num(p, 'lambd') ? 0 : 1),
};

export const hardshrink: ElementwiseFn = {
  kind: 'elementwise',
  name: 'hardshrink',
  summary: 'x outside [-lambd, lambd], 0 inside',
  torch: 'torch.nn.functional.hardshrink(x, lambd)',
  params: [{ name: 'lambd', type: 'number', default: 0.5, doc: 'half-width of the dead zone' }],
  formula: { value: 'hardshrink(x) = x if |x| > lambd, else 0', derivative: "hardshrink'(x) = 1 if |x| > lambd, else 0" },
  kinks: "hardshrink'(±lambd) = 0, and the value there is 0 (the jump is not differentiated).",
  example: 'hardshrink -1 -0.5 0 0.5 1 --grad',
  checkParams: checkLambd,
  f: (x, p) => (x >= -num(p, 'lambd') && x <= num(p, 'lambd') ? 0 : x),
  df: (x, _y, p) => (x >= -num(p, 'lambd') && x <= num(p, 'lambd') ? 0 : 1),
};

export const threshold: ElementwiseFn = {
  kind: 'elementwise',
  name: 'threshold',
  summary: 'x where x > threshold, value elsewhere',
  torch: 'torch.nn.functional.threshold(x, threshold, value)',
  params: [
    { name: 'threshold', type: 'number', required: true, doc: 'the cut-off (required)' },
    { name: 'value', type: 'number', required: true, doc: 'the replacement at or below the cut-off (required)' },
  ],
  formula: { value: 'threshold(x) = x if x > threshold, else value', derivative: "threshold'(x) = 1 if x > threshold, else 0" },
  kinks: "threshold'(threshold) = 0; the jump from value to threshold is not differentiated.",
  example: 'threshold -1 0.5 2 --threshold 0.5 --value -1 --grad',
  f: (x, p) => (x > num(p, 'threshold') ? x : num(p, 'value')),
  df: (x, _y, p) => (x > num(p, 'threshold') ? 1 : 0),
};
