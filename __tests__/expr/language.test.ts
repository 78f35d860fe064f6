/**
 * The expression language's semantics, case by case, with expected values from closed forms and
 * from Python and PyTorch's documented rules: precedence, plain Python numbers, tensors and
 * broadcasting, dtypes, literals, indexing, programs, names, the old syntax, reductions at ties.
 */
import { evaluateExpression } from '../../src/commands/grad';
import { ActgradError, ExpressionError } from '../../src/errors';
import { errorOf, grad, gradOf, near, tensorOf, valueOf } from './helpers';

const value = (expression: string, at: Record<string, unknown> = {}): number | number[] => valueOf(grad(expression, at, { noGrad: true }));
const shapeOf = (expression: string, at: Record<string, unknown> = {}): number[] => grad(expression, at, { noGrad: true }).value.shape;

describe("precedence and associativity are Python's", () => {
  test.each([
    ['-x**2', -9],
    ['-x^2', -9],
    ['2**-1', 0.5],
    ['2**3**2', 512],
    ['-2**2', -4],
    ['(-2)**2', 4],
    ['x - 1 - 1', 1],
    ['x / 3 * 2', 2],
    ['1 + 2 * x', 7],
    ['-x * 2', -6],
    ['x**2 / 3', 3],
    ['2 * x ** 2', 18],
    ['+x', 3],
    ['- - x', 3],
  ])('%s at x = 3 is %d', (expression, expected) => {
    expect(value(expression, { x: 3 })).toBeCloseTo(expected, 15);
  });

  test('comparisons bind more loosely than arithmetic and give a boolean (as a number)', () => {
    expect(value('x + 1 > 3', { x: 3 })).toBe(1);
    expect(value('(x > 1) * 5', { x: 3 })).toBe(5);
  });

  test('@ is left-associative, at the precedence of *', () => {
    const at = { x: [1, 2], W: [[1, 0], [2, 1]], v: [3, -1] };
    // (x @ W) @ v = [5, 2] @ [3, -1] = 13
    expect(value('x @ W @ v', at)).toBe(13);
    expect(value('2 * x @ v', at)).toBe(2);
  });
});

describe('plain Python numbers stay plain; tensors follow PyTorch', () => {
  test.each([
    ['2 ** 3', 8],
    ['7 // 2', 3],
    ['-7 // 2', -4],
    ['7 % -3', -2],
    ['-7 % 3', 2],
    ['7.5 // 2', 3],
    ['1 / 2', 0.5],
    ['True + True', 2],
    ['math.sqrt(2 * math.pi)', Math.sqrt(2 * Math.PI)],
    ['math.log(8, 2)', 3],
    ['math.floor(-1.5) + math.ceil(1.2)', 0],
    ['abs(-2) + max(1, 3)', 5],
    ['len([1, 2, 3])', 3],
    ['float("inf") > 1e308', 1],
    ['int(2.9) + int(-2.9)', 0],
    ['(1, 2) == (1, 2)', 1],
    ['1 < 2 < 3', 1],
    ['3 > 2 > 2', 0],
    ['not 0', 1],
    ['0 or 5', 5],
    ['2 and 0', 0],
    ['5 & 3 | 8', 9],
    ['~5', -6],
  ])('%s = %d', (expression, expected) => {
    expect(value(expression)).toBeCloseTo(expected, 14);
  });

  test('a plain number result has zero gradients for every bound name', () => {
    const r = grad('2 + 3', { x: [1, 2] });
    expect(valueOf(r)).toBe(5);
    expect(gradOf(r, 'x')).toEqual([0, 0]);
  });

  test('Python arithmetic errors are errors, not IEEE results', () => {
    expect(errorOf('1 / 0').message).toMatch(/division by zero .*ZeroDivisionError/);
    expect(value('x / 0', { x: 1 })).toBe(Infinity); // a tensor divides as IEEE does
    expect(errorOf('(-8) ** (1/3)').message).toMatch(/complex number/);
    expect(errorOf('10.0 ** 400').message).toMatch(/overflows/);
    expect(errorOf('math.sqrt(-1)').message).toMatch(/math\.sqrt\(-1\) has no finite value/);
    expect(errorOf('math.exp(x)', { x: 1 }).message).toMatch(/takes a plain number.*use torch\.exp/);
  });

  test('floor division of tensors has no gradient; remainder passes 1 to its left operand', () => {
    const r = grad('(x // 2).sum() + (x % 2).sum()', { x: [3.5, -2.5] });
    expect(valueOf(r)).toBe(1 + -2 + 1.5 + 1.5);
    expect(gradOf(r, 'x')).toEqual([1, 1]);
  });

  test('/ is true division even for integer tensors', () => {
    expect(value('torch.tensor([1, 2]) / 2')).toEqual([0.5, 1]);
    expect(value('torch.tensor([7, -7]) // 2')).toEqual([3, -4]);
  });
});

