/**
 * actgrad grad: the PyTorch reference expressions, worked examples, and every gradient against
 * central finite differences of the expression itself.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBinding as parseBindingIn } from '../../src/cli/grad';
import { computeGrad } from '../../src/commands/grad';

const NO_IO = { stdout: () => undefined, stderr: () => undefined, stdoutIsTTY: false, stdinIsTTY: true, readStdin: () => '', env: {} };
const parseBinding = (text: string) => parseBindingIn(text, NO_IO);
import { type Tensor, tensor } from '../../src/tensor';
import { flatten, mismatch } from '../helpers/close';
import { seeded, uniform } from '../helpers/random';
import { actgrad } from '../helpers/run';

interface ExpressionCase {
  id: string;
  expression: string;
  at: Record<string, unknown>;
  value: unknown;
  grad: Record<string, unknown>;
}

const toTensor = (v: unknown): Tensor => {
  if (!Array.isArray(v)) return { shape: [], data: Float64Array.of(v as number) };
  const shape = Array.isArray(v[0]) ? [v.length, (v[0] as unknown[]).length] : [v.length];
  return tensor(shape, flatten(v));
};

const reference: ExpressionCase[] = readFileSync(join(__dirname, '../fixtures/pytorch-2.11/expressions.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l));

describe.each(reference.map((c) => [c.id, c] as const))('%s', (_id, c) => {
  test(`${c.expression}: value and every gradient agree with PyTorch`, () => {
    const r = computeGrad({ expression: c.expression, bindings: Object.entries(c.at).map(([k, v]) => [k, toTensor(v)]), jacobian: false });
    expect(mismatch(r.value.data, flatten(c.value))).toBeUndefined();
    for (const [name, g] of r.grads!) {
      expect({ name, problem: mismatch(g.data, flatten(c.grad[name])) }).toEqual({ name, problem: undefined });
      expect(g.shape).toEqual(toTensor(c.grad[name]).shape);
    }
  });
});

/** Central differences of the expression with respect to every element of every binding. */
function checkAgainstFiniteDifferences(expression: string, bindings: [string, Tensor][]): void {
  const r = computeGrad({ expression, bindings, jacobian: false });
  for (const [name, g] of r.grads!) {
    const k = bindings.findIndex(([n]) => n === name);
    for (let i = 0; i < g.data.length; i++) {
      const h = 1e-6 * Math.max(1, Math.abs(bindings[k][1].data[i]));
      const shifted = (delta: number): number => {
        const copy = bindings.map(([n, t]): [string, Tensor] => [n, { shape: t.shape, data: t.data.slice() }]);
        copy[k][1].data[i] += delta;
        return computeGrad({ expression, bindings: copy, jacobian: false }).value.data[0];
      };
      const fd = (shifted(h) - shifted(-h)) / (2 * h);
      expect({ expression, name, i, ok: Math.abs(fd - g.data[i]) <= 1e-6 + 1e-5 * Math.abs(fd) }).toEqual({ expression, name, i, ok: true });
    }
  }
}

const bind = (...texts: string[]): [string, Tensor][] => texts.map(parseBinding);

describe('worked examples', () => {
  test('dL/dw = 2 for L = mse(x*w + b, y) at x=1, w=2, b=0, y=1', () => {
    const r = computeGrad({ expression: 'mse(x*w + b, y)', bindings: bind('x=1', 'w=2', 'b=0', 'y=1'), jacobian: false });
    expect(r.value.data[0]).toBe(1);
    expect(Object.fromEntries(r.grads!.map(([n, g]) => [n, g.data[0]]))).toEqual({ x: 4, w: 2, b: 2, y: -2 });
  });
  test('the gradient of softmax(a)[1] at a = [2, 1, 0.1] is the softmax Jacobian row 1', () => {
    const r = computeGrad({ expression: 'softmax(a)[1]', bindings: bind('a=2,1,0.1'), jacobian: false });
    const g = Array.from(r.grads![0][1].data);
    expect(g.map((v) => Number(v.toFixed(4)))).toEqual([-0.1598, 0.1837, -0.0239]);
  });
  test('logistic regression with bce: the gradient is (σ(w·x + b) - y)·x', () => {
    const r = computeGrad({ expression: 'bce(sigmoid(dot(w, x) + b), y)', bindings: bind('w=0.3,-0.2', 'x=1.5,2', 'b=0.1', 'y=1'), jacobian: false });
    const p = 1 / (1 + Math.exp(-(0.3 * 1.5 - 0.2 * 2 + 0.1)));
    const gw = r.grads!.find(([n]) => n === 'w')![1].data;
    expect(gw[0]).toBeCloseTo((p - 1) * 1.5, 14);
    expect(gw[1]).toBeCloseTo((p - 1) * 2, 14);
  });
  test('a two-layer network with cross-entropy: dL/db2 = softmax(z) - onehot(y)', () => {
    const r = computeGrad({
      expression: 'cross_entropy(W2 @ sigmoid(W1 @ x + b1) + b2, 1)',
      bindings: bind('W1=0.5 -0.3; 0.2 0.8', 'b1=0.1,-0.1', 'W2=1 -1; 0.5 0.5; -1 2', 'b2=0,0,0', 'x=1,2'),
      jacobian: false,
    });
    const h = [0.5 * 1 - 0.3 * 2 + 0.1, 0.2 * 1 + 0.8 * 2 - 0.1].map((v) => 1 / (1 + Math.exp(-v)));
    const z = [h[0] - h[1], 0.5 * h[0] + 0.5 * h[1], -h[0] + 2 * h[1]];
    const s = z.map(Math.exp);
    const total = s.reduce((a, b) => a + b);
    const gb2 = r.grads!.find(([n]) => n === 'b2')![1].data;
    [0, 1, 2].forEach((i) => expect(gb2[i]).toBeCloseTo(s[i] / total - (i === 1 ? 1 : 0), 14));
  });
});

