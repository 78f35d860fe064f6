/**
 * RowReader (standard input and @FILE): line splitting across chunks, separators, the numpy.loadtxt
 * rule, growth of its buffers, the streaming callback, and the exact errors.
 */
import { UsageError } from '../../src/errors';
import { RowReader, parseStdin } from '../../src/parse/rows';

const shapeAndData = (t: { shape: number[]; data: Float64Array }) => ({ shape: t.shape, data: Array.from(t.data) });

/** Reads `chunks` one push each; returns the tensor and the rows a callback saw (when streaming). */
function read(chunks: string[], stream = false) {
  const seen: number[][] = [];
  const reader = new RowReader('input', stream ? (row, length) => seen.push(Array.from(row.subarray(0, length))) : undefined);
  for (const c of chunks) reader.push(c);
  const t = reader.end('nothing to read');
  return { t, seen, width: reader.rowWidth };
}

describe('lines across chunks', () => {
  test('a line cut by a chunk boundary is joined; several lines in one chunk are each read', () => {
    const { t } = read(['1 2\n3 ', '4\n5 6\n7', ' 8']);
    expect(shapeAndData(t)).toEqual({ shape: [4, 2], data: [1, 2, 3, 4, 5, 6, 7, 8] });
  });
  test('a chunk without a line end is carried whole to the next', () => {
    const { t } = read(['1', '2', '.5\n', '3\n']);
    expect(shapeAndData(t)).toEqual({ shape: [2], data: [12.5, 3] });
  });
  test('a last line without a line end is read at the end', () => {
    expect(shapeAndData(read(['1\n2']).t)).toEqual({ shape: [2], data: [1, 2] });
  });
  test('chunks of one character each give the same rows as one chunk', () => {
    const text = '1 2\n# comment 9 9\n\n3,4\n  5\t6  \n';
    expect(shapeAndData(read(text.split('')).t)).toEqual(shapeAndData(parseStdin(text)));
    expect(shapeAndData(parseStdin(text))).toEqual({ shape: [3, 2], data: [1, 2, 3, 4, 5, 6] });
  });
});

describe('separators and comments', () => {
  test.each([
    ['tabs', '1\t2\n3\t4\n'],
    ['commas', '1,2\n3,4\n'],
    ['brackets around each line', '[1, 2]\n[3, 4]\n'],
    ['a trailing comment', '1 2 # first\n3 4#second\n'],
    // (Beside a blank: a line with no blank, comma, tab, '[' or ';' is taken as one number.)
    ['vertical tab, form feed and carriage return', '1 \u000b2\n3\f 4\r\n'],
    ['no-break and ideographic spaces', '1\u00a0 2\n3 \u30004\n'],
    // Alone too: the one-number-a-line shortcut does not take them for part of a number.
    ['a vertical tab or form feed alone', '1\u000b2\n3\f4\n'],
    ['a no-break space alone', '1\u00a02\n3\u00a04\n'],
    ['blank and comment-only lines between', '\n1 2\n   \n# x\n3 4\n\n'],
  ])('%s', (_name, text) => {
    expect(shapeAndData(parseStdin(text))).toEqual({ shape: [2, 2], data: [1, 2, 3, 4] });
  });
  test('a non-ASCII character that is not a blank is part of a token', () => {
    expect(() => parseStdin('1 2\n3 4\u00e9\n')).toThrow('standard input line 2: "4\u00e9" (number 4) is not a number');
  });
  test('the Unicode minus in a row', () => {
    expect(shapeAndData(parseStdin('\u22121 2\n3 \u22124\n'))).toEqual({ shape: [2, 2], data: [-1, 2, 3, -4] });
  });
  test('a single number on a line is read as a number, with inf and nan', () => {
    const t = parseStdin('inf\n-inf\n2.5e1\n');
    expect(shapeAndData(t)).toEqual({ shape: [3], data: [Infinity, -Infinity, 25] });
    expect(Number.isNaN(parseStdin('nan\n1\n').data[0])).toBe(true);
  });
  test('a control character is not a separator', () => {
    expect(() => parseStdin('1\u00012 3\n4 5\n')).toThrow(new UsageError('standard input line 1: "1\u00012" (number 1) is not a number'));
  });
  test('a line that starts with ";" is refused like any other with ";"', () => {
    expect(() => parseStdin('1\n;2\n')).toThrow(new UsageError('standard input line 2: one row per line; ";" and nested brackets are for a single line'));
  });
  test('blanks before a comment leave an empty line', () => {
    expect(() => parseStdin('   # nothing here\n')).toThrow(new UsageError('no numbers (standard input was empty)'));
    expect(shapeAndData(parseStdin('  # a\n7 8\n'))).toEqual({ shape: [2], data: [7, 8] });
  });
  test('a line of only separators has no numbers and is skipped', () => {
    expect(shapeAndData(parseStdin('1 2\n , \n3 4\n'))).toEqual({ shape: [2, 2], data: [1, 2, 3, 4] });
  });
});

