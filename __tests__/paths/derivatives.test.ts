/**
 * A derivative that can be asked for two ways must come out the same both ways, for random
 * formulas and every function:
 *  - grad --steps: its totals, and the gradients printed beside them, are the plain gradients;
 *  - grad --jacobian: row i is the gradient seeded with the unit vector e_i (--grad-output);
 *  - grad --hessian: row i is the Hessian-vector product with e_i (--hvp);
 *  - a function's --jacobian and --grad-output, --hessian and --hvp, in the contract's layout;
 *  - a check is never dropped by another option: --steps --expect checks.
 */
import fc from 'fast-check';
import { computeGrad, type GradRequest } from '../../src/commands/grad';
import { numel, type Tensor } from '../../src/tensor';
import { bindingWords, type Formula, formulas } from './expressions';
import { cli, cliCase, flat, json, tensorFromNested, tensorText } from './harness';

fc.configureGlobal({ seed: Number(process.env.SEED ?? 20261131), numRuns: Number(process.env.RUNS ?? 40) });

const grad = (f: Formula, more: Partial<GradRequest> = {}) => computeGrad({ expression: f.expression, bindings: f.bindings, ...more });

const unit = (n: number, i: number): Tensor => {
  const t = { shape: [n], data: new Float64Array(n) };
  t.data[i] = 1;
  return t;
};

const gradsOf = (r: ReturnType<typeof grad>): Record<string, number[]> => Object.fromEntries((r.grads ?? []).map(([name, g]) => [name, Array.from(g.data)]));

describe('grad', () => {
  test('--steps: the totals of the worked solution are the plain gradients, and they add up their parts', () => {
    fc.assert(
      fc.property(formulas({ scalar: true }), (f) => {
        const plain = grad(f);
        const steps = grad(f, { steps: true });
        expect(gradsOf(steps)).toEqual(gradsOf(plain));
        for (const g of steps.steps!.gradients) {
          expect(Array.from(g.total.data)).toEqual(gradsOf(plain)[g.name]);
          const summed = new Float64Array(g.total.data.length);
          for (const p of g.parts) p.value.data.forEach((v, i) => (summed[i] += v));
          g.total.data.forEach((t, i) => {
            if (Number.isFinite(t)) expect(Math.abs(summed[i] - t)).toBeLessThanOrEqual(1e-12 * (1 + g.parts.reduce((s, p) => s + Math.abs(p.value.data[i]), 0)));
          });
        }
        // The command line prints the same gradients with --steps (in JSON, beside the steps).
        const words = ['grad', f.expression, ...bindingWords(f), '--json'];
        expect(json(cli([...words, '--steps'])).grad).toEqual(json(cli(words)).grad);
      }),
    );
  });

  test('--jacobian: row i is the gradient seeded with e_i (--grad-output)', () => {
    fc.assert(
      fc.property(formulas({ scalar: false }), (f) => {
        const r = grad(f, { jacobian: true });
        const m = numel(r.value.shape);
        for (const [name, J] of r.jacobians!) {
          const n = numel(f.bindings.find(([b]) => b === name)![1].shape);
          for (let i = 0; i < m; i++) {
            const seeded = grad(f, { gradOutput: unit(m, i) });
            expect({ name, i, row: Array.from(J.data.subarray(i * n, (i + 1) * n)) }).toEqual({ name, i, row: gradsOf(seeded)[name] });
          }
        }
        // The same through the command line, in JSON.
        if (m > 0) {
          const words = ['grad', f.expression, ...bindingWords(f), '--json'];
          const jacobian = json(cli([...words, '--jacobian'])).jacobian as Record<string, unknown>;
          const seeded = json(cli([...words, '--grad-output', tensorText(unit(m, m - 1))])).grad as Record<string, unknown>;
          for (const name of Object.keys(seeded)) expect((jacobian[name] as unknown[])[m - 1]).toEqual(seeded[name]);
        }
      }),
    );
  });

  test('--hessian: row i is the Hessian-vector product with e_i (--hvp)', () => {
    fc.assert(
      fc.property(formulas({ scalar: true, depth: 2 }), (f) => {
        const H = grad(f, { hessian: true }).hessian!.matrix;
        const n = H.shape[0];
        for (let i = 0; i < n; i++) {
          const hvp = grad(f, { hvp: unit(n, i) }).hvp!;
          const row = Array.from(H.data.subarray(i * n, (i + 1) * n));
          // Where the Hessian is NaN, 0·NaN spreads differently in the two (as in PyTorch's).
          if (!row.some(Number.isNaN) && !hvp.data.some(Number.isNaN)) expect({ i, row }).toEqual({ i, row: Array.from(hvp.data) });
        }
      }),
      { numRuns: 25 },
    );
  });

  test('--steps does not drop --expect: the exact gradient passes, a perturbed one fails', () => {
    fc.assert(
      fc.property(formulas({ scalar: true, depth: 2 }), fc.constantFrom('x', 'w'), (f, name) => {
        const g = gradsOf(grad(f))[name];
        fc.pre(g !== undefined && g.every(Number.isFinite));
        const words = ['grad', f.expression, ...bindingWords(f), '--steps'];
        const right = `${name}=${tensorText({ shape: [g.length], data: Float64Array.from(g) })}`;
        const wrong = `${name}=${tensorText({ shape: [g.length], data: Float64Array.from(g, (v, i) => (i === 0 ? v + 1 + Math.abs(v) : v)) })}`;
        expect(cli([...words, '--expect', right]).code).toBe(0);
        expect(cli([...words, '--expect', wrong]).code).toBe(1);
      }),
      { numRuns: 20 },
    );
  });
});

