/**
 * Property tests with fast-check (fixed seed) over every function in the registry.
 */
import fc from 'fast-check';
import { apply, jacobian } from '../../src/functions/apply';
import { registry } from '../../src/functions/registry';
import type { Descriptor, LossFn, Params } from '../../src/functions/types';
import { type Tensor, tensor } from '../../src/tensor';
import { paramsFor } from '../helpers/call';

fc.configureGlobal({ seed: 20261126, numRuns: 40 });

/** Points where some function has a kink or a jump, with its parameters as used here. */
const KINKS = [0, 0.5, -0.5, 1, -1, 3, -3, 6, 0.25];
const PARAMS: Record<string, Record<string, number>> = { threshold: { threshold: 0.25, value: -2 } };
const smoothPoint = fc.double({ min: -4, max: 4, noNaN: true }).filter((x) => KINKS.every((k) => Math.abs(x - k) > 1e-3));
const matrix = (rows: number, cols: number, arb: fc.Arbitrary<number>) => fc.array(arb, { minLength: rows * cols, maxLength: rows * cols }).map((xs) => tensor([rows, cols], xs));

/** A valid target for each loss, of the input's shape or one class index per row. */
function targetFor(d: LossFn, rows: number, cols: number): fc.Arbitrary<Tensor> {
  const same = (arb: fc.Arbitrary<number>) => matrix(rows, cols, arb);
  if (d.target !== 'same') return fc.array(fc.integer({ min: 0, max: cols - 1 }), { minLength: rows, maxLength: rows }).map((xs) => tensor([rows], xs));
  if (d.name === 'bce' || d.name === 'bce-with-logits' || d.name === 'kl-div') return same(fc.double({ min: 0.01, max: 1, noNaN: true }));
  if (d.name === 'soft-margin' || d.name === 'hinge-embedding') return same(fc.constantFrom(-1, 1));
  if (d.name === 'poisson-nll') return same(fc.integer({ min: 0, max: 5 }));
  return same(fc.double({ min: -3, max: 3, noNaN: true }));
}

function inputFor(d: Descriptor, rows: number, cols: number): fc.Arbitrary<Tensor> {
  if (d.name === 'bce') return matrix(rows, cols, fc.double({ min: 0.05, max: 0.95, noNaN: true }));
  return matrix(rows, cols, smoothPoint);
}

const paramsOf = (d: Descriptor, reduction = 'mean'): Params => paramsFor(d.name, { ...PARAMS[d.name], ...(d.kind === 'loss' ? { reduction } : {}) });

const close = (a: number, b: number, rtol = 1e-6, atol = 1e-8): boolean => Math.abs(a - b) <= atol + rtol * Math.abs(b);

describe.each(registry.map((d) => [d.name, d] as const))('%s', (_name, d) => {
  const rows = 2;
  const cols = 4;
  const withTarget = d.kind === 'loss' ? targetFor(d, rows, cols) : fc.constant(undefined);

  test('the backward agrees with central differences away from kinks', () => {
    fc.assert(
      fc.property(inputFor(d, rows, cols), withTarget, fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 8, maxLength: 8 }), (x, t, dyRaw) => {
        const p = paramsOf(d);
        const a = apply(d, x, p, t);
        const dy = { shape: a.output.shape, data: Float64Array.from(dyRaw.slice(0, a.output.data.length).concat(a.output.shape.length === 0 ? [] : [])) };
        if (dy.data.length < a.output.data.length) return;
        const g = a.vjp(dy).data;
        // d/dε <dy, f(x + ε e_j)> at ε = 0, for each j
        for (let j = 0; j < x.data.length; j++) {
          const h = 1e-6 * Math.max(1, Math.abs(x.data[j]));
          const at = (delta: number) => {
            const xs = { shape: x.shape, data: x.data.slice() };
            xs.data[j] += delta;
            const y = apply(d, xs, p, t).output.data;
            return y.reduce((s, v, i) => s + v * dy.data[i], 0);
          };
          const fd = (at(h) - at(-h)) / (2 * h);
          if (!close(g[j], fd, 1e-5, 1e-6)) return false;
        }
        return true;
      }),
    );
  });

  test('the VJP equals Jᵀ·dy', () => {
    fc.assert(
      fc.property(inputFor(d, rows, cols), withTarget, fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 8, maxLength: 8 }), (x, t, dyRaw) => {
        const p = paramsOf(d, 'none');
        const a = apply(d, x, p, t);
        const n = a.output.data.length;
        const dy = { shape: a.output.shape, data: Float64Array.from(dyRaw.slice(0, n)) };
        const vjp = a.vjp(dy).data;
        // Jᵀ·dy from the rows of the full Jacobian, one VJP with a unit vector per output
        const jt = new Float64Array(x.data.length);
        for (let i = 0; i < n; i++) {
          const e = new Float64Array(n);
          e[i] = 1;
          a.vjp({ shape: a.output.shape, data: e }).data.forEach((v, j) => (jt[j] += v * dy.data[i]));
        }
        return Array.from(vjp).every((v, j) => close(v, jt[j], 1e-12, 1e-12));
      }),
    );
  });

  if (d.kind !== 'loss') {
    test('the function of a matrix is the function of each row', () => {
      fc.assert(
        fc.property(inputFor(d, 3, cols), (x) => {
          const p = paramsOf(d);
          const whole = apply(d, x, p).output.data;
          const k = whole.length / 3;
          for (let r = 0; r < 3; r++) {
            const row = apply(d, tensor([cols], x.data.subarray(r * cols, (r + 1) * cols)), p).output.data;
            if (!Array.from(row).every((v, i) => Object.is(v, whole[r * k + i]))) return false;
          }
          return true;
        }),
      );
    });
  }

  if (d.kind === 'loss') {
    test('sum = mean × its denominator, and the losses of none add up to sum', () => {
      fc.assert(
        fc.property(inputFor(d, rows, cols), withTarget, (x, t) => {
          const sum = apply(d, x, paramsOf(d, 'sum'), t!).output.data[0];
          const mean = apply(d, x, paramsOf(d, 'mean'), t!).output.data[0];
          const none = apply(d, x, paramsOf(d, 'none'), t!).output.data.reduce((s, v) => s + v, 0);
          const { meanDenominator } = d.forward(x, t!, paramsOf(d));
          return close(sum, mean * meanDenominator, 1e-12, 1e-12) && close(none, sum, 1e-12, 1e-12);
        }),
      );
    });
  }
});

describe('softmax family', () => {
  const softmax = registry.find((d) => d.name === 'softmax')!;
  const logSoftmax = registry.find((d) => d.name === 'log-softmax')!;
  const row = fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 1, maxLength: 8 }).map((xs) => tensor([xs.length], xs));

  test("softmax's Jacobian is symmetric, and its rows sum to 0", () => {
    fc.assert(
      fc.property(row, (x) => {
        const J = jacobian(apply(softmax, x, {}), x).data;
        const n = x.data.length;
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < n; j++) {
            s += J[i * n + j];
            if (!close(J[i * n + j], J[j * n + i], 1e-12, 1e-15)) return false;
          }
          if (Math.abs(s) > 1e-15 * n) return false;
        }
        return true;
      }),
    );
  });

  test('log-softmax equals log(softmax) where both are finite', () => {
    fc.assert(
      fc.property(row, (x) => {
        const ls = apply(logSoftmax, x, {}).output.data;
        const s = apply(softmax, x, {}).output.data;
        return Array.from(s).every((v, i) => v === 0 || !Number.isFinite(Math.log(v)) || close(Math.log(v), ls[i], 1e-12, 1e-12));
      }),
    );
  });
});
