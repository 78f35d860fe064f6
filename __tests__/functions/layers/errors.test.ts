/**
 * Bad input to the layers (issue 15, point 6): one-line errors that state the shapes and the rule,
 * naming each argument through ArgumentError's `name` so that the CLI can say --flag and an
 * expression the bound name.
 */
import type { Var } from '../../../src/autograd/var';
import type { RawArg } from '../../../src/functions/args';
import type { Tensor } from '../../../src/tensor';
import { errorOf, run, T, V } from './helpers';

/**
 * Inputs are functions, called in the test that uses them: every call into src/ happens inside a
 * test body, none while jest collects the tests (at the top level, in a describe body or in a
 * test.each table), which a mutation run (Stryker, perTest coverage) would count as static.
 */
const X24 = (): Tensor => T([[1, 2, 3, 4], [0, -1, 2, 0.5]]);

test.each([
  ['layer-norm: normalized_shape against the last dimension', () => run('layer-norm', { input: X24(), normalized_shape: [3] }),
    'layer_norm: --normalized-shape [3] does not match the last dimension 4 of --input (shape [2, 4]): it must equal the input\'s trailing dimensions'],
  ['layer-norm: several trailing dimensions', () => run('layer-norm', { input: X24(), normalized_shape: [4, 4] }),
    'layer_norm: --normalized-shape [4, 4] does not match the last 2 dimensions [2, 4] of --input (shape [2, 4]): it must equal the input\'s trailing dimensions'],
  ['layer-norm: weight shape', () => run('layer-norm', { input: X24(), weight: T([1, 2, 3]) }),
    'layer_norm: --weight has shape [3], but must have shape [4] (normalized_shape)'],
  ['rms-norm: normalized_shape', () => run('rms-norm', { input: X24(), normalized_shape: 2 }),
    'rms_norm: --normalized-shape [2] does not match the last dimension 4 of --input (shape [2, 4]): it must equal the input\'s trailing dimensions'],
  ['batch-norm: a vector', () => run('batch-norm', { input: T([1, 2, 3]) }),
    'batch_norm: --input (shape [3]) needs a batch and a channel dimension (N, C, ...); write a column "1; 2; 3" for a batch of single values'],
  ['batch-norm: one running statistic', () => run('batch-norm', { input: X24(), running_mean: T([0, 0, 0, 0]) }),
    'batch_norm: --running-mean is given but --running-var is not: normalising with running statistics needs both'],
  ['batch-norm: running_mean per channel', () => run('batch-norm', { input: X24(), running_mean: T([0, 0]), running_var: T([1, 1]) }),
    'batch_norm: --running-mean has shape [2], but must have shape [4] (one number per channel: input has 4 channels in dimension 1)'],
  ['batch-norm: a single value per channel', () => run('batch-norm', { input: T([[1, 2, 3]]), training: true }),
    'batch_norm: --input (shape [1, 3]) has a single value per channel; batch statistics need more than one'],
  ['group-norm: groups dividing the channels', () => run('group-norm', { input: X24(), num_groups: 3 }),
    'group_norm: --num-groups=3 does not divide the 4 channels of --input (shape [2, 4], channels in dimension 1)'],
  ['instance-norm: no spatial dimension', () => run('instance-norm', { input: X24() }),
    'instance_norm: --input (shape [2, 4]) has a single spatial element per channel (it reads (N, C, *spatial)); instance statistics need more than one'],
  ['instance-norm: running statistics needed', () => run('instance-norm', { input: T([[[1, 2], [3, 4]]]), use_input_stats: false }),
    'instance_norm: use_input_stats=False needs --running-mean and --running-var'],
  ['dropout: random training mode', () => run('dropout', { input: X24(), training: true }),
    'dropout: --training=True with --p=0.5 draws a random mask, which cannot be reproduced; actgrad computes evaluation mode (training=False), or training with p = 0 or 1'],
  ['batch-norm: eps 0 with batch statistics', () => run('batch-norm', { input: X24(), eps: 0 }), 'batch_norm: --eps must be positive with batch statistics, got 0'],
  ['rrelu: lower above upper', () => run('rrelu', { input: X24(), lower: 0.5, upper: 0.1 }),
    'rrelu: --lower=0.5 is above --upper=0.1; the lower bound must not exceed the upper'],
  ['dropout: p out of range', () => run('dropout', { input: X24(), p: 1.5 }), 'dropout: --p is a probability between 0 and 1, not 1.5'],
  ['rrelu: random training mode', () => run('rrelu', { input: X24(), training: true }),
    'rrelu: --training=True draws a random slope between --lower and --upper, which cannot be reproduced; actgrad computes evaluation mode (training=False), or training with lower = upper'],
  ['max-pool1d: padding over half the kernel', () => run('max-pool1d', { input: X24(), kernel_size: 2, padding: 2 }),
    'max_pool1d: --padding 2 must be between 0 and half the kernel size 2 (at most 1), as PyTorch requires'],
  ['max-pool1d: padding over half the effective (dilated) kernel', () => run('max-pool1d', { input: X24(), kernel_size: 2, dilation: 2, padding: 2 }),
    'max_pool1d: --padding 2 must be between 0 and half the effective kernel size 3 (at most 1), as PyTorch requires'],
  ['max-pool2d: kernel larger than the input', () => run('max-pool2d', { input: X24(), kernel_size: 3 }),
    'max_pool2d: --input (shape [2, 4]) is too small for the kernel 3×3 and padding 0, 0: the output would be empty'],
  ['max-pool2d: return_indices', () => run('max-pool2d', { input: X24(), kernel_size: 2, return_indices: true }),
    'max_pool2d: --return-indices=True returns a tuple (values, indices); actgrad computes the values (return_indices=False)'],
  ['avg-pool2d: a tuple of three', () => run('avg-pool2d', { input: X24(), kernel_size: [1, 2, 3] }), 'avg_pool2d: --kernel-size takes 1 or 2 numbers, not 3 ([1, 2, 3])'],
  ['avg-pool1d: kernel 0', () => run('avg-pool1d', { input: X24(), kernel_size: 0 }), 'avg_pool1d: --kernel-size must be positive, got 0'],
  ['avg-pool1d: a 4-d input', () => run('avg-pool1d', { input: T([[[[1, 2]]]]), kernel_size: 1 }),
    'avg_pool1d: --input (shape [1, 1, 1, 2]) must be (C, L) or (N, C, L), or a plain vector as one channel'],
  ['avg-pool2d: divisor_override 0', () => run('avg-pool2d', { input: X24(), kernel_size: 2, divisor_override: 0 }), 'avg_pool2d: --divisor-override must not be 0'],
  ['gaussian-nll: var shape', () => run('gaussian-nll', { input: X24(), target: X24(), var: T([1, 2, 3]) }),
    'gaussian_nll_loss: --var has shape [3], but must have the shape of --input [2, 4], or that shape with one dimension 1 or the last left out, or be one number'],
  ['gaussian-nll: two dimensions of 1', () => run('gaussian-nll', { input: T([[[1, 2]], [[3, 4]]]), target: T(0), var: T([[[1]]]) }),
    'gaussian_nll_loss: --var has shape [1, 1, 1], but must have the shape of --input [2, 1, 2], or that shape with one dimension 1 or the last left out, or be one number'],
  ['gaussian-nll: negative var', () => run('gaussian-nll', { input: X24(), target: X24(), var: T([1, -1]) }),
    'gaussian_nll_loss: --var has a negative entry; variances are ≥ 0'],
  ['multilabel-margin: class out of range', () => run('multilabel-margin', { input: T([0.1, 0.2]), target: T([2, -1]) }),
    'multilabel_margin_loss: --target holds 2 at position 0: class indices go from 0 to 1, and -1 ends a row\'s list'],
  ['multilabel-margin: not integers', () => run('multilabel-margin', { input: T([0.1, 0.2]), target: T([0.5, -1]) }),
    'multilabel_margin_loss: --target holds integers (indices), but has 0.5 at position 0'],
  ['multilabel-margin: target shape', () => run('multilabel-margin', { input: X24(), target: T([1, -1, 0, 0]) }),
    'multilabel_margin_loss: --target (shape [4]) must have the shape of --input (shape [2, 4]): class indices per row, ended by -1'],
])('%s', (_what, f, message) => {
  expect(errorOf(f)).toBe(message);
});

