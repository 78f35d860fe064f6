/**
 * What commands produce and renderers show: one result type per command, plain data (tensors,
 * strings, numbers), no behaviour. Renderers and checks read these; they never compute.
 */
import type { Steps } from './expr/steps';
import type { Descriptor } from './functions/types';
import type { Tensor } from './tensor';

/** A parameter as shown: tensors as Tensors, the rest as they were given. */
export type ParamShown = number | boolean | string | null | readonly number[] | Tensor;

export interface FunctionResult {
  kind: 'function';
  fn: Descriptor;
  /** how outputs depend on inputs for these arguments: per element, per row (the last dimension), or coupled */
  structure: Descriptor['structure'];
  /** each row (the last dimension) computed from itself alone, whatever the structure (Descriptor.rowsApart) */
  rowsApart?: boolean;
  /** every argument in effect but the input, by PyTorch keyword name (tensors as Tensors) */
  params: Record<string, ParamShown>;
  input: Tensor;
  gradOutput?: Tensor;
  value: Tensor;
  /** the derivative (order 1 or `order`), gradient or vector-Jacobian product */
  grad?: Tensor;
  order?: number;
  jacobian?: Tensor;
  hessian?: Tensor;
  hvp?: Tensor;
  jvp?: Tensor;
}


/** The quantities of a function result, in the order plain output and --expect pick the last one. */
export type Quantity = 'value' | 'grad' | 'jvp' | 'hvp' | 'jacobian' | 'hessian';

/** The last requested quantity: hessian, else jacobian, else hvp, else jvp, else grad, else value. */
export function lastQuantity(r: FunctionResult): Quantity {
  for (const q of ['hessian', 'jacobian', 'hvp', 'jvp', 'grad'] as const) if (r[q]) return q;
  return 'value';
}

// The worked solution's types belong to the evaluator that builds it.
export type { LocalDerivative, Pass, Step, Steps } from './expr/steps';

export interface GradResult {
  kind: 'grad';
  expression: string;
  at: [string, Tensor][];
  value: Tensor;
  wrt: string[];
  grads?: [string, Tensor][];
  jacobians?: [string, Tensor][];
  gradOutput?: Tensor;
  hessian?: { wrt: string[]; variables: string[]; matrix: Tensor };
  hvp?: Tensor;
  /** bound names PyTorch cannot differentiate, with the reason */
  noGradient?: [string, string][];
  steps?: Steps;
  /** each derivative as a formula (--symbolic) */
  symbolic?: [string, string][];
}

export type Result = FunctionResult | GradResult;
