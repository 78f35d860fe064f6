/**
 * plain: only the numbers of the last requested quantity, separated by spaces, one line per row;
 * blocks of a higher-rank result separated by a blank line. A column in (one number per line on
 * standard input) is a column out. It is exactly what actgrad reads back, so commands chain.
 */
import { type FunctionResult, type GradResult, lastQuantity } from '../result';
import type { Tensor } from '../tensor';
import { formatNumber } from './format';

/**
 * Writes a tensor as plain text in pieces of about 64K numbers, so that a large result is never
 * one huge string. `column`: a vector is written one number per line.
 */
export function writePlain(t: Tensor, precision: number | undefined, write: (text: string) => void, column = false): void {
  if (t.shape.length === 0) {
    write(`${formatNumber(t.data[0], precision)}\n`);
    return;
  }
  const n = column && t.shape.length === 1 ? 1 : t.shape[t.shape.length - 1];
  const rowsPerBlock = t.shape.length >= 2 ? t.shape[t.shape.length - 2] : Infinity;
  let pending: string[] = [];
  let count = 0;
  const parts = new Array<string>(n);
  for (let start = 0, row = 0; start < t.data.length; start += n, row++) {
    if (row > 0 && t.shape.length >= 3 && row % rowsPerBlock === 0) pending.push('\n');
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

export function plainText(t: Tensor, precision?: number, column = false): string {
  const out: string[] = [];
  writePlain(t, precision, (s) => out.push(s), column);
  return out.join('');
}

export function functionPlain(r: FunctionResult, precision: number | undefined, write: (s: string) => void, column: boolean): void {
  const q = lastQuantity(r);
  // A column in is a column out, for the quantities aligned with the input.
  const aligned = q === 'value' ? r.value.shape.length === r.input.shape.length : q === 'grad' || q === 'hvp';
  writePlain(r[q]!, precision, write, column && aligned);
}

/** The last requested quantity of `grad`: the Hessian, the Jacobians, the gradients; "# name" heads each block when there are several. */
export function gradPlain(r: GradResult, precision?: number): string {
  if (r.hvp) return plainText(r.hvp, precision);
  if (r.hessian) return plainText(r.hessian.matrix, precision);
  const blocks = r.jacobians ?? r.grads;
  if (!blocks) return plainText(r.value, precision);
  if (blocks.length === 1) return plainText(blocks[0][1], precision);
  return blocks.map(([name, t]) => `# ${name}\n${plainText(t, precision)}`).join('');
}
