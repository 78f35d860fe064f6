/**
 * The losses through computeFunction and the engine, against values from outside the code:
 * closed forms (the cross-entropy Hessian diag(p) − ppᵀ, the MSE Hessian 2I/N, ...), PyTorch 1.13
 * float64 runs (the snippet beside each number), PyTorch 2.11's source where 1.13 differs (cited),
 * the issue-11 repros, and fast-check properties over every loss: gradients with respect to the
 * input (and the target, where PyTorch differentiates it) against central differences, Hessians
 * symmetric and against central differences of the gradient.
 */
import fc from 'fast-check';
import { computeFunction, type FunctionRequest } from '../../src/commands/function';
import { ones } from '../../src/autograd/elementwise';
import { grad as engineGrad } from '../../src/autograd/engine';
import { leaf, type Var } from '../../src/autograd/var';
import { bindArgs, flagOf, type RawArg } from '../../src/functions/args';
import { lookup } from '../../src/functions/registry';
import { ArgumentError } from '../../src/functions/types';
import type { Tensor } from '../../src/tensor';

fc.configureGlobal({ seed: 20261128, numRuns: 25 });

const t = (shape: number[], data: number[]): Tensor => ({ shape, data: Float64Array.from(data) });
const v = (data: number[]): Tensor => t([data.length], data);

function run(name: string, input: Tensor, args: Record<string, RawArg>, opts: Partial<FunctionRequest> = {}) {
  const fn = lookup(name);
  if (!fn) throw new Error(`no function ${name}`);
  return computeFunction({ fn, input, args, grad: true, ...opts });
}
const value = (name: string, input: Tensor, args: Record<string, RawArg>): number[] => Array.from(run(name, input, args, { grad: false }).value.data);
const gradient = (name: string, input: Tensor, args: Record<string, RawArg>, gradOutput?: Tensor): number[] =>
  Array.from(run(name, input, args, { gradOutput }).grad!.data);
const hessian = (name: string, input: Tensor, args: Record<string, RawArg>, gradOutput?: Tensor): number[] =>
  Array.from(run(name, input, args, { gradOutput, hessian: true }).hessian!.data);

/**
 * The loss built from leaf Vars (as `actgrad grad` does), with the gradients of Σ loss with respect
 * to the input and the target, and what the loss reported through noGradient.
 */
function withTarget(name: string, input: Tensor, target: Tensor, args: Record<string, RawArg> = {}) {
  const fn = lookup(name)!;
  const x = leaf(input, 'x');
  const tv = leaf(target, 't');
  const noGradient: [Var, string][] = [];
  const y = fn.forward(bindArgs(fn, { ...args, input: x, target: tv }), { noGradient: (u, why) => noGradient.push([u, why]) });
  const [gx, gt] = engineGrad([y], [ones(y.shape)], [x, tv]);
  return { y, gx: gx && Array.from(gx.value.data), gt: gt && Array.from(gt.value.data), noGradient, target: tv };
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-12, atol = 1e-14): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e) || !Number.isFinite(e)) expect(a).toBe(e);
    else if (Math.abs(a - e) > atol + rtol * Math.abs(e)) throw new Error(`[${i}]: actual ${a}, expected ${e} (all: ${Array.from(actual).join(', ')})`);
  }
}

const softmaxOf = (x: number[]): number[] => {
  const m = Math.max(...x);
  const e = x.map((u) => Math.exp(u - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((u) => u / s);
};
const sigma = (x: number): number => 1 / (1 + Math.exp(-x));
const diag = (d: number[]): number[] => d.flatMap((u, i) => d.map((_, j) => (i === j ? u : 0)));
/** The message of an ArgumentError as the command line words it (`--target`). */
const cliMessage = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof ArgumentError) return e.compose(flagOf);
    throw e;
  }
  throw new Error('no error');
};

