/**
 * Smooth activations: the logistic and tanh family, softplus, the exponential linear units and
 * GELU. Derivatives are written in the stable form (σ(x)·σ(−x), sech² through e^(−2|u|)) so that
 * they keep their relative precision where the textbook forms round to 0 or overflow.
 */
import { erfc, INV_SQRT_2PI, sech2, sigmoid as logistic, softplus as softplusFn, SQRT1_2 } from '../math';
import type { ElementwiseFn, Params } from './types';

const num = (p: Params, name: string): number => p[name] as number;

export const sigmoid: ElementwiseFn = {
  kind: 'elementwise',
  name: 'sigmoid',
  aliases: ['logistic'],
  summary: 'logistic function 1/(1 + e^-x)',
  torch: 'torch.sigmoid(x)',
  params: [],
  formula: { value: 'σ(x) = 1 / (1 + e^(-x))', derivative: "σ'(x) = σ(x)·(1 - σ(x)) = σ(x)·σ(-x)" },
  kinks:
    "No kinks. σ'(x) is computed as σ(x)·σ(−x), so it stays exact at saturation (σ'(100) = 3.7e-44) where " +
    "PyTorch's y·(1 − y) rounds to 0 for |x| > 37; both agree within 1e-12 absolute.",
  example: 'sigmoid -100 0 100 --grad',
  f: (x) => logistic(x),
  // σ(x)·σ(−x): no cancellation in 1 − σ(x) for large x.
  df: (x, y) => y * logistic(-x),
};

export const tanh: ElementwiseFn = {
  kind: 'elementwise',
  name: 'tanh',
  summary: 'hyperbolic tangent',
  torch: 'torch.tanh(x)',
  params: [],
  formula: { value: 'tanh(x) = (e^x - e^(-x)) / (e^x + e^(-x))', derivative: "tanh'(x) = 1 - tanh²(x) = sech²(x)" },
  kinks: "No kinks. tanh'(x) is computed as 4e^(−2|x|)/(1 + e^(−2|x|))², exact at saturation where 1 − tanh² rounds to 0 (|x| > 19).",
  example: 'tanh -20 0 20 --grad',
  f: (x) => Math.tanh(x),
  df: (x) => sech2(x),
};

export const logsigmoid: ElementwiseFn = {
  kind: 'elementwise',
  name: 'logsigmoid',
  summary: 'log σ(x) = -softplus(-x)',
  torch: 'torch.nn.functional.logsigmoid(x)',
  params: [],
  formula: { value: 'logsigmoid(x) = log σ(x) = -log(1 + e^(-x))', derivative: "logsigmoid'(x) = σ(-x) = 1 - σ(x)" },
  kinks: 'No kinks. Computed as −softplus(−x) = −(max(−x, 0) + log1p(e^(−|x|))): finite for x = −1000 (−1000), where log(σ(x)) would give −inf.',
  example: 'logsigmoid -1000 0 1000 --grad',
  f: (x) => -softplusFn(-x),
  df: (x) => logistic(-x),
};

export const softplus: ElementwiseFn = {
  kind: 'elementwise',
  name: 'softplus',
  summary: 'smooth ReLU log(1 + e^(βx))/β, linear above the threshold',
  torch: 'torch.nn.functional.softplus(x, beta, threshold)',
  params: [
    { name: 'beta', type: 'number', default: 1, doc: 'sharpness β' },
    { name: 'threshold', type: 'number', default: 20, doc: 'above β·x > threshold the function is x' },
  ],
  formula: {
    value: 'softplus(x) = x if β·x > threshold, else log(1 + e^(β·x)) / β',
    derivative: "softplus'(x) = 1 if β·x > threshold, else σ(β·x)",
  },
  kinks:
    "Switches to x (derivative 1) where β·x > threshold, as PyTorch does; at β·x = threshold the smooth branch is used. " +
    'The smooth branch is evaluated as max(βx, 0) + log1p(e^(−|βx|)), which cannot overflow even with a large threshold.',
  example: 'softplus -2 0 2 --beta 2 --grad',
  checkParams: (p) => (num(p, 'beta') === 0 ? '--beta must not be 0 (softplus divides by it)' : undefined),
  f: (x, p) => {
    const bx = num(p, 'beta') * x;
    return bx > num(p, 'threshold') ? x : softplusFn(bx) / num(p, 'beta');
  },
  df: (x, _y, p) => {
    const bx = num(p, 'beta') * x;
    return bx > num(p, 'threshold') ? 1 : logistic(bx);
  },
};

