/**
 * Symbolic reverse mode: the program is evaluated once by the evaluator (which gives every
 * differentiable operation's shape and says which operations carry a gradient), turned into a
 * graph of terms, and the adjoint of the result is pushed back through it with the rules of
 * ./rules.ts, as PyTorch's backward pushes numbers. Each bound name's adjoint, simplified, is its
 * derivative: `W.T @ g`, `torch.outer(g, x)` for matrices, `sigmoid(z)*(1 - sigmoid(z))` for
 * scalars. Intermediate names (`h = …`) are inlined, so each formula stands on the bound names.
 */
import { leaf, resetNodeCount, type Var, withGradMode } from '../autograd/var';
import { UsageError } from '../errors';
import { evaluateProgram, resultTensor } from '../expr/evaluate';
import { children, type Expr } from '../parse/python/ast';
import { parseExpression } from '../parse/python/parser';
import { unparse } from '../parse/python/unparse';
import { broadcastShapes, sameShape, shapeText, type Tensor } from '../tensor';
import { argsOf, callTerm, isIdentity, NoSymbolicForm, operatorOf, readLiteral, termOf } from './convert';
import { bindCall, keyFor, keyOf, resolveCallee, resolveProperty, slotsOf, targetOf } from './names';
import { Printer } from './print';
import { type Adjoint, noRuleReason, type Operand, type Rule, ruleFor, type RuleInput, sumAll } from './rules';
import { add, type Arg, call, compare, type CompareOp, type Literal, mul, name, neg, num, ONE, type Term, ZERO } from './term';
import { tidy } from './tidy';

/** A value of the program: its term, and how it enters the backward pass. */
interface PNode {
  readonly id: number;
  readonly term: Term;
  /** A gradient flows through it (the evaluator recorded it with one, or it is a bound name). */
  readonly grad: boolean;
  shape(): readonly number[];
  readonly leaf?: string;
  readonly op?: {
    readonly key: string;
    readonly label: string;
    readonly inputs: ReadonlyMap<string, PNode>;
    readonly args: readonly Arg[];
  };
  /** Why no gradient formula passes through it (an operation without a rule). */
  readonly problem?: string;
  /** Its grad inputs, for a node with a problem. */
  readonly reaches?: readonly PNode[];
}

const ruleCache = new Map<string, Expr>();
function ruleFormula(text: string): Expr {
  let e = ruleCache.get(text);
  if (!e) ruleCache.set(text, (e = parseExpression(text)));
  return e;
}

/** Where a name is spelled as a function in a printed formula, a bound name of that spelling would shadow it. */
const shadowedBy = (names: ReadonlySet<string>) => (n: string): boolean => names.has(n);

class Graph {
  readonly nodes: PNode[] = [];
  /** Nodes on a path to a name whose derivative is asked for (set by backward). */
  private readonly reaching = new Set<PNode>();
  private readonly leaves = new Map<string, PNode>();
  private readonly env = new Map<string, PNode>();
  private readonly printer: Printer;
  private readonly isShadowed: (n: string) => boolean;

  constructor(
    private readonly bindings: ReadonlyMap<string, Tensor>,
    private readonly recorded: ReadonlyMap<Expr, Var>,
  ) {
    const bound = new Set(bindings.keys());
    this.printer = new Printer(shadowedBy(bound));
    this.isShadowed = (n) => bound.has(n) || this.env.has(n);
  }

  private make(p: Omit<PNode, 'id' | 'shape'>, shape: () => readonly number[]): PNode {
    let cached: readonly number[] | undefined;
    const node: PNode = { ...p, id: this.nodes.length, shape: () => (cached ??= shape()) };
    this.nodes.push(node);
    return node;
  }

  /** The shape of a value without a gradient: its formula evaluated at the given point. */
  private evaluatedShape(term: Term): () => readonly number[] {
    return () => {
      const text = this.printer.print(term);
      const leaves = new Map([...this.bindings].map(([n, t]) => [n, leaf(t, n, false)] as const));
      return withGradMode(false, () => resultTensor(evaluateProgram(text, leaves)).var.shape);
    };
  }

  statement(target: string | undefined, e: Expr): PNode {
    const node = this.visit(e);
    if (target !== undefined) this.env.set(target, node);
    return node;
  }

  private constant(term: Term): PNode {
    return this.make({ term, grad: false }, this.evaluatedShape(term));
  }

