/**
 * Syntax trees of the expression language to terms. Calls are resolved through the built-ins
 * table (./names.ts), their arguments bound to parameter names: tensor arguments become terms,
 * options (`dim=0`, `reduction='sum'`) literals. The same conversion reads the derivative
 * formulas of ./rules.ts and the user's formula, so both are one language.
 */
import { UsageError } from '../errors';
import type { Expr } from '../parse/python/ast';
import { unparse } from '../parse/python/unparse';
import { bindCall, keyFor, keyOf, resolveCallee, resolveProperty, slotsOf, type Target } from './names';
import { add, type Arg, call, compare, type CompareOp, constant, div, type Literal, mul, neg, num, pow, sub, type Term } from './term';

/** Raised where a formula has no symbolic form; the message says why, in one line. */
export class NoSymbolicForm extends UsageError {}

/** A literal option as written: numbers (with a sign), strings, True/False/None, tuples of numbers. */
export function readLiteral(e: Expr): Literal | undefined {
  switch (e.kind) {
    case 'number':
      return e.value;
    case 'string':
      return e.value;
    case 'constant':
      return e.value;
    case 'unary': {
      const v = readLiteral(e.operand);
      return typeof v === 'number' ? (e.op === '-' ? -v : v) : undefined;
    }
    case 'tuple':
    case 'list': {
      const items = e.elements.map(readLiteral);
      return items.every((v) => typeof v === 'number') ? (items as number[]) : undefined;
    }
    default:
      return undefined;
  }
}

/** Arithmetic of the language, as terms. */
export const ARITHMETIC: Readonly<Record<string, (a: Term, b: Term) => Term>> = {
  '+': add,
  '-': sub,
  '*': mul,
  '/': div,
  '**': pow,
};

/** The built-ins that are the arithmetic operators (torch.add(a, b) is a + b), by name. */
const OPERATOR_NAMES: Readonly<Record<string, string>> = {
  add: '+',
  sub: '-',
  mul: '*',
  div: '/',
  pow: '**',
  matmul: '@',
  'linalg.matmul': '@',
  mm: '@',
  mv: '@',
  dot: '@',
};

let operators: Map<string, string> | undefined;
/** The operator a built-in's key stands for, if it is one. */
export function operatorOf(key: string): string | undefined {
  operators ??= new Map(Object.entries(OPERATOR_NAMES).map(([n, op]) => [keyFor(n), op]));
  return operators.get(key);
}

/** Calls that return their argument unchanged (in float64). */
export const isIdentity = (key: string): boolean => key === keyFor('clone') || key === keyFor('double');

/**
 * A term for a call of `key` with bound arguments: operators become algebra (torch.add(a, b,
 * alpha=2) is a + 2·b), a few identities are applied, everything else stays a call.
 */
export function callTerm(key: string, args: readonly Arg[]): Term {
  const t = (p: string): Term | undefined => {
    const a = args.find((x) => x.param === p);
    return a && 'term' in a ? a.term : a && typeof a.literal === 'number' ? num(a.literal) : undefined;
  };
  const op = operatorOf(key);
  if (op === '@') {
    const [a, b] = args.filter((x) => 'term' in x) as { param: string; term: Term }[];
    return call('op:@', [
      { param: 'input', term: a.term },
      { param: 'other', term: b.term },
    ]);
  }
  const rounding = args.find((x) => x.param === 'rounding_mode');
  if (op && t('input') && (t('other') ?? t('exponent')) && !(rounding && 'literal' in rounding && rounding.literal !== null)) {
    let other = (t('other') ?? t('exponent'))!;
    const alpha = t('alpha');
    if (alpha && (op === '+' || op === '-')) other = mul(alpha, other);
    return ARITHMETIC[op](t('input')!, other);
  }
  if (key === keyFor('neg')) return neg(t('input')!);
  if (key === keyFor('square')) return pow(t('input')!, num(2));
  if (key === keyFor('reciprocal')) return pow(t('input')!, num(-1));
  if (isIdentity(key)) return t('input')!;
  // Σ of a row of the identity is 1 (the one-hot rows of indexing and cross-entropy).
  const input = t('input');
  if (key === keyFor('sum') && args.length === 1 && input?.k === 'call' && input.fn === 'op:index' && input.args.some((a) => 'term' in a && a.term.k === 'call' && a.term.fn === keyFor('eye'))) {
    return num(1);
  }
  // (xᵀ)ᵀ = x
  if ((key === keyFor('T') || key === keyFor('t')) && t('input')?.k === 'call') {
    const inner = t('input') as Term & { k: 'call' };
    if (inner.fn === key) {
      const x = inner.args.find((a) => a.param === 'input');
      if (x && 'term' in x) return x.term;
    }
  }
  return call(key, args);
}

