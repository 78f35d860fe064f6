/** The --expect verdict as cli-table3 tables (loaded only for the table format). */
import chalk from 'chalk';
import Table from 'cli-table3';
import { asciiText } from './ascii';
import { type CheckOutput, gradcheckLines, verdictSummary } from './check';
import { formatNumber, formatShort } from './format';
import { ASCII_CHARS } from './grid';

const identity = (s: string): string => s;

/**
 * `unicode: false` (a locale that is not UTF-8): ASCII borders, and each cell and line spelled in
 * ASCII before the table is laid out (so that the columns keep their widths).
 */
export function formatCheckTable(c: CheckOutput, opts: { color: boolean; precision?: number; rows?: number; unicode?: boolean }): string {
  const ink = new chalk.Instance({ level: opts.color ? 1 : 0 });
  const text = opts.unicode === false ? asciiText : identity;
  const precision = opts.precision ?? 6;
  const parts: string[] = [];
  for (const v of c.verdicts) {
    const summary = v.match ? ink.green(text(verdictSummary(v, precision))) : ink.red(text(verdictSummary(v, precision)));
    const hint = v.hint ? [ink.yellow(text(`hint: ${v.hint}`))] : [];
    if (v.formula) {
      parts.push([ink.bold(`check of the ${v.quantity}`), text(`formula: ${v.formula.text}`), summary, ...hint].join('\n'));
      continue;
    }
    const hasIndex = v.numbers.some((n) => n.index.length > 0);
    const head = [...(hasIndex ? ['index'] : []), 'expected', 'actual', 'difference', ''].map((h) => ink.bold.cyan(h));
    const t = new Table({ head, style: { head: [], border: [], compact: true }, ...(opts.unicode === false ? { chars: ASCII_CHARS } : {}) });
    for (const n of v.numbers) {
      const mark = n.match ? ink.green(text('✓')) : ink.red(text('✗'));
      t.push([...(hasIndex ? [ink.dim(n.index.join(','))] : []), text(n.text), formatNumber(n.actual, precision), formatShort(n.difference), mark]);
    }
    parts.push([ink.bold(`check of the ${v.quantity}`), t.toString(), summary, ...hint].join('\n'));
  }
  for (const g of c.gradchecks) {
    const lines = gradcheckLines(g, opts.rows ?? 40).map(text);
    const last = lines.pop()!;
    parts.push([...lines, g.pass ? ink.green(last) : ink.red(last)].join('\n'));
  }
  return `${parts.join('\n\n')}\n`;
}
