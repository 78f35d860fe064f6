/**
 * The process, as the CLI sees it: an IO object (so `run` is testable without a process), and the
 * input sources of the contract — arguments, standard input, @FILE — all read in the same number
 * syntax.
 */
import { UsageError } from '../errors';
import { parseNumbers, parseNumberToken } from '../parse/numbers';
import { parseStdin } from '../parse/rows';
import type { Tensor } from '../tensor';

export interface IO {
  /** the terminal's width, when stdout is a terminal */
  columns?: number;
  stdout(text: string): void;
  /**
   * Standard output as UTF-8 bytes, for renderers that make bytes (large tables, streamed csv,
   * json, plain): they skip a round trip through a string. Optional: text through stdout otherwise.
   * The bytes are valid only during the call.
   */
  stdoutBytes?(bytes: Uint8Array): void;
  stderr(text: string): void;
  stdoutIsTTY: boolean;
  stdinIsTTY: boolean;
  /** all of standard input */
  readStdin(): string;
  /** standard input chunk by chunk (for large inputs); defaults to readStdin in one piece */
  /** `onIdle`: after a chunk when no more input was waiting (a pipe fed line by line). */
  readStdinChunks?(onChunk: (text: string) => void, onIdle?: () => void): void;
  /** a file's text (@FILE); defaults to node:fs */
  readFile?(path: string): string;
  env: Record<string, string | undefined>;
}

export const NO_INPUT = 'no input numbers: give them as arguments (actgrad softmax 2 1 0.1) or on standard input';

function fileError(path: string, what: string, e: unknown): UsageError {
  const code = (e as NodeJS.ErrnoException).code;
  return new UsageError(`${what} @${path}: cannot read the file${code === 'ENOENT' ? ' (no such file)' : code ? ` (${code})` : ''}`);
}

/** The text of @FILE, or an input error naming the file and what went wrong. */
export function readFileArg(path: string, what: string, io: IO): string {
  try {
    return io.readFile ? io.readFile(path) : (require('node:fs') as typeof import('node:fs')).readFileSync(path, 'utf8');
  } catch (e) {
    throw fileError(path, what, e);
  }
}

/** Bytes of a file read at a time when it is streamed. */
const FILE_CHUNK = 1 << 20;

/**
 * The text of @FILE in pieces, each cut after a complete UTF-8 character, so that a large input
 * file streams as standard input does; an input error naming the file when it cannot be read.
 */
export function readFileChunks(path: string, what: string, io: IO, onChunk: (text: string) => void): void {
  if (io.readFile) return onChunk(readFileArg(path, what, io));
  const fs = require('node:fs') as typeof import('node:fs');
  const { StringDecoder } = require('node:string_decoder') as typeof import('node:string_decoder');
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (e) {
    throw fileError(path, what, e);
  }
  try {
    const decoder = new StringDecoder('utf8');
    const buffer = Buffer.alloc(FILE_CHUNK);
    for (;;) {
      let n: number;
      try {
        n = fs.readSync(fd, buffer, 0, buffer.length, null);
      } catch (e) {
        throw fileError(path, what, e);
      }
      if (n === 0) break;
      onChunk(decoder.write(buffer.subarray(0, n)));
    }
    const rest = decoder.end();
    if (rest) onChunk(rest);
  } finally {
    fs.closeSync(fd);
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

/** Writes a file the user asked for (--graph, --svg); a failure is an input error naming the file. */
export function writeOutputFile(path: string, text: string, flag: string): void {
  try {
    (require('node:fs') as typeof import('node:fs')).writeFileSync(path, text);
  } catch (e) {
    throw new UsageError(`${flag} ${path}: cannot write the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
