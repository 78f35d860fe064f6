/**
 * Reading a value as what an argument needs: a tensor, a plain number, an int, dims, a shape, a
 * flag. Python lists of numbers become tensors where a tensor is needed and tuples of ints where a
 * shape is; a bound name (float64, since the command line cannot know better) is read as an
 * integer where PyTorch takes integers, and then recorded as having no gradient there.
 */
import type { Var } from '../autograd/var';
import { UsageError } from '../errors';
import { numel, shapeText, type Tensor } from '../tensor';
import { elementwiseOps } from './engine';
import {
  type DType,
  type DTypeValue,
  describe,
  type NumberValue,
  pythonNumber,
  type SequenceValue,
  type TensorValue,
  tensorValue,
  type Value,
} from './values';

/** Where a value is read: the call it is an argument of, to record what PyTorch does not differentiate. */
export interface Site {
  /** How the call is written: torch.max, x.sum, F.mse_loss, '+'. */
  readonly spelled: string;
  /**
   * `v` is passed (as `param`) where PyTorch computes no gradient for it; `reason` says why, as a
   * clause: 'class indices have no gradient'. `refused`: PyTorch refuses to differentiate it there
   * at all (a function's argument without a derivative), rather than using it as a constant
   * (.detach(), .item(), an index), so no gradient can be given for it through any other use.
   */
  noGradient(v: Var, reason: string, param?: string, refused?: boolean): void;
}

/** Tensors built from literals above this many elements are refused (80 MB of float64). */
export const MAX_ELEMENTS = 10_000_000;

export function checkSize(shape: readonly number[], what: string): void {
  const n = numel(shape);
  if (!(n <= MAX_ELEMENTS)) throw new UsageError(`${what} would have ${n} elements (shape ${shapeText(shape)}); the limit is ${MAX_ELEMENTS}`);
}

const isPlainTensor = (v: Value): v is TensorValue => v.kind === 'tensor';

/** A hint for values that look like a tensor but are not one. */
function notATensor(v: Value, what: string): never {
  if (v.kind === 'sequence' && v.fields) {
    throw new UsageError(`${what} is the (${v.fields.join(', ')}) tuple that ${v.origin} returns, not a tensor: take .${v.fields[0]} (or [0])`);
  }
  if (v.kind === 'sequence' && containsTensor(v)) {
    throw new UsageError(`${what} is a ${v.type} of tensors, not a tensor: join them with torch.stack([...]) or torch.cat([...])`);
  }
  if (v.kind === 'callable') throw new UsageError(`${what} is ${describe(v)}, not a tensor: call it, ${v.spelled}(…)`);
  throw new UsageError(`${what} takes a tensor, not ${describe(v)}`);
}

function containsTensor(v: SequenceValue): boolean {
  const stack: Value[] = [...v.items];
  while (stack.length) {
    const item = stack.pop()!;
    if (item.kind === 'tensor') return true;
    if (item.kind === 'sequence') stack.push(...item.items);
  }
  return false;
}

const dtypeOfNumber = (n: NumberValue): DType => (n.type === 'float' ? 'float' : n.type === 'int' ? 'int' : 'bool');

/**
 * The numbers of nested lists and tuples as a tensor (torch.tensor's reading): rectangular, of
 * numbers, bools or tensors without gradient; int if every entry is an int, bool if every entry
 * is a bool, else float.
 */
export function literalTensor(v: Value, what: string): { tensor: Tensor; dtype: DType } {
  const shape: number[] = [];
  for (let probe: Value = v; probe.kind === 'sequence'; probe = probe.items[0]) {
    shape.push(probe.items.length);
    if (probe.items.length === 0) break;
  }
  const data: number[] = [];
  let allInt = true;
  let allBool = true;
  // Depth-first over the nesting, checking each level's length (PyTorch's message).
  const stack: [Value, number][] = [[v, 0]];
  while (stack.length) {
    const [item, depth] = stack.pop()!;
    if (item.kind === 'sequence' && !item.fields) {
      if (depth >= shape.length || item.items.length !== shape[depth]) {
        throw new UsageError(`${what}: expected a sequence of length ${shape[depth] ?? 0} at dim ${depth} (got ${item.items.length})`);
      }
      for (let i = item.items.length - 1; i >= 0; i--) stack.push([item.items[i], depth + 1]);
      continue;
    }
    if (depth !== shape.length) throw new UsageError(`${what}: a number where a sequence was expected at dim ${depth}`);
    if (item.kind === 'number') {
      data.push(item.value);
      if (item.type !== 'int') allInt = false;
      if (item.type !== 'bool') allBool = false;
    } else if (item.kind === 'tensor' && item.var.value.data.length === 1) {
      if (item.var.requiresGrad) {
        throw new UsageError(`${what} copies numbers and would lose the gradient of a tensor in it: build it with torch.stack([...])`);
      }
      data.push(item.var.value.data[0]);
      if (item.dtype !== 'int') allInt = false;
      if (item.dtype !== 'bool') allBool = false;
    } else {
      return notATensor(v, what);
    }
  }
  checkSize(shape, 'the tensor');
  const dtype: DType = data.length === 0 ? 'float' : allBool ? 'bool' : allInt ? 'int' : 'float';
  return { tensor: { shape, data: Float64Array.from(data) }, dtype };
}

