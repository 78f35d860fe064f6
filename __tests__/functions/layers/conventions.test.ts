/**
 * The conventions of the layer descriptors: their arguments are PyTorch's signature, their
 * documentation is complete, and the special points behave as PyTorch's kernels do (NaN and ties
 * in max pooling, fully masked attention rows, evaluation-mode dropout, no second derivative of
 * ctc_loss, no gradient for indices and running statistics).
 */
import { hessian } from '../../../src/autograd/derivatives';
import { mul } from '../../../src/autograd/elementwise';
import { sum } from '../../../src/autograd/reduce';
import { computeFunction } from '../../../src/commands/function';
import { UsageError } from '../../../src/errors';
import type { RawArg } from '../../../src/functions/args';
import { layers } from '../../../src/functions/layers';
import { parseInputArgs, parseNumbers } from '../../../src/parse/numbers';
import type { ArgSpec } from '../../../src/functions/types';
import { call, expectClose, grads, T, V, value } from './helpers';

const fn = (name: string) => layers.find((d) => d.name === name)!;

/** The parameters of a Python signature `f(a, b=1, c=None)`: names and default literals (absent when required). */
function pythonSignature(torch: string): { name: string; default?: string }[] {
  const inner = torch.slice(torch.indexOf('(') + 1, torch.lastIndexOf(')'));
  return inner.split(', ').map((p) => {
    const [name, literal] = p.split('=');
    return literal === undefined ? { name } : { name, default: literal };
  });
}

function literal(text: string): unknown {
  if (text === 'None') return null;
  if (text === 'True' || text === 'False') return text === 'True';
  if (/^'.*'$/.test(text)) return text.slice(1, -1);
  const fraction = /^(\d+)\/(\d+)$/.exec(text);
  return fraction ? Number(fraction[1]) / Number(fraction[2]) : Number(text);
}

/** Where actgrad's default differs from PyTorch's, on purpose (each stated in the descriptor's kinks). */
const OWN_DEFAULTS: Record<string, readonly string[]> = {
  'layer-norm': ['normalized_shape'], // the last dimension
  'rms-norm': ['normalized_shape'],
  'batch-norm': ['running_mean', 'running_var'], // the batch's statistics
  dropout: ['training'], // evaluation mode
};

describe.each(layers.map((d) => [d.name, d] as const))('%s', (name, d) => {
  const own = (s: ArgSpec): boolean => !s.legacy;

  test("the arguments are PyTorch's, in PyTorch's order, with PyTorch's defaults", () => {
    const python = pythonSignature(d.torch);
    expect(d.args.filter(own).map((s) => s.name)).toEqual(python.map((p) => p.name));
    for (const p of python) {
      if (OWN_DEFAULTS[name]?.includes(p.name)) continue;
      const spec = d.args.find((s) => s.name === p.name)!;
      const expected = p.default === undefined ? undefined : literal(p.default);
      const actual = Array.isArray(spec.default) && spec.default.length === 1 ? spec.default[0] : spec.default;
      expect({ arg: p.name, default: actual }).toEqual({ arg: p.name, default: expected });
    }
  });

  test('explain has a summary, formulas, conventions and an example', () => {
    for (const text of [d.summary, d.formula.value, d.formula.derivative, d.kinks]) expect(text.length).toBeGreaterThan(10);
    if (d.kind === 'call') {
      expect(d.example).toMatch(new RegExp(`^grad "[^"]*F\\.${d.torch.match(/functional\.(\w+)\(/)![1]}\\(`));
    } else {
      expect(d.example.startsWith(`${name} `)).toBe(true);
    }
  });

  test('the tensor arguments after the first are CLI flags for layers and losses, expression-only for calls', () => {
    const tensors = d.args.slice(1).filter((s) => s.type === 'tensor');
    for (const s of tensors) expect({ arg: s.name, expressionOnly: Boolean(s.expressionOnly) }).toEqual({ arg: s.name, expressionOnly: d.kind === 'call' });
  });
});

