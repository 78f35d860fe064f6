/**
 * Elementwise ops (src/autograd/elementwise.ts): the broadcasting kernel against a coordinate loop,
 * arithmetic gradients reduced onto each operand's shape, pow's two forms (PyTorch's
 * pow(Tensor, Scalar) fast paths from PowKernel.cpp, C's pow otherwise), maximum/minimum,
 * comparisons, where, clamp, and the math functions' first, second and third derivatives against
 * closed forms (the functions' backward formulas are differentiated again by the engine).
 */
import { jvp, nthDerivative } from '../../src/autograd/derivatives';
import {
  abs, acos, add, asin, atan, clamp, constant, cos, cosh, cpow, div, eq, erf, erfc, exp, expm1, ge, gt, item, le, log, log10, log1p, log2,
  logicalAnd, logicalNot, logicalOr, lt, maximum, minimum, mul, ne, neg, ones, pow, rsqrt, sigmoid, sign, sin, sinh, sqrt, stdOfVariance, sub, tan,
  tanh, type Var, where, zeros,
} from '../../src/autograd/elementwise';
import { grad } from '../../src/autograd/engine';
import { ShapeError } from '../../src/errors';
import { numel } from '../../src/tensor';
import { constantOf, coordinates, engineGrad, expectClose, expectGradMatchesFiniteDifferences, iota, offsetOf, variable } from '../helpers/engine';

const data = (v: Var): number[] => Array.from(v.value.data);
const prod = (s: number[]): number => numel(s);

/** The element of an operand of shape `from` that broadcasts to coordinate c of the output. */
const broadcastOffset = (from: number[], c: number[]): number => {
  const lead = c.length - from.length;
  return offsetOf(
    from,
    from.map((s, d) => (s === 1 ? 0 : c[d + lead])),
  );
};

// Shape pairs that take each path of binaryKernel: equal shapes, a one-element operand on either
// side, and general broadcasting with one, two and three dimensions in the odometer.
const shapePairs: [number[], number[], number[]][] = [
  [[2, 3], [2, 3], [2, 3]],
  [[2, 3], [], [2, 3]],
  [[], [2, 3], [2, 3]],
  [[2, 3], [1], [2, 3]],
  [[1, 1], [2, 3], [2, 3]],
  [[2, 3], [3], [2, 3]],
  [[3], [2, 3], [2, 3]],
  [[2, 1], [1, 3], [2, 3]],
  [[2, 1, 3], [4, 1], [2, 4, 3]],
  [[4, 1], [2, 1, 3], [2, 4, 3]],
  [[2, 3, 1], [1, 1, 4], [2, 3, 4]],
  [[3, 1, 2, 1], [1, 4, 1, 2], [3, 4, 2, 2]],
  [[0, 3], [3], [0, 3]],
];

const arithmetic = [
  ['+', add, (a: number, b: number) => a + b, (g: number) => g, (g: number) => g],
  ['-', sub, (a: number, b: number) => a - b, (g: number) => g, (g: number) => -g],
  ['*', mul, (a: number, b: number) => a * b, (g: number, _a: number, b: number) => g * b, (g: number, a: number) => g * a],
  ['/', div, (a: number, b: number) => a / b, (g: number, _a: number, b: number) => g / b, (g: number, a: number, b: number) => (-g * a) / (b * b)],
  ['maximum', maximum, Math.max, (g: number, a: number, b: number) => (a > b ? g : 0), (g: number, a: number, b: number) => (b > a ? g : 0)],
  ['minimum', minimum, Math.min, (g: number, a: number, b: number) => (a < b ? g : 0), (g: number, a: number, b: number) => (b < a ? g : 0)],
] as const;

