/**
 * src/functions/loss-class.ts (nll, cross-entropy, multi-margin) aimed at the survivors of the
 * functions mutation run: the exact messages about the input, the target (its size, its shape for
 * (N, C, d1) inputs, class indices out of range, number k of several) and the class weights; a
 * piece of a batch's rows reduced with the whole batch's denominator and checked against the whole
 * batch's target; nll over (N, C, d) inputs, with ignore_index and weights under every reduction;
 * cross-entropy's label smoothing for class probabilities and class indices (ε = 1 allowed, a
 * negative ε taken as 0, as PyTorch's `label_smoothing > 0` branch does) and its reductions; and
 * multi_margin_loss on 0-d inputs and targets, its per-row backward, and its exact second
 * derivative for p = 2 (2·w_y/C per active term z > 0, none at z = 0, as the first derivative's
 * convention). Values are closed forms worked by hand: softmax of [0, ln 2, ln 5] is [1, 2, 5]/8.
 */
import { constant, mul } from '../../src/autograd/elementwise';
import { hessian } from '../../src/autograd/derivatives';
import { grad } from '../../src/autograd/engine';
import { sum } from '../../src/autograd/reduce';
import { leaf, type Var } from '../../src/autograd/var';
import { bindArgs, type RawArg } from '../../src/functions/args';
import { lookup } from '../../src/functions/registry';
import type { BatchOfPiece } from '../../src/functions/types';
import type { Tensor } from '../../src/tensor';
import { errorOf } from './layers/helpers';

const t = (shape: number[], data: number[]): Tensor => ({ shape, data: Float64Array.from(data) });
const v = (data: number[]): Tensor => t([data.length], data);
const LN2 = Math.log(2);
const LN5 = Math.log(5);

/** The loss with input x (a leaf asking for its gradient), what it reported through noGradient. */
function call(name: string, input: Tensor, given: Record<string, RawArg>, batch?: BatchOfPiece) {
  const fn = lookup(name)!;
  const x = leaf(input, 'x');
  const noGradient: [Var, string][] = [];
  const args = bindArgs(fn, { ...given, input: x });
  const y = fn.forward(args, { noGradient: (u, why) => noGradient.push([u, why]), batch });
  return { x, y, args, noGradient };
}

/** ∂(Σ seed ⊙ y)/∂x (seed 1 by default). */
function gradOf(y: Var, x: Var, seed?: number[]): number[] {
  const s = constant(t(y.shape.slice(), seed ?? Array(y.value.data.length).fill(1)));
  const [g] = grad([y], [s], [x]);
  return Array.from(g!.value.data);
}

function expectClose(actual: ArrayLike<number>, expected: readonly number[], rtol = 1e-12, atol = 1e-15): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (!Number.isFinite(e)) expect(a).toBe(e);
    else if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) throw new Error(`[${i}]: actual ${a}, expected ${e} (all: ${Array.from(actual).join(', ')})`);
  }
}

const errorOfCall = (name: string, input: Tensor, given: Record<string, RawArg>, batch?: BatchOfPiece): string =>
  errorOf(() => call(name, input, given, batch));

