/**
 * The elementwise functions (src/functions/smooth.ts, piecewise.ts) against values from outside the
 * code: PyTorch's numbers, closed forms of the derivatives, the repros of issues 11 and 13, and
 * properties over every elementwise descriptor (central differences, diagonal Hessians).
 */
import fc from 'fast-check';
import { grad } from '../../src/autograd/engine';
import { div, mul, ones } from '../../src/autograd/elementwise';
import { sum } from '../../src/autograd/reduce';
import { leaf, type Var } from '../../src/autograd/var';
import { computeFunction } from '../../src/commands/function';
import { bindArgs, type RawArg } from '../../src/functions/args';
import { lookup, registry } from '../../src/functions/registry';
import { ArgumentError, type Descriptor } from '../../src/functions/types';
import type { Tensor } from '../../src/tensor';
import { isClose } from '../helpers/close';

type Params = Record<string, RawArg>;

const fnNamed = (name: string): Descriptor => {
  const fn = lookup(name);
  if (!fn) throw new Error(`no function ${name}`);
  return fn;
};
const vector = (xs: readonly number[]): Tensor => ({ shape: [xs.length], data: Float64Array.from(xs) });

/** The k-th derivative (k = 0: the value) of an elementwise function at each x, through computeFunction. */
function derivative(name: string, params: Params, xs: readonly number[], k: number): number[] {
  const r = computeFunction({ fn: fnNamed(name), input: vector(xs), args: params, grad: k > 0, order: k > 1 ? k : undefined });
  return Array.from(k === 0 ? r.value.data : r.grad!.data);
}

/** Each actual number within rtol/atol of the expected one (NaN matches NaN, infinities exactly). */
function expectClose(actual: readonly number[], expected: readonly number[], rtol = 1e-9, atol = 1e-12): void {
  const bad = expected.map((e, i) => (isClose(actual[i], e, rtol, atol) ? '' : `[${i}] actual ${actual[i]}, expected ${e}`)).filter(Boolean);
  expect(bad).toEqual([]);
  expect(actual).toHaveLength(expected.length);
}

// ---------------------------------------------------------------------------------------------
// PyTorch's numbers
// ---------------------------------------------------------------------------------------------

/*
 * Values and derivatives of orders 1 to 3 from PyTorch 1.13 in float64, one element per tensor (so
 * PyTorch's scalar kernels, see piecewise.ts), printed with repr by:
 *
 *   x = torch.tensor([x0], requires_grad=True); y = f(x); cur = y
 *   for k in range(1, order + 1):
 *       g, = torch.autograd.grad(cur.sum(), x, create_graph=k < order, allow_unused=True)
 *       g = torch.zeros(1) if g is None else g; cur = g
 *
 * with f = torch.sigmoid, F.celu(x, 0.7), F.gelu(x, approximate='tanh'), ... as named. Left out:
 * the points where PyTorch 2.11 differs from 1.13 (hardswish' at ±3 is 0 and 1 in 2.11, -0.5 and
 * 1.5 in 1.13; softshrink(NaN) is NaN in 2.11, 0 in 1.13) and hardsigmoid'' (1.13 raises).
 */