describe('issue 11 repros', () => {
  test('bce divides by max((1 − x)x, 1e-12 as a float32): the first gradient is −250000000998.9507', () => {
    // −1/(4·float32(1e-12)) = −1/(4·9.999999960041972e-13)
    expect(gradient('bce', v([0, 1, 1e-300, 0.5]), { target: v([1, 0, 1, 0.5]) })).toEqual([
      -250000000998.9507, 250000000998.9507, -250000000998.9507, 0,
    ]);
  });

  test('mse multiplies by 2/N first: mse 1e308 0 --target 0,0 --grad gives 1e308, not inf', () => {
    expect(gradient('mse', v([1e308, 0]), { target: v([0, 0]) })).toEqual([1e308, 0]);
  });

  test('cross-entropy of logits holding +inf is NaN, as its log_softmax', () => {
    expect(value('cross-entropy', v([Infinity, 1]), { target: v([1]) })).toEqual([NaN]);
  });

  test('a probability target of cross-entropy gets PyTorch\'s gradient', () => {
    // x = tensor([0.5, -1., 2.]), t = tensor([0.3, 0.3, 0.4]), both float64 requiring grad; l = F.cross_entropy(x, t)
    // l → 1.5913112966571572; torch.autograd.grad(l, t) → [1.7413112966571571, 3.241311296657157, 0.24131129665715703]
    const r = withTarget('cross-entropy', v([0.5, -1, 2]), v([0.3, 0.3, 0.4]));
    expectClose(Array.from(r.y.value.data), [1.5913112966571572]);
    expectClose(r.gt!, [1.7413112966571571, 3.241311296657157, 0.24131129665715703]);
    expect(r.noGradient).toEqual([]);
  });

  test('class indices get no gradient, and say why', () => {
    const r = withTarget('cross-entropy', t([2, 3], [0.5, -1, 2, 1, 0, 0]), v([2, 0]));
    expect(r.gt).toBeNull();
    expect(r.noGradient).toEqual([[r.target, 'class indices have no gradient']]);
    for (const name of ['nll', 'multi-margin']) {
      const s = withTarget(name, t([2, 3], [-0.5, -1, -2, -1, -0.1, -3]), v([2, 0]));
      expect(s.gt).toBeNull();
      expect(s.noGradient.map(([u, why]) => [u === s.target, why])).toEqual([[true, 'class indices have no gradient']]);
    }
  });

  test('bce checks the input and, as PyTorch 2.11 does, the target (Loss.cpp: "all elements of target should be between 0 and 1")', () => {
    expect(cliMessage(() => run('bce', v([0.5, 1.2]), { target: v([1, 0]) }))).toBe(
      'bce: all elements of --input should be between 0 and 1, but number 2 is 1.2 (for logits use bce-with-logits)',
    );
    expect(cliMessage(() => run('bce', v([0.5, 0.2]), { target: v([1, 2]) }))).toBe('bce: all elements of --target should be between 0 and 1, but number 2 is 2');
    expect(() => run('bce', v([NaN]), { target: v([1]) })).toThrow('between 0 and 1');
  });

  test('errors name the arguments: a wrong target count', () => {
    expect(cliMessage(() => run('smooth-l1', v([1, 2, 3]), { target: v([1, 2]) }))).toBe('--target has 2 numbers, --input has 3');
    expect(cliMessage(() => run('cross-entropy', t([2, 3], [0, 0, 0, 1, 1, 1]), { target: v([0, 1, 2]) }))).toBe(
      "--target has 3 numbers; for 2 rows of 3 class scores give 2 class indices, or class probabilities of the input's shape [2, 3]",
    );
  });
});