  private problem(e: Expr, message: string): PNode {
    // Its inputs still matter: the bound names under it get no formula, and say why.
    const reaches = children(e).filter((c): c is Expr => c.kind !== 'slice').map((c) => this.visit(c)).filter((n) => n.grad);
    const v = this.recorded.get(e);
    return this.make({ term: name(`<${unparse(e)}>`), grad: Boolean(v) || reaches.length > 0, problem: message, reaches }, () => v?.shape ?? []);
  }

  private op(e: Expr, key: string, label: string, inputs: Map<string, PNode>, args: Arg[], term: Term): PNode {
    const v = this.recorded.get(e);
    const grad = v !== undefined && [...inputs.values()].some((n) => n.grad);
    if (!grad) return this.constant(term);
    return this.make({ term, grad, op: { key, label, inputs, args } }, () => v.shape);
  }

  private visit(e: Expr): PNode {
    switch (e.kind) {
      case 'number':
        return this.constant(num(e.value));
      case 'name': {
        const bound = this.env.get(e.name);
        if (bound) return bound;
        const t = this.bindings.get(e.name);
        if (t) {
          let l = this.leaves.get(e.name);
          if (!l) {
            l = this.make({ term: name(e.name), grad: true, leaf: e.name }, () => t.shape);
            this.leaves.set(e.name, l);
          }
          return l;
        }
        return this.constant(termOf(e, () => undefined));
      }
      case 'unary': {
        const x = this.visit(e.operand);
        if (e.op === '+') return x;
        if (e.op !== '-') return this.constant(termOf(e, this.lookup));
        return this.op(e, 'op:neg', unparse(e), new Map([['input', x]]), [], neg(x.term));
      }
      case 'binary': {
        const symbol = e.op === '**' ? '**' : e.op;
        if (!['+', '-', '*', '/', '**', '@'].includes(symbol)) {
          return this.recorded.has(e) ? this.problem(e, `the operator ${e.op} has no symbolic derivative`) : this.constant(termOf(e, this.lookup));
        }
        const a = this.visit(e.left);
        const b = this.visit(e.right);
        return this.operator(e, symbol, a, b);
      }
      case 'attribute': {
        const property = resolveProperty(e, this.isShadowed);
        if (!property) return this.constant(termOf(e, this.lookup));
        const x = this.visit(e.object);
        const key = keyOf(property.target);
        const param = slotsOf(property.target)[0].name;
        return this.op(e, key, unparse(e), new Map([[param, x]]), [{ param, term: x.term }], callTerm(key, [{ param, term: x.term }]));
      }
      case 'call':
        return this.call(e);
      case 'subscript': {
        const index = e.indices.map((i) => (i.kind === 'slice' ? undefined : readLiteral(i)));
        const x = this.visit(e.object);
        if (!x.grad) return this.constant(termOf(e, this.lookup));
        if (!index.every((i) => typeof i === 'number' && Number.isInteger(i))) return this.problem(e, `${unparse(e)}: only whole-number indices have a symbolic derivative, not slices or masks`);
        const args: Arg[] = [
          { param: 'input', term: x.term },
          { param: 'index', literal: index as number[] },
        ];
        return this.op(e, 'op:index', unparse(e), new Map([['input', x]]), args, call('op:index', args));
      }
      case 'compare': {
        let out: Term | undefined;
        const operands = e.operands.map((o) => this.visit(o).term);
        for (let i = 0; i < e.ops.length; i++) {
          const c = compare(e.ops[i] as CompareOp, operands[i], operands[i + 1]);
          out = out ? compare('&', out, c) : c;
        }
        return this.constant(out!);
      }
      default:
        if (this.recorded.has(e)) return this.problem(e, `${unparse(e)} has no symbolic derivative`);
        return this.constant(termOf(e, this.lookup));
    }
  }

  /** Names of a constant subformula: bound names and the program's own. */
  private readonly lookup = (n: string): Term | undefined => this.env.get(n)?.term ?? (this.bindings.has(n) ? name(n) : undefined);

