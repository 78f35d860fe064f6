/**
 * The explicit list of every function actgrad computes. The CLI's subcommands, `list`, `explain`,
 * --help, completion, the man page and the README's table are all generated from this list;
 * nothing is discovered.
 */
import { layers } from './layers';
import { crossEntropy, multiMargin, nll } from './loss-class';
import { bce, bceWithLogits, hingeEmbedding, huber, klDiv, l1, mse, poissonNll, smoothL1, softMargin } from './loss-pointwise';
import { hardshrink, hardsigmoid, hardswish, hardtanh, leakyRelu, prelu, relu, relu6, softshrink, step, threshold } from './piecewise';
import { celu, elu, gelu, logsigmoid, mish, selu, sigmoid, silu, softplus, softsign, tanh, tanhshrink } from './smooth';
import { type Descriptor, namesOf } from './types';
import { glu, logSoftmax, logsumexp, norm, softmax, softmin } from './vector';

export const registry: readonly Descriptor[] = [
  // elementwise, in the contract's order
  step, sigmoid, tanh, relu, relu6, leakyRelu, prelu, elu, selu, celu, gelu, silu, mish, softplus, softsign,
  hardtanh, hardsigmoid, hardswish, logsigmoid, tanhshrink, softshrink, hardshrink, threshold,
  // vector
  softmax, logSoftmax, softmin, glu, logsumexp, norm,
  // losses
  mse, l1, smoothL1, huber, bce, bceWithLogits, crossEntropy, nll, klDiv, softMargin, hingeEmbedding, poissonNll, multiMargin,
  // layers, the losses that came with them, and the expression-only calls
  ...layers,
  // While the families are being ported, a name may not exist yet.
].filter((d): d is Descriptor => d !== undefined);

export { namesOf };

let byName: Map<string, Descriptor> | undefined;

export function lookup(name: string): Descriptor | undefined {
  if (!byName) {
    byName = new Map();
    for (const d of registry) for (const n of namesOf(d)) byName.set(n, d);
  }
  return byName.get(name) ?? byName.get(name.toLowerCase());
}

export function allNames(): string[] {
  return registry.flatMap(namesOf);
}
