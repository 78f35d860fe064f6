/**
 * The glue of src/check/run.ts, through its exports and the CLI in-process: the tolerance rule
 * (--rtol or --atol alone replaces the written precision), expected numbers and their shape, what
 * reads as a formula; a function's formula problem (x and a target of its shape move, class indices
 * and parameters stay), the quantity's name, the factor-N and Hessian-symmetry hints; `grad`'s
 * name=answer parsing, its quantities and hints; and --gradcheck's reports: the size limit, the
 * labels and headings of each order, and Jacobians of every layout (blocks per row, dense, reduced
 * rows) compared entry by entry.
 */
import * as gradcheckModule from '../../src/check/gradcheck';
import { gradcheckFunction, isFormulaAnswer, parseExpected, toleranceRule } from '../../src/check/run';
import { UsageError } from '../../src/errors';
import { registry } from '../../src/functions/registry';
import type { Tensor } from '../../src/tensor';
import { actgrad } from '../helpers/run';

interface FormulaCheckJson {
  quantity: string;
  match: boolean;
  points: number;
  differs: { at: Record<string, number | number[]>; index: number[]; formula: number; actual: number } | null;
  hint: string | null;
}
const checks = (argv: string[]): { code: number; checks: FormulaCheckJson[] } => {
  const r = actgrad([...argv, '--json']);
  if (r.code === 2) throw new Error(r.stderr);
  return { code: r.code, checks: JSON.parse(r.stdout).checks };
};
/** The plain output's lines. */
const lines = (argv: string[]): string[] => actgrad(argv).stdout.trimEnd().split('\n');
const usageError = (argv: string[]): string => {
  const r = actgrad(argv);
  expect(r.code).toBe(2);
  return r.stderr;
};

const AGREES = (quantity: string, atol = '1e-12') => `✓ the formula agrees with the ${quantity} at all 9 points (the given one and 8 around it); rtol 1e-9, atol ${atol}`;
const ONLY_AT_GIVEN = 'the formula agrees at the given point only: as a function of the names it is not the answer (is a number written in, or a term that vanishes at this point?)';
const symmetric = (a: string, b: string) => `a Hessian is symmetric (∂²/∂x_i∂x_j = ∂²/∂x_j∂x_i), but the numbers given are not: [0,1] is ${a} and [1,0] is ${b}`;

describe('toleranceRule: --rtol or --atol, even alone, replaces the written precision', () => {
  test.each([
    [undefined, undefined, { kind: 'written' }],
    [1e-6, undefined, { kind: 'explicit', rtol: 1e-6, atol: 0 }],
    [undefined, 1e-3, { kind: 'explicit', rtol: 0, atol: 1e-3 }],
    [0.1, 0.2, { kind: 'explicit', rtol: 0.1, atol: 0.2 }],
  ])('rtol %p, atol %p', (rtol, atol, rule) => expect(toleranceRule(rtol, atol)).toEqual(rule));

  test('--rtol alone: softmax(2, 1, 0.1)[0] = 0.65900114 is 1.14e-6 from 0.659, beyond 1e-6·0.659 and within 2e-6·0.659', () => {
    const argv = ['softmax', '2', '1', '0.1', '--expect', '0.659,0.242,0.0986'];
    expect(actgrad(argv).code).toBe(0);
    expect(lines([...argv, '--rtol', '1e-6']).slice(-1)).toEqual(['✗ 3 of 3 numbers do not match (within atol 0 + rtol 0.000001·|expected|)']);
    expect(lines([...argv, '--rtol', '2e-6']).slice(-1)).toEqual(['✗ 2 of 3 numbers do not match (within atol 0 + rtol 0.000002·|expected|)']);
  });
});

