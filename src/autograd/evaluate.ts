/**
 * Evaluates a parsed expression into an autograd graph. Names are looked up in explicit maps
 * (bindings, the registry, the builtins): nothing is ever run as JavaScript.
 */
import { UsageError, didYouMean } from '../errors';
import { apply, checkTarget, paramSpecsOf } from '../functions/apply';
import { allNames, lookup } from '../functions/registry';
import type { Descriptor, ParamSpec, Params, ParamValue } from '../functions/types';
import type { Tensor } from '../tensor';
import { ExpressionError, type Node } from '../parse/expression';
import { builtinElementwise } from './builtins';
import { type Edge, Var } from './graph';
import { add, div, index, matmul, mean, mul, neg, pow, ShapeError, sub, sum } from './ops';

/** Reductions and products of the language, besides the registry's functions. */
const SPECIAL = ['sum', 'mean', 'dot', 'norm'] as const;
const BUILTINS = new Map(builtinElementwise.map((d) => [d.name, d]));

export function callableNames(): string[] {
  return [...SPECIAL, ...BUILTINS.keys(), ...allNames().filter((n) => !n.includes('-'))];
}

function resolveFunction(name: string): Descriptor | undefined {
  // Only snake_case names in expressions; Map lookups, so "constructor" or "__proto__" are unknown.
  if (name.includes('-')) return undefined;
  return BUILTINS.get(name) ?? lookup(name);
}

