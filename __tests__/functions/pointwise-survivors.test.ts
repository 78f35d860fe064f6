/**
 * Aimed at the survivors (and the mutants without coverage) of the functions mutation run in
 * src/functions/loss-pointwise.ts, piecewise.ts, smooth.ts and common.ts, and a few in
 * src/functions/layers (shared.ts, distance.ts, windows.ts): loss values on the far side of
 * smooth_l1's and huber's kinks and exactly at them (where the two branches round differently),
 * bce's weight, bce's mixed ∂²/∂x∂t with its clamp, smooth_l1 with beta = 0, kl_div's batchmean
 * of a 0-d input, poisson_nll without full, soft_margin with targets other than ±1, prelu's weight
 * per channel of a 3-d input, signed zeros at the kinks of prelu and leaky_relu, the exact text
 * of the errors and of the noGradient reasons, the worked-solution rules (the derivative written
 * out, as derivatives.yaml gives it) and the "usual mistake" formulas.
 * Values: closed forms, and PyTorch 1.13 float64 runs (/usr/bin/python3 with python3-torch; the
 * snippet beside each number). Where a number sits one unit in the last place from what the
 * mutant gives, the comparison is exact (toEqual), as PyTorch's kernel gives that exact double.
 */
import { gradWithGraph } from '../../src/autograd/derivatives';
import type { Var } from '../../src/autograd/var';
import { bindArgs, type RawArg } from '../../src/functions/args';
import { windowTable } from '../../src/functions/layers/windows';
import { lookup } from '../../src/functions/registry';
import type { Descriptor, Mistake } from '../../src/functions/types';
import { errorOf, expectClose, grads, layer, run, T, V } from './layers/helpers';

const fn = (name: string): Descriptor => lookup(name)!;

/** fn(given), with the reasons it gave through noGradient. */
function callWith(name: string, given: Record<string, RawArg>) {
  const d = fn(name) ?? layer(name);
  const reasons: string[] = [];
  const y = d.forward(bindArgs(d, given), { noGradient: (_v, why) => void reasons.push(why) });
  return { y, reasons };
}
const y = (name: string, given: Record<string, RawArg>): Var => callWith(name, given).y;
const values = (v: Var): number[] => Array.from(v.value.data);

/** The worked-solution rule of the op that computed v, for its input i, with the inputs named `names`. */
const ruleOf = (v: Var, names: string[], i = 0): string => v.node!.op.rule!('G', names, i, v.node!.attrs as never);

const mistake = (name: string): Mistake => fn(name).mistakes![0];

/** ∂/∂(input, target) of a kinked loss at d = −1.3, +1.3 and 0.5 (x = [0, 1.3, 0.5], t = [1.3, 0, 0]), mean over 3, upstream 0.7. */
function backwardAtKinks(name: string, args: Record<string, RawArg>) {
  const x = V([0, 1.3, 0.5]);
  const t = V([1.3, 0, 0], 't');
  return grads(y(name, { input: x, target: t, ...args }), [x, t], T(0.7));
}

