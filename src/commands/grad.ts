/**
 * `actgrad grad "<expression>" name=value ...`: the value of a formula written as PyTorch code and
 * its derivatives with respect to the bound names (gradients, y.backward(gradient), Jacobians,
 * the Hessian and Hessian-vector products, the worked solution), all by reverse mode on the
 * engine, as PyTorch's autograd computes them. No I/O: the result is rendered elsewhere.
 */
import { constant, mul } from '../autograd/elementwise';
import { GraphTooLargeError, leaf, resetNodeCount, type Var, withGradMode } from '../autograd/var';
import { didYouMean, UsageError } from '../errors';
import { derivativeOps, engineOps, reduceOps } from '../expr/engine';
import { evaluateProgram, type Evaluation, resultTensor } from '../expr/evaluate';
import type { GradResult } from '../result';
import { isName } from '../parse/names';
import { numel, shapeText, type Tensor } from '../tensor';

export interface GradRequest {
  expression: string;
  bindings: [string, Tensor][];
  wrt?: string[];
  jacobian?: boolean;
  hessian?: boolean;
  /** flattened over the wrt names in order */
  hvp?: Tensor;
  gradOutput?: Tensor;
  noGrad?: boolean;
  steps?: boolean;
}

export type { GradResult };

export type { Steps } from '../expr/steps';

/** Python's keywords: names a binding cannot have. */
const RESERVED = new Set(['True', 'False', 'None', 'and', 'or', 'not', 'in', 'is', 'if', 'else', 'for', 'lambda', 'def', 'return', 'import', 'from']);

function checkBindings(bindings: readonly [string, Tensor][]): void {
  const seen = new Set<string>();
  for (const [name] of bindings) {
    if (!isName(name)) {
      throw new UsageError(`"${name}" is not a name for a binding: use letters, digits and _, starting with a letter`);
    }
    if (RESERVED.has(name)) throw new UsageError(`${name} is a Python keyword and cannot be bound; choose another name`);
    if (seen.has(name)) throw new UsageError(`${name} is bound twice`);
    seen.add(name);
  }
}

/** The value of an expression alone (finite differences, formula answers); nothing is recorded. */
export function evaluateExpression(expression: string, bindings: [string, Tensor][]): Tensor {
  checkBindings(bindings);
  return withGradMode(false, () => {
    const leaves = new Map(bindings.map(([name, t]) => [name, leaf(t, name, false)] as const));
    return resultTensor(evaluateProgram(expression, leaves)).var.value;
  });
}

/**
 * A tensor the user gives for an output (y.backward's gradient): its shape must be the output's,
 * as PyTorch checks; one written as a row for a vector (or with other dimensions of size 1) is the
 * same thing. The same count in another shape is refused.
 */
function matchShape(what: string, given: Tensor, shape: readonly number[]): Tensor {
  const squeeze = (s: readonly number[]): number[] => s.filter((d) => d !== 1);
  const a = squeeze(given.shape);
  const b = squeeze(shape);
  if (given.data.length !== numel(shape) || a.length !== b.length || a.some((d, i) => d !== b[i])) {
    throw new UsageError(`${what} has shape ${shapeText(given.shape)}, but the value has shape ${shapeText(shape)}: they must be the same (as y.backward(gradient) requires)`);
  }
  return { shape: shape.slice(), data: given.data };
}

/** Labels of the flattened variables: `b`, `w[0]`, `W[0, 1]`. */
function variableLabels(name: string, shape: readonly number[]): string[] {
  if (shape.length === 0) return [name];
  const labels: string[] = [];
  const index = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < numel(shape); k++) {
    labels.push(`${name}[${index.join(', ')}]`);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  return labels;
}

/**
 * Bound names without a gradient, with the sentence that says why: those that reach the result
 * only through constant uses (.detach(), an index, class indices), and those passed where PyTorch
 * refuses to differentiate (a target without a derivative, running statistics) — the latter get
 * none even when they also reach the result another way: PyTorch raises there, and a gradient
 * without that part would be a wrong number.
 */