describe.each(shapePairs)('broadcasting %p with %p', (sa, sb, out) => {
  test.each(arithmetic)('%s: values by coordinates; gradients summed onto each operand', (_name, op, f, da, db) => {
    // Values without ties between a and b, and b away from 0 (made here, in the test: code run while
    // jest collects the tests is outside every test, unseen by the mutation run's per-test coverage).
    const av = iota(prod(sa), 0.75, -2.2);
    const bv = iota(prod(sb), -0.53, 1.31);
    const a = variable(sa, av, 'a');
    const b = variable(sb, bv, 'b');
    const y = op(a, b);
    expect(y.shape).toEqual(out);
    const coords = [...coordinates(out)];
    const pairs = coords.map((c) => [av[broadcastOffset(sa, c)], bv[broadcastOffset(sb, c)]]);
    expectClose(data(y), pairs.map(([x, z]) => f(x, z)));
    const seed = iota(prod(out), 1, 1);
    const [ga, gb] = grad([y], [constantOf(out, seed)], [a, b]);
    const expectedA = new Array<number>(av.length).fill(0);
    const expectedB = new Array<number>(bv.length).fill(0);
    coords.forEach((c, k) => {
      expectedA[broadcastOffset(sa, c)] += da(seed[k], pairs[k][0], pairs[k][1]);
      expectedB[broadcastOffset(sb, c)] += db(seed[k], pairs[k][0], pairs[k][1]);
    });
    expect(ga!.shape).toEqual(sa);
    expect(gb!.shape).toEqual(sb);
    expectClose(data(ga!), expectedA);
    expectClose(data(gb!), expectedB);
  });
});

describe('binary ops: errors, numbers, needs', () => {
  test.each([
    ['+', add],
    ['*', mul],
    ['maximum', maximum],
  ] as const)('%s of shapes that do not broadcast throws a ShapeError naming both', (name, op) => {
    expect(() => op(variable([2, 3], iota(6)), variable([4], iota(4)))).toThrow(
      new ShapeError(`"${name}" needs shapes that broadcast (equal, or 1 where they differ): [2, 3] and [4]`),
    );
  });

  test('numbers are constants: 2 − x, x / 4, 3 · x', () => {
    const x = variable([3], [1, 2, 8]);
    expect(data(sub(2, x))).toEqual([1, 0, -6]);
    expect(Array.from(engineGrad((v) => sub(2, v), x))).toEqual([-1, -1, -1]);
    expect(Array.from(engineGrad((v) => div(v, 4), x))).toEqual([0.25, 0.25, 0.25]);
    expect(Array.from(engineGrad((v) => div(4, v), x))).toEqual([-4, -1, -1 / 16]);
    expect(Array.from(engineGrad((v) => mul(3, v), x))).toEqual([3, 3, 3]);
  });

  test.each([
    ['c − x', sub, [-1, -1]],
    ['c · x', mul, [7, 11]],
    ['c / x', div, [-7 / 9, -11 / 25]],
  ] as const)('%s with a constant c: x gets its gradient, c none', (_name, op, expected) => {
    const x = variable([2], [3, 5]);
    const c = constantOf([2], [7, 11]);
    const [gx, gc] = grad([op(c, x)], [ones([2])], [x, c]);
    expectClose(data(gx!), expected);
    expect(gc).toBeNull();
  });

  test('maximum/minimum: NaN on either side wins; ties share the gradient in halves', () => {
    const a = variable([5], [1, 5, 3, NaN, 2], 'a');
    const b = variable([5], [4, 2, 3, 1, NaN], 'b');
    expect(data(maximum(a, b))).toEqual([4, 5, 3, NaN, NaN]);
    expect(data(minimum(a, b))).toEqual([1, 2, 3, NaN, NaN]);
    for (const op of [maximum, minimum]) {
      const [ga, gb] = grad([op(a, b)], [constantOf([5], [2, 2, 2, 2, 2])], [a, b]);
      expect(data(ga!).slice(2, 3)).toEqual([1]);
      expect(data(gb!).slice(2, 3)).toEqual([1]);
    }
  });

  test('the worked-solution rules of + − × ÷ **', () => {
    const [a, b] = [variable([], [1], 'a'), variable([], [2], 'b')];
    const rules = [add, sub, mul, div, pow].map((op) => op(a, b).node!.op.rule!);
    expect(rules.map((r) => [r('G', ['a', 'b'], 0, undefined), r('G', ['a', 'b'], 1, undefined)])).toEqual([
      ['G · 1', 'G · 1'],
      ['G · 1', 'G · (-1)'],
      ['G · b', 'G · a'],
      ['G · 1/b', 'G · (-a/b²)'],
      ['G · b·a^(b - 1)', 'G · a^b·log a'],
    ]);
  });
});

