/**
 * Smooth activations: the logistic and tanh family, softplus, the exponential linear units, GELU,
 * SiLU and Mish. Each forward kernel is PyTorch's (aten/src/ATen/native/cpu/Activation.cpp,
 * Elu.h, Gelu.h); where PyTorch's backward is an op of its own (softplus_backward, elu_backward,
 * gelu_backward, log_sigmoid_backward) it is one here too, computed from the same quantity and in
 * the same order as PyTorch's kernel, and its own backward is that op's entry in
 * tools/autograd/derivatives.yaml, so second and third derivatives follow PyTorch's double
 * backward. Functions that PyTorch composes from other ops (softsign, tanhshrink, selu) are
 * composed the same way here.
 */
import {
  abs,
  add,
  binaryKernel,
  constant,
  cosh,
  type BackwardFn,
  defineBackwardOp,
  defineUnary,
  div,
  exp,
  log1p,
  lt,
  mul,
  neg,
  pow,
  sigmoid as sigmoidOf,
  sigmoidBackward,
  sigmoidScalar,
  sub,
  tanh as tanhOf,
} from '../autograd/elementwise';
import { apply, isGradEnabled, type Var } from '../autograd/var';
import { erf as erfScalar } from '../math';
import { choice, elementwise, num } from './common';
import { ArgumentError } from './types';

/**
 * A fused backward kernel that PyTorch runs only with grad mode off (silu_backward, mish_backward):
 * nothing is recorded then, so its result is a constant.
 */
const numericBackward = (name: string, g: Var, x: Var, f: (g: number, x: number) => number): Var => constant(binaryKernel(name, g.value, x.value, f));

// C's <math.h> constants, as PyTorch's kernels spell them (M_2_SQRTPI is 2/√π rounded once).
const M_2_SQRTPI = 1.1283791670955126;
const M_SQRT1_2 = Math.SQRT1_2;
const M_SQRT2 = Math.SQRT2;

// ---------------------------------------------------------------------------------------------
// sigmoid, tanh (their ops and backward ops live in autograd/elementwise.ts)
// ---------------------------------------------------------------------------------------------

export const sigmoid = elementwise({
  name: 'sigmoid',
  aliases: ['logistic'],
  summary: 'logistic function 1/(1 + e^-x)',
  torch: 'torch.sigmoid(input)',
  formula: { value: 'σ(x) = 1 / (1 + e^(-x))', derivative: "σ'(x) = σ(x)·(1 - σ(x))" },
  kinks:
    "No kinks. The derivative is PyTorch's sigmoid_backward, y·(1 − y) from the output y, so it is exactly 0 for x > 36.74, where y rounds to 1 " +
    "(the exact σ'(100) is 3.7e-44) and a composed gradient such as bce(sigmoid(z), y) agrees with PyTorch at saturation. " +
    "σ'' and higher orders differentiate that formula (derivatives.yaml: sigmoid_backward's output entry, grad·grad_output·(1 − 2y)).",
  example: 'sigmoid -100 0 100 --grad',
  mistakes: [
    {
      kind: 'derivative-of-input',
      derivative: (x) => x * (1 - x),
      hint: "σ'(x) was computed as x(1 − x): it is σ(x)(1 − σ(x)), the formula applied to σ(x), not to x",
    },
  ],
  forward: (x) => sigmoidOf(x),
});

export const tanh = elementwise({
  name: 'tanh',
  summary: 'hyperbolic tangent',
  torch: 'torch.tanh(input)',
  formula: { value: 'tanh(x) = (e^x - e^(-x)) / (e^x + e^(-x))', derivative: "tanh'(x) = 1 - tanh²(x)" },
  kinks:
    "No kinks. The derivative is PyTorch's tanh_backward, 1 − y² from the output y. PyTorch's tanh (SLEEF's) is exactly ±1 " +
    'for |x| > 18.714973875, so the derivative is exactly 0 there (the exact value is below 2.3e-16): sum(tanh(x))·1e16 at ' +
    'x = 19 has gradient 0, as in PyTorch. ' +
    "tanh'' = −2y(1 − y²) comes from tanh_backward's own derivative (derivatives.yaml).",
  example: 'tanh -20 0 20 --grad',
  mistakes: [
    {
      kind: 'derivative-of-input',
      derivative: (x) => 1 - x * x,
      hint: "tanh'(x) was computed as 1 − x²: it is 1 − tanh²(x), the formula applied to tanh(x), not to x",
    },
  ],
  forward: (x) => tanhOf(x),
});

