/**
 * Elementwise functions on standard input, plain output: each chunk is parsed, computed and
 * written as it arrives, so a million numbers are never held as text, tokens and results at once.
 * The output is exactly what the whole-input path prints (one line per row; one line in all for
 * one number per line).
 */
import { elementDerivative, elementValue } from '../functions/apply';
import type { ElementwiseFn, Params } from '../functions/types';
import { formatNumber } from '../output/numbers';
import { RowReader } from '../parse/rows';
import { inputFromStdin, type IO, NO_INPUT } from './common';

/** Returns false when the input is not standard input (the caller then computes as usual). */
export function streamElementwise(d: ElementwiseFn, p: Params, numbers: string[], grad: boolean, precision: number | undefined, io: IO): boolean {
  if (!inputFromStdin(numbers, io)) return false;
  let out: string[] = [];
  let pending = 0;
  let column = false; // one number per line: the results form one line
  const flush = (): void => {
    if (out.length) io.stdout(out.join(''));
    out = [];
    pending = 0;
  };
  const reader = new RowReader('standard input', (row, length) => {
    const oneColumn = reader.rowWidth === 1;
    let line = '';
    for (let i = 0; i < length; i++) {
      const x = row[i];
      const y = elementValue(d, x, p);
      const v = grad ? elementDerivative(d, x, y, p) : y;
      line += (i > 0 || (oneColumn && column) ? ' ' : '') + formatNumber(v, precision);
    }
    if (oneColumn) column = true;
    out.push(oneColumn ? line : `${line}\n`);
    if (++pending >= 4096) flush();
  });
  const push = (chunk: string): void => {
    reader.push(chunk);
    flush();
  };
  if (io.readStdinChunks) io.readStdinChunks(push);
  else push(io.readStdin());
  reader.end(NO_INPUT);
  if (column) out.push('\n');
  flush();
  return true;
}
