/** "Nice" axis ticks: multiples of 1, 2 or 5 times a power of ten. */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Math.abs(t) < step * 1e-9 ? 0 : Number(t.toPrecision(12)));
  return ticks;
}

export function tickLabel(t: number): string {
  return String(Number(t.toPrecision(6)));
}

/**
 * The y range of both curves over their finite values, padded by 5%. When a few values run off
 * far beyond the rest (bce's derivative -1/x near 0), the range keeps the 2nd to 98th percentile
 * and the curve leaves the chart there instead of flattening everything else.
 */
export function yRange(...series: Float64Array[]): [number, number] {
  const values: number[] = [];
  for (const s of series) for (const y of s) if (Number.isFinite(y)) values.push(y);
  if (values.length === 0) return [-1, 1];
  values.sort((a, b) => a - b);
  let lo = values[0];
  let hi = values[values.length - 1];
  const q = (p: number): number => values[Math.min(values.length - 1, Math.max(0, Math.round(p * (values.length - 1))))];
  const [q02, q98] = [q(0.02), q(0.98)];
  if (hi - lo > 5 * (q98 - q02) && q98 > q02) [lo, hi] = [Math.min(q02, 0), Math.max(q98, 0)];
  if (hi - lo < 1e-12) return [lo - 1, hi + 1];
  const pad = 0.05 * (hi - lo);
  return [lo - pad, hi + pad];
}
