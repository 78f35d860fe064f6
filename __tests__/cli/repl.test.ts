/**
 * The REPL: a session's lines (in-process), its history file, its Tab completion, and the real
 * thing through a pseudo-terminal — util-linux `script` runs the built binary (npm test builds
 * first) on a pty, as a user's terminal would, with HOME and XDG_STATE_HOME in a temporary directory.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IO } from '../../src/cli/io';
import { buildProgram } from '../../src/cli/program';
import { fileCandidates, HISTORY_SIZE, HistoryFile, historyPath, PROMPT, Session, startRepl } from '../../src/cli/repl';
import { reportError, run } from '../../src/cli/run';
import { perTest } from '../helpers/per-test';
import { tempDir } from '../helpers/temp';

const ROOT = join(__dirname, '..', '..');
const cli = { run, reportError, buildProgram };
const temp = (): string => tempDir('actgrad-repl-');

function fakeIO(opts: { stdin?: string; tty?: boolean } = {}): IO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (s: string) => (io.out += s),
    stderr: (s: string) => (io.err += s),
    stdoutIsTTY: opts.tty ?? false,
    stdinIsTTY: opts.tty ?? false,
    readStdin: () => opts.stdin ?? '',
    env: {},
  };
  return io;
}

describe('a session, line by line', () => {
  test('a line runs as the command line would run it; an error is printed and the session goes on', () => {
    const io = fakeIO();
    const s = new Session(io, cli);
    expect(s.execute('softmax 2 1 0.1 --json')).toBe(0);
    expect(JSON.parse(io.out).value[0]).toBeCloseTo(0.659001138885968, 14);
    io.out = '';
    expect(s.execute('relu 1 2x')).toBe(2);
    expect(io.err).toBe('actgrad: error: "2x" (number 2) is not a number\n');
    expect(s.execute('relu -1 2')).toBe(0);
    expect(io.out).toBe('0 2\n');
  });

  test('the output is what run() prints for the same words', () => {
    for (const line of ['sigmoid 0 1 --grad', 'mse 1 2 --target 0,0 --grad --json', 'grad "x^3" x=2', 'explain gelu', 'list']) {
      const a = fakeIO();
      const b = fakeIO();
      new Session(a, cli).execute(line);
      run(
        line.match(/"[^"]*"|\S+/g)!.map((w) => w.replace(/^"|"$/g, '')),
        { ...b, stdinIsTTY: true },
      );
      expect(a.out).toBe(b.out);
    }
  });

  test('bindings: z = numbers, used as input, as a flag value and in grad; a bare name shows its value', () => {
    const io = fakeIO();
    const s = new Session(io, cli);
    expect(s.execute('z = 2 1 0.1')).toBe(0);
    expect(s.execute('t = "0 1 0"')).toBe(0);
    expect(io.out + io.err).toBe('');
    s.execute('z');
    expect(io.out).toBe('z = [2, 1, 0.1]\n');
    io.out = '';
    s.execute('softmax z --json');
    expect(JSON.parse(io.out).input).toEqual([2, 1, 0.1]);
    io.out = '';
    s.execute('mse z --target t --json');
    expect(JSON.parse(io.out)).toMatchObject({ input: [2, 1, 0.1], target: [0, 1, 0] });
    io.out = '';
    // z is read by the formula and bound: it gets a gradient like w
    expect(s.execute('grad "sum(z*w)" w=1,2,3 --json')).toBe(0);
    expect(JSON.parse(io.out)).toMatchObject({ at: { z: [2, 1, 0.1], w: [1, 2, 3] }, value: 4.3, grad: { z: [1, 2, 3], w: [2, 1, 0.1] } });
  });

  test('bad bindings are one-line errors and bind nothing', () => {
    const io = fakeIO();
    const s = new Session(io, cli);
    expect(s.execute('softmax = 1 2')).toBe(2);
    expect(s.execute('grad = 1')).toBe(2);
    expect(s.execute('exit = 1')).toBe(2);
    expect(s.execute('z = 1 x')).toBe(2);
    expect(io.err.split('\n')).toEqual([
      'actgrad: error: softmax is a function; a binding needs another name',
      'actgrad: error: grad is a command; a binding needs another name',
      'actgrad: error: exit is a word of the REPL; a binding needs another name',
      'actgrad: error: z: "x" (number 2) is not a number',
      '',
    ]);
    expect(s.bindings.names()).toEqual([]);
  });

  test('help, help <command>, a leading actgrad, exit and quit', () => {
    const io = fakeIO();
    const s = new Session(io, cli);
    s.execute('z = 1 2');
    expect(s.execute('help')).toBe(0);
    for (const part of ['Commands:', 'grad', 'explain', 'Bindings:', 'z = 2 1 0.1', 'Bound: z (2 numbers)', 'exit, quit']) expect(io.out).toContain(part);
    io.out = '';
    expect(s.execute('help softmax')).toBe(0);
    expect(io.out).toContain('Usage: actgrad softmax');
    io.out = '';
    expect(s.execute('actgrad relu -1 1')).toBe(0);
    expect(io.out).toBe('0 1\n');
    for (const word of ['exit', 'quit', ' exit ', 'quit()']) expect(s.execute(word)).toBe('exit');
    expect(s.execute('')).toBe(0);
    expect(s.execute('   # a comment')).toBe(0);
  });

  test('standard input is the REPL: a line without numbers says so, and - is refused', () => {
    const io = fakeIO();
    const s = new Session(io, cli);
    expect(s.execute('relu')).toBe(2);
    expect(s.execute('relu -')).toBe(2);
    expect(s.execute('repl')).toBe(2);
    const lines = io.err.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^actgrad: error: no input numbers/);
    expect(lines[1]).toBe('actgrad: error: standard input is the REPL here: give the numbers on the line, bind them (z = 2 1 0.1) or read a file (@FILE)');
    expect(lines[2]).toBe('actgrad: error: this is the REPL already (exit or Ctrl-D leaves it)');
  });
});

describe('Tab in the REPL', () => {
  // A session with two bindings, made in each test (helpers/per-test.ts).
  const session = perTest(() => {
    const s = new Session(fakeIO(), cli);
    s.execute('z = 1 2');
    s.execute('logits = 3 4');
    return s;
  });
  test.each([
    ['softm', ['softmax', 'softmin'], 'softm'],
    ['ex', ['explain', 'exit'], 'ex'],
    ['actgrad softm', ['softmax', 'softmin'], 'softm'],
    ['mse 1 --reduction ', ['mean', 'sum', 'none'], ''],
    ['mse 1 --reduction=s', ['--reduction=sum '], '--reduction=s'],
    ['explain gel', ['gelu '], 'gel'],
    // a whole word completed: a space after it (readline adds none), so that typing goes on
    ['mse 1 --red', ['--reduction '], '--red'],
    ['mse 1 --reduction', ['--reduction '], '--reduction'],
    ['softmax ', ['z', 'logits'], ''],
    ['softmax l', ['logits '], 'l'],
    ['mse z --target ', ['z', 'logits'], ''],
    ['grad "x*w" x=', ['x=z', 'x=logits'], 'x='],
    ['q = l', ['logits '], 'l'],
    // a formula being typed: nothing
    ['grad "sum(z', [], '"sum(z'],
    // the REPL is not offered inside itself
    ['rep', [], 'rep'],
  ])('%j', (line, candidates, word) => {
    const [got, replaced] = session().complete(line);
    expect(got.sort()).toEqual([...candidates].sort());
    expect(replaced).toBe(word);
  });

  test('file names after @, quoted for the line', () => {
    const dir = temp();
    mkdirSync(join(dir, 'sub dir'));
    writeFileSync(join(dir, 'x.txt'), '1\n');
    writeFileSync(join(dir, '.hidden'), '1\n');
    expect(fileCandidates('@', `${dir}/`)).toEqual([`@${dir}/sub dir/`, `@${dir}/x.txt`]);
    expect(fileCandidates('@', `${dir}/.h`)).toEqual([`@${dir}/.hidden`]);
    expect(session().complete(`relu @${dir}/s`)).toEqual([[`@${dir}/sub\\ dir/`], `@${dir}/s`]);
    expect(session().complete(`plot gelu --svg ${dir}/x`)).toEqual([[`${dir}/x.txt `], `${dir}/x`]);
  });
});

describe('the history file', () => {
  test('$XDG_STATE_HOME/actgrad/history, else ~/.local/state/actgrad/history; a relative XDG_STATE_HOME is ignored', () => {
    expect(historyPath({ XDG_STATE_HOME: '/s', HOME: '/h' })).toBe('/s/actgrad/history');
    expect(historyPath({ HOME: '/h' })).toBe('/h/.local/state/actgrad/history');
    expect(historyPath({ XDG_STATE_HOME: 'rel', HOME: '/h' })).toBe('/h/.local/state/actgrad/history');
  });

  test('lines are appended as entered (no blank lines, no immediate repeats) and read back newest first', () => {
    const file = join(temp(), 'state', 'actgrad', 'history');
    const h = new HistoryFile(file, () => {});
    expect(h.load()).toEqual([]);
    for (const line of ['softmax 1 2', 'softmax 1 2', '  ', 'z = 1', 'softmax 1 2']) h.append(line);
    expect(readFileSync(file, 'utf8')).toBe('softmax 1 2\nz = 1\nsoftmax 1 2\n');
    expect(new HistoryFile(file, () => {}).load()).toEqual(['softmax 1 2', 'z = 1', 'softmax 1 2']);
  });

  test(`at most ${HISTORY_SIZE} entries are loaded, and a file of twice as many is cut back`, () => {
    const file = join(temp(), 'history');
    const lines = Array.from({ length: 2 * HISTORY_SIZE + 5 }, (_, i) => `relu ${i}`);
    writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
    const loaded = new HistoryFile(file, () => {}).load();
    expect(loaded).toHaveLength(HISTORY_SIZE);
    expect(loaded[0]).toBe(lines[lines.length - 1]);
    expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toEqual(lines.slice(-HISTORY_SIZE));
  });

  test('a history that cannot be written is one warning, and the session goes on', () => {
    const dir = temp();
    writeFileSync(join(dir, 'state'), 'a file where the directory should be');
    const warnings: string[] = [];
    const h = new HistoryFile(join(dir, 'state', 'actgrad', 'history'), (m) => warnings.push(m));
    h.append('relu 1');
    h.append('relu 2');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^actgrad: warning: history is not saved: .*history: (ENOTDIR|EEXIST)\n$/);
  });
});

describe('actgrad alone', () => {
  test('not on a terminal: a short usage (at most 20 lines) on stderr, exit 2', () => {
    const io = fakeIO({ stdin: '' });
    expect(run([], io)).toBe(2);
    expect(io.out).toBe('');
    const lines = io.err.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(20);
    expect(lines[0]).toMatch(/^usage: actgrad /);
  });
});

describe('not on a terminal: the lines of standard input, in order', () => {
  test('each line runs; the exit code is the largest', () => {
    const io = fakeIO({ stdin: 'z = 2 1 0.1\nsoftmax z --precision 3\nrelu x\nrelu -1 1\n' });
    expect(startRepl(io, cli)).toBe(2);
    expect(io.out).toBe('0.659 0.242 0.0986\n0 1\n');
    expect(io.err).toBe('actgrad: error: "x" (number 1) is not a number\n');
  });
  test('actgrad repl < file, through run()', () => {
    const io = fakeIO({ stdin: 'sigmoid 0 --grad\nexit\nsigmoid 0\n' });
    expect(run(['repl'], io)).toBe(0);
    expect(io.out).toBe('0.25\n');
  });
});

// ---------------------------------------------------------------------------------------------
// Through a pseudo-terminal.

const BIN = join(ROOT, 'bin', 'actgrad.js');
const haveScript = spawnSync('script', ['--version']).status === 0;
const built = existsSync(join(ROOT, 'dist', 'cli', 'repl.js'));
// eslint-disable-next-line no-control-regex
const plain = (s: string): string => s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');

/** actgrad on a pty (util-linux script), driven like a user: a line, then wait for the prompt. */
class Terminal {
  private readonly child: ChildProcess;
  raw = '';
  readonly exited: Promise<number | null>;

