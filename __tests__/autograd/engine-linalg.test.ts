/**
 * torch.matmul's rules (src/autograd/linalg.ts) against a triple loop written here: vectors
 * promoted and their dimension removed again, batch dimensions broadcast. The product is bilinear,
 * so the gradient with respect to each element is exactly the change of Σ seed ⊙ (A @ B) when that
 * element grows by 1: an independent check without a step size. The Hessian's cross block is the
 * seed (double backward through the transposes); errors name both shapes.
 */
import { hessian } from '../../src/autograd/derivatives';
import { mul } from '../../src/autograd/elementwise';
import { grad } from '../../src/autograd/engine';
import { matmul, outer } from '../../src/autograd/linalg';
import { sum } from '../../src/autograd/reduce';
import { ShapeError } from '../../src/errors';
import { broadcastShapes, numel } from '../../src/tensor';
import { constantOf, coordinates, expectClose, iota, offsetOf, variable } from '../helpers/engine';

interface Plain {
  shape: number[];
  data: number[];
}

/** matmul by the definition, with NumPy's vector promotion and batch broadcasting. */
function matmulReference(a: Plain, b: Plain): Plain {
  const A = a.shape.length === 1 ? { shape: [1, a.shape[0]], data: a.data } : a;
  const B = b.shape.length === 1 ? { shape: [b.shape[0], 1], data: b.data } : b;
  const [m, k] = A.shape.slice(-2);
  const n = B.shape[B.shape.length - 1];
  const batch = broadcastShapes(A.shape.slice(0, -2), B.shape.slice(0, -2))!;
  const pick = (s: number[], c: number[]): number[] => {
    const lead = c.length - (s.length - 2);
    return s.slice(0, -2).map((size, d) => (size === 1 ? 0 : c[d + lead]));
  };
  const out: number[] = [];
  for (const c of coordinates([...batch, m, n])) {
    const bc = c.slice(0, -2);
    const [i, j] = c.slice(-2);
    let s = 0;
    for (let p = 0; p < k; p++) s += A.data[offsetOf(A.shape, [...pick(A.shape, bc), i, p])] * B.data[offsetOf(B.shape, [...pick(B.shape, bc), p, j])];
    out.push(s);
  }
  let shape = [...batch, m, n];
  if (b.shape.length === 1) shape = shape.slice(0, -1);
  if (a.shape.length === 1) shape.splice(shape.length - (b.shape.length === 1 ? 1 : 2), 1);
  return { shape, data: out };
}

const plain = (shape: number[], scale: number, shift: number): Plain => ({ shape, data: iota(numel(shape), scale, shift).map((v) => Math.round(v * 8) / 8) });

describe.each([
  [[3], [3], []],
  [[2, 3], [3], [2]],
  [[3], [3, 4], [4]],
  [[2, 3], [3, 4], [2, 4]],
  [[1, 3], [3, 1], [1, 1]],
  [[2, 2, 3], [3, 4], [2, 2, 4]],
  [[3], [2, 3, 4], [2, 4]],
  [[2, 3, 4], [4], [2, 3]],
  [[2, 1, 2, 3], [3, 3, 2], [2, 3, 2, 2]],
  [[1, 2, 3], [4, 3, 2], [4, 2, 2]],
])('%p @ %p', (sa, sb, out) => {
  // The operands are made in each test: code run while jest collects the tests is outside every
  // test, unseen by the mutation run's per-test coverage.
  const operands = () => ({ a: plain(sa, 0.75, -2), b: plain(sb, -0.5, 1.25) });

  test(`is ${JSON.stringify(out)}, the sums of products`, () => {
    const { a, b } = operands();
    const y = matmul(variable(sa, a.data, 'a'), variable(sb, b.data, 'b'));
    const ref = matmulReference(a, b);
    expect(ref.shape).toEqual(out);
    expect(y.shape).toEqual(out);
    expectClose(Array.from(y.value.data), ref.data);
  });

  test('gradients: the change of Σ seed ⊙ (A @ B) per unit of each element (bilinear, so exact)', () => {
    const { a, b } = operands();
    const A = variable(sa, a.data, 'a');
    const B = variable(sb, b.data, 'b');
    const seed = iota(numel(out), 1, 1);
    const [ga, gb] = grad([matmul(A, B)], [constantOf(out, seed)], [A, B]);
    const objective = (x: Plain, z: Plain): number => matmulReference(x, z).data.reduce((s, v, i) => s + v * seed[i], 0);
    const bump = (p: Plain, i: number): Plain => ({ shape: p.shape, data: p.data.map((v, j) => (j === i ? v + 1 : v)) });
    const base = objective(a, b);
    expect(ga!.shape).toEqual(sa);
    expect(gb!.shape).toEqual(sb);
    expectClose(Array.from(ga!.value.data), a.data.map((_, i) => objective(bump(a, i), b) - base), 1e-12, 1e-12);
    expectClose(Array.from(gb!.value.data), b.data.map((_, i) => objective(a, bump(b, i)) - base), 1e-12, 1e-12);
  });
});

