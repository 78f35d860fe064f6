/**
 * Which function a call of the expression language means, and how to write it back. Names are
 * resolved through the one table of built-ins (expr/builtins.ts: builtinFor by spelling) and the
 * registry, with the evaluator's order of precedence (a built-in before a registry function,
 * except under F.), so that `torch.sigmoid`, `F.sigmoid`, `x.sigmoid()` and `sigmoid` are one
 * function here as there. Each function gets one canonical key: 'b:<name>' for a built-in,
 * 'f:<name>' for a registry function (its kebab-case name), by which ./rules.ts finds its
 * derivative.
 */
import { BUILTINS, type Builtin, builtinFor, type Spelling } from '../expr/builtins';
import { functionLookup } from '../expr/engine';
import type { Descriptor } from '../functions/types';
import type { Expr, KeywordArgument } from '../parse/python/ast';

export type Target = { builtin: Builtin } | { descriptor: Descriptor };

/** The prefixes of the language, and the spelling their functions are found under. */
const NAMESPACE_ROOTS: ReadonlySet<string> = new Set(['torch', 'F', 'nn', 'math']);
type Namespace = 'torch' | 'F' | 'linalg' | 'math' | 'nn';

let keys: Map<Builtin, string> | undefined;
let byKey: Map<string, Builtin> | undefined;

/**
 * Every built-in's key: its name, qualified where the same name means another function under
 * another spelling (torch.linalg.norm is not torch.norm; math.exp takes plain numbers).
 */
function builtinKeys(): Map<Builtin, string> {
  if (keys) return keys;
  keys = new Map();
  byKey = new Map();
  for (const b of BUILTINS) {
    const only = b.in.length === 1 ? b.in[0] : undefined;
    let key = `b:${only === 'linalg' || only === 'math' ? `${only}.` : ''}${b.name}`;
    if (byKey.has(key)) key = `${key}@${b.in.join('+')}`;
    keys.set(b, key);
    byKey.set(key, b);
  }
  return keys;
}

export function keyOf(target: Target): string {
  return 'builtin' in target ? builtinKeys().get(target.builtin)! : `f:${target.descriptor.name}`;
}

export function targetOf(key: string): Target | undefined {
  if (key.startsWith('f:')) {
    const d = descriptorNamed(key.slice(2).replace(/-/g, '_'));
    return d ? { descriptor: d } : undefined;
  }
  builtinKeys();
  const b = byKey!.get(key);
  return b ? { builtin: b } : undefined;
}

/** A registry function by its snake_case name (as the evaluator finds them). */
export function descriptorNamed(n: string): Descriptor | undefined {
  return n.includes('-') ? undefined : functionLookup().lookupDescriptor(n);
}

/** The namespace an expression stands for (`torch`, `F`, `torch.nn.functional`, `torch.linalg`), unless a name shadows it. */
export function namespaceOf(e: Expr, shadowed: (n: string) => boolean): Namespace | undefined {
  if (e.kind === 'name') return NAMESPACE_ROOTS.has(e.name) && !shadowed(e.name) ? (e.name as Namespace) : undefined;
  if (e.kind !== 'attribute') return undefined;
  const outer = namespaceOf(e.object, shadowed);
  if (outer === 'torch' && e.name === 'nn') return 'nn';
  if (outer === 'torch' && e.name === 'linalg') return 'linalg';
  if (outer === 'nn' && e.name === 'functional') return 'F';
  return undefined;
}

const builtinUnder = (spelling: Spelling, n: string): Target | undefined => {
  const b = builtinFor(spelling, n);
  return b ? { builtin: b } : undefined;
};
const registryUnder = (n: string): Target | undefined => {
  const d = descriptorNamed(n);
  return d ? { descriptor: d } : undefined;
};

export interface Resolved {
  target: Target;
  /** The method's object (x in x.sum()). */
  self?: Expr;
}

