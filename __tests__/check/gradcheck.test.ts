import { gradcheck } from '../../src/check/gradcheck';
import { defineUnary, mul, sub } from '../../src/autograd/elementwise';
import { apply, type Var } from '../../src/autograd/var';
import { registry } from '../../src/functions/registry';
import type { Descriptor } from '../../src/functions/types';
import { actgrad } from '../helpers/run';

const gc = (argv: string[]) => {
  const r = actgrad([...argv, '--gradcheck', '--json']);
  return { code: r.code, report: JSON.parse(r.stdout).gradcheck };
};

describe('--gradcheck', () => {
  test('passes for every function kind at smooth points', () => {
    for (const argv of [
      ['sigmoid', '-2', '0.5', '3'],
      ['softmax', '2 1 0.1; 0 -1 3'],
      ['glu', '1', '2', '0', '-1'],
      ['norm', '3', '4', '--p', '3'],
      ['cross-entropy', '2 1 0.1; 0 1 2', '--target', '0,2', '--label-smoothing', '0.1'],
      ['kl-div', '-1.2', '-0.4', '--target', '0.3,0.7', '--reduction', 'batchmean'],
    ]) {
      const { code, report } = gc(argv);
      expect({ argv, code, pass: report.pass, kinks: report.not_differentiable.length }).toEqual({ argv, code: 0, pass: true, kinks: 0 });
      expect(report.max_abs_error).toBeLessThan(1e-6);
    }
  });
  test('at kinks it says the function is not differentiable instead of failing', () => {
    for (const [argv, at] of [
      [['relu', '-1', '0', '2'], 'x[1]'],
      [['hardtanh', '-1', '0', '1'], 'x[0]'],
      [['l1', '1', '2', '--target', '1,0'], 'x[0]'],
      [['step', '0'], 'x[0]'],
    ] as const) {
      const { code, report } = gc([...argv]);
      expect(code).toBe(0);
      expect(report.not_differentiable.map((k: { input: string }) => k.input)).toContain(at);
    }
    expect(actgrad(['relu', '-1', '0', '2', '--gradcheck']).stdout).toContain("not differentiable at x[1] = 0 (y[1]: left derivative 0, right 1); not counted — actgrad gives 0 there, PyTorch's convention");
  });
  test('reports the largest absolute and relative errors and where', () => {
    const out = actgrad(['softmax', '2', '1', '0.1', '--gradcheck']).stdout;
    expect(out).toMatch(/largest absolute error \S+ at ∂y\[\d\]\/∂x\[\d\]/);
    expect(out).toMatch(/largest relative error \S+ at ∂y\[\d\]\/∂x\[\d\]/);
    expect(out).toContain("✓ within PyTorch gradcheck's tolerances (atol 1e-5, rtol 1e-3)");
  });
  test('grad expressions, one report per name', () => {
    const r = actgrad(['grad', 'cross_entropy(W @ x + b, 2)', 'W=0.1 0.2; 0.3 -0.4; -0.5 0.6', 'x=1,-1', 'b=0,0.1,-0.1', '--gradcheck', '--json']);
    expect(r.code).toBe(0);
    const reports = JSON.parse(r.stdout).gradcheck;
    expect(reports).toHaveLength(3);
    expect(reports.every((g: { pass: boolean }) => g.pass)).toBe(true);
    expect(reports[0].max_abs_at).toMatch(/^∂f\/∂W\[\d,\d\]$/);
  });
  test('a wrong analytic derivative fails with exit 1 semantics: the report names the entry', () => {
    // f(x) = x², with a deliberately wrong derivative x (instead of 2x)
    const report = gradcheck({
      x: Float64Array.of(1.5, -2),
      f: (x) => x.map((v) => v * v),
      analyticRow: (i) => Float64Array.from([0, 1], (j) => (i === j ? [1.5, -2][i] : 0)),
      outputLabel: (i) => `y[${i}]`,
      inputLabel: (j) => `x[${j}]`,
    });
    expect(report.pass).toBe(false);
    expect(report.failure!.at).toBe('∂y[1]/∂x[1]');
    expect(report.failure!.numeric).toBeCloseTo(-4, 6);
  });
  test('a wrong derivative through the CLI exits 1', () => {
    // A sigmoid whose backward is twice PyTorch's: the value is right, the derivative is not.
    const sigmoid = registry.find((d) => d.name === 'sigmoid')! as { forward: Descriptor['forward'] };
    const original = sigmoid.forward;
    const wrong = defineUnary({ name: 'sigmoid', f: (x) => 1 / (1 + Math.exp(-x)), backward: (g, _x, y) => mul(2, mul(g, mul(y, sub(1, y)))) });
    sigmoid.forward = (a) => apply(wrong, [a.input as Var], undefined);
    try {
      const r = actgrad(['sigmoid', '0.3', '--gradcheck']);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("✗ beyond PyTorch gradcheck's tolerances");
    } finally {
      sigmoid.forward = original;
    }
  });
});
