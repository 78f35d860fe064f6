/**
 * The losses that came with the layers. gaussian_nll_loss and multilabel_soft_margin_loss are
 * Python compositions in torch/nn/functional.py, and margin_ranking, triplet_margin and
 * cosine_embedding compositions in aten/src/ATen/native/Loss.cpp: each is that composition of the
 * engine's ops. multilabel_margin_loss has a kernel of its own (LossMultiLabelMargin.cpp); it is
 * composed of take, where and scatter-add in the kernel's order of summation, with its kink rule
 * (a term counts only where 1 − x_y + x_i > 0).
 */
import { add, clamp, div, eq, gt, log, minimum, mul, neg, sqrt, sub, where } from '../../autograd/elementwise';
import { sum } from '../../autograd/reduce';
import { putAdd, reshape, take, unsqueeze } from '../../autograd/shape';
import type { Var } from '../../autograd/var';
import { broadcastShapes, shapeText } from '../../tensor';
import { choice, flag, LEGACY_REDUCTION, num, optionalTensor, reduceLosses, reductionArg, tensor } from '../common';
import { lossFn } from '../loss-pointwise';
import { logSigmoid } from '../smooth';
import type { ArgSpec, Descriptor } from '../types';
import { pNormDistance } from './distance';
import { clampMinPassThrough, fail, noGradientFor, shapeOf, wholeNumbers } from './shared';

// ---------------------------------------------------------------------------------------------
// gaussian_nll_loss
// ---------------------------------------------------------------------------------------------

/**
 * var as PyTorch's gaussian_nll_loss accepts it: the input's shape; one dimension short of it
 * (unsqueezed at the end); the input's shape with one dimension of size 1 (PyTorch 2's rule; older
 * releases allowed only the last); or a single number (PyTorch 2's float var) for every element.
 */
function varLike(x: Var, v: Var): Var {
  const same = (s: readonly number[], u: readonly number[]): boolean => shapeText(s) === shapeText(u);
  if (same(v.shape, x.shape) || v.shape.length === 0) return v;
  if (same(x.shape.slice(0, -1), v.shape)) return unsqueeze(v, -1);
  const mismatched = x.shape.map((_, i) => i).filter((i) => v.shape[i] !== x.shape[i]);
  if (v.shape.length === x.shape.length && mismatched.length === 1 && v.shape[mismatched[0]] === 1) return v;
  return fail((name) => `gaussian_nll_loss: ${name('var')} has shape ${shapeOf(v)}, but must have the shape of ${name('input')} ${shapeOf(x)}, or that shape with one dimension 1 or the last left out, or be one number`);
}

export const gaussianNll = lossFn({
  name: 'gaussian-nll',
  aliases: ['gaussian-nll-loss'],
  summary: 'negative log-likelihood of the target under N(input, var)',
  torch: "torch.nn.functional.gaussian_nll_loss(input, target, var, full=False, eps=1e-06, reduction='mean')",
  target: { name: 'target', type: 'tensor', doc: "samples: the input's shape, or broadcasting to it" },
  // No size_average/reduce slots in this newer signature.
  signature: [
    { name: 'var', type: 'tensor', doc: "the variances: the input's shape, or with the last dimension 1 or left out, or one number" },
    { name: 'full', type: 'boolean', default: false, doc: 'add the constant ½·log(2π)' },
    { name: 'eps', type: 'number', default: 1e-6, doc: 'lower clamp of var' },
    reductionArg(),
  ],
  formula: {
    value: 'ℓ = ½·(log v + (x − t)²/v) [+ ½·log 2π], v = max(var, eps)',
    derivative: '∂ℓ/∂x = (x − t)/v;  ∂ℓ/∂t = −(x − t)/v;  ∂ℓ/∂var = ½·(1/v − (x − t)²/v²)',
  },
  kinks:
    'var is clamped to eps under no_grad, as PyTorch does: below eps the value uses eps, and the gradient with respect to var is ' +
    "that formula at v = eps, not 0. A negative var is an error (PyTorch's). Input, target and var get gradients; target and var " +
    'broadcast as PyTorch allows.',
  example: 'gaussian-nll 0.5 1 -0.5 --target 0,1.5,-1 --var 0.5,1,2 --grad',
  forward(x, t, a) {
    const fn = 'gaussian_nll_loss';
    const v = varLike(x, tensor(a, 'var'));
    if (v.value.data.some((e) => e < 0)) fail((name) => `${fn}: ${name('var')} has a negative entry; variances are ≥ 0`);
    const diff = sub(x, t);
    const shape = broadcastShapes(diff.shape, v.shape);
    if (!shape) fail((name) => `${fn}: ${name('target')} ${shapeOf(t)} and ${name('var')} ${shapeOf(v)} do not broadcast to ${name('input')} ${shapeOf(x)}`);
    const clamped = clampMinPassThrough(v, num(a, 'eps'));
    let losses = mul(0.5, add(log(clamped), div(mul(diff, diff), clamped)));
    if (flag(a, 'full')) losses = add(losses, 0.5 * Math.log(2 * Math.PI));
    return reduceLosses(losses, choice(a, 'reduction'));
  },
});

