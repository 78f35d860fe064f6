/**
 * The checks that issue 13.5 and 11.12 add: gradgradcheck (the second order against central
 * differences of the exact gradient) for functions (--hessian, --order N) and for grad
 * (--hessian), passing and failing; --step/--eps and the numerical estimates they print; entries
 * with non-finite numbers reported, never skipped; --expect on a Hessian (symmetric); and the
 * conventions that trap students (multi-margin's 1/C, kl-div's mean), named only where the
 * numbers match them.
 */
import { constant, defineUnary, mul } from '../../src/autograd/elementwise';
import { apply, type Var } from '../../src/autograd/var';
import { registry } from '../../src/functions/registry';
import type { Descriptor } from '../../src/functions/types';
import { actgrad } from '../helpers/run';

interface Report {
  order: number;
  pass: boolean;
  entries: number;
  max_abs_error: number;
  not_differentiable: { input: string }[];
  not_finite: { at: string; analytic: number | string; numeric: number | string; fails: boolean }[];
  failure?: { at: string; analytic: number; numeric: number };
  step?: number;
  estimates?: { at: string; analytic: number; numeric: number }[];
  wrt?: string;
}
const gradcheck = (argv: string[]): { code: number; reports: Report[] } => {
  const r = actgrad([...argv, '--gradcheck', '--json']);
  if (r.code === 2) throw new Error(r.stderr);
  const g = JSON.parse(r.stdout).gradcheck;
  return { code: r.code, reports: Array.isArray(g) ? g : [g] };
};
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

describe('gradgradcheck: the second order against differences of the exact gradient', () => {
  test.each([
    [['sigmoid', '-2', '0.5', '3', '--grad', '--order', '2']],
    [['tanh', '-1', '0.3', '--grad', '--order', '3']],
    [['softmax', '2', '1', '0.1', '--hessian']],
    [['cross-entropy', '2 1 0.1; 0 1 2', '--target', '0,2', '--hessian']],
    [['log-softmax', '2', '1', '0.1', '--hessian', '--grad-output', '1,-2,0.5']],
    [['grad', 'x**3 - 2*x*y + torch.sin(y)', 'x=1.5', 'y=2', '--hessian']],
    [['grad', 'F.mse_loss(torch.tanh(W @ x), t)', 'W=0.5 -1; 2 0.3', 'x=1,-0.5', 't=0.2,0.1', '--hessian', '--wrt', 'W,x']],
  ])('passes: %j', (argv) => {
    const { code, reports } = gradcheck(argv);
    expect(code).toBe(0);
    const second = reports.filter((r) => r.order >= 2);
    expect(second).toHaveLength(1);
    expect(second[0].pass).toBe(true);
    expect(second[0].entries).toBeGreaterThan(0);
    expect(second[0].max_abs_error).toBeLessThan(1e-6);
  });
  test('the order compared is the one asked (--order 3: f‴ against differences of f″)', () => {
    const { reports } = gradcheck(['tanh', '0.3', '--grad', '--order', '3']);
    expect(reports.map((r) => r.order)).toEqual([1, 3]);
    expect(actgrad(['tanh', '0.3', '--grad', '--order', '3', '--gradcheck']).stdout).toContain('against central differences of the exact derivative of order 2');
  });
  test('first order alone without --hessian or --order 2', () => {
    expect(gradcheck(['sigmoid', '0.5', '--grad']).reports.map((r) => r.order)).toEqual([1]);
  });
  test('a wrong second derivative fails with exit 1 while the first order passes', () => {
    // σ' computed from a constant copy of y: the gradient is right, its own derivative is 0.
    const d = registry.find((x) => x.name === 'sigmoid')! as { forward: Descriptor['forward'] };
    const original = d.forward;
    const frozen = defineUnary({
      name: 'sigmoid',
      f: sigmoid,
      backward: (g, _x, y) => mul(g, constant({ shape: y.value.shape, data: y.value.data.map((v) => v * (1 - v)) })),
    });
    d.forward = (a) => apply(frozen, [a.input as Var], undefined);
    try {
      for (const argv of [['sigmoid', '0.3', '-1', '--grad', '--order', '2'], ['sigmoid', '0.3', '-1', '--hessian']]) {
        const { code, reports } = gradcheck(argv);
        expect(code).toBe(1);
        expect(reports[0].pass).toBe(true);
        expect(reports[1].pass).toBe(false);
        // The worst entry is at x = -1, where σ'' = σ(1 − σ)(1 − 2σ) is largest; the analytic value is 0.
        const s = sigmoid(-1);
        expect(reports[1].failure!.at).toMatch(/x\[1\]$/);
        expect(reports[1].failure!.numeric).toBeCloseTo(s * (1 - s) * (1 - 2 * s), 6);
        expect(reports[1].failure!.analytic).toBe(0);
      }
      expect(actgrad(['sigmoid', '0.3', '--hessian', '--gradcheck']).stdout).toContain("✗ beyond PyTorch gradgradcheck's tolerances");
    } finally {
      d.forward = original;
    }
  });
  test('a kink of the first derivative is reported at the second order, not failed', () => {
    const { code, reports } = gradcheck(['relu', '-1', '0', '2', '--grad', '--order', '2']);
    expect(code).toBe(0);
    expect(reports[1].not_differentiable.map((k) => k.input)).toEqual(['x[1]']);
  });
});

