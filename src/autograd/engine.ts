/**
 * Reverse mode over the recorded graph (torch.autograd.grad): gradients of outputs with respect
 * to inputs, seeded with grad_outputs. With createGraph the backward formulas run in grad mode,
 * so the gradients are Vars with a graph of their own and can be differentiated again.
 */
import { add } from './elementwise';
import { type Ctx, type Var, withGradMode } from './var';

/** Vars reachable from the roots, each after all of its inputs (iterative: no recursion). */
export function topologicalOrder(roots: readonly Var[]): Var[] {
  const order: Var[] = [];
  const seen = new Set<Var>();
  const stack: [Var, boolean][] = roots.map((r) => [r, false]);
  while (stack.length) {
    const [v, expanded] = stack.pop()!;
    if (expanded) {
      order.push(v);
      continue;
    }
    if (seen.has(v)) continue;
    seen.add(v);
    stack.push([v, true]);
    if (v.node) for (const u of v.node.inputs) if (!seen.has(u) && u.requiresGrad) stack.push([u, false]);
  }
  return order;
}

/** One contribution of the backward pass: ∂L/∂(input `index` of `to`'s node), for worked solutions. */
export interface Contribution {
  to: Var;
  index: number;
  from: Var;
  grad: Var;
}

export interface GradOptions {
  createGraph?: boolean;
  /** Called with each edge's contribution, in the order of the backward pass. */
  onContribution?(c: Contribution): void;
}

/**
 * ∂(Σ gradOutputs ⊙ outputs)/∂inputs. An input the outputs do not depend on gets null (PyTorch's
 * allow_unused): the caller decides whether that is a zero or an error.
 */
export function grad(outputs: readonly Var[], gradOutputs: readonly Var[], inputs: readonly Var[], options: GradOptions = {}): (Var | null)[] {
  const order = topologicalOrder(outputs);
  // Does a gradient reach an asked-for input through this Var?
  const wanted = new Set(inputs);
  const reaches = new Set<Var>();
  for (const v of order) {
    if (wanted.has(v) || (v.node && v.node.inputs.some((u) => reaches.has(u)))) reaches.add(v);
  }
  const acc = new Map<Var, Var>();
  const accumulate = (v: Var, g: Var): void => {
    const before = acc.get(v);
    acc.set(v, before ? add(before, g) : g);
  };
  return withGradMode(Boolean(options.createGraph), () => {
    outputs.forEach((o, i) => accumulate(o, gradOutputs[i]));
    for (let k = order.length - 1; k >= 0; k--) {
      const v = order[k];
      const g = acc.get(v);
      if (!g || !v.node || !reaches.has(v)) continue;
      const node = v.node;
      const needs = node.inputs.map((u) => reaches.has(u));
      const ctx: Ctx<unknown> = { inputs: node.inputs, output: v, attrs: node.attrs, needs };
      const grads = node.op.backward(g, ctx);
      node.inputs.forEach((u, i) => {
        const gi = grads[i];
        if (!needs[i] || !gi) return;
        options.onContribution?.({ to: v, index: i, from: u, grad: gi });
        accumulate(u, gi);
      });
      // Intermediate gradients are not kept (PyTorch frees them too): only the inputs' are asked.
      if (!wanted.has(v)) acc.delete(v);
    }
    return inputs.map((x) => acc.get(x) ?? null);
  });
}
