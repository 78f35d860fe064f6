/**
 * The operators of the language on values: plain Python numbers as Python computes them (int
 * stays int, `/` is true division, ZeroDivisionError is an error), tensors as PyTorch does (with
 * broadcasting; `//` is floor_divide, which has no gradient, `%` is remainder, whose gradient is
 * 1 for its left operand). Comparisons give boolean masks, which carry no gradient.
 */
import type { Var } from '../autograd/var';
import type { BinaryOp, CompareOp } from '../parse/python/ast';
import { UsageError } from '../errors';
import { broadcastShapes, numel, shapeText } from '../tensor';
import { checkSize, toTensor, truthy } from './convert';
import { divisionOps, elementwiseOps, linalgOps } from './engine';
import {
  boolValue,
  type DType,
  floatValue,
  intValue,
  type NumberValue,
  numberValue,
  pythonNumber,
  type TensorValue,
  tensorValue,
  typeName,
  type Value,
} from './values';

export type ArithmeticOp = Exclude<BinaryOp, '&' | '|'>;

/** PyTorch's result category of a binary op: float if either is float, else int (bool arithmetic counts). */
export const promote = (a: DType, b: DType): DType => (a === 'float' || b === 'float' ? 'float' : 'int');

const isWhole = (n: number): boolean => Number.isSafeInteger(n);

/** Python's arithmetic on plain numbers. */
function pythonArithmetic(op: ArithmeticOp, a: NumberValue, b: NumberValue): NumberValue {
  const ints = a.type !== 'float' && b.type !== 'float';
  const x = a.value;
  const y = b.value;
  const zeroDivision = (what: string): never => {
    throw new UsageError(`${what} by zero (Python's ZeroDivisionError); to get inf or nan, divide tensors: torch.tensor(${pythonNumber(a)}) ${op} ${pythonNumber(b)}`);
  };
  switch (op) {
    case '+':
      return numberValue(x + y, ints ? 'int' : 'float');
    case '-':
      return numberValue(x - y, ints ? 'int' : 'float');
    case '*':
      return numberValue(x * y, ints ? 'int' : 'float');
    case '/':
      if (y === 0) zeroDivision('division');
      return floatValue(x / y);
    case '//': {
      if (y === 0) zeroDivision('floor division');
      const q = divisionOps().floorDivideScalar(x, y);
      return ints ? intValue(q) : floatValue(q);
    }
    case '%': {
      if (y === 0) zeroDivision('modulo');
      return numberValue(divisionOps().remainderScalar(x, y), ints ? 'int' : 'float');
    }
    case '**': {
      if (x === 0 && y < 0) throw new UsageError(`0 cannot be raised to a negative power (Python's ZeroDivisionError)`);
      if (x < 0 && !Number.isInteger(y) && Number.isFinite(y)) {
        throw new UsageError(`${pythonNumber(a)} ** ${pythonNumber(b)} is a complex number in Python; the expression language has real numbers only`);
      }
      const r = elementwiseOps().cpow(x, y);
      if (!ints && !Number.isFinite(r) && Number.isFinite(x) && Number.isFinite(y)) {
        throw new UsageError(`${pythonNumber(a)} ** ${pythonNumber(b)} overflows (Python's OverflowError); use tensors for inf`);
      }
      return ints && y >= 0 && isWhole(r) ? intValue(r) : floatValue(r);
    }
    case '@':
      throw new UsageError(`@ multiplies tensors, not the ${typeName(a)} ${pythonNumber(a)} and the ${typeName(b)} ${pythonNumber(b)}: use *`);
  }
}

/** Refuses broadcasts to more elements than a formula may hold, before they are allocated. */
function checkBroadcast(op: string, a: readonly number[], b: readonly number[]): void {
  const shape = broadcastShapes(a, b);
  if (shape && numel(shape) > 1) checkSize(shape, `${shapeText(a)} ${op} ${shapeText(b)}`);
}

