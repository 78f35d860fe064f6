/**
 * Tests aimed at the mutants the functions mutation run left alive in the layer files (linear,
 * conv, norms, losses, attention): the error message of each refused argument, and values of the
 * shapes and options those runs did not check (vector weights, batched bilinear, grouped, strided,
 * dilated and 'same' convolutions, channel-first inputs, normalized_shape over several dimensions,
 * running statistics, gaussian_nll's short var, multilabel rows without -1, triplet swap, masks and
 * scales of attention). The expected numbers are PyTorch 1.13 in float64 (scaled_dot_product_attention,
 * which 1.13 lacks, as softmax(Q·Kᵀ·scale + mask)·V with masked rows set to 0).
 */
import type { Var } from '../../../src/autograd/var';
import type { RawArg } from '../../../src/functions/args';
import type { Args } from '../../../src/functions/types';
import type { Tensor } from '../../../src/tensor';
import { errorOf, expectClose, grads, layer, run, T, V } from './helpers';

const fn = layer;

interface Ref {
  shape: number[];
  data: number[];
}

/** PyTorch 1.13, float64. */
const REF: Record<string, Ref> = {
  lin_vec: { shape: [2], data: [4.5, 3.0] },
  lin_vec_gx: { shape: [2, 3], data: [0.5, -1.0, 2.0, 0.5, -1.0, 2.0] },
  lin_vec_gw: { shape: [3], data: [0.0, 2.5, 5.0] },
  lin_3d: { shape: [2, 1, 2], data: [-1.9, 5.3, -3.9, 0.8] },
  bil: { shape: [2, 1, 2], data: [-3.2, 0.44999999999999996, -4.2, -1.5499999999999998] },
  bil_g1: { shape: [2, 1, 2], data: [-7.2, 3.0, -3.2, 1.75] },
  bil_g2: { shape: [2, 1, 3], data: [3.5999999999999996, 1.0, 4.0, 1.6, 1.0, 0.875] },
  bil_gW: { shape: [2, 2, 3], data: [2.5, 1.0, 0.0, 0.0, 2.0, -2.5, 0.0, 2.0, -2.5, 2.5, 4.0, -3.75] },
  c1: { shape: [2, 2, 3], data: [2.0, 1.9, -0.9, -2.0, 6.0, -1.0, -1.5, 1.3, 0.19999999999999996, -0.5, -5.5, 6.0] },
  c1_gx: { shape: [2, 2, 5], data: [-0.5, 1.4, -1.0, 2.6, -1.5, 8.0, 1.0, 10.0, 1.0, 12.0, -3.5, 8.6, -4.0, 9.8, -4.5, 20.0, 1.0, 22.0, 1.0, 24.0] },
  c1_gw: { shape: [2, 1, 3], data: [6.5, 31.0, 4.0, 34.5, 34.0, 32.0] },
  c2: { shape: [1, 3, 6], data: [0.0, 6.0, -2.0, -1.0, 6.5, 3.5, 2.0, -1.0, 1.5, 5.0, -1.0, 1.0, 0.0, -0.5, 5.25, -3.5, -0.5, 5.0] },
  c3: { shape: [1, 2, 4], data: [0.5, -1.0, -1.0, 2.0, 1.0, 0.5, 1.5, 4.0] },
  c4: { shape: [2, 2, 3], data: [3.25, 0.0, 1.0, -2.5, 3.5, 1.0, 0.5, 2.0, 1.0, 5.5, -3.5, 5.0] },
  c5: { shape: [5], data: [-2.0, -3.0, 7.25, -0.5, -5.5] },
  ln: { shape: [2, 2, 3], data: [-0.2927695199943844, 1.585539039988769, 0.4391542799915767, 1.3783085599831533, -1.4638475999719223, 3.391542799915767, 0.5846110461846076, 2.169222092369215, -0.09743517436410126, 1.0846110461846075, 1.3640924410974176, -6.2614994156614685] },
  rms_default: { shape: [2, 3], data: [0.4629100498862757, 0.9258200997725514, 1.3887301496588271, 0.3779644730092272, -0.7559289460184544, 1.5118578920369088] },
  rms_w: { shape: [2, 3], data: [0.4399413450640599, 1.7597653802562396, -1.3198240351921797, 0.3333333333333333, -1.3333333333333333, -1.3333333333333333] },
  bn_train: { shape: [3, 3], data: [-0.2672578057627255, 3.172603828625744, -0.22473568590839021, -1.0690312230509016, -1.6380830629005951, 1.0, 1.3362890288136267, -0.03452076572514877, 2.2247356859083904] },
  bn_eval0: { shape: [3, 3], data: [0.9, 1.2727922061357855, 3.818376618407356, 0.4, -0.8485281374238569, 2.4041630560342613, 1.9, -0.1414213562373095, 0.9899494936611665] },
  in: { shape: [2, 2, 3], data: [-1.9494713718167804, 0.5, 2.9494713718167804, 1.4629095539120194, 1.9258191078240388, -0.38872866173605813, 1.9141817436418194, 1.9141817436418194, -2.3283634872836405, 1.2020301378350196, -0.3131958959276271, 2.1111657580926075] },
  gn: { shape: [2, 4, 2], data: [-0.4472118066563089, 0.4472118066563091, 3.683270839937854, -1.6832708399378538, -0.7701528381334695, 0.6301250493819295, -1.14002778875154, -1.14002778875154, 0.08737019224299414, -0.26211057672898225, 3.9705865362617994, -1.6211057672898228, -0.4522637276878593, -0.4522637276878593, -1.3015091517919062, -2.507545758959531] },
  norm2d: { shape: [2, 3], data: [0.6, 0.8, 0.0, 0.3333333333333333, -0.6666666666666666, 0.6666666666666666] },
  norm1d: { shape: [3], data: [0.23076923076923078, 0.3076923076923077, 0.9230769230769231] },
  gnll_short: { shape: [2, 2, 3], data: [1.5723649429247, 0.5723649429247, 4.5723649429247, 1.5155121234846454, 1.2655121234846454, 1.5155121234846454, 0.9189385332046727, 1.4189385332046727, 0.9189385332046727, 1.5099113442053942, 1.6349113442053942, 1.6349113442053942] },
  gnll_zero: { shape: [], data: [124993.6888183113] },
  mlm: { shape: [2], data: [0.8500000000000001, 1.375] },
  mlm1: { shape: [], data: [0.8500000000000001] },
  trip_swap: { shape: [2], data: [0.7928922188130382, 0.0] },
  trip: { shape: [2], data: [0.3819654584638956, 0.0] },
  trip_p1: { shape: [2], data: [0.0, 0.0] },
  cos: { shape: [3], data: [0.20000000000016005, 0.0, 1.4486832980498972] },
  cos0: { shape: [], data: [0.69999999999984] },
  att: { shape: [2, 2], data: [0.13431270107472068, 2.0600015291421503, 0.14097675360769935, 2.2694862867728367] },
  att_gq: { shape: [2, 2], data: [0.1392274357787146, -0.04462557909527752, -0.33554324374587147, -0.030586760391780266] },
  att_gk: { shape: [3, 2], data: [0.26449774969709516, -0.1925411350846073, 0.050488188167842216, 0.21319679942944625, -0.3149859378649374, -0.020655664344838932] },
  att_neg: { shape: [2, 2], data: [-0.11595919004082755, 1.6532666671196377, -0.16643707537602254, 1.499641874067696] },
  att_s3: { shape: [2, 2], data: [0.31643557779213716, 2.499855363234828, 0.08987810662925627, 2.884331140729863] },
  att_causal: { shape: [2, 2], data: [1.0, 2.0, 0.2950199303437122, 1.4712649477577842] },
  att_float: { shape: [2, 2], data: [0.4677045475915907, 2.036893854327732, -0.115128093136449, 1.8723055266417288] },
  att_bool: { shape: [2, 2], data: [1.0, 2.0, -1.0, 0.5] },
  att_float2: { shape: [2, 2], data: [-0.2292796119641448, 1.307053047373264, -0.06788983522082859, 2.335010335965568] },
  att_dead: { shape: [2, 2, 2], data: [1.0, 2.0, 0.0, 0.0, 0.0, 3.0, 0.0, 0.0] },
};

