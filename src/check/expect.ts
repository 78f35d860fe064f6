/**
 * --expect: compare a computed quantity with numbers a person wrote down. Each expected number
 * matches within half a unit of its own last written digit (0.659 → ±0.0005, 2 → ±0.5,
 * 1.5e-3 → ±0.05e-3), unless --rtol/--atol give the tolerance. When the mismatches are all
 * explained by one transformation of the right answer, a hint names the likely mistake.
 */
import { UsageError } from '../errors';
import { describeShape, numel, sameShape, type Tensor } from '../tensor';

export interface Expected {
  tensor: Tensor;
  /** each number as written */
  texts: string[];
}

export type ToleranceRule = { kind: 'written' } | { kind: 'explicit'; rtol: number; atol: number };

export interface NumberCheck {
  index: number[];
  expected: number;
  text: string;
  actual: number;
  difference: number;
  /** the largest accepted |actual − expected| */
  allowance: number;
  match: boolean;
}

/** A point of a formula check: each bound name and its value there. */
export type Point = [string, Tensor][];

/** Where a formula answer first differs from the right one. */
export interface FormulaDifference {
  readonly at: Point;
  /** The element (empty for a scalar). */
  readonly index: number[];
  readonly formula: number;
  readonly actual: number;
  /** The formula raised there instead of giving a value. */
  readonly raised?: string;
}

/** How a formula answer was checked (./formula.ts). */
export interface FormulaCheck {
  readonly text: string;
  /** Points compared (the given one included). */
  readonly points: number;
  readonly rtol: number;
  readonly atol: number;
  readonly differs?: FormulaDifference;
  /** It agrees at the given point but not at another. */
  readonly onlyAtGiven: boolean;
}

export interface Verdict {
  /** what was compared: "value", "grad", "jacobian", or a name for `grad` */
  quantity: string;
  /** at the given point: for a formula, its values there as the expected numbers */
  numbers: NumberCheck[];
  match: boolean;
  rule: ToleranceRule;
  hint?: string;
  /** present when the answer was a formula */
  formula?: FormulaCheck;
}

/** Half a unit of the last written digit: "0.659" → 0.0005, "0.66" → 0.005, "2" → 0.5, "1.5e-3" → 0.00005. */
export function writtenAllowance(text: string): number {
  const m = /^[+\-\u2212]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m) return 0; // inf, nan: exact
  const decimals = m[2]?.length ?? 0;
  const exponent = m[3] ? Number(m[3]) : 0;
  return 0.5 * 10 ** (exponent - decimals);
}

function allowanceFor(rule: ToleranceRule, text: string, expected: number): number {
  return rule.kind === 'written' ? writtenAllowance(text) : rule.atol + rule.rtol * Math.abs(expected);
}

/** |a − e| ≤ allowance, with NaN matching NaN and infinities matching themselves. */
export function within(actual: number, expected: number, allowance: number): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected) || !Number.isFinite(actual)) return actual === expected;
  // A relative slack of 1e-12 keeps 0.6595 vs 0.659 ± 0.0005 from failing on rounding in the subtraction.
  return Math.abs(actual - expected) <= allowance * (1 + 1e-12) + 1e-300;
}

function indexOf(shape: number[], k: number): number[] {
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(k % shape[d]);
    k = Math.floor(k / shape[d]);
  }
  return idx;
}

/** Checks counts and shapes (a flat list may stand for any shape of the same count, row-major). */
export function checkShapes(actual: Tensor, expected: Expected, quantity: string): void {
  const a = actual.data.length;
  const e = expected.tensor.data.length;
  if (a !== e) throw new UsageError(`--expect has ${e} number${e === 1 ? '' : 's'}, the ${quantity} has ${a}${actual.shape.length > 1 ? ` (shape ${describeShape(actual.shape)})` : ''}`);
  if (expected.tensor.shape.length > 1 && !sameShape(expected.tensor.shape, actual.shape)) {
    throw new UsageError(`--expect has shape ${describeShape(expected.tensor.shape)}, the ${quantity} has shape ${describeShape(actual.shape)}`);
  }
}

export function compare(actual: Tensor, expected: Expected, rule: ToleranceRule, quantity: string): Verdict {
  checkShapes(actual, expected, quantity);
  const numbers: NumberCheck[] = [];
  for (let k = 0; k < actual.data.length; k++) {
    const e = expected.tensor.data[k];
    const a = actual.data[k];
    const allowance = allowanceFor(rule, expected.texts[k], e);
    numbers.push({ index: indexOf(actual.shape, k), expected: e, text: expected.texts[k], actual: a, difference: a - e, allowance, match: within(a, e, allowance) });
  }
  return { quantity, numbers, match: numbers.every((n) => n.match), rule };
}

/** A transformation of the right answer that a common mistake produces, with its one-sentence name. */
export interface Candidate {
  hint: string;
  values: Tensor | undefined;
}

/**
 * The first candidate that explains every expected number (within each number's own tolerance)
 * while differing from the right answer; then the rounding check.
 */
