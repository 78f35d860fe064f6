/** The --expect verdict as cli-table3 tables (loaded only for the table format). */
import chalk from 'chalk';
import Table from 'cli-table3';
import { type CheckOutput, gradcheckLines, verdictSummary } from './check';
import { formatNumber, formatShort } from './numbers';

export function formatCheckTable(c: CheckOutput, opts: { color: boolean; precision?: number }): string {
  const ink = new chalk.Instance({ level: opts.color ? 1 : 0 });
  const precision = opts.precision ?? 6;
  const parts: string[] = [];
  for (const v of c.verdicts) {
    const hasIndex = v.numbers.some((n) => n.index.length > 0);
    const head = [...(hasIndex ? ['index'] : []), 'expected', 'actual', 'difference', ''].map((h) => ink.bold.cyan(h));
    const t = new Table({ head, style: { head: [], border: [], compact: true } });
    for (const n of v.numbers) {
      const mark = n.match ? ink.green('✓') : ink.red('✗');
      t.push([...(hasIndex ? [ink.dim(n.index.join(','))] : []), n.text, formatNumber(n.actual, precision), formatShort(n.difference), mark]);
    }
    const summary = v.match ? ink.green(verdictSummary(v)) : ink.red(verdictSummary(v));
    parts.push([ink.bold(`check of the ${v.quantity}`), t.toString(), summary, ...(v.hint ? [ink.yellow(`hint: ${v.hint}`)] : [])].join('\n'));
  }
  for (const g of c.gradchecks) {
    const lines = gradcheckLines(g);
    const last = lines.pop()!;
    parts.push([...lines, g.pass ? ink.green(last) : ink.red(last)].join('\n'));
  }
  return `${parts.join('\n\n')}\n`;
}