describe('pow', () => {
  test('cpow is C’s pow: 1^y = 1 and (−1)^±inf = 1, where JavaScript gives NaN', () => {
    expect(cpow(1, NaN)).toBe(1);
    expect(cpow(1, Infinity)).toBe(1);
    expect(cpow(-1, Infinity)).toBe(1);
    expect(cpow(-1, -Infinity)).toBe(1);
    expect(cpow(-1, NaN)).toBeNaN();
    expect(cpow(-1, 3)).toBe(-1);
    expect(cpow(2, Infinity)).toBe(Infinity);
    expect(cpow(2, -Infinity)).toBe(0);
    expect(cpow(-2, 3)).toBe(-8);
    expect(cpow(NaN, 0)).toBe(1);
  });

  // PowKernel.cpp's fast paths for a Scalar exponent, each with a point where the general pow differs.
  test.each([
    [0, NaN, 1],
    [1, -0, -0],
    [0.5, -Infinity, NaN],
    [0.5, 2.25, 1.5],
    [-0.5, -0, -Infinity],
    [-0.5, 1.0274, 1 / Math.sqrt(1.0274)],
    [-1, 4, 0.25],
    [2, 1.0274, 1.0274 * 1.0274],
    [3, 1.0274, 1.0274 * 1.0274 * 1.0274],
    [-2, 1.0137, 1 / (1.0137 * 1.0137)],
    [2.5, 4, 32],
    [-3, -2, -0.125],
  ])('x ** %p at %p is %p', (e, x, expected) => {
    expect(Object.is(item(pow(variable([], [x]), e)), expected)).toBe(true);
  });

  // PyTorch: x ** 0.5 is pow(Tensor, Scalar), sqrt; x ** torch.tensor(0.5) is pow(Tensor, Tensor), C's pow.
  test('a number exponent takes the Scalar path; any tensor exponent, 0-d constants too, the Tensor path', () => {
    const x = variable([1], [-Infinity]);
    expect(data(pow(x, 0.5))).toEqual([NaN]);
    expect(data(pow(x, constantOf([], [0.5])))).toEqual([Infinity]);
    expect(data(pow(x, constantOf([1], [0.5])))).toEqual([Infinity]);
    expect(data(pow(x, variable([], [0.5], 'e')))).toEqual([Infinity]);
    expect(data(pow(constantOf([], [-Infinity]), 0.5))).toEqual([NaN]);
    expect(data(pow(-Infinity, x))).toEqual([0]);
  });

  test('x ** e: gradient e·x^(e−1), 0 for e = 0 even at x = 0; second derivative e(e−1)x^(e−2)', () => {
    const x = variable([4], [0, 1.5, -2, 0.25]);
    expect(Array.from(engineGrad((v) => pow(v, 0), x))).toEqual([0, 0, 0, 0]);
    expect(Array.from(engineGrad((v) => pow(v, 1), x))).toEqual([1, 1, 1, 1]);
    expect(Array.from(engineGrad((v) => pow(v, 3), x))).toEqual([0, 6.75, 12, 0.1875]);
    expect(Array.from(nthDerivative(pow(x, 3), x, 2).data)).toEqual([0, 9, -12, 1.5]);
    expect(Array.from(nthDerivative(pow(x, 0), x, 2).data)).toEqual([0, 0, 0, 0]);
    const positive = variable([3], [0.5, 2, 9]);
    expectClose(nthDerivative(pow(positive, -0.5), positive, 2).data, [0.5, 2, 9].map((v) => 0.75 * v ** -2.5));
    expect(pow(x, 3).node!.op.rule!('G', ['x'], 0, { e: 3 })).toBe('G · 3·x^(3 - 1)');
  });

  test('a ** b: gradients pow_backward_self and pow_backward_exponent, with their zeros at 0', () => {
    const a = variable([5], [2, 0, 0, 3, -2], 'a');
    const b = variable([5], [3, 0, 2, 0.5, 2], 'b');
    const y = pow(a, b);
    expect(data(y)).toEqual([8, 1, 0, Math.sqrt(3), 4]);
    const [ga, gb] = grad([y], [ones([5])], [a, b]);
    expectClose(data(ga!), [12, 0, 0, 0.5 / Math.sqrt(3), -4]);
    expectClose(data(gb!), [8 * Math.LN2, 0, 0, Math.sqrt(3) * Math.log(3), NaN]);
    const c = variable([2], [0, 0], 'c');
    const [gNegative] = grad([pow(c, constantOf([2], [-1, -2]))], [ones([2])], [c]);
    expect(data(gNegative!)).toEqual([-Infinity, -Infinity]);
  });

  test('a ** b agrees with central differences in both operands, b broadcast', () => {
    const a = variable([2, 2], [0.5, 1.5, 2.5, 0.75], 'a');
    const b = variable([2], [1.7, -0.6], 'b');
    expectGradMatchesFiniteDifferences((v) => pow(v, b), a, [1, 2, 3, 4]);
    expectGradMatchesFiniteDifferences((v) => pow(a, v), b, [1, 2, 3, 4]);
  });
});

