/**
 * gradcheck() on small hand-made problems, without the CLI: every field of the report (entries,
 * worst errors and where, the failure, kinks, non-finite entries, estimates with a fixed step),
 * and the tolerance's edges (atol 1e-5 + rtol 1e-3·|numeric|).
 */
import { GRADCHECK_ATOL, GRADCHECK_RTOL, gradcheck, stepFor, type GradcheckProblem } from '../../src/check/gradcheck';

/** An elementwise f with its analytic derivative (a diagonal Jacobian). */
function elementwise(x: number[], f: (v: number) => number, df: (v: number) => number, extra: Partial<GradcheckProblem> = {}): GradcheckProblem {
  return {
    x: Float64Array.from(x),
    f: (v) => v.map(f),
    analyticRow: (i) => Float64Array.from(x, (_, j) => (i === j ? df(x[i]) : 0)),
    outputLabel: (i) => `y[${i}]`,
    inputLabel: (j) => `x[${j}]`,
    ...extra,
  };
}

test('the constants and the step', () => {
  expect([GRADCHECK_ATOL, GRADCHECK_RTOL]).toEqual([1e-5, 1e-3]);
  expect(stepFor(0)).toBe(1e-6);
  expect(stepFor(0.5)).toBe(1e-6);
  expect(stepFor(-1)).toBe(1e-6);
  expect(stepFor(-250)).toBeCloseTo(2.5e-4, 18);
  expect(stepFor(3)).toBeCloseTo(3e-6, 20);
});

describe('a right derivative passes', () => {
  test('a linear function: every entry exact, zeros included, the defaults named', () => {
    const r = gradcheck(elementwise([1, -2], (v) => 3 * v, () => 3));
    expect(r.pass).toBe(true);
    expect(r.order).toBe(1);
    expect(r.entriesOf).toBe('Jacobian');
    expect(r.entries).toBe(4);
    expect(r.failure).toBeUndefined();
    expect(r.notDifferentiable).toEqual([]);
    expect(r.nonFinite).toEqual([]);
    expect(r.step).toBeUndefined();
    expect(r.estimates).toBeUndefined();
    expect(r.maxAbs.error).toBeLessThan(1e-8);
    expect(r.maxRel.error).toBeLessThan(1e-8);
  });
  test('ties: the last of equal worst entries is named', () => {
    const r = gradcheck(elementwise([1, 2], () => 0, () => 0));
    expect(r.maxAbs).toEqual({ error: 0, at: '∂y[1]/∂x[1]', analytic: 0, numeric: 0 });
    expect(r.maxRel).toEqual({ error: 0, at: '∂y[1]/∂x[1]', analytic: 0, numeric: 0 });
  });
  test('order, entriesOf and a fixed step with every estimate', () => {
    const r = gradcheck(elementwise([2], (v) => v * v, (v) => 2 * v, { step: 0.5, order: 2, entriesOf: 'Hessian' }));
    expect([r.order, r.entriesOf, r.step, r.pass]).toEqual([2, 'Hessian', 0.5, true]);
    // Central differences are exact for a quadratic, whatever the step.
    expect(r.estimates).toEqual([{ error: 0, at: '∂y[0]/∂x[0]', analytic: 4, numeric: 4 }]);
  });
  test('a step per input: 1e-6·max(1, |x|)', () => {
    const seen: number[] = [];
    const p = elementwise([0, 500], (v) => v, () => 1);
    const f = p.f;
    p.f = (x) => {
      seen.push(...x);
      return f(x);
    };
    gradcheck(p);
    const shifts = seen.filter((v) => v !== 0 && v !== 500).map((v) => (Math.abs(v) < 1 ? v : v - 500));
    expect(shifts.map((s) => Math.abs(s))).toEqual([1e-6, 1e-6, 500e-6, 500e-6].map((s) => expect.closeTo(s, 10)));
  });
});

