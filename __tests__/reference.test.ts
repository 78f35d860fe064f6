/**
 * Every PyTorch 2.11 reference case of a function (fixtures/pytorch-2.11/cases.jsonl and
 * second-order.jsonl) through computeFunction, the path every command takes, within rtol 1e-9 and
 * atol 1e-12: value, first derivative / VJP, Jacobian, N-th derivative, Hessian.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeFunction } from '../src/commands/function';
import { lookup } from '../src/functions/registry';
import type { RawArg } from '../src/functions/args';
import { fromNested, type Tensor } from '../src/tensor';
import { flatten, fromJsonNumber, mismatch } from './helpers/close';

interface Case {
  id: string;
  fn: string;
  params: Record<string, unknown>;
  input: unknown;
  target?: unknown;
  grad_output?: unknown;
  order?: number;
  value: unknown;
  grad: unknown;
  jacobian?: unknown;
  hessian?: unknown;
}

const read = (file: string): Case[] =>
  readFileSync(join(__dirname, 'fixtures/pytorch-2.11', file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));

const cases = [...read('cases.jsonl'), ...read('second-order.jsonl')];

const toTensor = (v: unknown): Tensor => {
  const t = fromNested(v);
  return { shape: t.shape, data: Float64Array.from(flatten(v)) };
};

function argsOf(c: Case): Record<string, RawArg> {
  const a: Record<string, RawArg> = {};
  for (const [k, v] of Object.entries(c.params)) a[k] = Array.isArray(v) ? toTensor(v.map(fromJsonNumber)) : (v as RawArg);
  if (c.target !== undefined) a.target = toTensor(c.target);
  return a;
}

test('the fixtures hold every reference case', () => {
  expect(cases.length).toBe(233 + 70);
});

describe.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
  test('value and derivatives agree with PyTorch', () => {
    const fn = lookup(c.fn);
    expect(fn).toBeDefined();
    const r = computeFunction({
      fn: fn!,
      input: toTensor(c.input),
      args: argsOf(c),
      grad: true,
      order: c.order,
      jacobian: c.jacobian !== undefined,
      hessian: c.hessian !== undefined,
      gradOutput: c.grad_output === undefined ? undefined : toTensor(c.grad_output),
    });
    for (const key of ['value', 'grad', 'jacobian', 'hessian'] as const) {
      if (c[key] === undefined) continue;
      const problem = mismatch(r[key]!.data, flatten(c[key]));
      // On failure, show the input with the mismatch.
      expect({ case: c.id, key, x: flatten(c.input), problem }).toEqual({ case: c.id, key, x: flatten(c.input), problem: undefined });
    }
  });
});
