/**
 * Max and average pooling over 1 or 2 spatial dimensions, as `take` over the windows of
 * windows.ts: max pooling takes the element PyTorch's kernel selects (the first maximum of the
 * window in row-major order; a NaN wins), so its gradient goes to that element alone; average
 * pooling sums each window and divides by PyTorch's divisor (aten/src/ATen/native/cpu/AvgPoolKernel.cpp).
 */
import { constant, div } from '../../autograd/elementwise';
import { sum } from '../../autograd/reduce';
import { reshape, take } from '../../autograd/shape';
import type { Var } from '../../autograd/var';
import { numel } from '../../tensor';
import { flag } from '../common';
import type { ArgSpec, Args } from '../types';
import { fail, layer, shapeOf, tuple } from './shared';
import { outputSize, type Windows, windowTable } from './windows';

const DIM_NAMES = ['L', 'H, W'];

interface Pooling {
  /** the input as (B, *spatial): every leading dimension (batch, channels) flattened */
  planes: Var;
  windows: Windows;
  /** the output's shape: the input's leading dimensions, then the output's spatial size */
  outShape: number[];
}

/**
 * The geometry of a pooling over the last `d` dimensions: (C, *spatial) or (N, C, *spatial) as
 * PyTorch, or a plain vector/matrix as one channel. PyTorch's checks: positive kernel, stride and
 * dilation; padding at most half the effective (dilated) kernel; a non-empty output.
 */
function pooling(fn: string, d: number, x: Var, a: Args, dilated: boolean): Pooling {
  if (x.shape.length < d || x.shape.length > d + 2) {
    fail((name) => `${fn}: ${name('input')} (shape ${shapeOf(x)}) must be (C, ${DIM_NAMES[d - 1]}) or (N, C, ${DIM_NAMES[d - 1]}), or a plain ${d === 1 ? 'vector' : 'matrix'} as one channel`);
  }
  const kernel = tuple(fn, a, 'kernel_size', d);
  const stride = tuple(fn, a, 'stride', d, kernel);
  const padding = tuple(fn, a, 'padding', d);
  const dilation = dilated ? tuple(fn, a, 'dilation', d) : new Array<number>(d).fill(1);
  for (const [arg, values] of [['kernel_size', kernel], ['stride', stride], ['dilation', dilation]] as const) {
    if (values.some((v) => v < 1)) fail((name) => `${fn}: ${name(arg)} must be positive, got ${values.join(', ')}`);
  }
  padding.forEach((p, i) => {
    // Pool.h pooling_output_shape: pad ≤ ((kernel − 1)·dilation + 1)/2, half the effective kernel.
    const span = (kernel[i] - 1) * dilation[i] + 1;
    if (p < 0 || p > Math.floor(span / 2)) {
      fail((name) => `${fn}: ${name('padding')} ${p} must be between 0 and half the ${dilation[i] > 1 ? `effective kernel size ${span}` : `kernel size ${span}`} (at most ${Math.floor(span / 2)}), as PyTorch requires`);
    }
  });
  const leading = x.shape.slice(0, x.shape.length - d);
  const size = x.shape.slice(x.shape.length - d);
  const ceilMode = flag(a, 'ceil_mode');
  const output = size.map((s, i) => outputSize(s, kernel[i], padding[i], padding[i], stride[i], dilation[i], ceilMode));
  if (output.some((o) => o < 1)) {
    fail((name) => `${fn}: ${name('input')} (shape ${shapeOf(x)}) is too small for the kernel ${kernel.join('×')}${dilated && dilation.some((v) => v > 1) ? ` with dilation ${dilation.join(', ')}` : ''} and padding ${padding.join(', ')}: the output would be empty`);
  }
  return {
    planes: reshape(x, [numel(leading), ...size]),
    windows: { input: size, kernel, stride, padBefore: padding, dilation, output },
    outShape: [...leading, ...output],
  };
}

/** For each plane and output position, the flat index of the element max pooling selects. */
function argmaxIndex(fn: string, planes: Var, windows: Windows): Int32Array {
  const table = windowTable(windows);
  const K = numel(windows.kernel);
  const P = numel(windows.output);
  const S = numel(windows.input);
  const B = planes.shape[0];
  const data = planes.value.data;
  const index = new Int32Array(B * P);
  for (let b = 0; b < B; b++) {
    for (let p = 0; p < P; p++) {
      // PyTorch's kernel: start at the window's first element inside the input with max = -inf,
      // and move on only for a larger value or a NaN (so the first maximum wins, and a NaN).
      let best = -1;
      let max = -Infinity;
      for (let k = 0; k < K; k++) {
        const s = table[p * K + k];
        if (s < 0) continue;
        const v = data[b * S + s];
        if (best < 0) best = b * S + s;
        if (v > max || v !== v) {
          max = v;
          best = b * S + s;
        }
      }
      if (best < 0) fail(() => `${fn}: a pooling window lies entirely in the padding (the dilation skips every input element)`);
      index[b * P + p] = best;
    }
  }
  return index;
}

const KERNEL_SIZE: ArgSpec = { name: 'kernel_size', type: 'ints', doc: 'the size of the window' };
const STRIDE: ArgSpec = { name: 'stride', type: 'ints', default: null, doc: 'the step between windows (default: kernel_size)' };
const PADDING: ArgSpec = { name: 'padding', type: 'ints', default: 0, doc: 'implicit padding on both sides (at most half the kernel size)' };
const CEIL_MODE: ArgSpec = { name: 'ceil_mode', type: 'boolean', default: false, doc: 'round the number of windows up (a last partial window)' };

