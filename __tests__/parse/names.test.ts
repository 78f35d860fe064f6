/**
 * src/parse/names.ts: the names a binding may have are the formula lexer's identifiers, so that
 * every name a formula can use can be bound on the command line, in the REPL and in --expect.
 */
import { bindingName, isName, lazyRegExp, NAME_PATTERN } from '../../src/parse/names';
import { tokenize } from '../../src/parse/python/lexer';

describe('isName', () => {
  test.each(['x', 'x1', '_', '_a', 'a_1', 'W_out', '\u03b1', '\u03c31', 'x\u00e9', '\u2113', '\u5b66\u4e60\u7387', '\u{1d465}', 'x\u0301'])('%s is a name', (name) => {
    expect(isName(name)).toBe(true);
  });
  test.each(['', '1x', '\u00b2', 'x-y', 'x y', 'a\u00b7b', '\u00b7', 'x=', '\u20ac', '\u2212x', 'x\u2032', '\u03c3\u2081', '\u0301x', 'x.y', '$x'])('%j is not a name', (text) => {
    expect(isName(text)).toBe(false);
  });
  test('NAME_PATTERN is unanchored, for patterns that find a name before "="', () => {
    expect(new RegExp(`^(${NAME_PATTERN})=`, 'u').exec('\u03b1=1')?.[1]).toBe('\u03b1');
    expect(new RegExp(NAME_PATTERN, 'u').exec('1 + \u03b2_2 * 3')?.[0]).toBe('\u03b2_2');
  });
});

describe('bindingName', () => {
  test('a name already in NFKC form is itself', () => {
    expect(bindingName('\u03b1')).toBe('\u03b1');
    expect(bindingName('w_1')).toBe('w_1');
  });
  test('a name whose NFKC form is a name is that form: 𝑥 → x, ﬁ → fi, x² is not a name', () => {
    expect(bindingName('\u{1d465}')).toBe('x');
    expect(bindingName('\ufb01')).toBe('fi');
    expect(bindingName('e\u0301')).toBe('\u00e9');
  });
  test('text that is not a name binds nothing', () => {
    expect(bindingName('1x')).toBeUndefined();
    expect(bindingName('a\u00b7b')).toBeUndefined();
    expect(bindingName('')).toBeUndefined();
  });
  test('a name and the formula read the same identifier', () => {
    for (const name of ['\u{1d465}', '\u03b1', '\ufb01', 'e\u0301', '_x9']) {
      const tokens = tokenize(name, 'expression').filter((t) => t.type === 'name');
      expect(tokens.map((t) => t.text)).toEqual([bindingName(name)]);
    }
  });
});

describe('lazyRegExp', () => {
  test('makes the expression once, on first use, with its flags', () => {
    const make = lazyRegExp(`^${NAME_PATTERN}=`, 'su');
    const first = make();
    expect(make()).toBe(first);
    expect(first.flags).toBe('su');
    expect(first.exec('\u03b1=1')?.[0]).toBe('\u03b1=');
  });
});