export const softsign: ElementwiseFn = {
  kind: 'elementwise',
  name: 'softsign',
  summary: 'x/(1 + |x|)',
  torch: 'torch.nn.functional.softsign(x)',
  params: [],
  formula: { value: 'softsign(x) = x / (1 + |x|)', derivative: "softsign'(x) = 1 / (1 + |x|)²" },
  kinks: "No kinks: softsign' is continuous at 0 (value 1).",
  example: 'softsign -2 0 2 --grad',
  f: (x) => x / (1 + Math.abs(x)),
  df: (x) => 1 / ((1 + Math.abs(x)) * (1 + Math.abs(x))),
};

/** x − tanh(x) = x³/3 − 2x⁵/15 + 17x⁷/315 − …, for |x| < 0.05 where the subtraction cancels. */
const TANHSHRINK_SERIES = [1 / 3, -2 / 15, 17 / 315, -62 / 2835, 1382 / 155925, -21844 / 6081075];

export const tanhshrink: ElementwiseFn = {
  kind: 'elementwise',
  name: 'tanhshrink',
  summary: 'x - tanh(x)',
  torch: 'torch.nn.functional.tanhshrink(x)',
  params: [],
  formula: { value: 'tanhshrink(x) = x - tanh(x)', derivative: "tanhshrink'(x) = tanh²(x)" },
  kinks: 'No kinks. Near 0 the value comes from the Taylor series x³/3 − 2x⁵/15 + …, where x − tanh(x) would cancel.',
  example: 'tanhshrink -1 0.001 1 --grad',
  f: (x) => {
    if (Math.abs(x) >= 0.05) return x - Math.tanh(x);
    const x2 = x * x;
    let s = 0;
    for (let i = TANHSHRINK_SERIES.length - 1; i >= 0; i--) s = s * x2 + TANHSHRINK_SERIES[i];
    return s * x2 * x;
  },
  df: (x) => Math.tanh(x) * Math.tanh(x),
};

export const silu: ElementwiseFn = {
  kind: 'elementwise',
  name: 'silu',
  aliases: ['swish'],
  summary: 'sigmoid-weighted linear unit x·σ(x)',
  torch: 'torch.nn.functional.silu(x)',
  params: [],
  formula: { value: 'silu(x) = x·σ(x)', derivative: "silu'(x) = σ(x)·(1 + x·(1 - σ(x)))" },
  kinks: 'No kinks. 1 − σ(x) is computed as σ(−x).',
  example: 'silu -1 0 1 --grad',
  f: (x) => x * logistic(x),
  df: (x) => logistic(x) * (1 + x * logistic(-x)),
};

export const mish: ElementwiseFn = {
  kind: 'elementwise',
  name: 'mish',
  summary: 'x·tanh(softplus(x))',
  torch: 'torch.nn.functional.mish(x)',
  params: [],
  formula: { value: 'mish(x) = x·tanh(softplus(x))', derivative: "mish'(x) = tanh(softplus(x)) + x·σ(x)·sech²(softplus(x))" },
  kinks: 'No kinks.',
  example: 'mish -1 0 1 --grad',
  f: (x) => x * Math.tanh(softplusFn(x)),
  df: (x) => {
    const sp = softplusFn(x);
    return Math.tanh(sp) + x * logistic(x) * sech2(sp);
  },
};

export const elu: ElementwiseFn = {
  kind: 'elementwise',
  name: 'elu',
  summary: 'exponential linear unit',
  torch: 'torch.nn.functional.elu(x, alpha)',
  params: [{ name: 'alpha', type: 'number', default: 1, doc: 'scale of the negative branch' }],
  formula: { value: 'elu(x) = x if x > 0, else alpha·(e^x - 1)', derivative: "elu'(x) = 1 if x > 0, else alpha·e^x" },
  kinks: "elu'(0) = alpha (PyTorch's elu_backward uses the negative branch for x ≤ 0). e^x − 1 is computed with expm1.",
  example: 'elu -1 0 1 --alpha 0.5 --grad',
  f: (x, p) => (x > 0 ? x : num(p, 'alpha') * Math.expm1(x)),
  df: (x, _y, p) => (x > 0 ? 1 : num(p, 'alpha') * Math.exp(x)),
};

