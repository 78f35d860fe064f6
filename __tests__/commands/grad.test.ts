/**
 * computeGrad, the core of `actgrad grad`: which names get a gradient, y.backward(gradient),
 * Jacobians, Hessians and Hessian-vector products, --no-grad, --wrt, the names PyTorch cannot
 * differentiate, and the repros of issues 11 and 13 (expected values from PyTorch's formulas).
 */
import { computeGrad } from '../../src/commands/grad';
import { UsageError } from '../../src/errors';
import { errorOf, grad, gradOf, near, tensorOf, valueOf } from '../expr/helpers';

describe('which names get a gradient', () => {
  test('every bound name, in binding order; an unused one gets zeros (its derivative is 0)', () => {
    const r = grad('x * w', { x: 2, w: 3, unused: [1, 2] });
    expect(r.wrt).toEqual(['x', 'w', 'unused']);
    expect(r.grads!.map(([n]) => n)).toEqual(['x', 'w', 'unused']);
    expect(gradOf(r, 'unused')).toEqual([0, 0]);
  });

  test('--wrt chooses and orders them', () => {
    const r = grad('x * w', { x: 2, w: 3 }, { wrt: ['w', 'x'] });
    expect(r.grads).toEqual([
      ['w', tensorOf(2)],
      ['x', tensorOf(3)],
    ]);
  });

  test('--wrt naming an unbound name is an error with a suggestion among the bound names', () => {
    expect(errorOf('x * weight', { x: 2, weight: 3 }, { wrt: ['wieght'] }).message).toBe(
      '--wrt wieght: no such bound name (did you mean weight?); bound: x, weight',
    );
    expect(errorOf('x', { x: 2 }, { wrt: [] }).message).toMatch(/--wrt names no binding/);
    expect(errorOf('x', { x: 2 }, { wrt: ['x', 'x'] }).message).toMatch(/--wrt names x twice/);
  });

  test('a name PyTorch cannot differentiate is left out and listed with the reason', () => {
    const r = grad('cross_entropy(Z, y)', { Z: [[1, 2, 3], [0, 1, 0]], y: [0, 2] });
    expect(r.wrt).toEqual(['Z']);
    expect(r.grads!.map(([n]) => n)).toEqual(['Z']);
    expect(r.noGradient).toEqual([['y', 'passed to cross_entropy as its target: class indices have no gradient in PyTorch']]);
  });

  test('--wrt naming it is an error that says why (issue 11, item 3: never a silent zero)', () => {
    const e = errorOf('cross_entropy(Z, y)', { Z: [[1, 2, 3], [0, 1, 0]], y: [0, 2] }, { wrt: ['y'] });
    expect(e.name).toBe('UsageError');
    expect(e.message).toBe('--wrt y: y is passed to cross_entropy as its target: class indices have no gradient in PyTorch');
  });

  test('a name passed where PyTorch refuses a gradient gets none, even if it is used elsewhere too', () => {
    // In PyTorch class indices are an integer tensor, which cannot require a gradient at all;
    // a gradient of y.sum() alone would be a number PyTorch never produces.
    expect(() => grad('cross_entropy(Z, y) + y.sum()', { Z: [[1, 2, 3], [0, 1, 0]], y: [0, 2] }, { wrt: ['y'] })).toThrow(
      '--wrt y: y is passed to cross_entropy as its target: class indices have no gradient',
    );
    const r = grad('cross_entropy(Z, y) + y.sum()', { Z: [[1, 2, 3], [0, 1, 0]], y: [0, 2] });
    expect(r.wrt).toEqual(['Z']);
    expect(r.noGradient!.map(([n]) => n)).toEqual(['y']);
  });
  test('a name used as a constant (.detach(), an index) keeps the gradient of its other uses, as in PyTorch', () => {
    const r = grad('x.detach().sum() * x.sum()', { x: [1, 2] });
    expect(gradOf(r, 'x')).toEqual([3, 3]);
    expect(r.noGradient).toBeUndefined();
  });

  test('running statistics have none, and an index bound as a float is read as an integer', () => {
    const r = grad('F.batch_norm(X, m, v).sum() + x[i]', { X: [[1, 2], [3, 5]], m: [0, 1], v: [1, 2], x: [5, 6], i: 1 });
    expect(r.wrt).toEqual(['X', 'x']);
    expect(r.noGradient!.map(([n]) => n)).toEqual(['m', 'v', 'i']);
    expect(gradOf(r, 'x')).toEqual([0, 1]);
  });
});

