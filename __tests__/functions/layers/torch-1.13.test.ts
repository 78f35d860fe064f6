/**
 * Every layer descriptor and parameter against PyTorch 1.13 (float64): the cases of
 * fixtures/torch-1.13.jsonl, produced by fixtures/torch-1.13.py; each case's "torch" field is the
 * PyTorch call that produced its numbers (shown in the test's name). Expression calls: value,
 * gradient of every bound name and the Hessians given, with the arguments bound by PyTorch keyword.
 * Layers and losses: value, gradient, Jacobian and Hessian through computeFunction, the CLI's path.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mul } from '../../../src/autograd/elementwise';
import { sum } from '../../../src/autograd/reduce';
import { leaf, type Var } from '../../../src/autograd/var';
import { computeFunction } from '../../../src/commands/function';
import { bindArgs, type RawArg } from '../../../src/functions/args';
import { layers } from '../../../src/functions/layers';
import type { Descriptor } from '../../../src/functions/types';
import { flatten, fromJsonNumber } from '../../helpers/close';
import { expectClose, grads, hessian, T, V } from './helpers';

interface CallCase {
  id: string;
  kind: 'call';
  fn: string;
  torch: string;
  at: Record<string, unknown>;
  const: string[];
  int: string[];
  args: Record<string, unknown>;
  square: boolean;
  G: unknown;
  value: unknown;
  grad: Record<string, unknown>;
  hessian?: { wrt: string[]; matrix: unknown };
}

interface CliCase {
  id: string;
  kind: 'cli';
  fn: string;
  torch: string;
  input: unknown;
  target: unknown;
  args: Record<string, unknown>;
  value: unknown;
  grad: unknown;
  jacobian: unknown;
  hessian: unknown;
}

const cases: (CallCase | CliCase)[] = readFileSync(join(__dirname, 'fixtures/torch-1.13.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l));

const descriptor = (name: string): Descriptor => {
  const d = layers.find((f) => f.name === name);
  if (!d) throw new Error(`no layer descriptor ${name}`);
  return d;
};

/** A case's argument: "$X" is the bound tensor X, "Infinity" and friends are numbers. */
function argument(v: unknown, bound: Record<string, Var>): RawArg {
  if (typeof v === 'string' && v.startsWith('$')) return bound[v.slice(1)];
  if (v === 'Infinity' || v === '-Infinity' || v === 'NaN') return fromJsonNumber(v);
  return v as RawArg;
}

/**
 * fn's arguments bound as an expression call binds them. bindArgs takes no string for an 'ints'
 * argument (ArgSpec has one type per argument), so conv's padding='same'/'valid' is set after binding.
 */
function forward(fn: Descriptor, given: Record<string, RawArg>, noGradient: Var[]): Var {
  const { padding, ...rest } = given;
  const textPadding = typeof padding === 'string';
  const args = bindArgs(fn, textPadding ? rest : given);
  return fn.forward(textPadding ? { ...args, padding } : args, { noGradient: (v) => void noGradient.push(v) });
}

const callCases = cases.filter((c): c is CallCase => c.kind === 'call');
const cliCases = cases.filter((c): c is CliCase => c.kind === 'cli');

test('the fixture has cases of every layer descriptor', () => {
  const covered = new Set(cases.map((c) => c.fn));
  expect(layers.map((d) => d.name).filter((n) => !covered.has(n))).toEqual([]);
});

describe.each(callCases.map((c) => [c.id, c.torch, c] as const))('%s: %s', (_id, _torch, c) => {
  /**
   * The case's forward pass, built anew by each test that needs it: computed here in the describe
   * body, it would run while jest collects the tests, outside any test, and a mutation run
   * (Stryker, perTest coverage) would count it as static and never recompute it under a mutant.
   */
  const setup = () => {
    const bound: Record<string, Var> = {};
    for (const [name, v] of Object.entries(c.at)) bound[name] = c.const.includes(name) ? leaf(T(v), name, false) : V(v, name);
    const noGradient: Var[] = [];
    const y = forward(descriptor(c.fn), Object.fromEntries(Object.entries(c.args).map(([k, v]) => [k, argument(v, bound)])), noGradient);
    const out = c.square ? mul(y, y) : y;
    const s = c.G === null ? out : sum(mul(V(c.G, 'G'), out));
    return { bound, noGradient, y, s };
  };

  test('value', () => {
    const { y } = setup();
    expect(y.shape).toEqual(T(c.value).shape);
    expectClose(y.value, c.value);
  });

  test('gradients (none for integer tensors)', () => {
    const { bound, noGradient, s } = setup();
    const names = Object.keys(c.grad);
    const gs = grads(s, names.map((n) => bound[n]));
    names.forEach((n, i) => expectClose(gs[i], c.grad[n], `grad ${n}`));
    expect(noGradient.map((v) => v.name).sort()).toEqual([...c.int].sort());
  });

  if (c.hessian) {
    const { wrt, matrix } = c.hessian;
    test(`Hessian with respect to ${wrt.join(', ')}`, () => {
      const { bound, s } = setup();
      expectClose(hessian(s, wrt.map((n) => bound[n])), flatten(matrix), 'hessian');
    });
  }
});

describe.each(cliCases.map((c) => [c.id, c.torch, c] as const))('%s: %s', (_id, _torch, c) => {
  test('value, gradient, Jacobian and Hessian through computeFunction', () => {
    const fn = descriptor(c.fn);
    const args: Record<string, RawArg> = {};
    for (const [k, v] of Object.entries(c.args)) args[k] = fn.args.find((s) => s.name === k)?.type === 'tensor' ? T(v) : (v as RawArg);
    if (c.target !== null) args.target = T(c.target);
    const r = computeFunction({ fn, input: T(c.input), args, grad: true, jacobian: true, hessian: true });
    expectClose(r.value, c.value, 'value');
    expectClose(r.grad!, c.grad, 'grad');
    expectClose(r.jacobian!, c.jacobian, 'jacobian');
    expectClose(r.hessian!, c.hessian, 'hessian');
  });
});
