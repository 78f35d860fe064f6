/**
 * The repros of "No silent wrong answers" (issue 11), as a user types them: each must give
 * PyTorch 2.11's numbers or a one-line error, never a wrong number with exit 0. Expected numbers
 * are PyTorch's (its backward formulas; values quoted by the issue, or computed with torch 1.13
 * where 1.13 and 2.11 agree). Run against the code before the redesign (commit add0d0e), 21 of these
 * 22 fail; only the last (--wrt naming an unbound name) passed there already.
 */
import { actgrad } from '../helpers/run';

const numbers = (stdout: string): number[] => stdout.trim().split(/\s+/).filter((w) => !w.startsWith('#')).map(Number);

describe('PyTorch backward formulas under composition', () => {
  test('bce(sigmoid(z), y) at z = 40: sigmoid_backward gives exactly 0, then the clamp keeps it 0', () => {
    const r = actgrad(['grad', 'bce(sigmoid(z), y)', 'z=40,-3', 'y=0,1', '--wrt', 'z']);
    expect(r.code).toBe(0);
    expect(numbers(r.stdout)[0]).toBe(0);
    expect(numbers(r.stdout)[1]).toBeCloseTo(-0.4762870634112166, 15);
  });
  test('sum(tanh(x))·1e16 at x = 19: PyTorch’s tanh rounds to 1, so tanh_backward gives 0', () => {
    expect(actgrad(['grad', 'sum(tanh(x))*1e16', 'x=19']).stdout).toBe('0\n');
  });
  test('sigmoid 100 --grad is 0', () => {
    expect(actgrad(['sigmoid', '100', '--grad']).stdout).toBe('0\n');
  });
  test("BCE's clamp is EPSILON = 1e-12 as a float32", () => {
    expect(numbers(actgrad(['bce', '0', '1', '1e-300', '0.5', '--target', '1,0,1,0.5', '--grad']).stdout)[0]).toBe(-250000000998.9507);
  });
  test("celu's backward uses 1/float32(alpha)", () => {
    expect(actgrad(['celu', '0', '--alpha', '0.7', '--grad']).stdout).toBe('1.0000000170298988\n');
  });
  test('mse multiplies by 2/N first: 1e308 does not overflow', () => {
    expect(actgrad(['mse', '1e308', '0', '--target', '0,0', '--grad']).stdout).toBe('1e+308 0\n');
  });
  test("C's pow: 1^inf = 1, with ∂x = inf and ∂y = 0", () => {
    const out = JSON.parse(actgrad(['grad', 'x^y', 'x=1', 'y=inf', '--json']).stdout);
    expect(out).toMatchObject({ value: 1, grad: { x: 'Infinity', y: 0 } });
  });
  test('an infinite gradient through relu’s flat piece is 0 (threshold_backward selects); 0·inf through a division is NaN, as PyTorch multiplies there', () => {
    expect(actgrad(['grad', 'relu(x)*y', 'x=-1', 'y=inf', '--wrt', 'x']).stdout).toBe('0\n');
    expect(actgrad(['grad', 'relu(-1/y)', 'y=0']).stdout).toBe('nan\n');
  });
  test("x ** 0.5 is pow(Tensor, Scalar), sqrt: NaN at -inf; x ** torch.tensor(0.5) is pow(Tensor, Tensor), C's pow: inf, gradient 0.5·(-inf)^-0.5 = 0", () => {
    expect(actgrad(['grad', 'sum(x ** 0.5)', 'x=-inf,4']).stdout).toBe('nan 0.25\n');
    expect(JSON.parse(actgrad(['grad', 'sum(x ** torch.tensor(0.5))', 'x=-inf,4', '--json']).stdout)).toMatchObject({ value: 'Infinity', grad: { x: [0, 0.25] } });
    // pow(Tensor, Tensor) is C's pow, correctly rounded; the Scalar path's x ** 3 is x·x·x.
    expect(JSON.parse(actgrad(['grad', 'sum(x ** torch.tensor(3.))', 'x=1.0274', '--json']).stdout).value).toBe(1.0844728508240002);
    expect(JSON.parse(actgrad(['grad', 'sum(x ** 3)', 'x=1.0274', '--json']).stdout).value).toBe(1.0844728508240005);
  });
  test('log-softmax of [inf, 1] is nan nan, as PyTorch', () => {
    expect(actgrad(['log-softmax', 'inf', '1']).stdout).toBe('nan nan\n');
  });
  test('norm: the backward is scaled like the forward', () => {
    const tiny = numbers(actgrad(['norm', '1e-200', '1e-200', '--p', '3', '--grad']).stdout);
    expect(tiny.every((g) => Number.isFinite(g) && Math.abs(g - 2 ** (-2 / 3)) < 1e-15)).toBe(true);
    expect(actgrad(['norm', '5e-324', '--grad', '--grad-output', '1.662']).stdout).toBe('1.662\n');
  });
});

describe('gradients to every argument PyTorch differentiates', () => {
  test("prelu's weight", () => {
    expect(actgrad(['grad', 'prelu(x, weight=a).sum()', 'x=-2,3', 'a=0.25', '--wrt', 'a']).stdout).toBe('-2\n');
  });
  test('a probability target of cross_entropy', () => {
    const out = JSON.parse(actgrad(['grad', 'cross_entropy(z, t)', 'z=0.5,-1,2', 't=0.3,0.3,0.4', '--json']).stdout);
    expect(out.grad.t[0]).toBeCloseTo(1.7413, 4);
    expect(out.grad.t[1]).toBeCloseTo(3.2413, 4);
    expect(out.grad.t[2]).toBeCloseTo(0.2413, 4);
  });
  test('a name PyTorch cannot differentiate: asking for it is an error that says why', () => {
    const r = actgrad(['grad', 'cross_entropy(z, y)', 'z=0.5,-1,2', 'y=2', '--wrt', 'y']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^actgrad: error: --wrt y: y is passed to cross_entropy as its target: class indices have no gradient/);
  });
});

