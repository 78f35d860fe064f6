/**
 * checkFormula on hand-made problems, without the CLI: where the 8 further points are drawn
 * (mulberry32 from the fixed seed, written here independently with BigInt arithmetic; ±50% of each
 * moving value, [−1, 1] for a zero, fixed names untouched), which points are kept (finite where the
 * answer is, of the answer's size, inside the domain) and the 80-draw budget; the tolerance
 * (rtol 1e-9·|actual| + 1e-12·max(1, largest finite |actual|), inclusive; --rtol/--atol instead),
 * NaN and infinities; the element named where the formula differs (the largest excess, the first on
 * a tie, its index in the answer's shape); what is a usage error, a verdict, or a bug that must
 * surface; and when a usual mistake is named (only where it explains the formula at every point).
 */
import * as grad from '../../src/commands/grad';
import type { Point, ToleranceRule } from '../../src/check/expect';
import { checkFormula, FORMULA_ATOL, FORMULA_POINTS, FORMULA_RTOL, type FormulaProblem } from '../../src/check/formula';
import { ActgradError, UsageError } from '../../src/errors';
import type { Tensor } from '../../src/tensor';

const WRITTEN: ToleranceRule = { kind: 'written' };
const scalar = (v: number): Tensor => ({ shape: [], data: Float64Array.of(v) });
const vector = (...v: number[]): Tensor => ({ shape: [v.length], data: Float64Array.from(v) });
const matrix = (rows: number[][]): Tensor => ({ shape: [rows.length, rows[0].length], data: Float64Array.from(rows.flat()) });
/** The first element of a name's value at a point. */
const valueOf = (at: Point, name: string): number => at.find(([n]) => n === name)![1].data[0];

/** A problem in x alone (a scalar at 1.2 unless given), recording every point the reference is asked about. */
function problem(reference: (at: Point) => Tensor, extra: Partial<FormulaProblem> = {}): FormulaProblem & { asked: Point[] } {
  const asked: Point[] = [];
  return {
    at: [['x', scalar(1.2)]],
    moving: new Set(['x']),
    quantity: 'derivative',
    ...extra,
    reference: (at) => {
      asked.push(at);
      return reference(at);
    },
    asked,
  };
}
/** A reference that does not depend on the point. */
const constant = (t: Tensor) => problem(() => t);

type Alternative = NonNullable<FormulaProblem['alternatives']>[number];
const twice = 'every number is twice the right one (a factor 2 too many)';

/** mulberry32 as published (Tommy Ettinger), in BigInt so that nothing depends on Math.imul or >>> 0. */
function mulberry32(seed: number): () => number {
  const mask = (1n << 32n) - 1n;
  let state = BigInt(seed) & mask;
  return () => {
    state = (state + 0x6d2b79f5n) & mask;
    let z = state;
    z = ((z ^ (z >> 15n)) * (z | 1n)) & mask;
    z = (z ^ ((z + ((z ^ (z >> 7n)) * (z | 61n))) & mask)) & mask;
    return Number(z ^ (z >> 14n)) / 2 ** 32;
  };
}

describe('the points: the given one, then 8 drawn from the fixed seed', () => {
  const at: Point = [
    ['x', vector(0.3, 0, -2)],
    ['c', scalar(5)],
    ['y', scalar(4)],
  ];
  const drawn = (): Point[] => {
    const p = problem((q) => q[0][1], { at, moving: new Set(['x', 'y']) });
    expect(checkFormula(p, 'x', WRITTEN, '--expect').match).toBe(true);
    return p.asked;
  };

  test('the given point first, then 8 more, each drawn once (all are kept here)', () => {
    const asked = drawn();
    expect(asked).toHaveLength(1 + FORMULA_POINTS);
    expect(asked[0]).toBe(at);
  });
  test('each moving value within ±50% of itself, a zero within [−1, 1], a fixed name unchanged', () => {
    for (const point of drawn().slice(1)) {
      const [x0, zero, x2] = point[0][1].data;
      expect(x0).toBeGreaterThanOrEqual(0.15);
      expect(x0).toBeLessThanOrEqual(0.45);
      expect(zero).toBeGreaterThanOrEqual(-1);
      expect(zero).toBeLessThanOrEqual(1);
      expect(x2).toBeGreaterThanOrEqual(-3);
      expect(x2).toBeLessThanOrEqual(-1);
      expect(point[1]).toEqual(['c', scalar(5)]);
      expect(valueOf(point, 'y')).toBeGreaterThanOrEqual(2);
      expect(valueOf(point, 'y')).toBeLessThanOrEqual(6);
      expect(point[0][1].shape).toEqual([3]);
    }
  });
  test('exactly mulberry32(0x5eed2024): v·(1 + (u − 0.5)) for v ≠ 0, 2u − 1 for 0, in the order of the names and elements', () => {
    const u = mulberry32(0x5eed2024);
    const expected = Array.from({ length: FORMULA_POINTS }, () => {
      const [a, b, c, d] = [u(), u(), u(), u()];
      return [0.3 * (1 + (a - 0.5)), 2 * b - 1, -2 * (1 + (c - 0.5)), 4 * (1 + (d - 0.5))];
    });
    const got = drawn()
      .slice(1)
      .map((point) => [...point[0][1].data, valueOf(point, 'y')]);
    for (const [k, row] of expected.entries()) {
      row.forEach((v, i) => expect(Math.abs(got[k][i] - v)).toBeLessThanOrEqual(1e-15 * Math.abs(v)));
    }
  });
  test('the same problem gets the same points every time', () => {
    expect(drawn()).toEqual(drawn());
  });
});