describe('parseExpected and isFormulaAnswer', () => {
  test('the shape written: a single number is a scalar, rows and nested brackets keep theirs', () => {
    expect(parseExpected('2')).toEqual({ tensor: { shape: [], data: Float64Array.of(2) }, texts: ['2'] });
    expect(parseExpected('1.50 -2')).toEqual({ tensor: { shape: [2], data: Float64Array.of(1.5, -2) }, texts: ['1.50', '-2'] });
    expect(parseExpected('1 2; 3 4').tensor.shape).toEqual([2, 2]);
    expect(parseExpected('[[2]]').tensor.shape).toEqual([1, 1]);
  });
  test('an input error names --expect, or the flag given', () => {
    const empty = 'empty field at character 3: two separators with no number between them (or a trailing comma)';
    expect(() => parseExpected('1,,2')).toThrow(new UsageError(`--expect: ${empty}`));
    expect(() => parseExpected('1,,2', '--expect w')).toThrow(new UsageError(`--expect w: ${empty}`));
  });
  test('what does not read as numbers is a formula', () => {
    expect(isFormulaAnswer('0.5, -1; 2 3')).toBe(false);
    expect(isFormulaAnswer('[[inf, nan]]')).toBe(false);
    expect(isFormulaAnswer('x*(1 - x)')).toBe(true);
    expect(isFormulaAnswer('1,,2')).toBe(true);
  });
  test('numbers with rows or nested brackets must have the quantity\'s shape; a flat list any shape of its count', () => {
    expect(usageError(['relu', '1', '2', '3', '4', '--expect', '1 2; 3 4'])).toBe('actgrad: error: --expect has shape 2×2, the value has shape 4\n');
    expect(usageError(['relu', '2', '--expect', '[[2]]'])).toBe('actgrad: error: --expect has shape 1×1, the value has shape 1\n');
    expect(actgrad(['relu', '1 2; 3 4', '--expect', '1 2 3 4']).code).toBe(0);
  });
});