// ---------------------------------------------------------------------------------------------
// multilabel losses
// ---------------------------------------------------------------------------------------------

/** Rows × classes of a (C) or (N, C) input, as the multilabel losses read it. */
function classRows(fn: string, x: Var): { rows: number; classes: number } {
  if (x.shape.length > 2) fail((name) => `${fn}: ${name('input')} (shape ${shapeOf(x)}) must be (C) or (N, C)`);
  const classes = x.shape.length === 0 ? 1 : x.shape[x.shape.length - 1];
  return { rows: x.value.data.length / classes, classes };
}

/** The losses of each row (a scalar for a single row of class scores), reduced. */
const reduceRows = (perRow: Var, x: Var, reduction: string): Var => reduceLosses(x.shape.length <= 1 ? reshape(perRow, []) : perRow, reduction);

const CLASS_INDICES_NO_GRAD = 'multilabel_margin_loss targets are class indices: PyTorch computes no gradient for them';

export const multilabelMargin = lossFn({
  // One loss per row of class scores.
  structure: 'rows',
  name: 'multilabel-margin',
  aliases: ['multilabel-margin-loss'],
  summary: 'multi-label hinge loss: every target class should score 1 above every other class',
  torch: "torch.nn.functional.multilabel_margin_loss(input, target, reduction='mean')",
  target: {
    name: 'target',
    type: 'tensor',
    doc: "class indices of each row, the input's shape, ended by -1 when fewer (e.g. 3,0,-1,1: classes 3 and 0)",
    noGrad: CLASS_INDICES_NO_GRAD,
  },
  formula: {
    value: 'ℓ = Σ_{j ∈ targets} Σ_{i ∉ targets} max(0, 1 − (x_j − x_i)) / C per row',
    derivative: '∂ℓ/∂x_i = (number of target classes j with an active term)/C for non-target i;  ∂ℓ/∂x_j = −(number of active terms of j)/C',
  },
  kinks:
    "A term exactly at 0 (x_j − x_i = 1) contributes no gradient: PyTorch's kernel tests 1 − x_j + x_i > 0. The target lists class " +
    'indices up to the first -1; the rest of the row is ignored. The target gets no gradient. The second derivative is 0.',
  example: 'multilabel-margin 0.1 0.2 0.4 0.8 --target 3,0,-1,1 --grad',
  forward(x, t, a, ctx) {
    const fn = 'multilabel_margin_loss';
    noGradientFor(ctx, t, CLASS_INDICES_NO_GRAD);
    const { rows, classes } = classRows(fn, x);
    const sameShape = x.shape.length <= 1 ? t.shape.length <= 1 && t.value.data.length === classes : shapeText(t.shape) === shapeText(x.shape);
    if (!sameShape) fail((name) => `${fn}: ${name('target')} (shape ${shapeOf(t)}) must have the shape of ${name('input')} (shape ${shapeOf(x)}): class indices per row, ended by -1`);
    const labels = wholeNumbers(fn, 'target', t);
    labels.forEach((c, i) => {
      if (c < -1 || c >= classes) fail((name) => `${fn}: ${name('target')} holds ${c} at position ${i}: class indices go from 0 to ${classes - 1}, and -1 ends a row's list`);
    });
    // The kernel's loops: each target class j of a row (up to the first -1), each non-target class i.
    const targetAt: number[] = [];
    const otherAt: number[] = [];
    const rowOf: number[] = [];
    for (let r = 0; r < rows; r++) {
      const row = labels.subarray(r * classes, (r + 1) * classes);
      const end = row.indexOf(-1);
      const targets = end < 0 ? row : row.subarray(0, end);
      for (const j of targets) {
        for (let i = 0; i < classes; i++) {
          if (targets.includes(i)) continue;
          targetAt.push(r * classes + j);
          otherAt.push(r * classes + i);
          rowOf.push(r);
        }
      }
    }
    const n = targetAt.length;
    const margins = add(sub(1, take(x, Int32Array.from(targetAt), [n])), take(x, Int32Array.from(otherAt), [n]));
    const hinges = where(gt(margins, 0), margins, 0);
    const perRow = div(putAdd(hinges, Int32Array.from(rowOf), [rows]), classes);
    return reduceRows(perRow, x, choice(a, 'reduction'));
  },
});


