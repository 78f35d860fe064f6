/**
 * Aimed at the survivors of the functions mutation run in src/functions/vector.ts: the descriptors
 * called directly (as an expression binds them, so dim=None reaches PyTorch's implicit softmax
 * dimension), slices along a middle dimension with several outer and inner slices (softmax,
 * log_softmax's backward, glu and glu_backward), 0-dimensional inputs, the glu error's exact text,
 * and the p-norm's scaling, ±inf, NaN and p = 1 cases. Values: closed forms and numpy float64 runs
 * of PyTorch's formulas (the snippet beside each number).
 */
import { lookup } from '../../src/functions/registry';
import { bindArgs, type RawArg } from '../../src/functions/args';
import type { Descriptor } from '../../src/functions/types';
import { call, errorOf, expectClose, grads, hessian, T, V } from './layers/helpers';

const fn = (name: string): Descriptor => lookup(name)!;
const y = (name: string, given: Record<string, RawArg>) => call(fn(name), given).y;
const sigma = (z: number): number => 1 / (1 + Math.exp(-z));

/** numpy: x = np.array([0.5, -1, 2, 0.25, 1.5, -0.75, 3, 1, -2, 0, 0.125, 2.5]).reshape(2, 3, 2, 1) */
const X4 = [[[[0.5], [-1]], [[2], [0.25]], [[1.5], [-0.75]]], [[[3], [1]], [[-2], [0]], [[0.125], [2.5]]]];

describe("softmax's implicit dimension (PyTorch's _get_softmax_dim: 0 for 0-, 1- and 3-d, else 1)", () => {
  test('a 4-d input works along dim 1: two outer and two inner slices', () => {
    // e = np.exp(x - x.max(1, keepdims=True)); e / e.sum(1, keepdims=True)
    const out = y('softmax', { input: V(X4) });
    expect(out.shape).toEqual([2, 3, 2, 1]);
    expectClose(out.value, [
      0.12195165230972885, 0.17317911418273074, 0.5465493872661796, 0.6044545015671744, 0.3314989604240915, 0.22236638425009483,
      0.9405974286280536, 0.17095278019779026, 0.006337695621571901, 0.0628900132458675, 0.05306487575037453, 0.7661572065563422,
    ]);
  });

  test('a 3-d input works along dim 0', () => {
    // softmax over (x[0,0,j], x[1,0,j]) = (0, 2) and (1, 4): σ(a − b), σ(b − a)
    const out = y('softmax', { input: V([[[0, 1]], [[2, 4]]]) });
    expect(out.shape).toEqual([2, 1, 2]);
    expectClose(out.value, [sigma(-2), sigma(-3), sigma(2), sigma(3)]);
  });

  test('a matrix works along its rows (dim 1), a vector along dim 0', () => {
    expectClose(y('softmax', { input: V([[0, Math.log(3)], [Math.log(2), 0]]) }).value, [0.25, 0.75, 2 / 3, 1 / 3]);
    expectClose(y('softmin', { input: V([0, Math.log(3)]) }).value, [0.75, 0.25]);
  });

  test('a 0-d input is a row of one: softmax 1, log_softmax 0, both of shape []', () => {
    const s = y('softmax', { input: V(-7.5) });
    expect(s.shape).toEqual([]);
    expect(Array.from(s.value.data)).toEqual([1]);
    const l = y('log-softmax', { input: V(3) });
    expect(l.shape).toEqual([]);
    expect(Array.from(l.value.data)).toEqual([0]);
  });
});

