/**
 * Losses over class scores: the class dimension is 0 for a vector of C scores and 1 for a batch
 * (N, C) or (N, C, d1, ...); the target holds one class index per score vector (the input's shape
 * without the class dimension), or, for cross-entropy, class probabilities of the input's shape.
 * As in PyTorch (aten/src/ATen/native/LossNLL.cpp, LossMultiMargin.cpp): nll_loss and
 * multi_margin_loss are kernels with backward kernels of their own; cross_entropy is composed of
 * log_softmax and nll_loss (class indices) or of log_softmax, mul and sum (probabilities), so its
 * Hessian diag(p) − ppᵀ comes from the same definitions.
 */
import { add, constant, div, mul, neg, ones, sub, where } from '../autograd/elementwise';
import { sum } from '../autograd/reduce';
import { putAdd, reshape, take } from '../autograd/shape';
import { apply, type Op, type Var } from '../autograd/var';
import { numel, sameShape, shapeText, type Tensor } from '../tensor';
import { choice, LEGACY_REDUCTION, num, optionalTensor, reductionArg } from './common';
import { lossFn, reduceKernel, TARGET } from './loss-pointwise';
import { type ArgSpec, ArgumentError, type Args, type BatchOfPiece, type CallContext } from './types';
import { logSoftmaxAlong } from './vector';

const CLASS_INDICES = 'class indices have no gradient';
const WEIGHT_NO_GRAD = 'PyTorch computes no gradient for the class weights of nll_loss (and of cross_entropy with class indices)';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Where the classes are: dimension 0 of a vector, dimension 1 of a batch. */
interface ClassLayout {
  classDim: number;
  classes: number;
  /** elements after the class dimension (1 for (C) and (N, C)) */
  inner: number;
  /** the shape of the class-index target and of the unreduced losses: the input's without the class dimension */
  termShape: number[];
}

function classLayout(fn: string, shape: readonly number[]): ClassLayout {
  if (shape.length === 0) {
    throw new ArgumentError((name) => `${fn} needs class scores in ${name('input')}: a vector of C scores, or a batch with the classes in dimension 1`);
  }
  const classDim = shape.length === 1 ? 0 : 1;
  return {
    classDim,
    classes: shape[classDim],
    inner: numel(shape.slice(classDim + 1)),
    termShape: shape.filter((_, i) => i !== classDim),
  };
}

/** Class indices per loss term: the flat input index of each term's class, or -1 where it is ignore_index. */
interface ClassTargets {
  index: Int32Array;
  classOf: Int32Array;
}

/**
 * The class-index target, checked as PyTorch checks it (nll_loss_forward's meta function and
 * kernel): one index per score vector, each a whole number in [0, C) unless it is ignore_index.
 */
function classTargets(fn: string, xShape: readonly number[], t: Tensor, layout: ClassLayout, ignoreIndex: number | null, probabilities: boolean): ClassTargets {
  const { classes, inner, termShape } = layout;
  const terms = numel(termShape);
  const m = t.data.length;
  const fits = sameShape(t.shape, termShape) || (termShape.length <= 1 && t.shape.length <= 1 && m === terms);
  if (!fits) {
    const probs = probabilities ? `, or class probabilities of the input's shape ${shapeText(xShape)}` : '';
    throw new ArgumentError((name) =>
      xShape.length <= 2
        ? `${name('target')} has ${plural(m, 'number')}; for ${terms === 1 ? 'one row' : `${terms} rows`} of ${classes} class scores give ` +
          `${terms === 1 ? 'one class index' : `${terms} class indices`}${probs}`
        : `${name('target')} has shape ${shapeText(t.shape)}; for ${name('input')} of shape ${shapeText(xShape)} give class indices ` +
          `of shape ${shapeText(termShape)}${probs}`,
    );
  }
  const index = new Int32Array(terms);
  const classOf = new Int32Array(terms);
  for (let k = 0; k < terms; k++) {
    const c = t.data[k];
    if (c === ignoreIndex) {
      index[k] = -1;
      continue;
    }
    if (!(Number.isInteger(c) && c >= 0 && c < classes)) {
      throw new ArgumentError(
        (name) =>
          `${fn}: ${name('target')} ${c} ${terms > 1 ? `(number ${k + 1}) ` : ''}is not a class index; with ${classes} classes ` +
          `it must be a whole number from 0 to ${classes - 1}`,
      );
    }
    const n = Math.floor(k / inner);
    index[k] = (n * classes + c) * inner + (k % inner);
    classOf[k] = c;
  }
  return { index, classOf };
}

