/**
 * Floor division and remainder (src/autograd/division.ts) against Python 3's float // and %, which
 * compute what c10's div_floor_floating and PyTorch's CPU remainder kernel compute; the expected
 * numbers below were printed by Python 3 (`repr(a // b)`, `repr(a % b)`). The remainder's
 * gradient against derivatives.yaml (self: grad; other: -grad * self.div(other, rounding_mode="floor")).
 */
import { floorDivide, floorDivideScalar, remainder, remainderScalar } from '../../src/autograd/division';
import { grad } from '../../src/autograd/engine';
import { constantOf, expectGradMatchesFiniteDifferences, variable } from '../helpers/engine';

// [a, b, a // b, a % b] as Python 3 prints them.
const pythonFloat: [number, number, number, number][] = [
  [7, 2, 3, 1],
  [-7, 2, -4, 1],
  [7, -2, -4, -1],
  [-7, -2, 3, -1],
  [7.5, 2, 3, 1.5],
  [-7.5, 2, -4, 0.5],
  [1, -5, -1, -4],
  [-1, 5, -1, 4],
  [1, 5, 0, 1],
  [2, Infinity, 0, 2],
  [-2, Infinity, -1, Infinity],
  [2, -Infinity, -1, -Infinity],
  [1, 0.1, 9, 0.09999999999999995],
  [0.5, 0.1, 4, 0.09999999999999998],
  [5.4, -1.8, -4, -1.7999999999999998],
  // The quotient (a − fmod(a, b))/b rounds to just beside an integer: Python rounds it back.
  [0.7, -0.1, -7, -8.326672684688674e-17],
  [1.3, -0.1, -13, -2.7755575615628914e-17],
  [2.1, 0.7, 3, 2.220446049250313e-16],
  [2.5, -0.1, -25, -1.3877787807814457e-16],
];

describe('floorDivideScalar and remainderScalar: Python 3 float // and %', () => {
  test.each(pythonFloat)('%p // %p = %p, %p %% %p', (a, b, q, r) => {
    expect(floorDivideScalar(a, b)).toBe(q);
    expect(remainderScalar(a, b)).toBe(r);
    // The defining identity where both sides are finite: a = b·(a // b) + a % b.
    if (Number.isFinite(b)) expect(b * q + r).toBeCloseTo(a, 12);
  });

  test('a zero quotient carries the sign of a / b (copysign(0, a / b))', () => {
    expect(Object.is(floorDivideScalar(0, 5), 0)).toBe(true);
    expect(Object.is(floorDivideScalar(-0, 5), -0)).toBe(true);
    expect(Object.is(floorDivideScalar(0, -5), -0)).toBe(true);
    expect(Object.is(floorDivideScalar(-0, -5), 0)).toBe(true);
    expect(Object.is(floorDivideScalar(1, 5), 0)).toBe(true);
    expect(Object.is(floorDivideScalar(3, Infinity), 0)).toBe(true);
  });

  test('division by zero is IEEE division (±inf, NaN), as div_floor_floating returns a / b', () => {
    expect(floorDivideScalar(3, 0)).toBe(Infinity);
    expect(floorDivideScalar(-3, 0)).toBe(-Infinity);
    expect(floorDivideScalar(3, -0)).toBe(-Infinity);
    expect(floorDivideScalar(0, 0)).toBeNaN();
    expect(remainderScalar(3, 0)).toBeNaN();
  });

  test('NaN and infinite dividends give NaN', () => {
    expect(floorDivideScalar(Infinity, 2)).toBeNaN();
    expect(floorDivideScalar(NaN, 2)).toBeNaN();
    expect(remainderScalar(Infinity, 2)).toBeNaN();
    expect(remainderScalar(2, NaN)).toBeNaN();
  });

  test('exact multiples have remainder zero, whatever the signs', () => {
    for (const [a, b] of [
      [6, 3],
      [-6, 3],
      [6, -3],
      [-6, -3],
    ]) {
      expect(remainderScalar(a, b) === 0).toBe(true);
      expect(floorDivideScalar(a, b)).toBe(a / b);
    }
  });
});

describe('floorDivide on tensors', () => {
  test('elementwise with broadcasting, and a constant: PyTorch does not differentiate it', () => {
    const a = variable([2, 3], [7, -7, 7.5, -7.5, 1, -1]);
    const y = floorDivide(a, constantOf([3], [2, 2, -5]));
    expect(y.shape).toEqual([2, 3]);
    expect(Array.from(y.value.data)).toEqual([3, -4, -2, -4, 0, 0]);
    expect(y.requiresGrad).toBe(false);
    expect(Array.from(floorDivide(9, a).value.data)).toEqual([1, -2, 1, -2, 9, -9]);
  });
});

describe('remainder on tensors', () => {
  // The leaves are made in each test: code run while jest collects the tests is outside every test,
  // where the mutation run's per-test coverage does not see it.
  const operands = () => ({ a: variable([2, 3], [7, -7, 7.5, -7.5, 1.25, -1.25], 'a'), b: variable([3], [2, 3, -4], 'b') });

  test('forward: each element as remainderScalar, b broadcast over the rows', () => {
    const { a, b } = operands();
    const y = remainder(a, b);
    const expected = [0, 1, 2, 3, 4, 5].map((k) => remainderScalar(a.value.data[k], b.value.data[k % 3]));
    expect(Array.from(y.value.data)).toEqual(expected);
    expect(expected).toEqual([1, 2, -0.5, 0.5, 1.25, -1.25]);
  });

  test('gradients: 1 for a; −(a // b) summed over the broadcast rows for b', () => {
    const { a, b } = operands();
    const seed = [1, 2, 3, 4, 5, 6];
    const y = remainder(a, b);
    const [ga, gb] = grad([y], [constantOf([2, 3], seed)], [a, b]);
    expect(Array.from(ga!.value.data)).toEqual(seed);
    // a // b = [[3, -3, -2], [-4, 0, 0]]
    expect(Array.from(gb!.value.data)).toEqual([-(1 * 3 + 4 * -4), -(2 * -3 + 5 * 0), -(3 * -2 + 6 * 0)]);
    expect(gb!.shape).toEqual([3]);
  });

  test('gradients agree with central differences away from the jumps', () => {
    const { a, b } = operands();
    expectGradMatchesFiniteDifferences((bv) => remainder(a, bv), b, [1, 2, 3, 4, 5, 6]);
    expectGradMatchesFiniteDifferences((av) => remainder(av, b), a, [1, 2, 3, 4, 5, 6]);
  });

  test('only the asked-for operand gets a gradient', () => {
    const { a, b } = operands();
    const y = remainder(a, 4);
    const [ga] = grad([y], [constantOf([2, 3], [1, 1, 1, 1, 1, 1])], [a]);
    expect(Array.from(ga!.value.data)).toEqual([1, 1, 1, 1, 1, 1]);
    const z = remainder(10, b);
    const [gb] = grad([z], [constantOf([3], [1, 1, 1])], [b]);
    // 10 // [2, 3, -4] = [5, 3, -3]
    expect(Array.from(gb!.value.data)).toEqual([-5, -3, 3]);
  });

  test('the worked-solution rules name each contribution', () => {
    const { a, b } = operands();
    const rule = remainder(a, b).node!.op.rule!;
    expect(rule('G', ['a', 'b'], 0, undefined)).toBe('G · 1');
    expect(rule('G', ['a', 'b'], 1, undefined)).toBe('G · (-(a // b))');
  });
});
