/**
 * The REPL (src/cli/repl.ts), in-process, for what repl.test.ts and repl-terminal.test.ts leave
 * open to mutation: the history file's cut and its modes, which names a binding may not take, the
 * whole `help` text and its wrapping at the terminal's width, Tab after `z =` and after leading
 * options, file names relative to the current directory and their order, and startRepl's choice
 * between reading lines and a terminal session, its default history file, its warm-up of the
 * completion model and Ctrl-C in the middle of a line.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { IO } from '../../src/cli/io';
import { buildProgram } from '../../src/cli/program';
import { fileCandidates, HISTORY_SIZE, HistoryFile, PROMPT, Session, startRepl, wrap } from '../../src/cli/repl';
import { reportError, run } from '../../src/cli/run';
import { registry } from '../../src/functions/registry';
import { tempDir } from '../helpers/temp';

const cli = { run, reportError, buildProgram };
const temp = (): string => tempDir('actgrad-repl-survivors-');
const VERSION = (require('../../package.json') as { version: string }).version;
const BANNER = `actgrad ${VERSION}: type command lines without "actgrad" (softmax 2 1 0.1 -j); help, Tab, exit or Ctrl-D\n`;

function fakeIO(opts: { columns?: number; env?: Record<string, string> } = {}): IO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (s: string) => (io.out += s),
    stderr: (s: string) => (io.err += s),
    stdoutIsTTY: false,
    stdinIsTTY: false,
    columns: opts.columns,
    readStdin: () => '',
    env: opts.env ?? {},
  };
  return io;
}

/** Runs `body` with the current directory set to `dir`. */
function inDir<T>(dir: string, body: () => T): T {
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    return body();
  } finally {
    process.chdir(cwd);
  }
}

