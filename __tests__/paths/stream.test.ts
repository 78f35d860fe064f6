/**
 * Standard input is read in chunks and, when the rows are independent, computed and written piece
 * by piece (cli/function.ts); otherwise gathered and computed at once. Whatever the function, its
 * options, the format and the chunk sizes, the output must be the whole-input path's: standard
 * input in one piece, the same lines in an @FILE, and (in JSON) the same numbers as arguments.
 * Inputs of more than one piece (32768 numbers) are drawn too, so that pieces really are cut.
 */
import fc from 'fast-check';
import { numel } from '../../src/tensor';
import type { Case } from '../helpers/cases';
import { numberText } from '../helpers/cases';
import { type CliCase, cli, cliCase, json, quantityFlags, tensorText } from './harness';

fc.configureGlobal({ seed: Number(process.env.SEED ?? 20261130), numRuns: Number(process.env.RUNS ?? 40) });

/** The numbers computed together in one piece (CHUNK_NUMBERS of cli/function.ts). */
const PIECE = 1 << 15;

/** The case's input as lines: one row per line (a vector: one number per line), separated as drawn. */
function lines(c: Case, separator: string, repeat: number): string {
  const { shape, data } = c.input;
  const width = shape.length >= 2 ? shape[shape.length - 1] : 1;
  const rows: string[] = [];
  for (let r = 0; r < data.length / width; r++) rows.push(Array.from(data.subarray(r * width, (r + 1) * width), numberText).join(separator));
  const text = rows.join('\n');
  return `${Array.from({ length: repeat }, () => text).join('\n')}\n`;
}

/**
 * The lines as one argument, read as standard input reads them (numpy.loadtxt's rule): one line,
 * or one number per line, is a vector; otherwise a matrix.
 */
function asRead(c: Case): string {
  const { shape, data } = c.input;
  const width = shape.length >= 2 ? shape[shape.length - 1] : 1;
  if (width === 1 || data.length === width) return `[${Array.from(data, numberText).join(', ')}]`;
  return tensorText(c.input);
}

/** Cases whose input reads back from lines as the same tensor: a vector (as a column) or a matrix. */
const lineCases = (k: CliCase): boolean => k.c.input.shape.length === 2 || (k.c.input.shape.length === 1 && k.c.input.shape[0] > 1);

/** Many rows only where each row is independent of its parameters (no targets or per-row weights). */
const repeatable = (k: CliCase): boolean => k.d.kind === 'elementwise' || k.d.kind === 'vector';

const runs = (big: boolean) =>
  cliCase()
    .filter((k) => lineCases(k) && (!big || repeatable(k)))
    .chain((k) =>
      fc.record({
        k: fc.constant(k),
        quantity: quantityFlags(k).filter((q) => !q.includes('--hvp') && !q.includes('--jvp') && !(big && q.some((w) => ['-j', '--jacobian', '-H', '--hessian'].includes(w)))),
        format: big ? fc.constantFrom('plain', 'csv', 'tsv', 'json') : fc.constantFrom('plain', 'csv', 'tsv', 'json', 'table'),
        separator: fc.constantFrom(' ', ',', ', ', '\t', '  '),
        chunks: fc.array(fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 17, max: 5000 })), { minLength: 1, maxLength: 5 }),
      }),
    );

/** The rows of the case repeated, as one argument in the number syntax (what standard input reads). */
function repeatedArgument(c: Case, repeat: number): string {
  const { shape, data } = c.input;
  const width = shape.length >= 2 ? shape[shape.length - 1] : 1;
  const rows = data.length / width;
  if (repeat === 1) return asRead(c);
  const all: string[] = [];
  for (let k = 0; k < repeat; k++) for (let r = 0; r < rows; r++) all.push(Array.from(data.subarray(r * width, (r + 1) * width), numberText).join(' '));
  return width === 1 ? `[${all.join(', ')}]` : all.join('; ');
}

function streamedEqualsWhole({ k, quantity, format, separator, chunks }: { k: CliCase; quantity: string[]; format: string; separator: string; chunks: number[] }, repeat: number): void {
  const text = lines(k.c, separator, repeat);
  const [name, , ...params] = k.argv;
  const argv = [name, ...params, ...quantity, '--format', format];
  // Chunks of a few characters cut every line; for the large inputs they are larger (time).
  const streamed = cli(argv, { stdin: text, chunks: repeat > 1 ? chunks.map((c) => c * 64) : chunks });
  // The whole input, computed at once: the same numbers as one argument.
  const argument = repeatedArgument(k.c, repeat);
  const whole = cli([name, argument, ...params, ...quantity, '--format', format]);
  expect({ argv, code: streamed.code, stderr: streamed.stderr }).toEqual({ argv, code: whole.code, stderr: whole.stderr });
  const { shape } = k.c.input;
  const column = shape.length === 1 || shape[1] === 1;
  if (!column || format !== 'plain') {
    // Compared as strings: the sign of −0 and every digit count. (Only plain lays a column out as one.)
    expect(streamed.stdout === whole.stdout).toBe(true);
  }
  if (column && whole.code === 0) {
    expect(json(cli([name, ...params, ...quantity, '--json'], { stdin: text, chunks }))).toEqual(json(cli([name, argument, ...params, ...quantity, '--json'])));
  }
  if (repeat === 1) {
    // In one piece, and from a file: the same text.
    expect(cli(argv, { stdin: text })).toEqual(streamed);
    expect(cli([name, '@in.txt', ...params, ...quantity, '--format', format], { files: { 'in.txt': text } })).toEqual(streamed);
  }
}

test('streamed standard input gives the output of the whole input, in every format', () => {
  fc.assert(fc.property(runs(false), (r) => streamedEqualsWhole(r, 1)));
});

test('an input of several pieces (more than 32768 numbers) streams to the same output', () => {
  fc.assert(
    fc.property(runs(true), (r) => streamedEqualsWhole(r, Math.ceil((PIECE + 1) / numel(r.k.c.input.shape)) + (r.chunks[0] % 3))),
    { numRuns: 5 },
  );
});

test('a single line of standard input is the whole input in the full syntax (rows with ";", nested brackets)', () => {
  fc.assert(
    fc.property(
      cliCase().chain((k) => fc.tuple(fc.constant(k), quantityFlags(k), fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 3 }))),
      ([k, quantity, chunks]) => {
        const [name, input, ...params] = k.argv;
        const argv = [name, ...params, ...quantity, '--json'];
        const viaStdin = cli(argv, { stdin: `${input}\n`, chunks });
        const viaArgument = cli([name, input, ...params, ...quantity, '--json']);
        expect(viaStdin).toEqual(viaArgument);
      },
    ),
    { numRuns: 40 },
  );
});
