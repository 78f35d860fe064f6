/**
 * plain: only the numbers of one quantity, separated by spaces, one line per row; blocks of a
 * three-dimensional result (one Jacobian per row of a batch) are separated by a blank line.
 * It is exactly what actgrad reads back, so results can be piped into the next command.
 */
import type { Tensor } from '../tensor';
import { formatNumber } from './numbers';

/** Writes the plain text in pieces of about 64K numbers, so a large result is never one huge string. */
export function writePlain(t: Tensor, precision: number | undefined, write: (text: string) => void): void {
  if (t.shape.length === 0) {
    write(`${formatNumber(t.data[0], precision)}\n`);
    return;
  }
  const n = t.shape[t.shape.length - 1];
  const rowsPerBlock = t.shape.length >= 2 ? t.shape[t.shape.length - 2] : 1;
  let pending: string[] = [];
  let count = 0;
  const parts = new Array<string>(n);
  for (let start = 0, row = 0; start < t.data.length; start += n, row++) {
    if (row > 0 && row % rowsPerBlock === 0 && t.shape.length >= 3) pending.push('\n');
    for (let j = 0; j < n; j++) parts[j] = formatNumber(t.data[start + j], precision);
    pending.push(`${parts.join(' ')}\n`);
    count += n;
    if (count >= 65536) {
      write(pending.join(''));
      pending = [];
      count = 0;
    }
  }
  if (pending.length) write(pending.join(''));
}

export function formatPlain(t: Tensor, precision?: number): string {
  const out: string[] = [];
  writePlain(t, precision, (s) => out.push(s));
  return out.join('');
}