describe('a result that is not a single number', () => {
  const at = { x: [1, 2, 3] };

  test('without --grad-output, --jacobian or --no-grad: the error that says what to do', () => {
    const e = errorOf('x * 2', at);
    expect(e.name).toBe('UsageError');
    expect(e.message).toBe(
      "the expression's value has shape [3], not a single number, so it has no gradient: reduce it with sum(...) or mean(...), " +
        'index it with [i], or ask for --jacobian, --grad-output or --no-grad (PyTorch: "grad can be implicitly created only for scalar outputs")',
    );
  });

  test('--no-grad gives the value alone', () => {
    const r = grad('x * 2', at, { noGrad: true });
    expect(valueOf(r)).toEqual([2, 4, 6]);
    expect(r.grads).toBeUndefined();
    expect(() => grad('x * 2', at, { noGrad: true, jacobian: true })).toThrow(/--no-grad asks for the value alone/);
  });

  test('--grad-output gives y.backward(gradient)', () => {
    const r = grad('x ** 2', at, { gradOutput: tensorOf([1, 0, -1]) });
    expect(gradOf(r, 'x')).toEqual([2, 0, -6]);
    expect(Array.from(r.gradOutput!.data)).toEqual([1, 0, -1]);
  });

  test('--grad-output must have the shape of the value: the same count in another shape is refused, as PyTorch', () => {
    const X = { X: [[1, 2, 3], [4, 5, 6]] };
    expect(errorOf('X * 2', X, { gradOutput: tensorOf([[1, 2], [3, 4], [5, 6]]) }).message).toMatch(
      /--grad-output has shape \[3, 2\], but the value has shape \[2, 3\]/,
    );
    expect(errorOf('x * 2', at, { gradOutput: tensorOf([1, 2]) }).message).toMatch(/--grad-output has shape \[2\]/);
    // A row written for a vector is the same thing.
    expect(gradOf(grad('x * 2', at, { gradOutput: tensorOf([[1, 1, 1]]) }), 'x')).toEqual([2, 2, 2]);
  });

  test('--jacobian: the value\'s shape + the name\'s shape', () => {
    const r = grad('W @ x', { W: [[1, 2], [3, 4], [5, 6]], x: [1, -1] }, { jacobian: true });
    const [[nW, JW], [nx, Jx]] = r.jacobians!;
    expect([nW, JW.shape, nx, Jx.shape]).toEqual(['W', [3, 3, 2], 'x', [3, 2]]);
    expect(Array.from(Jx.data)).toEqual([1, 2, 3, 4, 5, 6]);
    // ∂(Wx)_i/∂W_jk = δ_ij x_k
    expect(Array.from(JW.data.subarray(0, 6))).toEqual([1, -1, 0, 0, 0, 0]);
  });

  test('--jacobian of a scalar is the gradient', () => {
    const r = grad('(x ** 2).sum()', at, { jacobian: true });
    expect(Array.from(r.jacobians![0][1].data)).toEqual([2, 4, 6]);
    expect(r.jacobians![0][1].shape).toEqual([3]);
  });
});

describe('second order', () => {
  test('the Hessian over the flattened, concatenated names, labelled w[0], W[0, 1], b', () => {
    const r = grad('(W @ x).pow(2).sum() * b', { W: [[1, 2]], x: [1, -1], b: 2 }, { hessian: true, wrt: ['x', 'b'] });
    expect(r.hessian!.wrt).toEqual(['x', 'b']);
    expect(r.hessian!.variables).toEqual(['x[0]', 'x[1]', 'b']);
    // f = b (x0 + 2 x1)²: ∂²f/∂x² = 2b [1 2; 2 4], ∂²f/∂x∂b = 2 (x0 + 2 x1) [1, 2] = [-2, -4], ∂²f/∂b² = 0
    expect(Array.from(r.hessian!.matrix.data)).toEqual(near([4, 8, -2, 8, 16, -4, -2, -4, 0]));
    expect(grad('W.sum()', { W: [[1, 2], [3, 4]] }, { hessian: true }).hessian!.variables).toEqual(['W[0, 0]', 'W[0, 1]', 'W[1, 0]', 'W[1, 1]']);
  });

  test('the Hessian of cross-entropy over the logits is diag(p) - p pᵀ', () => {
    const z = [0.5, -1, 2];
    const e = z.map(Math.exp);
    const p = e.map((v) => v / e.reduce((a, b) => a + b));
    const H = Array.from(grad('cross_entropy(z, 1)', { z }, { hessian: true }).hessian!.matrix.data);
    const expected = p.flatMap((pi, i) => p.map((pj, j) => (i === j ? pi : 0) - pi * pj));
    H.forEach((h, k) => expect(h).toBeCloseTo(expected[k], 15));
  });

  test('σ\'\'(x) = σ\'(x)(1 - 2σ(x)) through the Hessian of sigmoid(x)', () => {
    const s = 1 / (1 + Math.exp(-0.7));
    expect(grad('torch.sigmoid(x)', { x: 0.7 }, { hessian: true }).hessian!.matrix.data[0]).toBeCloseTo(s * (1 - s) * (1 - 2 * s), 15);
  });

  test('--hvp: the Hessian times a vector flattened over the wrt names', () => {
    const r = grad('(x ** 3).sum() + x[0] * y', { x: [1, 2], y: 3 }, { hvp: tensorOf([1, 0, 1]) });
    // H = [[6x0, 0, 1], [0, 6x1, 0], [1, 0, 0]] at x = (1, 2): H·(1, 0, 1) = (7, 0, 1)
    expect(Array.from(r.hvp!.data)).toEqual([7, 0, 1]);
    expect(errorOf('x.sum()', { x: [1, 2] }, { hvp: tensorOf([1]) }).message).toMatch(/--hvp has 1 number, but needs 2/);
  });

  test('with --grad-output, the Hessian is that of Σ grad_output ⊙ y', () => {
    const r = grad('x ** 3', { x: [1, 2] }, { hessian: true, gradOutput: tensorOf([1, -1]) });
    expect(Array.from(r.hessian!.matrix.data)).toEqual(near([6, 0, 0, -12]));
  });

  test('a non-scalar result has no Hessian without --grad-output', () => {
    expect(errorOf('x * 2', { x: [1, 2] }, { hessian: true }).message).toMatch(/not a single number/);
  });
});

