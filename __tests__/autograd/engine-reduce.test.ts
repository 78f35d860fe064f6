/**
 * Reductions (src/autograd/reduce.ts) against loops over coordinates written here: sum, mean,
 * amax/amin, max()/min() of all elements, max/min along a dimension and logsumexp, along every
 * dimension and set of dimensions (negative ones too), with and without keepdim; gradients against
 * PyTorch's backward formulas (sum/mean_backward, scale_grad_by_count for amax/amin,
 * evenly_distribute_backward for max(), value_selecting_reduction_backward along a dimension,
 * logsumexp_backward = grad·exp(x − result)); NaN, ±inf, ties and empty tensors.
 */
import { grad } from '../../src/autograd/engine';
import { amax, amin, extremumAlong, logsumexp, maxAll, mean, minAll, normaliseDims, sum } from '../../src/autograd/reduce';
import type { Var } from '../../src/autograd/var';
import { ShapeError } from '../../src/errors';
import { numel } from '../../src/tensor';
import { constantOf, coordinates, engineGrad, expectClose, expectGradMatchesFiniteDifferences, iota, offsetOf, variable } from '../helpers/engine';

const data = (v: Var): number[] => Array.from(v.value.data);

describe('normaliseDims', () => {
  test.each([
    [undefined, 3, [0, 1, 2]],
    [[], 3, [0, 1, 2]],
    [1, 3, [1]],
    [-1, 3, [2]],
    [-3, 3, [0]],
    [[2, 0], 3, [0, 2]],
    [[0, -3, 2, -1], 3, [0, 2]],
    [0, 0, [0]],
    [-1, 0, [0]],
    [undefined, 0, []],
  ])('%p of a rank-%p tensor is %p (sorted, unique, non-negative)', (dims, rank, expected) => {
    expect(normaliseDims(dims, rank)).toEqual(expected);
  });

  test.each([
    [3, 3, 'dim=3 is out of range for a tensor of 3 dimensions (expected -3 to 2)'],
    [-4, 3, 'dim=-4 is out of range for a tensor of 3 dimensions (expected -3 to 2)'],
    [1, 1, 'dim=1 is out of range for a tensor of 1 dimension (expected -1 to 0)'],
    [1, 0, 'dim=1 is out of range for a tensor of 0 dimensions (expected -1 to 0)'],
    [0.5, 2, 'dim=0.5 is out of range for a tensor of 2 dimensions (expected -2 to 1)'],
  ])('%p for rank %p throws: %s', (d, rank, message) => {
    expect(() => normaliseDims(d, rank)).toThrow(new ShapeError(message));
    expect(() => normaliseDims([0, d], Math.max(rank, 1))).toThrow(ShapeError);
  });

  test('the name of the argument is the caller’s', () => {
    expect(() => normaliseDims(2, 2, 'axis')).toThrow('axis=2 is out of range for a tensor of 2 dimensions (expected -2 to 1)');
  });
});

/** A reduction by the definition: each input element folded into its output slot in row-major order. */
function reduceReference(shape: number[], values: readonly number[], dims: number[], keepdim: boolean, init: number, step: (acc: number, v: number) => number) {
  const outShape = keepdim ? shape.map((s, i) => (dims.includes(i) ? 1 : s)) : shape.filter((_, i) => !dims.includes(i));
  const out = new Array<number>(numel(outShape)).fill(init);
  const slot: number[] = [];
  for (const c of coordinates(shape)) {
    const oc = keepdim ? c.map((v, i) => (dims.includes(i) ? 0 : v)) : c.filter((_, i) => !dims.includes(i));
    const o = offsetOf(outShape, oc);
    out[o] = step(out[o], values[offsetOf(shape, c)]);
    slot.push(o);
  }
  return { shape: outShape, data: out, slot };
}

const shape = [2, 3, 4];
// Distinct values, not in order, so that a wrong slot or a wrong order shows.
const values = iota(24).map((i) => Math.round(100 * Math.sin(1.7 * i + 0.3)) / 8);
const dimSets: [number | number[] | undefined, number[]][] = [
  [0, [0]],
  [1, [1]],
  [2, [2]],
  [-1, [2]],
  [-3, [0]],
  [[0, 2], [0, 2]],
  [[-1, 1], [1, 2]],
  [undefined, [0, 1, 2]],
];

