/**
 * `actgrad grad "<expression>" name=value ...`: the value of a small formula and its gradient
 * (or Jacobian) with respect to each bound name, by reverse-mode autograd.
 */
import { backward, Var } from './autograd/graph';
import { buildSteps, type Steps } from './autograd/steps';
import { evaluate } from './autograd/evaluate';
import { UsageError, didYouMean } from './errors';
import { parseExpression } from './parse/expression';
import { parseNumberToken, parseNumbers } from './parse/numbers';
import { describeShape, numel, type Tensor } from './tensor';

export interface GradRequest {
  expression: string;
  bindings: [string, Tensor][];
  wrt?: string[];
  jacobian: boolean;
  /** also build the worked solution (scalar expressions) */
  steps?: boolean;
}

export interface GradResult {
  expression: string;
  at: [string, Tensor][];
  value: Tensor;
  /** Gradients (scalar expressions), in the order of `wrt`. */
  grads?: [string, Tensor][];
  /** Jacobians, shape = value's shape + the name's shape. */
  jacobians?: [string, Tensor][];
  steps?: Steps;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** "w=0.5,-1" → ["w", tensor]; a bare number is a scalar, brackets or separators make a vector. */
export function parseBinding(text: string): [string, Tensor] {
  const eq = text.indexOf('=');
  if (eq < 0) throw new UsageError(`"${text}" is not a binding: write name=value, e.g. x=1 or w="0.5 -1"`);
  const name = text.slice(0, eq).trim();
  if (!NAME.test(name)) throw new UsageError(`"${name}" is not a name for a binding: use letters, digits and _, starting with a letter`);
  const valueText = text.slice(eq + 1);
  const single = parseNumberToken(valueText.trim());
  if (single !== undefined) return [name, { shape: [], data: Float64Array.of(single) }];
  return [name, parseNumbers(valueText, name)];
}

/** The expression's value alone (for finite differences). */
export function evaluateExpression(expression: string, bindings: [string, Tensor][]): Tensor {
  const vars = new Map(bindings.map(([n, t]) => [n, new Var(t, [], n)]));
  return evaluate(parseExpression(expression), expression, vars).value;
}

export function computeGrad(req: GradRequest): GradResult {
  const bindings = new Map<string, Var>();
  for (const [name, value] of req.bindings) {
    if (bindings.has(name)) throw new UsageError(`${name} is bound twice`);
    bindings.set(name, new Var(value, [], name));
  }
  if (req.wrt !== undefined && req.wrt.length === 0) throw new UsageError(`--wrt names no binding; give some of ${[...bindings.keys()].join(', ') || 'the bound names'}, comma-separated`);
  const wrt = req.wrt ?? [...bindings.keys()];
  for (const w of wrt) {
    if (!bindings.has(w)) {
      throw new UsageError(`--wrt ${w}: no such bound name${didYouMean(w, [...bindings.keys()])}; bound: ${[...bindings.keys()].join(', ') || 'none'}`);
    }
  }
  const root = evaluate(parseExpression(req.expression), req.expression, bindings);
  const result: GradResult = { expression: req.expression, at: req.bindings, value: root.value };
  const gradientsFor = (seed: Tensor): Tensor[] => {
    backward(root, seed);
    return wrt.map((w) => {
      const v = bindings.get(w)!;
      return { shape: v.value.shape, data: v.grad ?? new Float64Array(numel(v.value.shape)) };
    });
  };
  const scalarOutput = root.value.shape.length === 0;
  if (req.steps && !scalarOutput) {
    throw new UsageError(`--steps works out the gradient of a single number; this expression has shape ${describeShape(root.value.shape)}: reduce it with sum(...) or index it with [i]`);
  }
  if (scalarOutput) result.grads = gradientsFor({ shape: [], data: Float64Array.of(1) }).map((g, i) => [wrt[i], g]);
  if (req.steps) result.steps = buildSteps(root, [...bindings.values()], wrt);
  if (req.jacobian) {
    const outN = root.value.data.length;
    const blocks = wrt.map((w) => new Float64Array(outN * bindings.get(w)!.value.data.length));
    for (let i = 0; i < outN; i++) {
      const seed = new Float64Array(outN);
      seed[i] = 1;
      gradientsFor({ shape: root.value.shape, data: seed }).forEach((g, k) => blocks[k].set(g.data, i * g.data.length));
    }
    result.jacobians = wrt.map((w, k) => [w, { shape: [...root.value.shape, ...bindings.get(w)!.value.shape], data: blocks[k] }]);
  } else if (!scalarOutput) {
    throw new UsageError(
      `the expression's value has shape ${describeShape(root.value.shape)}, not a single number, so it has no gradient: ` +
        'reduce it with sum(...) or mean(...), index it with [i], or ask for --jacobian (PyTorch: "grad can be implicitly created only for scalar outputs")',
    );
  }
  return result;
}
