/**
 * The texts of one column of a table, kept as a few long strings rather than one string each.
 * A long table keeps every cell's text from layout (which needs all of them for the widths) to
 * drawing; hundreds of thousands of small strings that live that long are copied by every
 * young-generation garbage collection until promoted, which made the collector the largest cost
 * of `--rows all`. Joined in batches, each text dies young and the batches are few.
 */
const BATCH = 1024;

export class TextStore {
  /** End of text k within its batch. */
  private readonly ends: Int32Array;
  private readonly batches: string[] = [];
  private pending: string[] = [];
  private count = 0;

  constructor(readonly size: number) {
    this.ends = new Int32Array(size);
  }

  /** Adds the next text (k = 0, 1, … in order). */
  push(s: string): void {
    const k = this.count++;
    this.ends[k] = (k % BATCH === 0 ? 0 : this.ends[k - 1]) + s.length;
    this.pending.push(s);
    if (this.pending.length === BATCH || this.count === this.size) {
      this.batches.push(this.pending.join(''));
      this.pending = [];
    }
  }

  private start(k: number): number {
    return k % BATCH === 0 ? 0 : this.ends[k - 1];
  }

  /** Length of text k in UTF-16 units. */
  length(k: number): number {
    return this.ends[k] - this.start(k);
  }

  get(k: number): string {
    return this.batches[(k / BATCH) | 0].slice(this.start(k), this.ends[k]);
  }

  /** Writes text k to `out` (as UTF-8), without making a string of it. */
  writeTo(k: number, out: { substring(s: string, start: number, end: number): void }): void {
    out.substring(this.batches[(k / BATCH) | 0], this.start(k), this.ends[k]);
  }
}
