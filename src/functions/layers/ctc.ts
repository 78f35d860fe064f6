/**
 * ctc_loss: the negative log-likelihood of the target sequences under the alignment model of
 * Graves et al. (2006), by the forward (alpha) recursion in log space, as PyTorch's CPU kernel
 * computes it (aten/src/ATen/native/LossCTC.cpp, ctc_loss_cpu_template). Its gradient is the
 * kernel's backward, exp(lp) − exp(log Σ αβ + nll − lp): for log-softmax outputs this is the
 * gradient with respect to the logits, which is what PyTorch returns with respect to log_probs
 * (it differs from the exact derivative by exp(lp)). Like PyTorch, it has no second derivative.
 */
import { constant, div, eq, mul, where } from '../../autograd/elementwise';
import { mean, sum } from '../../autograd/reduce';
import { reshape } from '../../autograd/shape';
import { apply, type Op, type Var } from '../../autograd/var';
import { UsageError } from '../../errors';
import type { Tensor } from '../../tensor';
import { choice, flag, reductionArg, tensor } from '../common';
import type { CallContext, Descriptor } from '../types';
import { fail, noGradientFor, shapeOf, wholeNumbers } from './shared';

interface CtcAttr {
  /** the label sequence of each sample */
  targets: Int32Array[];
  inputLengths: Int32Array;
  blank: number;
  zeroInfinity: boolean;
  /** (T, N, C) of log_probs */
  T: number;
  N: number;
  C: number;
}

/** The extended label sequence l': blank, l1, blank, l2, ..., blank (get_target_prime). */
const prime = (target: Int32Array, s: number, blank: number): number => (s % 2 === 0 ? blank : target[(s - 1) >> 1]);

/** log(e^a + e^b + e^c) as the kernel computes it: around the largest, which is 0 when all are −inf. */
function logSum3(a: number, b: number, c: number): number {
  let m = Math.max(a, b, c);
  if (m === -Infinity) m = 0;
  return Math.log(Math.exp(a - m) + Math.exp(b - m) + Math.exp(c - m)) + m;
}

/** log α[t][s] of sample b (eq. 6–7 of the paper), −inf where unreachable. */
function logAlpha(lp: Float64Array, a: CtcAttr, b: number): Float64Array {
  const target = a.targets[b];
  const width = 2 * target.length + 1;
  const length = a.inputLengths[b];
  const at = (t: number, c: number): number => lp[(t * a.N + b) * a.C + c];
  const alpha = new Float64Array(length * width).fill(-Infinity);
  if (length === 0) return alpha;
  alpha[0] = at(0, a.blank);
  if (target.length > 0) alpha[1] = at(0, prime(target, 1, a.blank));
  for (let t = 1; t < length; t++) {
    for (let s = 0; s < width; s++) {
      const current = prime(target, s, a.blank);
      const stay = alpha[(t - 1) * width + s];
      const step = s > 0 ? alpha[(t - 1) * width + s - 1] : -Infinity;
      const skip = s > 1 && prime(target, s - 2, a.blank) !== current ? alpha[(t - 1) * width + s - 2] : -Infinity;
      alpha[t * width + s] = logSum3(stay, step, skip) + at(t, current);
    }
  }
  return alpha;
}

/** −log p(target | input) of sample b: the last blank and the last label at the last step (eq. 8). */
function negLogLikelihood(alpha: Float64Array, a: CtcAttr, b: number): number {
  const width = 2 * a.targets[b].length + 1;
  const length = a.inputLengths[b];
  if (length === 0) return a.targets[b].length === 0 ? 0 : Infinity;
  const last = (length - 1) * width;
  if (width === 1) return -alpha[last];
  return -logSum3(alpha[last + width - 1], alpha[last + width - 2], -Infinity);
}

/**
 * ctc_loss_backward_cpu_template: β by the backward recursion, Σ_s αβ per (t, label) collected in
 * log space, then (exp(lp) − exp(collected + nll − lp))·grad; zero after each input's length, and
 * for an infinite loss with zero_infinity.
 */
