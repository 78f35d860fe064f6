/**
 * The vector functions (softmax, log_softmax, softmin, glu, logsumexp, norm) through
 * computeFunction, against values from outside the code: closed forms, PyTorch 1.13 float64 runs
 * (the snippet beside each number), the issue-11 repros, and fast-check properties (derivatives vs
 * central differences, Hessians symmetric and vs central differences of the gradient).
 */
import fc from 'fast-check';
import { computeFunction, type FunctionRequest } from '../../src/commands/function';
import type { RawArg } from '../../src/functions/args';
import { lookup } from '../../src/functions/registry';
import { ArgumentError } from '../../src/functions/types';
import type { Tensor } from '../../src/tensor';

fc.configureGlobal({ seed: 20261127, numRuns: 30 });

const t = (shape: number[], data: number[]): Tensor => ({ shape, data: Float64Array.from(data) });
const v = (data: number[]): Tensor => t([data.length], data);

function run(name: string, input: Tensor, args: Record<string, RawArg> = {}, opts: Partial<FunctionRequest> = {}) {
  const fn = lookup(name);
  if (!fn) throw new Error(`no function ${name}`);
  return computeFunction({ fn, input, args, grad: true, ...opts });
}
const values = (name: string, input: Tensor, args: Record<string, RawArg> = {}): number[] => Array.from(run(name, input, args).value.data);
const grad = (name: string, input: Tensor, args: Record<string, RawArg> = {}, gradOutput?: Tensor): number[] =>
  Array.from(run(name, input, args, { gradOutput }).grad!.data);
const hessian = (name: string, input: Tensor, args: Record<string, RawArg> = {}, gradOutput?: Tensor): number[] =>
  Array.from(run(name, input, args, { gradOutput, hessian: true }).hessian!.data);

/** Element-wise closeness (rtol, atol); NaN only matches NaN. */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-12, atol = 1e-14): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e) || !Number.isFinite(e)) expect(a).toBe(e);
    else if (Math.abs(a - e) > atol + rtol * Math.abs(e)) throw new Error(`[${i}]: actual ${a}, expected ${e} (all: ${Array.from(actual).join(', ')})`);
  }
}

const softmaxOf = (x: number[]): number[] => {
  const m = Math.max(...x);
  const e = x.map((u) => Math.exp(u - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((u) => u / s);
};
const sigma = (x: number): number => 1 / (1 + Math.exp(-x));

describe('log-softmax', () => {
  test('is x − logsumexp(x), exact where log(softmax) would underflow', () => {
    expectClose(values('log-softmax', v([1, 2, 3])), [1, 2, 3].map((u) => u - Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3))));
    expect(values('log-softmax', v([0, -1000]))).toEqual([0, -1000]);
  });

  test('issue 11: a row holding +inf is NaN throughout, as PyTorch (torch.log_softmax(tensor([inf, 1.]), 0) = [nan, nan])', () => {
    expect(values('log-softmax', v([Infinity, 1]))).toEqual([NaN, NaN]);
    expect(values('log-softmax', v([-Infinity, -Infinity]))).toEqual([NaN, NaN]);
  });

  test('its Jacobian is I − 1·softmax(x)ᵀ (rows = outputs)', () => {
    const x = [0.3, -1.2, 2];
    const p = softmaxOf(x);
    const J = run('log-softmax', v(x), {}, { jacobian: true }).jacobian!.data;
    expectClose(J, x.flatMap((_, i) => x.map((__, j) => (i === j ? 1 : 0) - p[j])));
  });

  test('the Hessian of Σ dy ⊙ log_softmax(x) is −(Σ dy)·(diag(p) − ppᵀ)', () => {
    const x = [0.3, -1.2, 2];
    const dy = [0.5, -2, 0.25];
    const p = softmaxOf(x);
    const s = dy.reduce((a, b) => a + b, 0);
    expectClose(hessian('log-softmax', v(x), {}, v(dy)), x.flatMap((_, i) => x.map((__, j) => -s * ((i === j ? p[i] : 0) - p[i] * p[j]))), 1e-10, 1e-13);
  });

  test('works along dim 0 of a matrix', () => {
    // torch.log_softmax(torch.tensor([[1., 2.], [3., 5.]], dtype=torch.float64), 0)
    const col = (a: number, b: number) => [a - Math.log(Math.exp(a) + Math.exp(b)), b - Math.log(Math.exp(a) + Math.exp(b))];
    const [c00, c10] = col(1, 3);
    const [c01, c11] = col(2, 5);
    expectClose(values('log-softmax', t([2, 2], [1, 2, 3, 5]), { dim: 0 }), [c00, c01, c10, c11]);
  });
});