test.each([
  ['linear: features', () => run('linear', { input: X24(), weight: T([[1, 2, 3]]) }),
    'linear: --input (shape [2, 4]) has 4 features in its last dimension, but --weight (shape [1, 3]) takes 3 (weight is (out_features, in_features))'],
  ['linear: bias', () => run('linear', { input: X24(), weight: T([[1, 2, 3, 4]]), bias: T([1, 2]) }),
    'linear: --bias (shape [2]) does not broadcast to the output (shape [2, 1]): one number per output feature'],
  ['bilinear: weight dimensions', () => run('bilinear', { input1: T([1, 2]), input2: T([1, 2, 3]), weight: T([[[1, 2], [3, 4]]]) }),
    'bilinear: the last dimensions of --input1 and --input2 must be the weight\'s dimensions 1 and 2 (--input1 [2], --input2 [3], --weight [1, 2, 2])'],
  ['conv1d: kernel larger than the padded input', () => run('conv1d', { input: T([[1, 2]]), weight: T([[[1, 2, 3, 4, 5]]]), padding: 1 }),
    'conv1d: the kernel (size 5) is larger than the padded --input (size 4 = 2 + padding 2) in spatial dimension 1 of [1, 2]'],
  ['conv1d: dilated kernel', () => run('conv1d', { input: T([1, 2, 3, 4]), weight: T([1, 2]), dilation: 4 }),
    'conv1d: the kernel (size 5 with dilation 4) is larger than the padded --input (size 4 = 4 + padding 0) in spatial dimension 1 of [4]'],
  ['conv1d: channels and groups', () => run('conv1d', { input: T([[[1, 2, 3], [1, 2, 3], [1, 2, 3]]]), weight: T([[[1]], [[2]]]), groups: 2 }),
    "conv1d: --input (shape [1, 3, 3]) has 3 channels, but --weight (shape [2, 1, 1]) with groups=2 expects 2 (groups × weight's dimension 1)"],
  ['conv2d: groups dividing the output channels', () => run('conv2d', { input: T([[[1, 2], [3, 4]], [[1, 2], [3, 4]]]), weight: T([[[[1]]], [[[1]]], [[[1]]]]), groups: 2 }),
    'conv2d: --groups=2 must divide the 3 output channels of --weight (shape [3, 1, 1, 1], dimension 0)'],
  ['conv2d: a vector kernel', () => run('conv2d', { input: X24(), weight: T([1, 2]) }),
    'conv2d: --weight (shape [2]) must be (C_out, C_in/groups, kH, kW), or a plain matrix as a one-channel kernel'],
  ['conv2d: bias per output channel', () => run('conv2d', { input: X24(), weight: T([[1]]), bias: T([1, 2]) }),
    'conv2d: --bias has shape [2], but must have shape [1] (one number per output channel)'],
  ['conv1d: a 4-d input', () => run('conv1d', { input: T([[[[1, 2]]]]), weight: T([1]) }),
    'conv1d: --input (shape [1, 1, 1, 2]) must be (C, L) or (N, C, L), or a plain vector as one channel'],
  ['attention: causal with a mask', () => run('scaled-dot-product-attention', { query: X24(), key: X24(), value: X24(), attn_mask: T([[0, 0], [0, 0]]), is_causal: true }),
    'scaled_dot_product_attention: is_causal=True builds its own mask; do not also give --attn-mask'],
  ['attention: dropout', () => run('scaled-dot-product-attention', { query: X24(), key: X24(), value: X24(), dropout_p: 0.1 }),
    'scaled_dot_product_attention: --dropout-p=0.1 drops attention weights at random, which cannot be reproduced; use 0'],
  ['attention: E', () => run('scaled-dot-product-attention', { query: X24(), key: T([[1, 2]]), value: T([[1, 2]]) }),
    'scaled_dot_product_attention: --query and --key must have the same last dimension E (--query [2, 4], --key [1, 2], --value [1, 2])'],
  ['attention: mask shape', () => run('scaled-dot-product-attention', { query: X24(), key: X24(), value: X24(), attn_mask: T([1, 0, 1]) }),
    'scaled_dot_product_attention: --attn-mask (shape [3]) does not broadcast to the attention scores (shape [2, 2], (..., L, S))'],
  ['embedding: index out of range', () => run('embedding', { input: T([0, 3]), weight: T([[1, 2], [3, 4], [5, 6]]) }),
    'embedding: --input holds index 3 at position 1, out of range for --weight with 3 rows (shape [3, 2]): indices go from 0 to 2'],
  ['embedding: a fractional index', () => run('embedding', { input: T([1.5]), weight: T([[1, 2], [3, 4]]) }),
    'embedding: --input holds integers (indices), but has 1.5 at position 0'],
  ['embedding: padding_idx', () => run('embedding', { input: T([1]), weight: T([[1, 2], [3, 4]]), padding_idx: -3 }),
    'embedding: --padding-idx=-3 is out of range for --weight with 2 rows (shape [2, 2])'],
  ['margin-ranking: dimensions', () => run('margin-ranking', { input1: T([1]), input2: T(2), target: T([1]) }),
    'margin_ranking_loss: --input1 [1], --input2 [] and --target [1] must have the same number of dimensions'],
  ['triplet-margin: margin', () => run('triplet-margin', { anchor: T([1]), positive: T([1]), negative: T([1]), margin: 0 }),
    'triplet_margin_loss: --margin must be greater than 0, got 0'],
  ['cosine-embedding: target and inputs', () => run('cosine-embedding', { input1: X24(), input2: X24(), target: T(1) }),
    'cosine_embedding_loss: a single-number --target [] needs vectors as --input1 and --input2, got [2, 4] and [2, 4]'],
  ['cosine-similarity: negative eps', () => run('cosine-similarity', { x1: X24(), x2: X24(), eps: -1 }), 'cosine_similarity: --eps must be non-negative, got -1'],
  ['pairwise-distance: broadcasting', () => run('pairwise-distance', { x1: X24(), x2: T([1, 2, 3]) }),
    'pairwise_distance: --x1 (shape [2, 4]) and --x2 (shape [3]) do not broadcast (each dimension equal, or 1 in one of them)'],
])('%s', (_what, f, message) => {
  expect(errorOf(f)).toBe(message);
});

