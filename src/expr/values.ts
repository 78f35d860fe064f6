/**
 * What an expression evaluates to: a tensor (a Var of the engine, with PyTorch's dtype category),
 * a plain Python number (int, float or bool, which stays plain in Python arithmetic, as
 * `math.sqrt(2 * math.pi)` does), None, a string, a tuple or list, a slice or Ellipsis inside a
 * subscript, a dtype, a namespace (torch, F, math) or something to call.
 */
import type { Var } from '../autograd/var';
import type { Descriptor } from '../functions/types';
import { shapeText } from '../tensor';
import type { Builtin } from './builtins';

/**
 * A tensor's dtype as far as the language needs it: every number is computed in float64, but an
 * integer tensor indexes and a boolean tensor masks, as in PyTorch.
 */
export type DType = 'float' | 'int' | 'bool';

export interface TensorValue {
  readonly kind: 'tensor';
  readonly var: Var;
  readonly dtype: DType;
}

/** A Python int, float or bool (bool is an int in Python: True + 1 == 2). */
export interface NumberValue {
  readonly kind: 'number';
  readonly value: number;
  readonly type: 'int' | 'float' | 'bool';
}

export interface StringValue {
  readonly kind: 'string';
  readonly value: string;
}

export interface NoneValue {
  readonly kind: 'none';
}

export interface EllipsisValue {
  readonly kind: 'ellipsis';
}

/** `start:stop:step` in a subscript, each part None or a value still to be read as an int. */
export interface SliceValue {
  readonly kind: 'slice';
  readonly start: Value;
  readonly stop: Value;
  readonly step: Value;
}

/**
 * A Python list or tuple; `torch.Size` (x.shape) is a tuple. A named tuple (torch.return_types,
 * e.g. `torch.max(x, dim=0)`) has `fields` (values, indices) and `origin`, the call it came from.
 */
export interface SequenceValue {
  readonly kind: 'sequence';
  readonly type: 'list' | 'tuple';
  readonly items: readonly Value[];
  /**
   * How deeply sequences nest in it (1 when none of its items is a sequence; absent means 1).
   * Bounded like brackets, so that walking a value never recurses without bound, even when a
   * program nests lists through statements (a = [a]).
   */
  readonly depth?: number;
  readonly fields?: readonly string[];
  readonly origin?: string;
}

/** torch.float64, torch.long, ... */
export interface DTypeValue {
  readonly kind: 'dtype';
  readonly name: string;
  /** float32 stands for every dtype that would round (actgrad computes in float64 only). */
  readonly dtype: DType | 'float32';
}

/** torch, torch.nn, torch.nn.functional (F), torch.linalg, math. */
export interface NamespaceValue {
  readonly kind: 'namespace';
  readonly path: Namespace;
}

export type Namespace = 'torch' | 'torch.nn' | 'torch.nn.functional' | 'torch.linalg' | 'math';

/** What a callable refers to: a built-in of the language or a function of the registry. */
export type Target = { readonly builtin: Builtin } | { readonly descriptor: Descriptor };

/** A function, or a method bound to its object (`x.sum`). `spelled` is how the source names it. */
export interface CallableValue {
  readonly kind: 'callable';
  readonly target: Target;
  readonly self?: Value;
  readonly spelled: string;
}

export type Value =
  | TensorValue
  | NumberValue
  | StringValue
  | NoneValue
  | EllipsisValue
  | SliceValue
  | SequenceValue
  | DTypeValue
  | NamespaceValue
  | CallableValue;

export const NONE: NoneValue = { kind: 'none' };
export const ELLIPSIS: EllipsisValue = { kind: 'ellipsis' };

export const tensorValue = (v: Var, dtype: DType = 'float'): TensorValue => ({ kind: 'tensor', var: v, dtype });
export const numberValue = (value: number, type: NumberValue['type'] = Number.isInteger(value) ? 'int' : 'float'): NumberValue => ({
  kind: 'number',
  value,
  type,
});
export const intValue = (value: number): NumberValue => ({ kind: 'number', value, type: 'int' });
export const floatValue = (value: number): NumberValue => ({ kind: 'number', value, type: 'float' });
export const boolValue = (value: boolean): NumberValue => ({ kind: 'number', value: value ? 1 : 0, type: 'bool' });
export const tuple = (items: readonly Value[]): SequenceValue => ({ kind: 'sequence', type: 'tuple', items });

/** A number as Python prints it: 2, 2.0, True, inf, nan. */
export function pythonNumber(n: NumberValue): string {
  if (n.type === 'bool') return n.value ? 'True' : 'False';
  if (Number.isNaN(n.value)) return 'nan';
  if (!Number.isFinite(n.value)) return n.value > 0 ? 'inf' : '-inf';
  const s = String(n.value);
  return n.type === 'float' && Number.isInteger(n.value) && !s.includes('e') ? `${s}.0` : s;
}

/** Python's name of the value's type, as in its TypeError messages. */
export function typeName(v: Value): string {
  switch (v.kind) {
    case 'tensor':
      return 'Tensor';
    case 'number':
      return v.type;
    case 'string':
      return 'str';
    case 'none':
      return 'NoneType';
    case 'ellipsis':
      return 'ellipsis';
    case 'slice':
      return 'slice';
    case 'sequence':
      return v.fields ? `torch.return_types.${(v.origin ?? 'tuple').split('.').pop()}` : v.type;
    case 'dtype':
      return 'torch.dtype';
    case 'namespace':
      return 'module';
    case 'callable':
      return v.self ? 'method' : 'function';
  }
}

/** The value in a few words, for messages: "a tensor of shape [2, 3]", "the number 1.5". */
export function describe(v: Value): string {
  switch (v.kind) {
    case 'tensor':
      return v.var.shape.length === 0 ? 'a one-number tensor' : `a tensor of shape ${shapeText(v.var.shape)}`;
    case 'number':
      return v.type === 'bool' ? pythonNumber(v) : `the number ${pythonNumber(v)}`;
    case 'string':
      return `the string '${v.value}'`;
    case 'none':
      return 'None';
    case 'ellipsis':
      return '...';
    case 'slice':
      return 'a slice';
    case 'sequence':
      if (v.fields) return `a (${v.fields.join(', ')}) tuple`;
      return `a ${v.type} of ${v.items.length} item${v.items.length === 1 ? '' : 's'}`;
    case 'dtype':
      return v.name;
    case 'namespace':
      return `the module ${v.path}`;
    case 'callable':
      return `the ${v.self ? 'method' : 'function'} ${v.spelled}`;
  }
}