describe('functions', () => {
  /** The Jacobian of a function's JSON (the contract's layout) as dense rows [outputs][inputs]. */
  function denseRows(o: Record<string, unknown>, inputShape: number[]): number[][] {
    const J = flat(o.jacobian);
    const n = numel(inputShape);
    const m = flat(o.value).length;
    if (J.length === m * n) return Array.from({ length: m }, (_, i) => J.slice(i * n, (i + 1) * n));
    // One block per row of a batch: the rows are independent.
    const blocks = inputShape[0];
    const inPer = n / blocks;
    const outPer = m / blocks;
    return Array.from({ length: m }, (_, i) => {
      const b = Math.floor(i / outPer);
      const row = new Array<number>(n).fill(0);
      for (let j = 0; j < inPer; j++) row[b * inPer + j] = J[i * inPer + j];
      return row;
    });
  }

  test('--jacobian rows are --grad-output with unit vectors; --hessian rows are --hvp with unit vectors', () => {
    fc.assert(
      fc.property(
        cliCase((d) => d.name !== 'ctc'),
        fc.nat(),
        (k, pick) => {
          const jacobian = json(cli([...k.argv, '--jacobian', '--json']));
          const m = flat(jacobian.value).length;
          const rows = denseRows(jacobian, k.c.input.shape);
          const i = pick % m;
          // The seed in the output's shape.
          const seed = { shape: tensorFromNested(jacobian.value).shape, data: new Float64Array(m) };
          seed.data[i] = 1;
          const seeded = json(cli([...k.argv, '--grad-output', tensorText(seed), '--json']));
          expect({ i, row: rows[i] }).toEqual({ i, row: flat(seeded.grad) });

          const n = numel(k.c.input.shape);
          if (n > 16) return;
          const H = flat(json(cli([...k.argv, '--hessian', '--json'])).hessian);
          const j = pick % n;
          const e = { shape: k.c.input.shape, data: new Float64Array(n) };
          e.data[j] = 1;
          const hvp = flat(json(cli([...k.argv, '--hvp', tensorText(e), '--json'])).hvp);
          const row = H.slice(j * n, (j + 1) * n);
          if (!row.some(Number.isNaN) && !hvp.some(Number.isNaN)) expect({ j, row }).toEqual({ j, row: hvp });
        },
      ),
      { numRuns: 60 },
    );
  });
});
