/**
 * What can follow what on actgrad's command line, as data, and the one completion algorithm that
 * reads it. The REPL's Tab completion calls `complete` below; the bash, zsh and fish scripts
 * (completion.ts) are generated from the same model and re-implement the same few steps in their
 * shell, with the model written into them as tables (a static table: Tab never starts node).
 * __tests__/cli/completion.test.ts checks that each shell's answer equals this module's.
 *
 * The model is read off the commander program (program.ts) and the registry, so that completion
 * offers exactly what the command line accepts: the commands, every function with its aliases,
 * each command's flags (a function's come from its descriptor's PyTorch arguments, flags.ts), the
 * values of enumerated flags, and what each positional argument is.
 */
import type { Command, Option } from 'commander';
import type { Descriptor, Kind } from '../functions/types';
import type { IO } from './io';

/** One option of a command, as completion needs it. */
export interface FlagModel {
  /** its spellings: ['--grad', '-g'] */
  names: string[];
  /** the kind of value it takes; undefined when it takes none */
  value?: 'choice' | 'file' | 'numbers' | 'other';
  choices?: string[];
  description: string;
}

/** What a positional argument is, for completion. */
export type ArgumentKind = 'commands' | 'functions' | 'plottable' | 'shells' | 'numbers' | 'expression' | 'bindings' | 'none';

/** The kinds whose words are listed in the model (the others are typed, not chosen). */
export const LISTED_KINDS = ['commands', 'functions', 'plottable', 'shells'] as const;
export type ListedKind = (typeof LISTED_KINDS)[number];

export interface CommandModel {
  name: string;
  /** other spellings offered from the first letter (PyTorch's long loss names, ...) */
  aliases: string[];
  /** snake_case spellings: offered once the word typed so far has an underscore */
  snake: string[];
  description: string;
  /** a function's kind, or 'command' for grad, plot, list, ... */
  group: Kind | 'command';
  flags: FlagModel[];
  /** what its first positional argument is, and what the later ones are */
  first: ArgumentKind;
  rest: ArgumentKind;
}

export interface CompletionModel {
  /** options that may stand before the command (`actgrad --json softmax 1 2`) */
  leading: FlagModel[];
  /** the commands and every function (expression-only functions too: explain takes them) */
  commands: CommandModel[];
  /** plot's flags with a given function plotted (its parameters join plot's own), by canonical name */
  plotFlags: Record<string, FlagModel[]>;
  shells: readonly string[];
  /** the words offered for each listed kind of argument: [kebab spellings, snake_case spellings] */
  lists: Record<ListedKind, { words: string[]; snake: string[] }>;
  /**
   * Every spelling that takes a value, whatever the command. Scanning a line needs to know which
   * word is a flag's value before it knows the command; a flag never takes a value under one
   * command and none under another (the model refuses to build otherwise).
   */
  valued: string[];
}

/** The shells `actgrad completion` writes a script for. */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;

/** The argument names of program.ts, and what each one is. */
const ARGUMENT_KINDS: Record<string, ArgumentKind> = {
  numbers: 'numbers',
  function: 'functions',
  shell: 'shells',
  command: 'commands',
  expression: 'expression',
  bindings: 'bindings',
};

/** An IO that nothing is written to: the program is built only to be read. */
const SILENT: IO = { stdout: () => {}, stderr: () => {}, stdoutIsTTY: false, stdinIsTTY: true, readStdin: () => '', env: {} };

function flagModel(o: Option): FlagModel {
  const names = [o.long, o.short].filter((n): n is string => n !== undefined);
  const f: FlagModel = { names, description: o.description };
  if (!o.required && !o.optional) return f;
  const placeholder = /[<[]([^>\]]+)[>\]]/.exec(o.flags)?.[1] ?? '';
  if (o.argChoices) return { ...f, value: 'choice', choices: [...o.argChoices] };
  // --svg <file>, --graph <file.dot>: a file is written there.
  if (/^file\b/.test(placeholder)) return { ...f, value: 'file' };
  return { ...f, value: placeholder === 'numbers' ? 'numbers' : 'other' };
}

