/** Elementwise functions stream standard input; the output is exactly the whole-input path's. */
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IO } from '../../src/cli/io';
import { run } from '../../src/cli/run';
import { plainText as formatPlain, writePlain } from '../../src/render/plain';
import { tensor } from '../../src/tensor';
import { actgrad } from '../helpers/run';

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

describe('streamed output equals the whole-input output', () => {
  const inputs: [string, string][] = [
    ['one number per line', '-1\n0.5\n2\n\n3e-3\n'],
    ['rows of three', '1 -2 3\n# a comment\n4,5,-6\n7 8 9\n'],
    ['a single line', '1 2 3\n'],
    ['a single line holding a matrix', '1 2; 3 4\n'],
    ['no final newline', '1\n2'],
    ['non-finite numbers', 'nan\n-inf\ninf\n'],
  ];
  test.each(inputs)('%s', (_label, input) => {
    for (const size of [1, 3, 7, 1000]) {
      for (const fn of [['sigmoid'], ['relu', '--grad'], ['leaky-relu', '--negative-slope', '0.1', '--grad']]) {
        const streamed = chunked(fn, input, size);
        const whole = actgrad([...fn, '--format', 'json'], { stdin: input });
        expect(streamed.code).toBe(0);
        // The contract's layout rule: one number per line (more than one line) is a column out.
        const lines = input.split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
        const column = lines.length > 1 && lines.every((l) => !/[\s,]/.test(l));
        const expectedLines = formatPlain(
          (() => {
            const j = JSON.parse(whole.stdout);
            const q = fn.includes('--grad') ? j.grad : j.value;
            const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : (v as number)]);
            const shape = Array.isArray(q[0]) ? [q.length, q[0].length] : [q.length];
            return tensor(shape, flat(q));
          })(),
          undefined,
          column,
        );
        expect({ fn, size, out: streamed.stdout.replace(/-0\b/g, '0') }).toEqual({ fn, size, out: expectedLines.replace(/-0\b/g, '0') });
      }
    }
  });
  test('errors mid-stream: exit 2 with the line and the token', () => {
    const r = chunked(['relu'], '1\n2\nx3\n4\n', 2);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('actgrad: error: standard input line 3: "x3" (number 3) is not a number\n');
    const ragged = chunked(['relu'], '1 2\n3\n', 2);
    expect(ragged.stderr).toContain('row 2 has 1 number, row 1 has 2');
  });
  test('a large input is written in many pieces, not one string', () => {
    const input = `${Array.from({ length: 50000 }, (_, i) => (i % 7) - 3).join('\n')}\n`;
    const r = chunked(['relu'], input, 65536);
    expect(r.writes).toBeGreaterThan(3);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(50000);
  });
});

test('writePlain writes in pieces that join to formatPlain', () => {
  const t = tensor([300, 300], Array.from({ length: 90000 }, (_, i) => Math.sin(i)));
  const pieces: string[] = [];
  writePlain(t, undefined, (s) => pieces.push(s));
  expect(pieces.length).toBeGreaterThan(1);
  expect(pieces.join('')).toBe(formatPlain(t));
});

test('--target @FILE reads the numbers from a file', () => {
  const file = join(tmpdir(), `actgrad-target-${process.pid}.txt`);
  writeFileSync(file, '0\n2\n');
  const fromFile = actgrad(['cross-entropy', '1 2 3; 3 2 1', '--target', `@${file}`, '--json']).stdout;
  expect(fromFile).toBe(actgrad(['cross-entropy', '1 2 3; 3 2 1', '--target', '0,2', '--json']).stdout);
  expect(readFileSync(file, 'utf8')).toBe('0\n2\n');
  const missing = actgrad(['mse', '1', '--target', '@/nonexistent/t.txt']);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toBe('actgrad: error: --target @/nonexistent/t.txt: cannot read the file (no such file)\n');
});

test('the built registry index finds every name as the registry does', () => {
  // The index is written by the build (npm test builds first).
  const dist = join(__dirname, '..', '..', 'dist', 'functions');
  const { lookupDescriptor } = require(join(dist, 'lookup.js'));
  const { registry, namesOf } = require(join(dist, 'registry.js'));
  for (const d of registry) for (const n of namesOf(d)) expect(lookupDescriptor(n)).toBe(d);
  expect(lookupDescriptor('constructor')).toBeUndefined();
  expect(lookupDescriptor('__proto__')).toBeUndefined();
});
