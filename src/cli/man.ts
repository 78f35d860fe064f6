/**
 * The man page, actgrad(1), in roff: written to man/actgrad.1 by scripts/man.js at build time.
 * Every list in it — the commands and their options, the functions grouped by kind with their
 * aliases, parameters and defaults, the options of every function — is generated from the
 * registry, flags.ts and the commander program, so it cannot drift from what actgrad accepts; the
 * prose around the lists (the number syntax, exit status, environment) is the contract's.
 */
import type { Command, Option } from 'commander';
import { KIND_TITLES } from '../commands/explain';
import { flagArgs } from '../functions/args';
import { registry } from '../functions/registry';
import type { Descriptor, Kind } from '../functions/types';
import type { BuildProgram } from './complete-data';
import { argOptions, CHECK_OPTIONS, functionOptions, type OptionSpec, OUTPUT_OPTIONS } from './flags';
import type { IO } from './io';
import { HISTORY_SIZE } from './repl';

/**
 * Text for roff: a backslash is \e, '-' is \- (so that a flag copied from the page is an ASCII
 * hyphen-minus), anything beyond ASCII is a \[uXXXX] escape (groff and mandoc both read it, and
 * neither warns), and a line may not start with '.' or "'" (a request) — \& guards it.
 */
export function roff(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\e';
    else if (ch === '-') out += '\\-';
    else if (cp > 0x7e) out += `\\[u${cp.toString(16).toUpperCase().padStart(4, '0')}]`;
    else out += ch;
  }
  return out.replace(/^([.'])/gm, '\\&$1');
}

const bold = (s: string): string => `\\fB${roff(s)}\\fR`;
const italic = (s: string): string => `\\fI${roff(s)}\\fR`;

/** Hand-written text: **bold** parts (commands, flags, values as typed), the rest roman. */
const prose = (text: string): string =>
  text
    .split('**')
    .map((part, i) => (i % 2 ? bold(part) : roff(part)))
    .join('');

/**
 * A description as a sentence: a capital (when it starts with a plain word: not `y.backward`, `dy`
 * nor a flag) and a full stop.
 */
function sentence(s: string): string {
  const t = s.trim().replace(/^([a-z]{3,})(?=[ ,:])/, (w) => w[0].toUpperCase() + w.slice(1));
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** "-g, --grad", "--target <numbers>" → bold flags, italic value. */
function flagTerm(flags: string): string {
  const m = /^(.*?)(?: <([^>]+)>)?$/.exec(flags)!;
  const names = m[1].split(', ').map(bold).join(', ');
  return m[2] ? `${names} ${italic(m[2])}` : names;
}

/** One option as a tagged paragraph; choices listed when commander has them. */
function optionItem(flags: string, description: string, choices?: readonly string[]): string[] {
  const text = choices?.length ? `${sentence(description)} One of: ${choices.join(', ')}.` : sentence(description);
  return ['.TP', flagTerm(flags), roff(text)];
}

const fromOption = (o: Option): string[] => optionItem(o.flags, o.description, o.argChoices);
const fromSpec = (s: OptionSpec): string[] => optionItem(s.flags, s.description, s.choices);

/** A command's arguments as the synopsis writes them: <x> italic, [x...] in brackets. */
function argumentsText(cmd: Command): string {
  return cmd.registeredArguments
    .map((a) => {
      const name = `${italic(a.name())}${a.variadic ? ' ...' : ''}`;
      return a.required ? name : `[${name}]`;
    })
    .join(' ');
}

const SILENT: IO = { stdout: () => {}, stderr: () => {}, stdoutIsTTY: false, stdinIsTTY: true, readStdin: () => '', env: {} };

/** The options every function has (the derivative, output and check options), each with the kinds it serves. */
function functionWideOptions(): { spec: OptionSpec; kinds: Kind[] }[][] {
  const runnable = registry.filter((d) => d.kind !== 'call');
  const own = (d: Descriptor): Set<string> => new Set(flagArgs(d).flatMap(argOptions).map((s) => s.flags));
  const byDescription = new Map<string, { spec: OptionSpec; kinds: Kind[] }>();
  const order: string[] = [];
  for (const d of runnable) {
    const mine = own(d);
    for (const spec of functionOptions(d).filter((s) => !mine.has(s.flags))) {
      const key = `${spec.flags}\u0000${spec.description}`;
      if (!byDescription.has(key)) {
        byDescription.set(key, { spec, kinds: [] });
        order.push(key);
      }
      const entry = byDescription.get(key)!;
      if (!entry.kinds.includes(d.kind)) entry.kinds.push(d.kind);
    }
  }
  const entries = order.map((k) => byDescription.get(k)!);
  const output = new Set(OUTPUT_OPTIONS.map((s) => s.flags));
  const check = new Set(CHECK_OPTIONS.map((s) => s.flags));
  return [
    entries.filter((e) => !output.has(e.spec.flags) && !check.has(e.spec.flags)),
    entries.filter((e) => output.has(e.spec.flags)),
    entries.filter((e) => check.has(e.spec.flags)),
  ];
}

/** Kinds as a phrase: "elementwise functions", "losses and layers". */
function kindsPhrase(kinds: readonly Kind[]): string {
  const titles = kinds.map((k) => KIND_TITLES[k].replace(/\s*\(.*\)$/, ''));
  return titles.length === 1 ? titles[0] : `${titles.slice(0, -1).join(', ')} and ${titles[titles.length - 1]}`;
}

function functionEntry(d: Descriptor, aliases: readonly string[]): string[] {
  const lines = ['.TP', bold(d.name)];
  // A capital, unless the summary starts with a one-letter variable (x·tanh(…), p-norm): x and X differ.
  const summary = /^[a-z]{2}/.test(d.summary) ? d.summary[0].toUpperCase() + d.summary.slice(1) : d.summary;
  const body = [sentence(summary)];
  if (aliases.length) body.push(`Also ${aliases.join(', ')}.`);
  lines.push(roff(body.join(' ')), '.br', `PyTorch: ${roff(d.torch)}`, '.br', `Example: ${bold(`actgrad ${d.example}`)}`);
  const params = flagArgs(d).flatMap(argOptions);
  if (params.length) lines.push('.RS', ...params.flatMap(fromSpec), '.RE');
  return lines;
}

const NUMBERS = [
  'Numbers are given as separate arguments (negative numbers need no **--**), or in one argument separated by commas or blanks, brackets optional: **"2,1,0.1"**, **"[2, 1, 0.1]"**. A matrix (a batch of rows) has its rows separated by **;** or nested brackets: **"1 2 3; 4 5 6"**, **"[[1,2],[3,4]]"**; higher-rank tensors nest brackets to any depth. **inf**, **-inf** and **nan** (in any case), exponents (**1e-3**) and the Unicode minus sign − are accepted; an empty field (**1,,2**) is an input error.',
  '.PP',
  'With no numbers and standard input not a terminal, or with **-**, the numbers are read from standard input, one row per line; one number per line is a vector. **@FILE** reads numbers from a file, in the same syntax, wherever numbers are taken: the input, **--target**, **--grad-output**, **--weight**, **--expect**, and the bindings of **grad** (**x=@x.txt**).',
];

/** Examples: each runs as shown (__tests__/cli/man.test.ts runs them). */
export const EXAMPLES: readonly [string, string][] = [
  ['softmax 2 1 0.1 --jacobian', 'The softmax of three numbers and its Jacobian.'],
  ['sigmoid 0 1 -2 --grad --order 2', 'The second derivative of the sigmoid at three points.'],
  ['cross-entropy "2 1 0.1" --target 0 --grad --json', 'A loss and its gradient with respect to the logits, as JSON.'],
  ['grad "F.mse_loss(x*w + b, y)" x=1 w=2 b=0 y=1', 'Reverse-mode autograd on PyTorch code: the value and the gradient for each name.'],
  ['sigmoid 0.5 --grad --expect 0.235', 'Checks an answer worked out by hand: exit status 0 when it matches to the digits written.'],
  ['plot gelu --svg gelu.svg', 'GELU and its derivative as an SVG chart.'],
];

const ENVIRONMENT: readonly [string, string][] = [
  ['NO_COLOR', 'When set (to anything but the empty string), no colour, unless **--color always**.'],
  ['FORCE_COLOR', 'When set to anything but 0, colour even when standard output is not a terminal (as **--color always**).'],
  ['TERM', '**TERM=dumb** turns colour off.'],
  ['LANG, LC_ALL', 'Without UTF-8 in the locale, tables are drawn with ASCII characters instead of box-drawing ones.'],
  ['XDG_STATE_HOME', 'The REPL keeps its history in $XDG_STATE_HOME/actgrad/history (when set to an absolute path).'],
  ['HOME', 'Otherwise the history is in ~/.local/state/actgrad/history.'],
];

/** The page, from the registry, flags.ts and the commander program that `build` makes (program.ts's buildProgram). */
export function manPage(build: BuildProgram): string {
  const pkg = require('../../package.json') as { version: string; description: string };
  const program = build(SILENT);
  const help = program.createHelp();
  const functionNames = new Set(registry.map((d) => d.name));
  const commands = help.visibleCommands(program).filter((c) => !functionNames.has(c.name()));
  const aliases = new Map(program.commands.map((c) => [c.name(), c.aliases().filter((a) => !a.includes('_'))]));
  const [computing, output, checking] = functionWideOptions();
  const allKinds = [...new Set(registry.filter((d) => d.kind !== 'call').map((d) => d.kind))];
  const optionItems = (group: { spec: OptionSpec; kinds: Kind[] }[]): string[] =>
    [...new Set(group.map((e) => e.spec.flags))].flatMap((flags) => {
      const meanings = group.filter((e) => e.spec.flags === flags);
      const { spec, kinds } = meanings[0];
      if (meanings.length === 1) {
        // An option for some kinds only (--order) says which.
        const only = kinds.length < allKinds.length ? ` (${kindsPhrase(kinds)} only)` : '';
        return optionItem(flags, `${sentence(spec.description).slice(0, -1)}${only}`, spec.choices);
      }
      // An option whose meaning depends on the kind (--grad): each meaning with its kinds.
      const body = meanings.flatMap((m, i) => [...(i ? ['.br'] : []), roff(`For ${kindsPhrase(m.kinds)}: ${m.spec.description.replace(/\.?$/, '.')}`)]);
      return ['.TP', flagTerm(flags), ...body];
    });

  const lines: string[] = [
    `.\\" Generated from actgrad's registry by scripts/man.js (npm run build) from src/cli/man.ts; do not edit.`,
    `.TH ACTGRAD 1 "" "actgrad ${pkg.version}" "User Commands"`,
    // No hyphenation and a ragged right: the page is full of code (size_average=None) and flags.
    '.nh',
    '.ad l',
    '.SH NAME',
    `actgrad \\- ${roff(pkg.description.replace(/^Command-line calculator/, 'calculator'))}`,
    '.SH SYNOPSIS',
    `.B actgrad`,
    `${italic('function')} [${italic('numbers')} ...] [${italic('options')}]`,
    ...commands.flatMap((c) => {
      const rest = `${help.visibleOptions(c).length > 1 ? `[${italic('options')}] ` : ''}${argumentsText(c)}`.trim();
      // An empty line would be a paragraph break.
      return ['.br', `.B actgrad ${roff(c.name())}`, ...(rest ? [rest] : [])];
    }),
    '.br',
    '.B actgrad',
    '.SH DESCRIPTION',
    roff(sentence(program.description())),
    prose(
      'Each function is computed as PyTorch computes it: its value, its derivative of any order, gradient, Jacobian, Hessian, Hessian-vector and Jacobian-vector products, exactly (no finite differences) and with PyTorch\'s backward formulas, so that composed gradients agree with PyTorch\'s.',
    ),
    '.PP',
    prose(
      "Names are PyTorch's torch.nn.functional names in kebab-case; snake_case and PyTorch's long loss names are accepted too. Parameter flags are the kebab-case of PyTorch's keyword names, with PyTorch's defaults. Options may stand before the function name (**actgrad --json softmax 1 2**).",
    ),
    '.PP',
    prose(
      'With no arguments on a terminal (or as **actgrad repl**), actgrad is an interactive calculator: it reads command lines without the leading **actgrad**, prints results as on the command line, and keeps going after an error. **z = 2 1 0.1** binds a name that later lines use where numbers go (**softmax z**); a bound name that a **grad** formula reads is bound in it too. Tab completes commands, functions, flags and bound names; **help** explains the rest; **exit** or Ctrl-D leaves. With no arguments and not on a terminal, actgrad prints a short usage and exits with status 2.',
    ),
    '.SH COMMANDS',
    ...commands.flatMap((c) => {
      const options = help.visibleOptions(c).filter((o) => o.long !== '--help');
      const body = roff(sentence(c.description()));
      const items = options.filter((o) => !OUTPUT_OPTIONS.some((s) => s.flags === o.flags) && !CHECK_OPTIONS.some((s) => s.flags === o.flags));
      const shared = options.length - items.length;
      return [
        '.TP',
        `${bold(c.name())} ${argumentsText(c)}`.trim(),
        body,
        ...(c.name() === 'plot' ? [prose("The plotted function's parameter flags are accepted too; a loss takes **--target**.")] : []),
        ...(shared ? [prose(`Also ${options.filter((o) => !items.includes(o)).map((o) => `**${o.long}**`).join(', ')}, under OPTIONS.`)] : []),
        ...(items.length ? ['.RS', ...items.flatMap(fromOption), '.RE'] : []),
      ];
    }),
    '.SH FUNCTIONS',
    prose(
      "Each function below is a command, **actgrad** NAME [numbers ...] [options], with its own parameter flags (listed under it, with PyTorch's defaults) and the options under OPTIONS. **actgrad explain** NAME shows the formulas of value and derivative and the conventions at kinks; **actgrad list** lists them all.",
    ),
    ...(Object.keys(KIND_TITLES) as Kind[]).flatMap((kind) => {
      const members = registry.filter((d) => d.kind === kind);
      if (!members.length) return [];
      const title = KIND_TITLES[kind];
      return [`.SS ${roff(title[0].toUpperCase() + title.slice(1))}`, ...members.flatMap((d) => functionEntry(d, aliases.get(d.name) ?? (d.aliases ?? []).filter((a) => !a.includes('_'))))];
    }),
    '.SH OPTIONS',
    '.SS What is computed',
    prose('Without one of these, the value. Every function takes them, whatever its parameters:'),
    ...optionItems(computing),
    '.SS Output',
    ...optionItems(output),
    '.SS Checking answers',
    ...optionItems(checking),
    '.SH NUMBERS',
    ...NUMBERS.map((p) => (p.startsWith('.') ? p : prose(p))),
    '.SH EXIT STATUS',
    '.TP',
    '.B 0',
    'Success.',
    '.TP',
    '.B 1',
    prose('A check failed (**--expect**, **--gradcheck**).'),
    '.TP',
    '.B 2',
    roff('A usage or input error: one line on standard error names what to fix.'),
    '.SH ENVIRONMENT',
    ...ENVIRONMENT.flatMap(([name, text]) => ['.TP', bold(name), prose(text)]),
    '.SH FILES',
    '.TP',
    bold('$XDG_STATE_HOME/actgrad/history'),
    prose(`The REPL's history, one line per entry (**~/.local/state/actgrad/history** when XDG_STATE_HOME is not set); the last ${HISTORY_SIZE} lines are kept.`),
    '.SH EXAMPLES',
    ...EXAMPLES.flatMap(([command, text]) => ['.TP', bold(`actgrad ${command}`), roff(text)]),
    '.SH SEE ALSO',
    prose('**actgrad explain** NAME, **actgrad list**; the README; the PyTorch documentation of torch.nn.functional, https://pytorch.org/docs/stable/nn.functional.html.'),
  ];
  return `${lines.join('\n')}\n`;
}
