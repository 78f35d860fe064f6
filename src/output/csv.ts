/**
 * csv / tsv: a header line, then rows; numbers in shortest round-trip precision. One table: the
 * Jacobian if asked; else the columns aligned with the input (x, target, value, grad); else the
 * last requested quantity on its own.
 */
import { lastQuantity, type Result } from '../compute';
import { delimitedText } from './delimited';
import { jacobianSections, type Section, sections } from './layout';
import { formatNumber } from './numbers';

function body(section: Section, precision?: number): string[][] {
  const fmt = (x: number): string => formatNumber(x, precision);
  if (section.kind === 'columns') {
    const out: string[][] = [];
    for (let k = 0; k < section.length; k++) out.push([...section.index(k).map(String), ...section.columns.map((c) => fmt(c.data[k]))]);
    return out;
  }
  const n = section.colLabels.length;
  return section.rowLabels.map((label, i) => [label, ...Array.from(section.data.subarray(i * n, (i + 1) * n), fmt)]);
}

function header(section: Section): string[] {
  return section.kind === 'columns'
    ? [...section.indexHeaders, ...section.columns.map((c) => c.header)]
    : [section.corner || 'output', ...section.colLabels];
}

export function formatDelimited(r: Result, sep: ',' | '\t', precision?: number): string {
  let table: string[][];
  if (lastQuantity(r) === 'jacobian' && r.jacobian) {
    const blocks = jacobianSections(r.jacobian, r.input, r.value.shape.length === 0);
    const batch = blocks.length > 1;
    table = [[...(batch ? ['row'] : []), ...header(blocks[0])]];
    blocks.forEach((b, i) => {
      for (const row of body(b, precision)) table.push([...(batch ? [String(i)] : []), ...row]);
    });
  } else {
    const parts = sections({ ...r, jacobian: undefined });
    const pick = lastQuantity(r) === 'grad' && parts.length > 1 ? parts[1] : parts[0];
    table = [header(pick), ...body(pick, precision)];
  }
  return delimitedText(table, sep);
}
