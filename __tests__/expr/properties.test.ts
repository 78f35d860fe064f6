/**
 * Properties of the evaluator, over random inputs (fast-check, fixed seed; FUZZ_RUNS for more):
 * - random PyTorch-shaped programs (every operator, built-in, method, registry function, index and
 *   literal, with arguments of every kind, right and wrong) either evaluate or raise an
 *   ActgradError with a one-line message: never another exception, never a stack trace;
 * - on random smooth formulas, every gradient agrees with central differences of the value;
 * - the paths that compute the same thing agree: plain grad and --steps, --grad-output and the
 *   rows of --jacobian, the Hessian and --hvp, computeGrad and evaluateExpression;
 * - the table of built-ins is consistent, and every entry is exercised by a test case.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { computeGrad, evaluateExpression } from '../../src/commands/grad';
import { BUILTINS, builtinFor, builtinNames, signatureOf, type Spelling } from '../../src/expr/builtins';
import { ActgradError } from '../../src/errors';
import { registry, namesOf } from '../../src/functions/registry';
import type { Tensor } from '../../src/tensor';
import { bindings as bind, tensorOf } from './helpers';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

// ---------------------------------------------------------------------------------------------
// Random programs: evaluate or fail with an ActgradError
// ---------------------------------------------------------------------------------------------

const AT = { x: [0.5, -1, 2], y: [1, 0, 1], W: [[1, 2, 3], [-1, 0.5, 2]], s: 0.7, i: [0, 2], Z: [[[1, 2], [3, 4]]] };
const atoms = [
  'x', 'y', 'W', 's', 'i', 'Z', 'q', '0', '2', '-1', '0.5', '1e308', 'True', 'False', 'None', "'mean'", "'sum'", '"fro"', '[1, 2, 3]', '[[1, 2], [3, 4]]',
  '(1, 2)', '()', '[]', '(0,)', 'math.pi', 'torch.pi', 'math.inf', 'torch.float64', 'torch.long', 'torch.float32', 'torch', 'F', 'math', 'nn', '...', 'x.shape',
];
const operators = ['+', '-', '*', '/', '**', '^', '@', '//', '%', '&', '|', '<', '>=', '==', '!=', 'and', 'or'];
const callables = [
  ...builtinNames('torch').map((n) => `torch.${n}`),
  ...builtinNames('bare'),
  ...builtinNames('linalg').map((n) => `torch.linalg.${n}`),
  ...builtinNames('math').map((n) => `math.${n}`),
  ...builtinNames('F').map((n) => `F.${n}`),
  ...registry.flatMap((d) => namesOf(d).filter((n) => !n.includes('-'))).flatMap((n) => [`F.${n}`, n]),
  'torch.nn.functional.relu', 'nn.functional.softmax', 'nn.ReLU', 'torch.nope', 'F.nope', 'unknown_fn', 'constructor', '__proto__',
];
const methods = [...builtinNames('method'), ...registry.flatMap((d) => namesOf(d).filter((n) => !n.includes('-'))), 'constructor', 'toString', 'nope'];
const properties = [...builtinNames('property'), 'values', 'indices', 'grad', '__proto__'];
const keywords = ['dim', 'keepdim', 'p', 'ord', 'reduction', 'weight', 'bias', 'min', 'max', 'alpha', 'dtype', 'target', 'beta', 'unbiased', 'correction', 'other', 'nope'];
const indices = ['0', '-1', '5', '1:3', '::2', ':', ':-1', '::-1', 'None', '...', '[0, 1]', '[True, False, True]', 'i', 'x > 0', '0, 1', ':, 0', '..., 0', '1.5', "'a'", 'None, :'];

const expression: fc.Arbitrary<string> = fc.letrec<{ expr: string; args: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 5, arbitrary: fc.constantFrom(...atoms) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('-', '+', '~', 'not '), tie('expr')).map(([op, e]) => `${op}${e}`) },
    { weight: 2, arbitrary: fc.tuple(tie('expr'), fc.constantFrom(...operators), tie('expr')).map(([a, op, b]) => `(${a} ${op} ${b})`) },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...callables), tie('args')).map(([f, a]) => `${f}(${a})`) },
    { weight: 3, arbitrary: fc.tuple(tie('expr'), fc.constantFrom(...methods), tie('args')).map(([e, m, a]) => `${e}.${m}(${a})`) },
    { weight: 1, arbitrary: fc.tuple(tie('expr'), fc.constantFrom(...properties)).map(([e, p]) => `${e}.${p}`) },
    { weight: 1, arbitrary: fc.tuple(tie('expr'), fc.constantFrom(...indices)).map(([e, i]) => `${e}[${i}]`) },
    { weight: 1, arbitrary: fc.array(tie('expr'), { maxLength: 3 }).map((es) => `[${es.join(', ')}]`) },
    { weight: 1, arbitrary: fc.tuple(tie('expr'), fc.constantFrom('<', '<=', '=='), tie('expr'), fc.constantFrom('<', '>'), tie('expr')).map((p) => p.join(' ')) },
  ),
  args: fc
    .tuple(fc.array(tie('expr'), { maxLength: 3 }), fc.array(fc.tuple(fc.constantFrom(...keywords), tie('expr')), { maxLength: 2 }))
    .map(([positional, named]) => [...positional, ...[...new Map(named)].map(([k, v]) => `${k}=${v}`)].join(', ')),
})).expr;

const program = fc
  .tuple(fc.array(fc.tuple(fc.constantFrom('h', 'x', 'out', 'torch'), expression), { maxLength: 2 }), expression)
  .map(([statements, last]) => [...statements.map(([n, e]) => `${n} = ${e}`), last].join('; '));

const options = fc.record({ jacobian: fc.boolean(), noGrad: fc.boolean(), steps: fc.boolean(), hessian: fc.boolean() }, { requiredKeys: [] });

test('random PyTorch-shaped programs evaluate or fail with a one-line ActgradError', () => {
  fc.assert(
    fc.property(program, options, (source, opts) => {
      try {
        const r = computeGrad({ expression: source, bindings: bind(AT), ...opts, ...(opts.noGrad ? { jacobian: false, steps: false, hessian: false } : {}) });
        expect(r.value.data).toBeInstanceOf(Float64Array);
      } catch (e) {
        if (!(e instanceof ActgradError)) throw new Error(`${source}: ${(e as Error).stack}`);
        expect(e.message).not.toMatch(/\n|undefined|\[object Object\]|NaN\b.*shape/);
      }
    }),
    { numRuns: RUNS, seed: 20260514 },
  );
});

// ---------------------------------------------------------------------------------------------
// Gradients against central differences
// ---------------------------------------------------------------------------------------------

/** Smooth formulas of a [3] and b [3] (and scalars): no kinks, no poles near the points drawn. */
const smooth: fc.Arbitrary<string> = fc.letrec<{ vec: string; scalar: string }>((tie) => ({
  vec: fc.oneof(
    { depthSize: 'small' },
    { weight: 4, arbitrary: fc.constantFrom('a', 'b', '(a * b)', 'torch.ones(3)', 'torch.tensor([0.5, -1.0, 2.0])') },
    { weight: 2, arbitrary: fc.tuple(tie('vec'), fc.constantFrom('+', '-', '*'), tie('vec')).map(([p, op, q]) => `(${p} ${op} ${q})`) },
    { weight: 1, arbitrary: fc.tuple(tie('vec'), tie('vec')).map(([p, q]) => `(${p} / (1 + ${q} ** 2))`) },
    { weight: 1, arbitrary: fc.tuple(tie('vec'), tie('scalar')).map(([p, q]) => `(${p} * ${q})`) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom('torch.sin', 'torch.cos', 'torch.tanh', 'torch.sigmoid', 'F.softplus', 'F.softmax', 'F.log_softmax', 'torch.atan', 'F.gelu', 'F.silu', 'torch.erf'), tie('vec'))
        .map(([f, v]) => (f === 'F.softmax' || f === 'F.log_softmax' ? `${f}(${v}, dim=0)` : `${f}(${v})`)),
    },
    { weight: 1, arbitrary: tie('vec').map((v) => `torch.exp(torch.tanh(${v}))`) },
    { weight: 1, arbitrary: tie('vec').map((v) => `${v}.flip(0)`) },
    { weight: 1, arbitrary: tie('vec').map((v) => `torch.stack([${v}[2], ${v}[0], ${v}[1]])`) },
    { weight: 1, arbitrary: tie('vec').map((v) => `(M @ ${v})`) },
  ),
  scalar: fc.oneof(
    { depthSize: 'small' },
    { weight: 3, arbitrary: fc.constantFrom('c', '2.5', 'math.pi') },
    { weight: 2, arbitrary: tie('vec').map((v) => `${v}.sum()`) },
    { weight: 1, arbitrary: tie('vec').map((v) => `${v}.mean()`) },
    { weight: 1, arbitrary: tie('vec').map((v) => `torch.logsumexp(${v}, dim=0)`) },
    { weight: 1, arbitrary: tie('vec').map((v) => `(${v} ** 2 + 1).sqrt().sum()`) },
    { weight: 1, arbitrary: tie('vec').map((v) => `(${v} + 3).norm()`) },
    { weight: 1, arbitrary: fc.tuple(tie('vec'), tie('vec')).map(([p, q]) => `torch.dot(${p}, ${q})`) },
    { weight: 1, arbitrary: fc.tuple(tie('vec'), tie('vec')).map(([p, q]) => `F.mse_loss(${p}, ${q})`) },
    { weight: 1, arbitrary: tie('vec').map((v) => `${v}.var()`) },
  ),
})).scalar;

