/**
 * Shell completion: the scripts are sourced in their shell and their functions called, and each
 * answer is compared with complete-data.ts's (the REPL's), which is the algorithm they copy.
 * bash is required; zsh and fish are checked when they are installed (a message says when not).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { complete, completionContext, completionModel } from '../../src/cli/complete-data';
import { completionScript } from '../../src/cli/completion';
import type { IO } from '../../src/cli/io';
import { buildProgram } from '../../src/cli/program';
import { run } from '../../src/cli/run';
import { UsageError } from '../../src/errors';
import { namesOf, registry } from '../../src/functions/registry';
import { FORMATS } from '../../src/render/index';
import { perTest } from '../helpers/per-test';
import { tempDir } from '../helpers/temp';

// The model and the scripts are made in each test that uses them (helpers/per-test.ts).
const dir = tempDir('actgrad-completion-');
const theModel = perTest(() => completionModel(buildProgram));
/** The path of each shell's script, written anew in each test that asks for it. */
const scripts = Object.fromEntries(
  (['bash', 'zsh', 'fish'] as const).map((shell) => [
    shell,
    perTest(() => {
      const file = join(dir, `actgrad.${shell}`);
      writeFileSync(file, completionScript(shell, buildProgram));
      return file;
    }),
  ]),
) as Record<'bash' | 'zsh' | 'fish', () => string>;
// A directory to complete file names in.
const files = join(dir, 'files');
mkdirSync(join(files, 'xs'), { recursive: true });
writeFileSync(join(files, 'x.txt'), '1 2\n');
writeFileSync(join(files, 'y.txt'), '3\n');

const runnable = registry.filter((d) => d.kind !== 'call');
const has = (shell: string): boolean => spawnSync(shell, ['-c', 'exit 0']).status === 0;
const shq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const SEP = '\u001f';

/**
 * COMPREPLY for each case: COMP_WORDS as bash makes them (it splits at '=' and '@', which are in
 * COMP_WORDBREAKS), the last word being the one under the cursor. One bash for all the cases.
 */
function bash(cases: readonly (readonly string[])[], cwd = dir): string[][] {
  const program = [
    `source ${shq(scripts.bash())}`,
    `c() { COMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _actgrad; local IFS=$'${SEP}'; printf '%s\\n' "\${COMPREPLY[*]}"; }`,
    ...cases.map((words) => `c actgrad ${words.map(shq).join(' ')}`),
  ].join('\n');
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', program], { cwd, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  const lines = r.stdout.split('\n').slice(0, cases.length);
  return lines.map((l) => (l === '' ? [] : l.split(SEP)));
}

/** What the model's own algorithm answers: the candidates, with bash's '@' kept in the word. */
const expected = (words: readonly string[]): string[] => complete(theModel(), words.slice(0, -1), words[words.length - 1]).words;