/** How names of a formula are read: a term, or undefined for a name the formula does not bind. */
export type NameLookup = (n: string) => Term | undefined;

/**
 * Converts a formula's tree into a term (no shapes, nothing evaluated): the derivative formulas
 * of ./rules.ts, with x and the parameters bound by `lookup`.
 */
export function termOf(e: Expr, lookup: NameLookup): Term {
  const shadowed = (n: string): boolean => lookup(n) !== undefined;
  const visit = (e: Expr): Term => {
    switch (e.kind) {
      case 'number':
        return num(e.value);
      case 'name': {
        const t = lookup(e.name);
        if (!t) throw new NoSymbolicForm(`the formula names ${e.name}, which is not bound`);
        return t;
      }
      case 'unary':
        return e.op === '-' ? neg(visit(e.operand)) : visit(e.operand);
      case 'binary': {
        if (e.op === '@') return call('op:@', [{ param: 'input', term: visit(e.left) }, { param: 'other', term: visit(e.right) }]);
        if (e.op === '&' || e.op === '|') return compare(e.op, visit(e.left), visit(e.right));
        const f = ARITHMETIC[e.op];
        if (!f) throw new NoSymbolicForm(`the operator ${e.op} has no symbolic form`);
        return f(visit(e.left), visit(e.right));
      }
      case 'compare': {
        let out: Term | undefined;
        for (let i = 0; i < e.ops.length; i++) {
          const c = compare(e.ops[i] as CompareOp, visit(e.operands[i]), visit(e.operands[i + 1]));
          out = out ? compare('&', out, c) : c;
        }
        return out!;
      }
      case 'attribute': {
        const property = resolveProperty(e, shadowed);
        if (property) return callTerm(keyOf(property.target), [{ param: slotsOf(property.target)[0].name, term: visit(e.object) }]);
        return constant(e, unparse(e));
      }
      case 'call': {
        const resolved = resolveCallee(e.callee, shadowed);
        if (!resolved) throw new NoSymbolicForm(`${unparse(e.callee)} is not a function of the language`);
        const bound = bindCall(resolved.target, e.args, e.kwargs, resolved.self);
        if ('problem' in bound) throw new NoSymbolicForm(`${unparse(e.callee)} ${bound.problem}`);
        return callTerm(keyOf(resolved.target), argsOf(resolved.target, bound.bound, visit));
      }
      case 'subscript': {
        const index = e.indices.map((i) => (i.kind === 'slice' ? undefined : readLiteral(i)));
        if (!index.every((i) => typeof i === 'number')) throw new NoSymbolicForm(`${unparse(e)}: only whole-number indices have a symbolic form`);
        return call('op:index', [
          { param: 'input', term: visit(e.object) },
          { param: 'index', literal: index as number[] },
        ]);
      }
      default:
        return constant(e, unparse(e));
    }
  };
  return visit(e);
}

/** A call's bound arguments in signature order: terms for tensor parameters, literals for options. */
export function argsOf(target: Target, bound: ReadonlyMap<string, Expr | Expr[]>, visit: (e: Expr) => Term): Arg[] {
  const out: Arg[] = [];
  for (const slot of slotsOf(target)) {
    const given = bound.get(slot.name);
    if (given === undefined) continue;
    if (Array.isArray(given)) {
      const items = given.map(readLiteral);
      if (!items.every((v) => typeof v === 'number')) throw new NoSymbolicForm(`the argument ${slot.name} must be written as numbers to have a symbolic form`);
      out.push({ param: slot.name, literal: items as number[] });
      continue;
    }
    const lit = readLiteral(given);
    if (lit !== undefined && (typeof lit !== 'number' || !slot.tensor)) out.push({ param: slot.name, literal: lit });
    // A number written as a formula (math.sqrt(2*math.pi)) is a term like a tensor.
    else out.push({ param: slot.name, term: visit(given) });
  }
  return out;
}
