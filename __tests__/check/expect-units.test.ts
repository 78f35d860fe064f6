/**
 * The pieces of --expect one by one, without the CLI: the written-precision rule, the comparison
 * of one number, shapes and counts, the verdict's entries, the mistake transformations, the
 * rounding hint, the Hessian symmetry hint and the block transpose, each with exact values.
 */
import {
  checkShapes,
  compare,
  findHint,
  genericCandidates,
  genericTransforms,
  symmetryHint,
  transposeBlocks,
  within,
  writtenAllowance,
  type Expected,
  type ToleranceRule,
  type Verdict,
} from '../../src/check/expect';
import { UsageError } from '../../src/errors';
import type { Tensor } from '../../src/tensor';

const t = (shape: number[], data: number[]): Tensor => ({ shape, data: Float64Array.from(data) });
const expected = (shape: number[], texts: string[]): Expected => ({ tensor: t(shape, texts.map(Number)), texts });
const WRITTEN: ToleranceRule = { kind: 'written' };

describe('writtenAllowance: half a unit of the last written digit', () => {
  test.each([
    ['1.25', 0.005],
    ['-1.25', 0.005],
    ['+1.25', 0.005],
    ['\u22121.25', 0.005],
    ['.5', 0.05],
    ['7', 0.5],
    ['12e2', 50],
    ['1.5E+2', 5],
    ['2.50e-1', 0.0005],
    ['  0.1  ', 0.05],
    ['1e10', 5e9],
    ['2.5e-12', 5e-14],
    ['nan', 0],
    ['-inf', 0],
    ['1.2.3', 0],
    ['0x10', 0],
  ])('%p → %p', (text, allowance) => {
    const a = writtenAllowance(text);
    expect(Math.abs(a - allowance)).toBeLessThanOrEqual(allowance * 1e-12);
  });
});

describe('within', () => {
  test('inside, on and outside the allowance', () => {
    expect(within(1.2, 1, 0.25)).toBe(true);
    expect(within(0.8, 1, 0.25)).toBe(true);
    expect(within(1.25, 1, 0.25)).toBe(true);
    expect(within(1.26, 1, 0.25)).toBe(false);
    expect(within(0.74, 1, 0.25)).toBe(false);
  });
  test('the rounding slack: 0.6595 against 0.659 ± 0.0005 matches', () => {
    expect(within(0.6595, 0.659, 0.0005)).toBe(true);
    expect(within(0.659, 0.6595, 0.0005)).toBe(true);
    expect(within(0.65951, 0.659, 0.0005)).toBe(false);
  });
  test('an allowance of 0: only the same number (down to the smallest subnormals)', () => {
    expect(within(3, 3, 0)).toBe(true);
    expect(within(3, 3 + 2 ** -51, 0)).toBe(false);
    expect(within(0, 1e-299, 0)).toBe(false);
    expect(within(0, 1e-301, 0)).toBe(true);
    expect(within(5e-324, 0, 0)).toBe(true);
    expect(within(1e-300, 0, 0)).toBe(true);
  });
  test('NaN matches only NaN; infinities only themselves', () => {
    expect(within(NaN, NaN, 0)).toBe(true);
    expect(within(1, NaN, 1e300)).toBe(false);
    expect(within(NaN, 1, 1e300)).toBe(false);
    expect(within(Infinity, Infinity, 0)).toBe(true);
    expect(within(-Infinity, -Infinity, 0)).toBe(true);
    expect(within(-Infinity, Infinity, 1e300)).toBe(false);
    expect(within(1e308, Infinity, 1e308)).toBe(false);
    expect(within(Infinity, 1e308, 1e308)).toBe(false);
    expect(within(Infinity, 1, Infinity)).toBe(false);
  });
});

