import { UsageError } from '../../src/errors';
import { looksNumeric, parseInputArgs, parseNumbers, parseNumbersWithText, parseNumberToken, parseScalar } from '../../src/parse/numbers';
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

describe('tokens: the edges of the syntax', () => {
  test.each([
    ['+inf', Infinity],
    ['-infinity', -Infinity],
    ['+Infinity', Infinity],
    ['1E+2', 100],
    ['0.', 0],
    ['007', 7],
    ['-0', -0],
  ])('%p → %p', (tok, v) => expect(parseNumberToken(tok)).toBe(v));
  // Only digits, '.', 'e', '+' and '-', but not a number; and words around inf/nan.
  test.each(['1e5e', '1-2', '+-1', '.', 'e', '1..2', '1e+', 'xnan', 'nanx', 'infx', 'xinf', '-', '+', 'inf inity', '1 2', 'Infinityy'])(
    '%p is not a number',
    (tok) => expect(parseNumberToken(tok)).toBeUndefined(),
  );
  test('looksNumeric: a sign, a digit, a point before a digit, inf or nan, after any opening brackets', () => {
    for (const w of ['+1', '.5', '-.5', 'inf', '-Inf', 'nan', '\u22121', '[[1, 2]]', '[[-inf]]', '3x']) expect([w, looksNumeric(w)]).toEqual([w, true]);
    for (const w of ['x', '-x', '.x', '-', '--1', '.', 'in', '[x]', '-g', '--grad', 'e5', ' 1']) expect([w, looksNumeric(w)]).toEqual([w, false]);
  });
});

describe('shapes', () => {
  test.each([
    ['  [1 2; 3 4]  ', [2, 2], [1, 2, 3, 4]],
    ['[1 2 3]', [3], [1, 2, 3]],
    ['[[1 2] [3 4]]', [2, 2], [1, 2, 3, 4]],
    ['[[1, 2], [3, 4], [5, 6]]', [3, 2], [1, 2, 3, 4, 5, 6]],
    ['[1][2]', [2, 1], [1, 2]],
    ['[[1]] [[2]]', [2, 1, 1], [1, 2]],
    ['1; 2; 3', [3, 1], [1, 2, 3]],
    ['1,2;3,4;', [2, 2], [1, 2, 3, 4]],
    ['7', [1], [7]],
    ['[7]', [1], [7]],
  ])('%p', (text, shape, data) => expect(shapeAndData(parseNumbers(text))).toEqual({ shape, data }));
  test('32 nested brackets are allowed, 33 are not', () => {
    expect(parseNumbers('['.repeat(32) + '5' + ']'.repeat(32)).shape).toEqual(Array(32).fill(1));
    expect(() => parseNumbers('['.repeat(33) + '5' + ']'.repeat(33))).toThrow(new UsageError('brackets nested more than 32 deep at character 33'));
  });
  test('several arguments', () => {
    expect(shapeAndData(parseInputArgs(['[1, 2]', '3 4', '5,6']))).toEqual({ shape: [3, 2], data: [1, 2, 3, 4, 5, 6] });
    expect(shapeAndData(parseInputArgs(['1', '[2]']))).toEqual({ shape: [2, 1], data: [1, 2] });
    expect(shapeAndData(parseInputArgs(['[[1, 2]]']))).toEqual({ shape: [1, 2], data: [1, 2] });
    expect(shapeAndData(parseInputArgs(['-1', '\u22122.5']))).toEqual({ shape: [2], data: [-1, -2.5] });
  });
  test('the numbers as written, for --expect', () => {
    const { tensor, texts } = parseNumbersWithText('[1.50, \u22122e0; inf]'.replace(';', ','), '--expect');
    expect(texts).toEqual(['1.50', '-2e0', 'inf']);
    expect(shapeAndData(tensor)).toEqual({ shape: [3], data: [1.5, -2, Infinity] });
  });
  test('a scalar', () => {
    expect(parseScalar(' 0.25 ', '--alpha')).toBe(0.25);
    expect(parseScalar('\u22123', '--alpha')).toBe(-3);
    expect(() => parseScalar('abc', '--alpha')).toThrow(new UsageError('--alpha: "abc" is not a number'));
    expect(() => parseScalar('1 2', '--alpha')).toThrow(new UsageError('--alpha: "1 2" is not a number'));
  });
});

