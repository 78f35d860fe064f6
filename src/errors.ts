/** Every error actgrad reports about its input: the library throws it, the CLI prints its message. */
export class ActgradError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActgradError';
  }
}

/** A problem with what the user gave: printed as one line `actgrad: error: <message>`, exit code 2. */
export class UsageError extends ActgradError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Shapes an op cannot work with. Raised below the evaluator, which adds the call and the column
 * (`"+" needs shapes that broadcast ...`).
 */
export class ShapeError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}

/** An error that points at a column of an expression (0-based `pos`): printed with a caret. */
export class ExpressionError extends UsageError {
  constructor(message: string, readonly expression: string, readonly pos: number) {
    super(message);
  }
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/** The candidate nearest to `word`, if it is near enough to be a plausible typo. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const w = word.toLowerCase();
  // Any one-letter name is one edit from any other: no suggestion for those.
  if (w.length < 3) return undefined;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(w.length / 3)) ? best : undefined;
}

export function didYouMean(word: string, candidates: readonly string[]): string {
  const n = nearest(word, candidates);
  return n ? ` (did you mean ${n}?)` : '';
}