const point = fc.record({
  a: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
  b: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
  c: fc.double({ min: -1, max: 1, noNaN: true }),
  M: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 9, maxLength: 9 }),
});

test('on random smooth formulas, every gradient agrees with central differences', () => {
  fc.assert(
    fc.property(smooth, point, (source, p) => {
      const bindings: [string, Tensor][] = [
        ['a', tensorOf(p.a)],
        ['b', tensorOf(p.b)],
        ['c', tensorOf(p.c)],
        ['M', { shape: [3, 3], data: Float64Array.from(p.M) }],
      ];
      const r = computeGrad({ expression: source, bindings });
      for (const [name, g] of r.grads!) {
        const k = bindings.findIndex(([n]) => n === name);
        for (let e = 0; e < g.data.length; e++) {
          const at = (delta: number): number => {
            const moved = bindings.map(([n, t]): [string, Tensor] => [n, { shape: t.shape, data: t.data.slice() }]);
            moved[k][1].data[e] += delta;
            return evaluateExpression(source, moved).data[0];
          };
          const h = 1e-5;
          const fd = (at(h) - at(-h)) / (2 * h);
          expect({ source, name, e, agree: Math.abs(fd - g.data[e]) <= 1e-5 + 1e-4 * Math.abs(fd) }).toEqual({ source, name, e, agree: true });
        }
      }
    }),
    { numRuns: Math.max(50, Math.floor(RUNS / 3)), seed: 42 },
  );
});

