/**
 * What the layer descriptors share: the layer builder, errors that name arguments, tuple arguments
 * expanded as PyTorch expands them (kernel_size=2 is (2, 2) for a 2-d pool), integer tensors
 * (indices, lengths) checked, the normalisation every norm layer is made of, and a primitive op
 * PyTorch's composite losses use that the engine does not have: a clamp the gradient passes
 * through (PyTorch's clamp_ under no_grad).
 */
import { add, constant, mul, rsqrt, sub } from '../../autograd/elementwise';
import { mean } from '../../autograd/reduce';
import { reshape } from '../../autograd/shape';
import { apply, type Op, type Var } from '../../autograd/var';
import { shapeText } from '../../tensor';
import { INPUT, ints, optionalTensor, tensor } from '../common';
import { type ArgSpec, type Args, ArgumentError, type CallContext, type Descriptor } from '../types';

type LayerSpec = Omit<Descriptor, 'kind' | 'args' | 'forward'> & {
  /** the arguments after the input, in PyTorch's order */
  params: readonly ArgSpec[];
  forward(x: Var, a: Args, ctx: CallContext): Var;
};

/** A layer: one input tensor (a CLI command), its other arguments as flags. */
export function layer(spec: LayerSpec): Descriptor {
  const { params, forward, ...rest } = spec;
  return { ...rest, kind: 'layer', args: [INPUT, ...params], forward: (a, ctx) => forward(tensor(a, 'input'), a, ctx) };
}

/** Throws an ArgumentError whose message names arguments through `name` (the CLI's flag or the expression's name). */
export function fail(compose: (name: (arg: string) => string) => string): never {
  throw new ArgumentError(compose);
}

/** Shape of a Var for messages: `[2, 4]`. */
export const shapeOf = (v: Var): string => shapeText(v.shape);

/**
 * An int-or-tuple argument (kernel_size, stride, padding, dilation) as `n` numbers: one number is
 * used for every dimension, as PyTorch's _single/_pair do; `fallback` when it is None or empty.
 */
export function tuple(fn: string, a: Args, arg: string, n: number, fallback?: readonly number[]): number[] {
  const v = a[arg];
  if ((v === null || (Array.isArray(v) && v.length === 0)) && fallback) return fallback.slice();
  const list = ints(a, arg);
  if (list.length === 1) return new Array<number>(n).fill(list[0]);
  if (list.length === n) return list.slice();
  return fail((name) => `${fn}: ${name(arg)} takes 1${n > 1 ? ` or ${n}` : ''} number${n > 1 ? 's' : ''}, not ${list.length} ([${list.join(', ')}])`);
}

/** Reports a tensor PyTorch computes no gradient for, when it was given one that asks for a gradient. */
export function noGradientFor(ctx: CallContext, v: Var | null, reason: string): void {
  if (v && v.requiresGrad) ctx.noGradient(v, reason);
}

/** The values of an integer tensor (indices, lengths), checked to be whole numbers. */
export function wholeNumbers(fn: string, arg: string, v: Var): Int32Array {
  const d = v.value.data;
  const out = new Int32Array(d.length);
  for (let i = 0; i < d.length; i++) {
    if (!Number.isInteger(d[i])) fail((name) => `${fn}: ${name(arg)} holds integers (indices), but has ${d[i]} at position ${i}`);
    out[i] = d[i];
  }
  return out;
}

/** A tensor argument that must have exactly `shape` (a weight, a bias, a running statistic). */
export function checkShape(fn: string, arg: string, v: Var | null, shape: readonly number[], rule: string): void {
  if (v && shapeText(v.shape) !== shapeText(shape)) {
    fail((name) => `${fn}: ${name(arg)} has shape ${shapeOf(v)}, but must have shape ${shapeText(shape)} (${rule})`);
  }
}

/**
 * (x − mean)/sqrt(var + eps) over `dims`, with the biased variance (divisor N) and eps inside the
 * square root: the normalisation of layer_norm, batch_norm (training), instance_norm and
 * group_norm (aten/src/ATen/native/cpu/layer_norm_kernel.cpp, batch_norm_kernel.cpp,
 * group_norm_kernel.cpp: rstd = 1/sqrt(var + eps)).
 */
export function standardize(x: Var, dims: readonly number[], eps: number): Var {
  const centred = sub(x, mean(x, dims, true));
  const variance = mean(mul(centred, centred), dims, true);
  return mul(centred, rsqrt(add(variance, eps)));
}

/** y·weight + bias, the arguments weight and bias (None or a tensor) reshaped to `shape` to broadcast against y. */
export function affine(y: Var, a: Args, shape: readonly number[]): Var {
  const w = optionalTensor(a, 'weight');
  const b = optionalTensor(a, 'bias');
  const scaled = w ? mul(y, reshape(w, shape)) : y;
  return b ? add(scaled, reshape(b, shape)) : scaled;
}

/** A Var's values as a constant: running statistics and masks take part in the value only. */
export const detached = (v: Var): Var => (v.requiresGrad ? constant(v.value) : v);

// ---------------------------------------------------------------------------------------------
// clamp_min under no_grad
// ---------------------------------------------------------------------------------------------

/**
 * max(x, min) whose gradient passes through unchanged: PyTorch clamps a clone in place under
 * torch.no_grad (gaussian_nll_loss's var, cosine_similarity's norms), so autograd sees the
 * clone's identity backward while the value is clamped.
 */
const clampMinPassThroughOp: Op<{ min: number }> = {
  name: 'clamp_min_ (no_grad)',
  forward: ([x], { min }) => ({ shape: x.shape, data: x.data.map((v) => (v !== v ? v : Math.max(v, min))) }),
  backward: (g) => [g],
  rule: (G) => `${G} (the clamp is not differentiated)`,
};

export const clampMinPassThrough = (x: Var, min: number): Var => apply(clampMinPassThroughOp, [x], { min });
