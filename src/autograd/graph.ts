/**
 * A reverse-mode autograd graph over tensors, in the manner of micrograd: every operation
 * records its inputs with the vector-Jacobian product that sends a gradient back to each.
 */
import { numel, type Tensor } from '../tensor';

export interface Edge {
  from: Var;
  /** ∂L/∂this → ∂L/∂from (the contribution through this edge). */
  vjp(g: Tensor): Tensor;
  /**
   * How the contribution is formed, for worked solutions: given the names of the upstream
   * gradient G and of the operation's inputs, e.g. (G, [x, w]) → "G · x" for the w of x*w.
   */
  rule?(G: string, inputs: string[]): string;
}

let created = 0;

export class Var {
  grad: Float64Array | undefined;
  /** Creation order: the order of evaluation. */
  readonly id = created++;
  /** The sub-expression that computed it (set by the evaluator). */
  source: string | undefined;
  /** Operands that receive no gradient (a class index), shown in worked solutions. */
  constants: Var[] = [];
  constructor(
    readonly value: Tensor,
    readonly edges: Edge[] = [],
    /** A bound name (a leaf whose gradient is reported), or undefined. */
    readonly name?: string,
    /** What computed it, for messages and worked solutions: "softmax", "+", "@", … */
    readonly op: string = name ? 'input' : 'constant',
  ) {}

  /** Does a gradient reach a bound name through this variable? */
  get requiresGrad(): boolean {
    return this.name !== undefined || this.edges.some((e) => e.from.requiresGrad);
  }
}

/** Variables reachable from root, each after all of its inputs (iterative, no recursion). */
export function topologicalOrder(root: Var): Var[] {
  const order: Var[] = [];
  const seen = new Set<Var>();
  const stack: [Var, boolean][] = [[root, false]];
  while (stack.length) {
    const [v, expanded] = stack.pop()!;
    if (expanded) {
      order.push(v);
      continue;
    }
    if (seen.has(v)) continue;
    seen.add(v);
    stack.push([v, true]);
    for (const e of v.edges) if (!seen.has(e.from)) stack.push([e.from, false]);
  }
  return order;
}

/** Backpropagates `seed` (∂L/∂root) and leaves ∂L/∂v in v.grad for every v that needs it. */
export function backward(root: Var, seed: Tensor): void {
  const order = topologicalOrder(root);
  const needs = new Map<Var, boolean>();
  for (const v of order) needs.set(v, v.name !== undefined || v.edges.some((e) => needs.get(e.from)));
  for (const v of order) v.grad = undefined;
  root.grad = Float64Array.from(seed.data);
  for (let i = order.length - 1; i >= 0; i--) {
    const v = order[i];
    if (!v.grad) continue;
    for (const e of v.edges) {
      if (!needs.get(e.from)) continue;
      const g = e.vjp({ shape: v.value.shape, data: v.grad }).data;
      if (!e.from.grad) e.from.grad = new Float64Array(numel(e.from.value.shape));
      for (let k = 0; k < g.length; k++) e.from.grad[k] += g[k];
    }
  }
}