describe('errors, word for word', () => {
  const EMPTY = 'two separators with no number between them (or a trailing comma)';
  test.each([
    ['[[1, 2], [3]]', 'the brackets are ragged at character 12: an element of shape [1] beside one of shape [2]; every row needs the same length'],
    ['[[[1, 2]], [[3, 4], [5, 6]]]', 'the brackets are ragged at character 27: an element of shape [2, 2] beside one of shape [1, 2]; every row needs the same length'],
    ['[[1; 2]]', '";" inside brackets at character 4; write rows as "1 2; 3 4" or [[1, 2], [3, 4]]'],
    ['1 2; [3 4]', 'use either ";" rows or nested brackets, not both'],
    ['1 [[2', '2 "[" not closed (the first at character 3)'],
    ['1 2; 3 4 5', 'row 2 has 3 numbers, row 1 has 2; all rows need the same length'],
    ['1; 3 4 5', 'row 2 has 3 numbers, row 1 has 1; all rows need the same length'],
    ['1 2; 3', 'row 2 has 1 number, row 1 has 2; all rows need the same length'],
    [';1', 'row 1 is empty'],
    ['1;;', 'row 2 is empty'],
    ['[,1]', `empty field at character 2: ${EMPTY}`],
    ['1 2;,3 4', `empty field at character 5: ${EMPTY}`],
    ['1, ;2', `empty field at character 2: ${EMPTY}`],
    ['[[1],]', `empty field at character 5: ${EMPTY}`],
    ['[[1, 2], 3]', '"3" (number 3) stands beside the rows of [[...], [...]]'],
    ['1 ] 2', '"]" at character 3 closes no "["'],
    ['[]', 'the input has no numbers'],
    ['[[]]', 'the input has no numbers'],
    ['  ', 'the input has no numbers'],
  ])('%p', (text, message) => expect(() => parseNumbers(text)).toThrow(new UsageError(message)));

  test('an option\'s errors are prefixed with its name', () => {
    expect(() => parseNumbers('[[1, 2], [3]]', '--target')).toThrow(
      new UsageError('--target: the brackets are ragged at character 12: an element of shape [1] beside one of shape [2]; every row needs the same length'),
    );
    expect(() => parseNumbers('', '--target')).toThrow(new UsageError('--target: no numbers'));
    expect(() => parseNumbers('1 y', '--target')).toThrow(new UsageError('--target: "y" (number 2) is not a number'));
  });

  test.each([
    [['1 2', '3'], 'argument 2 has 1 number, argument 1 has 2; as rows of a matrix all need the same length'],
    [['1', '3 4'], 'argument 2 has 2 numbers, argument 1 has 1; as rows of a matrix all need the same length'],
    [['1 2', '3 4', '5 6 7'], 'argument 3 has 3 numbers, argument 1 has 2; as rows of a matrix all need the same length'],
    [['1 2; 3 4', '5 6'], 'several arguments, some with rows; quote the whole matrix as one argument, e.g. "1 2; 3 4"'],
    [['[[1, 2]]', '[3, 4]'], 'several arguments, some with rows; quote the whole matrix as one argument, e.g. "1 2; 3 4"'],
    [['[]', '[]'], 'the input has no numbers'],
    [['1', 'x'], '"x" (number 2) is not a number'],
    [['1 2', '3 x'], '"x" (number 4) is not a number'],
  ])('arguments %p', (args, message) => expect(() => parseInputArgs(args)).toThrow(new UsageError(message)));
  test('arguments name the option', () => {
    expect(() => parseInputArgs(['1 2', '3'], '--target')).toThrow(
      new UsageError('--target: argument 2 has 1 number, argument 1 has 2; as rows of a matrix all need the same length'),
    );
  });
});

describe('the syntax, where a looser reading would accept a mistake', () => {
  test.each([
    // "[1 2; 3 4]" stands for its rows only when the brackets are all there is.
    ['5 [1; 2]', '";" inside brackets at character 5; write rows as "1 2; 3 4" or [[1, 2], [3, 4]]'],
    ['[1; 2] 5', '";" inside brackets at character 3; write rows as "1 2; 3 4" or [[1, 2], [3, 4]]'],
    // A shorter shape that agrees with the start of a longer one is still ragged.
    ['[[1, 2], [[3], [4]]]', 'the brackets are ragged at character 19: an element of shape [2, 1] beside one of shape [2]; every row needs the same length'],
    // Rows after brackets, with no bracket after the ';'.
    ['[1, 2]; 3', 'use either ";" rows or nested brackets, not both'],
    // A number beside a bracketed element at the top level: ragged, not "beside the rows".
    ['[1, 2] 3', 'the brackets are ragged at character 8: an element of shape [] beside one of shape [2]; every row needs the same length'],
  ])('%p', (text, message) => expect(() => parseNumbers(text)).toThrow(new UsageError(message)));
  test('looksNumeric strips only leading brackets', () => {
    expect(looksNumeric('-[1')).toBe(false);
    expect(looksNumeric('x[1')).toBe(false);
  });
});