describe('broadcasting', () => {
  test('a column and a row broadcast to a matrix; the gradient sums back', () => {
    const r = grad('(c + r).sum()', { c: [[1], [2]], r: [10, 20, 30] });
    expect(r.value.data[0]).toBe(3 * 3 + 2 * 60);
    expect(gradOf(r, 'c')).toEqual([3, 3]);
    expect(gradOf(r, 'r')).toEqual([2, 2, 2]);
    expect(shapeOf('c + r', { c: [[1], [2]], r: [10, 20, 30] })).toEqual([2, 3]);
  });

  test('shapes that do not broadcast are an error naming the operator and both shapes, at the operator', () => {
    const e = errorOf('a + b', { a: [1, 2], b: [1, 2, 3] });
    expect(e.message).toMatch(/"\+" needs shapes that broadcast.*\[2\] and \[3\]/);
    expect(e.pos).toBe(2);
  });
});

describe('literals and constructors', () => {
  test.each<[string, number[], number[]]>([
    ['torch.tensor([[1, 2], [3, 4]])', [2, 2], [1, 2, 3, 4]],
    ['torch.tensor(2.5)', [], [2.5]],
    ['torch.tensor([True, False])', [2], [1, 0]],
    ['torch.ones(2, 3)', [2, 3], [1, 1, 1, 1, 1, 1]],
    ['torch.ones((2,))', [2], [1, 1]],
    ['torch.zeros(3)', [3], [0, 0, 0]],
    ['torch.eye(2)', [2, 2], [1, 0, 0, 1]],
    ['torch.eye(2, 3)', [2, 3], [1, 0, 0, 0, 1, 0]],
    ['torch.full((2,), 7)', [2], [7, 7]],
    ['torch.arange(3)', [3], [0, 1, 2]],
    ['torch.arange(1, 2, 0.25)', [4], [1, 1.25, 1.5, 1.75]],
    ['torch.linspace(0, 1, 5)', [5], [0, 0.25, 0.5, 0.75, 1]],
    ['torch.diag(torch.tensor([1.0, 2.0]))', [2, 2], [1, 0, 0, 2]],
    ['torch.tensor([1, 2]).long() * 3', [2], [3, 6]],
    ['torch.tensor([[1.5, -2.5]]).long()', [1, 2], [1, -2]],
    ['F.one_hot(torch.tensor([2, 0]), 3)', [2, 3], [0, 0, 1, 1, 0, 0]],
  ])('%s', (expression, shape, data) => {
    const r = grad(expression, {}, { noGrad: true });
    expect(r.value.shape).toEqual(shape);
    expect(Array.from(r.value.data)).toEqual(data);
  });

  test('Python lists are tensors where a tensor is expected, and shapes where a shape is', () => {
    const r = grad('(x * [1, 2]).sum() + torch.dot(x, [3, 4]) + x.reshape([2, 1]).sum()', { x: [1, 1] });
    expect(valueOf(r)).toBe(3 + 7 + 2);
    expect(gradOf(r, 'x')).toEqual([5, 7]);
  });

  test('a ragged list is an error in PyTorch\'s words', () => {
    expect(errorOf('torch.tensor([[1, 2], [3]])').message).toMatch(/expected a sequence of length 2 at dim 1 \(got 1\)/);
  });

  test('float32 would round: refused with the fix', () => {
    expect(errorOf('x.float()', { x: 1 }).message).toMatch(/float32.*remove \.float\(\)/);
    expect(errorOf('torch.ones(2, dtype=torch.float32)').message).toMatch(/float64 only/);
    expect(value('torch.ones(2, dtype=torch.float64).sum()')).toBe(2);
  });

  test('literals larger than the limit are refused before they are allocated', () => {
    expect(errorOf('torch.ones(100000, 100000)').message).toMatch(/would have 10000000000 elements/);
  });
});

