/** The --expect verdict as cli-table3 tables (loaded only for the table format). */
import chalk from 'chalk';
import Table from 'cli-table3';
import { type CheckOutput, gradcheckLines, verdictSummary } from './check';
import { formatNumber, formatShort } from './format';

export function formatCheckTable(c: CheckOutput, opts: { color: boolean; precision?: number; rows?: number }): string {
  const ink = new chalk.Instance({ level: opts.color ? 1 : 0 });
  const precision = opts.precision ?? 6;
  const parts: string[] = [];
  for (const v of c.verdicts) {
    const summary = v.match ? ink.green(verdictSummary(v, precision)) : ink.red(verdictSummary(v, precision));
    const hint = v.hint ? [ink.yellow(`hint: ${v.hint}`)] : [];
    if (v.formula) {
      parts.push([ink.bold(`check of the ${v.quantity}`), `formula: ${v.formula.text}`, summary, ...hint].join('\n'));
      continue;
    }
    const hasIndex = v.numbers.some((n) => n.index.length > 0);
    const head = [...(hasIndex ? ['index'] : []), 'expected', 'actual', 'difference', ''].map((h) => ink.bold.cyan(h));
    const t = new Table({ head, style: { head: [], border: [], compact: true } });
    for (const n of v.numbers) {
      const mark = n.match ? ink.green('✓') : ink.red('✗');
      t.push([...(hasIndex ? [ink.dim(n.index.join(','))] : []), n.text, formatNumber(n.actual, precision), formatShort(n.difference), mark]);
    }
    parts.push([ink.bold(`check of the ${v.quantity}`), t.toString(), summary, ...hint].join('\n'));
  }
  for (const g of c.gradchecks) {
    const lines = gradcheckLines(g, opts.rows ?? 40);
    const last = lines.pop()!;
    parts.push([...lines, g.pass ? ink.green(last) : ink.red(last)].join('\n'));
  }
  return `${parts.join('\n\n')}\n`;
}
