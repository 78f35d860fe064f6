/**
 * Calls: positional and keyword arguments bound to a signature in PyTorch's order (a built-in's
 * params or a registry function's args), each read as its parameter needs. A registry function's
 * arguments then go through bindArgs, the one validation every input source shares; its
 * ArgumentErrors are worded with the call's own argument text (`target y has 2 numbers`).
 */
import type { Var } from '../autograd/var';
import { didYouMean, UsageError } from '../errors';
import type { RawArg } from '../functions/args';
import { type ArgSpec, ArgumentError, type Descriptor } from '../functions/types';
import type { Arg, Args, Builtin, Param, ParamKind } from './builtins';
import {
  literalTensor,
  type Site,
  toBool,
  toChoice,
  toDims,
  toDType,
  toInt,
  toNumber,
  toScalarOrTensor,
  toShape,
  toTensor,
  toTensors,
} from './convert';
import { elementwiseOps, functionArgs } from './engine';
import { describe, NONE, type TensorValue, type Value } from './values';

/** An argument as written: its value and its source text (for messages and worked solutions). */
export interface Given {
  readonly value: Value;
  readonly text: string;
  /** Offset of the argument in the source, for the caret. */
  readonly pos: number;
}

export interface CallArguments {
  /** The call as messages show it (its source text, shortened): `x.sum(dim=1.5)`. */
  readonly display: string;
  /** Offset of the function's name, for the caret of errors about the whole call. */
  readonly pos: number;
  /** The method's object (x in x.sum()), if any. */
  readonly self?: Given;
  readonly positional: readonly Given[];
  readonly keywords: readonly (Given & { readonly name: string })[];
}

/** A problem with the arguments of a call, its message complete: the caret goes to `pos`. */
export class ArgumentProblem extends UsageError {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
  }
}