/** The function a callee means, in the evaluator's order of precedence; undefined when it is none. */
export function resolveCallee(callee: Expr, shadowed: (n: string) => boolean): Resolved | undefined {
  if (callee.kind === 'name') {
    if (shadowed(callee.name)) return undefined;
    const t = builtinUnder('bare', callee.name) ?? registryUnder(callee.name);
    return t && { target: t };
  }
  if (callee.kind !== 'attribute') return undefined;
  const ns = namespaceOf(callee.object, shadowed);
  const n = callee.name;
  let t: Target | undefined;
  if (ns === 'torch') t = builtinUnder('torch', n) ?? registryUnder(n);
  else if (ns === 'F') t = registryUnder(n) ?? builtinUnder('F', n);
  else if (ns === 'linalg') t = builtinUnder('linalg', n);
  else if (ns === 'math') t = builtinUnder('math', n);
  else if (ns === 'nn') t = undefined;
  else {
    t = builtinUnder('method', n) ?? registryUnder(n);
    return t && { target: t, self: callee.object };
  }
  return t && { target: t };
}

/** The property `x.name` (x.T, x.mT) when the object is not a namespace. */
export function resolveProperty(e: Expr & { kind: 'attribute' }, shadowed: (n: string) => boolean): Resolved | undefined {
  if (namespaceOf(e.object, shadowed) || (e.object.kind === 'name' && NAMESPACE_ROOTS.has(e.object.name) && !shadowed(e.object.name))) return undefined;
  const t = builtinUnder('property', e.name);
  return t && { target: t, self: e.object };
}

// ---------------------------------------------------------------------------------------------
// Signatures
// ---------------------------------------------------------------------------------------------

export interface Slot {
  readonly name: string;
  readonly keywordOnly?: boolean;
  readonly variadic?: boolean;
  readonly default?: unknown;
  readonly required: boolean;
  /** A tensor argument (else an option: a number, a flag, a choice, dims). */
  readonly tensor: boolean;
}

export function slotsOf(target: Target): Slot[] {
  if ('builtin' in target) {
    return target.builtin.params.map((p) => ({
      name: p.name,
      keywordOnly: p.keywordOnly,
      variadic: p.variadic,
      default: p.default,
      required: p.default === undefined && !p.variadic,
      tensor: p.kind === 'tensor' || p.kind === 'scalar' || p.kind === 'any' || p.kind === 'tensors',
    }));
  }
  return target.descriptor.args
    .filter((a) => !a.legacy)
    .map((a) => ({ name: a.name, default: a.default, required: a.default === undefined, tensor: a.type === 'tensor' }));
}

/** The parameter a method's object fills. */
export function selfParam(target: Target): string {
  return 'builtin' in target ? (target.builtin.self ?? target.builtin.params[0].name) : target.descriptor.args[0].name;
}

/**
 * The arguments of a call by parameter name, as the evaluator binds them: the object of a method
 * to its self parameter, positional arguments in order (a variadic one takes the rest, as a
 * tuple), keywords by name. Returns a message when they do not fit.
 */
export function bindCall(
  target: Target,
  args: readonly Expr[],
  kwargs: readonly KeywordArgument[],
  self: Expr | undefined,
): { bound: Map<string, Expr | Expr[]> } | { problem: string } {
  const slots = slotsOf(target);
  const bound = new Map<string, Expr | Expr[]>();
  const selfName = self ? selfParam(target) : undefined;
  if (self) bound.set(selfName!, self);
  const positional = slots.filter((s) => !s.keywordOnly && s.name !== selfName);
  let k = 0;
  for (const slot of positional) {
    if (k >= args.length) break;
    if (slot.variadic) {
      bound.set(slot.name, args.length - k === 1 ? args[k] : args.slice(k));
      k = args.length;
      break;
    }
    bound.set(slot.name, args[k++]);
  }
  if (k < args.length) return { problem: `takes ${positional.length} positional arguments, not ${args.length}` };
  for (const kw of kwargs) {
    if (!slots.some((s) => s.name === kw.name)) return { problem: `has no argument ${kw.name}` };
    bound.set(kw.name, kw.value);
  }
  return { bound };
}

