/**
 * The output of the large renderers (plain, csv, tsv and json as they stream; the terminal table),
 * assembled as UTF-8 bytes in a buffer and handed on a megabyte at a time: as bytes where the
 * caller takes them (the CLI's stdout), else as text. Each number's or cell's text is copied in
 * as it is made, with no string per line: building lines by concatenation, flattening them, and
 * the round trip of large strings to bytes cost more than formatting the numbers did.
 */

import { POWERS_OF_TEN } from '../math';

/** Where bytes may go instead of text; they are valid only during the call. */
export type WriteBytes = (bytes: Uint8Array) => void;

const BYTES = 1 << 20;
/** The buffer's first size: most outputs are small, and a fresh megabyte costs its filling (page faults). */
const FIRST_BYTES = 1 << 14;

/** A number's digits, least significant first (shortDecimal's scratch). */
const DIGITS = new Uint8Array(24);

export class ByteWriter {
  /** Filled with spaces where nothing was written: skip(n) leaves n spaces. */
  private buffer = Buffer.alloc(FIRST_BYTES, 32);
  private pos = 0;

  constructor(
    private readonly write: (text: string) => void,
    private readonly bytes?: WriteBytes,
  ) {}

  /** Room for at least n more bytes (the most the next line or cell can take). */
  reserve(n: number): void {
    if (this.pos + n <= this.buffer.length) return;
    if (this.buffer.length < BYTES) {
      // Grow (fourfold, up to a megabyte) rather than hand on a small piece.
      const bigger = Buffer.alloc(Math.max(Math.min(BYTES, this.buffer.length * 4), this.pos + n), 32);
      this.buffer.copy(bigger, 0, 0, this.pos);
      this.buffer = bigger;
      return;
    }
    this.flush();
    if (n > this.buffer.length) this.buffer = Buffer.alloc(n, 32);
  }

  /** ASCII text, within the room reserved. */
  text(s: string): void {
    const b = this.buffer;
    let pos = this.pos;
    for (let i = 0; i < s.length; i++) b[pos++] = s.charCodeAt(i);
    this.pos = pos;
  }

  /** One ASCII character by its code, within the room reserved. */
  char(code: number): void {
    this.buffer[this.pos++] = code;
  }

  /** n spaces, within the room reserved. */
  skip(n: number): void {
    this.pos += n;
  }

  /** Bytes as they are (UTF-8 made once, a border character), within the room reserved. */
  raw(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) this.buffer[this.pos++] = bytes[i];
  }

  /** s[start, end) as UTF-8, within the room reserved (3 bytes per UTF-16 unit at most). */
  substring(s: string, start: number, end: number): void {
    const b = this.buffer;
    let pos = this.pos;
    for (let i = start; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) b[pos++] = c;
      else if (c < 0x800) {
        b[pos++] = 0xc0 | (c >> 6);
        b[pos++] = 0x80 | (c & 63);
      } else if ((c & 0xfc00) === 0xd800 && i + 1 < end && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        const p = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
        b[pos++] = 0xf0 | (p >> 18);
        b[pos++] = 0x80 | ((p >> 12) & 63);
        b[pos++] = 0x80 | ((p >> 6) & 63);
        b[pos++] = 0x80 | (p & 63);
      } else {
        // A lone surrogate is U+FFFD, as Buffer.from writes it.
        const u = (c & 0xf800) === 0xd800 ? 0xfffd : c;
        b[pos++] = 0xe0 | (u >> 12);
        b[pos++] = 0x80 | ((u >> 6) & 63);
        b[pos++] = 0x80 | (u & 63);
      }
    }
    this.pos = pos;
  }

  /**
   * x written as String(x) writes it, when x is a decimal of at most 15 significant digits in
   * [1e-6, 1e15) (an input as typed: -2.5, 0.001, 42): true then, else false and nothing written.
   * Such a decimal is the only one of at most 15 digits that rounds to x (DBL_DIG), so it is the
   * shortest that reads back as x, which is what String(x) gives; m / 10^f === x checks that it
   * reads back, m and 10^f being exact. Within the room reserved (at most 24 bytes).
   */
  shortDecimal(x: number): boolean {
    const a = x < 0 ? -x : x;
    if (!(a >= 1e-6 && a < 1e15)) return false;
    for (let f = 0; f <= 21; f++) {
      const scaled = a * POWERS_OF_TEN[f];
      if (scaled >= 1e15) return false;
      const m = Math.round(scaled);
      if (m / POWERS_OF_TEN[f] !== a) continue;
      let n = 0;
      for (let r = m; r > 0; r = (r - (r % 10)) / 10) DIGITS[n++] = 48 + (r % 10);
      const b = this.buffer;
      let pos = this.pos;
      if (x < 0) b[pos++] = 45;
      if (f >= n) {
        b[pos++] = 48;
        b[pos++] = 46;
        for (let i = n; i < f; i++) b[pos++] = 48;
        for (let i = n - 1; i >= 0; i--) b[pos++] = DIGITS[i];
      } else {
        for (let i = n - 1; i >= 0; i--) {
          b[pos++] = DIGITS[i];
          if (i === f && f > 0) b[pos++] = 46;
        }
      }
      this.pos = pos;
      return true;
    }
    return false;
  }

  /** Any text, its room reserved here. */
  any(s: string): void {
    this.reserve(3 * s.length);
    this.substring(s, 0, s.length);
  }

  flush(): void {
    if (this.pos === 0) return;
    const used = this.buffer.subarray(0, this.pos);
    if (this.bytes) this.bytes(used);
    else this.write(used.toString('utf8'));
    used.fill(32);
    this.pos = 0;
  }
}

/**
 * A count written as decimal digits that are kept and incremented in place: the row index of a
 * long table costs no number-to-string conversion per row.
 */
export class DecimalCounter {
  /** The digits, most significant first, right-aligned in a buffer of 20 (2^64 has 20 digits). */
  private readonly digits = new Uint8Array(20);
  private start = 20;

  constructor(value: number) {
    const text = String(value);
    this.start = 20 - text.length;
    for (let i = 0; i < text.length; i++) this.digits[this.start + i] = text.charCodeAt(i);
  }

  /** Writes the count, within the room reserved. */
  writeTo(out: ByteWriter): void {
    for (let i = this.start; i < 20; i++) out.char(this.digits[i]);
  }

  increment(): void {
    let i = 19;
    while (i >= this.start && this.digits[i] === 57 /* 9 */) this.digits[i--] = 48;
    if (i >= this.start) this.digits[i]++;
    else this.digits[--this.start] = 49; // 99 → 100
  }
}

/** The most characters a number takes in any text format ("-2.2250738585072014e-308"). */
export const NUMBER_CHARS = 24;