/** Expects `y` (a Var or a gradient tensor) to have PyTorch's shape and values. */
function expectRef(y: Var | Tensor, key: string): void {
  const ref = REF[key];
  expect({ key, shape: [...y.shape] }).toEqual({ key, shape: ref.shape });
  expectClose('value' in y ? y.value : y, ref.data, key);
}

/**
 * Shared inputs are functions, called in the test that uses them: every call into src/ happens
 * inside a test body, none while jest collects the tests (at the top level or in a describe
 * body), which a mutation run (Stryker, perTest coverage) would count as static, outside any test.
 */
const X24 = (): Tensor => T([[1, 2, 3, 4], [0, -1, 2, 0.5]]);

describe('linear and bilinear', () => {
  test('a vector weight gives one number per row, with the gradients of x and w', () => {
    const x = V([[1, 2, 3], [-1, 0.5, 2]], 'x');
    const w = V([0.5, -1, 2], 'w');
    const y = run('linear', { input: x, weight: w });
    expectRef(y, 'lin_vec');
    const [gx, gw] = grads(y, [x, w]);
    expectRef(gx, 'lin_vec_gx');
    expectRef(gw, 'lin_vec_gw');
  });

  test('a 3-d input with bias', () => {
    expectRef(run('linear', { input: T([[[1, 2, 3]], [[0, -1, 4]]]), weight: T([[1, 0, -1], [2, 1, 0.5]]), bias: T([0.1, -0.2]) }), 'lin_3d');
  });

  test('bilinear with two leading dimensions, bias and gradients', () => {
    const x1 = V([[[1, 2]], [[-1, 0.5]]], 'x1');
    const x2 = V([[[0.5, 1, -1]], [[2, 0, 1]]], 'x2');
    const w = V([[[1, 0, 2], [-1, 0.5, 1]], [[0.3, -2, 1], [1, 1, -0.5]]], 'W');
    const y = run('bilinear', { input1: x1, input2: x2, weight: w, bias: T([0.3, -0.7]) });
    expectRef(y, 'bil');
    const [g1, g2, gw] = grads(y, [x1, x2, w], T([[[1, 2]], [[-1, 0.5]]]));
    expectRef(g1, 'bil_g1');
    expectRef(g2, 'bil_g2');
    expectRef(gw, 'bil_gW');
  });

  const W123 = (): Tensor => T([[[1, 2, 3], [4, 5, 6]]]);
  test.each([
    ['linear: scalar input', () => run('linear', { input: T(1), weight: T([1]) }),
      'linear: --input (shape []) needs at least one dimension and --weight (shape [1]) must be (out_features, in_features) or a vector'],
    ['linear: scalar weight', () => run('linear', { input: X24(), weight: T(2) }),
      'linear: --input (shape [2, 4]) needs at least one dimension and --weight (shape []) must be (out_features, in_features) or a vector'],
    ['linear: 3-d weight', () => run('linear', { input: X24(), weight: T([[[1, 2, 3, 4]]]) }),
      'linear: --input (shape [2, 4]) needs at least one dimension and --weight (shape [1, 1, 4]) must be (out_features, in_features) or a vector'],
    ['bilinear: 2-d weight', () => run('bilinear', { input1: T([1, 2]), input2: T([1, 2, 3]), weight: T([[1, 2], [3, 4]]) }),
      'bilinear: --weight must be (out_features, in1_features, in2_features) (--input1 [2], --input2 [3], --weight [2, 2])'],
    ['bilinear: scalar inputs', () => run('bilinear', { input1: T(1), input2: T(2), weight: W123() }),
      'bilinear: --input1 and --input2 need the same leading (batch) dimensions (--input1 [], --input2 [], --weight [1, 2, 3])'],
    ['bilinear: different ranks', () => run('bilinear', { input1: T([1, 2]), input2: T([[1, 2, 3]]), weight: W123() }),
      'bilinear: --input1 and --input2 need the same leading (batch) dimensions (--input1 [2], --input2 [1, 3], --weight [1, 2, 3])'],
    ['bilinear: different batches', () => run('bilinear', { input1: T([[1, 2], [3, 4]]), input2: T([[1, 2, 3]]), weight: W123() }),
      'bilinear: --input1 and --input2 need the same leading (batch) dimensions (--input1 [2, 2], --input2 [1, 3], --weight [1, 2, 3])'],
    ['bilinear: input1 features', () => run('bilinear', { input1: T([1, 2, 3]), input2: T([1, 2, 3]), weight: W123() }),
      "bilinear: the last dimensions of --input1 and --input2 must be the weight's dimensions 1 and 2 (--input1 [3], --input2 [3], --weight [1, 2, 3])"],
    ['bilinear: bias', () => run('bilinear', { input1: T([1, 2]), input2: T([1, 2, 3]), weight: W123(), bias: T([1, 2, 3]) }),
      'bilinear: --bias (shape [3]) does not broadcast to the output (shape [1]): one number per output feature'],
  ])('%s', (_, f, message) => expect(errorOf(f)).toBe(message));
});

