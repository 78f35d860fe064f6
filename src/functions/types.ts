import type { Tensor } from '../tensor';

/** A parameter value after parsing: numbers, flags, choices, or a vector (weights). */
export type ParamValue = number | boolean | string | Float64Array | null;
export type Params = Record<string, ParamValue>;

export interface ParamSpec {
  /** PyTorch's keyword name (snake_case); the CLI flag is its kebab-case. */
  name: string;
  type: 'number' | 'boolean' | 'choice' | 'vector';
  /** PyTorch's default; null for an optional tensor (None); absent when required. */
  default?: number | boolean | string | null;
  required?: boolean;
  choices?: readonly string[];
  doc: string;
}

interface DescriptorBase {
  /** actgrad's command name (kebab-case of torch.nn.functional's name). */
  name: string;
  /** Other accepted names: PyTorch's long loss names etc. snake_case forms are added automatically. */
  aliases?: readonly string[];
  summary: string;
  /** The PyTorch call this matches. */
  torch: string;
  params: readonly ParamSpec[];
  formula: { value: string; derivative: string };
  /** The convention at kinks, clamps and other special points. */
  kinks: string;
  /** One example command line (without "actgrad "), shown in --help and the README. */
  example: string;
  /** Checks parameters that PyTorch rejects; returns a message naming what to fix. */
  checkParams?(p: Params): string | undefined;
}

/** f: R → R applied to every element. */
export interface ElementwiseFn extends DescriptorBase {
  kind: 'elementwise';
  f(x: number, p: Params): number;
  /** f'(x), given x and y = f(x); the backward is dy·f'(x). */
  df(x: number, y: number, p: Params): number;
}

/** f: Rⁿ → Rᵏ applied to each row (the last dimension). */
export interface VectorFn extends DescriptorBase {
  kind: 'vector';
  /** true when each row maps to one number (logsumexp, norm). */
  reducesRow: boolean;
  outputLength(n: number): number;
  checkRow?(n: number): string | undefined;
  forward(x: Float64Array, p: Params): Float64Array;
  /** Vector-Jacobian product: dy (length k) → dx (length n). */
  backward(x: Float64Array, y: Float64Array, dy: Float64Array, p: Params): Float64Array;
}

/**
 * What a loss accepts as --target:
 * - 'same': numbers of the input's shape;
 * - 'class': class indices, one per row;
 * - 'class-or-probs': class indices, or probabilities of the input's shape.
 */
export type TargetForm = 'same' | 'class' | 'class-or-probs';

/** A loss, before reduction: one loss per element (elementwise losses) or per row (class losses). */
export interface LossFn extends DescriptorBase {
  kind: 'loss';
  target: TargetForm;
  /** Reductions beyond none/mean/sum (kl-div's batchmean). */
  extraReductions?: readonly string[];
  /** Checks the input and target values (bce's [0, 1]); returns a message naming what to fix. */
  checkValues?(input: Tensor, target: Tensor, p: Params): string | undefined;
  /**
   * Unreduced losses: shape = input's shape for elementwise losses, one per row for class losses
   * (a scalar for a single row); plus the denominator of reduction 'mean' (and 'batchmean').
   */
  forward(input: Tensor, target: Tensor, p: Params): { losses: Tensor; meanDenominator: number };
  /** Gradient with respect to the input of Σ dLosses ⊙ losses. */
  backward(input: Tensor, target: Tensor, dLosses: Tensor, p: Params): Tensor;
  /** Gradient with respect to the target (losses whose target is a real number, for `actgrad grad`). */
  backwardTarget?(input: Tensor, target: Tensor, dLosses: Tensor, p: Params): Tensor;
}

export type Descriptor = ElementwiseFn | VectorFn | LossFn;
