/**
 * The process, as the CLI sees it: an IO object (so `run` is testable without a process), and the
 * input sources of the contract — arguments, standard input, @FILE — all read in the same number
 * syntax.
 */
import { UsageError } from '../errors';
import { parseInputArgs, parseNumbers, parseNumberToken } from '../parse/numbers';
import { parseStdin, RowReader } from '../parse/rows';
import type { Tensor } from '../tensor';

export interface IO {
  /** the terminal's width, when stdout is a terminal */
  columns?: number;
  stdout(text: string): void;
  stderr(text: string): void;
  stdoutIsTTY: boolean;
  stdinIsTTY: boolean;
  /** all of standard input */
  readStdin(): string;
  /** standard input chunk by chunk (for large inputs); defaults to readStdin in one piece */
  readStdinChunks?(onChunk: (text: string) => void): void;
  /** a file's text (@FILE); defaults to node:fs */
  readFile?(path: string): string;
  env: Record<string, string | undefined>;
}

export const NO_INPUT = 'no input numbers: give them as arguments (actgrad softmax 2 1 0.1) or on standard input';

/** The text of @FILE, or an input error naming the file and what went wrong. */
export function readFileArg(path: string, what: string, io: IO): string {
  try {
    return io.readFile ? io.readFile(path) : (require('node:fs') as typeof import('node:fs')).readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${what} @${path}: cannot read the file${code === 'ENOENT' ? ' (no such file)' : code ? ` (${code})` : ''}`);
  }
}

/**
 * An option's or a binding's numbers: the number syntax, or @FILE for a file of them (one row
 * per line, as on standard input).
 */
export function numbersArg(text: string, what: string, io: IO): Tensor {
  // A bare number is a scalar (a class index, a weight), as in a grad binding.
  const single = parseNumberToken(text.trim());
  if (single !== undefined) return { shape: [], data: Float64Array.of(single) };
  if (!text.startsWith('@')) return parseNumbers(text, what);
  const path = text.slice(1);
  return parseStdin(readFileArg(path, what, io), `${what} file ${path}`);
}

/** Does the input come from standard input? (no numbers given and stdin not a terminal, or "-") */
export function inputFromStdin(numbers: readonly string[], io: IO): boolean {
  if (numbers.length === 1 && numbers[0] === '-') return true;
  if (numbers.length > 0) return false;
  if (io.stdinIsTTY) throw new UsageError(NO_INPUT);
  return true;
}

/** The input tensor: arguments, @FILE, or standard input read in chunks. */
export function readInput(numbers: readonly string[], io: IO): Tensor {
  if (numbers.length === 1 && numbers[0].startsWith('@')) return numbersArg(numbers[0], 'input', io);
  if (!inputFromStdin(numbers, io)) return parseInputArgs(numbers);
  const reader = new RowReader('standard input');
  if (io.readStdinChunks) io.readStdinChunks((chunk) => reader.push(chunk));
  else reader.push(io.readStdin());
  return reader.end(NO_INPUT);
}

/** Writes a file the user asked for (--graph, --svg); a failure is an input error naming the file. */
export function writeOutputFile(path: string, text: string, flag: string): void {
  try {
    (require('node:fs') as typeof import('node:fs')).writeFileSync(path, text);
  } catch (e) {
    throw new UsageError(`${flag} ${path}: cannot write the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
