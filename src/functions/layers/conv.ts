/**
 * conv1d and conv2d as im2col followed by a matrix product (PyTorch's slow_conv2d on the CPU does
 * the same): `take` gathers every window of the input into columns (index -1 is the zero padding),
 * and one matmul per group applies the kernel. The gradients with respect to the input, the
 * kernel and the bias, and every second derivative, come from take's and matmul's backward.
 */
import { add } from '../../autograd/elementwise';
import { matmul } from '../../autograd/linalg';
import { reshape, take } from '../../autograd/shape';
import type { Var } from '../../autograd/var';
import { numel } from '../../tensor';
import { num, optionalTensor, tensor } from '../common';
import type { ArgSpec, Args, Descriptor } from '../types';
import { checkShape, fail, shapeOf, tuple } from './shared';
import { outputSize, type Windows, windowTable } from './windows';

const DIM_NAMES = ['L', 'H, W'];

/** The padding before and after each dimension: numbers, 'valid' (none) or 'same' (the output keeps the input's size). */
function paddings(fn: string, a: Args, kernel: number[], dilation: number[], stride: number[]): { before: number[]; after: number[] } {
  const d = kernel.length;
  const padding = a.padding;
  if (padding === 'valid') return { before: new Array<number>(d).fill(0), after: new Array<number>(d).fill(0) };
  if (padding === 'same') {
    if (stride.some((s) => s !== 1)) fail((name) => `${fn}: ${name('padding')}='same' needs stride 1 (got stride ${stride.join(', ')}), as in PyTorch`);
    // _convolution_same: total dilation·(k − 1), the odd one extra on the right.
    const total = kernel.map((k, i) => dilation[i] * (k - 1));
    return { before: total.map((t) => Math.floor(t / 2)), after: total.map((t) => t - Math.floor(t / 2)) };
  }
  const pads = tuple(fn, a, 'padding', d);
  if (pads.some((p) => p < 0)) fail((name) => `${fn}: ${name('padding')} must not be negative, got ${pads.join(', ')}`);
  return { before: pads, after: pads };
}

/**
 * The convolution of (N, C_in, *spatial) by (C_out, C_in/groups, *kernel) with `d` spatial
 * dimensions, with the shapes PyTorch accepts plus a plain vector/matrix as one channel and as a
 * one-channel kernel.
 */
function convolution(fn: string, d: number, a: Args): Var {
  const x = tensor(a, 'input');
  const w = tensor(a, 'weight');
  const plainInput = x.shape.length === d;
  const plainKernel = w.shape.length === d;
  if (x.shape.length < d || x.shape.length > d + 2) {
    fail((name) => `${fn}: ${name('input')} (shape ${shapeOf(x)}) must be (C, ${DIM_NAMES[d - 1]}) or (N, C, ${DIM_NAMES[d - 1]}), or a plain ${d === 1 ? 'vector' : 'matrix'} as one channel`);
  }
  if (!plainKernel && w.shape.length !== d + 2) {
    fail((name) => `${fn}: ${name('weight')} (shape ${shapeOf(w)}) must be (C_out, C_in/groups, ${d === 1 ? 'kW' : 'kH, kW'}), or a plain ${d === 1 ? 'vector' : 'matrix'} as a one-channel kernel`);
  }
  const X = plainInput ? reshape(x, [1, 1, ...x.shape]) : x.shape.length === d + 1 ? reshape(x, [1, ...x.shape]) : x;
  const W = plainKernel ? reshape(w, [1, 1, ...w.shape]) : w;
  const [n, channels] = X.shape;
  const [outChannels, groupChannels] = W.shape;
  const groups = num(a, 'groups');
  if (groups < 1 || outChannels % groups !== 0) {
    fail((name) => `${fn}: ${name('groups')}=${groups} must divide the ${outChannels} output channels of ${name('weight')} (shape ${shapeOf(w)}, dimension 0)`);
  }
  if (channels !== groupChannels * groups) {
    fail((name) => `${fn}: ${name('input')} (shape ${shapeOf(x)}) has ${channels} channel${channels === 1 ? '' : 's'}, but ${name('weight')} (shape ${shapeOf(w)}) with groups=${groups} expects ${groupChannels * groups} (groups × weight's dimension 1)`);
  }
  const bias = optionalTensor(a, 'bias');
  checkShape(fn, 'bias', bias, [outChannels], 'one number per output channel');

  const kernel = W.shape.slice(2);
  const stride = tuple(fn, a, 'stride', d);
  const dilation = tuple(fn, a, 'dilation', d);
  if (stride.some((s) => s < 1)) fail((name) => `${fn}: ${name('stride')} must be positive, got ${stride.join(', ')}`);
  if (dilation.some((s) => s < 1)) fail((name) => `${fn}: ${name('dilation')} must be positive, got ${dilation.join(', ')}`);
  const { before, after } = paddings(fn, a, kernel, dilation, stride);
  const size = X.shape.slice(2);
  size.forEach((s, i) => {
    const padded = s + before[i] + after[i];
    const span = dilation[i] * (kernel[i] - 1) + 1;
    if (span > padded) {
      fail((name) => `${fn}: the kernel (size ${span}${dilation[i] > 1 ? ` with dilation ${dilation[i]}` : ''}) is larger than the padded ${name('input')} (size ${padded} = ${s} + padding ${before[i] + after[i]}) in spatial dimension ${i + 1} of ${shapeOf(x)}`);
    }
  });
  const windows: Windows = {
    input: size,
    kernel,
    stride,
    padBefore: before,
    dilation,
    output: size.map((s, i) => outputSize(s, kernel[i], before[i], after[i], stride[i], dilation[i])),
  };

  // cols[n, g, c·K + k, p] = X[n, g·C_g + c, window p at offset k]: one matrix per (sample, group).
  const table = windowTable(windows);
  const K = numel(kernel);
  const P = numel(windows.output);
  const S = numel(size);
  const index = new Int32Array(n * channels * K * P);
  let at = 0;
  for (let b = 0; b < n; b++) {
    for (let c = 0; c < channels; c++) {
      const base = (b * channels + c) * S;
      for (let k = 0; k < K; k++) {
        for (let p = 0; p < P; p++) {
          const s = table[p * K + k];
          index[at++] = s < 0 ? -1 : base + s;
        }
      }
    }
  }
  const cols = take(X, index, [n, groups, groupChannels * K, P]);
  const kernels = reshape(W, [groups, outChannels / groups, groupChannels * K]);
  let y = reshape(matmul(kernels, cols), [n, outChannels, ...windows.output]);
  if (bias) y = add(y, reshape(bias, [outChannels, ...new Array<number>(d).fill(1)]));
  if (plainInput) return reshape(y, plainKernel ? windows.output : [outChannels, ...windows.output]);
  return x.shape.length === d + 1 ? reshape(y, y.shape.slice(1)) : y;
}

