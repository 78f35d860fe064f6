/** `list`, `explain` and the README's table of functions, all generated from the registry. */
import type { Builtin, Spelling } from '../expr/builtins';
import { flagArgs, flagOf } from '../functions/args';
import { type ArgSpec, type Descriptor, type Kind, namesOf } from '../functions/types';

/** The whole registry, loaded for list and the README only: explain needs just its function. */
const registry = (): readonly Descriptor[] => (require('../functions/registry') as typeof import('../functions/registry')).registry;


const defaultText = (spec: ArgSpec): string =>
  spec.default === undefined ? 'required' : spec.default === null ? 'none' : Array.isArray(spec.default) ? spec.default.join(',') : String(spec.default);

function paramSummary(spec: ArgSpec): string {
  return spec.default === undefined ? `${flagOf(spec.name)} (required)` : `${flagOf(spec.name)} ${defaultText(spec)}`;
}

/** The groups of `list`, `--help` and the README, in order. */
export const KIND_TITLES: Record<Kind, string> = {
  elementwise: 'elementwise functions',
  vector: 'vector functions (each row)',
  loss: 'losses (--target required)',
  layer: 'layers',
  call: 'expression-only functions (several tensor inputs; actgrad grad)',
};

const KIND_DESCRIPTIONS: Record<Kind, string> = {
  elementwise: 'elementwise function',
  vector: 'vector function (each row on its own)',
  loss: 'loss',
  layer: 'layer (one input tensor; parameters as flags)',
  call: 'expression-only function (several tensor inputs: use it in actgrad grad)',
};

export function listObject(): unknown[] {
  return registry().map((d) => ({
    name: d.name,
    kind: d.kind,
    aliases: namesOf(d).filter((n) => n !== d.name),
    summary: d.summary,
    torch: d.torch,
    params: flagArgs(d).map((s) => ({
      name: s.name,
      flag: flagOf(s.name),
      type: s.type,
      ...(s.default === undefined ? { required: true } : { default: s.default }),
      ...(s.choices ? { choices: s.choices } : {}),
    })),
  }));
}

export function listText(color: boolean): string {
  const bold = (s: string): string => (color ? `\u001b[1m${s}\u001b[22m` : s);
  const width = Math.max(...registry().map((d) => d.name.length));
  const lines: string[] = [];
  for (const kind of Object.keys(KIND_TITLES) as Kind[]) {
    const members = registry().filter((x) => x.kind === kind);
    if (!members.length) continue;
    lines.push(bold(KIND_TITLES[kind]));
    for (const d of members) {
      const params = flagArgs(d).map(paramSummary).join(', ');
      lines.push(`  ${d.name.padEnd(width)}  ${d.summary}${params ? `  [${params}]` : ''}`);
    }
    lines.push('');
  }
  lines.push(builtinsListText(color));
  lines.push('actgrad explain <name> shows formulas, defaults and conventions at kinks.');
  return `${lines.join('\n')}\n`;
}

export function explainText(d: Descriptor): string {
  const params = flagArgs(d);
  const lines = [
    `${d.name}: ${d.summary}`,
    `  kind        ${KIND_DESCRIPTIONS[d.kind]}`,
    `  PyTorch     ${d.torch}`,
    `  value       ${d.formula.value}`,
    `  derivative  ${d.formula.derivative}`,
    `  at kinks    ${d.kinks}`,
    `  parameters${params.length ? '' : '  none'}`,
    // An expression-only function's parameters are keywords of the call, not flags.
    ...params.map((s) => `    ${(d.kind === 'call' ? `${s.name}=` : flagOf(s.name)).padEnd(18)} ${s.doc} (${s.default === undefined ? 'required' : `default: ${defaultText(s)}`}${s.choices ? `; one of ${s.choices.join(', ')}` : ''})`),
    `  names       ${namesOf(d).join(', ')}`,
    `  example     actgrad ${d.example}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** The README's table of functions (between its <!-- functions --> markers). */
export function functionsMarkdown(): string {
  const rows = registry().map((d) => {
    const params = flagArgs(d).map((s) => `\`${paramSummary(s)}\``).join(', ') || '—';
    return `| \`${d.name}\` | ${d.kind} | ${d.summary.replace(/\|/g, '\\|')} | ${params} | \`${d.torch.replace(/\|/g, '\\|')}\` |`;
  });
  return ['| function | kind | computes | parameters (default) | PyTorch |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

// ---------------------------------------------------------------------------------------------
// The built-ins of the expression language (src/expr/builtins.ts's table), beside the registry
// ---------------------------------------------------------------------------------------------

const builtins = (): typeof import('../expr/builtins') => require('../expr/builtins') as typeof import('../expr/builtins');

/** Every way a built-in is written: `torch.exp(input)`, `x.exp()`, `exp(input)`. */
function spellings(b: Builtin): string[] {
  const { signatureOf } = builtins();
  return b.in.map((s: Spelling) => signatureOf(b, s));
}

/** The built-ins called `name` (math.exp and torch.exp are two), each once. */
function builtinsNamed(name: string): Builtin[] {
  return builtins().BUILTINS.filter((b) => b.name === name || (b.aliases ?? []).includes(name));
}

/** Every name of the expression language's built-ins, for suggestions. */
export function builtinNamesAll(): string[] {
  return [...new Set(builtins().BUILTINS.flatMap((b) => [b.name, ...(b.aliases ?? [])]))];
}

/** `actgrad explain exp`: what a built-in of the expression language computes and how it is written. */
export function explainBuiltin(name: string): string | undefined {
  const found = builtinsNamed(name);
  if (!found.length) return undefined;
  const lines = found.flatMap((b) => [
    `${b.name}: ${b.doc}`,
    '  kind        expression built-in (actgrad grad)',
    `  written     ${spellings(b).join(', ')}`,
    ...(b.aliases?.length ? [`  names       ${[b.name, ...b.aliases].join(', ')}`] : []),
  ]);
  return `${lines.join('\n')}\n`;
}

/** The built-ins as `list` shows them: one line each. */
export function builtinsListText(color: boolean): string {
  const bold = (t: string): string => (color ? `\u001b[1m${t}\u001b[22m` : t);
  const all = builtins().BUILTINS;
  const width = Math.max(...all.map((b) => b.name.length));
  const lines = [bold('expression built-ins (actgrad grad; also every function above, by its snake_case name)')];
  for (const b of all) lines.push(`  ${b.name.padEnd(width)}  ${b.doc}  [${spellings(b)[0]}]`);
  return `${lines.join('\n')}\n`;
}

/** The built-ins as `list --json` gives them, after the functions. */
export function builtinsListObject(): unknown[] {
  return builtins().BUILTINS.map((b) => ({ name: b.name, kind: 'builtin', aliases: b.aliases ?? [], summary: b.doc, written: spellings(b) }));
}