describe('conv1d and conv2d', () => {
  test('grouped, strided, padded conv1d of a batch, with bias and gradients', () => {
    const x = V([[[1, 2, -1, 0.5, 3], [0, 1, 2, -2, 1]], [[2, -1, 0, 1, 1], [0.5, 0.5, -1, 3, 2]]], 'x');
    const w = V([[[0.2, -0.5, 1]], [[1, 2, -1]]], 'w');
    const y = run('conv1d', { input: x, weight: w, bias: T([0.5, -1]), stride: 2, padding: 1, groups: 2 });
    expectRef(y, 'c1');
    const seed = T([[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]]);
    const [gx, gw] = grads(y, [x, w], seed);
    expectRef(gx, 'c1_gx');
    expectRef(gw, 'c1_gw');
  });

  test("dilated conv1d with padding='same' and several input and output channels", () => {
    const y = run('conv1d', {
      input: T([[[1, 2, -1, 0.5, 3, 1], [0, 1, 2, -2, 1, 4]]]),
      weight: T([[[1, -1], [0.5, 2]], [[0, 1], [1, 0]], [[2, 0.5], [-1, -1]]]),
      dilation: 2,
      padding: 'same',
    });
    expectRef(y, 'c2');
  });

  test("padding='same' with an even kernel pads the odd element on the right", () => {
    expectRef(run('conv1d', { input: T([1, 2, -1, 0.5, 3]), weight: T([1, -2, 0.5, 1]), padding: 'same' }), 'c5');
  });

  test('a (C, H, W) input gives a (C_out, H, W) output, with two strides', () => {
    const y = run('conv2d', {
      input: T([[[1, 2, 0], [-1, 0.5, 1], [2, -2, 1]], [[0, 1, 1], [2, 0, -1], [1, 1, 3]]]),
      weight: T([[[[0, 1], [-1, 0.5]], [[1, 1], [2, -1]]]]),
      padding: 1,
      stride: [2, 1],
    });
    expect(y.shape).toEqual([1, 2, 4]);
    expectRef(y, 'c3');
  });

  test('a plain matrix input with several output channels gives (C_out, H, W)', () => {
    const y = run('conv2d', { input: T([[1, 2, 0, 1], [-1, 0.5, 1, 2], [2, -2, 1, 0]]), weight: T([[[[0, 1], [-1, 0.5]]], [[[1, 1], [2, -1]]]]) });
    expectRef(y, 'c4');
  });

  test.each([
    ["conv1d: padding='same' with a stride", () => run('conv1d', { input: T([1, 2, 3, 4]), weight: T([1, 2]), padding: 'same', stride: 2 }),
      "conv1d: --padding='same' needs stride 1 (got stride 2), as in PyTorch"],
    ['conv1d: negative padding', () => run('conv1d', { input: T([1, 2, 3, 4]), weight: T([1, 2]), padding: -1 }),
      'conv1d: --padding must not be negative, got -1'],
    ['conv2d: one negative padding', () => run('conv2d', { input: X24(), weight: T([[1]]), padding: [1, -1] }),
      'conv2d: --padding must not be negative, got 1, -1'],
    ['conv2d: a vector input', () => run('conv2d', { input: T([1, 2, 3]), weight: T([[1]]) }),
      'conv2d: --input (shape [3]) must be (C, H, W) or (N, C, H, W), or a plain matrix as one channel'],
    ['conv2d: a 5-d input', () => run('conv2d', { input: T([[[[[1]]]]]), weight: T([[1]]) }),
      'conv2d: --input (shape [1, 1, 1, 1, 1]) must be (C, H, W) or (N, C, H, W), or a plain matrix as one channel'],
    ['conv1d: a matrix weight', () => run('conv1d', { input: T([1, 2, 3]), weight: T([[1, 2]]) }),
      'conv1d: --weight (shape [1, 2]) must be (C_out, C_in/groups, kW), or a plain vector as a one-channel kernel'],
    ['conv1d: one input channel', () => run('conv1d', { input: T([[1, 2, 3]]), weight: T([[[1], [2]]]) }),
      "conv1d: --input (shape [1, 3]) has 1 channel, but --weight (shape [1, 2, 1]) with groups=1 expects 2 (groups × weight's dimension 1)"],
    ['conv1d: groups 0', () => run('conv1d', { input: T([1, 2, 3]), weight: T([1, 2]), groups: 0 }),
      'conv1d: --groups=0 must divide the 1 output channels of --weight (shape [2], dimension 0)'],
    ['conv2d: a stride 0', () => run('conv2d', { input: X24(), weight: T([[1]]), stride: [1, 0] }), 'conv2d: --stride must be positive, got 1, 0'],
    ['conv2d: a dilation 0', () => run('conv2d', { input: X24(), weight: T([[1]]), dilation: [0, 1] }), 'conv2d: --dilation must be positive, got 0, 1'],
  ])('%s', (_, f, message) => expect(errorOf(f)).toBe(message));
});