// ---------------------------------------------------------------------------------------------
// softplus
// ---------------------------------------------------------------------------------------------

interface SoftplusAttrs {
  beta: number;
  threshold: number;
}

// softplus_kernel: x where x·β > threshold, else log1p(exp(x·β))/β (which overflows to inf for
// x·β > 709 when the threshold is raised that far, as PyTorch's does).
const softplusScalar = (x: number, { beta, threshold }: SoftplusAttrs): number => (x * beta > threshold ? x : Math.log1p(Math.exp(x * beta)) / beta);

// softplus_backward_kernel: z = exp(x·β); g where x·β > threshold, else g·z/(z + 1).
const softplusBackward = defineBackwardOp<SoftplusAttrs>({
  name: 'softplus_backward',
  f: (g, x, { beta, threshold }) => {
    const z = Math.exp(x * beta);
    return x * beta > threshold ? g : (g * z) / (z + 1);
  },
  // softplus_double_backward(grad * grad_output, self, beta, threshold) (FunctionsManual.cpp):
  // sigmoid_backward(h, sigmoid(x·β)) · (x·β < threshold) · β; the mask multiplies (NaN stays NaN).
  input: (gg, g, x, { beta, threshold }) => {
    const xb = mul(x, beta);
    return mul(mul(sigmoidBackward(mul(gg, g), sigmoidOf(xb), undefined), lt(xb, threshold)), beta);
  },
});

const softplusOp = defineUnary<SoftplusAttrs>({
  name: 'softplus',
  f: softplusScalar,
  backward: (g, x, _y, attrs) => softplusBackward(g, x, attrs),
  rule: (G, x, { beta }) => `${G} · σ(${beta}·${x})`,
});

export const softplus = elementwise({
  name: 'softplus',
  summary: 'smooth ReLU log(1 + e^(βx))/β, linear above the threshold',
  torch: 'torch.nn.functional.softplus(input, beta=1.0, threshold=20.0)',
  params: [
    { name: 'beta', type: 'number', default: 1, doc: 'sharpness β' },
    { name: 'threshold', type: 'number', default: 20, doc: 'above β·x > threshold the function is x' },
  ],
  formula: {
    value: 'softplus(x) = x if β·x > threshold, else log(1 + e^(β·x)) / β',
    derivative: "softplus'(x) = 1 if β·x > threshold, else e^(βx)/(e^(βx) + 1) = σ(β·x)",
  },
  kinks:
    "Switches to x (derivative 1) where β·x > threshold, as PyTorch's kernel does; at β·x = threshold exactly the smooth " +
    "branch is used. The value is log1p(e^(βx))/β and the derivative PyTorch's softplus_backward, z/(z + 1) with z = e^(βx). " +
    "The second derivative is PyTorch's softplus_double_backward, β·σ(βx)(1 − σ(βx)) where β·x < threshold and 0 from " +
    "β·x = threshold on (so it is 0 at the switch itself). beta = 0 is allowed, as in PyTorch (the value is then inf).",
  example: 'softplus -2 0 2 --beta 2 --grad',
  forward: (x, a) => apply(softplusOp, [x], { beta: num(a, 'beta'), threshold: num(a, 'threshold') }),
});

// ---------------------------------------------------------------------------------------------
// logsigmoid
// ---------------------------------------------------------------------------------------------