describe('a function\'s formula answer', () => {
  test.each([
    ['value', ['sigmoid', '0.3'], '1/(1 + torch.exp(-x))'],
    ['derivative', ['sigmoid', '0.3', '--grad'], 'sigmoid(x)*(1 - sigmoid(x))'],
    ['Jacobian', ['sigmoid', '0.3', '-j'], 'sigmoid(x)*(1 - sigmoid(x))'],
    ['Hessian', ['sigmoid', '0.3', '--hessian'], 'sigmoid(x)*(1 - sigmoid(x))*(1 - 2*sigmoid(x))'],
    ['Jacobian-vector product', ['sigmoid', '0.3', '--jvp', '2'], '2*sigmoid(x)*(1 - sigmoid(x))'],
    ['Hessian-vector product', ['sigmoid', '0.3', '--hvp', '2'], '2*sigmoid(x)*(1 - sigmoid(x))*(1 - 2*sigmoid(x))'],
  ])('the %s, so named', (quantity, argv, formula) => {
    expect(lines([...argv, '--expect', formula])).toEqual([AGREES(quantity)]);
  });

  test('x moves: the input written in as numbers is right at the given point only', () => {
    // relu is the identity on the positive points around [1, 2]
    const { code, checks: [c] } = checks(['relu', '1', '2', '--expect', 'torch.tensor([1.0, 2.0])']);
    expect(code).toBe(1);
    const x = c.differs!.at.x as number[];
    expect(x).toHaveLength(2);
    expect(x[0]).not.toBe(1);
    expect(x[1]).not.toBe(2);
    expect(Math.abs(x[0] - 1)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(x[1] - 2)).toBeLessThanOrEqual(1);
    const k = c.differs!.index[0];
    expect([c.differs!.formula, c.differs!.actual]).toEqual([[1, 2][k], x[k]]);
    expect(c.hint).toBe(ONLY_AT_GIVEN);
  });
  test('class indices and parameters stay: all 9 points are valid and the formula may use them', () => {
    for (const argv of [
      ['cross-entropy', '1', '2', '3', '--target', '2', '--grad', '--expect', 'softmax(x, dim=0) - torch.eye(3)[target]'],
      ['elu', '-1', '-0.5', '--alpha', '0.5', '--grad', '--expect', 'alpha*torch.exp(x)'],
      ['softmax', '1', '2', '--expect', 'softmax(x, dim=dim)'],
    ]) {
      expect({ argv, ...checks(argv) }).toMatchObject({ argv, code: 0, checks: [{ match: true, points: 9, differs: null }] });
    }
  });
  test('a usage error names --expect and the formula\'s problem', () => {
    expect(usageError(['sigmoid', '0.3', '--grad', '--expect', 'sigmoid(q)'])).toBe(
      "actgrad: error: --expect: the formula cannot be evaluated at the given point: unknown name 'q'; bound names: x\n",
    );
  });
  test('factor N: named for a function of N inputs, not for a loss (whose N is its reduction)', () => {
    // relu' = 1 on positive inputs; 3 is N = 3 times it
    expect(checks(['relu', '1', '2', '3', '--grad', '--expect', '3 + 0*x']).checks[0].hint).toBe('every number is N = 3 times the right one (a sum where a mean was meant?)');
    // mse with reduction sum: the gradient is 2(x − t); 6(x − t) is three times it, but no reduction explains that
    expect(checks(['mse', '1', '2', '3', '--target', '0,0,0', '--reduction', 'sum', '--grad', '--expect', '6*(x - target)']).checks[0]).toMatchObject({ match: false, hint: null });
  });
  test('a Hessian given as a formula that is not symmetric is told so; a Jacobian is not', () => {
    // mse over 2 inputs: L = (x0² + x1²)/2 at target 0, so the Hessian is the identity
    expect(lines(['mse', '1', '2', '--target', '0,0', '--hessian', '--expect', 'torch.tensor([[1.0, 1.0], [0.0, 1.0]])'])).toEqual([
      '✗ the formula differs from the Hessian at x = [1, 2], target = [0, 0], element [0,1]: the formula gives 1, the Hessian is 0 (9 points checked; rtol 1e-9, atol 1e-12)',
      `hint: ${symmetric('1', '0')}`,
    ]);
    expect(checks(['softmax', '1', '2', '-j', '--expect', 'torch.tensor([[1.0, 2.0], [3.0, 4.0]])']).checks[0]).toMatchObject({ match: false, hint: null });
  });
  test('a Hessian given as numbers that are not symmetric is told so', () => {
    expect(lines(['mse', '1', '2', '--target', '0,0', '--hessian', '--expect', '1 1; 0 1']).slice(-1)).toEqual([`hint: ${symmetric('1', '0')}`]);
  });
  test('a right formula gets no hint, even one a mistake would also give (relu\'s value 0 for its derivative 0)', () => {
    expect(checks(['relu', '-1', '-2', '--grad', '--expect', '0*x']).checks[0]).toMatchObject({ match: true, hint: null });
  });
});