/** The mean's denominator of nll_loss: Σ w[t] over the terms not ignored (their number without weights). */
function denominatorOf({ index, classOf }: ClassTargets, weight: Var | null): number {
  let total = 0;
  for (let k = 0; k < index.length; k++) if (index[k] >= 0) total += weight ? weight.value.data[classOf[k]] : 1;
  return total;
}

/**
 * The class-index target of the input, and the mean's denominator. For a piece of a batch's rows
 * (streamed) the whole batch's target is checked first, as the whole batch's would be, and the
 * denominator is the whole batch's: each row's derivatives are those it has within the batch.
 */
function indexTargets(fn: string, x: Var, t: Var, weight: Var | null, ignoreIndex: number | null, probabilities: boolean, batch: BatchOfPiece | undefined) {
  let denominator = batch && batchDenominators.get(batch);
  if (batch && denominator === undefined) {
    const whole = classTargets(fn, batch.shape, batch.target, classLayout(fn, batch.shape), ignoreIndex, probabilities);
    denominator = denominatorOf(whole, weight);
    batchDenominators.set(batch, denominator);
  }
  const targets = classTargets(fn, x.shape, t.value, classLayout(fn, x.shape), ignoreIndex, probabilities);
  return { targets, denominator: denominator ?? denominatorOf(targets, weight) };
}

/** The denominator of each batch whose pieces are being computed (its pieces share their arguments). */
const batchDenominators = new WeakMap<BatchOfPiece, number>();

/** The class weights, checked: one number per class (PyTorch: "weight tensor should be defined either for all C classes or no classes"). */
function classWeights(fn: string, w: Var | null, classes: number): Var | null {
  if (w && (w.shape.length !== 1 || w.shape[0] !== classes)) {
    throw new ArgumentError(
      (name) => `${fn}: ${name('weight')} has shape ${shapeText(w.shape)}, but needs one number per class: ${plural(classes, 'number')}`,
    );
  }
  return w;
}

// ---------------------------------------------------------------------------------------------
// nll_loss: the kernel (nll_loss_out_frame) and its backward (nll_loss_backward_out_frame)
// ---------------------------------------------------------------------------------------------

interface NllAttr {
  /** per loss term, the flat index of its target class in the input, or -1 (ignore_index) */
  index: Int32Array;
  /** per loss term, the weight of its class; null without class weights */
  weight: Float64Array | null;
  reduction: string;
  /** Σ of the terms' weights (their number without weights): the denominator of mean */
  totalWeight: number;
  /** losses per term (reduction none of a batch) rather than one number */
  perTerm: boolean;
  termShape: number[];
  inShape: number[];
}

const nllOp: Op<NllAttr> = {
  name: 'nll_loss',
  forward([x], { index, weight, reduction, totalWeight, perTerm, termShape }) {
    if (perTerm) {
      const out = new Float64Array(index.length);
      for (let k = 0; k < index.length; k++) if (index[k] >= 0) out[k] = -x.data[index[k]] * (weight ? weight[k] : 1);
      return { shape: termShape.slice(), data: out };
    }
    // One number: −Σ x[t]·w[t] over the terms not ignored, / Σ w[t] for mean (0/0 = NaN if all are ignored).
    let s = 0;
    for (let k = 0; k < index.length; k++) if (index[k] >= 0) s -= weight ? x.data[index[k]] * weight[k] : x.data[index[k]];
    if (reduction === 'mean') s /= totalWeight;
    return { shape: [], data: Float64Array.of(s) };
  },
  backward: (g, { attrs }) => [nllBackward(g, attrs)],
  rule: (G, [x]) => `−${G}·w at the target class of ${x}`,
};