describe('indexing and slicing (PyTorch and NumPy rules)', () => {
  const x = { x: [10, 20, 30, 40] };
  const X = { X: [[1, 2, 3], [4, 5, 6]] };
  test.each<[string, Record<string, unknown>, number[], number[]]>([
    ['x[1:3]', x, [2], [20, 30]],
    ['x[::2]', x, [2], [10, 30]],
    ['x[-1]', x, [], [40]],
    ['x[-3:-1]', x, [2], [20, 30]],
    ['x[5:]', x, [0], []],
    ['X[:, 0]', X, [2], [1, 4]],
    ['X[0, 1]', X, [], [2]],
    ['X[1]', X, [3], [4, 5, 6]],
    ['X[None, :]', X, [1, 2, 3], [1, 2, 3, 4, 5, 6]],
    ['X[..., -1]', X, [2], [3, 6]],
    ['X[:, None, 1]', X, [2, 1], [2, 5]],
    ['X[[1, 0]]', X, [2, 3], [4, 5, 6, 1, 2, 3]],
    ['X[[0, 1], [2, 0]]', X, [2], [3, 4]],
    ['X[X > 3]', X, [3], [4, 5, 6]],
    ['X[:, torch.tensor([True, False, True])]', X, [2, 2], [1, 3, 4, 6]],
    ['X[(1, 2)]', X, [], [6]],
    ['X[1, [0, 2]]', X, [2], [4, 6]],
  ])('%s', (expression, at, shape, data) => {
    const r = grad(expression, at, { noGrad: true });
    expect(r.value.shape).toEqual(shape);
    expect(Array.from(r.value.data)).toEqual(data);
  });

  test('advanced indices separated by a slice put their dimension first', () => {
    // A[0, :, [1, 0]] of a 2×3×2 tensor: 0 and [1, 0] are advanced, separated by ':', so shape [2, 3].
    const A = { A: [[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 10], [11, 12]]] };
    const r = grad('A[0, :, [1, 0]]', A, { noGrad: true });
    expect(r.value.shape).toEqual([2, 3]);
    expect(Array.from(r.value.data)).toEqual([2, 4, 6, 1, 3, 5]);
  });

  test('a repeated index adds its gradients', () => {
    expect(gradOf(grad('x[[0, 0, 2]].sum()', { x: [1, 2, 3] }), 'x')).toEqual([2, 0, 1]);
  });

  test('an index bound on the command line (float64) is read as an integer and gets no gradient', () => {
    const r = grad('x[i].sum()', { x: [1, 2, 3], i: [2, 2] });
    expect(valueOf(r)).toBe(6);
    expect(gradOf(r, 'x')).toEqual([0, 0, 2]);
    expect(r.noGradient).toEqual([['i', 'passed to x[i] as its index: indices have no gradient in PyTorch']]);
  });

  test('index errors in PyTorch\'s words', () => {
    expect(errorOf('x[3]', { x: [1, 2, 3] }).message).toBe('x[3]: index 3 is out of bounds for dimension 0 with size 3');
    expect(errorOf('x[0, 0]', { x: [1, 2, 3] }).message).toMatch(/too many indices for a tensor of dimension 1/);
    expect(errorOf('x[1.5]', { x: [1, 2, 3] }).message).toMatch(/only integers, slices .* \(got the float 1.5\)/);
    expect(errorOf('x[::-1]', { x: [1, 2, 3] }).message).toMatch(/step must be greater than zero.*torch\.flip/);
    expect(errorOf('x[..., ...]', { x: [1, 2, 3] }).message).toMatch(/single ellipsis/);
    expect(errorOf('x[m]', { x: [1, 2, 3], m: [0.5] }).message).toMatch(/whole numbers/);
  });

  test('tuples and lists index as Python: x.shape[0], a (values, indices) tuple', () => {
    expect(value('x.shape[0] + x.shape[-1]', { x: [[1, 2, 3]] })).toBe(4);
    expect(value('(1, 2, 3)[1:][0]')).toBe(2);
    expect(value('[4, 5, 6][::-1][0]')).toBe(6);
    expect(errorOf('(1, 2)[2]').message).toMatch(/tuple index 2 out of range/);
  });
});

