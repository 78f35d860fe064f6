/**
 * The REPL: `actgrad` alone on a terminal, or `actgrad repl`. Each line is split like a shell line
 * (split.ts) and run by the same `run(argv, io)` as a command line, with the terminal as its
 * stdout, so tables, colour and errors are the CLI's own; an error is printed and the next line
 * is read. `name = numbers` binds a name (bindings.ts). History persists in
 * $XDG_STATE_HOME/actgrad/history (~/.local/state/actgrad/history); Tab completes from the same
 * model as the shell scripts (complete-data.ts).
 *
 * Not on a terminal (`actgrad repl < lines.txt`), the lines are read from standard input and run
 * in order, with no prompt, and the exit code is the largest of theirs.
 *
 * Loaded only when the REPL starts: readline and the completion model cost an ordinary run nothing.
 */
import { UsageError } from '../errors';
import { Bindings, parseAssignment, shapeText } from './bindings';
import { type BuildProgram, type CompletionModel, completionModel } from './complete-data';
import type { IO } from './io';
import { quoteWord, splitPartial, splitWords } from './split';

/**
 * What the REPL needs from the command line: run.ts's run and reportError, and program.ts's
 * buildProgram (for the completion model). Passed in by the caller so that this module imports
 * neither: run.ts starts the REPL, and the REPL runs each line through run.
 */
export interface CommandLine {
  run(argv: readonly string[], io: IO): number;
  reportError(e: unknown, io: IO): number;
  buildProgram: BuildProgram;
}

/** Lines kept in memory and in the history file (Python's readline keeps 1000 too). */
export const HISTORY_SIZE = 1000;
export const PROMPT = 'actgrad> ';
const EXIT_WORDS = ['exit', 'quit', 'exit()', 'quit()'];
/** The REPL's own words, offered by Tab at the start of a line (help is commander's already). */
const REPL_WORDS = ['exit', 'quit'];

const version = (): string => (require('../../package.json') as { version: string }).version;

/** The history file: $XDG_STATE_HOME/actgrad/history, else ~/.local/state/actgrad/history. */
export function historyPath(env: Record<string, string | undefined>): string | undefined {
  const path = require('node:path') as typeof import('node:path');
  // The XDG spec: a relative XDG_STATE_HOME is invalid and is ignored.
  const state = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : undefined;
  const home = env.HOME || (require('node:os') as typeof import('node:os')).homedir();
  if (state) return path.join(state, 'actgrad', 'history');
  return home ? path.join(home, '.local', 'state', 'actgrad', 'history') : undefined;
}

/**
 * The history file, one line per entry, oldest first. Each line is appended as it is entered (a
 * crash loses nothing; two sessions interleave instead of overwriting each other), and the file is
 * cut back to the last HISTORY_SIZE lines when a session starts with twice that many.
 */
export class HistoryFile {
  private last: string | undefined;
  private failed = false;

  constructor(
    readonly path: string | undefined,
    private readonly warn: (message: string) => void,
  ) {}

  /** The entries, newest first (readline's order), at most HISTORY_SIZE. */
  load(): string[] {
    if (!this.path) return [];
    const fs = require('node:fs') as typeof import('node:fs');
    let lines: string[];
    try {
      lines = fs.readFileSync(this.path, 'utf8').split('\n').filter((l) => l.trim() !== '');
    } catch {
      return [];
    }
    const kept = lines.slice(-HISTORY_SIZE);
    if (lines.length >= 2 * HISTORY_SIZE) this.write((f) => fs.writeFileSync(f, kept.map((l) => `${l}\n`).join(''), { mode: 0o600 }));
    this.last = kept[kept.length - 1];
    return kept.reverse();
  }

  append(line: string): void {
    if (!this.path || line.trim() === '' || line === this.last) return;
    this.last = line;
    const fs = require('node:fs') as typeof import('node:fs');
    this.write((f) => fs.appendFileSync(f, `${line}\n`, { mode: 0o600 }));
  }

