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

/** The run failed as a usage error: exactly this one line on stderr, nothing on stdout, exit 2. */
export function expectUsage(r: Run, message: string): void {
  expect(r.stderr).toBe(`actgrad: error: ${message}\n`);
  expect(r.stdout).toBe('');
  expect(r.code).toBe(2);
}

// eslint-disable-next-line no-control-regex
export const ESCAPE = /\u001b\[/;