describe('softmax and softmin', () => {
  test('softmin(x) = softmax(−x), and its Jacobian is minus softmax\'s at −x', () => {
    const x = [0.3, -1.2, 2];
    expectClose(values('softmin', v(x)), softmaxOf(x.map((u) => -u)));
    const Jmin = run('softmin', v(x), {}, { jacobian: true }).jacobian!.data;
    const Jmax = run('softmax', v(x.map((u) => -u)), {}, { jacobian: true }).jacobian!.data;
    expectClose(Jmin, Array.from(Jmax, (u) => -u));
  });

  test('the softmax Jacobian is symmetric with rows summing to 0 (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 2, maxLength: 6 }), (x) => {
        const n = x.length;
        const J = run('softmax', v(x), {}, { jacobian: true }).jacobian!.data;
        const p = softmaxOf(x);
        for (let i = 0; i < n; i++) {
          let row = 0;
          for (let j = 0; j < n; j++) {
            row += J[i * n + j];
            expect(Math.abs(J[i * n + j] - J[j * n + i])).toBeLessThan(1e-15);
            expect(Math.abs(J[i * n + j] - ((i === j ? p[i] : 0) - p[i] * p[j]))).toBeLessThan(1e-15);
          }
          expect(Math.abs(row)).toBeLessThan(1e-15);
        }
      }),
    );
  });
});

describe('glu', () => {
  test('a ⊙ σ(b), with PyTorch 1.13\'s gradient', () => {
    // x = torch.tensor([0.3, -1.2, 2.0, 0.5], dtype=torch.float64, requires_grad=True); y = F.glu(x)
    // y → [0.2642391233933647, -0.7469511974422255]; torch.autograd.grad(y.sum(), x)
    const x = v([0.3, -1.2, 2, 0.5]);
    expectClose(values('glu', x), [0.2642391233933647, -0.7469511974422255]);
    expectClose(grad('glu', x), [0.8807970779778823, 0.6224593312018546, 0.03149807562105198, -0.28200445464191337]);
  });

  test('the Hessian of Σ dy ⊙ glu(x): ∂²/∂a∂b = dy·σ\'(b), ∂²/∂b² = dy·a·σ\'\'(b), ∂²/∂a² = 0', () => {
    const [a, b, dy] = [0.7, -0.4, 1.5];
    const s = sigma(b);
    const d1 = s * (1 - s);
    const d2 = d1 * (1 - 2 * s);
    expectClose(hessian('glu', v([a, b]), {}, v([dy])), [0, dy * d1, dy * d1, dy * a * d2], 1e-12, 1e-15);
  });

  test('refuses an odd dimension and a single number, naming the input', () => {
    const odd = () => run('glu', v([1, 2, 3]));
    expect(odd).toThrow(ArgumentError);
    expect(odd).toThrow('glu splits input into two halves along dimension 0, so that dimension needs an even size; it has 3');
    expect(() => run('glu', t([], [1]))).toThrow('needs a vector or a matrix');
  });

  test('splits dim 0 when asked', () => {
    // F.glu(torch.tensor([[1., 2.], [3., -4.]]), 0) = [[1·σ(3), 2·σ(−4)]]
    expectClose(values('glu', t([2, 2], [1, 2, 3, -4]), { dim: 0 }), [sigma(3), 2 * sigma(-4)]);
  });
});