/** Lets readline handle what was typed. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 30));

describe('the history file', () => {
  test('blank and blank-looking lines are not entries, and a short file is left as it is', () => {
    const file = join(temp(), 'history');
    const text = 'relu 1\n   \n\t\nrelu 2\n\n';
    writeFileSync(file, text);
    expect(new HistoryFile(file, () => {}).load()).toEqual(['relu 2', 'relu 1']);
    // not rewritten: only a file of twice HISTORY_SIZE lines is cut back
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  test(`exactly ${2 * HISTORY_SIZE} lines are cut back to the last ${HISTORY_SIZE}; one fewer is left alone`, () => {
    const dir = temp();
    const lines = Array.from({ length: 2 * HISTORY_SIZE }, (_, i) => `relu ${i}`);
    const full = join(dir, 'full');
    writeFileSync(full, lines.map((l) => `${l}\n`).join(''));
    const loaded = new HistoryFile(full, () => {}).load();
    expect(loaded).toEqual(lines.slice(-HISTORY_SIZE).reverse());
    expect(readFileSync(full, 'utf8')).toBe(lines.slice(-HISTORY_SIZE).map((l) => `${l}\n`).join(''));

    const short = join(dir, 'short');
    const text = lines.slice(1).map((l) => `${l}\n`).join('');
    writeFileSync(short, text);
    expect(new HistoryFile(short, () => {}).load()).toEqual(lines.slice(-HISTORY_SIZE).reverse());
    expect(readFileSync(short, 'utf8')).toBe(text);
  });

  test('the newest loaded entry is not appended again when it is entered first', () => {
    const file = join(temp(), 'history');
    writeFileSync(file, 'relu 1\nrelu 2\n');
    const h = new HistoryFile(file, () => {});
    h.load();
    h.append('relu 2');
    expect(readFileSync(file, 'utf8')).toBe('relu 1\nrelu 2\n');
    h.append('relu 1');
    expect(readFileSync(file, 'utf8')).toBe('relu 1\nrelu 2\nrelu 1\n');
  });

  test('a new history file is readable by its owner only (0600), in a directory of 0700', () => {
    const dir = temp();
    const file = join(dir, 'state', 'actgrad', 'history');
    const umask = process.umask(0o022);
    try {
      new HistoryFile(file, () => {}).append('relu 1');
    } finally {
      process.umask(umask);
    }
    expect(readFileSync(file, 'utf8')).toBe('relu 1\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'state', 'actgrad')).mode & 0o777).toBe(0o700);
  });
});

describe('names a binding may not take', () => {
  test('the REPL\'s words, commands, and functions by any spelling or case', () => {
    const io = fakeIO();
    const s = new Session(io, cli);
    for (const line of ['help = 1', 'actgrad = 1', 'quit = 1', 'grad = 1', 'Softmax = 1', 'SOFTMAX = 1', 'cross_entropy = 1', 'ce = 1', 'Mse_Loss = 1', 'linear = 1']) {
      expect({ line, code: s.execute(line) }).toEqual({ line, code: 2 });
    }
    expect(io.err.split('\n')).toEqual([
      'actgrad: error: help is a word of the REPL; a binding needs another name',
      'actgrad: error: actgrad is a word of the REPL; a binding needs another name',
      'actgrad: error: quit is a word of the REPL; a binding needs another name',
      'actgrad: error: grad is a command; a binding needs another name',
      'actgrad: error: Softmax is a function; a binding needs another name',
      'actgrad: error: SOFTMAX is a function; a binding needs another name',
      'actgrad: error: cross_entropy is a function; a binding needs another name',
      'actgrad: error: ce is a function; a binding needs another name',
      'actgrad: error: Mse_Loss is a function; a binding needs another name',
      'actgrad: error: linear is a function; a binding needs another name',
      '',
    ]);
    expect(io.out).toBe('');
    expect(s.bindings.names()).toEqual([]);
  });

  test('a name that is none of them binds', () => {
    const io = fakeIO();
    const s = new Session(io, cli);
    expect(s.execute('soft = 1 2')).toBe(0);
    expect(s.execute('Grads = 3')).toBe(0);
    expect(io.err).toBe('');
    expect(s.bindings.names()).toEqual(['soft', 'Grads']);
  });
});

describe('lines that only look like the REPL\'s own', () => {
  test('exit or quit with more words is not an exit: it runs, and is an unknown command', () => {
    const io = fakeIO();
    const s = new Session(io, cli);
    expect(s.execute('exit 1')).toBe(2);
    expect(s.execute('quit now')).toBe(2);
    expect(s.execute('exit')).toBe('exit');
    expect(io.err).toBe(
      'actgrad: error: unknown function or command "exit"; actgrad list shows them all\n' + 'actgrad: error: unknown function or command "quit"; actgrad list shows them all\n',
    );
  });

  test('help NAME runs NAME --help: an unknown name is an error, help help is the usage', () => {
    const io = fakeIO();
    const s = new Session(io, cli);
    expect(s.execute('help nope')).toBe(2);
    expect(io.err).toBe('actgrad: error: unknown function or command "nope" (did you mean norm?); actgrad list shows them all\n');
    expect(io.out).toBe('');
    expect(s.execute('help help')).toBe(0);
    const usage = fakeIO();
    run(['--help'], { ...usage, stdinIsTTY: true });
    expect(io.out).toBe(usage.out);
    expect(io.out.split('\n')[0]).toBe('Usage: actgrad <function> [numbers...] [options]');
  });

  test('a bound name with more words is not shown: the line runs (and the name is no command)', () => {
    const io = fakeIO();
    const s = new Session(io, cli);
    s.execute('z = 1 2');
    expect(s.execute('z --json')).toBe(2);
    expect(io.out).toBe('');
    expect(io.err).toBe('actgrad: error: unknown function or command "z"; actgrad list shows them all\n');
    expect(s.execute('z')).toBe(0);
    expect(io.out).toBe('z = [1, 2]\n');
  });
});

/** The functions that are commands (not expression-only): the count the help states. */
const COMMAND_FUNCTIONS = registry.filter((d) => d.kind !== 'call').length;

const HELP_HEAD = ['Type command lines without "actgrad"; they run as they would in a shell.', '', 'Commands:'];
const HELP_TAIL = [
  '',
  'Bindings:',
  '  z = 2 1 0.1            binds z (z = "1 2; 3 4" a matrix, z = @x.txt a file, z = w a copy)',
  '  softmax z              z stands for its numbers where numbers go: the input, --target,',
  '                         --weight, --grad-output, ... and grad bindings (x=z)',
  '  grad "sum(z*w)" w=1,2  a bound name the formula reads is bound in it too, and gets a gradient',
  '  z                      shows what z holds',
  '',
  'Tab completes commands, functions, flags, their values and bound names; Up and Down recall',
  'earlier lines, kept across sessions.',
];

