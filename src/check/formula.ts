/**
 * Formula answers to --expect (the contract's "Checking answers"): a formula is compared with the
 * asked quantity at the given point and at 8 further points drawn around it — each moving name
 * moved within ±50% of its value, or within [−1, 1] where it is 0 — from a fixed seed, so that a
 * verdict is reproducible. It is right when it agrees everywhere; a formula right only at the
 * given point is wrong (a number written in, or a term that happens to vanish there).
 *
 * Agreement is |formula − actual| ≤ rtol·|actual| + atol with rtol = 1e-9 and atol = 1e-12 ×
 * max(1, the largest |actual| over the points): formulas are evaluated in float64 like the
 * answer, so only rounding separates a right formula from it (PyTorch's σ' = y(1 − y) against
 * σ(z)(1 − σ(z)), a sum in another order); the absolute floor keeps entries that should be 0
 * from failing on 1e-17. --rtol/--atol replace both.
 */
import { evaluateExpression } from '../commands/grad';
import { ActgradError, ExpressionError, UsageError } from '../errors';
import { parseExpression } from '../parse/python/parser';
import { describeShape, type Tensor } from '../tensor';
import type { FormulaCheck, FormulaDifference, NumberCheck, Point, ToleranceRule, Verdict } from './expect';
import { formulaCandidates } from './formula-hints';

export const FORMULA_RTOL = 1e-9;
export const FORMULA_ATOL = 1e-12;
/** Points besides the given one. */
export const FORMULA_POINTS = 8;
/** The seed of the points (mulberry32): the same answer gets the same points every time. */
const SEED = 0x5eed2024;

export interface FormulaProblem {
  /** The given point. */
  readonly at: Point;
  /** The names that move between points (not class indices, not fixed parameters). */
  readonly moving: ReadonlySet<string>;
  /** The right answer at a point; throws where the point is outside the function's domain. */
  reference(at: Point): Tensor;
  /** What is compared, for messages: "gradient with respect to z", "derivative". */
  readonly quantity: string;
  /** Other quantities of the same problem that a usual mistake gives, with their hint. */
  readonly alternatives?: readonly { hint: string; values(at: Point): Tensor | undefined }[];
  /** Sizes N for the factor-N hints (a sum where a mean was meant). */
  readonly sizes?: readonly number[];
  /** Is the answer a Hessian (symmetric)? */
  readonly symmetric?: boolean;
}

/** mulberry32: small, seedable, and enough for spreading points. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Each moving name's elements moved within ±50% (within [−1, 1] where 0). */
function movedPoint(p: FormulaProblem, random: () => number): Point {
  return p.at.map(([n, t]) => {
    if (!p.moving.has(n)) return [n, t];
    const data = t.data.map((v) => (v === 0 ? 2 * random() - 1 : Number.isFinite(v) ? v * (1 + (random() - 0.5)) : v));
    return [n, { shape: t.shape, data }];
  });
}

/** The formula's value at a point, broadcast to the answer's elements (a scalar formula stands for every element). */
function formulaValues(formula: string, at: Point, count: number): Float64Array {
  const v = evaluateExpression(formula, at);
  if (v.data.length === count) return v.data;
  if (v.data.length === 1) return new Float64Array(count).fill(v.data[0]);
  throw new ShapeMismatch(v.shape);
}

const shapeWords = (shape: readonly number[]): string => (shape.length === 0 ? 'a single number' : `a tensor of shape ${describeShape(shape)}`);

class ShapeMismatch extends Error {
  constructor(readonly shape: readonly number[]) {
    super('shape');
  }
}

const messageOf = (e: unknown): string => (e instanceof ExpressionError ? e.message : e instanceof Error ? e.message : String(e));

/** The indices of element k of a shape. */
function indexOf(shape: readonly number[], k: number): number[] {
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(k % shape[d]);
    k = Math.floor(k / shape[d]);
  }
  return idx;
}

function close(formula: number, actual: number, allowance: number): boolean {
  if (Number.isNaN(actual)) return Number.isNaN(formula);
  if (!Number.isFinite(actual) || !Number.isFinite(formula)) return formula === actual;
  return Math.abs(formula - actual) <= allowance;
}

/**
 * The verdict on a formula answer. A formula that does not parse, or cannot be evaluated at the
 * given point (an unknown name), is a usage error; one that raises at another point is wrong there.
 */
