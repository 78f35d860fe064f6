/**
 * startRepl on a terminal, in-process: readline over a pair of streams (terminal mode, as on a
 * tty), so that the prompt, the banner, the history, Ctrl-C and Ctrl-D are tested here and not only
 * through the built binary on a pseudo-terminal (repl.test.ts), which a mutation run cannot see.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { IO } from '../../src/cli/io';
import { buildProgram } from '../../src/cli/program';
import { PROMPT, startRepl } from '../../src/cli/repl';
import { reportError, run } from '../../src/cli/run';
import { tempDir } from '../helpers/temp';

const cli = { run, reportError, buildProgram };
const VERSION = (require('../../package.json') as { version: string }).version;
const BANNER = `actgrad ${VERSION}: type command lines without "actgrad" (softmax 2 1 0.1 -j); help, Tab, exit or Ctrl-D\n`;

/** What a terminal would show, without readline's cursor movements and line erasing. */
const plain = (s: string): string => s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');

interface Terminal {
  /** everything written to the terminal: the REPL's output stream and the lines' stdout */
  screen: () => string;
  stderr: () => string;
  type: (text: string) => void;
  /** resolves when the session ends (onExit) */
  ended: Promise<void>;
  exitCode: number;
  input: PassThrough;
}

function terminal(opts: { historyFile?: string | null } = {}): Terminal {
  const input = new PassThrough();
  const output = new PassThrough();
  let screen = '';
  let stderr = '';
  output.on('data', (chunk: Buffer) => (screen += chunk.toString()));
  const io: IO = {
    stdout: (s) => output.write(s),
    stderr: (s) => (stderr += s),
    // plain output (no tables), so that the screen is easy to compare; terminal: true below
    stdoutIsTTY: false,
    stdinIsTTY: false,
    readStdin: () => {
      throw new Error('a terminal session reads no standard input at once');
    },
    env: {},
  };
  let done!: () => void;
  const ended = new Promise<void>((resolve) => (done = resolve));
  const exitCode = startRepl(io, cli, { input, output, terminal: true, historyFile: opts.historyFile ?? null, onExit: () => done() });
  return { screen: () => plain(screen), stderr: () => stderr, type: (text) => input.write(text), ended, exitCode, input };
}

