/**
 * ByteWriter.shortDecimal, the fast path of csv, tsv and json for columns of short decimals (the
 * input as typed), must write exactly what String(x) writes, or nothing.
 */
import fc from 'fast-check';
import { ByteWriter } from '../../src/render/stream-text';

/** What shortDecimal writes for x, or undefined when it declines. */
function written(x: number): string | undefined {
  let text = '';
  const out = new ByteWriter((s) => (text += s));
  out.reserve(32);
  const taken = out.shortDecimal(x);
  out.flush();
  return taken ? text : undefined;
}

describe('shortDecimal writes String(x) or declines', () => {
  test.each([
    [1, '1'],
    [-2.5, '-2.5'],
    [0.1, '0.1'],
    [0.000001, '0.000001'],
    [0.000123, '0.000123'],
    [123.456, '123.456'],
    [1000, '1000'],
    [-0.3, '-0.3'],
    [999999999999999, '999999999999999'],
    [0.1 + 0.2, undefined], // 0.30000000000000004: 17 digits
    [1 / 3, undefined],
    [1e-7, undefined], // String gives 1e-7
    [1e15, undefined],
    [0, undefined],
    [-0, undefined],
    [NaN, undefined],
    [Infinity, undefined],
  ])('%p', (x, want) => {
    expect(written(x)).toBe(want);
  });

  test('decimals of up to 17 significant digits at every scale: String(x) exactly when taken', () => {
    const decimal = fc
      .tuple(fc.boolean(), fc.bigInt({ min: 1n, max: 99_999_999_999_999_999n }), fc.integer({ min: -25, max: 20 }))
      .map(([neg, m, e]) => Number(`${neg ? '-' : ''}${m}e${e}`));
    fc.assert(
      fc.property(decimal, (x) => {
        const w = written(x);
        if (w !== undefined) expect(w).toBe(String(x));
        // Every decimal of at most 15 digits in range is taken.
        const digits = String(x).replace(/^-/, '').replace('.', '').replace(/^0+/, '');
        if (Math.abs(x) >= 1e-6 && Math.abs(x) < 1e15 && !/e/.test(String(x)) && digits.length <= 15) expect(w).toBe(String(x));
      }),
      { numRuns: 20000 },
    );
  });

  test('any double: String(x) exactly when taken', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: false }), (x) => {
        const w = written(x);
        if (w !== undefined) expect(w).toBe(String(x));
      }),
      { numRuns: 20000 },
    );
  });
});
