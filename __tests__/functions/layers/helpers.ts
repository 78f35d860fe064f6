/**
 * Calling layer descriptors as an expression would: arguments bound by PyTorch keyword through
 * bindArgs, tensors as leaves that ask for gradients, and the derivatives from the engine.
 */
import { hessian } from '../../../src/autograd/derivatives';
import { constant } from '../../../src/autograd/elementwise';
import { grad } from '../../../src/autograd/engine';
import { leaf, type Var } from '../../../src/autograd/var';
import { bindArgs, flagOf, type RawArg } from '../../../src/functions/args';
import { ArgumentError, type Descriptor } from '../../../src/functions/types';
import { layers } from '../../../src/functions/layers';
import { fromNested, numel, type Tensor } from '../../../src/tensor';
import { flatten, mismatch } from '../../helpers/close';

/** A tensor from nested arrays (a number is a scalar). */
export const T = (v: unknown): Tensor => {
  if (typeof v === 'number') return { shape: [], data: Float64Array.of(v) };
  const t = fromNested(v);
  return { shape: t.shape, data: Float64Array.from(flatten(v)) };
};

/** A bound name: a leaf that asks for its gradient. */
export const V = (v: unknown, name = 'x'): Var => leaf(T(v), name);

/** The tensors a call reported as taking no gradient. */
export interface Call {
  y: Var;
  noGradient: Var[];
}

/** fn(args) with the arguments given by PyTorch keyword, as an expression call binds them. */
export function call(fn: Descriptor, given: Record<string, RawArg>): Call {
  const noGradient: Var[] = [];
  const y = fn.forward(bindArgs(fn, given), { noGradient: (v) => void noGradient.push(v) });
  return { y, noGradient };
}

export const value = (fn: Descriptor, given: Record<string, RawArg>): Var => call(fn, given).y;

/** ∂(Σ seed ⊙ y)/∂x for each x (zeros where y does not depend on x); seed 1 by default. */
export function grads(y: Var, xs: readonly Var[], seed?: Tensor): Tensor[] {
  const s = constant(seed ?? { shape: y.shape.slice(), data: new Float64Array(numel(y.shape)).fill(1) });
  return grad([y], [s], xs).map((g, i) => g?.value ?? { shape: xs[i].shape.slice(), data: new Float64Array(numel(xs[i].shape)) });
}

export { hessian };

/** Expects the numbers of `actual` to match `expected` (nested arrays or numbers) within rtol 1e-9, atol 1e-12. */
export function expectClose(actual: Tensor | ArrayLike<number>, expected: unknown, what = 'value', rtol = 1e-9, atol = 1e-12): void {
  const data = 'data' in actual ? (actual as Tensor).data : (actual as ArrayLike<number>);
  expect({ what, problem: mismatch(data, flatten(expected), rtol, atol) }).toEqual({ what, problem: undefined });
}

/** The layer descriptor of that name. */
export const layer = (name: string): Descriptor => layers.find((d) => d.name === name)!;

/** A layer's forward pass on bound arguments, without gradients. */
export const run = (name: string, given: Record<string, RawArg>): Var => {
  const d = layer(name);
  return d.forward(bindArgs(d, given), { noGradient: () => {} });
};

/** The one-line message of the error `f` throws, with argument names written as CLI flags. */
export function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    const message = e instanceof ArgumentError ? e.compose(flagOf) : (e as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('no error was thrown');
}