describe('programs', () => {
  test('statements run in order; the last expression is the result; names can be reassigned', () => {
    const r = grad('a = x * 2; a = a + 1; b = a * a\nb - 1', { x: 1 });
    expect(valueOf(r)).toBe(8);
    expect(gradOf(r, 'x')).toBe(12);
  });

  test('a statement may rebind a bound name; the gradient is still for the bound value', () => {
    const r = grad('x = x * 3; x * x', { x: 2 });
    expect(valueOf(r)).toBe(36);
    expect(gradOf(r, 'x')).toBe(36);
  });

  test('statement names label the intermediates', () => {
    const r = grad('h = torch.relu(x); out = h * 2; out.sum()', { x: [1, -1] }, { steps: true });
    expect(r.steps!.forward.map((s) => s.node)).toEqual(['x', 'h', 'out', 't1']);
  });
});

describe('names are looked up in explicit maps', () => {
  test.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'])('%s is an unknown name', (name) => {
    const e = errorOf(`${name}(x)`, { x: 1 });
    expect(e.name).toBe('UsageError');
    expect(e.message).toMatch(new RegExp(`unknown name '${name.replace(/\$/g, '\\$')}'`));
  });

  test.each(['x.constructor', 'x.__proto__', 'torch.__proto__', 'torch.constructor', 'F.toString', 'math.constructor'])('%s is an unknown attribute', (expression) => {
    expect(() => grad(expression, { x: 1 })).toThrow(ExpressionError);
  });

  test('bindings shadow functions, and the message says so', () => {
    expect(errorOf('sum(x)', { sum: 1, x: 2 }).message).toMatch(/the name sum shadows the function sum/);
  });

  test('torch, F, nn.functional, torch.nn.functional and the bare name are the same function', () => {
    const at = { x: [-1, 2] };
    const expected = value('relu(x).sum()', at);
    for (const f of ['torch.relu', 'F.relu', 'nn.functional.relu', 'torch.nn.functional.relu']) expect(value(`${f}(x).sum()`, at)).toBe(expected);
    expect(value('x.relu().sum()', at)).toBe(expected);
  });

  test('nn module classes point to the function', () => {
    expect(errorOf('nn.ReLU()(x)', { x: 1 }).message).toMatch(/module class; call the function F\.relu/);
    expect(errorOf('nn.MSELoss()(x, x)', { x: 1 }).message).toMatch(/F\.mse/);
  });
});

describe("the old syntax still means what it meant", () => {
  test('x^2 is a power, v[i] an index, sum/mean/dot/norm of all elements', () => {
    const at = { x: [3, 4], w: [1, 2] };
    expect(value('x^2', at)).toEqual([9, 16]);
    expect(value('x[1]', at)).toBe(4);
    expect(value('sum(x) + mean(x) + dot(x, w) + norm(x)', at)).toBe(7 + 3.5 + 11 + 5);
    expect(value('exp(log(sqrt(abs(-x))))', at)).toEqual([Math.sqrt(3), 2]);
  });

  test('norm of a matrix is the norm of all its elements (as torch.norm), not per row', () => {
    expect(value('norm(X)', { X: [[3, 0], [0, 4]] })).toBe(5);
  });

  test('functions take their PyTorch keyword arguments', () => {
    expect(value("mse(p, y, reduction='sum')", { p: [1, 2], y: [0, 0] })).toBe(5);
    expect(value('softmax(a, dim=0)[0]', { a: [0, 0] })).toBe(0.5);
  });
});