describe.each(dimSets)('reducing dims %p of [2, 3, 4]', (dims, normalised) => {
  describe.each([false, true])('keepdim %p', (keepdim) => {
    const count = normalised.reduce((p, d) => p * shape[d], 1);
    // One seed per output element, worked out in each test: code run while jest collects the tests is
    // outside every test, unseen by the mutation run's per-test coverage.
    const seedOf = (): number[] => iota(numel(reduceReference(shape, values, normalised, keepdim, 0, (a) => a).shape), 1, 1);

    test('sum: values; gradient the seed of each element’s slot', () => {
      const seed = seedOf();
      const ref = reduceReference(shape, values, normalised, keepdim, 0, (a, v) => a + v);
      const x = variable(shape, values);
      const y = sum(x, dims, keepdim);
      expect(y.shape).toEqual(ref.shape);
      expectClose(data(y), ref.data);
      expect(Array.from(engineGrad((v) => sum(v, dims, keepdim), x, seed))).toEqual(ref.slot.map((o) => seed[o]));
    });

    test('mean: values; gradient the seed / N', () => {
      const seed = seedOf();
      const ref = reduceReference(shape, values, normalised, keepdim, 0, (a, v) => a + v / count);
      const x = variable(shape, values);
      const y = mean(x, dims, keepdim);
      expect(y.shape).toEqual(ref.shape);
      expectClose(data(y), ref.data);
      expectClose(engineGrad((v) => mean(v, dims, keepdim), x, seed), ref.slot.map((o) => seed[o] / count));
    });

    test.each([
      ['amax', amax, Math.max, -Infinity],
      ['amin', amin, Math.min, Infinity],
    ] as const)('%s: values; gradient to the extremum of each slot', (_name, op, pick, init) => {
      const seed = seedOf();
      const ref = reduceReference(shape, values, normalised, keepdim, init, pick);
      const x = variable(shape, values);
      const y = op(x, dims, keepdim);
      expect(y.shape).toEqual(ref.shape);
      expect(data(y)).toEqual(ref.data);
      const g = engineGrad((v) => op(v, dims, keepdim), x, seed);
      expect(Array.from(g)).toEqual(ref.slot.map((o, k) => (values[k] === ref.data[o] ? seed[o] : 0)));
    });

    test('logsumexp: values; gradient seed · softmax over the slot', () => {
      const seed = seedOf();
      const ref = reduceReference(shape, values, normalised, keepdim, 0, (a, v) => a + Math.exp(v)).data.map(Math.log);
      const x = variable(shape, values);
      const y = logsumexp(x, dims, keepdim);
      expectClose(data(y), ref, 1e-13);
      const refSlot = reduceReference(shape, values, normalised, keepdim, 0, (a) => a).slot;
      expectClose(
        engineGrad((v) => logsumexp(v, dims, keepdim), x, seed),
        refSlot.map((o, k) => seed[o] * Math.exp(values[k] - ref[o])),
        1e-12,
      );
    });
  });
});

describe('defaults and scalars', () => {
  test('keepdim defaults to false', () => {
    const x = variable([2, 3], iota(6));
    expect(sum(x, 1).shape).toEqual([2]);
    expect(mean(x, 1).shape).toEqual([2]);
    expect(amax(x, 1).shape).toEqual([2]);
    expect(amin(x, 1).shape).toEqual([2]);
    expect(logsumexp(x, 1).shape).toEqual([2]);
    expect(sum(x).shape).toEqual([]);
  });

  test('a scalar reduces to itself, with gradient 1', () => {
    const s = variable([], [2.5]);
    for (const f of [(v: Var) => sum(v), (v: Var) => mean(v, 0), (v: Var) => amax(v, -1), (v: Var) => logsumexp(v)]) {
      expect(data(f(s))).toEqual([2.5]);
      expect(Array.from(engineGrad(f, s))).toEqual([1]);
    }
  });

  test('the op names and worked-solution rules', () => {
    const x = variable([2, 3], iota(6));
    const names = [sum(x), mean(x), amax(x), amin(x), maxAll(x), minAll(x), logsumexp(x)].map((y) => y.node!.op.name);
    expect(names).toEqual(['sum', 'mean', 'amax', 'amin', 'max', 'min', 'logsumexp']);
    expect(sum(x).node!.op.rule!('G', ['x'], 0, { dims: [0, 1], keepdim: false })).toBe('G · 1 (every element)');
    expect(mean(x).node!.op.rule!('G', ['x'], 0, { dims: [0, 1], keepdim: false, n: 6 })).toBe('G / 6 (every element)');
  });
});