describe('nll and cross-entropy: the input and the target', () => {
  it('a 0-d input has no class scores', () => {
    const why = 'needs class scores in --input: a vector of C scores, or a batch with the classes in dimension 1';
    expect(errorOfCall('nll', t([], [0.5]), { target: 0 })).toBe(`nll ${why}`);
    expect(errorOfCall('cross-entropy', t([], [0.5]), { target: 0 })).toBe(`cross-entropy ${why}`);
  });

  it('a target of another size, for one row and for several (numbers, one number)', () => {
    expect(errorOfCall('nll', t([2, 3], [0, 0, 0, 0, 0, 0]), { target: v([0]) })).toBe('--target has 1 number; for 2 rows of 3 class scores give 2 class indices');
    expect(errorOfCall('nll', v([0, 0, 0]), { target: v([0, 1]) })).toBe('--target has 2 numbers; for one row of 3 class scores give one class index');
    expect(errorOfCall('cross-entropy', v([0, 0, 0]), { target: v([0, 1]) })).toBe(
      "--target has 2 numbers; for one row of 3 class scores give one class index, or class probabilities of the input's shape [3]",
    );
  });

  it('a target of the right size but of another shape', () => {
    // (3, 2) scores want 3 indices of shape [3]; [3, 1] is refused (nll_loss's target.dim() <= 1 check)
    expect(errorOfCall('nll', t([3, 2], [0, 0, 0, 0, 0, 0]), { target: t([3, 1], [0, 1, 0]) })).toBe(
      '--target has 3 numbers; for 3 rows of 2 class scores give 3 class indices',
    );
    // (2, 3, 2) scores want indices of shape [2, 2]; 4 numbers in a row are refused
    const x = t([2, 3, 2], Array(12).fill(0));
    expect(errorOfCall('nll', x, { target: v([0, 1, 2, 0]) })).toBe('--target has shape [4]; for --input of shape [2, 3, 2] give class indices of shape [2, 2]');
    expect(errorOfCall('cross-entropy', x, { target: v([0, 1, 2, 0]) })).toBe(
      "--target has shape [4]; for --input of shape [2, 3, 2] give class indices of shape [2, 2], or class probabilities of the input's shape [2, 3, 2]",
    );
  });

  it('a class index out of range, negative or fractional (numbered when there are several)', () => {
    expect(errorOfCall('nll', v([0, 0, 0]), { target: 3 })).toBe('nll: --target 3 is not a class index; with 3 classes it must be a whole number from 0 to 2');
    expect(errorOfCall('nll', v([0, 0, 0]), { target: -1 })).toBe('nll: --target -1 is not a class index; with 3 classes it must be a whole number from 0 to 2');
    expect(errorOfCall('nll', t([2, 3], Array(6).fill(0)), { target: v([0, -1]) })).toBe(
      'nll: --target -1 (number 2) is not a class index; with 3 classes it must be a whole number from 0 to 2',
    );
    expect(errorOfCall('cross-entropy', t([3, 2], Array(6).fill(0)), { target: v([1, 0, 1.5]) })).toBe(
      'cross-entropy: --target 1.5 (number 3) is not a class index; with 2 classes it must be a whole number from 0 to 1',
    );
  });

  it('class weights: one number per class', () => {
    expect(errorOfCall('nll', v([0, 0, 0]), { target: 0, weight: v([1, 2]) })).toBe('nll: --weight has shape [2], but needs one number per class: 3 numbers');
    expect(errorOfCall('cross-entropy', t([2, 1], [0, 0]), { target: v([0, 0]), weight: v([1, 1]) })).toBe(
      'cross-entropy: --weight has shape [2], but needs one number per class: 1 number',
    );
  });

  it('cross-entropy refuses ignore_index (even 0) with class probabilities, and label_smoothing above 1', () => {
    const x = v([0, LN2, LN5]);
    const probs = v([0.5, 0.25, 0.25]);
    const message = 'cross-entropy: --ignore-index is not supported for a target of class probabilities';
    expect(errorOfCall('cross-entropy', x, { target: probs, ignore_index: 0 })).toBe(message);
    expect(errorOfCall('cross-entropy', x, { target: probs, ignore_index: 2 })).toBe(message);
    expect(errorOfCall('cross-entropy', x, { target: 0, label_smoothing: 1.5 })).toBe('cross-entropy: --label-smoothing must be between 0 and 1, not 1.5');
  });
});