describe('which drawn points are kept', () => {
  test('a point where the answer is not finite (but is at the given point) is drawn again, not compared', () => {
    // The answer is NaN below x = 1 in its second element; the formula x is right wherever it is defined.
    const p = problem((at) => vector(valueOf(at, 'x'), valueOf(at, 'x') < 1 ? NaN : valueOf(at, 'x')));
    const v = checkFormula(p, 'x*torch.ones(2)', WRITTEN, '--expect');
    expect(v.match).toBe(true);
    expect(v.formula!.points).toBe(9);
    expect(p.asked.some((at) => valueOf(at, 'x') < 1)).toBe(true);
  });
  test('an entry that is infinite at the given point may be infinite at the others', () => {
    const p = problem((at) => vector(Infinity, valueOf(at, 'x')));
    const v = checkFormula(p, 'torch.stack([torch.tensor(1.0)/0, x])', WRITTEN, '--expect');
    expect([v.match, v.formula!.points]).toEqual([true, 9]);
  });
  test('a point where the answer has another size is drawn again', () => {
    // Two entries from the given x = 1.2 up, one below: only the points of two entries are compared.
    const p = problem((at) => (valueOf(at, 'x') >= 1.2 ? vector(valueOf(at, 'x'), valueOf(at, 'x')) : vector(valueOf(at, 'x'))));
    const v = checkFormula(p, 'x*torch.ones(2)', WRITTEN, '--expect');
    expect([v.match, v.formula!.points]).toEqual([true, 9]);
    expect(p.asked.some((at) => valueOf(at, 'x') < 1.2)).toBe(true);
  });
  test('outside the domain (an ActgradError at a point) it draws again, and gives up after 80 draws', () => {
    const p = problem((at) => {
      if (valueOf(at, 'x') !== 1.2) throw new ActgradError('outside the domain');
      return scalar(1.2);
    });
    const v = checkFormula(p, 'x', WRITTEN, '--expect');
    expect(p.asked).toHaveLength(1 + 10 * FORMULA_POINTS);
    expect([v.match, v.formula!.points, v.formula!.differs]).toEqual([true, 1, undefined]);
  });
  test('any other error of the reference is a bug: it surfaces', () => {
    const p = problem((at) => {
      if (valueOf(at, 'x') !== 1.2) throw new TypeError('a bug in the reference');
      return scalar(1.2);
    });
    expect(() => checkFormula(p, 'x', WRITTEN, '--expect')).toThrow(new TypeError('a bug in the reference'));
  });
  test('with no moving name only the given point counts: a number written in is then right', () => {
    const p = problem(() => scalar(2.4), { moving: new Set() });
    const v = checkFormula(p, '2.4 + 0*x', WRITTEN, '--expect');
    expect([v.match, v.formula!.points]).toEqual([true, 1]);
  });
});

