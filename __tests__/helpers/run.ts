import type { IO } from '../../src/cli/io';
import { run } from '../../src/cli/run';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** actgrad in-process, with a fake terminal or pipe. */
export function actgrad(argv: string[], opts: { stdin?: string; tty?: boolean; env?: Record<string, string> } = {}): Run {
  let stdout = '';
  let stderr = '';
  const io: IO = {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    stdoutIsTTY: opts.tty ?? false,
    stdinIsTTY: opts.stdin === undefined,
    readStdin: () => opts.stdin ?? '',
    env: opts.env ?? {},
  };
  const code = run(argv, io);
  return { code, stdout, stderr };
}

/**
 * actgrad in-process with standard input given line by line, as a pipe fed a line at a time
 * (`tail -f log | actgrad sigmoid`), each line followed by a pause unless `pauses` is false;
 * `seen` is what stdout held before each line came.
 */
export function piped(argv: string[], lines: string[], pauses = true): Run & { seen: string[] } {
  let stdout = '';
  let stderr = '';
  const seen: string[] = [];
  const io: IO = {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    stdoutIsTTY: false,
    stdinIsTTY: false,
    readStdin: () => lines.join('\n'),
    readStdinChunks: (onChunk, onIdle) => {
      for (const l of lines) {
        seen.push(stdout);
        onChunk(`${l}\n`);
        if (pauses) onIdle?.();
      }
    },
    env: {},
  };
  const code = run(argv, io);
  return { code, stdout, stderr, seen };
}

/** The run failed as a usage error: exactly this one line on stderr, nothing on stdout, exit 2. */
export function expectUsage(r: Run, message: string): void {
  expect(r.stderr).toBe(`actgrad: error: ${message}\n`);
  expect(r.stdout).toBe('');
  expect(r.code).toBe(2);
}

// eslint-disable-next-line no-control-regex
export const ESCAPE = /\u001b\[/;