// log_sigmoid_cpu_kernel saves the buffer e^(−|x|) and returns min(x, 0) − log1p(buffer): finite
// for every finite x (logsigmoid(−1000) = −1000), where log(σ(x)) would give −inf.
const logSigmoidBuffer = (x: number): number => Math.exp(-Math.abs(x));

// log_sigmoid_backward_cpu_kernel(self, buffer, grad_output); the buffer is recomputed from x,
// which gives the number log_sigmoid_forward saved.
const logSigmoidBackward = defineBackwardOp<undefined>({
  name: 'log_sigmoid_backward',
  f: (g, x) => {
    const b = logSigmoidBuffer(x);
    const inNegative = x < 0;
    const maxDeriv = inNegative ? 1 : 0;
    const sign = inNegative ? 1 : -1;
    return (maxDeriv - sign * (b / (1 + b))) * g;
  },
  // log_sigmoid_double_backward(grad * grad_output, self) = h·(σ(x) − 1)·σ(x)
  input: (gg, g, x) => {
    const z = sigmoidOf(x);
    return mul(mul(mul(gg, g), sub(z, 1)), z);
  },
});

const logSigmoidOp = defineUnary({
  name: 'logsigmoid',
  f: (x) => Math.min(x, 0) - Math.log1p(logSigmoidBuffer(x)),
  backward: (g, x) => logSigmoidBackward(g, x, undefined),
  rule: (G, x) => `${G} · σ(-${x})`,
});

/** log σ(x), PyTorch's log_sigmoid with its backward and double backward (also used by the losses that PyTorch builds on it). */
export const logSigmoid = (x: Var): Var => apply(logSigmoidOp, [x], undefined);

export const logsigmoid = elementwise({
  name: 'logsigmoid',
  summary: 'log σ(x) = -softplus(-x)',
  torch: 'torch.nn.functional.logsigmoid(input)',
  formula: { value: 'logsigmoid(x) = log σ(x) = min(x, 0) - log(1 + e^(-|x|))', derivative: "logsigmoid'(x) = σ(-x) = 1 - σ(x)" },
  kinks:
    'No kinks. Computed as PyTorch does, min(x, 0) − log1p(e^(−|x|)): finite for x = −1000 (−1000), where log(σ(x)) would ' +
    "give −inf. The derivative is PyTorch's log_sigmoid_backward from the buffer b = e^(−|x|): 1 − b/(1 + b) for x < 0, " +
    'b/(1 + b) for x ≥ 0; the second derivative its log_sigmoid_double_backward, (σ(x) − 1)·σ(x).',
  example: 'logsigmoid -1000 0 1000 --grad',
  forward: (x) => logSigmoid(x),
});

// ---------------------------------------------------------------------------------------------
// softsign, tanhshrink: composed as torch/nn/functional.py composes them
// ---------------------------------------------------------------------------------------------

export const softsign = elementwise({
  name: 'softsign',
  summary: 'x/(1 + |x|)',
  torch: 'torch.nn.functional.softsign(input)',
  formula: { value: 'softsign(x) = x / (1 + |x|)', derivative: "softsign'(x) = 1 / (1 + |x|)²" },
  kinks:
    "No kinks: softsign' is continuous at 0 (value 1). PyTorch composes it as input / (input.abs() + 1), and so does " +
    "actgrad, so its derivatives are autograd's through / and abs rather than the closed form 1/(1 + |x|)²: they agree to " +
    'rounding except where the quotient rule cancels (at x = 1e8 the first derivative is off by 2e-8 relative, as in ' +
    "PyTorch). At x = 0 abs contributes sign(0) = 0, which makes softsign''(0) = 0 (−2 from the right, 2 from the left).",
  example: 'softsign -2 0 2 --grad',
  forward: (x) => div(x, add(abs(x), 1)),
});