describe('the tolerance: |formula − actual| ≤ rtol·|actual| + atol', () => {
  test('atol is 1e-12 × the largest |actual| over the points (at least 1), rtol 1e-9', () => {
    expect([FORMULA_RTOL, FORMULA_ATOL]).toEqual([1e-9, 1e-12]);
    const big = checkFormula(constant(vector(1000, -3)), 'torch.tensor([1000.0, -3.0])', WRITTEN, '--expect').formula!;
    expect(big.rtol).toBe(1e-9);
    expect(Math.abs(big.atol - 1e-9)).toBeLessThanOrEqual(1e-24);
    const small = checkFormula(constant(vector(0.5, -0.25)), 'torch.tensor([0.5, -0.25])', WRITTEN, '--expect').formula!;
    expect(small.atol).toBe(1e-12);
  });
  test('at 1000 the allowance is 1e-9 + 1e-6: 5e-7 and 1e-6 off pass, 1.1e-6 off fails', () => {
    const p = constant(scalar(1000));
    expect(checkFormula(p, '1000 + 5e-7 + 0*x', WRITTEN, '--expect').match).toBe(true);
    expect(checkFormula(p, '1000 + 1e-6 + 0*x', WRITTEN, '--expect').match).toBe(true);
    expect(checkFormula(p, '1000 + 1.1e-6 + 0*x', WRITTEN, '--expect').match).toBe(false);
  });
  test('an infinite entry does not widen atol: the finite ones are still compared at 1e-12 × their scale', () => {
    const v = checkFormula(constant(vector(Infinity, 3)), 'torch.stack([torch.tensor(1.0)/0, 3.1 + 0*x])', WRITTEN, '--expect');
    expect(v.match).toBe(false);
    expect(v.formula!.atol).toBe(3e-12);
    expect(v.formula!.differs).toMatchObject({ index: [1], formula: 3.1, actual: 3 });
  });
  test('--rtol/--atol replace both, and the boundary itself passes', () => {
    const atol: ToleranceRule = { kind: 'explicit', rtol: 0, atol: 0.5 };
    expect(checkFormula(constant(scalar(1)), '1.5 + 0*x', atol, '--expect').match).toBe(true);
    expect(checkFormula(constant(scalar(1)), '1.5000001 + 0*x', atol, '--expect').match).toBe(false);
    const rtol: ToleranceRule = { kind: 'explicit', rtol: 0.25, atol: 0 };
    expect(checkFormula(constant(scalar(2)), '2.5 + 0*x', rtol, '--expect').match).toBe(true);
    expect(checkFormula(constant(scalar(2)), '2.5000001 + 0*x', rtol, '--expect').match).toBe(false);
    expect(checkFormula(constant(scalar(2)), '2.5 + 0*x', rtol, '--expect').formula).toMatchObject({ rtol: 0.25, atol: 0 });
  });
});

describe('NaN and infinities: each matches only itself', () => {
  test.each([
    ['NaN for NaN', NaN, 'torch.tensor(0.0)/0', true],
    ['1 for NaN', NaN, 'torch.tensor(1.0)', false],
    ['inf for inf', Infinity, 'torch.tensor(1.0)/0', true],
    ['-inf for -inf', -Infinity, 'torch.tensor(-1.0)/0', true],
    ['inf for -inf', -Infinity, 'torch.tensor(1.0)/0', false],
    ['1e300 for inf', Infinity, 'torch.tensor(1e300)', false],
    ['inf for 1e300', 1e300, 'torch.tensor(1.0)/0', false],
    ['NaN for 1', 1, 'torch.tensor(0.0)/0', false],
  ])('%s', (_name, actual, formula, match) => {
    expect(checkFormula(constant(scalar(actual)), `${formula} + 0*x`, WRITTEN, '--expect').match).toBe(match);
  });
});

describe('where it differs: the element with the largest excess over its allowance', () => {
  const ones = constant(vector(1, 1, 1));
  test.each([
    ['the first is worst', '[2.0, 1.5, 1.0]', [0], 2],
    ['the second is worst', '[1.5, 3.0, 1.0]', [1], 3],
    ['a tie: the first of them', '[2.0, 0.0, 1.0]', [0], 2],
    ['one element only', '[1.0, 1.0, 0.5]', [2], 0.5],
  ])('%s', (_name, values, index, formula) => {
    const v = checkFormula(ones, `torch.tensor(${values}) + 0*x`, WRITTEN, '--expect');
    expect(v.formula!.differs).toEqual({ at: ones.at, index, formula, actual: 1 });
  });
  test('the excess, not the difference: 10 off an allowance of 5 is less than 7 off 0.5', () => {
    const v = checkFormula(constant(vector(10, 1)), 'torch.tensor([20.0, 8.0]) + 0*x', { kind: 'explicit', rtol: 0.5, atol: 0 }, '--expect');
    expect(v.formula!.differs).toMatchObject({ index: [1], formula: 8, actual: 1 });
  });
  test('a difference near the largest float is compared as it is (2e307 against 1e308)', () => {
    const v = checkFormula(constant(vector(1.2e308, 1e308)), 'torch.tensor([1e308, 0.0]) + 0*x', WRITTEN, '--expect');
    expect(v.formula!.differs).toMatchObject({ index: [1], formula: 0, actual: 1e308 });
  });
  test('the index in the answer\'s shape: [1,0] of a 2×2 matrix, [2] of a vector, [] of a scalar', () => {
    const m = checkFormula(constant(matrix([[1, 2], [3, 4]])), 'torch.tensor([[1.0, 2.0], [0.0, 4.0]]) + 0*x', WRITTEN, '--expect');
    expect(m.formula!.differs).toMatchObject({ index: [1, 0], formula: 0, actual: 3 });
    expect(m.numbers.map((n) => n.index)).toEqual([[0, 0], [0, 1], [1, 0], [1, 1]]);
    const s = checkFormula(constant(scalar(1)), '2 + 0*x', WRITTEN, '--expect');
    expect(s.formula!.differs).toMatchObject({ index: [], formula: 2, actual: 1 });
  });
});

