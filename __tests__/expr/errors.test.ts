/**
 * Errors in formulas: one line each, an ExpressionError pointing at the column of what to fix
 * (the function's name for a call, the operator, the attribute, the argument), and worded with
 * the call's own arguments and PyTorch's names.
 */
import { ExpressionError } from '../../src/errors';
import { errorOf, grad } from './helpers';

const x = { x: [1, 2, 3] };

describe.each<[string, Record<string, unknown>, string, number]>([
  // unknown names suggest the nearest known name among every built-in, method, alias and binding
  ['sine(x)', x, "unknown name 'sine' (did you mean sin?); bound names: x", 0],
  ['sigmod(x)', x, "unknown name 'sigmod' (did you mean sigmoid?); bound names: x", 0],
  ['x + wieght', { x: 1, weight: 2 }, "unknown name 'wieght' (did you mean weight?); bound names: x, weight", 4],
  ['y', {}, "unknown name 'y'; no names are bound (bind them as name=value)", 0],
  ['h = x * 2\nh + q', x, "unknown name 'q'; bound names: x, h", 14],
  ['amx(x)', x, "unknown name 'amx' (did you mean torch.amax?); bound names: x", 0],
  ['torch.sigmod(x)', x, "torch.sigmod: torch has no function or constant 'sigmod' (did you mean torch.sigmoid?)", 6],
  ['F.rleu(x)', x, "F.rleu: F has no function or constant 'rleu' (did you mean F.relu?)", 2],
  ['x.sumx()', x, "x.sumx: a tensor has no attribute 'sumx' (did you mean .sum?)", 2],
  ['np.exp(x)', x, "'np': numpy is not available: use torch (torch.tensor, torch.exp, ...)", 0],
  ['torch.nn.ReLU()(x)', x, 'torch.nn.ReLU: nn.ReLU is not available: it is a module class; call the function F.relu(…) instead', 9],
  ['x.backward()', x, 'x.backward: actgrad runs the backward pass itself: remove .backward() and read the gradients it prints', 2],
  // arguments
  ['mse(z, y)', { z: [1, 2, 3], y: [1, 2] }, 'mse(z, y): target y has 2 numbers, input z has 3', 0],
  ['F.mse_loss(z * 2, y)', { z: [1, 2, 3], y: [1, 2] }, 'F.mse_loss(z * 2, y): target y has 2 numbers, input z * 2 has 3', 2],
  ['x.sum(dims=0)', x, "x.sum(dims=0) got an unexpected keyword argument 'dims' (did you mean dim?); its arguments: dim, keepdim, dtype", 6],
  ['x.sum(0, True, 1, 2)', x, 'x.sum(0, True, 1, 2) takes at most 2 positional arguments besides its object (4 given)', 15],
  ['x.sum(dim=1.5)', x, 'x.sum(dim=1.5): dim takes a whole number (an int), not 1.5', 6],
  ['torch.pow(x)', x, 'torch.pow(x) needs its argument exponent', 6],
  ['F.softmax(x, 0, 1, 2, 3)', x, 'F.softmax(x, 0, 1, 2, 3) takes at most 2 positional arguments (5 given)', 16],
  ['F.cross_entropy(x, 0, reduction="avg")', x, `F.cross_entropy(x, 0, reduction="avg"): reduction takes one of 'mean', 'sum', 'none', not "avg"`, 2],
  ['cross_entropy(x, 3)', x, 'cross_entropy(x, 3): target 3 is not a class index; with 3 classes it must be a whole number from 0 to 2', 0],
  ['F.relu((x, x))', x, 'F.relu((x, x)): input is a tuple of tensors, not a tensor: join them with torch.stack([...]) or torch.cat([...])', 7],
  ['F.relu(torch.max(x, 0))', x, 'F.relu(torch.max(x, 0)): input is the (values, indices) tuple that torch.max returns, not a tensor: take .values (or [0])', 7],
  ['torch.tensor([s, 1])', { s: 2 }, 'torch.tensor([s, 1]): data copies numbers and would lose the gradient of a tensor in it: build it with torch.stack([...])', 6],
  ['torch.tensor([x, 1])', x, 'torch.tensor([x, 1]): data is a list of tensors, not a tensor: join them with torch.stack([...]) or torch.cat([...])', 6],
  // shapes name the operation and both shapes
  ['x + y', { x: [1, 2], y: [1, 2, 3] }, '"+" needs shapes that broadcast (equal, or 1 where they differ): [2] and [3]', 2],
  ['W @ x', { W: [[1, 2], [3, 4]], x: [1, 2, 3] }, 'cannot multiply [2, 2] by [3]: inner dimensions 2 and 3 differ', 2],
  ['x.reshape(4)', x, 'x.reshape(4): shape [4] is invalid for input of size 3', 2],
  ['torch.cat([x, y])', { x: [1, 2], y: [[1]] }, 'torch.cat([x, y]): cat needs tensors of the same shape except in dimension 0: [2] and [1, 1]', 6],
  ['x[3]', x, 'x[3]: index 3 is out of bounds for dimension 0 with size 3', 1],
  // values that are not what they are used as
  ['x(2)', x, 'x(2): x is a tensor of shape [3], not a function: write x*(…) for a product', 0],
  ["'a' + x", x, 'unsupported operand types for +: str and Tensor', 4],
  ['x > 0 and x < 2', x, "'and' needs one true or false, but a tensor of shape [3] has 3 (PyTorch: Boolean value of Tensor with more than one value is ambiguous): use & and | for elementwise and/or, or torch.where", 6],
  ['1 / 0', {}, "division by zero (Python's ZeroDivisionError); to get inf or nan, divide tensors: torch.tensor(1) / 0", 2],
  ['math.exp(x)', x, 'math.exp(x): math.exp takes a plain number as x, not a tensor of shape [3]; for a tensor, use torch.exp', 9],
  ['x.float()', x, 'x.float(): .float() converts to float32, whose rounding actgrad does not reproduce (it computes in float64): remove .float() or use .double()', 2],
  // the parser's, for completeness
  ['x ** 2 if x > 0 else 0', x, 'conditional expressions (a if c else b) are not supported: write torch.where(c, a, b)', 7],
])('%s', (expression, at, message, column) => {
  test('one line, at the column of what to fix', () => {
    const e = errorOf(expression, at);
    expect(e.message).toBe(message);
    expect(e.pos).toBe(column);
    expect(e.message).not.toContain('\n');
  });
});

test('every error of a formula is an ExpressionError that carries the whole source', () => {
  try {
    grad('a = x * 2; b = a + q', { x: 1 });
  } catch (e) {
    expect(e).toBeInstanceOf(ExpressionError);
    expect((e as ExpressionError).expression).toBe('a = x * 2; b = a + q');
    return;
  }
  throw new Error('no error');
});

test('sin no longer suggests sum: it is a built-in', () => {
  expect(grad('sin(x)', { x: 0 }).value.data[0]).toBe(0);
});