export const multilabelSoftMargin = lossFn({
  // One loss per row of class scores.
  structure: 'rows',
  name: 'multilabel-soft-margin',
  aliases: ['multilabel-soft-margin-loss'],
  summary: 'multi-label one-versus-all logistic loss, averaged over the classes',
  torch: "torch.nn.functional.multilabel_soft_margin_loss(input, target, weight=None, reduction='mean')",
  target: { name: 'target', type: 'tensor', doc: "0/1 label (or probability) of each class: the input's shape" },
  params: [{ name: 'weight', type: 'tensor', default: null, doc: 'a weight per class (broadcast over the rows)' }],
  formula: {
    value: 'ℓ = −Σ_c w_c·(t_c·log σ(x_c) + (1 − t_c)·log σ(−x_c)) / C per row',
    derivative: '∂ℓ/∂x_c = w_c·(σ(x_c) − t_c)/C;  ∂ℓ/∂t_c = −w_c·x_c/C;  ∂ℓ/∂w_c = −(t_c·log σ(x_c) + (1 − t_c)·log σ(−x_c))/C',
  },
  kinks:
    "No kinks. log σ is PyTorch's log_sigmoid (stable for large |x|) with its backward formula. The target and the weight are " +
    'differentiable and get gradients, as in PyTorch.',
  example: 'multilabel-soft-margin "0.5 -1 2; 1 0 -0.5" --target "1 0 1; 0 0 1" --grad',
  forward(x, t, a) {
    const fn = 'multilabel_soft_margin_loss';
    const { classes } = classRows(fn, x);
    if (!broadcastShapes(x.shape, t.shape)) fail((name) => `${fn}: ${name('target')} (shape ${shapeOf(t)}) must have the shape of ${name('input')} (shape ${shapeOf(x)})`);
    let losses = neg(add(mul(t, logSigmoid(x)), mul(sub(1, t), logSigmoid(neg(x)))));
    const w = optionalTensor(a, 'weight');
    if (w) losses = mul(losses, w);
    const perRow = div(sum(losses, losses.shape.length - 1), classes);
    return reduceLosses(perRow, choice(a, 'reduction'));
  },
});

// ---------------------------------------------------------------------------------------------
// Losses of several inputs (expression calls)
// ---------------------------------------------------------------------------------------------

const LEGACY_AND_REDUCTION: readonly ArgSpec[] = [...LEGACY_REDUCTION, reductionArg()];