describe('the numbers at the given point', () => {
  test('each entry: the formula as expected, actual − formula as the difference, its allowance and match', () => {
    const v = checkFormula(constant(vector(0.25, 3)), 'torch.tensor([0.5, 3.0]) + 0*x', WRITTEN, '--expect');
    expect(v.numbers).toEqual([
      { index: [0], expected: 0.5, text: '0.5', actual: 0.25, difference: -0.25, allowance: 1e-12 * 3 + 1e-9 * 0.25, match: false },
      { index: [1], expected: 3, text: '3', actual: 3, difference: 0, allowance: 1e-12 * 3 + 1e-9 * 3, match: true },
    ]);
  });
});

describe('right only at the given point', () => {
  test('agreeing at the given point and nowhere else is wrong, and said so', () => {
    const p = problem((at) => scalar(2 * valueOf(at, 'x')));
    const v = checkFormula(p, '2.4 + 0*x', WRITTEN, '--expect');
    expect(v.match).toBe(false);
    expect(v.formula!.onlyAtGiven).toBe(true);
    expect(v.hint).toBe(
      'the formula agrees at the given point only: as a function of the names it is not the answer (is a number written in, or a term that vanishes at this point?)',
    );
  });
  test('a formula that is already wrong at the given point (in one element of two) is not "right only there"', () => {
    const p = problem((at) => vector(valueOf(at, 'x'), 1));
    const v = checkFormula(p, 'torch.tensor([1.2, 5.0]) + 0*x', WRITTEN, '--expect');
    expect([v.match, v.formula!.onlyAtGiven, v.hint]).toEqual([false, false, undefined]);
  });
  test('a right formula is not "right only at the given point", and gets no hint', () => {
    // Its values are 0 everywhere: the sign flipped (−0) would explain them too, but a right answer has no mistake to name.
    const v = checkFormula(problem(() => scalar(0)), '0*x', WRITTEN, '--expect');
    expect([v.match, v.formula!.onlyAtGiven, v.hint]).toEqual([true, false, undefined]);
  });
});

describe('formulas that are not answers: usage errors, not verdicts', () => {
  test('a formula that does not parse names itself and the parse error; the reference is not computed', () => {
    const p = constant(scalar(1));
    expect(() => checkFormula(p, 'sigmoid(x', WRITTEN, '--expect')).toThrow(
      new UsageError(`--expect: "sigmoid(x" is neither numbers nor a formula: the '(' at column 8 is not closed: add ')'`),
    );
    expect(p.asked).toEqual([]);
  });
  test('a scalar formula stands for every element of the answer', () => {
    expect(checkFormula(constant(vector(2, 2, 2)), '2 + 0*x', WRITTEN, '--expect').match).toBe(true);
    expect(checkFormula(constant(vector(2, 2, 3)), '2 + 0*x', WRITTEN, '--expect').match).toBe(false);
  });
  test('a formula of another shape at the given point: both shapes, in words', () => {
    expect(() => checkFormula(constant(scalar(1)), 'x*torch.ones(2)', WRITTEN, '--expect w')).toThrow(
      new UsageError('--expect w: the formula gives a tensor of shape 2, the derivative is a single number'),
    );
    expect(() => checkFormula(constant(vector(1, 2, 3)), 'x*torch.ones(2)', WRITTEN, '--expect')).toThrow(
      new UsageError('--expect: the formula gives a tensor of shape 2, the derivative is a tensor of shape 3'),
    );
  });
});