/** a op b on tensors, as torch's operators. */
export function tensorArithmetic(op: ArithmeticOp, x: TensorValue, y: TensorValue): TensorValue {
  const e = elementwiseOps();
  if (op !== '@') checkBroadcast(op, x.var.shape, y.var.shape);
  const dtype = promote(x.dtype, y.dtype);
  switch (op) {
    case '+':
      return tensorValue(e.add(x.var, y.var), dtype);
    case '-':
      return tensorValue(e.sub(x.var, y.var), dtype);
    case '*':
      return tensorValue(e.mul(x.var, y.var), dtype);
    case '/':
      return tensorValue(e.div(x.var, y.var), 'float');
    case '**':
      return tensorValue(e.pow(x.var, y.var), dtype);
    case '//':
      return tensorValue(divisionOps().floorDivide(x.var, y.var), dtype);
    case '%':
      return tensorValue(divisionOps().remainder(x.var, y.var), dtype);
    case '@':
      return tensorValue(linalgOps().matmul(x.var, y.var), dtype);
  }
}

const operandName = (side: 0 | 1, op: string): string => `the ${side === 0 ? 'left' : 'right'} operand of ${op}`;

/** Python's operators on numbers, PyTorch's on tensors; numbers and lists join tensors as constants. */
export function arithmetic(op: ArithmeticOp, a: Value, b: Value): Value {
  if (a.kind === 'number' && b.kind === 'number') return pythonArithmetic(op, a, b);
  // A (values, indices) tuple where a tensor belongs: toTensor's message says what to take.
  for (const [side, v] of [a, b].entries()) if (v.kind === 'sequence' && v.fields) toTensor(v, operandName(side as 0 | 1, op));
  const arithmetical = (v: Value): boolean => v.kind === 'tensor' || v.kind === 'number' || v.kind === 'sequence';
  if ((a.kind !== 'tensor' && b.kind !== 'tensor') || !arithmetical(a) || !arithmetical(b)) {
    const hint = a.kind === 'sequence' || b.kind === 'sequence' ? ' (Python would join or repeat lists; for numbers, write torch.tensor([...]))' : '';
    throw new UsageError(`unsupported operand types for ${op}: ${typeName(a)} and ${typeName(b)}${hint}`);
  }
  const x = toTensor(a, operandName(0, op));
  const y = toTensor(b, operandName(1, op));
  // tensor ** number is PyTorch's pow(Tensor, Scalar), with its fast paths (x ** 0.5 is sqrt):
  // the number stays a number. A tensor exponent, even torch.tensor(0.5), is pow(Tensor, Tensor).
  if (op === '**' && a.kind === 'tensor' && b.kind === 'number') return tensorValue(elementwiseOps().pow(x.var, b.value), promote(x.dtype, y.dtype));
  return tensorArithmetic(op, x, y);
}

/** Elementwise masks from a boolean-like tensor: bool tensors, and 0/1 values (bound names are float64). */
function asMask(v: TensorValue, what: string): Var {
  if (v.dtype === 'bool') return v.var;
  const d = v.var.value.data;
  for (let i = 0; i < d.length; i++) {
    if (d[i] !== 0 && d[i] !== 1) {
      throw new UsageError(`${what} needs a boolean tensor (a comparison such as x > 0), not ${v.dtype === 'int' ? 'an integer' : 'a float'} tensor holding ${d[i]}`);
    }
  }
  return v.var;
}

/** `a & b`, `a | b`: bitwise on Python ints, logical on boolean tensors. */
export function bitwise(op: '&' | '|', a: Value, b: Value): Value {
  if (a.kind === 'number' && b.kind === 'number' && a.type !== 'float' && b.type !== 'float') {
    const r = op === '&' ? a.value & b.value : a.value | b.value;
    return a.type === 'bool' && b.type === 'bool' ? boolValue(r !== 0) : intValue(r);
  }
  if (a.kind !== 'tensor' && b.kind !== 'tensor') throw new UsageError(`unsupported operand types for ${op}: ${typeName(a)} and ${typeName(b)}`);
  const x = asMask(toTensor(a, operandName(0, op)), op);
  const y = asMask(toTensor(b, operandName(1, op)), op);
  checkBroadcast(op, x.shape, y.shape);
  const e = elementwiseOps();
  return tensorValue(op === '&' ? e.logicalAnd(x, y) : e.logicalOr(x, y), 'bool');
}

/** Unary minus, plus and `~`. */
export function unary(op: '-' | '+' | '~', a: Value): Value {
  if (a.kind === 'number') {
    const type = a.type === 'bool' ? 'int' : a.type;
    if (op === '~') {
      if (a.type === 'float') throw new UsageError(`bad operand type for unary ~: 'float'`);
      return intValue(~a.value);
    }
    return numberValue(op === '-' ? -a.value : a.value, type);
  }
  const x = toTensor(a, `the operand of unary ${op}`);
  if (op === '+') return x;
  const e = elementwiseOps();
  if (op === '-') return tensorValue(e.neg(x.var), x.dtype === 'bool' ? 'int' : x.dtype);
  return tensorValue(e.logicalNot(asMask(x, '~')), 'bool');
}