export const marginRanking: Descriptor = {
  name: 'margin-ranking',
  aliases: ['margin-ranking-loss'],
  kind: 'call',
  summary: 'ranking hinge loss max(0, −y·(x1 − x2) + margin)',
  torch: "torch.nn.functional.margin_ranking_loss(input1, input2, target, margin=0, reduction='mean')",
  args: [
    { name: 'input1', type: 'tensor', doc: 'the first scores' },
    { name: 'input2', type: 'tensor', doc: 'the second scores', expressionOnly: true },
    { name: 'target', type: 'tensor', doc: '1 where input1 should rank higher, −1 where input2 should', expressionOnly: true },
    { name: 'margin', type: 'number', default: 0, doc: 'the margin' },
    ...LEGACY_AND_REDUCTION,
  ],
  formula: {
    value: 'ℓ = max(0, −y·(x1 − x2) + margin)',
    derivative: 'where the term is ≥ 0: ∂ℓ/∂x1 = −y, ∂ℓ/∂x2 = y, ∂ℓ/∂y = −(x1 − x2); else 0',
  },
  kinks:
    "At −y·(x1 − x2) + margin = 0 the gradient passes (PyTorch's clamp_min lets x ≥ min through). The three tensors need the same " +
    'number of dimensions (PyTorch) and broadcast; all three get gradients, the target too.',
  example: 'grad "F.margin_ranking_loss(a, b, y, margin=0.5)" a=0.2,0.8,-0.1 b=0.5,0.1,0.3 y=1,-1,1',
  forward(a) {
    const fn = 'margin_ranking_loss';
    const [x1, x2, y] = [tensor(a, 'input1'), tensor(a, 'input2'), tensor(a, 'target')];
    if (x1.shape.length !== x2.shape.length || x1.shape.length !== y.shape.length) {
      fail((name) => `${fn}: ${name('input1')} ${shapeOf(x1)}, ${name('input2')} ${shapeOf(x2)} and ${name('target')} ${shapeOf(y)} must have the same number of dimensions`);
    }
    const losses = clamp(add(mul(neg(y), sub(x1, x2)), num(a, 'margin')), 0, null);
    return reduceLosses(losses, choice(a, 'reduction'));
  },
};

export const tripletMargin: Descriptor = {
  name: 'triplet-margin',
  aliases: ['triplet-margin-loss'],
  kind: 'call',
  summary: 'triplet loss max(0, d(a, p) − d(a, n) + margin) with the pairwise p-norm distance',
  torch: "torch.nn.functional.triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-06, swap=False, reduction='mean')",
  args: [
    { name: 'anchor', type: 'tensor', doc: 'the anchors (N, D) or (D)' },
    { name: 'positive', type: 'tensor', doc: 'samples of the same class', expressionOnly: true },
    { name: 'negative', type: 'tensor', doc: 'samples of another class', expressionOnly: true },
    { name: 'margin', type: 'number', default: 1, doc: 'the margin (> 0)' },
    { name: 'p', type: 'number', default: 2, doc: 'the order of the distance' },
    { name: 'eps', type: 'number', default: 1e-6, doc: "added to each difference (pairwise_distance's eps)" },
    { name: 'swap', type: 'boolean', default: false, doc: 'use min(d(a, n), d(p, n)) as the negative distance' },
    ...LEGACY_AND_REDUCTION,
  ],
  formula: {
    value: 'ℓ = max(0, margin + d(a, p) − d(a, n)), d(u, v) = ‖u − v + eps‖_p (swap: d(a, n) → min(d(a, n), d(p, n)))',
    derivative: 'where the term is ≥ 0: ∂ℓ/∂a = ∂d(a, p)/∂a − ∂d(a, n)/∂a;  ∂ℓ/∂p = ∂d(a, p)/∂p;  ∂ℓ/∂n = −∂d(a, n)/∂n (p = 2: ∂d/∂u = (u − v + eps)/d)',
  },
  kinks:
    "At a term of exactly 0 the gradient passes (clamp_min). With swap, ties of min share the gradient equally (PyTorch's minimum). " +
    'Distances are pairwise_distance with eps added to the difference. All three inputs get gradients.',
  example: 'grad "F.triplet_margin_loss(a, p, n)" a="1 2; 0 1" p="1 2.5; 0.5 1" n="0 0; 2 -1"',
  forward(a) {
    const fn = 'triplet_margin_loss';
    const [anchor, positive, negative] = [tensor(a, 'anchor'), tensor(a, 'positive'), tensor(a, 'negative')];
    if (anchor.shape.length !== positive.shape.length || positive.shape.length !== negative.shape.length) {
      fail((name) => `${fn}: ${name('anchor')} ${shapeOf(anchor)}, ${name('positive')} ${shapeOf(positive)} and ${name('negative')} ${shapeOf(negative)} must have the same number of dimensions`);
    }
    const margin = num(a, 'margin');
    if (!(margin > 0)) fail((name) => `${fn}: ${name('margin')} must be greater than 0, got ${margin}`);
    const [p, eps] = [num(a, 'p'), num(a, 'eps')];
    const toPositive = pNormDistance(anchor, positive, p, eps, false, ['anchor', 'positive']);
    let toNegative = pNormDistance(anchor, negative, p, eps, false, ['anchor', 'negative']);
    if (flag(a, 'swap')) toNegative = minimum(toNegative, pNormDistance(positive, negative, p, eps, false, ['positive', 'negative']));
    return reduceLosses(clamp(sub(add(margin, toPositive), toNegative), 0, null), choice(a, 'reduction'));
  },
};

