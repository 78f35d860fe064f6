/** `list`, `explain` and the README's table of functions, all generated from the registry. */
import { flagOf } from './cli/options';
import { paramSpecsOf } from './functions/apply';
import { namesOf, registry } from './functions/registry';
import type { Descriptor, ParamSpec } from './functions/types';
import { stringifyJson } from './output/json';

function paramSummary(spec: ParamSpec): string {
  if (spec.required) return `${flagOf(spec.name)} (required)`;
  const def = spec.default === null ? 'none' : String(spec.default);
  return `${flagOf(spec.name)} ${def}`;
}

const paramsOf = (d: Descriptor): ParamSpec[] => paramSpecsOf(d);

export function listJson(): string {
  const out = registry.map((d) => ({
    name: d.name,
    kind: d.kind,
    aliases: namesOf(d).filter((n) => n !== d.name),
    summary: d.summary,
    torch: d.torch,
    params: paramsOf(d).map((s) => ({
      name: s.name,
      flag: flagOf(s.name),
      type: s.type,
      ...(s.required ? { required: true } : { default: s.default }),
      ...(s.choices ? { choices: s.choices } : {}),
    })),
    ...(d.kind === 'loss' ? { target: d.target } : {}),
  }));
  return `${stringifyJson(out)}\n`;
}

export function listText(color: boolean): string {
  const bold = (s: string): string => (color ? `\u001b[1m${s}\u001b[22m` : s);
  const width = Math.max(...registry.map((d) => d.name.length));
  const lines: string[] = [];
  for (const kind of ['elementwise', 'vector', 'loss'] as const) {
    lines.push(bold(kind === 'loss' ? 'losses (--target required)' : kind === 'vector' ? 'vector functions (each row)' : 'elementwise functions'));
    for (const d of registry.filter((x) => x.kind === kind)) {
      const params = paramsOf(d).map(paramSummary).join(', ');
      lines.push(`  ${d.name.padEnd(width)}  ${d.summary}${params ? `  [${params}]` : ''}`);
    }
    lines.push('');
  }
  lines.push('actgrad explain <function> shows formulas, defaults and conventions at kinks.');
  return `${lines.join('\n')}\n`;
}

export function explainText(d: Descriptor): string {
  const kind = d.kind === 'loss' ? `loss (target: ${d.target === 'same' ? "the input's shape" : d.target === 'class' ? 'class indices' : 'class indices or probabilities'})` : d.kind === 'vector' ? 'vector function (each row on its own)' : 'elementwise function';
  const params = paramsOf(d);
  const lines = [
    `${d.name}: ${d.summary}`,
    `  kind        ${kind}`,
    `  PyTorch     ${d.torch}`,
    `  value       ${d.formula.value}`,
    `  derivative  ${d.formula.derivative}`,
    `  at kinks    ${d.kinks}`,
    `  parameters${params.length ? '' : '  none'}`,
    ...params.map((s) => `    ${flagOf(s.name).padEnd(18)} ${s.doc} (${s.required ? 'required' : `default: ${s.default === null ? 'none' : s.default}`}${s.choices ? `; one of ${s.choices.join(', ')}` : ''})`),
    `  names       ${namesOf(d).join(', ')}`,
    `  example     actgrad ${d.example}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** The README's table of functions (between its <!-- functions --> markers). */
export function functionsMarkdown(): string {
  const rows = registry.map((d) => {
    const params = paramsOf(d).map((s) => `\`${paramSummary(s)}\``).join(', ') || '—';
    return `| \`${d.name}\` | ${d.kind} | ${d.summary.replace(/\|/g, '\\|')} | ${params} | \`${d.torch.replace(/\|/g, '\\|')}\` |`;
  });
  return ['| function | kind | computes | parameters (default) | PyTorch |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}
