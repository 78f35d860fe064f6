/**
 * table (and markdown): a heading line, then each grid of the result. Loaded only for these
 * formats, so plain/json/csv runs never pay for cli-table3 or chalk.
 */
import chalk from 'chalk';
import type { FunctionResult, GradResult, ParamShown } from '../result';
import { type Grid, renderGrid } from './grid';
import { renderMarkdown } from './markdown';
import { functionGrids, gradGrids } from './sections';

export interface TableOptions {
  color: boolean;
  precision?: number;
  rows: number;
  width: number;
  unicode: boolean;
}

const paramText = (v: ParamShown): string =>
  v === null ? 'None' : typeof v === 'object' && 'data' in v ? `[${Array.from(v.data).join(', ')}]` : Array.isArray(v) ? `(${v.join(', ')})` : String(v);

export function describeCall(r: FunctionResult): string {
  const params = Object.entries(r.params)
    .filter(([k]) => k !== 'target')
    .map(([k, v]) => `${k}=${paramText(v)}`)
    .join(', ');
  return `${r.fn.name}${params ? ` (${params})` : ''}  ≙  ${r.fn.torch}`;
}

export function renderTables(heading: string, grids: Grid[], o: TableOptions): string {
  const ink = new chalk.Instance({ level: o.color ? 1 : 0 });
  const options = { width: o.width, maxRows: o.rows, precision: o.precision ?? 6, color: o.color, unicode: o.unicode };
  return [ink.dim(heading), ...grids.map((g) => renderGrid(g, options).trimEnd())].join('\n\n') + '\n';
}

export function markdownTables(heading: string, grids: Grid[], precision?: number): string {
  return [heading, ...grids.map((g) => renderMarkdown(g, { precision: precision ?? 6 }).trimEnd())].join('\n\n') + '\n';
}

export function resultGrids(r: FunctionResult | GradResult): { heading: string; grids: Grid[] } {
  if (r.kind === 'function') return { heading: describeCall(r), grids: functionGrids(r) };
  return { heading: `grad of ${r.expression}`, grids: gradGrids(r) };
}