function argumentKind(cmd: Command, index: number): ArgumentKind {
  const args = cmd.registeredArguments;
  const arg = args[Math.min(index, args.length - 1)];
  if (!arg || (index >= args.length && !arg.variadic)) return 'none';
  const kind = ARGUMENT_KINDS[arg.name()];
  if (kind === undefined) throw new Error(`completion: no completion kind for the argument <${arg.name()}> of ${cmd.name()}`);
  // A plot draws a function of one input; the expression-only functions take several.
  return kind === 'functions' && cmd.name() === 'plot' ? 'plottable' : kind;
}

/**
 * program.ts's buildProgram, as the model uses it: the whole program, or (with 'none' and a plotted
 * function) the commands with plot's options for that function.
 */
export type BuildProgram = (io: IO, only?: 'none', writeErr?: undefined, state?: undefined, plotted?: Descriptor) => Command;

const cache = new Map<BuildProgram, CompletionModel>();

/** The model, built once per process (tens of milliseconds: the commander program is made, and plot once per function). */
export function completionModel(buildProgram: BuildProgram): CompletionModel {
  const cached = cache.get(buildProgram);
  if (cached) return cached;
  const { registry, namesOf } = require('../functions/registry') as typeof import('../functions/registry');
  const { OUTPUT_OPTIONS } = require('./flags') as typeof import('./flags');
  const { Option: CommanderOption } = require('commander') as typeof import('commander');

  const program = buildProgram(SILENT);
  const help = program.createHelp();
  const byName = new Map<string, Descriptor>(registry.map((d) => [d.name, d]));
  const spellings = (d: Descriptor): { aliases: string[]; snake: string[] } => {
    const kebab = new Set([d.name, ...(d.aliases ?? [])]);
    return { aliases: [...kebab].filter((n) => n !== d.name), snake: namesOf(d).filter((n) => !kebab.has(n)) };
  };

  const commands: CommandModel[] = help.visibleCommands(program).map((cmd) => {
    const d = byName.get(cmd.name());
    return {
      name: cmd.name(),
      ...(d ? spellings(d) : { aliases: cmd.aliases(), snake: [] }),
      description: d ? d.summary : cmd.description(),
      group: d ? d.kind : 'command',
      flags: help.visibleOptions(cmd).map(flagModel),
      first: argumentKind(cmd, 0),
      rest: argumentKind(cmd, 1),
    };
  });
  // Functions that program.ts does not make a command of (expression-only calls): explain takes them.
  for (const d of registry.filter((f) => !commands.some((c) => c.name === f.name))) {
    commands.push({ name: d.name, ...spellings(d), description: d.summary, group: d.kind, flags: [], first: 'none', rest: 'none' });
  }

  const plot = commands.find((c) => c.name === 'plot');
  const plotFlags: Record<string, FlagModel[]> = {};
  if (plot) {
    const own = new Set(plot.flags.map((f) => f.names[0]));
    for (const d of registry.filter((f) => f.kind !== 'call')) {
      const withD = buildProgram(SILENT, 'none', undefined, undefined, d).commands.find((c) => c.name() === 'plot')!;
      const extra = help.visibleOptions(withD).map(flagModel).filter((f) => !own.has(f.names[0]));
      if (extra.length) plotFlags[d.name] = [...plot.flags, ...extra];
    }
  }

  const leading = [
    ...OUTPUT_OPTIONS.map((s) => {
      const o = new CommanderOption(s.flags, s.description);
      if (s.choices) o.choices(s.choices);
      return flagModel(o);
    }),
    ...help.visibleOptions(program).map(flagModel),
  ];

  const words = (cs: CommandModel[]): { words: string[]; snake: string[] } => ({
    words: cs.flatMap((c) => [c.name, ...c.aliases]),
    snake: cs.flatMap((c) => c.snake),
  });
  const lists: CompletionModel['lists'] = {
    // `actgrad <TAB>`: what can be run (an expression-only function cannot).
    commands: words(commands.filter((c) => c.group !== 'call')),
    functions: words(commands.filter((c) => c.group !== 'command')),
    plottable: words(commands.filter((c) => c.group !== 'command' && c.group !== 'call')),
    shells: { words: [...SHELLS], snake: [] },
  };

  const takesValue = new Map<string, boolean>();
  const allFlags = [...leading, ...commands.flatMap((c) => c.flags), ...Object.values(plotFlags).flat()];
  for (const f of allFlags) {
    for (const n of f.names) {
      const valued = f.value !== undefined;
      if (takesValue.get(n) === !valued) throw new Error(`completion: ${n} takes a value under one command and none under another`);
      takesValue.set(n, valued);
    }
  }
  const valued = [...takesValue].filter(([, v]) => v).map(([n]) => n).sort();

  const model: CompletionModel = { leading, commands, plotFlags, shells: SHELLS, lists, valued };
  cache.set(buildProgram, model);
  return model;
}