describe('comparisons and logic: constant masks, NaN compares false (true for !=)', () => {
  test.each([
    ['>', gt, [0, 1, 0, 0, 0, 0]],
    ['>=', ge, [0, 1, 1, 0, 0, 1]],
    ['<', lt, [1, 0, 0, 0, 0, 0]],
    ['<=', le, [1, 0, 1, 0, 0, 1]],
    ['==', eq, [0, 0, 1, 0, 0, 1]],
    ['!=', ne, [1, 1, 0, 1, 1, 0]],
  ] as const)('%s', (_name, op, expected) => {
    // The leaves are made in the test, not in the describe: see 'broadcasting' above.
    const a = variable([6], [1, 2, 2, NaN, NaN, -0]);
    const b = variable([6], [2, 1, 2, 1, NaN, 0]);
    const y = op(a, b);
    expect(data(y)).toEqual(expected);
    expect(y.requiresGrad).toBe(false);
    expect(y.node).toBeNull();
  });

  test('logical and/or/not: non-zero (NaN included) is true, −0 is false', () => {
    const p = constantOf([5], [0, 2, NaN, -0, 0]);
    const q = constantOf([5], [3, 0, 1, 1, -0]);
    expect(data(logicalAnd(p, q))).toEqual([0, 0, 1, 0, 0]);
    expect(data(logicalOr(p, q))).toEqual([1, 1, 1, 1, 0]);
    expect(data(logicalNot(p))).toEqual([1, 0, 0, 1, 1]);
  });

  test('comparisons broadcast', () => {
    expect(data(lt(constantOf([2, 1], [0, 5]), constantOf([3], [-1, 0, 6])))).toEqual([0, 0, 1, 0, 0, 1]);
    expect(data(ge(constantOf([3], [1, 2, 3]), 2))).toEqual([0, 1, 1]);
  });
});