describe('--step (functions) and --eps (grad): the step, and the estimate beside the analytic value', () => {
  test('the numerical estimate is the central difference with that step', () => {
    const { reports } = gradcheck(['sigmoid', '0.3', '--step', '1e-3']);
    expect(reports[0].step).toBe(1e-3);
    expect(reports[0].estimates).toHaveLength(1);
    const [e] = reports[0].estimates!;
    expect(e.numeric).toBeCloseTo((sigmoid(0.301) - sigmoid(0.299)) / 0.002, 12);
    expect(e.analytic).toBeCloseTo(sigmoid(0.3) * (1 - sigmoid(0.3)), 15);
  });
  test('grad takes --eps (gradcheck’s name) and --step', () => {
    for (const flag of ['--eps', '--step']) {
      const { reports } = gradcheck(['grad', 'x**3', 'x=2', flag, '0.01']);
      expect(reports[0].estimates![0].numeric).toBeCloseTo((2.01 ** 3 - 1.99 ** 3) / 0.02, 10);
    }
  });
  test('plain prints each estimate beside the analytic value', () => {
    expect(actgrad(['grad', 'x**3', 'x=2', '--gradcheck', '--eps', '0.01']).stdout).toContain('∂f/∂x: 12, 12.000099999999');
  });
  test('a large step does not turn curvature into a kink', () => {
    const { code, reports } = gradcheck(['tanh', '0.5', '--step', '0.05']);
    expect(code).toBe(0);
    expect(reports[0].not_differentiable).toEqual([]);
  });
  test('a step without --gradcheck is a usage error', () => {
    expect(actgrad(['sigmoid', '0.3', '--step', '1e-3']).code).toBe(2);
  });
});

describe('entries with numbers that are not finite are reported, never skipped', () => {
  test('the function is not finite next to the point: listed as not compared, the check still passes', () => {
    const { code, reports } = gradcheck(['grad', 'torch.sqrt(x).sum()', 'x=0,1']);
    expect(code).toBe(0);
    expect(reports[0].not_finite).toEqual([{ at: '∂f/∂x[0]', analytic: 'Infinity', numeric: 'NaN', fails: false }]);
    expect(reports[0].entries).toBe(1);
    expect(actgrad(['grad', 'torch.sqrt(x).sum()', 'x=0,1', '--gradcheck']).stdout).toContain('not compared: ∂f/∂x[0] is inf analytically and nan numerically');
  });
  test('a NaN analytic value where the differences are finite fails', () => {
    // PyTorch's Jacobian row of sqrt(x)[1] has 0·inf = NaN for x[0] = 0; the function does not depend on x[0].
    const { code, reports } = gradcheck(['grad', 'torch.sqrt(x)', 'x=0,1', '--jacobian']);
    expect(code).toBe(1);
    expect(reports[0].not_finite.find((e) => e.fails)).toMatchObject({ at: '∂f[1]/∂x[0]', analytic: 'NaN', numeric: 0 });
  });
});

describe('--expect on a Hessian', () => {
  test('numbers and formulas, like a Jacobian', () => {
    expect(actgrad(['mse', '1', '2', '--target', '0,0', '--hessian', '--expect', '1 0; 0 1']).code).toBe(0);
    expect(actgrad(['grad', 'x**3 - 2*x*y', 'x=1.5', 'y=2', '--hessian', '--expect', '9 -2; -2 0']).code).toBe(0);
    expect(actgrad(['grad', 'x**3 - 2*x*y', 'x=1.5', 'y=2', '--hessian', '--expect', 'hessian=torch.tensor([[6*x, -2], [-2, 0]])']).code).toBe(0);
  });
  test('numbers that are not symmetric: the hint says a Hessian is symmetric', () => {
    const r = actgrad(['grad', 'x**3 - 2*x*y', 'x=1.5', 'y=2', '--hessian', '--expect', '9 -2; 2 0', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).checks[0].hint).toContain('a Hessian is symmetric');
    const transposedJacobian = actgrad(['mse', '1', '2', '--target', '0,0', '--hessian', '--expect', '1 0; 0 2', '--json']);
    expect(JSON.parse(transposedJacobian.stdout).checks[0].hint ?? '').not.toContain('symmetric');
  });
});

describe('conventions that trap students (issue 11.12), only where the numbers match them', () => {
  const json = (argv: string[]): { value: number; grad: number[] } => JSON.parse(actgrad([...argv, '--json']).stdout);
  const hintOf = (argv: string[]): string | null => JSON.parse(actgrad([...argv, '--json']).stdout).checks[0].hint;
  test("multi-margin divides by the number of classes; CS231n's SVM loss does not", () => {
    const base = ['multi-margin', '1', '2', '3', '--target', '0'];
    const { value } = json(base);
    expect(hintOf([...base, '--expect', String(value * 3)])).toContain("divides each sample's sum of margins by the number of classes C; CS231n's SVM loss does not");
    const grad = json([...base, '--grad']).grad;
    expect(hintOf([...base, '--grad', '--expect', grad.map((g) => g * 3).join(',')])).toContain('C = 3 times');
    expect(hintOf([...base, '--expect', String(value * 2.5)])).toBeNull();
  });
  test("kl-div with reduction='mean' divides by every element; batchmean and sum are the textbook KL", () => {
    const base = ['kl-div', '-1.2 -0.4; -0.5 -1', '--target', '0.3 0.7; 0.6 0.4'];
    const batchmean = json([...base, '--reduction', 'batchmean']).value;
    const sum = json([...base, '--reduction', 'sum']).value;
    expect(hintOf([...base, '--expect', batchmean.toPrecision(8)])).toContain("reduction='batchmean'");
    expect(hintOf([...base, '--expect', sum.toPrecision(8)])).toContain("reduction='sum' (the textbook KL divergence)");
    expect(hintOf([...base, '--expect', (batchmean * 1.5).toPrecision(8)])).toBeNull();
    // batchmean itself is not the trap: no kl-div hint for it
    expect(hintOf([...base, '--reduction', 'batchmean', '--expect', (batchmean * 2).toPrecision(8)]) ?? '').not.toContain('batchmean');
  });
});