// ---------------------------------------------------------------------------------------------
// Spelling back
// ---------------------------------------------------------------------------------------------

export type Spelled =
  | { form: 'call'; callee: string[] } // ['torch', 'outer'] → torch.outer(…); ['sigmoid'] → sigmoid(…)
  | { form: 'method'; name: string } // x.unsqueeze(1)
  | { form: 'property'; name: string }; // x.T

/** Shape changes read best as methods, as PyTorch code writes them. */
const AS_METHOD: ReadonlySet<string> = new Set(['unsqueeze', 'squeeze', 'reshape', 'view', 'flatten', 't', 'transpose', 'expand', 'permute']);

/**
 * How a function is written back: bare where the language has the bare name and no bound name
 * shadows it (`sum(…)`, `sigmoid(…)`), else under its PyTorch prefix (`torch.outer`, `F.one_hot`),
 * else as a method or property; each spelling resolves back to the same function.
 */
export function spell(key: string, shadowed: (n: string) => boolean): Spelled {
  const target = targetOf(key);
  if (!target) throw new Error(`no function for the key ${key}`);
  if ('descriptor' in target) {
    const snake = target.descriptor.name.replace(/-/g, '_');
    if (!shadowed(snake) && !builtinFor('bare', snake)) return { form: 'call', callee: [snake] };
    return { form: 'call', callee: ['F', snake] };
  }
  const b = target.builtin;
  const n = b.name;
  if (b.in.includes('property')) return { form: 'property', name: n };
  if (b.in.includes('method') && builtinFor('method', n) === b && AS_METHOD.has(n)) return { form: 'method', name: n };
  if (b.in.includes('bare') && builtinFor('bare', n) === b && !shadowed(n)) return { form: 'call', callee: [n] };
  if (b.in.includes('torch') && builtinFor('torch', n) === b && !shadowed('torch')) return { form: 'call', callee: ['torch', n] };
  if (b.in.includes('linalg') && builtinFor('linalg', n) === b && !shadowed('torch')) return { form: 'call', callee: ['torch', 'linalg', n] };
  if (b.in.includes('F') && builtinFor('F', n) === b && !shadowed('F')) return { form: 'call', callee: ['F', n] };
  if (b.in.includes('math') && !shadowed('math')) return { form: 'call', callee: ['math', n] };
  return { form: 'method', name: n };
}

// ---------------------------------------------------------------------------------------------
// Keys by name
// ---------------------------------------------------------------------------------------------

const keyCache = new Map<string, string>();

/**
 * The key of the function a formula means by `n` written bare, or, where the language has no
 * bare `n`, under torch., F., as a method or a property ('linalg.norm' for torch.linalg.norm).
 * Rules and simplifications name functions this way, so that they follow the table.
 */
export function keyFor(n: string): string {
  const cached = keyCache.get(n);
  if (cached) return cached;
  let target: Target | undefined;
  if (n.startsWith('linalg.')) target = builtinUnder('linalg', n.slice(7));
  else {
    for (const s of ['bare', 'torch', 'F', 'method', 'property'] as const) {
      target ??= builtinUnder(s, n);
      if (s === 'bare') target ??= registryUnder(n);
    }
  }
  if (!target) throw new Error(`the expression language has no function ${n}`);
  const key = keyOf(target);
  keyCache.set(n, key);
  return key;
}

/**
 * Every key a function's name reaches under any spelling but math's (torch.sigmoid, F.sigmoid
 * and x.sigmoid() may be a built-in and a registry function; they compute the same), so that a
 * rule written once covers them all.
 */
export function keysOf(n: string): string[] {
  if (n.startsWith('linalg.')) return [keyFor(n)];
  const targets: Target[] = [];
  for (const s of ['bare', 'torch', 'F', 'method', 'property'] as const) {
    const t = builtinUnder(s, n);
    if (t) targets.push(t);
  }
  const d = registryUnder(n);
  if (d) targets.push(d);
  return [...new Set(targets.map(keyOf))];
}