describe('second derivatives', () => {
  test('the Hessian of Σ seed ⊙ (A @ B): zero diagonal blocks, cross block seed[i, j] where the inner indices meet', () => {
    const A = variable([2, 3], plain([2, 3], 1, 1).data, 'a');
    const B = variable([3, 2], plain([3, 2], -1, 2).data, 'b');
    const seed = [1, 2, 3, 4];
    const H = hessian(sum(mul(matmul(A, B), constantOf([2, 2], seed))), [A, B]);
    const n = 12;
    const expected = new Array<number>(n * n).fill(0);
    // A(i, p) is variable i·3 + p; B(q, j) is variable 6 + q·2 + j.
    for (const [i, p] of coordinates([2, 3])) {
      for (const j of [0, 1]) {
        const ra = i * 3 + p;
        const cb = 6 + p * 2 + j;
        expected[ra * n + cb] = seed[i * 2 + j];
        expected[cb * n + ra] = seed[i * 2 + j];
      }
    }
    expect(Array.from(H)).toEqual(expected);
  });

  test('vector · vector twice: ∂²(a·b)/∂a∂b is the identity', () => {
    const a = variable([3], [1, 2, 3], 'a');
    const b = variable([3], [4, 5, 6], 'b');
    const H = hessian(matmul(a, b), [a, b]);
    expect(Array.from(H)).toEqual(
      Array.from({ length: 36 }, (_, k) => {
        const [r, c] = [Math.floor(k / 6), k % 6];
        return Math.abs(r - c) === 3 ? 1 : 0;
      }),
    );
  });
});

describe('outer', () => {
  test('values aᵢbⱼ; gradients Σⱼ seedᵢⱼ bⱼ and Σᵢ seedᵢⱼ aᵢ', () => {
    const a = variable([2], [2, -3], 'a');
    const b = variable([3], [1, 4, 0.5], 'b');
    const y = outer(a, b);
    expect(y.shape).toEqual([2, 3]);
    expect(Array.from(y.value.data)).toEqual([2, 8, 1, -3, -12, -1.5]);
    const [ga, gb] = grad([y], [constantOf([2, 3], [1, 2, 3, 4, 5, 6])], [a, b]);
    expect(Array.from(ga!.value.data)).toEqual([1 + 8 + 1.5, 4 + 20 + 3]);
    expect(Array.from(gb!.value.data)).toEqual([2 - 12, 4 - 15, 6 - 18]);
  });

  test.each([
    [[2, 2], [3]],
    [[2], [3, 1]],
    [[], [3]],
  ])('of %p and %p throws', (sa, sb) => {
    const a = variable(sa, iota(numel(sa)));
    const b = variable(sb, iota(numel(sb)));
    expect(() => outer(a, b)).toThrow(new ShapeError(`outer needs two vectors, not [${sa.join(', ')}] and [${sb.join(', ')}]`));
  });
});

describe('matmul errors and rules', () => {
  test.each([
    [[], [3], 'matmul needs tensors of at least one dimension, not [] and [3] (use * for a scalar)'],
    [[3], [], 'matmul needs tensors of at least one dimension, not [3] and [] (use * for a scalar)'],
    [[2, 3], [4, 2], 'cannot multiply [2, 3] by [4, 2]: inner dimensions 3 and 4 differ'],
    [[3], [2], 'cannot multiply [3] by [2]: inner dimensions 3 and 2 differ'],
    [[2, 3], [2], 'cannot multiply [2, 3] by [2]: inner dimensions 3 and 2 differ'],
    [[2, 2, 3], [3, 3, 4], 'cannot multiply [2, 2, 3] by [3, 3, 4]: batch dimensions do not broadcast'],
  ])('%p @ %p: %s', (sa, sb, message) => {
    const a = variable(sa, iota(numel(sa)));
    const b = variable(sb, iota(numel(sb)));
    expect(() => matmul(a, b)).toThrow(new ShapeError(message));
  });

  test('the worked-solution rules: G · Bᵀ and Aᵀ · G', () => {
    const y = matmul(variable([2, 2], [1, 2, 3, 4], 'A'), variable([2, 2], [5, 6, 7, 8], 'B'));
    const rule = y.node!.op.rule!;
    expect([rule('G', ['A', 'B'], 0, undefined), rule('G', ['A', 'B'], 1, undefined)]).toEqual(['G · Bᵀ', 'Aᵀ · G']);
  });
});