describe("log_softmax's backward", () => {
  test('along the middle dimension of a 4-d input: g − e^y · Σ g, per slice', () => {
    // numpy: ls = x − m − log Σ e^(x−m) along axis 1; g = [0.5, −1, 1.5, −2, …, −6]; g − exp(ls)·g.sum(1, keepdims=True)
    const x = V(X4);
    const out = y('log-softmax', { input: x });
    const g = T([[[[0.5], [-1]], [[1.5], [-2]], [[2.5], [-3]]], [[[3.5], [-4]], [[4.5], [-5]], [[5.5], [-6]]]]);
    expectClose(grads(out, [x], g)[0], [
      -0.0487824353937798, 0.03907468509638434, -0.9594722426978084, 1.6267270094030462, 1.0082546780915882, -1.6658016944994312,
      -9.198065286478723, -1.435708297033146, 4.414441109108779, -4.056649801311988, 4.783624177369944, 5.492358098345134,
    ]);
  });

  test('of a 0-d input: g − e^y·g is 0, and NaN where y is NaN (torch: log_softmax(tensor(nan), 0).backward() gives nan)', () => {
    const x = V(2);
    expect(Array.from(grads(y('log-softmax', { input: x }), [x], T(1.5))[0].data)).toEqual([0]);
    const n = V(NaN);
    expect(Array.from(grads(y('log-softmax', { input: n }), [n], T(1))[0].data)).toEqual([NaN]);
  });
});

describe('glu', () => {
  test('of a 3×2 matrix: one pair per row, three rows', () => {
    // F.glu(tensor([[1., 2.], [3., 4.], [5., -6.]])) = a·σ(b) row by row
    const out = y('glu', { input: V([[1, 2], [3, 4], [5, -6]]) });
    expect(out.shape).toEqual([3, 1]);
    expectClose(out.value, [0.8807970779778823, 2.9460413701137256, 0.012363115783173872]);
  });

  test('along the middle dimension of a 2×2×2 input (outer and inner slices), with glu_backward', () => {
    // numpy: x = [0.5, −1, 2, 0.25, 1.5, −0.75, 3, 1].reshape(2, 2, 2); a = x[:, :1], b = x[:, 1:]; a·σ(b)
    const x = V([[[0.5, -1], [2, 0.25]], [[1.5, -0.75], [3, 1]]]);
    const out = y('glu', { input: x, dim: 1 });
    expect(out.shape).toEqual([2, 1, 2]);
    expectClose(out.value, [0.44039853898894116, -0.5621765008857981, 1.42886119023365, -0.5482939339725037]);
    // g = [1, −2, 0.5, 3].reshape(2, 1, 2); ∂a = σ(b)·g, ∂b = (1 − σ(b))·σ(b)·a·g
    expectClose(grads(out, [x], T([[[1, -2]], [[0.5, 3]]]))[0], [
      0.8807970779778823, -1.1243530017715961, 0.05249679270175331, 0.4922681654751967, 0.4762870634112167, 2.193175735890015,
      0.033882494798184, -0.44237684979333414,
    ]);
  });

  test('of a single number: the exact message', () => {
    const d = fn('glu');
    expect(errorOf(() => d.check!(bindArgs(d, { input: V(4) })))).toBe(
      'glu splits --input into two halves, so it needs a vector or a matrix, not a single number',
    );
  });
});

describe('logsumexp', () => {
  test('of a 0-d input with the default dim -1 is the input (torch.logsumexp(tensor(2.), -1) = 2), gradient 1', () => {
    const x = V(2);
    const out = y('logsumexp', { input: x });
    expect(out.shape).toEqual([]);
    expect(Array.from(out.value.data)).toEqual([2]);
    expect(Array.from(grads(out, [x])[0].data)).toEqual([1]);
    const kept = y('logsumexp', { input: x, dim: 0, keepdim: true });
    expect(kept.shape).toEqual([]);
    expect(Array.from(kept.value.data)).toEqual([2]);
    expect(Array.from(grads(kept, [x], T(3))[0].data)).toEqual([3]);
  });
});