const nllBackwardOp: Op<NllAttr> = {
  name: 'nll_loss_backward',
  forward([g], { index, weight, reduction, totalWeight, perTerm, inShape }) {
    const out = new Float64Array(numel(inShape));
    if (perTerm) {
      for (let k = 0; k < index.length; k++) if (index[k] >= 0) out[index[k]] = -(weight ? weight[k] : 1) * g.data[k];
    } else {
      // grad = −(mean ? grad_output / total_weight : grad_output); grad_input[t] = w[t] · grad
      const grad = -(reduction === 'mean' ? g.data[0] / totalWeight : g.data[0]);
      for (let k = 0; k < index.length; k++) if (index[k] >= 0) out[index[k]] = weight ? weight[k] * grad : grad;
    }
    return { shape: inShape.slice(), data: out };
  },
  // derivatives.yaml nll_loss_backward: grad_output → nll_loss(grad, target, weight, ...); self → 0
  backward: (gg, { attrs }) => [nllLoss(gg, attrs)],
};

const nllLoss = (x: Var, attrs: NllAttr): Var => apply(nllOp, [x], attrs);
const nllBackward = (g: Var, attrs: NllAttr): Var => apply(nllBackwardOp, [g], attrs);

/** nll_loss_nd of log-probabilities against class indices, as PyTorch reduces it. */
function nllAgainst(x: Var, targets: ClassTargets, layout: ClassLayout, weight: Var | null, reduction: string, totalWeight: number): Var {
  const { index, classOf } = targets;
  const w = weight ? Float64Array.from(classOf, (c) => weight.value.data[c]) : null;
  return nllLoss(x, {
    index,
    weight: w,
    reduction,
    totalWeight,
    perTerm: reduction === 'none' && x.shape.length >= 2,
    termShape: layout.termShape,
    inShape: x.shape.slice(),
  });
}

const CLASS_WEIGHT: ArgSpec = { name: 'weight', type: 'tensor', default: null, doc: 'weight of each class (one number per class)' };
const IGNORE_INDEX: ArgSpec = { name: 'ignore_index', type: 'int', default: -100, doc: 'a class index whose terms are left out (and out of the mean)' };

export const nll = lossFn({
  // One loss per row of class scores.
  structure: 'rows',
  rowPieces: true,
  name: 'nll',
  aliases: ['nll-loss'],
  summary: 'negative log-likelihood of log-probabilities at the target class',
  torch: "torch.nn.functional.nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean')",
  target: { ...TARGET, doc: 'class indices: one per row (the input without its class dimension)', noGrad: CLASS_INDICES },
  signature: [{ ...CLASS_WEIGHT, noGrad: WEIGHT_NO_GRAD }, LEGACY_REDUCTION[0], IGNORE_INDEX, LEGACY_REDUCTION[1], reductionArg()],
  formula: { value: 'ℓ = -w_y·x_y', derivative: '∂ℓ/∂x_c = -w_y if c = y, else 0' },
  kinks: "No kinks. Reduction mean divides by Σ w_y over the terms not ignored (their number without weights), as PyTorch's kernel does; the second derivative is 0.",
  example: 'nll "-0.4 -1.4 -2.3" --target 0 --grad',
  forward(x, t, a, ctx) {
    ctx.noGradient(t, CLASS_INDICES);
    const layout = classLayout('nll', x.shape);
    const weight = classWeights('nll', optionalTensor(a, 'weight'), layout.classes);
    if (weight) ctx.noGradient(weight, WEIGHT_NO_GRAD);
    const { targets, denominator } = indexTargets('nll', x, t, weight, num(a, 'ignore_index'), false, ctx.batch);
    return nllAgainst(x, targets, layout, weight && constant(weight.value), choice(a, 'reduction'), denominator);
  },
});