describe('NaN, ties and infinities', () => {
  test('amax/amin propagate NaN wherever it stands; the NaN slot’s gradient is NaN (0/0 count), the others’ not', () => {
    const x = variable([3, 3], [1, NaN, 3, NaN, 5, 4, 2, 0, 1]);
    expect(data(amax(x, 1))).toEqual([NaN, NaN, 2]);
    expect(data(amin(x, 1))).toEqual([NaN, NaN, 0]);
    expect(data(amax(x))).toEqual([NaN]);
    expect(data(amin(x, 0))).toEqual([NaN, NaN, 1]);
    const g = engineGrad((v) => amax(v, 1), x);
    expect(Array.from(g)).toEqual([NaN, NaN, NaN, NaN, NaN, NaN, 1, 0, 0]);
  });

  test('amax/amin share the gradient evenly among ties (scale_grad_by_count)', () => {
    const x = variable([2, 4], [3, 1, 3, 3, -2, 5, -2, 0]);
    expect(Array.from(engineGrad((v) => amax(v, 1), x, [6, 10]))).toEqual([2, 0, 2, 2, 0, 10, 0, 0]);
    expect(Array.from(engineGrad((v) => amin(v, 1), x, [6, 10]))).toEqual([0, 6, 0, 0, 5, 0, 5, 0]);
  });

  test('max()/min() of all elements: ties share the gradient; with NaN the NaNs share it (evenly_distribute_backward)', () => {
    const ties = variable([2, 2], [4, -1, 4, 4]);
    expect(data(maxAll(ties))).toEqual([4]);
    expect(data(minAll(ties))).toEqual([-1]);
    expect(maxAll(ties).shape).toEqual([]);
    expectClose(engineGrad(maxAll, ties, [3]), [1, 0, 1, 1]);
    expect(Array.from(engineGrad(minAll, ties, [3]))).toEqual([0, 3, 0, 0]);
    const nan = variable([4], [1, NaN, -7, NaN]);
    expect(data(maxAll(nan))).toEqual([NaN]);
    expect(data(minAll(nan))).toEqual([NaN]);
    expect(Array.from(engineGrad(maxAll, nan))).toEqual([0, 0.5, 0, 0.5]);
    expect(Array.from(engineGrad(minAll, nan))).toEqual([0, 0.5, 0, 0.5]);
  });

  test('logsumexp subtracts the max: large values do not overflow, small ones do not vanish', () => {
    const x = variable([2, 2], [1000, 1000, -1000, -1001]);
    expectClose(data(logsumexp(x, 1)), [1000 + Math.LN2, -1000 + Math.log1p(Math.exp(-1))]);
    expectClose(engineGrad((v) => logsumexp(v, 1), x), [0.5, 0.5, 1 / (1 + Math.exp(-1)), 1 / (1 + Math.exp(1))]);
  });

  test('logsumexp with infinite slices: all −inf gives −inf, a +inf gives +inf, a NaN NaN', () => {
    const x = variable([4, 2], [-Infinity, -Infinity, Infinity, 1, NaN, 2, -Infinity, 3]);
    expect(data(logsumexp(x, 1))).toEqual([-Infinity, Infinity, NaN, 3]);
    expect(Array.from(engineGrad((v) => logsumexp(v, 1), x)).slice(6)).toEqual([0, 1]);
  });

  test('logsumexp’s gradient agrees with central differences', () => {
    expectGradMatchesFiniteDifferences((v) => logsumexp(v, [0, 2]), variable(shape, values.map((v) => v / 4)), iota(3, 1, 1));
  });
});