describe('nll values', () => {
  // x[n][c][j] = 1..8 over (N, C, d) = (2, 2, 2); target[n][j] picks the class of each (n, j)
  const x3 = t([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
  const target3 = t([2, 2], [1, 0, 0, 1]);

  it('(N, C, d): −x[n, t[n, j], j] per term, and −1 at those places', () => {
    const { x, y } = call('nll', x3, { target: target3, reduction: 'none' });
    expect(y.shape).toEqual([2, 2]);
    expectClose(y.value.data, [-3, -2, -5, -8]);
    expectClose(gradOf(y, x), [0, -1, -1, 0, -1, 0, 0, -1]);
    const mean = call('nll', x3, { target: target3 });
    expect(mean.y.shape).toEqual([]);
    expectClose(mean.y.value.data, [-18 / 4]);
  });

  // rows of log-probabilities, class weights 1, 2, 4
  const xb = t([2, 3], [-1, -2, -3, -4, -5, -6]);
  const w = v([1, 2, 4]);

  it('weighted mean: Σ −w_t·x_t / Σ w_t, one number; its gradient −w_t / Σ w_t', () => {
    const { x, y, noGradient } = call('nll', xb, { target: v([2, 1]), weight: w });
    expect(y.shape).toEqual([]);
    expectClose(y.value.data, [(3 * 4 + 5 * 2) / 6]);
    expectClose(gradOf(y, x), [0, 0, -4 / 6, 0, -2 / 6, 0]);
    expect(noGradient.map(([, why]) => why)).toEqual([
      'class indices have no gradient',
      'PyTorch computes no gradient for the class weights of nll_loss (and of cross_entropy with class indices)',
    ]);
  });

  it('an ignored term is 0 in none, left out of sum and mean, and gets no gradient', () => {
    const none = call('nll', xb, { target: v([2, 1]), weight: w, ignore_index: 1, reduction: 'none' });
    expect(none.y.shape).toEqual([2]);
    expectClose(none.y.value.data, [12, 0]);
    expectClose(gradOf(none.y, none.x, [3, 5]), [0, 0, -12, 0, 0, 0]);
    const total = call('nll', xb, { target: v([2, 1]), ignore_index: 1, reduction: 'sum' });
    expectClose(total.y.value.data, [3]);
    expectClose(gradOf(total.y, total.x), [0, 0, -1, 0, 0, 0]);
    const mean = call('nll', xb, { target: v([1, 2]), weight: w, ignore_index: 2 });
    expectClose(mean.y.value.data, [(2 * 2) / 2]);
  });

  it('reduction none of one vector of scores is one number', () => {
    const { y } = call('nll', v([-0.4, -1.4, -2.3]), { target: 1, reduction: 'none' });
    expect(y.shape).toEqual([]);
    expectClose(y.value.data, [1.4]);
  });

  it("its step rule names the target class (for --steps)", () => {
    const { y } = call('nll', v([-0.4, -1.4, -2.3]), { target: 1 });
    expect(y.node!.op.rule!('G', ['x'], 0, y.node!.attrs)).toBe('−G·w at the target class of x');
  });

  it("a piece of a batch's rows: the whole batch's target is checked and its Σ w_t divides the mean", () => {
    // the batch: 3 rows of 2 classes, targets 0, 1, 1, weights 1, 3: Σ w_t = 7
    const batch: BatchOfPiece = { shape: [3, 2], target: v([0, 1, 1]) };
    const piece = call('nll', t([1, 2], [-0.5, -2]), { target: v([1]), weight: v([1, 3]) }, batch);
    expectClose(piece.y.value.data, [6 / 7]);
    expectClose(gradOf(piece.y, piece.x), [0, -3 / 7]);
    // a second piece of the same batch uses the same denominator
    const next = call('nll', t([2, 2], [-1, -0.25, -0.5, -4]), { target: v([0, 1]), weight: v([1, 3]) }, batch);
    expectClose(next.y.value.data, [(1 + 12) / 7]);
    const bad: BatchOfPiece = { shape: [3, 2], target: v([0, 5, 1]) };
    expect(errorOfCall('nll', t([1, 2], [-0.5, -2]), { target: v([0]) }, bad)).toBe(
      'nll: --target 5 (number 2) is not a class index; with 2 classes it must be a whole number from 0 to 1',
    );
  });
});

describe('cross-entropy values', () => {
  // softmax([0, ln 2, ln 5]) = [1, 2, 5]/8 and softmax([ln 5, 0, ln 2]) = [5, 1, 2]/8
  const rows = t([2, 3], [0, LN2, LN5, LN5, 0, LN2]);
  const probs = t([2, 3], [0.5, 0.25, 0.25, 0, 0, 1]);
  // ε = 0.3, C = 3: a = 0.7·t + 0.1 = [0.45, 0.275, 0.275] and [0.1, 0.1, 0.8]; ℓ = −Σ a·log p
  const l0 = 0.45 * Math.log(8) + 0.275 * Math.log(4) + 0.275 * Math.log(8 / 5);
  const l1 = 0.1 * Math.log(8 / 5) + 0.1 * Math.log(8) + 0.8 * Math.log(4);
  // ∂ℓ/∂x = p·Σa − a = p − a
  const g0 = [0.125 - 0.45, 0.25 - 0.275, 0.625 - 0.275];
  const g1 = [0.625 - 0.1, 0.125 - 0.1, 0.25 - 0.8];

  it('class probabilities with label smoothing: none, sum and mean (over rows)', () => {
    const none = call('cross-entropy', rows, { target: probs, label_smoothing: 0.3, reduction: 'none' });
    expect(none.y.shape).toEqual([2]);
    expectClose(none.y.value.data, [l0, l1]);
    expectClose(gradOf(none.y, none.x), [...g0, ...g1]);
    const total = call('cross-entropy', rows, { target: probs, label_smoothing: 0.3, reduction: 'sum' });
    expect(total.y.shape).toEqual([]);
    expectClose(total.y.value.data, [l0 + l1]);
    const mean = call('cross-entropy', rows, { target: probs, label_smoothing: 0.3 });
    expect(mean.y.shape).toEqual([]);
    expectClose(mean.y.value.data, [(l0 + l1) / 2]);
    expectClose(gradOf(mean.y, mean.x), [...g0, ...g1].map((g) => g / 2));
  });

  it('class probabilities with a negative label smoothing: none applied', () => {
    const { x, y } = call('cross-entropy', v([0, LN2, LN5]), { target: v([0.5, 0.25, 0.25]), label_smoothing: -0.1 });
    expectClose(y.value.data, [0.5 * Math.log(8) + 0.25 * Math.log(4) + 0.25 * Math.log(8 / 5)]);
    expectClose(gradOf(y, x), [0.125 - 0.5, 0.25 - 0.25, 0.625 - 0.25]);
  });

  it('class indices: ε = 1 (allowed) is the uniform target, ε = 0.3 mixes, a negative ε is none', () => {
    const x = v([0, LN2, LN5]);
    const uniform = call('cross-entropy', x, { target: 2, label_smoothing: 1 });
    expectClose(uniform.y.value.data, [(3 * Math.log(8) - Math.log(10)) / 3]);
    expectClose(gradOf(uniform.y, uniform.x), [1 / 8 - 1 / 3, 1 / 4 - 1 / 3, 5 / 8 - 1 / 3]);
    const mixed = call('cross-entropy', x, { target: 2, label_smoothing: 0.3 });
    expectClose(mixed.y.value.data, [0.7 * Math.log(8 / 5) + 0.1 * (3 * Math.log(8) - Math.log(10))]);
    expectClose(gradOf(mixed.y, mixed.x), [1 / 8 - 0.1, 1 / 4 - 0.1, 5 / 8 - 0.8]);
    const negative = call('cross-entropy', x, { target: 2, label_smoothing: -0.1 });
    expectClose(negative.y.value.data, [Math.log(8 / 5)]);
    expectClose(gradOf(negative.y, negative.x), [1 / 8, 1 / 4, 5 / 8 - 1]);
  });
});

describe('multi-margin', () => {
  it('refuses inputs of more than 2 dimensions or without classes', () => {
    const why = 'multi-margin needs --input as a vector of class scores or a matrix with one row per sample, not shape';
    expect(errorOfCall('multi-margin', t([1, 2, 2], [0, 0, 0, 0]), { target: v([0]) })).toBe(`${why} [1, 2, 2]`);
    expect(errorOfCall('multi-margin', t([0], []), { target: 0 })).toBe(`${why} [0]`);
    expect(errorOfCall('multi-margin', t([2, 0], []), { target: v([0, 0]) })).toBe(`${why} [2, 0]`);
  });

  it('refuses class weights of another shape, and reports that they get no gradient', () => {
    const x = t([2, 3], [0, 0, 0, 0, 0, 0]);
    const target = v([0, 1]);
    expect(errorOfCall('multi-margin', x, { target, weight: v([1, 2]) })).toBe('multi-margin: --weight has shape [2], but needs one number per class: 3 numbers');
    expect(errorOfCall('multi-margin', x, { target, weight: t([3, 1], [1, 2, 3]) })).toBe(
      'multi-margin: --weight has shape [3, 1], but needs one number per class: 3 numbers',
    );
    expect(errorOfCall('multi-margin', t([2, 1], [0, 0]), { target: v([0, 0]), weight: v([1, 2]) })).toBe(
      'multi-margin: --weight has shape [2], but needs one number per class: 1 number',
    );
    const { noGradient } = call('multi-margin', x, { target, weight: v([1, 2, 3]) });
    expect(noGradient.map(([, why]) => why)).toEqual(['class indices have no gradient', 'PyTorch computes no gradient for the class weights of multi_margin_loss']);
  });

  it('refuses a target of another size or shape', () => {
    expect(errorOfCall('multi-margin', t([2, 3], Array(6).fill(0)), { target: v([0]) })).toBe('--target has 1 number; for 2 rows of 3 class scores give 2 class indices');
    expect(errorOfCall('multi-margin', v([0, 0, 0]), { target: v([0, 1]) })).toBe('--target has 2 numbers; for one row of 3 class scores give one class index');
    expect(errorOfCall('multi-margin', t([2, 3], Array(6).fill(0)), { target: t([2, 1], [0, 1]) })).toBe(
      '--target has 2 numbers; for 2 rows of 3 class scores give 2 class indices',
    );
  });

  it('refuses a target that is not a class index (numbered when there are several rows)', () => {
    const of3 = 'is not a class index; with 3 classes it must be a whole number from 0 to 2';
    expect(errorOfCall('multi-margin', v([0, 0, 0]), { target: -1 })).toBe(`multi-margin: --target -1 ${of3}`);
    expect(errorOfCall('multi-margin', v([0, 0, 0]), { target: 3 })).toBe(`multi-margin: --target 3 ${of3}`);
    expect(errorOfCall('multi-margin', v([0, 0, 0]), { target: 0.5 })).toBe(`multi-margin: --target 0.5 ${of3}`);
    expect(errorOfCall('multi-margin', t([2, 3], Array(6).fill(0)), { target: v([0, 3]) })).toBe(`multi-margin: --target 3 (number 2) ${of3}`);
    expect(errorOfCall('multi-margin', t([2, 3], Array(6).fill(0)), { target: v([-1, 0]) })).toBe(`multi-margin: --target -1 (number 1) ${of3}`);
  });

  it('a 0-d input is one class: loss 0', () => {
    const { x, y } = call('multi-margin', t([], [0.5]), { target: 0 });
    expect(y.shape).toEqual([]);
    expectClose(y.value.data, [0]);
    expectClose(gradOf(y, x), [0]);
  });

  it('a 0-d target with reduction none gives one number (0-d), a 1-D target one per row', () => {
    // z = 1 − 0.8 + [0.1, 0.2, 0.4] = [0.3, 0.4, 0.6]: (0.3 + 0.4 + 0.6)/4
    const scalar = call('multi-margin', v([0.1, 0.2, 0.4, 0.8]), { target: 3, reduction: 'none' });
    expect(scalar.y.shape).toEqual([]);
    expectClose(scalar.y.value.data, [1.3 / 4]);
    const row = call('multi-margin', v([0.1, 0.2, 0.4, 0.8]), { target: v([3]), reduction: 'none' });
    expect(row.y.shape).toEqual([1]);
    expectClose(row.y.value.data, [1.3 / 4]);
  });

  // row 0: target 0, z = [·, 1.5, −4]; row 1: target 1, z = [−4, ·, 1.2]
  const x2 = t([2, 3], [0, 0.5, -5, -5, 0, 0.2]);

  it('mean over rows is one number', () => {
    const { x, y } = call('multi-margin', x2, { target: v([0, 1]) });
    expect(y.shape).toEqual([]);
    expectClose(y.value.data, [(1.5 / 3 + 1.2 / 3) / 2]);
    expectClose(gradOf(y, x), [-1 / 6, 1 / 6, 0, 0, -1 / 6, 1 / 6]);
  });

  it("reduction none: each row's gradient times its own grad_output (an inactive term is 0·g of its row)", () => {
    const { x, y } = call('multi-margin', x2, { target: v([0, 1]), reduction: 'none' });
    expect(y.shape).toEqual([2]);
    expectClose(y.value.data, [1.5 / 3, 1.2 / 3]);
    const g = gradOf(y, x, [-1, 2]);
    expectClose(g, [1 / 3, -1 / 3, 0, 0, -2 / 3, 2 / 3]);
    // PyTorch: grad_input[d] = 0 for an inactive d, then times the row's grad_output: −0 in row 0 (g = −1), +0 in row 1 (g = 2)
    expect(Object.is(g[2], -0)).toBe(true);
    expect(Object.is(g[3], 0)).toBe(true);
  });

  describe('p = 2 second derivatives: 2·w_y/C per active term (z > 0), ±2·w_y/C with the target, none at z = 0', () => {
    // row 0: target 0, z = [·, 1.5, −4] (w_y = 1); row 1: target 2, z = [1.3, 0 exactly, ·] (w_y = 3)
    const xp = t([2, 3], [0, 0.5, -5, 0.3, -1, 0]);
    const given = { target: v([0, 2]), p: 2, weight: v([1, 2, 3]) };
    const a = 2 / 3; // 2·1/3
    const b = 2; // 2·3/3
    const h = (c0: number, c1: number): number[] => [
      [c0 * a, -c0 * a, 0, 0, 0, 0],
      [-c0 * a, c0 * a, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0],
      [0, 0, 0, c1 * b, 0, -c1 * b],
      [0, 0, 0, 0, 0, 0],
      [0, 0, 0, -c1 * b, 0, c1 * b],
    ].flat();

    it('sum', () => {
      const { x, y } = call('multi-margin', xp, { ...given, reduction: 'sum' });
      expectClose(y.value.data, [1.5 ** 2 / 3 + (3 * 1.3 ** 2) / 3]);
      expectClose(gradOf(y, x), [-1, 1, 0, 2 * 1.3, 0, -2 * 1.3]);
      expectClose(hessian(y, [x]), h(1, 1));
    });

    it('mean (/N)', () => {
      const { x, y } = call('multi-margin', xp, given);
      expectClose(hessian(y, [x]), h(0.5, 0.5));
    });

    it('none, with grad_output −1 and 2 for the rows', () => {
      const { x, y } = call('multi-margin', xp, { ...given, reduction: 'none' });
      expectClose(hessian(sum(mul(y, constant(v([-1, 2])))), [x]), h(-1, 2));
    });
  });
});
