/**
 * A function applied to an input: its value and the derivatives asked for (gradient or
 * vector-Jacobian product, N-th derivative, Jacobian, Hessian, HVP, JVP), all from the
 * descriptor's one forward through autograd/derivatives. No I/O: the result is rendered elsewhere.
 */
import { hessian, hvp, jacobian, jvp, nthDerivative, type BlockStructure, vjp } from '../autograd/derivatives';
import { mul } from '../autograd/elementwise';
import { sum } from '../autograd/reduce';
import { leaf, resetNodeCount, type Var } from '../autograd/var';
import { UsageError } from '../errors';
import { bindArgs, type RawArg } from '../functions/args';
import type { Args, ArgValue, BatchOfPiece, Descriptor } from '../functions/types';
import type { FunctionResult } from '../result';
import { numel, shapeText, type Tensor } from '../tensor';

export type { FunctionResult };

export interface FunctionRequest {
  fn: Descriptor;
  input: Tensor;
  /** every other argument by PyTorch keyword name (target, weight, dim, reduction, ...) */
  args?: Readonly<Record<string, RawArg | undefined>>;
  grad?: boolean;
  gradOutput?: Tensor;
  order?: number;
  jacobian?: boolean;
  hessian?: boolean;
  hvp?: Tensor;
  jvp?: Tensor;
  /** The input is a piece of this batch's rows (streamed; for a descriptor with rowPieces). */
  batch?: BatchOfPiece;
}

/** Dense Hessians above this many entries are refused (128 MB of float64). */
export const MAX_HESSIAN_ENTRIES = 1 << 24;
/** So are Jacobians, as their blocks are laid out (one diagonal matrix per row for an elementwise function). */
export const MAX_JACOBIAN_ENTRIES = MAX_HESSIAN_ENTRIES;

function checkJacobianSize(entries: number, x: Var, y: Var): void {
  if (entries > MAX_JACOBIAN_ENTRIES) {
    throw new UsageError(
      // A streamed input is computed in pieces: a piece's count is a lower bound of the whole's.
      `--jacobian of ${numel(y.shape)} outputs over ${numel(x.shape)} inputs (or more) would have ${entries} entries or more; it is limited to ${MAX_JACOBIAN_ENTRIES} (use --grad for the gradient of their sum, or --jvp for a Jacobian-vector product)`,
    );
  }
}

function sameCount(what: string, given: Tensor, shape: readonly number[]): Tensor {
  const n = numel(shape);
  if (given.data.length !== n) {
    throw new UsageError(`${what} has ${given.data.length} number${given.data.length === 1 ? '' : 's'}, but needs ${n} (shape ${shapeText(shape)})`);
  }
  // A tensor of the right count but another shape is refused, as PyTorch does (a vector for a
  // one-row shape, or a row for a vector, is the same thing written two ways).
  const squeeze = (s: readonly number[]): number[] => s.filter((d) => d !== 1);
  const a = squeeze(given.shape);
  const b = squeeze(shape);
  if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
    throw new UsageError(`${what} has shape ${shapeText(given.shape)}, but needs shape ${shapeText(shape)}`);
  }
  return { shape: shape.slice(), data: given.data };
}

/**
 * The descriptor's structure for these arguments: a row-wise function is row-wise only along the
 * last dimension (softmax with dim=0 couples the columns; norm with dim=None all elements).
 */
type Structure = Descriptor['structure'];

function structureOf(fn: Descriptor, args: Args, x: Var): Structure {
  if (fn.structure !== 'rows' || !('dim' in args)) return fn.structure;
  const dim = Array.isArray(args.dim) && args.dim.length === 1 ? args.dim[0] : args.dim;
  const r = x.shape.length;
  return typeof dim === 'number' && r >= 1 && (dim === r - 1 || dim === -1) ? 'rows' : undefined;
}

/** Rows of the input, and the number of outputs per row, for row-wise functions. */
function blockStructure(structure: Structure, x: Var, y: Var): BlockStructure | undefined {
  const n = numel(x.shape);
  if (structure === 'elementwise' && numel(y.shape) === n) return { blocks: n, outPerBlock: 1, inPerBlock: 1 };
  if (structure === 'rows' && x.shape.length >= 1) {
    const width = x.shape[x.shape.length - 1];
    const rows = n / width;
    const out = numel(y.shape);
    if (rows > 0 && out % rows === 0) return { blocks: rows, outPerBlock: out / rows, inPerBlock: width };
  }
  return undefined;
}

/** Which inputs a scalar built from the function couples: elements alone, or each row. */
function hessianStructure(structure: Structure, x: Var): BlockStructure | undefined {
  const n = numel(x.shape);
  if (structure === 'elementwise') return { blocks: n, outPerBlock: 1, inPerBlock: 1 };
  if (structure === 'rows' && x.shape.length >= 1 && n > 0) {
    const width = x.shape[x.shape.length - 1];
    return { blocks: n / width, outPerBlock: width, inPerBlock: width };
  }
  return undefined;
}

/**
 * The Jacobian in the contract's shapes: for a row-wise function one [k, n] matrix per row of a
 * batch ([n] when a row maps to one number); a scalar output gives the gradient (the input's
 * shape); otherwise [output elements, input elements].
 */