describe('norm', () => {
  test('dim picks the reduced dimension: ‖[[3, 4], [6, 8]]‖ along 1 is [5, 10], along 0 is [√45, √80]', () => {
    expectClose(y('norm', { input: V([[3, 4], [6, 8]]), dim: 1 }).value, [5, 10]);
    expectClose(y('norm', { input: V([[3, 4], [6, 8]]), dim: 0 }).value, [Math.sqrt(45), Math.sqrt(80)]);
  });

  test('of a 0-d input with dim 0 is |x| (torch.norm(tensor(-3.), dim=0) = 3)', () => {
    const out = y('norm', { input: V(-3), dim: 0 });
    expect(out.shape).toEqual([]);
    expect(Array.from(out.value.data)).toEqual([3]);
    expect(Array.from(y('norm', { input: V(-3), p: 3, dim: -1 }).value.data)).toEqual([3]);
    // keepdim leaves a 0-d result 0-d; the gradients are sgn(x)·g for every p
    for (const p of [2, 1, 3, Infinity]) {
      const x = V(-3);
      const n = y('norm', { input: x, p, dim: 0, keepdim: true });
      expect(n.shape).toEqual([]);
      expect(Array.from(n.value.data)).toEqual([3]);
      expect(Array.from(grads(n, [x], T(2))[0].data)).toEqual([-2]);
    }
  });

  test("2 < p < 3: PyTorch's double backward through self·|self|^(p−2) is NaN at a zero entry (0·(p−2)·0^(p−3) = 0·inf)", () => {
    const x = V([0, 1]);
    expect(hessian(y('norm', { input: x, p: 2.5 }), [x])[0]).toBeNaN();
  });

  test('the scale follows the largest magnitude, not the last: ‖(1e200, 1)‖₃ = 1e200·(1 + 1e−600)^(1/3) = 1e200', () => {
    expectClose(y('norm', { input: V([1e200, 1]), p: 3 }).value, [1e200], 'value', 1e-14, 0);
    expectClose(y('norm', { input: V([1, 1e200]), p: 3 }).value, [1e200], 'value', 1e-14, 0);
  });

  test('a slice whose largest magnitude is inf is not scaled: ‖(inf, 1e−300)‖₋₁ = (0 + 1e300)^−1 = 1e−300', () => {
    expectClose(y('norm', { input: V([Infinity, 1e-300]), p: -1 }).value, [1e-300], 'value', 1e-14, 0);
  });

  test('p = ±inf: the largest (smallest) magnitude, NaN propagating', () => {
    expect(Array.from(y('norm', { input: V([3, -1]), p: Infinity }).value.data)).toEqual([3]);
    expect(Array.from(y('norm', { input: V([-1, 3]), p: Infinity }).value.data)).toEqual([3]);
    expect(Array.from(y('norm', { input: V([-1, 3]), p: -Infinity }).value.data)).toEqual([1]);
    expect(Array.from(y('norm', { input: V([3, -1]), p: -Infinity }).value.data)).toEqual([1]);
    expect(Array.from(y('norm', { input: V([NaN, 5]), p: Infinity }).value.data)).toEqual([NaN]);
    expect(Array.from(y('norm', { input: V([5, NaN, 7]), p: -Infinity }).value.data)).toEqual([NaN]);
  });

  test("p = inf's gradient: NaN entries count as attaining the norm (norm_backward's mask |x| == norm | isnan)", () => {
    // sgn(x)·(g / mask.sum())·mask with mask = [1, 0] and sgn(nan) = 0 (PyTorch's sign kernel): [0·1·1, 1·1·0];
    // without the NaN in the mask its sum would be 0 and every entry g/0·0 = NaN
    const x = V([NaN, 1]);
    expect(Array.from(grads(y('norm', { input: x, p: Infinity }), [x])[0].data)).toEqual([0, 0]);
  });

  test("p = 1: gradient sgn(x)·g, whose own derivative is 0 even at a zero entry (sgn's derivative is 0)", () => {
    const x = V([0, 2, -3]);
    const n = y('norm', { input: x, p: 1 });
    expect(Array.from(n.value.data)).toEqual([5]);
    expect(Array.from(grads(n, [x])[0].data)).toEqual([0, 1, -1]);
    expect(Array.from(hessian(n, [x]))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