const convArgs = (d: number): ArgSpec[] => [
  { name: 'input', type: 'tensor', doc: `the input (C, ${DIM_NAMES[d - 1]}) or (N, C, ${DIM_NAMES[d - 1]}); a plain ${d === 1 ? 'vector' : 'matrix'} is one channel` },
  { name: 'weight', type: 'tensor', doc: `the kernels (C_out, C_in/groups, ${d === 1 ? 'kW' : 'kH, kW'}); a plain ${d === 1 ? 'vector' : 'matrix'} is one kernel`, expressionOnly: true },
  { name: 'bias', type: 'tensor', default: null, doc: 'one number per output channel', expressionOnly: true },
  { name: 'stride', type: 'ints', default: 1, doc: 'the step between windows' },
  { name: 'padding', type: 'ints', default: 0, choices: ['valid', 'same'], doc: "zeros added on both sides, or 'valid' (none) or 'same' (output as large as the input; stride 1)" },
  { name: 'dilation', type: 'ints', default: 1, doc: 'the spacing between kernel elements' },
  { name: 'groups', type: 'int', default: 1, doc: 'split the channels into groups convolved separately (it divides C_in and C_out)' },
];

const convKinks = (d: number): string =>
  `Linear in the input and in the weight: no kinks; second derivatives are the cross terms between them. This is PyTorch's ` +
  `cross-correlation (the kernel is not flipped). Beyond PyTorch's shapes, a plain ${d === 1 ? 'vector' : 'matrix'} input is one channel ` +
  `(and a plain ${d === 1 ? 'vector' : 'matrix'} kernel one input and one output channel; with both plain the output is plain too). ` +
  "padding='same' pads dilation·(k − 1) in total, the odd element on the right, as PyTorch. Input, weight and bias get gradients.";

export const conv1d: Descriptor = {
  name: 'conv1d',
  kind: 'call',
  summary: '1-d convolution (cross-correlation) of (N, C_in, L) by (C_out, C_in/groups, kW)',
  torch: 'torch.nn.functional.conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1)',
  args: convArgs(1),
  formula: {
    value: 'y[n, o, l] = b[o] + Σ_c Σ_k w[o, c, k]·x[n, g·C_g + c, l·stride − pad + k·dilation]',
    derivative: '∂L/∂x = the kernel slid back over ∂L/∂y (a transposed convolution);  ∂L/∂w[o, c, k] = Σ_n Σ_l ∂L/∂y[n, o, l]·x[..., l·stride − pad + k·dilation];  ∂L/∂b = Σ ∂L/∂y',
  },
  kinks: convKinks(1),
  example: 'grad "F.conv1d(x, w).sum()" x=1,2,-1,0.5,3 w=0.2,-0.5,1',
  forward: (a) => convolution('conv1d', 1, a),
};

export const conv2d: Descriptor = {
  name: 'conv2d',
  kind: 'call',
  summary: '2-d convolution (cross-correlation) of (N, C_in, H, W) by (C_out, C_in/groups, kH, kW)',
  torch: 'torch.nn.functional.conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1)',
  args: convArgs(2),
  formula: {
    value: 'y[n, o, i, j] = b[o] + Σ_c Σ_{p,q} w[o, c, p, q]·x[n, g·C_g + c, i·s_H − pad_H + p·d_H, j·s_W − pad_W + q·d_W]',
    derivative: '∂L/∂x = the kernel slid back over ∂L/∂y (a transposed convolution);  ∂L/∂w = Σ over samples and positions of ∂L/∂y times the window;  ∂L/∂b = Σ ∂L/∂y',
  },
  kinks: convKinks(2),
  example: 'grad "F.conv2d(X, K, padding=1).sum()" X="1 2 0; -1 0.5 1; 2 -2 1" K="0 1; -1 0.5"',
  forward: (a) => convolution('conv2d', 2, a),
};