function jacobianOf(structure: Structure, x: Var, y: Var): Tensor {
  if (y.shape.length === 0) return vjp(y, [x], { shape: [], data: Float64Array.of(1) })[0]?.value ?? { shape: x.shape.slice(), data: new Float64Array(numel(x.shape)) };
  const s = blockStructure(structure, x, y);
  if (s) {
    const batch = x.shape.length >= 2;
    if (structure === 'elementwise') {
      // One matrix per row of a batch, diagonal: rows = outputs, columns = inputs.
      const width = x.shape.length === 0 ? 1 : x.shape[x.shape.length - 1];
      const rows = numel(x.shape) / width;
      checkJacobianSize(rows * width * width, x, y);
      const diag = jacobian([y], [x], s);
      const J = new Float64Array(rows * width * width);
      for (let r = 0; r < rows; r++) for (let i = 0; i < width; i++) J[(r * width + i) * width + i] = diag[r * width + i];
      return { shape: batch ? [rows, width, width] : [width, width], data: J };
    }
    checkJacobianSize(s.blocks * s.outPerBlock * s.inPerBlock, x, y);
    const J = jacobian([y], [x], s);
    const block = s.outPerBlock === 1 && y.shape.length < x.shape.length ? [s.inPerBlock] : [s.outPerBlock, s.inPerBlock];
    return { shape: batch ? [s.blocks, ...block] : block, data: J };
  }
  checkJacobianSize(numel(y.shape) * numel(x.shape), x, y);
  return { shape: [numel(y.shape), numel(x.shape)], data: jacobian([y], [x]) };
}

export function computeFunction(req: FunctionRequest): FunctionResult {
  const { fn } = req;
  resetNodeCount();
  const x = leaf(req.input, 'input');
  // The input is the first argument, whatever PyTorch calls it (input, x1, query, log_probs, ...).
  const given: Record<string, RawArg | undefined> = { ...req.args, [fn.args[0].name]: x };
  // Vector functions work along the last dimension unless told otherwise (the contract's rule for
  // the command line and the library; expressions keep PyTorch's own defaults).
  if (fn.kind === 'vector' && given.dim === undefined && fn.args.some((s) => s.name === 'dim')) given.dim = -1;
  const args = bindArgs(fn, given);
  const noGradient = (): void => {};
  const y = fn.forward(args, { noGradient, batch: req.batch });
  const structure = structureOf(fn, args, x);
  const params: FunctionResult['params'] = {};
  for (const spec of fn.args.slice(1)) {
    if (spec.legacy) continue;
    const v = args[spec.name];
    params[spec.name] = v !== null && typeof v === 'object' && 'value' in v ? (v as Var).value : (v as Exclude<ArgValue, Var>);
  }
  const result: FunctionResult = { kind: 'function', fn, structure, params, input: req.input, value: y.value };
  if (fn.rowsApart?.(args)) result.rowsApart = true;

  const order = req.order ?? 1;
  if (req.order !== undefined) {
    if (!Number.isInteger(order) || order < 1) throw new UsageError(`--order takes a whole number from 1 up, not ${req.order}`);
    if (fn.kind !== 'elementwise') {
      throw new UsageError(`--order is for elementwise functions; ${fn.name} is not one: use --hessian for its second derivatives`);
    }
    result.order = order;
  }
  const wantsGrad = req.grad || req.gradOutput !== undefined || req.order !== undefined;
  let seed: Tensor | undefined;
  if (req.gradOutput) {
    seed = sameCount('--grad-output', req.gradOutput, y.shape);
    result.gradOutput = seed;
  }
  if (wantsGrad) {
    if (order > 1) {
      if (req.gradOutput) throw new UsageError('--grad-output and --order cannot be combined: the N-th derivative of an elementwise function is per element');
      result.grad = nthDerivative(y, x, order);
    } else {
      const dy = seed ?? { shape: y.shape.slice(), data: new Float64Array(numel(y.shape)).fill(1) };
      result.grad = vjp(y, [x], dy)[0]?.value ?? { shape: x.shape.slice(), data: new Float64Array(numel(x.shape)) };
    }
  }
  if (req.jacobian) result.jacobian = jacobianOf(structure, x, y);

  if (req.hessian || req.hvp) {
    // The scalar that --grad differentiates: the loss, or Σ grad_output ⊙ f(x).
    const weights = seed ?? { shape: y.shape.slice(), data: new Float64Array(numel(y.shape)).fill(1) };
    const s = y.shape.length === 0 && !seed ? y : sum(mul(y, leaf(weights)));
    const n = numel(x.shape);
    if (req.hessian) {
      if (n * n > MAX_HESSIAN_ENTRIES) {
        throw new UsageError(`--hessian over ${n} inputs would have ${n * n} entries; it is limited to ${MAX_HESSIAN_ENTRIES} (use --hvp for a Hessian-vector product)`);
      }
      const st = hessianStructure(structure, x);
      let H: Float64Array;
      if (st) {
        // Independent blocks: only the diagonal blocks are non-zero.
        const blocks = hessian(s, [x], st);
        const w = st.inPerBlock;
        H = new Float64Array(n * n);
        for (let b = 0; b < st.blocks; b++) {
          for (let i = 0; i < w; i++) H.set(blocks.subarray((b * w + i) * w, (b * w + i + 1) * w), (b * w + i) * n + b * w);
        }
      } else {
        H = hessian(s, [x]);
      }
      result.hessian = { shape: [n, n], data: H };
    }
    if (req.hvp) result.hvp = hvp(s, [x], [sameCount('--hvp', req.hvp, x.shape)])[0];
  }
  if (req.jvp) result.jvp = jvp(y, x, sameCount('--jvp', req.jvp, x.shape));
  return result;
}