const shapesNote = (d: number): string =>
  `The input is (C, ${DIM_NAMES[d - 1]}) or (N, C, ${DIM_NAMES[d - 1]}); a plain ${d === 1 ? 'vector' : 'matrix'} is one channel (actgrad's addition), and the output is then plain too.`;

function maxPool(d: number) {
  const fn = `max_pool${d}d`;
  return layer({
    name: `max-pool${d}d`,
    summary: `maximum over each window of ${d === 1 ? 'a signal' : 'an image'}`,
    torch: `torch.nn.functional.max_pool${d}d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False)`,
    params: [
      KERNEL_SIZE,
      STRIDE,
      PADDING,
      { name: 'dilation', type: 'ints', default: 1, doc: 'the spacing between window elements' },
      CEIL_MODE,
      { name: 'return_indices', type: 'boolean', default: false, doc: 'also return the indices (refused: actgrad returns one tensor)' },
    ],
    formula: { value: 'y = max of the window (padding is −inf)', derivative: '∂y/∂x = 1 at the selected element of each window, 0 elsewhere' },
    kinks:
      "Ties: the first maximum of the window in row-major order gets the gradient, as PyTorch's kernel selects it; a NaN in the " +
      'window is selected (the last one). Elements in several windows add up their gradients. The second derivative is 0. ' +
      `return_indices=True is refused (the indices are not differentiable; actgrad returns the values). ${shapesNote(d)}`,
    example: d === 1 ? 'max-pool1d "1 -2 0.5 3; 4 0 -1 2" --kernel-size 2 --grad' : 'max-pool2d "1 -2 0.5 3; 4 0 -1 2; -3 1 2 -0.5; 0.5 -1 1.5 2.5" --kernel-size 2 --grad',
    check(a) {
      if (a.return_indices === true) fail((name) => `${fn}: ${name('return_indices')}=True returns a tuple (values, indices); actgrad computes the values (return_indices=False)`);
    },
    forward(x, a) {
      const { planes, windows, outShape } = pooling(fn, d, x, a, true);
      return take(planes, argmaxIndex(fn, planes, windows), outShape, planes.shape);
    },
  });
}

/** PyTorch's divisor of each window: divisor_override, else the window's size within the padded input (count_include_pad) or within the input. */
function divisors(windows: Windows, countIncludePad: boolean, override: number | null): Float64Array {
  const P = numel(windows.output);
  const out = new Float64Array(P);
  const dims = windows.input.length;
  for (let p = 0; p < P; p++) {
    let rest = p;
    let padded = 1;
    let inside = 1;
    for (let i = dims - 1; i >= 0; i--) {
      const o = rest % windows.output[i];
      rest = Math.floor(rest / windows.output[i]);
      const start = o * windows.stride[i] - windows.padBefore[i];
      const end = Math.min(start + windows.kernel[i], windows.input[i] + windows.padBefore[i]);
      padded *= end - start;
      inside *= Math.max(0, Math.min(end, windows.input[i]) - Math.max(start, 0));
    }
    // A window with nothing inside the input is 0 in PyTorch; its (empty) sum divided by 1 is too.
    out[p] = override ?? (inside === 0 ? 1 : countIncludePad ? padded : inside);
  }
  return out;
}

function avgPool(d: number) {
  const fn = `avg_pool${d}d`;
  const params: ArgSpec[] = [KERNEL_SIZE, STRIDE, PADDING, CEIL_MODE, { name: 'count_include_pad', type: 'boolean', default: true, doc: 'count the zero padding in the divisor' }];
  if (d === 2) params.push({ name: 'divisor_override', type: 'int', default: null, doc: 'divide every window by this number instead' });
  return layer({
    name: `avg-pool${d}d`,
    summary: `mean over each window of ${d === 1 ? 'a signal' : 'an image'}`,
    torch:
      d === 1
        ? 'torch.nn.functional.avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True)'
        : 'torch.nn.functional.avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None)',
    params,
    formula: {
      value: 'y = (Σ of the window) / divisor: the window size (count_include_pad), the number of input elements in it, or divisor_override',
      derivative: '∂y/∂x = 1/divisor for each element of the window (zero padding gets nothing)',
    },
    kinks: `Linear: no kinks, second derivative 0. With ceil_mode a last partial window counts only up to the padded input's end, as in PyTorch. ${shapesNote(d)}`,
    example: d === 1 ? 'avg-pool1d "1 -2 0.5 3; 4 0 -1 2" --kernel-size 2 --jacobian' : 'avg-pool2d "1 -2 0.5 3; 4 0 -1 2; -3 1 2 -0.5; 0.5 -1 1.5 2.5" --kernel-size 2 --grad',
    check(a) {
      if (a.divisor_override === 0) fail((name) => `${fn}: ${name('divisor_override')} must not be 0`);
    },
    forward(x, a) {
      const { planes, windows, outShape } = pooling(fn, d, x, a, false);
      const table = windowTable(windows);
      const B = planes.shape[0];
      const S = numel(windows.input);
      const index = new Int32Array(B * table.length);
      for (let b = 0; b < B; b++) for (let t = 0; t < table.length; t++) index[b * table.length + t] = table[t] < 0 ? -1 : b * S + table[t];
      const P = numel(windows.output);
      const windowSums = sum(take(planes, index, [B, P, numel(windows.kernel)], planes.shape), 2);
      const divisor = constant({ shape: [P], data: divisors(windows, flag(a, 'count_include_pad'), (a.divisor_override as number | null) ?? null) });
      return reshape(div(windowSums, divisor), outShape);
    },
  });
}

export const maxPool1d = maxPool(1);
export const maxPool2d = maxPool(2);
export const avgPool1d = avgPool(1);
export const avgPool2d = avgPool(2);
