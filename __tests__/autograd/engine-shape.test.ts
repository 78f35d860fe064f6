/**
 * Ops that move elements (src/autograd/shape.ts): reshape, permute/transpose, take and its
 * adjoint putAdd, unsqueeze, cat and narrow. Forward values against index loops written here,
 * gradients against the adjoint (the seed moved back), double backward of take/putAdd, and the
 * errors PyTorch raises for impossible shapes; reshapes of tensors with no elements, the op names,
 * and that the ops keep their own copies of the dims and shape arrays they are given.
 */
import { grad } from '../../src/autograd/engine';
import { cat, narrow, permute, putAdd, reshape, take, transpose, unsqueeze } from '../../src/autograd/shape';
import { ShapeError } from '../../src/errors';
import { constantOf, coordinates, engineGrad, iota, offsetOf, variable } from '../helpers/engine';

const data = (v: { value: { data: Float64Array } }): number[] => Array.from(v.value.data);

describe('reshape', () => {
  // The leaf is made in each test: code run while jest collects the tests is outside every test,
  // unseen by the mutation run's per-test coverage.
  const input = () => variable([2, 3], iota(6, 1.5, -2));

  test.each([
    [[6], [6]],
    [[-1], [6]],
    [[3, -1], [3, 2]],
    [[-1, 2, 1], [3, 2, 1]],
    [[1, 6], [1, 6]],
    [[3, 2], [3, 2]],
  ])('to %p gives shape %p, the elements in the same order', (asked, resolved) => {
    const x = input();
    const y = reshape(x, asked);
    expect(y.shape).toEqual(resolved);
    expect(data(y)).toEqual(data(x));
  });

  test('to its own shape is the same Var (no node)', () => {
    const x = input();
    expect(reshape(x, [2, 3])).toBe(x);
    expect(reshape(x, [2, -1])).toBe(x);
  });

  test.each([
    [[-1, -1], 'only one dimension can be inferred (-1) in [-1, -1]'],
    [[0, -1], 'shape [0, -1] is invalid for input of size 6'],
    [[4, -1], 'shape [4, -1] is invalid for input of size 6'],
    [[4], 'shape [4] is invalid for input of size 6'],
    [[-2, -3], 'shape [-2, -3] is invalid for input of size 6'],
    [[1.5, 4], 'shape [1.5, 4] is invalid for input of size 6'],
  ])('to %p throws a ShapeError: %s', (asked, message) => {
    const x = input();
    expect(() => reshape(x, asked)).toThrow(new ShapeError(message));
  });

  // PyTorch reshapes a tensor of no elements to any shape of no elements (a 0 anywhere), and
  // infers -1 from the other sizes when their product is not 0; [0, -1] could be anything.
  test.each([
    [[3, 0], [3, 0]],
    [[0], [0]],
    [[2, 0, 5], [2, 0, 5]],
    [[3, -1], [3, 0]],
    [[-1, 3, 2], [0, 3, 2]],
  ])('an empty [0, 3] to %p gives shape %p, and its gradient is empty of shape [0, 3]', (asked, resolved) => {
    const empty = variable([0, 3], []);
    const y = reshape(empty, asked);
    expect(y.shape).toEqual(resolved);
    expect(data(y)).toEqual([]);
    const [g] = grad([y], [constantOf(resolved, [])], [empty]);
    expect(g!.shape).toEqual([0, 3]);
    expect(data(g!)).toEqual([]);
  });

  test('an empty [0, 3] to [0, -1] throws a ShapeError: the -1 could be any size', () => {
    expect(() => reshape(variable([0, 3], []), [0, -1])).toThrow(new ShapeError('shape [0, -1] is invalid for input of size 0'));
  });

  test('backward: the seed reshaped back to the input shape; the rule says so', () => {
    const x = input();
    const seed = [3, 1, 4, 1, 5, 9];
    const y = reshape(x, [3, 2]);
    const [g] = grad([y], [constantOf([3, 2], seed)], [x]);
    expect(g!.shape).toEqual([2, 3]);
    expect(data(g!)).toEqual(seed);
    expect(y.node!.op.rule!('G', ['x'], 0, undefined)).toBe('G reshaped back');
  });
});