/** Lets readline handle what was typed. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

// startRepl builds the completion model on the next turn of the event loop; a test that ends
// sooner (a mutant can make it) must not leave that to run after jest has torn the file down.
afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));

describe('startRepl on a terminal', () => {
  test('returns 0 at once, prints the banner and the prompt', async () => {
    const t = terminal();
    expect(t.exitCode).toBe(0);
    await settle();
    expect(t.screen()).toBe(`${BANNER}${PROMPT}`);
    t.input.end();
    await t.ended;
  });

  test('a line runs and the prompt comes back; exit ends the session without a new line', async () => {
    const t = terminal();
    t.type('relu -1 2\n');
    await settle();
    expect(t.screen()).toBe(`${BANNER}${PROMPT}relu -1 2\n0 2\n${PROMPT}`);
    t.type('exit\n');
    await t.ended;
    expect(t.screen()).toBe(`${BANNER}${PROMPT}relu -1 2\n0 2\n${PROMPT}exit\n`);
    expect(t.stderr()).toBe('');
  });

  test('an error goes to stderr and the session goes on', async () => {
    const t = terminal();
    t.type('relu 1 2x\n');
    await settle();
    expect(t.stderr()).toBe('actgrad: error: "2x" (number 2) is not a number\n');
    t.type('sigmoid 0\n');
    await settle();
    expect(t.screen()).toBe(`${BANNER}${PROMPT}relu 1 2x\n${PROMPT}sigmoid 0\n0.5\n${PROMPT}`);
    t.type('quit\n');
    await t.ended;
  });

  test('Ctrl-D (end of input) ends the session with a new line after the prompt', async () => {
    const t = terminal();
    await settle();
    t.input.end();
    await t.ended;
    expect(t.screen()).toBe(`${BANNER}${PROMPT}\n`);
  });

  test('Ctrl-C on an empty line says how to leave; on a typed line drops it; the session goes on', async () => {
    const t = terminal();
    t.type('\u0003');
    await settle();
    // (Ctrl-U redraws the prompt, then the new prompt: one on a real terminal, whose cursor moves back)
    expect(t.screen()).toBe(`${BANNER}${PROMPT}^C\n(exit, quit or Ctrl-D leaves)\n${PROMPT}${PROMPT}`);
    t.type('relu 5');
    t.type('\u0003');
    await settle();
    // the typed line stays on the screen, followed by ^C; the next prompt is empty
    expect(t.screen()).toBe(`${BANNER}${PROMPT}^C\n(exit, quit or Ctrl-D leaves)\n${PROMPT}${PROMPT}relu 5^C\n${PROMPT}${PROMPT}`);
    t.type('relu -3\n');
    await settle();
    // the dropped words are not run: only relu -3 is
    expect(t.screen().endsWith(`relu -3\n0\n${PROMPT}`)).toBe(true);
    t.type('exit\n');
    await t.ended;
  });

  test('the history file: loaded for the up arrow, each line appended as entered, blank lines and repeats left out', async () => {
    const dir = tempDir('actgrad-repl-terminal-');
    const file = join(dir, 'state', 'history');
    const t = terminal({ historyFile: file });
    t.type('sigmoid 0\n');
    t.type('\n');
    t.type('sigmoid 0\n');
    t.type('relu 1\n');
    t.type('exit\n');
    await t.ended;
    expect(readFileSync(file, 'utf8')).toBe('sigmoid 0\nrelu 1\nexit\n');

    // a new session offers the newest entry first (the up arrow), and running it prints its value
    writeFileSync(file, 'relu -1 4\nsigmoid 0\n');
    const u = terminal({ historyFile: file });
    u.type('\u001b[A\u001b[A\n');
    await settle();
    expect(u.screen()).toContain('0 4\n');
    u.type('exit\n');
    await u.ended;
    expect(readFileSync(file, 'utf8')).toBe('relu -1 4\nsigmoid 0\nrelu -1 4\nexit\n');
  });

  test('the up arrow reaches back through every loaded entry, not only readline\'s default 30', async () => {
    const dir = tempDir('actgrad-repl-terminal-');
    const file = join(dir, 'history');
    writeFileSync(file, Array.from({ length: 40 }, (_, i) => `relu ${i + 1}\n`).join(''));
    const t = terminal({ historyFile: file });
    // a line entered: readline would drop the oldest entry if its history were capped at 30
    t.type('sigmoid 0\n');
    t.type(`${'\u001b[A'.repeat(41)}\n`);
    await settle();
    expect(t.screen().endsWith(`${PROMPT}relu 1\n1\n${PROMPT}`)).toBe(true);
    t.type('exit\n');
    await t.ended;
  });

  test('a line entered again moves to the front of the history: no duplicates to step over', async () => {
    const t = terminal();
    t.type('relu 1\n');
    t.type('relu 2\n');
    t.type('relu 1\n');
    await settle();
    // the history is now relu 1, relu 2 (newest first): a third up arrow goes past the oldest to
    // the empty line being typed, and Enter runs nothing (with the duplicate it would run relu 1)
    t.type('\u001b[A\u001b[A\u001b[A\n');
    await settle();
    expect(t.screen().endsWith(`${PROMPT}relu 1${PROMPT}relu 2${PROMPT}\n${PROMPT}`)).toBe(true);
    t.type('exit\n');
    await t.ended;
  });

  test('Tab completes from the session', async () => {
    const t = terminal();
    // one key at a time: readline completes nothing in a pasted chunk
    t.type('softm');
    t.type('\t');
    t.type('\t');
    await settle();
    // the second Tab lists the candidates under the line, then the line again
    expect(t.screen().slice(BANNER.length)).toBe(`${PROMPT}softm\nsoftmax\nsoftmin\n\n${PROMPT}softm`);
    t.type('\u0015exit\n');
    await t.ended;
  });
});
