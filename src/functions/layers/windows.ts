/**
 * Sliding windows over the spatial dimensions, shared by convolution (im2col) and pooling: the
 * output size (aten/src/ATen/native/Pool.h pooling_output_shape; ConvUtils.h for convolution, which
 * has no ceil mode) and, for every output position and kernel offset, the input element it reads
 * (-1 in the padding, which `take` reads as 0).
 */
import { numel, stridesOf } from '../../tensor';

export interface Windows {
  /** the input's spatial size */
  input: number[];
  kernel: number[];
  stride: number[];
  /** padding before the first element of each dimension (the padding after only bounds the output size) */
  padBefore: number[];
  dilation: number[];
  /** the output's spatial size */
  output: number[];
}

/**
 * Output positions along one dimension: ⌊(size + pads − dilation·(kernel − 1) − 1)/stride⌋ + 1, or
 * with ceil_mode rounded up, dropping a last window that would start in the right padding.
 */
export function outputSize(size: number, kernel: number, padBefore: number, padAfter: number, stride: number, dilation: number, ceilMode = false): number {
  const span = size + padBefore + padAfter - dilation * (kernel - 1) - 1;
  let out = Math.floor((span + (ceilMode ? stride - 1 : 0)) / stride) + 1;
  if (ceilMode && (out - 1) * stride >= size + padBefore) out--;
  return out;
}

/** Coordinates of the flat index i in a row-major shape. */
function unravel(i: number, shape: readonly number[], out: number[]): void {
  for (let d = shape.length - 1; d >= 0; d--) {
    out[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
}

/**
 * table[p·K + k]: the flat spatial index (within one channel) that output position p reads at
 * kernel offset k, both row-major, or -1 where the window lies in the padding.
 */
export function windowTable(w: Windows): Int32Array {
  const P = numel(w.output);
  const K = numel(w.kernel);
  const dims = w.input.length;
  const inStrides = stridesOf(w.input);
  const table = new Int32Array(P * K);
  const o = new Array<number>(dims);
  const k = new Array<number>(dims);
  for (let p = 0; p < P; p++) {
    unravel(p, w.output, o);
    for (let q = 0; q < K; q++) {
      unravel(q, w.kernel, k);
      let flat = 0;
      for (let d = 0; d < dims && flat >= 0; d++) {
        const at = o[d] * w.stride[d] - w.padBefore[d] + k[d] * w.dilation[d];
        flat = at < 0 || at >= w.input[d] ? -1 : flat + at * inStrides[d];
      }
      table[p * K + q] = flat;
    }
  }
  return table;
}