  private operator(e: Expr, symbol: string, a: PNode, b: PNode): PNode {
    const key = `op:${symbol}`;
    const inputs = new Map([
      ['input', a],
      ['other', b],
    ]);
    const args: Arg[] = [
      { param: 'input', term: a.term },
      { param: 'other', term: b.term },
    ];
    const name = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '**': 'pow' }[symbol];
    const term = symbol === '@' || !name ? call('op:@', args) : callTerm(keyFor(name), args.map((x) => (x.param === 'other' && symbol === '**' ? { ...x, param: 'exponent' } : x)));
    return this.op(e, key, unparse(e), inputs, args, term);
  }

  private call(e: Expr & { kind: 'call' }): PNode {
    const label = unparse(e.callee);
    const resolved = resolveCallee(e.callee, this.isShadowed);
    if (!resolved) return this.recorded.has(e) ? this.problem(e, `${label} is not a function actgrad knows`) : this.constant(termOf(e, this.lookup));
    const bound = bindCall(resolved.target, e.args, e.kwargs, resolved.self);
    if ('problem' in bound) return this.problem(e, `${label} ${bound.problem}`);
    const key = keyOf(resolved.target);
    const inputs = new Map<string, PNode>();
    let args: Arg[];
    try {
      args = argsOf(resolved.target, bound.bound, (x) => {
        const n = this.visit(x);
        for (const [param, given] of bound.bound) if (given === x) inputs.set(param, n);
        return n.term;
      });
    } catch (err) {
      if (err instanceof NoSymbolicForm) return this.problem(e, `${label}: ${err.message}`);
      throw err;
    }
    const term = callTerm(key, args);
    // Operators spelled as functions (torch.add, x.pow(2), torch.dot) take the operators' rules.
    const operator = operatorOf(key);
    if (operator) {
      const tensors = args.filter((a): a is Arg & { term: Term } => 'term' in a && a.param !== 'alpha');
      const alpha = args.find((a) => a.param === 'alpha');
      if (alpha && !('term' in alpha && alpha.term.k === 'num' && alpha.term.v === 1)) return this.problem(e, `${label}: alpha has no symbolic derivative here; write a + alpha*b`);
      const [a, b] = tensors.map((t) => inputs.get(t.param)!);
      if (!a || !b) return this.problem(e, `${label} needs two tensors for a symbolic derivative`);
      return this.op(e, `op:${operator}`, label, new Map([['input', a], ['other', b]]), [{ param: 'input', term: a.term }, { param: 'other', term: b.term }], term);
    }
    if (isIdentity(key)) return inputs.get('input') ?? this.constant(term);
    if (key === keyFor('neg')) return this.op(e, 'op:neg', label, new Map([['input', inputs.get('input')!]]), [], term);
    if ((key === keyFor('square') || key === keyFor('reciprocal')) && inputs.get('input')) {
      const exponent = this.constant(num(key === keyFor('square') ? 2 : -1));
      return this.op(e, 'op:**', label, new Map([['input', inputs.get('input')!], ['other', exponent]]), [], term);
    }
    if (!this.recorded.has(e)) return this.constant(term);
    return this.op(e, key, label, inputs, args, term);
  }

  // ---- the backward pass ----

  /** ∂root/∂name for each name, as terms; a name whose path has no rule gets the reason instead. */
  backward(root: PNode, wrt: readonly string[]): Map<string, Term | { problem: string }> {
    const adjoints = new Map<PNode, Adjoint[]>();
    const poisoned = new Map<PNode, string>();
    // The nodes on a path to a name asked for: only their derivatives are formed.
    const asked = new Set(wrt);
    this.reaching.clear();
    for (const node of this.nodes) {
      const inputs = node.reaches ?? [...(node.op?.inputs.values() ?? [])];
      if ((node.leaf && asked.has(node.leaf)) || inputs.some((n) => this.reaching.has(n))) this.reaching.add(node);
    }
    adjoints.set(root, [{ term: ONE, shape: [] }]);
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const node = this.nodes[i];
      const list = adjoints.get(node);
      const poison = poisoned.get(node);
      if (node.leaf || !node.grad || !this.reaching.has(node) || (!list && !poison)) continue;
      const spread = (message: string): void => {
        const targets = node.reaches ?? [...(node.op?.inputs.values() ?? [])];
        for (const t of targets) if (t.grad && this.reaching.has(t) && !poisoned.has(t)) poisoned.set(t, message);
      };
      if (poison) {
        spread(poison);
        continue;
      }
      if (node.problem) {
        spread(node.problem);
        continue;
      }
      const op = node.op!;
      const rule = ruleFor(op.key);
      if (!rule) {
        spread(this.noRule(op.key, op.label));
        continue;
      }
      const G = sumAdjoints(list!);
      let contributions: ReturnType<Rule>;
      try {
        contributions = rule(this.ruleInput(node, G));
      } catch (err) {
        if (err instanceof NoSymbolicForm) {
          spread(err.message);
          continue;
        }
        throw err;
      }
      for (const [param, c] of Object.entries(contributions)) {
        const input = op.inputs.get(param);
        if (!c || !input?.grad || !this.reaching.has(input)) continue;
        if ('problem' in c) {
          if (!poisoned.has(input)) poisoned.set(input, c.problem);
          continue;
        }
        const reduced = reduceTo(c, input.shape());
        if (reduced.term.k === 'num' && reduced.term.v === 0) continue;
        const into = adjoints.get(input);
        if (into) into.push(reduced);
        else adjoints.set(input, [reduced]);
      }
    }
    const out = new Map<string, Term | { problem: string }>();
    for (const w of wrt) {
      const l = this.leaves.get(w);
      if (!l) {
        out.set(w, zerosLike(w, this.bindings.get(w)!.shape));
        continue;
      }
      const problem = poisoned.get(l);
      if (problem) {
        out.set(w, { problem });
        continue;
      }
      const list = adjoints.get(l);
      if (!list) {
        out.set(w, zerosLike(w, l.shape()));
        continue;
      }
      const g = sumAdjoints(list);
      const shaped = sameShape(g.shape, l.shape()) || (g.term.k === 'num' && g.term.v === 0) ? g.term : mul(g.term, call(keyFor('ones_like'), [{ param: 'input', term: name(w) }]));
      out.set(w, shaped);
    }
    return out;
  }

  private noRule(key: string, label: string): string {
    const target = targetOf(key);
    if (target && 'descriptor' in target && target.descriptor.kind === 'layer') {
      return `${label} is a layer; --symbolic covers the elementwise, vector and loss functions and the tensor algebra, not layers`;
    }
    const reason = noRuleReason(key) ?? (target && 'descriptor' in target && target.descriptor.kind === 'call' ? 'its gradient is not written as a formula of the language' : 'actgrad has no symbolic rule for it');
    return `${label} has no symbolic derivative: ${reason}`;
  }

  private ruleInput(node: PNode, G: Adjoint): RuleInput {
    const op = node.op!;
    const target = targetOf(op.key);
    const slots = target ? slotsOf(target) : [];
    const operand = (n: PNode): Operand => ({ term: n.term, shape: n.shape() });
    const literal = (param: string): Literal | undefined => {
      const a = op.args.find((x) => x.param === param);
      if (a) return 'literal' in a ? a.literal : a.term.k === 'num' ? a.term.v : undefined;
      const d = slots.find((s) => s.name === param)?.default;
      return d === undefined ? undefined : (d as Literal);
    };
    const arg = (param: string): Operand | undefined => {
      const n = op.inputs.get(param);
      if (n) return operand(n);
      const a = op.args.find((x) => x.param === param);
      if (a && 'term' in a) return { term: a.term, shape: [] };
      // A tensor parameter with a numeric default (prelu's weight 0.25).
      const d = slots.find((s) => s.name === param && s.tensor)?.default;
      return typeof d === 'number' ? { term: num(d), shape: [] } : undefined;
    };
    return {
      label: op.label,
      out: operand(node),
      G,
      arg,
      literal,
      wants: (param) => {
        const n = op.inputs.get(param);
        return Boolean(n?.grad && this.reaching.has(n));
      },
      formula: (text, x) =>
        termOf(ruleFormula(text), (n) => {
          if (n === 'x') return x.term;
          const a = arg(n);
          if (a) return a.term;
          const l = literal(n);
          return typeof l === 'number' ? num(l) : undefined;
        }),
    };
  }

  print(t: Term): string {
    return this.printer.print(tidy(t));
  }
}