describe('logsumexp', () => {
  test('subtracts the max; ±inf rows give ±inf, and the gradient is softmax', () => {
    // x = torch.tensor([1000., 1000.], dtype=torch.float64, requires_grad=True); y = torch.logsumexp(x, 0)
    // y → 1000.6931471805599; grad → [0.5000000000000275, 0.5000000000000275] (exp(x − y), y rounded)
    expect(values('logsumexp', v([1000, 1000]))).toEqual([1000.6931471805599]);
    expect(grad('logsumexp', v([1000, 1000]))).toEqual([0.5000000000000275, 0.5000000000000275]);
    expect(values('logsumexp', v([Infinity, 1]))).toEqual([Infinity]);
    expect(values('logsumexp', v([-Infinity, -Infinity]))).toEqual([-Infinity]);
  });

  test('its Hessian is diag(p) − ppᵀ', () => {
    const x = [0.5, -1, 2, 0];
    const p = softmaxOf(x);
    expectClose(hessian('logsumexp', v(x)), x.flatMap((_, i) => x.map((__, j) => (i === j ? p[i] : 0) - p[i] * p[j])), 1e-12, 1e-15);
  });

  test('keepdim keeps the reduced dimension', () => {
    expect(run('logsumexp', t([2, 2], [0, 0, 1, 1]), { keepdim: true }).value.shape).toEqual([2, 1]);
  });
});

