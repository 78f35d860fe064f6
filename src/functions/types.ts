/**
 * A function of actgrad is one descriptor: its PyTorch signature (arguments in PyTorch's order,
 * with PyTorch's defaults), its documentation, and its forward, written with the engine's
 * differentiable ops. The derivative of every order, the Jacobian, the Hessian and the expression
 * autograd all come from that one forward (and from the backward formulas of the ops it uses).
 */
import type { Var } from '../autograd/var';
import { UsageError } from '../errors';
import type { Tensor } from '../tensor';

/** An argument after parsing: a tensor (as a Var), a number, a flag, a choice, a list of ints, or None. */
export type ArgValue = Var | number | boolean | string | null | readonly number[];
export type Args = Readonly<Record<string, ArgValue>>;

export interface ArgSpec {
  /** PyTorch's keyword name (snake_case); the CLI flag is its kebab-case. */
  name: string;
  /**
   * - tensor: numbers of any shape (the input, a target, a weight);
   * - number / int: a scalar (int: a whole number);
   * - ints: a whole number or a tuple of them (kernel_size, normalized_shape, dim);
   * - boolean, choice: a flag, one of `choices`.
   */
  type: 'tensor' | 'number' | 'int' | 'ints' | 'boolean' | 'choice';
  /** PyTorch's default; null is None; absent means the argument is required. */
  default?: number | boolean | string | null | readonly number[];
  choices?: readonly string[];
  doc: string;
  /**
   * Tensors only: why PyTorch computes no gradient for it (running statistics, indices), or
   * undefined when it does. The evaluator uses it to refuse `--wrt` on such a name.
   */
  noGrad?: string;
  /** A positional slot PyTorch keeps for old keywords (size_average, reduce): None only, no flag. */
  legacy?: boolean;
  /** Not offered as a CLI flag (several tensor inputs are expression-only). */
  expressionOnly?: boolean;
}

/** How the function treats its input, for help groups, labels and the structure of Jacobians. */
export type Kind = 'elementwise' | 'vector' | 'loss' | 'layer' | 'call';

/**
 * Raised by a function about one of its arguments. The message is written with `name(arg)`, so
 * that the CLI can say `--target` and an expression `target y`.
 */
export class ArgumentError extends UsageError {
  constructor(readonly compose: (name: (arg: string) => string) => string) {
    super(compose((a) => a));
  }
}

/** What a forward may tell its caller besides its result. */
export interface CallContext {
  /** `v` was passed where PyTorch computes no gradient, for this reason (class indices ...). */
  noGradient(v: Var, reason: string): void;
  /**
   * The input is a piece of a batch's rows (streamed): the whole batch's input shape and target,
   * for a loss over rows (rowPieces) to check and reduce as the whole batch is.
   */
  batch?: BatchOfPiece;
}

/**
 * The whole batch a piece of rows comes from: its input's shape and its target. The same object
 * for every piece of a batch (whose pieces share their other arguments), so that what a loss
 * derives from it once (its check, its mean's denominator) may be kept for the next pieces.
 */
export interface BatchOfPiece {
  shape: readonly number[];
  target: Tensor;
}

export interface Descriptor {
  /** actgrad's command name (kebab-case of torch.nn.functional's name). */
  name: string;
  /** Other accepted names (PyTorch's long loss names ...); snake_case forms are added automatically. */
  aliases?: readonly string[];
  kind: Kind;
  summary: string;
  /** The PyTorch call this matches. */
  torch: string;
  /** PyTorch's arguments in PyTorch's positional order; args[0] is the input. */
  args: readonly ArgSpec[];
  formula: { value: string; derivative: string };
  /** The conventions at kinks, clamps and special points, and where PyTorch's formula is followed. */
  kinks: string;
  /** One example command line (without "actgrad "), shown in --help and the README. */
  example: string;
  /**
   * Elementwise: outputs depend on their own element only; rows: each row (the last dimension)
   * maps to its own output row. Jacobians and Hessians use it to need fewer passes.
   */
  structure?: 'elementwise' | 'rows';
  /**
   * A loss over rows whose rows' terms are independent, and which, given the whole batch
   * (CallContext.batch), computes a piece of rows with the derivatives each row has within the
   * whole batch (the mean's denominator is the whole batch's). Its value is then the piece's
   * share, so the pipeline streams it only where the value is not shown (--grad in plain, csv, tsv).
   */
  rowPieces?: true;
  /**
   * For these arguments, is each row (along the last dimension) computed from that row alone
   * (layer_norm over the last dimension)? The pipeline may then stream the input in pieces of
   * rows. Unlike structure 'rows', the Jacobian stays one dense matrix.
   */
  rowsApart?(args: Args): boolean;
  /**
   * The mistakes students make with this function, for --expect's hints: --expect names one when
   * the numbers given match it (check/hints.ts computes each from the request).
   */
  mistakes?: readonly Mistake[];
  /** The x range `plot` shows by default (default [-6, 6]). */
  plotRange?: readonly [number, number];
  /** Checks arguments that PyTorch rejects: throws an ArgumentError naming what to fix. */
  check?(args: Args): void;
  forward(args: Args, ctx: CallContext): Var;
}

/** Every accepted name of a descriptor: its name, its aliases, and their snake_case forms. */
export function namesOf(d: Descriptor): string[] {
  const all = new Set<string>();
  for (const n of [d.name, ...(d.aliases ?? [])]) {
    all.add(n);
    all.add(n.replace(/-/g, '_'));
  }
  return [...all];
}

/**
 * A usual mistake, as the wrong computation it amounts to. Hints are sentences with `{the}`,
 * `{are}`, `{match}`, `{treat}` (worded for numbers or for a formula), `{C}` (the classes of a
 * row) and `{N}` (the input's elements) filled in.
 * - derivative-of-input: the derivative's formula applied to x instead of f(x) (σ' as x(1 − x));
 * - probabilities-for-logits: the inputs are probabilities where the function takes logits;
 *   `toLogits` maps them to the logits that give the same numbers;
 * - classes-factor: the quantity without the function's division by the number of classes;
 * - other-reduction: the quantity with another reduction (the textbook one), from `from`.
 */
export type Mistake =
  | { kind: 'derivative-of-input'; derivative(x: number): number; hint: string }
  | { kind: 'probabilities-for-logits'; toLogits(p: number): number; hint: string }
  | { kind: 'classes-factor'; hint: string }
  | { kind: 'other-reduction'; from: string; to: string; hint: string };

/** The reductions of a loss. */
export const REDUCTIONS = ['mean', 'sum', 'none'] as const;
