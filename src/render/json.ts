/**
 * json: one object; numbers in shortest round-trip precision (or --precision digits);
 * non-finite numbers as the strings "NaN", "Infinity", "-Infinity".
 */
import type { FunctionResult, GradResult, ParamShown } from '../result';
import { type Tensor, toNested } from '../tensor';
import { roundTo } from './format';

/** JSON.stringify with non-finite numbers as strings and typed arrays as arrays. */
export function stringifyJson(value: unknown, precision?: number): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number') {
      if (Number.isNaN(v)) return 'NaN';
      if (v === Infinity) return 'Infinity';
      if (v === -Infinity) return '-Infinity';
      return roundTo(v, precision);
    }
    if (v instanceof Float64Array) return Array.from(v);
    return v;
  });
}

const isTensor = (v: ParamShown): v is Tensor => typeof v === 'object' && v !== null && 'data' in v;
const shown = (v: ParamShown): unknown => (isTensor(v) ? toNested(v) : v);

/** The object `--json` prints (and the library's evaluate returns, numbers as numbers). */
export function functionObject(r: FunctionResult): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r.params)) if (k !== 'target') params[k] = shown(v);
  const obj: Record<string, unknown> = { function: r.fn.name, params, input: toNested(r.input) };
  if (r.params.target !== undefined) obj.target = shown(r.params.target);
  if (r.gradOutput) obj.grad_output = toNested(r.gradOutput);
  obj.value = toNested(r.value);
  if (r.order !== undefined) obj.order = r.order;
  if (r.grad) obj.grad = toNested(r.grad);
  if (r.jacobian) obj.jacobian = toNested(r.jacobian);
  if (r.hessian) obj.hessian = toNested(r.hessian);
  if (r.hvp) obj.hvp = toNested(r.hvp);
  if (r.jvp) obj.jvp = toNested(r.jvp);
  return obj;
}

const byName = (pairs: [string, Tensor][]): Record<string, unknown> => Object.fromEntries(pairs.map(([k, t]) => [k, toNested(t)]));

export function gradObject(r: GradResult): Record<string, unknown> {
  const obj: Record<string, unknown> = { expression: r.expression, at: byName(r.at), value: toNested(r.value) };
  if (r.gradOutput) obj.grad_output = toNested(r.gradOutput);
  if (r.grads) obj.grad = byName(r.grads);
  if (r.jacobians) obj.jacobian = byName(r.jacobians);
  if (r.hessian) obj.hessian = { wrt: r.hessian.wrt, variables: r.hessian.variables, matrix: toNested(r.hessian.matrix) };
  if (r.hvp) obj.hvp = toNested(r.hvp);
  if (r.symbolic) obj.symbolic = Object.fromEntries(r.symbolic);
  if (r.noGradient?.length) obj.no_gradient = Object.fromEntries(r.noGradient);
  return obj;
}