describe('help', () => {
  test('the whole text on an 80-column terminal (the default width): each description wrapped under itself', () => {
    const io = fakeIO();
    const s = new Session(io, cli);
    expect(s.execute('help')).toBe(0);
    expect(io.out).toBe(
      [
        ...HELP_HEAD,
        `  <function> numbers  one of ${COMMAND_FUNCTIONS} functions: softmax 2 1 0.1 -j (list shows them`,
        '                      all)',
        '  grad                autograd on a formula (PyTorch code as written): its value',
        '                      and the gradient with respect to each bound name',
        '  plot                f and its derivative as a chart in the terminal, or as an',
        '                      SVG file',
        '  list                every function: its kind, parameters with their defaults,',
        '                      and what it computes',
        '  explain             formulas of value and derivative, parameters and defaults,',
        '                      the PyTorch call, conventions at kinks',
        '  completion          the shell completion script, for bash, zsh or fish',
        '  help <command>      the options of a command or function (help softmax)',
        '  exit, quit          leave (also Ctrl-D)',
        ...HELP_TAIL,
        '',
      ].join('\n'),
    );
    expect(s.helpText()).toBe(io.out);
  });

  test('on a wide terminal the descriptions stay on one line; on a narrow one they wrap at 20 characters', () => {
    const wide = new Session(fakeIO({ columns: 140 }), cli).helpText();
    expect(wide).toBe(
      [
        ...HELP_HEAD,
        `  <function> numbers  one of ${COMMAND_FUNCTIONS} functions: softmax 2 1 0.1 -j (list shows them all)`,
        '  grad                autograd on a formula (PyTorch code as written): its value and the gradient with respect to each bound name',
        '  plot                f and its derivative as a chart in the terminal, or as an SVG file',
        '  list                every function: its kind, parameters with their defaults, and what it computes',
        '  explain             formulas of value and derivative, parameters and defaults, the PyTorch call, conventions at kinks',
        '  completion          the shell completion script, for bash, zsh or fish',
        '  help <command>      the options of a command or function (help softmax)',
        '  exit, quit          leave (also Ctrl-D)',
        ...HELP_TAIL,
        '',
      ].join('\n'),
    );
    // 129 columns: 129 - 18 (the widest term) - 4 = 107, exactly grad's description; 128 wraps it
    expect(new Session(fakeIO({ columns: 129 }), cli).helpText()).toBe(wide);
    expect(new Session(fakeIO({ columns: 128 }), cli).helpText().split('\n').slice(4, 6)).toEqual([
      '  grad                autograd on a formula (PyTorch code as written): its value and the gradient with respect to each bound',
      '                      name',
    ]);
    const narrow = new Session(fakeIO({ columns: 30 }), cli).helpText();
    expect(narrow.split('\n').slice(3, 9)).toEqual([
      `  <function> numbers  one of ${COMMAND_FUNCTIONS} functions:`,
      '                      softmax 2 1 0.1 -j',
      '                      (list shows them',
      '                      all)',
      '  grad                autograd on a',
      '                      formula (PyTorch',
    ]);
  });

  test('what is bound, after the rest', () => {
    const io = fakeIO();
    const s = new Session(io, cli);
    s.execute('z = 1 2');
    s.execute('m = "1 2; 3 4"');
    s.execute('k = 5');
    expect(io.err).toBe('');
    const lines = s.helpText().split('\n');
    expect(lines.slice(-4)).toEqual(['earlier lines, kept across sessions.', '', 'Bound: z (2 numbers), m (2×2), k (a number)', '']);
  });
});

describe('wrap', () => {
  test('words joined by one blank up to the width, inclusive', () => {
    expect(wrap('aaaaaaaaa bbbbbbbbbb cc', 20)).toEqual(['aaaaaaaaa bbbbbbbbbb', 'cc']);
    expect(wrap('aaaaaaaaa bbbbbbbbbbb', 20)).toEqual(['aaaaaaaaa', 'bbbbbbbbbbb']);
    expect(wrap('one two three four five six seven eight', 30)).toEqual(['one two three four five six', 'seven eight']);
    expect(wrap('a b c', 80)).toEqual(['a b c']);
  });

  test('blanks of any kind and number between words, and around them, count as one', () => {
    expect(wrap('  a \t b\n c  ', 80)).toEqual(['a b c']);
    expect(wrap('a b ', 80)).toEqual(['a b']);
    expect(wrap('', 80)).toEqual(['']);
  });

  test('a width under 20 counts as 20; a longer word stands alone', () => {
    expect(wrap('aaaaaaaaa bbbbbbbbbb c', 5)).toEqual(['aaaaaaaaa bbbbbbbbbb', 'c']);
    expect(wrap('x abcdefghijklmnopqrstuvwxyz y', 20)).toEqual(['x', 'abcdefghijklmnopqrstuvwxyz', 'y']);
    expect(wrap('abcdefghijklmnopqrstuvwxyz y', 20)).toEqual(['abcdefghijklmnopqrstuvwxyz', 'y']);
  });
});