function ctcGradient(g: Tensor, lp: Float64Array, nll: Float64Array, a: CtcAttr): Float64Array {
  const grad = new Float64Array(a.T * a.N * a.C);
  for (let b = 0; b < a.N; b++) {
    const length = a.inputLengths[b];
    if (length === 0 || (a.zeroInfinity && nll[b] === Infinity)) continue;
    const target = a.targets[b];
    const width = 2 * target.length + 1;
    const alpha = logAlpha(lp, a, b);
    const at = (t: number, c: number): number => lp[(t * a.N + b) * a.C + c];
    const beta = new Float64Array(length * width).fill(-Infinity);
    const collected = new Float64Array(length * a.C).fill(-Infinity);
    const last = length - 1;
    beta[last * width + width - 1] = at(last, a.blank);
    collected[last * a.C + a.blank] = alpha[last * width + width - 1] + beta[last * width + width - 1];
    if (target.length > 0) {
      const label = prime(target, width - 2, a.blank);
      beta[last * width + width - 2] = at(last, label);
      collected[last * a.C + label] = alpha[last * width + width - 2] + beta[last * width + width - 2];
    }
    for (let t = length - 2; t >= 0; t--) {
      for (let s = width - 1; s >= 0; s--) {
        const current = prime(target, s, a.blank);
        const stay = beta[(t + 1) * width + s];
        const step = s < width - 1 ? beta[(t + 1) * width + s + 1] : -Infinity;
        const skip = s < width - 2 && prime(target, s + 2, a.blank) !== current ? beta[(t + 1) * width + s + 2] : -Infinity;
        beta[t * width + s] = logSum3(stay, step, skip) + at(t, current);
        // collected[t, l'_s] "log+=" α[t, s] + β[t, s]
        const term = alpha[t * width + s] + beta[t * width + s];
        const k = t * a.C + current;
        if (collected[k] === -Infinity) {
          collected[k] = term;
        } else {
          const m = Math.max(collected[k], term);
          collected[k] = Math.log(Math.exp(collected[k] - m) + Math.exp(term - m)) + m;
        }
      }
    }
    for (let t = 0; t < length; t++) {
      for (let c = 0; c < a.C; c++) {
        const l = at(t, c);
        grad[(t * a.N + b) * a.C + c] = (Math.exp(l) - Math.exp(collected[t * a.C + c] + nll[b] - l)) * g.data[b];
      }
    }
  }
  return grad;
}

/** _ctc_loss_backward as an op: linear in the incoming gradient, and not differentiable in log_probs (as in PyTorch). */
const ctcBackwardOp: Op<CtcAttr> = {
  name: 'ctc_loss_backward',
  forward: ([g, lp, nll], a) => ({ shape: [a.T, a.N, a.C], data: ctcGradient(g, lp.data, nll.data, a) }),
  backward(gg, { inputs: [g, lp, nll], attrs, needs }) {
    if (needs[1]) throw new UsageError('ctc_loss has no second derivative: PyTorch does not implement the derivative of _ctc_loss_backward');
    // The gradient is linear in g (grad[t, n, c] = K[t, n, c]·g[n]): its transpose is Σ_{t,c} gg·K.
    const K = ctcGradient({ shape: [attrs.N], data: new Float64Array(attrs.N).fill(1) }, lp.value.data, nll.value.data, attrs);
    return [needs[0] ? reshape(sum(mul(gg, constant({ shape: [attrs.T, attrs.N, attrs.C], data: K })), [0, 2]), g.shape) : null, null, null];
  },
};

const ctcOp: Op<CtcAttr> = {
  name: 'ctc_loss',
  forward([lp], a) {
    const nll = new Float64Array(a.N);
    for (let b = 0; b < a.N; b++) nll[b] = negLogLikelihood(logAlpha(lp.data, a, b), a, b);
    return { shape: [a.N], data: nll };
  },
  backward: (g, { inputs: [lp], output, attrs }) => [apply(ctcBackwardOp, [g, lp, output], attrs)],
};

const INTEGERS_NO_GRAD = 'ctc_loss targets and lengths are integers: PyTorch computes no gradient for them';

/** The lengths given for each sample, checked against the batch and a bound. */
function lengths(fn: string, arg: string, v: Var, n: number, max: number, what: string): Int32Array {
  const values = wholeNumbers(fn, arg, v);
  if (values.length !== n) fail((name) => `${fn}: ${name(arg)} has ${values.length} number${values.length === 1 ? '' : 's'}, one per sample is needed (${n})`);
  values.forEach((l) => {
    if (l < 0 || l > max) fail((name) => `${fn}: ${name(arg)} holds ${l}, but must be between 0 and ${max} (${what})`);
  });
  return values;
}