describe('a wrong derivative fails, naming the worst entry', () => {
  test('the worst excess over the tolerance, not the first', () => {
    // d/dx x² = 2x; the analytic rows add 0.01 at x[0] and 1 at x[1].
    const x = [1, 3];
    const r = gradcheck({ ...elementwise(x, (v) => v * v, (v) => 2 * v), analyticRow: (i) => Float64Array.from(x, (_, j) => (i === j ? 2 * x[i] + [0.01, 1][i] : 0)) });
    expect(r.pass).toBe(false);
    expect(r.failure!.at).toBe('∂y[1]/∂x[1]');
    expect(r.failure!.analytic).toBe(7);
    expect(r.failure!.numeric).toBeCloseTo(6, 6);
    expect(r.failure!.error).toBeCloseTo(1, 6);
    expect(r.maxAbs.at).toBe('∂y[1]/∂x[1]');
    expect(r.maxAbs.error).toBeCloseTo(1, 6);
    // Relative: 0.01/2 = 0.005 at x[0] against 1/6 at x[1].
    expect(r.maxRel.at).toBe('∂y[1]/∂x[1]');
    expect(r.maxRel.error).toBeCloseTo(1 / 6, 6);
    expect(r.entries).toBe(4);
  });
  test('the largest relative error may be elsewhere than the largest absolute one', () => {
    const x = [0.001, 100];
    const r = gradcheck({ ...elementwise(x, (v) => v * v, (v) => 2 * v), analyticRow: (i) => Float64Array.from(x, (_, j) => (i === j ? 2 * x[i] + [0.001, 0.01][i] : 0)) });
    expect(r.maxAbs.at).toBe('∂y[1]/∂x[1]');
    expect(r.maxAbs.error).toBeCloseTo(0.01, 6);
    expect(r.maxRel.at).toBe('∂y[0]/∂x[0]');
    expect(r.maxRel.error).toBeCloseTo(0.5, 4);
    // 0.001 ≤ 1e-5 + 1e-3·0.002? No: it fails; 0.01 ≤ 1e-5 + 1e-3·200 = 0.20001: it passes.
    expect(r.pass).toBe(false);
    expect(r.failure!.at).toBe('∂y[0]/∂x[0]');
  });
  test('where the numerical derivative is 0 the relative error is the absolute one', () => {
    const r = gradcheck(elementwise([0], (v) => v * v, () => 0.25));
    expect(r.maxRel).toEqual({ error: 0.25, at: '∂y[0]/∂x[0]', analytic: 0.25, numeric: 0 });
    expect(r.maxAbs).toEqual({ error: 0.25, at: '∂y[0]/∂x[0]', analytic: 0.25, numeric: 0 });
  });
  test('the tolerance: atol + rtol·|numeric|, on both sides of it', () => {
    // f = 1000·x: numeric 1000, tolerance 1e-5 + 1 = 1.00001.
    const within = gradcheck(elementwise([0], (v) => 1000 * v, () => 1000.9));
    expect(within.pass).toBe(true);
    const beyond = gradcheck(elementwise([0], (v) => 1000 * v, () => 1001.1));
    expect(beyond.pass).toBe(false);
    // Near 0 the absolute tolerance: 5e-6 passes, 2e-5 does not.
    expect(gradcheck(elementwise([0], () => 0, () => 5e-6)).pass).toBe(true);
    expect(gradcheck(elementwise([0], () => 0, () => 2e-5)).pass).toBe(false);
  });
});

describe('which entry is named', () => {
  test('the largest error stays named when smaller ones follow', () => {
    const x = [1, 2];
    const r = gradcheck({ ...elementwise(x, (v) => v, () => 1), analyticRow: (i) => Float64Array.from(x, (_, j) => (i !== j ? 0 : i === 0 ? 1.5 : 1.01)) });
    expect(r.maxAbs.at).toBe('∂y[0]/∂x[0]');
    expect(r.maxAbs.error).toBeCloseTo(0.5, 6);
    expect(r.failure!.at).toBe('∂y[0]/∂x[0]');
  });
  test('of two equal excesses the first is the failure', () => {
    const x = [0.5, -0.5];
    const r = gradcheck({ ...elementwise(x, (v) => v, () => 1), analyticRow: (i) => Float64Array.from(x, (_, j) => (i === j ? 1.5 : 0)) });
    expect(r.failure!.at).toBe('∂y[0]/∂x[0]');
    expect(r.failure!.error).toBeCloseTo(0.5, 6);
  });
  test('no entry compared: the worst entries stay empty', () => {
    const r = gradcheck(elementwise([0], Math.abs, () => 0));
    expect(r.entries).toBe(0);
    expect(r.maxAbs).toEqual({ error: 0, at: '', analytic: 0, numeric: 0 });
    expect(r.maxRel).toEqual({ error: 0, at: '', analytic: 0, numeric: 0 });
  });
});