describe('max pooling selects as PyTorch', () => {
  test('a NaN in the window is selected, the last one (values and gradient from torch 1.13: F.max_pool1d(x, 3))', () => {
    const x = V([[1, NaN, 3, NaN, 0.5, 2]]);
    const y = value(fn('max-pool1d'), { input: x, kernel_size: 3 });
    expect(Array.from(y.value.data)).toEqual([NaN, NaN]);
    expect(Array.from(grads(y, [x])[0].data)).toEqual([0, 1, 0, 1, 0, 0]);
  });

  test('a window of -inf selects its first element (F.max_pool1d(x, 2, stride=1) indices [0, 2])', () => {
    const x = V([[-Infinity, -Infinity, 1]]);
    const y = value(fn('max-pool1d'), { input: x, kernel_size: 2, stride: 1 });
    expect(Array.from(y.value.data)).toEqual([-Infinity, 1]);
    expect(Array.from(grads(y, [x])[0].data)).toEqual([1, 0, 1]);
  });

  test('its own second derivative is 0: the Hessian of Σ y² is 2 at the selected elements only', () => {
    const x = V([[1, -2, 0.5, 3]]);
    const y = value(fn('max-pool1d'), { input: x, kernel_size: 2 });
    const selected = [0, 3];
    const expected = Array.from({ length: 16 }, (_, k) => (k % 5 === 0 && selected.includes(k / 5) ? 2 : 0));
    expect(Array.from(hessian(sum(mul(y, y)), [x]))).toEqual(expected);
  });
});

describe('scaled_dot_product_attention', () => {
  const Q = [[0.5, -1], [1, 0.2]];
  const K = [[0.3, 0.8], [-0.6, 1]];
  const Vv = [[1, 2], [-1, 0.5]];

  test('a row masked everywhere gives zeros and no gradient, not NaN (_safe_softmax)', () => {
    const [q, k, v] = [V(Q, 'Q'), V(K, 'K'), V(Vv, 'V')];
    const y = value(fn('scaled-dot-product-attention'), { query: q, key: k, value: v, attn_mask: T([[1, 1], [0, 0]]) });
    expect(Array.from(y.value.data.slice(2))).toEqual([0, 0]);
    const [gq, gk, gv] = grads(y, [q, k, v]);
    expect(Array.from(gq.data.slice(2))).toEqual([0, 0]);
    for (const g of [gq, gk, gv]) expect(g.data.every(Number.isFinite)).toBe(true);
    // The first row is plain attention over both keys.
    const plain = value(fn('scaled-dot-product-attention'), { query: V(Q), key: V(K), value: V(Vv) });
    expectClose(y.value.data.slice(0, 2), Array.from(plain.value.data.slice(0, 2)));
  });

  test('a 0/1 mask that asks for a gradient is a float mask, added to the scores', () => {
    const m = V([[1, 0], [0, 1]], 'M');
    const y = value(fn('scaled-dot-product-attention'), { query: V(Q), key: V(K), value: V(Vv), attn_mask: m });
    const asBoolean = value(fn('scaled-dot-product-attention'), { query: V(Q), key: V(K), value: V(Vv), attn_mask: T([[1, 0], [0, 1]]) });
    expect(Array.from(asBoolean.value.data)).toEqual(Vv.flat());
    expect(y.value.data[0]).not.toBeCloseTo(Vv[0][0], 3);
    expect(grads(y, [m])[0].data.some((g) => g !== 0)).toBe(true);
  });
});

test('dropout in evaluation mode is the input itself, as F.dropout(x, training=False)', () => {
  const x = V([1, -2, 3]);
  expect(value(fn('dropout'), { input: x })).toBe(x);
});

test('ctc_loss has no second derivative, as in PyTorch', () => {
  const lp = V([[-1.2, -0.8, -1.4], [-0.3, -2, -1.9], [-1.1, -1.1, -1.1]]);
  const y = value(fn('ctc'), { log_probs: lp, targets: T([1, 2]), input_lengths: T(3), target_lengths: T(2) });
  expect(() => hessian(y, [lp])).toThrow(new UsageError('ctc_loss has no second derivative: PyTorch does not implement the derivative of _ctc_loss_backward'));
});

test('running statistics and indices take no gradient: reported, and not in the graph', () => {
  const [rm, rv] = [V([0, 1], 'rm'), V([1, 2], 'rv')];
  const x = V([[1, 2], [3, 4]]);
  const bn = call(fn('batch-norm'), { input: x, running_mean: rm, running_var: rv });
  expect(bn.noGradient).toEqual([rm, rv]);
  expect(grads(bn.y, [rm, rv]).map((g) => Array.from(g.data))).toEqual([[0, 0], [0, 0]]);
  const i = V([1, 0], 'i');
  const emb = call(fn('embedding'), { input: i, weight: V([[1, 2], [3, 4]], 'E') });
  expect(emb.noGradient).toEqual([i]);
});