export const tanhshrink = elementwise({
  name: 'tanhshrink',
  summary: 'x - tanh(x)',
  torch: 'torch.nn.functional.tanhshrink(input)',
  formula: { value: 'tanhshrink(x) = x - tanh(x)', derivative: "tanhshrink'(x) = 1 - (1 - tanh²(x)) = tanh²(x)" },
  kinks:
    "No kinks. PyTorch composes it as input − input.tanh(), and so does actgrad: the derivative is 1 − tanh_backward, " +
    'i.e. 1 − (1 − y²), and near 0 the value x − tanh(x) loses relative precision as it does in PyTorch.',
  example: 'tanhshrink -1 0.001 1 --grad',
  forward: (x) => sub(x, tanhOf(x)),
});

// ---------------------------------------------------------------------------------------------
// silu, mish: a fused backward kernel, or the infinitely differentiable composition in grad mode
// ---------------------------------------------------------------------------------------------

// silu_kernel and silu_backward_kernel
const siluScalar = (x: number): number => x / (1 + Math.exp(-x));
const siluBackwardScalar = (g: number, x: number): number => {
  const s = sigmoidScalar(x);
  return g * s * (1 + x * (1 - s));
};

/** FunctionsManual.cpp's infinitely_differentiable_silu_backward: grad·σ·(1 + x·(1 − σ)). */
function infinitelyDifferentiableSiluBackward(g: Var, x: Var): Var {
  const s = sigmoidOf(x);
  return mul(mul(g, s), add(1, mul(x, sub(1, s))));
}

// derivatives.yaml: "GradMode::is_enabled() ? infinitely_differentiable_silu_backward(grad, self)
// : silu_backward(grad, self)": a first derivative comes from the fused kernel, a gradient that
// will be differentiated again (create_graph) from the composition.
const siluOp = defineUnary({
  name: 'silu',
  f: siluScalar,
  backward: (g, x) => (isGradEnabled() ? infinitelyDifferentiableSiluBackward(g, x) : numericBackward('silu_backward', g, x, siluBackwardScalar)),
  rule: (G, x) => `${G} · σ(${x})(1 + ${x}(1 − σ(${x})))`,
});

export const silu = elementwise({
  name: 'silu',
  aliases: ['swish'],
  summary: 'sigmoid-weighted linear unit x·σ(x)',
  torch: 'torch.nn.functional.silu(input)',
  formula: { value: 'silu(x) = x·σ(x) = x / (1 + e^(-x))', derivative: "silu'(x) = σ(x)·(1 + x·(1 - σ(x)))" },
  kinks:
    "No kinks. The first derivative is PyTorch's silu_backward kernel; higher orders differentiate PyTorch's " +
    'infinitely_differentiable_silu_backward, grad·σ·(1 + x·(1 − σ)), as PyTorch does with create_graph.',
  example: 'silu -1 0 1 --grad',
  forward: (x) => apply(siluOp, [x], undefined),
});

// mish_kernel and mish_backward_kernel, with softplus as log1p(exp(x)) (no threshold)
const tanhSoftplusScalar = (x: number): number => Math.tanh(Math.log1p(Math.exp(x)));
const mishBackwardScalar = (g: number, x: number): number => {
  const s = sigmoidScalar(x);
  const t = tanhSoftplusScalar(x);
  return g * (t + x * s * (1 - t * t));
};

/** FunctionsManual.cpp's infinitely_differentiable_mish_backward. */
function infinitelyDifferentiableMishBackward(g: Var, x: Var): Var {
  const s = sigmoidOf(x);
  const t = tanhOf(log1p(exp(x)));
  return mul(g, add(t, mul(mul(x, s), sub(1, mul(t, t)))));
}

const mishOp = defineUnary({
  name: 'mish',
  f: (x) => x * tanhSoftplusScalar(x),
  backward: (g, x) => (isGradEnabled() ? infinitelyDifferentiableMishBackward(g, x) : numericBackward('mish_backward', g, x, mishBackwardScalar)),
  rule: (G, x) => `${G} · (t + ${x}·σ(${x})(1 − t²)), t = tanh(softplus(${x}))`,
});

