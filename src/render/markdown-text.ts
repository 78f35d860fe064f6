/**
 * markdown for what is not a result grid: --expect verdicts and --gradcheck reports, worked
 * solutions, --symbolic derivatives, explain and list — every table a GitHub-flavoured Markdown
 * table (through ./markdown.ts, as the result grids are), the sentences as paragraphs.
 */
import { functionsMarkdown } from '../commands/explain';
import { flagArgs, flagOf } from '../functions/args';
import type { Descriptor } from '../functions/types';
import type { GradResult, Steps } from '../result';
import { type CheckOutput, estimateRows, gradcheckDetails, gradcheckHeading, gradcheckVerdict, verdictSummary } from './check';
import { formatNumber, formatShort } from './format';
import type { Grid } from './grid-model';
import { escapeCell, renderMarkdown } from './markdown';
import { gradientLines, inline, passLines } from './steps';

const textGrid = (title: string, header: string[], rows: string[][]): Grid => ({
  title,
  stub: undefined,
  columns: header.map((h, k) => ({ header: h, kind: 'text' as const, cell: (i: number) => rows[i][k] })),
  rows: rows.length,
});

/** Inline code, with backticks that the text contains fenced by longer runs. */
export function codeSpan(s: string): string {
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${longest ? ' ' : ''}${s}${longest ? ' ' : ''}${fence}`;
}

const paragraph = (s: string): string => `${escapeCell(s).replace(/[*_[\]<>]/g, '\\$&')}\n`;

export function checksMarkdown(c: CheckOutput, precision = 6, rows = 40): string {
  const parts: string[] = [];
  for (const v of c.verdicts) {
    const lines = [`**check of the ${v.quantity}**`, ''];
    if (v.formula) lines.push(`formula: ${codeSpan(v.formula.text)}`, '');
    else {
      const hasIndex = v.numbers.some((n) => n.index.length > 0);
      const header = [...(hasIndex ? ['index'] : []), 'expected', 'actual', 'difference', 'match'];
      const body = v.numbers.map((n) => [...(hasIndex ? [n.index.join(',')] : []), n.text, formatNumber(n.actual, precision), formatShort(n.difference), n.match ? '✓' : '✗']);
      lines.push(renderMarkdown(textGrid('', header, body)).trimEnd(), '');
    }
    lines.push(paragraph(verdictSummary(v, precision)).trimEnd());
    if (v.hint) lines.push('', paragraph(`hint: ${v.hint}`).trimEnd());
    parts.push(lines.join('\n'));
  }
  for (const g of c.gradchecks) {
    const lines = [`**${paragraph(gradcheckHeading(g)).trimEnd()}**`, '', ...gradcheckDetails(g).map((l) => `- ${paragraph(l).trimEnd()}`)];
    if (g.estimates) {
      const { rows: shown, more } = estimateRows(g, rows);
      const body = shown.map((e) => [e.at, formatNumber(e.analytic, precision), formatNumber(e.numeric, precision), formatShort(e.error)]);
      if (more) body.push([`… ${more} more`, '', '', '']);
      lines.push('', renderMarkdown(textGrid('', ['entry', 'analytic', 'numerical', 'difference'], body)).trimEnd());
    }
    lines.push('', paragraph(gradcheckVerdict(g)).trimEnd());
    parts.push(lines.join('\n'));
  }
  return `${parts.join('\n\n')}\n`;
}

export function stepsMarkdown(s: Steps, precision = 6): string {
  const forward = textGrid(
    'forward pass',
    ['node', 'expression', 'operation', 'value'],
    s.forward.map((st) => [st.node, st.op === 'input' ? 'bound' : st.expression, st.op === 'input' ? '' : st.op, inline(st.value, precision)]),
  );
  const passes = passLines(s, precision);
  const backward = textGrid(
    'backward pass',
    ['node', '∂L/∂node', 'passes to its inputs'],
    s.backward.map((st) => [`${st.node} = ${st.op}`, inline(st.grad!, precision), passes.get(st.node)!.join('; ')]),
  );
  return `${renderMarkdown(forward, { precision })}\n${renderMarkdown(backward, { precision })}\n**gradients**\n\n${gradientLines(s, precision)
    .map((l) => `- ${paragraph(l).trimEnd()}`)
    .join('\n')}\n`;
}

/** --symbolic: one row per name, each formula as code (it is PyTorch code). */
export function symbolicMarkdown(r: GradResult): string {
  return renderMarkdown(textGrid('symbolic derivatives', ['', 'formula'], r.symbolic!.map(([n, f]) => [`∂f/∂${n}`, codeSpan(f)])));
}

export function explainMarkdown(d: Descriptor): string {
  const rows: string[][] = [
    ['PyTorch', codeSpan(d.torch)],
    ['kind', d.kind],
    ['value', d.formula.value],
    ['derivative', d.formula.derivative],
    ['at kinks', d.kinks],
    ...flagArgs(d).map((s) => [codeSpan(flagOf(s.name)), `${s.doc} (${s.default === undefined ? 'required' : `default: ${s.default === null ? 'none' : String(s.default)}`})`]),
    ['example', codeSpan(`actgrad ${d.example}`)],
  ];
  return `## ${d.name}\n\n${paragraph(d.summary)}\n${renderMarkdown(textGrid('', ['', ''], rows))}`;
}

export function listMarkdown(): string {
  return `${functionsMarkdown()}\n`;
}