function ctcAttr(a: Record<string, unknown>, lp: Var, ctx: CallContext): CtcAttr {
  const fn = 'ctc_loss';
  const batched = lp.shape.length === 3;
  if (lp.shape.length !== 2 && !batched) fail((name) => `${fn}: ${name('log_probs')} (shape ${shapeOf(lp)}) must be (T, N, C), or (T, C) for one sequence`);
  const [T, N, C] = batched ? lp.shape : [lp.shape[0], 1, lp.shape[1]];
  const targetsVar = a.targets as Var;
  for (const arg of ['targets', 'input_lengths', 'target_lengths']) noGradientFor(ctx, a[arg] as Var, INTEGERS_NO_GRAD);
  const blank = a.blank as number;
  if (blank < 0 || blank >= C) fail((name) => `${fn}: ${name('blank')}=${blank} is not a class: ${name('log_probs')} has ${C} classes in its last dimension`);
  const inputLengths = lengths(fn, 'input_lengths', a.input_lengths as Var, N, T, `the ${T} time steps of log_probs`);
  const labels = wholeNumbers(fn, 'targets', targetsVar);
  const padded = targetsVar.shape.length === 2;
  const width = padded ? targetsVar.shape[1] : labels.length;
  if (padded && targetsVar.shape[0] !== N) fail((name) => `${fn}: ${name('targets')} (shape ${shapeOf(targetsVar)}) must have one row per sample (${N})`);
  if (!padded && targetsVar.shape.length !== 1) fail((name) => `${fn}: ${name('targets')} (shape ${shapeOf(targetsVar)}) must be (N, S) padded or the concatenated sequences`);
  const targetLengths = lengths(fn, 'target_lengths', a.target_lengths as Var, N, width, padded ? `the ${width} columns of targets` : 'the length of targets');
  const total = targetLengths.reduce((s, l) => s + l, 0);
  if (!padded && total !== labels.length) fail((name) => `${fn}: the concatenated ${name('targets')} has ${labels.length} labels, but ${name('target_lengths')} add up to ${total}`);
  let offset = 0;
  const targets = Array.from(targetLengths, (l, b) => {
    const start = padded ? b * width : offset;
    offset += l;
    return labels.subarray(start, start + l);
  });
  // Labels within the target lengths must be classes (the padding after them is ignored, as in PyTorch).
  targets.forEach((target, b) => {
    const bad = target.find((l) => l < 0 || l >= C);
    if (bad !== undefined) fail((name) => `${fn}: ${name('targets')} of sample ${b} holds ${bad}, but classes go from 0 to ${C - 1}`);
  });
  return { targets, inputLengths, blank, zeroInfinity: a.zero_infinity as boolean, T, N, C };
}

export const ctcLoss: Descriptor = {
  name: 'ctc',
  aliases: ['ctc-loss'],
  kind: 'call',
  summary: 'connectionist temporal classification loss: −log p(target | log_probs) summed over alignments',
  torch: "torch.nn.functional.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction='mean', zero_infinity=False)",
  args: [
    { name: 'log_probs', type: 'tensor', doc: 'log-probabilities (T, N, C), or (T, C) for one sequence (log_softmax outputs)' },
    { name: 'targets', type: 'tensor', doc: 'class indices: (N, S) padded, or the concatenated sequences', noGrad: INTEGERS_NO_GRAD, expressionOnly: true },
    { name: 'input_lengths', type: 'tensor', doc: 'the number of time steps of each sample', noGrad: INTEGERS_NO_GRAD, expressionOnly: true },
    { name: 'target_lengths', type: 'tensor', doc: 'the length of each target sequence', noGrad: INTEGERS_NO_GRAD, expressionOnly: true },
    { name: 'blank', type: 'int', default: 0, doc: 'the blank class' },
    reductionArg(),
    { name: 'zero_infinity', type: 'boolean', default: false, doc: 'an impossible alignment (infinite loss) gives 0 and no gradient' },
  ],
  formula: {
    value: 'ℓ = −log Σ_{alignments π of the target} Π_t p_t(π_t), by the α recursion in log space;  mean: Σ_n ℓ_n/max(target length, 1) / N',
    derivative: "∂ℓ/∂lp[t, c] = exp(lp[t, c]) − Σ_{s: l'_s = c} α_t(s)·β_t(s)·e^ℓ / exp(lp[t, c])  (PyTorch's formula: the gradient with respect to logits for log-softmax inputs)",
  },
  kinks:
    "The gradient is PyTorch's ctc_loss_backward, which includes the exp(lp) term: it is the exact gradient when log_probs come from " +
    'log_softmax (the term cancels through it), and differs from the exact derivative with respect to unnormalised log_probs, as ' +
    "PyTorch's does. There is no second derivative (PyTorch does not implement it), so --hessian is an error. Time steps after a " +
    "sample's input length get 0. An impossible alignment gives +inf (0 and no gradient with zero_infinity). targets and the lengths " +
    'get no gradient.',
  example: 'grad "F.ctc_loss(F.log_softmax(z, 1), t, [3], [2])" z="1 0 0; 0 2 0; 0 0 1" t="[[1, 2]]"',
  forward(a, ctx) {
    const lp = tensor(a, 'log_probs');
    const attrs = ctcAttr(a, lp, ctx);
    let losses = apply(ctcOp, [lp.shape.length === 3 ? lp : reshape(lp, [attrs.T, 1, attrs.C])], attrs);
    if (flag(a, 'zero_infinity')) losses = where(eq(losses, Infinity), 0, losses);
    const reduction = choice(a, 'reduction');
    if (reduction === 'mean') {
      const divisors = Float64Array.from(attrs.targets, (t) => Math.max(t.length, 1));
      return mean(div(losses, constant({ shape: [attrs.N], data: divisors })));
    }
    if (reduction === 'sum') return sum(losses);
    return lp.shape.length === 3 ? losses : reshape(losses, []);
  },
};