describe('reductions, max and min, at ties as PyTorch', () => {
  test('torch.max(x) of all elements shares the gradient evenly among ties', () => {
    expect(gradOf(grad('torch.max(x)', { x: [1, 3, 3] }), 'x')).toEqual([0, 0.5, 0.5]);
    expect(gradOf(grad('x.min()', { x: [1, 1, 3] }), 'x')).toEqual([0.5, 0.5, 0]);
  });

  test('max along a dimension gives (values, indices); the gradient goes to the first maximum', () => {
    const r = grad('torch.max(X, dim=1).values.sum() + torch.max(X, 1)[1].sum()', { X: [[3, 3], [1, 2]] });
    expect(valueOf(r)).toBe(5 + 0 + 1);
    expect(gradOf(r, 'X')).toEqual([1, 0, 0, 1]);
  });

  test('amax shares the gradient evenly among ties; maximum gives each half at a tie', () => {
    expect(gradOf(grad('X.amax(dim=1).sum()', { X: [[3, 3], [1, 2]] }), 'X')).toEqual([0.5, 0.5, 0, 1]);
    const r = grad('torch.maximum(x, y).sum()', { x: [1, 2], y: [1, 0] });
    expect(gradOf(r, 'x')).toEqual([0.5, 1]);
    expect(gradOf(r, 'y')).toEqual([0.5, 0]);
  });

  test('the binary form torch.max(a, b) is maximum', () => {
    expect(value('torch.max(x, y)', { x: [1, 5], y: [2, 3] })).toEqual([2, 5]);
  });

  test('a (values, indices) tuple is not a tensor: the error says what to take', () => {
    expect(errorOf('torch.max(x, dim=0)', { x: [1, 2] }).message).toMatch(/the \(values, indices\) tuple that torch\.max returns.*\.values \(or \[0\]\)/);
    expect(errorOf('torch.max(x, 0) + 1', { x: [1, 2] }).message).toMatch(/take \.values/);
  });

  test('sum and mean with dim and keepdim', () => {
    const X = { X: [[1, 2, 3], [4, 5, 6]] };
    expect(value('X.sum(dim=0)', X)).toEqual([5, 7, 9]);
    expect(shapeOf('X.sum(1, keepdim=True)', X)).toEqual([2, 1]);
    expect(value('X.mean(dim=(0, 1))', X)).toBe(3.5);
    expect(value('X.sum(-1)', X)).toEqual([6, 15]);
    expect(errorOf('X.sum(dim=2)', X).message).toMatch(/dim=2 is out of range for a tensor of 2 dimensions/);
  });

  test('var and std: unbiased by default, unbiased=False, correction=', () => {
    const x = { x: [1, 2, 3, 4] };
    expect(value('x.var()', x)).toBeCloseTo(5 / 3, 15);
    expect(value('x.var(unbiased=False)', x)).toBe(1.25);
    expect(value('x.var(0, False)', x)).toBe(1.25);
    expect(value('torch.var(x, correction=0)', x)).toBe(1.25);
    expect(value('x.std(unbiased=False)', x)).toBeCloseTo(Math.sqrt(1.25), 15);
    // d var / dx = 2 (x - mean) / (N - 1)
    expect(gradOf(grad('x.var()', x), 'x')).toEqual(near([-1, -1 / 3, 1 / 3, 1]));
  });

  test('norms: the 2-norm of all elements, p and dim as torch.norm, 0 gradient at 0', () => {
    const r = grad('torch.norm(x)', { x: [3, 4] });
    expect(valueOf(r)).toBe(5);
    expect(gradOf(r, 'x')).toEqual([0.6, 0.8]);
    expect(gradOf(grad('x.norm()', { x: [0, 0] }), 'x')).toEqual([0, 0]);
    expect(value('torch.norm(X, dim=1)', { X: [[3, 4], [6, 8]] })).toEqual([5, 10]);
    expect(value("torch.norm(x, p='fro') + torch.norm(x, 1) + torch.norm(x, math.inf)", { x: [3, -4] })).toBe(5 + 7 + 4);
    expect(value('torch.linalg.vector_norm(x, ord=1)', { x: [3, -4] })).toBe(7);
    expect(value('torch.linalg.norm(X)', { X: [[3, 0], [0, 4]] })).toBe(5);
    expect(value('torch.linalg.norm(X, ord=1)', { X: [[1, -2], [3, 4]] })).toBe(6);
    expect(value('torch.linalg.matrix_norm(X, ord=math.inf)', { X: [[1, -2], [3, 4]] })).toBe(7);
    expect(errorOf("torch.norm(x, p='nuc')", { x: [[1, 2]] }).message).toMatch(/nuclear norm/);
  });
});

