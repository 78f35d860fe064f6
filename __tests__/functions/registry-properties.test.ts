/**
 * The generic layer of the function tests: identities that every descriptor of the registry must
 * satisfy, checked by fast-check over random valid calls (every kind, layers and expression-only
 * calls included; random parameters, random shapes, kinks not avoided) through computeFunction,
 * the one path of every function result. The family suites beside this one test each family's
 * own formulas, conventions and PyTorch's numbers; finite-differences.test.ts compares with
 * central differences.
 *
 *  - the VJP (--grad-output dy) is Jᵀ·dy, with J the Jacobian in the contract's layout;
 *  - the JVP (--jvp v) is J·v;
 *  - the Hessian is symmetric, and each of its rows is an HVP with a unit vector;
 *  - for elementwise functions, --order 2 is the Hessian's diagonal;
 *  - a batch gives, row by row, what each row gives alone (row-wise and elementwise structure);
 *  - for losses: sum = mean × its denominator, and the losses of `none` add up to `sum`;
 *  - softmax's and softmin's Jacobians are symmetric with rows summing to 0, log-softmax is the
 *    log of softmax, softmin(x) is softmax(−x).
 */
import fc from 'fast-check';
import { computeFunction, type FunctionRequest } from '../../src/commands/function';
import type { RawArg } from '../../src/functions/args';
import { lookup, registry } from '../../src/functions/registry';
import type { Descriptor } from '../../src/functions/types';
import type { FunctionResult } from '../../src/result';
import { numel, type Tensor } from '../../src/tensor';
import { type Case, caseOf, missingGenerators, num, tensorOf } from '../helpers/cases';

fc.configureGlobal({ seed: Number(process.env.SEED ?? 20261127), numRuns: Number(process.env.RUNS ?? 6) });

const run = (d: Descriptor, c: Case, more: Partial<FunctionRequest> = {}): FunctionResult => computeFunction({ fn: d, input: c.input, args: c.args, ...more });

/** Descriptors without a second derivative (PyTorch has none either). */
const NO_SECOND_DERIVATIVE = new Set(['ctc']);

/** Close within rtol and atol, NaN equal to NaN, infinities exact. */
const close = (a: number, b: number, rtol = 1e-10, atol = 1e-12): boolean =>
  Number.isNaN(b) ? Number.isNaN(a) : !Number.isFinite(b) ? a === b : Math.abs(a - b) <= atol + rtol * Math.abs(b);

function expectAllClose(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-10, atol = 1e-12): void {
  expect({ what, n: actual.length }).toEqual({ what, n: expected.length });
  for (let i = 0; i < expected.length; i++) {
    if (!close(actual[i], expected[i], rtol, atol)) expect({ what, i, actual: actual[i] }).toEqual({ what, i, actual: expected[i] });
  }
}

/**
 * The dense Jacobian [outputs, inputs] from the contract's layout: for an elementwise or row-wise
 * function, one block per row of a batch (diagonal blocks: the rows are independent); a scalar
 * output, the gradient; otherwise the full matrix.
 */
function denseJacobian(r: FunctionResult): Float64Array {
  const J = r.jacobian!;
  const n = numel(r.input.shape);
  const m = numel(r.value.shape);
  if (r.value.shape.length === 0) return J.data.slice();
  if (J.shape.length === 2 && J.shape[0] === m && J.shape[1] === n && !(r.structure && r.input.shape.length >= 2)) return J.data.slice();
  // Blocks: [blocks, out, in] for a batch, [out, in] or [in] for a single row.
  const blocks = r.input.shape.length >= 2 ? J.shape[0] : 1;
  const inPer = n / blocks;
  const outPer = m / blocks;
  const dense = new Float64Array(m * n);
  for (let b = 0; b < blocks; b++) {
    for (let i = 0; i < outPer; i++) {
      for (let j = 0; j < inPer; j++) dense[(b * outPer + i) * n + b * inPer + j] = J.data[(b * outPer + i) * inPer + j];
    }
  }
  return dense;
}

/** The rounding a sum of these terms may carry: a few ulps of the largest magnitudes (cancellation). */
const roundingOf = (terms: readonly number[]): number => 1e-12 + 1e-14 * terms.reduce((s, t) => s + (Number.isFinite(t) ? Math.abs(t) : 0), 0);