/** permute by the definition: out[c] = x[c'] with c'[dims[i]] = c[i]. */
function permuteReference(shape: number[], values: number[], dims: number[]): { shape: number[]; data: number[] } {
  const outShape = dims.map((d) => shape[d]);
  const out: number[] = [];
  for (const c of coordinates(outShape)) {
    const src = new Array<number>(shape.length);
    dims.forEach((d, i) => (src[d] = c[i]));
    out.push(values[offsetOf(shape, src)]);
  }
  return { shape: outShape, data: out };
}

describe('permute and transpose', () => {
  const shape = [2, 3, 4];
  const values = iota(24, 0.5, 1);

  test.each([[[1, 2, 0]], [[2, 0, 1]], [[0, 2, 1]], [[1, 0, 2]], [[2, 1, 0]]])('permute %p: values and gradient (the inverse permutation)', (dims) => {
    const x = variable(shape, values);
    const y = permute(x, dims);
    const expected = permuteReference(shape, values, dims);
    expect(y.shape).toEqual(expected.shape);
    expect(data(y)).toEqual(expected.data);
    // The gradient of Σ seed ⊙ permute(x) is seed put back: seed[k] = k gives each element its position in y.
    const seed = iota(24);
    const g = engineGrad((v) => permute(v, dims), x, seed);
    const back = permuteReference(shape, values.map((_, i) => i), dims).data;
    back.forEach((src, k) => expect(g[src]).toBe(seed[k]));
  });

  test('rank 4, the last two swapped after a swap of the leading two', () => {
    const s = [2, 2, 2, 3];
    const v = iota(24);
    expect(data(permute(variable(s, v), [1, 0, 3, 2]))).toEqual(permuteReference(s, v, [1, 0, 3, 2]).data);
  });

  test('the identity permutation is the same Var', () => {
    const x = variable(shape, values);
    expect(permute(x, [0, 1, 2])).toBe(x);
  });

  test.each([
    [undefined, undefined, [0, 2, 1]],
    [-2, -1, [0, 2, 1]],
    [0, 2, [2, 1, 0]],
    [-3, 1, [1, 0, 2]],
    [2, -3, [2, 1, 0]],
    [1, 0, [1, 0, 2]],
    [-1, 0, [2, 1, 0]],
  ])('transpose(%p, %p) is permute %p', (d0, d1, dims) => {
    const x = variable(shape, values);
    const y = d0 === undefined ? transpose(x) : transpose(x, d0, d1);
    expect(y.shape).toEqual(dims.map((d) => shape[d]));
    expect(data(y)).toEqual(permuteReference(shape, values, dims).data);
  });

  test('transpose of a vector or a scalar is the same Var', () => {
    const v = variable([3], [1, 2, 3]);
    const s = variable([], [4]);
    expect(transpose(v)).toBe(v);
    expect(transpose(s)).toBe(s);
  });

  test('the rule of permute', () => {
    expect(permute(variable(shape, values), [2, 0, 1]).node!.op.rule!('G', ['x'], 0, { dims: [2, 0, 1] })).toBe('G transposed back');
  });
});

describe('take and putAdd', () => {
  // The leaf is made in each test: code run while jest collects the tests is outside every test,
  // unseen by the mutation run's per-test coverage.
  const input = () => variable([2, 3], [10, 20, 30, 40, 50, 60]);
  const index = Int32Array.of(5, -1, 0, 5, 2, 2);

  test('take: elements at flat indices, 0 at index -1', () => {
    const x = input();
    const y = take(x, index, [3, 2]);
    expect(y.shape).toEqual([3, 2]);
    expect(data(y)).toEqual([60, 0, 10, 60, 30, 30]);
  });

  test('backward: repeated indices sum their gradients, index -1 contributes nothing', () => {
    const x = input();
    const g = engineGrad((v) => take(v, index, [6]), x, [1, 2, 4, 8, 16, 32]);
    expect(Array.from(g)).toEqual([4, 0, 16 + 32, 0, 0, 1 + 8]);
  });

  test('putAdd forward: a tensor of the input shape with the values added at their indices', () => {
    const g = constantOf([6], [1, 2, 4, 8, 16, 32]);
    const y = putAdd(g, index, [2, 3]);
    expect(y.shape).toEqual([2, 3]);
    expect(data(y)).toEqual([4, 0, 48, 0, 0, 9]);
  });

  test('double backward: the gradient of putAdd with respect to its input is take again', () => {
    const x = input();
    const seed = variable([6], [1, 2, 4, 8, 16, 32], 'u');
    const y = take(x, index, [6]);
    const [gx] = grad([y], [seed], [x], { createGraph: true });
    expect(gx!.requiresGrad).toBe(true);
    const w = constantOf([2, 3], [1, 10, 100, 1000, 10000, 100000]);
    const [gu] = grad([gx!], [w], [seed]);
    expect(gu!.shape).toEqual([6]);
    expect(data(gu!)).toEqual([100000, 0, 1, 100000, 100, 100]);
  });

  test('rule of take', () => {
    const x = input();
    expect(take(x, index, [6]).node!.op.rule!('G', ['x'], 0, { index, shape: [6], inShape: [2, 3] })).toBe('G placed back where the elements were taken');
  });
});