export const mish = elementwise({
  name: 'mish',
  summary: 'x·tanh(softplus(x))',
  torch: 'torch.nn.functional.mish(input)',
  formula: { value: 'mish(x) = x·tanh(log(1 + e^x))', derivative: "mish'(x) = t + x·σ(x)·(1 - t²), t = tanh(log(1 + e^x))" },
  kinks:
    "No kinks. The first derivative is PyTorch's mish_backward kernel; higher orders differentiate PyTorch's " +
    'infinitely_differentiable_mish_backward, built from sigmoid, exp, log1p and tanh, as PyTorch does with create_graph.',
  example: 'mish -1 0 1 --grad',
  forward: (x) => apply(mishOp, [x], undefined),
});

// ---------------------------------------------------------------------------------------------
// elu, selu, celu: one op, aten::elu(self, alpha, scale, input_scale)
// ---------------------------------------------------------------------------------------------

interface EluAttrs {
  alpha: number;
  scale: number;
  inputScale: number;
}

// elu_backward_kernel with is_result = false (derivatives.yaml passes self for the out-of-place
// functions): x <= 0 ? g·input_scale·(alpha·scale)·e^(x·input_scale) : g·scale.
const eluBackward: BackwardFn<EluAttrs> = defineBackwardOp<EluAttrs>({
  name: 'elu_backward',
  f: (g, x, { alpha, scale, inputScale }) => (x <= 0 ? g * inputScale * (alpha * scale) * Math.exp(x * inputScale) : g * scale),
  // elu_double_backward (FunctionsManual.cpp), is_result = false:
  // elu_backward(grad * grad_output * input_scale, ..., self) * (self < 0), a multiplied mask.
  input: (gg, g, x, attrs) => mul(eluBackward(mul(mul(gg, g), attrs.inputScale), x, attrs), lt(x, 0)),
});

interface EluOpAttrs extends EluAttrs {
  /** The input_scale that the backward formula uses: celu's derivatives.yaml entry passes 1/float32(alpha). */
  backwardInputScale: number;
}

const eluOp = defineUnary<EluOpAttrs>({
  name: 'elu',
  // Elu.h's get_scalar_elu_elementwise_func: x < 0 ? expm1(x·input_scale)·(alpha·scale) : x·scale
  f: (x, { alpha, scale, inputScale }) => (x < 0 ? Math.expm1(x * inputScale) * (alpha * scale) : x * scale),
  backward: (g, x, _y, { alpha, scale, backwardInputScale }) => eluBackward(g, x, { alpha, scale, inputScale: backwardInputScale }),
  rule: (G, x) => `${G} · (scale if ${x} > 0, else alpha·scale·input_scale·e^(input_scale·${x}))`,
});

const eluOf = (x: Var, alpha: number, scale: number, inputScale: number, backwardInputScale = inputScale): Var =>
  apply(eluOp, [x], { alpha, scale, inputScale, backwardInputScale });

export const elu = elementwise({
  name: 'elu',
  summary: 'exponential linear unit',
  torch: 'torch.nn.functional.elu(input, alpha=1.0)',
  params: [{ name: 'alpha', type: 'number', default: 1, doc: 'scale of the negative branch' }],
  formula: { value: 'elu(x) = x if x > 0, else alpha·(e^x - 1)', derivative: "elu'(x) = 1 if x > 0, else alpha·e^x" },
  kinks:
    "elu'(0) = alpha: PyTorch's elu_backward takes the negative branch for x ≤ 0 (so at x = 0 the derivative is 1 only for " +
    "alpha = 1). The second derivative is PyTorch's elu_double_backward, alpha·e^x for x < 0 and 0 for x ≥ 0 (0 at the kink). " +
    'e^x − 1 is computed with expm1, as in PyTorch.',
  example: 'elu -1 0 1 --alpha 0.5 --grad',
  forward: (x, a) => eluOf(x, num(a, 'alpha'), 1, 1),
});

// SELU's constants, aten/src/ATen/native/Activation.cpp (Klambauer et al. 2017)
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