describe('cross-entropy', () => {
  test('its Hessian is diag(p) − ppᵀ for one row, and the mean of the rows\' for a batch', () => {
    const x = [0.5, -1, 2, 0.25];
    const p = softmaxOf(x);
    const H = x.flatMap((_, i) => x.map((__, j) => (i === j ? p[i] : 0) - p[i] * p[j]));
    expectClose(hessian('cross-entropy', v(x), { target: v([2]) }), H, 1e-12, 1e-15);
    // probabilities and label smoothing do not change it (Σ_c a_c = 1)
    expectClose(hessian('cross-entropy', v(x), { target: v([0.1, 0.2, 0.3, 0.4]) }), H, 1e-12, 1e-15);
    expectClose(hessian('cross-entropy', v(x), { target: v([1]), label_smoothing: 0.3 }), H, 1e-12, 1e-15);
    const rows = [x, [1, 0, -1, 3]];
    const blocks = rows.map((r) => {
      const q = softmaxOf(r);
      return r.map((_, i) => r.map((__, j) => ((i === j ? q[i] : 0) - q[i] * q[j]) / 2));
    });
    const H2 = Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (__, j) => (Math.floor(i / 4) === Math.floor(j / 4) ? blocks[Math.floor(i / 4)][i % 4][j % 4] : 0))).flat();
    expectClose(hessian('cross-entropy', t([2, 4], rows.flat()), { target: v([0, 3]) }), H2, 1e-12, 1e-15);
  });

  test('the gradient for a class index is softmax − onehot', () => {
    const x = [0.5, -1, 2];
    const p = softmaxOf(x);
    expectClose(gradient('cross-entropy', v(x), { target: v([1]) }), p.map((u, i) => u - (i === 1 ? 1 : 0)));
  });

  test('label smoothing, class weights and ignore_index as PyTorch 1.13', () => {
    // x = tensor([[0.3, -1.2, 2.0], [1.5, 0.1, -0.4]], float64); w = tensor([0.5, 2.0, 1.5])
    // F.cross_entropy(x, tensor([2, 1]), weight=w, label_smoothing=0.2, ignore_index=0) → 1.148213266015775
    const x = t([2, 3], [0.3, -1.2, 2, 1.5, 0.1, -0.4]);
    const args = { weight: v([0.5, 2, 1.5]), label_smoothing: 0.2, ignore_index: 0 };
    expectClose(value('cross-entropy', x, { ...args, target: v([2, 1]) }), [1.148213266015775]);
    expectClose(gradient('cross-entropy', x, { ...args, target: v([2, 1]) }), [
      0.05304790415304012, -0.024133601601760937, -0.028914302551279178, 0.37247481568552804, -0.40103839403160496, 0.02856357834607693,
    ]);
    // the same with the second row ignored (target 0 = ignore_index) → 0.5194118839538397
    expectClose(value('cross-entropy', x, { ...args, target: v([2, 0]) }), [0.5194118839538397]);
    expectClose(gradient('cross-entropy', x, { ...args, target: v([2, 0]) }), [0.12377844302376029, -0.05631173707077553, -0.0674667059529847, 0, 0, 0]);
  });

  test('checks label_smoothing ≤ 1, the class weights and the class indices', () => {
    expect(cliMessage(() => run('cross-entropy', v([1, 2]), { target: v([0]), label_smoothing: 1.5 }))).toBe(
      'cross-entropy: --label-smoothing must be between 0 and 1, not 1.5',
    );
    expect(cliMessage(() => run('cross-entropy', v([1, 2, 3]), { target: v([0]), weight: v([1, 2]) }))).toBe(
      'cross-entropy: --weight has shape [2], but needs one number per class: 3 numbers',
    );
    expect(cliMessage(() => run('cross-entropy', v([1, 2, 3]), { target: v([3]) }))).toBe(
      'cross-entropy: --target 3 is not a class index; with 3 classes it must be a whole number from 0 to 2',
    );
    expect(() => run('cross-entropy', v([1, 2, 3]), { target: v([0.5]) })).toThrow('is not a class index');
  });

  test('works on (N, C, d) inputs with class dimension 1', () => {
    // log_softmax along dimension 1, then the mean of −lp at the targets
    const x = [0.1, 0.2, 0.3, -0.4, 1, 2]; // shape [1, 3, 2]
    const lp = (col: number, c: number) => x[c * 2 + col] - Math.log([0, 1, 2].reduce((s, k) => s + Math.exp(x[k * 2 + col]), 0));
    expectClose(value('cross-entropy', t([1, 3, 2], x), { target: t([1, 2], [2, 0]) }), [-(lp(0, 2) + lp(1, 0)) / 2]);
  });
});

