/**
 * The layer cases of the shared PyTorch 2.11 reference (torch-expressions.jsonl, ids 30 to 50 and
 * 55), each expression written out as calls of the descriptors with the same bindings, as the
 * expression evaluator will make them: value, gradient of every bound name, and the Hessians given.
 * (Ids 51 to 54 are prelu, cross_entropy, kl_div and huber_loss, which are not layers.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mul } from '../../../src/autograd/elementwise';
import { sum } from '../../../src/autograd/reduce';
import { take } from '../../../src/autograd/shape';
import type { Var } from '../../../src/autograd/var';
import { scaledDotProductAttention } from '../../../src/functions/layers/attention';
import { conv1d, conv2d } from '../../../src/functions/layers/conv';
import { cosineSimilarity, pairwiseDistance } from '../../../src/functions/layers/distance';
import { linear } from '../../../src/functions/layers/linear';
import { cosineEmbedding, gaussianNll, marginRanking, multilabelMargin, multilabelSoftMargin, tripletMargin } from '../../../src/functions/layers/losses';
import { embedding } from '../../../src/functions/layers/misc';
import { batchNorm, groupNorm, layerNorm, normalize, rmsNorm } from '../../../src/functions/layers/norms';
import { avgPool1d, maxPool1d, maxPool2d } from '../../../src/functions/layers/pooling';
import { flatten } from '../../helpers/close';
import { call, expectClose, grads, hessian, V } from './helpers';

interface Case {
  id: string;
  expression: string;
  at: Record<string, unknown>;
  int: string[];
  value: unknown;
  grad: Record<string, unknown>;
  hessian?: { wrt: string[]; matrix: unknown };
}

const cases = new Map<string, Case>(
  readFileSync(join(__dirname, '../../fixtures/pytorch-2.11/torch-expressions.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Case)
    .map((c) => [c.id, c]),
);

type Bound = Record<string, Var>;
const weighted = (G: Var, y: Var): Var => sum(mul(G, y));

/** Each case's expression, written with the descriptors (the expression is in the fixture, shown as the test's name). */
const expressions: Record<string, (b: Bound, noGradient: Var[]) => Var> = {
  'torch-reference-30': ({ X, g, b, G }) => weighted(G, call(layerNorm, { input: X, normalized_shape: [3], weight: g, bias: b }).y),
  'torch-reference-31': ({ X, g, b, G }) => weighted(G, call(batchNorm, { input: X, running_mean: null, running_var: null, weight: g, bias: b, training: true }).y),
  'torch-reference-32': ({ X, g, b, G }) => weighted(G, call(groupNorm, { input: X, num_groups: 2, weight: g, bias: b }).y),
  'torch-reference-33': ({ X, g, G }) => weighted(G, call(rmsNorm, { input: X, normalized_shape: [3], weight: g, eps: 1e-6 }).y),
  'torch-reference-34': ({ Q, K, V: v, G }) => weighted(G, call(scaledDotProductAttention, { query: Q, key: K, value: v }).y),
  'torch-reference-35': ({ Q, K, V: v, G }) => weighted(G, call(scaledDotProductAttention, { query: Q, key: K, value: v, is_causal: true }).y),
  'torch-reference-36': ({ a, b }) => call(cosineSimilarity, { x1: a, x2: b, dim: 0 }).y,
  'torch-reference-37': ({ a, b }) => sum(call(pairwiseDistance, { x1: a, x2: b }).y),
  'torch-reference-38': ({ X, W, b, G }) => weighted(G, call(linear, { input: X, weight: W, bias: b }).y),
  'torch-reference-39': ({ x }) => take(call(normalize, { input: x, dim: 0 }).y, Int32Array.of(0), []),
  'torch-reference-40': ({ X, g }) => weighted(g, call(maxPool1d, { input: X, kernel_size: 2 }).y),
  'torch-reference-41': ({ X, g }) => weighted(g, call(avgPool1d, { input: X, kernel_size: 2 }).y),
  'torch-reference-42': ({ x, w, g }) => weighted(g, call(conv1d, { input: x, weight: w }).y),
  'torch-reference-43': ({ X, G }) => weighted(G, call(maxPool2d, { input: X, kernel_size: 2 }).y),
  'torch-reference-44': ({ X, K, G }) => weighted(G, call(conv2d, { input: X, weight: K, padding: 1 }).y),
  'torch-reference-45': ({ mu, y, var: v }) => call(gaussianNll, { input: mu, target: y, var: v }).y,
  'torch-reference-46': ({ a, b, y }) => call(marginRanking, { input1: a, input2: b, target: y, margin: 0.5 }).y,
  'torch-reference-47': ({ a, p, n }) => call(tripletMargin, { anchor: a, positive: p, negative: n }).y,
  'torch-reference-48': ({ a, b, y }) => call(cosineEmbedding, { input1: a, input2: b, target: y }).y,
  'torch-reference-49': ({ x, y }) => call(multilabelSoftMargin, { input: x, target: y }).y,
  'torch-reference-50': ({ x, y }, noGradient) => {
    const r = call(multilabelMargin, { input: x, target: y });
    noGradient.push(...r.noGradient);
    return r.y;
  },
  'torch-reference-55': ({ i, E }, noGradient) => {
    const r = call(embedding, { input: i, weight: E });
    noGradient.push(...r.noGradient);
    return sum(r.y);
  },
};

test('every layer case of the reference is here', () => {
  for (const id of Object.keys(expressions)) expect(cases.get(id)).toBeDefined();
  expect(Object.keys(expressions)).toHaveLength(22);
});

describe.each(Object.keys(expressions).map((id) => [id, cases.get(id)!.expression] as const))('%s: %s', (id) => {
  const c = cases.get(id)!;
  /**
   * The expression's graph, built anew by each test that needs it: built here in the describe
   * body, it would run while jest collects the tests, outside any test, and a mutation run
   * (Stryker, perTest coverage) would count it as static and never rebuild it under a mutant.
   */
  const setup = () => {
    const bound: Bound = Object.fromEntries(Object.entries(c.at).map(([name, v]) => [name, V(v, name)]));
    const noGradient: Var[] = [];
    const y = expressions[id](bound, noGradient);
    return { bound, noGradient, y };
  };

  test('value', () => expectClose(setup().y.value, c.value));

  test('gradient of every bound name (none for integer tensors)', () => {
    const { bound, noGradient, y } = setup();
    const names = Object.keys(c.grad);
    const gs = grads(y, names.map((n) => bound[n]));
    names.forEach((n, i) => expectClose(gs[i], c.grad[n], `grad ${n}`));
    expect(noGradient.map((v) => v.name).sort()).toEqual([...c.int].sort());
  });

  if (c.hessian) {
    const { wrt, matrix } = c.hessian;
    test(`Hessian with respect to ${wrt.join(', ')}`, () => {
      const { bound, y } = setup();
      expectClose(hessian(y, wrt.map((n) => bound[n])), flatten(matrix), 'hessian');
    });
  }
});
