/**
 * Helpers for the engine's unit tests (__tests__/autograd/engine-*.test.ts): leaves from plain
 * arrays, a gradient by the engine, the same gradient by central differences of the forward, and
 * reference loops over row-major shapes.
 */
import { grad } from '../../src/autograd/engine';
import { constant, type Var } from '../../src/autograd/elementwise';
import { leaf, noGrad } from '../../src/autograd/var';
import { numel, stridesOf, type Tensor, tensor } from '../../src/tensor';
import { mismatch } from './close';

/** A leaf that requires a gradient. */
export const variable = (shape: number[], data: ArrayLike<number>, name = 'x'): Var => leaf(tensor(shape, data), name);

/** A constant tensor (no gradient). */
export const constantOf = (shape: number[], data: ArrayLike<number>): Var => constant(tensor(shape, data));

/** 0, 1, 2, ... scaled and shifted: distinct values for telling elements apart. */
export const iota = (n: number, scale = 1, shift = 0): number[] => Array.from({ length: n }, (_, i) => shift + scale * i);

/** ∂(Σ seed ⊙ f(x))/∂x by the engine, seed all ones unless given; zeros where x is not reached. */
export function engineGrad(f: (x: Var) => Var, x: Var, seed?: ArrayLike<number>): Float64Array {
  const y = f(x);
  const s = seed ?? new Float64Array(numel(y.shape)).fill(1);
  const [g] = grad([y], [constant(tensor(y.shape, s))], [x]);
  return g ? g.value.data : new Float64Array(numel(x.shape));
}

/** The same gradient by central differences of the forward alone (no graph recorded). */
export function finiteDifferenceGrad(f: (x: Var) => Var, x: Tensor, seed?: ArrayLike<number>, h = 1e-6): Float64Array {
  const at = (data: Float64Array): Float64Array => noGrad(() => f(constant({ shape: x.shape, data })).value.data);
  const base = at(x.data);
  const s = seed ?? new Float64Array(base.length).fill(1);
  const dot = (v: Float64Array): number => v.reduce((acc, vi, i) => acc + vi * s[i], 0);
  const out = new Float64Array(x.data.length);
  for (let i = 0; i < out.length; i++) {
    const step = h * Math.max(1, Math.abs(x.data[i]));
    const plus = x.data.slice();
    const minus = x.data.slice();
    plus[i] += step;
    minus[i] -= step;
    out[i] = (dot(at(plus)) - dot(at(minus))) / (2 * step);
  }
  return out;
}

/** Asserts that the numbers agree within rtol/atol (numpy.isclose), naming the first that does not. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-12, atol = 1e-14): void {
  expect(mismatch(actual, Array.from(expected), rtol, atol)).toBeUndefined();
}

/** Asserts the engine's gradient of f at x against central differences (tolerance for h = 1e-6). */
export function expectGradMatchesFiniteDifferences(f: (x: Var) => Var, x: Var, seed?: ArrayLike<number>): void {
  expectClose(engineGrad(f, x, seed), finiteDifferenceGrad(f, x.value, seed), 1e-6, 1e-7);
}

/** Every multi-index of a shape, in row-major order. */
export function* coordinates(shape: readonly number[]): Generator<number[]> {
  const n = numel(shape);
  const strides = stridesOf(shape);
  for (let k = 0; k < n; k++) yield shape.map((s, d) => Math.floor(k / strides[d]) % s);
}

/** The flat row-major offset of a multi-index. */
export const offsetOf = (shape: readonly number[], coord: readonly number[]): number => coord.reduce((acc, c, d) => acc + c * stridesOf(shape)[d], 0);
