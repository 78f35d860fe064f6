/**
 * The last simplification before printing, which the canonical form cannot do as it builds:
 * factors common to every term of a sum are taken out (σ + x·σ·(1 − σ) → σ·(1 + x·(1 − σ)),
 * 2·a + 2·b → 2·(a + b)), and a product with a selection by a mask goes inside it
 * (g·where(x > 0, 1, 0) → where(x > 0, g, 0), which is also how PyTorch's backward selects
 * rather than multiplies). Taking out a factor common to k terms removes k − 1 products, so the
 * result is never larger. The terms built here are final: they are printed, not combined again.
 */
import { keyFor } from './names';
import { add, argTerm, call, compare, isNum, mul, num, type Prod, type Sum, type Term, ZERO } from './term';

const WHERE = (): string => keyFor('where');

/** A term with its common factors taken out of every sum, bottom-up. */
export function tidy(t: Term): Term {
  switch (t.k) {
    case 'sum':
      return factorSum(mergeSelections(t.terms.map(tidy)));
    case 'prod':
      return tidyProd(t.coef, t.factors.map(tidy));
    case 'pow':
      return { ...t, base: tidy(t.base), exp: tidy(t.exp) };
    case 'call':
      return call(t.fn, t.args.map((a) => ('term' in a ? { param: a.param, term: tidy(a.term) } : a)));
    case 'cmp':
      return compare(t.op, tidy(t.left), tidy(t.right));
    default:
      return t;
  }
}

const rawSum = (terms: Term[]): Term => (terms.length === 1 ? terms[0] : ({ k: 'sum', terms, key: `+(${terms.map((x) => x.key).join(',')})` } as Sum));

function rawProd(coef: number, factors: Term[]): Term {
  const flat: Term[] = [];
  for (const f of factors) {
    if (f.k === 'prod') {
      coef *= f.coef;
      flat.push(...f.factors);
    } else if (f.k === 'num') coef *= f.v;
    else flat.push(f);
  }
  if (coef === 0) return ZERO;
  if (flat.length === 0) return num(coef);
  if (coef === 1 && flat.length === 1) return flat[0];
  return { k: 'prod', coef, factors: flat, key: `*(${coef};${flat.map((x) => x.key).join(',')})` } as Prod;
}

/** exp(a), as a term of 1 + exp(a). */
function expArgument(t: Term): Term | undefined {
  return t.k === 'call' && t.fn === keyFor('exp') ? argTerm(t, 'input') : undefined;
}

/** u for a = −u. */
function negated(a: Term): Term | undefined {
  if (a.k !== 'prod' || a.coef !== -1) return undefined;
  return a.factors.length === 1 ? a.factors[0] : { ...a, coef: 1, key: `*(1;${a.factors.map((f) => f.key).sort().join(',')})` };
}

const sigmoid = (a: Term): Term => call(keyFor('sigmoid'), [{ param: 'input', term: a }]);

/**
 * The logistic function in its usual form: exp(a)/(1 + exp(a)) = σ(a), exp(a)/(1 + exp(a))² =
 * σ(a)·(1 − σ(a)), 1/(1 + exp(−u)) = σ(u), as the derivatives of log(1 + exp(x)) and of
 * 1/(1 + exp(−x)) are usually written.
 */
function logistic(factors: Term[]): Term[] {
  for (let i = 0; i < factors.length; i++) {
    const f = factors[i];
    if (f.k !== 'pow' || f.base.k !== 'sum' || f.base.terms.length !== 2 || f.exp.k !== 'num' || (f.exp.v !== -1 && f.exp.v !== -2)) continue;
    const one = f.base.terms.find((t) => t.k === 'num' && t.v === 1);
    const e = f.base.terms.find((t) => t !== one);
    const a = e && expArgument(e);
    if (!one || !a) continue;
    const j = factors.findIndex((g) => g.key === e!.key);
    const rest = factors.filter((_, k) => k !== i && k !== j);
    if (j >= 0 && f.exp.v === -1) return logistic([...rest, sigmoid(a)]);
    if (j >= 0 && f.exp.v === -2) {
      // σ(a)·(1 − σ(a)) is the same for a and −a: write it with the argument that has no minus.
      const s = sigmoid(negated(a) ?? a);
      return logistic([...rest, s, rawSum([num(1), { k: 'prod', coef: -1, factors: [s], key: '' } as Prod])]);
    }
    const u = negated(a);
    if (j < 0 && f.exp.v === -1 && u) return logistic([...rest, sigmoid(u)]);
  }
  return factors;
}