function namesWithoutGradient(ev: Evaluation, leaves: ReadonlyMap<string, Var>, result: Var): Map<string, string> {
  const { topologicalOrder } = engineOps();
  const inGraph = new Set(topologicalOrder([result]));
  const reasons = new Map<string, string>();
  for (const use of ev.noGradient) {
    const upstream = use.var.node ? new Set(topologicalOrder([use.var])) : new Set([use.var]);
    for (const [name, v] of leaves) {
      if (reasons.has(name) || !upstream.has(v) || (inGraph.has(v) && !use.refused)) continue;
      const inPyTorch = /PyTorch/.test(use.reason) ? '' : ' in PyTorch';
      reasons.set(name, `passed to ${use.fn}${use.param ? ` as its ${use.param}` : ''}: ${use.reason}${inPyTorch}`);
    }
  }
  return reasons;
}

const NOT_SCALAR = (shape: readonly number[]): string =>
  `the expression's value has shape ${shapeText(shape)}, not a single number, so it has no gradient: reduce it with sum(...) or mean(...), ` +
  'index it with [i], or ask for --jacobian, --grad-output or --no-grad (PyTorch: "grad can be implicitly created only for scalar outputs")';

export function computeGrad(req: GradRequest): GradResult {
  try {
    return gradOfRequest(req);
  } catch (e) {
    // Hessians and Jacobians of large formulas build large graphs: a limit, not a crash.
    if (e instanceof GraphTooLargeError) throw new UsageError(`the formula is too large to differentiate: ${e.message}`);
    throw e;
  }
}