/** A parameter as a signature binds it, for built-ins and registry functions alike. */
interface Slot {
  readonly name: string;
  readonly required: boolean;
  readonly keywordOnly?: boolean;
  readonly variadic?: boolean;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Assigns the given arguments to slots: the object to `selfName`, positional ones in order,
 * keywords by name. Too many, unknown, repeated or missing arguments are errors naming the call.
 */
function assign(slots: readonly Slot[], call: CallArguments, selfName: string | undefined): Map<string, Given[]> {
  const { display } = call;
  const assigned = new Map<string, Given[]>();
  if (call.self && selfName !== undefined) assigned.set(selfName, [call.self]);
  const positionalSlots = slots.filter((s) => !s.keywordOnly && s.name !== selfName);
  let k = 0;
  for (const slot of positionalSlots) {
    if (k >= call.positional.length) break;
    if (slot.variadic) {
      assigned.set(slot.name, call.positional.slice(k));
      k = call.positional.length;
    } else {
      assigned.set(slot.name, [call.positional[k++]]);
    }
  }
  if (k < call.positional.length) {
    const extra = call.positional[k];
    throw new ArgumentProblem(
      `${display} takes at most ${plural(positionalSlots.length, 'positional argument')}${call.self ? ' besides its object' : ''} (${call.positional.length} given)`,
      extra.pos,
    );
  }
  for (const kw of call.keywords) {
    const slot = slots.find((s) => s.name === kw.name && s.name !== selfName);
    if (!slot) {
      const names = slots.filter((s) => s.name !== selfName).map((s) => s.name);
      const known = names.length ? `; its arguments: ${names.join(', ')}` : '';
      throw new ArgumentProblem(`${display} got an unexpected keyword argument '${kw.name}'${didYouMean(kw.name, names)}${known}`, kw.pos);
    }
    if (assigned.has(kw.name)) throw new ArgumentProblem(`${display} got multiple values for the argument '${kw.name}'`, kw.pos);
    assigned.set(kw.name, [kw]);
  }
  const missing = slots.filter((s) => s.required && !assigned.has(s.name));
  if (missing.length) {
    throw new ArgumentProblem(`${display} needs its argument${missing.length === 1 ? '' : 's'} ${missing.map((s) => s.name).join(' and ')}`, call.pos);
  }
  return assigned;
}

/** Reads one argument as its kind needs. */
function read(kind: ParamKind, given: readonly Given[], param: Param, site: Site): Arg {
  const what = param.name;
  if (param.variadic && kind === 'shape') return toShape(given.map((g) => g.value), what, site);
  const v = given[0].value;
  if (v.kind === 'none' && param.default === null && kind !== 'any') return null;
  switch (kind) {
    case 'tensor':
      return toTensor(v, what);
    case 'scalar':
      return toScalarOrTensor(v, what);
    case 'tensors':
      return toTensors(v, what);
    case 'number':
      return toNumber(v, what, site);
    case 'plain':
      if (v.kind === 'number') return v.value;
      throw new UsageError(`${site.spelled} takes a plain number as ${what}, not ${describe(v)}${site.spelled.startsWith('math.') ? `; for a tensor, use torch.${site.spelled.slice(5)}` : ''}`);
    case 'int':
      return toInt(v, what, site);
    case 'dims':
      return toDims(v, what, site);
    case 'shape':
      return toShape([v], what, site);
    case 'bool':
      return toBool(v, what);
    case 'string':
      return toChoice(v, what, param.choices ?? []);
    case 'dtype':
      return toDType(v, what);
    case 'any':
      return v;
  }
}

/** The arguments of a built-in call, read; PyTorch's defaults for the rest. */
export function bindBuiltin(b: Builtin, call: CallArguments, site: Site): Args {
  const selfName = call.self ? (b.self ?? b.params[0]?.name) : undefined;
  const slots = b.params.map((p) => ({ name: p.name, required: p.default === undefined && !p.variadic, keywordOnly: p.keywordOnly, variadic: p.variadic }));
  const assigned = assign(slots, call, selfName);
  const args: Record<string, Arg> = {};
  for (const p of b.params) {
    const given = assigned.get(p.name);
    if (given === undefined || given.length === 0) {
      args[p.name] = p.variadic ? [] : p.kind === 'any' ? defaultValue(p.default ?? null) : (p.default as Arg);
      continue;
    }
    try {
      args[p.name] = read(p.kind, given, p, site);
    } catch (e) {
      if (e instanceof UsageError && !(e instanceof ArgumentProblem)) throw new ArgumentProblem(`${call.display}: ${e.message}`, given[0].pos);
      throw e;
    }
  }
  return args;
}

/** A default of an 'any' parameter as a value. */
function defaultValue(d: Param['default'] | null): Value {
  if (d === null || d === undefined) return NONE;
  if (typeof d === 'number') return { kind: 'number', value: d, type: Number.isInteger(d) ? 'int' : 'float' };
  if (typeof d === 'boolean') return { kind: 'number', value: d ? 1 : 0, type: 'bool' };
  if (typeof d === 'string') return { kind: 'string', value: d };
  return { kind: 'sequence', type: 'tuple', items: d.map((n) => ({ kind: 'number', value: n, type: 'int' })) };
}

/**
 * The argument text a message shows beside the parameter's name, `target y`, for tensors only: a
 * literal (3, 'avg', (4,)) is already shown by the message as the value.
 */
function argumentText(given: Given | undefined, name: string): string {
  if (!given || given.text === name || given.value.kind !== 'tensor') return name;
  const text = given.text.length > 30 ? `${given.text.slice(0, 29)}…` : given.text;
  return `${name} ${text}`;
}

/** A value as the registry's bindArgs takes it (Vars for tensors, plain numbers, flags, strings, int tuples). */
function rawArg(spec: ArgSpec, given: Given, site: Site): RawArg {
  const v = given.value;
  switch (v.kind) {
    case 'none':
      return null;
    case 'number':
      return v.type === 'bool' ? v.value !== 0 : v.value;
    case 'string':
      return v.value;
    case 'tensor':
      if (spec.type === 'tensor') return v.var;
      // A tensor read as a number or as ints: PyTorch takes its value without gradient.
      if (v.var.requiresGrad) site.noGradient(v.var, `it is read as a plain ${spec.type === 'number' ? 'number' : 'integer'}, which has no gradient`, spec.name);
      return v.var;
    case 'sequence':
      if (spec.type === 'tensor') return toTensor(v, spec.name).var;
      if (spec.type === 'ints') return toDims(v, spec.name, site);
      return literalTensor(v, spec.name).tensor;
    default:
      throw new UsageError(`${spec.name} takes ${spec.type === 'tensor' ? 'a tensor' : `a ${spec.type}`}, not ${describe(v)}`);
  }
}

/** Removes a message's leading "name: " (the registry's own prefix, replaced by the call's text). */
const withoutPrefix = (message: string, names: readonly string[]): string => {
  for (const n of names) if (message.startsWith(`${n}: `)) return message.slice(n.length + 2);
  return message;
};

/**
 * Calls a registry function: arguments bound by PyTorch's signature, tensors PyTorch does not
 * differentiate (running statistics, ...) passed without their gradient and recorded, then
 * bindArgs and the forward. Its ArgumentErrors are worded with the call's arguments.
 */
export function callDescriptor(d: Descriptor, call: CallArguments, site: Site): Var {
  const slots = d.args.map((s) => ({ name: s.name, required: s.default === undefined }));
  const assigned = assign(slots, call, call.self ? d.args[0]?.name : undefined);
  const given: Record<string, RawArg | undefined> = {};
  const texts = new Map<string, Given>();
  for (const spec of d.args) {
    const g = assigned.get(spec.name)?.[0];
    if (!g) continue;
    texts.set(spec.name, g);
    try {
      let raw = rawArg(spec, g, site);
      if (spec.noGrad && g.value.kind === 'tensor' && g.value.var.requiresGrad) {
        site.noGradient(g.value.var, spec.noGrad, spec.name, true);
        raw = elementwiseOps().constant(g.value.var.value);
      }
      given[spec.name] = raw;
    } catch (e) {
      if (e instanceof UsageError) throw new ArgumentProblem(`${call.display}: ${e.message}`, g.pos);
      throw e;
    }
  }
  try {
    const args = functionArgs().bindArgs(d, given);
    // The parameter a tensor was passed as, for the message (a descriptor may report a tensor it derived).
    const paramOf = (v: Var): string | undefined => d.args.find((s) => given[s.name] === v)?.name;
    return d.forward(args, { noGradient: (v, reason) => site.noGradient(v, reason, paramOf(v), true) });
  } catch (e) {
    if (e instanceof ArgumentError) {
      const message = e.compose((name) => argumentText(texts.get(name), name));
      throw new UsageError(withoutPrefix(message, [d.name, d.name.replace(/-/g, '_'), ...(d.aliases ?? [])]));
    }
    throw e;
  }
}

/** The tensors with a gradient among values, depth-first (the inputs of a worked-solution step). */
export function differentiableInputs(values: readonly Value[]): TensorValue[] {
  const found: TensorValue[] = [];
  const stack = [...values].reverse();
  while (stack.length) {
    const v = stack.pop()!;
    if (v.kind === 'tensor') {
      if (v.var.requiresGrad) found.push(v);
    } else if (v.kind === 'sequence') {
      for (let i = v.items.length - 1; i >= 0; i--) stack.push(v.items[i]);
    }
  }
  return found;
}

/** The values with the tensors of differentiableInputs replaced, in the same order, by `vars`. */
export function substitute(values: readonly Value[], vars: readonly Var[]): Value[] {
  let k = 0;
  const replace = (v: Value): Value => {
    if (v.kind === 'tensor') return v.var.requiresGrad ? { ...v, var: vars[k++] } : v;
    if (v.kind === 'sequence') return { ...v, items: v.items.map(replace) };
    return v;
  };
  return values.map(replace);
}