export function evaluate(root: Node, expression: string, bindings: Map<string, Var>): Var {
  const fail = (message: string, pos: number): never => {
    throw new ExpressionError(message, expression, pos);
  };
  const shaped = <T>(pos: number, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof ShapeError || (e instanceof UsageError && !(e instanceof ExpressionError))) return fail(e.message, pos);
      throw e;
    }
  };

  const constant = (n: Node, what: string): number => {
    const v = visit(n);
    if (v.value.shape.length !== 0) fail(`${what} must be a single number, not a tensor of shape ${v.value.shape.join('×')}`, n.pos);
    return v.value.data[0];
  };

  function paramValue(spec: ParamSpec, value: Node | string, pos: number, fn: string): ParamValue {
    if (typeof value === 'string') {
      if (spec.type !== 'choice') fail(`${spec.name} of ${fn} takes a number, not the string "${value}"`, pos);
      if (!spec.choices!.includes(value)) fail(`${spec.name} of ${fn} must be one of ${spec.choices!.join(', ')}, not "${value}"`, pos);
      return value;
    }
    if (spec.type === 'boolean' && value.kind === 'name' && /^(true|false)$/i.test(value.name)) return /^true$/i.test(value.name);
    if (spec.type === 'choice') return fail(`${spec.name} of ${fn} takes a quoted string: one of ${spec.choices!.map((c) => `'${c}'`).join(', ')}`, pos);
    if (spec.type === 'vector') {
      const v = visit(value).value;
      return v.shape.length === 0 ? Float64Array.of(v.data[0]) : v.data;
    }
    const x = constant(value, `${spec.name} of ${fn}`);
    return spec.type === 'boolean' ? x !== 0 : x;
  }

  function paramsOf(d: Descriptor, n: Extract<Node, { kind: 'call' }>, positional: Node[]): Params {
    const specs = paramSpecsOf(d);
    const given = new Map<string, ParamValue>();
    if (positional.length > specs.length) fail(`${n.name} takes at most ${specs.length} parameter${specs.length === 1 ? '' : 's'} after its input${d.kind === 'loss' ? ' and target' : ''}`, positional[specs.length].pos);
    positional.forEach((arg, i) => given.set(specs[i].name, paramValue(specs[i], arg, arg.pos, n.name)));
    for (const kw of n.kwargs) {
      const spec = specs.find((s) => s.name === kw.name);
      if (!spec) fail(`${n.name} has no parameter "${kw.name}"${specs.length ? `; its parameters: ${specs.map((s) => s.name).join(', ')}` : ''}`, kw.pos);
      given.set(kw.name, paramValue(spec!, kw.value, kw.pos, n.name));
    }
    const params: Params = {};
    for (const s of specs) {
      if (given.has(s.name)) params[s.name] = given.get(s.name)!;
      else if (s.required) fail(`${n.name} needs its parameter ${s.name} (e.g. ${n.name}(x, ${s.name}=1))`, n.pos);
      else params[s.name] = s.default as ParamValue;
    }
    const problem = d.checkParams?.(params);
    if (problem) fail(problem.replace(/--([a-z-]+)/g, (_, f: string) => f.replace(/-/g, '_')), n.pos);
    return params;
  }

  function applyDescriptor(d: Descriptor, n: Extract<Node, { kind: 'call' }>): Var {
    const arity = d.kind === 'loss' ? 2 : 1;
    if (n.args.length < arity) fail(`${n.name} takes ${d.kind === 'loss' ? 'an input and a target' : 'an input'}: ${n.name}(${d.kind === 'loss' ? 'x, y' : 'x'})`, n.pos);
    const x = visit(n.args[0]);
    const params = paramsOf(d, n, n.args.slice(arity));
    if (d.kind !== 'loss') {
      const a = shaped(n.pos, () => apply(d, x.value, params));
      const fname = d.name.replace(/-/g, '_');
      const rule = (G: string, [input]: string[]): string =>
        d.kind === 'elementwise' ? `${G} ⊙ ${fname}'(${input})` : `J_${fname}(${input})ᵀ · ${G}`;
      return new Var(a.output, [{ from: x, vjp: a.vjp, rule }], undefined, d.name);
    }
    const t = visit(n.args[1]);
    const target = shaped(n.args[1].pos, () => checkTarget(d, x.value, t.value));
    const a = shaped(n.pos, () => apply(d, x.value, params, target));
    const fname = d.name.replace(/-/g, '_');
    const edges: Edge[] = [{ from: x, vjp: a.vjp, rule: (G, [input]) => `${G} · ∂${fname}/∂${input}` }];
    if (a.vjpTarget) edges.push({ from: t, vjp: a.vjpTarget, rule: (G, [, target]) => `${G} · ∂${fname}/∂${target}` });
    // Class indices are integers: like PyTorch's integer tensors, they receive no gradient.
    const v = new Var(a.output, edges, undefined, d.name);
    if (!a.vjpTarget) v.constants = [t];
    return v;
  }

  function visit(n: Node): Var {
    const v = compute(n);
    // Remember which sub-expression computed each intermediate, for worked solutions.
    if (v.name === undefined && v.source === undefined) v.source = expression.slice(n.span[0], n.span[1]);
    return v;
  }

  function compute(n: Node): Var {
    switch (n.kind) {
      case 'number':
        return new Var({ shape: [], data: Float64Array.of(n.value) });
      case 'name': {
        const v = bindings.get(n.name);
        if (v) return v;
        if (resolveFunction(n.name) || (SPECIAL as readonly string[]).includes(n.name)) return fail(`${n.name} is a function: call it as ${n.name}(...)`, n.pos);
        const bound = [...bindings.keys()];
        return fail(`unknown name "${n.name}"${didYouMean(n.name, bound)}; bound names: ${bound.length ? bound.join(', ') : 'none (bind them as name=value)'}`, n.pos);
      }
      case 'unary':
        return n.op === '-' ? neg(visit(n.operand)) : visit(n.operand);
      case 'binary': {
        const a = visit(n.left);
        const b = visit(n.right);
        const op = { '+': add, '-': sub, '*': mul, '/': div, '^': pow, '@': matmul }[n.op];
        return shaped(n.pos, () => op(a, b));
      }
      case 'index': {
        const target = visit(n.target);
        const i = constant(n.index, 'an index');
        return shaped(n.pos, () => index(target, i));
      }
      case 'call':
        return call(n);
    }
  }

  function call(n: Extract<Node, { kind: 'call' }>): Var {
    const one = (): Var => {
      if (n.args.length !== 1 || n.kwargs.length) fail(`${n.name} takes one argument: ${n.name}(x)`, n.pos);
      return visit(n.args[0]);
    };
    switch (n.name) {
      case 'sum':
        return sum(one());
      case 'mean':
        return mean(one());
      case 'dot': {
        if (n.args.length !== 2) fail('dot takes two vectors: dot(a, b)', n.pos);
        const [a, b] = [visit(n.args[0]), visit(n.args[1])];
        if (a.value.shape.length !== 1 || b.value.shape.length !== 1) fail(`dot takes two vectors, not ${a.value.shape.join('×') || 'a scalar'} and ${b.value.shape.join('×') || 'a scalar'}`, n.pos);
        return shaped(n.pos, () => matmul(a, b, 'dot'));
      }
      case 'norm': {
        // norm of all elements, as torch.norm: the registry's row norm applied to the flattened tensor.
        if (n.args.length < 1) fail('norm takes a tensor: norm(x) or norm(x, p=1)', n.pos);
        const x = visit(n.args[0]);
        const d = lookup('norm')!;
        const a = apply(d, { shape: [x.value.data.length], data: x.value.data }, paramsOf(d, n, n.args.slice(1)));
        const vjp = (g: Tensor): Tensor => ({ shape: x.value.shape, data: a.vjp(g).data });
        return new Var(a.output, [{ from: x, vjp, rule: (G, [input]) => `${G} · ${input}/‖${input}‖ (∂‖${input}‖/∂${input})` }], undefined, 'norm');
      }
    }
    const d = resolveFunction(n.name);
    if (!d) return fail(`unknown function "${n.name}"${didYouMean(n.name, callableNames())}`, n.pos);
    return applyDescriptor(d, n);
  }

  return visit(root);
}