describe('norms', () => {
  test('layer_norm over the last two dimensions, with weight and bias', () => {
    const y = run('layer-norm', {
      input: T([[[1, 2, 3], [0, -1, 4]], [[2, 2, 1], [0.5, 3, -1]]]),
      normalized_shape: [2, 3],
      weight: T([[1, 2, 0.5], [-1, 1, 3]]),
      bias: T([[0, 1, 0], [0.5, 0, -1]]),
    });
    expectRef(y, 'ln');
  });

  test('rows apart only when normalising over one dimension', () => {
    for (const name of ['layer-norm', 'rms-norm']) {
      const rowsApart = fn(name).rowsApart!;
      expect([rowsApart({ normalized_shape: null } as Args), rowsApart({ normalized_shape: [4] } as Args), rowsApart({ normalized_shape: [2, 4] } as Args)])
        .toEqual([true, true, false]);
    }
  });

  test("rms_norm: eps None is float64's epsilon; a given eps and weight are used", () => {
    const x = T([[1, 2, 3], [0.5, -1, 2]]);
    expectRef(run('rms-norm', { input: x }), 'rms_default');
    expectRef(run('rms-norm', { input: x, eps: 0.5, weight: T([1, 2, -1]) }), 'rms_w');
  });

  const X33 = (): Tensor => T([[1, 2, 3], [0.5, -1, 2], [2, 0, 1]]);
  test('batch_norm: training=True uses the batch statistics even when running ones are given', () => {
    const y = run('batch-norm', { input: X33(), running_mean: T([0.1, 0.2, 0.3]), running_var: T([1, 2, 0.5]), weight: T([1, 2, -1]), bias: T([0, 0.5, 1]), training: true });
    expectRef(y, 'bn_train');
  });

  test('batch_norm: eps 0 is allowed with running statistics', () => {
    expectRef(run('batch-norm', { input: X33(), running_mean: T([0.1, 0.2, 0.3]), running_var: T([1, 2, 0.5]), eps: 0 }), 'bn_eval0');
  });

  test('instance_norm with weight and bias', () => {
    expectRef(run('instance-norm', { input: T([[[1, 2, 3], [0, -1, 4]], [[2, 2, 1], [0.5, 3, -1]]]), weight: T([2, -1]), bias: T([0.5, 1]) }), 'in');
  });

  test('group_norm with weight and bias', () => {
    const x = T([[[1, 2], [3, 0], [-1, 4], [2, 2]], [[1, 0.5], [3, -1], [0, 0], [1, 2]]]);
    expectRef(run('group-norm', { input: x, num_groups: 2, weight: T([1, 2, 0.5, -1]), bias: T([0, 1, 0, -1]) }), 'gn');
  });

  test('normalize: dim 1 of a matrix, and the only dimension of a vector', () => {
    expectRef(run('normalize', { input: T([[3, 4, 0], [1, -2, 2]]) }), 'norm2d');
    expectRef(run('normalize', { input: T([3, 4, 12]) }), 'norm1d');
  });

  const per = (arg: string, shape: string): string => `--${arg.replace(/_/g, '-')} has shape ${shape}, but must have shape [4] (one number per channel: input has 4 channels in dimension 1)`;
  test.each([
    ['layer-norm: a scalar', () => run('layer-norm', { input: T(1) }), 'layer_norm: --input is a scalar; there is no dimension to normalise over'],
    ['layer-norm: empty normalized_shape', () => run('layer-norm', { input: X24(), normalized_shape: [] }),
      "layer_norm: --normalized-shape [] does not match the last 0 dimensions [] of --input (shape [2, 4]): it must equal the input's trailing dimensions"],
    ['layer-norm: a scalar with normalized_shape', () => run('layer-norm', { input: T(1), normalized_shape: [1] }),
      "layer_norm: --normalized-shape [1] does not match the last dimension of a scalar of --input (shape []): it must equal the input's trailing dimensions"],
    ['layer-norm: bias shape', () => run('layer-norm', { input: X24(), bias: T([1, 2]) }), 'layer_norm: --bias has shape [2], but must have shape [4] (normalized_shape)'],
    ['batch-norm: running_var alone', () => run('batch-norm', { input: X24(), running_var: T([1, 1, 1, 1]) }),
      'batch_norm: --running-var is given but --running-mean is not: normalising with running statistics needs both'],
    ['batch-norm: negative eps with running statistics', () => run('batch-norm', { input: X24(), running_mean: T([0, 0, 0, 0]), running_var: T([1, 1, 1, 1]), eps: -1 }),
      'batch_norm: --eps must be non-negative, got -1'],
    ['batch-norm: running_var shape', () => run('batch-norm', { input: X24(), running_mean: T([0, 0, 0, 0]), running_var: T([1, 1]) }), `batch_norm: ${per('running_var', '[2]')}`],
    ['batch-norm: weight shape', () => run('batch-norm', { input: X24(), weight: T([1, 1]) }), `batch_norm: ${per('weight', '[2]')}`],
    ['batch-norm: bias shape', () => run('batch-norm', { input: X24(), bias: T([1]) }), `batch_norm: ${per('bias', '[1]')}`],
    ...(['running_mean', 'running_var', 'weight', 'bias'] as const).map((arg) => [
      `instance-norm: ${arg} shape`,
      () => run('instance-norm', { input: T([[[1, 2], [3, 4], [5, 6], [7, 8]]]), running_mean: T([0, 0, 0, 0]), running_var: T([1, 1, 1, 1]), [arg]: T([1, 2, 3]) }),
      `instance_norm: ${per(arg, '[3]')}`,
    ] as [string, () => Var, string]),
    ['instance-norm: one spatial element', () => run('instance-norm', { input: T([[[1], [2]], [[3], [4]]]) }),
      'instance_norm: --input (shape [2, 2, 1]) has a single spatial element per channel (it reads (N, C, *spatial)); instance statistics need more than one'],
    ['group-norm: num_groups 0', () => run('group-norm', { input: X24(), num_groups: 0 }),
      'group_norm: --num-groups=0 does not divide the 4 channels of --input (shape [2, 4], channels in dimension 1)'],
    ['group-norm: weight shape', () => run('group-norm', { input: X24(), num_groups: 2, weight: T([1, 2]) }), `group_norm: ${per('weight', '[2]')}`],
    ['group-norm: bias shape', () => run('group-norm', { input: X24(), num_groups: 2, bias: T([1, 2]) }), `group_norm: ${per('bias', '[2]')}`],
    ['group-norm: a single value per group', () => run('group-norm', { input: T([[1, 2]]), num_groups: 2 }),
      'group_norm: each of the 2 groups of --input (shape [1, 2]) holds a single value; group statistics need more than one'],
  ])('%s', (_, f, message) => expect(errorOf(f)).toBe(message));
});

