/**
 * Binding given arguments to a descriptor's PyTorch signature: defaults filled in, each value
 * checked against its type, the descriptor's own check run. Every input source (command-line
 * flags, standard input, expression calls, the library) goes through here, so a parameter is
 * validated the same way whichever way it came.
 */
import { constant } from '../autograd/elementwise';
import { Var } from '../autograd/var';
import type { Tensor } from '../tensor';
import { type ArgSpec, ArgumentError, type Args, type ArgValue, type Descriptor } from './types';

/** A value before binding: tensors as Tensors (constants) or Vars (differentiable), the rest as they are. */
export type RawArg = ArgValue | Tensor;

const isTensor = (v: unknown): v is Tensor => typeof v === 'object' && v !== null && 'shape' in v && 'data' in v && !(v instanceof Var);

function describe(v: RawArg): string {
  if (v instanceof Var || isTensor(v)) return 'a tensor';
  if (Array.isArray(v)) return `[${v.join(', ')}]`;
  if (typeof v === 'string') return `"${v}"`;
  return String(v);
}

/** A tensor argument given as a one-element tensor, read as a number (PyTorch's item()). */
function scalarOf(v: RawArg): number | undefined {
  if (typeof v === 'number') return v;
  const t = v instanceof Var ? v.value : isTensor(v) ? v : undefined;
  return t && t.data.length === 1 ? t.data[0] : undefined;
}

function bindOne(fn: Descriptor, spec: ArgSpec, v: RawArg): ArgValue {
  const wrong = (what: string): never => {
    throw new ArgumentError((name) => `${fn.name}: ${name(spec.name)} takes ${what}, not ${describe(v)}`);
  };
  if (v === null) {
    if (spec.default === null || spec.legacy) return null;
    return wrong(spec.type === 'tensor' ? 'numbers' : `a value (it has no None)`);
  }
  if (spec.legacy) return wrong('only None (it is deprecated; use reduction)');
  switch (spec.type) {
    case 'tensor':
      if (v instanceof Var) return v;
      if (isTensor(v)) return constant(v);
      if (typeof v === 'number') return constant(v);
      if (Array.isArray(v) || v instanceof Float64Array) return constant({ shape: [v.length], data: Float64Array.from(v as ArrayLike<number>) });
      return wrong('numbers');
    case 'number': {
      const x = scalarOf(v);
      if (x === undefined || typeof v === 'boolean') return wrong('a number');
      return x;
    }
    case 'int': {
      const x = scalarOf(v);
      if (x === undefined || !Number.isInteger(x)) return wrong('a whole number');
      return x;
    }
    case 'ints': {
      // A few take a word instead (conv's padding='same' / 'valid').
      if (typeof v === 'string' && spec.choices?.includes(v)) return v;
      const x = scalarOf(v);
      if (x !== undefined && Number.isInteger(x)) return [x];
      if (Array.isArray(v) && v.every((e) => Number.isInteger(e))) return v as readonly number[];
      const t = v instanceof Var ? v.value : isTensor(v) ? v : undefined;
      if (t && t.shape.length === 1 && t.data.every((e) => Number.isInteger(e))) return Array.from(t.data);
      return wrong('a whole number or a tuple of them');
    }
    case 'boolean':
      if (typeof v === 'boolean') return v;
      if (v === 0 || v === 1) return v === 1;
      return wrong('True or False');
    case 'choice':
      if (typeof v === 'string' && spec.choices!.includes(v)) return v;
      return wrong(`one of ${spec.choices!.map((c) => `'${c}'`).join(', ')}`);
  }
}

/**
 * The descriptor's arguments from what was given (by PyTorch keyword name), PyTorch's defaults
 * for the rest. A missing required argument, a value of the wrong type, or one the descriptor's
 * check rejects is an ArgumentError naming the argument.
 */
export function bindArgs(fn: Descriptor, given: Readonly<Record<string, RawArg | undefined>>): Args {
  const args: Record<string, ArgValue> = {};
  const missing: string[] = [];
  for (const spec of fn.args) {
    const v = given[spec.name];
    if (v === undefined) {
      if (spec.default === undefined) missing.push(spec.name);
      else args[spec.name] = spec.default === null ? null : (spec.default as ArgValue);
      continue;
    }
    args[spec.name] = bindOne(fn, spec, v);
  }
  if (missing.length) {
    throw new ArgumentError((name) => `${fn.name} needs ${missing.map(name).join(' and ')} (e.g. actgrad ${fn.example})`);
  }
  fn.check?.(args);
  return args;
}

/** The flags of a descriptor: every argument but the input, the legacy slots and expression-only ones. */
export const flagArgs = (fn: Descriptor): ArgSpec[] => fn.args.slice(1).filter((s) => !s.legacy && !s.expressionOnly);

/** An argument's command-line flag: the kebab-case of its PyTorch name. */
export const flagOf = (name: string): string => `--${name.replace(/_/g, '-')}`;