describe('smooth_l1 (smooth_l1_kernel: z < β ? 0.5·z²/β : z − 0.5·β)', () => {
  test('above beta the value is z − β/2', () => {
    // F.smooth_l1_loss(tensor([3., 0.2]), tensor([0., 0.]), beta=0.5, reduction='none') = [2.75, 0.04000000000000001]
    expect(values(y('smooth-l1', { input: V([3, 0.2]), target: V([0, 0], 't'), beta: 0.5, reduction: 'none' }))).toEqual([2.75, 0.04000000000000001]);
  });

  test('at z = β PyTorch takes the linear branch: exactly 0.05 for β = 0.1, where 0.5·z²/β rounds to 0.05000000000000001', () => {
    // F.smooth_l1_loss(tensor([0.1, 0., 3.]), tensor([0., 0.1, 0.]), beta=0.1, reduction='none') = [0.05, 0.05, 2.95]
    expect(values(y('smooth-l1', { input: V([0.1, 0, 3]), target: V([0, 0.1, 0], 't'), beta: 0.1, reduction: 'none' }))).toEqual([0.05, 0.05, 2.95]);
  });

  test('the backward at d = ±β takes the ±norm·g branches (mean over 3, upstream 0.7, β = 1.3)', () => {
    // x = [0, 1.3, 0.5], t = [1.3, 0, 0]; F.smooth_l1_loss(x, t, beta=1.3).backward(tensor(0.7))
    // x.grad = [-0.2333333333333333, 0.2333333333333333, 0.08974358974358973], t.grad the negation;
    // the middle branch at d = ±β would give (1/3)·(±1.3)·0.7/1.3 = ±0.23333333333333334 (±0.23333333333333328 reordered)
    const [gx, gt] = backwardAtKinks('smooth-l1', { beta: 1.3 });
    expect(Array.from(gx.data)).toEqual([-0.2333333333333333, 0.2333333333333333, 0.08974358974358973]);
    expect(Array.from(gt.data)).toEqual([0.2333333333333333, -0.2333333333333333, -0.08974358974358973]);
  });

  test('beta = 0 is l1_loss with the reduction asked for (mean by default)', () => {
    // F.smooth_l1_loss(tensor([1., -2., 0.5]), tensor([0., 0., 1.]), beta=0.) = 1.1666666666666667 = (1 + 2 + 0.5)/3
    const out = y('smooth-l1', { input: V([1, -2, 0.5]), target: V([0, 0, 1], 't'), beta: 0 });
    expect(out.shape).toEqual([]);
    expectClose(out.value, [3.5 / 3]);
    const summed = y('smooth-l1', { input: V([1, -2, 0.5]), target: V([0, 0, 1], 't'), beta: 0, reduction: 'sum' });
    expect(values(summed)).toEqual([3.5]);
  });
});

describe('huber (huber_kernel: z < δ ? 0.5·z² : δ·(z − 0.5·δ))', () => {
  test('above delta the value is δ·(z − δ/2)', () => {
    // F.huber_loss(tensor([3., 0.2]), tensor([0., 0.]), delta=0.5, reduction='none') = [1.375, 0.020000000000000004]
    expect(values(y('huber', { input: V([3, 0.2]), target: V([0, 0], 't'), delta: 0.5, reduction: 'none' }))).toEqual([1.375, 0.020000000000000004]);
  });

  test('the backward at d = ±δ takes the ±norm·g·δ branches (mean over 3, upstream 0.7, δ = 1.3)', () => {
    // F.huber_loss(x, t, delta=1.3).backward(tensor(0.7)), x = [0, 1.3, 0.5], t = [1.3, 0, 0]:
    // x.grad = [-0.3033333333333333, 0.3033333333333333, 0.11666666666666665]; norm·d·g would give ±0.30333333333333334
    const [gx, gt] = backwardAtKinks('huber', { delta: 1.3 });
    expect(Array.from(gx.data)).toEqual([-0.3033333333333333, 0.3033333333333333, 0.11666666666666665]);
    expect(Array.from(gt.data)).toEqual([0.3033333333333333, -0.3033333333333333, -0.11666666666666665]);
  });
});

describe('soft_margin, kl_div, poisson_nll', () => {
  test('soft_margin takes any target, not only ±1: log1p(exp(−x·t))', () => {
    // F.soft_margin_loss(tensor([1., -0.5]), tensor([0.5, 2.]), reduction='none') = [0.4740769841801067, 1.3132616875182228]
    expectClose(y('soft-margin', { input: V([1, -0.5]), target: V([0.5, 2], 't'), reduction: 'none' }).value, [0.4740769841801067, 1.3132616875182228]);
    expectClose([Math.log1p(Math.exp(-0.5)), Math.log1p(Math.exp(1))], [0.4740769841801067, 1.3132616875182228]);
  });

  test("kl_div's batchmean of a 0-d input is the sum, not divided by a first dimension", () => {
    // F.kl_div(tensor(-1.), tensor(0.5), reduction='batchmean') = 0.5·(log 0.5 + 1) = 0.15342640972002736
    const out = y('kl-div', { input: V(-1), target: V(0.5, 't'), reduction: 'batchmean' });
    expect(out.shape).toEqual([]);
    expectClose(out.value, [0.5 * (Math.log(0.5) + 1)]);
    expectClose(out.value, [0.15342640972002736]);
  });

  test('poisson_nll without full has no Stirling term, with full it has it where t > 1', () => {
    // F.poisson_nll_loss(tensor([0.5, 1.]), tensor([2., 3.]), full=False/True, reduction='none')
    const given = { input: V([0.5, 1]), target: V([2, 3], 't'), reduction: 'none' };
    expectClose(y('poisson-nll', given).value, [0.6487212707001282, -0.2817181715409549]);
    expectClose(y('poisson-nll', { ...given, full: true }).value, [1.3005277553046641, 1.4823633720021019]);
  });
});