describe('losses', () => {
  test('gaussian_nll: var one dimension short of a 3-d input, full=True', () => {
    const y = run('gaussian-nll', {
      input: T([[[1, 2, 3], [0, -1, 4]], [[2, 2, 1], [0.5, 3, -1]]]),
      target: T([[[0, 2, 1], [1, -1, 3]], [[2, 1, 1], [0, 2, 0]]]),
      var: T([[0.5, 2], [1, 3]]),
      full: true,
      reduction: 'none',
    });
    expectRef(y, 'gnll_short');
  });

  test('gaussian_nll: a variance of 0 is clamped to eps, not refused', () => {
    expectRef(run('gaussian-nll', { input: T([1, 2, 3]), target: T([1.5, 2, 2]), var: T([0, 1, 2]), reduction: 'sum' }), 'gnll_zero');
  });

  test('multilabel_margin: a row whose targets fill it (no -1), and duplicate targets', () => {
    const y = run('multilabel-margin', { input: T([[0.1, 0.2, 0.4, 0.8], [0.5, -0.3, 0.9, 0.2]]), target: T([[3, 0, -1, 1], [1, 1, 2, 3]]), reduction: 'none' });
    expectRef(y, 'mlm');
  });

  test("multilabel_margin: a single row's loss is a scalar with reduction='none'", () => {
    expectRef(run('multilabel-margin', { input: T([0.1, 0.2, 0.4, 0.8]), target: T([3, 0, -1, 1]), reduction: 'none' }), 'mlm1');
  });

  test('multilabel_margin: a scalar input is one class (loss 0), and a one-class row takes a scalar target', () => {
    const scalar = run('multilabel-margin', { input: T(0.5), target: T(0) });
    expect(scalar.shape).toEqual([]);
    expectClose(scalar.value, 0);
    const one = run('multilabel-margin', { input: T([0.5]), target: T(0) });
    expect(one.shape).toEqual([]);
    expectClose(one.value, 0);
  });

  test('triplet_margin: per-sample losses, with and without swap', () => {
    const [A, P, N] = [T([[1, 2], [0, 1]]), T([[1, 2.5], [0.5, 1]]), T([[0.5, 3], [2, -1]])];
    expectRef(run('triplet-margin', { anchor: A, positive: P, negative: N, reduction: 'none' }), 'trip');
    expectRef(run('triplet-margin', { anchor: A, positive: P, negative: N, swap: true, reduction: 'none' }), 'trip_swap');
  });

  test('cosine_embedding: similar and dissimilar pairs with a negative margin; a single pair', () => {
    const y = run('cosine-embedding', { input1: T([[1, 2], [0, 1], [1, 1]]), input2: T([[2, 1], [1, -1], [1, 0.5]]), target: T([1, -1, -1]), margin: -0.5, reduction: 'none' });
    expectRef(y, 'cos');
    expectRef(run('cosine-embedding', { input1: T([1, 2]), input2: T([2, 1]), target: T(-1), margin: 0.1 }), 'cos0');
  });

  const gnllVar = (v: number[][]): string => `gaussian_nll_loss: --var has shape [${v.length}, ${v[0].length}], but must have the shape of --input [2, 4], or that shape with one dimension 1 or the last left out, or be one number`;
  test.each([
    ['gaussian-nll: var with a dimension neither equal nor 1', () => run('gaussian-nll', { input: X24(), target: X24(), var: T([[1, 2], [3, 4]]) }), gnllVar([[1, 2], [3, 4]])],
    ['gaussian-nll: var with another first dimension', () => run('gaussian-nll', { input: X24(), target: X24(), var: T([[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]]) }), gnllVar([[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]])],
    ['multilabel-margin: a 3-d input', () => run('multilabel-margin', { input: T([[[1, 2]]]), target: T([[[0, -1]]]) }),
      'multilabel_margin_loss: --input (shape [1, 1, 2]) must be (C) or (N, C)'],
    ['multilabel-margin: a short target', () => run('multilabel-margin', { input: T([1, 2, 3, 4]), target: T([0, 1, -1]) }),
      'multilabel_margin_loss: --target (shape [3]) must have the shape of --input (shape [4]): class indices per row, ended by -1'],
    ['multilabel-margin: a matrix target for one row', () => run('multilabel-margin', { input: T([1, 2, 3, 4]), target: T([[0, 1, -1, 0]]) }),
      'multilabel_margin_loss: --target (shape [1, 4]) must have the shape of --input (shape [4]): class indices per row, ended by -1'],
    ['multilabel-margin: a class too large', () => run('multilabel-margin', { input: T([1, 2, 3, 4]), target: T([0, 4, -1, 0]) }),
      "multilabel_margin_loss: --target holds 4 at position 1: class indices go from 0 to 3, and -1 ends a row's list"],
    ['multilabel-margin: below -1', () => run('multilabel-margin', { input: T([1, 2, 3, 4]), target: T([-2, 0, 0, 0]) }),
      "multilabel_margin_loss: --target holds -2 at position 0: class indices go from 0 to 3, and -1 ends a row's list"],
    ['multilabel-soft-margin: a 3-d input', () => run('multilabel-soft-margin', { input: T([[[1, 2]]]), target: T([[[0, 1]]]) }),
      'multilabel_soft_margin_loss: --input (shape [1, 1, 2]) must be (C) or (N, C)'],
    ['multilabel-soft-margin: target shape', () => run('multilabel-soft-margin', { input: T([[1, 2, 3], [4, 5, 6]]), target: T([[0, 1, 0, 1], [1, 0, 1, 0]]) }),
      'multilabel_soft_margin_loss: --target (shape [2, 4]) must have the shape of --input (shape [2, 3])'],
    ['margin-ranking: a scalar target', () => run('margin-ranking', { input1: T([1, 2, 3]), input2: T([3, 2, 1]), target: T(1) }),
      'margin_ranking_loss: --input1 [3], --input2 [3] and --target [] must have the same number of dimensions'],
    ['triplet-margin: anchor rank', () => run('triplet-margin', { anchor: T([1, 2]), positive: T([[1, 2]]), negative: T([[1, 2]]) }),
      'triplet_margin_loss: --anchor [2], --positive [1, 2] and --negative [1, 2] must have the same number of dimensions'],
    ['triplet-margin: negative rank', () => run('triplet-margin', { anchor: T([1, 2]), positive: T([1, 2]), negative: T([[1, 2]]) }),
      'triplet_margin_loss: --anchor [2], --positive [2] and --negative [1, 2] must have the same number of dimensions'],
    ['triplet-margin: anchor and positive', () => run('triplet-margin', { anchor: T([[1, 2]]), positive: T([[1, 2, 3]]), negative: T([[1, 2]]) }),
      'pairwise_distance: --anchor (shape [1, 2]) and --positive (shape [1, 3]) do not broadcast (each dimension equal, or 1 in one of them)'],
    ['triplet-margin: anchor and negative', () => run('triplet-margin', { anchor: T([[1, 2]]), positive: T([[1, 2]]), negative: T([[1, 2, 3]]) }),
      'pairwise_distance: --anchor (shape [1, 2]) and --negative (shape [1, 3]) do not broadcast (each dimension equal, or 1 in one of them)'],
    ['triplet-margin: positive and negative with swap', () => run('triplet-margin', { anchor: T([[1]]), positive: T([[1, 2, 3]]), negative: T([[1, 2]]), swap: true }),
      'pairwise_distance: --positive (shape [1, 3]) and --negative (shape [1, 2]) do not broadcast (each dimension equal, or 1 in one of them)'],
    ['cosine-embedding: a matrix target', () => run('cosine-embedding', { input1: T([[1, 2]]), input2: T([[1, 2]]), target: T([[1]]) }),
      'cosine_embedding_loss: a vector --target [1, 1] needs matrices (N, D) as --input1 and --input2, got [1, 2] and [1, 2]'],
    ['cosine-embedding: a single-number target with matrices', () => run('cosine-embedding', { input1: T([[1, 2]]), input2: T([1, 2]), target: T(1) }),
      'cosine_embedding_loss: a single-number --target [] needs vectors as --input1 and --input2, got [1, 2] and [2]'],
    ['cosine-embedding: a matrix target with 3-d inputs', () => run('cosine-embedding', { input1: T([[[1, 2]]]), input2: T([[[1, 2]]]), target: T([[1]]) }),
      'cosine_embedding_loss: a vector --target [1, 1] needs matrices (N, D) as --input1 and --input2, got [1, 1, 2] and [1, 1, 2]'],
    ['cosine-embedding: input2 rank', () => run('cosine-embedding', { input1: T([[1, 2]]), input2: T([1, 2]), target: T([1]) }),
      'cosine_embedding_loss: a vector --target [1] needs matrices (N, D) as --input1 and --input2, got [1, 2] and [2]'],
  ])('%s', (_, f, message) => expect(errorOf(f)).toBe(message));
});