export const selu = elementwise({
  name: 'selu',
  summary: 'scaled ELU with fixed alpha and scale',
  torch: 'torch.nn.functional.selu(input)',
  formula: {
    value: 'selu(x) = scale·x if x > 0, else scale·alpha·(e^x - 1); alpha = 1.6732632423543772, scale = 1.0507009873554805',
    derivative: "selu'(x) = scale if x > 0, else scale·alpha·e^x",
  },
  kinks:
    "PyTorch computes selu as elu(x, alpha, scale), and so does actgrad: selu'(0) = scale·alpha = 1.7580993408473766 (the " +
    'negative branch of elu_backward), and the second derivative is scale·alpha·e^x for x < 0, 0 for x ≥ 0.',
  example: 'selu -1 0 1 --grad',
  forward: (x) => eluOf(x, SELU_ALPHA, SELU_SCALE, 1),
});

export const celu = elementwise({
  name: 'celu',
  summary: 'continuously differentiable ELU',
  torch: 'torch.nn.functional.celu(input, alpha=1.0)',
  params: [{ name: 'alpha', type: 'number', default: 1, doc: 'scale of the negative branch (not 0)' }],
  formula: { value: 'celu(x) = x if x > 0, else alpha·(e^(x/alpha) - 1)', derivative: "celu'(x) = 1 if x > 0, else e^(x/alpha)" },
  kinks:
    "celu'(0) = 1 from both sides in exact arithmetic. PyTorch's backward is elu_backward with input_scale = 1/alpha " +
    'computed from alpha rounded to float32 (derivatives.yaml: 1.0/alpha.toFloat()), while the value uses the exact 1/alpha; ' +
    "actgrad does the same, so celu'(0) with alpha = 0.7 is 0.7/float32(0.7) = 1.0000000170298988, not 1. The second " +
    'derivative is e^(x/alpha)/alpha (with that float32 alpha) for x < 0 and 0 for x ≥ 0.',
  example: 'celu -1 0 1 --alpha 2 --grad',
  check: (a) => {
    // Activation.cpp's celu: TORCH_CHECK(alpha != 0, "ZeroDivisionError: alpha cannot be 0 for CELU")
    if (num(a, 'alpha') === 0) throw new ArgumentError((name) => `${name('alpha')} cannot be 0 for celu (it divides by alpha)`);
  },
  forward: (x, a) => {
    const alpha = num(a, 'alpha');
    return eluOf(x, alpha, 1, 1 / alpha, 1 / Math.fround(alpha));
  },
});

// ---------------------------------------------------------------------------------------------
// gelu
// ---------------------------------------------------------------------------------------------

type Approximate = 'none' | 'tanh';
interface GeluAttrs {
  approximate: Approximate;
}

// Gelu.h's kGeluBeta = √(2/π) and kGeluKappa, in PyTorch's order of evaluation.
const GELU_BETA = M_SQRT2 * M_2_SQRTPI * 0.5;
const GELU_KAPPA = 0.044715;
// GeluBackwardKernelImpl's kBeta = 1/√(2π) for the exact gelu.
const GELU_PDF_SCALE = M_2_SQRTPI * M_SQRT1_2 * 0.5;

const geluScalar = (x: number, { approximate }: GeluAttrs): number => {
  if (approximate === 'tanh') {
    const inner = GELU_BETA * (x + GELU_KAPPA * (x * x * x));
    return 0.5 * x * (1 + Math.tanh(inner));
  }
  return x * 0.5 * (1 + erfScalar(x * M_SQRT1_2));
};

// GeluBackwardKernelImpl, the scalar branches for double.
function geluBackwardScalar(g: number, x: number, { approximate }: GeluAttrs): number {
  if (approximate === 'tanh') {
    const xSq = x * x;
    const xCube = xSq * x;
    const inner = GELU_BETA * (x + GELU_KAPPA * xCube);
    const tanhInner = Math.tanh(inner);
    const left = 0.5 * x;
    const right = 1 + tanhInner;
    const leftDerivative = 0.5 * right;
    const tanhDerivative = 1 - tanhInner * tanhInner;
    const innerDerivative = GELU_BETA * (1 + 3 * GELU_KAPPA * xSq);
    const rightDerivative = left * tanhDerivative * innerDerivative;
    return g * (leftDerivative + rightDerivative);
  }
  const cdf = 0.5 * (1 + erfScalar(x * M_SQRT1_2));
  const pdf = GELU_PDF_SCALE * Math.exp(x * x * -0.5);
  return g * (cdf + x * pdf);
}