/** SELU's constants, as in PyTorch (Klambauer et al. 2017). */
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

export const selu: ElementwiseFn = {
  kind: 'elementwise',
  name: 'selu',
  summary: 'scaled ELU with fixed alpha and scale',
  torch: 'torch.nn.functional.selu(x)',
  params: [],
  formula: {
    value: 'selu(x) = scale·x if x > 0, else scale·alpha·(e^x - 1); alpha = 1.6732632423543772, scale = 1.0507009873554805',
    derivative: "selu'(x) = scale if x > 0, else scale·alpha·e^x",
  },
  kinks: "selu'(0) = scale·alpha = 1.7580993408473766 (the negative branch, as in PyTorch).",
  example: 'selu -1 0 1 --grad',
  f: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
  df: (x) => SELU_SCALE * (x > 0 ? 1 : SELU_ALPHA * Math.exp(x)),
};

export const celu: ElementwiseFn = {
  kind: 'elementwise',
  name: 'celu',
  summary: 'continuously differentiable ELU',
  torch: 'torch.nn.functional.celu(x, alpha)',
  params: [{ name: 'alpha', type: 'number', default: 1, doc: 'scale of the negative branch (not 0)' }],
  formula: { value: 'celu(x) = x if x > 0, else alpha·(e^(x/alpha) - 1)', derivative: "celu'(x) = 1 if x > 0, else e^(x/alpha)" },
  kinks: "celu'(0) = 1 from both sides.",
  example: 'celu -1 0 1 --alpha 2 --grad',
  checkParams: (p) => (num(p, 'alpha') === 0 ? '--alpha must not be 0 for celu (it divides by alpha)' : undefined),
  f: (x, p) => (x > 0 ? x : num(p, 'alpha') * Math.expm1(x / num(p, 'alpha'))),
  df: (x, _y, p) => (x > 0 ? 1 : Math.exp(x / num(p, 'alpha'))),
};

/** √(2/π), computed as PyTorch's kBeta = M_SQRT2 · M_2_SQRTPI · 0.5. */
const GELU_BETA = Math.SQRT2 * (2 / Math.sqrt(Math.PI)) * 0.5;
const GELU_KAPPA = 0.044715;

export const gelu: ElementwiseFn = {
  kind: 'elementwise',
  name: 'gelu',
  summary: 'Gaussian error linear unit x·Φ(x), exact or tanh approximation',
  torch: "torch.nn.functional.gelu(x, approximate='none'|'tanh')",
  params: [{ name: 'approximate', type: 'choice', default: 'none', choices: ['none', 'tanh'], doc: "'none': exact, with erf; 'tanh': the tanh approximation" }],
  formula: {
    value: "gelu(x) = x·Φ(x) = x·(1 + erf(x/√2))/2;  tanh: x·(1 + tanh(u))/2, u = √(2/π)·(x + 0.044715x³)",
    derivative: "gelu'(x) = Φ(x) + x·φ(x), φ(x) = e^(-x²/2)/√(2π);  tanh: (1 + tanh u)/2 + x/2·sech²(u)·√(2/π)·(1 + 3·0.044715x²)",
  },
  kinks:
    'No kinks. Φ(x) is computed as erfc(−x/√2)/2 with an fdlibm-accurate erfc, so gelu stays precise for very negative x; ' +
    '(1 + tanh u)/2 is computed as σ(2u).',
  example: 'gelu -1 0 1 --approximate tanh --grad',
  f: (x, p) => {
    if (p.approximate === 'tanh') {
      const u = GELU_BETA * (x + GELU_KAPPA * x * x * x);
      return x * logistic(2 * u);
    }
    return x * 0.5 * erfc(-x * SQRT1_2);
  },
  df: (x, _y, p) => {
    if (p.approximate === 'tanh') {
      const u = GELU_BETA * (x + GELU_KAPPA * x * x * x);
      const s = sech2(u);
      // s = 0 once |u| is large; skip the product, whose last factor overflows for |x| > 1e154.
      return logistic(2 * u) + (s === 0 ? 0 : 0.5 * x * s * GELU_BETA * (1 + 3 * GELU_KAPPA * x * x));
    }
    const cdf = 0.5 * erfc(-x * SQRT1_2);
    return cdf + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
  },
};