describe('unsqueeze', () => {
  test.each([
    [0, [1, 2, 3]],
    [1, [2, 1, 3]],
    [2, [2, 3, 1]],
    [-1, [2, 3, 1]],
    [-2, [2, 1, 3]],
    [-3, [1, 2, 3]],
  ])('at %p gives shape %p', (dim, shape) => {
    const y = unsqueeze(variable([2, 3], iota(6)), dim);
    expect(y.shape).toEqual(shape);
    expect(data(y)).toEqual(iota(6));
  });
});

/** cat by the definition: along `dim`, the pieces one after the other. */
function catReference(pieces: { shape: number[]; data: number[] }[], dim: number): { shape: number[]; data: number[] } {
  const shape = pieces[0].shape.slice();
  shape[dim] = pieces.reduce((s, p) => s + p.shape[dim], 0);
  const out: number[] = [];
  for (const c of coordinates(shape)) {
    let at = c[dim];
    let k = 0;
    while (at >= pieces[k].shape[dim]) at -= pieces[k++].shape[dim];
    const src = c.slice();
    src[dim] = at;
    out.push(pieces[k].data[offsetOf(pieces[k].shape, src)]);
  }
  return { shape, data: out };
}

describe('cat', () => {
  test.each([
    [0, [[1, 2, 2], [2, 2, 2], [3, 2, 2]]],
    [1, [[2, 1, 2], [2, 3, 2], [2, 2, 2]]],
    [2, [[2, 2, 1], [2, 2, 3], [2, 2, 2]]],
    [-1, [[2, 2, 1], [2, 2, 3], [2, 2, 2]]],
    [-2, [[2, 1, 2], [2, 3, 2], [2, 2, 2]]],
  ])('along %p: values, and each piece gets its slice of the gradient', (dim, shapes) => {
    let next = 0;
    const pieces = shapes.map((s) => {
      const n = s.reduce((p, q) => p * q, 1);
      const v = iota(n, 1, next);
      next += n;
      return { shape: s, data: v };
    });
    const xs = pieces.map((p, i) => variable(p.shape, p.data, `x${i}`));
    const y = cat(xs, dim);
    const d = dim < 0 ? dim + 3 : dim;
    const expected = catReference(pieces, d);
    expect(y.shape).toEqual(expected.shape);
    expect(data(y)).toEqual(expected.data);
    // Seeded with y's own values, each input's gradient is its own values.
    const gs = grad([y], [constantOf(y.shape, expected.data)], xs);
    gs.forEach((g, i) => {
      expect(g!.shape).toEqual(pieces[i].shape);
      expect(data(g!)).toEqual(pieces[i].data);
    });
  });

  test('inputs that need no gradient get none; the others theirs', () => {
    const a = constantOf([2], [1, 2]);
    const b = variable([3], [3, 4, 5]);
    const y = cat([a, b, a], 0);
    expect(data(y)).toEqual([1, 2, 3, 4, 5, 1, 2]);
    const [g] = grad([y], [constantOf([7], iota(7))], [b]);
    expect(data(g!)).toEqual([2, 3, 4]);
  });

  test('one tensor is returned as it is', () => {
    const a = variable([2], [1, 2]);
    expect(cat([a], 0)).toBe(a);
  });

  test.each([
    [[2, 3], [2, 4], 0, 'cat needs tensors of the same shape except in dimension 0: [2, 3] and [2, 4]'],
    [[2, 3], [3, 4], 1, 'cat needs tensors of the same shape except in dimension 1: [2, 3] and [3, 4]'],
    [[2, 3], [2, 3, 1], 1, 'cat needs tensors of the same shape except in dimension 1: [2, 3] and [2, 3, 1]'],
    [[2, 3], [6], -1, 'cat needs tensors of the same shape except in dimension 1: [2, 3] and [6]'],
    [[2, 3], [2], 1, 'cat needs tensors of the same shape except in dimension 1: [2, 3] and [2]'],
  ])('%p with %p along %p: %s', (s0, s1, dim, message) => {
    const a = variable(s0, iota(s0.reduce((p, q) => p * q, 1)));
    const b = variable(s1, iota(s1.reduce((p, q) => p * q, 1)));
    expect(() => cat([a, b], dim)).toThrow(new ShapeError(message));
  });
});