describe('no option dropped, no input unchecked', () => {
  test('--steps does not skip --expect', () => {
    expect(actgrad(['grad', 'x*x', 'x=2', '--steps', '--expect', 'x=5']).code).toBe(1);
  });
  test('--steps --expect --format json is one JSON document with the steps and the verdict', () => {
    const r = actgrad(['grad', 'x*x', 'x=2', '--steps', '--expect', 'x=5', '--format', 'json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.grad).toEqual({ x: 4 });
    expect(out.steps.map((s: { node: string }) => s.node)).toEqual(['x', 't1']);
    expect(out.match).toBe(false);
    expect(out.checks[0].numbers[0]).toMatchObject({ expected: 5, actual: 4, match: false });
  });
  test('--steps --format csv is refused, not printed as plain text', () => {
    const r = actgrad(['grad', 'x*x', 'x=2', '--steps', '--format', 'csv']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
  test('standard input goes through the same parameter checks as arguments', () => {
    const piped = actgrad(['celu', '--alpha', '0'], { stdin: '1 -2\n' });
    expect(piped.code).toBe(2);
    expect(piped.stderr).toBe(actgrad(['celu', '1', '-2', '--alpha', '0']).stderr);
    expect(actgrad(['hardtanh', '--min-val', '2', '--max-val', '1'], { stdin: '1\n' }).code).toBe(2);
  });
  test('an empty field is an input error', () => {
    expect(actgrad(['relu', '1,,2']).code).toBe(2);
  });
  test('two formats are a usage error', () => {
    expect(actgrad(['relu', '1', '--json', '--format', 'csv']).code).toBe(2);
  });
  test('a --grad-output of the right count but the wrong shape is refused', () => {
    expect(actgrad(['softmax', '1 2 3; 4 5 6', '--grad-output', '1 2; 3 4; 5 6']).stderr).toBe('actgrad: error: --grad-output has shape [3, 2], but needs shape [2, 3]\n');
  });
  test("bce's target must be in [0, 1], as PyTorch 2.11 checks", () => {
    expect(actgrad(['bce', '0.5', '--target', '2']).code).toBe(2);
  });
});

describe('errors inside a formula speak of the call’s arguments', () => {
  test('mse(z, y) with mismatched sizes', () => {
    expect(actgrad(['grad', 'mse(z, y)', 'z=1,2,3', 'y=1,2']).stderr.split('\n')[0]).toBe('actgrad: error: mse(z, y): target y has 2 numbers, input z has 3');
  });
  test('--wrt naming an unbound name is an error', () => {
    expect(actgrad(['grad', 'x*w', 'x=1', 'w=2', '--wrt', 'q']).code).toBe(2);
  });
});

describe('checks and limits that the mutation tests of src/check showed wrong', () => {
  test('--no-grad with a bare --expect compares the value, the only quantity asked for', () => {
    const r = actgrad(['grad', 'a*b', 'a=1', 'b=2', '--no-grad', '--expect', '2']);
    expect(r.code).toBe(0);
    expect(actgrad(['grad', 'a*b', 'a=1', 'b=2', '--no-grad', '--expect', '3']).code).toBe(1);
  });
  test('--expect value=… with a binding named value is refused, not read as the gradient for numbers and as the value for formulas', () => {
    for (const answer of ['6', '2*value']) {
      const r = actgrad(['grad', 'value*2', 'value=3', '--expect', `value=${answer}`]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe("actgrad: error: --expect value=…: value is both a bound name and the formula's value; rename the binding (e.g. value_=…)\n");
    }
  });
  test('a quantity that does not exist is named with the choices, value first', () => {
    expect(actgrad(['grad', 'a*b', 'a=1', 'b=2', '--expect', 'c=1']).stderr).toBe('actgrad: error: --expect c=…: no such quantity; choose value, a, b\n');
  });
  test('Jacobians and gradcheck too large to hold are refused before they are built, with the limit', () => {
    const many = Array.from({ length: 5000 }, (_, i) => String(i % 7)).join(' ');
    const gc = actgrad(['relu', '--gradcheck'], { stdin: many });
    expect(gc.code).toBe(2);
    expect(gc.stderr).toBe('actgrad: error: --gradcheck compares every entry of the Jacobian; 5000 inputs × 5000 outputs is too many (at most 4,000,000)\n');
    const j = actgrad(['relu', '-j'], { stdin: many });
    expect(j.code).toBe(2);
    expect(j.stderr).toMatch(/^actgrad: error: --jacobian of 5000 outputs over 5000 inputs \(or more\) would have 25000000 entries or more; it is limited to 16777216 /);
    const g = actgrad(['grad', 'x*2', `x=${many.replace(/ /g, ',')}`, '--jacobian']);
    expect(g.code).toBe(2);
    expect(g.stderr).toBe('actgrad: error: --jacobian of 5000 outputs would have 25000000 entries; it is limited to 16777216 (use --grad-output for a vector-Jacobian product)\n');
  });
});