describe('norm', () => {
  test('p = 2: the gradient is x/‖x‖ and the Hessian (I − uuᵀ)/‖x‖', () => {
    const x = [3, -4, 12];
    const n = 13;
    expectClose(values('norm', v(x)), [n]);
    expectClose(grad('norm', v(x)), x.map((u) => u / n));
    expectClose(hessian('norm', v(x)), x.flatMap((a, i) => x.map((b, j) => ((i === j ? 1 : 0) - (a * b) / (n * n)) / n)), 1e-12, 1e-15);
  });

  test('p = 1 gives sgn (0 at 0), p = ±inf shares the gradient among ties, p = 0 counts NaN and has no gradient', () => {
    expect(grad('norm', v([0, -2, 3]), { p: 1 })).toEqual([0, -1, 1]);
    expect(grad('norm', v([3, -3, 1]), { p: Infinity })).toEqual([0.5, -0.5, 0]);
    expect(grad('norm', v([1, -1, 3]), { p: -Infinity })).toEqual([0.5, -0.5, 0]);
    // torch.linalg.vector_norm(torch.tensor([nan, 0., 1.], dtype=torch.float64), 0) → 2.
    expect(values('norm', v([NaN, 0, 1]), { p: 0 })).toEqual([2]);
    expect(grad('norm', v([NaN, 0, 1]), { p: 0 })).toEqual([0, 0, 0]);
  });

  test('agrees with PyTorch 1.13 for other p and dims', () => {
    // x = torch.tensor([[3., -4., 1.], [0.5, 2., -2.]], dtype=torch.float64)
    // torch.norm(x, p=3, dim=0); torch.norm(x); torch.norm(x, p=0.5, dim=1); torch.norm(x, p=-1, dim=1)
    const x = t([2, 3], [3, -4, 1, 0.5, 2, -2]);
    expectClose(values('norm', x, { p: 3, dim: 0 }), [3.004622503458683, 4.160167646103808, 2.080083823051904]);
    expectClose(values('norm', x, { dim: null }), [5.852349955359813]);
    expectClose(values('norm', x, { p: 0.5 }), [22.392304845413257, 12.500000000000002]);
    expectClose(values('norm', x, { p: -1 }), [0.6315789473684211, 0.3333333333333333]);
  });

  test('issue 11: the backward is scaled like the forward', () => {
    // For equal entries, ∂‖x‖₃/∂x_i = x_i²/‖x‖₃² = 2^(−2/3): finite where PyTorch's unscaled sum underflows or overflows.
    expectClose(grad('norm', v([1e-200, 1e-200]), { p: 3 }), [2 ** (-2 / 3), 2 ** (-2 / 3)]);
    expectClose(grad('norm', v([1e200, 1e200]), { p: 3 }), [2 ** (-2 / 3), 2 ** (-2 / 3)]);
    expectClose(values('norm', v([1e200, 1e200])), [Math.SQRT2 * 1e200]);
    expect(grad('norm', v([5e-324]), {}, v([1.662]))).toEqual([1.662]);
  });

  test('the zero vector: gradient 0 (norm_backward masks the division); Hessian NaN as in PyTorch 1.13', () => {
    expect(grad('norm', v([0, 0]))).toEqual([0, 0]);
    // torch.autograd.functional.hessian(lambda x: torch.norm(x), torch.zeros(2, dtype=torch.float64)) → all nan
    expect(hessian('norm', v([0, 0]))).toEqual([NaN, NaN, NaN, NaN]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: derivatives against central differences, Hessians symmetric (every function)
// ---------------------------------------------------------------------------------------------

interface Case {
  name: string;
  args?: Record<string, RawArg>;
  /** elements of the input (even for glu) */
  length: number;
}
const CASES: Case[] = [
  { name: 'softmax', length: 4 },
  { name: 'log-softmax', length: 4 },
  { name: 'softmin', length: 4 },
  { name: 'glu', length: 4 },
  { name: 'logsumexp', length: 4 },
  { name: 'norm', length: 4 },
  { name: 'norm', args: { p: 3 }, length: 4 },
  { name: 'norm', args: { p: 1.5 }, length: 3 },
  { name: 'norm', args: { p: 0.5 }, length: 3 },
];

/** Entries bounded away from 0 (norm's kinks) and from each other's ties. */
const entry = fc.double({ min: -3, max: 3, noNaN: true }).filter((u) => Math.abs(u) > 0.1);
const h = 1e-5;

describe.each(CASES.map((c) => [`${c.name} ${JSON.stringify(c.args ?? {})}`, c] as const))('%s', (_label, c) => {
  const args = c.args ?? {};
  const scalarOf = (x: number[], dy: number[]): number => {
    const y = run(c.name, v(x), args, { grad: false }).value.data;
    return y.reduce((s, u, i) => s + u * dy[i], 0);
  };
  const outLength = c.name === 'glu' ? c.length / 2 : c.name === 'logsumexp' || c.name === 'norm' ? 1 : c.length;
  const dyArb = fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: outLength, maxLength: outLength });

  test('the vector-Jacobian product agrees with central differences', () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: c.length, maxLength: c.length }), dyArb, (x, dy) => {
        const go = outLength === 1 && c.name !== 'glu' ? t([], dy) : v(dy);
        const g = grad(c.name, v(x), args, go);
        x.forEach((_, j) => {
          const up = x.slice();
          const down = x.slice();
          up[j] += h;
          down[j] -= h;
          const fd = (scalarOf(up, dy) - scalarOf(down, dy)) / (2 * h);
          expect(Math.abs(g[j] - fd)).toBeLessThan(1e-6 * (1 + Math.abs(fd)));
        });
      }),
    );
  });

  test('the Hessian is symmetric and agrees with central differences of the gradient', () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: c.length, maxLength: c.length }), dyArb, (x, dy) => {
        const go = outLength === 1 && c.name !== 'glu' ? t([], dy) : v(dy);
        const n = x.length;
        const H = hessian(c.name, v(x), args, go);
        for (let i = 0; i < n; i++) {
          const up = x.slice();
          const down = x.slice();
          up[i] += h;
          down[i] -= h;
          const gu = grad(c.name, v(up), args, go);
          const gd = grad(c.name, v(down), args, go);
          for (let j = 0; j < n; j++) {
            expect(Math.abs(H[i * n + j] - H[j * n + i])).toBeLessThan(1e-12 * (1 + Math.abs(H[i * n + j])));
            const fd = (gu[j] - gd[j]) / (2 * h);
            expect(Math.abs(H[i * n + j] - fd)).toBeLessThan(1e-5 * (1 + Math.abs(fd)));
          }
        }
      }),
    );
  });
});
