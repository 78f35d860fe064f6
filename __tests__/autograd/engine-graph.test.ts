/**
 * The graph and the passes over it (src/autograd/var.ts, engine.ts, broadcast.ts, derivatives.ts):
 * which ops record nodes (grad mode, constants), the node budget, reverse mode over shared
 * sub-expressions and intermediate inputs, the contributions reported for worked solutions,
 * expand/sumTo as each other's adjoint, and the derivatives built from VJPs (Jacobians dense and
 * by blocks, Hessians, Hessian-vector products, JVPs, N-th derivatives) against closed forms.
 */
import { expand, sumTo, sumToTensor } from '../../src/autograd/broadcast';
import { gradWithGraph, hessian, hvp, jacobian, jvp, nthDerivative, valuesOf, vjp } from '../../src/autograd/derivatives';
import { add, constant, exp, mul, neg, ones, pow, sin, sub } from '../../src/autograd/elementwise';
import { type Contribution, grad, topologicalOrder } from '../../src/autograd/engine';
import { matmul } from '../../src/autograd/linalg';
import { sum } from '../../src/autograd/reduce';
import { GraphTooLargeError, isGradEnabled, leaf, NODE_BUDGET, noGrad, resetNodeCount, Var, withGradMode } from '../../src/autograd/var';
import { ShapeError } from '../../src/errors';
import { tensor } from '../../src/tensor';
import { constantOf, engineGrad, expectClose, iota, variable } from '../helpers/engine';

const data = (v: Var | null): number[] => Array.from(v!.value.data);

describe('Vars and leaves', () => {
  test('a leaf requires a gradient when it has a name, unless told otherwise', () => {
    const t = tensor([2], [1, 2]);
    expect(leaf(t).requiresGrad).toBe(false);
    expect(leaf(t, 'x').requiresGrad).toBe(true);
    expect(leaf(t, 'x', false).requiresGrad).toBe(false);
    expect(leaf(t, undefined, true).requiresGrad).toBe(true);
    expect(new Var(t).requiresGrad).toBe(false);
    expect(leaf(t, 'x').name).toBe('x');
  });

  test('leaves are leaves, computed Vars are not; ids follow the order of creation', () => {
    const x = variable([2], [1, 2]);
    const y = neg(x);
    expect(x.isLeaf).toBe(true);
    expect(y.isLeaf).toBe(false);
    expect(y.id).toBeGreaterThan(x.id);
    expect(neg(y).id).toBe(y.id + 1);
  });

  test('an op on constants records no node and requires no gradient', () => {
    const y = add(constant(1), constantOf([2], [3, 4]));
    expect(y.node).toBeNull();
    expect(y.requiresGrad).toBe(false);
    expect(data(y)).toEqual([4, 5]);
    const z = add(constant(1), variable([], [2]));
    expect(z.node).not.toBeNull();
    expect(z.requiresGrad).toBe(true);
  });
});

