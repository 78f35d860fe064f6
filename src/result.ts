/**
 * What commands produce and renderers show: one result type per command, plain data (tensors,
 * strings, numbers), no behaviour. Renderers and checks read these; they never compute.
 */
import type { Descriptor } from './functions/types';
import type { Tensor } from './tensor';

/** A parameter as shown: tensors as Tensors, the rest as they were given. */
export type ParamShown = number | boolean | string | null | readonly number[] | Tensor;

export interface FunctionResult {
  kind: 'function';
  fn: Descriptor;
  /** how outputs depend on inputs for these arguments: per element, per row (the last dimension), or coupled */
  structure: Descriptor['structure'];
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

export type LocalDerivative =
  | { kind: 'scalar'; value: number }
  | { kind: 'diagonal'; value: Float64Array }
  | { kind: 'matrix'; rows: number; cols: number; value: Float64Array };

/** One input's share of a step of the backward pass. */
export interface Pass {
  input: string;
  /** How the contribution is formed, in names: "∂L/∂t1 · x". */
  rule: string;
  local?: LocalDerivative;
  contribution: Tensor;
}

export interface Step {
  node: string;
  expression: string;
  /** The operation on named inputs: "t1 + b", "softmax(a)", "t2[1]". */
  op: string;
  inputs: string[];
  value: Tensor;
  grad?: Tensor;
  passes: Pass[];
}

/** The worked solution of `grad --steps`. */
export interface Steps {
  forward: Step[];
  /** Nodes with a gradient, in reverse evaluation order. */
  backward: Step[];
  /** Each bound name's gradient as the sum of its parts, one per use. */
  gradients: { name: string; parts: { from: string; value: Tensor }[]; total: Tensor }[];
}

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
