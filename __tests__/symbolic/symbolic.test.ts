/**
 * --symbolic: each derivative formula, evaluated by actgrad, agrees with actgrad's own autograd
 * (issue 16.5): for every function with a symbolic rule (a case each, and a check that no rule
 * lacks one), and for random compositions of them (fast-check). Functions without a rule give a
 * one-line error naming the name and the reason. The printed forms are the simplified ones.
 */
import fc from 'fast-check';
import { computeGrad, evaluateExpression } from '../../src/commands/grad';
import { UsageError } from '../../src/errors';
import { parseExpression } from '../../src/parse/python/parser';
import { RULE_NAMES } from '../../src/symbolic/rules';
import { symbolicGradients } from '../../src/symbolic';
import type { Tensor } from '../../src/tensor';
import { seeded, uniform } from '../helpers/random';

type Value = number | number[] | number[][];
const tensor = (v: Value): Tensor =>
  typeof v === 'number'
    ? { shape: [], data: Float64Array.of(v) }
    : Array.isArray(v[0])
      ? { shape: [v.length, (v[0] as number[]).length], data: Float64Array.from((v as number[][]).flat()) }
      : { shape: [v.length], data: Float64Array.from(v as number[]) };

/**
 * Agreement to 1e-12 relative; the absolute floor (1e-12 of the gradient's scale) covers entries
 * that cancel to ~0. `rtol` is looser only where PyTorch's backward rounds a constant to float32
 * on purpose (celu's 1/alpha, hardsigmoid's 1/6: issue 11.9) and the formula states the exact one.
 */
function agree(formula: Tensor, autograd: Tensor, rtol = 1e-12): string | undefined {
  const scale = Math.max(1, ...Array.from(autograd.data, Math.abs));
  const n = autograd.data.length;
  const f = formula.data.length === 1 && n > 1 ? new Float64Array(n).fill(formula.data[0]) : formula.data;
  if (f.length !== n) return `the formula has ${f.length} numbers, autograd ${n}`;
  for (let k = 0; k < n; k++) {
    const [a, b] = [f[k], autograd.data[k]];
    if (Number.isNaN(a) && Number.isNaN(b)) continue;
    if (!(Math.abs(a - b) <= rtol * Math.max(Math.abs(a), Math.abs(b)) + 1e-12 * scale)) return `[${k}]: formula ${a}, autograd ${b}`;
  }
  return undefined;
}

/** Checks every bound name's formula at the point, and at 3 more points moved by up to ±20%. */
function checkAgreement(expression: string, bindings: Record<string, Value>, fixed: readonly string[] = [], rtol = 1e-12): void {
  const rand = seeded(7);
  const base = Object.entries(bindings).map(([k, v]): [string, Tensor] => [k, tensor(v)]);
  const wrt = base.map(([k]) => k).filter((k) => !fixed.includes(k));
  const formulas = symbolicGradients(expression, base, wrt);
  for (let p = 0; p < 4; p++) {
    const at = base.map(([k, t]): [string, Tensor] => [k, p === 0 || fixed.includes(k) ? t : { shape: t.shape, data: t.data.map((v) => v * uniform(rand, 0.8, 1.2)) }]);
    const grads = new Map(computeGrad({ expression, bindings: at, wrt }).grads);
    for (const [name, formula] of formulas) {
      const problem = agree(evaluateExpression(formula, at), grads.get(name)!, rtol);
      if (problem) throw new Error(`${expression} ∂/∂${name} = ${formula} at ${JSON.stringify(at.map(([k, t]) => [k, Array.from(t.data)]))}: ${problem}`);
    }
  }
}

const v3 = [0.7, -1.3, 2.1];
const w3 = [0.5, 1.5, -2];
const positive = [0.4, 1.7, 3.2];
const unit = [0.2, -0.6, 0.75];

/** One case per function with a symbolic rule: an expression whose gradient goes through it, and where to evaluate it. */
const FLOAT32 = 1e-7;