describe('every gradient against central finite differences', () => {
  const rand = seeded(7);
  const r = (): string => uniform(rand, -1.5, 1.5).toFixed(3);
  test.each([
    ['mse(x*w + b, y)', ['x=1', 'w=2', 'b=0', 'y=1']],
    ['bce(sigmoid(dot(w, x) + b), y)', [`w=${r()},${r()}`, `x=${r()},${r()}`, `b=${r()}`, 'y=0.7']],
    ['cross_entropy(W2 @ relu(W1 @ x + b1) + b2, 2)', [`W1=${r()} ${r()}; ${r()} ${r()}; ${r()} ${r()}`, `b1=${r()},${r()},${r()}`, `W2=${r()} ${r()} ${r()}; ${r()} ${r()} ${r()}; ${r()} ${r()} ${r()}`, `b2=${r()},${r()},${r()}`, `x=${r()},${r()}`]],
    ['mean(tanh(W @ x) ^ 2) + norm(x) / (1 + abs(b))', [`W=${r()} ${r()}; ${r()} ${r()}`, `x=${r()},${r()}`, `b=${r()}`]],
    ['sum(log_softmax(z) * t) - logsumexp(z) + exp(-z[0]) * sqrt(t[1])', [`z=${r()},${r()},${r()}`, 't=0.2,0.5,0.3']],
    ['x ^ y + y ^ 2 / x', ['x=1.7', 'y=0.6']],
    ['sum((A @ B)[1]) + dot(A[0], B @ v)', [`A=${r()} ${r()}; ${r()} ${r()}`, `B=${r()} ${r()}; ${r()} ${r()}`, `v=${r()},${r()}`]],
    ['huber(p, t, delta=0.5) + smooth_l1(p, t, reduction="sum") + kl_div(p, t) + poisson_nll(p, t)', [`p=${r()},${r()}`, 't=0.3,0.8']],
    ['sum(gelu(x) + mish(x) + silu(x) + elu(x, alpha=0.5) + softplus(x, beta=2) + glu(x)[0])', [`x=${r()},${r()}`]],
    ['sum(x * w + b)', ['x=1 2; 3 4', 'w=0.5,-1', 'b=0.1']],
    ['bce_with_logits(p, t, pos_weight=2) + l1(p, t) + bce(sigmoid(p), t, reduction="sum")', [`p=${r()},${r()}`, 't=0.3,0.8']],
    ['bce_with_logits(p, t, pos_weight=2) + soft_margin(p, 2 * t - 1)', [`p=${r()},${r()}`, 't=0.3,0.8']],
  ] as const)('%s', (expression, texts) => checkAgainstFiniteDifferences(expression, bind(...texts)));
});