describe('Tab', () => {
  const session = (): Session => {
    const s = new Session(fakeIO(), cli);
    s.execute('z = 1 2');
    s.execute('logits = 3 4');
    return s;
  };

  test('inside quotes nothing, even where a bound name would go', () => {
    expect(session().complete('softmax "lo')).toEqual([[], '"lo']);
    expect(session().complete("softmax 'z")).toEqual([[], "'z"]);
    expect(session().complete('softmax lo')).toEqual([['logits '], 'lo']);
  });

  test('z=… with no blanks is not yet a binding\'s value: nothing (the word would lose its z=)', () => {
    expect(session().complete('q=l')).toEqual([[], 'q=l']);
    expect(session().complete('q=')).toEqual([[], 'q=']);
  });

  test('after z = a name=value word completes its value (a grad-style binding typed after =)', () => {
    expect(session().complete('q = abc=lo')).toEqual([['logits '], 'abc=lo']);
    expect(session().complete('q = x=')).toEqual([['z', 'logits'], 'x=']);
  });

  test('after z = an @FILE whose name has an = in it is a file name', () => {
    const dir = temp();
    writeFileSync(join(dir, 'x=1.txt'), '1\n');
    writeFileSync(join(dir, 'a.txt'), '1\n');
    expect(inDir(dir, () => session().complete('q = @x='))).toEqual([['@x=1.txt '], '@x=']);
    expect(inDir(dir, () => session().complete('q = @'))).toEqual([['@a.txt', '@x=1.txt'], '@']);
  });

  test('after leading options, the commands and functions but not the REPL\'s exit and quit', () => {
    expect(session().complete('--json ex')).toEqual([['explain '], 'ex']);
    expect(session().complete('-j q')).toEqual([[], 'q']);
    // every command and function, and nothing else
    const [all] = session().complete('');
    expect(all.slice(-3)).toEqual(['help', 'exit', 'quit']);
    expect(session().complete('--json ')).toEqual([all.slice(0, -2), '']);
    expect(session().complete('ex')).toEqual([['explain', 'exit'], 'ex']);
    expect(session().complete('q')).toEqual([['quit '], 'q']);
  });
});

describe('file names', () => {
  test('relative to the current directory, as typed', () => {
    const dir = temp();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'x.txt'), '1\n');
    writeFileSync(join(dir, 'sub', 'y.txt'), '1\n');
    writeFileSync(join(dir, '.hidden'), '1\n');
    expect(inDir(dir, () => fileCandidates('@', 'x'))).toEqual(['@x.txt']);
    expect(inDir(dir, () => fileCandidates('', ''))).toEqual(['sub/', 'x.txt']);
    expect(inDir(dir, () => fileCandidates('--svg=', 'sub/'))).toEqual(['--svg=sub/y.txt']);
    expect(inDir(dir, () => fileCandidates('@', '.'))).toEqual(['@.hidden']);
  });

  test('in the root directory', () => {
    // (whatever else in / starts with "tm" on this machine)
    const got = fileCandidates('@', '/tm');
    expect(got).toContain('@/tmp/');
    expect(got.filter((c) => !c.startsWith('@/tm'))).toEqual([]);
  });

  test('a directory that cannot be read: none', () => {
    expect(fileCandidates('@', '/nonexistent-actgrad-dir/x')).toEqual([]);
    const dir = temp();
    writeFileSync(join(dir, 'file'), '1\n');
    expect(fileCandidates('@', `${dir}/file/x`)).toEqual([]);
  });

  test('sorted as JavaScript sorts strings (UTF-16), not in the directory\'s (UTF-8 byte) order', () => {
    const dir = temp();
    for (const name of ['a\u{1F600}', 'a\uFF21', 'a.txt', 'B']) writeFileSync(join(dir, name), '1\n');
    expect(fileCandidates('@', `${dir}/`)).toEqual([`@${dir}/B`, `@${dir}/a.txt`, `@${dir}/a\u{1F600}`, `@${dir}/a\uFF21`]);
  });
});

