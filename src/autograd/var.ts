/**
 * The differentiable value of the engine, in the manner of PyTorch's autograd: a Var holds a
 * tensor and, when it was computed from Vars that require gradients, the node that computed it
 * (PyTorch's grad_fn). Every node's op has a backward written with ops again, so a gradient is
 * itself a Var that can be differentiated (double backward, Hessians, any order).
 */
import { UsageError } from '../errors';
import type { Tensor } from '../tensor';

/** What a primitive op knows when its backward runs: its inputs, its output and its attributes. */
export interface Ctx<A> {
  readonly inputs: readonly Var[];
  readonly output: Var;
  readonly attrs: A;
  /** needs[i]: does the gradient with respect to input i reach anything asked for? */
  readonly needs: readonly boolean[];
}

/**
 * A primitive op: a numeric forward kernel and a backward (the vector-Jacobian product) written
 * with ops, side by side (micrograd's _backward; PyTorch's derivatives.yaml). Inputs that take no
 * gradient (masks, class indices) get null.
 */
export interface Op<A = undefined> {
  readonly name: string;
  forward(inputs: readonly Tensor[], attrs: A): Tensor;
  backward(grad: Var, ctx: Ctx<A>): readonly (Var | null)[];
  /**
   * For worked solutions (--steps): how the contribution to input i is formed, given the names of
   * the upstream gradient G and of the inputs, e.g. (G, ['x', 'w'], 1) → 'G · x' for the w of x*w.
   */
  rule?(G: string, inputs: readonly string[], i: number, attrs: A): string;
}

export interface Node {
  readonly op: Op<any>;
  readonly inputs: readonly Var[];
  readonly attrs: unknown;
}

let created = 0;

export class Var {
  /** Creation order (the order of evaluation). */
  readonly id = created++;
  /** The sub-expression or statement name that computed it, set by the evaluator for messages and steps. */
  label: string | undefined;
  constructor(
    readonly value: Tensor,
    readonly node: Node | null = null,
    /** A leaf whose gradient is asked for (a bound name), or a Var computed from one. */
    readonly requiresGrad = false,
    /** A bound name (leaves only). */
    readonly name?: string,
  ) {}

  get shape(): number[] {
    return this.value.shape;
  }

  get isLeaf(): boolean {
    return this.node === null;
  }
}

/** A leaf: a bound name (requires a gradient) or a constant. */
export function leaf(value: Tensor, name?: string, requiresGrad = name !== undefined): Var {
  return new Var(value, null, requiresGrad, name);
}

// Grad mode, as torch.no_grad / torch.enable_grad: when off, ops record no nodes.
let gradEnabled = true;
/** Nodes recorded since start-up: a guard against runaway graphs (high orders). */
let recorded = 0;
/** Beyond this many nodes in one computation, an error instead of exhausting memory. */
export const NODE_BUDGET = 250_000;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

export function withGradMode<T>(enabled: boolean, f: () => T): T {
  const before = gradEnabled;
  gradEnabled = enabled;
  try {
    return f();
  } finally {
    gradEnabled = before;
  }
}

export const noGrad = <T>(f: () => T): T => withGradMode(false, f);

/** Thrown when a computation records more nodes than NODE_BUDGET: an input error, not a crash. */
export class GraphTooLargeError extends UsageError {}

export function resetNodeCount(): void {
  recorded = 0;
}

/** Applies a primitive op: computes its forward and, in grad mode, records the node. */
export function apply<A>(op: Op<A>, inputs: readonly Var[], attrs: A): Var {
  const value = op.forward(
    inputs.map((v) => v.value),
    attrs,
  );
  if (gradEnabled) {
    for (const v of inputs) {
      if (v.requiresGrad) {
        if (++recorded > NODE_BUDGET) {
          throw new GraphTooLargeError(`the computation needs more than ${NODE_BUDGET} operations; a lower order of derivative or a smaller input needs fewer`);
        }
        return new Var(value, { op, inputs, attrs }, true);
      }
    }
  }
  return new Var(value);
}