/** FunctionsManual.cpp's gelu_double_backward(ggI, gO, input, approximate), op by op. */
function geluDoubleBackward(ggI: Var, gO: Var, x: Var, { approximate }: GeluAttrs): Var {
  if (approximate === 'tanh') {
    const inner = mul(GELU_BETA, add(x, mul(GELU_KAPPA, pow(x, 3))));
    const tanhInner = tanhOf(inner);
    const sechInner = div(1, cosh(inner));
    const f = mul(0.5, x);
    const g = sub(1, mul(tanhInner, tanhInner));
    const h = mul(GELU_BETA, add(1, mul(mul(3 * GELU_KAPPA, x), x)));
    const fPrimeGh = mul(mul(0.5, g), h);
    const gPrime = mul(mul(mul(2, sechInner), mul(neg(sechInner), tanhInner)), h);
    const gPrimeFh = mul(mul(f, h), gPrime);
    const hPrime = mul(mul(6 * GELU_KAPPA, x), GELU_BETA);
    const hPrimeFg = mul(mul(f, g), hPrime);
    return mul(mul(ggI, gO), add(add(mul(2, fPrimeGh), gPrimeFh), hPrimeFg));
  }
  const xSq = mul(x, x);
  const pdf = mul(GELU_PDF_SCALE, exp(mul(-0.5, xSq)));
  return mul(mul(ggI, gO), sub(mul(2, pdf), mul(xSq, pdf)));
}

const geluBackward = defineBackwardOp<GeluAttrs>({
  name: 'gelu_backward',
  f: geluBackwardScalar,
  input: geluDoubleBackward,
});

const geluOp = defineUnary<GeluAttrs>({
  name: 'gelu',
  f: geluScalar,
  backward: (g, x, _y, attrs) => geluBackward(g, x, attrs),
  rule: (G, x, { approximate }) => `${G} · gelu'(${x})${approximate === 'tanh' ? ' (tanh approximation)' : ''}`,
});

export const gelu = elementwise({
  name: 'gelu',
  summary: 'Gaussian error linear unit x·Φ(x), exact or tanh approximation',
  torch: "torch.nn.functional.gelu(input, approximate='none')",
  params: [{ name: 'approximate', type: 'choice', default: 'none', choices: ['none', 'tanh'], doc: "'none': exact, with erf; 'tanh': the tanh approximation" }],
  formula: {
    value: "gelu(x) = x·(1 + erf(x/√2))/2;  tanh: x·(1 + tanh(u))/2, u = √(2/π)·(x + 0.044715x³)",
    derivative: "gelu'(x) = (1 + erf(x/√2))/2 + x·e^(-x²/2)/√(2π);  tanh: (1 + tanh u)/2 + x/2·(1 - tanh²u)·√(2/π)·(1 + 3·0.044715x²)",
  },
  kinks:
    "No kinks. Value, derivative (gelu_backward) and second derivative (gelu_double_backward) are PyTorch's formulas: " +
    '1 + erf(x/√2) rounds to 0 below x ≈ −8.374, so the value is exactly 0 there (the exact value is below 3e-16 in size) while ' +
    "the derivatives keep their x·φ(x) terms; the tanh form's derivative uses 1 − tanh²u, which is 0 once tanh u rounds to ±1. " +
    'Third and higher derivatives differentiate gelu_double_backward, which PyTorch writes with ops (exp, tanh, cosh, pow).',
  example: 'gelu -1 0 1 --approximate tanh --grad',
  forward: (x, a) => apply(geluOp, [x], { approximate: choice(a, 'approximate') as Approximate }),
});