describe('checkShapes', () => {
  test('a flat list stands for any shape of the same count', () => {
    expect(() => checkShapes(t([2, 2], [1, 2, 3, 4]), expected([4], ['1', '2', '3', '4']), 'jacobian')).not.toThrow();
    expect(() => checkShapes(t([2, 2], [1, 2, 3, 4]), expected([2, 2], ['1', '2', '3', '4']), 'jacobian')).not.toThrow();
  });
  test.each<[Tensor, Expected, string]>([
    [t([3], [1, 2, 3]), expected([2], ['1', '2']), '--expect has 2 numbers, the value has 3'],
    [t([1], [1]), expected([2], ['1', '2']), '--expect has 2 numbers, the value has 1'],
    [t([3], [1, 2, 3]), expected([1], ['1']), '--expect has 1 number, the value has 3'],
    [t([2, 3], [1, 2, 3, 4, 5, 6]), expected([4], ['1', '2', '3', '4']), '--expect has 4 numbers, the value has 6 (shape 2×3)'],
    [t([2, 3], [1, 2, 3, 4, 5, 6]), expected([3, 2], ['1', '2', '3', '4', '5', '6']), '--expect has shape 3×2, the value has shape 2×3'],
    [t([6], [1, 2, 3, 4, 5, 6]), expected([2, 3], ['1', '2', '3', '4', '5', '6']), '--expect has shape 2×3, the value has shape 6'],
  ])('%#', (actual, exp, message) => {
    expect(() => checkShapes(actual, exp, 'value')).toThrow(new UsageError(message));
  });
});

describe('compare', () => {
  test('each number with its index, text, difference, allowance and match; the verdict matches when all do', () => {
    const v = compare(t([2, 2], [1, 2, 3, 4.04]), expected([4], ['1.0', '2', '3.00', '4.0']), WRITTEN, 'jacobian');
    expect(v.quantity).toBe('jacobian');
    expect(v.rule).toEqual(WRITTEN);
    expect(v.match).toBe(true);
    expect(v.numbers.map((n) => [n.index, n.expected, n.text, n.actual, n.match])).toEqual([
      [[0, 0], 1, '1.0', 1, true],
      [[0, 1], 2, '2', 2, true],
      [[1, 0], 3, '3.00', 3, true],
      [[1, 1], 4, '4.0', 4.04, true],
    ]);
    [0.05, 0.5, 0.005, 0.05].forEach((a, k) => expect(v.numbers[k].allowance).toBeCloseTo(a, 15));
    expect(v.numbers[3].difference).toBeCloseTo(0.04, 12);
    expect(v.numbers[0].difference).toBe(0);
  });
  test('one mismatch makes the verdict a mismatch', () => {
    const v = compare(t([3], [1, 2, 3]), expected([3], ['1', '2.4', '3']), WRITTEN, 'value');
    expect(v.numbers.map((n) => n.match)).toEqual([true, false, true]);
    expect(v.match).toBe(false);
    expect(v.numbers[1].difference).toBeCloseTo(-0.4, 12);
  });
  test('an explicit rule: atol + rtol·|expected|', () => {
    const rule: ToleranceRule = { kind: 'explicit', rtol: 0.1, atol: 0.01 };
    const v = compare(t([2], [-10.5, 0.02]), expected([2], ['-10', '0']), rule, 'grad');
    expect(v.numbers.map((n) => n.allowance)).toEqual([0.01 + 0.1 * 10, 0.01]);
    expect(v.numbers.map((n) => n.match)).toEqual([true, false]);
  });
  test('indices of a rank-3 tensor, row-major', () => {
    const v = compare(t([2, 1, 3], [0, 1, 2, 3, 4, 5]), expected([6], ['0', '1', '2', '3', '4', '5']), WRITTEN, 'value');
    expect(v.numbers.map((n) => n.index)).toEqual([[0, 0, 0], [0, 0, 1], [0, 0, 2], [1, 0, 0], [1, 0, 1], [1, 0, 2]]);
  });
  test('a scalar has the empty index', () => {
    expect(compare(t([], [2]), expected([1], ['2']), WRITTEN, 'value').numbers[0].index).toEqual([]);
  });
});

