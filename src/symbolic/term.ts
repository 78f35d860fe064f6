/**
 * Symbolic terms: the algebra in which derivatives are formed and simplified. Sums and products
 * are n-ary and elementwise (so commutative, as tensors broadcast), a difference is a sum with a
 * coefficient −1 and a quotient a power −1, so that like terms and like factors meet under one key
 * and cancel (σ·(1 − σ) / (σ·(1 − σ)) is 1 without any rule for it). Everything else — calls,
 * the matrix product, comparisons, indexing — is an opaque node whose arguments are terms.
 *
 * The constructors simplify as they build (numbers folded, 0 and 1 removed, like terms and
 * factors combined); `tidy` (./tidy.ts) then factors what is common, once, for printing.
 */
import type { Expr } from '../parse/python/ast';

/** A literal option of a call: `dim=0`, `reduction='sum'`, `keepdim=True`, `(2, 3)`. */
export type Literal = number | string | boolean | null | readonly number[];

export interface Num {
  readonly k: 'num';
  readonly v: number;
  readonly key: string;
}

/** A bound name (an input of the formula). */
export interface Name {
  readonly k: 'name';
  readonly name: string;
  readonly key: string;
}

export interface Sum {
  readonly k: 'sum';
  /** Flattened, no zero, at most one number, like terms combined; in order of first appearance. */
  readonly terms: readonly Term[];
  readonly key: string;
}

export interface Prod {
  readonly k: 'prod';
  /** The numeric coefficient, never 0 (that is the number 0), never 1 with a single factor. */
  readonly coef: number;
  /** Flattened, no numbers, like bases combined into powers; in order of first appearance. */
  readonly factors: readonly Term[];
  readonly key: string;
}

export interface Pow {
  readonly k: 'pow';
  readonly base: Term;
  readonly exp: Term;
  readonly key: string;
}

/** An argument of a call: a term (a tensor argument) or a literal option. */
export type Arg = { readonly param: string; readonly term: Term } | { readonly param: string; readonly literal: Literal };

/**
 * A call of a built-in or a registry function. `fn` is the canonical key ('b:exp', 'f:sigmoid',
 * see ./names.ts); `op` marks the operators the printer writes as operators (`@`, `x[i]`, `.T`).
 */
export interface Call {
  readonly k: 'call';
  readonly fn: string;
  readonly args: readonly Arg[];
  readonly key: string;
}

export type CompareOp = '<' | '<=' | '>' | '>=' | '==' | '!=' | '&' | '|';

/** A comparison or a logical combination of masks: a boolean tensor, never differentiated. */
export interface Cmp {
  readonly k: 'cmp';
  readonly op: CompareOp;
  readonly left: Term;
  readonly right: Term;
  readonly key: string;
}

/** A constant the formula spells out as written (`math.pi`, `torch.tensor([1., 2.])`). */
export interface Const {
  readonly k: 'const';
  readonly ast: Expr;
  readonly text: string;
  readonly key: string;
}

export type Term = Num | Name | Sum | Prod | Pow | Call | Cmp | Const;

// ---------------------------------------------------------------------------------------------
// Atoms
// ---------------------------------------------------------------------------------------------

const numKey = (v: number): string => `n:${Object.is(v, -0) ? 0 : v}`;

export const num = (v: number): Num => ({ k: 'num', v: Object.is(v, -0) ? 0 : v, key: numKey(v) });
export const ZERO = num(0);
export const ONE = num(1);

export const name = (n: string): Name => ({ k: 'name', name: n, key: `v:${n}` });

export const constant = (ast: Expr, text: string): Const => ({ k: 'const', ast, text, key: `c:${text}` });

/** Is the term the number v? (Not a type guard: a term that is not 0 may still be a number.) */
export const isNum = (t: Term, v: number): boolean => t.k === 'num' && t.v === v;

const literalKey = (l: Literal): string => (Array.isArray(l) ? `(${l.join(',')})` : typeof l === 'string' ? `'${l}'` : String(l));

export function call(fn: string, args: readonly Arg[]): Call {
  const key = `${fn}(${args.map((a) => `${a.param}=${'term' in a ? a.term.key : literalKey(a.literal)}`).join(',')})`;
  return { k: 'call', fn, args, key };
}

export function compare(op: CompareOp, left: Term, right: Term): Cmp {
  return { k: 'cmp', op, left, right, key: `${op}(${left.key},${right.key})` };
}

/** A call's argument: the term of a tensor parameter, or the literal of an option. */
export function argTerm(c: Call, param: string): Term | undefined {
  const a = c.args.find((x) => x.param === param);
  return a && 'term' in a ? a.term : undefined;
}

// ---------------------------------------------------------------------------------------------
// Sums
// ---------------------------------------------------------------------------------------------

/** A term as coefficient × rest, the rest without a numeric coefficient (a number's rest is 1). */
export function splitCoefficient(t: Term): { coef: number; rest: Term } {
  if (t.k === 'num') return { coef: t.v, rest: ONE };
  if (t.k === 'prod') return { coef: t.coef, rest: t.factors.length === 1 ? t.factors[0] : makeProd(1, t.factors) };
  return { coef: 1, rest: t };
}

const sortedKey = (prefix: string, keys: string[]): string => `${prefix}(${keys.sort().join(',')})`;

function makeSum(terms: readonly Term[]): Sum {
  return { k: 'sum', terms, key: sortedKey('+', terms.map((t) => t.key)) };
}

