/**
 * What a user sees from `actgrad plot` (src/cli/plot.ts), run in-process: the one-line errors
 * (exit 2) for a function with no curve, a bad --from/--to/--target and the range of each size
 * flag; the default range; the parameters shown under the chart; colour; the chart's size in
 * columns and rows; and for --svg the status line, the default of 400 samples, the pixel size,
 * the title, the file written and the warning for a name not ending in .svg.
 *
 * Why this file: a StrykerJS run (/tmp/mut/cli-run-surv.txt) found most of plot.ts run by no
 * in-process test (the SVG branch) or run without any assertion on these values. Tests that spawn
 * the built binary cannot see mutants, so everything here calls run() through the helper, and
 * computes inside the test bodies, where Stryker attributes coverage.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IO } from '../../src/cli/io';
import { runPlot } from '../../src/cli/plot';
import { run } from '../../src/cli/run';
import { lookupDescriptor } from '../../src/functions/lookup';
import { actgrad, ESCAPE, expectUsage, type Run } from '../helpers/run';


/** The SVG status line on stderr for an SVG on standard output. */
const status = (label: string, dlabel: string, from: number, to: number, points: number): string =>
  `wrote the SVG to standard output: ${label} and ${dlabel} on [${from}, ${to}], ${points} samples each\n`;

/** The lines of a terminal chart. */
const linesOf = (text: string): string[] => text.replace(/\n$/, '').split('\n');

/** actgrad in-process on a terminal of the given width. */
function onTerminal(argv: string[], columns: number): Run {
  let stdout = '';
  let stderr = '';
  const io: IO = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), stdoutIsTTY: true, stdinIsTTY: false, readStdin: () => '', env: {}, columns };
  const code = run(argv, io);
  return { code, stdout, stderr };
}

describe('plot: errors', () => {
  test('a function of several tensors has no curve: the error names a formula to use instead', () => {
    expectUsage(
      actgrad(['plot', 'embedding']),
      'embedding takes several tensors, so it has no curve in one x; differentiate it in a formula instead (actgrad grad "F.embedding(i, E).sum()" i=2,0 E="1 2; 3 4; 5 6" --wrt E)',
    );
  });

  test('runPlot itself refuses a function of several tensors before reading any option', () => {
    const d = lookupDescriptor('embedding')!;
    const io: IO = { stdout: () => undefined, stderr: () => undefined, stdoutIsTTY: false, stdinIsTTY: false, readStdin: () => '', env: {} };
    expect(() => runPlot(d, {}, io)).toThrow(/^embedding takes several tensors, so it has no curve in one x/);
  });

  test('--from and --to that are not numbers are named in the error', () => {
    expectUsage(actgrad(['plot', 'sigmoid', '--from', 'abc']), '--from: "abc" is not a number');
    expectUsage(actgrad(['plot', 'sigmoid', '--to', 'abc']), '--to: "abc" is not a number');
  });

  test('--from must be below --to, both finite; the defaults fill the side not given', () => {
    expectUsage(actgrad(['plot', 'sigmoid', '--from', '1', '--to', '0']), '--from must be less than --to, both finite (got 1 and 0)');
    expectUsage(actgrad(['plot', 'sigmoid', '--from', '1', '--to', '1']), '--from must be less than --to, both finite (got 1 and 1)');
    expectUsage(actgrad(['plot', 'sigmoid', '--from', 'nan']), '--from must be less than --to, both finite (got NaN and 6)');
    expectUsage(actgrad(['plot', 'sigmoid', '--to', 'inf']), '--from must be less than --to, both finite (got -6 and Infinity)');
    expectUsage(actgrad(['plot', 'sigmoid', '--from', '-inf']), '--from must be less than --to, both finite (got -Infinity and 6)');
    expectUsage(actgrad(['plot', 'sigmoid', '--from', '7']), '--from must be less than --to, both finite (got 7 and 6)');
    expectUsage(actgrad(['plot', 'sigmoid', '--to', '-7']), '--from must be less than --to, both finite (got -6 and -7)');
  });

  test('a --target that is not a number is named in the error', () => {
    expectUsage(actgrad(['plot', 'mse', '--target', 'abc']), '--target: "abc" (number 1) is not a number');
  });

  test('the parameters are checked against a one-number input before sampling', () => {
    expectUsage(
      actgrad(['plot', 'prelu', '--weight', '0.5,1', '--width', '30', '--height', '5']),
      "--weight has 2 numbers, but the input has 1 channel (PyTorch's prelu takes one weight, or one per channel: dimension 1 of the input, so a vector has 1)",
    );
  });

  test('each size flag has its range, which differs for the SVG (pixels) and the terminal (cells)', () => {
    expectUsage(actgrad(['plot', 'sigmoid', '--svg', '-', '--points', '9']), '--points takes a whole number from 10 to 100000, not "9"');
    expectUsage(actgrad(['plot', 'sigmoid', '--svg', '-', '--points', '100001']), '--points takes a whole number from 10 to 100000, not "100001"');
    expectUsage(actgrad(['plot', 'sigmoid', '--svg', '-', '--width', '99']), '--width takes a whole number from 100 to 10000, not "99"');
    expectUsage(actgrad(['plot', 'sigmoid', '--svg', '-', '--width', '10001']), '--width takes a whole number from 100 to 10000, not "10001"');
    expectUsage(actgrad(['plot', 'sigmoid', '--svg', '-', '--height', '99']), '--height takes a whole number from 100 to 10000, not "99"');
    expectUsage(actgrad(['plot', 'sigmoid', '--svg', '-', '--height', '10001']), '--height takes a whole number from 100 to 10000, not "10001"');
    expectUsage(actgrad(['plot', 'sigmoid', '--width', '29']), '--width takes a whole number from 30 to 1000, not "29"');
    expectUsage(actgrad(['plot', 'sigmoid', '--width', '1001']), '--width takes a whole number from 30 to 1000, not "1001"');
    expectUsage(actgrad(['plot', 'sigmoid', '--height', '4']), '--height takes a whole number from 5 to 200, not "4"');
    expectUsage(actgrad(['plot', 'sigmoid', '--height', '201']), '--height takes a whole number from 5 to 200, not "201"');
  });
});

