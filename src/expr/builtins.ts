/**
 * The built-ins of the expression language: one table, from which name lookup, help, `explain`,
 * `list` and completion are generated. Each entry has its names, where it can be written
 * (`torch.sum`, `x.sum()`, `sum(...)`, `F.…`, `torch.linalg.…`, `math.…`, or a property `x.T`),
 * PyTorch's signature (positional and keyword names in PyTorch's order, with its defaults), a
 * one-line doc, and its implementation with the engine's differentiable ops, loaded lazily.
 *
 * The functions of the registry (activations, losses, layers) are not repeated here: they are
 * found by their names after these, under every prefix and as methods (`F.relu`, `torch.relu`,
 * `x.relu()`, `relu(x)`).
 */
import type { Var } from '../autograd/var';
import { UsageError } from '../errors';
import { erf, erfc } from '../math';
import { broadcastShapes, numel, shapeText, type Tensor } from '../tensor';
import { checkSize, literalTensor, type Site, toDims, toInt, toTensor } from './convert';
import { broadcastOps, elementwiseOps, functionArgs, functionLookup, linalgOps, reduceOps, shapeOps } from './engine';
import { arithmetic, compare, type ArithmeticOp, operatorRule, promote } from './operators';
import {
  boolValue,
  type DType,
  type DTypeValue,
  floatValue,
  intValue,
  numberValue,
  type SequenceValue,
  type TensorValue,
  tensorValue,
  tuple,
  type Value,
} from './values';

/** Where a built-in can be written. */
export type Spelling = 'torch' | 'method' | 'property' | 'bare' | 'F' | 'linalg' | 'math';

/**
 * How an argument is read:
 * - tensor: a tensor (plain numbers and lists of numbers become constant tensors);
 * - scalar: a tensor, or a plain number kept as one (pow's exponent, clamp's bounds);
 * - tensors: a list or tuple of tensors;
 * - number: a plain number (a one-element tensor is read as its value, without gradient);
 * - plain: a plain Python number only (math's functions);
 * - int, dims (an int, a tuple of ints, or None), shape (a tuple of ints, or the ints themselves
 *   when variadic), bool, string, dtype; any: the value as it is.
 */
export type ParamKind = 'tensor' | 'scalar' | 'tensors' | 'number' | 'plain' | 'int' | 'dims' | 'shape' | 'bool' | 'string' | 'dtype' | 'any';

export interface Param {
  readonly name: string;
  readonly kind: ParamKind;
  /** PyTorch's default; null is None; absent: required. */
  readonly default?: number | boolean | string | null | readonly number[];
  /** After `*` in PyTorch's signature: by keyword only. */
  readonly keywordOnly?: boolean;
  /** `*size`: takes the remaining positional arguments, or one tuple. */
  readonly variadic?: boolean;
  readonly choices?: readonly string[];
}

/** An argument after reading, by kind. */
export type Arg = TensorValue | TensorValue[] | number | boolean | string | null | readonly number[] | DTypeValue | Value;
export type Args = Readonly<Record<string, Arg>>;

/**
 * A step of a worked solution as its rule sees it: its inputs with a gradient (names, the
 * parameters they were passed as, values), its output, and all its operands (constants by their
 * source text) with the operand each input is.
 */
export interface RuleContext {
  readonly names: readonly string[];
  readonly params: readonly string[];
  readonly inputs: readonly Var[];
  readonly output: Var;
  readonly operands: readonly string[];
  readonly operandShapes: readonly (readonly number[])[];
  /** operandOf[i]: the position among the operands of input i */
  readonly operandOf: readonly number[];
}

/** How a step's contribution to its input i is formed, in names, given the upstream gradient's name G. */
export type StepRule = (G: string, step: RuleContext, i: number) => string;

export interface Builtin {
  /** The name after the prefix or the dot. */
  readonly name: string;
  /** Other names of the same function (torch.clip for torch.clamp). */
  readonly aliases?: readonly string[];
  readonly in: readonly Spelling[];
  /** PyTorch's parameters in order; a method's object fills `self` (default: the first). */
  readonly params: readonly Param[];
  readonly self?: string;
  readonly doc: string;
  readonly rule?: StepRule;
  call(a: Args, site: Site): Value;
}

// ---------------------------------------------------------------------------------------------
// Reading arguments
// ---------------------------------------------------------------------------------------------

const input = (a: Args, name = 'input'): TensorValue => a[name] as TensorValue;
const varOf = (a: Args, name = 'input'): Var => (a[name] as TensorValue).var;
const num = (a: Args, name: string): number => a[name] as number;
const flag = (a: Args, name: string): boolean => a[name] as boolean;
const dimsOf = (a: Args, name: string): number[] | null => a[name] as number[] | null;
const valueOf = (a: Args, name: string): Value => a[name] as Value;
const scalarOf = (a: Args, name: string): TensorValue | number | null => a[name] as TensorValue | number | null;
const varOrNumber = (v: TensorValue | number): Var | number => (typeof v === 'number' ? v : v.var);

const INPUT: Param = { name: 'input', kind: 'tensor' };
const OTHER: Param = { name: 'other', kind: 'tensor' };
const KEEPDIM: Param = { name: 'keepdim', kind: 'bool', default: false };
const DTYPE: Param = { name: 'dtype', kind: 'dtype', default: null, keywordOnly: true };
const REQUIRES_GRAD: Param = { name: 'requires_grad', kind: 'bool', default: false, keywordOnly: true };

const float = (v: Var): TensorValue => tensorValue(v, 'float');

/** A dimension of a tensor of rank r, from -r..r-1 (PyTorch's "Dimension out of range"). */
function dimOf(d: number, rank: number, extra = 0): number {
  const r = Math.max(rank + extra, 1);
  if (d < -r || d >= r) throw new UsageError(`dimension out of range (expected to be in range of [${-r}, ${r - 1}], but got ${d})`);
  return d < 0 ? d + r : d;
}

/** The dtype argument (float32 was refused when it was read), if given. */
const dtypeArg = (a: Args): DType | undefined => (a.dtype as DTypeValue | null)?.dtype as DType | undefined;
const dtypeAfter = (x: TensorValue, dtype: DTypeValue | null): DType => (dtype ? (dtype.dtype as DType) : x.dtype);

/** The values of a constant in a dtype: integers truncate toward zero, booleans are 0 or 1. */
function cast(t: Tensor, dtype: DType): Tensor {
  if (dtype === 'float') return t;
  return { shape: t.shape, data: t.data.map((v) => (dtype === 'bool' ? (v !== 0 ? 1 : 0) : Math.trunc(v))) };
}

const constantValue = (t: Tensor, dtype: DType): TensorValue => tensorValue(elementwiseOps().constant(cast(t, dtype)), dtype);

// ---------------------------------------------------------------------------------------------
// Rules for worked solutions
// ---------------------------------------------------------------------------------------------

const elementwiseRule =
  (name: string): StepRule =>
  (G, { names }) =>
    `${G} ⊙ ${name}'(${names[0]})`;
const everyElement: StepRule = (G, { output }) => (numel(output.shape) === 1 ? `${G} · 1 (every element)` : `${G} · 1 (every element of its slice)`);
const meanRule: StepRule = (G, { inputs, output }) => `${G} / ${numel(inputs[0].shape) / Math.max(numel(output.shape), 1)} (every element)`;
const moved: StepRule = (G) => `${G} moved back to where the elements came from`;
const operator =
  (op: Parameters<typeof operatorRule>[0]): StepRule =>
  (G, { operands, operandShapes, operandOf }, i) =>
    operatorRule(op, G, operands, operandOf[i], operandShapes);

// ---------------------------------------------------------------------------------------------
// Families of entries
// ---------------------------------------------------------------------------------------------

type Elementwise = ReturnType<typeof elementwiseOps>;

/** torch.f(x), x.f(), f(x): an elementwise math function; int and bool inputs give floats unless `keepsInt`. */
function mathFunction(name: string, doc: string, op: (e: Elementwise) => (x: Var) => Var, options: { aliases?: string[]; keepsInt?: boolean } = {}): Builtin {
  return {
    name,
    aliases: options.aliases,
    in: ['torch', 'method', 'bare'],
    params: [INPUT],
    doc,
    rule: elementwiseRule(name),
    call: (a) => {
      const x = input(a);
      return tensorValue(op(elementwiseOps())(x.var), options.keepsInt && x.dtype !== 'float' ? 'int' : 'float');
    },
  };
}

/** math.f(x) on plain numbers, as Python's math module: a domain or range error is an error. */
function mathModule(name: string, doc: string, f: (...xs: number[]) => number, params: readonly Param[] = [{ name: 'x', kind: 'plain' }], returnsInt = false): Builtin {
  return {
    name,
    in: ['math'],
    params,
    doc,
    call: (a) => {
      const xs = params.filter((p) => a[p.name] !== null).map((p) => num(a, p.name));
      const y = f(...xs);
      if ((Number.isNaN(y) && !xs.some(Number.isNaN)) || (!Number.isFinite(y) && !Number.isNaN(y) && xs.every(Number.isFinite))) {
        throw new UsageError(
          `math.${name}(${xs.join(', ')}) has no finite value (Python raises a math domain or range error); torch.${name} on a tensor gives inf or nan`,
        );
      }
      return returnsInt ? intValue(y) : floatValue(y);
    },
  };
}

