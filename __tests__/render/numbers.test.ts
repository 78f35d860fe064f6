import { alignNumbers, chooseStyle, formatNumbers } from '../../src/render/numbers';

const texts = (values: number[], precision = 6): string[] => {
  const f = formatNumbers(values, precision);
  return values.map((_, k) => f.texts.get(k));
};

describe('one number style per column (numpy: scientific when min < 1e-4, max ≥ 1e8 or max/min > 1e3)', () => {
  test.each([
    [[1e-8, 2e-6], 'scientific'],
    [[0.5, 12], 'fixed'],
    [[0.001, 2], 'scientific'], // ratio 2000
    [[0.001, 1], 'fixed'], // ratio 1000 exactly: not above
    [[1e-4, 0.05], 'fixed'],
    [[9.9e-5, 0.05], 'scientific'],
    [[99999999], 'fixed'],
    [[1e8], 'scientific'],
    [[-1e-8, 0.5], 'scientific'], // magnitudes, not signed values
    [[0, -0, NaN, Infinity, -Infinity], 'fixed'], // nothing finite and non-zero
    [[0, NaN, Infinity, 0.5, 12], 'fixed'], // zeros and non-finite numbers take no part
    [[0, 1e-8], 'scientific'],
    [[], 'fixed'],
  ])('%p → %s', (values, style) => {
    expect(chooseStyle(values)).toBe(style);
  });

  test('the mixed column of the old tables becomes one style', () => {
    expect(texts([-1.65424e-8, -0.00000245511])).toEqual(['-1.65424e-08', '-2.45511e-06']);
  });
});

describe('fixed notation', () => {
  test('precision significant digits, trailing zeros dropped, integers without a point', () => {
    expect(texts([0.6590011388859679, 0.24243297070471392, 0.09856589040931818])).toEqual(['0.659001', '0.242433', '0.0985659']);
    expect(texts([0.6590011388859679, 0.09856589040931818], 3)).toEqual(['0.659', '0.0986']);
    expect(texts([0.5, 12, -3, 2.0000001])).toEqual(['0.5', '12', '-3', '2']);
  });
  test('no exponent where toPrecision would write one', () => {
    // 1234567 at 6 digits is 1.23457e+6 from toPrecision; the column is fixed (ratio < 1e3).
    expect(texts([1234567, 5e5])).toEqual(['1234570', '500000']);
    expect(texts([99999999])).toEqual(['100000000']);
  });
  test('special values: -0 keeps its sign; nan, inf, -inf', () => {
    expect(texts([0, -0, NaN, Infinity, -Infinity, 1.5])).toEqual(['0', '-0', 'nan', 'inf', '-inf', '1.5']);
  });
});

describe('scientific notation', () => {
  test('one mantissa length for the column (zeros added), exponents with a sign and two digits', () => {
    expect(texts([1e-8, 2e-6])).toEqual(['1e-08', '2e-06']);
    expect(texts([1.5e-8, 2e-6])).toEqual(['1.5e-08', '2.0e-06']);
    expect(texts([1.23456789e-8, 1])).toEqual(['1.23457e-08', '1.00000e+00']);
    expect(texts([1.23456789e-8, 1], 2)).toEqual(['1.2e-08', '1.0e+00']);
    expect(texts([1.23456789e-8], 1)).toEqual(['1e-08']);
  });
  test('one exponent width for the column', () => {
    expect(texts([1e-100, 5e-5])).toEqual(['1e-100', '5e-005']);
    expect(texts([1.7976931348623157e308, 1])).toEqual(['1.79769e+308', '1.00000e+000']);
  });
  test('rounding may carry into the exponent', () => {
    expect(texts([9.9999996e-5, 1e-8])).toEqual(['1e-04', '1e-08']);
  });
  test('zeros stay 0 and -0; nan and infinities as in fixed columns', () => {
    expect(texts([1e-8, 0, -0, NaN, -Infinity])).toEqual(['1e-08', '0', '-0', 'nan', '-inf']);
  });
});

describe('alignment', () => {
  const pad = (values: number[], minWidth = 0): string[] => {
    const f = formatNumbers(values, 6);
    const { left, right } = alignNumbers(f, minWidth, (s) => s.length);
    return values.map((_, k) => ' '.repeat(left[k]) + f.texts.get(k) + ' '.repeat(right[k]));
  };
  test('on the decimal point; non-finite numbers right-aligned', () => {
    expect(pad([0.5, 12, -3, NaN, -Infinity])).toEqual([' 0.5', '12  ', '-3  ', ' nan', '-inf']);
  });
  test('scientific numbers on the mantissa point, zeros as integers', () => {
    expect(pad([-1.5e-8, 2e-6, 0])).toEqual(['-1.5e-08', ' 2.0e-06', ' 0      ']);
  });
  test('right-aligned as a block in a wider column', () => {
    expect(pad([0.5, 12], 8)).toEqual(['     0.5', '    12  ']);
  });
});

test('precision must be 1 to 100 significant digits', () => {
  expect(() => formatNumbers([1], 0)).toThrow(RangeError);
  expect(() => formatNumbers([1], 101)).toThrow(RangeError);
  expect(() => formatNumbers([1], 2.5)).toThrow(RangeError);
  expect(texts([Math.PI], 17)).toEqual(['3.1415926535897931']);
});