describe('the mistake transformations', () => {
  test('sign, 2 and 1/2 always; N and 1/N only for N > 2', () => {
    const x = t([3], [1, -2, 4]);
    const apply = (n?: number) => genericTransforms(n).map((tr) => [tr.hint, Array.from(tr.apply(x)!.data)]);
    expect(apply()).toEqual([
      ['the sign is flipped: every number is minus the right one (y − p instead of p − y?)', [-1, 2, -4]],
      ['every number is twice the right one (a factor 2 too many)', [2, -4, 8]],
      ["every number is half the right one (a factor 2 missing, like MSE's 2 in 2(x − t))", [0.5, -1, 2]],
    ]);
    expect(apply(2)).toEqual(apply());
    expect(apply(3).slice(3)).toEqual([
      ['every number is N = 3 times the right one (a sum where a mean was meant?)', [3, -6, 12]],
      ['every number is the right one divided by N = 3 (a mean where a sum was meant?)', [1 / 3, -2 / 3, 4 / 3]],
    ]);
    expect(genericTransforms(3)[0].apply(t([2, 1], [1, 2]))!.shape).toEqual([2, 1]);
  });
  test('genericCandidates are the transformations applied', () => {
    const c = genericCandidates(t([2], [1, 3]), 4);
    expect(c.map((k) => Array.from(k.values!.data))).toEqual([[-1, -3], [2, 6], [0.5, 1.5], [4, 12], [0.25, 0.75]]);
    expect(c.map((k) => k.hint)).toEqual(genericTransforms(4).map((k) => k.hint));
  });
});

describe('findHint', () => {
  const verdict = (actual: number[], texts: string[], rule: ToleranceRule = WRITTEN): Verdict => compare(t([actual.length], actual), expected([texts.length], texts), rule, 'value');
  test('the first candidate that explains every number and differs from the answer', () => {
    const v = verdict([1, 2, 3], ['-1', '-2', '-3']);
    const candidates = [
      { hint: 'no values', values: undefined },
      { hint: 'wrong count', values: t([2], [-1, -2]) },
      { hint: 'one value too many', values: t([4], [-1, -2, -3, 0]) },
      { hint: 'explains two of three', values: t([3], [-1, -2, 3]) },
      { hint: 'the sign', values: t([3], [-1, -2, -3]) },
      { hint: 'also the sign, later', values: t([3], [-1, -2, -3]) },
    ];
    expect(findHint(v, candidates)).toBe('the sign');
  });
  test('a candidate too close to the right answer explains nothing (it must differ)', () => {
    const rule: ToleranceRule = { kind: 'explicit', rtol: 0, atol: 0.5 };
    const v = verdict([2.8, 5], ['2', '5'], rule);
    expect(v.match).toBe(false);
    expect(findHint(v, [{ hint: 'within 0.5 of the answer', values: t([2], [2.4, 5]) }])).toBeUndefined();
    expect(findHint(v, [{ hint: 'a shift', values: t([2], [1.9, 5]) }])).toBe('a shift');
  });
  test('a matching verdict has no hint, whatever the candidates', () => {
    const v = verdict([1, 2], ['1', '2']);
    expect(findHint(v, [{ hint: 'x', values: t([2], [1, 2]) }])).toBeUndefined();
  });
  test('rounded too coarsely: off by at most one unit of the last digit', () => {
    expect(findHint(verdict([0.6590011, 0.2424], ['0.65', '0.24']), [])).toBe(
      'the numbers are right but rounded too coarsely or truncated: 0.65 should be 0.66 at that precision (round the exact value, not an earlier rounding)',
    );
    // The example is the first number that does not match.
    expect(findHint(verdict([0.2424, 0.6590011], ['0.24', '0.65']), [])).toContain(': 0.65 should be 0.66 at that precision');
    // Two units off is not rounding.
    expect(findHint(verdict([0.6690011], ['0.65']), [])).toBeUndefined();
  });
  test('no rounding hint for a value with no more digits than were written, nor under an explicit rule', () => {
    expect(findHint(verdict([4], ['5']), [])).toBeUndefined();
    // 4.4 cannot become 5 by truncating or rounding twice; 4.46 can (4.46 → 4.5 → 5).
    expect(findHint(verdict([4.4], ['5']), [])).toBeUndefined();
    expect(findHint(verdict([4.46], ['5']), [])).toBe('the numbers are right but rounded too coarsely or truncated: 5 should be 4 at that precision (round the exact value, not an earlier rounding)');
    expect(findHint(verdict([0.6590011], ['0.65'], { kind: 'explicit', rtol: 0, atol: 0.001 }), [])).toBeUndefined();
  });
});