describe('kinks', () => {
  test('a small jump is a kink: slopes −0.05 and 0.05', () => {
    const r = gradcheck(elementwise([0], (v) => 0.05 * Math.abs(v), () => 0));
    expect(r.notDifferentiable.map((k) => [k.left, k.right].map((d) => Math.round(d * 1e6) / 1e6))).toEqual([[-0.05, 0.05]]);
  });
  test('a jump between slopes of the same sign is a kink: 2 and 3', () => {
    const r = gradcheck(elementwise([0], (v) => (v >= 0 ? 3 * v : 2 * v), () => 3));
    expect(r.notDifferentiable.map((k) => [k.left, k.right].map((d) => Math.round(d * 1e6) / 1e6))).toEqual([[2, 3]]);
    expect(r.entries).toBe(0);
  });
  test('slopes that differ within the tolerance of the larger one are no kink', () => {
    // 0 and 1.0005e-5: more than atol, less than atol + rtol·1.0005e-5.
    const r = gradcheck(elementwise([0], (v) => (v >= 0 ? 1.0005e-5 * v : 0), () => 0.5e-5));
    expect(r.notDifferentiable).toEqual([]);
    expect(r.entries).toBe(1);
    expect(r.pass).toBe(true);
  });
  test('|x| at 0: not differentiable, with both one-sided derivatives; not counted as an entry', () => {
    const r = gradcheck(elementwise([0, 2], Math.abs, (v) => Math.sign(v)));
    expect(r.pass).toBe(true);
    expect(r.notDifferentiable).toHaveLength(1);
    const k = r.notDifferentiable[0];
    expect([k.input, k.x, k.output, k.analytic]).toEqual(['x[0]', 0, 'y[0]', 0]);
    expect(k.left).toBeCloseTo(-1, 6);
    expect(k.right).toBeCloseTo(1, 6);
    expect(r.entries).toBe(3);
  });
  test('a step: a jump is a kink too', () => {
    const r = gradcheck(elementwise([0], (v) => (v >= 0 ? 1 : 0), () => 0));
    expect(r.notDifferentiable.map((k) => [k.input, k.output])).toEqual([['x[0]', 'y[0]']]);
    expect(r.pass).toBe(true);
  });
  test('curvature with a large step is not a kink: a tenth of the step tells them apart', () => {
    // x³ at 1 with step 0.1: one-sided differences 3.31 and 2.71 differ by 0.6, by curvature.
    const r = gradcheck(elementwise([1], (v) => v ** 3, (v) => 3 * v * v, { step: 0.1 }));
    expect(r.notDifferentiable).toEqual([]);
    expect(r.entries).toBe(1);
    expect(r.estimates![0].numeric).toBeCloseTo(3.01, 10);
    expect(r.pass).toBe(false);
    expect(r.failure!.error).toBeCloseTo(0.01, 10);
  });
  test('a kink with a large step is still a kink', () => {
    const r = gradcheck(elementwise([0], Math.abs, () => 0, { step: 0.1 }));
    expect(r.notDifferentiable.map((k) => [k.left, k.right])).toEqual([[-1, 1]]);
    expect(r.pass).toBe(true);
  });
});

describe('entries that are not finite', () => {
  test('an infinite analytic value where the differences are finite fails', () => {
    const r = gradcheck(elementwise([1, 2], (v) => v, (v) => (v === 2 ? Infinity : 1)));
    expect(r.pass).toBe(false);
    expect(r.nonFinite).toEqual([{ at: '∂y[1]/∂x[1]', analytic: Infinity, numeric: expect.closeTo(1, 6), fails: true }]);
    expect(r.failure).toEqual({ error: Infinity, at: '∂y[1]/∂x[1]', analytic: Infinity, numeric: expect.closeTo(1, 6) });
    expect(r.entries).toBe(3);
  });
  test('the first failing non-finite entry stays the failure; a later finite excess does not replace it', () => {
    const x = [1, 2, 3];
    const r = gradcheck({
      ...elementwise(x, (v) => v, () => 1),
      analyticRow: (i) => Float64Array.from(x, (_, j) => (i !== j ? 0 : i === 0 ? NaN : i === 1 ? NaN : 50)),
    });
    expect(r.failure!.at).toBe('∂y[0]/∂x[0]');
    expect(r.failure!.error).toBe(Infinity);
    expect(r.nonFinite.map((e) => [e.at, e.fails])).toEqual([['∂y[0]/∂x[0]', true], ['∂y[1]/∂x[1]', true]]);
    expect(r.maxAbs.at).toBe('∂y[2]/∂x[2]');
    expect(r.maxAbs.error).toBeCloseTo(49, 6);
  });
  test('a failing non-finite entry after a finite failure replaces it', () => {
    const x = [1, 2];
    const r = gradcheck({ ...elementwise(x, (v) => v, () => 1), analyticRow: (i) => Float64Array.from(x, (_, j) => (i !== j ? 0 : i === 0 ? 5 : -Infinity)) });
    expect(r.failure!.at).toBe('∂y[1]/∂x[1]');
    expect(r.failure!.error).toBe(Infinity);
  });
  test('where the function is not finite around x, the entry is listed, not failing', () => {
    // log at 0: log(−h) is NaN, so is the central difference.
    const r = gradcheck(elementwise([0], Math.log, (v) => 1 / v));
    expect(r.nonFinite.map((e) => [e.at, e.analytic, Number.isNaN(e.numeric), e.fails])).toEqual([['∂y[0]/∂x[0]', Infinity, true, false]]);
    expect(r.entries).toBe(0);
    expect(r.pass).toBe(true);
    expect(r.failure).toBeUndefined();
  });
  test('a non-finite entry is listed among the estimates too', () => {
    const r = gradcheck(elementwise([1], (v) => v, () => NaN, { step: 1e-3 }));
    expect(r.estimates!.map((e) => [e.at, e.analytic])).toEqual([['∂y[0]/∂x[0]', NaN]]);
    expect(r.estimates![0].numeric).toBeCloseTo(1, 9);
    expect(r.entries).toBe(0);
  });
});