export function checkFormula(p: FormulaProblem, formula: string, rule: ToleranceRule, label: string): Verdict {
  try {
    parseExpression(formula);
  } catch (e) {
    throw new UsageError(`${label}: "${formula}" is neither numbers nor a formula: ${messageOf(e)}`);
  }
  const given = p.reference(p.at);
  const count = given.data.length;
  let atGiven: Float64Array;
  try {
    atGiven = formulaValues(formula, p.at, count);
  } catch (e) {
    if (e instanceof ShapeMismatch) {
      throw new UsageError(`${label}: the formula gives ${shapeWords(e.shape)}, the ${p.quantity} is ${shapeWords(given.shape)}`);
    }
    throw new UsageError(`${label}: the formula cannot be evaluated at the given point: ${messageOf(e)}`);
  }

  // The points: the given one, then FORMULA_POINTS more where the answer is defined.
  const random = generator(SEED);
  const points: { at: Point; actual: Tensor }[] = [{ at: p.at, actual: given }];
  const finite = (t: Tensor): boolean => t.data.every((v, k) => Number.isFinite(v) || !Number.isFinite(given.data[k]));
  for (let tries = 0; points.length <= FORMULA_POINTS && tries < 10 * FORMULA_POINTS; tries++) {
    const at = movedPoint(p, random);
    try {
      const actual = p.reference(at);
      if (actual.data.length === count && finite(actual)) points.push({ at, actual });
    } catch (e) {
      if (!(e instanceof ActgradError)) throw e;
      // outside the function's domain (bce's input beyond 1): draw another point
    }
  }
  if (p.moving.size === 0) points.splice(1);

  const scale = Math.max(1, ...points.flatMap(({ actual }) => Array.from(actual.data, Math.abs).filter(Number.isFinite)));
  const rtol = rule.kind === 'explicit' ? rule.rtol : FORMULA_RTOL;
  const atol = rule.kind === 'explicit' ? rule.atol : FORMULA_ATOL * scale;
  const allowance = (actual: number): number => atol + rtol * Math.abs(actual);

  let differs: FormulaDifference | undefined;
  const values: Float64Array[] = [];
  for (const [i, { at, actual }] of points.entries()) {
    let f: Float64Array;
    try {
      f = i === 0 ? atGiven : formulaValues(formula, at, count);
    } catch (e) {
      if (e instanceof ShapeMismatch || e instanceof ActgradError) {
        differs ??= { at, index: [], formula: NaN, actual: actual.data[0], raised: e instanceof ShapeMismatch ? `it gives ${shapeWords(e.shape)} there` : messageOf(e) };
        values.push(new Float64Array(count).fill(NaN));
        continue;
      }
      throw e;
    }
    values.push(f);
    if (differs) continue;
    let worst = -1;
    let excess = 0;
    for (let k = 0; k < count; k++) {
      if (close(f[k], actual.data[k], allowance(actual.data[k]))) continue;
      const e = Number.isFinite(f[k] - actual.data[k]) ? Math.abs(f[k] - actual.data[k]) - allowance(actual.data[k]) : Infinity;
      if (worst < 0 || e > excess) [worst, excess] = [k, e];
    }
    if (worst >= 0) differs = { at, index: indexOf(actual.shape, worst), formula: f[worst], actual: actual.data[worst] };
  }

  const numbers: NumberCheck[] = Array.from({ length: count }, (_, k) => {
    const actual = given.data[k];
    const a = allowance(actual);
    return { index: indexOf(given.shape, k), expected: atGiven[k], text: String(atGiven[k]), actual, difference: actual - atGiven[k], allowance: a, match: close(atGiven[k], actual, a) };
  });
  const matchAtGiven = numbers.every((n) => n.match);
  const check: FormulaCheck = { text: formula, points: points.length, rtol, atol, differs, onlyAtGiven: matchAtGiven && differs !== undefined };
  const verdict: Verdict = { quantity: p.quantity, numbers, match: differs === undefined, rule, formula: check };
  if (!verdict.match) verdict.hint = formulaHint(p, formula, points, values, allowance, check);
  return verdict;
}

/** The first usual mistake that explains the formula's values at every point. */
function formulaHint(
  p: FormulaProblem,
  formula: string,
  points: readonly { at: Point; actual: Tensor }[],
  values: readonly Float64Array[],
  allowance: (v: number) => number,
  check: FormulaCheck,
): string | undefined {
  const agree = (got: ArrayLike<number>, want: ArrayLike<number> | undefined): boolean =>
    want !== undefined && want.length === got.length && Array.from(got).every((v, k) => close(v, want[k], allowance(want[k])));
  for (const c of formulaCandidates(p, parseExpression(formula), points)) {
    try {
      const explains =
        'corrected' in c
          ? points.every(({ at, actual }) => agree(formulaValues(c.corrected, at, actual.data.length), actual.data))
          : points.every((_, i) => agree(values[i], c.values(i)));
      if (explains) return c.hint;
    } catch (e) {
      if (!(e instanceof ActgradError) && !(e instanceof ShapeMismatch)) throw e;
    }
  }
  if (check.onlyAtGiven) {
    return 'the formula agrees at the given point only: as a function of the names it is not the answer (is a number written in, or a term that vanishes at this point?)';
  }
  return undefined;
}
