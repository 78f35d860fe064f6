import { compute, type Result } from '../../src/compute';
import { paramSpecsOf } from '../../src/functions/apply';
import { lookup } from '../../src/functions/registry';
import type { Params } from '../../src/functions/types';
import { type Tensor, tensor } from '../../src/tensor';

export const vec = (xs: number[]): Tensor => tensor([xs.length], xs);
export const mat = (rows: number[][]): Tensor => tensor([rows.length, rows[0].length], rows.flat());

/** The defaults of a function's parameters, overridden by `given`. */
export function paramsFor(name: string, given: Record<string, Params[string]> = {}): Params {
  const d = lookup(name)!;
  const p: Params = {};
  for (const spec of paramSpecsOf(d)) p[spec.name] = (spec.name in given ? given[spec.name] : spec.default) as Params[string];
  return p;
}

/** Runs a function through the calculator core with value, grad and jacobian. */
export function call(
  name: string,
  input: Tensor | number[],
  opts: { params?: Record<string, Params[string]>; target?: Tensor | number[]; jacobian?: boolean; gradOutput?: number[] } = {},
): Result {
  const toT = (v: Tensor | number[]): Tensor => (Array.isArray(v) ? vec(v) : v);
  return compute({
    fn: lookup(name)!,
    input: toT(input),
    params: paramsFor(name, opts.params),
    target: opts.target === undefined ? undefined : toT(opts.target),
    grad: true,
    jacobian: opts.jacobian ?? false,
    gradOutput: opts.gradOutput === undefined ? undefined : vec(opts.gradOutput),
  });
}

export const values = (t: Tensor | undefined): number[] => Array.from(t!.data);