/** g·where(c, a, 0) → where(c, g·a, 0): the product moves into the branch that is not zero. */
function tidyProd(coef: number, input: Term[]): Term {
  const factors = logistic(input);
  const i = factors.findIndex((f) => f.k === 'call' && f.fn === WHERE() && [argTerm(f, 'input'), argTerm(f, 'other')].some((b) => b && isNum(b, 0)));
  if (i < 0) return rawProd(coef, factors);
  const w = factors[i] as Term & { k: 'call' };
  const rest = [num(coef), ...factors.slice(0, i), ...factors.slice(i + 1)];
  const branch = (param: string): Term => {
    const b = argTerm(w, param)!;
    return isNum(b, 0) ? b : tidy(mul(...rest, b));
  };
  return call(WHERE(), [
    { param: 'condition', term: argTerm(w, 'condition')! },
    { param: 'input', term: branch('input') },
    { param: 'other', term: branch('other') },
  ]);
}

/** where(c, a, b) + where(c, p, q) = where(c, a + p, b + q): one selection per mask. */
function mergeSelections(terms: Term[]): Term[] {
  const out: Term[] = [];
  const byCondition = new Map<string, number>();
  for (const t of terms) {
    const cond = t.k === 'call' && t.fn === WHERE() ? argTerm(t, 'condition') : undefined;
    const at = cond ? byCondition.get(cond.key) : undefined;
    if (!cond || at === undefined) {
      if (cond) byCondition.set(cond.key, out.length);
      out.push(t);
      continue;
    }
    const w = out[at] as Term & { k: 'call' };
    const branch = (p: string): Term => tidy(add(argTerm(w, p)!, argTerm(t as Term & { k: 'call' }, p)!));
    out[at] = call(WHERE(), [
      { param: 'condition', term: cond },
      { param: 'input', term: branch('input') },
      { param: 'other', term: branch('other') },
    ]);
  }
  return out;
}

interface Factored {
  coef: number;
  factors: Map<string, { base: Term; exp: Term }>;
  order: string[];
}

function factorsOf(t: Term): Factored {
  const coef = t.k === 'num' ? t.v : t.k === 'prod' ? t.coef : 1;
  const list = t.k === 'num' ? [] : t.k === 'prod' ? t.factors : [t];
  const factors = new Map<string, { base: Term; exp: Term }>();
  const order: string[] = [];
  for (const f of list) {
    const base = f.k === 'pow' ? f.base : f;
    const exp = f.k === 'pow' ? f.exp : num(1);
    factors.set(base.key, { base, exp });
    order.push(base.key);
  }
  return { coef, factors, order };
}

/** The exponent of a factor common to all terms, or undefined when it is not common. */
function commonExponent(exps: Term[]): Term | undefined {
  if (exps.every((e) => e.k === 'num')) {
    const vs = exps.map((e) => (e as { v: number }).v);
    if (vs.every((v) => v > 0)) return num(Math.min(...vs));
    if (vs.every((v) => v < 0)) return num(Math.max(...vs));
    return undefined;
  }
  return exps.every((e) => e.key === exps[0].key) ? exps[0] : undefined;
}

function factorSum(terms: Term[]): Term {
  if (terms.length < 2) return rawSum(terms);
  const parts = terms.map(factorsOf);
  const common: { key: string; base: Term; exp: Term }[] = [];
  for (const key of parts[0].order) {
    if (!parts.every((p) => p.factors.has(key))) continue;
    const exp = commonExponent(parts.map((p) => p.factors.get(key)!.exp));
    if (exp) common.push({ key, base: parts[0].factors.get(key)!.base, exp });
  }
  const magnitudes = parts.map((p) => Math.abs(p.coef));
  const sameMagnitude = magnitudes.every((m) => m === magnitudes[0]) && magnitudes[0] !== 1 && magnitudes[0] !== 0;
  const allNegative = parts.every((p) => p.coef < 0);
  const coef = (sameMagnitude ? magnitudes[0] : 1) * (allNegative ? -1 : 1);
  if (common.length === 0 && coef === 1) return rawSum(terms);
  const inner = parts.map((p) => {
    const factors: Term[] = [];
    for (const key of p.order) {
      const { base, exp } = p.factors.get(key)!;
      const c = common.find((x) => x.key === key);
      const left = c ? add(exp, mul(num(-1), c.exp)) : exp;
      if (isNum(left, 0)) continue;
      factors.push(isNum(left, 1) ? base : { k: 'pow', base, exp: left, key: `^(${base.key},${left.key})` });
    }
    return rawProd(p.coef / coef, factors);
  });
  const pulled = common.map((c) => (isNum(c.exp, 1) ? c.base : ({ k: 'pow', base: c.base, exp: c.exp, key: `^(${c.base.key},${c.exp.key})` } as Term)));
  // What is left may have common factors of its own only if it is one sum: factor it again.
  const rest = factorSum(inner);
  return rawProd(coef, [...pulled, rest]);
}
