import { UsageError } from '../../src/errors';
import { looksNumeric, parseInputArgs, parseNumbers, parseNumberToken } from '../../src/parse/numbers';
import { parseStdin } from '../../src/parse/rows';
import { normalizeArgv } from '../../src/cli/run';

const shapeAndData = (t: { shape: number[]; data: Float64Array }) => ({ shape: t.shape, data: Array.from(t.data) });

describe('number tokens', () => {
  test.each([
    ['2', 2],
    ['-1E3', -1000],
    ['1e-3', 0.001],
    ['.5', 0.5],
    ['-.5', -0.5],
    ['+3', 3],
    ['5.', 5],
    ['inf', Infinity],
    ['-Inf', -Infinity],
    ['INFINITY', Infinity],
    ['\u22122.5', -2.5],
    ['\u2212inf', -Infinity],
  ])('%p → %p', (tok, v) => expect(parseNumberToken(tok)).toBe(v));
  test('nan in any case', () => {
    for (const t of ['nan', 'NaN', 'NAN', '-nan']) expect(parseNumberToken(t)).toBeNaN();
  });
  test.each(['2x', '0x10', '1_000', '', 'e5', '1e', '--1', 'infinit', '1,5'])('%p is not a number', (tok) => {
    expect(parseNumberToken(tok)).toBeUndefined();
  });
});

describe('vectors and matrices', () => {
  test.each([
    ['2,1,0.1', [3], [2, 1, 0.1]],
    ['2 1 0.1', [3], [2, 1, 0.1]],
    ['[2, 1, 0.1]', [3], [2, 1, 0.1]],
    ['  2 ,1,  0.1 ', [3], [2, 1, 0.1]],
    ['1 2 3; 4 5 6', [2, 3], [1, 2, 3, 4, 5, 6]],
    ['1 2;', [1, 2], [1, 2]],
    ['[[1,2],[3,4]]', [2, 2], [1, 2, 3, 4]],
    ['[[1, 2]]', [1, 2], [1, 2]],
    ['[1 2; 3 4]', [2, 2], [1, 2, 3, 4]],
    // Nested brackets of any depth: one dimension per level (channels, images).
    ['[[[1, 2], [3, 4]]]', [1, 2, 2], [1, 2, 3, 4]],
    ['[[[1], [2]], [[3], [4]]]', [2, 2, 1], [1, 2, 3, 4]],
    ['[[[1]]]', [1, 1, 1], [1]],
  ])('%p', (text, shape, data) => expect(shapeAndData(parseNumbers(text))).toEqual({ shape, data }));

  test('separate arguments form a vector; lists in separate arguments are rows', () => {
    expect(shapeAndData(parseInputArgs(['2', '1', '0.1']))).toEqual({ shape: [3], data: [2, 1, 0.1] });
    expect(shapeAndData(parseInputArgs(['1 2', '3 4']))).toEqual({ shape: [2, 2], data: [1, 2, 3, 4] });
  });

  test.each([
    ['1 2x 3', '"2x" (number 2) is not a number'],
    ['1 2; 3', 'row 2 has 1 number, row 1 has 2'],
    ['[1, 2', '1 "[" not closed'],
    ['1, 2]', '"]" at character 5 closes no "["'],
    ['[[[1, 2]], [[3]]]', 'the brackets are ragged'],
    ['1,,2', 'empty field at character 3'],
    ['1, 2,', 'empty field at character 5'],
    ['[1, 2,]', 'empty field at character 6'],
    [',1', 'empty field at character 1'],
    ['[1, 2]; [3, 4]', 'use either ";" rows or nested brackets'],
    ['1 2;; 3 4', 'row 2 is empty'],
    ['', 'no numbers'],
    ['[[1,2], 3]', '"3" (number 3) stands beside the rows of [[...], [...]]'],
  ])('%p is an error naming what to fix', (text, message) => {
    expect(() => parseNumbers(text)).toThrow(UsageError);
    expect(() => parseNumbers(text)).toThrow(message);
  });

  test('positions count across separate arguments', () => {
    expect(() => parseInputArgs(['1', '2', 'x3'])).toThrow('"x3" (number 3) is not a number');
  });

  test('10,000 nested brackets are an error, not a stack overflow', () => {
    expect(() => parseNumbers('['.repeat(10000) + '1' + ']'.repeat(10000))).toThrow('brackets nested more than 32 deep at character 33');
  });
});

describe('standard input (the numpy.loadtxt rule)', () => {
  test('one number per line is a vector', () => {
    expect(shapeAndData(parseStdin('1\n2\n3\n'))).toEqual({ shape: [3], data: [1, 2, 3] });
  });
  test('one line is a vector', () => {
    expect(shapeAndData(parseStdin('0.659 0.242 0.0986\n'))).toEqual({ shape: [3], data: [0.659, 0.242, 0.0986] });
  });
  test('several numbers per line are rows; blank lines and # comments are skipped', () => {
    expect(shapeAndData(parseStdin('# logits\n1 2\n\n3,4\r\n'))).toEqual({ shape: [2, 2], data: [1, 2, 3, 4] });
  });
  test('ragged lines are an error naming the row', () => {
    expect(() => parseStdin('1 2\n3\n')).toThrow('row 2 has 1 number, row 1 has 2');
  });
  test('a bad token names its line', () => {
    expect(() => parseStdin('1 2\n3 four\n')).toThrow('standard input line 2: "four" (number 4) is not a number');
  });
});

describe('argv normalisation for commander', () => {
  test('negative numbers get the Unicode minus; options are untouched', () => {
    expect(normalizeArgv(['relu', '-1E3', '-inf', '-1,2', '-.5', '-g', '--grad', '-j', '--target', '-1'])).toEqual([
      'relu', '\u22121E3', '\u2212inf', '\u22121,2', '\u2212.5', '-g', '--grad', '-j', '--target', '\u22121',
    ]);
  });
  test('looksNumeric', () => {
    expect(looksNumeric('-NaN')).toBe(true);
    expect(looksNumeric('[-1, 2]')).toBe(true);
    expect(looksNumeric('-g')).toBe(false);
  });
});