/** startRepl over streams; io as given, the rest of the options as given. */
function terminalIO(over: Partial<IO> = {}): IO & { screen: () => string; err: () => string; input: PassThrough; output: PassThrough; stdinReads: () => number } {
  const input = new PassThrough();
  const output = new PassThrough();
  let screen = '';
  let err = '';
  let reads = 0;
  output.on('data', (chunk: Buffer) => (screen += chunk.toString()));
  return {
    stdout: (s) => output.write(s),
    stderr: (s) => (err += s),
    stdoutIsTTY: false,
    stdinIsTTY: false,
    readStdin: () => {
      reads++;
      return 'relu -1 1 --format plain\n';
    },
    env: {},
    ...over,
    screen: () => screen,
    err: () => err,
    input,
    output,
    stdinReads: () => reads,
  };
}

describe('startRepl: lines or a terminal session', () => {
  test('standard input and output both terminals: a session, standard input not read at once', async () => {
    const io = terminalIO({ stdinIsTTY: true, stdoutIsTTY: true });
    let ended!: () => void;
    const done = new Promise<void>((resolve) => (ended = resolve));
    expect(startRepl(io, cli, { input: io.input, output: io.output, historyFile: null, onExit: () => ended() })).toBe(0);
    await settle();
    expect(io.stdinReads()).toBe(0);
    expect(io.screen()).toBe(`${BANNER}\u001b[1G\u001b[0J${PROMPT}\u001b[10G`);
    io.input.write('exit\n');
    await done;
  });

  test('standard input a terminal but not standard output (or the reverse): the lines of standard input', () => {
    for (const [stdinIsTTY, stdoutIsTTY] of [
      [true, false],
      [false, true],
    ]) {
      let out = '';
      const io = terminalIO({ stdinIsTTY, stdoutIsTTY, stdout: (s) => (out += s) });
      expect(startRepl(io, cli, { input: io.input, output: io.output, historyFile: null })).toBe(0);
      expect(io.stdinReads()).toBe(1);
      expect(out).toBe('0 1\n');
      expect(io.screen()).toBe('');
    }
  });

  test('no history file given: $XDG_STATE_HOME/actgrad/history', async () => {
    const state = temp();
    const io = terminalIO({ env: { XDG_STATE_HOME: state, HOME: temp() } });
    let ended!: () => void;
    const done = new Promise<void>((resolve) => (ended = resolve));
    startRepl(io, cli, { input: io.input, output: io.output, terminal: true, onExit: () => ended() });
    io.input.write('relu -1 1\n');
    io.input.write('exit\n');
    await done;
    expect(readFileSync(join(state, 'actgrad', 'history'), 'utf8')).toBe('relu -1 1\nexit\n');
  });

  test('the completion model is built while the first line is typed, once', async () => {
    let builds = 0;
    // a program builder of its own, so that the completion model is not the one cached for buildProgram
    const build: typeof buildProgram = (...args) => {
      builds++;
      return buildProgram(...args);
    };
    const io = terminalIO();
    let ended!: () => void;
    const done = new Promise<void>((resolve) => (ended = resolve));
    startRepl(io, { run, reportError, buildProgram: build }, { input: io.input, output: io.output, terminal: true, historyFile: null, onExit: () => ended() });
    expect(builds).toBe(0);
    await settle();
    const built = builds;
    expect(built).toBeGreaterThan(0);
    io.input.write('z = 1 2\n');
    io.input.write('softmax z\n');
    await settle();
    expect(builds).toBe(built);
    io.input.write('exit\n');
    await done;
  });

  test('Ctrl-C with the cursor inside the line moves it to the end (Ctrl-E) before ^C', async () => {
    const io = terminalIO();
    let ended!: () => void;
    const done = new Promise<void>((resolve) => (ended = resolve));
    startRepl(io, cli, { input: io.input, output: io.output, terminal: true, historyFile: null, onExit: () => ended() });
    await settle();
    io.input.write('relu 5');
    await settle();
    io.input.write('\u001b[D');
    await settle();
    io.input.write('\u001b[D');
    await settle();
    const before = io.screen().length;
    io.input.write('\u0003');
    await settle();
    // two columns right (to the end of "relu 5"), ^C, then a cleared prompt (Ctrl-U) and the next one
    expect(io.screen().slice(before)).toBe(`\u001b[2C^C\n\u001b[1G\u001b[0J${PROMPT}\u001b[10G\u001b[1G\u001b[0J${PROMPT}\u001b[10G`);
    io.input.write('exit\n');
    await done;
  });
});