describe('nll and multi-margin', () => {
  test('nll: mean divides by Σ w over the terms not ignored; all ignored gives NaN', () => {
    const x = t([2, 3], [-1, -2, -3, -4, -5, -6]);
    expectClose(value('nll', x, { target: v([2, 0]), weight: v([2, 1, 0.5]) }), [(3 * 0.5 + 4 * 2) / 2.5]);
    // F.nll_loss(tensor([[1., 2.], [3., 4.]]), tensor([1, 1]), ignore_index=1) → nan
    expect(value('nll', t([2, 2], [1, 2, 3, 4]), { target: v([1, 1]), ignore_index: 1 })).toEqual([NaN]);
    expect(hessian('nll', x, { target: v([2, 0]) })).toEqual(new Array(36).fill(0));
  });

  test('multi-margin divides by the number of classes; p = 2 with weights as PyTorch 1.13', () => {
    // x = tensor([[0.1, 0.2, 0.4, 0.8], [1., 0., 0., 1.]]); F.multi_margin_loss(x, tensor([3, 0]), p=2, margin=0.5,
    // weight=tensor([1., 2., 3., 4.]), reduction='none') → [0.009999999999999995, 0.0625]; grad of the sum:
    const x = t([2, 4], [0.1, 0.2, 0.4, 0.8, 1, 0, 0, 1]);
    const args = { target: v([3, 0]), p: 2, margin: 0.5, weight: v([1, 2, 3, 4]), reduction: 'none' };
    expectClose(value('multi-margin', x, args), [0.009999999999999995, 0.0625]);
    expectClose(gradient('multi-margin', x, args), [0, 0, 0.19999999999999996, -0.19999999999999996, -0.25, 0, 0, 0.25]);
    expect(cliMessage(() => run('multi-margin', x, { target: v([3, 0]), p: 3 }))).toBe('multi-margin: --p must be 1 or 2 (only p == 1 and p == 2 are supported), not 3');
  });

  test('multi-margin p = 2: the exact second derivative 2·w_y/(C·N) on each active pair (PyTorch has none)', () => {
    // one row x = [0, 0.3, 1], y = 0: z_1 = 1.3 and z_2 = 2 are active; ℓ = (z_1² + z_2²)/3
    const H = hessian('multi-margin', v([0, 0.3, 1]), { target: v([0]), p: 2 });
    const c = 2 / 3;
    expectClose(H, [2 * c, -c, -c, -c, c, 0, -c, 0, c]);
    expect(hessian('multi-margin', v([0, 0.3, 1]), { target: v([0]) })).toEqual(new Array(9).fill(0));
  });
});