describe('bash: the function, called with COMP_WORDS as bash sets them', () => {
  // One bash for all the cases (each test writes the script anew, and a mutation run repeats every
  // test that covers a mutant of the script: one test instead of 29 saves seconds per mutant).
  test('the candidates for each of these words', () => {
    const cases: [string[], string[]][] = [
      [['softm'], ['softmax', 'softmin']],
      [['cross-entropy', '--red'], ['--reduction']],
      [['mse', '--reduction', ''], ['mean', 'sum', 'none']],
      [['mse-loss', '1', '--reduction', 's'], ['sum']],
      [['kl-div', '--reduction', ''], ['mean', 'sum', 'none', 'batchmean']],
      [['explain', 'gel'], ['gelu']],
      [['gelu', '--approximate', ''], ['none', 'tanh']],
      [['completion', ''], ['bash', 'zsh', 'fish']],
      [['softmax', '1', '--color', ''], ['auto', 'always', 'never']],
      [['--format', ''], [...FORMATS]],
      // options before the command: skipped, with their values
      [['--format', 'json', 'softm'], ['softmax', 'softmin']],
      [['--json', 'cross-entropy', '--label'], ['--label-smoothing']],
      // snake_case spellings once an underscore is typed; aliases from the first letter
      [['leaky'], ['leaky-relu']],
      [['leaky_'], ['leaky_relu']],
      [['binary-cross'], ['binary-cross-entropy', 'binary-cross-entropy-with-logits']],
      [['mse_loss', '--red'], ['--reduction']],
      // a negative number is data, not a flag
      [['relu', '-1', '--gr'], ['--grad', '--grad-output', '--gradcheck']],
      [['relu', '-1'], []],
      // numbers go here: nothing to offer
      [['mse', '--target', ''], []],
      [['softmax', ''], []],
      // plot takes the plotted function's flags
      [['plot', 'gelu', '--appr'], ['--approximate']],
      [['plot', 'relu', '--appr'], []],
      [['plot', 'gelu', '--approximate', 't'], ['tanh']],
      [['plot', 'softm'], ['softmax', 'softmin']],
      // --flag=value: bash splits it into --flag, =, value; readline replaces the part after '='
      [['mse', '--reduction', '=', ''], ['mean', 'sum', 'none']],
      [['mse', '--reduction', '=', 'me'], ['mean']],
      [['--format', '=', 'c'], ['csv']],
      // after --, every word is an argument
      [['relu', '--', '--gr'], []],
      // an unknown command: nothing
      [['frobnicate', '--'], []],
    ];
    const replies = bash(cases.map(([words]) => words));
    cases.forEach(([words, candidates], i) => expect({ words, reply: replies[i].sort() }).toEqual({ words, reply: [...candidates].sort() }));
  });

  test('the commands and every function, with aliases, before the command', () => {
    const [reply] = bash([['']]);
    for (const d of runnable) for (const n of [d.name, ...(d.aliases ?? [])]) expect(reply).toContain(n);
    for (const c of ['grad', 'plot', 'list', 'explain', 'completion', 'repl', 'help']) expect(reply).toContain(c);
    // expression-only functions are not commands; snake_case spellings wait for an underscore
    expect(reply).not.toContain('linear');
    expect(reply.some((w) => w.includes('_'))).toBe(false);
  });

  test('explain and help complete every function (explain also the expression-only ones)', () => {
    const [explain, help] = bash([['explain', ''], ['help', '']]);
    for (const d of registry) expect(explain).toContain(d.name);
    for (const d of runnable) expect(help).toContain(d.name);
    expect(help).toContain('grad');
  });

  test('file names after @ (anywhere numbers go) and for --svg and --graph', () => {
    const [input, target, binding, svg, svgEquals, dirOnly] = bash(
      [
        ['relu', '@', ''],
        ['mse', '1', '--target', '@', 'x'],
        ['grad', 'x*y', 'x', '=@', ''],
        ['plot', 'gelu', '--svg', ''],
        ['plot', 'gelu', '--svg', '=', 'x'],
        ['relu', '@', 'xs'],
      ],
      files,
    );
    // readline keeps the '@' in the word it replaces (one of its special prefixes)
    expect(input.sort()).toEqual(['@x.txt', '@xs/', '@y.txt']);
    expect(target.sort()).toEqual(['@x.txt', '@xs/']);
    expect(binding.sort()).toEqual(['@x.txt', '@xs/', '@y.txt']);
    expect(svg.sort()).toEqual(['x.txt', 'xs/', 'y.txt']);
    expect(svgEquals.sort()).toEqual(['x.txt', 'xs/']);
    expect(dirOnly).toEqual(['@xs/']);
  });

  test('agrees with the model for every function: its flags, and the values of its enumerated flags', () => {
    const cases: string[][] = [];
    for (const d of runnable) {
      for (const name of namesOf(d)) cases.push([name, '--']);
      const flags = theModel().commands.find((c) => c.name === d.name)!.flags;
      for (const f of flags.filter((f) => f.value === 'choice')) cases.push([d.name, '1', f.names[0], '']);
      cases.push(['plot', d.name, '--']);
    }
    for (const c of theModel().commands.filter((m) => m.group === 'command')) cases.push([c.name, '--'], [c.name, '']);
    const replies = bash(cases);
    cases.forEach((words, i) => expect({ words, reply: replies[i] }).toEqual({ words, reply: expected(words) }));
    expect(cases.length).toBeGreaterThan(3 * runnable.length);
  });
});

/** The cases the zsh and fish functions are compared on (their pure candidate functions). */
const CROSS_CASES: string[][] = [
  [''],
  ['softm'],
  ['leaky_'],
  ['cross-entropy', '--red'],
  ['mse', '--reduction', ''],
  ['kl-div', '--reduction', ''],
  ['mse', '--reduction=me'],
  ['explain', 'gel'],
  ['explain', ''],
  ['plot', 'gelu', '--'],
  ['plot', 'relu', '--'],
  ['completion', ''],
  ['help', ''],
  ['--format', 'json', 'softm'],
  ['--format', ''],
  ['relu', '-1', '--'],
  ['relu', '-'],
  ['relu', '@x'],
  ['mse', '--target', '@x'],
  ['mse', '--target=@x'],
  ['grad', 'x*w', 'x=@x'],
  ['grad', 'x*w', 'x='],
  ['plot', 'gelu', '--svg', 'g'],
  ['plot', 'gelu', '--svg=g'],
  ['relu', '--', '--gr'],
  ['softmax', ''],
  ...runnable.map((d) => [d.name, '--']),
];

/** The model's context as the shell functions report it: files?|prefix|words without the prefix. */
function modelContext(words: readonly string[]): string {
  const c = completionContext(theModel(), words.slice(0, -1), words[words.length - 1]);
  return `${c.files ? 1 : 0}|${c.prefix}|${c.words.map((w) => w.slice(c.prefix.length)).join(' ')}`;
}

