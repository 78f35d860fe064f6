/**
 * Elementwise functions of the expression language that are not actgrad commands. They are
 * ElementwiseFn descriptors like the registry's, so they go through the same apply().
 */
import { sgn } from '../math';
import type { ElementwiseFn } from '../functions/types';

const builtin = (name: string, torch: string, f: (x: number) => number, df: (x: number, y: number) => number, value: string, derivative: string): ElementwiseFn => ({
  kind: 'elementwise',
  name,
  summary: value,
  torch,
  params: [],
  formula: { value, derivative },
  kinks: '',
  example: `grad "${name}(x)" x=1`,
  f,
  df,
});

export const builtinElementwise: readonly ElementwiseFn[] = [
  builtin('exp', 'torch.exp(x)', Math.exp, (_x, y) => y, 'exp(x)', "exp'(x) = exp(x)"),
  builtin('log', 'torch.log(x)', Math.log, (x) => 1 / x, 'log(x)', "log'(x) = 1/x"),
  // PyTorch's sqrt backward is grad / (2·sqrt(x)): inf at 0.
  builtin('sqrt', 'torch.sqrt(x)', Math.sqrt, (_x, y) => 1 / (2 * y), 'sqrt(x)', "sqrt'(x) = 1/(2·sqrt(x))"),
  builtin('abs', 'torch.abs(x)', Math.abs, (x) => sgn(x), '|x|', "abs'(x) = sgn(x), 0 at 0"),
];
