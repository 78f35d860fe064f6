/** Comparison within rtol/atol (numpy.isclose semantics), non-finite numbers compared exactly. */
export function isClose(actual: number, expected: number, rtol = 1e-9, atol = 1e-12): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
}

/** JSON reference numbers: "NaN", "Infinity", "-Infinity" are strings. */
export function fromJsonNumber(v: unknown): number {
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return v as number;
}

export function flatten(v: unknown): number[] {
  if (Array.isArray(v)) return v.flatMap(flatten);
  return [fromJsonNumber(v)];
}

/** First mismatch as a message, or undefined when all numbers are close. */
export function mismatch(actual: ArrayLike<number>, expected: number[], rtol = 1e-9, atol = 1e-12): string | undefined {
  if (actual.length !== expected.length) return `${actual.length} numbers, expected ${expected.length}`;
  for (let i = 0; i < expected.length; i++) {
    if (!isClose(actual[i], expected[i], rtol, atol)) return `[${i}]: actual ${actual[i]}, expected ${expected[i]}`;
  }
  return undefined;
}