function viaShell(shell: 'zsh' | 'fish', cases: readonly (readonly string[])[]): string[] {
  const call = (words: readonly string[]): string => {
    const [cur, ...before] = [words[words.length - 1], ...words.slice(0, -1)];
    return shell === 'zsh'
      ? `_actgrad_candidates ${[cur, ...before].map(shq).join(' ')}; print -r -- "$_actgrad_files|$_actgrad_prefix|$_actgrad_words"`
      : `__actgrad_candidates ${[cur, ...before].map((w) => `'${w.replace(/[\\']/g, '\\$&')}'`).join(' ')}; echo "$__actgrad_files|$__actgrad_prefix|$__actgrad_words"`;
  };
  const program = [shell === 'zsh' ? `source ${shq(scripts.zsh())} 2>/dev/null` : `source ${shq(scripts.fish())}`, ...cases.map(call)].join('\n');
  const r = spawnSync(shell, shell === 'zsh' ? ['-f', '-c', program] : ['--no-config', '-c', program], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').slice(0, cases.length);
}

describe.each(['zsh', 'fish'] as const)('%s', (shell) => {
  const installed = has(shell);
  if (!installed) {
    test.skip(`${shell} is not installed: its script is not checked here`, () => {});
    return;
  }
  test('the script is valid syntax', () => {
    const r = spawnSync(shell, shell === 'zsh' ? ['-n', scripts.zsh()] : ['-n', scripts.fish()], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
  if (shell === 'fish') {
    test('complete -C: what fish offers on the command line, descriptions included', () => {
      const ask = (line: string): string[] => {
        const r = spawnSync('fish', ['--no-config', '-c', `source ${shq(scripts.fish())}; complete -C ${shq(line)}`], { cwd: files, encoding: 'utf8' });
        expect(r.stderr).toBe('');
        return r.stdout.split('\n').filter(Boolean);
      };
      expect(ask('actgrad softm')).toEqual(['softmax', 'softmin'].map((n) => `${n}\t${registry.find((d) => d.name === n)!.summary}`));
      expect(ask('actgrad mse --reduction=').sort()).toEqual(['--reduction=mean', '--reduction=none', '--reduction=sum']);
      expect(ask('actgrad relu @x').map((l) => l.split('\t')[0])).toEqual(['@x.txt', '@xs/']);
      expect(ask('actgrad explain gel').map((l) => l.split('\t')[0])).toEqual(['gelu']);
    });
  }
  test("its candidates agree with the model's", () => {
    const replies = viaShell(shell, CROSS_CASES);
    CROSS_CASES.forEach((words, i) => expect({ words, reply: replies[i] }).toEqual({ words, reply: modelContext(words) }));
  });
});

describe('the scripts', () => {
  test.each(['bash', 'zsh', 'fish'] as const)('%s: every function and alias, the commands and the enumerated values are in it', (shell) => {
    const text = completionScript(shell, buildProgram);
    for (const d of registry) for (const n of namesOf(d)) expect(text).toContain(n);
    for (const v of [...FORMATS, 'batchmean', 'always', 'tanh', 'completion', 'explain']) expect(text).toContain(v);
  });

  test.each(['bash', 'zsh', 'fish'] as const)('%s: a static table — Tab never starts actgrad (or node)', (shell) => {
    const code = completionScript(shell, buildProgram)
      .split('\n')
      .filter((l) => !/^\s*#/.test(l));
    expect(code.filter((l) => /[($]\(?\s*(actgrad|node)\b|`\s*(actgrad|node)/.test(l))).toEqual([]);
    // and small: a few tens of kilobytes
    expect(code.join('\n').length).toBeLessThan(64 * 1024);
  });

  test('bash -n accepts it', () => {
    const r = spawnSync('bash', ['-n', scripts.bash()], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  test('an unknown shell is a usage error naming the three', () => {
    expect(() => completionScript('tcsh', buildProgram)).toThrow(UsageError);
    expect(() => completionScript('tcsh', buildProgram)).toThrow('no completion for the shell "tcsh"; actgrad completion takes bash, zsh or fish');
  });

  test('actgrad completion <shell> prints it; a wrong shell is one line on stderr, exit 2', () => {
    let stdout = '';
    let stderr = '';
    const io: IO = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), stdoutIsTTY: false, stdinIsTTY: true, readStdin: () => '', env: {} };
    expect(run(['completion', 'bash'], io)).toBe(0);
    expect(stdout).toBe(completionScript('bash', buildProgram));
    stdout = '';
    expect(run(['completion', 'powershell'], io)).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('actgrad: error: no completion for the shell "powershell"; actgrad completion takes bash, zsh or fish\n');
  });
});
