/**
 * The calculator: a function, an input and the quantities asked for → a result object. No I/O;
 * the formatters turn the result into text.
 */
import { UsageError } from './errors';
import { apply, checkTarget, jacobian } from './functions/apply';
import type { Descriptor, Params } from './functions/types';
import { describeShape, full, type Tensor } from './tensor';

export interface Request {
  fn: Descriptor;
  input: Tensor;
  params: Params;
  target?: Tensor;
  grad: boolean;
  jacobian: boolean;
  gradOutput?: Tensor;
}

export interface Result {
  fn: Descriptor;
  params: Params;
  input: Tensor;
  target?: Tensor;
  gradOutput?: Tensor;
  value: Tensor;
  grad?: Tensor;
  jacobian?: Tensor;
}

export type Quantity = 'value' | 'grad' | 'jacobian';

/** The last requested quantity: jacobian if asked, else grad, else value (plain output, --expect). */
export function lastQuantity(r: Result): Quantity {
  return r.jacobian ? 'jacobian' : r.grad ? 'grad' : 'value';
}

export function compute(req: Request): Result {
  const { fn, input, params } = req;
  const problem = fn.checkParams?.(params);
  if (problem) throw new UsageError(problem);
  let target: Tensor | undefined;
  if (fn.kind === 'loss') {
    if (!req.target) throw new UsageError(`${fn.name} is a loss and needs --target (e.g. ${fn.example.replace(/^\S+\s*/, `${fn.name} `)})`);
    target = checkTarget(fn, input, req.target);
  }
  const applied = apply(fn, input, params, target);
  const result: Result = { fn, params, input, target, value: applied.output };
  if (req.grad || req.gradOutput) {
    let dy = full(applied.output.shape, 1);
    if (req.gradOutput) {
      if (req.gradOutput.data.length !== dy.data.length) {
        throw new UsageError(
          `--grad-output has ${req.gradOutput.data.length} number${req.gradOutput.data.length === 1 ? '' : 's'}, the output has ${dy.data.length}` +
            (dy.shape.length > 1 ? ` (shape ${describeShape(dy.shape)})` : ''),
        );
      }
      dy = { shape: dy.shape, data: req.gradOutput.data };
      result.gradOutput = dy;
    }
    result.grad = applied.vjp(dy);
  }
  if (req.jacobian) result.jacobian = jacobian(applied, input);
  return result;
}