/** The derivative of a value that does not depend on the name: 0, in the name's shape. */
function zerosLike(w: string, shape: readonly number[]): Term {
  return shape.length === 0 ? ZERO : call(keyFor('zeros_like'), [{ param: 'input', term: name(w) }]);
}

function sumAdjoints(list: readonly Adjoint[]): Adjoint {
  if (list.length === 1) return list[0];
  const shape = list.reduce<number[]>((s, a) => broadcastShapes(s, a.shape) ?? s, []);
  return { term: add(...list.map((a) => a.term)), shape };
}

/**
 * An adjoint summed down to an argument's shape, as PyTorch's sum_to undoes broadcasting: over
 * leading dimensions the argument lacks, and (keeping them) over those where it has size 1. An
 * adjoint that is the same along such a dimension is multiplied by its size instead.
 */
function reduceTo(c: Adjoint, target: readonly number[]): Adjoint {
  if (sameShape(c.shape, target)) return { term: c.term, shape: target };
  const nominal = c.nominal && c.nominal.length >= c.shape.length ? c.nominal : c.shape;
  const lead = nominal.length - target.length;
  if (lead < 0) return c;
  const offset = nominal.length - c.shape.length;
  let scale = 1;
  const dropped: number[] = [];
  const kept: number[] = [];
  for (let d = 0; d < nominal.length; d++) {
    const t = d < lead ? undefined : target[d - lead];
    if (t !== undefined && !(t === 1 && nominal[d] !== 1)) continue;
    const cd = d - offset;
    if (cd >= 0 && c.shape[cd] > 1) (t === undefined ? dropped : kept).push(cd);
    else scale *= nominal[d];
  }
  let term = c.term;
  let shape = [...c.shape];
  if (kept.length) {
    term = call(keyFor('sum'), [{ param: 'input', term }, { param: 'dim', literal: kept.length === 1 ? kept[0] : kept }, { param: 'keepdim', literal: true }]);
    for (const d of kept) shape[d] = 1;
  }
  if (dropped.length) {
    if (dropped.length === shape.length && !kept.length) term = sumAll(term);
    else term = call(keyFor('sum'), [{ param: 'input', term }, { param: 'dim', literal: dropped.length === 1 ? dropped[0] : dropped }]);
    shape = shape.filter((_, d) => !dropped.includes(d));
  }
  while (shape.length > target.length && shape[0] === 1) shape = shape.slice(1);
  return { term: mul(num(scale), term), shape };
}

