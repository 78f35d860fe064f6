/**
 * Indexing as NumPy and PyTorch define it (src/autograd/indexing.ts). The tensor indexed holds its
 * own flat positions (x[a, b, c] = 12a + 4b + c), so every expected result below is worked out by
 * hand from the index alone: basic slices (clamped bounds, steps), None, Ellipsis, integer arrays
 * broadcast together (their dimensions in place when adjacent, first when not; an integer joins
 * them), boolean masks. The gradient is checked against the forward: each element receives the
 * seed of every output position that took it (repeated indices add up).
 */
import { grad } from '../../src/autograd/engine';
import { index, type IndexItem } from '../../src/autograd/indexing';
import { ShapeError } from '../../src/errors';
import { constantOf, coordinates, iota, variable } from '../helpers/engine';

const S = (start: number | null = null, stop: number | null = null, step: number | null = null): IndexItem => ({ kind: 'slice', start, stop, step });
const I = (i: number): IndexItem => ({ kind: 'int', index: i });
const A = (data: number[], shape = [data.length]): IndexItem => ({ kind: 'array', shape, data });
const M = (data: number[], shape = [data.length]): IndexItem => ({ kind: 'mask', shape, data });
const NEW: IndexItem = { kind: 'newaxis' };
const ELL: IndexItem = { kind: 'ellipsis' };

const shape = [2, 3, 4];
/** The flat position of x[a, b, c]. */
const at = (a: number, b: number, c: number): number => 12 * a + 4 * b + c;
/** Expected values over a grid: f at every coordinate of `outShape`. */
const grid = (outShape: number[], f: (c: number[]) => number): number[] => [...coordinates(outShape)].map(f);

const cases: [string, IndexItem[], number[], number[]][] = [
  ['x[1]', [I(1)], [3, 4], grid([3, 4], ([b, c]) => at(1, b, c))],
  ['x[-1, 0]', [I(-1), I(0)], [4], grid([4], ([c]) => at(1, 0, c))],
  ['x[0, -3, -4]', [I(0), I(-3), I(-4)], [], [0]],
  ['x[1:]', [S(1)], [1, 3, 4], grid([1, 3, 4], ([, b, c]) => at(1, b, c))],
  ['x[:, ::2]', [S(), S(null, null, 2)], [2, 2, 4], grid([2, 2, 4], ([a, b, c]) => at(a, 2 * b, c))],
  ['x[..., ::3]', [ELL, S(null, null, 3)], [2, 3, 2], grid([2, 3, 2], ([a, b, c]) => at(a, b, 3 * c))],
  ['x[:, -10:10, :-1:2]', [S(), S(-10, 10), S(null, -1, 2)], [2, 3, 2], grid([2, 3, 2], ([a, b, c]) => at(a, b, 2 * c))],
  ['x[:, -2:, 1:3]', [S(), S(-2), S(1, 3)], [2, 2, 2], grid([2, 2, 2], ([a, b, c]) => at(a, b + 1, c + 1))],
  ['x[:, 5:]', [S(), S(5)], [2, 0, 4], []],
  ['x[:, 2:1]', [S(), S(2, 1)], [2, 0, 4], []],
  ['x[..., 1]', [ELL, I(1)], [2, 3], grid([2, 3], ([a, b]) => at(a, b, 1))],
  ['x[0, ...]', [I(0), ELL], [3, 4], grid([3, 4], ([b, c]) => at(0, b, c))],
  ['x[0, ..., 2]', [I(0), ELL, I(2)], [3], grid([3], ([b]) => at(0, b, 2))],
  ['x[None, 0, ...]', [NEW, I(0), ELL], [1, 3, 4], grid([1, 3, 4], ([, b, c]) => at(0, b, c))],
  ['x[0, None, -2:]', [I(0), NEW, S(-2)], [1, 2, 4], grid([1, 2, 4], ([, b, c]) => at(0, b + 1, c))],
  ['x[..., None]', [ELL, NEW], [2, 3, 4, 1], iota(24)],
  ['x[:, [2, 0, 2]]', [S(), A([2, 0, 2])], [2, 3, 4], grid([2, 3, 4], ([a, b, c]) => at(a, [2, 0, 2][b], c))],
  ['x[..., [-1]]', [ELL, A([-1])], [2, 3, 1], grid([2, 3, 1], ([a, b]) => at(a, b, 3))],
  // Adjacent arrays broadcast ([2, 1] with [3]) and stand where the first stood.
  ['x[[[1], [0]], [0, 1, 2]]', [A([1, 0], [2, 1]), A([0, 1, 2])], [2, 3, 4], grid([2, 3, 4], ([i, j, c]) => at([1, 0][i], j, c))],
  ['x[:, [0, 2], [3, 1]]', [S(), A([0, 2]), A([3, 1])], [2, 2], grid([2, 2], ([a, q]) => at(a, [0, 2][q], [3, 1][q]))],
  // Separated by a slice: the broadcast dimensions go first.
  ['x[[0, 1], :, [3, 0]]', [A([0, 1]), S(), A([3, 0])], [2, 3], grid([2, 3], ([q, b]) => at([0, 1][q], b, [3, 0][q]))],
  // An integer counts as an advanced index when there is one.
  ['x[1, :, [0, 3]]', [I(1), S(), A([0, 3])], [2, 3], grid([2, 3], ([q, b]) => at(1, b, [0, 3][q]))],
  ['x[:, 1, [0, 3]]', [S(), I(1), A([0, 3])], [2, 2], grid([2, 2], ([a, q]) => at(a, 1, [0, 3][q]))],
  ['x[[1, 0], 2]', [A([1, 0]), I(2)], [2, 4], grid([2, 4], ([q, c]) => at([1, 0][q], 2, c))],
  ['x[[1, 1, 0]] (repeated)', [A([1, 1, 0])], [3, 3, 4], grid([3, 3, 4], ([q, b, c]) => at([1, 1, 0][q], b, c))],
  ['x[None, :, [1]]', [NEW, S(), A([1])], [1, 2, 1, 4], grid([1, 2, 1, 4], ([, a, , c]) => at(a, 1, c))],
  // Masks: one index array per masked dimension, from the true entries in row-major order.
  ['x[mask 2×3]', [M([0, 1, 0, 1, 0, 1], [2, 3])], [3, 4], grid([3, 4], ([k, c]) => [at(0, 1, c), at(1, 0, c), at(1, 2, c)][k])],
  ['x[:, [True, False, True]]', [S(), M([1, 0, 1])], [2, 2, 4], grid([2, 2, 4], ([a, k, c]) => at(a, 2 * k, c))],
  ['x[[False, True]]', [M([0, 1])], [1, 3, 4], grid([1, 3, 4], ([, b, c]) => at(1, b, c))],
  ['x[..., mask 3×4]', [ELL, M([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], [3, 4])], [2, 2], grid([2, 2], ([a, k]) => at(a, 2 * k, 3 * k))],
  ['x[0, mask 3×4 all false]', [I(0), M(new Array(12).fill(0), [3, 4])], [0], []],
];

