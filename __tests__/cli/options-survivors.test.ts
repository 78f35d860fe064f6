/**
 * What a user sees from the options layer and its neighbours (src/cli/options.ts, io.ts,
 * bindings.ts, split.ts, flags.ts): the exact one-line error (exit 2) for each value a flag cannot
 * take or a flag that cannot apply, the defaults, and the values that reach the command.
 *
 * Why this file: a StrykerJS run left these behaviours unchecked (/tmp/mut/cli-options-surv.txt) —
 * a changed message, bound or default went unnoticed. Mutants are only seen by in-process runs
 * (the sandbox's dist/ is built from unmutated sources), so everything here calls run() or the
 * exported functions directly, and computes inside the test bodies, where Stryker attributes coverage.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bindings, formulaNames } from '../../src/cli/bindings';
import { completionModel } from '../../src/cli/complete-data';
import { flagParts } from '../../src/cli/flags';
import { type IO, numbersArg } from '../../src/cli/io';
import { outputOptions } from '../../src/cli/options';
import { buildProgram } from '../../src/cli/program';
import { run } from '../../src/cli/run';
import { quoteWord, splitPartial } from '../../src/cli/split';
import { UsageError } from '../../src/errors';
import { actgrad, expectUsage, type Run } from '../helpers/run';

/** An IO whose @FILEs are the given texts (a missing one fails as the file system would: ENOENT). */
function memIO(files: Record<string, string>, out: { stdout: string; stderr: string } = { stdout: '', stderr: '' }): IO {
  return {
    stdout: (s) => (out.stdout += s),
    stderr: (s) => (out.stderr += s),
    stdoutIsTTY: false,
    stdinIsTTY: true,
    readStdin: () => '',
    readFile: (path) => {
      if (Object.prototype.hasOwnProperty.call(files, path)) return files[path];
      throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    },
    env: {},
  };
}

/** actgrad in-process with in-memory files. */
function withFiles(argv: string[], files: Record<string, string> = {}): Run {
  const out = { stdout: '', stderr: '' };
  const code = run(argv, memIO(files, out));
  return { code, ...out };
}


const SIGMOID_1 = '0.7310585786300049';

describe('whole-number flags: --precision, --rows, --order (intFlag)', () => {
  test('--precision 17 is the largest accepted', () => {
    expect(actgrad(['sigmoid', '1', '--precision', '17'])).toEqual({ code: 0, stdout: `${SIGMOID_1}\n`, stderr: '' });
  });
  test('--precision 18 names the range, bounded above', () => {
    expectUsage(actgrad(['sigmoid', '1', '--precision', '18']), '--precision takes a whole number from 1 to 17, not "18"');
  });
  test('--rows 0 names the range, unbounded above ("up")', () => {
    expectUsage(actgrad(['sigmoid', '1', '--rows', '0']), '--rows takes a whole number from 1 up, not "0"');
  });
  test('--rows -3 is negative, not 3: the Unicode minus the argv normalisation gives it is read as a minus', () => {
    expectUsage(actgrad(['sigmoid', '1', '--rows', '-3']), '--rows takes a whole number from 1 up, not "\u22123"');
  });
  test('--order 0 names --order', () => {
    expectUsage(actgrad(['sigmoid', '0', '--order', '0']), '--order takes a whole number from 1 up, not "0"');
  });
});