  constructor(env: Record<string, string>) {
    const environment: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'xterm-256color', LANG: 'C.UTF-8', ...env };
    // script gives the child a terminal of 0×0 when its own stdin is a pipe: size it first.
    this.child = spawn('script', ['-q', '-e', '-c', `stty cols 100 rows 40; exec node ${BIN}`, '/dev/null'], { cwd: ROOT, env: environment });
    this.child.stdout!.on('data', (d: Buffer) => (this.raw += d.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  get text(): string {
    return plain(this.raw);
  }

  async waitFor(pattern: RegExp | string, count = 1, timeout = 20000): Promise<void> {
    const start = Date.now();
    const matches = (): number => (typeof pattern === 'string' ? this.text.split(pattern).length - 1 : (this.text.match(new RegExp(pattern, 'g')) ?? []).length);
    while (matches() < count) {
      if (Date.now() - start > timeout) throw new Error(`timed out waiting for ${pattern} (×${count}) in:\n${this.text}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Keys, as typed (each write is one burst: readline treats a Tab inside a longer burst as pasted). */
  async type(keys: string): Promise<void> {
    this.child.stdin!.write(keys);
    await new Promise((r) => setTimeout(r, 150));
  }

  /** A line, then the next prompt. */
  async line(text: string): Promise<string> {
    const prompts = this.text.split(PROMPT).length - 1;
    const before = this.text.length;
    await this.type(`${text}\r`);
    await this.waitFor(PROMPT, prompts + 1);
    return this.text.slice(before);
  }

  kill(): void {
    this.child.kill();
  }
}

const ptyTest = haveScript && built ? test : test.skip;
if (!haveScript) test.skip('util-linux script is not installed: the pseudo-terminal tests are skipped', () => {});
if (!built) test('the pseudo-terminal tests need the build (npm run build)', () => expect(built).toBe(true));

describe('on a real terminal', () => {
  jest.setTimeout(60000);
  const state = temp();
  const home = temp();

  ptyTest('actgrad alone opens the REPL: tables, errors, bindings, Tab, history, exit', async () => {
    const t = new Terminal({ HOME: home, XDG_STATE_HOME: state });
    try {
      await t.waitFor(PROMPT);
      expect(t.text).toMatch(/^actgrad \d+\.\d+\.\d+: type command lines without "actgrad"/);

      // a table, as on a terminal: box drawing and colour
      const table = await t.line('softmax 2 1 0.1');
      expect(table).toContain('0.659001');
      expect(table).toMatch(/┌.*┐/);
      expect(t.raw).toMatch(/\u001b\[1m/);

      // an error, then a working command
      const error = await t.line('relu 1 2x');
      expect(error).toContain('actgrad: error: "2x" (number 2) is not a number');
      expect(await t.line('relu -1 2 --format plain')).toContain('0 2');

      // a binding used later, as input and in grad
      await t.line('z = 2 1 0.1');
      expect(await t.line('softmax z --json')).toContain('"input":[2,1,0.1],"value":[0.6590011388859679,');
      expect(await t.line('grad "sum(z*w)" w=1,2,3 --json')).toContain('"grad":{"z":[1,2,3],"w":[2,1,0.1]}');

      // Tab completes a function name (and a second Tab lists what is ambiguous)
      await t.type('softma');
      await t.type('\t');
      await t.waitFor('softmax ');
      // the space after a completed word is Tab's: the numbers follow at once
      const completed = await t.line('1 1 --format plain');
      expect(completed).toContain('0.5 0.5');
      await t.type('mse 1 --reduction ');
      await t.type('\t');
      await t.type('\t');
      await t.waitFor(/mean +sum +none/);
      await t.type('\u0015'); // Ctrl-U: drop the line

      await t.type('exit\r');
      expect(await t.exited).toBe(0);
    } finally {
      t.kill();
    }
    const history = readFileSync(join(state, 'actgrad', 'history'), 'utf8').split('\n');
    expect(history).toEqual([
      'softmax 2 1 0.1',
      'relu 1 2x',
      'relu -1 2 --format plain',
      'z = 2 1 0.1',
      'softmax z --json',
      'grad "sum(z*w)" w=1,2,3 --json',
      'softmax 1 1 --format plain',
      'exit',
      '',
    ]);
    // nothing in the home directory: XDG_STATE_HOME was set
    expect(existsSync(join(home, '.local'))).toBe(false);
  });

  ptyTest('the next session recalls the history with Up; Ctrl-D leaves', async () => {
    const t = new Terminal({ HOME: home, XDG_STATE_HOME: state });
    try {
      await t.waitFor(PROMPT);
      // Up twice: past "exit" to "softmax 1 1 --format plain"
      await t.type('\u001b[A');
      await t.type('\u001b[A');
      expect(await t.line('')).toContain('0.5 0.5');
      await t.type('\u0004');
      expect(await t.exited).toBe(0);
    } finally {
      t.kill();
    }
  });

  ptyTest('without XDG_STATE_HOME the history is in ~/.local/state/actgrad/history', async () => {
    const t = new Terminal({ HOME: home });
    try {
      await t.waitFor(PROMPT);
      await t.line('sigmoid 0 --format plain');
      await t.type('quit\r');
      expect(await t.exited).toBe(0);
    } finally {
      t.kill();
    }
    expect(readFileSync(join(home, '.local', 'state', 'actgrad', 'history'), 'utf8')).toBe('sigmoid 0 --format plain\nquit\n');
  });
});