describe('where, clamp and comparisons', () => {
  test('torch.where selects: the gradient goes to the side taken, inf on the other side does no harm', () => {
    const r = grad('torch.where(x > 0, x, y).sum()', { x: [1, -1], y: [Infinity, 2] });
    expect(valueOf(r)).toBe(3);
    expect(gradOf(r, 'x')).toEqual([1, 0]);
    expect(gradOf(r, 'y')).toEqual([0, 1]);
  });

  test('a bound condition is read as a mask (nonzero is true) and gets no gradient', () => {
    const r = grad('torch.where(m, a, b)', { m: 1, a: 2, b: 3 });
    expect(valueOf(r)).toBe(2);
    expect(r.noGradient).toEqual([['m', 'passed to torch.where as its condition: a condition has no gradient in PyTorch']]);
  });

  test('clamp passes the gradient where min ≤ x ≤ max (bounds included)', () => {
    expect(gradOf(grad('x.clamp(min=0, max=1).sum()', { x: [-1, 0, 0.5, 1, 2] }), 'x')).toEqual([0, 1, 1, 1, 0]);
    expect(errorOf('torch.clamp(x)', { x: 1 }).message).toMatch(/needs min or max/);
  });

  test('masks from comparisons combine with & | ~ and multiply as 0/1', () => {
    const at = { x: [-1, 0.5, 2] };
    expect(value('((x > 0) & (x < 1)) * x', at)).toEqual([-0, 0.5, 0]);
    expect(value('(~(x > 0)).sum() + ((x < 0) | (x > 1)).sum()', at)).toBe(1 + 2);
  });

  test('a chained comparison of tensors needs one-element tensors, as in Python', () => {
    expect(value('0 < x < 2', { x: 1 })).toBe(1);
    expect(errorOf('0 < x < 2', { x: [1, 2] }).message).toMatch(/Boolean value of Tensor with more than one value is ambiguous/);
  });
});

describe('shapes and transposes', () => {
  const X = { X: [[1, 2, 3], [4, 5, 6]] };
  test.each<[string, number[]]>([
    ['X.T', [3, 2]],
    ['X.t()', [3, 2]],
    ['X.mT', [3, 2]],
    ['X.reshape(3, 2)', [3, 2]],
    ['X.view(-1)', [6]],
    ['X.flatten()', [6]],
    ['X.unsqueeze(0)', [1, 2, 3]],
    ['X.unsqueeze(-1)', [2, 3, 1]],
    ['X.unsqueeze(0).squeeze()', [2, 3]],
    ['X[None].squeeze(0)', [2, 3]],
    ['X.permute(1, 0)', [3, 2]],
    ['X.transpose(0, 1)', [3, 2]],
    ['torch.cat([X, X])', [4, 3]],
    ['torch.stack([X, X], dim=2)', [2, 3, 2]],
    ['X[0].expand(4, 3)', [4, 3]],
    ['X.sum(0).unsqueeze(1) * X[0]', [3, 3]],
  ])('%s has shape %j', (expression, shape) => {
    expect(shapeOf(expression, X)).toEqual(shape);
  });

  test('x.T of a vector is the vector; .t() refuses more than 2 dimensions', () => {
    expect(value('x.T', { x: [1, 2] })).toEqual([1, 2]);
    expect(errorOf('A.t()', { A: [[[1]]] }).message).toMatch(/t\(\) expects a tensor with <= 2 dimensions/);
  });

  test('trace and dot', () => {
    const r = grad('X.trace() + x.dot(y)', { X: [[1, 2], [3, 4]], x: [1, 2], y: [3, 4] });
    expect(valueOf(r)).toBe(5 + 11);
    expect(gradOf(r, 'X')).toEqual([1, 0, 0, 1]);
    expect(gradOf(r, 'x')).toEqual([3, 4]);
    expect(errorOf('torch.dot(X, x)', { X: [[1, 2]], x: [1, 2] }).message).toMatch(/dot needs two vectors \(1D tensors\), not 2D and 1D tensors/);
  });
});

test('evaluateExpression gives the value alone, the same as computeGrad', () => {
  const bindings: [string, ReturnType<typeof tensorOf>][] = [['x', tensorOf([1, 2])]];
  expect(Array.from(evaluateExpression('torch.sigmoid(x).sum()', bindings).data)).toEqual(Array.from(grad('torch.sigmoid(x).sum()', { x: [1, 2] }).value.data));
  expect(() => evaluateExpression('y', bindings)).toThrow(ActgradError);
});