describe('outputOptions: format, rows and colour as the renderer receives them', () => {
  const io = (): IO => memIO({});
  test('defaults: plain when piped, 40 rows', () => {
    const o = outputOptions({}, io());
    expect(o.format).toBe('plain');
    expect(o.rows).toBe(40);
    expect(o.precision).toBeUndefined();
  });
  test('--rows N and --rows all', () => {
    expect(outputOptions({ rows: '3' }, io()).rows).toBe(3);
    expect(outputOptions({ rows: 'all' }, io()).rows).toBe(Infinity);
  });
  test('a flag given twice (collected as a list): the last one counts', () => {
    expect(outputOptions({ format: ['json', 'csv'] }, io()).format).toBe('csv');
  });
  test('--json alone is json', () => {
    expect(outputOptions({ json: true }, io()).format).toBe('json');
  });
  test('--format outside the list is a usage error listing the formats', () => {
    // commander checks the choice first on the command line; the options layer still guards its callers
    expect(() => outputOptions({ format: 'xml' }, io())).toThrow(new UsageError('--format must be one of table, plain, json, csv, tsv, latex, markdown, not "xml"'));
  });
  test('--color outside auto|always|never is a usage error', () => {
    expect(() => outputOptions({ color: 'sometimes' }, io())).toThrow(new UsageError('--color must be auto, always or never, not "sometimes"'));
  });
  test('--json with --format json agrees; with --format csv it conflicts', () => {
    const json = actgrad(['sigmoid', '1', '--json', '--format', 'json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ function: 'sigmoid', params: {}, input: [1], value: [Number(SIGMOID_1)] });
    expectUsage(actgrad(['sigmoid', '1', '--json', '--format', 'csv']), '--json and --format csv ask for two formats; give one');
  });
});

describe('--rtol and --atol', () => {
  test.each([
    ['--rtol', 'x', '--rtol takes a number ≥ 0, not "x"'],
    ['--atol', '-1', '--atol takes a number ≥ 0, not "\u22121"'],
    ['--rtol', 'inf', '--rtol takes a number ≥ 0, not "inf"'],
    ['--rtol', 'nan', '--rtol takes a number ≥ 0, not "nan"'],
  ])('%s %s is refused', (flag, value, message) => {
    expectUsage(actgrad(['sigmoid', '0', flag, value, '--expect', '1']), message);
  });
  test('--rtol 0 is a tolerance (exact match)', () => {
    expect(actgrad(['sigmoid', '0', '--rtol', '0', '--expect', '0.5'])).toEqual({
      code: 0,
      stdout: '0 0.5 0.5 0 ok\n✓ the number matches (within atol 0 + rtol 0·|expected|)\n',
      stderr: '',
    });
  });
  test('--atol widens the check: 0.6 for 0.5 passes within 0.2, fails by the written digits without it', () => {
    expect(actgrad(['sigmoid', '0', '--expect', '0.6', '--atol', '0.2'])).toEqual({
      code: 0,
      stdout: '0 0.6 0.5 -0.1 ok\n✓ the number matches (within atol 0.2 + rtol 0·|expected|)\n',
      stderr: '',
    });
    expect(actgrad(['sigmoid', '0', '--expect', '0.6']).code).toBe(1);
  });
  test('a tolerance without --expect cannot apply', () => {
    expectUsage(actgrad(['sigmoid', '0', '--rtol', '0.1']), '--rtol and --atol set the tolerance of --expect; give --expect too');
  });
});

describe('--step and --eps (the step of --gradcheck)', () => {
  test.each([
    [['sigmoid', '0', '--gradcheck', '--step', 'inf'], '--step must be a positive number, not inf'],
    [['sigmoid', '0', '--gradcheck', '--step', '0'], '--step must be a positive number, not 0'],
    [['sigmoid', '0', '--step', '0.1'], '--step sets the step of --gradcheck; give --gradcheck too'],
    [['grad', 'x**2', 'x=1', '--gradcheck', '--eps', 'abc'], '--eps: "abc" is not a number'],
    [['grad', 'x**2', 'x=1', '--gradcheck', '--eps', '0'], '--eps must be a positive number, not 0'],
    [['grad', 'x**2', 'x=1', '--eps', '0.01'], '--eps sets the step of --gradcheck; give --gradcheck too'],
  ])('%j', (argv, message) => {
    expectUsage(actgrad(argv), message);
  });
});

describe('--order with --jacobian or --hessian cannot apply', () => {
  test.each([
    ['--jacobian', 'jacobian'],
    ['-H', 'hessian'],
  ])('--order 2 %s', (flag, name) => {
    expectUsage(actgrad(['sigmoid', '0', '--order', '2', flag]), `--order N asks for the N-th derivative, which --${name} does not have; give one of them`);
  });
  test('--order 2 alone is the second derivative', () => {
    // sigmoid'' (0) = 0
    expect(actgrad(['sigmoid', '0', '--order', '2'])).toEqual({ code: 0, stdout: '0\n', stderr: '' });
  });
});

describe('--jvp reaches the command', () => {
  test("sigmoid 1 --jvp 1 is sigmoid'(1), not sigmoid(1)", () => {
    expect(actgrad(['sigmoid', '1', '--jvp', '1'])).toEqual({ code: 0, stdout: '0.19661193324148185\n', stderr: '' });
  });
});

describe("a function's own flags, by type", () => {
  test('an int flag refuses a fraction', () => {
    expectUsage(actgrad(['cross-entropy', '1', '2', '--target', '1', '--ignore-index', '1.5']), '--ignore-index takes a whole number, not "1.5"');
  });
  test('an ints flag refuses a fraction and a matrix', () => {
    expectUsage(actgrad(['logsumexp', '[[1,2],[3,4]]', '--dim', '1.5']), '--dim takes whole numbers, e.g. --dim 3 or --dim 2,3, not "1.5"');
    expectUsage(actgrad(['logsumexp', '[[1,2],[3,4]]', '--dim', '[[0]]']), '--dim takes whole numbers, e.g. --dim 3 or --dim 2,3, not "[[0]]"');
  });
  test('an ints flag takes one dimension or several', () => {
    expect(actgrad(['logsumexp', '[[1,2],[3,4]]', '--dim', '0'])).toEqual({ code: 0, stdout: '3.1269280110429727\n4.126928011042972\n', stderr: '' });
    expect(actgrad(['logsumexp', '[[1,2],[3,4]]', '--dim', '0,1'])).toEqual({ code: 0, stdout: '4.440189698561196\n', stderr: '' });
  });
});

describe('--expect @FILE', () => {
  const ok1 = '0 0.5 0.5 0 ok\n✓ the number matches (each within half a unit of its last written digit)\n';
  const ok2 = `0 0.5 0.5 0 ok\n1 ${SIGMOID_1} ${SIGMOID_1} 0 ok\n✓ all 2 numbers match (each within half a unit of its last written digit)\n`;
  test('blanks before the @ are allowed', () => {
    expect(withFiles(['sigmoid', '0', '--expect', ' @y.txt'], { 'y.txt': '0.5\n' })).toEqual({ code: 0, stdout: ok1, stderr: '' });
  });
  test('an @ inside a formula is not a file', () => {
    expectUsage(withFiles(['sigmoid', '0', '--expect', 'a@b']), "--expect: the formula cannot be evaluated at the given point: unknown name 'a'; bound names: x");
  });
  test.each(['value=@y.txt', 'value =@y.txt', 'value= @y.txt'])('grad --expect %j reads the file', (expectation) => {
    expect(withFiles(['grad', 'x**2', 'x=3', '--expect', expectation], { 'y.txt': '9\n' })).toEqual({
      code: 0,
      stdout: '- 9 9 0 ok\n✓ the number matches (each within half a unit of its last written digit)\n',
      stderr: '',
    });
  });
  test('one number per line is a vector; blank lines (even with spaces) are skipped', () => {
    expect(withFiles(['sigmoid', '0', '1', '--expect', '@y.txt'], { 'y.txt': `0.5\n   \n${SIGMOID_1}\n` })).toEqual({ code: 0, stdout: ok2, stderr: '' });
  });
  test('one bracketed number per line is a vector too', () => {
    expect(withFiles(['sigmoid', '0', '1', '--expect', '@y.txt'], { 'y.txt': `[0.5]\n[${SIGMOID_1}]\n` })).toEqual({ code: 0, stdout: ok2, stderr: '' });
  });
  test('a single line keeps its nested brackets (a 2×2 answer)', () => {
    const r = withFiles(['sigmoid', '[[0, 1], [0, 1]]', '--expect', '@y.txt'], { 'y.txt': `[[0.5, ${SIGMOID_1}], [0.5, ${SIGMOID_1}]]\n` });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 4)).toEqual([`0,0 0.5 0.5 0 ok`, `0,1 ${SIGMOID_1} ${SIGMOID_1} 0 ok`, `1,0 0.5 0.5 0 ok`, `1,1 ${SIGMOID_1} ${SIGMOID_1} 0 ok`]);
  });
  test('a single line keeps its shape: a 2×2 answer is not 4 numbers in a row', () => {
    // a flat list may stand for any shape, a nested one must match it
    const r = withFiles(['sigmoid', '0', '1', '0', '1', '--expect', '@y.txt'], { 'y.txt': `[[0.5, ${SIGMOID_1}], [0.5, ${SIGMOID_1}]]\n` });
    expectUsage(r, '--expect has shape 2×2, the value has shape 4');
  });
  test('a file of a formula, split over lines inside parentheses, is that formula', () => {
    const r = withFiles(['sigmoid', '0', '1', '--expect', '@y.txt'], { 'y.txt': '1/(1 +\n  exp(-x))\n' });
    expect(r).toEqual({ code: 0, stdout: '✓ the formula agrees with the value at all 9 points (the given one and 8 around it); rtol 1e-9, atol 1e-12\n', stderr: '' });
  });
});

