/**
 * Surviving StrykerJS mutants of src/cli/function.ts (runRead, rowTarget, mayStream, streamsRows):
 * what a user sees when standard input arrives in chunks with pauses (a pipe fed line by line).
 * Streaming shows only in when stdout is written (before the input ends or after), so these tests
 * record stdout at each chunk, and check the exact error when the input has more rows than the
 * target. Each mutant was applied by hand and seen to fail a test here.
 */
import { streamSettings } from '../../src/cli/function';
import { piped } from '../helpers/run';

const defaults = { ...streamSettings };
afterEach(() => Object.assign(streamSettings, defaults));

describe('a loss over rows streams its gradient when piped (rowTarget, mayStream, streamsRows)', () => {
  test('cross-entropy --grad: the rows so far are written before the next line', () => {
    const g0 = ['-0.2436861928766683', '0.24368619287666826'].join(' ');
    const g1 = ['0.08964714045666503', '-0.08964714045666505'].join(' ');
    const r = piped(['cross-entropy', '--target', '0,1,1', '--grad'], ['1 2', '3 4', '5 6']);
    expect(r).toEqual({ code: 0, stdout: `${g0}\n${g1}\n${g1}\n`, stderr: '', seen: ['', '', `${g0}\n${g1}\n`] });
  });
  test('nll --grad streams too', () => {
    const r = piped(['nll', '--target', '0,1,1', '--grad'], ['1 2', '3 4', '5 6']);
    const [a, b] = ['-0.3333333333333333 0', '0 -0.3333333333333333'];
    expect(r).toEqual({ code: 0, stdout: `${a}\n${b}\n${b}\n`, stderr: '', seen: ['', '', `${a}\n${b}\n`] });
  });
  test('softmax of rows streams', () => {
    const row = '0.2689414213699951 0.7310585786300049';
    const r = piped(['softmax'], ['1 2', '3 4', '5 6']);
    expect(r).toEqual({ code: 0, stdout: `${row}\n${row}\n${row}\n`, stderr: '', seen: ['', '', `${row}\n${row}\n`] });
  });
});

describe('more input rows than target rows, streamed', () => {
  test('the rows within the target are written, then the loss says what is wrong', () => {
    const r = piped(['cross-entropy', '--target', '0,1', '--grad'], ['1 2', '3 4', '5 6']);
    const written = '-0.36552928931500245 0.3655292893150024\n0.13447071068499755 -0.1344707106849976\n';
    expect(r).toEqual({
      code: 2,
      stdout: written,
      stderr: "actgrad: error: --target has 2 numbers; for 3 rows of 2 class scores give 3 class indices, or class probabilities of the input's shape [3, 2]\n",
      seen: ['', '', written],
    });
  });
});

describe('more rows past the target: every row is counted', () => {
  test('a fourth row after the target ran out', () => {
    const r = piped(['cross-entropy', '--target', '0,1', '--grad'], ['1 2', '3 4', '5 6', '7 8']);
    const written = '-0.36552928931500245 0.3655292893150024\n0.13447071068499755 -0.1344707106849976\n';
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(written);
    expect(r.stderr).toBe("actgrad: error: --target has 2 numbers; for 4 rows of 2 class scores give 4 class indices, or class probabilities of the input's shape [4, 2]\n");
  });
  test('in pieces of two rows, seven rows against a target of two', () => {
    streamSettings.numbersPerPiece = 4;
    const lines = ['1 2', '3 4', '5 6', '7 8', '9 10', '11 12', '13 14'];
    const r = piped(['cross-entropy', '--target', '0,1', '--grad'], lines, false);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('-0.36552928931500245 0.3655292893150024\n0.13447071068499755 -0.1344707106849976\n');
    expect(r.stderr).toBe("actgrad: error: --target has 2 numbers; for 7 rows of 2 class scores give 7 class indices, or class probabilities of the input's shape [7, 2]\n");
  });
});

describe('a column of class scores with a target is one vector, gathered whole', () => {
  test('cross-entropy of a column, target [1]', () => {
    const r = piped(['cross-entropy', '--target', '[1]', '--grad'], ['1', '2', '3']);
    // softmax([1, 2, 3]) minus the one-hot of class 1, not answered before the input ends.
    expect(r).toEqual({ code: 0, stdout: '0.09003057317038043\n-0.7552715289452023\n0.6652409557748218\n', stderr: '', seen: ['', '', ''] });
  });
});

describe('gathered input larger than the first buffer (Rows, 4096 numbers)', () => {
  test('softmax of a column of 9000 ones, read as one piece', () => {
    streamSettings.numbersPerPiece = 9000;
    const n = 9000;
    const r = piped(['softmax'], Array.from({ length: n }, () => '1'), false);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(n);
    expect(lines.every((l) => l === String(1 / n))).toBe(true);
  });
});

describe('--jacobian pieces hold numbersPerPiece numbers of Jacobian (width² per row)', () => {
  test('sigmoid -j of rows of two, pieces of 8 numbers: written every two rows', () => {
    streamSettings.numbersPerPiece = 8;
    const r = piped(['sigmoid', '-j'], ['1 2', '3 4', '5 6'], false);
    const first = '0.19661193324148185 0\n0 0.10499358540350662\n\n0.045176659730912 0\n0 0.017662706213291107\n';
    expect(r.code).toBe(0);
    expect(r.seen).toEqual(['', '', first]);
    expect(r.stdout).toBe(`${first}\n0.006648056670790033 0\n0 0.002466509291359931\n`);
  });
});

describe('a column streams for an elementwise function with a one-number parameter', () => {
  test('prelu --weight 0.5 of a column: rows written as they come', () => {
    const r = piped(['prelu', '--weight', '0.5'], ['-1', '2', '-3']);
    expect(r).toEqual({ code: 0, stdout: '-0.5\n2\n-1.5\n', stderr: '', seen: ['', '', '-0.5\n2\n'] });
  });
});

describe('gathered input (--hvp) keeps the layout of a single line', () => {
  test('one line of two numbers is answered as a row', () => {
    const r = piped(['relu', '--hvp', '1,1'], ['1 2']);
    expect(r).toEqual({ code: 0, stdout: '0 0\n', stderr: '', seen: [''] });
  });
});