describe('symmetryHint', () => {
  const hessian = (texts: string[]): Verdict => ({ ...compare(t([texts.length], texts.map(Number).map((x) => x + 100)), expected([texts.length], texts), WRITTEN, 'hessian') });
  test('names the first pair that differs', () => {
    expect(symmetryHint(hessian(['1', '2', '3', '1']))).toBe(
      'a Hessian is symmetric (∂²/∂x_i∂x_j = ∂²/∂x_j∂x_i), but the numbers given are not: [0,1] is 2 and [1,0] is 3',
    );
    expect(symmetryHint(hessian(['1', '2', '3', '2', '5', '6', '3', '7', '9']))).toBe(
      'a Hessian is symmetric (∂²/∂x_i∂x_j = ∂²/∂x_j∂x_i), but the numbers given are not: [1,2] is 6 and [2,1] is 7',
    );
  });
  test('symmetric within the tolerances, not square, 1×1 or matching: none', () => {
    expect(symmetryHint(hessian(['1', '2.1', '2', '1']))).toBeUndefined();
    expect(symmetryHint(hessian(['1', '2', '3']))).toBeUndefined();
    expect(symmetryHint(hessian(['1', '2', '3', '4', '5']))).toBeUndefined();
    expect(symmetryHint(hessian(['1']))).toBeUndefined();
    const right = compare(t([4], [1, 2, 3, 1]), expected([4], ['1', '2', '3', '1']), WRITTEN, 'hessian');
    expect(symmetryHint(right)).toBeUndefined();
  });
  test('the larger of the two allowances decides', () => {
    // 2 ± 0.5 and 2.45 ± 0.005: 0.45 apart, within the larger.
    expect(symmetryHint(hessian(['1', '2', '2.45', '1']))).toBeUndefined();
    expect(symmetryHint(hessian(['1', '2.45', '2', '1']))).toBeUndefined();
  });
});

describe('transposeBlocks', () => {
  test('a square matrix is transposed', () => {
    const r = transposeBlocks(t([3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]))!;
    expect([r.shape, Array.from(r.data)]).toEqual([[3, 3], [1, 4, 7, 2, 5, 8, 3, 6, 9]]);
  });
  test('each square block of a batch, in place', () => {
    const r = transposeBlocks(t([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]))!;
    expect([r.shape, Array.from(r.data)]).toEqual([[2, 2, 2], [1, 3, 2, 4, 5, 7, 6, 8]]);
  });
  test('not square, or not a matrix: undefined', () => {
    expect(transposeBlocks(t([2, 3], [1, 2, 3, 4, 5, 6]))).toBeUndefined();
    expect(transposeBlocks(t([4], [1, 2, 3, 4]))).toBeUndefined();
    expect(transposeBlocks(t([1], [1]))).toBeUndefined();
    expect(transposeBlocks(t([], [5]))).toBeUndefined();
    expect(transposeBlocks(t([2, 3, 3], Array.from({ length: 18 }, (_, i) => i)))!.data.slice(9, 12)).toEqual(Float64Array.from([9, 12, 15]));
  });
  test('the block is the last two dimensions, whatever the batch', () => {
    const r = transposeBlocks(t([3, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]))!;
    expect([r.shape, Array.from(r.data)]).toEqual([[3, 2, 2], [1, 3, 2, 4, 5, 7, 6, 8, 9, 11, 10, 12]]);
  });
});
