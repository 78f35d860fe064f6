/**
 * Formula answers to --expect (the contract's "Checking answers", issue 16.2): accepted when they
 * agree at the given point and 8 seeded points around it, rejected with a point where they differ
 * and both values; a formula right only at the given point is wrong; each hint is given where
 * its mistake explains the formula and not otherwise; a formula that raises is a verdict.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkFormula, FORMULA_POINTS, type FormulaProblem } from '../../src/check/formula';
import { UsageError } from '../../src/errors';
import { actgrad } from '../helpers/run';
import { tempDir } from '../helpers/temp';

interface FormulaJson {
  match: boolean;
  checks: {
    quantity: string;
    match: boolean;
    formula: string;
    points: number;
    tolerance: { rtol: number; atol: number };
    differs: { at: Record<string, number | number[]>; index: number[]; formula: number; actual: number; raised?: string } | null;
    hint: string | null;
  }[];
}
const check = (argv: string[]): { code: number; json: FormulaJson } => {
  const r = actgrad([...argv, '--json']);
  if (r.code === 2) throw new Error(r.stderr);
  return { code: r.code, json: JSON.parse(r.stdout) };
};
const hintOf = (argv: string[]): string | null => check(argv).json.checks[0].hint;

describe('functions: the input is x', () => {
  test("σ'(x) = sigmoid(x)*(1 - sigmoid(x)) is accepted at all 9 points", () => {
    const { code, json } = check(['sigmoid', '0.3', '--grad', '--expect', 'sigmoid(x)*(1-sigmoid(x))']);
    expect(code).toBe(0);
    expect(json.checks[0]).toMatchObject({ match: true, formula: 'sigmoid(x)*(1-sigmoid(x))', points: 1 + FORMULA_POINTS, differs: null, hint: null });
  });
  test('the other usual forms are accepted too (PyTorch spelling, exp form)', () => {
    expect(actgrad(['sigmoid', '0.3', '-1', '--grad', '--expect', 'torch.exp(-x)/(1 + torch.exp(-x))**2']).code).toBe(0);
    expect(actgrad(['tanh', '0.3', '--grad', '--expect', '1 - torch.tanh(x)**2']).code).toBe(0);
    expect(actgrad(['softplus', '0.3', '--grad', '--expect', 'sigmoid(x)']).code).toBe(0);
  });
  test('a wrong formula is rejected with a point where it differs and both values', () => {
    const { code, json } = check(['sigmoid', '0.3', '--grad', '--expect', 'sigmoid(x)*(1+sigmoid(x))']);
    expect(code).toBe(1);
    const d = json.checks[0].differs!;
    const s = 1 / (1 + Math.exp(-0.3));
    expect(d.at).toEqual({ x: [0.3] });
    expect(d.formula).toBeCloseTo(s * (1 + s), 12);
    expect(d.actual).toBeCloseTo(s * (1 - s), 12);
  });
  test('plain output names the point and both values', () => {
    const r = actgrad(['sigmoid', '0.3', '--grad', '--expect', 'sigmoid(x)*(1+sigmoid(x))']);
    expect(r.stdout).toMatch(/^✗ the formula differs from the derivative at x = \[0\.3\]: the formula gives 0\.904\d+, the derivative is 0\.244\d+ \(9 points checked; rtol 1e-9, atol 1e-12\)\n$/);
  });
  test('losses bind the target by its name, and it moves with x', () => {
    expect(actgrad(['mse', '1', '2', '--target', '0,3', '--grad', '--expect', 'x - target']).code).toBe(0);
    expect(actgrad(['bce', '0.2', '0.7', '--target', '0,1', '--grad', '--expect', '(x - target)/(x*(1 - x))/2']).code).toBe(0);
    // right with this target only: x - 1.5 is x - target at target = [1.5, 1.5], not elsewhere
    expect(actgrad(['mse', '1', '2', '--target', '1.5,1.5', '--grad', '--expect', 'x - 1.5']).code).toBe(1);
  });
  test('parameters are bound by their PyTorch names', () => {
    expect(actgrad(['elu', '-1', '-0.5', '--alpha', '0.5', '--grad', '--expect', 'alpha*torch.exp(x)']).code).toBe(0);
  });
  test('the value, a Jacobian and a Hessian as formulas', () => {
    expect(actgrad(['sigmoid', '0.3', '2', '--expect', '1/(1 + torch.exp(-x))']).code).toBe(0);
    expect(actgrad(['softmax', '2', '1', '0.1', '-j', '--expect', 'torch.diag(softmax(x, dim=0)) - torch.outer(softmax(x, dim=0), softmax(x, dim=0))']).code).toBe(0);
    expect(actgrad(['mse', '1', '2', '--target', '0,0', '--hessian', '--expect', 'torch.eye(2)']).code).toBe(0);
  });
});

describe('grad: name="formula" and a bare formula', () => {
  const bce = ['grad', 'F.binary_cross_entropy(torch.sigmoid(z), y)', 'z=0.3', 'y=1'];
  test('z="sigmoid(z) - y" is accepted; y - sigmoid(z) is rejected with the sign hint', () => {
    expect(check([...bce, '--wrt', 'z', '--expect', 'z=sigmoid(z) - y']).code).toBe(0);
    const { code, json } = check([...bce, '--wrt', 'z', '--expect', 'z=y - sigmoid(z)']);
    expect(code).toBe(1);
    expect(json.checks[0].hint).toContain('the sign is flipped');
  });
  test('a bare formula is the one gradient shown; value= checks the value', () => {
    expect(actgrad([...bce, '--wrt', 'z', '--expect', 'sigmoid(z) - y']).code).toBe(0);
    const value = 'value=-(y*torch.log(torch.sigmoid(z)) + (1 - y)*torch.log(1 - torch.sigmoid(z)))';
    expect(actgrad([...bce, '--expect', value, '--expect', 'z=sigmoid(z) - y']).code).toBe(0);
    // y moves too: a value right for y = 1 only is wrong
    expect(actgrad([...bce, '--expect', 'value=-torch.log(torch.sigmoid(z))']).code).toBe(1);
  });
  test('vector and matrix formulas, as --symbolic prints them', () => {
    const mse = ['grad', 'F.mse_loss(W @ x + b, y)', 'W=1 2; 3 4', 'x=1,-1', 'b=0,1', 'y=1,1'];
    expect(actgrad([...mse, '--expect', 'W=torch.outer(W @ x + b - y, x)', '--expect', 'x=W.T @ (W @ x + b - y)', '--expect', 'b=W @ x + b - y']).code).toBe(0);
    expect(actgrad([...mse, '--expect', 'x=W @ (W @ x + b - y)']).code).toBe(1);
  });
  test('a formula right only at the given point is wrong', () => {
    // 2x at x = 2 is 4: the number 4 is right there and nowhere else.
    const { code, json } = check(['grad', 'x**2', 'x=2', '--expect', 'x**2']);
    expect(code).toBe(1);
    expect(json.checks[0].hint).toContain('agrees at the given point only');
    expect(actgrad(['grad', 'x**2', 'x=2', '--expect', '4']).code).toBe(0);
  });
  test('class indices stay: they are not moved between points', () => {
    expect(actgrad(['grad', 'F.cross_entropy(z, t)', 'z=1,2,3', 't=2', '--expect', 'z=softmax(z, dim=0) - torch.eye(3)[2]']).code).toBe(0);
  });
  test('a bound zero moves within [-1, 1]: a formula that differs only away from 0 is caught', () => {
    // x*y at y = 0 has ∂/∂x = y = 0; the formula 0 agrees there only.
    expect(check(['grad', 'x*y', 'x=1', 'y=0', '--expect', 'x=0']).code).toBe(0);
    expect(check(['grad', 'x*y', 'x=1', 'y=0', '--expect', 'x=0*y']).code).toBe(1);
  });
  test('the points are seeded: the same answer gets the same verdict and point', () => {
    const a = actgrad(['grad', 'x**3', 'x=2', '--expect', '3*x**2 + x - 2']);
    const b = actgrad(['grad', 'x**3', 'x=2', '--expect', '3*x**2 + x - 2']);
    expect(a.code).toBe(1);
    expect(a.stdout).toBe(b.stdout);
  });
});

describe('hints for formulas, only where the mistake explains them', () => {
  test('σ(1 − σ) applied to the argument instead of σ', () => {
    expect(hintOf(['sigmoid', '0.3', '--grad', '--expect', 'x*(1-x)'])).toContain('sigmoid(x) * (1 - sigmoid(x)) is meant');
    expect(hintOf(['grad', 'torch.sigmoid(w*x + b)', 'w=0.5', 'x=2', 'b=1', '--wrt', 'w', '--expect', 'x*(w*x + b)*(1 - (w*x + b))'])).toContain(
      'sigmoid(w * x + b) * (1 - sigmoid(w * x + b)) is meant',
    );
    // the same shape of formula that is wrong for another reason: no such hint
    expect(hintOf(['sigmoid', '0.3', '--grad', '--expect', '2*x*(1-x)'])).toBeNull();
  });
  test("tanh' as 1 − u² instead of 1 − tanh²(u)", () => {
    expect(hintOf(['grad', 'torch.tanh(w*x)', 'w=0.5', 'x=2', '--wrt', 'w', '--expect', 'x*(1 - (w*x)**2)'])).toContain('1 - tanh(w * x)**2 is meant');
    expect(hintOf(['grad', 'torch.tanh(w*x)', 'w=0.5', 'x=2', '--wrt', 'w', '--expect', 'x*(1 + (w*x)**2)'])).toBeNull();
  });
  test('factor 2 and mean vs sum', () => {
    expect(hintOf(['mse', '1', '2', '--target', '0,3', '--grad', '--expect', '2*(x - target)'])).toContain('--reduction sum');
    expect(hintOf(['grad', '(x**2).sum()', 'x=1,2,3', '--expect', 'x'])).toContain('half the right one');
    expect(hintOf(['grad', '(x**2).mean()', 'x=1,2,3', '--expect', '2*x'])).toContain('N = 3 times the right one');
    expect(hintOf(['grad', '(x**2).mean()', 'x=1,2,3', '--expect', '2*x + 1'])).toBeNull();
  });
  test('the sentences in full, as worded for a formula', () => {
    expect(hintOf(['mse', '1', '2', '--target', '0,3', '--grad', '--expect', '2*(x - target)'])).toBe(
      'the formula matches --reduction sum: the losses were added, not averaged over N = 2 (the reduction here is mean)',
    );
    expect(hintOf(['cross-entropy', '0.7', '0.2', '0.1', '--target', '0', '--expect', '-torch.log(x[0]/x.sum())'])).toBe(
      'the formula treats the inputs as probabilities, but cross-entropy takes logits (it applies log_softmax itself); for probabilities use nll on their logs',
    );
    // CS231n's SVM loss for class 2 of three: the sum of the margins, not divided by C
    expect(hintOf(['multi-margin', '0.1', '0.2', '0.4', '--target', '2', '--expect', 'torch.clamp(1 - x[2] + x[0], min=0) + torch.clamp(1 - x[2] + x[1], min=0)'])).toBe(
      "the formula is C = 3 times actgrad's: PyTorch's multi_margin_loss divides each sample's sum of margins by the number of classes C; CS231n's SVM loss does not",
    );
  });
  test('the value where the derivative was asked', () => {
    expect(hintOf(['sigmoid', '0.3', '--grad', '--expect', 'sigmoid(x)'])).toContain('the formula gives the values sigmoid(x), not the derivative');
  });
});

describe('formulas that cannot be checked, and formulas that raise', () => {
  test('a formula that does not parse, or names what is not bound, is a usage error (exit 2, one line)', () => {
    for (const answer of ['sigmoid(x', 'sigmoid(q)']) {
      const r = actgrad(['sigmoid', '0.3', '--grad', '--expect', answer]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(actgrad(['sigmoid', '0.3', '--grad', '--expect', 'sigmoid(q)']).stderr).toContain('cannot be evaluated at the given point');
  });
  test("a formula of another shape is a usage error that says both", () => {
    expect(actgrad(['grad', '(x**2).sum()', 'x=1,2,3', '--expect', 'x[0:2]']).stderr).toContain('the formula gives a tensor of shape 2, the gradient with respect to x is a tensor of shape 3');
  });
  test('a formula that raises at another point is a verdict naming the point (exit 1, not a crash)', () => {
    // math.sqrt of a plain number raises below 0, as Python's does: fine at x = 0, not at the points around it below 0.
    const { code, json } = check(['grad', 'x**2', 'x=0', '--expect', '2*x + 0*math.sqrt(x.item())']);
    expect(code).toBe(1);
    expect(json.checks[0].differs!.raised).toContain('math.sqrt');
    expect(json.checks[0].differs!.at.x).toBeLessThan(0);
    expect(actgrad(['grad', 'x**2', 'x=0', '--expect', '2*x + 0*math.sqrt(x.item())']).stdout).toMatch(/^✗ the formula cannot be evaluated at x = -0\.\d+: /);
  });
});

describe('@FILE', () => {
  test('--expect @FILE and name=@FILE read numbers or a formula from the file', () => {
    const dir = tempDir('actgrad-expect-');
    writeFileSync(join(dir, 'numbers.txt'), '0.659 0.242 0.0986\n');
    writeFileSync(join(dir, 'formula.txt'), 'sigmoid(z) - y\n');
    expect(actgrad(['softmax', '2', '1', '0.1', '--expect', `@${join(dir, 'numbers.txt')}`]).code).toBe(0);
    expect(actgrad(['grad', 'F.binary_cross_entropy(torch.sigmoid(z), y)', 'z=0.3', 'y=1', '--wrt', 'z', '--expect', `z=@${join(dir, 'formula.txt')}`]).code).toBe(0);
    expect(actgrad(['softmax', '2', '1', '--expect', `@${join(dir, 'missing.txt')}`]).stderr).toContain('cannot read the file (no such file)');
  });
});

describe('the function API', () => {
  test('a reference that is right everywhere and one that is not', () => {
    const at: [string, { shape: number[]; data: Float64Array }][] = [['x', { shape: [], data: Float64Array.of(1.5) }]];
    const p: FormulaProblem = { at, moving: new Set(['x']), quantity: 'derivative', reference: (q) => ({ shape: [], data: Float64Array.of(Math.cos(q[0][1].data[0])) }) };
    expect(checkFormula(p, 'torch.cos(x)', { kind: 'written' }, '--expect').match).toBe(true);
    const wrong = checkFormula(p, 'torch.cos(x) + 1e-6', { kind: 'written' }, '--expect');
    expect(wrong.match).toBe(false);
    // --rtol/--atol replace the formula tolerance
    expect(checkFormula(p, 'torch.cos(x) + 1e-6', { kind: 'explicit', rtol: 0, atol: 1e-5 }, '--expect').match).toBe(true);
  });
  test('a parse error is a UsageError', () => {
    const p: FormulaProblem = { at: [], moving: new Set(), quantity: 'value', reference: () => ({ shape: [], data: Float64Array.of(1) }) };
    expect(() => checkFormula(p, '1 +', { kind: 'written' }, '--expect')).toThrow(UsageError);
  });
});
