/**
 * Every formula of the PyTorch reference data through computeGrad, within rtol 1e-9, atol 1e-12:
 * - fixtures/pytorch-2.11/expressions.jsonl: actgrad's older syntax (mse(x*w + b, y), v[i], x^2);
 * - fixtures/pytorch-2.11/torch-expressions.jsonl: PyTorch code as written (the `expression` is the
 *   Python that produced the numbers), with `int` names (indices, no gradient) and Hessians;
 * - expr/fixtures/torch-1.13.jsonl: this suite's own cases for every built-in and method, made the
 *   same way by expr/fixtures/torch-1.13.py with PyTorch 1.13.
 * A case whose registry function does not exist yet (the layer families are being ported) is
 * skipped, and the missing names are printed; it passes once the descriptor exists.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinFor, type Spelling } from '../../src/expr/builtins';
import { lookup } from '../../src/functions/registry';
import { type Expr, children, type Node } from '../../src/parse/python/ast';
import { parseProgram } from '../../src/parse/python/parser';
import { flatten, mismatch } from '../helpers/close';
import { bindings } from './helpers';
import { computeGrad } from '../../src/commands/grad';

interface Case {
  id: string;
  expression: string;
  at: Record<string, unknown>;
  int?: string[];
  const?: string[];
  value: unknown;
  grad: Record<string, unknown>;
  hessian?: { wrt: string[]; variables: string[]; matrix: unknown };
}

const read = (path: string): Case[] =>
  readFileSync(join(__dirname, path), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));

const suites: [string, Case[]][] = [
  ['expressions.jsonl (actgrad syntax)', read('../fixtures/pytorch-2.11/expressions.jsonl')],
  ['torch-expressions.jsonl (PyTorch code)', read('../fixtures/pytorch-2.11/torch-expressions.jsonl')],
  ['torch-1.13.jsonl (every built-in)', read('fixtures/torch-1.13.jsonl')],
];

test('the fixtures hold every case', () => {
  expect(suites.map(([, cases]) => cases.length)).toEqual([10, 62, 98]);
});

const SPELLINGS: Spelling[] = ['bare', 'torch', 'method', 'F', 'linalg', 'math', 'property'];

/** The called names of a program that no built-in provides: they must be registry functions. */
function registryCalls(expression: string): string[] {
  const names = new Set<string>();
  const stack: Node[] = parseProgram(expression).statements.map((s) => s.value);
  while (stack.length) {
    const node = stack.pop()!;
    if (node.kind === 'call') {
      const callee: Expr = node.callee;
      const name = callee.kind === 'name' ? callee.name : callee.kind === 'attribute' ? callee.name : undefined;
      const isBuiltin = name !== undefined && SPELLINGS.some((s) => builtinFor(s, name));
      const isModule = callee.kind === 'attribute' && callee.object.kind === 'name' && callee.object.name === 'F';
      if (name && (!isBuiltin || isModule)) names.add(name);
    }
    stack.push(...children(node));
  }
  return [...names];
}

describe.each(suites)('%s', (_file, cases) => {
  describe.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const missing = registryCalls(c.expression).filter((n) => !lookup(n) && !SPELLINGS.some((s) => builtinFor(s, n)));
    if (missing.length > 0) {
      // eslint-disable-next-line no-console
      console.log(`${c.id} skipped until these functions exist: ${missing.join(', ')}`);
      test.skip(`${c.expression} (needs ${missing.join(', ')})`, () => {});
      return;
    }
    test(`${c.expression}: value and gradients`, () => {
      const r = computeGrad({ expression: c.expression, bindings: bindings(c.at) });
      expect({ value: mismatch(r.value.data, flatten(c.value)) }).toEqual({ value: undefined });
      const grads = new Map(r.grads);
      for (const [name, expected] of Object.entries(c.grad)) {
        const g = grads.get(name);
        expect({ name, present: g !== undefined }).toEqual({ name, present: true });
        expect({ name, problem: mismatch(g!.data, flatten(expected)) }).toEqual({ name, problem: undefined });
      }
      // Integer-bound names are indices: PyTorch has no gradient for them, and neither does actgrad.
      for (const name of c.int ?? []) expect(r.noGradient?.map(([n]) => n) ?? []).toContain(name);
    });
    if (c.hessian) {
      test(`${c.expression}: the Hessian over ${c.hessian.wrt.join(', ')}`, () => {
        const r = computeGrad({ expression: c.expression, bindings: bindings(c.at), wrt: c.hessian!.wrt, hessian: true });
        expect(r.hessian!.variables).toEqual(c.hessian!.variables);
        expect(r.hessian!.wrt).toEqual(c.hessian!.wrt);
        expect(mismatch(r.hessian!.matrix.data, flatten(c.hessian!.matrix))).toBeUndefined();
      });
    }
  });
});