describe('--gradcheck for a function', () => {
  test('at most 4,000,000 Jacobian entries: 2000 × 2000 is compared, 2001 × 2001 refused', () => {
    // Only the limit is under test: the comparison itself is stubbed (4,000,000 entries take seconds).
    const relu = registry.find((d) => d.name === 'relu')!;
    const input = (n: number): Tensor => ({ shape: [n], data: Float64Array.from({ length: n }, (_, i) => (i % 7) - 2.5) });
    const compared: number[] = [];
    const spy = jest.spyOn(gradcheckModule, 'gradcheck').mockImplementation((p) => {
      compared.push(p.x.length);
      return { order: 1, entriesOf: 'Jacobian', pass: true, entries: 0, maxAbs: { error: 0, at: '', analytic: 0, numeric: 0 }, maxRel: { error: 0, at: '', analytic: 0, numeric: 0 }, notDifferentiable: [], nonFinite: [] };
    });
    try {
      expect(gradcheckFunction({ fn: relu, input: input(2000) })).toHaveLength(1);
      expect(compared).toEqual([2000]);
      expect(() => gradcheckFunction({ fn: relu, input: input(2001) })).toThrow(
        new UsageError('--gradcheck compares every entry of the Jacobian; 2001 inputs × 2001 outputs is too many (at most 4,000,000)'),
      );
      expect(compared).toEqual([2000]);
    } finally {
      spy.mockRestore();
    }
  });
  test('--order 1 is the first derivative: one report, no gradgradcheck', () => {
    const r = actgrad(['sigmoid', '0.3', '--grad', '--order', '1', '--gradcheck', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).gradcheck).toMatchObject({ order: 1, pass: true, entries: 1 });
  });
  test.each([
    // outputs × inputs: every entry of the dense Jacobian, the zeros between rows included
    [['batch-norm', '1 2; 3 5; 4 0'], 6 * 6],
    [['layer-norm', '1 2 3; 4 5 7'], 6 * 6],
    [['logsumexp', '1 2 3; 4 5 6'], 2 * 6],
    [['norm', '1 2 3; 4 5 6'], 2 * 6],
    [['softmax', '1 2 3; 4 5 6'], 6 * 6],
    [['glu', '1 2 3 4; 5 6 7 8'], 4 * 8],
    [['mse', '1 2 3; 4 5 6', '--target', '0 1 0; 1 0 1'], 1 * 6],
  ])('a right Jacobian of any layout passes: %j', (argv, entries) => {
    const r = actgrad([...argv, '--gradcheck', '--json']);
    expect({ code: r.code, ...JSON.parse(r.stdout).gradcheck }).toMatchObject({ code: 0, pass: true, entries, not_differentiable: [], not_finite: [] });
  });
});

describe('grad --expect: which quantity', () => {
  const ab = ['grad', 'a*b', 'a=1', 'b=2'];
  test('name=answer, with spaces around the name or the =', () => {
    expect(checks([...ab, '--expect', ' a=2', '--expect', 'b = 1', '--expect', 'value =2']).checks.map((c) => [c.quantity, c.match])).toEqual([
      ['gradient with respect to a', true],
      ['gradient with respect to b', true],
      ['value', true],
    ]);
  });
  test('a bare formula with a keyword argument is an answer, not name=…', () => {
    expect(checks(['grad', 'F.cross_entropy(z, t)', 'z=1,2,3', 't=2', '--expect', 'softmax(z, dim=0) - torch.eye(3)[t]']).checks).toMatchObject([
      { quantity: 'gradient with respect to z', match: true, points: 9 },
    ]);
  });
  test('a bare answer with two gradients shown: say which, with the first one as the example', () => {
    expect(usageError([...ab, '--expect', '3'])).toBe('actgrad: error: --expect "3": say which quantity, e.g. --expect value=1 --expect a=2\n');
  });
  test('a bare answer is the Hessian-vector product with --hvp, else the Hessian with --hessian', () => {
    // a·b: Hessian [[0, 1], [1, 0]], its product with (1, 0) is (0, 1)
    expect(checks([...ab, '--hessian', '--hvp', '1,0', '--expect', '0,1']).checks).toMatchObject([{ quantity: 'Hessian-vector product', match: true }]);
    expect(checks([...ab, '--hvp', '1,0', '--expect', 'torch.stack([0*a, b/b])']).checks).toMatchObject([{ quantity: 'Hessian-vector product', match: true, points: 9 }]);
    expect(checks([...ab, '--hessian', '--expect', '0 1; 1 0']).checks).toMatchObject([{ quantity: 'Hessian', match: true }]);
  });
  test('each quantity by its name: value, gradient, Hessian, Hessian-vector product, Jacobian', () => {
    // a·b: gradient (b, a) = (2, 1), Hessian [[0, 1], [1, 0]], its product with (1, 0) is (0, 1)
    const hessian = [...ab, '--hessian', '--hvp', '1,0'];
    const answers = ['value=a*b', 'a=b', 'hessian=torch.tensor([[0.0, 1.0], [1.0, 0.0]])', 'hvp=torch.stack([0*a, b/b])'];
    expect(checks([...hessian, ...answers.flatMap((e) => ['--expect', e])]).checks.map((c) => [c.quantity, c.match, c.points])).toEqual([
      ['value', true, 9],
      ['gradient with respect to a', true, 9],
      ['Hessian', true, 9],
      ['Hessian-vector product', true, 9],
    ]);
    expect(checks([...hessian, '--expect', 'value=2', '--expect', 'a=2', '--expect', 'hessian=0 1; 1 0', '--expect', 'hvp=0,1']).checks.map((c) => c.quantity)).toEqual([
      'value',
      'gradient with respect to a',
      'Hessian',
      'Hessian-vector product',
    ]);
    expect(checks(['grad', 'W @ x', 'W=1 2; 3 4', 'x=1,1', '-j', '--expect', 'x=W']).checks).toMatchObject([{ quantity: 'Jacobian with respect to x', match: true }]);
  });
  test('a usage error names --expect and the quantity', () => {
    expect(usageError(['grad', 'x**2', 'x=1', '--expect', 'x=q'])).toBe("actgrad: error: --expect x: the formula cannot be evaluated at the given point: unknown name 'q'; bound names: x\n");
  });
});