// ---------------------------------------------------------------------------------------------
// cross_entropy (LossNLL.cpp cross_entropy_loss_symint and its two helpers)
// ---------------------------------------------------------------------------------------------

/** The class weights shaped to broadcast along the class dimension ([C] or [1, C, 1, ...]). */
const alongClasses = (w: Var, x: Var, { classDim, classes }: ClassLayout): Var => reshape(w, x.shape.map((_, i) => (i === classDim ? classes : 1)));

/**
 * cross_entropy_loss_prob_target: −Σ log_softmax(x)·t·w, / rows (numel / C of the whole batch)
 * for mean. The target and weight are differentiable.
 */
function crossEntropyProbabilities(x: Var, t: Var, layout: ClassLayout, w: Var | null, reduction: string, smoothing: number, rows: number): Var {
  const lp = logSoftmaxAlong(x, layout.classDim);
  const target = smoothing > 0 ? add(mul(t, 1 - smoothing), smoothing / layout.classes) : t;
  let product = mul(lp, target);
  if (w) product = mul(product, alongClasses(w, x, layout));
  if (reduction === 'none') return neg(sum(product, layout.classDim));
  const total = neg(sum(product));
  return reduction === 'mean' ? div(total, rows) : total;
}

/** cross_entropy_loss_label_smoothing: (1 − ε)·nll + ε/C · (−Σ_c w_c·log_softmax(x)_c), reduced like nll. */
function crossEntropySmoothed(lp: Var, nllLossValue: Var, targets: ClassTargets, layout: ClassLayout, w: Var | null, reduction: string, smoothing: number, denominator: number): Var {
  const smooth = w ? neg(sum(mul(lp, alongClasses(w, lp, layout)), layout.classDim)) : neg(sum(lp, layout.classDim));
  const ignored = constant({ shape: layout.termShape.slice(), data: Float64Array.from(targets.index, (i) => (i < 0 ? 1 : 0)) });
  const smoothLoss = where(ignored, 0, smooth);
  let ret = smoothLoss;
  if (reduction !== 'none') {
    ret = sum(smoothLoss);
    // the same denominator as nll_loss: Σ w[t] over the terms not ignored, or their number
    if (reduction === 'mean') ret = div(ret, denominator);
  }
  return add(mul(1 - smoothing, nllLossValue), mul(ret, smoothing / layout.classes));
}