const CASES: Record<string, { expression: string; bindings: Record<string, Value>; fixed?: string[]; rtol?: number }> = {
  exp: { expression: '(torch.exp(x) * w).sum()', bindings: { x: v3, w: w3 } },
  log: { expression: '(torch.log(x) * w).sum()', bindings: { x: positive, w: w3 } },
  log1p: { expression: '(torch.log1p(x) * w).sum()', bindings: { x: positive, w: w3 } },
  expm1: { expression: '(torch.expm1(x) * w).sum()', bindings: { x: v3, w: w3 } },
  log2: { expression: '(torch.log2(x) * w).sum()', bindings: { x: positive, w: w3 } },
  log10: { expression: '(torch.log10(x) * w).sum()', bindings: { x: positive, w: w3 } },
  sqrt: { expression: '(torch.sqrt(x) * w).sum()', bindings: { x: positive, w: w3 } },
  rsqrt: { expression: '(torch.rsqrt(x) * w).sum()', bindings: { x: positive, w: w3 } },
  sin: { expression: '(torch.sin(x) * w).sum()', bindings: { x: v3, w: w3 } },
  cos: { expression: '(torch.cos(x) * w).sum()', bindings: { x: v3, w: w3 } },
  tan: { expression: '(torch.tan(x) * w).sum()', bindings: { x: unit, w: w3 } },
  asin: { expression: '(torch.asin(x) * w).sum()', bindings: { x: unit, w: w3 } },
  acos: { expression: '(torch.acos(x) * w).sum()', bindings: { x: unit, w: w3 } },
  atan: { expression: '(torch.atan(x) * w).sum()', bindings: { x: v3, w: w3 } },
  sinh: { expression: '(torch.sinh(x) * w).sum()', bindings: { x: v3, w: w3 } },
  cosh: { expression: '(torch.cosh(x) * w).sum()', bindings: { x: v3, w: w3 } },
  erf: { expression: '(torch.erf(x) * w).sum()', bindings: { x: v3, w: w3 } },
  erfc: { expression: '(torch.erfc(x) * w).sum()', bindings: { x: v3, w: w3 } },
  abs: { expression: '(torch.abs(x) * w).sum()', bindings: { x: v3, w: w3 } },
  sign: { expression: '(torch.sign(x) * w).sum() + x.sum()', bindings: { x: v3, w: w3 } },
  step: { expression: '(F.step(x) * w).sum() + x.sum()', bindings: { x: v3, w: w3 } },
  sigmoid: { expression: '(torch.sigmoid(x) * w).sum()', bindings: { x: v3, w: w3 } },
  tanh: { expression: '(torch.tanh(x) * w).sum()', bindings: { x: v3, w: w3 } },
  relu: { expression: '(F.relu(x) * w).sum()', bindings: { x: v3, w: w3 } },
  relu6: { expression: '(F.relu6(4*x) * w).sum()', bindings: { x: v3, w: w3 } },
  leaky_relu: { expression: '(F.leaky_relu(x, 0.2) * w).sum()', bindings: { x: v3, w: w3 } },
  elu: { expression: '(F.elu(x, alpha=0.7) * w).sum()', bindings: { x: v3, w: w3 } },
  selu: { expression: '(F.selu(x) * w).sum()', bindings: { x: v3, w: w3 } },
  celu: { expression: '(F.celu(x, alpha=0.7) * w).sum()', bindings: { x: v3, w: w3 }, rtol: FLOAT32 },
  silu: { expression: '(F.silu(x) * w).sum()', bindings: { x: v3, w: w3 } },
  mish: { expression: '(F.mish(x) * w).sum()', bindings: { x: v3, w: w3 } },
  softplus: { expression: '(F.softplus(x, beta=2) * w).sum()', bindings: { x: v3, w: w3 } },
  softsign: { expression: '(F.softsign(x) * w).sum()', bindings: { x: v3, w: w3 } },
  hardtanh: { expression: '(F.hardtanh(x, -1.5, 1.5) * w).sum()', bindings: { x: v3, w: w3 } },
  hardsigmoid: { expression: '(F.hardsigmoid(2*x) * w).sum()', bindings: { x: v3, w: w3 }, rtol: FLOAT32 },
  hardswish: { expression: '(F.hardswish(2*x) * w).sum()', bindings: { x: v3, w: w3 } },
  logsigmoid: { expression: '(F.logsigmoid(x) * w).sum()', bindings: { x: v3, w: w3 } },
  tanhshrink: { expression: '(F.tanhshrink(x) * w).sum()', bindings: { x: v3, w: w3 } },
  softshrink: { expression: '(F.softshrink(x, 0.5) * w).sum()', bindings: { x: v3, w: w3 } },
  hardshrink: { expression: '(F.hardshrink(x, 0.5) * w).sum()', bindings: { x: v3, w: w3 } },
  threshold: { expression: '(F.threshold(x, 0.1, -2) * w).sum()', bindings: { x: v3, w: w3 } },
  gelu: { expression: "(F.gelu(x) * w).sum() + (F.gelu(x, approximate='tanh') * w).sum()", bindings: { x: v3, w: w3 } },
  prelu: { expression: '(F.prelu(x, a) * w).sum()', bindings: { x: v3, a: [0.3], w: w3 } },
  T: { expression: '(W.T @ x).sum() + (W.T * W.T).sum()', bindings: { W: [[1, 2, 3], [-1, 0.5, 2]], x: [0.5, -1] } },
  t: { expression: '(W.t() @ x).sum()', bindings: { W: [[1, 2, 3], [-1, 0.5, 2]], x: [0.5, -1] } },
  mT: { expression: '(W.mT @ x * w).sum()', bindings: { W: [[1, 2, 3], [-1, 0.5, 2]], x: [0.5, -1], w: w3 } },
  transpose: { expression: '(W.transpose(0, 1) @ x * w).sum()', bindings: { W: [[1, 2, 3], [-1, 0.5, 2]], x: [0.5, -1], w: w3 } },
  reshape: { expression: '(x.reshape(3, 1) * w).sum()', bindings: { x: v3, w: [[1], [2], [3]] } },
  view: { expression: '(x.view(3, 1) * w).sum()', bindings: { x: v3, w: [[1], [2], [3]] } },
  view_as: { expression: '(x.view_as(w) * w).sum()', bindings: { x: v3, w: [[1], [2], [3]] } },
  flatten: { expression: '(W.flatten() * w).sum()', bindings: { W: [[1, 2, 3], [-1, 0.5, 2]], w: [1, 2, 3, 4, 5, 6] } },
  squeeze: { expression: '(W.squeeze() * w).sum()', bindings: { W: [[1, 2, 3]], w: w3 } },
  unsqueeze: { expression: '(x.unsqueeze(0) * W).sum()', bindings: { x: v3, W: [[1, 2, 3], [-1, 0.5, 2]] } },
  expand: { expression: '(b.expand(2, 3) * W).sum()', bindings: { b: [[0.5, 1, -1]], W: [[1, 2, 3], [-1, 0.5, 2]] } },
  expand_as: { expression: '(b.expand_as(W) * W).sum()', bindings: { b: [[0.5, 1, -1]], W: [[1, 2, 3], [-1, 0.5, 2]] } },
  sum: { expression: '(W.sum(dim=0) * w).sum() + (W.sum(1, keepdim=True) * W).sum()', bindings: { W: [[1, 2, 3], [-1, 0.5, 2]], w: w3 } },
  mean: { expression: '(W.mean(dim=1) * u).sum() + W.mean()**2', bindings: { W: [[1, 2, 3], [-1, 0.5, 2]], u: [2, -3] } },
  var: { expression: 'x.var() + torch.var(x, unbiased=False)', bindings: { x: v3 } },
  std: { expression: 'x.std() * 2', bindings: { x: v3 } },
  norm: { expression: 'torch.norm(x) + torch.norm(x, p=1) + torch.norm(x, p=3) + F.norm(x)', bindings: { x: v3 } },
  'linalg.vector_norm': { expression: 'torch.linalg.vector_norm(x, 3)', bindings: { x: v3 } },
  'linalg.norm': { expression: 'torch.linalg.norm(x)', bindings: { x: v3 } },
  trace: { expression: 'torch.trace(W @ W)', bindings: { W: [[1, 2], [-1, 0.5]] } },
  outer: { expression: '(torch.outer(a, b) * W).sum() + torch.outer(a, b).sum()', bindings: { a: [1, -2], b: v3, W: [[1, 2, 3], [-1, 0.5, 2]] } },
  where: { expression: '(torch.where(x > 0, x**2, w*x) * w).sum()', bindings: { x: v3, w: w3 } },
  clamp: { expression: '(torch.clamp(x, -1, 1) * w).sum()', bindings: { x: v3, w: w3 } },
  clamp_min: { expression: '(torch.clamp_min(x, 0) * w).sum()', bindings: { x: v3, w: w3 } },
  clamp_max: { expression: '(torch.clamp_max(x, 1) * w).sum()', bindings: { x: v3, w: w3 } },
  maximum: { expression: '(torch.maximum(x, w) * w).sum()', bindings: { x: v3, w: w3 } },
  minimum: { expression: '(torch.minimum(x, w) * w).sum()', bindings: { x: v3, w: w3 } },
  softmax: { expression: '(F.softmax(x, dim=0) * w).sum()', bindings: { x: v3, w: w3 } },
  softmin: { expression: '(F.softmin(W, dim=1) * V).sum()', bindings: { W: [[1, 2, 3], [-1, 0.5, 2]], V: [[1, -1, 2], [0.5, 2, -3]] } },
  log_softmax: { expression: '(F.log_softmax(W, dim=1) * V).sum()', bindings: { W: [[1, 2, 3], [-1, 0.5, 2]], V: [[1, -1, 2], [0.5, 2, -3]] } },
  logsumexp: { expression: '(torch.logsumexp(W, dim=1) * u).sum() + F.logsumexp(x, dim=0)', bindings: { W: [[1, 2, 3], [-1, 0.5, 2]], u: [2, -3], x: v3 } },
  mse: { expression: 'F.mse_loss(x*w, t) + F.mse_loss(x, t, reduction="sum")', bindings: { x: v3, w: w3, t: [0, 1, -1] } },
  l1: { expression: 'F.l1_loss(x*w, t)', bindings: { x: v3, w: w3, t: [0, 1, -1] } },
  smooth_l1: { expression: 'F.smooth_l1_loss(x, t, beta=0.5)', bindings: { x: v3, t: [0.6, 1, -1] } },
  huber: { expression: 'F.huber_loss(x, t, delta=0.5)', bindings: { x: v3, t: [0.6, 1, -1] } },
  bce: { expression: 'F.binary_cross_entropy(p, t)', bindings: { p: [0.2, 0.7, 0.8], t: [0, 0.8, 0.3] } },
  bce_with_logits: { expression: 'F.binary_cross_entropy_with_logits(z, t) + F.binary_cross_entropy_with_logits(z, t, pos_weight=c)', bindings: { z: v3, t: [0, 1, 0.3], c: [2, 0.5, 1] }, fixed: ['c'] },
  kl_div: { expression: "F.kl_div(x, t, reduction='batchmean') + F.kl_div(x, t, log_target=True, reduction='sum')", bindings: { x: [-1.2, -0.4, -2], t: [0.3, 0.6, 0.1] } },
  soft_margin: { expression: 'F.soft_margin_loss(x, t)', bindings: { x: v3, t: [1, -1, 1] }, fixed: ['t'] },
  poisson_nll: { expression: 'F.poisson_nll_loss(x, t) + F.poisson_nll_loss(p, t, log_input=False)', bindings: { x: v3, p: positive, t: [0.5, 2, 1] } },
  gaussian_nll: { expression: 'F.gaussian_nll_loss(x, t, v)', bindings: { x: v3, t: [0.5, 2, 1], v: [0.5, 1.5, 2] } },
  cross_entropy: {
    expression: 'F.cross_entropy(z, 2) + F.cross_entropy(Z, c) + F.cross_entropy(z, p, reduction="sum")',
    bindings: { z: v3, Z: [[1, 2, 3], [-1, 0.5, 2]], c: [0, 2], p: [0.2, 0.3, 0.5] },
    fixed: ['c'],
  },
  nll: { expression: 'F.nll_loss(F.log_softmax(Z, dim=1), c)', bindings: { Z: [[1, 2, 3], [-1, 0.5, 2]], c: [0, 2] }, fixed: ['c'] },
};