const COMPARE: Record<CompareOp, (x: number, y: number) => boolean> = {
  '<': (x, y) => x < y,
  '<=': (x, y) => x <= y,
  '>': (x, y) => x > y,
  '>=': (x, y) => x >= y,
  '==': (x, y) => x === y,
  '!=': (x, y) => x !== y,
};

/** Python's == on numbers, strings, None and tuples of them (x.shape == (2, 3)). */
function pythonEqual(a: Value, b: Value): boolean | undefined {
  if (a.kind === 'number' && b.kind === 'number') return a.value === b.value;
  if (a.kind === 'string' && b.kind === 'string') return a.value === b.value;
  if (a.kind === 'none' || b.kind === 'none') return a.kind === b.kind;
  if (a.kind === 'sequence' && b.kind === 'sequence') {
    if (a.items.length !== b.items.length || a.type !== b.type) return false;
    for (let i = 0; i < a.items.length; i++) {
      const same = pythonEqual(a.items[i], b.items[i]);
      if (same !== true) return same;
    }
    return true;
  }
  return undefined;
}

/** One comparison: a Python bool for plain values, a boolean mask (no gradient) for tensors. */
export function compare(op: CompareOp, a: Value, b: Value): Value {
  if (a.kind === 'number' && b.kind === 'number') return boolValue(COMPARE[op](a.value, b.value));
  if (a.kind !== 'tensor' && b.kind !== 'tensor') {
    if (op === '==' || op === '!=') {
      const same = pythonEqual(a, b);
      if (same !== undefined) return boolValue(op === '==' ? same : !same);
    }
    throw new UsageError(`'${op}' is not supported between ${typeName(a)} and ${typeName(b)}`);
  }
  const x = toTensor(a, operandName(0, op));
  const y = toTensor(b, operandName(1, op));
  checkBroadcast(op, x.var.shape, y.var.shape);
  const e = elementwiseOps();
  const f = { '<': e.lt, '<=': e.le, '>': e.gt, '>=': e.ge, '==': e.eq, '!=': e.ne }[op];
  return tensorValue(f(x.var, y.var), 'bool');
}

/** `a < b <= c`: Python's `a < b and b <= c`, so a chain of tensor comparisons needs one-element tensors. */
export function compareChain(ops: readonly CompareOp[], operands: readonly Value[]): Value {
  let result = compare(ops[0], operands[0], operands[1]);
  for (let i = 1; i < ops.length; i++) {
    if (!truthy(result, `the chained comparison (a ${ops[i - 1]} b ${ops[i]} c is a ${ops[i - 1]} b and b ${ops[i]} c)`)) return result;
    result = compare(ops[i], operands[i], operands[i + 1]);
  }
  return result;
}

/** How an operator's contribution to its operand i is formed, in the operands' names (--steps). */
export function operatorRule(op: BinaryOp | 'neg', G: string, names: readonly string[], i: number, shapes: readonly (readonly number[])[]): string {
  const [a, b] = names;
  const times = (factor: string): string => `${G} · ${factor}`;
  switch (op) {
    case '+':
      return times('1');
    case '-':
      return times(i === 0 ? '1' : '(-1)');
    case 'neg':
      return times('(-1)');
    case '*':
      return times(i === 0 ? b : a);
    case '/':
      return times(i === 0 ? `1/${b}` : `(-${a}/${b}²)`);
    case '**':
      return times(i === 0 ? `${b}·${a}^(${b} - 1)` : `${a}^${b}·log ${a}`);
    case '%':
      return times(i === 0 ? '1' : `(-(${a} // ${b}))`);
    case '@': {
      const ra = shapes[0].length;
      const rb = shapes[1].length;
      if (ra === 1 && rb === 1) return times(i === 0 ? b : a);
      if (i === 0) return rb === 1 ? `${G} ⊗ ${b}` : `${G} · ${b}ᵀ`;
      return ra === 1 ? `${a} ⊗ ${G}` : `${a}ᵀ · ${G}`;
    }
    default:
      return `${G} · ∂(${a} ${op} ${b})/∂${names[i]}`;
  }
}