// ---------------------------------------------------------------------------------------------
// Paths that compute the same thing agree
// ---------------------------------------------------------------------------------------------

test('grad, --steps, --jacobian, --grad-output, --hessian, --hvp and the value alone agree', () => {
  fc.assert(
    fc.property(smooth, point, fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 3, maxLength: 3 }), (source, p, v) => {
      const bindings: [string, Tensor][] = [
        ['a', tensorOf(p.a)],
        ['b', tensorOf(p.b)],
        ['c', tensorOf(p.c)],
        ['M', { shape: [3, 3], data: Float64Array.from(p.M) }],
      ];
      const plain = computeGrad({ expression: source, bindings });
      const withSteps = computeGrad({ expression: source, bindings, steps: true });
      expect(withSteps.grads).toEqual(plain.grads);
      expect(Array.from(evaluateExpression(source, bindings).data)).toEqual(Array.from(plain.value.data));
      // The contributions of --steps add up to the gradients.
      for (const g of withSteps.steps!.gradients) {
        if (g.parts.length === 0) continue; // the result is the bound name itself: no operation
        const sum = new Float64Array(g.total.data.length);
        for (const part of g.parts) part.value.data.forEach((x, i) => (sum[i] += x));
        sum.forEach((x, i) => expect(x).toBeCloseTo(g.total.data[i], 9));
      }
      // The Jacobian of a scalar is its gradient; --grad-output 2 doubles it.
      const jac = computeGrad({ expression: source, bindings, jacobian: true, gradOutput: tensorOf(2) });
      jac.jacobians!.forEach(([name, J], k) => {
        expect(Array.from(J.data)).toEqual(Array.from(plain.grads![k][1].data));
        Array.from(jac.grads![k][1].data).forEach((x, i) => expect(x).toBeCloseTo(2 * J.data[i], 12));
        expect(name).toBe(plain.grads![k][0]);
      });
      // H·v from --hvp is the Hessian times v, over a.
      const second = computeGrad({ expression: source, bindings, wrt: ['a'], hessian: true, hvp: tensorOf(v) });
      const H = second.hessian!.matrix.data;
      for (let i = 0; i < 3; i++) expect(second.hvp!.data[i]).toBeCloseTo(H[i * 3] * v[0] + H[i * 3 + 1] * v[1] + H[i * 3 + 2] * v[2], 9);
      // The Hessian is symmetric.
      for (let i = 0; i < 3; i++) for (let j = 0; j < i; j++) expect(H[i * 3 + j]).toBeCloseTo(H[j * 3 + i], 9);
    }),
    { numRuns: Math.max(30, Math.floor(RUNS / 6)), seed: 7 },
  );
});