  private write(action: (file: string) => void): void {
    if (this.failed || !this.path) return;
    const fs = require('node:fs') as typeof import('node:fs');
    const path = require('node:path') as typeof import('node:path');
    try {
      fs.mkdirSync(path.dirname(this.path), { recursive: true, mode: 0o700 });
      action(this.path);
    } catch (e) {
      // Once: a read-only home should not print a warning after every line.
      this.failed = true;
      this.warn(`actgrad: warning: history is not saved: ${this.path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    }
  }
}

/** The IO a REPL line runs with: the REPL's, except that standard input is the REPL's own. */
function lineIO(io: IO): IO {
  const refuse = (): never => {
    throw new UsageError('standard input is the REPL here: give the numbers on the line, bind them (z = 2 1 0.1) or read a file (@FILE)');
  };
  return {
    stdout: (s) => io.stdout(s),
    stderr: (s) => io.stderr(s),
    stdoutIsTTY: io.stdoutIsTTY,
    get columns() {
      return io.columns;
    },
    // So that a line without numbers is told so, instead of waiting for standard input.
    stdinIsTTY: true,
    readStdin: refuse,
    readStdinChunks: refuse,
    readFile: io.readFile,
    env: io.env,
  };
}

/** One REPL session: its bindings, and what it does with a line. Kept apart from readline for tests. */
export class Session {
  readonly bindings: Bindings;
  private readonly io: IO;

  constructor(
    private readonly outer: IO,
    private readonly cli: CommandLine,
  ) {
    this.io = lineIO(outer);
    this.bindings = new Bindings((name) => this.reserved(name));
  }

  /** The completion model (built on first use). */
  model(): CompletionModel {
    return completionModel(this.cli.buildProgram);
  }

  private reserved(name: string): string | undefined {
    if ([...EXIT_WORDS, 'help', 'actgrad'].includes(name)) return 'a word of the REPL';
    const lower = name.toLowerCase();
    const c = this.model().commands.find((m) => [m.name, ...m.aliases, ...m.snake].some((n) => n === name || n === lower));
    if (!c) return undefined;
    return c.group === 'command' ? 'a command' : 'a function';
  }

  /** Runs one line; returns its exit code, or 'exit'. Never throws: errors are printed as the CLI prints them. */
  execute(line: string): number | 'exit' {
    try {
      const assignment = parseAssignment(line);
      if (assignment) {
        this.bindings.assign(assignment.name, splitWords(assignment.rest), this.outer);
        return 0;
      }
      let words = splitWords(line);
      // `actgrad softmax 1 2`, typed out of habit, is `softmax 1 2`.
      if (words[0] === 'actgrad') words = words.slice(1);
      if (words.length === 0) return 0;
      if (words.length === 1 && EXIT_WORDS.includes(words[0])) return 'exit';
      if (words[0] === 'help') {
        if (words.length === 1) {
          this.outer.stdout(this.helpText());
          return 0;
        }
        return this.cli.run([...words.slice(1), '--help'], this.io);
      }
      if (words[0] === 'repl') throw new UsageError('this is the REPL already (exit or Ctrl-D leaves it)');
      const bound = words.length === 1 ? this.bindings.get(words[0]) : undefined;
      if (bound) {
        this.outer.stdout(`${words[0]} = ${this.bindings.text(words[0])}\n`);
        return 0;
      }
      return this.cli.run(this.bindings.expand(this.model(), words), this.io);
    } catch (e) {
      return this.cli.reportError(e, this.outer);
    }
  }

  /** `help`: the commands, how lines and bindings work, what is bound. */
  helpText(): string {
    const commands = this.model().commands.filter((c) => c.group === 'command' && c.name !== 'repl' && c.name !== 'help');
    const functions = this.model().commands.filter((c) => c.group !== 'command' && c.group !== 'call').length;
    const rows: [string, string][] = [
      ['<function> numbers', `one of ${functions} functions: softmax 2 1 0.1 -j (list shows them all)`],
      ...commands.map((c): [string, string] => [c.name, c.description]),
      ['help <command>', 'the options of a command or function (help softmax)'],
      ['exit, quit', 'leave (also Ctrl-D)'],
    ];
    const width = Math.max(...rows.map(([term]) => term.length));
    const lines = [
      'Type command lines without "actgrad"; they run as they would in a shell.',
      '',
      'Commands:',
      ...rows.map(([term, text]) => `  ${term.padEnd(width)}  ${wrap(text, (this.outer.columns ?? 80) - width - 4).join(`\n${' '.repeat(width + 4)}`)}`),
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
    const names = this.bindings.names();
    if (names.length) lines.push('', `Bound: ${names.map((n) => `${n} (${shapeText(this.bindings.get(n)!)})`).join(', ')}`);
    return `${lines.join('\n')}\n`;
  }

  /** readline's completer: the candidates for the word before the cursor, and that word as typed. */
  complete(lineBeforeCursor: string): [string[], string] {
    const { words, current, currentRaw, openQuote } = splitPartial(lineBeforeCursor);
    // Inside quotes is a formula or a matrix: nothing to complete there.
    if (openQuote) return [[], currentRaw];
    const { complete } = require('./complete-data') as typeof import('./complete-data');
    const names = this.bindings.names();
    let context;
    if (parseAssignment(lineBeforeCursor) && words.length + (currentRaw ? 1 : 0) > 1) {
      // After `z =`: numbers, so @FILE or a bound name (a copy).
      context = complete(this.model(), ['relu'], current.replace(/^[A-Za-z_]\w*=/, ''), { numbers: names });
    } else {
      const before = words[0] === 'actgrad' ? words.slice(1) : words;
      const atStart = before.length === 0;
      context = complete(this.model(), before, current, { numbers: names, commands: atStart ? REPL_WORDS : [], hide: ['repl'] });
    }
    const candidates = (context.files ? fileCandidates(context.prefix, context.typed) : context.words).map(quoteWord);
    // One candidate, a whole word: a space after it, as a shell puts one, so that the next word can
    // follow (readline adds none). A directory or a `name=` goes on where it ends.
    if (candidates.length === 1 && !/[/=]$/.test(candidates[0])) return [[`${candidates[0]} `], currentRaw];
    return [candidates, currentRaw];
  }
}

/** Text cut into lines of at most `width` characters at blanks (a longer word stands alone). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > Math.max(width, 20)) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/** File names that complete `typed` (a path), each after `prefix` ('@', '--svg='); directories end in '/'. */
export function fileCandidates(prefix: string, typed: string): string[] {
  const fs = require('node:fs') as typeof import('node:fs');
  const slash = typed.lastIndexOf('/');
  const dir = slash < 0 ? '' : typed.slice(0, slash + 1);
  const base = typed.slice(slash + 1);
  try {
    return fs
      .readdirSync(dir === '' ? '.' : dir, { withFileTypes: true })
      .filter((e) => e.name.startsWith(base) && (base.startsWith('.') || !e.name.startsWith('.')))
      .map((e) => `${prefix}${dir}${e.name}${e.isDirectory() ? '/' : ''}`)
      .sort();
  } catch {
    return [];
  }
}

export interface ReplOptions {
  /** defaults: process.stdin and process.stdout */
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** whether to read lines interactively (default: io says stdin and stdout are terminals) */
  terminal?: boolean;
  /** the history file (default: historyPath(io.env)); null: none */
  historyFile?: string | null;
  /** called when the session ends */
  onExit?: () => void;
}

/** Lines from a file or a pipe: each run in order; the exit code is the largest of theirs. */
function runLines(text: string, io: IO, cli: CommandLine): number {
  const session = new Session(io, cli);
  let worst = 0;
  for (const line of text.split(/\r?\n/)) {
    const code = session.execute(line);
    if (code === 'exit') break;
    worst = Math.max(worst, code);
  }
  return worst;
}

/**
 * Starts the REPL. On a terminal it returns 0 at once and reads lines until exit or Ctrl-D (the
 * event loop keeps the process alive); otherwise it runs the lines of standard input and returns
 * their exit code.
 */
export function startRepl(io: IO, cli: CommandLine, options: ReplOptions = {}): number {
  if (!(options.terminal ?? (io.stdinIsTTY && io.stdoutIsTTY))) return runLines(io.readStdin(), io, cli);
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;

  const readline = require('node:readline') as typeof import('node:readline');
  const session = new Session(io, cli);
  const history = new HistoryFile(options.historyFile === undefined ? historyPath(io.env) : (options.historyFile ?? undefined), io.stderr);
  const rl = readline.createInterface({
    input,
    output,
    terminal: true,
    prompt: PROMPT,
    history: history.load(),
    historySize: HISTORY_SIZE,
    removeHistoryDuplicates: true,
    completer: (line: string) => session.complete(line),
  });
  let leaving = false;
  output.write(`actgrad ${version()}: type command lines without "actgrad" (softmax 2 1 0.1 -j); help, Tab, exit or Ctrl-D\n`);
  rl.prompt();
  // The first line needs the completion model (its bound names are checked against the commands):
  // build it while the user types it.
  setImmediate(() => session.model());
  rl.on('line', (line) => {
    history.append(line);
    if (session.execute(line) === 'exit') {
      leaving = true;
      rl.close();
      return;
    }
    rl.prompt();
  });
  rl.on('SIGINT', () => {
    // As in a shell: Ctrl-C leaves the line on the screen and drops it (Ctrl-E, ^C, a new line,
    // Ctrl-U redraws an empty prompt there); on an empty line, it says how to leave.
    const empty = rl.line.length === 0;
    rl.write(null, { ctrl: true, name: 'e' });
    output.write(empty ? '^C\n(exit, quit or Ctrl-D leaves)\n' : '^C\n');
    rl.write(null, { ctrl: true, name: 'u' });
    rl.prompt();
  });
  rl.on('close', () => {
    // Ctrl-D leaves the cursor after the prompt: the shell's prompt should start a new line.
    if (!leaving) output.write('\n');
    options.onExit?.();
  });
  return 0;
}