describe('narrow', () => {
  test.each([
    [0, 1, 1, [[5, 6, 7, 8, 9]]],
    [1, 1, 2, [[1, 2], [6, 7]]],
    [1, 3, 2, [[3, 4], [8, 9]]],
  ])('dim %p from %p, %p long', (dim, start, length, expected) => {
    const x = variable([2, 5], iota(10));
    const y = narrow(x, dim, start, length);
    expect(y.shape).toEqual([expected.length, expected[0].length]);
    expect(data(y)).toEqual(expected.flat());
    // The gradient of the sum is 1 exactly where the narrowed elements were.
    const g = engineGrad((v) => narrow(v, dim, start, length), x);
    expect(Array.from(g)).toEqual(iota(10).map((i) => (expected.flat().includes(i) ? 1 : 0)));
  });
});

describe('the nodes', () => {
  // Each op is built in its test (build() runs there): code run while jest collects the tests is
  // outside every test, unseen by the mutation run's per-test coverage.
  const input = () => variable([2, 3], iota(6));
  const index = Int32Array.of(4, 0);

  test.each([
    ['reshape', () => reshape(input(), [3, 2])],
    ['permute', () => permute(input(), [1, 0])],
    ['take', () => take(input(), index, [2])],
    ['index_add', () => putAdd(variable([2], [1, 2]), index, [2, 3])],
    [
      'cat',
      () => {
        const x = input();
        return cat([x, x], 0);
      },
    ],
  ])('the op is named %p', (name, build) => {
    expect(build().node!.op.name).toBe(name);
  });
});

// The ops copy the arrays they are given: a caller may reuse its dims or shape array once the op
// is built, and the gradient computed afterwards is still that of the op as it was asked for.
describe('arrays changed by the caller after the call', () => {
  test('permute: the gradient is the seed put back by the dims as given', () => {
    const shape = [2, 3, 4];
    const x = variable(shape, iota(24));
    const dims = [2, 0, 1];
    const y = permute(x, dims);
    dims.splice(0, 3, 1, 2, 0);
    const [g] = grad([y], [constantOf(y.shape, iota(24))], [x]);
    expect(g!.shape).toEqual(shape);
    // seed[k] = k: the element of x at each position of y gets that position.
    const back = permuteReference(shape, iota(24), [2, 0, 1]).data;
    const expected = new Array<number>(24);
    back.forEach((src, k) => (expected[src] = k));
    expect(data(g!)).toEqual(expected);
  });

  test('take: the gradient has the input shape as given', () => {
    const x = variable([2, 3], iota(6));
    const inShape = [2, 3];
    const y = take(x, Int32Array.of(5, 0, 5), [3], inShape);
    inShape.splice(0, 2, 3, 2);
    const [g] = grad([y], [constantOf([3], [1, 10, 100])], [x]);
    expect(g!.shape).toEqual([2, 3]);
    expect(data(g!)).toEqual([10, 0, 0, 0, 0, 101]);
  });

  test('putAdd: its double backward (take, then putAdd again) has the shape as given', () => {
    const index = Int32Array.of(5, 0, 5);
    const u = variable([3], [1, 2, 3], 'u');
    const inShape = [2, 3];
    const y = putAdd(u, index, inShape);
    inShape.splice(0, 2, 6, 1);
    // ∂(Σ w ⊙ putAdd(u))/∂u = take(w): w's elements at the indices, itself differentiable in w.
    const w = variable([2, 3], iota(6, 1, 1), 'w');
    const [gu] = grad([y], [w], [u], { createGraph: true });
    expect(data(gu!)).toEqual([6, 1, 6]);
    const [gw] = grad([gu!], [constantOf([3], [1, 10, 100])], [w]);
    expect(gw!.shape).toEqual([2, 3]);
    expect(data(gw!)).toEqual([10, 0, 0, 0, 0, 101]);
  });
});