describe('bce', () => {
  test('the weight multiplies each element of the value (broadcast per column)', () => {
    // F.binary_cross_entropy(x, t, weight=tensor([2., 0.5]), reduction='none'), x = [[0.2, 0.4], [0.6, 0.8]], t = [[0, 1], [1, 0]]
    const given = { input: V([[0.2, 0.4], [0.6, 0.8]]), target: V([[0, 1], [1, 0]], 't'), weight: V([2, 0.5], 'w') };
    const { y: none, reasons } = callWith('bce', { ...given, reduction: 'none' });
    expectClose(none.value, [0.4462871026284194, 0.4581453659370775, 1.0216512475319814, 0.8047189562170503]);
    expectClose(none.value, [-2 * Math.log(0.8), -0.5 * Math.log(0.4), -2 * Math.log(0.6), -0.5 * Math.log(0.2)]);
    expectClose(y('bce', { ...given, reduction: 'sum' }).value, [2.7308026723145287]);
    expect(reasons).toEqual(['PyTorch computes no gradient for the weight of this loss']);
  });

  test('∂²ℓ/∂x∂t = −1/clamp_min(x(1 − x), 1e-12): −1/(x(1 − x)) inside, −1e12 at x = 0 and x = 1', () => {
    // x, t requires_grad; gx = grad(F.binary_cross_entropy(x, t, reduction='sum'), x, create_graph=True);
    // grad(gx[i], t) is diagonal: [-4, -5.333333333333333, -1e12, -1e12] for x = [0.5, 0.25, 0, 1], t = [0.3, 0.5, 0, 1]
    const x = V([0.5, 0.25, 0, 1]);
    const t = V([0.3, 0.5, 0, 1], 't');
    const [gx] = gradWithGraph(y('bce', { input: x, target: t, reduction: 'sum' }), [x]);
    expectClose(Array.from(gx!.value.data), [0.8, -4 / 3, 0, 0]);
    expectClose(grads(gx!, [t])[0], [-4, -16 / 3, -1e12, -1e12]);
  });

  test('an input outside [0, 1] is refused with a hint to use bce-with-logits', () => {
    expect(errorOf(() => y('bce', { input: V([0.5, 1.5]), target: V([0, 1], 't') }))).toBe(
      'bce: all elements of --input should be between 0 and 1, but number 2 is 1.5 (for logits use bce-with-logits)',
    );
  });
});

describe('bce_with_logits', () => {
  test('weight and pos_weight take part in the value, and each is named in its noGradient reason', () => {
    // F.binary_cross_entropy_with_logits(tensor([0.5, -1., 2.]), tensor([1., 0., 0.5]), weight=tensor([2., 1., 0.5]),
    //   pos_weight=tensor([3., 1., 2.]), reduction='none') = [2.84446190508064, 0.3132616875182228, 0.5951960082822294]
    const { y: out, reasons } = callWith('bce-with-logits', {
      input: V([0.5, -1, 2]),
      target: V([1, 0, 0.5], 't'),
      weight: V([2, 1, 0.5], 'w'),
      pos_weight: V([3, 1, 2], 'pw'),
      reduction: 'none',
    });
    expectClose(out.value, [2.84446190508064, 0.3132616875182228, 0.5951960082822294]);
    expect(reasons).toEqual(['PyTorch computes no gradient for the weight of this loss', 'PyTorch computes no gradient for the pos_weight of this loss']);
  });

  test('a pos_weight that does not broadcast to the input is named in the error', () => {
    expect(errorOf(() => y('bce-with-logits', { input: V([[0.5, -1], [2, 0]]), target: V([[1, 0], [0, 1]], 't'), pos_weight: V([1, 2, 3], 'pw') }))).toBe(
      '--pos-weight of shape [3] does not broadcast to the shape of --input, [2, 2] (give one number, one per column, or one per element)',
    );
    expect(errorOf(() => y('bce-with-logits', { input: V([[0.5, -1], [2, 0]]), target: V([[1, 0], [0, 1]], 't'), weight: V([1, 2, 3], 'w') }))).toBe(
      '--weight of shape [3] does not broadcast to the shape of --input, [2, 2] (give one number, one per column, or one per element)',
    );
  });

  test('the probabilities-for-logits mistake maps p to its logit log(p/(1 − p))', () => {
    const m = mistake('bce-with-logits');
    expect(m.kind).toBe('probabilities-for-logits');
    const toLogits = (m as Extract<Mistake, { kind: 'probabilities-for-logits' }>).toLogits;
    expectClose([toLogits(0.25), toLogits(0.8), toLogits(0.5)], [-Math.log(3), Math.log(4), 0]);
  });
});