/** a + b + …: flattened, numbers folded, like terms combined (2·x + x·3 = 5·x), zeros dropped. */
export function add(...input: Term[]): Term {
  const order: string[] = [];
  const groups = new Map<string, { coef: number; rest: Term }>();
  const push = (t: Term, scale: number): void => {
    if (t.k === 'sum') {
      for (const u of t.terms) push(u, scale);
      return;
    }
    const { coef, rest } = splitCoefficient(t);
    // c·(a + b) inside a sum is c·a + c·b: numeric coefficients distribute, so that like terms meet.
    if (rest.k === 'sum') {
      for (const u of rest.terms) push(u, scale * coef);
      return;
    }
    const g = groups.get(rest.key);
    if (g) g.coef += scale * coef;
    else {
      groups.set(rest.key, { coef: scale * coef, rest });
      order.push(rest.key);
    }
  };
  for (const t of input) push(t, 1);
  const terms: Term[] = [];
  for (const key of order) {
    const { coef, rest } = groups.get(key)!;
    if (coef === 0) continue;
    terms.push(rest.k === 'num' ? num(coef * rest.v) : mul(num(coef), rest));
  }
  if (terms.length === 0) return ZERO;
  if (terms.length === 1) return terms[0];
  return makeSum(terms);
}

export const neg = (t: Term): Term => mul(num(-1), t);
export const sub = (a: Term, b: Term): Term => add(a, neg(b));

/**
 * A sum with its sign chosen canonically (the term with the smallest key positive), and the
 * sign taken out: x − y and y − x become the same sum up to −1, so that they cancel as factors.
 */
export function canonicalSign(s: Sum): { sign: 1 | -1; sum: Sum } {
  let lead: { key: string; coef: number } | undefined;
  for (const t of s.terms) {
    if (t.k === 'num') continue;
    const { coef, rest } = splitCoefficient(t);
    if (!lead || rest.key < lead.key) lead = { key: rest.key, coef };
  }
  if (!lead || lead.coef > 0) return { sign: 1, sum: s };
  return { sign: -1, sum: makeSum(s.terms.map((t) => mul(num(-1), t))) };
}

// ---------------------------------------------------------------------------------------------
// Products and powers
// ---------------------------------------------------------------------------------------------

function makeProd(coef: number, factors: readonly Term[]): Prod {
  return { k: 'prod', coef, factors, key: `*(${coef};${factors.map((f) => f.key).sort().join(',')})` };
}

const isInteger = (t: Term): boolean => t.k === 'num' && Number.isInteger(t.v);

/** A factor as base^exponent. */
function splitPower(t: Term): { base: Term; exp: Term } {
  return t.k === 'pow' ? { base: t.base, exp: t.exp } : { base: t, exp: ONE };
}

/** a · b · …: flattened, numbers folded into the coefficient, like bases combined (x·x⁻¹ = 1). */
export function mul(...input: Term[]): Term {
  let coef = 1;
  const order: string[] = [];
  const groups = new Map<string, { base: Term; exp: Term }>();
  const push = (t: Term): void => {
    if (t.k === 'num') {
      coef *= t.v;
      return;
    }
    if (t.k === 'prod') {
      coef *= t.coef;
      for (const f of t.factors) push(f);
      return;
    }
    if (t.k === 'sum') {
      // The sign of a sum factor is canonical, so that (x − y) and (y − x) are like factors.
      const c = canonicalSign(t);
      coef *= c.sign;
      t = c.sum;
    }
    const { base, exp } = splitPower(t);
    const g = groups.get(base.key);
    if (g) g.exp = add(g.exp, exp);
    else {
      groups.set(base.key, { base, exp });
      order.push(base.key);
    }
  };
  for (const t of input) push(t);
  // 0·x is 0 symbolically (as in sympy): the formula is a derivative, not a NaN detector.
  if (coef === 0) return ZERO;
  const factors: Term[] = [];
  for (const key of order) {
    const { base, exp } = groups.get(key)!;
    const f = pow(base, exp);
    if (f.k === 'num') coef *= f.v;
    else if (f.k === 'prod') {
      coef *= f.coef;
      factors.push(...f.factors);
    } else factors.push(f);
  }
  if (factors.length === 0) return num(coef);
  if (coef === 1 && factors.length === 1) return factors[0];
  return makeProd(coef, factors);
}

export const div = (a: Term, b: Term): Term => mul(a, pow(b, num(-1)));

/** base ** exp: x⁰ = 1, x¹ = x, numbers folded, (xᵃ)ⁿ = x^(a·n) and (a·b)ⁿ = aⁿ·bⁿ for whole n. */
export function pow(base: Term, exp: Term): Term {
  if (isNum(exp, 0)) return ONE;
  if (isNum(exp, 1)) return base;
  if (isNum(base, 1)) return ONE;
  if (base.k === 'num' && exp.k === 'num') {
    const v = base.v ** exp.v;
    if (Number.isFinite(v)) return num(v);
  }
  if (isInteger(exp)) {
    if (base.k === 'pow') return pow(base.base, mul(base.exp, exp));
    if (base.k === 'prod') return mul(num(base.coef ** (exp as Num).v), ...base.factors.map((f) => pow(f, exp)));
    if (base.k === 'sum') {
      const c = canonicalSign(base);
      if (c.sign === -1) return mul(num((-1) ** (exp as Num).v), pow(c.sum, exp));
    }
  }
  return { k: 'pow', base, exp, key: `^(${base.key},${exp.key})` };
}