describe('plot --svg', () => {
  test('to standard output: the SVG, then the status line on stderr with the default range and 400 samples', () => {
    const r = actgrad(['plot', 'sigmoid', '--svg', '-']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(status('sigmoid(x)', "sigmoid'(x)", -6, 6, 400));
    expect(r.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')).toBe(true);
    expect(r.stdout).toContain('<title>sigmoid(x) and its derivative on [-6, 6]</title>');
    expect(r.stdout).toContain('width="800" height="500" viewBox="0 0 800 500"');
  });

  test('--from, --to, --points, --width and --height reach the chart and the status line', () => {
    const r = actgrad(['plot', 'mse', '--target', '1', '--svg', '-', '--points', '10', '--width', '200', '--height', '150', '--from', '-1', '--to', '2']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(status('mse(x, 1)', '∂/∂x mse(x, 1)', -1, 2, 10));
    expect(r.stdout).toContain('<title>mse(x, 1) and its derivative on [-1, 2]</title>');
    expect(r.stdout).toContain('width="200" height="150" viewBox="0 0 200 150"');
  });

  test('the default range of bce is [0, 1]', () => {
    const r = actgrad(['plot', 'bce', '--target', '1', '--svg', '-', '--points', '10']);
    expect(r.stderr).toBe(status('bce(x, 1)', '∂/∂x bce(x, 1)', 0, 1, 10));
  });

  test('the parameters are shown in the SVG', () => {
    const r = actgrad(['plot', 'prelu', '--weight', '0.5', '--svg', '-']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('weight=[0.5]');
    const s = actgrad(['plot', 'leaky-relu', '--negative-slope', '0.5', '--svg', '-']);
    expect(s.stdout).toContain('negative_slope=0.5');
  });

  test('to a file: the file holds the SVG, stdout stays empty, the status names the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'actgrad-plot-'));
    try {
      const path = join(dir, 'sig.svg');
      const r = actgrad(['plot', 'sigmoid', '--svg', path, '--points', '20']);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`wrote ${path}: sigmoid(x) and sigmoid'(x) on [-6, 6], 20 samples each\n`);
      const svg = readFileSync(path, 'utf8');
      expect(svg).toBe(actgrad(['plot', 'sigmoid', '--svg', '-', '--points', '20']).stdout);
      // The extension is matched case-insensitively: no warning.
      const upper = join(dir, 'SIG.SVG');
      expect(actgrad(['plot', 'sigmoid', '--svg', upper, '--points', '20']).stderr).toBe(`wrote ${upper}: sigmoid(x) and sigmoid'(x) on [-6, 6], 20 samples each\n`);
      expect(existsSync(upper)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a file name not ending in .svg is written anyway, after a warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'actgrad-plot-'));
    try {
      for (const name of ['chart.txt', 'chart.svg.bak']) {
        const path = join(dir, name);
        const r = actgrad(['plot', 'sigmoid', '--svg', path, '--points', '10']);
        expect(r.code).toBe(0);
        expect(r.stderr).toBe(
          `actgrad: warning: --svg ${path} does not end in .svg; writing SVG to it anyway\n` + `wrote ${path}: sigmoid(x) and sigmoid'(x) on [-6, 6], 10 samples each\n`,
        );
        expect(readFileSync(path, 'utf8').startsWith('<?xml')).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('plot on the terminal', () => {
  test('not a terminal: 80 columns and 20 rows by default, nothing on stderr', () => {
    const r = actgrad(['plot', 'sigmoid']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = linesOf(r.stdout);
    expect(Math.max(...lines.map((l) => [...l].length))).toBe(80);
    expect(lines.filter((l) => /[┤│]/.test(l.slice(0, 6))).length).toBe(20);
    expect(r.stdout).toContain("sigmoid(x)   + sigmoid'(x)");
  });

  test("on a terminal the chart takes the terminal's width unless --width says otherwise", () => {
    const wide = linesOf(onTerminal(['plot', 'sigmoid', '--no-color'], 100).stdout);
    expect(Math.max(...wide.map((l) => [...l].length))).toBe(100);
    const given = linesOf(onTerminal(['plot', 'sigmoid', '--no-color', '--width', '50'], 100).stdout);
    expect(given[0].length).toBe(50);
  });

  test('--width and --height set the columns and rows', () => {
    const r = actgrad(['plot', 'softmax', '--from', '-1', '--to', '1', '--width', '30', '--height', '5']);
    expect(r.stdout).toBe(
      '    │            │         ***\n    │            │ ********   \n0.5 ┤       *******           \n    │******* +++++++++        \n    │++++++++    │    ++++++++\n    └┬───────────┬───────────┬\n     -1          0           1\n     * softmax([x, 0])[0]   + ∂/∂x softmax([x, 0])[0]   # both\n',
    );
  });

  test('the parameters are shown under the chart: numbers as they are, tensors in brackets', () => {
    expect(actgrad(['plot', 'leaky-relu', '--negative-slope', '0.5', '--width', '30', '--height', '5']).stdout).toBe(
      "  │             │           **\n5 ┤             │      *****  \n  │++++++++++++++######+++++++\n0 ┤────**********─────────────\n  │****         │             \n  └─────────────┬─────────────\n                0\n   * leaky-relu(x)   + leaky-relu'(x)   # both   (negative_slope=0.5)\n",
    );
    expect(actgrad(['plot', 'prelu', '--weight', '0.5', '--width', '30', '--height', '5']).stdout).toContain("* prelu(x)   + prelu'(x)   # both   (weight=[0.5])\n");
  });

  test('colour: --color always colours a pipe, --no-color and --color never do not colour a terminal', () => {
    expect(actgrad(['plot', 'sigmoid', '--color', 'always']).stdout).toMatch(ESCAPE);
    expect(actgrad(['plot', 'sigmoid']).stdout).not.toMatch(ESCAPE);
    expect(onTerminal(['plot', 'sigmoid'], 80).stdout).toMatch(ESCAPE);
    expect(onTerminal(['plot', 'sigmoid', '--no-color'], 80).stdout).not.toMatch(ESCAPE);
    expect(onTerminal(['plot', 'sigmoid', '--color', 'never'], 80).stdout).not.toMatch(ESCAPE);
  });

  test('several parameters are shown under the chart separated by ", "', () => {
    expect(actgrad(['plot', 'hardtanh', '--min-val', '-1', '--max-val', '2', '--width', '30', '--height', '5']).stdout).toContain("* hardtanh(x)   + hardtanh'(x)   # both   (min_val=-1, max_val=2)\n");
  });

  test('an SVG file that cannot be written is named, with its flag, in a one-line error', () => {
    expectUsage(actgrad(['plot', 'sigmoid', '--svg', '/nonexistent/dir/x.svg']), '--svg /nonexistent/dir/x.svg: cannot write the file (ENOENT)');
  });

  test('a loss against --target: its label carries the target', () => {
    const r = actgrad(['plot', 'mse', '--target', '1', '--width', '40', '--height', '6']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('mse(x, 1)   + ∂/∂x mse(x, 1)');
  });
});

/*
 * Survivors of a later StrykerJS run (/tmp/s9/plot.txt): a scalar parameter shown under the chart
 * as written (not as a list), and a row-wise function (glu) whose parameter probe takes two numbers.
 */
describe('plot: the probe and the parameters under the chart', () => {
  test('a scalar parameter is shown as name=value', () => {
    const r = actgrad(['plot', 'leaky_relu', '--negative-slope', '0.1', '--width', '30', '--height', '5']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(linesOf(r.stdout).at(-1)).toBe("   * leaky-relu(x)   + leaky-relu'(x)   # both   (negative_slope=0.1)");
  });
  test('glu, which halves a row, is plotted along [x, 0]', () => {
    const r = actgrad(['plot', 'glu', '--width', '30', '--height', '5']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(linesOf(r.stdout).at(-1)).toBe('   * glu([x, 0])[0]   + ∂/∂x glu([x, 0])[0]   # both');
  });
});
