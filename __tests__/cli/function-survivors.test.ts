/**
 * What a user sees from a function subcommand reading standard input that cannot stream
 * (src/cli/function.ts, runRead's first branch): an --hvp answer keeps the input's layout, one
 * number per line for a column of numbers, one line for a row.
 *
 * Why this file: a StrykerJS run (/tmp/s9/function.txt) left the column test of gathered input
 * (line 124) without an assertion that a changed condition would fail. Everything calls run()
 * through the helper and computes inside the test bodies.
 */
import { actgrad } from '../helpers/run';

describe('function: input from standard input that is gathered whole (--hvp)', () => {
  test('a column of numbers is answered as a column', () => {
    // relu's Hessian is 0, so the HVP is 0 for each number.
    expect(actgrad(['relu', '--hvp', '1,1'], { stdin: '1\n2\n' })).toEqual({ code: 0, stdout: '0\n0\n', stderr: '' });
  });
  test('a row of numbers is answered as a row', () => {
    expect(actgrad(['relu', '--hvp', '1,1'], { stdin: '1 2\n' })).toEqual({ code: 0, stdout: '0 0\n', stderr: '' });
  });
});