describe('grad --expect: the points and the hints', () => {
  test('every bound name moves, whatever it is called: a number written in for S is wrong', () => {
    // ∂(S²)/∂S = 2S is 4 at S = 2 only
    expect(checks(['grad', 'S**2', 'S=2', '--expect', 'S=4 + 0*S']).checks[0]).toMatchObject({ match: false, hint: ONLY_AT_GIVEN });
  });
  test('class indices stay: all 9 points are valid', () => {
    expect(checks(['grad', 'F.cross_entropy(z, t)', 'z=1,2,3', 't=2', '--expect', 'z=softmax(z, dim=0) - torch.eye(3)[t]']).checks[0]).toMatchObject({ match: true, points: 9 });
  });
  test('a Hessian that is not symmetric is told so, as a formula or as numbers', () => {
    // x³ − xy: the Hessian is [[6x, −1], [−1, 0]]
    const f = ['grad', 'x**3 - x*y', 'x=1', 'y=2', '--hessian'];
    expect(checks([...f, '--expect', 'torch.tensor([[6*x, -1.0], [0.0, 0.0]])']).checks[0]).toMatchObject({ match: false, hint: symmetric('-1', '0') });
    expect(checks([...f, '--expect', '6 -1; 0 0']).checks[0]).toMatchObject({ match: false, hint: symmetric('-1', '0') });
  });
  test('a Jacobian that is not symmetric is no Hessian: no such hint', () => {
    const f = ['grad', 'W @ x', 'W=1 2; 3 4', 'x=1,1', '-j'];
    expect(checks([...f, '--expect', 'x=torch.tensor([[1.0, 2.0], [3.0, 5.0]])']).checks[0]).toMatchObject({ match: false, hint: null });
    expect(checks([...f, '--expect', 'x=1 2; 3 5']).checks[0]).toMatchObject({ match: false, hint: null });
  });
});

/**
 * A passing report with --step 0.5 where every central difference is exact: its heading, the worst
 * entries (all errors 0: the last entry), each estimate as "entry: analytic, numerical" and the verdict.
 */
function exactReport(heading: string, estimates: [entry: string, value: number][]): string[] {
  const last = estimates[estimates.length - 1][0];
  const check = heading.startsWith('gradgradcheck') ? 'gradgradcheck' : 'gradcheck';
  return [
    heading,
    `  largest absolute error 0 at ${last}`,
    `  largest relative error 0 at ${last}`,
    '  entry: analytic, numerical estimate',
    ...estimates.map(([entry, v]) => `    ${entry}: ${v}, ${v}`),
    `✓ within PyTorch ${check}'s tolerances (atol 1e-5, rtol 1e-3)`,
  ];
}