describe('scaled_dot_product_attention', () => {
  const Q = [[0.5, -1], [1, 0.2]];
  const K = [[0.3, 0.8], [-0.6, 1], [1, 1]];
  const Vv = (): Tensor => T([[1, 2], [-1, 0.5], [0, 3]]);
  const sdpa = (given: Record<string, RawArg>): Var => run('scaled-dot-product-attention', { query: T(Q), key: T(K), value: Vv(), ...given });

  test('the default scale 1/√E, with the gradients of Q and K', () => {
    const q = V(Q, 'Q');
    const k = V(K, 'K');
    const y = run('scaled-dot-product-attention', { query: q, key: k, value: Vv() });
    expectRef(y, 'att');
    const [gq, gk] = grads(y, [q, k], T([[1, 0], [0.5, -1]]));
    expectRef(gq, 'att_gq');
    expectRef(gk, 'att_gk');
  });

  test('a given scale, positive or negative', () => {
    expectRef(sdpa({ scale: 3 }), 'att_s3');
    expectRef(sdpa({ scale: -0.5 }), 'att_neg');
  });

  test('is_causal with fewer queries than keys is top-left aligned', () => {
    expectRef(sdpa({ is_causal: true }), 'att_causal');
  });

  test('a 0/1 mask is boolean; asking for a gradient, or holding other numbers, makes it a float mask', () => {
    expectRef(sdpa({ attn_mask: T([[1, 0, 0], [0, 1, 0]]) }), 'att_bool');
    expectRef(sdpa({ attn_mask: V([[1, 0, 0], [0, 1, 0]], 'M') }), 'att_float');
    expectRef(sdpa({ attn_mask: T([[1, 2, 0], [0, 1, 1]]) }), 'att_float2');
    expectRef(sdpa({ attn_mask: T([[0, 0, 0], [0, 0, 0]]) }), 'att'); // no 1: added zeros
  });

  test('a batched row masked everywhere gives zeros', () => {
    const y = run('scaled-dot-product-attention', {
      query: T([[[0.5, -1], [1, 0.2]], [[1, 1], [0, -2]]]),
      key: T([[[0.3, 0.8], [-0.6, 1]], [[1, 0], [2, 1]]]),
      value: T([[[1, 2], [-1, 0.5]], [[0, 3], [1, 1]]]),
      attn_mask: T([[1, 0], [0, 0]]),
    });
    expectRef(y, 'att_dead');
  });

  test('batched rows masked everywhere in different places per batch give zeros', () => {
    const y = run('scaled-dot-product-attention', {
      query: T([[[0.5, -1], [1, 0.2]], [[1, 1], [0, -2]]]),
      key: T([[[0.3, 0.8], [-0.6, 1]], [[1, 0], [2, 1]]]),
      value: T([[[1, 2], [-1, 0.5]], [[0, 3], [1, 1]]]),
      attn_mask: T([[[1, 1], [0, 0]], [[0, 0], [0, 1]]]),
    });
    expect(y.shape).toEqual([2, 2, 2]);
    expectClose(y.value, [[[0.22584777040241283, 1.4193858278018097], [0, 0]], [[0, 0], [1, 1]]]);
  });

  const shapes = (q: string, k: string, v: string): string => `(--query ${q}, --key ${k}, --value ${v})`;
  test.each([
    ['a vector query', () => run('scaled-dot-product-attention', { query: T([1, 2, 3, 4]), key: X24(), value: X24() }),
      `scaled_dot_product_attention: query, key and value need at least 2 dimensions (..., L or S, E) ${shapes('[4]', '[2, 4]', '[2, 4]')}`],
    ['a vector key', () => run('scaled-dot-product-attention', { query: X24(), key: T([1, 2, 3, 4]), value: X24() }),
      `scaled_dot_product_attention: query, key and value need at least 2 dimensions (..., L or S, E) ${shapes('[2, 4]', '[4]', '[2, 4]')}`],
    ['a vector value', () => run('scaled-dot-product-attention', { query: X24(), key: X24(), value: T([1, 2]) }),
      `scaled_dot_product_attention: query, key and value need at least 2 dimensions (..., L or S, E) ${shapes('[2, 4]', '[2, 4]', '[2]')}`],
    ['S of key and value', () => run('scaled-dot-product-attention', { query: X24(), key: X24(), value: T([[1, 2]]) }),
      `scaled_dot_product_attention: --key and --value must have the same number of keys S in dimension −2 ${shapes('[2, 4]', '[2, 4]', '[1, 2]')}`],
    ['enable_gqa without heads', () => run('scaled-dot-product-attention', { query: X24(), key: X24(), value: X24(), enable_gqa: true }),
      `scaled_dot_product_attention: enable_gqa needs heads in dimension −3, the number of --query's a multiple of --key's and --value's ${shapes('[2, 4]', '[2, 4]', '[2, 4]')}`],
    ['enable_gqa with 3 heads for 2', () => run('scaled-dot-product-attention', { query: T([[[1]], [[2]], [[3]]]), key: T([[[1]], [[2]]]), value: T([[[1]], [[2]]]), enable_gqa: true }),
      `scaled_dot_product_attention: enable_gqa needs heads in dimension −3, the number of --query's a multiple of --key's and --value's ${shapes('[3, 1, 1]', '[2, 1, 1]', '[2, 1, 1]')}`],
    ['a mask that broadcasts beyond the scores', () => run('scaled-dot-product-attention', { query: X24(), key: X24(), value: X24(), attn_mask: T([[[0, 0]], [[0, 0]]]) }),
      'scaled_dot_product_attention: --attn-mask (shape [2, 1, 2]) does not broadcast to the attention scores (shape [2, 2], (..., L, S))'],
  ])('%s', (_, f, message) => expect(errorOf(f)).toBe(message));
});
