/**
 * RowReader reads plain decimals ("-0.2734", "12.", ".5") as it scans them, as m / 10^f; every
 * number must be the one Number() gives, bit for bit, and every other token must still go through
 * parseNumberToken (exponents, inf, nan, more than 15 digits, the Unicode minus, mistakes).
 */
import fc from 'fast-check';
import { RowReader } from '../../src/parse/rows';

const read = (text: string): Float64Array => {
  const r = new RowReader('standard input');
  r.push(text);
  return r.end('no numbers').data;
};

const digits = (min: number, max: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));

const decimal = fc
  .tuple(fc.boolean(), digits(0, 18), fc.boolean(), digits(0, 18))
  .filter(([, whole, dot, fraction]) => whole.length + (dot ? fraction.length : 0) > 0)
  .map(([minus, whole, dot, fraction]) => `${minus ? '-' : ''}${whole}${dot ? `.${fraction}` : ''}`);

test('plain decimals of any length are Number() of their text, bit for bit (-0 included)', () => {
  fc.assert(
    fc.property(fc.array(decimal, { minLength: 2, maxLength: 6 }), (tokens) => {
      const got = read(`${tokens.join(' ')}\n${tokens.join(', ')}\n`);
      const column = read(`${tokens.join('\n')}\n`);
      tokens.forEach((t, i) => {
        expect(Object.is(got[i], Number(t))).toBe(true);
        expect(Object.is(got[tokens.length + i], Number(t))).toBe(true);
        expect(Object.is(column[i], Number(t))).toBe(true);
      });
    }),
    { numRuns: 2000 },
  );
  expect(Object.is(read('-0 -0.000\n0 1\n')[0], -0)).toBe(true);
  expect(Array.from(read('0.1 0.2 0.3\n123456789012345.6 1234567890123456.7 .5\n'))).toEqual([0.1, 0.2, 0.3, 123456789012345.6, 1234567890123456.7, 0.5]);
});

test('what is not a plain decimal goes the long way: exponents, inf, nan, the Unicode minus, and mistakes', () => {
  expect(Array.from(read('1e3 -2.5E-2 +4\ninf -Infinity \u22123\n'))).toEqual([1000, -0.025, 4, Infinity, -Infinity, -3]);
  expect(Number.isNaN(read('nan 1\n2 3\n')[0])).toBe(true);
  for (const bad of ['1-2', '--1', '-', '.', '1.2.3', '1..', '0x10']) {
    expect(() => read(`1 ${bad}\n3 4\n`)).toThrow(`standard input line 1: "${bad}" (number 2) is not a number`);
    expect(() => read(`1\n${bad}\n`)).toThrow(`standard input line 2: "${bad}" (number 2) is not a number`);
  }
});