describe('the target must have as many numbers as the input (common.ts sameSizeTarget)', () => {
  test.each([
    ['one number for two', [1, 2], [5], '--target has 1 number, --input has 2'],
    ['three for two', [1, 2], [5, 6, 7], '--target has 3 numbers, --input has 2'],
    ['a matrix input', [[1, 2], [3, 4]], [5, 6, 7], '--target has 3 numbers, --input has 4 (shapes [3] and [2, 2])'],
    ['a matrix target', [1, 2, 3, 4], [[5, 6, 7]], '--target has 3 numbers, --input has 4 (shapes [1, 3] and [4])'],
  ])('%s', (_what, input, target, message) => {
    expect(errorOf(() => y('mse', { input: V(input), target: V(target, 't') }))).toBe(message);
  });
});

describe('prelu', () => {
  test('a weight per channel of a 3-d input lies along dimension 1, and gets Σ x over x ≤ 0 per channel', () => {
    // x = [[[-1, 2], [-3, 4]]], w = [0.1, 0.5]; F.prelu(x, w) = [[[-0.1, 2], [-1.5, 4]]];
    // backward(ones): x.grad = [[[0.1, 1], [0.5, 1]]], w.grad = [-1, -3]
    const x = V([[[-1, 2], [-3, 4]]]);
    const w = V([0.1, 0.5], 'w');
    const out = y('prelu', { input: x, weight: w });
    expect(out.shape).toEqual([1, 2, 2]);
    expectClose(out.value, [-0.1, 2, -1.5, 4]);
    const [gx, gw] = grads(out, [x, w]);
    expectClose(gx, [0.1, 1, 0.5, 1]);
    expectClose(gw, [-1, -3]);
  });

  test('at x = 0 the output is w·0 (−0 for a negative weight) and ∂/∂w is 0·g: NaN for an infinite upstream gradient', () => {
    // F.prelu(tensor([0., -0.]), tensor([-0.5])) = [-0., 0.]
    expect(values(y('prelu', { input: V([0, -0]), weight: V([-0.5], 'w') }))).toEqual([-0, 0]);
    // x = tensor([0.]), w = tensor([0.25]); F.prelu(x, w).backward(tensor([inf])): x.grad = [inf], w.grad = [nan]
    const x = V([0]);
    const w = V([0.25], 'w');
    const [gx, gw] = grads(y('prelu', { input: x, weight: w }), [x, w], T([Infinity]));
    expect(Array.from(gx.data)).toEqual([Infinity]);
    expect(Array.from(gw.data)).toEqual([NaN]);
  });

  test.each([
    ['a matrix weight', [1, -2], [[0.1, 0.2]], "--weight must be one number or a vector (PyTorch's prelu takes a weight of at most 1 dimension), not 2-dimensional"],
    ['two weights for a single number', -2, [0.1, 0.2], '--weight has 2 numbers, but --input is a single number: give one weight'],
    [
      'two weights for a vector (one channel)',
      [1, -2, 3],
      [0.1, 0.2],
      "--weight has 2 numbers, but --input has 1 channel (PyTorch's prelu takes one weight, or one per channel: dimension 1 of the input, so a vector has 1)",
    ],
    [
      'two weights for three channels',
      [[1, -2, 3]],
      [0.1, 0.2],
      "--weight has 2 numbers, but --input has 3 channels (PyTorch's prelu takes one weight, or one per channel: dimension 1 of the input, so a vector has 1)",
    ],
  ])('error: %s', (_what, input, weight, message) => {
    expect(errorOf(() => y('prelu', { input: V(input), weight: V(weight, 'w') }))).toBe(message);
  });
});