// ---------------------------------------------------------------------------------------------
// The table of built-ins
// ---------------------------------------------------------------------------------------------

describe('the table of built-ins', () => {
  test('every entry has a doc, a spelling, unique parameter names, and its signature prints', () => {
    for (const b of BUILTINS) {
      expect({ name: b.name, doc: b.doc.length > 0, spellings: b.in.length > 0 }).toEqual({ name: b.name, doc: true, spellings: true });
      expect(new Set(b.params.map((p) => p.name)).size).toBe(b.params.length);
      for (const s of b.in) expect(signatureOf(b, s)).toMatch(/\w/);
    }
    expect(signatureOf(builtinFor('torch', 'sum')!, 'torch')).toBe('torch.sum(input, dim=None, keepdim=False, *, dtype=None)');
    expect(signatureOf(builtinFor('method', 'sum')!, 'method')).toBe('x.sum(dim=None, keepdim=False, *, dtype=None)');
    expect(signatureOf(builtinFor('method', 'view')!, 'method')).toBe('x.view(*shape)');
    expect(signatureOf(builtinFor('property', 'T')!, 'property')).toBe('x.T');
  });

  test("every built-in's every spelling is exercised by a case of the reference or PyTorch fixtures, or by a closed-form test", () => {
    const sources = [
      readFileSync(join(__dirname, 'fixtures/torch-1.13.jsonl'), 'utf8'),
      readFileSync(join(__dirname, '../fixtures/pytorch-2.11/torch-expressions.jsonl'), 'utf8'),
      readFileSync(join(__dirname, 'language.test.ts'), 'utf8'),
      readFileSync(join(__dirname, 'builtins.test.ts'), 'utf8'),
    ].join('\n');
    const prefix: Record<Spelling, string> = { torch: 'torch.', method: '.', property: '.', bare: '', F: 'F.', linalg: 'torch.linalg.', math: 'math.' };
    const missing: string[] = [];
    for (const b of BUILTINS) {
      for (const s of b.in) {
        const names = [b.name, ...(b.aliases ?? [])];
        const pattern = (n: string): RegExp => new RegExp(`${s === 'bare' ? '(?<![.\\w])' : ''}${prefix[s].replace(/\./g, '\\.')}${n}${s === 'property' ? '\\b' : '\\('}`);
        if (!names.some((n) => pattern(n).test(sources))) missing.push(`${prefix[s]}${b.name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
