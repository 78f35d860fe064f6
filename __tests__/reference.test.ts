/**
 * Every PyTorch 2.11 reference case (fixtures/pytorch-2.11/cases.jsonl) against the core
 * functions, through the same path as the CLI (compute), within rtol 1e-9 and atol 1e-12.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compute } from '../src/compute';
import { paramSpecsOf } from '../src/functions/apply';
import { lookup } from '../src/functions/registry';
import type { Params } from '../src/functions/types';
import { fromNested, type Tensor } from '../src/tensor';
import { flatten, fromJsonNumber, mismatch } from './helpers/close';

interface Case {
  id: string;
  fn: string;
  params: Record<string, unknown>;
  input: unknown;
  target?: unknown;
  grad_output?: unknown;
  value: unknown;
  grad: unknown;
  jacobian?: unknown;
}

const cases: Case[] = readFileSync(join(__dirname, 'fixtures/pytorch-2.11/cases.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l));

const toTensor = (v: unknown): Tensor => {
  const t = fromNested(v);
  return { shape: t.shape, data: Float64Array.from(flatten(v)) };
};

function paramsOf(c: Case): Params {
  const d = lookup(c.fn)!;
  const p: Params = {};
  for (const spec of paramSpecsOf(d)) {
    const v = c.params[spec.name];
    if (v === undefined) p[spec.name] = spec.default as Params[string];
    else if (Array.isArray(v)) p[spec.name] = Float64Array.from(v.map(fromJsonNumber));
    else p[spec.name] = v as Params[string];
  }
  return p;
}

test('the fixture holds every reference case', () => {
  expect(cases.length).toBe(233);
});

describe.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
  const fn = lookup(c.fn);
  const input = toTensor(c.input);
  const run = () =>
    compute({
      fn: fn!,
      input,
      params: paramsOf(c),
      target: c.target === undefined ? undefined : toTensor(c.target),
      grad: true,
      jacobian: c.jacobian !== undefined,
      gradOutput: c.grad_output === undefined ? undefined : toTensor(c.grad_output),
    });

  test('value, grad and jacobian agree with PyTorch', () => {
    expect(fn).toBeDefined();
    const r = run();
    for (const key of ['value', 'grad', 'jacobian'] as const) {
      if (c[key] === undefined) continue;
      const problem = mismatch(r[key]!.data, flatten(c[key]));
      // On failure, show the input with the mismatch.
      expect({ case: c.id, key, x: flatten(c.input), problem }).toEqual({ case: c.id, key, x: flatten(c.input), problem: undefined });
    }
  });
});
