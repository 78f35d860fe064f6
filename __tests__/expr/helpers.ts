/** Shared by the expression tests: bindings from JSON numbers, and reading results by name. */
import { computeGrad, type GradRequest, type GradResult } from '../../src/commands/grad';
import type { Tensor } from '../../src/tensor';
import { flatten } from '../helpers/close';

/** A JSON value (number or nested lists, "NaN"/"Infinity" as strings) as a tensor. */
export function tensorOf(v: unknown): Tensor {
  const shape: number[] = [];
  for (let probe = v; Array.isArray(probe); probe = probe[0]) shape.push(probe.length);
  return { shape, data: Float64Array.from(flatten(v)) };
}

export const bindings = (at: Record<string, unknown>): [string, Tensor][] => Object.entries(at).map(([k, v]) => [k, tensorOf(v)]);

/** computeGrad with bindings written as JSON-like values. */
export function grad(expression: string, at: Record<string, unknown> = {}, options: Omit<GradRequest, 'expression' | 'bindings'> = {}): GradResult {
  return computeGrad({ expression, bindings: bindings(at), ...options });
}

/** The gradient of one name, as a plain array (or a number for a scalar). */
export function gradOf(r: GradResult, name: string): number | number[] {
  const g = r.grads?.find(([n]) => n === name)?.[1];
  if (!g) throw new Error(`no gradient for ${name}`);
  return g.shape.length === 0 ? g.data[0] : Array.from(g.data);
}

export const valueOf = (r: GradResult): number | number[] => (r.value.shape.length === 0 ? r.value.data[0] : Array.from(r.value.data));

/** The message and column of the error an expression raises. */
export function errorOf(expression: string, at: Record<string, unknown> = {}, options: Omit<GradRequest, 'expression' | 'bindings'> = {}): { message: string; pos?: number; name: string } {
  try {
    grad(expression, at, options);
  } catch (e) {
    const err = e as Error & { pos?: number };
    return { message: err.message, pos: err.pos, name: err.name };
  }
  throw new Error(`no error for ${expression}`);
}

/** Expected numbers for toEqual, each within 1e-15 (so that 0 and -0 are the same). */
export const near = (xs: readonly number[]): unknown[] => xs.map((x) => expect.closeTo(x, 15));