/** A word that starts with '-' but is a number (`-1`, `-.5`, `-inf`) is data, not a flag. */
export const isFlagWord = (w: string): boolean => w.length > 1 && w.startsWith('-') && !/^-(?:[0-9.]|inf|nan)/i.test(w);

/** Where a line stands after some words: the command, the flag whose value comes next, how many positionals. */
export interface LineState {
  /** the command's canonical name, as typed when unknown; undefined before the command */
  command?: string;
  /** the key of the flags in effect: the command, '' before it, `plot:<function>` once plot's function is known */
  key: string;
  /** the flag whose value the next word is */
  pending?: string;
  /** positional arguments after the command */
  positionals: number;
  /** after `--`, every word is a positional argument */
  optionsEnded: boolean;
}

/** The canonical name of a command or function spelling (itself when unknown). */
export function canonical(model: CompletionModel, word: string): string {
  for (const c of model.commands) if (c.name === word || c.aliases.includes(word) || c.snake.includes(word)) return c.name;
  return word;
}

/** One word's role, for the REPL's substitution of bound names. */
export type Role = { role: 'command' } | { role: 'flag'; flag: string } | { role: 'value'; flag: string } | { role: 'positional'; index: number };

/**
 * Scans words (without the program's name) as every completion script does: options before the
 * command are skipped with their values, the first other word is the command, later words are
 * flags, flag values or positional arguments. Returns the state after them and each word's role.
 */
export function scan(model: CompletionModel, words: readonly string[]): { state: LineState; roles: Role[] } {
  const state: LineState = { key: '', positionals: 0, optionsEnded: false };
  const roles: Role[] = [];
  const valued = new Set(model.valued);
  for (const w of words) {
    if (state.pending !== undefined) {
      roles.push({ role: 'value', flag: state.pending });
      state.pending = undefined;
      continue;
    }
    if (!state.optionsEnded && isFlagWord(w)) {
      if (w === '--') state.optionsEnded = true;
      else if (!w.includes('=') && valued.has(w)) state.pending = w;
      roles.push({ role: 'flag', flag: w.split('=')[0] });
      continue;
    }
    if (state.command === undefined) {
      state.command = canonical(model, w);
      state.key = state.command;
      roles.push({ role: 'command' });
      continue;
    }
    if (state.positionals === 0 && state.command === 'plot') state.key = `plot:${canonical(model, w)}`;
    roles.push({ role: 'positional', index: state.positionals });
    state.positionals++;
  }
  return { state, roles };
}

/** The flags in effect under a key of LineState. */
export function flagsOf(model: CompletionModel, key: string): FlagModel[] {
  if (key === '') return model.leading;
  if (key.startsWith('plot:')) return model.plotFlags[key.slice(5)] ?? flagsOf(model, 'plot');
  return model.commands.find((c) => c.name === key)?.flags ?? [];
}

/** A flag of a key by one of its spellings (a leading option is accepted after the command too). */
export function findFlag(model: CompletionModel, key: string, name: string): FlagModel | undefined {
  const has = (f: FlagModel): boolean => f.names.includes(name);
  return flagsOf(model, key).find(has) ?? model.leading.find(has);
}

/** What can stand where the cursor is: words (before filtering by what is typed), or file names. */
export interface Context {
  /** the candidates, each a whole word (including `prefix`) */
  words: string[];
  /** complete file names instead, after `prefix` */
  files: boolean;
  /** the part of the current word before what is being completed: '@', '--svg=', '--reduction=' */
  prefix: string;
  /** what is being completed (the current word without prefix) */
  typed: string;
  /** what the candidates are: a positional argument of a kind, a flag value, flags, or nothing */
  kind: ArgumentKind | 'flags' | 'values';
}