describe('a formula that fails at a drawn point is wrong there', () => {
  test('another shape there: "it gives a tensor of shape 0 there", at the first such point', () => {
    // int(x) - 1 elements: one at x = 2, none below 2.
    const p = problem((at) => scalar(2 * valueOf(at, 'x')), { at: [['x', scalar(2)]] });
    const v = checkFormula(p, '2*x*torch.ones(int(x.item()) - 1)', WRITTEN, '--expect');
    const first = p.asked.slice(1).find((at) => valueOf(at, 'x') < 2)!;
    expect(v.match).toBe(false);
    expect(v.formula!.differs).toEqual({ at: first, index: [], formula: NaN, actual: 2 * valueOf(first, 'x'), raised: 'it gives a tensor of shape 0 there' });
  });
  test('an error of the evaluator that is not about the formula is a bug: it surfaces', () => {
    const real = grad.evaluateExpression;
    const spy = jest.spyOn(grad, 'evaluateExpression').mockImplementation((e, at) => {
      if (valueOf(at, 'x') !== 1.2) throw new RangeError('a bug in the evaluator');
      return real(e, at);
    });
    try {
      expect(() => checkFormula(problem((at) => at[0][1]), 'x', WRITTEN, '--expect')).toThrow(new RangeError('a bug in the evaluator'));
    } finally {
      spy.mockRestore();
    }
  });
});

describe('hints: a mistake is named only where it explains the formula at every point', () => {
  /** The reference x; the formula 2x, which "twice the right one" explains, after the alternatives. */
  const withAlternatives = (...alternatives: Alternative[]) => problem((at) => scalar(valueOf(at, 'x')), { alternatives });
  const doubled = (at: Point): Tensor => scalar(2 * valueOf(at, 'x'));

  test('an alternative that explains it everywhere is named before the generic ones', () => {
    expect(checkFormula(withAlternatives({ hint: 'A', values: doubled }), '2*x', WRITTEN, '--expect').hint).toBe('A');
  });
  test('an alternative that cannot be computed (an ActgradError) is passed over', () => {
    const failing = {
      hint: 'A',
      values: () => {
        throw new ActgradError('not for this request');
      },
    };
    expect(checkFormula(withAlternatives(failing, { hint: 'B', values: doubled }), '2*x', WRITTEN, '--expect').hint).toBe('B');
  });
  test('any other error of an alternative is a bug: it surfaces', () => {
    const buggy = {
      hint: 'A',
      values: () => {
        throw new TypeError('a bug in an alternative');
      },
    };
    expect(() => checkFormula(withAlternatives(buggy), '2*x', WRITTEN, '--expect')).toThrow(new TypeError('a bug in an alternative'));
  });
  test('an alternative right at the given point only is not named', () => {
    const p = withAlternatives({ hint: 'A', values: (at) => (valueOf(at, 'x') === 1.2 ? doubled(at) : scalar(0)) });
    expect(checkFormula(p, '2*x', WRITTEN, '--expect').hint).toBe(twice);
  });
  test('an alternative of another size is not named, even if it starts with the same numbers', () => {
    const p = withAlternatives({ hint: 'A', values: (at) => vector(2 * valueOf(at, 'x'), 99) });
    expect(checkFormula(p, '2*x', WRITTEN, '--expect').hint).toBe(twice);
  });
  test('an alternative that explains one element of two is not named', () => {
    const p = problem((at) => vector(valueOf(at, 'x'), valueOf(at, 'x')), { alternatives: [{ hint: 'A', values: (at) => vector(2 * valueOf(at, 'x'), 0) }] });
    expect(checkFormula(p, 'x*torch.tensor([2.0, 3.0])', WRITTEN, '--expect').hint).toBeUndefined();
  });
  test("a correction of the formula (σ' on σ(x), not x) right at the given point only is not named", () => {
    const s = (x: number): number => 1 / (1 + Math.exp(-x));
    const p = problem((at) => scalar(valueOf(at, 'x') === 0.3 ? s(0.3) * (1 - s(0.3)) : 0), { at: [['x', scalar(0.3)]] });
    const v = checkFormula(p, 'x*(1 - x)', WRITTEN, '--expect');
    expect([v.match, v.hint]).toEqual([false, undefined]);
    // The same correction where it is right everywhere is named.
    const right = problem((at) => scalar(s(valueOf(at, 'x')) * (1 - s(valueOf(at, 'x')))), { at: [['x', scalar(0.3)]] });
    expect(checkFormula(right, 'x*(1 - x)', WRITTEN, '--expect').hint).toContain('sigmoid(x) * (1 - sigmoid(x)) is meant');
  });
});