/** Loss.cpp's EPSILON, added to each squared magnitude of cosine_embedding_loss: 1e-12 as a float32. */
const COSINE_EMBEDDING_EPSILON = Math.fround(1e-12);

export const cosineEmbedding: Descriptor = {
  name: 'cosine-embedding',
  aliases: ['cosine-embedding-loss'],
  kind: 'call',
  summary: 'loss 1 − cos(x1, x2) for similar pairs (y = 1), max(0, cos − margin) for dissimilar ones (y = −1)',
  torch: "torch.nn.functional.cosine_embedding_loss(input1, input2, target, margin=0, reduction='mean')",
  args: [
    { name: 'input1', type: 'tensor', doc: 'the first vectors (N, D) or (D)' },
    { name: 'input2', type: 'tensor', doc: 'the second vectors, the shape of input1', expressionOnly: true },
    { name: 'target', type: 'tensor', doc: '1 (similar) or −1 (dissimilar) per pair: (N) or a single number', expressionOnly: true },
    { name: 'margin', type: 'number', default: 0, doc: 'the margin for dissimilar pairs' },
    ...LEGACY_AND_REDUCTION,
  ],
  formula: {
    value: 'cos = Σ x1·x2 / √((Σx1² + 1e-12)(Σx2² + 1e-12));  ℓ = 1 − cos (y = 1), max(0, cos − margin) (y = −1), 0 otherwise',
    derivative: '∂cos/∂x1 = x2/√(m1·m2) − cos·x1/m1 with m = Σx² + 1e-12;  ∂ℓ/∂cos = −1 (y = 1), 1 where cos ≥ margin (y = −1)',
  },
  kinks:
    "1e-12 is added to each squared magnitude, as PyTorch's Loss.cpp does, so the value for a zero vector is defined. At cos = margin " +
    'the gradient passes (clamp_min). The target is only compared with ±1, so it gets no gradient (PyTorch: None); both inputs do.',
  example: 'grad "F.cosine_embedding_loss(a, b, y)" a="1 2; 0 1" b="2 1; 1 -1" y=1,-1 --wrt a,b',
  forward(a) {
    const fn = 'cosine_embedding_loss';
    const [x1, x2, y] = [tensor(a, 'input1'), tensor(a, 'input2'), tensor(a, 'target')];
    const dim = y.shape.length;
    if (dim > 1 || x1.shape.length !== dim + 1 || x2.shape.length !== dim + 1) {
      fail((name) => `${fn}: a ${dim === 0 ? 'single-number' : 'vector'} ${name('target')} ${shapeOf(y)} needs ${dim === 0 ? 'vectors' : 'matrices (N, D)'} as ${name('input1')} and ${name('input2')}, got ${shapeOf(x1)} and ${shapeOf(x2)}`);
    }
    const product = sum(mul(x1, x2), dim);
    const magnitude1 = add(sum(mul(x1, x1), dim), COSINE_EMBEDDING_EPSILON);
    const magnitude2 = add(sum(mul(x2, x2), dim), COSINE_EMBEDDING_EPSILON);
    const cos = div(product, sqrt(mul(magnitude1, magnitude2)));
    const losses = add(where(eq(y, 1), sub(1, cos), 0), where(eq(y, -1), clamp(sub(cos, num(a, 'margin')), 0, null), 0));
    return reduceLosses(losses, choice(a, 'reduction'));
  },
};