export const crossEntropy = lossFn({
  // One loss per row of class scores.
  structure: 'rows',
  rowPieces: true,
  name: 'cross-entropy',
  aliases: ['cross-entropy-loss', 'ce'],
  summary: 'cross-entropy of logits against a class index or class probabilities',
  torch:
    "torch.nn.functional.cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean', label_smoothing=0.0)",
  target: {
    ...TARGET,
    doc: "class indices (one per row: the input without its class dimension), or class probabilities of the input's shape",
  },
  signature: [
    CLASS_WEIGHT,
    LEGACY_REDUCTION[0],
    IGNORE_INDEX,
    LEGACY_REDUCTION[1],
    reductionArg(),
    { name: 'label_smoothing', type: 'number', default: 0, doc: 'ε in [0, 1]: mixes the target with the uniform distribution' },
  ],
  formula: {
    value: 'ℓ = -Σ_c a_c·log_softmax(x)_c;  class y: a = (1 - ε)·w_y·e_y + ε/C·w;  probabilities t: a = w ⊙ ((1 - ε)·t + ε/C)',
    derivative: '∂ℓ/∂x = softmax(x)·Σ_c a_c - a   (class y, no weight or smoothing: softmax(x) - onehot(y));  ∂ℓ/∂t = -w ⊙ log_softmax(x)·(1 - ε)',
  },
  kinks:
    "No kinks. PyTorch's composition: log_softmax (so logits of ±1000 are exact, and a logit of +inf gives NaN), then " +
    'nll_loss for class indices or -Σ log_softmax·t·w for probabilities. A target of the input\'s shape holds probabilities, ' +
    'which get a gradient; class indices get none. Reduction mean divides by Σ w_y over the rows not ignored for class ' +
    'indices, and by the number of rows for probabilities. A negative label_smoothing is taken as 0, as PyTorch does.',
  example: 'cross-entropy 2 1 0.1 --target 0 --grad',
  mistakes: [
    {
      kind: 'probabilities-for-logits',
      toLogits: Math.log,
      hint: '{the} {treat} the inputs as probabilities, but cross-entropy takes logits (it applies log_softmax itself); for probabilities use nll on their logs',
    },
  ],
  check(a) {
    const e = num(a, 'label_smoothing');
    if (e > 1) throw new ArgumentError((name) => `cross-entropy: ${name('label_smoothing')} must be between 0 and 1, not ${e}`);
  },
  forward(x, t, a, ctx) {
    const layout = classLayout('cross-entropy', x.shape);
    const weight = classWeights('cross-entropy', optionalTensor(a, 'weight'), layout.classes);
    const reduction = choice(a, 'reduction');
    const smoothing = num(a, 'label_smoothing');
    const ignoreIndex = num(a, 'ignore_index');
    // PyTorch's rule: a target of the input's shape holds class probabilities (the whole batch's
    // input and target, for a piece of its rows).
    const batch = ctx.batch ?? { shape: x.shape, target: t.value };
    if (sameShape(batch.shape, batch.target.shape)) {
      if (ignoreIndex >= 0) {
        throw new ArgumentError((name) => `cross-entropy: ${name('ignore_index')} is not supported for a target of class probabilities`);
      }
      return crossEntropyProbabilities(x, t, layout, weight, reduction, smoothing, numel(batch.shape) / layout.classes);
    }
    ctx.noGradient(t, CLASS_INDICES);
    if (weight) ctx.noGradient(weight, WEIGHT_NO_GRAD);
    const { targets, denominator } = indexTargets('cross-entropy', x, t, weight, ignoreIndex, true, ctx.batch);
    const w = weight && constant(weight.value);
    const lp = logSoftmaxAlong(x, layout.classDim);
    const nllLossValue = nllAgainst(lp, targets, layout, w, reduction, denominator);
    return smoothing > 0 ? crossEntropySmoothed(lp, nllLossValue, targets, layout, w, reduction, smoothing, denominator) : nllLossValue;
  },
});

// ---------------------------------------------------------------------------------------------
// multi_margin_loss (LossMultiMargin.cpp)
// ---------------------------------------------------------------------------------------------

interface MultiMarginAttr {
  /** the target class of each frame (row) */
  target: Int32Array;
  p: number;
  margin: number;
  /** per class, or null */
  weight: Float64Array | null;
  reduction: string;
  frames: number;
  classes: number;
  /** one loss per frame (reduction none with a 1-D target) rather than one number */
  perFrame: boolean;
}

const multiMarginOp: Op<MultiMarginAttr> = {
  name: 'multi_margin_loss',
  // multi_margin_loss_cpu_kernel: per frame Σ_{d≠y, z>0} (z or z²)·w_y / C with z = margin − x_y + x_d
  forward([x], { target, p, margin, weight, reduction, frames, classes, perFrame }) {
    const losses = new Float64Array(frames);
    for (let f = 0; f < frames; f++) {
      const row = f * classes;
      const y = target[f];
      const xy = x.data[row + y];
      let s = 0;
      for (let d = 0; d < classes; d++) {
        if (d === y) continue;
        const z = margin - xy + x.data[row + d];
        // z > 0: a term exactly at the margin contributes neither loss nor gradient
        if (z > 0) {
          let h = p === 1 ? z : z * z;
          if (weight) h *= weight[y];
          s += h;
        }
      }
      losses[f] = s / classes;
    }
    if (perFrame) return { shape: [frames], data: losses };
    return reduceKernel(losses, [frames], reduction === 'none' ? 'sum' : reduction);
  },
  backward: (g, { inputs: [x], attrs }) => [multiMarginBackward(g, x, attrs)],
};

