/** Number → text for every text format. Shortest round-trip by default; N significant digits with --precision. */
export function formatNumber(x: number, precision?: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Object.is(x, -0)) return '-0';
  if (precision === undefined) return String(x);
  return String(Number(x.toPrecision(precision)));
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