export function findHint(verdict: Verdict, candidates: readonly Candidate[]): string | undefined {
  if (verdict.match) return undefined;
  for (const c of candidates) {
    if (!c.values || c.values.data.length !== verdict.numbers.length) continue;
    const explains = verdict.numbers.every((n, k) => within(c.values!.data[k], n.expected, n.allowance));
    const differs = verdict.numbers.some((n, k) => !within(n.actual, c.values!.data[k], n.allowance));
    if (explains && differs) return c.hint;
  }
  if (verdict.rule.kind === 'written') {
    // Each mismatch is what truncation or rounding twice gives: the value cut toward zero at the
    // last written digit (0.659 as 0.65), or the neighbour across a midpoint the value is within
    // half a unit of the next digit of (0.2449 → 0.245 → 0.25). Anything else is not a rounding
    // (0.235 given as 0.3; 4 given as 5).
    const rounded = (n: (typeof verdict.numbers)[number]): boolean => {
      const unit = 2 * n.allowance;
      if (!(Math.abs(n.difference) < unit)) return false;
      const truncated = Math.trunc(n.actual / unit) * unit;
      if (Math.abs(truncated - n.expected) <= unit * 1e-6) return true;
      const correct = Number(roundLike(n.actual, n.text));
      return Math.abs(n.actual - (correct + n.expected) / 2) <= (unit / 20) * (1 + 1e-9);
    };
    const close = verdict.numbers.every((n) => n.match || rounded(n));
    if (close) {
      const example = verdict.numbers.find((n) => !n.match)!;
      return `the numbers are right but rounded too coarsely or truncated: ${example.text} should be ${roundLike(example.actual, example.text)} at that precision (round the exact value, not an earlier rounding)`;
    }
  }
  return undefined;
}

/** The actual value written with as many decimals as `text`. */
function roundLike(actual: number, text: string): string {
  const m = /\.(\d*)/.exec(text);
  if (/e/i.test(text) || !Number.isFinite(actual)) {
    // The mantissa's significant digits (1.3e-3 has two); the exponent's digits are not among them.
    const significant = text.split(/e/i)[0].replace(/[^0-9]/g, '').replace(/^0+/, '').length;
    return String(Number(actual.toPrecision(Math.max(1, significant))));
  }
  return actual.toFixed(m ? m[1].length : 0);
}

/** A usual mistake as a transformation of the right answer, with its one-sentence name. */
export interface Transform {
  hint: string;
  apply(actual: Tensor): Tensor | undefined;
}

const scaledBy = (f: number) => (t: Tensor): Tensor => ({ shape: t.shape, data: t.data.map((v) => v * f) });

/** The mistakes that apply to any quantity: sign, factor 2 and 1/2, factor N and 1/N. */
export function genericTransforms(n?: number): Transform[] {
  const out: Transform[] = [
    { hint: 'the sign is flipped: every number is minus the right one (y − p instead of p − y?)', apply: scaledBy(-1) },
    { hint: 'every number is twice the right one (a factor 2 too many)', apply: scaledBy(2) },
    { hint: "every number is half the right one (a factor 2 missing, like MSE's 2 in 2(x − t))", apply: scaledBy(0.5) },
  ];
  if (n !== undefined && n > 2) {
    out.push(
      { hint: `every number is N = ${n} times the right one (a sum where a mean was meant?)`, apply: scaledBy(n) },
      { hint: `every number is the right one divided by N = ${n} (a mean where a sum was meant?)`, apply: scaledBy(1 / n) },
    );
  }
  return out;
}

/** The generic mistakes as candidate numbers for this answer. */
export function genericCandidates(actual: Tensor, n?: number): Candidate[] {
  return genericTransforms(n).map((t) => ({ hint: t.hint, values: t.apply(actual) }));
}

/**
 * A Hessian is symmetric: when the numbers given are not, say so (where for a Jacobian the hint
 * would be that it is transposed). Undefined when they are symmetric within their tolerances.
 */
export function symmetryHint(verdict: Verdict): string | undefined {
  if (verdict.match) return undefined;
  const n = Math.round(Math.sqrt(verdict.numbers.length));
  if (n * n !== verdict.numbers.length || n < 2) return undefined;
  const at = (i: number, j: number): NumberCheck => verdict.numbers[i * n + j];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = at(i, j);
      const b = at(j, i);
      if (!within(a.expected, b.expected, Math.max(a.allowance, b.allowance))) {
        return `a Hessian is symmetric (∂²/∂x_i∂x_j = ∂²/∂x_j∂x_i), but the numbers given are not: [${i},${j}] is ${a.text} and [${j},${i}] is ${b.text}`;
      }
    }
  }
  return undefined;
}

/** Each square block of a Jacobian transposed. */
export function transposeBlocks(J: Tensor): Tensor | undefined {
  const [k, n] = J.shape.slice(-2);
  if (J.shape.length < 2 || k !== n) return undefined;
  const out = new Float64Array(J.data.length);
  const blocks = numel(J.shape.slice(0, -2));
  for (let b = 0; b < blocks; b++) for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) out[b * k * n + j * n + i] = J.data[b * k * n + i * n + j];
  return { shape: J.shape, data: out };
}
