/**
 * plain: only the numbers of one quantity, separated by spaces, one line per row; blocks of a
 * three-dimensional result (one Jacobian per row of a batch) are separated by a blank line.
 * It is exactly what actgrad reads back, so results can be piped into the next command.
 */
import type { Tensor } from '../tensor';
import { formatNumber } from './numbers';

export function formatPlain(t: Tensor, precision?: number): string {
  const fmt = (i: number): string => formatNumber(t.data[i], precision);
  if (t.shape.length === 0) return `${fmt(0)}\n`;
  const n = t.shape[t.shape.length - 1];
  const rowsPerBlock = t.shape.length >= 2 ? t.shape[t.shape.length - 2] : 1;
  const lines: string[] = [];
  for (let start = 0, row = 0; start < t.data.length; start += n, row++) {
    if (row > 0 && row % rowsPerBlock === 0 && t.shape.length >= 3) lines.push('');
    const parts = new Array<string>(n);
    for (let j = 0; j < n; j++) parts[j] = fmt(start + j);
    lines.push(parts.join(' '));
  }
  return `${lines.join('\n')}\n`;
}
