/**
 * actgrad as a library: the same core the command line calls. Results are the objects that
 * `--json` prints, with numbers as numbers (NaN and ±Infinity included). Bad input throws an
 * ActgradError with the command line's message.
 *
 *   const { evaluate, grad } = require('actgrad');
 *   evaluate('softmax', [2, 1, 0.1], { jacobian: true }).jacobian;
 *   grad('F.mse_loss(x*w + b, y)', { x: 1, w: 2, b: 0, y: 1 }).grad.w;   // 2
 */
import { computeFunction } from './commands/function';
import { ActgradError, UsageError } from './errors';
import { builtinsListObject, explainBuiltin, explainText, listObject } from './commands/explain';
import type { RawArg } from './functions/args';
import { lookup } from './functions/registry';
import { ArgumentError } from './functions/types';
import { functionObject, gradObject } from './render/json';
import { fromNested, type Tensor } from './tensor';

export { ActgradError };

/** A number, or nested arrays of numbers (a vector, a matrix, a tensor of any rank). */
export type Numbers = number | readonly Numbers[] | Float64Array;
/** Nested arrays as they come out: a scalar, a vector, a matrix, ... */
export type Nested = number | Nested[];

export interface EvaluateOptions {
  /** the function's parameters by PyTorch keyword name (reduction, negative_slope, weight, dim, ...) */
  params?: Record<string, Numbers | boolean | string | null>;
  /** a loss's target */
  target?: Numbers;
  grad?: boolean;
  jacobian?: boolean;
  hessian?: boolean;
  /** with grad: the N-th derivative of an elementwise function */
  order?: number;
  /** dy of the vector-Jacobian product */
  gradOutput?: Numbers;
  hvp?: Numbers;
  jvp?: Numbers;
}

export interface EvaluateResult {
  function: string;
  params: Record<string, unknown>;
  input: Nested;
  target?: Nested;
  grad_output?: Nested;
  value: Nested;
  order?: number;
  grad?: Nested;
  jacobian?: Nested;
  hessian?: Nested;
  hvp?: Nested;
  jvp?: Nested;
}

export interface GradOptions {
  wrt?: string[];
  jacobian?: boolean;
  hessian?: boolean;
  hvp?: Numbers;
  gradOutput?: Numbers;
  symbolic?: boolean;
}

export interface GradObject {
  expression: string;
  at: Record<string, Nested>;
  value: Nested;
  grad_output?: Nested;
  grad?: Record<string, Nested>;
  jacobian?: Record<string, Nested>;
  hessian?: { wrt: string[]; variables: string[]; matrix: Nested };
  hvp?: Nested;
  symbolic?: Record<string, string>;
  no_gradient?: Record<string, string>;
}

export interface FunctionInfo {
  name: string;
  kind: string;
  aliases: string[];
  summary: string;
  torch: string;
  params: { name: string; flag: string; type: string; default?: unknown; required?: boolean; choices?: string[] }[];
}

/** Numbers of any nesting → a tensor; anything else is an ActgradError naming `what`. */
function toTensor(v: Numbers, what: string): Tensor {
  if (typeof v === 'number') return { shape: [], data: Float64Array.of(v) };
  if (v instanceof Float64Array) return { shape: [v.length], data: v.slice() };
  try {
    const t = fromNested(v);
    if (!t.data.every((x) => typeof x === 'number')) throw new Error('not numbers');
    return t;
  } catch {
    throw new UsageError(`${what} must be a number or (nested, rectangular) arrays of numbers`);
  }
}

/** Library errors speak of option names as the library spells them. */
function rethrow(e: unknown): never {
  if (e instanceof ArgumentError) throw new UsageError(e.compose((arg) => (arg === 'input' ? 'the input' : arg)));
  throw e;
}

/** A function's value and the derivatives asked for: the object `actgrad <function> --json` prints. */
export function evaluate(name: string, input: Numbers, options: EvaluateOptions = {}): EvaluateResult {
  const fn = lookup(name);
  if (!fn) throw new UsageError(`unknown function "${name}"; list() gives them all`);
  try {
    const args: Record<string, RawArg> = {};
    for (const [k, v] of Object.entries(options.params ?? {})) {
      args[k] = typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string' || v === null ? v : toTensor(v, `params.${k}`);
    }
    if (options.target !== undefined) args.target = toTensor(options.target, 'target');
    const r = computeFunction({
      fn,
      input: toTensor(input, 'input'),
      args,
      grad: options.grad,
      jacobian: options.jacobian,
      hessian: options.hessian,
      order: options.order,
      gradOutput: options.gradOutput === undefined ? undefined : toTensor(options.gradOutput, 'gradOutput'),
      hvp: options.hvp === undefined ? undefined : toTensor(options.hvp, 'hvp'),
      jvp: options.jvp === undefined ? undefined : toTensor(options.jvp, 'jvp'),
    });
    return functionObject(r) as unknown as EvaluateResult;
  } catch (e) {
    return rethrow(e);
  }
}

/** A formula's value and gradients: the object `actgrad grad ... --json` prints. */
export function grad(expression: string, bindings: Record<string, Numbers>, options: GradOptions = {}): GradObject {
  const { computeGrad } = require('./commands/grad') as typeof import('./commands/grad');
  try {
    const r = computeGrad({
      expression,
      bindings: Object.entries(bindings).map(([k, v]): [string, Tensor] => [k, toTensor(v, k)]),
      wrt: options.wrt,
      jacobian: options.jacobian,
      hessian: options.hessian,
      hvp: options.hvp === undefined ? undefined : toTensor(options.hvp, 'hvp'),
      gradOutput: options.gradOutput === undefined ? undefined : toTensor(options.gradOutput, 'gradOutput'),
    });
    if (options.symbolic) {
      const { symbolicGradients } = require('./symbolic') as typeof import('./symbolic');
      r.symbolic = symbolicGradients(expression, r.at, r.wrt);
    }
    return gradObject(r) as unknown as GradObject;
  } catch (e) {
    return rethrow(e);
  }
}

/** A built-in of the expression language (exp, sum, clamp, ...): how it is written and what it computes. */
export interface BuiltinInfo {
  name: string;
  kind: 'builtin';
  aliases: string[];
  summary: string;
  written: string[];
}

/** Every function (name, kind, aliases, summary, PyTorch call, parameters with defaults), then the built-ins: `list --json`. */
export function list(): (FunctionInfo | BuiltinInfo)[] {
  return [...(listObject() as FunctionInfo[]), ...(builtinsListObject() as BuiltinInfo[])];
}

/** The text of `actgrad explain <name>`: a function, or a built-in of the expression language. */
export function explain(name: string): string {
  const fn = lookup(name);
  const text = fn ? explainText(fn) : explainBuiltin(name);
  if (text === undefined) throw new UsageError(`unknown function "${name}"; list() gives them all`);
  return text;
}
