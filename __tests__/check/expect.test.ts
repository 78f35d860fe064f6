/**
 * --expect: written-precision tolerance, verdicts in every format, exit codes, and each mistake
 * hint with a case that produces it and a case where it must not be given.
 */
import { findHint, writtenAllowance, type Verdict } from '../../src/check/expect';
import { actgrad } from '../helpers/run';

interface CheckJson {
  match: boolean;
  checks: { quantity: string; match: boolean; hint: string | null; numbers: { expected: number; actual: number; match: boolean; tolerance: number }[] }[];
}
const check = (argv: string[]): { code: number; json: CheckJson } => {
  const r = actgrad([...argv, '--json']);
  return { code: r.code, json: JSON.parse(r.stdout) };
};
const hintOf = (argv: string[]): string | null => check(argv).json.checks[0].hint;

describe('tolerance from written precision', () => {
  test.each([
    ['0.659', 0.0005],
    ['0.66', 0.005],
    ['2', 0.5],
    ['1.5e-3', 0.00005],
    ['-0.0650', 0.00005],
    ['100', 0.5],
    ['3.', 0.5],
    ['inf', 0],
  ])('%s → ±%p', (text, allowance) => expect(writtenAllowance(text)).toBeCloseTo(allowance, 15));

  test('0.659 and 0.66 both match 0.6590011…; 0.65 does not', () => {
    expect(actgrad(['softmax', '2', '1', '0.1', '--expect', '0.659,0.242,0.0986']).code).toBe(0);
    expect(actgrad(['softmax', '2', '1', '0.1', '--expect', '0.66,0.24,0.099']).code).toBe(0);
    expect(actgrad(['softmax', '2', '1', '0.1', '--expect', '0.65,0.24,0.099']).code).toBe(1);
  });
  test('--rtol / --atol replace the rule', () => {
    expect(actgrad(['softmax', '2', '1', '0.1', '--expect', '0.66,0.24,0.1', '--rtol', '0.05']).code).toBe(0);
    expect(actgrad(['softmax', '2', '1', '0.1', '--expect', '0.659,0.242,0.0986', '--atol', '1e-6']).code).toBe(1);
    expect(actgrad(['relu', '1', '--rtol', '0.1']).stderr).toContain('--rtol and --atol set the tolerance of --expect');
  });
  test('a count mismatch is exit 2 with both counts', () => {
    const r = actgrad(['softmax', '2', '1', '0.1', '--expect', '1,2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('actgrad: error: --expect has 2 numbers, the value has 3\n');
  });
  test('the last requested quantity is compared: jacobian, else grad, else value', () => {
    expect(check(['softmax', '2', '1', '0.1', '-g', '-j', '--expect', '0.2247 -0.1598 -0.0650; -0.1598 0.1837 -0.0239; -0.0650 -0.0239 0.0889']).json.checks[0].quantity).toBe('jacobian');
    expect(check(['relu', '2', '-g', '--expect', '1']).json.checks[0].quantity).toBe('grad');
    expect(check(['relu', '2', '--expect', '2']).json.checks[0].quantity).toBe('value');
  });
});

describe('verdict formats', () => {
  test('json: per number and overall match', () => {
    const { code, json } = check(['mse', '1', '2', '--target', '0,0', '--grad', '--expect', '1,2']);
    expect(code).toBe(0);
    expect(json.match).toBe(true);
    expect(json.checks[0].numbers).toEqual([
      { index: [0], expected: 1, written: '1', actual: 1, difference: 0, tolerance: 0.5, match: true },
      { index: [1], expected: 2, written: '2', actual: 2, difference: 0, tolerance: 0.5, match: true },
    ]);
  });
  test('table: expected, actual, difference, ✓/✗, and a summary line', () => {
    const r = actgrad(['mse', '1', '2', '--target', '0,0', '--grad', '--expect', '1,3', '--format', 'table']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/expected.*actual.*difference/);
    expect(r.stdout).toContain('✓');
    expect(r.stdout).toContain('✗');
    expect(r.stdout).toContain('✗ 1 of 2 numbers does not match');
  });
  test('plain: one line per number, then the summary', () => {
    expect(actgrad(['relu', '2', '--expect', '2']).stdout).toBe('0 2 2 0 ok\n✓ the number matches (each within half a unit of its last written digit)\n');
  });
});

describe('mistake hints: given when one transformation explains the numbers, not otherwise', () => {
  const mse = ['mse', '1', '2', '3', '--target', '0,0,0', '--grad'];
  test('sign flipped', () => {
    expect(hintOf([...mse, '--expect', '-0.667,-1.33,-2'])).toContain('the sign is flipped');
    expect(hintOf([...mse, '--expect', '-0.667,1.33,2'])).toBeNull();
  });
  test('factor 2 and 1/2', () => {
    expect(hintOf([...mse, '--expect', '1.33,2.67,4'])).toContain('twice the right one');
    expect(hintOf([...mse, '--expect', '0.333,0.667,1'])).toContain('half the right one');
    expect(hintOf([...mse, '--expect', '1.33,2.67,5'])).toBeNull();
  });
  test('mean vs sum reduction, naming N', () => {
    expect(hintOf([...mse, '--expect', '2,4,6'])).toContain('--reduction sum: the losses were added, not averaged over N = 3');
    expect(hintOf(['mse', '1', '2', '3', '--target', '0,0,0', '--reduction', 'sum', '--expect', '4.67'])).toContain('--reduction mean: the sum divided by N = 3');
    expect(hintOf([...mse, '--expect', '2,4,7'])).toBeNull();
    // The whole sentence, with N the ratio of the two reductions.
    expect(hintOf(['mse', '1', '2', '--target', '0,0', '--expect', '5'])).toBe('the numbers match --reduction sum: the losses were added, not averaged over N = 2 (the reduction here is mean)');
    expect(hintOf(['mse', '1', '2', '--target', '0,0', '--reduction', 'sum', '--expect', '2.5'])).toBe('the numbers match --reduction mean: the sum divided by N = 2 (the reduction here is sum)');
    // Without a reduction (none) or with kl-div's batchmean there is no other reduction to name.
    expect(hintOf(['mse', '1', '2', '--target', '0,0', '--reduction', 'none', '--expect', '2,8'])).not.toContain('--reduction');
    expect(hintOf(['kl-div', '-1', '-2', '--target', '0.5,0.5', '--reduction', 'batchmean', '--expect', '0.807']) ?? '').not.toContain('--reduction');
  });
  test('a formula answer is worded as a formula', () => {
    expect(hintOf(['sigmoid', '1', '2', '--expect', 'sigmoid(x)*(1-sigmoid(x))'])).toBe('the formula gives the derivative, not the value (add --grad to check a derivative)');
    expect(hintOf(['sigmoid', '1', '2', '--expect', '0.19661193324148185,0.10499358540350662'])).toBe('the numbers are the derivative, not the value (add --grad to check a derivative)');
  });
  test('factor N for a function that is not a loss', () => {
    expect(hintOf(['relu', '1', '2', '3', '--expect', '3,6,9'])).toContain('N = 3 times');
    expect(hintOf(['relu', '1', '2', '3', '--expect', '3,6,8'])).toBeNull();
  });
  test('transposed Jacobian', () => {
    // log-softmax's Jacobian δ_ij − softmax_j is not symmetric
    const right = '0.3410 -0.2424 -0.0986; -0.6590 0.7576 -0.0986; -0.6590 -0.2424 0.9014';
    const transposed = '0.3410 -0.6590 -0.6590; -0.2424 0.7576 -0.2424; -0.0986 -0.0986 0.9014';
    expect(check(['log-softmax', '2', '1', '0.1', '-j', '--expect', right]).code).toBe(0);
    expect(hintOf(['log-softmax', '2', '1', '0.1', '-j', '--expect', transposed])).toContain('the Jacobian is transposed');
    expect(hintOf(['log-softmax', '2', '1', '0.1', '-j', '--expect', '0.3410 -0.6590 -0.6590; -0.2424 0.7576 -0.2424; -0.0986 -0.0986 0.5'])).toBeNull();
  });
  test('the value given where the derivative was asked, and the derivative where the value was', () => {
    expect(hintOf(['sigmoid', '0', '1', '--grad', '--expect', '0.5,0.731'])).toContain('the numbers are the values sigmoid(x), not the derivative');
    expect(hintOf(['sigmoid', '0', '1', '--expect', '0.25,0.197'])).toContain('the numbers are the derivative, not the value');
    expect(hintOf(['sigmoid', '0', '1', '--expect', '0.25,0.5'])).toBeNull();
  });
  test("σ'(x) written as x(1 − x), and tanh'(x) as 1 − x²", () => {
    expect(hintOf(['sigmoid', '0.5', '2', '--grad', '--expect', '0.25,-2'])).toContain("σ'(x) was computed as x(1 − x)");
    expect(hintOf(['sigmoid', '0.5', '2', '--grad', '--expect', '0.25,-1'])).toBeNull();
    expect(hintOf(['tanh', '0.5', '2', '--grad', '--expect', '0.75,-3'])).toContain("tanh'(x) was computed as 1 − x²");
    expect(hintOf(['tanh', '0.5', '2', '--grad', '--expect', '0.75,-2'])).toBeNull();
  });
  test('probabilities given where logits are expected', () => {
    expect(hintOf(['cross-entropy', '0.7', '0.2', '0.1', '--target', '0', '--expect', '0.357'])).toContain('cross-entropy takes logits');
    expect(hintOf(['cross-entropy', '0.7', '0.2', '0.1', '--target', '0', '--grad', '--expect', '-0.3,0.2,0.1'])).toContain('cross-entropy takes logits');
    expect(hintOf(['bce-with-logits', '0.8', '0.3', '--target', '1,0', '--grad', '--expect', '-0.1,0.15'])).toContain('bce-with-logits takes logits');
    expect(hintOf(['cross-entropy', '0.7', '0.2', '0.1', '--target', '0', '--expect', '0.5'])).toBeNull();
    // logits outside (0, 1] cannot be probabilities: no such hint
    expect(hintOf(['cross-entropy', '2', '1', '0.1', '--target', '0', '--expect', '0.9'])).toBeNull();
  });
  test('the sentences in full, as worded for numbers', () => {
    expect(hintOf(['multi-margin', '0.1', '0.2', '0.4', '--target', '2', '--expect', '1.5'])).toBe(
      "the numbers are C = 3 times actgrad's: PyTorch's multi_margin_loss divides each sample's sum of margins by the number of classes C; CS231n's SVM loss does not",
    );
    expect(hintOf(['cross-entropy', '0.7', '0.2', '0.1', '--target', '0', '--expect', '0.357'])).toBe(
      'the numbers treat the inputs as probabilities, but cross-entropy takes logits (it applies log_softmax itself); for probabilities use nll on their logs',
    );
    // the values given for a Jacobian or a Hessian (one input: each has one number, as the value)
    expect(hintOf(['sigmoid', '0.3', '--jacobian', '--expect', '0.5744'])).toBe('the numbers are the values sigmoid(x), not the Jacobian');
    expect(hintOf(['sigmoid', '0.3', '--hessian', '--expect', '0.5744'])).toBe('the numbers are the values sigmoid(x), not the Hessian');
    // the derivative given for a vector function's value (log-softmax's gradient with ones: 1 - 2 softmax)
    expect(hintOf(['log-softmax', '1', '2', '--expect', '0.4621,-0.4621'])).toBe('the numbers are the derivative, not the value (add --grad to check a derivative)');
  });
  test("kl-div's own reductions are named only from reduction='mean'", () => {
    // With --reduction sum, the mean (here also batchmean's sum / 2) is the other reduction to name, not batchmean.
    expect(hintOf(['kl-div', '-1', '-2', '--target', '0.5,0.5', '--reduction', 'sum', '--expect', '0.4034'])).toBe(
      'the numbers match --reduction mean: the sum divided by N = 2 (the reduction here is sum)',
    );
  });
  test('probabilities for logits: every input must be a probability, 1 included', () => {
    // cross-entropy of log(0.7, 2, 0.1) at class 0 is log 4 = 1.3863, but 2 is no probability
    expect(hintOf(['cross-entropy', '0.7', '2', '0.1', '--target', '0', '--expect', '1.3863'])).toBeNull();
    // cross-entropy of log(1, 0.5) at class 0 is log 1.5 = 0.4055
    expect(hintOf(['cross-entropy', '1', '0.5', '--target', '0', '--expect', '0.4055'])).toContain('cross-entropy takes logits');
  });
  test('a loss gets no factor-N hint (its N is the reduction), and a gradient no transposition hint', () => {
    // mse's gradients with reduction none are 2x = 2, 4, 6: three times them is no named mistake
    expect(hintOf(['mse', '1', '2', '3', '--target', '0,0,0', '--reduction', 'none', '--grad', '--expect', '6,12,18'])).toBeNull();
    // the gradient of a 2×2 input, transposed: only a Jacobian is said to be transposed
    expect(hintOf(['mse', '1 2; 3 4', '--target', '0 0; 0 0', '--reduction', 'sum', '--grad', '--expect', '2 6; 4 8'])).toBeNull();
  });
  test('rounded too coarsely', () => {
    expect(hintOf(['softmax', '2', '1', '0.1', '--expect', '0.65,0.24,0.09'])).toContain('rounded too coarsely or truncated: 0.65 should be 0.66');
    expect(hintOf(['softmax', '2', '1', '0.1', '--expect', '0.60,0.24,0.09'])).toBeNull();
    // An exact value written with its own digits cannot have been rounded: 4 given as 5 is wrong.
    expect(hintOf(['relu', '4', '--expect', '5'])).toBeNull();
    expect(hintOf(['relu', '4', '--expect', '3'])).toBeNull();
    // Rounded twice (0.00124951 → 0.00125 → 0.0013); in e-notation only the mantissa's digits are
    // significant: 1.3e-3 has two.
    expect(hintOf(['relu', '0.00124951', '--expect', '1.3e-3'])).toContain('1.3e-3 should be 0.0012 at that precision');
    // Neither truncation nor a second rounding gives these: no rounding hint.
    expect(hintOf(['relu', '0.0012345', '--expect', '1.3e-3'])).toBeNull();
    expect(hintOf(['relu', '0.235', '--expect', '0.3'])).toBeNull();
    expect(hintOf(['relu', '0.2449', '--expect', '0.25'])).toContain('0.25 should be 0.24');
  });
  test('no hint when the answer is right', () => {
    const v: Verdict = { quantity: 'value', match: true, rule: { kind: 'written' }, numbers: [] };
    expect(findHint(v, [])).toBeUndefined();
  });
});

describe('actgrad grad --expect', () => {
  const base = ['grad', 'mse(x*w + b, y)', 'x=1', 'w=2', 'b=0', 'y=1'];
  test('value=… and name=… per gradient, repeatable', () => {
    expect(actgrad([...base, '--expect', 'value=1', '--expect', 'w=2', '--expect', 'b=2']).code).toBe(0);
    const { code, json } = check([...base, '--expect', 'value=1', '--expect', 'w=3']);
    expect(code).toBe(1);
    expect(json.checks.map((c) => c.match)).toEqual([true, false]);
  });
  test('hints apply to gradients too', () => {
    expect(check([...base, '--expect', 'w=-2']).json.checks[0].hint).toContain('the sign is flipped');
    expect(check([...base, '--expect', 'w=1']).json.checks[0].hint).toContain('half the right one');
  });
  test('a bare list is the only gradient shown; otherwise say which', () => {
    expect(actgrad([...base, '--wrt', 'w', '--expect', '2']).code).toBe(0);
    expect(actgrad([...base, '--expect', '2']).stderr).toContain('say which quantity');
    expect(actgrad([...base, '--expect', 'z=2']).stderr).toContain('no such quantity; choose value, x, w, b, y');
  });
  test('Jacobians with -j', () => {
    expect(actgrad(['grad', 'W @ x', 'W=1 2; 3 4', 'x=1,1', '-j', '--expect', 'x=1 2; 3 4']).code).toBe(0);
  });
});