describe('where', () => {
  test('selects with broadcasting; inf in the unselected branch does not leak into the gradient', () => {
    const c = constantOf([2, 1], [1, 0]);
    const a = variable([3], [1, Infinity, 3], 'a');
    const b = variable([], [-5], 'b');
    const y = where(c, a, b);
    expect(y.shape).toEqual([2, 3]);
    expect(data(y)).toEqual([1, Infinity, 3, -5, -5, -5]);
    const [ga, gb] = grad([y], [constantOf([2, 3], [1, 2, 3, 4, 5, 6])], [a, b]);
    expect(data(ga!)).toEqual([1, 2, 3]);
    expect(data(gb!)).toEqual([15]);
    expect(gb!.shape).toEqual([]);
    const rule = y.node!.op.rule!;
    expect([rule('G', ['c', 'a', 'b'], 1, undefined), rule('G', ['c', 'a', 'b'], 2, undefined)]).toEqual(['G where c, else 0', 'G where not c, else 0']);
  });

  test('shapes that do not broadcast throw', () => {
    expect(() => where(constantOf([2], [1, 0]), variable([3], [1, 2, 3]), 0)).toThrow(ShapeError);
  });
});

// [name, op, points, f', f'', f'''] with the closed forms written here.
const SQ = 2 / Math.sqrt(Math.PI);
const sig = (x: number): number => 1 / (1 + Math.exp(-x));
type D = (x: number) => number;
/** Python's math.erf at the points used (C's erf). */
const erfTable: Record<number, number> = { [-0.8]: -0.7421009647076605, 0: 0, 1.1: 0.8802050695740817 };
const mathFunctions: [string, (x: Var) => Var, number[], D, D, D, D][] = [
  ['exp', exp, [-1.5, 0, 0.7], Math.exp, Math.exp, Math.exp, Math.exp],
  ['log', log, [0.3, 1, 4], Math.log, (x) => 1 / x, (x) => -1 / x ** 2, (x) => 2 / x ** 3],
  ['log2', log2, [0.3, 1, 4], Math.log2, (x) => 1 / (x * Math.LN2), (x) => -1 / (x * x * Math.LN2), (x) => 2 / (x ** 3 * Math.LN2)],
  ['log10', log10, [0.3, 1, 4], Math.log10, (x) => 1 / (x * Math.LN10), (x) => -1 / (x * x * Math.LN10), (x) => 2 / (x ** 3 * Math.LN10)],
  ['log1p', log1p, [-0.5, 0, 3], Math.log1p, (x) => 1 / (1 + x), (x) => -1 / (1 + x) ** 2, (x) => 2 / (1 + x) ** 3],
  ['expm1', expm1, [-1, 1e-9, 2], Math.expm1, Math.exp, Math.exp, Math.exp],
  ['sqrt', sqrt, [0.25, 2, 9], Math.sqrt, (x) => 0.5 / Math.sqrt(x), (x) => -0.25 * x ** -1.5, (x) => 0.375 * x ** -2.5],
  ['rsqrt', rsqrt, [0.25, 2, 9], (x) => 1 / Math.sqrt(x), (x) => -0.5 * x ** -1.5, (x) => 0.75 * x ** -2.5, (x) => -1.875 * x ** -3.5],
  ['sin', sin, [-1, 0.4, 2], Math.sin, Math.cos, (x) => -Math.sin(x), (x) => -Math.cos(x)],
  ['cos', cos, [-1, 0.4, 2], Math.cos, (x) => -Math.sin(x), (x) => -Math.cos(x), Math.sin],
  ['tan', tan, [-1, 0.4, 1.2], Math.tan, (x) => 1 + Math.tan(x) ** 2, (x) => 2 * Math.tan(x) * (1 + Math.tan(x) ** 2), (x) => (1 + Math.tan(x) ** 2) * (2 + 6 * Math.tan(x) ** 2)],
  ['asin', asin, [-0.6, 0, 0.3], Math.asin, (x) => (1 - x * x) ** -0.5, (x) => x * (1 - x * x) ** -1.5, (x) => (1 + 2 * x * x) * (1 - x * x) ** -2.5],
  ['acos', acos, [-0.6, 0, 0.3], Math.acos, (x) => -((1 - x * x) ** -0.5), (x) => -x * (1 - x * x) ** -1.5, (x) => -(1 + 2 * x * x) * (1 - x * x) ** -2.5],
  ['atan', atan, [-2, 0, 0.5], Math.atan, (x) => 1 / (1 + x * x), (x) => (-2 * x) / (1 + x * x) ** 2, (x) => (6 * x * x - 2) / (1 + x * x) ** 3],
  ['sinh', sinh, [-1, 0, 1.5], Math.sinh, Math.cosh, Math.sinh, Math.cosh],
  ['cosh', cosh, [-1, 0, 1.5], Math.cosh, Math.sinh, Math.cosh, Math.sinh],
  ['erf', erf, [-0.8, 0, 1.1], (x) => erfTable[x], (x) => SQ * Math.exp(-x * x), (x) => -2 * x * SQ * Math.exp(-x * x), (x) => (4 * x * x - 2) * SQ * Math.exp(-x * x)],
  ['erfc', erfc, [-0.8, 0, 1.1], (x) => 1 - erfTable[x], (x) => -SQ * Math.exp(-x * x), (x) => 2 * x * SQ * Math.exp(-x * x), (x) => -(4 * x * x - 2) * SQ * Math.exp(-x * x)],
  ['abs', abs, [-2, 0.5, 3], Math.abs, Math.sign, () => 0, () => 0],
  ['neg', neg, [-2, 0.5, 3], (x) => -x, () => -1, () => 0, () => 0],
  ['sigmoid', sigmoid, [-2, 0, 1.3], sig, (x) => sig(x) * (1 - sig(x)), (x) => sig(x) * (1 - sig(x)) * (1 - 2 * sig(x)), (x) => sig(x) * (1 - sig(x)) * (1 - 6 * sig(x) + 6 * sig(x) ** 2)],
  ['tanh', tanh, [-2, 0, 0.9], Math.tanh, (x) => 1 - Math.tanh(x) ** 2, (x) => -2 * Math.tanh(x) * (1 - Math.tanh(x) ** 2), (x) => (1 - Math.tanh(x) ** 2) * (6 * Math.tanh(x) ** 2 - 2)],
];

