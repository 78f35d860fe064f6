/** `list`, `explain` and the README's table of functions, all generated from the registry. */
import { flagArgs, flagOf } from '../functions/args';
import { namesOf, registry } from '../functions/registry';
import type { ArgSpec, Descriptor, Kind } from '../functions/types';


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
  return registry.map((d) => ({
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
  const width = Math.max(...registry.map((d) => d.name.length));
  const lines: string[] = [];
  for (const kind of Object.keys(KIND_TITLES) as Kind[]) {
    const members = registry.filter((x) => x.kind === kind);
    if (!members.length) continue;
    lines.push(bold(KIND_TITLES[kind]));
    for (const d of members) {
      const params = flagArgs(d).map(paramSummary).join(', ');
      lines.push(`  ${d.name.padEnd(width)}  ${d.summary}${params ? `  [${params}]` : ''}`);
    }
    lines.push('');
  }
  lines.push('actgrad explain <function> shows formulas, defaults and conventions at kinks.');
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
  const rows = registry.map((d) => {
    const params = flagArgs(d).map((s) => `\`${paramSummary(s)}\``).join(', ') || '—';
    return `| \`${d.name}\` | ${d.kind} | ${d.summary.replace(/\|/g, '\\|')} | ${params} | \`${d.torch.replace(/\|/g, '\\|')}\` |`;
  });
  return ['| function | kind | computes | parameters (default) | PyTorch |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}