describe('the repros of issue 11', () => {
  test('bce(sigmoid(z), y) at z = 40: 0, as PyTorch (σ rounds to 1, and its backward uses y(1 - y))', () => {
    const r = grad('bce(sigmoid(z), y)', { z: [40, -3], y: [0, 1] }, { wrt: ['z'] });
    expect((gradOf(r, 'z') as number[])[0]).toBe(0);
  });

  test('sum(tanh(x))*1e16 at x = 19: 0, as PyTorch (tanh\'s backward is 1 - y²)', () => {
    expect(gradOf(grad('sum(tanh(x))*1e16', { x: 19 }), 'x')).toBe(0);
  });

  test('x^y at x = 1, y = inf: value 1 (C\'s pow), ∂x = inf, ∂y = 0', () => {
    const r = grad('x^y', { x: 1, y: Infinity });
    expect(valueOf(r)).toBe(1);
    expect(gradOf(r, 'x')).toBe(Infinity);
    expect(gradOf(r, 'y')).toBe(0);
  });

  test('prelu\'s weight gets its gradient (PyTorch: -2)', () => {
    expect(gradOf(grad('prelu(x, weight=a).sum()', { x: [-2, 3], a: 0.25 }, { wrt: ['a'] }), 'a')).toBe(-2);
  });

  test('cross_entropy\'s probability target gets its gradient', () => {
    const t = gradOf(grad('cross_entropy(z, t)', { z: [0.5, -1, 2], t: [0.3, 0.3, 0.4] }), 't') as number[];
    // ∂/∂t_c of -Σ t_c log_softmax(z)_c = -log_softmax(z)_c
    [1.7413112966571571, 3.241311296657157, 0.24131129665715703].forEach((v, i) => expect(t[i]).toBeCloseTo(v, 14));
  });

  test('errors inside a formula speak of the call\'s arguments, not of command-line flags', () => {
    expect(errorOf('mse(z, y)', { z: [1, 2, 3], y: [1, 2] }).message).toBe('mse(z, y): target y has 2 numbers, input z has 3');
  });

  test('relu(x)*y at x = -1, y = inf: 0 (relu\'s backward selects)', () => {
    expect(gradOf(grad('relu(x)*y', { x: -1, y: Infinity }, { wrt: ['x'] }), 'x')).toBe(0);
  });
});

describe('bindings', () => {
  test('a name bound twice, a keyword, or a name that is not one are errors', () => {
    expect(() => computeGrad({ expression: 'x', bindings: [['x', tensorOf(1)], ['x', tensorOf(2)]] })).toThrow('x is bound twice');
    expect(() => computeGrad({ expression: 'x', bindings: [['None', tensorOf(1)]] })).toThrow(/Python keyword/);
    expect(() => computeGrad({ expression: 'x', bindings: [['2x', tensorOf(1)]] })).toThrow(UsageError);
  });

  test('the result carries the expression, the bindings as given, and kind grad', () => {
    const r = grad('x + 1', { x: 2 });
    expect(r.kind).toBe('grad');
    expect(r.expression).toBe('x + 1');
    expect(r.at).toEqual([['x', tensorOf(2)]]);
  });
});

describe('limits: deep formulas run without a stack overflow, huge ones are refused', () => {
  test('a 100,000-term + chain evaluates and differentiates', () => {
    const expression = Array.from({ length: 100_000 }, () => 'x').join(' + ');
    const r = grad(expression, { x: 2 });
    expect(valueOf(r)).toBe(200_000);
    expect(gradOf(r, 'x')).toBe(100_000);
  });

  test('a chain of 20,000 method calls and of 20,000 unary minus signs', () => {
    expect(valueOf(grad(`x${'.neg()'.repeat(20_000)}`, { x: 2 }))).toBe(2);
    expect(valueOf(grad(`${'-'.repeat(20_001)}x`, { x: 2 }))).toBe(-2);
  });

  test('lists nested through statements (a = [a]) are bounded like brackets', () => {
    const e = errorOf(`a = [x]\n${'a = [a]\n'.repeat(20_000)}a == a`, { x: 1 });
    expect(e.message).toBe('lists and tuples nest more than 200 deep here');
  });

  test('10,000 nested parentheses are refused by the parser with a one-line error', () => {
    const e = errorOf(`${'('.repeat(10_000)}x${')'.repeat(10_000)}`, { x: 1 });
    expect(e.name).toBe('UsageError');
    expect(e.message).toMatch(/nested more than 200 deep/);
  });
});