describe.each(mathFunctions)('%s', (_name, f, points, value, d1, d2, d3) => {
  test('values, and derivatives of orders 1, 2 and 3 against closed forms', () => {
    const x = variable([points.length], points);
    const y = f(x);
    expectClose(data(y), points.map(value), 1e-14, 1e-16);
    expectClose(nthDerivative(y, x, 1).data, points.map(d1), 1e-13, 1e-15);
    expectClose(nthDerivative(y, x, 2).data, points.map(d2), 1e-12, 1e-14);
    expectClose(nthDerivative(y, x, 3).data, points.map(d3), 1e-11, 1e-13);
  });

  test('forward mode: J·v is f′(x)·v (the backward differentiated with respect to its seed)', () => {
    const x = variable([points.length], points);
    const v = iota(points.length, 2, -1);
    expectClose(jvp(f(x), x, { shape: [points.length], data: Float64Array.from(v) }).data, points.map((p, i) => d1(p) * v[i]), 1e-13, 1e-15);
  });
});

describe('special points of the math functions', () => {
  test('sign is 0 at ±0 and NaN; a constant’s sign is a constant, a variable’s has gradient 0', () => {
    const c = constantOf([5], [-3, -0, 0, NaN, 0.1]);
    const s = sign(c);
    expect(data(s)).toEqual([-1, 0, 0, 0, 1]);
    expect(s.node).toBeNull();
    const x = variable([2], [-2, 5]);
    expect(sign(x).requiresGrad).toBe(true);
    expect(Array.from(engineGrad(sign, x))).toEqual([0, 0]);
    expect(Array.from(engineGrad(abs, variable([3], [0, -0, -1])))).toEqual([0, 0, -1]);
  });

  test('sigmoid saturates as PyTorch’s kernel: 0 below −745, gradient exactly 0 at 100', () => {
    const x = variable([3], [-800, 100, 0]);
    expect(data(sigmoid(x))).toEqual([0, 1, 0.5]);
    expect(Array.from(engineGrad(sigmoid, x))).toEqual([0, 0, 0.25]);
  });

  test('tanh is exactly ±1 beyond 18.714973875 (SLEEF), so its gradient is 0 there and not before', () => {
    const x = variable([4], [18.714973875, 18.7149739, -18.72, 0]);
    const y = data(tanh(x));
    expect(y[0]).toBeLessThan(1);
    expect(y.slice(1)).toEqual([1, -1, 0]);
    const g = engineGrad(tanh, x);
    expect(g[0]).toBeGreaterThan(0);
    expect(Array.from(g.slice(1))).toEqual([0, 0, 1]);
  });

  test('stdOfVariance: √v, gradient 1/(2√v), and 0 (not inf) where the variance is 0', () => {
    const v = variable([3], [4, 0, 0.25]);
    expect(data(stdOfVariance(v))).toEqual([2, 0, 0.5]);
    expect(Array.from(engineGrad(stdOfVariance, v))).toEqual([0.25, 0, 1]);
    expect(Array.from(engineGrad(sqrt, v))).toEqual([0.25, Infinity, 1]);
  });

  test('the rules of the unary functions that have one', () => {
    const x = variable([], [0.5], 'x');
    const rules = [neg, exp, log, sqrt, abs, sigmoid, tanh].map((op) => op(x).node!.op.rule!('G', ['x'], 0, undefined));
    expect(rules).toEqual(['G · (-1)', 'G · exp(x)', 'G · 1/x', 'G · 1/(2·sqrt(x))', 'G · sign(x)', 'G · σ(x)(1 − σ(x))', 'G · (1 − tanh²(x))']);
  });
});

