/**
 * Terms back to the expression language: a syntax tree that ../parse/python/unparse prints with
 * only the parentheses the precedence table needs, so that the text parses back to the same
 * formula (`actgrad grad "<printed>" x=…` evaluates it). Sums print their positive terms first
 * (`1 - sigmoid(z)`), products their quotient once (`2*x/3`), a minus sign goes into a sum factor
 * where one can take it (`x*(1 - s)` rather than `-x*(s - 1)`).
 */
import type { Expr, KeywordArgument } from '../parse/python/ast';
import { unparse } from '../parse/python/unparse';
import { slotsOf, spell, targetOf, selfParam } from './names';
import type { Call, Literal, Prod, Sum, Term } from './term';
import { splitCoefficient } from './term';

const SPAN: [number, number] = [0, 0];

const nameNode = (n: string): Expr => ({ kind: 'name', name: n, span: SPAN });
const binary = (op: '+' | '-' | '*' | '/' | '**' | '@' | '&' | '|', left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right, opPos: 0, span: SPAN });
const negate = (operand: Expr): Expr => ({ kind: 'unary', op: '-', operand, span: SPAN });
const attribute = (object: Expr, n: string): Expr => ({ kind: 'attribute', object, name: n, namePos: 0, span: SPAN });
const dotted = (parts: string[]): Expr => parts.slice(1).reduce<Expr>((o, p) => attribute(o, p), nameNode(parts[0]));

/**
 * A number as p/q with a small q, where that reads better than its decimals: the 1/N of a mean
 * (x/3, not 0.3333333333333333*x), and in a product any 1/q (x/2 rather than 0.5*x), which is no
 * longer. A short decimal with p ≠ 1 stays a decimal (0.75*x, not 3*x/4).
 */
export function rational(v: number, inProduct = false): [number, number] | undefined {
  if (!Number.isFinite(v) || Number.isInteger(v)) return undefined;
  const long = String(v).length > 6;
  for (let q = 2; q <= 1000; q++) {
    const p = Math.round(v * q);
    if (p !== 0 && Math.abs(p) <= 1e6 && p / q === v) return long || (inProduct && Math.abs(p) === 1 && q <= 100) ? [p, q] : undefined;
  }
  return undefined;
}

function literalNumber(v: number): Expr {
  if (Number.isNaN(v)) return dotted(['math', 'nan']);
  if (v === Infinity) return dotted(['math', 'inf']);
  if (v === -Infinity) return negate(dotted(['math', 'inf']));
  if (v < 0) return negate(literalNumber(-v));
  const r = rational(v);
  if (r) return binary('/', literalNumber(r[0]), literalNumber(r[1]));
  return { kind: 'number', value: v, text: String(v), integer: Number.isInteger(v) && !String(v).includes('e'), span: SPAN };
}

function literal(l: Literal): Expr {
  if (l === null) return { kind: 'constant', value: null, span: SPAN };
  if (typeof l === 'boolean') return { kind: 'constant', value: l, span: SPAN };
  if (typeof l === 'string') return { kind: 'string', value: l, span: SPAN };
  if (typeof l === 'number') return literalNumber(l);
  return { kind: 'tuple', elements: l.map(literalNumber), span: SPAN };
}

/** How a factor sorts in a printed product: numbers, names, then functions, sums last. */
function rank(t: Term): number {
  const base = t.k === 'pow' ? t.base : t;
  if (base.k === 'num' || base.k === 'const') return 0;
  if (base.k === 'name') return 1;
  if (base.k === 'sum') return 3;
  return 2;
}

export class Printer {
  constructor(private readonly shadowed: (n: string) => boolean) {}

  print(t: Term): string {
    return unparse(this.expr(t));
  }

  expr(t: Term): Expr {
    switch (t.k) {
      case 'num':
        return literalNumber(t.v);
      case 'name':
        return nameNode(t.name);
      case 'const':
        return t.ast;
      case 'sum':
        return this.sum(t);
      case 'prod':
        return this.prod(t);
      case 'pow':
        if (t.exp.k === 'num' && t.exp.v < 0) return this.prod({ k: 'prod', coef: 1, factors: [t], key: '' });
        return binary('**', this.expr(t.base), this.expr(t.exp));
      case 'cmp':
        return t.op === '&' || t.op === '|'
          ? binary(t.op, this.expr(t.left), this.expr(t.right))
          : { kind: 'compare', ops: [t.op], operands: [this.expr(t.left), this.expr(t.right)], opPos: [0], span: SPAN };
      case 'call':
        return this.call(t);
    }
  }

  private sum(s: Sum): Expr {
    const positive = s.terms.filter((t) => splitCoefficient(t).coef >= 0 || prefersFlip(t));
    const negative = s.terms.filter((t) => !positive.includes(t));
    let out: Expr | undefined;
    for (const t of [...positive, ...negative]) {
      const negated = !positive.includes(t);
      if (!out) out = this.expr(t);
      else if (negated) out = binary('-', out, this.expr(scaled(t, -1)));
      else out = binary('+', out, this.expr(t));
    }
    return out!;
  }