/** The longest formula --symbolic prints. */
export const MAX_FORMULA_LENGTH = 20_000;

/**
 * Each derivative of the expression's value (a single number) with respect to `wrt`, as a
 * simplified formula in the expression language. A name whose derivative has no symbolic form is
 * an error that names it and says why.
 */
export function symbolicGradients(expression: string, bindings: readonly [string, Tensor][], wrt: readonly string[]): [string, string][] {
  const terms = gradientTerms(expression, bindings, wrt);
  return wrt.map((w) => {
    const text = terms.print(terms.terms.get(w)!);
    // A formula no one can read is no answer: deep compositions inline every intermediate.
    if (text.length > MAX_FORMULA_LENGTH) throw new UsageError(`--symbolic: ∂/∂${w} is ${text.length} characters long as a formula; --symbolic is for formulas a person reads (at most ${MAX_FORMULA_LENGTH})`);
    return [w, text];
  });
}

/** The derivative terms before printing (for tests and the size comparison). */
export function gradientTerms(
  expression: string,
  bindings: readonly [string, Tensor][],
  wrt: readonly string[],
): { terms: Map<string, Term>; print: (t: Term) => string } {
  resetNodeCount();
  const leaves = new Map(bindings.map(([n, t]) => [n, leaf(t, n, true)] as const));
  const ev = withGradMode(true, () => evaluateProgram(expression, leaves, { record: true }));
  const y = resultTensor(ev).var;
  if (y.shape.length !== 0) {
    throw new UsageError(`--symbolic gives the derivatives of a single number; this value has shape ${shapeText(y.shape)}: reduce it with sum(...) or index it with [i]`);
  }
  const recorded = new Map<Expr, Var>(ev.operations.map((o) => [o.node, o.output]));
  const graph = new Graph(new Map(bindings), recorded);
  let root: PNode | undefined;
  try {
    for (const s of ev.program.statements) root = graph.statement(s.target, s.value);
  } catch (err) {
    if (err instanceof RangeError) throw new UsageError('the formula is too deeply nested for --symbolic');
    throw err;
  }
  const results = graph.backward(root!, wrt);
  const terms = new Map<string, Term>();
  for (const w of wrt) {
    const r = results.get(w)!;
    if ('problem' in r) throw new UsageError(`--symbolic: ∂/∂${w} has no symbolic form: ${r.problem}${wrt.length > 1 ? ` (--wrt can leave ${w} out)` : ''}`);
    terms.set(w, r);
  }
  return { terms, print: (t) => graph.print(t) };
}