const unit = (shape: number[], i: number): Tensor => {
  const t = { shape: shape.slice(), data: new Float64Array(numel(shape)) };
  t.data[i] = 1;
  return t;
};

/** A case and a tensor of the output's shape (a dy) drawn for it. */
const withOutputVector = (d: Descriptor) =>
  caseOf(d).chain((c) => {
    const y = run(d, c).value;
    return tensorOf(y.shape, num(-2, 2)).map((dy) => ({ c, dy }));
  });

test('every descriptor of the registry has a case generator', () => {
  expect(missingGenerators()).toEqual([]);
});

describe.each(registry.map((d) => [d.name, d] as const))('%s', (_name, d) => {
  test('--jacobian in the contract layout: its rows are the VJPs of unit vectors, and any VJP is Jᵀ·dy', () => {
    fc.assert(
      fc.property(withOutputVector(d), ({ c, dy }) => {
        const r = run(d, c, { jacobian: true, gradOutput: dy });
        const J = denseJacobian(r);
        const m = numel(r.value.shape);
        const n = numel(c.input.shape);
        const terms = Array.from({ length: n }, () => [] as number[]);
        for (let i = 0; i < m; i++) {
          const row = run(d, c, { gradOutput: unit(r.value.shape, i) }).grad!.data;
          expectAllClose(`row ${i} of the Jacobian`, J.subarray(i * n, (i + 1) * n), row, 0, 0);
          for (let j = 0; j < n; j++) terms[j].push(row[j] * dy.data[i]);
        }
        for (let j = 0; j < n; j++) expectAllClose(`VJP[${j}]`, [r.grad!.data[j]], [terms[j].reduce((s, t) => s + t, 0)], 1e-9, roundingOf(terms[j]));
      }),
    );
  });

  test('the JVP is J·v', () => {
    fc.assert(
      fc.property(
        caseOf(d)
          // At the zero vector, norm's JVP is NaN (0·∞ in its double backward, as PyTorch's) where J is 0.
          .filter((c) => d.name !== 'norm' || c.input.data.every((x) => x !== 0))
          .chain((c) => tensorOf(c.input.shape, num(-2, 2)).map((v) => ({ c, v }))),
        ({ c, v: given }) => {
          let v = given;
          // PyTorch's double backward of prelu tests self >= 0 where its backward tests self > 0
          // (derivatives.yaml, _prelu_kernel_backward): at x = 0 its JVP takes slope 1, J slope w.
          if (d.name === 'prelu') v = { shape: v.shape, data: v.data.map((t, j) => (c.input.data[j] === 0 ? 0 : t)) };
          const r = run(d, c, { jacobian: true, jvp: v });
          const J = denseJacobian(r);
          const n = numel(c.input.shape);
          for (let i = 0; i < numel(r.value.shape); i++) {
            const terms = Array.from(J.subarray(i * n, (i + 1) * n), (a, j) => a * v.data[j]);
            // bce's double backward divides by (x + 1e-12)(1 − x + 1e-12), its backward by max(x(1 − x), ε)
            // (PyTorch's binary_cross_entropy_double_backward_grad_output): they differ by ~1e-11.
            const atol = d.name === 'bce' ? 1e4 * roundingOf(terms) : roundingOf(terms);
            expectAllClose(`JVP[${i}]`, [r.jvp!.data[i]], [terms.reduce((s, t) => s + t, 0)], 1e-9, atol);
          }
        },
      ),
    );
  });

  if (!NO_SECOND_DERIVATIVE.has(d.name)) {
    test('the Hessian is symmetric, and its rows are the HVPs of unit vectors', () => {
      fc.assert(
        fc.property(withOutputVector(d), fc.boolean(), ({ c, dy }, seeded) => {
          // The scalar is the loss (the sum for an elementwise function), or Σ dy ⊙ f(x).
          const seed = seeded && dy.shape.length > 0 ? { gradOutput: dy } : {};
          const H = run(d, c, { hessian: true, ...seed }).hessian!;
          const n = numel(c.input.shape);
          expect(H.shape).toEqual([n, n]);
          const scale = H.data.reduce((s, v) => (Number.isFinite(v) ? Math.max(s, Math.abs(v)) : s), 0);
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < i; j++) {
              // Non-finite entries (0·∞ at degenerate points, as in PyTorch) need not mirror each other.
              const [a, b] = [H.data[i * n + j], H.data[j * n + i]];
              if (Number.isFinite(a) && Number.isFinite(b) && !close(a, b, 1e-9, 1e-12 * (1 + scale))) expect({ i, j, Hij: a }).toEqual({ i, j, Hij: b });
            }
            // Where the Hessian is NaN (a norm at 0), 0·NaN spreads differently in the two (and in PyTorch's).
            const hvp = run(d, c, { hvp: unit(c.input.shape, i), ...seed }).hvp!;
            const row = H.data.subarray(i * n, (i + 1) * n);
            if (!row.some(Number.isNaN) && !hvp.data.some(Number.isNaN)) expectAllClose(`row ${i} = HVP(e${i})`, row, hvp.data, 0, 0);
          }
        }),
      );
    });
  } else {
    test('asking for a second derivative is an error that says PyTorch has none', () => {
      fc.assert(fc.property(caseOf(d), (c) => expect(() => run(d, c, { hessian: true })).toThrow(/no second derivative/)), { numRuns: 2 });
    });
  }

  if (d.kind === 'elementwise') {
    test('--order 2 is the diagonal of the Hessian of Σ f(x), and --order 1 is --grad', () => {
      fc.assert(
        fc.property(caseOf(d), (c) => {
          const n = numel(c.input.shape);
          const H = run(d, c, { hessian: true }).hessian!.data;
          const second = run(d, c, { grad: true, order: 2 }).grad!.data;
          expectAllClose('order 2', second, Array.from({ length: n }, (_, i) => H[i * n + i]), 0, 0);
          expectAllClose('order 1', run(d, c, { grad: true, order: 1 }).grad!.data, run(d, c, { grad: true }).grad!.data, 0, 0);
        }),
      );
    });
  }

  // Row by row: the same numbers, bit for bit, when each row of a batch is computed alone.
  if (d.structure !== undefined) {
    test('a batch gives, row by row, what each row gives alone (value and gradient)', () => {
      const batches = caseOf(d, { reduction: 'none' }).filter((c) => c.input.shape.length === 2 && run(d, c).structure !== undefined);
      fc.assert(
        fc.property(batches, (c) => {
          const whole = run(d, c, { grad: true });
          const [rows, width] = c.input.shape;
          const outPer = numel(whole.value.shape) / rows;
          for (let r = 0; r < rows; r++) {
            const one = run(d, rowOf(d, c, r), { grad: true });
            const slice = (t: Tensor, k: number): number[] => Array.from(t.data.subarray(r * k, (r + 1) * k));
            expect({ row: r, value: Array.from(one.value.data) }).toEqual({ row: r, value: slice(whole.value, outPer) });
            expect({ row: r, grad: Array.from(one.grad!.data) }).toEqual({ row: r, grad: slice(whole.grad!, width) });
          }
        }),
      );
    });
  }

  if (d.args.some((s) => s.name === 'reduction')) {
    test('reduction: sum = mean × its denominator, and the losses of none add up to sum', () => {
      fc.assert(
        fc.property(caseOf(d, { reduction: 'none' }), (c) => {
          const at = (reduction: string): FunctionResult => run(d, { input: c.input, args: { ...c.args, reduction } });
          const none = at('none').value.data;
          const sum = at('sum').value.data[0];
          const mean = at('mean').value.data[0];
          expect(close(none.reduce((s, v) => s + v, 0), sum, 1e-12, 1e-12)).toBe(true);
          if (d.name === 'ctc') {
            // ctc's mean divides each loss by its target length first.
            const lengths = (c.args.target_lengths as Tensor).data;
            expect(close(mean, none.reduce((s, v, i) => s + v / lengths[i], 0) / none.length, 1e-12, 1e-12)).toBe(true);
          } else {
            expect({ mean, sum, close: close(mean * denominator(d, c, none.length), sum, 1e-12, 1e-12) }).toEqual({ mean, sum, close: true });
          }
          if (d.name === 'kl-div') {
            const batchmean = at('batchmean').value.data[0];
            expect(close(batchmean * (c.input.shape.length === 0 ? 1 : c.input.shape[0]), sum, 1e-12, 1e-12)).toBe(true);
          }
        }),
      );
    });
  }
});