describe('signed zeros at the kinks', () => {
  test('leaky_relu(0) is 0·slope: −0 for a negative slope; leaky_relu(−0) = +0 then', () => {
    // F.leaky_relu(tensor([0., -0.]), negative_slope=-0.5) = [-0., 0.]
    expect(values(y('leaky-relu', { input: V([0, -0]), negative_slope: -0.5 }))).toEqual([-0, 0]);
  });
});

describe('worked-solution rules (the derivative of derivatives.yaml, written out)', () => {
  const x1 = (name: string, given: Record<string, RawArg> = {}): Var => y(name, { input: V([0.5]), ...given });

  test('piecewise-linear functions', () => {
    expect(ruleOf(x1('step'), ['x'])).toBe('G · 0');
    expect(ruleOf(x1('relu'), ['x'])).toBe('G · [x > 0]');
    expect(ruleOf(x1('threshold', { threshold: 0.25, value: -1 }), ['x'])).toBe('G · [x > 0.25]');
    expect(ruleOf(x1('hardtanh', { min_val: -2, max_val: 3 }), ['x'])).toBe('G · [-2 < x < 3]');
    expect(ruleOf(x1('leaky-relu', { negative_slope: 0.2 }), ['x'])).toBe('G · (1 if x > 0, else 0.2)');
    expect(ruleOf(x1('hardsigmoid'), ['x'])).toBe('G · (1/6 if -3 < x < 3, else 0)');
    expect(ruleOf(x1('hardswish'), ['x'])).toBe('G · (0 if x ≤ -3, x/3 + 1/2 if x < 3, else 1)');
    expect(ruleOf(x1('softshrink', { lambd: 0.75 }), ['x'])).toBe('G · [|x| > 0.75]');
    expect(ruleOf(x1('hardshrink', { lambd: 0.75 }), ['x'])).toBe('G · [|x| > 0.75]');
    const p = x1('prelu', { weight: V([0.1], 'w') });
    expect([ruleOf(p, ['x', 'w'], 0), ruleOf(p, ['x', 'w'], 1)]).toEqual(['G · (1 if x > 0, else w)', 'G · (0 if x > 0, else x)']);
  });

  test('smooth functions', () => {
    expect(ruleOf(x1('softplus', { beta: 2 }), ['x'])).toBe('G · σ(2·x)');
    expect(ruleOf(x1('logsigmoid'), ['x'])).toBe('G · σ(-x)');
    expect(ruleOf(x1('silu'), ['x'])).toBe('G · σ(x)(1 + x(1 − σ(x)))');
    expect(ruleOf(x1('mish'), ['x'])).toBe('G · (t + x·σ(x)(1 − t²)), t = tanh(softplus(x))');
    expect(ruleOf(x1('elu'), ['x'])).toBe('G · (scale if x > 0, else alpha·scale·input_scale·e^(input_scale·x))');
    expect(ruleOf(x1('gelu'), ['x'])).toBe("G · gelu'(x)");
    expect(ruleOf(x1('gelu', { approximate: 'tanh' }), ['x'])).toBe("G · gelu'(x) (tanh approximation)");
  });

  test("mse's rule for the input and for the target", () => {
    const out = y('mse', { input: V([0.5, 1]), target: V([0, 2], 't') });
    expect([ruleOf(out, ['x', 't'], 0), ruleOf(out, ['x', 't'], 1)]).toEqual(['G · 2(x − t)/N', 'G · 2(t − x)/N']);
  });
});

describe("the 'derivative of the input' mistakes of sigmoid and tanh", () => {
  test("σ' taken as x(1 − x), tanh' as 1 − x²", () => {
    const d = (name: string) => (mistake(name) as Extract<Mistake, { kind: 'derivative-of-input' }>).derivative;
    expect([0.25, 2, -1].map(d('sigmoid'))).toEqual([0.1875, -2, -2]);
    expect([0.5, 2, -3].map(d('tanh'))).toEqual([0.75, -3, -8]);
  });
});