const multiMarginBackwardOp: Op<MultiMarginAttr> = {
  name: 'multi_margin_loss_backward',
  // multi_margin_loss_backward_cpu_kernel: h = (p == 1 ? g : 2·g·z)·w_y at each active d, −Σh at y, all times grad_output,
  // with g = 1/(N·C) for mean and 1/C otherwise
  forward([gradOutput, x], { target, p, margin, weight, reduction, frames, classes, perFrame }) {
    const out = new Float64Array(x.data.length);
    const g = reduction === 'mean' ? 1 / (frames * classes) : 1 / classes;
    for (let f = 0; f < frames; f++) {
      const row = f * classes;
      const y = target[f];
      const xy = x.data[row + y];
      let gy = 0;
      for (let d = 0; d < classes; d++) {
        const z = margin - xy + x.data[row + d];
        if (d === y) continue;
        if (z > 0) {
          let h = p === 1 ? g : 2 * g * z;
          if (weight) h *= weight[y];
          gy -= h;
          out[row + d] = h;
        }
      }
      out[row + y] = gy;
      const go = gradOutput.data[perFrame ? f : 0];
      for (let d = 0; d < classes; d++) out[row + d] *= go;
    }
    return { shape: x.shape.slice(), data: out };
  },
  // PyTorch implements no derivative of multi_margin_loss_backward (its double backward raises); this is
  // the exact one, from the backward's formula: linear in grad_output, and for p = 2 linear in z.
  backward: (gg, { inputs: [g, x], attrs, needs }) => [needs[0] ? multiMarginGradOutput(gg, g, x, attrs) : null, needs[1] ? multiMarginSecond(gg, g, x, attrs) : null],
};

const multiMarginBackward = (g: Var, x: Var, attrs: MultiMarginAttr): Var => apply(multiMarginBackwardOp, [g, x], attrs);

/** ∂/∂grad_output of Σ gg ⊙ backward(grad_output, x): gg ⊙ backward(1, x), summed over each frame (or all). */
function multiMarginGradOutput(gg: Var, g: Var, x: Var, attrs: MultiMarginAttr): Var {
  const product = mul(gg, multiMarginBackward(ones(g.shape), x, attrs));
  return attrs.perFrame ? reshape(sum(reshape(product, [attrs.frames, attrs.classes]), 1), g.shape) : sum(product);
}

/**
 * ∂/∂x of Σ gg ⊙ backward(grad_output, x). For p = 1 the backward is piecewise constant in x: 0.
 * For p = 2, each active term h_d = c·z_d (c = 2·w_y·grad_output/C, /N for mean) gives
 * (gg_d − gg_y)·c at d and minus the row's sum at y.
 */
function multiMarginSecond(gg: Var, g: Var, x: Var, attrs: MultiMarginAttr): Var | null {
  const { target, p, margin, weight, reduction, frames, classes, perFrame } = attrs;
  if (p === 1) return null;
  const base = reduction === 'mean' ? 1 / (frames * classes) : 1 / classes;
  const coefficient = new Float64Array(frames * classes);
  const targetAt = new Int32Array(frames);
  for (let f = 0; f < frames; f++) {
    const row = f * classes;
    const y = target[f];
    targetAt[f] = row + y;
    for (let d = 0; d < classes; d++) {
      if (d !== y && margin - x.value.data[row + y] + x.value.data[row + d] > 0) coefficient[row + d] = 2 * base * (weight ? weight[y] : 1);
    }
  }
  const rows = reshape(gg, [frames, classes]);
  const relative = sub(rows, take(rows, targetAt, [frames, 1]));
  const perRow = perFrame ? reshape(g, [frames, 1]) : g;
  const v = mul(mul(relative, constant({ shape: [frames, classes], data: coefficient })), perRow);
  return reshape(sub(v, putAdd(sum(v, 1), targetAt, [frames, classes])), x.shape);
}