describe('the command line', () => {
  test('json per the contract', () => {
    const out = JSON.parse(actgrad(['grad', 'mse(x*w + b, y)', 'x=1', 'w=2', 'b=0', 'y=1', '--json']).stdout);
    expect(out).toEqual({ expression: 'mse(x*w + b, y)', at: { x: 1, w: 2, b: 0, y: 1 }, value: 1, grad: { x: 4, w: 2, b: 2, y: -2 } });
  });
  test('--wrt chooses the names; plain prints one gradient without a heading', () => {
    expect(actgrad(['grad', 'mse(x*w + b, y)', 'x=1', 'w=2', 'b=0', 'y=1', '--wrt', 'w']).stdout).toBe('2\n');
    expect(actgrad(['grad', 'x*y', 'x=3', 'y=2']).stdout).toBe('# x\n2\n# y\n3\n');
  });
  test('--jacobian of a vector expression, one Jacobian per name', () => {
    const out = JSON.parse(actgrad(['grad', 'W @ x + b', 'W=1 2; 3 4', 'x=1,1', 'b=0,0', '--jacobian', '--json']).stdout);
    expect(out.jacobian.x).toEqual([[1, 2], [3, 4]]);
    expect(out.jacobian.b).toEqual([[1, 0], [0, 1]]);
    expect(out.jacobian.W).toEqual([[[1, 1], [0, 0]], [[0, 0], [1, 1]]]);
  });
  test('a leading minus is part of the expression, not an option', () => {
    expect(actgrad(['grad', '-x^2', 'x=3']).stdout).toBe('-6\n');
  });
  test('table: the value, then one gradient table per name', () => {
    const out = actgrad(['grad', 'mse(x*w + b, y)', 'x=1', 'w=2', 'b=0', 'y=1', '--format', 'table']).stdout;
    expect(out).toContain('gradient with respect to w');
    expect(out).toMatch(/│ 2 │\s+2 │/);
  });
  test('csv: one row per element of each name', () => {
    expect(actgrad(['grad', 'sum(w * x)', 'w=1,2', 'x=3,4', '--format', 'csv']).stdout).toBe('name,index,value,grad\nw,0,1,3\nw,1,2,4\nx,0,3,1\nx,1,4,2\n');
  });
});

describe('errors point at the expression', () => {
  const error = (argv: string[]) => {
    const r = actgrad(['grad', ...argv]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/\n\s+at |undefined|\[object Object\]/);
    return r.stderr.split('\n').filter(Boolean);
  };
  test('a syntax error: the expression, the message, and a caret under the column', () => {
    const [line, caret] = error(['mse(x*w + , y)', 'x=1', 'w=1', 'y=1']);
    expect(line).toBe("actgrad: error: mse(x*w + , y): expected an expression after '+', found ','");
    expect(caret.indexOf('^')).toBe(line.indexOf(',') );
  });
  test('an unknown function suggests the nearest name', () => {
    expect(error(['sofmax(a)[0]', 'a=1,2'])[0]).toContain("unknown name 'sofmax' (did you mean softmax?)");
  });
  test('an unbound name lists the bound ones', () => {
    expect(error(['x*w + z', 'x=1', 'w=2'])[0]).toContain("unknown name 'z'; bound names: x, w");
  });
  test('a shape mismatch names the operation and both shapes', () => {
    expect(error(['W @ x', 'W=1 2; 3 4', 'x=1,2,3'])[0]).toContain('W @ x: cannot multiply [2, 2] by [3]: inner dimensions 2 and 3 differ');
    expect(error(['x + y', 'x=1,2', 'y=1,2,3'])[0]).toContain('x + y: "+" needs shapes that broadcast (equal, or 1 where they differ): [2] and [3]');
  });
  test('a non-scalar expression without --jacobian says to reduce or index it', () => {
    const [line] = error(['softmax(a)', 'a=1,2']);
    expect(line).toContain('reduce it with sum(...)');
    expect(line).toContain('index it with [i]');
  });
  test.each([['constructor(x)'], ['__proto__'], ['process.exit(3)'], ['x.constructor'], ['toString(x)']])('%s is never evaluated', (expr) => {
    expect(error([expr, 'x=1']).length).toBeLessThanOrEqual(2);
  });
  test('10,000 nested parentheses: a clear error, no stack overflow', () => {
    const lines = error(['('.repeat(10000) + 'x' + ')'.repeat(10000), 'x=1']);
    expect(lines[0]).toContain('brackets are nested more than 200 deep');
    expect(lines).toHaveLength(2);
    expect(lines[0].length).toBeLessThan(200);
  });
  test('bad bindings', () => {
    expect(error(['x', 'x1'])[0]).toContain('"x1" is not a binding: write name=value');
    expect(error(['x', 'x=1', 'x=2'])[0]).toContain('x is bound twice');
    expect(error(['x', 'x=abc'])[0]).toContain('"abc" (number 1) is not a number');
  });
});

describe('names PyTorch cannot differentiate', () => {
  test('a target of soft_margin gets no gradient, even when it also reaches the result another way', () => {
    // torch: "The function 'soft_margin_loss' is not differentiable with respect to argument 'target'".
    const r = actgrad(['grad', 'soft_margin(p, t) + (t * p).sum()', 'p=0.3,-0.2', 't=1,-1', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out.grad)).toEqual(['p']);
    expect(out.no_gradient.t).toMatch(/soft_margin/);
    const refused = actgrad(['grad', 'soft_margin(p, t) + (t * p).sum()', 'p=0.3,-0.2', 't=1,-1', '--wrt', 't']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^actgrad: error: --wrt t: t is passed to soft_margin/);
  });
});
