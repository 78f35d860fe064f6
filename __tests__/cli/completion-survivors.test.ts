/**
 * Completion, the parts completion.test.ts leaves unchecked (written against StrykerJS survivors
 * in src/cli/complete-data.ts and src/cli/completion.ts):
 * - the model itself (complete-data.ts, which the REPL's Tab uses directly): the kind of each
 *   flag's value and of each positional argument, the spellings, the lists, the refusals, and the
 *   REPL-only paths of `complete` (bound names where numbers go) that no shell can show;
 * - what the shells show beyond the candidate list: zsh's and fish's descriptions (quotes kept,
 *   defaults dropped, "= name" for an alias, none for a flag that means different things), and
 *   candidates completion.test.ts never asks for (plot of a function that adds no flag, unknown
 *   commands named like a kind);
 * - the promise of the bash/zsh tables' shared flag runs (completion.ts, factorRuns): variables
 *   shared by at least 3 commands, the common ending last and common beginnings first, each
 *   command's line holding only its own parameters besides them, and every list expanding to
 *   exactly the model's flags;
 * - the header's count and loading instructions.
 * Each test makes the model and the scripts in its body (helpers/per-test.ts explains why), and
 * asks each shell everything in one process.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { type BuildProgram, type CompletionModel, canonical, complete, completionContext, completionModel, flagsOf, isFlagWord, scan } from '../../src/cli/complete-data';
import { completionScript } from '../../src/cli/completion';
import { buildProgram } from '../../src/cli/program';
import { registry } from '../../src/functions/registry';
import { perTest } from '../helpers/per-test';
import { tempDir } from '../helpers/temp';

const dir = tempDir('actgrad-completion-survivors-');
const files = join(dir, 'files');
mkdirSync(join(files, 'xs'), { recursive: true });
writeFileSync(join(files, 'x.txt'), '1 2\n');
writeFileSync(join(files, 'y.txt'), '3\n');

const theModel = perTest(() => completionModel(buildProgram));
const script = (shell: 'bash' | 'zsh' | 'fish'): string => {
  const file = join(dir, `actgrad.${shell}`);
  writeFileSync(file, completionScript(shell, buildProgram));
  return file;
};
const shq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const fishq = (s: string): string => `'${s.replace(/[\\']/g, '\\$&')}'`;
const has = (shell: string): boolean => spawnSync(shell, ['-c', 'exit 0']).status === 0;

/** Runs a program in a shell; its stdout as lines (stderr must be empty). */
function shell(name: 'bash' | 'zsh' | 'fish', program: string, cwd = dir): string[] {
  const args = name === 'bash' ? ['--norc', '--noprofile', '-c', program] : name === 'zsh' ? ['-f', '-c', program] : ['--no-config', '-c', program];
  const r = spawnSync(name, args, { cwd, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').slice(0, -1);
}

const flag = (model: CompletionModel, command: string, name: string) => model.commands.find((c) => c.name === command)!.flags.find((f) => f.names.includes(name));
const words = (before: string[], current: string, numbers?: string[]): string[] => complete(theModel(), before, current, numbers ? { numbers } : {}).words;
/** buildProgram with something added to the program it makes (a new function: the model's cache is per function). */
const extended =
  (add: (p: Command) => void): BuildProgram =>
  (io, only, writeErr, state, plotted) => {
    const p = buildProgram(io, only, writeErr, state, plotted);
    add(p);
    return p;
  };

describe('the model', () => {
  test("a flag's value, read off its placeholder: choices, a file, numbers, or other", () => {
    const m = theModel();
    expect(flag(m, 'mse', '--target')).toMatchObject({ value: 'numbers' });
    expect(flag(m, 'mse', '--grad-output')).toMatchObject({ value: 'numbers' });
    expect(flag(m, 'mse', '--reduction')).toMatchObject({ value: 'choice', choices: ['mean', 'sum', 'none'] });
    expect(flag(m, 'mse', '--precision')).toMatchObject({ value: 'other' });
    expect(flag(m, 'grad', '--wrt')).toMatchObject({ value: 'other' });
    expect(flag(m, 'plot', '--svg')).toMatchObject({ value: 'file' });
    expect(flag(m, 'grad', '--graph')).toMatchObject({ value: 'file' });
    expect(flag(m, 'mse', '--json')!.value).toBeUndefined();
    // the REPL offers its bound names for a <numbers> flag, not for another value
    expect(words(['mse', '1', '--target'], '', ['a', 'b'])).toEqual(['a', 'b']);
    expect(words(['mse', '1', '--precision'], '', ['a', 'b'])).toEqual([]);
    expect(words(['plot', 'gelu', '--svg'], '', ['a'])).toEqual([]);
    expect(completionContext(theModel(), ['plot', 'gelu', '--svg'], '').files).toBe(true);
    expect(completionContext(theModel(), ['grad', 'x', '--graph'], 'g').files).toBe(true);
  });

  test('what each positional argument is, first and later', () => {
    const kinds = Object.fromEntries(theModel().commands.map((c) => [c.name, [c.first, c.rest]]));
    expect(kinds.grad).toEqual(['expression', 'bindings']);
    expect(kinds.sigmoid).toEqual(['numbers', 'numbers']);
    expect(kinds.mse).toEqual(['numbers', 'numbers']);
    expect(kinds.explain).toEqual(['functions', 'none']);
    expect(kinds.plot).toEqual(['plottable', 'none']);
    expect(kinds.completion).toEqual(['shells', 'none']);
    expect(kinds.help).toEqual(['commands', 'none']);
    expect(kinds.list).toEqual(['none', 'none']);
    // and what that offers
    expect(words(['explain', 'gelu'], '')).toEqual([]);
    expect(words(['sigmoid', '1'], '', ['a'])).toEqual(['a']);
    expect(words(['grad'], 'x', ['x1'])).toEqual([]);
  });

  test('the model refuses an argument it has no kind for, and a flag valued under one command only', () => {
    const weird = extended((p) => {
      p.command('weird').argument('<foo>');
    });
    expect(() => completionModel(weird)).toThrow('completion: no completion kind for the argument <foo> of weird');
    const clash = extended((p) => {
      p.command('clash').option('--json <x>', 'json, with a value');
    });
    expect(() => completionModel(clash)).toThrow('completion: --json takes a value under one command and none under another');
  });

  test('spellings: aliases, snake_case ones, and none for the commands', () => {
    const m = theModel();
    const spelt = (n: string) => {
      const c = m.commands.find((c) => c.name === n)!;
      return [c.aliases, c.snake];
    };
    expect(spelt('mse')).toEqual([['mse-loss'], ['mse_loss']]);
    expect(spelt('leaky-relu')).toEqual([[], ['leaky_relu']]);
    expect(spelt('grad')).toEqual([[], []]);
    expect(spelt('plot')).toEqual([[], []]);
    // every command and function once, and each listed word once
    const names = m.commands.map((c) => c.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    for (const list of Object.values(m.lists)) expect(list.words.filter((w, i) => list.words.indexOf(w) !== i)).toEqual([]);
  });

  test("plot's flags with a function plotted: plot's own, then the function's parameters", () => {
    const m = theModel();
    const own = ['--from', '--to', '--svg', '--width', '--height', '--points', '--color', '--no-color', '--help'];
    expect(m.plotFlags.gelu.map((f) => f.names[0])).toEqual([...own, '--approximate']);
    expect(m.plotFlags.softplus.map((f) => f.names[0])).toEqual([...own, '--beta', '--threshold']);
    // an expression-only function cannot be plotted
    const plottable = new Set(registry.filter((d) => d.kind !== 'call').map((d) => d.name));
    expect(Object.keys(m.plotFlags).filter((n) => !plottable.has(n))).toEqual([]);
    expect(words(['plot', 'relu'], '--')).toEqual(own);
  });

  test('the lists: commands (not expression-only functions), functions, plottable functions, shells', () => {
    expect(words([], 'lin')).toEqual([]);
    expect(words([], 'gra')).toEqual(['grad']);
    expect(words(['explain'], 'lin')).toEqual(['linear']);
    expect(words(['explain'], 'gr')).toEqual(['group-norm']);
    expect(words(['explain'], 'pl')).toEqual([]);
    expect(words(['plot'], 'gr')).toEqual(['group-norm']);
    expect(words(['plot'], 'lin')).toEqual([]);
    expect(words(['help'], 'gr')).toEqual(['group-norm', 'grad']);
    expect(words(['completion'], '')).toEqual(['bash', 'zsh', 'fish']);
  });

  test('scanning: flag words, values, the command, plot:<function>', () => {
    expect([isFlagWord('-'), isFlagWord('--'), isFlagWord('-g'), isFlagWord('-1'), isFlagWord('-inf'), isFlagWord('--dim-1'), isFlagWord('--no-nan')]).toEqual([
      false,
      true,
      true,
      false,
      false,
      true,
      true,
    ]);
    // '-' (standard input) is a positional argument: the next one is a binding
    expect(words(['grad', '-'], 'x=', ['a'])).toEqual(['x=a']);
    expect(scan(theModel(), ['--format', 'json', 'softmax', '--reduction', 'sum', '1']).roles).toEqual([
      { role: 'flag', flag: '--format' },
      { role: 'value', flag: '--format' },
      { role: 'command' },
      { role: 'flag', flag: '--reduction' },
      { role: 'value', flag: '--reduction' },
      { role: 'positional', index: 0 },
    ]);
    expect(scan(theModel(), ['plot', 'gelu']).state).toEqual({ command: 'plot', key: 'plot:gelu', positionals: 1, optionsEnded: false });
    expect(scan(theModel(), []).state).toEqual({ key: '', positionals: 0, optionsEnded: false });
    expect(words([], '--fo')).toEqual(['--format']);
    // a flag without a value does not take the next word
    expect(words(['--json'], 'softm')).toEqual(['softmax', 'softmin']);
    expect(words(['plot', 'gelu'], '--appr')).toEqual(['--approximate']);
    // plot's function is its first argument only
    expect(words(['plot', 'gelu', '1'], '--appr')).toEqual(['--approximate']);
    // an alias or a snake_case spelling stands for its command
    expect(canonical(theModel(), 'mse-loss')).toBe('mse');
    expect(canonical(theModel(), 'mse_loss')).toBe('mse');
    expect(canonical(theModel(), 'frobnicate')).toBe('frobnicate');
    expect(words(['mse-loss', '--reduction'], '')).toEqual(['mean', 'sum', 'none']);
    expect(words(['leaky_relu'], '--neg')).toEqual(['--negative-slope']);
  });

  test('--flag=value only for a flag word, before --, and not as the value of another flag', () => {
    expect(words(['mse', '--target'], '--reduction=s')).toEqual([]);
    expect(words(['mse', '--'], '--reduction=')).toEqual([]);
    expect(words(['mse'], '--reduction=')).toEqual(['--reduction=mean', '--reduction=sum', '--reduction=none']);
    // a binding's name=: the REPL's names after it
    expect(words(['grad', 'x*y'], 'x=', ['a', 'b'])).toEqual(['x=a', 'x=b']);
    expect(words(['grad', 'x*y'], 'xy=', ['a'])).toEqual(['xy=a']);
    expect(completionContext(theModel(), ['grad', 'x*y'], '2x=')).toEqual({ words: [], files: false, prefix: '', typed: '2x=', kind: 'bindings' });
    expect(words(['grad', 'x*y'], '')).toEqual([]);
    // a choice flag's choices, not files
    expect(completionContext(theModel(), ['mse', '--reduction'], '')).toMatchObject({ files: false, words: ['mean', 'sum', 'none'] });
    // where numbers go, nothing without the REPL's names
    expect(words(['relu'], '')).toEqual([]);
  });
});

describe('what the shells complete and describe', () => {
  test('bash: plot of a function that adds no flag, unknown commands, per-command values', () => {
    const cases = [
      ['plot', 'relu', '--svg', ''],
      ['plot', 'relu', '--color', ''],
      ['plot', 'relu', '--svg', '=', 'x'],
      ['functions', ''],
      ['shells', ''],
      ['-5', '-'],
      // --format's choices differ by command
      ['explain', '--format', ''],
      ['list', '--format', ''],
    ];
    const program = [
      `source ${shq(script('bash'))}`,
      `c() { COMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _actgrad; local IFS=' '; printf '%s\\n' "\${COMPREPLY[*]}"; }`,
      ...cases.map((w) => `c actgrad ${w.map(shq).join(' ')}`),
    ].join('\n');
    const replies = shell('bash', program, files).map((l) => l.split(' ').filter(Boolean).sort());
    expect(replies).toEqual([
      ['x.txt', 'xs/', 'y.txt'],
      ['always', 'auto', 'never'],
      ['x.txt', 'xs/'],
      [],
      [],
      [],
      ['json', 'latex', 'markdown', 'plain', 'table'],
      ['markdown'],
    ]);
    // the model agrees
    expect(words(['plot', 'relu', '--color'], '')).toEqual(['auto', 'always', 'never']);
    expect(words(['functions'], '')).toEqual([]);
    expect(words(['-5'], '-')).toEqual([]);
  });

  const DESCRIBED = ['--svg', '--width', '--rows', '--precision', 'mse-loss', 'mse_loss', 'mse', 'grad', '--weight', '--target', '--reduction'];
  const DESCRIPTIONS = [
    "write a standalone SVG file instead of printing a chart ('-': standard output)",
    "chart width in columns (default: the terminal's, 80 when not a terminal); SVG width in pixels",
    'table rows shown before the middle is elided',
    'significant digits',
    '= mse',
    '= mse',
    'mean squared error (x - t)²',
    'differentiate an expression: every partial derivative, the Jacobian, the Hessian, at given values',
    '',
    '',
    'how the losses are combined: mean, sum, or none (one loss per element or row)',
  ];

  (has('zsh') ? test : test.skip)('zsh: the descriptions beside the candidates', () => {
    const program = [`source ${shq(script('zsh'))} 2>/dev/null`, ...DESCRIBED.map((w) => `k=${shq(w)}; print -r -- "\${_actgrad_description[$k]}"`)].join('\n');
    const got = shell('zsh', program);
    expect(got).toEqual(DESCRIPTIONS.slice(0, 7).concat(got[7], DESCRIPTIONS.slice(8)));
    expect(got[7]).toBe(theModel().commands.find((c) => c.name === 'grad')!.description);
  });

  (has('fish') ? test : test.skip)('fish: descriptions, flags and values, as the model has them', () => {
    const cases = [
      ['mse_loss', '--red'], // the snake_case spelling's flags (fish lists them before filtering)
      ['mse-loss', '--reduction', ''],
      ['plot', 'relu', '--svg', 'x'],
      ['plot', 'relu', '--color', ''],
      ['plot', 'gelu', '--'],
      ['functions', ''],
    ];
    const program = [
      `source ${shq(script('fish'))}`,
      ...DESCRIBED.map((w) => `echo (__actgrad_describe ${fishq(w)})`),
      ...cases.map(([...w]) => `__actgrad_candidates ${[w[w.length - 1], ...w.slice(0, -1)].map(fishq).join(' ')}; echo "$__actgrad_files|$__actgrad_prefix|$__actgrad_words"`),
    ].join('\n');
    const got = shell('fish', program);
    const described = got.slice(0, DESCRIBED.length);
    expect(described).toEqual(DESCRIPTIONS.slice(0, 7).concat(described[7], DESCRIPTIONS.slice(8)));
    expect(described[7]).toBe(theModel().commands.find((c) => c.name === 'grad')!.description);
    expect(got.slice(DESCRIBED.length)).toEqual([
      `0||${flagsOf(theModel(), 'mse')
        .flatMap((f) => f.names)
        .join(' ')}`,
      '0||mean sum none',
      '1||',
      '0||auto always never',
      `0||${flagsOf(theModel(), 'plot:gelu')
        .flatMap((f) => f.names)
        .join(' ')}`,
      '0||',
    ]);
  });
});

describe("the bash and zsh tables' shared runs of flags", () => {
  test('each run is shared by at least 3 commands, endings last and beginnings first, and every list expands to the model', () => {
    const m = theModel();
    const text = completionScript('bash', buildProgram);
    const runs = [...text.matchAll(/^_actgrad_run(\d+)=/gm)].map((r) => Number(r[1]));
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs).toEqual(runs.map((_, i) => i));
    // the arms of _actgrad_flags: keys → tokens
    const body = text.slice(text.indexOf('_actgrad_flags() {'), text.indexOf('_actgrad_values() {'));
    const arms = [...body.matchAll(/^ {4}(.+?)\) REPLY="(.*)" ;;$/gm)].map((a) => ({ keys: [...a[1].matchAll(/'([^']*)'/g)].map((k) => k[1]), tokens: a[2].split(' ').filter(Boolean) }));
    const armOf = (key: string) => arms.find((a) => a.keys.includes(key))!;
    for (const i of runs) {
      const name = `$_actgrad_run${i}`;
      const users = arms.filter((a) => a.tokens.includes(name)).flatMap((a) => a.keys.filter((k) => k !== 'plot:'));
      expect({ run: i, shared: users.length >= 3 }).toEqual({ run: i, shared: true });
      for (const a of arms.filter((a) => a.tokens.includes(name))) {
        // the first run is the common ending; the others are beginnings
        expect({ run: i, keys: a.keys, at: a.tokens.indexOf(name) }).toEqual({ run: i, keys: a.keys, at: i === 0 ? a.tokens.length - 1 : 0 });
      }
    }
    // little more than a function's own parameters besides the runs
    const own = (key: string) => armOf(key).tokens.filter((t) => !t.startsWith('$_actgrad_run'));
    expect(own('relu')).toEqual([]);
    expect(own('gelu')).toEqual(['--approximate']);
    expect(own('softplus')).toEqual(['--beta', '--threshold']);
    expect(own('mse')).toEqual(['--target', '--reduction']);
    expect(own('plot:gelu')).toEqual(['--approximate']);
    // every key's list, expanded by bash, is the model's
    const keys = ['', ...m.commands.filter((c) => c.flags.length).map((c) => c.name), ...Object.keys(m.plotFlags).map((f) => `plot:${f}`), 'plot:relu'];
    const program = [`source ${shq(script('bash'))}`, ...keys.map((k) => `_actgrad_flags ${shq(k)}; printf '%s\\n' "$REPLY"`)].join('\n');
    const lists = shell('bash', program);
    keys.forEach((key, i) => expect({ key, flags: lists[i] }).toEqual({ key, flags: flagsOf(m, key).flatMap((f) => f.names).join(' ') }));
  });
});

describe("the scripts' header", () => {
  test('the number of functions, and how to load the script in each shell', () => {
    const functions = registry.length;
    const head = (s: 'bash' | 'zsh' | 'fish') => completionScript(s, buildProgram).split('\n').slice(0, 6).join('\n');
    expect(head('bash')).toContain(`# bash completion for actgrad `);
    expect(head('bash')).toContain(`: commands, ${functions} functions with their aliases and flags,`);
    expect(head('bash')).toContain('# Load it in this shell:  source <(actgrad completion bash)\n# or for every session:   actgrad completion bash > ~/.local/share/bash-completion/completions/actgrad');
    expect(head('zsh')).toContain(`: commands, ${functions} functions with their aliases and flags,`);
    expect(head('zsh')).toContain(
      '# Load it in this shell (after compinit):  source <(actgrad completion zsh)\n# or for every session: actgrad completion zsh > "${fpath[1]}/_actgrad"  (a directory in $fpath)',
    );
    expect(head('fish')).toContain('# Load it in this shell:  actgrad completion fish | source\n# or for every session:   actgrad completion fish > ~/.config/fish/completions/actgrad.fish');
    expect(head('fish')).toContain('# values of enumerated flags. Generated from actgrad\'s registry by `actgrad completion fish`: regenerate it after an upgrade.');
  });
});