describe.each(cases)('%s', (_text, items, outShape, expected) => {
  test(`has shape ${JSON.stringify(outShape)} and the elements worked out by hand`, () => {
    const y = index(variable(shape, iota(24)), items);
    expect(y.shape).toEqual(outShape);
    expect(Array.from(y.value.data)).toEqual(expected);
  });

  test('its gradient puts each seed back where its element came from', () => {
    const x = variable(shape, iota(24));
    const y = index(x, items);
    const seed = iota(expected.length, 1, 1);
    const [g] = grad([y], [constantOf(outShape, seed)], [x]);
    const back = new Array<number>(24).fill(0);
    expected.forEach((src, k) => (back[src] += seed[k]));
    expect(g!.shape).toEqual(shape);
    expect(Array.from(g!.value.data)).toEqual(back);
  });
});

describe('indexing errors', () => {
  test.each([
    [[I(0), I(0), I(0), I(0)], 'too many indices for a tensor of dimension 3: 4 given'],
    [[M([1, 1, 1, 1, 1, 1], [2, 3]), I(0), I(0)], 'too many indices for a tensor of dimension 3: 4 given'],
    [[ELL, I(0), ELL], "an index can only have a single ellipsis ('...')"],
    [[I(2)], 'index 2 is out of bounds for dimension 0 with size 2'],
    [[I(-3)], 'index -3 is out of bounds for dimension 0 with size 2'],
    [[S(), I(3)], 'index 3 is out of bounds for dimension 1 with size 3'],
    [[S(), I(-4)], 'index -4 is out of bounds for dimension 1 with size 3'],
    [[S(), S(), A([0, 4])], 'index 4 is out of bounds for dimension 2 with size 4'],
    [[S(), S(), A([-5])], 'index -5 is out of bounds for dimension 2 with size 4'],
    [[S(null, null, 0)], 'a slice step must be greater than zero (PyTorch has no negative steps; use torch.flip), not 0'],
    [[S(null, null, -1)], 'a slice step must be greater than zero (PyTorch has no negative steps; use torch.flip), not -1'],
    [[S(), M([1, 0, 1, 0], [2, 2])], 'the shape of the mask [2, 2] at index 0 does not match the shape of the indexed tensor [2, 3, 4] at index 1'],
    [[S(), M(new Array(9).fill(1), [3, 3])], 'the shape of the mask [3, 3] at index 1 does not match the shape of the indexed tensor [2, 3, 4] at index 2'],
    [[M([1, 0, 1])], 'the shape of the mask [3] at index 0 does not match the shape of the indexed tensor [2, 3, 4] at index 0'],
    [[A([0, 1]), A([0, 1, 2])], 'shape mismatch: indexing tensors could not be broadcast together with shapes [2], [3]'],
  ])('%j: %s', (items, message) => {
    // The leaf is made in the test: code run while jest collects the tests is outside every test,
    // unseen by the mutation run's per-test coverage.
    const x = variable(shape, iota(24));
    expect(() => index(x, items)).toThrow(new ShapeError(message));
  });

  test('a scalar cannot be indexed', () => {
    expect(() => index(variable([], [1]), [I(0)])).toThrow(new ShapeError('too many indices for a tensor of dimension 0: 1 given (a scalar cannot be indexed)'));
    expect(Array.from(index(variable([], [5]), [ELL]).value.data)).toEqual([5]);
    expect(index(variable([], [5]), [NEW]).shape).toEqual([1]);
  });
});