describe('every function with a symbolic rule agrees with autograd', () => {
  test('each rule has a case here', () => {
    expect(RULE_NAMES.filter((n) => !(n in CASES))).toEqual([]);
  });
  test.each(Object.entries(CASES))('%s', (_, c) => checkAgreement(c.expression, c.bindings, c.fixed, c.rtol));
  test.each([
    ['x*y - x/y + x**y', { x: 1.3, y: 0.7 }],
    ['-(x - y) * torch.neg(y) + torch.square(x) + torch.reciprocal(y) + torch.add(x, y) * torch.sub(x, y) * torch.mul(x, y) / torch.div(x, y) + torch.pow(x, 2)', { x: 1.3, y: 0.7 }],
    ['(W @ x).sum() + (x @ W.T).sum() + (W @ V).sum() + torch.dot(x, x) + torch.mv(W, x).sum() + torch.mm(W, V).sum() + x[1] + W[0, 1]', { W: [[1, 2], [-1, 0.5]], V: [[0.5, 2], [1, -1]], x: [0.3, -0.8] }],
    ['torch.log(1 + torch.exp(-x)) + 1/(1 + torch.exp(x)) + torch.exp(-x)/(1 + torch.exp(-x))**2 + torch.exp(x)/(1 + torch.exp(x))', { x: 0.7 }],
    ['h = torch.tanh(W @ x + b); y = F.softmax(h, dim=0); F.mse_loss(y, t)', { W: [[1, 2], [-1, 0.5]], x: [0.3, -0.8], b: [0.1, -0.2], t: [1, 0] }],
  ])('operators and compositions: %s', (expression, bindings) => checkAgreement(expression, bindings as Record<string, Value>));
});