/** A tensor argument: tensors as they are; numbers and nested lists of numbers as constants. */
export function toTensor(v: Value, what: string): TensorValue {
  if (isPlainTensor(v)) return v;
  const { constant } = elementwiseOps();
  if (v.kind === 'number') return tensorValue(constant(v.value), dtypeOfNumber(v));
  if (v.kind === 'sequence' && !v.fields && !containsTensor(v)) {
    const { tensor, dtype } = literalTensor(v, what);
    return tensorValue(constant(tensor), dtype);
  }
  return notATensor(v, what);
}

/** A tensor, or a plain number kept as one (pow's exponent, clamp's bounds, where's branches). */
export function toScalarOrTensor(v: Value, what: string): TensorValue | number {
  return v.kind === 'number' ? v.value : toTensor(v, what);
}

/** A plain number; a one-element tensor is read as its value (without gradient, as PyTorch's Scalar arguments). */
export function toNumber(v: Value, what: string, site: Site): number {
  if (v.kind === 'number') return v.value;
  if (v.kind === 'tensor' && v.var.value.data.length === 1) {
    if (v.var.requiresGrad) site.noGradient(v.var, 'it is read as a plain number, which has no gradient', what);
    return v.var.value.data[0];
  }
  throw new UsageError(`${what} takes a number, not ${describe(v)}`);
}

/** A Python int; a bound one-element tensor with a whole value counts (the command line binds float64). */
export function toInt(v: Value, what: string, site: Site): number {
  if (v.kind === 'number' && v.type !== 'float') return v.value;
  if (v.kind === 'tensor' && v.var.value.data.length === 1 && Number.isInteger(v.var.value.data[0]) && v.dtype !== 'bool') {
    if (v.var.requiresGrad) site.noGradient(v.var, 'it is read as an integer, which has no gradient', what);
    return v.var.value.data[0];
  }
  const shown = v.kind === 'number' ? pythonNumber(v) : describe(v);
  throw new UsageError(`${what} takes a whole number (an int), not ${shown}`);
}

/** An int, or a tuple/list of them (or a 1-d tensor of whole numbers); None gives null. */
export function toDims(v: Value, what: string, site: Site): number[] | null {
  if (v.kind === 'none') return null;
  if (v.kind === 'sequence' && !v.fields) return v.items.map((item, i) => toInt(item, `${what}[${i}]`, site));
  if (v.kind === 'tensor' && v.var.shape.length === 1 && v.dtype !== 'bool') {
    const data = Array.from(v.var.value.data);
    if (!data.every(Number.isInteger)) throw new UsageError(`${what} takes whole numbers (ints), not ${describe(v)} with fractions`);
    if (v.var.requiresGrad) site.noGradient(v.var, 'it is read as integers, which have no gradient', what);
    return data;
  }
  return [toInt(v, what, site)];
}

/** A shape: a tuple of ints, or (varargs) the ints themselves: x.view(2, 3) and x.view((2, 3)). */
export function toShape(values: readonly Value[], what: string, site: Site): number[] {
  if (values.length === 1 && (values[0].kind === 'sequence' || (values[0].kind === 'tensor' && values[0].var.shape.length === 1))) {
    return toDims(values[0], what, site)!;
  }
  return values.map((v, i) => toInt(v, values.length > 1 ? `${what}[${i}]` : what, site));
}

export function toBool(v: Value, what: string): boolean {
  if (v.kind === 'number' && (v.type === 'bool' || v.value === 0 || v.value === 1)) return v.value !== 0;
  throw new UsageError(`${what} takes True or False, not ${describe(v)}`);
}

export function toChoice(v: Value, what: string, choices: readonly string[]): string {
  if (v.kind === 'string' && (choices.length === 0 || choices.includes(v.value))) return v.value;
  throw new UsageError(`${what} takes ${choices.length ? `one of ${choices.map((c) => `'${c}'`).join(', ')}` : 'a string'}, not ${describe(v)}`);
}

/** A dtype argument: float64 and the integer and boolean types; a type that would round is refused. */
export function toDType(v: Value, what: string): DTypeValue | null {
  if (v.kind === 'none') return null;
  if (v.kind !== 'dtype') throw new UsageError(`${what} takes a dtype such as torch.float64, not ${describe(v)}`);
  if (v.dtype === 'float32') {
    throw new UsageError(`${what}=${v.name}: actgrad computes in float64 only (PyTorch's numbers in ${v.name} would be rounded); use torch.float64`);
  }
  return v;
}

/** A list or tuple of tensors (torch.cat, torch.stack). */
export function toTensors(v: Value, what: string): TensorValue[] {
  if (v.kind !== 'sequence' || v.fields) throw new UsageError(`${what} takes a list or tuple of tensors, not ${describe(v)}`);
  if (v.items.length === 0) throw new UsageError(`${what} needs at least one tensor`);
  return v.items.map((item, i) => toTensor(item, `${what}[${i}]`));
}

/**
 * Python's truth value: numbers, None, strings and sequences as Python; a tensor only when it
 * has one element (PyTorch: "Boolean value of Tensor with more than one value is ambiguous").
 */
export function truthy(v: Value, what: string): boolean {
  switch (v.kind) {
    case 'number':
      return v.value !== 0;
    case 'none':
      return false;
    case 'string':
      return v.value.length > 0;
    case 'sequence':
      return v.items.length > 0;
    case 'tensor':
      if (v.var.value.data.length === 1) return v.var.value.data[0] !== 0;
      throw new UsageError(
        `${what} needs one true or false, but ${describe(v)} has ${v.var.value.data.length} (PyTorch: Boolean value of Tensor with more than one value is ambiguous): use & and | for elementwise and/or, or torch.where`,
      );
    default:
      return true;
  }
}
