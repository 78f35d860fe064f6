/**
 * One calling convention for every descriptor: apply it to a tensor and get the output together
 * with its vector-Jacobian product. The calculator's --grad, --grad-output and --jacobian, and the
 * expression autograd, all go through here, so each formula stays in its descriptor.
 */
import { UsageError } from '../errors';
import { describeShape, numel, sameShape, type Tensor } from '../tensor';
import type { Descriptor, ElementwiseFn, LossFn, ParamSpec, Params, VectorFn } from './types';

export interface Applied {
  output: Tensor;
  /** dy (the output's shape) → dx (the input's shape). */
  vjp(dy: Tensor): Tensor;
  /** dy → d(target), for losses whose target is differentiable (used by `actgrad grad`). */
  vjpTarget?(dy: Tensor): Tensor;
}

export const BASE_REDUCTIONS = ['mean', 'sum', 'none'] as const;

/** The parameters a descriptor takes on the command line: its own, plus reduction for losses. */
export function paramSpecsOf(d: Descriptor): ParamSpec[] {
  if (d.kind !== 'loss') return [...d.params];
  return [
    ...d.params,
    {
      name: 'reduction',
      type: 'choice',
      default: 'mean',
      choices: [...BASE_REDUCTIONS, ...(d.extraReductions ?? [])],
      doc: 'how the losses are combined: mean, sum, or none (one loss per element or row)',
    },
  ];
}

/** f(x), NaN first: a NaN input gives NaN in the value and in the derivative. */
export const elementValue = (d: ElementwiseFn, x: number, p: Params): number => (Number.isNaN(x) ? NaN : d.f(x, p));
export const elementDerivative = (d: ElementwiseFn, x: number, y: number, p: Params): number => (Number.isNaN(x) ? NaN : d.df(x, y, p));

export function applyElementwise(d: ElementwiseFn, x: Tensor, p: Params): Applied {
  const y = new Float64Array(x.data.length);
  for (let i = 0; i < y.length; i++) y[i] = elementValue(d, x.data[i], p);
  return {
    output: { shape: x.shape.slice(), data: y },
    vjp(dy) {
      const dx = new Float64Array(y.length);
      for (let i = 0; i < dx.length; i++) dx[i] = dy.data[i] * elementDerivative(d, x.data[i], y[i], p);
      return { shape: x.shape.slice(), data: dx };
    },
  };
}

export function applyVector(d: VectorFn, x: Tensor, p: Params): Applied {
  if (x.shape.length === 0) throw new UsageError(`${d.name} needs a vector or a matrix, not a single number`);
  const n = x.shape[x.shape.length - 1];
  const problem = d.checkRow?.(n);
  if (problem) throw new UsageError(problem);
  const rows = x.shape.length === 1 ? 1 : x.shape[0];
  const k = d.outputLength(n);
  const outShape = d.reducesRow ? x.shape.slice(0, -1) : [...x.shape.slice(0, -1), k];
  const y = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) y.set(d.forward(x.data.subarray(r * n, (r + 1) * n), p), r * k);
  return {
    output: { shape: outShape, data: y },
    vjp(dy) {
      const dx = new Float64Array(x.data.length);
      for (let r = 0; r < rows; r++) {
        const xr = x.data.subarray(r * n, (r + 1) * n);
        dx.set(d.backward(xr, y.subarray(r * k, (r + 1) * k), dy.data.subarray(r * k, (r + 1) * k), p), r * n);
      }
      return { shape: x.shape.slice(), data: dx };
    },
  };
}