const TORCH: readonly [string, Params, { x: number[]; value: number[]; d1: number[]; d2?: number[]; d3?: number[] }][] = [
  ['sigmoid', {}, { x: [-800.0, -40.0, -2.0, 0.0, 0.5, 37.0, 100.0, Infinity, NaN], value: [0.0, 4.248354255291589e-18, 0.11920292202211755, 0.5, 0.6224593312018546, 1.0, 1.0, 1.0, NaN], d1: [0.0, 4.248354255291589e-18, 0.1049935854035065, 0.25, 0.2350037122015945, 0.0, 0.0, 0.0, NaN], d2: [0.0, 4.248354255291589e-18, 0.07996250105615306, 0.0, -0.05755679485232075, -0.0, -0.0, -0.0, NaN], d3: [0.0, 4.248354255291589e-18, 0.03885166754820601, -0.125, -0.09635675628958461, 0.0, 0.0, 0.0, NaN] }],
  ['tanh', {}, { x: [-19.5, -1.0, 0.0, 0.3, 19.5, -Infinity, NaN], value: [-1.0, -0.7615941559557649, 0.0, 0.2913126124515909, 1.0, -1.0, NaN], d1: [0.0, 0.41997434161402614, 1.0, 0.9151369618266292, 0.0, 0.0, NaN], d2: [0.0, 0.6397000084492246, -0.0, -0.5331818782014544, -0.0, 0.0, NaN], d3: [0.0, 0.6216266807712962, -2.0, -1.3643061061011235, 0.0, 0.0, NaN] }],
  ['relu', {}, { x: [-1.0, 0.0, 2.5, NaN], value: [0.0, 0.0, 2.5, NaN], d1: [0.0, 0.0, 1.0, 1.0], d2: [0.0, 0.0, 0.0, 0.0] }],
  ['relu6', {}, { x: [-1.0, 0.0, 3.0, 6.0, 7.0], value: [0.0, 0.0, 3.0, 6.0, 6.0], d1: [0.0, 0.0, 1.0, 0.0, 0.0], d2: [0.0, 0.0, 0.0, 0.0, 0.0] }],
  ['leaky-relu', { negative_slope: 0.2 }, { x: [-2.0, 0.0, 2.0, NaN], value: [-0.4, 0.0, 2.0, NaN], d1: [0.2, 0.2, 1.0, 0.2], d2: [0.0, 0.0, 0.0, 0.0] }],
  ['prelu', { weight: -0.5 }, { x: [-3.0, 0.0, 0.5], value: [1.5, -0.0, 0.5], d1: [-0.5, -0.5, 1.0], d2: [0.0, 0.0, 0.0] }],
  ['elu', { alpha: 0.7 }, { x: [-30.0, -1.0, -1e-9, 0.0, 2.0], value: [-0.6999999999999345, -0.44248439117999033, -6.99999980202648e-10, 0.0, 2.0], d1: [6.550336078188121e-14, 0.2575156088200096, 0.6999999993, 0.7, 1.0], d2: [6.550336078188121e-14, 0.2575156088200096, 0.6999999993, 0.0, 0.0], d3: [6.550336078188121e-14, 0.2575156088200096, 0.6999999993, 0.0, 0.0] }],
  ['selu', {}, { x: [-1.0, 0.0, 1.0], value: [-1.1113307378125625, 0.0, 1.0507009873554805], d1: [0.646768603034814, 1.7580993408473766, 1.0507009873554805], d2: [0.646768603034814, 0.0, 0.0], d3: [0.646768603034814, 0.0, 0.0] }],
  ['celu', { alpha: 0.7 }, { x: [-2.0, -0.5, 0.0, 1.0], value: [-0.6597971665126678, -0.35732083831013284, 0.0, 1.0], d1: [0.05743261745119851, 0.48954166193890875, 1.0000000170298988, 1.0], d2: [0.08204659775610025, 0.6993452432510767, 0.0, 0.0], d3: [0.11720942736192214, 0.9990646502297933, 0.0, 0.0] }],
  ['celu', { alpha: 0.3 }, { x: [-0.1, 0.0], value: [-0.08504060682786321, 0.0], d1: [0.7165312915921922, 0.9999999602635717], d2: [2.38843754373266, 0.0] }],
  ['gelu', { approximate: 'none' }, { x: [-10.0, -3.0, -0.5, 0.0, 1.5, 6.0], value: [-0.0, -0.00404969409489031, -0.15426876936299344, 0.0, 1.399789198096713, 5.999999994080474], d1: [-7.694598626706419e-22, -0.01194564720418392, 0.13250487534383712, 0.5, 1.1274691922299795, 1.0000000354687093], d2: [-7.540706654172292e-21, -0.031022938883566054, 0.6161143218375241, 0.7978845608028654, -0.03237939891647296, -2.0658001689399173e-7], d3: [-7.386814681638164e-20, -0.0664777261790701, 0.6601224876830616, -0.0, -0.33998368862296585, 1.166569507166071e-6] }],
  ['gelu', { approximate: 'tanh' }, { x: [-10.0, -3.0, -0.5, 0.0, 1.5, 6.0], value: [-0.0, -0.0036373920817729943, -0.15428599017485606, 0.0, 1.3995715769802328, 5.9999999999156035], d1: [0.0, -0.011584166630969648, 0.13263009646535764, 0.5, 1.127710793151433, 1.0000000007709977], d2: [-6.370874878738635e-35, -0.03176765888607492, 0.615506895115985, 0.7978845608028654, -0.03051819648422486, -6.824247144948227e-9], d3: [-1.435355806383614e-33, -0.06968221838332025, 0.6612179033267352, 0.0, -0.3396216894677243, 5.8373864455680876e-8] }],
  ['silu', {}, { x: [-800.0, -3.0, 0.0, 1.0, 40.0], value: [-0.0, -0.14227761953270035, 0.0, 0.7310585786300049, 40.0], d1: [-0.0, -0.08810410601516962, 0.5, 0.9276705118714869, 1.0], d2: [0.0, -0.032321404521006174, 0.5, 0.3023661188100153, 0.0], d3: [0.0, 0.023881495310061167, 0.0, -0.3078988235350809, 0.0] }],
  ['mish', {}, { x: [-50.0, -1.0, 0.0, 2.0, 30.0], value: [-9.643749239819589e-21, -0.30340146137410895, 0.0, 1.9439589595339946, 30.0], d1: [-9.450874255023198e-21, 0.059216755877395, 0.6, 1.0693179342794896, 1.0], d2: [-9.257999270226807e-21, 0.34970567367064487, 0.64, -0.05772466740829399, 0.0], d3: [-9.065124285430415e-21, 0.44646295133311564, -0.096, -0.024006767434248732, 0.0] }],
  ['softplus', { beta: 1.0, threshold: 20.0 }, { x: [-40.0, -1.0, 0.0, 20.0, 20.5], value: [4.248354255291589e-18, 0.31326168751822286, 0.6931471805599453, 20.000000002061153, 20.5], d1: [4.248354255291589e-18, 0.2689414213699951, 0.5, 0.9999999979388464, 1.0], d2: [4.248354255291589e-18, 0.19661193324148185, 0.25, 0.0, 0.0], d3: [4.248354255291589e-18, 0.09085774767294841, 0.0, -0.0, -0.0] }],
  ['softplus', { beta: 2.0, threshold: 5.0 }, { x: [-1.0, 2.5, 2.6], value: [0.06346400552148625, 2.503357674244559, 2.6], d1: [0.11920292202211755, 0.9933071490757152, 1.0], d2: [0.209987170807013, 0.0, 0.0], d3: [0.31985000422461224, -0.0, -0.0] }],
  ['softsign', {}, { x: [-6.0, -0.5, 0.0, 100000000.0], value: [-0.8571428571428571, -0.3333333333333333, 0.0, 0.9999999900000001], d1: [0.020408163265306117, 0.4444444444444444, 1.0, 9.99999983775159e-17], d2: [0.005830903790087463, 0.5925925925925926, -0.0, -1.9999999528013012e-24], d3: [0.0024989587671803417, 1.1851851851851851, 0.0, 5.99999984857978e-32] }],
  ['hardtanh', { min_val: -2.0, max_val: 0.5 }, { x: [-3.0, -2.0, 0.0, 0.5, 1.0], value: [-2.0, -2.0, 0.0, 0.5, 0.5], d1: [0.0, 0.0, 1.0, 0.0, 0.0], d2: [0.0, 0.0, 0.0, 0.0, 0.0] }],
  ['hardsigmoid', {}, { x: [-4.0, -3.0, 0.0, 2.9, 3.0], value: [0.0, 0.0, 0.5, 0.9833333333333334, 1.0], d1: [0.0, 0.0, 0.1666666716337204, 0.1666666716337204, 0.0] }],
  ['hardswish', {}, { x: [-4.0, -2.0, 0.0, 2.5, 4.0], value: [-0.0, -0.3333333333333333, 0.0, 2.2916666666666665, 4.0], d1: [0.0, -0.16666666666666663, 0.5, 1.3333333333333335, 1.0], d2: [0.0, 0.3333333333333333, 0.3333333333333333, 0.3333333333333333, 0.0] }],
  ['logsigmoid', {}, { x: [-1000.0, -5.0, 0.0, 3.0, 1000.0], value: [-1000.0, -5.006715348489118, -0.6931471805599453, -0.04858735157374206, 0.0], d1: [1.0, 0.9933071490757152, 0.5, 0.04742587317756679, 0.0], d2: [-0.0, -0.006648056670790155, -0.25, -0.045176659730912, 0.0], d3: [-0.0, -0.006559067766322563, 0.0, 0.040891574660943376, 0.0] }],
  ['tanhshrink', {}, { x: [-2.0, 1e-5, 0.3456, 4.0], value: [-1.035972419924183, 3.333328757329848e-16, 0.013132360919176966, 3.000670700260933], d1: [0.9293491751468356, 1.000000082740371e-10, 0.11053473103597644, 0.9986590493169741], d2: [-0.13621868742711296, 1.9999999997333335e-5, 0.5914368360337163, 0.0026801026141058254], d3: [-0.25265406509806265, 1.9999999992, 1.1890297123033626, -0.00535301383969782] }],
  ['softshrink', { lambd: 0.5 }, { x: [-1.0, -0.5, 0.2, 0.5, 2.0], value: [-0.5, 0.0, 0.0, 0.0, 1.5], d1: [1.0, 0.0, 0.0, 0.0, 1.0], d2: [0.0, 0.0, 0.0, 0.0, 0.0] }],
  ['hardshrink', { lambd: 0.5 }, { x: [-1.0, -0.5, 0.2, 0.5, 2.0], value: [-1.0, 0.0, 0.0, 0.0, 2.0], d1: [1.0, 0.0, 0.0, 0.0, 1.0], d2: [0.0, 0.0, 0.0, 0.0, 0.0] }],
  ['threshold', { threshold: 0.5, value: -1.0 }, { x: [-1.0, 0.5, 0.75, NaN], value: [-1.0, -1.0, 0.75, NaN], d1: [0.0, 0.0, 1.0, 1.0], d2: [0.0, 0.0, 0.0, 0.0] }],
];

