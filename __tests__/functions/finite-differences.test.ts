/**
 * Every descriptor's backward against central finite differences of its own forward, at seeded
 * random points away from kinks: the full Jacobian (from VJPs) must match the numerical one.
 */
import { apply, jacobian } from '../../src/functions/apply';
import { registry } from '../../src/functions/registry';
import type { Descriptor } from '../../src/functions/types';
import { type Tensor, tensor } from '../../src/tensor';
import { paramsFor } from '../helpers/call';
import { seeded, uniform } from '../helpers/random';

/** Points where some function has a kink: inputs are kept 1e-3 away from them. */
const KINKS = [0, 0.5, -0.5, 1, -1, 3, -3, 6];
const awayFromKinks = (rand: () => number, lo: number, hi: number): number => {
  for (;;) {
    const x = uniform(rand, lo, hi);
    if (KINKS.every((k) => Math.abs(x - k) > 1e-3)) return x;
  }
};

interface Setup {
  input: Tensor;
  target?: Tensor;
  params?: Record<string, number | string | boolean | Float64Array | null>;
}

/** Inputs and targets inside each loss's domain. */
function setupFor(d: Descriptor, rand: () => number, reduction: string): Setup {
  const rows = 2;
  const n = 4;
  const randomMatrix = (lo: number, hi: number): Tensor => tensor([rows, n], Array.from({ length: rows * n }, () => awayFromKinks(rand, lo, hi)));
  const values = (f: () => number): Tensor => tensor([rows, n], Array.from({ length: rows * n }, f));
  const classes = (): Tensor => tensor([rows], Array.from({ length: rows }, () => Math.floor(rand() * n)));
  const params = { reduction };
  switch (d.name) {
    case 'bce':
      return { input: values(() => uniform(rand, 0.05, 0.95)), target: values(rand), params };
    case 'bce-with-logits':
      return { input: randomMatrix(-3, 3), target: values(rand), params: { ...params, pos_weight: Float64Array.of(0.5, 1, 2, 3) } };
    case 'soft-margin':
    case 'hinge-embedding':
      return { input: randomMatrix(-3, 3), target: values(() => (rand() < 0.5 ? -1 : 1)), params };
    case 'poisson-nll':
      return { input: randomMatrix(-2, 2), target: values(() => Math.floor(rand() * 5)), params: { ...params, full: true } };
    case 'kl-div':
      return { input: randomMatrix(-3, -0.1), target: values(() => uniform(rand, 0.01, 1)), params: reduction === 'mean' ? { reduction: 'batchmean' } : params };
    case 'cross-entropy':
      return { input: randomMatrix(-3, 3), target: classes(), params: { ...params, label_smoothing: 0.1, weight: Float64Array.of(1, 2, 0.5, 1.5) } };
    case 'nll':
    case 'multi-margin':
      return { input: randomMatrix(-3, 3), target: classes(), params: { ...params, p: d.name === 'multi-margin' ? 2 : undefined } as never };
    default:
      return d.kind === 'loss' ? { input: randomMatrix(-3, 3), target: randomMatrix(-3, 3), params } : { input: randomMatrix(-3, 3) };
  }
}

const PARAMS_FOR_FD: Record<string, Record<string, number | string>> = {
  threshold: { threshold: 0.25, value: -2 },
  gelu: { approximate: 'tanh' },
};

function numericalJacobian(f: (x: Tensor) => Tensor, x: Tensor): number[][] {
  const out: number[][] = [];
  for (let j = 0; j < x.data.length; j++) {
    const h = 1e-6 * Math.max(1, Math.abs(x.data[j]));
    const plus = { shape: x.shape, data: x.data.slice() };
    const minus = { shape: x.shape, data: x.data.slice() };
    plus.data[j] += h;
    minus.data[j] -= h;
    const fp = f(plus).data;
    const fm = f(minus).data;
    out.push(Array.from(fp, (v, i) => (v - fm[i]) / (2 * h)));
  }
  return out; // out[j][i] = ∂y_i/∂x_j
}

const cases: [string, Descriptor, string][] = registry.flatMap((d): [string, Descriptor, string][] =>
  d.kind === 'loss' ? ['mean', 'sum', 'none'].map((reduction): [string, Descriptor, string] => [`${d.name} (${reduction})`, d, reduction]) : [[d.name, d, '']],
);

test.each(cases)('%s: backward matches central differences', (_label, d, reduction) => {
  const rand = seeded(20261126);
  for (let trial = 0; trial < 3; trial++) {
    const s = setupFor(d, rand, reduction);
    const given = Object.fromEntries(Object.entries({ ...PARAMS_FOR_FD[d.name], ...s.params }).filter(([, v]) => v !== undefined));
    const p = paramsFor(d.name, given as never);
    const f = (x: Tensor): Tensor => apply(d, x, p, s.target).output;
    const a = apply(d, s.input, p, s.target);
    // Analytic: one VJP per output element, so every entry of the full Jacobian is checked.
    const outN = a.output.data.length;
    const numeric = numericalJacobian(f, s.input);
    for (let i = 0; i < outN; i++) {
      const dy = { shape: a.output.shape, data: new Float64Array(outN) };
      dy.data[i] = 1;
      const row = a.vjp(dy).data;
      for (let j = 0; j < row.length; j++) {
        const fd = numeric[j][i];
        expect({ i, j, x: s.input.data[j], err: Math.abs(row[j] - fd) <= 1e-6 + 1e-5 * Math.abs(fd) }).toEqual({ i, j, x: s.input.data[j], err: true });
      }
    }
  }
});

test('jacobian() of a batch gives one Jacobian per row, equal to the full VJP rows', () => {
  const d = registry.find((x) => x.name === 'softmax')!;
  const x = tensor([2, 3], [2, 1, 0.1, -1, 0, 1]);
  const a = apply(d, x, {});
  const J = jacobian(a, x);
  expect(J.shape).toEqual([2, 3, 3]);
  const numeric = numericalJacobian((t) => apply(d, t, {}).output, x);
  for (let r = 0; r < 2; r++) {
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) expect(J.data[r * 9 + i * 3 + j]).toBeCloseTo(numeric[r * 3 + j][r * 3 + i], 8);
    }
  }
});
