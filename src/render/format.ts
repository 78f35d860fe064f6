/** Number → text for every text format. Shortest round-trip by default; N significant digits with --precision. */
export function formatNumber(x: number, precision?: number): string {
  // Finite and not -0: the common case, tested first (this runs once per output number).
  if (x - x === 0 && (x !== 0 || 1 / x > 0)) return precision === undefined ? String(x) : String(Number(x.toPrecision(precision)));
  if (x !== x) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return '-0';
}

/** Rounds to N significant digits (for JSON with --precision); non-finite numbers pass through. */
export function roundTo(x: number, precision?: number): number {
  if (precision === undefined || !Number.isFinite(x)) return x;
  return Number(x.toPrecision(precision));
}

/** Three significant digits, in exponent form when small or large (errors and differences). */
export function formatShort(x: number): string {
  if (!Number.isFinite(x) || x === 0) return formatNumber(x);
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e4 ? formatNumber(x, 3) : x.toExponential(2).replace(/\.?0+e/, 'e');
}