/** Extra words the REPL offers: bound names where numbers go, its own commands at the start. */
export interface Extras {
  /** names that stand for numbers */
  numbers?: readonly string[];
  /** more words for the command position (help, exit, quit) */
  commands?: readonly string[];
  /** words not offered at the command position (repl inside the REPL) */
  hide?: readonly string[];
}

function listed(model: CompletionModel, kind: ArgumentKind, typed: string): string[] {
  if (!(LISTED_KINDS as readonly string[]).includes(kind)) return [];
  const list = model.lists[kind as ListedKind];
  return typed.includes('_') ? [...list.words, ...list.snake] : list.words;
}

/**
 * The candidates at the cursor, given the words before it and the current word (up to the cursor).
 * The shell scripts compute the same, step by step, in the same order:
 * 1. the value of a flag (`--reduction <TAB>`, `--reduction=<TAB>`): its choices, or files for a
 *    file it writes; 2. a flag (`-<TAB>`); 3. before the command: commands and functions;
 * 4. a positional argument: what the command takes there (`explain <TAB>`: functions);
 * 5. where numbers go (the input, a `<numbers>` flag, a grad binding `x=`): `@FILE` completes
 *    file names, and the REPL offers its bound names.
 */
export function completionContext(model: CompletionModel, before: readonly string[], current: string, extras: Extras = {}): Context {
  const { state } = scan(model, before);
  let prefix = '';
  let typed = current;
  const result = (kind: Context['kind'], words: readonly string[], files = false): Context => ({
    words: words.map((w) => prefix + w),
    files,
    prefix,
    typed,
    kind,
  });
  /** a place where numbers go: @FILE, or (in the REPL) a bound name */
  const numbersSlot = (kind: Context['kind'], offerNames: boolean): Context => {
    if (typed.startsWith('@')) {
      prefix += '@';
      typed = typed.slice(1);
      return result(kind, [], true);
    }
    return result(kind, offerNames ? (extras.numbers ?? []) : []);
  };

  let valueOf = state.pending;
  if (valueOf === undefined && !state.optionsEnded && current.startsWith('--') && current.includes('=')) {
    valueOf = current.slice(0, current.indexOf('='));
    prefix = `${valueOf}=`;
    typed = current.slice(prefix.length);
  }
  if (valueOf !== undefined) {
    const flag = findFlag(model, state.key, valueOf);
    if (flag?.value === 'file') return result('values', [], true);
    if (flag?.value === 'choice') return result('values', flag.choices ?? []);
    return numbersSlot('values', flag?.value === 'numbers');
  }
  // '-' alone is standard input among the words, but typed before Tab it asks for the flags.
  if (!state.optionsEnded && (current === '-' || isFlagWord(current))) return result('flags', flagsOf(model, state.key).flatMap((f) => f.names));
  if (state.command === undefined) {
    const hide = new Set(extras.hide ?? []);
    return result('commands', [...listed(model, 'commands', typed).filter((w) => !hide.has(w)), ...(extras.commands ?? [])]);
  }
  const command = model.commands.find((c) => c.name === state.command);
  const kind: ArgumentKind = command ? (state.positionals === 0 ? command.first : command.rest) : 'none';
  if (kind === 'numbers') return numbersSlot(kind, true);
  if (kind === 'bindings') {
    const name = /^[A-Za-z_][A-Za-z0-9_]*=/.exec(current);
    if (!name) return result(kind, []);
    prefix = name[0];
    typed = current.slice(prefix.length);
    return numbersSlot(kind, true);
  }
  return result(kind, listed(model, kind, typed));
}

/** The candidates that start with what is typed, each once, in the model's order. */
export function complete(model: CompletionModel, before: readonly string[], current: string, extras: Extras = {}): Context {
  const context = completionContext(model, before, current, extras);
  const words = [...new Set(context.words)].filter((w) => w.startsWith(current));
  return { ...context, words };
}
