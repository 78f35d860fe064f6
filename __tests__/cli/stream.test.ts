/**
 * Input read from standard input or @FILE streams: cut into pieces (here small ones, so that small
 * inputs make many), computed and written piece by piece in plain, csv, tsv and json. The output is
 * exactly what the whole input gives, for every function and option; what cannot stream (a
 * column for a row-wise function, losses, Hessians, checks, dim=0) is gathered and computed whole.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { streamSettings } from '../../src/cli/function';
import type { IO } from '../../src/cli/io';
import { run } from '../../src/cli/run';
import { registry } from '../../src/functions/registry';
import { plainText as formatPlain, writePlain } from '../../src/render/plain';
import { ByteWriter } from '../../src/render/stream-text';
import { tensor } from '../../src/tensor';
import { actgrad, piped } from '../helpers/run';
import { tempDir } from '../helpers/temp';

/** actgrad with stdin delivered in chunks of `size` characters (lines cut anywhere). */
function chunked(argv: string[], input: string, size: number): { code: number; stdout: string; stderr: string; writes: number } {
  let stdout = '';
  let stderr = '';
  let writes = 0;
  const io: IO = {
    stdout: (s) => {
      stdout += s;
      writes++;
    },
    stderr: (s) => (stderr += s),
    stdoutIsTTY: false,
    stdinIsTTY: false,
    readStdin: () => input,
    readStdinChunks: (onChunk) => {
      for (let i = 0; i < input.length; i += size) onChunk(input.slice(i, i + size));
    },
    env: {},
  };
  return { code: run(argv, io), stdout, stderr, writes };
}

const defaults = { ...streamSettings };

/** Runs `body` with pieces of `numbers` numbers, and json spooling to a file past `spoolBytes`. */
function withPieces<T>(numbers: number, spoolBytes: number, body: () => T): T {
  streamSettings.numbersPerPiece = numbers;
  streamSettings.spoolMemoryBytes = spoolBytes;
  try {
    return body();
  } finally {
    Object.assign(streamSettings, defaults);
  }
}

const FORMATS = ['plain', 'csv', 'tsv', 'json'];