describe('pointwise losses', () => {
  test('mse: Hessian 2I/N', () => {
    expectClose(hessian('mse', v([1, -2, 0.5]), { target: v([0, 1, 2]) }), diag([2 / 3, 2 / 3, 2 / 3]));
  });

  test('smooth-l1 and huber: the second derivative masks |d| < β (strict) and divides by β for smooth-l1 only', () => {
    const x = v([0.2, 1, -3]);
    const target = v([0, 0, 0]);
    expectClose(hessian('smooth-l1', x, { target, beta: 0.5 }), diag([1 / 0.5 / 3, 0, 0]));
    expectClose(hessian('smooth-l1', v([0.2, 0.5, -3]), { target, beta: 0.5 }), diag([1 / 0.5 / 3, 0, 0]));
    expectClose(hessian('huber', v([0.2, 1, -0.9]), { target, delta: 1 }), diag([1 / 3, 0, 1 / 3]));
    expect(gradient('smooth-l1', v([0.5, -0.5, 0]), { target, beta: 0.5, reduction: 'sum' })).toEqual([1, -1, 0]);
    // beta = 0 is l1_loss (torch.nn.functional.smooth_l1_loss)
    expect(gradient('smooth-l1', v([0.5, -0.5, 0]), { target, beta: 0, reduction: 'sum' })).toEqual([1, -1, 0]);
    expect(cliMessage(() => run('smooth-l1', x, { target, beta: -1 }))).toContain('--beta must be at least 0');
    expect(cliMessage(() => run('huber', x, { target, delta: 0 }))).toContain('--delta must be greater than 0');
  });

  test('l1: gradient sgn(x − t), 0 at x = t; Hessian 0; the target gets the negation', () => {
    expect(gradient('l1', v([1, -1, 0.5]), { target: v([1, 0, 0]), reduction: 'sum' })).toEqual([0, -1, 1]);
    expect(hessian('l1', v([1, -1, 0.5]), { target: v([1, 0, 0]) })).toEqual(new Array(9).fill(0));
    expect(withTarget('l1', v([1, -1, 0.5]), v([1, 0, 0]), { reduction: 'sum' }).gt).toEqual([-0, 1, -1]);
  });

  test('bce: the Hessian is (x² − 2xt + t)/((x + 1e-12)²(1 − x + 1e-12)²)/N and the target gradient −logit(x)', () => {
    const x = [0.2, 0.9, 0.5];
    const tt = [0, 1, 0.3];
    const e = 1e-12;
    expectClose(hessian('bce', v(x), { target: v(tt) }), diag(x.map((u, i) => (u * u - 2 * u * tt[i] + tt[i]) / ((u + e) ** 2 * (1 - u + e) ** 2) / 3)), 1e-12);
    // F.binary_cross_entropy(x, t, reduction='sum') with t requiring grad → [1.3862943611198906, -2.1972245773362196, 0.0]
    expectClose(withTarget('bce', v(x), v(tt), { reduction: 'sum' }).gt!, [1.3862943611198906, -2.1972245773362196, 0]);
  });

  test('bce: a weight broadcasts over the rows and gets no gradient', () => {
    const r = withTarget('bce', t([2, 2], [0.2, 0.4, 0.6, 0.8]), t([2, 2], [0, 1, 1, 0]), { weight: v([2, 0.5]), reduction: 'sum' });
    expectClose(r.gx!, [2 / 0.8, 0.5 * (-0.6 / 0.24), 2 * (-0.4 / 0.24), 0.5 / 0.2]);
    expect(r.noGradient).toHaveLength(1);
    expect(cliMessage(() => run('bce', t([2, 2], [0.2, 0.4, 0.6, 0.8]), { target: t([2, 2], [0, 1, 1, 0]), weight: v([1, 2, 3]) }))).toBe(
      '--weight of shape [3] does not broadcast to the shape of --input, [2, 2] (give one number, one per column, or one per element)',
    );
  });

  test('bce-with-logits: pos_weight and weight as PyTorch 1.13; Hessian w·σ(x)(1 − σ(x))/N', () => {
    // x = tensor([0.7, -0.3, 2.5]), t = tensor([1., 0., 0.5]); F.binary_cross_entropy_with_logits(x, t,
    // pos_weight=tensor([2., 3., 0.5]), weight=tensor([1., 0.5, 2.])) → 1.2339614404813346
    const x = v([0.7, -0.3, 2.5]);
    const args = { target: v([1, 0, 0.5]), pos_weight: v([2, 3, 0.5]), weight: v([1, 0.5, 2]) };
    expectClose(value('bce-with-logits', x, args), [1.2339614404813346]);
    expectClose(gradient('bce-with-logits', x, args), [-0.22120815188788923, 0.07092624719805683, 0.2954042433227116]);
    // the same without weight: target gradient (log σ(−x) − pw·log σ(x))/N → [-0.0989…, 0.6695…, -0.8464…]
    expectClose(withTarget('bce-with-logits', x, v([1, 0, 0.5]), { pos_weight: v([2, 3, 0.5]) }).gt!, [
      -0.09893798370484737, 0.6695701629790181, -0.8464816223820916,
    ]);
    const xs = [0.7, -0.3, 2.5];
    expectClose(hessian('bce-with-logits', x, { target: v([1, 0, 0.5]) }), diag(xs.map((u) => (sigma(u) * (1 - sigma(u))) / 3)), 1e-12);
  });

  test('bce-with-logits saturates exactly as PyTorch\'s sigmoid: z = 40, target 0 gives gradient 1/N', () => {
    expect(gradient('bce-with-logits', v([40, -40]), { target: v([0, 1]), reduction: 'sum' })).toEqual([1, -1]);
  });

  test('soft-margin: overflow as in PyTorch; Hessian t²σ(−tx)σ(tx)/N; the target is not differentiable', () => {
    expect(value('soft-margin', v([-800]), { target: v([1]) })).toEqual([Infinity]);
    expect(gradient('soft-margin', v([-800]), { target: v([1]) })).toEqual([NaN]);
    const x = [1, -2, 0.3];
    const tt = [1, 1, -1];
    expectClose(hessian('soft-margin', v(x), { target: v(tt) }), diag(x.map((u, i) => (sigma(-tt[i] * u) * sigma(tt[i] * u)) / 3)), 1e-12);
    const r = withTarget('soft-margin', v(x), v(tt));
    expect(r.gt).toBeNull();
    expect(r.noGradient[0][1]).toBe('PyTorch does not differentiate soft_margin_loss with respect to its target');
  });

  test('hinge-embedding: −1 at x = margin (clamp_min passes the gradient); both terms for other targets', () => {
    expect(gradient('hinge-embedding', v([1, 0.5, 2]), { target: v([-1, -1, 1]), reduction: 'sum' })).toEqual([-1, -1, 1]);
    expect(value('hinge-embedding', v([0.25, 2]), { target: v([0, 2]), reduction: 'none' })).toEqual([1, 2]);
    expect(withTarget('hinge-embedding', v([1, 2]), v([1, -1])).gt).toBeNull();
  });

  test('poisson-nll: full with log_input=False as PyTorch 1.13; Hessian e^x/N; NaN target gradient at t = 0 with full', () => {
    // F.poisson_nll_loss(tensor([1., 2., 3.]), tensor([0., 2., 3.5]), log_input=False, full=True) → 1.2834531662219133
    const args = { target: v([0, 2, 3.5]), log_input: false, full: true };
    expectClose(value('poisson-nll', v([1, 2, 3]), args), [1.2834531662219133]);
    expectClose(gradient('poisson-nll', v([1, 2, 3]), args), [0.3333333333333333, 1.6666666380338313e-9, -0.05555555425925923], 1e-9);
    expectClose(hessian('poisson-nll', v([0.5, -1]), { target: v([1, 2]) }), diag([Math.exp(0.5) / 2, Math.exp(-1) / 2]));
    // x = tensor([0.5, 1.]), t = tensor([0., 3.]), F.poisson_nll_loss(x, t, full=True, reduction='sum'): grad t → [nan, 0.2652789553347765]
    expectClose(withTarget('poisson-nll', v([0.5, 1]), v([0, 3]), { full: true, reduction: 'sum' }).gt!, [NaN, 0.2652789553347765]);
  });

  test('kl-div: mean divides by all elements, batchmean by the rows; NaN target gradient at t = 0', () => {
    // F.kl_div(tensor([-0.5, -1.5]), tensor([0.2, 0.8]), reduction='mean') → 0.3997987882309062, grad [-0.1, -0.4]
    expectClose(value('kl-div', v([-0.5, -1.5]), { target: v([0.2, 0.8]) }), [0.3997987882309062]);
    expectClose(gradient('kl-div', v([-0.5, -1.5]), { target: v([0.2, 0.8]) }), [-0.1, -0.4]);
    const x = t([2, 2], [-0.5, -1.5, -1, -0.2]);
    const target = t([2, 2], [0.2, 0.8, 0.3, 0.7]);
    expectClose(value('kl-div', x, { target, reduction: 'batchmean' }), [value('kl-div', x, { target, reduction: 'sum' })[0] / 2]);
    expect(hessian('kl-div', x, { target })).toEqual(new Array(16).fill(0));
    // F.kl_div(tensor([-0.5, -1.5]), tensor([0., 0.8]), reduction='sum'), t requiring grad → [nan, 2.2768564486857903]
    expectClose(withTarget('kl-div', v([-0.5, -1.5]), v([0, 0.8]), { reduction: 'sum' }).gt!, [NaN, 2.2768564486857903]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties over every loss
// ---------------------------------------------------------------------------------------------

interface LossCase {
  name: string;
  args?: Record<string, RawArg>;
  input: fc.Arbitrary<number[]>;
  target: fc.Arbitrary<number[]>;
  /** the target's shape when it is not the input's (class indices) */
  targetShape?: number[];
  /** PyTorch differentiates the target */
  targetGrad: boolean;
}

const n = 4;
const away = (lo: number, hi: number, from: number[] = [], gap = 1e-2) =>
  fc.double({ min: lo, max: hi, noNaN: true }).filter((u) => from.every((k) => Math.abs(u - k) > gap));
const vec = (arb: fc.Arbitrary<number>, length = n) => fc.array(arb, { minLength: length, maxLength: length });
const logits = vec(away(-3, 3));
const probs = vec(away(0.05, 0.95));
const plusMinus = vec(fc.constantFrom(-1, 1));
const classIndices = fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 2, maxLength: 2 });

const LOSSES: LossCase[] = [
  { name: 'mse', input: logits, target: logits, targetGrad: true },
  { name: 'l1', input: vec(away(-3, 3, [0], 0.1)), target: vec(fc.constant(0)), targetGrad: true },
  { name: 'smooth-l1', args: { beta: 0.7 }, input: vec(away(-3, 3, [-0.7, 0.7])), target: vec(fc.constant(0)), targetGrad: true },
  { name: 'huber', args: { delta: 0.8 }, input: vec(away(-3, 3, [-0.8, 0.8])), target: vec(fc.constant(0)), targetGrad: true },
  { name: 'bce', args: { reduction: 'sum' }, input: probs, target: probs, targetGrad: true },
  { name: 'bce-with-logits', args: { pos_weight: v([2]) }, input: logits, target: probs, targetGrad: true },
  { name: 'kl-div', args: { reduction: 'batchmean' }, input: logits, target: probs, targetGrad: true },
  { name: 'kl-div', args: { log_target: true }, input: logits, target: logits, targetGrad: true },
  { name: 'soft-margin', input: logits, target: plusMinus, targetGrad: false },
  { name: 'hinge-embedding', input: vec(away(-3, 3, [1])), target: plusMinus, targetGrad: false },
  { name: 'poisson-nll', args: { full: true }, input: logits, target: vec(away(1.1, 5)), targetGrad: true },
  { name: 'poisson-nll', args: { log_input: false }, input: probs, target: probs, targetGrad: true },
  { name: 'cross-entropy', args: { label_smoothing: 0.1, weight: v([1, 2]) }, input: logits, target: classIndices, targetShape: [2], targetGrad: false },
  { name: 'cross-entropy', args: { weight: v([1, 2, 0.5, 1.5]), label_smoothing: 0.2 }, input: logits, target: probs, targetGrad: true },
  { name: 'nll', input: logits, target: classIndices, targetShape: [2], targetGrad: false },
  { name: 'multi-margin', args: { p: 2 }, input: logits, target: classIndices, targetShape: [2], targetGrad: false },
];

const h = 1e-5;
/** Central differences of f along each coordinate of x. */
const centralDifferences = (f: (x: number[]) => number[], x: number[]): number[][] =>
  x.map((_, j) => {
    const up = x.slice();
    const down = x.slice();
    up[j] += h;
    down[j] -= h;
    const fu = f(up);
    const fd = f(down);
    return fu.map((u, i) => (u - fd[i]) / (2 * h));
  });
const near = (a: number, b: number, tol: number): boolean => Math.abs(a - b) <= tol * (1 + Math.abs(b));

describe.each(LOSSES.map((c) => [`${c.name} ${JSON.stringify(c.args ?? {}).replace(/"data":\{[^}]*\}/g, '')}`, c] as const))('%s', (_label, c) => {
  const shape = c.targetShape ? [2, 2] : [n];
  const input = (x: number[]) => t(shape, x);
  const target = (tt: number[]) => t(c.targetShape ?? shape, tt);
  const loss = (x: number[], tt: number[]) => value(c.name, input(x), { ...c.args, target: target(tt) });

  test('the gradient agrees with central differences', () => {
    fc.assert(
      fc.property(c.input, c.target, (x, tt) => {
        const g = gradient(c.name, input(x), { ...c.args, target: target(tt) });
        centralDifferences((u) => loss(u, tt), x).forEach(([fd], j) => expect(near(g[j], fd, 1e-6)).toBe(true));
      }),
    );
  });

  test('the Hessian is symmetric and agrees with central differences of the gradient', () => {
    fc.assert(
      fc.property(c.input, c.target, (x, tt) => {
        const H = hessian(c.name, input(x), { ...c.args, target: target(tt) });
        const fd = centralDifferences((u) => gradient(c.name, input(u), { ...c.args, target: target(tt) }), x);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            expect(near(H[i * n + j], H[j * n + i], 1e-12)).toBe(true);
            expect(near(H[i * n + j], fd[i][j], 1e-5)).toBe(true);
          }
        }
      }),
    );
  });

  test(c.targetGrad ? 'the target gradient agrees with central differences' : 'the target gets no gradient', () => {
    fc.assert(
      fc.property(c.input, c.target, (x, tt) => {
        const r = withTarget(c.name, input(x), target(tt), c.args);
        if (!c.targetGrad) {
          expect(r.gt).toBeNull();
          expect(r.noGradient.some(([u]) => u === r.target)).toBe(true);
          return;
        }
        // the Stirling term and xlogy stay away from their kinks: targets here are positive
        centralDifferences((u) => loss(x, u), tt).forEach(([fd], j) => expect(near(r.gt![j], fd, 1e-6)).toBe(true));
      }),
      { numRuns: 15 },
    );
  });
});
