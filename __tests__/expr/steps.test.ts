/**
 * --steps: one step per operation of the source, named by its statement or t1, t2, …; local
 * derivatives and contributions from re-running that one operation; the contributions add up to
 * the gradients; --wrt shows only the steps on paths that reach the names asked for. The format
 * of the older examples is unchanged (the golden files, rendered by the plain renderer).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Steps } from '../../src/expr/steps';
import { formatStepsPlain } from '../../src/render/steps';
import { errorOf, grad } from './helpers';

const golden = (name: string): string => readFileSync(join(__dirname, '../fixtures/golden', name), 'utf8');
const stepsOf = (expression: string, at: Record<string, unknown>, wrt?: string[]): Steps => grad(expression, at, { steps: true, wrt }).steps!;

describe('the golden worked solutions of the older syntax are unchanged', () => {
  test.each<[string, string, Record<string, unknown>]>([
    ['steps-mse.txt', 'mse(x*w + b, y)', { x: 1, w: 2, b: 0, y: 1 }],
    ['steps-linear-ce.txt', 'cross_entropy(W @ x + b, 2)', { W: [[0.1, 0.2], [0.3, -0.4], [-0.5, 0.6]], x: [1, -1], b: [0, 0.1, -0.1] }],
    ['steps-reuse.txt', 'x*x + x', { x: 3 }],
  ])('%s', (file, expression, at) => {
    expect(formatStepsPlain(stepsOf(expression, at))).toBe(golden(file));
  });
});

test('a two-layer network: the contributions of each name add up to its gradient', () => {
  const at = { W1: [[0.5, -0.3], [0.2, 0.8], [-0.6, 0.1]], b1: [0.1, 0, -0.2], W2: [[0.3, -0.7, 0.5]], b2: [0.05], x: [1, 2], y: [0.5] };
  const r = grad('mse(W2 @ sigmoid(W1 @ x + b1) + b2, y) + 0.1 * sum(W1 * W1)', at, { steps: true });
  const grads = new Map(r.grads!);
  for (const g of r.steps!.gradients) {
    const summed = new Float64Array(g.total.data.length);
    for (const part of g.parts) part.value.data.forEach((v, i) => (summed[i] += v));
    Array.from(summed).forEach((v, i) => expect(v).toBeCloseTo(grads.get(g.name)!.data[i], 14));
    expect(Array.from(g.total.data)).toEqual(Array.from(grads.get(g.name)!.data));
  }
  // W1 is used three times (twice in the penalty W1 * W1, once in the network): three parts.
  expect(r.steps!.gradients.find((g) => g.name === 'W1')!.parts.map((p) => p.from)).toEqual(['t7', 't7', 't1']);
});

test('statement names name the steps; the rest are t1, t2, …', () => {
  const at = { W1: [[1, 2], [3, 4]], x: [1, -1], b1: [0.1, 0.2], W2: [[1, 1]], b2: [0], y: [1] };
  const s = stepsOf('h = torch.relu(W1 @ x + b1); out = W2 @ h + b2; F.mse_loss(out, y)', at);
  expect(s.forward.map((st) => [st.node, st.op])).toEqual([
    ['W1', 'input'],
    ['x', 'input'],
    ['b1', 'input'],
    ['W2', 'input'],
    ['b2', 'input'],
    ['y', 'input'],
    ['t1', 'W1 @ x'],
    ['t2', 't1 + b1'],
    ['h', 'torch.relu(t2)'],
    ['t3', 'W2 @ h'],
    ['out', 't3 + b2'],
    ['t4', 'F.mse_loss(out, y)'],
  ]);
  expect(s.forward.find((st) => st.node === 'h')!.expression).toBe('torch.relu(W1 @ x + b1)');
});

test('a call of several primitive ops inside (a loss, a layer) is one step', () => {
  const s = stepsOf('F.layer_norm(X, (3,)).pow(2).sum() + F.cross_entropy(X, t)', { X: [[1, 2, 4], [0, 1, -1]], t: [0, 2] });
  expect(s.forward.filter((st) => st.op !== 'input').map((st) => st.op)).toEqual(['F.layer_norm(X, (3,))', 't1.pow(2)', 't2.sum()', 'F.cross_entropy(X, t)', 't3 + t4']);
  // t gets no gradient (class indices): no pass goes to it.
  expect(s.backward.flatMap((st) => st.passes.map((p) => p.input))).not.toContain('t');
});

test('operators, methods, indexing and properties as steps, with their local derivatives', () => {
  const s = stepsOf('(W.T @ v)[1] * 3', { W: [[1, 2], [3, 4]], v: [1, -1] });
  expect(s.forward.filter((st) => st.op !== 'input').map((st) => st.op)).toEqual(['W.T', 't1 @ v', 't2[1]', 't3 · 3']);
  const mul = s.backward[0];
  expect(mul.passes).toHaveLength(1);
  expect(mul.passes[0]).toMatchObject({ input: 't3', rule: '∂L/∂t4 · 3', local: { kind: 'scalar', value: 3 } });
  const index = s.backward.find((st) => st.op === 't2[1]')!;
  expect(index.passes[0].rule).toBe('∂L/∂t3 placed back at [1]');
  expect(index.passes[0].local).toEqual({ kind: 'matrix', rows: 1, cols: 2, value: Float64Array.of(0, 1) });
  expect(Array.from(index.passes[0].contribution.data)).toEqual([0, 3]);
});

test('an elementwise function shows a diagonal local derivative, a vector function its Jacobian', () => {
  const s = stepsOf('sum(sigmoid(x)) + softmax(x)[0]', { x: [0, 1] });
  const sig = s.backward.find((st) => st.op === 'sigmoid(x)')!;
  expect(sig.passes[0].rule).toBe("∂L/∂t1 ⊙ sigmoid'(x)");
  expect(sig.passes[0].local!.kind).toBe('diagonal');
  const soft = s.backward.find((st) => st.op === 'softmax(x)')!;
  expect(soft.passes[0].rule).toBe('J_softmax(x)ᵀ · ∂L/∂t3');
  expect(soft.passes[0].local).toMatchObject({ kind: 'matrix', rows: 2, cols: 2 });
});

test('--wrt shows only the steps on paths that reach the names asked for', () => {
  const s = stepsOf('mse(x*w + b, y)', { x: 1, w: 2, b: 0, y: 1 }, ['b']);
  expect(s.backward.map((st) => st.op)).toEqual(['mse(t2, y)', 't1 + b']);
  expect(s.backward.flatMap((st) => st.passes.map((p) => p.input))).toEqual(['t2', 'b']);
  expect(s.gradients.map((g) => g.name)).toEqual(['b']);
  // The forward pass still shows how the value was computed.
  expect(s.forward.map((st) => st.node)).toEqual(['x', 'w', 'b', 'y', 't1', 't2', 't3']);
});

test('step names never collide with bound names or with each other', () => {
  expect(stepsOf('x = x * 2; x.sum()', { x: [1, 2] }).forward.map((st) => st.node)).toEqual(['x', "x'", 't1']);
  expect(stepsOf('t1 * 2 + t1', { t1: 3 }).forward.map((st) => st.node)).toEqual(['t1', 't2', 't3']);
});

test('--steps needs a single-number result', () => {
  expect(errorOf('x * 2', { x: [1, 2] }, { steps: true, gradOutput: { shape: [2], data: Float64Array.of(1, 1) } }).message).toMatch(
    /--steps works out the gradient of a single number/,
  );
});