describe('--gradcheck reports: what is compared with what, each entry named', () => {
  test.each<[string, string[], string, [string, number][]]>([
    [
      // mse at target 0: L = (x0² + x1²)/2, ∂L/∂x = x
      "a loss: ∂loss/∂x[j]",
      ['mse', '1', '2', '--target', '0,0'],
      'gradcheck: 2 Jacobian entries against central differences (step 0.5)',
      [['∂loss/∂x[0]', 1], ['∂loss/∂x[1]', 2]],
    ],
    [
      // relu at 2: f' = 1, every higher derivative 0, and so are their differences
      "--order 2: f'' against differences of f'",
      ['relu', '2', '--grad', '--order', '2'],
      'gradgradcheck: 1 second derivative entry against central differences of the exact first derivative (step 0.5)',
      [["∂f'[0]/∂x[0]", 0]],
    ],
    [
      '--order 3: f^(3) against differences of f^(2)',
      ['relu', '2', '--grad', '--order', '3'],
      'gradgradcheck: 1 derivative of order 3 entry against central differences of the exact derivative of order 2 (step 0.5)',
      [['∂f^(2)[0]/∂x[0]', 0]],
    ],
    [
      // the same mse: its Hessian is the identity
      "a function's --hessian: (∂s/∂x[i])/∂x[j] against differences of the exact gradient",
      ['mse', '1', '2', '--target', '0,0', '--hessian'],
      'gradgradcheck: 4 Hessian entries against central differences of the exact gradient (step 0.5)',
      [['∂(∂s/∂x[0])/∂x[0]', 1], ['∂(∂s/∂x[1])/∂x[0]', 0], ['∂(∂s/∂x[0])/∂x[1]', 0], ['∂(∂s/∂x[1])/∂x[1]', 1]],
    ],
    ['grad with an output of shape [1]: f[0]', ['grad', 'x[0:1]*2', 'x=1,2', '-j'], 'gradcheck with respect to x: 2 Jacobian entries against central differences (step 0.5)', [['∂f[0]/∂x[0]', 2], ['∂f[0]/∂x[1]', 0]]],
    ['grad with a scalar output: f', ['grad', 'x[0]*2', 'x=1,2'], 'gradcheck with respect to x: 2 Jacobian entries against central differences (step 0.5)', [['∂f/∂x[0]', 2], ['∂f/∂x[1]', 0]]],
    [
      // f = w·(x0² + x1²) at x = (1, 2), w = 3: the Hessian over (w, x0, x1) is
      // [[0, 2x0, 2x1], [2x0, 2w, 0], [2x1, 0, 2w]]; the gradient is quadratic in each variable
      'grad --hessian over --wrt names of different sizes, in another order than bound: (∂f/∂v_i)/∂v_j',
      ['grad', 'w*(x**2).sum()', 'x=1,2', 'w=3', '--hessian', '--wrt', 'w,x'],
      'gradgradcheck with respect to w, x: 9 Hessian entries against central differences of the exact gradient (step 0.5)',
      [
        ['∂(∂f/∂w)/∂w', 0], ['∂(∂f/∂x[0])/∂w', 2], ['∂(∂f/∂x[1])/∂w', 4],
        ['∂(∂f/∂w)/∂x[0]', 2], ['∂(∂f/∂x[0])/∂x[0]', 6], ['∂(∂f/∂x[1])/∂x[0]', 0],
        ['∂(∂f/∂w)/∂x[1]', 4], ['∂(∂f/∂x[0])/∂x[1]', 0], ['∂(∂f/∂x[1])/∂x[1]', 6],
      ],
    ],
  ])('%s', (_name, argv, heading, estimates) => {
    const out = lines([...argv, '--gradcheck', '--step', '0.5']);
    expect(out.slice(out.indexOf(heading))).toEqual(exactReport(heading, estimates));
  });
});