/** Row r of a batch case as a batch of one row, with the arguments that go by row (targets) cut too. */
function rowOf(d: Descriptor, c: Case, r: number): Case {
  const [, width] = c.input.shape;
  const input = { shape: [1, width], data: c.input.data.slice(r * width, (r + 1) * width) };
  const args: Record<string, RawArg> = { ...c.args };
  const target = c.args.target as Tensor | undefined;
  if (target && d.kind === 'loss') {
    // A target of the input's shape, or one class index per row.
    args.target = target.shape.length === 2 ? { shape: [1, width], data: target.data.slice(r * width, (r + 1) * width) } : { shape: [1], data: target.data.slice(r, r + 1) };
  }
  if (d.name === 'gaussian-nll') {
    const v = c.args.var as Tensor;
    args.var = { shape: [1, width], data: v.data.slice(r * width, (r + 1) * width) };
  }
  return { input, args };
}

/**
 * What mean divides the sum by: the weights of the target classes for nll and cross-entropy with
 * class indices (1 each without weights), otherwise the number of losses of `none`.
 */
function denominator(d: Descriptor, c: Case, count: number): number {
  const target = c.args.target as Tensor;
  if ((d.name === 'nll' || d.name === 'cross-entropy') && target.shape.length < c.input.shape.length) {
    const w = c.args.weight as Tensor | undefined;
    return Array.from(target.data).reduce((s, t) => s + (w ? w.data[t] : 1), 0);
  }
  return count;
}