describe('layers: shared.ts, distance.ts, windows.ts', () => {
  test('an empty stride takes the fallback, the kernel size (F.max_pool1d(x, 2, stride=[]) = F.max_pool1d(x, 2))', () => {
    // x = [[[1, 5, 2, 0, 3, 4]]]: [[[5, 2, 4]]] both ways
    const input = T([[[1, 5, 2, 0, 3, 4]]]);
    expect(values(run('max-pool1d', { input, kernel_size: 2, stride: [] }))).toEqual([5, 2, 4]);
  });

  test('a one-dimensional tuple argument takes 1 number', () => {
    expect(errorOf(() => run('max-pool1d', { input: T([[[1, 5, 2, 0]]]), kernel_size: [2, 2] }))).toBe('max_pool1d: --kernel-size takes 1 number, not 2 ([2, 2])');
  });

  test("layer_norm's bias is added", () => {
    // F.layer_norm(tensor([[1., 3.], [0., -4.]]), [2], weight=tensor([2., 1.]), bias=tensor([0.5, -1.]))
    const out = run('layer-norm', { input: T([[1, 3], [0, -4]]), normalized_shape: [2], weight: T([2, 1]), bias: T([0.5, -1]) });
    expectClose(out.value, [-1.4999900000749995, -4.999962500251698e-6, 2.4999975000046875, -1.9999987500023437]);
    // rows standardised to ∓1/√(1 + 1e-5) (variance 1) and ±2/√(4 + 1e-5) (variance 4), then ·[2, 1] + [0.5, -1]
    const s = 1 / Math.sqrt(1 + 1e-5);
    const r = 2 / Math.sqrt(4 + 1e-5);
    expectClose(out.value, [-2 * s + 0.5, s - 1, 2 * r + 0.5, -r - 1]);
  });

  test("pairwise_distance adds its default eps 1e-6 to the difference", () => {
    // F.pairwise_distance(tensor([[1., 2.]]), tensor([[0., 0.]])) = 2.236069319140621
    const out = run('pairwise-distance', { x1: T([[1, 2]]), x2: T([[0, 0]]) });
    expectClose(out.value, [Math.hypot(1 + 1e-6, 2 + 1e-6)]);
    expectClose(out.value, [2.236069319140621]);
  });

  test('cosine_similarity: eps = 0 is allowed, and inputs that do not broadcast are named', () => {
    // F.cosine_similarity(tensor([1., 0.]), tensor([1., 1.]), dim=0, eps=0.) = 0.7071067811865475
    expectClose(run('cosine-similarity', { x1: T([1, 0]), x2: T([1, 1]), dim: 0, eps: 0 }).value, [Math.SQRT1_2]);
    expect(errorOf(() => run('cosine-similarity', { x1: T([1, 0]), x2: T([1, 1, 1]), dim: 0 }))).toBe(
      'cosine_similarity: --x1 (shape [2]) and --x2 (shape [3]) do not broadcast (each dimension equal, or 1 in one of them)',
    );
  });

  test("the no_grad clamp of cosine_similarity's norms says in its rule that it is not differentiated", () => {
    const out = run('cosine-similarity', { x1: V([1, 0]), x2: V([1, 1], 'x2'), dim: 0 });
    const seen = new Set<Var>();
    const clamps: Var[] = [];
    const walk = (v: Var): void => {
      if (seen.has(v) || !v.node) return;
      seen.add(v);
      if (v.node.op.name === 'clamp_min_ (no_grad)') clamps.push(v);
      v.node.inputs.forEach(walk);
    };
    walk(out);
    expect(clamps.length).toBe(2);
    expect(clamps.map((c) => ruleOf(c, ['n']))).toEqual(['G (the clamp is not differentiated)', 'G (the clamp is not differentiated)']);
  });

  test('the window table reads -1 in the padding, on either side of each dimension', () => {
    // a 2×2 input (row strides [2, 1]), a 2×2 kernel, stride 1, padding 1: 3×3 positions, each reading
    // (oy − 1 + ky, ox − 1 + kx); a coordinate outside 0..1 is padding
    const table = Array.from(windowTable({ input: [2, 2], kernel: [2, 2], stride: [1, 1], padBefore: [1, 1], dilation: [1, 1], output: [3, 3] }));
    expect(table.slice(0, 4)).toEqual([-1, -1, -1, 0]); // position (0, 0)
    expect(table.slice(4, 8)).toEqual([-1, -1, 0, 1]); // (0, 1)
    expect(table.slice(8, 12)).toEqual([-1, -1, 1, -1]); // (0, 2)
    expect(table.slice(12, 16)).toEqual([-1, 0, -1, 2]); // (1, 0)
    expect(table.slice(16, 20)).toEqual([0, 1, 2, 3]); // (1, 1)
    expect(table.slice(32, 36)).toEqual([3, -1, -1, -1]); // (2, 2)
  });
});
