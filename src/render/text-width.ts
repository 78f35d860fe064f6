/**
 * Terminal columns taken by a string without escape codes (headers, labels, text cells).
 * cli-table3 measures with string-width, which builds an emoji regular expression per call: too
 * slow per cell, and not a dependency of ours. Labels here are ASCII, Greek, mathematical signs
 * (∂, Σ, ≙, ′) and now and then CJK, so this counts code points, skipping combining marks and
 * zero-width characters and counting East Asian wide characters and emoji as 2.
 */
export function textWidth(s: string): number {
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c >= 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return s.length;
  let width = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (c < 0x20 || (c >= 0x7f && c < 0xa0)) continue; // control characters
    if (isZeroWidth(c)) continue;
    width += isWide(c) ? 2 : 1;
  }
  return width;
}

function isZeroWidth(c: number): boolean {
  return (
    (c >= 0x0300 && c <= 0x036f) || // combining diacritical marks
    (c >= 0x1ab0 && c <= 0x1aff) ||
    (c >= 0x1dc0 && c <= 0x1dff) ||
    (c >= 0x200b && c <= 0x200f) || // zero-width space, joiners, direction marks
    (c >= 0x20d0 && c <= 0x20ff) || // combining marks for symbols
    (c >= 0xfe00 && c <= 0xfe0f) || // variation selectors
    (c >= 0xfe20 && c <= 0xfe2f)
  );
}

function isWide(c: number): boolean {
  return (
    (c >= 0x1100 && c <= 0x115f) ||
    (c >= 0x2e80 && c <= 0x303e) ||
    (c >= 0x3041 && c <= 0x33ff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0xa000 && c <= 0xa4cf) ||
    (c >= 0xac00 && c <= 0xd7a3) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0xff00 && c <= 0xff60) ||
    (c >= 0xffe0 && c <= 0xffe6) ||
    (c >= 0x1f300 && c <= 0x1f64f) ||
    (c >= 0x1f900 && c <= 0x1f9ff) ||
    (c >= 0x20000 && c <= 0x3fffd)
  );
}
