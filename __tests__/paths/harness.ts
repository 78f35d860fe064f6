/**
 * What the path-agreement properties share: actgrad in-process with every input source under
 * control (arguments, standard input whole or in chunks of any size, @FILE from a map of files),
 * JSON numbers back to numbers, and random command lines of the registry's functions.
 */
import fc from 'fast-check';
import type { IO } from '../../src/cli/io';
import { run } from '../../src/cli/run';
import type { Descriptor } from '../../src/functions/types';
import { numel, type Tensor } from '../../src/tensor';
import { type Case, caseOf, cliDescriptors, flagsOf, num, tensorOf, tensorText } from '../helpers/cases';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Source {
  /** standard input's text (absent: stdin is a terminal) */
  stdin?: string;
  /** deliver standard input in chunks of these sizes (cycled); absent: whole, through readStdin */
  chunks?: number[];
  /** files for @FILE, by path */
  files?: Record<string, string>;
}

/** actgrad in-process: not a terminal on stdout, stdin as given. */
export function cli(argv: readonly string[], source: Source = {}): Run {
  let stdout = '';
  let stderr = '';
  const { stdin, chunks, files } = source;
  const io: IO = {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    stdoutIsTTY: false,
    stdinIsTTY: stdin === undefined,
    readStdin: () => stdin ?? '',
    env: {},
  };
  if (chunks && stdin !== undefined) {
    io.readStdinChunks = (onChunk) => {
      for (let at = 0, k = 0; at < stdin.length; k++) {
        const size = Math.max(1, chunks[k % chunks.length]);
        onChunk(stdin.slice(at, at + size));
        at += size;
      }
    };
  }
  if (files) {
    io.readFile = (path) => {
      if (!(path in files)) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return files[path];
    };
  }
  return { code: run(argv, io), stdout, stderr };
}

/** JSON's non-finite numbers ("NaN", "Infinity", "-Infinity") back to numbers, everywhere. */
export function fromJson(v: unknown): unknown {
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (Array.isArray(v)) return v.map(fromJson);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fromJson(x)]));
  return v;
}

export const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);

/** The JSON object a successful run printed, non-finite numbers as numbers. */
export function json(r: Run): Record<string, unknown> {
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  return fromJson(JSON.parse(r.stdout)) as Record<string, unknown>;
}

/** A random command-line call of a function: the descriptor, a valid case, and its argv. */
export interface CliCase {
  d: Descriptor;
  c: Case;
  /** [name, input, ...parameter flags] */
  argv: string[];
}

export const cliCase = (filter: (d: Descriptor) => boolean = () => true): fc.Arbitrary<CliCase> =>
  fc.constantFrom(...cliDescriptors().filter(filter)).chain((d) => caseOf(d).map((c) => ({ d, c, argv: [d.name, tensorText(c.input), ...flagsOf(d, c.args)] })));

/** What to compute: flags that keep the run valid for the case (derivatives, an order, the Hessian). */
export function quantityFlags(k: CliCase): fc.Arbitrary<string[]> {
  const { d, c } = k;
  const n = numel(c.input.shape);
  const options: fc.Arbitrary<string[]>[] = [fc.constant([]), fc.constantFrom(['-g'], ['--grad']), fc.constantFrom(['-j'], ['--jacobian'])];
  if (d.kind === 'elementwise') options.push(fc.integer({ min: 1, max: 3 }).map((k2) => ['--grad', '--order', String(k2)]));
  if (n <= 24 && d.name !== 'ctc') options.push(fc.constantFrom(['-H'], ['--hessian']));
  options.push(tensorOf(c.input.shape, num(-2, 2)).map((v) => ['--jvp', tensorText(v)]));
  if (d.name !== 'ctc') options.push(tensorOf(c.input.shape, num(-2, 2)).map((v) => ['--hvp', tensorText(v)]));
  return fc.oneof(...options);
}

/** The last requested quantity of a function's JSON object (what plain prints and --expect checks). */
export function lastQuantity(o: Record<string, unknown>): unknown {
  for (const q of ['hessian', 'jacobian', 'hvp', 'jvp', 'grad']) if (o[q] !== undefined) return o[q];
  return o.value;
}

/** Nested arrays of numbers as a tensor. */
export function tensorFromNested(v: unknown): Tensor {
  const shape: number[] = [];
  for (let p = v; Array.isArray(p); p = p[0]) shape.push(p.length);
  return { shape, data: Float64Array.from(flat(v)) };
}

export { tensorText };
