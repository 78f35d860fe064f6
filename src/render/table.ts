/**
 * table (and markdown): a heading line, then each grid of the result. Loaded only for these
 * formats, so plain/json/csv runs never pay for cli-table3 or chalk.
 */
import chalk from 'chalk';
import type { FunctionResult, GradResult, ParamShown } from '../result';
import { asciiText, type Grid, wrapText, writeGrid } from './grid';
import { renderMarkdown } from './markdown';
import { functionGrids, gradGrids } from './sections';
import { ByteWriter, type WriteBytes } from './stream-text';

export interface TableOptions {
  color: boolean;
  precision?: number;
  rows: number;
  width: number;
  unicode: boolean;
}

/** A tensor parameter in the heading: its numbers, or the first and last few of a long one and their count. */
function tensorText(data: Float64Array): string {
  if (data.length <= 8) return `[${Array.from(data).join(', ')}]`;
  return `[${Array.from(data.subarray(0, 3)).join(', ')}, …, ${Array.from(data.subarray(-2)).join(', ')}] (${data.length} numbers)`;
}

const paramText = (v: ParamShown): string =>
  v === null ? 'None' : typeof v === 'object' && 'data' in v ? tensorText(v.data) : Array.isArray(v) ? `(${v.join(', ')})` : String(v);

export function describeCall(r: FunctionResult): string {
  const params = Object.entries(r.params)
    .filter(([k]) => k !== 'target')
    .map(([k, v]) => `${k}=${paramText(v)}`)
    .join(', ');
  return `${r.fn.name}${params ? ` (${params})` : ''}  ≙  ${r.fn.torch}`;
}

/**
 * The heading, then each grid after a blank line, written in pieces (a long table is never one
 * string); as bytes where `bytes` takes them.
 */
export function writeTables(heading: string, grids: Grid[], o: TableOptions, write: (text: string) => void, bytes?: WriteBytes): void {
  const ink = new chalk.Instance({ level: o.color ? 1 : 0 });
  const options = { width: o.width, maxRows: o.rows, precision: o.precision ?? 6, color: o.color, unicode: o.unicode };
  const out = new ByteWriter(write, bytes);
  out.any(`${ink.dim(wrapText(o.unicode ? heading : asciiText(heading), o.width))}\n`);
  for (const g of grids) {
    out.any('\n');
    writeGrid(g, options, out);
  }
  out.flush();
}

export function markdownTables(heading: string, grids: Grid[], precision?: number): string {
  return [heading, ...grids.map((g) => renderMarkdown(g, { precision: precision ?? 6 }).trimEnd())].join('\n\n') + '\n';
}

export function resultGrids(r: FunctionResult | GradResult): { heading: string; grids: Grid[] } {
  if (r.kind === 'function') return { heading: describeCall(r), grids: functionGrids(r) };
  return { heading: `grad of ${r.expression}`, grids: gradGrids(r) };
}