describe('ctc_loss', () => {
  const ok = () => ({ log_probs: T([[[-1, -2, -0.5]], [[-0.3, -1, -2]]]), targets: T([[1]]), input_lengths: T([2]), target_lengths: T([1]) });
  test.each([
    ['input_lengths over T', () => ({ input_lengths: T([3]) }), 'ctc_loss: --input-lengths holds 3, but must be between 0 and 2 (the 2 time steps of log_probs)'],
    ['one length per sample', () => ({ target_lengths: T([1, 1]) }), 'ctc_loss: --target-lengths has 2 numbers, one per sample is needed (1)'],
    ['concatenated targets', () => ({ targets: T([1, 2]) }), 'ctc_loss: the concatenated --targets has 2 labels, but --target-lengths add up to 1'],
    ['blank', () => ({ blank: 3 }), 'ctc_loss: --blank=3 is not a class: --log-probs has 3 classes in its last dimension'],
    ['a label out of range', () => ({ targets: T([[5]]) }), 'ctc_loss: --targets of sample 0 holds 5, but classes go from 0 to 2'],
    ['padding after the target length is ignored', () => ({ targets: T([[1, -1]]) }), null],
    ['a 4-d input', () => ({ log_probs: T([[[[1]]]]) }), 'ctc_loss: --log-probs (shape [1, 1, 1, 1]) must be (T, N, C), or (T, C) for one sequence'],
  ])('%s', (_what, change, message) => {
    const f = (): Var => run('ctc', { ...ok(), ...change() } as Record<string, RawArg>);
    if (message === null) expect(f().value.data[0]).toBeGreaterThan(0);
    else expect(errorOf(f)).toBe(message);
  });
});

test('normalize: a dimension out of range is the engine\'s error', () => {
  expect(errorOf(() => run('normalize', { input: X24(), dim: 2 }))).toBe('dim=2 is out of range for a tensor of 2 dimensions (expected -2 to 1)');
});

test('a required argument that is missing names the example', () => {
  expect(errorOf(() => run('group-norm', { input: X24() }))).toMatch(/^group-norm needs --num-groups \(e\.g\. actgrad group-norm /);
  expect(errorOf(() => run('max-pool1d', { input: V([1, 2]) }))).toMatch(/^max-pool1d needs --kernel-size/);
});