describe('files', () => {
  test('the input @FILE is read through the IO (not the disk)', () => {
    expect(withFiles(['sigmoid', '@in.txt'], { 'in.txt': '0\n' })).toEqual({ code: 0, stdout: '0.5\n', stderr: '' });
  });
  test('a file that cannot be read for a reason other than absence names the code', () => {
    expectUsage(actgrad(['sigmoid', '@/']), 'input @/: cannot read the file (EISDIR)');
    expectUsage(actgrad(['mse', '1', '--target', '@/']), '--target @/: cannot read the file (EISDIR)');
  });
  test('a read failure without a code says only that', () => {
    const out = { stdout: '', stderr: '' };
    const io: IO = {
      ...memIO({}, out),
      readFile: () => {
        throw new Error('no code');
      },
    };
    expect(run(['mse', '1', '--target', '@t.txt'], io)).toBe(2);
    expect(out.stderr).toBe('actgrad: error: --target @t.txt: cannot read the file\n');
  });
  test("a flag's file of numbers that are not numbers names the flag and the file", () => {
    expectUsage(withFiles(['sigmoid', '0', '--grad-output', '@bad.txt'], { 'bad.txt': 'abc\n' }), '--grad-output file bad.txt: "abc" (number 1) is not a number');
  });
  test('an input file cut inside a UTF-8 character: the broken character is reported, not dropped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'actgrad-opts-'));
    try {
      const path = join(dir, 'cut.txt');
      writeFileSync(path, Buffer.concat([Buffer.from('1 2 '), Buffer.from([0xe2])]));
      expectUsage(actgrad(['sigmoid', `@${path}`]), `input file ${path}: "\uFFFD" (number 3) is not a number`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  test('--graph writes the file; a path that cannot be written is an error naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'actgrad-opts-'));
    try {
      const path = join(dir, 'g.dot');
      expect(actgrad(['grad', 'x*2', 'x=1', '--graph', path])).toEqual({ code: 0, stdout: '2\n', stderr: '' });
      expect(readFileSync(path, 'utf8')).toMatch(/^digraph/);
      const bad = join(dir, 'missing', 'g.dot');
      expectUsage(actgrad(['grad', 'x*2', 'x=1', '--graph', bad]), `--graph ${bad}: cannot write the file (ENOENT)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  test('numbers given as arguments win over standard input', () => {
    expect(actgrad(['sigmoid', '0'], { stdin: '1\n' })).toEqual({ code: 0, stdout: '0.5\n', stderr: '' });
  });
  test('a bare number with blanks around it is a scalar', () => {
    expect(numbersArg(' 3 ', '--target', memIO({})).shape).toEqual([]);
  });
});

describe('REPL bindings', () => {
  const io = (): IO => memIO({});
  const model = () => completionModel(buildProgram);
  function bound(): Bindings {
    const b = new Bindings(() => undefined);
    b.assign('zz', ['1', '2'], io());
    return b;
  }
  test('a line that is no command stays as typed', () => {
    expect(bound().expand(model(), ['frob', 'zz'])).toEqual(['frob', 'zz']);
  });
  test("a grad binding's value that is a bound name is replaced (names of any length)", () => {
    expect(bound().expand(model(), ['grad', 'x*ww', 'ww=zz'])).toEqual(['grad', 'x*ww', 'ww=[1, 2]']);
  });
  test('a grad binding to numbers stays as typed', () => {
    expect(bound().expand(model(), ['grad', 'x', 'x=1'])).toEqual(['grad', 'x', 'x=1']);
  });
  test.each([
    // a flag's value is not a binding, even with '=' in it or a name's prefix
    [['grad', 'zz*w', 'w=1', '--wrt', 'zzz']],
    [['grad', 'zz*w', 'w=1', '--expect', 'zz=1']],
    // '==' in the formula is not a binding
    [['grad', 'zz==w']],
    // a positional word without '=' binds nothing
    [['grad', 'zz*w', 'zzq']],
  ])('a bound name the formula reads is added after it: %j', (words) => {
    expect(bound().expand(model(), words)).toEqual([...words.slice(0, 2), 'zz=[1, 2]', ...words.slice(2)]);
  });
  test('formulaNames: reads, and assignments after a separator', () => {
    const n = formulaNames('a = 2; b = a*x');
    expect([...n.assigns].sort()).toEqual(['a', 'b']);
    expect([...n.reads].sort()).toEqual(['a', 'x']);
    expect([...formulaNames('w').reads]).toEqual(['w']);
  });
  test("formulaNames: a string '=' after a name is not an assignment (only the operator is)", () => {
    const n = formulaNames("x '='");
    expect([...n.reads]).toEqual(['x']);
    expect([...n.assigns]).toEqual([]);
  });
});

describe('REPL line splitting', () => {
  test('a comment leaves nothing being typed', () => {
    expect(splitPartial('softmax 1 # two')).toEqual({ words: ['softmax', '1'], current: '', currentRaw: '' });
  });
  test('quoteWord escapes # only where it would start a comment', () => {
    expect(quoteWord('a#b')).toBe('a#b');
    expect(quoteWord('#a')).toBe('\\#a');
  });
});

describe('flagParts', () => {
  test('a flags string it cannot read is a programming error naming it', () => {
    expect(() => flagParts('grad')).toThrow('flagParts: unexpected flags "grad"');
  });
});
