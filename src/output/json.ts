/**
 * json: one object; numbers in shortest round-trip precision (or --precision digits);
 * non-finite numbers as the strings "NaN", "Infinity", "-Infinity".
 */
import { type Tensor, toNested } from '../tensor';
import type { Result } from '../compute';
import type { Params } from '../functions/types';
import { roundTo } from './numbers';

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

export function paramsForJson(params: Params): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) out[k] = v instanceof Float64Array ? Array.from(v) : v;
  return out;
}

export function formatJson(r: Result, precision?: number): string {
  const nested = (t: Tensor): unknown => toNested(t);
  const obj: Record<string, unknown> = { function: r.fn.name, params: paramsForJson(r.params), input: nested(r.input) };
  if (r.target) obj.target = nested(r.target);
  if (r.gradOutput) obj.grad_output = nested(r.gradOutput);
  obj.value = nested(r.value);
  if (r.grad) obj.grad = nested(r.grad);
  if (r.jacobian) obj.jacobian = nested(r.jacobian);
  return `${stringifyJson(obj, precision)}\n`;
}