describe.each(TORCH.map(([name, params, t]) => [`${name} ${JSON.stringify(params)}`, name, params, t] as const))('PyTorch: %s', (_label, name, params, t) => {
  test('value', () => expectClose(derivative(name, params, t.x, 0), t.value));
  test('first derivative', () => expectClose(derivative(name, params, t.x, 1), t.d1));
  if (t.d2) test('second derivative (--order 2)', () => expectClose(derivative(name, params, t.x, 2), t.d2!));
  if (t.d3) test('third derivative (--order 3)', () => expectClose(derivative(name, params, t.x, 3), t.d3!));
});

test('step is torch.heaviside (PyTorch 1.13: heaviside([nan, -inf, inf, 0, -0, -2, 3], 0.5)); its derivatives are 0', () => {
  const xs = [NaN, -Infinity, Infinity, 0, -0, -2, 3];
  expect(derivative('step', { at_zero: 0.5 }, xs, 0)).toEqual([0, 0, 1, 0.5, 0.5, 0, 1]);
  expect(derivative('step', { at_zero: 0.5 }, xs, 1)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  expect(derivative('step', { at_zero: 0.5 }, xs, 2)).toEqual([0, 0, 0, 0, 0, 0, 0]);
});

test('PyTorch 2.11 kinks that 1.13 had otherwise: hardswish at ±3, softshrink(NaN)', () => {
  expect(derivative('hardswish', {}, [-3, 3], 1)).toEqual([0, 1]);
  expect(derivative('softshrink', {}, [NaN], 0)).toEqual([NaN]);
});

// ---------------------------------------------------------------------------------------------
// Closed forms of the higher derivatives
// ---------------------------------------------------------------------------------------------

const logistic = (x: number): number => 1 / (1 + Math.exp(-x));
const normalPdf = (x: number): number => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
const POINTS = [-3.2, -1.1, -0.4, 0.3, 0.9, 2.7];

const CLOSED_FORMS: readonly [string, Params, number, (x: number) => number][] = [
  // σ'' = σ'(1 − 2σ), σ''' = σ'(1 − 6σ + 6σ²)
  ['sigmoid', {}, 2, (x) => logistic(x) * (1 - logistic(x)) * (1 - 2 * logistic(x))],
  ['sigmoid', {}, 3, (x) => { const s = logistic(x); return s * (1 - s) * (1 - 6 * s + 6 * s * s); }],
  // tanh'' = −2t(1 − t²), tanh''' = −2(1 − t²)(1 − 3t²)
  ['tanh', {}, 2, (x) => -2 * Math.tanh(x) * (1 - Math.tanh(x) ** 2)],
  ['tanh', {}, 3, (x) => -2 * (1 - Math.tanh(x) ** 2) * (1 - 3 * Math.tanh(x) ** 2)],
  // softplus'' = β·σ'(βx)
  ['softplus', { beta: 2 }, 2, (x) => 2 * logistic(2 * x) * (1 - logistic(2 * x))],
  // elu'' = alpha·e^x for x < 0, 0 for x > 0; celu'' = e^(x/alpha)/alpha (alpha = 2 is exact in float32)
  ['elu', { alpha: 0.7 }, 2, (x) => (x < 0 ? 0.7 * Math.exp(x) : 0)],
  ['celu', { alpha: 2 }, 2, (x) => (x < 0 ? Math.exp(x / 2) / 2 : 0)],
  ['selu', {}, 3, (x) => (x < 0 ? 1.6732632423543772 * 1.0507009873554805 * Math.exp(x) : 0)],
  // gelu'' = φ(x)(2 − x²)
  ['gelu', {}, 2, (x) => normalPdf(x) * (2 - x * x)],
  // logsigmoid'' = −σ(x)(1 − σ(x))
  ['logsigmoid', {}, 2, (x) => -logistic(x) * (1 - logistic(x))],
  // silu'' = σ'(x)(2 + x(1 − 2σ(x)))
  ['silu', {}, 2, (x) => { const s = logistic(x); return s * (1 - s) * (2 + x * (1 - 2 * s)); }],
  // softsign'' = −2·sign(x)/(1 + |x|)³; tanhshrink'' = 2t(1 − t²)
  ['softsign', {}, 2, (x) => (-2 * Math.sign(x)) / (1 + Math.abs(x)) ** 3],
  ['tanhshrink', {}, 2, (x) => 2 * Math.tanh(x) * (1 - Math.tanh(x) ** 2)],
  // hardswish'' = 1/3 on (−3, 3)
  ['hardswish', {}, 2, (x) => (Math.abs(x) < 3 ? 1 / 3 : 0)],
];

test.each(CLOSED_FORMS.map(([name, params, k, f]) => [`${name} ${JSON.stringify(params)} order ${k}`, name, params, k, f] as const))(
  'closed form: %s',
  (_label, name, params, k, f) => expectClose(derivative(name, params, POINTS, k), POINTS.map(f), 1e-10, 1e-14),
);

// ---------------------------------------------------------------------------------------------
// The repros of issues 11 and 13
// ---------------------------------------------------------------------------------------------

/** ∂(Σ seed ⊙ f(xs))/∂xs for a forward built by `build` from a leaf, through the engine directly. */
function gradOf(xs: readonly number[], build: (x: Var) => Var): number[] {
  const x = leaf(vector(xs), 'x');
  const y = build(x);
  const [g] = grad([y], [ones(y.shape)], [x]);
  return Array.from(g!.value.data);
}

const forwardOf = (name: string, params: Params = {}) => (x: Var): Var => {
  const fn = fnNamed(name);
  return fn.forward(bindArgs(fn, { ...params, input: x }), { noGradient: () => {} });
};

describe('saturation: the backward is computed from the rounded output, as in PyTorch', () => {
  test('sigmoid 100 --grad is 0 (the exact σ\'(100) is 3.7e-44)', () => {
    expect(derivative('sigmoid', {}, [100], 1)).toEqual([0]);
  });
  test('grad of sum(tanh(x))·1e16 at x = 19 is 0 (1.26 with the exact derivative)', () => {
    expect(gradOf([19], (x) => mul(sum(forwardOf('tanh')(x)), 1e16))).toEqual([0]);
  });
  test("celu's backward uses 1/float32(alpha): celu 0 --alpha 0.7 --grad is 1.0000000170", () => {
    expectClose(derivative('celu', { alpha: 0.7 }, [0], 1), [1.0000000170298988]);
  });
  test("hardsigmoid's backward multiplies by the float32 1.0f/6.0f", () => {
    expect(derivative('hardsigmoid', {}, [0, -2.5], 1)).toEqual([0.1666666716337204, 0.1666666716337204]);
  });
});

describe('an infinite upstream gradient (--grad-output inf): a selection gives 0, a product follows inf·0', () => {
  // PyTorch 1.13: torch.autograd.grad(f(x), x, grad_outputs=torch.tensor([inf]))
  const CASES: readonly [string, Params, number, number][] = [
    ['relu', {}, -1, 0],
    ['relu', {}, 0, 0],
    ['hardtanh', {}, -2, 0],
    ['relu6', {}, 7, 0],
    ['relu6', {}, -1, 0],
    ['hardsigmoid', {}, 4, 0],
    ['threshold', { threshold: 0.5, value: -1 }, 0, 0],
    ['softshrink', {}, 0.2, 0],
    ['hardshrink', {}, 0.2, 0],
    ['hardswish', {}, -4, 0],
    ['relu', {}, 2, Infinity],
    ['leaky-relu', { negative_slope: 0.2 }, -1, Infinity],
    ['leaky-relu', { negative_slope: 0 }, -1, NaN],
    ['prelu', {}, -1, Infinity],
    ['sigmoid', {}, 100, NaN],
    ['elu', {}, -1000, NaN],
  ];
  test.each(CASES)('%s %j at %d gives %d', (name, params, x, expected) => {
    const r = computeFunction({ fn: fnNamed(name), input: vector([x]), args: params, gradOutput: vector([Infinity]) });
    expect(Array.from(r.grad!.data)).toEqual([expected]);
  });
  test('the other way: relu(-1/y) at y = 0 has gradient NaN (0 · inf in the division), as in PyTorch', () => {
    expect(gradOf([0], (y) => forwardOf('relu')(div(-1, y)))).toEqual([NaN]);
  });
});

describe('prelu differentiates its weight', () => {
  test('grad "prelu(x, weight=a)" x=-2,3 a=0.25: ∂/∂a = -2, ∂/∂x = [0.25, 1]', () => {
    const x = leaf(vector([-2, 3]), 'x');
    const a = leaf({ shape: [], data: Float64Array.of(0.25) }, 'a');
    const y = sum(forwardOf('prelu', { weight: a })(x));
    const [gx, ga] = grad([y], [ones([])], [x, a]);
    expect(Array.from(ga!.value.data)).toEqual([-2]);
    expect(Array.from(gx!.value.data)).toEqual([0.25, 1]);
  });

  // PyTorch 1.13: X = [[-1.5, 2, -0.5], [0.7, -3, 0]], w = [0.1, 0.2, 0.3] (one per channel, dimension 1),
  // gX, gw = torch.autograd.grad((F.prelu(X, w) * G).sum(), [X, w], create_graph=True), G = [[1, 2, 3], [4, 5, 6]]
  const X = { shape: [2, 3], data: Float64Array.of(-1.5, 2, -0.5, 0.7, -3, 0) };
  const G = { shape: [2, 3], data: Float64Array.of(1, 2, 3, 4, 5, 6) };
  function firstOrder() {
    const x = leaf(X, 'X');
    const w = leaf(vector([0.1, 0.2, 0.3]), 'w');
    const y = forwardOf('prelu', { weight: w })(x);
    const [gx, gw] = grad([y], [leaf(G)], [x, w], { createGraph: true });
    return { x, w, gx: gx!, gw: gw! };
  }
  test('per-channel weights: the gradients of input and weight', () => {
    const { gx, gw } = firstOrder();
    expectClose(Array.from(gx.value.data), [0.1, 2.0, 0.8999999999999999, 4.0, 1.0, 1.7999999999999998]);
    expectClose(Array.from(gw.value.data), [-1.5, -15.0, -1.5]);
  });
  test("mixed second derivatives follow derivatives.yaml's self >= 0 test: 0 at x = 0", () => {
    const { x, w, gx, gw } = firstOrder();
    const [dgwdx] = grad([gw], [ones(gw.shape)], [x]);
    const [dgxdw] = grad([gx], [ones(gx.shape)], [w]);
    // PyTorch 1.13 (whose prelu double backward tested x > 0) gives 6 for the last element and 9 for the last weight.
    expect(Array.from(dgwdx!.value.data)).toEqual([1, 0, 3, 0, 5, 0]);
    expect(Array.from(dgxdw!.value.data)).toEqual([1, 5, 3]);
  });
  test('a weight per channel needs channels: a vector has one, as in PyTorch', () => {
    const fn = fnNamed('prelu');
    const call = () => bindArgs(fn, { input: leaf(vector([1, 2, 3])), weight: vector([0.1, 0.2, 0.3]) });
    expect(call).toThrow(ArgumentError);
    expect(call).toThrow(/weight has 3 numbers, but input has 1 channel/);
    expect(() => bindArgs(fn, { input: leaf(X), weight: { shape: [1, 3], data: Float64Array.of(1, 2, 3) } })).toThrow(/at most 1 dimension/);
    expect(() => bindArgs(fn, { input: leaf(X), weight: vector([0.1, 0.2]) })).toThrow(/has 3 channels/);
  });
});

describe("parameter checks PyTorch performs, in the caller's words", () => {
  const flagName = (arg: string): string => `--${arg.replace(/_/g, '-')}`;
  function messageOf(name: string, params: Params): string {
    try {
      bindArgs(fnNamed(name), { ...params, input: leaf(vector([1, -2])) });
    } catch (e) {
      expect(e).toBeInstanceOf(ArgumentError);
      return (e as ArgumentError).compose(flagName);
    }
    throw new Error(`${name} ${JSON.stringify(params)} was accepted`);
  }
  test('celu alpha 0', () => expect(messageOf('celu', { alpha: 0 })).toBe('--alpha cannot be 0 for celu (it divides by alpha)'));
  test('hardtanh min_val > max_val', () => expect(messageOf('hardtanh', { min_val: 2, max_val: 1 })).toBe('--min-val (2) cannot be greater than --max-val (1)'));
  test('softshrink lambd < 0 or infinite', () => {
    expect(messageOf('softshrink', { lambd: -1 })).toMatch(/^--lambd must be/);
    expect(messageOf('softshrink', { lambd: Infinity })).toMatch(/^--lambd must be/);
  });
  test('threshold needs threshold and value', () => expect(messageOf('threshold', {})).toMatch(/threshold needs --threshold and --value/));
  test('what PyTorch accepts is accepted', () => {
    expect(derivative('hardtanh', { min_val: 1, max_val: 1 }, [0, 2], 0)).toEqual([1, 1]);
    // hardshrink takes a negative lambd (the identity then); softplus takes beta = 0 (PyTorch 1.13: inf, gradient 0.5)
    expect(derivative('hardshrink', { lambd: -1 }, [-1, 0, 2], 0)).toEqual([-1, 0, 2]);
    expect(derivative('softplus', { beta: 0 }, [-1, 0, 2], 0)).toEqual([Infinity, Infinity, Infinity]);
    expect(derivative('softplus', { beta: 0 }, [-1, 0, 2], 1)).toEqual([0.5, 0.5, 0.5]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties over every elementwise descriptor
// ---------------------------------------------------------------------------------------------

fc.configureGlobal({ seed: 20261127, numRuns: 40 });

/** Parameters that put every kink at one of KINKS (gelu's tanh form is added as a second case). */
const PROPERTY_PARAMS: Record<string, Params> = {
  threshold: { threshold: 0.5, value: -2 },
  hardtanh: { min_val: -2, max_val: 1.5 },
  softplus: { beta: 2, threshold: 5 },
  elu: { alpha: 0.7 },
  celu: { alpha: 0.7 },
  'leaky-relu': { negative_slope: 0.2 },
  prelu: { weight: -0.3 },
  softshrink: { lambd: 0.5 },
  hardshrink: { lambd: 0.5 },
};
const KINKS = [0, 0.5, -0.5, 1, -1, 1.5, -2, 2.5, 3, -3, 6];

const ELEMENTWISE = registry.filter((d) => d.kind === 'elementwise');
// gelu is taken from the registry's list, not through lookup(): lookup builds its index of names
// (namesOf) on its first call, and that call belongs in a test, where mutation testing sees it.
const CASES: [string, Descriptor, Params][] = [
  ...ELEMENTWISE.map((d): [string, Descriptor, Params] => [d.name, d, PROPERTY_PARAMS[d.name] ?? {}]),
  ['gelu tanh', ELEMENTWISE.find((d) => d.name === 'gelu')!, { approximate: 'tanh' }],
];

test('the properties cover every elementwise function of the contract', () => {
  expect(ELEMENTWISE.map((d) => d.name).sort()).toEqual(
    ['step', 'sigmoid', 'tanh', 'relu', 'relu6', 'leaky-relu', 'prelu', 'elu', 'selu', 'celu', 'gelu', 'silu', 'mish', 'softplus', 'softsign', 'hardtanh', 'hardsigmoid', 'hardswish', 'logsigmoid', 'tanhshrink', 'softshrink', 'hardshrink', 'threshold'].sort(),
  );
});

const smoothPoint = fc.double({ min: -4, max: 4, noNaN: true }).filter((x) => KINKS.every((k) => Math.abs(x - k) > 1e-3));
const at = (d: Descriptor, params: Params, xs: readonly number[], k: number): number[] => {
  const r = computeFunction({ fn: d, input: vector(xs), args: params, grad: k > 0, order: k > 1 ? k : undefined });
  return Array.from(k === 0 ? r.value.data : r.grad!.data);
};
/** Central differences of the (k−1)-th derivative. */
function centralDifference(d: Descriptor, params: Params, x: number, k: number, h: number): number {
  const [plus, minus] = at(d, params, [x + h, x - h], k - 1);
  return (plus - minus) / (2 * h);
}
const near = (a: number, b: number, tol: number): boolean => Math.abs(a - b) <= tol * (1 + Math.abs(b));

describe.each(CASES)('%s', (_name, d, params) => {
  test('the first derivative agrees with central differences of the value away from kinks', () => {
    fc.assert(
      fc.property(smoothPoint, (x) => {
        const [d1] = at(d, params, [x], 1);
        return near(d1, centralDifference(d, params, x, 1, 1e-6), 1e-6);
      }),
    );
  });
  test('the second derivative (--order 2) agrees with central differences of the first', () => {
    fc.assert(
      fc.property(smoothPoint, (x) => {
        const [d2] = at(d, params, [x], 2);
        return near(d2, centralDifference(d, params, x, 2, 1e-5), 1e-5);
      }),
    );
  });
  test('the third derivative (--order 3) agrees with central differences of the second', () => {
    fc.assert(
      fc.property(smoothPoint, (x) => {
        const [d3] = at(d, params, [x], 3);
        return near(d3, centralDifference(d, params, x, 3, 1e-4), 1e-4);
      }),
      { numRuns: 15 },
    );
  });
  test("the JVP (--jvp, through each backward op's derivative in grad_output) is f'(x)·v", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(smoothPoint, fc.double({ min: -3, max: 3, noNaN: true })), { minLength: 1, maxLength: 4 }), (pairs) => {
        const xs = pairs.map(([x]) => x);
        const v = pairs.map(([, t]) => t);
        const jvp = computeFunction({ fn: d, input: vector(xs), args: params, jvp: vector(v) }).jvp!;
        const d1 = at(d, params, xs, 1);
        expectClose(Array.from(jvp.data), d1.map((g, i) => g * v[i]), 1e-12, 1e-15);
      }),
      { numRuns: 20 },
    );
  });
  test('the Hessian of Σ f(x) is diagonal, with the second derivative on the diagonal', () => {
    fc.assert(
      fc.property(fc.array(smoothPoint, { minLength: 1, maxLength: 5 }), (xs) => {
        const n = xs.length;
        const H = computeFunction({ fn: d, input: vector(xs), args: params, hessian: true }).hessian!;
        const d2 = at(d, params, xs, 2);
        expect(H.shape).toEqual([n, n]);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) expect(H.data[i * n + j]).toBe(i === j ? d2[i] : 0);
        }
      }),
      { numRuns: 20 },
    );
  });
});