/** torch.op(input, other) and x.op(other) for the arithmetic operators. */
function arithmeticFunction(name: string, op: ArithmeticOp, doc: string, aliases?: string[]): Builtin {
  return {
    name,
    aliases,
    in: ['torch', 'method'],
    params: [
      { name: 'input', kind: 'any' },
      { name: 'other', kind: 'any' },
    ],
    doc,
    rule: operator(op),
    call: (a) => arithmetic(op, valueOf(a, 'input'), valueOf(a, 'other')),
  };
}

/** torch.gt(input, other) etc.: boolean masks, as the comparison operators. */
function comparison(name: string, op: '<' | '<=' | '>' | '>=' | '==' | '!=', aliases: string[]): Builtin {
  return {
    name,
    aliases,
    in: ['torch', 'method'],
    params: [
      { name: 'input', kind: 'any' },
      { name: 'other', kind: 'any' },
    ],
    doc: `input ${op} other, elementwise: a boolean mask (no gradient)`,
    call: (a) => compare(op, valueOf(a, 'input'), valueOf(a, 'other')),
  };
}

/** A boolean mask from a tensor's values: nonzero is true. */
const maskOf = (x: TensorValue): Var => {
  const e = elementwiseOps();
  return x.dtype === 'bool' ? x.var : e.ne(x.var, 0);
};

function logical(name: string, f: (p: boolean, q: boolean) => boolean): Builtin {
  return {
    name,
    in: ['torch', 'method'],
    params: [INPUT, OTHER],
    doc: `logical ${name.slice(8)} of two tensors (nonzero is true): a boolean mask`,
    call: (a) => {
      const x = maskOf(input(a));
      const y = maskOf(input(a, 'other'));
      const e = elementwiseOps();
      const t = e.binaryKernel(name, x.value, y.value, (p, q) => (f(p !== 0, q !== 0) ? 1 : 0));
      return tensorValue(e.constant(t), 'bool');
    },
  };
}