/** The flags of a function's example (its parameters), without what it computes. */
function exampleFlags(example: string): string[] {
  const words = example.match(/(?:[^\s"]+|"[^"]*")+/g)!.map((w) => w.replace(/"/g, ''));
  const first = words.findIndex((w, i) => i > 0 && w.startsWith('--'));
  if (first < 0) return [];
  return words.slice(first).filter((w) => !['--grad', '-g', '--jacobian', '-j', '--hessian', '-H'].includes(w));
}

const numbersLine = (row: number[]): string => row.join(' ');
const matrixRows = (rows: number, width: number, seed: number): number[][] =>
  Array.from({ length: rows }, (_, i) => Array.from({ length: width }, (__, j) => Math.round(Math.sin(seed + i * width + j) * 300) / 100));

describe('streamed output equals the whole input\'s, for every function that can stream', () => {
  const streaming = registry.filter((d) => d.structure === 'elementwise' || (d.kind === 'vector' && d.structure === 'rows')).filter((d) => d.kind !== 'loss');
  const asked = [[], ['--grad'], ['--jacobian'], ['--grad', '--order', '2']];
  test.each(streaming.map((d) => [d.name]))('%s', (name) => {
    const d = registry.find((x) => x.name === name)!;
    const flags = exampleFlags(d.example);
    const matrix = matrixRows(7, 4, name.length);
    const column = matrixRows(9, 1, name.length).map((r) => r[0]);
    for (const what of asked) {
      if (what.includes('--order') && d.kind !== 'elementwise') continue;
      for (const format of FORMATS) {
        const argv = [name, ...flags, ...what, '--format', format];
        // The whole input: the same numbers as arguments (a matrix as "a b; c d").
        const wholeMatrix = actgrad([name, matrix.map(numbersLine).join('; '), ...flags, ...what, '--format', format]);
        const matrixText = `${matrix.map(numbersLine).join('\n')}\n`;
        for (const [pieces, chunk] of [
          [1, 3],
          [3, 7],
          [1000, 1 << 20],
        ]) {
          const streamed = withPieces(pieces * (what.includes('--jacobian') ? 16 : 4), 64, () => chunked(argv, matrixText, chunk));
          expect({ name, what, format, pieces, out: streamed.stdout, err: streamed.stderr }).toEqual({ name, what, format, pieces, out: wholeMatrix.stdout, err: wholeMatrix.stderr });
        }
        // A column (one number per line): the same as the whole column, which plain writes as a column.
        const columnText = `${column.join('\n')}\n`;
        const wholeColumn = withPieces(1 << 20, 1 << 20, () => chunked(argv, columnText, 1 << 20));
        const streamedColumn = withPieces(2, 16, () => chunked(argv, columnText, 5));
        expect({ name, what, format, out: streamedColumn.stdout, err: streamedColumn.stderr }).toEqual({ name, what, format, out: wholeColumn.stdout, err: wholeColumn.stderr });
        if (format !== 'plain') expect(wholeColumn.stdout).toBe(actgrad([name, ...column.map(String), ...flags, ...what, '--format', format]).stdout);
      }
    }
  });

  test('a row-wise function takes a column whole: softmax of 5000 numbers on 5000 lines sums to 1', () => {
    const input = `${Array.from({ length: 5000 }, (_, i) => i / 1000).join('\n')}\n`;
    const out = withPieces(64, 64, () => chunked(['softmax'], input, 4096));
    const values = out.stdout.trim().split('\n').map(Number);
    expect(values).toHaveLength(5000);
    expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
  });

  test('what cannot stream is computed whole: dim=0, losses, Hessians, --grad-output, checks', () => {
    const rows = matrixRows(6, 3, 1);
    const text = `${rows.map(numbersLine).join('\n')}\n`;
    const args = rows.map(numbersLine).join('; ');
    const target = matrixRows(6, 3, 2).map((r) => r.map((v) => Math.abs(v) / 4).join(' ')).join('; ');
    const cases = [
      ['softmax', '--dim', '0', '--format', 'json'],
      ['mse', '--target', target, '--grad', '--format', 'csv'],
      ['sigmoid', '--hessian', '--format', 'json'],
      ['softmax', '--grad-output', args, '--format', 'tsv'],
      ['layer-norm', '--normalized-shape', '3', '--jacobian', '--format', 'json'],
      ['relu', '--expect', '0 0 0; 0 0 0; 0 0 0; 0 0 0; 0 0 0; 0 0 0'],
    ];
    for (const c of cases) {
      const streamed = withPieces(3, 16, () => chunked(c, text, 4));
      const whole = actgrad([c[0], args, ...c.slice(1)]);
      expect({ c, out: streamed.stdout, code: streamed.code }).toEqual({ c, out: whole.stdout, code: whole.code });
    }
  });

  test('a loss over rows streams its gradient in pieces, with the whole batch\'s mean: the same bytes and errors as the whole input', () => {
    const rows = matrixRows(11, 4, 3);
    const text = `${rows.map(numbersLine).join('\n')}\n`;
    const args = rows.map(numbersLine).join('; ');
    const classes = '0 3 1 2 2 0 1 3 3 1 0';
    const probabilities = matrixRows(11, 4, 5).map((r) => r.map((v) => Math.abs(v) / 4).join(' ')).join('; ');
    const targets: [string, string[]][] = [
      ['nll', ['--target', classes]],
      ['nll', ['--target', classes, '--weight', '0.5 2 1 3', '--ignore-index', '3']],
      ['nll', ['--target', classes, '--reduction', 'sum']],
      ['cross-entropy', ['--target', classes]],
      ['cross-entropy', ['--target', classes, '--weight', '0.5 2 1 3', '--label-smoothing', '0.2', '--ignore-index', '1']],
      ['cross-entropy', ['--target', classes, '--reduction', 'none']],
      ['cross-entropy', ['--target', probabilities, '--label-smoothing', '0.1']],
    ];
    for (const [name, flags] of targets) {
      for (const format of FORMATS) {
        const argv = [name, ...flags, '--grad', '--format', format];
        const whole = actgrad([name, args, ...flags, '--grad', '--format', format]);
        for (const pieces of [1, 3, 100]) {
          const streamed = withPieces(pieces * 4, 64, () => chunked(argv, text, 5));
          expect({ argv, pieces, out: streamed.stdout, err: streamed.stderr }).toEqual({ argv, pieces, out: whole.stdout, err: whole.stderr });
        }
      }
    }
    // The target checked against the batch, as for the whole input: too few rows, too many, a bad class late.
    for (const target of ['0 3 1 2 2 0 1 3 3 1', '0 3 1 2 2 0 1 3 3 1 0 2 1', '0 3 1 2 2 0 1 3 3 7 0']) {
      for (const name of ['nll', 'cross-entropy']) {
        const whole = actgrad([name, args, '--target', target, '--grad']);
        const streamed = withPieces(8, 64, () => chunked([name, '--target', target, '--grad'], text, 5));
        expect(whole.code).toBe(2);
        expect({ code: streamed.code, err: streamed.stderr }).toEqual({ code: whole.code, err: whole.stderr });
      }
    }
  });

  test('layer and RMS norms over the last dimension stream in pieces of rows; their Jacobian stays one dense matrix', () => {
    const rows = matrixRows(9, 5, 7);
    const text = `${rows.map(numbersLine).join('\n')}\n`;
    const args = rows.map(numbersLine).join('; ');
    const cases = [
      ['layer-norm', '--grad'],
      ['layer-norm', '--normalized-shape', '5', '--weight', '1 2 3 4 5', '--bias', '0 1 0 1 0', '--grad'],
      ['layer-norm', '--eps', '0.1'],
      ['rms-norm', '--grad'],
      ['layer-norm', '--jacobian'],
    ];
    for (const c of cases) {
      for (const format of FORMATS) {
        const whole = actgrad([c[0], args, ...c.slice(1), '--format', format]);
        for (const pieces of [1, 4]) {
          const streamed = withPieces(pieces * 5, 64, () => chunked([...c, '--format', format], text, 6));
          expect({ c, format, pieces, out: streamed.stdout, err: streamed.stderr }).toEqual({ c, format, pieces, out: whole.stdout, err: whole.stderr });
          // Output in pieces: one write per piece when it streams (the dense Jacobian is written whole).
          if (format === 'plain' && !c.includes('--jacobian') && pieces === 1) expect(streamed.writes).toBe(9);
        }
      }
    }
  });

  test('a single line is the whole input in the full syntax, whatever its rows', () => {
    for (const line of ['1 2; 3 4', '[[[1, 2], [3, 4]]]', '5', '1,2,3']) {
      const streamed = withPieces(1, 8, () => chunked(['sigmoid', '-g', '--json'], `${line}\n`, 1));
      expect(streamed.stdout).toBe(actgrad(['sigmoid', line, '-g', '--json']).stdout);
    }
  });
});

describe('layout', () => {
  const inputs: [string, string][] = [
    ['one number per line', '-1\n0.5\n2\n\n3e-3\n'],
    ['rows of three', '1 -2 3\n# a comment\n4,5,-6\n7 8 9\n'],
    ['a single line', '1 2 3\n'],
    ['a single line holding a matrix', '1 2; 3 4\n'],
    ['no final newline', '1\n2'],
    ['non-finite numbers', 'nan\n-inf\ninf\n'],
  ];
  test.each(inputs)('plain keeps the input\'s layout: %s', (_label, input) => {
    for (const size of [1, 3, 7, 1000]) {
      for (const fn of [['sigmoid'], ['relu', '--grad'], ['leaky-relu', '--negative-slope', '0.1', '--grad']]) {
        const streamed = withPieces(2, 16, () => chunked(fn, input, size));
        const whole = actgrad([...fn, '--format', 'json'], { stdin: input });
        expect(streamed.code).toBe(0);
        // The contract's layout rule: one number per line (more than one line) is a column out.
        const lines = input.split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
        const column = lines.length > 1 && lines.every((l) => !/[\s,]/.test(l));
        const j = JSON.parse(whole.stdout);
        const q = fn.includes('--grad') ? j.grad : j.value;
        const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : (v as number)]);
        const shape = Array.isArray(q[0]) ? [q.length, q[0].length] : [q.length];
        expect({ fn, size, out: streamed.stdout }).toEqual({ fn, size, out: formatPlain(tensor(shape, flat(q)), undefined, column) });
      }
    }
  });

  test('seq -2 2 | actgrad sigmoid is a column, line for line', () => {
    const out = chunked(['sigmoid'], '-2\n-1\n0\n1\n2\n', 3).stdout;
    expect(out.split('\n')).toEqual(['0.11920292202211755', '0.2689414213699951', '0.5', '0.7310585786300049', '0.8807970779778823', '']);
  });

  test('one number per row of a batch (logsumexp, norm, a loss per row) is one line per row', () => {
    expect(actgrad(['logsumexp', '1 2; 3 4']).stdout).toBe('2.313261687518223\n4.313261687518223\n');
    expect(chunked(['norm'], '3 4\n6 8\n', 2).stdout).toBe('5\n10\n');
    expect(actgrad(['cross-entropy', '1 2; 3 4', '--target', '0,1', '--reduction', 'none']).stdout.trim().split('\n')).toHaveLength(2);
    // One row: one number, as before.
    expect(actgrad(['logsumexp', '1', '2']).stdout).toBe('2.313261687518223\n');
  });

  test('a batch\'s Jacobians stay blocks separated by a blank line across pieces', () => {
    const out = withPieces(4, 16, () => chunked(['softmax', '-j'], '1 2\n3 4\n5 6\n', 2)).stdout;
    expect(out.split('\n\n')).toHaveLength(3);
    expect(out).toBe(actgrad(['softmax', '1 2; 3 4; 5 6', '-j']).stdout);
  });
});

describe('errors and resources', () => {
  test('errors mid-stream: exit 2 with the line and the token', () => {
    const r = withPieces(1, 8, () => chunked(['relu'], '1\n2\nx3\n4\n', 2));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('actgrad: error: standard input line 3: "x3" (number 3) is not a number\n');
    const ragged = chunked(['relu'], '1 2\n3\n', 2);
    expect(ragged.stderr).toContain('row 2 has 1 number, row 1 has 2');
  });

  test('a large input is written in many pieces, not one string', () => {
    const input = `${Array.from({ length: 300000 }, (_, i) => (i % 7) - 3).join('\n')}\n`;
    for (const format of FORMATS) {
      const r = chunked(['relu', '-g', '--format', format], input, 65536);
      expect(r.writes).toBeGreaterThan(5);
      if (format !== 'json') expect(r.stdout.trimEnd().split('\n').length).toBeGreaterThanOrEqual(300000);
    }
  });

  test('json spools to temporary files that are gone afterwards, also after an error', () => {
    const dir = tempDir('actgrad-spool-test-');
    const input = `${Array.from({ length: 2000 }, (_, i) => i / 100 - 10).join('\n')}\n`;
    streamSettings.spoolDirectory = dir;
    try {
      // The spool's files are made and unlinked at once: the directory stays empty while they are in use.
      let stdout = '';
      const seen = new Set<string>();
      const io: IO = {
        stdout: (s) => {
          stdout += s;
          for (const f of readdirSync(dir)) seen.add(f);
        },
        stderr: () => {},
        stdoutIsTTY: false,
        stdinIsTTY: false,
        readStdin: () => input,
        env: {},
      };
      expect(withPieces(64, 256, () => run(['sigmoid', '-g', '--json'], io))).toBe(0);
      expect(JSON.parse(stdout)).toEqual(JSON.parse(actgrad(['sigmoid', '-g', '--json'], { stdin: input }).stdout));
      expect([...seen]).toEqual([]);
      expect(readdirSync(dir)).toEqual([]);
      const failed = withPieces(64, 256, () => chunked(['sigmoid', '-g', '--json'], `${input}oops\n`, 1000));
      expect(failed.code).toBe(2);
      expect(readdirSync(dir)).toEqual([]);
      streamSettings.spoolDirectory = join(dir, 'missing');
      const nowhere = withPieces(64, 256, () => chunked(['sigmoid', '-g', '--json'], input, 1000));
      expect({ code: nowhere.code, stderr: nowhere.stderr }).toEqual({
        code: 2,
        stderr: `actgrad: error: streamed json waits for its end in a temporary file, which cannot be made in ${join(dir, 'missing')} (ENOENT); set TMPDIR to a writable directory\n`,
      });
    } finally {
      delete streamSettings.spoolDirectory;
    }
  });
});

test('writePlain writes in pieces that join to formatPlain', () => {
  const t = tensor([300, 300], Array.from({ length: 90000 }, (_, i) => Math.sin(i)));
  const pieces: string[] = [];
  const out = new ByteWriter((s) => pieces.push(s));
  writePlain(t, undefined, out);
  out.flush();
  expect(pieces.length).toBeGreaterThan(1);
  expect(pieces.join('')).toBe(formatPlain(t));
});

describe('@FILE', () => {
  const dir = tempDir('actgrad-files-');
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  test('the input: @FILE reads as standard input does, and streams', () => {
    const column = file('x.txt', '-1\n0\n2.5\n');
    expect(actgrad(['relu', `@${column}`]).stdout).toBe('0\n0\n2.5\n');
    const rows = file('m.txt', '1 2\n3 4\n');
    expect(actgrad(['softmax', `@${rows}`, '--json']).stdout).toBe(actgrad(['softmax', '1 2; 3 4', '--json']).stdout);
    const big = file('big.txt', `${Array.from({ length: 3000 }, (_, i) => i - 1500).join('\n')}\n`);
    const viaFile = withPieces(100, 256, () => actgrad(['sigmoid', `@${big}`, '-g', '--format', 'csv']));
    expect(viaFile.stdout).toBe(actgrad(['sigmoid', '-g', '--format', 'csv'], { stdin: readFileSync(big, 'utf8') }).stdout);
  });

  test('--target (also plot\'s), --weight, --grad-output, --hvp, --jvp and grad bindings read @FILE', () => {
    const target = file('t.txt', '0\n2\n');
    expect(actgrad(['cross-entropy', '1 2 3; 3 2 1', '--target', `@${target}`, '--json']).stdout).toBe(actgrad(['cross-entropy', '1 2 3; 3 2 1', '--target', '0,2', '--json']).stdout);
    const weight = file('w.txt', '0.5\n1\n2\n');
    expect(actgrad(['cross-entropy', '1 2 3', '--target', '1', '--weight', `@${weight}`, '--json']).stdout).toBe(actgrad(['cross-entropy', '1 2 3', '--target', '1', '--weight', '0.5,1,2', '--json']).stdout);
    const dy = file('dy.txt', '1 0 -1\n');
    expect(actgrad(['softmax', '1', '2', '3', '--grad-output', `@${dy}`]).stdout).toBe(actgrad(['softmax', '1', '2', '3', '--grad-output', '1,0,-1']).stdout);
    expect(actgrad(['tanh', '1', '2', '3', '--hvp', `@${dy}`]).stdout).toBe(actgrad(['tanh', '1', '2', '3', '--hvp', '1,0,-1']).stdout);
    expect(actgrad(['tanh', '1', '2', '3', '--jvp', `@${dy}`]).stdout).toBe(actgrad(['tanh', '1', '2', '3', '--jvp', '1,0,-1']).stdout);
    const one = file('one.txt', '1\n');
    expect(actgrad(['plot', 'mse', '--target', `@${one}`, '--width', '40', '--height', '6']).stdout).toBe(actgrad(['plot', 'mse', '--target', '1', '--width', '40', '--height', '6']).stdout);
    const x = file('x3.txt', '1\n2\n3\n');
    expect(actgrad(['grad', 'sum(x*x)', `x=@${x}`, '--json']).stdout).toBe(actgrad(['grad', 'sum(x*x)', 'x=1,2,3', '--json']).stdout);
  });

  test('--expect @FILE: numbers as written (their digits set the tolerance), rows per line, or a formula', () => {
    const close = file('e.txt', '0.659\n0.242\n0.0986\n');
    expect(actgrad(['softmax', '2', '1', '0.1', '--expect', `@${close}`]).code).toBe(0);
    const wrong = file('wrong.txt', '0.66\n0.24\n0.2\n');
    expect(actgrad(['softmax', '2', '1', '0.1', '--expect', `@${wrong}`]).code).toBe(1);
    const matrix = file('em.txt', '# softmax of two rows\n0.269 0.731\n0.269 0.731\n');
    expect(actgrad(['softmax', '1 2; 3 4', '--expect', `@${matrix}`]).code).toBe(0);
    const formula = file('f.txt', 'x*(1 - x)\n');
    expect(actgrad(['sigmoid', '0.3', '-g', '--expect', `@${formula}`]).code).toBe(1);
    const right = file('g.txt', 'sigmoid(x)*(1 - sigmoid(x))\n');
    expect(actgrad(['sigmoid', '0.3', '-g', '--expect', `@${right}`]).code).toBe(0);
    const w = file('gw.txt', '2\n4\n6\n');
    expect(actgrad(['grad', 'sum(w*w)', 'w=1,2,3', '--expect', `w=@${w}`]).code).toBe(0);
  });

  test('a missing file is a one-line error naming the flag and the file, exit 2', () => {
    const missing = join(dir, 'missing.txt');
    const cases: [string[], string][] = [
      [['relu', `@${missing}`], 'input'],
      [['mse', '1', '--target', `@${missing}`], '--target'],
      [['cross-entropy', '1 2', '--target', '0', '--weight', `@${missing}`], '--weight'],
      [['softmax', '1', '2', '--grad-output', `@${missing}`], '--grad-output'],
      [['relu', '1', '--expect', `@${missing}`], '--expect'],
      [['grad', 'sum(x)', `x=@${missing}`], 'x'],
    ];
    for (const [argv, what] of cases) {
      const r = actgrad(argv);
      expect({ argv, code: r.code, stderr: r.stderr }).toEqual({ argv, code: 2, stderr: `actgrad: error: ${what} @${missing}: cannot read the file (no such file)\n` });
    }
  });

  test('a file that is not numbers names the file and the line', () => {
    const bad = file('bad.txt', '1\n2x\n');
    expect(actgrad(['relu', `@${bad}`]).stderr).toBe(`actgrad: error: input file ${bad} line 2: "2x" (number 2) is not a number\n`);
  });
});

test('the built registry index finds every name as the registry does', () => {
  // The index is written by the build (npm test builds first).
  const dist = join(__dirname, '..', '..', 'dist', 'functions');
  const { lookupDescriptor } = require(join(dist, 'lookup.js'));
  const { registry: built, namesOf } = require(join(dist, 'registry.js'));
  for (const d of built) for (const n of namesOf(d)) expect(lookupDescriptor(n)).toBe(d);
  expect(lookupDescriptor('constructor')).toBeUndefined();
  expect(lookupDescriptor('__proto__')).toBeUndefined();
});

describe('output as bytes (the CLI\'s stdout) is the output as text', () => {
  /** actgrad with an IO that takes bytes, and with the same IO without: both outputs, and how many writes were text. */
  function bothWays(argv: string[], input: string | undefined, tty = false): { bytes: string; text: string; texts: number } {
    const run2 = (withBytes: boolean): { out: string; texts: number } => {
      const chunks: Buffer[] = [];
      let texts = 0;
      const io: IO = {
        stdout: (s) => {
          texts++;
          chunks.push(Buffer.from(s));
        },
        stderr: () => {},
        stdoutIsTTY: tty,
        columns: 80,
        stdinIsTTY: input === undefined,
        readStdin: () => input ?? '',
        env: { LANG: 'C.UTF-8' },
      };
      // Copied: the bytes are valid only during the call.
      if (withBytes) io.stdoutBytes = (b) => void chunks.push(Buffer.from(b));
      expect(run(argv, io)).toBe(0);
      return { out: Buffer.concat(chunks).toString('utf8'), texts };
    };
    const bytes = run2(true);
    return { bytes: bytes.out, text: run2(false).out, texts: bytes.texts };
  }
  const column = `${Array.from({ length: 3000 }, (_, i) => Math.sin(i) * 3).join('\n')}\n`;
  const rows = `${Array.from({ length: 500 }, (_, i) => `${i} ${-i / 3} ${Math.cos(i)}`).join('\n')}\n`;
  test.each([
    [['sigmoid', '-g', '--format', 'plain'], column],
    [['sigmoid', '-g', '--format', 'csv'], column],
    [['softmax', '-j', '--format', 'tsv'], rows],
    [['softmax', '-g', '--format', 'json'], rows],
    [['softmax', '-j', '--format', 'plain'], rows],
    [['sigmoid', '-g', '--format', 'table', '--rows', 'all'], column],
    [['softmax', '-j', '--format', 'table', '--color', 'always'], rows],
    [['logsumexp', '-j', '--format', 'table'], '1 2\n'],
  ])('%j', (argv, input) => {
    const r = withPieces(256, 1024, () => bothWays(argv, input));
    expect(r.bytes).toBe(r.text);
    // Not cut into pieces (the default piece size), for the formats that do not depend on the terminal's width.
    if (!argv.includes('table')) expect(r.bytes).toBe(actgrad(argv, { stdin: input }).stdout);
    expect(r.texts).toBe(0);
  });
  test('labels that are not ASCII, on a terminal', () => {
    const r = bothWays(['logsumexp', '1', '2', '-j'], undefined, true);
    expect(r.bytes).toContain('∂y/∂x');
    expect(r.bytes).toBe(r.text);
  });
});

describe('a pipe fed line by line is answered as it comes (tail -f log | actgrad sigmoid)', () => {
  test('in-process: when the input pauses, the rows so far are written before the next chunk', () => {
    const lines = ['0', '1', '-2', '3'];
    const { code, stdout, seen: seenAtChunk } = piped(['sigmoid'], lines);
    expect(code).toBe(0);
    const want = lines.map((l) => String(1 / (1 + Math.exp(-Number(l)))));
    expect(stdout.trim().split('\n')).toEqual(want);
    // The first line waits for the second (a single line is the full syntax); then each row is
    // written before the next line is read.
    expect(seenAtChunk).toEqual(['', '', want.slice(0, 2).join('\n') + '\n', want.slice(0, 3).join('\n') + '\n']);
  });

  test('the built binary answers rows before its input ends', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [join(__dirname, '..', '..', 'bin', 'actgrad.js'), 'relu'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    const firstOutput = new Promise<string>((resolve) => child.stdout.on('data', (d: Buffer) => resolve((out += d.toString()))));
    // Without an answer within 3 s the child is stopped, so that a failure does not hang the run.
    const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('(no output while the input was open)'), 3000).unref());
    child.stdin.write('1\n-2\n');
    // Both rows come back while standard input is still open.
    const first = await Promise.race([firstOutput, timeout]);
    if (first !== '1\n0\n') child.kill();
    expect(first).toBe('1\n0\n');
    child.stdin.end('3\n');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(out).toBe('1\n0\n3\n');
  });
});