export const multiMargin = lossFn({
  // One loss per row of class scores.
  structure: 'rows',
  name: 'multi-margin',
  aliases: ['multi-margin-loss'],
  summary: 'multi-class hinge loss against a class index',
  torch: "torch.nn.functional.multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None, reduce=None, reduction='mean')",
  target: { ...TARGET, doc: 'class indices: one per row', noGrad: CLASS_INDICES },
  params: [
    { name: 'p', type: 'int', default: 1, doc: 'power of each hinge term: 1 or 2' },
    { name: 'margin', type: 'number', default: 1, doc: 'the margin' },
    { ...CLASS_WEIGHT, noGrad: 'PyTorch computes no gradient for the class weights of multi_margin_loss' },
  ],
  formula: {
    value: 'ℓ = Σ_{i≠y} w_y·max(0, margin - x_y + x_i)^p / C',
    derivative: '∂ℓ/∂x_i = w_y·p·z_i^(p-1)/C for each active term z_i > 0;  ∂ℓ/∂x_y = -Σ of those',
  },
  kinks:
    'A term with z_i = margin - x_y + x_i exactly 0 contributes no gradient (PyTorch tests z > 0). Each row is divided by the ' +
    'number of classes C, as PyTorch does (CS231n\'s SVM loss is not). PyTorch 2.11 implements no second derivative ' +
    '(its double backward raises); actgrad gives the exact one: 0 for p = 1, 2·w_y/C per active term for p = 2.',
  example: 'multi-margin 0.1 0.2 0.4 0.8 --target 3 --grad',
  mistakes: [
    {
      kind: 'classes-factor',
      hint: "{the} {are} C = {C} times actgrad's: PyTorch's multi_margin_loss divides each sample's sum of margins by the number of classes C; CS231n's SVM loss does not",
    },
  ],
  check(a: Args) {
    const p = num(a, 'p');
    if (p !== 1 && p !== 2) throw new ArgumentError((name) => `multi-margin: ${name('p')} must be 1 or 2 (only p == 1 and p == 2 are supported), not ${p}`);
  },
  forward(x, t, a, ctx: CallContext) {
    ctx.noGradient(t, CLASS_INDICES);
    const r = x.shape.length;
    if (r > 2 || (r >= 1 && x.shape[r - 1] === 0)) {
      throw new ArgumentError((name) => `multi-margin needs ${name('input')} as a vector of class scores or a matrix with one row per sample, not shape ${shapeText(x.shape)}`);
    }
    const frames = r === 2 ? x.shape[0] : 1;
    const classes = r === 0 ? 1 : x.shape[r - 1];
    const w = optionalTensor(a, 'weight');
    if (w) {
      ctx.noGradient(w, 'PyTorch computes no gradient for the class weights of multi_margin_loss');
      if (w.shape.length !== 1 || w.shape[0] !== classes) {
        throw new ArgumentError((name) => `multi-margin: ${name('weight')} has shape ${shapeText(w.shape)}, but needs one number per class: ${plural(classes, 'number')}`);
      }
    }
    const m = t.value.data.length;
    if (t.shape.length > 1 || m !== frames) {
      throw new ArgumentError(
        (name) => `${name('target')} has ${plural(m, 'number')}; for ${frames === 1 ? 'one row' : `${frames} rows`} of ${classes} class scores give ${frames === 1 ? 'one class index' : `${frames} class indices`}`,
      );
    }
    const target = Int32Array.from(t.value.data, (c, k) => {
      if (!(Number.isInteger(c) && c >= 0 && c < classes)) {
        throw new ArgumentError(
          (name) => `multi-margin: ${name('target')} ${c} ${frames > 1 ? `(number ${k + 1}) ` : ''}is not a class index; with ${classes} classes it must be a whole number from 0 to ${classes - 1}`,
        );
      }
      return c;
    });
    const reduction = choice(a, 'reduction');
    return apply(multiMarginOp, [x], {
      target,
      p: num(a, 'p'),
      margin: num(a, 'margin'),
      weight: w ? w.value.data : null,
      reduction,
      frames,
      classes,
      perFrame: reduction === 'none' && t.shape.length > 0,
    });
  },
});