// ---------------------------------------------------------------------------------------------
// Random compositions
// ---------------------------------------------------------------------------------------------

/** Unary building blocks, each written so that its argument stays in its domain. */
const UNARY: readonly ((u: string) => string)[] = [
  (u) => `torch.exp(${u} / 3)`,
  (u) => `torch.log(1 + ${u}**2)`,
  (u) => `torch.sqrt(1 + ${u}**2)`,
  (u) => `torch.sin(${u})`,
  (u) => `torch.cos(${u})`,
  (u) => `torch.atan(${u})`,
  (u) => `torch.erf(${u})`,
  (u) => `torch.sigmoid(${u})`,
  (u) => `torch.tanh(${u})`,
  (u) => `F.softplus(${u})`,
  (u) => `F.silu(${u})`,
  (u) => `F.gelu(${u})`,
  (u) => `F.elu(${u})`,
  (u) => `F.logsigmoid(${u})`,
  (u) => `F.softsign(${u})`,
  (u) => `F.mish(${u})`,
  (u) => `torch.relu(${u}) + 0.1 * ${u}`,
  (u) => `F.leaky_relu(${u}, 0.3)`,
  (u) => `torch.abs(${u})`,
  (u) => `(${u})**3`,
];
const BINARY: readonly ((a: string, b: string) => string)[] = [
  (a, b) => `(${a}) + (${b})`,
  (a, b) => `(${a}) - (${b})`,
  (a, b) => `(${a}) * (${b})`,
  (a, b) => `(${a}) / (1 + (${b})**2)`,
  (a, b) => `torch.maximum(${a}, ${b})`,
];