describe('max/min along a dimension', () => {
  /** The first extremum (a NaN counts as one) of each slice along d, by a loop. */
  function alongReference(d: number, keepdim: boolean, which: 'max' | 'min', vals: number[]) {
    const outShape = keepdim ? shape.map((s, i) => (i === d ? 1 : s)) : shape.filter((_, i) => i !== d);
    const best = new Array<number>(numel(outShape)).fill(-1);
    const at = new Array<number>(numel(outShape)).fill(-1);
    let k = 0;
    for (const c of coordinates(shape)) {
      const o = offsetOf(outShape, keepdim ? c.map((v, i) => (i === d ? 0 : v)) : c.filter((_, i) => i !== d));
      const v = vals[k];
      const cur = best[o] < 0 ? NaN : vals[best[o]];
      const better = which === 'max' ? v > cur : v < cur;
      if (best[o] < 0 || (cur === cur && (v !== v || better))) {
        best[o] = k;
        at[o] = c[d];
      }
      k++;
    }
    return { shape: outShape, source: best, positions: at };
  }

  // Ties and NaNs placed along every dimension.
  const tricky = values.slice();
  tricky[5] = tricky[1]; // a tie along dim 1 with element 1
  tricky[13] = tricky[1]; // along dim 0 with element 1
  tricky[2] = tricky[3] = 99; // along dim 2
  tricky[9] = NaN;
  tricky[22] = NaN;
  tricky[23] = NaN;

  describe.each([0, 1, 2, -1, -2])('dim %p', (dim) => {
    test.each([
      [false, 'max'],
      [true, 'max'],
      [false, 'min'],
      [true, 'min'],
    ] as const)('keepdim %p, %s: the first extremum, its position, and the gradient to it alone', (keepdim, which) => {
      const d = dim < 0 ? dim + 3 : dim;
      const ref = alongReference(d, keepdim, which, tricky);
      const x = variable(shape, tricky);
      const { values: y, indices } = extremumAlong(x, dim, keepdim, which);
      expect(y.shape).toEqual(ref.shape);
      expect(indices.shape).toEqual(ref.shape);
      expect(Array.from(indices.data)).toEqual(ref.positions);
      expect(data(y)).toEqual(ref.source.map((s) => tricky[s]));
      const seed = iota(ref.source.length, 1, 1);
      const expected = new Array<number>(24).fill(0);
      ref.source.forEach((s, o) => (expected[s] = seed[o]));
      expect(Array.from(engineGrad((v) => extremumAlong(v, dim, keepdim, which).values, x, seed))).toEqual(expected);
    });
  });

  test('the first of ties and the first NaN, by hand', () => {
    const x = variable([5], [3, 1, 3, 1, 0]);
    expect(Array.from(extremumAlong(x, 0, false, 'max').indices.data)).toEqual([0]);
    expect(Array.from(extremumAlong(x, 0, false, 'min').indices.data)).toEqual([4]);
    const y = variable([4], [1, NaN, 5, NaN]);
    expect(Array.from(extremumAlong(y, 0, false, 'max').indices.data)).toEqual([1]);
    expect(Array.from(extremumAlong(y, -1, true, 'min').indices.data)).toEqual([1]);
  });

  test('of a scalar: the scalar, at position 0', () => {
    const s = variable([], [7]);
    const { values: v, indices } = extremumAlong(s, -1, false, 'max');
    expect(v.shape).toEqual([]);
    expect(data(v)).toEqual([7]);
    expect(Array.from(indices.data)).toEqual([0]);
    expect(extremumAlong(s, 0, true, 'min').values.shape).toEqual([]);
  });
});

describe('empty tensors have no extremum', () => {
  // A new leaf in each test (the calls below run inside the tests): code run while jest collects the
  // tests is outside every test, unseen by the mutation run's per-test coverage.
  const emptyOf = () => variable([2, 0], []);
  test.each([
    ['amax', () => amax(emptyOf(), 1)],
    ['amin', () => amin(emptyOf())],
    ['max', () => maxAll(emptyOf())],
    ['min', () => minAll(emptyOf())],
    ['max', () => extremumAlong(emptyOf(), 0, false, 'max')],
    ['min', () => extremumAlong(emptyOf(), 0, false, 'min')],
  ])('%s throws', (name, f) => {
    expect(f).toThrow(new ShapeError(`${name} of an empty tensor has no value`));
  });

  test('their sum is 0 and the gradient empty', () => {
    const empty = emptyOf();
    expect(data(sum(empty))).toEqual([0]);
    expect(data(sum(empty, 1))).toEqual([0, 0]);
    const [g] = grad([sum(empty)], [constantOf([], [1])], [empty]);
    expect(g!.shape).toEqual([2, 0]);
  });
});
