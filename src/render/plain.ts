/**
 * plain: only the numbers of the last requested quantity, separated by spaces, one line per row;
 * blocks of a higher-rank result separated by a blank line. A column in (one number per line on
 * standard input) is a column out. It is exactly what actgrad reads back, so commands chain.
 */
import { type FunctionResult, type GradResult, lastQuantity } from '../result';
import type { Tensor } from '../tensor';
import { formatNumber } from './format';
import type { ResultSink, StreamMeta } from './stream';
import { ByteWriter, NUMBER_CHARS, type WriteBytes } from './stream-text';

/**
 * Writes a tensor as plain text through `out`, which hands it on in pieces of about a megabyte,
 * so that a large result is never one huge string. `column`: a vector is written one number per
 * line; `blankFirst`: a blank line before (between the blocks of pieces).
 */
export function writePlain(t: Tensor, precision: number | undefined, out: ByteWriter, column = false, blankFirst = false): void {
  if (blankFirst) {
    out.reserve(1);
    out.char(10);
  }
  if (t.shape.length === 0) {
    out.any(`${formatNumber(t.data[0], precision)}\n`);
    return;
  }
  const n = column && t.shape.length === 1 ? 1 : t.shape[t.shape.length - 1];
  const rowsPerBlock = t.shape.length >= 2 ? t.shape[t.shape.length - 2] : Infinity;
  for (let start = 0, row = 0; start < t.data.length && n > 0; start += n, row++) {
    if (row > 0 && t.shape.length >= 3 && row % rowsPerBlock === 0) {
      out.reserve(1);
      out.char(10);
    }
    for (let j = 0; j < n; j++) {
      out.reserve(NUMBER_CHARS + 1);
      out.text(formatNumber(t.data[start + j], precision));
      out.char(j === n - 1 ? 10 : 32);
    }
  }
}

export function plainText(t: Tensor, precision?: number, column = false): string {
  const out: string[] = [];
  const writer = new ByteWriter((s) => out.push(s));
  writePlain(t, precision, writer, column);
  writer.flush();
  return out.join('');
}

/**
 * How plain output lays out the last requested quantity: a column when the input was one (for the
 * quantities with the input's shape), and one number per line when each row of a batch gives one
 * number (logsumexp, norm, a loss per row): a row in is a row out, so `paste` pairs them.
 */
function plainLayout(r: FunctionResult, t: Tensor, column: boolean): boolean {
  const q = lastQuantity(r);
  const rank = r.input.shape.length;
  if (q === 'value' || q === 'jvp') {
    if (t.shape.length === rank) return column;
    return rank === 2 && t.shape.length === 1 && t.shape[0] === r.input.shape[0];
  }
  return column && (q === 'grad' || q === 'hvp');
}

/**
 * plain as a stream: each piece's rows as they come. The blocks of a batch's Jacobians are
 * separated by a blank line across pieces too.
 */
export class PlainSink implements ResultSink {
  private column = false;
  private pieces = 0;
  /** One buffer for all the pieces (a megabyte, filled as it is made). */
  private readonly out: ByteWriter;

  constructor(
    private readonly precision: number | undefined,
    write: (text: string) => void,
    bytes?: WriteBytes,
  ) {
    this.out = new ByteWriter(write, bytes);
  }

  begin(meta: StreamMeta): void {
    this.column = meta.column;
  }

  chunk(r: FunctionResult): void {
    const t = r[lastQuantity(r)]!;
    const separate = this.pieces++ > 0 && t.shape.length >= 3;
    writePlain(t, this.precision, this.out, plainLayout(r, t, this.column), separate);
    this.out.flush();
  }

  end(): void {}

  abort(): void {}
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
