/**
 * Every descriptor of the registry against central finite differences of its own forward, at
 * random valid points away from kinks (every kind, with random parameters): the Jacobian from the
 * VJPs matches the numerical Jacobian of the value, and the Hessian the numerical Jacobian of the
 * gradient. A cross-check, not the truth (the truth is PyTorch's numbers, in the family suites and
 * the reference tables); the family suites test higher orders and the targets' gradients.
 */
import fc from 'fast-check';
import { computeFunction, type FunctionRequest } from '../../src/commands/function';
import { registry } from '../../src/functions/registry';
import type { Descriptor } from '../../src/functions/types';
import { numel, type Tensor } from '../../src/tensor';
import { type Case, caseOf } from '../helpers/cases';

fc.configureGlobal({ seed: Number(process.env.SEED ?? 20261128), numRuns: Number(process.env.RUNS ?? 3) });

/**
 * What finite differences cannot check: ctc's gradient is PyTorch's, exp(lp) − posterior, the
 * gradient with respect to the logits (it differs from the derivative by exp(lp)); embedding's
 * input is indices (no gradient).
 */
const NOT_THE_DERIVATIVE = new Set(['ctc', 'embedding']);
const NO_SECOND_DERIVATIVE = new Set(['ctc']);

const run = (d: Descriptor, c: Case, more: Partial<FunctionRequest> = {}) => computeFunction({ fn: d, input: c.input, args: c.args, ...more });

/** Central differences of f (flattened output) at x: J[i][j] = ∂f_i/∂x_j. */
function numericalJacobian(f: (x: Tensor) => Float64Array, x: Tensor): number[][] {
  const columns: Float64Array[] = [];
  for (let j = 0; j < x.data.length; j++) {
    const h = 1e-6 * Math.max(1, Math.abs(x.data[j]));
    const at = (delta: number): Float64Array => {
      const data = x.data.slice();
      data[j] += delta;
      return f({ shape: x.shape, data });
    };
    const plus = at(h);
    const minus = at(-h);
    columns.push(plus.map((p, i) => (p - minus[i]) / (2 * h)));
  }
  const m = columns.length ? columns[0].length : 0;
  return Array.from({ length: m }, (_, i) => columns.map((col) => col[i]));
}

const near = (a: number, b: number, tol: number): boolean => Math.abs(a - b) <= tol * (1 + Math.abs(b));

function expectNear(what: string, analytic: number[][], numeric: number[][], tol: number): void {
  analytic.forEach((row, i) =>
    row.forEach((a, j) => {
      if (!near(a, numeric[i][j], tol)) expect({ what, i, j, analytic: a }).toEqual({ what, i, j, analytic: numeric[i][j] });
    }),
  );
}

/** The rows of the Jacobian: one VJP with each unit vector of the output. */
function jacobianRows(d: Descriptor, c: Case): number[][] {
  const y = run(d, c).value;
  return Array.from({ length: numel(y.shape) }, (_, i) => {
    const e = { shape: y.shape.slice(), data: new Float64Array(numel(y.shape)) };
    e.data[i] = 1;
    return Array.from(run(d, c, { gradOutput: e }).grad!.data);
  });
}

describe.each(registry.filter((d) => !NOT_THE_DERIVATIVE.has(d.name)).map((d) => [d.name, d] as const))('%s', (_name, d) => {
  test('the Jacobian agrees with central differences of the value', () => {
    fc.assert(
      fc.property(caseOf(d, { smooth: true }), (c) => {
        const numeric = numericalJacobian((x) => run(d, { input: x, args: c.args }).value.data, c.input);
        expectNear('Jacobian', jacobianRows(d, c), numeric, 1e-5);
      }),
    );
  });

  if (!NO_SECOND_DERIVATIVE.has(d.name)) {
    test('the Hessian agrees with central differences of the gradient', () => {
      fc.assert(
        fc.property(caseOf(d, { smooth: true }), (c) => {
          const H = run(d, c, { hessian: true }).hessian!;
          const n = numel(c.input.shape);
          const analytic = Array.from({ length: n }, (_, i) => Array.from(H.data.subarray(i * n, (i + 1) * n)));
          const numeric = numericalJacobian((x) => run(d, { input: x, args: c.args }, { grad: true }).grad!.data, c.input);
          expectNear('Hessian', analytic, numeric, 1e-4);
        }),
      );
    });
  }
});