  private prod(p: Prod): Expr {
    let coef = p.coef;
    const numerator: Term[] = [];
    const denominator: Term[] = [];
    for (const f of p.factors) {
      if (f.k === 'pow' && f.exp.k === 'num' && f.exp.v < 0) denominator.push(f.exp.v === -1 ? f.base : { ...f, exp: { k: 'num', v: -f.exp.v, key: '' } });
      else numerator.push(f);
    }
    // Signs go where they read best. Flipping a sum factor flips the sign of the product: sums
    // with a negative constant are flipped in pairs (1 - s, not s - 1), and a minus sign left in
    // front goes into a sum that can take it, one with a negative constant first.
    const sums: { list: Term[]; i: number }[] = [];
    for (const list of [numerator, denominator]) list.forEach((f, i) => f.k === 'sum' && sums.push({ list, i }));
    const flip = ({ list, i }: { list: Term[]; i: number }): void => {
      list[i] = negatedSum(list[i] as Sum);
      coef = -coef;
    };
    const withNegativeConstant = sums.filter(({ list, i }) => constantOf(list[i] as Sum) < 0);
    for (let k = 0; k + 1 < withNegativeConstant.length; k += 2) {
      flip(withNegativeConstant[k]);
      flip(withNegativeConstant[k + 1]);
    }
    if (coef < 0) {
      const odd = withNegativeConstant.length % 2 === 1 ? withNegativeConstant[withNegativeConstant.length - 1] : undefined;
      const plain = sums.find(({ list, i }) => constantOf(list[i] as Sum) === 0);
      if (odd ?? plain) flip((odd ?? plain)!);
    }
    const negative = coef < 0;
    const magnitude = Math.abs(coef);
    const r = rational(magnitude, true);
    const top: Expr[] = [];
    const bottom: Expr[] = [];
    if (r) {
      if (r[0] !== 1) top.push(literalNumber(r[0]));
      bottom.push(literalNumber(r[1]));
    } else if (magnitude !== 1) top.push(literalNumber(magnitude));
    const byRank = (list: Term[]): Term[] => list.map((f, i) => [f, i] as const).sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1]).map(([f]) => f);
    top.push(...byRank(numerator).map((f) => this.expr(f)));
    bottom.push(...byRank(denominator).map((f) => this.expr(f)));
    if (top.length === 0) top.push(literalNumber(1));
    if (negative) top[0] = negate(top[0]);
    const chain = (xs: Expr[]): Expr => xs.slice(1).reduce((a, b) => binary('*', a, b), xs[0]);
    return bottom.length ? binary('/', chain(top), chain(bottom)) : chain(top);
  }

  private call(c: Call): Expr {
    if (c.fn === 'op:@') return binary('@', this.expr(argOf(c, 'input')), this.expr(argOf(c, 'other')));
    if (c.fn === 'op:index') {
      const index = c.args.find((a) => a.param === 'index')!;
      const items = 'literal' in index && Array.isArray(index.literal) ? (index.literal as number[]).map(literalNumber) : [];
      return { kind: 'subscript', object: this.expr(argOf(c, 'input')), indices: items, tuple: items.length > 1, span: SPAN };
    }
    const target = targetOf(c.fn)!;
    const spelled = spell(c.fn, this.shadowed);
    const slots = slotsOf(target);
    const selfName = selfParam(target);
    if (spelled.form === 'property') return attribute(this.expr(argOf(c, selfName)), spelled.name);
    const method = spelled.form === 'method';
    const args: Expr[] = [];
    const kwargs: KeywordArgument[] = [];
    let keywords = false;
    for (const slot of slots) {
      if (method && slot.name === selfName) continue;
      const a = c.args.find((x) => x.param === slot.name);
      if (!a) {
        keywords = true;
        continue;
      }
      // Tensors and required options stand by position (torch.eye(3)), optional options by name (dim=0).
      if (slot.keywordOnly || ('literal' in a && !slot.required && !slot.variadic)) keywords = true;
      const value = 'term' in a ? this.expr(a.term) : literal(a.literal);
      if (!keywords && slot.variadic && 'literal' in a && Array.isArray(a.literal)) args.push(...(a.literal as number[]).map(literalNumber));
      else if (keywords) kwargs.push({ name: slot.name, value, span: SPAN });
      else args.push(value);
    }
    const callee = method ? attribute(this.expr(argOf(c, selfName)), spelled.name) : dotted(spelled.callee);
    return { kind: 'call', callee, args, kwargs, span: SPAN };
  }
}

function argOf(c: Call, param: string): Term {
  const a = c.args.find((x) => x.param === param);
  if (!a || !('term' in a)) throw new Error(`${c.fn} has no argument ${param}`);
  return a.term;
}

/** t·s without simplifying (for printing the terms of a sum with their signs). */
function scaled(t: Term, s: number): Term {
  if (t.k === 'num') return { ...t, v: t.v * s };
  if (t.k === 'prod') return t.coef * s === 1 && t.factors.length === 1 ? t.factors[0] : { ...t, coef: t.coef * s };
  return { k: 'prod', coef: s, factors: [t], key: '' };
}

/** The number among a sum's terms (0 when there is none). */
function constantOf(s: Sum): number {
  const c = s.terms.find((t) => t.k === 'num');
  return c && c.k === 'num' ? c.v : 0;
}

/** A negative term that prints without its minus, because a sum factor of it takes the sign (+ x*(1 - s)). */
function prefersFlip(t: Term): boolean {
  return t.k === 'prod' && t.coef < 0 && t.factors.some((f) => f.k === 'sum' && constantOf(f) < 0);
}

function negatedSum(s: Sum): Sum {
  return { ...s, terms: s.terms.map((t) => scaled(t, -1)) };
}
