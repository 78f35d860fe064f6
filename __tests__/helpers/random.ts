/** The benchmark's seeded generator (bench/seeded.js), so that every run tests the same points. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { seeded } = require('../../bench/seeded.js') as { seeded(seed: number): () => number };

export const uniform = (rand: () => number, lo: number, hi: number): number => lo + (hi - lo) * rand();