describe('clamp', () => {
  test.each([
    [-1, 1, [-1, -1, 0, 0.5, 1, 1, NaN], [0, 1, 1, 1, 1, 0, 0]],
    [null, 1, [-3, -1, 0, 0.5, 1, 1, NaN], [1, 1, 1, 1, 1, 0, 0]],
    [0, null, [0, 0, 0, 0.5, 1, 4, NaN], [0, 0, 1, 1, 1, 1, 0]],
    [null, null, [-3, -1, 0, 0.5, 1, 4, NaN], [1, 1, 1, 1, 1, 1, 1]],
    // A lower bound above the upper: the upper everywhere (min(max(x, 2), 1)); no x is in [2, 1].
    [2, 1, [1, 1, 1, 1, 1, 1, NaN], [0, 0, 0, 0, 0, 0, 0]],
  ])('min %p, max %p: values; the gradient passes where min ≤ x ≤ max, bounds included', (min, max, values, gradient) => {
    // The leaf is made in the test, not in the describe: see 'broadcasting' above.
    const x = variable([7], [-3, -1, 0, 0.5, 1, 4, NaN]);
    expect(data(clamp(x, min, max))).toEqual(values);
    expect(Array.from(engineGrad((v) => clamp(v, min, max), x))).toEqual(gradient);
  });
});

describe('constants and helpers', () => {
  test('constant, zeros, ones, item', () => {
    const c = constant(3);
    expect(c.requiresGrad).toBe(false);
    expect(c.shape).toEqual([]);
    expect(item(c)).toBe(3);
    expect(constant({ shape: [2], data: Float64Array.of(1, 2) }).requiresGrad).toBe(false);
    const z = zeros([2, 3]);
    const o = ones([3]);
    expect([z.shape, data(z), o.shape, data(o)]).toEqual([[2, 3], [0, 0, 0, 0, 0, 0], [3], [1, 1, 1]]);
  });
});