describe("actgrad's additions agree with PyTorch's shapes", () => {
  const X = [[1, 2, 4], [-1, 0.5, 3]];
  test('layer_norm without normalized_shape is over the last dimension', () => {
    expect(value(fn('layer-norm'), { input: T(X) }).value).toEqual(value(fn('layer-norm'), { input: T(X), normalized_shape: [3] }).value);
  });
  test('a scalar var of gaussian_nll_loss is every variance (PyTorch 2 accepts a float var)', () => {
    const full = value(fn('gaussian-nll'), { input: T(X), target: T([[0, 0, 0], [1, 1, 1]]), var: T([[2, 2, 2], [2, 2, 2]]) });
    expect(value(fn('gaussian-nll'), { input: T(X), target: T([[0, 0, 0], [1, 1, 1]]), var: 2 }).value).toEqual(full.value);
  });
  test("gaussian_nll_loss's var may have any one dimension of 1 (PyTorch 2's rule)", () => {
    const args = { input: T(X), target: T([[0, 0, 0], [1, 1, 1]]) };
    const full = value(fn('gaussian-nll'), { ...args, var: T([[0.5, 1, 2], [0.5, 1, 2]]) });
    expect(value(fn('gaussian-nll'), { ...args, var: T([[0.5, 1, 2]]) }).value).toEqual(full.value);
  });
  test('max pooling takes padding up to half the dilated kernel (PyTorch 2, Pool.h: kernel 2, dilation 3, padding 2)', () => {
    const y = value(fn('max-pool1d'), { input: T([[1, 5, 2, 4]]), kernel_size: 2, dilation: 3, padding: 2 });
    // (4 + 4 − 3 − 1)/2 + 1 = 3 windows, reading positions {−2, 1}, {0, 3}, {2, 5}: 5, max(1, 4), 2.
    expect(Array.from(y.value.data)).toEqual([5, 4, 2]);
  });
  test('a plain matrix kernel is one input and one output channel', () => {
    const plain = value(fn('conv2d'), { input: T([X]), weight: T([[1, -1], [0.5, 2]]) });
    const shaped = value(fn('conv2d'), { input: T([X]), weight: T([[[[1, -1], [0.5, 2]]]]) });
    expect(plain.value).toEqual(shaped.value);
  });
  test('batch_norm without running statistics in evaluation mode uses the batch statistics', () => {
    const x = T(X);
    expect(value(fn('batch-norm'), { input: x }).value).toEqual(value(fn('batch-norm'), { input: x, training: true }).value);
  });
});

/** A command line's words, with double quotes grouping (enough for the examples). */
const words = (line: string): string[] => [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);

describe.each(layers.filter((d) => d.kind !== 'call').map((d) => [d.name, d] as const))('the example of %s computes', (_name, d) => {
  test(d.example, () => {
    const [, ...rest] = words(d.example);
    const firstFlag = rest.findIndex((w) => w.startsWith('--'));
    const input = parseInputArgs(rest.slice(0, firstFlag < 0 ? rest.length : firstFlag));
    const args: Record<string, RawArg> = {};
    const wants: Record<string, boolean> = {};
    for (let i = firstFlag; i >= 0 && i < rest.length; i++) {
      const key = rest[i].slice(2).replace(/-/g, '_');
      if (key === 'grad' || key === 'jacobian') {
        wants[key] = true;
        continue;
      }
      const spec = d.args.find((s) => s.name === key)!;
      const text = rest[++i];
      args[key] = spec.type === 'tensor' ? parseNumbers(text) : spec.type === 'ints' ? Array.from(parseNumbers(text).data) : Number(text);
    }
    const r = computeFunction({ fn: d, input, args, grad: wants.grad, jacobian: wants.jacobian });
    expect(r.value.data.every(Number.isFinite)).toBe(true);
    expect((r.grad ?? r.jacobian)!.data.some((v) => v !== 0)).toBe(true);
  });
});