function gradOfRequest(req: GradRequest): GradResult {
  checkBindings(req.bindings);
  const names = req.bindings.map(([n]) => n);
  if (req.wrt !== undefined) {
    if (req.wrt.length === 0) throw new UsageError(`--wrt names no binding; give some of ${names.join(', ') || 'the bound names'}, comma-separated`);
    const seen = new Set<string>();
    for (const w of req.wrt) {
      if (!names.includes(w)) throw new UsageError(`--wrt ${w}: no such bound name${didYouMean(w, names)}; bound: ${names.join(', ') || 'none'}`);
      if (seen.has(w)) throw new UsageError(`--wrt names ${w} twice`);
      seen.add(w);
    }
  }
  const derivatives = req.jacobian || req.hessian || req.hvp || req.gradOutput || req.steps;
  if (req.noGrad && derivatives) {
    throw new UsageError('--no-grad asks for the value alone; it cannot be combined with --jacobian, --hessian, --hvp, --grad-output or --steps');
  }

  resetNodeCount();
  const leaves = new Map(req.bindings.map(([name, t]) => [name, leaf(t, name, !req.noGrad)] as const));
  const ev = withGradMode(!req.noGrad, () => evaluateProgram(req.expression, leaves, { record: Boolean(req.steps) }));
  const y = resultTensor(ev).var;
  const result: GradResult = { kind: 'grad', expression: req.expression, at: req.bindings, value: y.value, wrt: [] };
  if (req.noGrad) return result;

  const without = namesWithoutGradient(ev, leaves, y);
  for (const w of req.wrt ?? []) if (without.has(w)) throw new UsageError(`--wrt ${w}: ${w} is ${without.get(w)}`);
  const wrt = req.wrt ?? names.filter((n) => !without.has(n));
  result.wrt = wrt;
  if (without.size > 0) result.noGradient = [...without];
  const xs = wrt.map((w) => leaves.get(w)!);
  const { grad } = engineOps();
  const { hessian, hvp, jacobian, valuesOf } = derivativeOps();

  const scalar = y.shape.length === 0;
  let seed: Tensor | undefined;
  if (req.gradOutput) {
    seed = matchShape('--grad-output', req.gradOutput, y.shape);
    result.gradOutput = seed;
  }
  if (!scalar && !seed && !req.jacobian) throw new UsageError(NOT_SCALAR(y.shape));
  if (req.steps && !scalar) {
    throw new UsageError(`--steps works out the gradient of a single number; this value has shape ${shapeText(y.shape)}: reduce it with sum(...) or index it with [i]`);
  }
  const dy: Tensor = seed ?? { shape: [], data: Float64Array.of(1) };

  if (scalar || seed) {
    const grads = valuesOf(grad([y], [constant(dy)], xs), xs);
    result.grads = wrt.map((w, i) => [w, grads[i]]);
  }
  if (req.jacobian) {
    const entries = numel(y.shape) * xs.reduce((acc, x) => acc + numel(x.shape), 0);
    const { MAX_JACOBIAN_ENTRIES } = require('./function') as typeof import('./function');
    if (entries > MAX_JACOBIAN_ENTRIES) {
      throw new UsageError(`--jacobian of ${numel(y.shape)} outputs would have ${entries} entries; it is limited to ${MAX_JACOBIAN_ENTRIES} (use --grad-output for a vector-Jacobian product)`);
    }
    const J = jacobian([y], xs);
    const rows = numel(y.shape);
    const total = J.length / Math.max(rows, 1);
    let column = 0;
    result.jacobians = xs.map((x, i) => {
      const n = numel(x.shape);
      const block = new Float64Array(rows * n);
      for (let r = 0; r < rows; r++) block.set(J.subarray(r * total + column, r * total + column + n), r * n);
      column += n;
      return [wrt[i], { shape: [...y.shape, ...x.shape], data: block }];
    });
  }
  if (req.hessian || req.hvp) {
    // The scalar that the gradient differentiates: the result, or Σ grad_output ⊙ result.
    if (!scalar && !seed) throw new UsageError(NOT_SCALAR(y.shape));
    const s = seed && !scalar ? reduceOps().sum(mul(y, constant(seed))) : seed ? mul(y, constant(seed)) : y;
    const n = xs.reduce((acc, x) => acc + numel(x.shape), 0);
    if (req.hessian) {
      const { MAX_HESSIAN_ENTRIES } = require('./function') as typeof import('./function');
      if (n * n > MAX_HESSIAN_ENTRIES) {
        throw new UsageError(`--hessian over ${n} variables would have ${n * n} entries; it is limited to ${MAX_HESSIAN_ENTRIES} (use --hvp for a Hessian-vector product)`);
      }
      result.hessian = {
        wrt,
        variables: xs.flatMap((x, i) => variableLabels(wrt[i], x.shape)),
        matrix: { shape: [n, n], data: hessian(s, xs) },
      };
    }
    if (req.hvp) {
      if (req.hvp.data.length !== n) {
        throw new UsageError(`--hvp has ${req.hvp.data.length} number${req.hvp.data.length === 1 ? '' : 's'}, but needs ${n}, one per variable of ${wrt.join(', ')}`);
      }
      let offset = 0;
      const parts = xs.map((x) => {
        const m = numel(x.shape);
        const part = { shape: x.shape.slice(), data: req.hvp!.data.slice(offset, offset + m) };
        offset += m;
        return part;
      });
      const products = hvp(s, xs, parts);
      const flat = new Float64Array(n);
      let at = 0;
      for (const p of products) {
        flat.set(p.data, at);
        at += p.data.length;
      }
      result.hvp = { shape: [n], data: flat };
    }
  }
  if (req.steps) {
    const totals = new Map(result.grads!.map(([name, g]) => [name, g] as const));
    const { buildSteps } = require('../expr/steps') as typeof import('../expr/steps');
    result.steps = buildSteps({ evaluation: ev, root: y, seed: dy, leaves: [...leaves], wrt, totals });
  }
  return result;
}
