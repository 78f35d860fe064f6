/**
 * The process side of the command line: stdout/stderr through fs.writeSync, terminals detected by
 * fstat, standard input read only when asked for. Everything else is run(argv, io).
 */
import type { IO } from './io';
import { run } from './run';

/**
 * Is fd a terminal? A pipe or a file is not a character device, and /dev/null is told by its device
 * number, both at the cost of an fstat; only another character device loads node:tty (~5 ms).
 */
function isTerminal(fd: number): boolean {
  const fs = require('node:fs') as typeof import('node:fs');
  try {
    const st = fs.fstatSync(fd);
    if (!st.isCharacterDevice() || st.rdev === fs.statSync('/dev/null').rdev) return false;
  } catch {
    return false;
  }
  return (require('node:tty') as typeof import('node:tty')).isatty(fd);
}

export function main(): void {
  const stdin = (): typeof import('./stdin') => require('./stdin') as typeof import('./stdin');
  const { writeAll } = require('./stdout') as typeof import('./stdout');
  // fs.writeSync and isTerminal: process.stdin/stdout are never touched, so no streams are set up.
  const stdoutIsTTY = isTerminal(1);
  const io: IO = {
    stdout: (s) => writeAll(1, s),
    stdoutBytes: (b) => writeAll(1, b),
    stderr: (s) => writeAll(2, s),
    stdoutIsTTY,
    get columns() {
      return stdoutIsTTY ? process.stdout.columns : undefined;
    },
    // Asked only when no numbers are given on the command line.
    get stdinIsTTY() {
      return isTerminal(0);
    },
    readStdin: () => stdin().readStdinSync(),
    readStdinChunks: (onChunk, onIdle) => stdin().readStdinText(onChunk, onIdle),
    env: process.env,
  };
  process.exitCode = run(process.argv.slice(2), io);
  // Nothing left to wait for (everything but the REPL is synchronous): exit now, without the
  // orderly teardown of the heap that a drained event loop goes through (~2-10 ms).
  if (process.getActiveResourcesInfo().length === 0) process.exit();
}
