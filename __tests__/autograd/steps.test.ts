/** grad --steps: the worked solution of a backward pass. */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBinding as parseBindingIn } from '../../src/cli/grad';
import { computeGrad } from '../../src/commands/grad';

const NO_IO = { stdout: () => undefined, stderr: () => undefined, stdoutIsTTY: false, stdinIsTTY: true, readStdin: () => '', env: {} };
const parseBinding = (text: string) => parseBindingIn(text, NO_IO);
import { actgrad } from '../helpers/run';

const golden = (name: string): string => readFileSync(join(__dirname, '../fixtures/golden', name), 'utf8');

describe('the mse example: L = mse(x*w + b, y) at x=1, w=2, b=0, y=1', () => {
  // Run in each test, not once here: what runs while jest collects the tests is outside every
  // test, and the mutation run (per-test coverage, static mutants ignored) would not see it.
  const stepsOut = (): string => actgrad(['grad', 'mse(x*w + b, y)', 'x=1', 'w=2', 'b=0', 'y=1', '--steps']).stdout;
  test('the forward pass shows the prediction 2', () => {
    expect(stepsOut()).toMatch(/t2 = x\*w \+ b\s+t1 \+ b = 2\n/);
  });
  test('the backward pass shows ∂L/∂pred = 2 and ∂L/∂w = ∂L/∂t1 · x = 2 · 1 = 2', () => {
    const out = stepsOut();
    expect(out).toContain('∂L/∂t2 = ∂L/∂t3 · ∂mse/∂t2 = 1 · 2 = 2');
    expect(out).toContain('∂L/∂w = ∂L/∂t1 · x = 2 · 1 = 2');
  });
});

describe('golden plain output', () => {
  test.each([
    ['steps-mse.txt', ['mse(x*w + b, y)', 'x=1', 'w=2', 'b=0', 'y=1']],
    ['steps-linear-ce.txt', ['cross_entropy(W @ x + b, 2)', 'W=0.1 0.2; 0.3 -0.4; -0.5 0.6', 'x=1,-1', 'b=0,0.1,-0.1']],
    ['steps-reuse.txt', ['x*x + x', 'x=3']],
  ])('%s', (file, args) => {
    expect(actgrad(['grad', ...args, '--steps']).stdout).toBe(golden(file));
  });
});

test('a two-layer network: the contributions in the backward pass add up to the gradients', () => {
  const bindings = ['W1=0.5 -0.3; 0.2 0.8; -0.6 0.1', 'b1=0.1,0,-0.2', 'W2=0.3 -0.7 0.5', 'b2=0.05', 'x=1,2', 'y=0.5'].map(parseBinding);
  const r = computeGrad({ expression: 'mse(W2 @ sigmoid(W1 @ x + b1) + b2, y) + 0.1 * sum(W1 * W1)', bindings, jacobian: false, steps: true });
  const grads = new Map(r.grads!);
  for (const g of r.steps!.gradients) {
    const summed = new Float64Array(g.total.data.length);
    for (const part of g.parts) part.value.data.forEach((v, i) => (summed[i] += v));
    Array.from(summed).forEach((v, i) => expect(v).toBeCloseTo(grads.get(g.name)!.data[i], 14));
  }
  // W1 is used twice (the network and the penalty): its gradient has two parts.
  expect(r.steps!.gradients.find((g) => g.name === 'W1')!.parts.length).toBeGreaterThanOrEqual(2);
});

test('json: steps with node, expression, op, inputs, value, grad and local derivatives', () => {
  const out = JSON.parse(actgrad(['grad', 'sigmoid(w * x)', 'w=2', 'x=0.5', '--steps', '--json']).stdout);
  expect(out.grad).toBeDefined();
  const [w, x, t1, t2] = out.steps;
  expect([w.node, x.node]).toEqual(['w', 'x']);
  expect(t1).toMatchObject({ node: 't1', expression: 'w * x', op: 'w · x', inputs: ['w', 'x'], value: 1 });
  expect(t1.local).toEqual([{ input: 'w', derivative: 0.5 }, { input: 'x', derivative: 2 }]);
  expect(t2).toMatchObject({ node: 't2', expression: 'sigmoid(w * x)', op: 'sigmoid(t1)', grad: 1 });
  expect(t2.local[0].derivative).toBeCloseTo(0.19661193324148185, 15);
});

test('a vector function shows its local Jacobian', () => {
  const out = JSON.parse(actgrad(['grad', 'softmax(a)[1]', 'a=2,1,0.1', '--steps', '--json']).stdout);
  const softmax = out.steps.find((s: { op: string }) => s.op === 'softmax(a)');
  expect(softmax.local[0].derivative).toHaveLength(3);
  expect(softmax.local[0].derivative[0]).toHaveLength(3);
});

test('--graph writes the computational graph in DOT', () => {
  const file = join(tmpdir(), `actgrad-${process.pid}.dot`);
  expect(actgrad(['grad', 'x*w + b', 'x=1', 'w=2', 'b=0', '--graph', file]).code).toBe(0);
  const dot = readFileSync(file, 'utf8');
  expect(dot.startsWith('digraph actgrad {')).toBe(true);
  expect(dot).toContain('"t1" [label="t1 = x · w\\nx*w\\nvalue 2\\n∂L/∂t1 = 1"];');
  expect(dot).toContain('"x" -> "t1";');
  expect(dot.trim().endsWith('}')).toBe(true);
});

test('--graph to a file that cannot be written is an input error', () => {
  const r = actgrad(['grad', 'x', 'x=1', '--graph', '/nonexistent-dir/g.dot']);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe('actgrad: error: --graph /nonexistent-dir/g.dot: cannot write the file (ENOENT)\n');
});

test('--steps needs a single-number expression', () => {
  expect(actgrad(['grad', 'softmax(a)', 'a=1,2', '--steps']).stderr).toContain("the expression's value has shape [2], not a single number, so it has no gradient");
});

test('tables on a terminal: forward, then backward', () => {
  const out = actgrad(['grad', 'mse(x*w + b, y)', 'x=1', 'w=2', 'b=0', 'y=1', '--steps', '--format', 'table']).stdout;
  expect(out.indexOf('forward pass')).toBeLessThan(out.indexOf('backward pass'));
  expect(out).toContain('∂L/∂w = ∂L/∂t1 · x = 2 · 1 = 2');
});