describe('softmax family', () => {
  // Looked up in each test, not here: lookup builds its index of names on its first call, and code
  // run while jest collects the tests is not seen by the mutation run's per-test coverage.
  const fn = (name: string): Descriptor => lookup(name)!;
  const dense = (d: Descriptor, c: Case): { J: Float64Array; n: number } => ({ J: denseJacobian(run(d, c, { jacobian: true })), n: numel(c.input.shape) });

  test.each(['softmax', 'softmin'])("%s's Jacobian is symmetric and its rows sum to 0", (name) => {
    const d = fn(name);
    fc.assert(
      fc.property(caseOf(d), (c) => {
        const { J, n } = dense(d, c);
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < n; j++) {
            s += J[i * n + j];
            expect(close(J[i * n + j], J[j * n + i], 1e-12, 1e-16)).toBe(true);
          }
          expect(Math.abs(s)).toBeLessThanOrEqual(1e-15 * n);
        }
      }),
      { numRuns: 20 },
    );
  });

  test("log-softmax's Jacobian has rows summing to 0, and log-softmax is the log of softmax", () => {
    const [logSoftmax, softmax] = [fn('log-softmax'), fn('softmax')];
    fc.assert(
      fc.property(caseOf(logSoftmax), (c) => {
        const { J, n } = dense(logSoftmax, c);
        for (let i = 0; i < n; i++) expect(Math.abs(J.subarray(i * n, (i + 1) * n).reduce((s, v) => s + v, 0))).toBeLessThanOrEqual(1e-14 * n);
        const ls = run(logSoftmax, c).value.data;
        const s = run(softmax, c).value.data;
        expectAllClose('log softmax', ls, Array.from(s, Math.log), 1e-12, 1e-13);
      }),
      { numRuns: 20 },
    );
  });

  test('softmin(x) is softmax(−x)', () => {
    const [softmin, softmax] = [fn('softmin'), fn('softmax')];
    fc.assert(
      fc.property(caseOf(softmin), (c) => {
        const negated = { input: { shape: c.input.shape, data: c.input.data.map((v) => -v) }, args: c.args };
        expect(Array.from(run(softmin, c).value.data)).toEqual(Array.from(run(softmax, negated).value.data));
      }),
      { numRuns: 20 },
    );
  });
});
