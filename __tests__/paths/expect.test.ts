/**
 * --expect checks the last requested quantity whatever the format that reports the verdict: the
 * value actgrad prints passes (exit 0) and the same value with one number changed fails (exit 1),
 * in table, plain, json, csv, tsv, latex and markdown alike, for every function and quantity.
 * Printed numbers are shortest round-trip, so they also pass with --rtol 0 --atol 0.
 */
import fc from 'fast-check';
import { FORMATS } from '../../src/render/index';
import { cli, cliCase, flat, json, lastQuantity, quantityFlags, tensorFromNested, tensorText } from './harness';

fc.configureGlobal({ seed: Number(process.env.SEED ?? 20261202), numRuns: Number(process.env.RUNS ?? 25) });

test('the printed value passes --expect and a changed one fails, in every format', () => {
  fc.assert(
    fc.property(
      cliCase().chain((k) => fc.tuple(fc.constant(k), quantityFlags(k).filter((q) => !q.includes('--hessian') && !q.includes('-H')), fc.nat())),
      ([k, quantity, pick]) => {
        const printed = tensorFromNested(lastQuantity(json(cli([...k.argv, ...quantity, '--json']))));
        const numbers = flat(Array.from(printed.data));
        const finite = numbers.map((v, i) => [v, i] as const).filter(([v]) => Number.isFinite(v));
        const right = tensorText(printed);
        const changed = { shape: printed.shape, data: printed.data.slice() };
        if (finite.length) {
          const [v, i] = finite[pick % finite.length];
          changed.data[i] = v + 1 + Math.abs(v);
        }
        for (const format of FORMATS) {
          const base = [...k.argv, ...quantity, '--format', format];
          const pass = cli([...base, '--expect', right]);
          expect({ format, code: pass.code, stderr: pass.stderr }).toEqual({ format, code: 0, stderr: '' });
          expect(pass.stdout).not.toBe('');
          if (finite.length) {
            const fail = cli([...base, '--expect', tensorText(changed)]);
            expect({ format, code: fail.code, stderr: fail.stderr }).toEqual({ format, code: 1, stderr: '' });
            expect(fail.stdout).not.toEqual(pass.stdout);
          }
        }
        expect(cli([...k.argv, ...quantity, '--expect', right, '--rtol', '0', '--atol', '0']).code).toBe(0);
      },
    ),
  );
});

test('--expect with the Hessian, and with --gradcheck beside it', () => {
  fc.assert(
    fc.property(cliCase((d) => d.name !== 'ctc' && d.kind !== 'layer'), (k) => {
      const H = tensorFromNested(json(cli([...k.argv, '--hessian', '--json'])).hessian);
      fc.pre(H.data.every(Number.isFinite));
      expect(cli([...k.argv, '--hessian', '--expect', tensorText(H)]).code).toBe(0);
      const changed = { shape: H.shape, data: H.data.map((v, i) => (i === 0 ? v + 1 + Math.abs(v) : v)) };
      const r = cli([...k.argv, '--hessian', '--expect', tensorText(changed), '--gradcheck', '--format', 'json']);
      expect(r.code).toBe(1);
      // Both checks are reported: the verdict and the gradcheck.
      const out = JSON.parse(r.stdout) as { match: boolean; checks: { quantity: string; match: boolean }[]; gradcheck: unknown[] };
      expect({ match: out.match, checks: out.checks.map((c) => [c.quantity, c.match]) }).toEqual({ match: false, checks: [['hessian', false]] });
      expect(out.gradcheck.length).toBeGreaterThan(0);
    }),
    { numRuns: 15 },
  );
});