const formula: fc.Arbitrary<string> = fc.letrec<{ f: string }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('x', 'y', 'x', 'y', '0.5', '2'),
    fc.tuple(fc.nat(UNARY.length - 1), tie('f')).map(([k, u]) => UNARY[k](u)),
    fc.tuple(fc.nat(BINARY.length - 1), tie('f'), tie('f')).map(([k, a, b]) => BINARY[k](a, b)),
  ),
})).f;

describe('random compositions (fast-check)', () => {
  test('the symbolic gradient evaluates to autograd’s to 1e-12 relative', () => {
    fc.assert(
      fc.property(formula, fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true }), (f, x, y) => {
        const expression = `(${f}) + 0 * (x + y)`;
        const at: [string, Tensor][] = [
          ['x', tensor(x)],
          ['y', tensor(y)],
        ];
        const formulas = symbolicGradients(expression, at, ['x', 'y']);
        const grads = new Map(computeGrad({ expression, bindings: at, wrt: ['x', 'y'] }).grads);
        for (const [name, g] of formulas) {
          // Every printed formula is actgrad's language again.
          parseExpression(g);
          const problem = agree(evaluateExpression(g, at), grads.get(name)!);
          if (problem) throw new Error(`${expression} ∂/∂${name} = ${g} at x=${x}, y=${y}: ${problem}`);
        }
      }),
      { numRuns: 300, seed: 16 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Forms
// ---------------------------------------------------------------------------------------------

const symbolic = (expression: string, bindings: Record<string, Value>, wrt = Object.keys(bindings)): Record<string, string> =>
  Object.fromEntries(symbolicGradients(expression, Object.entries(bindings).map(([k, v]): [string, Tensor] => [k, tensor(v)]), wrt));

describe('simplified forms', () => {
  test.each([
    ['torch.sigmoid(z)', { z: 0.3 }, 'z', 'sigmoid(z) * (1 - sigmoid(z))'],
    ['F.binary_cross_entropy(torch.sigmoid(z), y)', { z: 0.3, y: 1 }, 'z', 'sigmoid(z) - y'],
    ['torch.tanh(x)', { x: 0.3 }, 'x', '1 - tanh(x)**2'],
    ['F.softplus(x)', { x: 0.3 }, 'x', 'sigmoid(x)'],
    ['torch.log(1 + torch.exp(x))', { x: 0.3 }, 'x', 'sigmoid(x)'],
    ['1/(1 + torch.exp(-x))', { x: 0.3 }, 'x', 'sigmoid(x) * (1 - sigmoid(x))'],
    ['torch.log(1 + torch.exp(-x))', { x: 0.3 }, 'x', '-sigmoid(-x)'],
    ['x**3 - 2*x', { x: 1.5 }, 'x', '3 * x**2 - 2'],
    ['x*1 + 0*y + x**1 - x', { x: 1.5, y: 2 }, 'x', '1'],
    ['x*torch.sigmoid(x)', { x: 0.3 }, 'x', 'sigmoid(x) * (1 + x * (1 - sigmoid(x)))'],
    ['F.mse_loss(w*x + b, y)', { w: 0.5, x: 2, b: 0.1, y: 1 }, 'w', '2 * x * (w * x + b - y)'],
    ['torch.relu(x)**2', { x: 0.3 }, 'x', 'torch.where(x > 0, 2 * relu(x), 0)'],
    ['(x**2).mean()', { x: [1, 2, 3] }, 'x', '2 * x / 3'],
    ['(2*x).sum()', { x: [1, 2, 3] }, 'x', '2 * torch.ones_like(x)'],
    ['y*3', { x: [1, 2, 3], y: 2 }, 'x', 'torch.zeros_like(x)'],
    ['F.mse_loss(W @ x + b, y)', { W: [[1, 2], [3, 4]], x: [1, -1], b: [0, 1], y: [1, 1] }, 'W', 'torch.outer(W @ x + b - y, x)'],
    ['F.mse_loss(W @ x + b, y)', { W: [[1, 2], [3, 4]], x: [1, -1], b: [0, 1], y: [1, 1] }, 'x', 'W.T @ (W @ x + b - y)'],
    ['(W @ x).sum()', { W: [[1, 2], [3, 4]], x: [1, -1] }, 'x', 'sum(W, dim=0)'],
    ['F.cross_entropy(z, 2)', { z: [1, 2, 3] }, 'z', 'softmax(z, dim=0) - torch.eye(3)[2]'],
  ])('%s: ∂/∂%s', (expression, bindings, wrt, expected) => {
    expect(symbolic(expression, bindings as Record<string, Value>, [wrt as string])[wrt as string]).toBe(expected);
  });
  test('a bound name that shadows a function gets the prefixed spelling', () => {
    expect(symbolic('torch.sigmoid(sigmoid)', { sigmoid: 0.3 }).sigmoid).toBe('torch.sigmoid(sigmoid) * (1 - torch.sigmoid(sigmoid))');
  });
});

describe('names without a symbolic form: one line saying which and why', () => {
  test.each([
    ['F.layer_norm(x, (3,)).sum()', { x: v3 }, /∂\/∂x has no symbolic form: F\.layer_norm is a layer/],
    ['torch.max(x)', { x: v3 }, /∂\/∂x has no symbolic form: torch\.max has no symbolic derivative: at ties the gradient is shared/],
    ['x[0:2].sum()', { x: v3 }, /only whole-number indices have a symbolic derivative, not slices/],
    ['F.multi_margin_loss(x, 1)', { x: [v3] }, /margins are active/],
    ['F.glu(x).sum()', { x: [1, 2, 3, 4] }, /splits its input in halves/],
    ['F.cross_entropy(z, 1, label_smoothing=0.1)', { z: v3 }, /label_smoothing it has no symbolic form here/],
  ])('%s', (expression, bindings, message) => {
    let error: unknown;
    try {
      symbolic(expression, bindings as Record<string, Value>);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
  test('only the names on the unsupported path fail: --wrt can leave them out', () => {
    expect(symbolic('(F.layer_norm(x, (3,)) * w).sum()', { x: v3, w: w3 }, ['w']).w).toBe('layer_norm(x, normalized_shape=(3,))');
    expect(() => symbolic('(F.layer_norm(x, (3,)) * w).sum()', { x: v3, w: w3 })).toThrow('(--wrt can leave x out)');
  });
  test('a value that is not a single number', () => {
    expect(() => symbolic('x * 2', { x: v3 })).toThrow('--symbolic gives the derivatives of a single number; this value has shape');
  });
});