/** Checks a loss's target against its input; returns it shaped as values or as class indices. */
export function checkTarget(d: LossFn, x: Tensor, target: Tensor): Tensor {
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (d.target === 'same') {
    if (target.data.length !== x.data.length) {
      throw new UsageError(
        `--target has ${plural(target.data.length, 'number')}, the input has ${x.data.length}` +
          (x.shape.length > 1 || target.shape.length > 1 ? ` (shapes ${describeShape(target.shape)} and ${describeShape(x.shape)})` : ''),
      );
    }
    return { shape: x.shape.slice(), data: target.data };
  }
  if (x.shape.length === 0) throw new UsageError(`${d.name} needs a row of class scores (a vector, or a matrix with one row per sample)`);
  const classes = x.shape[x.shape.length - 1];
  const rows = x.shape.length === 1 ? 1 : x.shape[0];
  // PyTorch's rule: a target of the input's shape holds class probabilities.
  const probabilities =
    d.target === 'class-or-probs' &&
    target.data.length === x.data.length &&
    (x.shape.length === 1 ? target.shape.length === 1 : sameShape(target.shape, x.shape));
  if (probabilities) return { shape: x.shape.slice(), data: target.data };
  if (target.data.length !== rows) {
    const probs = d.target === 'class-or-probs' ? `, or class probabilities of shape ${describeShape(x.shape)}` : '';
    throw new UsageError(
      `--target has ${plural(target.data.length, 'number')}; for ${plural(rows, 'row')} of ${classes} class scores give ${rows === 1 ? 'one class index' : `${rows} class indices`}${probs}`,
    );
  }
  target.data.forEach((c, i) => {
    if (!(Number.isInteger(c) && c >= 0 && c < classes)) {
      throw new UsageError(
        `--target: class index ${c}${rows > 1 ? ` (row ${i + 1})` : ''} is out of range; with ${classes} classes it must be an integer from 0 to ${classes - 1}`,
      );
    }
  });
  return { shape: x.shape.length === 1 ? [] : [rows], data: target.data };
}

export function applyLoss(d: LossFn, x: Tensor, target: Tensor, p: Params): Applied {
  const problem = d.checkValues?.(x, target, p);
  if (problem) throw new UsageError(problem);
  const { losses, meanDenominator } = d.forward(x, target, p);
  const reduction = p.reduction as string;
  // batchmean (kl-div): the sum divided by the input's first dimension, as torch.nn.functional.kl_div.
  const denominator = reduction === 'mean' ? meanDenominator : reduction === 'batchmean' ? (x.shape.length === 0 ? 1 : x.shape[0]) : 1;
  let output: Tensor;
  if (reduction === 'none') {
    output = losses;
  } else {
    let s = 0;
    for (let i = 0; i < losses.data.length; i++) s += losses.data[i];
    output = { shape: [], data: Float64Array.of(s / denominator) };
  }
  const dLosses = (dy: Tensor): Tensor =>
    reduction === 'none' ? dy : { shape: losses.shape, data: new Float64Array(losses.data.length).fill(dy.data[0] / denominator) };
  return {
    output,
    vjp: (dy) => d.backward(x, target, dLosses(dy), p),
    vjpTarget: d.backwardTarget ? (dy) => d.backwardTarget!(x, target, dLosses(dy), p) : undefined,
  };
}

export function apply(d: Descriptor, x: Tensor, p: Params, target?: Tensor): Applied {
  switch (d.kind) {
    case 'elementwise':
      return applyElementwise(d, x, p);
    case 'vector':
      return applyVector(d, x, p);
    case 'loss':
      if (!target) throw new UsageError(`${d.name} needs --target`);
      return applyLoss(d, x, target, p);
  }
}

/**
 * The Jacobian, rows = outputs, columns = inputs, from VJPs with unit vectors. Rows of a batch are
 * independent, so one VJP with a 1 at output j of every row gives row j of every row's Jacobian.
 * Shapes: scalar output → the gradient (the input's shape); vector input → [k, n] (or [n] when each
 * row maps to one number); batch of m rows → [m, k, n] (or [m, n]).
 */
export function jacobian(a: Applied, input: Tensor): Tensor {
  const out = a.output;
  if (out.shape.length === 0) return a.vjp({ shape: [], data: Float64Array.of(1) });
  const n = input.shape[input.shape.length - 1];
  const rows = input.shape.length <= 1 ? 1 : input.shape[0];
  const perRow = input.shape.length <= 1 ? out.shape : out.shape.slice(1);
  const k = numel(perRow);
  const J = new Float64Array(rows * k * n);
  for (let j = 0; j < k; j++) {
    const dy = new Float64Array(out.data.length);
    for (let r = 0; r < rows; r++) dy[r * k + j] = 1;
    const g = a.vjp({ shape: out.shape, data: dy }).data;
    for (let r = 0; r < rows; r++) J.set(g.subarray(r * n, (r + 1) * n), (r * k + j) * n);
  }
  const blockShape = perRow.length === 0 ? [n] : [k, n];
  return { shape: input.shape.length <= 1 ? blockShape : [rows, ...blockShape], data: J };
}
