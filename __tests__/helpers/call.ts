import { computeFunction } from '../../src/commands/function';
import type { RawArg } from '../../src/functions/args';
import { lookup } from '../../src/functions/registry';
import type { FunctionResult } from '../../src/result';
import { type Tensor, tensor } from '../../src/tensor';

export const vec = (xs: number[]): Tensor => tensor([xs.length], xs);
export const mat = (rows: number[][]): Tensor => tensor([rows.length, rows[0].length], rows.flat());

/** Runs a function through the calculator core (computeFunction) with value, grad and, if asked, the Jacobian. */
export function call(
  name: string,
  input: Tensor | number[],
  opts: { params?: Record<string, RawArg>; target?: Tensor | number[]; jacobian?: boolean; gradOutput?: number[] } = {},
): FunctionResult {
  const toT = (v: Tensor | number[]): Tensor => (Array.isArray(v) ? vec(v) : v);
  const fn = lookup(name)!;
  const args: Record<string, RawArg> = { ...opts.params };
  if (opts.target !== undefined) args.target = toT(opts.target);
  return computeFunction({
    fn,
    input: toT(input),
    args,
    grad: true,
    jacobian: opts.jacobian ?? false,
    gradOutput: opts.gradOutput === undefined ? undefined : vec(opts.gradOutput),
  });
}

export const values = (t: Tensor | undefined): number[] => Array.from(t!.data);