describe('the numpy.loadtxt rule', () => {
  test('a single line keeps the full syntax: rows and nested brackets', () => {
    expect(shapeAndData(parseStdin('1 2; 3 4\n'))).toEqual({ shape: [2, 2], data: [1, 2, 3, 4] });
    expect(shapeAndData(parseStdin('# a matrix\n[[1, 2], [3, 4]]\n\n'))).toEqual({ shape: [2, 2], data: [1, 2, 3, 4] });
  });
  test('one number per line is a vector, two or more a matrix', () => {
    const one = read(['4\n5\n6\n']);
    expect(shapeAndData(one.t)).toEqual({ shape: [3], data: [4, 5, 6] });
    expect(one.width).toBe(1);
    const three = read(['1 2 3\n4 5 6\n']);
    expect(shapeAndData(three.t)).toEqual({ shape: [2, 3], data: [1, 2, 3, 4, 5, 6] });
    expect(three.width).toBe(3);
  });
  test('the width is unknown (-1) before any row', () => {
    expect(new RowReader('input').rowWidth).toBe(-1);
  });
  test('";" or nested brackets on one line of several are an error naming the line', () => {
    expect(() => parseStdin('1 2\n3 4; 5 6\n')).toThrow(new UsageError('standard input line 2: one row per line; ";" and nested brackets are for a single line'));
    expect(() => parseStdin('# c\n1 2\n[[3, 4]]\n')).toThrow(new UsageError('standard input line 3: one row per line; ";" and nested brackets are for a single line'));
    // A ';' on the first of several lines is found when the second line arrives.
    expect(() => parseStdin('1;2\n3\n')).toThrow('standard input line 1: one row per line;');
  });
  test('a single bracket pair on a line is fine', () => {
    expect(shapeAndData(parseStdin('[1 2]\n[3 4]\n'))).toEqual({ shape: [2, 2], data: [1, 2, 3, 4] });
    expect(shapeAndData(parseStdin('[1]\n[2]\n[-3]\n'))).toEqual({ shape: [3], data: [1, 2, -3] });
  });
  test('a carriage return inside a line separates', () => {
    expect(shapeAndData(parseStdin('1\r2 3\n4 5 6\n'))).toEqual({ shape: [2, 3], data: [1, 2, 3, 4, 5, 6] });
  });
  test('empty input is an error with the caller\'s message and the source', () => {
    expect(() => parseStdin('')).toThrow(new UsageError('no numbers (standard input was empty)'));
    expect(() => parseStdin('\n# only a comment\n  \n', '@data.txt')).toThrow(new UsageError('no numbers (@data.txt was empty)'));
    expect(() => read(['', '\n'])).toThrow(new UsageError('nothing to read (input was empty)'));
  });
});

describe('errors name the line, the row and the number', () => {
  test('ragged rows', () => {
    expect(() => parseStdin('1 2\n3 4\n5\n')).toThrow(new UsageError('standard input: row 3 has 1 number, row 1 has 2; all rows need the same length'));
    expect(() => parseStdin('1\n2 3 4\n')).toThrow(new UsageError('standard input: row 2 has 3 numbers, row 1 has 1; all rows need the same length'));
  });
  test('a bad token: its line counts blank and comment lines, its number counts all numbers before it', () => {
    expect(() => parseStdin('1 2\n\n# c\n3 x\n')).toThrow(new UsageError('standard input line 4: "x" (number 4) is not a number'));
    expect(() => parseStdin('1\n2\nthree\n')).toThrow(new UsageError('standard input line 3: "three" (number 3) is not a number'));
    expect(() => parseStdin('1\n2\nthree\n', 'input')).toThrow(new UsageError('input line 3: "three" (number 3) is not a number'));
  });
  test('a bad token on the first line of several is reported with that line', () => {
    expect(() => parseStdin('\n\nx 1\n2 3\n')).toThrow(new UsageError('standard input line 3: "x" (number 1) is not a number'));
  });
  test('a single bad line is reported by the full syntax', () => {
    expect(() => parseStdin('1 x\n', 'standard input')).toThrow(new UsageError('standard input: "x" (number 2) is not a number'));
  });
});

describe('buffers grow', () => {
  test('a row of more than 16 numbers', () => {
    const row = Array.from({ length: 70 }, (_, i) => i * 0.5 - 3.25);
    const text = `${row.join(' ')}\n${row.map((v) => -v).join(',')}\n`;
    expect(shapeAndData(parseStdin(text))).toEqual({ shape: [2, 70], data: [...row, ...row.map((v) => -v)] });
  });
  test('more than 1024 numbers, one a line and several a line', () => {
    const values = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 1013 - 500.25);
    expect(shapeAndData(parseStdin(values.join('\n')))).toEqual({ shape: [5000], data: values });
    const rows: string[] = [];
    for (let r = 0; r < 1000; r++) rows.push(values.slice(r * 5, r * 5 + 5).join(' '));
    expect(shapeAndData(parseStdin(rows.join('\n')))).toEqual({ shape: [1000, 5], data: values });
  });
  test('a first row wider than twice the buffer (3,000 numbers on each of two lines)', () => {
    const a = Array.from({ length: 3000 }, (_, i) => i + 0.25);
    const b = a.map((v) => v * -2);
    expect(shapeAndData(parseStdin(`${a.join(' ')}\n${b.join(' ')}\n`))).toEqual({ shape: [2, 3000], data: [...a, ...b] });
  });
});

describe('streaming: rows go to the callback', () => {
  test('each row is passed with its length, in order; nothing is kept', () => {
    const { t, seen } = read(['1 2\n3 4\n', '5 6\n'], true);
    expect(seen).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(t.data.length).toBe(0);
  });
  test('one number per line', () => {
    expect(read(['7\n8\n9\n'], true).seen).toEqual([[7], [8], [9]]);
  });
  test('a single line is parsed whole and passed row by row', () => {
    const { t, seen } = read(['1 2 3; 4 5 6\n'], true);
    expect(seen).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(shapeAndData(t)).toEqual({ shape: [2, 3], data: [1, 2, 3, 4, 5, 6] });
    expect(read(['1 2 3\n'], true).seen).toEqual([[1, 2, 3]]);
  });
});
