/**
 * What the descriptors share: reading their arguments, the input and reduction arguments of
 * PyTorch's signatures, building elementwise and loss descriptors, and reducing losses.
 */
import { constant, mul } from '../autograd/elementwise';
import { mean, sum } from '../autograd/reduce';
import type { Var } from '../autograd/var';
import { type ArgSpec, ArgumentError, type Args, type ArgValue, type Descriptor } from './types';

export const tensor = (a: Args, name: string): Var => a[name] as Var;
export const optionalTensor = (a: Args, name: string): Var | null => (a[name] ?? null) as Var | null;
export const num = (a: Args, name: string): number => a[name] as number;
export const flag = (a: Args, name: string): boolean => a[name] as boolean;
export const choice = (a: Args, name: string): string => a[name] as string;
export const ints = (a: Args, name: string): readonly number[] => {
  const v = a[name];
  return typeof v === 'number' ? [v] : (v as readonly number[]);
};

/** A tensor argument's values, for kernels (a weight vector, a target). */
export const valuesOf = (v: ArgValue): Float64Array => (v as Var).value.data;

export const INPUT: ArgSpec = { name: 'input', type: 'tensor', doc: 'the input' };

/** size_average and reduce: positional slots of PyTorch's loss signatures, None only. */
export const LEGACY_REDUCTION: readonly ArgSpec[] = [
  { name: 'size_average', type: 'boolean', default: null, legacy: true, doc: 'deprecated (use reduction)' },
  { name: 'reduce', type: 'boolean', default: null, legacy: true, doc: 'deprecated (use reduction)' },
];

export const reductionArg = (extra: readonly string[] = []): ArgSpec => ({
  name: 'reduction',
  type: 'choice',
  default: 'mean',
  choices: ['mean', 'sum', 'none', ...extra],
  doc: 'how the losses are combined: mean, sum, or none (one loss per element or row)',
});

type ElementwiseSpec = Omit<Descriptor, 'kind' | 'args' | 'structure' | 'forward'> & {
  /** the parameters after the input, in PyTorch's order */
  params?: readonly ArgSpec[];
  forward(x: Var, a: Args): Var;
};

/** An elementwise function f(input, params...): structure 'elementwise'. */
export function elementwise(spec: ElementwiseSpec): Descriptor {
  const { params = [], forward, ...rest } = spec;
  return { ...rest, kind: 'elementwise', structure: 'elementwise', args: [INPUT, ...params], forward: (a) => forward(tensor(a, 'input'), a) };
}

/** Σ, mean or none of unreduced losses (for losses that PyTorch composes from other ops). */
export function reduceLosses(losses: Var, reduction: string): Var {
  if (reduction === 'sum') return sum(losses);
  if (reduction === 'mean') return mean(losses);
  return losses;
}

/** The input and target must have the same number of elements (PyTorch broadcasts only with a warning). */
export function sameSizeTarget(x: Var, t: Var): void {
  const n = x.value.data.length;
  const m = t.value.data.length;
  if (n !== m) {
    throw new ArgumentError((name) => `${name('target')} has ${m} number${m === 1 ? '' : 's'}, ${name('input')} has ${n}${shapesNote(x, t)}`);
  }
}

const shapesNote = (x: Var, t: Var): string =>
  x.shape.length > 1 || t.shape.length > 1 ? ` (shapes [${t.shape.join(', ')}] and [${x.shape.join(', ')}])` : '';

/** A scalar constant as a Var (kernels' parameters that appear in backward formulas). */
export const scalarConst = (x: number): Var => constant(x);
export { mul };