function floatTest(name: string, test: (v: number) => boolean): Builtin {
  return {
    name,
    in: ['torch', 'method'],
    params: [INPUT],
    doc: `where the input is ${name.slice(2)}: a boolean mask`,
    call: (a) => {
      const x = varOf(a);
      return tensorValue(elementwiseOps().constant({ shape: x.shape, data: x.value.data.map((v) => (test(v) ? 1 : 0)) }), 'bool');
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Reductions
// ---------------------------------------------------------------------------------------------

type Reduction = 'sum' | 'mean' | 'amax' | 'amin';

function reduction(name: Reduction, doc: string, dimDefault: null | readonly number[], inSpellings: readonly Spelling[], rule: StepRule): Builtin {
  const hasDtype = name === 'sum' || name === 'mean';
  return {
    name,
    in: inSpellings,
    params: [INPUT, { name: 'dim', kind: 'dims', default: dimDefault }, KEEPDIM, ...(hasDtype ? [DTYPE] : [])],
    doc,
    rule,
    call: (a) => {
      const x = input(a);
      const dims = dimsOf(a, 'dim') ?? undefined;
      const r = reduceOps()[name](x.var, dims, flag(a, 'keepdim'));
      const dtype = hasDtype && a.dtype ? (a.dtype as DTypeValue).dtype : name === 'mean' ? 'float' : x.dtype === 'bool' ? 'int' : x.dtype;
      return tensorValue(r, dtype as DType);
    },
  };
}

/**
 * torch.max / torch.min: of all elements (the gradient shared evenly among ties), along a
 * dimension (values and indices; the gradient goes to the index chosen), or of two tensors
 * (= maximum / minimum).
 */
function extremum(which: 'max' | 'min'): Builtin {
  return {
    name: which,
    in: ['torch', 'method', 'bare'],
    params: [{ name: 'input', kind: 'any' }, { name: 'dim', kind: 'any', default: null }, KEEPDIM, { name: 'other', kind: 'any', default: null, keywordOnly: true }],
    doc: `${which} of all elements (ties share the gradient); with dim, the (values, indices) along it; with a tensor, the elementwise ${which}imum; of two plain numbers, Python's ${which}`,
    rule: (G, { names }, i) => (names.length > 1 ? `${G} where ${names[i]} is the ${which}imum` : `${G} at the ${which}imum`),
    call: (a, site) => {
      const first = valueOf(a, 'input');
      const second = valueOf(a, 'other').kind !== 'none' ? valueOf(a, 'other') : valueOf(a, 'dim');
      // Python's max(a, b) of plain numbers (the bare name is also Python's built-in).
      if (first.kind === 'number' && second.kind === 'number') {
        const pick = which === 'max' ? second.value > first.value : second.value < first.value;
        return pick ? second : first;
      }
      const x = toTensor(first, 'input');
      const e = elementwiseOps();
      if (second.kind === 'none') return tensorValue(which === 'max' ? reduceOps().maxAll(x.var) : reduceOps().minAll(x.var), x.dtype);
      if (second.kind === 'number' && valueOf(a, 'other').kind === 'none') {
        const dim = toInt(second, 'dim', site);
        const { values, indices } = reduceOps().extremumAlong(x.var, dim, flag(a, 'keepdim'), which);
        const result: SequenceValue = {
          kind: 'sequence',
          type: 'tuple',
          items: [tensorValue(values, x.dtype), tensorValue(e.constant(indices), 'int')],
          fields: ['values', 'indices'],
          origin: site.spelled,
        };
        return result;
      }
      const y = toTensor(second, 'other');
      return tensorValue((which === 'max' ? e.maximum : e.minimum)(x.var, y.var), promote(x.dtype, y.dtype));
    },
  };
}

/** var and std: PyTorch's (input, dim, unbiased, keepdim, *, correction); var(x, False) is the unbiased overload. */
function spread(name: 'var' | 'std'): Builtin {
  return {
    name,
    in: ['torch', 'method'],
    params: [
      INPUT,
      { name: 'dim', kind: 'any', default: null },
      { name: 'unbiased', kind: 'bool', default: true },
      KEEPDIM,
      { name: 'correction', kind: 'number', default: null, keywordOnly: true },
    ],
    doc:
      name === 'var'
        ? 'variance Σ(x - mean)² / (N - correction), correction 1 (unbiased) unless unbiased=False or correction= says otherwise'
        : 'standard deviation: the square root of var',
    call: (a, site) => {
      const x = varOf(a);
      let dimValue = valueOf(a, 'dim');
      let unbiased = flag(a, 'unbiased');
      // torch.var(input, unbiased): a bool where dim stands is the flag.
      if (dimValue.kind === 'number' && dimValue.type === 'bool') {
        unbiased = dimValue.value !== 0;
        dimValue = { kind: 'none' };
      }
      const dims = toDims(dimValue, 'dim', site);
      const correction = a.correction === null ? (unbiased ? 1 : 0) : num(a, 'correction');
      const { sum, mean, normaliseDims } = reduceOps();
      const e = elementwiseOps();
      const reduced = normaliseDims(dims ?? undefined, x.shape.length);
      const n = reduced.reduce((p, d) => p * (x.shape[d] ?? 1), 1);
      const deviation = e.sub(x, mean(x, reduced, true));
      // PyTorch's var_backward is (2 / (N - correction)) · grad · (x - mean): the derivative of this.
      const v = e.div(sum(e.mul(deviation, deviation), reduced, flag(a, 'keepdim')), Math.max(0, n - correction));
      return float(name === 'var' ? v : e.stdOfVariance(v));
    },
  };
}

/**
 * The p-norm over dims (all when null), computed by the registry's `norm` (torch.norm's forward
 * and norm_backward, written once there); this adds what torch.norm and torch.linalg accept
 * besides a number for p.
 */
function pNorm(x: Var, p: number, dims: readonly number[] | null, keepdim: boolean): Var {
  const descriptor = functionLookup().lookupDescriptor('norm');
  if (!descriptor) throw new UsageError('the norm function is not available in this build');
  const args = functionArgs().bindArgs(descriptor, { input: x, p, dim: dims, keepdim });
  return descriptor.forward(args, { noGradient: () => {} });
}

/** p as torch.norm reads it: a number, 'fro' (2), inf. */
function normOrder(p: Value, name: string): number {
  if (p.kind === 'none') return 2;
  if (p.kind === 'number') return p.value;
  if (p.kind === 'string' && p.value === 'fro') return 2;
  if (p.kind === 'string' && p.value === 'nuc') throw new UsageError(`${name}='nuc' (the nuclear norm) needs singular values, which actgrad does not compute`);
  throw new UsageError(`${name} takes a number, inf or 'fro', not ${p.kind === 'string' ? `'${p.value}'` : p.kind}`);
}

/** Matrix norms of the last two dims (dims given): Frobenius, and the max/min row or column sums as torch.linalg.matrix_norm. */
function matrixNorm(x: Var, ord: Value, dims: readonly number[], keepdim: boolean): Var {
  if (ord.kind === 'string' && ord.value === 'fro') return pNorm(x, 2, dims, keepdim);
  const o = ord.kind === 'number' ? ord.value : NaN;
  if (o === 1 || o === -1 || o === Infinity || o === -Infinity) {
    const r = x.shape.length;
    if (dims.length !== 2) throw new UsageError('a matrix norm needs two dimensions');
    const [d0, d1] = dims.map((d) => dimOf(d, r));
    // linalg_matrix_norm: ord ±inf sums |x| along the columns' dimension (each row), ±1 along the rows'.
    const [summed, extreme] = o === Infinity || o === -Infinity ? [d1, d0] : [d0, d1];
    const { sum, amax, amin } = reduceOps();
    const sums = sum(elementwiseOps().abs(x), summed, true);
    const picked = (o > 0 ? amax : amin)(sums, extreme, true);
    return keepdim ? picked : shapeOps().reshape(picked, x.shape.filter((_, d) => d !== d0 && d !== d1));
  }
  throw new UsageError(`the matrix norm of order ${ord.kind === 'string' ? `'${ord.value}'` : String(o)} needs singular values, which actgrad does not compute; use 'fro', 1, -1, inf or -inf`);
}

// ---------------------------------------------------------------------------------------------
// Shapes
// ---------------------------------------------------------------------------------------------

function squeezeShape(shape: readonly number[], dims: readonly number[] | null): number[] {
  if (dims === null) return shape.filter((s) => s !== 1);
  const drop = new Set(dims.map((d) => dimOf(d, shape.length)));
  return shape.filter((s, d) => !(drop.has(d) && s === 1));
}

/** torch.flatten(input, start_dim, end_dim). */
function flattenShape(shape: readonly number[], start: number, end: number): number[] {
  if (shape.length === 0) return [1];
  const s = dimOf(start, shape.length);
  const e = dimOf(end, shape.length);
  if (s > e) throw new UsageError(`flatten() has invalid args: start_dim ${start} cannot come after end_dim ${end}`);
  return [...shape.slice(0, s), numel(shape.slice(s, e + 1)), ...shape.slice(e + 1)];
}

/** x.expand(*sizes): -1 keeps a size; new leading dimensions may be added. */
function expandShape(shape: readonly number[], sizes: readonly number[]): number[] {
  const offset = sizes.length - shape.length;
  if (offset < 0) throw new UsageError(`expand: the number of sizes (${sizes.length}) must be at least the number of dimensions (${shape.length})`);
  return sizes.map((s, i) => {
    if (s !== -1) return s;
    if (i < offset) throw new UsageError(`expand: -1 is not allowed for a new leading dimension`);
    return shape[i - offset];
  });
}

function checkMatrix(x: Var, what: string): void {
  if (x.shape.length !== 2) throw new UsageError(`${what} expects a matrix (2 dimensions), not a tensor of shape ${shapeText(x.shape)}`);
}

/** The flat positions of the k-th diagonal of a rows×cols matrix. */
function diagonalIndex(rows: number, cols: number, k: number): Int32Array {
  const length = Math.max(0, Math.min(rows + Math.min(k, 0), cols - Math.max(k, 0)));
  const start = k >= 0 ? k : -k * cols;
  return Int32Array.from({ length }, (_, i) => start + i * (cols + 1));
}

function diag(x: Var, k: number): Var {
  const { take } = shapeOps();
  if (x.shape.length === 2) {
    const idx = diagonalIndex(x.shape[0], x.shape[1], k);
    return take(x, idx, [idx.length]);
  }
  if (x.shape.length !== 1) throw new UsageError(`diag expects a vector or a matrix, not a tensor of shape ${shapeText(x.shape)}`);
  // A vector on the k-th diagonal of a square matrix: take with -1 (zero) off the diagonal.
  const n = x.shape[0] + Math.abs(k);
  const idx = new Int32Array(n * n).fill(-1);
  diagonalIndex(n, n, k).forEach((p, i) => (idx[p] = i));
  return take(x, idx, [n, n]);
}

/** torch.flip: the elements in reverse order along dims, as a strided take. */
function flip(x: Var, dims: readonly number[]): Var {
  const { stridedIndex, take } = shapeOps();
  const shape = x.shape;
  const strides = shape.map((_, d) => numel(shape.slice(d + 1)));
  let offset = 0;
  for (const d of new Set(dims.map((d) => dimOf(d, shape.length)))) {
    offset += (shape[d] - 1) * strides[d];
    strides[d] = -strides[d];
  }
  return take(x, stridedIndex(shape, strides, offset), shape);
}

// ---------------------------------------------------------------------------------------------
// Literals
// ---------------------------------------------------------------------------------------------

function filled(shape: readonly number[], value: number, dtype: DType): TensorValue {
  if (shape.some((s) => !(s >= 0))) throw new UsageError(`sizes cannot be negative: ${shapeText(shape)}`);
  checkSize(shape, 'the tensor');
  return constantValue({ shape: shape.slice(), data: new Float64Array(numel(shape)).fill(value) }, dtype);
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

export const BUILTINS: readonly Builtin[] = [
  // --- elementwise math (torch.f, x.f(), f) ---
  mathFunction('exp', 'e^x', (e) => e.exp),
  mathFunction('log', 'natural logarithm', (e) => e.log),
  mathFunction('log1p', 'log(1 + x), accurate near 0', (e) => e.log1p),
  mathFunction('expm1', 'e^x - 1, accurate near 0', (e) => e.expm1),
  mathFunction('log2', 'base-2 logarithm', (e) => e.log2),
  mathFunction('log10', 'base-10 logarithm', (e) => e.log10),
  mathFunction('sqrt', 'square root (its derivative is inf at 0, as in PyTorch)', (e) => e.sqrt),
  mathFunction('rsqrt', '1/sqrt(x)', (e) => e.rsqrt),
  mathFunction('sin', 'sine', (e) => e.sin),
  mathFunction('cos', 'cosine', (e) => e.cos),
  mathFunction('tan', 'tangent', (e) => e.tan),
  mathFunction('asin', 'arcsine', (e) => e.asin, { aliases: ['arcsin'] }),
  mathFunction('acos', 'arccosine', (e) => e.acos, { aliases: ['arccos'] }),
  mathFunction('atan', 'arctangent', (e) => e.atan, { aliases: ['arctan'] }),
  // The engine's ops, which the registry's sigmoid and tanh are too: torch.sigmoid(x) needs no function family.
  mathFunction('sigmoid', "1/(1 + e^-x), with PyTorch's backward y(1 - y) from the output", (e) => e.sigmoid),
  mathFunction('tanh', "hyperbolic tangent, with PyTorch's backward 1 - y² from the output", (e) => e.tanh),
  mathFunction('sinh', 'hyperbolic sine', (e) => e.sinh),
  mathFunction('cosh', 'hyperbolic cosine', (e) => e.cosh),
  mathFunction('erf', 'the error function', (e) => e.erf),
  mathFunction('erfc', 'the complementary error function 1 - erf(x)', (e) => e.erfc),
  mathFunction('abs', '|x| (its derivative is sign(x), 0 at 0)', (e) => e.abs, { aliases: ['absolute'], keepsInt: true }),
  mathFunction('sign', 'the sign -1, 0 or 1 (derivative 0)', (e) => e.sign, { aliases: ['sgn'], keepsInt: true }),
  mathFunction('neg', '-x', (e) => e.neg, { aliases: ['negative'], keepsInt: true }),
  mathFunction('square', 'x², as x ** 2', (e) => (x) => e.pow(x, 2), { keepsInt: true }),
  mathFunction('reciprocal', '1/x', (e) => (x) => e.div(1, x)),

  // --- arithmetic, as the operators ---
  {
    name: 'add',
    in: ['torch', 'method'],
    params: [{ name: 'input', kind: 'any' }, { name: 'other', kind: 'any' }, { name: 'alpha', kind: 'any', default: 1, keywordOnly: true }],
    doc: 'input + alpha · other',
    rule: operator('+'),
    call: (a) => arithmetic('+', valueOf(a, 'input'), arithmetic('*', valueOf(a, 'alpha'), valueOf(a, 'other'))),
  },
  {
    name: 'sub',
    aliases: ['subtract'],
    in: ['torch', 'method'],
    params: [{ name: 'input', kind: 'any' }, { name: 'other', kind: 'any' }, { name: 'alpha', kind: 'any', default: 1, keywordOnly: true }],
    doc: 'input - alpha · other',
    rule: operator('-'),
    call: (a) => arithmetic('-', valueOf(a, 'input'), arithmetic('*', valueOf(a, 'alpha'), valueOf(a, 'other'))),
  },
  arithmeticFunction('mul', '*', 'input · other, elementwise', ['multiply']),
  {
    name: 'div',
    aliases: ['divide', 'true_divide'],
    in: ['torch', 'method'],
    params: [
      { name: 'input', kind: 'any' },
      { name: 'other', kind: 'any' },
      { name: 'rounding_mode', kind: 'string', default: null, keywordOnly: true, choices: ['trunc', 'floor'] },
    ],
    doc: "input / other (true division); rounding_mode 'floor' or 'trunc' rounds, without gradient",
    rule: operator('/'),
    call: (a) => {
      const q = arithmetic(a.rounding_mode === 'floor' ? '//' : '/', valueOf(a, 'input'), valueOf(a, 'other'));
      if (a.rounding_mode !== 'trunc') return q;
      if (q.kind === 'number') return numberValue(Math.trunc(q.value), q.type);
      const t = q as TensorValue;
      return constantValue({ shape: t.var.shape, data: t.var.value.data.map(Math.trunc) }, t.dtype);
    },
  },
  {
    name: 'pow',
    in: ['torch', 'method', 'bare'],
    params: [
      { name: 'input', kind: 'any' },
      { name: 'exponent', kind: 'any' },
    ],
    doc: "input ** exponent (PyTorch's pow_backward: 0 where the exponent is 0; for the exponent, 0 where input = 0 and exponent ≥ 0)",
    rule: operator('**'),
    call: (a) => arithmetic('**', valueOf(a, 'input'), valueOf(a, 'exponent')),
  },
  arithmeticFunction('floor_divide', '//', 'floor(input / other), as //: no gradient (PyTorch does not differentiate it)'),
  arithmeticFunction('remainder', '%', 'input % other with the sign of other, as %: gradient 1 for input, -(input // other) for other'),
  arithmeticFunction('matmul', '@', 'the matrix product with torch.matmul\'s rules (vector·vector, matrix·vector, batches)'),
  {
    name: 'maximum',
    in: ['torch', 'method'],
    params: [INPUT, OTHER],
    doc: 'elementwise maximum; at ties each gets half the gradient',
    rule: (G, { names }, i) => `${G} where ${names[i]} is the larger (half at ties)`,
    call: (a) => tensorValue(elementwiseOps().maximum(varOf(a), varOf(a, 'other')), promote(input(a).dtype, input(a, 'other').dtype)),
  },
  {
    name: 'minimum',
    in: ['torch', 'method'],
    params: [INPUT, OTHER],
    doc: 'elementwise minimum; at ties each gets half the gradient',
    rule: (G, { names }, i) => `${G} where ${names[i]} is the smaller (half at ties)`,
    call: (a) => tensorValue(elementwiseOps().minimum(varOf(a), varOf(a, 'other')), promote(input(a).dtype, input(a, 'other').dtype)),
  },
  {
    name: 'clamp',
    aliases: ['clip'],
    in: ['torch', 'method'],
    params: [INPUT, { name: 'min', kind: 'scalar', default: null }, { name: 'max', kind: 'scalar', default: null }],
    doc: 'min(max(input, min), max); the gradient passes where min ≤ input ≤ max',
    rule: (G, { names, params }, i) => (params[i] === 'input' ? `${G} where ${names[i]} is within the bounds, else 0` : `${G} where the bound ${names[i]} applies`),
    call: (a) => clamp(input(a), scalarOf(a, 'min'), scalarOf(a, 'max')),
  },
  {
    name: 'clamp_min',
    in: ['torch', 'method'],
    params: [INPUT, { name: 'min', kind: 'scalar' }],
    doc: 'max(input, min)',
    call: (a) => clamp(input(a), scalarOf(a, 'min'), null),
  },
  {
    name: 'clamp_max',
    in: ['torch', 'method'],
    params: [INPUT, { name: 'max', kind: 'scalar' }],
    doc: 'min(input, max)',
    call: (a) => clamp(input(a), null, scalarOf(a, 'max')),
  },
  {
    name: 'where',
    in: ['torch', 'method'],
    self: 'input',
    params: [
      { name: 'condition', kind: 'tensor' },
      { name: 'input', kind: 'scalar' },
      { name: 'other', kind: 'scalar' },
    ],
    doc: 'input where condition holds, else other; it selects, so an inf or nan on the side not taken does not reach the gradient',
    rule: (G, { names, params }, i) => `${G} where ${names[params.indexOf('condition')]}${params[i] === 'other' ? ' is false' : ''}, else 0`,
    call: (a, site) => {
      const c = input(a, 'condition');
      if (c.dtype !== 'bool' && c.var.requiresGrad) site.noGradient(c.var, 'a condition has no gradient', 'condition');
      const x = scalarOf(a, 'input')!;
      const y = scalarOf(a, 'other')!;
      const dims = [c.var.shape, typeof x === 'number' ? [] : x.var.shape, typeof y === 'number' ? [] : y.var.shape];
      const shape = dims.reduce<number[] | undefined>((s, d) => (s ? broadcastShapes(s, d) : undefined), []);
      if (shape) checkSize(shape, 'the result');
      const dtype = promote(typeof x === 'number' ? 'int' : x.dtype, typeof y === 'number' ? 'int' : y.dtype);
      const anyFloat = (typeof x === 'number' && !Number.isInteger(x)) || (typeof y === 'number' && !Number.isInteger(y));
      return tensorValue(elementwiseOps().where(maskOf(c), varOrNumber(x), varOrNumber(y)), anyFloat ? 'float' : dtype);
    },
  },
  comparison('gt', '>', ['greater']),
  comparison('ge', '>=', ['greater_equal']),
  comparison('lt', '<', ['less']),
  comparison('le', '<=', ['less_equal']),
  comparison('eq', '==', []),
  comparison('ne', '!=', ['not_equal']),
  logical('logical_and', (p, q) => p && q),
  logical('logical_or', (p, q) => p || q),
  logical('logical_xor', (p, q) => p !== q),
  {
    name: 'logical_not',
    in: ['torch', 'method'],
    params: [INPUT],
    doc: 'logical not (zero is false): a boolean mask',
    call: (a) => tensorValue(elementwiseOps().logicalNot(maskOf(input(a))), 'bool'),
  },
  floatTest('isnan', Number.isNaN),
  floatTest('isinf', (v) => v === Infinity || v === -Infinity),
  floatTest('isfinite', Number.isFinite),

  // --- reductions ---
  reduction('sum', 'the sum of all elements, or along dim (keepdim keeps it as size 1)', null, ['torch', 'method', 'bare'], everyElement),
  reduction('mean', 'the mean of all elements, or along dim', null, ['torch', 'method', 'bare'], meanRule),
  reduction('amax', 'the maximum along dim (all by default); ties share the gradient evenly', [], ['torch', 'method'], (G) => `${G} shared among the maxima`),
  reduction('amin', 'the minimum along dim (all by default); ties share the gradient evenly', [], ['torch', 'method'], (G) => `${G} shared among the minima`),
  extremum('max'),
  extremum('min'),
  spread('var'),
  spread('std'),
  {
    name: 'norm',
    in: ['torch', 'method', 'bare'],
    params: [INPUT, { name: 'p', kind: 'any', default: 'fro' }, { name: 'dim', kind: 'dims', default: null }, KEEPDIM, DTYPE],
    doc: "the p-norm of all elements (2 by default, also for 'fro'), or along dim; its gradient at 0 is 0",
    rule: (G, { names: [x] }) => `${G} · ${x}/‖${x}‖ (∂‖${x}‖/∂${x})`,
    call: (a) => float(pNorm(varOf(a), normOrder(valueOf(a, 'p'), 'p'), dimsOf(a, 'dim'), flag(a, 'keepdim'))),
  },
  {
    name: 'vector_norm',
    in: ['linalg'],
    params: [
      { name: 'x', kind: 'tensor' },
      { name: 'ord', kind: 'any', default: 2 },
      { name: 'dim', kind: 'dims', default: null },
      KEEPDIM,
      DTYPE,
    ],
    doc: 'the ord-norm of all elements, or along dim',
    rule: (G, { names: [x] }) => `${G} · ∂‖${x}‖/∂${x}`,
    call: (a) => float(pNorm(varOf(a, 'x'), normOrder(valueOf(a, 'ord'), 'ord'), dimsOf(a, 'dim'), flag(a, 'keepdim'))),
  },
  {
    name: 'norm',
    in: ['linalg'],
    params: [{ name: 'A', kind: 'tensor' }, { name: 'ord', kind: 'any', default: null }, { name: 'dim', kind: 'dims', default: null }, KEEPDIM, DTYPE],
    doc: "the vector 2-norm (of all elements, or along dim); with ord and a matrix, the matrix norm ('fro', 1, -1, inf, -inf)",
    rule: (G, { names: [x] }) => `${G} · ∂‖${x}‖/∂${x}`,
    call: (a) => {
      const x = varOf(a, 'A');
      const ord = valueOf(a, 'ord');
      const dims = dimsOf(a, 'dim');
      const matrix = dims ? dims.length === 2 : x.shape.length === 2 && ord.kind !== 'none';
      if (matrix) return float(matrixNorm(x, ord, dims ?? [-2, -1], flag(a, 'keepdim')));
      if (dims === null && ord.kind !== 'none' && x.shape.length > 2) throw new UsageError('torch.linalg.norm with ord needs dim for a tensor of more than 2 dimensions');
      return float(pNorm(x, normOrder(ord, 'ord'), dims, flag(a, 'keepdim')));
    },
  },
  {
    name: 'matrix_norm',
    in: ['linalg'],
    params: [{ name: 'A', kind: 'tensor' }, { name: 'ord', kind: 'any', default: 'fro' }, { name: 'dim', kind: 'dims', default: [-2, -1] }, KEEPDIM, DTYPE],
    doc: "the matrix norm over the last two dimensions: 'fro' (default), 1, -1, inf, -inf",
    call: (a) => float(matrixNorm(varOf(a, 'A'), valueOf(a, 'ord'), dimsOf(a, 'dim') ?? [-2, -1], flag(a, 'keepdim'))),
  },
  {
    name: 'trace',
    in: ['torch', 'method'],
    params: [INPUT],
    doc: 'the sum of the diagonal of a matrix',
    rule: (G) => `${G} on the diagonal`,
    call: (a) => {
      const x = input(a);
      checkMatrix(x.var, 'trace');
      const idx = diagonalIndex(x.var.shape[0], x.var.shape[1], 0);
      return tensorValue(reduceOps().sum(shapeOps().take(x.var, idx, [idx.length])), x.dtype);
    },
  },

  // --- products ---
  {
    name: 'dot',
    aliases: ['vdot', 'inner'],
    in: ['torch', 'method', 'bare'],
    params: [INPUT, { name: 'other', kind: 'tensor' }],
    doc: 'the dot product of two vectors of the same length',
    rule: (G, { names }, i) => `${G} · ${names[1 - i]}`,
    call: (a) => {
      const x = varOf(a);
      const y = varOf(a, 'other');
      if (x.shape.length !== 1 || y.shape.length !== 1) {
        throw new UsageError(`dot needs two vectors (1D tensors), not ${x.shape.length}D and ${y.shape.length}D tensors (${shapeText(x.shape)} and ${shapeText(y.shape)})`);
      }
      if (x.shape[0] !== y.shape[0]) throw new UsageError(`dot needs vectors of the same length, not ${x.shape[0]} and ${y.shape[0]}`);
      return tensorValue(linalgOps().matmul(x, y), promote(input(a).dtype, input(a, 'other').dtype));
    },
  },
  {
    name: 'matmul',
    in: ['linalg'],
    params: [INPUT, OTHER],
    doc: 'the matrix product, as torch.matmul',
    rule: operator('@'),
    call: (a) => tensorValue(linalgOps().matmul(varOf(a), varOf(a, 'other')), promote(input(a).dtype, input(a, 'other').dtype)),
  },
  {
    name: 'mm',
    in: ['torch', 'method'],
    params: [INPUT, { name: 'mat2', kind: 'tensor' }],
    doc: 'the product of two matrices',
    rule: operator('@'),
    call: (a) => {
      checkMatrix(varOf(a), 'mm');
      checkMatrix(varOf(a, 'mat2'), 'mm');
      return tensorValue(linalgOps().matmul(varOf(a), varOf(a, 'mat2')), promote(input(a).dtype, input(a, 'mat2').dtype));
    },
  },
  {
    name: 'mv',
    in: ['torch', 'method'],
    params: [INPUT, { name: 'vec', kind: 'tensor' }],
    doc: 'the product of a matrix and a vector',
    rule: operator('@'),
    call: (a) => {
      checkMatrix(varOf(a), 'mv');
      if (varOf(a, 'vec').shape.length !== 1) throw new UsageError(`mv needs a vector as vec, not a tensor of shape ${shapeText(varOf(a, 'vec').shape)}`);
      return tensorValue(linalgOps().matmul(varOf(a), varOf(a, 'vec')), promote(input(a).dtype, input(a, 'vec').dtype));
    },
  },
  {
    name: 'outer',
    aliases: ['ger'],
    in: ['torch', 'method'],
    params: [INPUT, { name: 'vec2', kind: 'tensor' }],
    doc: 'the outer product of two vectors',
    rule: (G, { names }, i) => (i === 0 ? `${G} · ${names[1]}` : `${G}ᵀ · ${names[0]}`),
    call: (a) => tensorValue(linalgOps().outer(varOf(a), varOf(a, 'vec2')), promote(input(a).dtype, input(a, 'vec2').dtype)),
  },
  {
    name: 'vecdot',
    in: ['linalg'],
    params: [{ name: 'x', kind: 'tensor' }, { name: 'y', kind: 'tensor' }, { name: 'dim', kind: 'int', default: -1, keywordOnly: true }],
    doc: 'Σ x·y along dim (the last by default)',
    call: (a) => {
      const e = elementwiseOps();
      return float(reduceOps().sum(e.mul(varOf(a, 'x'), varOf(a, 'y')), num(a, 'dim')));
    },
  },

  // --- shapes ---
  {
    name: 'reshape',
    in: ['torch', 'method'],
    params: [INPUT, { name: 'shape', kind: 'shape', variadic: true }],
    doc: 'the same elements in another shape (one size may be -1)',
    rule: (G) => `${G} reshaped back`,
    call: (a) => tensorValue(shapeOps().reshape(varOf(a), a.shape as number[]), input(a).dtype),
  },
  {
    name: 'view',
    in: ['method'],
    params: [INPUT, { name: 'shape', kind: 'shape', variadic: true }],
    doc: 'the same elements in another shape (one size may be -1)',
    rule: (G) => `${G} reshaped back`,
    call: (a) => tensorValue(shapeOps().reshape(varOf(a), a.shape as number[]), input(a).dtype),
  },
  {
    name: 'view_as',
    in: ['method'],
    params: [INPUT, OTHER],
    doc: "the same elements in other's shape",
    rule: (G) => `${G} reshaped back`,
    call: (a) => tensorValue(shapeOps().reshape(varOf(a), varOf(a, 'other').shape), input(a).dtype),
  },
  {
    name: 'flatten',
    in: ['torch', 'method'],
    params: [INPUT, { name: 'start_dim', kind: 'int', default: 0 }, { name: 'end_dim', kind: 'int', default: -1 }],
    doc: 'dimensions start_dim..end_dim joined into one',
    rule: (G) => `${G} reshaped back`,
    call: (a) => tensorValue(shapeOps().reshape(varOf(a), flattenShape(varOf(a).shape, num(a, 'start_dim'), num(a, 'end_dim'))), input(a).dtype),
  },
  {
    name: 'squeeze',
    in: ['torch', 'method'],
    params: [INPUT, { name: 'dim', kind: 'dims', default: null }],
    doc: 'dimensions of size 1 removed (all of them, or those in dim)',
    rule: (G) => `${G} reshaped back`,
    call: (a) => tensorValue(shapeOps().reshape(varOf(a), squeezeShape(varOf(a).shape, dimsOf(a, 'dim'))), input(a).dtype),
  },
  {
    name: 'unsqueeze',
    in: ['torch', 'method'],
    params: [INPUT, { name: 'dim', kind: 'int' }],
    doc: 'a dimension of size 1 inserted at dim',
    rule: (G) => `${G} reshaped back`,
    call: (a) => tensorValue(shapeOps().unsqueeze(varOf(a), dimOf(num(a, 'dim'), varOf(a).shape.length, 1)), input(a).dtype),
  },
  {
    name: 't',
    in: ['torch', 'method'],
    params: [INPUT],
    doc: 'the transpose of a matrix (a vector or a scalar as it is)',
    rule: (G) => `${G}ᵀ`,
    call: (a) => {
      const x = varOf(a);
      if (x.shape.length > 2) throw new UsageError(`t() expects a tensor with <= 2 dimensions, but this one has ${x.shape.length}: use .transpose(d0, d1) or .mT`);
      return tensorValue(shapeOps().transpose(x), input(a).dtype);
    },
  },
  {
    name: 'T',
    in: ['property'],
    params: [INPUT],
    doc: 'the dimensions reversed (the transpose of a matrix)',
    rule: (G) => `${G}ᵀ`,
    call: (a) => {
      const x = varOf(a);
      return tensorValue(shapeOps().permute(x, x.shape.map((_, d) => x.shape.length - 1 - d)), input(a).dtype);
    },
  },
  {
    name: 'mT',
    in: ['property'],
    params: [INPUT],
    doc: 'the last two dimensions swapped (a batch of transposes)',
    rule: (G) => `${G}ᵀ`,
    call: (a) => {
      const x = varOf(a);
      if (x.shape.length < 2) throw new UsageError(`.mT needs at least 2 dimensions, not ${x.shape.length}`);
      return tensorValue(shapeOps().transpose(x, -2, -1), input(a).dtype);
    },
  },
  {
    name: 'transpose',
    aliases: ['swapaxes', 'swapdims'],
    in: ['torch', 'method'],
    params: [INPUT, { name: 'dim0', kind: 'int' }, { name: 'dim1', kind: 'int' }],
    doc: 'dimensions dim0 and dim1 swapped',
    rule: (G) => `${G} transposed back`,
    call: (a) => {
      const x = varOf(a);
      const r = x.shape.length;
      const d0 = dimOf(num(a, 'dim0'), r);
      const d1 = dimOf(num(a, 'dim1'), r);
      return tensorValue(r < 2 ? x : shapeOps().transpose(x, d0, d1), input(a).dtype);
    },
  },
  {
    name: 'permute',
    in: ['torch', 'method'],
    params: [INPUT, { name: 'dims', kind: 'shape', variadic: true }],
    doc: 'the dimensions in the order dims',
    rule: (G) => `${G} permuted back`,
    call: (a) => {
      const x = varOf(a);
      const r = x.shape.length;
      const dims = (a.dims as number[]).map((d) => dimOf(d, r));
      if (dims.length !== r || new Set(dims).size !== r) throw new UsageError(`permute needs each of the ${r} dimensions once, not (${(a.dims as number[]).join(', ')})`);
      return tensorValue(shapeOps().permute(x, dims), input(a).dtype);
    },
  },
  {
    name: 'expand',
    in: ['method'],
    params: [INPUT, { name: 'size', kind: 'shape', variadic: true }],
    doc: 'broadcast to size (-1 keeps a size)',
    rule: (G) => `${G} summed over the broadcast dimensions`,
    call: (a) => {
      const shape = expandShape(varOf(a).shape, a.size as number[]);
      checkSize(shape, 'the tensor');
      return tensorValue(broadcastTo(varOf(a), shape), input(a).dtype);
    },
  },
  {
    name: 'expand_as',
    in: ['method'],
    params: [INPUT, OTHER],
    doc: "broadcast to other's shape",
    rule: (G) => `${G} summed over the broadcast dimensions`,
    call: (a) => tensorValue(broadcastTo(varOf(a), varOf(a, 'other').shape), input(a).dtype),
  },
  {
    name: 'cat',
    aliases: ['concat', 'concatenate'],
    in: ['torch'],
    params: [{ name: 'tensors', kind: 'tensors' }, { name: 'dim', kind: 'int', default: 0 }],
    doc: 'tensors joined along an existing dimension',
    rule: (G, { names }, i) => `the part of ${G} that came from ${names[i]}`,
    call: (a) => {
      const xs = a.tensors as TensorValue[];
      const r = xs[0].var.shape.length;
      if (r === 0) throw new UsageError('cat cannot join zero-dimensional tensors: use torch.stack');
      return tensorValue(shapeOps().cat(xs.map((x) => x.var), dimOf(num(a, 'dim'), r)), xs.reduce<DType>((d, x) => (d === 'float' ? d : promote(d, x.dtype)), xs[0].dtype));
    },
  },
  {
    name: 'stack',
    in: ['torch'],
    params: [{ name: 'tensors', kind: 'tensors' }, { name: 'dim', kind: 'int', default: 0 }],
    doc: 'tensors of the same shape joined along a new dimension',
    rule: (G, { names }, i) => `the part of ${G} that came from ${names[i]}`,
    call: (a) => {
      const xs = a.tensors as TensorValue[];
      const shape = xs[0].var.shape;
      for (const x of xs) {
        if (shapeText(x.var.shape) !== shapeText(shape)) throw new UsageError(`stack expects each tensor to be equal size, but got ${shapeText(shape)} and ${shapeText(x.var.shape)}`);
      }
      const d = dimOf(num(a, 'dim'), shape.length, 1);
      const { cat, unsqueeze } = shapeOps();
      return tensorValue(cat(xs.map((x) => unsqueeze(x.var, d)), d), xs.reduce<DType>((t, x) => promote(t, x.dtype), xs[0].dtype === 'bool' ? 'int' : xs[0].dtype));
    },
  },
  {
    name: 'narrow',
    in: ['torch', 'method'],
    params: [INPUT, { name: 'dim', kind: 'int' }, { name: 'start', kind: 'int' }, { name: 'length', kind: 'int' }],
    doc: 'elements start..start+length-1 along dim',
    rule: moved,
    call: (a) => {
      const x = varOf(a);
      const d = dimOf(num(a, 'dim'), x.shape.length);
      const size = x.shape[d];
      const start = num(a, 'start') < 0 ? num(a, 'start') + size : num(a, 'start');
      const length = num(a, 'length');
      if (start < 0 || length < 0 || start + length > size) throw new UsageError(`narrow: start (${num(a, 'start')}) + length (${length}) exceeds dimension size (${size})`);
      return tensorValue(shapeOps().narrow(x, d, start, length), input(a).dtype);
    },
  },
  {
    name: 'flip',
    in: ['torch', 'method'],
    params: [INPUT, { name: 'dims', kind: 'shape', variadic: true }],
    doc: 'the elements in reverse order along dims',
    rule: (G) => `${G} flipped back`,
    call: (a) => tensorValue(flip(varOf(a), a.dims as number[]), input(a).dtype),
  },
  {
    name: 'diag',
    in: ['torch', 'method'],
    params: [INPUT, { name: 'diagonal', kind: 'int', default: 0 }],
    doc: 'a vector as a diagonal matrix, or the diagonal of a matrix',
    rule: moved,
    call: (a) => tensorValue(diag(varOf(a), num(a, 'diagonal')), input(a).dtype),
  },
  {
    name: 'clone',
    aliases: ['contiguous'],
    in: ['torch', 'method'],
    params: [INPUT],
    doc: 'the same tensor (its gradient passes through)',
    call: (a) => input(a),
  },
  {
    name: 'detach',
    in: ['torch', 'method'],
    params: [INPUT],
    doc: 'the same numbers without gradient',
    call: (a, site) => {
      const x = input(a);
      if (x.var.requiresGrad) site.noGradient(x.var, 'a detached tensor has no gradient');
      return constantValue(x.var.value, x.dtype);
    },
  },

  // --- literals ---
  {
    name: 'tensor',
    aliases: ['as_tensor'],
    in: ['torch'],
    params: [{ name: 'data', kind: 'any' }, DTYPE, { name: 'device', kind: 'any', default: null, keywordOnly: true }, REQUIRES_GRAD],
    doc: 'a constant tensor from a number or nested lists (int if every entry is an int)',
    call: (a, site) => {
      const data = valueOf(a, 'data');
      const dtype = a.dtype as DTypeValue | null;
      if (data.kind === 'tensor') {
        if (data.var.requiresGrad) site.noGradient(data.var, 'torch.tensor copies the numbers without their gradient', 'data');
        return constantValue(data.var.value, dtypeAfter(data, dtype));
      }
      const { tensor, dtype: inferred } = literalTensor(data, 'data');
      return constantValue(tensor, dtype ? (dtype.dtype as DType) : inferred);
    },
  },
  {
    name: 'ones',
    in: ['torch'],
    params: [{ name: 'size', kind: 'shape', variadic: true }, DTYPE, REQUIRES_GRAD],
    doc: 'a tensor of ones',
    call: (a) => filled(a.size as number[], 1, dtypeArg(a) ?? 'float'),
  },
  {
    name: 'zeros',
    in: ['torch'],
    params: [{ name: 'size', kind: 'shape', variadic: true }, DTYPE, REQUIRES_GRAD],
    doc: 'a tensor of zeros',
    call: (a) => filled(a.size as number[], 0, dtypeArg(a) ?? 'float'),
  },
  {
    name: 'full',
    in: ['torch'],
    params: [{ name: 'size', kind: 'shape' }, { name: 'fill_value', kind: 'any' }, DTYPE, REQUIRES_GRAD],
    doc: 'a tensor filled with fill_value (int if it is an int)',
    call: (a, site) => {
      const fill = valueOf(a, 'fill_value');
      const value = fill.kind === 'number' ? fill.value : plainNumber(toTensor(fill, 'fill_value'), 'fill_value', site);
      const inferred: DType = fill.kind === 'number' ? (fill.type === 'float' ? 'float' : fill.type) : (fill as TensorValue).dtype;
      return filled(a.size as number[], value, dtypeArg(a) ?? inferred);
    },
  },
  {
    name: 'eye',
    in: ['torch'],
    params: [{ name: 'n', kind: 'int' }, { name: 'm', kind: 'int', default: null }, DTYPE, REQUIRES_GRAD],
    doc: 'the n×m identity matrix',
    call: (a) => {
      const n = num(a, 'n');
      const m = a.m === null ? n : num(a, 'm');
      const t = filled([n, m], 0, dtypeArg(a) ?? 'float');
      const data = t.var.value.data;
      for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
      return t;
    },
  },
  {
    name: 'arange',
    in: ['torch'],
    params: [{ name: 'start', kind: 'number' }, { name: 'end', kind: 'number', default: null }, { name: 'step', kind: 'number', default: 1 }, DTYPE, REQUIRES_GRAD],
    doc: 'start, start+step, … up to end (excluded); torch.arange(n) is 0..n-1',
    call: (a) => {
      const [start, end] = a.end === null ? [0, num(a, 'start')] : [num(a, 'start'), num(a, 'end')];
      const step = num(a, 'step');
      if (step === 0 || !Number.isFinite(start) || !Number.isFinite(end)) throw new UsageError('arange needs finite start and end and a step that is not 0');
      const n = Math.max(0, Math.ceil((end - start) / step));
      checkSize([n], 'the tensor');
      const data = Float64Array.from({ length: n }, (_, i) => start + i * step);
      const ints = [start, end, step].every(Number.isInteger);
      return constantValue({ shape: [n], data }, dtypeArg(a) ?? (ints ? 'int' : 'float'));
    },
  },
  {
    name: 'linspace',
    in: ['torch'],
    params: [{ name: 'start', kind: 'number' }, { name: 'end', kind: 'number' }, { name: 'steps', kind: 'int' }, DTYPE, REQUIRES_GRAD],
    doc: 'steps evenly spaced numbers from start to end (both included)',
    call: (a) => {
      const [start, end, steps] = [num(a, 'start'), num(a, 'end'), num(a, 'steps')];
      if (steps < 0) throw new UsageError('linspace: the number of steps must be non-negative');
      checkSize([steps], 'the tensor');
      const step = steps > 1 ? (end - start) / (steps - 1) : 0;
      // PyTorch's kernel fills the first half from start and the second half from end.
      const half = Math.floor(steps / 2);
      const data = Float64Array.from({ length: steps }, (_, i) => (i < half ? start + step * i : end - step * (steps - 1 - i)));
      return constantValue({ shape: [steps], data }, dtypeArg(a) ?? 'float');
    },
  },
  {
    name: 'ones_like',
    in: ['torch'],
    params: [INPUT, DTYPE, REQUIRES_GRAD],
    doc: "ones in input's shape",
    call: (a) => filled(varOf(a).shape, 1, dtypeAfter(input(a), a.dtype as DTypeValue | null)),
  },
  {
    name: 'zeros_like',
    in: ['torch'],
    params: [INPUT, DTYPE, REQUIRES_GRAD],
    doc: "zeros in input's shape",
    call: (a) => filled(varOf(a).shape, 0, dtypeAfter(input(a), a.dtype as DTypeValue | null)),
  },
  {
    name: 'full_like',
    in: ['torch'],
    params: [INPUT, { name: 'fill_value', kind: 'number' }, DTYPE, REQUIRES_GRAD],
    doc: "fill_value in input's shape",
    call: (a) => filled(varOf(a).shape, num(a, 'fill_value'), dtypeAfter(input(a), a.dtype as DTypeValue | null)),
  },
  {
    name: 'one_hot',
    in: ['F'],
    params: [{ name: 'tensor', kind: 'tensor' }, { name: 'num_classes', kind: 'int', default: -1 }],
    doc: 'class indices as one-hot rows (an integer tensor)',
    call: (a, site) => {
      const x = input(a, 'tensor');
      const classes = readIndices(x, 'one_hot', site);
      const c = num(a, 'num_classes') === -1 ? Math.max(-1, ...classes) + 1 : num(a, 'num_classes');
      const shape = [...x.var.shape, c];
      checkSize(shape, 'the tensor');
      const data = new Float64Array(numel(shape));
      classes.forEach((k, i) => {
        if (k < 0 || k >= c) throw new UsageError(`one_hot: class values must be in [0, ${c - 1}], not ${k}`);
        data[i * c + k] = 1;
      });
      return constantValue({ shape, data }, 'int');
    },
  },

  // --- conversions and information ---
  {
    name: 'item',
    in: ['method'],
    params: [INPUT],
    doc: 'the one number of a tensor as a plain Python number (without gradient)',
    call: (a, site) => {
      const x = input(a);
      const v = plainNumber(x, '.item()', site);
      return x.dtype === 'bool' ? boolValue(v !== 0) : x.dtype === 'int' ? intValue(v) : floatValue(v);
    },
  },
  {
    name: 'float',
    in: ['bare'],
    params: [{ name: 'x', kind: 'any' }],
    doc: 'a plain Python float',
    call: (a, site) => {
      const v = valueOf(a, 'x');
      if (v.kind === 'number') return floatValue(v.value);
      if (v.kind === 'string') return floatValue(pythonFloat(v.value));
      return floatValue(plainNumber(toTensor(v, 'float()'), 'float()', site));
    },
  },
  {
    name: 'int',
    in: ['bare'],
    params: [{ name: 'x', kind: 'any' }],
    doc: 'a plain Python int (truncated toward zero)',
    call: (a, site) => {
      const v = valueOf(a, 'x');
      const x = v.kind === 'number' ? v.value : plainNumber(toTensor(v, 'int()'), 'int()', site);
      if (!Number.isFinite(x)) throw new UsageError(`int() cannot convert ${x} to an integer`);
      return intValue(Math.trunc(x));
    },
  },
  {
    name: 'len',
    in: ['bare'],
    params: [{ name: 'obj', kind: 'any' }],
    doc: 'the size of the first dimension of a tensor, or the length of a list, tuple or string',
    call: (a) => {
      const v = valueOf(a, 'obj');
      if (v.kind === 'tensor') {
        if (v.var.shape.length === 0) throw new UsageError('len() of a 0-d tensor');
        return intValue(v.var.shape[0]);
      }
      if (v.kind === 'sequence') return intValue(v.items.length);
      if (v.kind === 'string') return intValue(v.value.length);
      throw new UsageError(`object of type '${v.kind}' has no len()`);
    },
  },
  {
    name: 'double',
    in: ['method'],
    params: [INPUT],
    doc: 'the tensor as float64 (which every tensor already is)',
    call: (a) => (input(a).dtype === 'float' ? input(a) : constantValue(varOf(a).value, 'float')),
  },
  {
    name: 'float',
    in: ['method'],
    params: [INPUT],
    doc: 'float32 in PyTorch: refused, since actgrad computes in float64',
    call: () => {
      throw new UsageError('.float() converts to float32, whose rounding actgrad does not reproduce (it computes in float64): remove .float() or use .double()');
    },
  },
  {
    name: 'long',
    aliases: ['int'],
    in: ['method'],
    params: [INPUT],
    doc: 'an integer tensor (truncated toward zero; no gradient)',
    call: (a, site) => {
      const x = input(a);
      if (x.var.requiresGrad) site.noGradient(x.var, 'an integer tensor has no gradient');
      return constantValue(x.var.value, 'int');
    },
  },
  {
    name: 'bool',
    in: ['method'],
    params: [INPUT],
    doc: 'a boolean tensor (nonzero is true)',
    call: (a) => constantValue(varOf(a).value, 'bool'),
  },
  {
    name: 'to',
    in: ['method'],
    params: [INPUT, { name: 'dtype', kind: 'any' }],
    doc: "the tensor in another dtype (torch.float64, torch.long, torch.bool); a device ('cpu') changes nothing",
    call: (a, site) => {
      const target = valueOf(a, 'dtype');
      const x = input(a);
      if (target.kind === 'string') return x;
      if (target.kind !== 'dtype') throw new UsageError(`.to() takes a dtype such as torch.float64`);
      if (target.dtype === 'float32') throw new UsageError(`.to(${target.name}): actgrad computes in float64 only; use torch.float64`);
      if (target.dtype === x.dtype) return x;
      if (target.dtype !== 'float' && x.var.requiresGrad) site.noGradient(x.var, 'an integer or boolean tensor has no gradient');
      return target.dtype === 'float' ? tensorValue(x.var, 'float') : constantValue(x.var.value, target.dtype);
    },
  },
  {
    name: 'size',
    in: ['method'],
    params: [INPUT, { name: 'dim', kind: 'int', default: null }],
    doc: 'the shape as a tuple, or the size of dimension dim',
    call: (a) => {
      const shape = varOf(a).shape;
      return a.dim === null ? tuple(shape.map(intValue)) : intValue(shape[dimOf(num(a, 'dim'), shape.length)]);
    },
  },
  {
    name: 'shape',
    in: ['property'],
    params: [INPUT],
    doc: 'the shape as a tuple of ints',
    call: (a) => tuple(varOf(a).shape.map(intValue)),
  },
  {
    name: 'ndim',
    in: ['property'],
    params: [INPUT],
    doc: 'the number of dimensions',
    call: (a) => intValue(varOf(a).shape.length),
  },
  {
    name: 'dim',
    aliases: ['ndimension'],
    in: ['method'],
    params: [INPUT],
    doc: 'the number of dimensions',
    call: (a) => intValue(varOf(a).shape.length),
  },
  {
    name: 'numel',
    in: ['torch', 'method'],
    params: [INPUT],
    doc: 'the number of elements',
    call: (a) => intValue(numel(varOf(a).shape)),
  },

  // --- Python's math module, on plain numbers ---
  ...(
    [
      ['sqrt', Math.sqrt],
      ['exp', Math.exp],
      ['expm1', Math.expm1],
      ['log1p', Math.log1p],
      ['log2', Math.log2],
      ['log10', Math.log10],
      ['sin', Math.sin],
      ['cos', Math.cos],
      ['tan', Math.tan],
      ['asin', Math.asin],
      ['acos', Math.acos],
      ['atan', Math.atan],
      ['sinh', Math.sinh],
      ['cosh', Math.cosh],
      ['tanh', Math.tanh],
      ['asinh', Math.asinh],
      ['acosh', Math.acosh],
      ['atanh', Math.atanh],
      ['fabs', Math.abs],
    ] as const
  ).map(([name, f]) => mathModule(name, `Python's math.${name} of a plain number`, f)),
  mathModule('log', 'natural logarithm of a plain number, or log(x, base)', (x, base) => (base === undefined ? Math.log(x) : Math.log(x) / Math.log(base)), [
    { name: 'x', kind: 'plain' },
    { name: 'base', kind: 'plain', default: null },
  ]),
  mathModule('pow', 'x ** y of plain numbers, as floats', (x, y) => elementwiseOps().cpow(x, y), plainParams('x', 'y')),
  mathModule('atan2', 'the angle of (x, y) from atan2(y, x)', Math.atan2, plainParams('y', 'x')),
  mathModule('hypot', 'sqrt(x² + y²) without overflow', Math.hypot, plainParams('x', 'y')),
  mathModule('erf', 'the error function of a plain number', erf),
  mathModule('erfc', 'the complementary error function of a plain number', erfc),
  mathModule('floor', 'the largest integer ≤ x', Math.floor, plainParams('x'), true),
  mathModule('ceil', 'the smallest integer ≥ x', Math.ceil, plainParams('x'), true),
  mathModule('trunc', 'x truncated toward zero', Math.trunc, plainParams('x'), true),
  mathModule('degrees', 'radians to degrees', (x) => (x * 180) / Math.PI),
  mathModule('radians', 'degrees to radians', (x) => (x * Math.PI) / 180),
];

/** Constants: math.pi, torch.pi, math.inf, ... */
export const CONSTANTS: readonly { readonly in: readonly ('torch' | 'math')[]; readonly name: string; readonly value: number; readonly doc: string }[] = [
  { in: ['torch', 'math'], name: 'pi', value: Math.PI, doc: 'π = 3.14159…' },
  { in: ['torch', 'math'], name: 'e', value: Math.E, doc: 'e = 2.71828…' },
  { in: ['torch', 'math'], name: 'inf', value: Infinity, doc: 'positive infinity' },
  { in: ['torch', 'math'], name: 'nan', value: NaN, doc: 'not a number' },
  { in: ['math'], name: 'tau', value: 2 * Math.PI, doc: 'τ = 2π' },
];

/** torch's dtypes: float64 is what every tensor is; the integer and boolean ones index and mask. */
export const DTYPES: readonly DTypeValue[] = [
  ...['float64', 'double'].map((name) => ({ kind: 'dtype' as const, name: `torch.${name}`, dtype: 'float' as const })),
  ...['float32', 'float', 'float16', 'half', 'bfloat16'].map((name) => ({ kind: 'dtype' as const, name: `torch.${name}`, dtype: 'float32' as const })),
  ...['int64', 'long', 'int32', 'int', 'int16', 'short', 'int8', 'uint8'].map((name) => ({ kind: 'dtype' as const, name: `torch.${name}`, dtype: 'int' as const })),
  { kind: 'dtype', name: 'torch.bool', dtype: 'bool' },
];

// ---------------------------------------------------------------------------------------------
// Helpers of the entries above
// ---------------------------------------------------------------------------------------------

const broadcastTo = (x: Var, shape: readonly number[]): Var => broadcastOps().expand(x, shape);

/** Python's float() of a string: numbers, and inf, infinity, nan in any case, with a sign. */
function pythonFloat(text: string): number {
  const t = text.trim().toLowerCase().replace(/_/g, '');
  const sign = t.startsWith('-') ? -1 : 1;
  const body = t.replace(/^[+-]/, '');
  if (body === 'inf' || body === 'infinity') return sign * Infinity;
  if (body === 'nan') return NaN;
  const x = Number(t);
  if (t === '' || Number.isNaN(x)) throw new UsageError(`could not convert the string '${text}' to float`);
  return x;
}

/** clamp with plain or tensor bounds: the engine's clamp for numbers; where-selections for tensors (clamp.Tensor's backward). */
function clamp(x: TensorValue, min: TensorValue | number | null, max: TensorValue | number | null): TensorValue {
  if (min === null && max === null) throw new UsageError("clamp needs min or max (PyTorch: At least one of 'min' or 'max' must not be None)");
  const e = elementwiseOps();
  const dtype = [min, max].some((b) => typeof b === 'number' ? !Number.isInteger(b) : b?.dtype === 'float') ? 'float' : x.dtype;
  if ((min === null || typeof min === 'number') && (max === null || typeof max === 'number')) return tensorValue(e.clamp(x.var, min, max), dtype);
  let y = x.var;
  if (min !== null) {
    const lo = varOrNumber(min);
    y = e.where(e.lt(y, lo), lo, y);
  }
  if (max !== null) {
    const hi = varOrNumber(max);
    y = e.where(e.gt(y, hi), hi, y);
  }
  return tensorValue(y, dtype);
}

/** Whole-number values of an index tensor (class labels, embedding rows), recorded as without gradient. */
function readIndices(x: TensorValue, what: string, site: Site): number[] {
  const data = Array.from(x.var.value.data);
  const bad = data.find((v) => !Number.isInteger(v));
  if (bad !== undefined) throw new UsageError(`${what} takes whole numbers (indices), not ${bad}`);
  if (x.var.requiresGrad) site.noGradient(x.var, 'indices have no gradient', what);
  return data;
}

/** A one-element tensor's number as a plain Python number (PyTorch's item()); no gradient passes. */
function plainNumber(x: TensorValue, what: string, site: Site): number {
  if (x.var.value.data.length !== 1) throw new UsageError(`${what} needs a tensor with one element, not ${x.var.value.data.length} (shape ${shapeText(x.var.shape)})`);
  if (x.var.requiresGrad) site.noGradient(x.var, `${what} gives a plain number, which has no gradient`);
  return x.var.value.data[0];
}

function plainParams(...names: string[]): Param[] {
  return names.map((name) => ({ name, kind: 'plain' }));
}

// ---------------------------------------------------------------------------------------------
// Lookup by spelling
// ---------------------------------------------------------------------------------------------

/** Lookups so far, by `spelling name`: a formula asks for a few names, often the same ones again. */
const found = new Map<string, Builtin | undefined>();

/**
 * The built-in written `name` under a spelling (torch.name, x.name(), name(...), ...): the first
 * entry of the table that has the name (or an alias) under that spelling. A scan of the table per
 * new name costs a run less than indexing all of it first, which a formula of a few calls never repays.
 */
export function builtinFor(spelling: Spelling, name: string): Builtin | undefined {
  const key = `${spelling} ${name}`;
  if (found.has(key)) return found.get(key);
  const b = BUILTINS.find((e) => e.in.includes(spelling) && (e.name === name || (e.aliases?.includes(name) ?? false)));
  found.set(key, b);
  return b;
}

/** Every name written under a spelling, for suggestions and completion (each once, in the table's order). */
export function builtinNames(spelling: Spelling): string[] {
  const names = new Set<string>();
  for (const b of BUILTINS) if (b.in.includes(spelling)) for (const n of [b.name, ...(b.aliases ?? [])]) names.add(n);
  return [...names];
}

/** How each spelling of a built-in is written, for help: `torch.sum(input, dim=None, keepdim=False)`. */
export function signatureOf(b: Builtin, spelling: Spelling): string {
  const selfName = b.self ?? b.params[0]?.name;
  const params = spelling === 'method' || spelling === 'property' ? b.params.filter((p) => p.name !== selfName) : b.params;
  const shown: string[] = [];
  let starred = false;
  for (const p of params) {
    if (p.keywordOnly && !starred && !p.variadic) {
      shown.push('*');
      starred = true;
    }
    const def = p.default === undefined ? '' : `=${p.default === null ? 'None' : typeof p.default === 'string' ? `'${p.default}'` : Array.isArray(p.default) ? `(${p.default.join(', ')}${p.default.length === 1 ? ',' : ''})` : p.default === true ? 'True' : p.default === false ? 'False' : p.default}`;
    shown.push(`${p.variadic ? '*' : ''}${p.name}${def}`);
  }
  const prefix = { torch: 'torch.', method: 'x.', property: 'x.', bare: '', F: 'F.', linalg: 'torch.linalg.', math: 'math.' }[spelling];
  return spelling === 'property' ? `${prefix}${b.name}` : `${prefix}${b.name}(${shown.join(', ')})`;
}
