/**
 * table: cli-table3 tables, coloured with chalk when colour is allowed. Loaded only for this
 * format, so plain/json/csv runs never pay for cli-table3 or chalk.
 */
import chalk from 'chalk';
import Table from 'cli-table3';
import type { Result } from '../compute';
import { formatNumber } from './numbers';
import { type Section, sections } from './layout';

export interface TableOptions {
  color: boolean;
  /** significant digits; default 6 */
  precision?: number;
}

function render(section: Section, ink: chalk.Chalk, precision: number): string {
  // cli-table3 colours its borders and heads by default, even when piped: switch that off and
  // colour only through our own chalk instance (level 0 when colour is not allowed).
  const style = { head: [] as string[], border: [] as string[], compact: true };
  const fmt = (x: number): string => {
    const s = formatNumber(x, precision);
    return Number.isFinite(x) ? s : ink.yellow(s);
  };
  const head = (s: string): string => ink.bold.cyan(s);
  if (section.kind === 'columns') {
    const t = new Table({ head: [...section.indexHeaders, ...section.columns.map((c) => c.header)].map(head), style });
    for (let k = 0; k < section.length; k++) {
      t.push([...section.index(k).map((i) => ink.dim(String(i))), ...section.columns.map((c) => fmt(c.data[k]))]);
    }
    return `${ink.bold(section.title)}\n${t.toString()}`;
  }
  const t = new Table({ head: [section.corner, ...section.colLabels].map(head), style });
  const n = section.colLabels.length;
  section.rowLabels.forEach((label, i) => {
    t.push([head(label), ...Array.from(section.data.subarray(i * n, (i + 1) * n), fmt)]);
  });
  return `${ink.bold(section.title)}\n${t.toString()}`;
}

export function describeCall(r: Result): string {
  const params = Object.entries(r.params)
    .map(([k, v]) => `${k}=${v instanceof Float64Array ? `[${Array.from(v).join(', ')}]` : v === null ? 'None' : String(v)}`)
    .join(', ');
  return `${r.fn.name}${params ? ` (${params})` : ''}  ≙  ${r.fn.torch}`;
}

/** A heading line, then each section as a titled table. */
export function renderTables(heading: string, parts: Section[], opts: TableOptions): string {
  const ink = new chalk.Instance({ level: opts.color ? 1 : 0 });
  const precision = opts.precision ?? 6;
  return `${[ink.dim(heading), ...parts.map((s) => render(s, ink, precision))].join('\n\n')}\n`;
}

export function formatTable(r: Result, opts: TableOptions): string {
  return renderTables(describeCall(r), sections(r), opts);
}