describe('grad mode', () => {
  test('noGrad records nothing and restores the mode; withGradMode(true) re-enables inside it', () => {
    const x = variable([2], [1, 2]);
    expect(isGradEnabled()).toBe(true);
    const y = noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      expect(withGradMode(true, () => isGradEnabled())).toBe(true);
      expect(isGradEnabled()).toBe(false);
      return mul(x, x);
    });
    expect(y.node).toBeNull();
    expect(y.requiresGrad).toBe(false);
    expect(data(y)).toEqual([1, 4]);
    expect(isGradEnabled()).toBe(true);
  });

  test('the mode is restored when the function throws', () => {
    expect(() =>
      noGrad(() => {
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(isGradEnabled()).toBe(true);
  });
});

describe('the node budget', () => {
  afterEach(resetNodeCount);

  test(`${NODE_BUDGET} nodes are allowed after a reset, one more is a GraphTooLargeError`, () => {
    const x = variable([], [1]);
    resetNodeCount();
    for (let i = 0; i < NODE_BUDGET; i++) neg(x);
    let thrown: unknown;
    try {
      neg(x);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(GraphTooLargeError);
    expect((thrown as Error).message).toBe(`the computation needs more than ${NODE_BUDGET} operations; a lower order of derivative or a smaller input needs fewer`);
    // Constants and no-grad work do not count; a reset starts again.
    expect(() => noGrad(() => neg(x))).not.toThrow();
    expect(() => neg(constant(1))).not.toThrow();
    resetNodeCount();
    expect(() => neg(x)).not.toThrow();
  });
});

describe('reverse mode', () => {
  test('a shared sub-expression: contributions add up, each node runs once', () => {
    const x = variable([2], [1.5, -2]);
    const z = mul(x, 2);
    const y = mul(z, z);
    // y = 4x², dy/dx = 8x; dy/dz = 2z.
    const [gx, gz] = grad([y], [ones([2])], [x, z]);
    expect(data(gx)).toEqual([12, -16]);
    expect(data(gz)).toEqual([6, -8]);
    expect(topologicalOrder([y]).filter((v) => v === z)).toHaveLength(1);
  });

  test('the topological order: every Var after its inputs, constants left out', () => {
    const x = variable([], [1]);
    const c = constant(5);
    const a = mul(x, c);
    const b = sin(a);
    const y = add(a, b);
    const order = topologicalOrder([y]);
    expect(order).toEqual([x, a, b, y]);
  });

  test('an input not reached, or one that requires no gradient, gets null', () => {
    const x = variable([], [2], 'x');
    const w = variable([], [3], 'w');
    const c = constant(4);
    const y = mul(x, c);
    expect(grad([y], [ones([])], [w, c, x]).map((g) => (g ? data(g) : null))).toEqual([null, null, [4]]);
  });

  test('several outputs, each with its seed', () => {
    const x = variable([2], [1, 2]);
    const [g] = grad([mul(x, 3), exp(x)], [constantOf([2], [1, 10]), constantOf([2], [2, 0])], [x]);
    expectClose(data(g), [3 + 2 * Math.E, 30]);
  });

  test('contributions are reported only along paths to the inputs asked for, in backward order', () => {
    const x = variable([], [2], 'x');
    const w = variable([], [3], 'w');
    const p = mul(x, w);
    const y = sin(p);
    const seen: Contribution[] = [];
    grad([y], [ones([])], [x], { onContribution: (c) => seen.push(c) });
    expect(seen.map((c) => [c.to === y ? 'y' : 'p', c.index, c.from === p ? 'p' : c.from === x ? 'x' : 'w'])).toEqual([
      ['y', 0, 'p'],
      ['p', 0, 'x'],
    ]);
    expect(seen[1].grad.value.data[0]).toBeCloseTo(Math.cos(6) * 3, 14);
  });

  test('createGraph: the gradient has a graph and can be differentiated again; without it, not', () => {
    const x = variable([], [0.5]);
    const y = pow(x, 4);
    const [plain] = grad([y], [ones([])], [x]);
    expect(plain!.requiresGrad).toBe(false);
    const [g] = grad([y], [ones([])], [x], { createGraph: true });
    expect(g!.requiresGrad).toBe(true);
    expect(data(grad([g!], [ones([])], [x])[0])).toEqual([12 * 0.25]);
  });
});

describe('expand and sumTo', () => {
  test('expand broadcasts, its gradient sums back; sumTo sums, its gradient expands', () => {
    const x = variable([3, 1], [1, 2, 3]);
    const y = expand(x, [2, 3, 4]);
    expect(y.shape).toEqual([2, 3, 4]);
    expect(data(y)).toEqual(iota(24).map((k) => 1 + (Math.floor(k / 4) % 3)));
    expect(Array.from(engineGrad((v) => expand(v, [2, 3, 4]), x, iota(24)))).toEqual([0, 1, 2].map((b) => [0, 1].reduce((s, a) => s + [0, 1, 2, 3].reduce((t, c) => t + 12 * a + 4 * b + c, 0), 0)));
    const g = variable([2, 3], [1, 2, 3, 4, 5, 6]);
    const s = sumTo(g, [3]);
    expect(data(s)).toEqual([5, 7, 9]);
    expect(Array.from(engineGrad((v) => sumTo(v, [1, 3]), g, [10, 20, 30]))).toEqual([10, 20, 30, 10, 20, 30]);
    expect(Array.from(sumToTensor(g.value, [2, 1]).data)).toEqual([6, 15]);
  });

  test('to the same shape, the same Var', () => {
    const x = variable([2, 3], iota(6));
    expect(expand(x, [2, 3])).toBe(x);
    expect(sumTo(x, [2, 3])).toBe(x);
  });

  test.each([
    [[2], [3]],
    [[3], [2, 1]],
    [[2, 3], [3, 3]],
    [[2, 3], [3]],
  ])('%p cannot be expanded to %p', (from, to) => {
    expect(() => expand(variable(from, iota(from.reduce((a, b) => a * b, 1))), to)).toThrow(
      new ShapeError(`cannot broadcast shape [${from.join(', ')}] to [${to.join(', ')}]`),
    );
  });

  test('double backward: the gradient of expand’s gradient with respect to the seed is expand again', () => {
    const x = variable([3], [1, 2, 3]);
    const u = variable([2, 3], iota(6), 'u');
    const [gx] = grad([expand(x, [2, 3])], [u], [x], { createGraph: true });
    expect(data(gx)).toEqual([3, 5, 7]);
    expect(data(grad([gx!], [constantOf([3], [1, 10, 100])], [u])[0])).toEqual([1, 10, 100, 1, 10, 100]);
    expect(expand(x, [2, 3]).node!.op.rule!('G', ['x'], 0, { shape: [2, 3] })).toBe('G summed over the broadcast dimensions');
  });
});

describe('derivatives built from VJPs', () => {
  // f(x) = [x0·x1, x0 + x1², sin x0]: J = [[x1, x0], [1, 2x1], [cos x0, 0]].
  const point = [0.7, -1.3];
  const f = (x: Var): Var[] => {
    const x0 = sum(mul(x, constantOf([2], [1, 0])));
    const x1 = sum(mul(x, constantOf([2], [0, 1])));
    return [mul(x0, x1), add(x0, mul(x1, x1)), sin(x0)];
  };

  test('a dense Jacobian over several outputs, rows = outputs', () => {
    const x = variable([2], point);
    const [a, b] = point;
    expectClose(jacobian(f(x), [x]), [b, a, 1, 2 * b, Math.cos(a), 0]);
  });

  test('a dense Jacobian over several inputs, columns concatenated', () => {
    const x = variable([2], [2, 3], 'x');
    const w = variable([], [5], 'w');
    // y = x·w (shape [2]): ∂y/∂x = w·I, ∂y/∂w = x.
    expect(Array.from(jacobian([mul(x, w)], [x, w]))).toEqual([5, 0, 2, 0, 5, 3]);
  });

  test('a Jacobian by blocks: y = x ⊙ rowsum(x), block b is δᵢⱼ·s_b + x_bi', () => {
    const rows = [
      [1, 2],
      [-0.5, 3],
      [4, 0.25],
    ];
    const x = variable([3, 2], rows.flat());
    const y = mul(x, sum(x, 1, true));
    const J = jacobian([y], [x], { blocks: 3, outPerBlock: 2, inPerBlock: 2 });
    const expected = rows.flatMap((r) => {
      const s = r[0] + r[1];
      return [r[0] + s, r[0], r[1], r[1] + s];
    });
    expectClose(J, expected);
    // The same numbers as the diagonal blocks of the dense Jacobian.
    const dense = jacobian([y], [x]);
    const blocks = [0, 1, 2].flatMap((b) => [0, 1].flatMap((i) => [0, 1].map((j) => dense[(2 * b + i) * 6 + 2 * b + j])));
    expectClose(J, blocks);
  });

  test('Hessians: dense, by blocks, zero for a linear function and for an unused input', () => {
    const x = variable([2, 2], [1, 2, -1, 0.5], 'x');
    const unused = variable([1], [9], 'z');
    // s = Σ_rows (Σ_j x_bj)³: block b of the Hessian is 6·(row sum)·ones(2, 2).
    const s = sum(pow(sum(x, 1), 3));
    const byBlocks = hessian(s, [x], { blocks: 2, outPerBlock: 1, inPerBlock: 2 });
    expect(Array.from(byBlocks)).toEqual([18, 18, 18, 18, -3, -3, -3, -3]);
    const dense = hessian(sum(pow(sum(x, 1), 3)), [x, unused]);
    // (Compared numerically: the cross terms are 0 times a negative sum, −0.)
    expectClose(dense, [18, 18, 0, 0, 0, 18, 18, 0, 0, 0, 0, 0, -3, -3, 0, 0, 0, -3, -3, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(hessian(sum(mul(x, 3)), [x]))).toEqual(new Array(16).fill(0));
  });

  test('a Hessian-vector product: Σ x³ has H = diag(6x); an unused input gets zeros', () => {
    const x = variable([3], [1, -2, 0.5], 'x');
    const z = variable([2], [1, 1], 'z');
    const [hx, hz] = hvp(sum(pow(x, 3)), [x, z], [tensor([3], [1, 2, 3]), tensor([2], [4, 5])]);
    expect(Array.from(hx.data)).toEqual([6, -24, 9]);
    expect(hz.shape).toEqual([2]);
    expect(Array.from(hz.data)).toEqual([0, 0]);
  });

  test('a Jacobian-vector product: W·v for y = W·x; zeros when y does not depend on x', () => {
    const W = constantOf([2, 3], [1, 2, 3, 4, 5, 6]);
    const x = variable([3], [0.1, 0.2, 0.3]);
    expect(Array.from(jvp(matmul(W, x), x, tensor([3], [1, -1, 2])).data)).toEqual([5, 11]);
    const other = variable([2], [1, 2], 'other');
    const out = jvp(mul(other, 2), x, tensor([3], [1, 1, 1]));
    expect(out.shape).toEqual([2]);
    expect(Array.from(out.data)).toEqual([0, 0]);
  });

  test('N-th derivatives of an elementwise function; zeros once the derivative is constant or x unused', () => {
    const x = variable([2], [0.3, 2]);
    const y = exp(mul(x, 2));
    for (const order of [1, 2, 3]) expectClose(nthDerivative(y, x, order).data, [0.3, 2].map((v) => 2 ** order * Math.exp(2 * v)));
    expect(Array.from(nthDerivative(mul(x, 5), x, 1).data)).toEqual([5, 5]);
    expect(Array.from(nthDerivative(mul(x, 5), x, 2).data)).toEqual([0, 0]);
    expect(Array.from(nthDerivative(sub(variable([2], [1, 1], 'z'), 1), x, 1).data)).toEqual([0, 0]);
  });

  test('vjp with and without a graph; valuesOf fills zeros for inputs not reached', () => {
    const x = variable([2], [1, 3]);
    const z = variable([3], [1, 1, 1], 'z');
    const y = mul(x, x);
    const gs = vjp(y, [x, z], tensor([2], [1, 2]));
    expect(gs[1]).toBeNull();
    const [gx, gz] = valuesOf(gs, [x, z]);
    expect(Array.from(gx.data)).toEqual([2, 12]);
    expect(gz.shape).toEqual([3]);
    expect(Array.from(gz.data)).toEqual([0, 0, 0]);
    expect(vjp(y, [x], tensor([2], [1, 1]), true)[0]!.requiresGrad).toBe(true);
    expect(gradWithGraph(sum(y), [x])[0]!.requiresGrad).toBe(true);
  });
});
