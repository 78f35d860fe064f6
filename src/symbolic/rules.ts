/**
 * The derivative of each function as a formula, once, written under the function's name in the
 * language (expr/builtins.ts's table, or the registry's snake_case name) and found by the
 * canonical keys that name resolves to (./names.ts: torch.sigmoid, F.sigmoid and x.sigmoid() are
 * one rule), plus the operators ('op:+', 'op:@', …). A rule is a vector-Jacobian product: given
 * the adjoint G of the call's result, the contribution to each argument, as terms.
 *
 * Elementwise functions are written as their derivative f'(x) in the expression language itself
 * (`sigmoid(x)*(1 - sigmoid(x))`), x standing for the input and other names for the function's
 * parameters by their PyTorch names; the product with G is formed here. These are the exact
 * derivatives in their usual forms; where PyTorch computes something else on purpose (the
 * threshold of softplus, the clamps of bce and gaussian_nll), the formula states the derivative
 * of the mathematical function and `explain` says what PyTorch does there.
 */
import { broadcastShapes, numel, sameShape } from '../tensor';
import { callTerm, NoSymbolicForm } from './convert';
import { keyFor, keysOf } from './names';
import { compare, div, type Literal, mul, neg, num, pow, sub, type Term } from './term';

/** An argument or result of a call: its term and shape. */
export interface Operand {
  readonly term: Term;
  readonly shape: readonly number[];
}

/**
 * An adjoint: a term and the shape of its value; `nominal`, when given, is the shape it stands for
 * (a scalar G standing for every element of a vector), which sums over broadcast dimensions count.
 */
export interface Adjoint {
  readonly term: Term;
  readonly shape: readonly number[];
  readonly nominal?: readonly number[];
}

export interface RuleInput {
  /** How the call is written, for messages. */
  readonly label: string;
  readonly out: Operand;
  readonly G: Adjoint;
  /** A tensor argument, by parameter name (undefined when not given). */
  arg(param: string): Operand | undefined;
  /** An option: as given, else the signature's default. */
  literal(param: string): Literal | undefined;
  /** Does the derivative with respect to this argument matter? */
  wants(param: string): boolean;
  /** A derivative formula with x = the input and the parameters bound. */
  formula(text: string, x: Operand): Term;
}

/** Why one argument's derivative has no formula (the others may still have theirs). */
export interface Missing {
  readonly problem: string;
}

export type Rule = (r: RuleInput) => Readonly<Record<string, Adjoint | Missing | undefined>>;

const shapeOf = (...shapes: (readonly number[])[]): number[] => shapes.reduce<number[]>((s, t) => broadcastShapes(s, t) ?? s.slice(), []);
const full = (r: RuleInput): boolean => sameShape(r.G.shape, r.out.shape);

/** A call of the function the language calls `fn` (resolved through the built-ins table), or of an operator ('op:@'). */
const callOf = (fn: string, args: Record<string, Term | Literal>): Term =>
  callTerm(
    fn.startsWith('op:') ? fn : keyFor(fn),
    Object.entries(args).map(([param, v]) => (v !== null && typeof v === 'object' && 'k' in v ? { param, term: v as Term } : { param, literal: v as Literal })),
  );
const transpose = (t: Term): Term => callOf('T', { input: t });
const matmul = (a: Term, b: Term): Term => callOf('op:@', { input: a, other: b });
const outer = (a: Term, b: Term): Term => callOf('outer', { input: a, vec2: b });
const ones = (shape: readonly number[]): Term => callOf('ones', { size: shape });
const sumAlong = (t: Term, dim: number | readonly number[], keepdim = false): Term => callOf('sum', keepdim ? { input: t, dim, keepdim } : { input: t, dim });
export const sumAll = (t: Term): Term => callOf('sum', { input: t });
const where = (c: Term, a: Term, b: Term): Term => callOf('where', { condition: c, input: a, other: b });
const gt = (a: Term, b: Term): Term => compare('>', a, b);
const unsqueeze = (t: Term, dim: number): Term => callOf('unsqueeze', { input: t, dim });
const softmaxOf = (t: Term, dim: number): Term => callOf('softmax', { input: t, dim });
const eyeRow = (n: number, i: number): Term => callOf('op:index', { input: callOf('eye', { n }), index: [i] });

/** G scaled by the derivative d (elementwise), with the shape of their product. */
function times(r: RuleInput, d: Term, ...shapes: (readonly number[])[]): Adjoint {
  return { term: mul(r.G.term, d), shape: d.k === 'num' ? [...r.G.shape] : shapeOf(r.G.shape, ...shapes), nominal: r.out.shape };
}

/** The adjoint as a tensor of the result's shape (a scalar G becomes G·ones). */
function materialized(r: RuleInput): Term {
  return full(r) ? r.G.term : mul(r.G.term, ones(r.out.shape));
}

function need(r: RuleInput, param: string): Operand {
  const a = r.arg(param);
  if (!a) throw new NoSymbolicForm(`${r.label}: its ${param} is missing`);
  return a;
}

/** A dimension in 0..rank-1 from a literal that may be negative. */
function dimIndex(d: Literal | undefined, rank: number, fallback: number): number {
  const v = typeof d === 'number' ? d : Array.isArray(d) && d.length === 1 ? d[0] : fallback;
  return v < 0 ? v + rank : v;
}

// ---------------------------------------------------------------------------------------------
// Elementwise functions: f'(x) in the language
// ---------------------------------------------------------------------------------------------

function elementwise(derivative: string): Rule {
  return (r) => {
    const x = need(r, 'input');
    return { input: times(r, r.formula(derivative, x), x.shape) };
  };
}

/** The derivatives of the elementwise functions, written once. */
export const ELEMENTWISE_DERIVATIVES: Readonly<Record<string, string>> = {
  // torch's math functions (expr/builtins.ts)
  'exp': 'exp(x)',
  'log': '1/x',
  'log1p': '1/(1 + x)',
  'expm1': 'exp(x)',
  'log2': '1/(x*math.log(2))',
  'log10': '1/(x*math.log(10))',
  'sqrt': '1/(2*sqrt(x))',
  'rsqrt': '-rsqrt(x)/(2*x)',
  'sin': 'cos(x)',
  'cos': '-sin(x)',
  'tan': '1 + tan(x)**2',
  'asin': '1/sqrt(1 - x**2)',
  'acos': '-1/sqrt(1 - x**2)',
  'atan': '1/(1 + x**2)',
  'sinh': 'cosh(x)',
  'cosh': 'sinh(x)',
  'erf': '2*exp(-x**2)/math.sqrt(math.pi)',
  'erfc': '-2*exp(-x**2)/math.sqrt(math.pi)',
  'abs': 'sign(x)',
  'sign': '0',
  // activations of the registry (functions/smooth.ts, functions/piecewise.ts)
  'step': '0',
  'sigmoid': 'sigmoid(x)*(1 - sigmoid(x))',
  'tanh': '1 - tanh(x)**2',
  'relu': 'torch.where(x > 0, 1, 0)',
  'relu6': 'torch.where((x > 0) & (x < 6), 1, 0)',
  'leaky_relu': 'torch.where(x > 0, 1, negative_slope)',
  'elu': 'torch.where(x > 0, 1, alpha*exp(x))',
  'selu': 'torch.where(x > 0, 1.0507009873554805, 1.0507009873554805*1.6732632423543772*exp(x))',
  'celu': 'torch.where(x > 0, 1, exp(x/alpha))',
  'silu': 'sigmoid(x)*(1 + x*(1 - sigmoid(x)))',
  'mish': 'tanh(softplus(x)) + x*sigmoid(x)*(1 - tanh(softplus(x))**2)',
  'softplus': 'sigmoid(beta*x)',
  'softsign': '1/(1 + abs(x))**2',
  'hardtanh': 'torch.where((x > min_val) & (x < max_val), 1, 0)',
  'hardsigmoid': 'torch.where((x > -3) & (x < 3), 1/6, 0)',
  'hardswish': 'torch.where(x < -3, 0, torch.where(x <= 3, x/3 + 1/2, 1))',
  'logsigmoid': '1 - sigmoid(x)',
  'tanhshrink': 'tanh(x)**2',
  'softshrink': 'torch.where(abs(x) > lambd, 1, 0)',
  'hardshrink': 'torch.where(abs(x) > lambd, 1, 0)',
  'threshold': 'torch.where(x > threshold, 1, 0)',
};

/** GELU: erf's form, or the tanh approximation's (approximate='tanh'). */
const GELU = {
  none: '(1 + erf(x/math.sqrt(2)))/2 + x*exp(-x**2/2)/math.sqrt(2*math.pi)',
  tanh:
    '(1 + tanh(math.sqrt(2/math.pi)*(x + 0.044715*x**3)))/2 + ' +
    'x*(1 - tanh(math.sqrt(2/math.pi)*(x + 0.044715*x**3))**2)*math.sqrt(2/math.pi)*(1 + 3*0.044715*x**2)/2',
};

// ---------------------------------------------------------------------------------------------
// Operators
// ---------------------------------------------------------------------------------------------

const OPERATORS: Record<string, Rule> = {
  'op:+': (r) => ({ input: { ...r.G, nominal: r.out.shape }, other: { ...r.G, nominal: r.out.shape } }),
  'op:-': (r) => ({ input: { ...r.G, nominal: r.out.shape }, other: { term: neg(r.G.term), shape: r.G.shape, nominal: r.out.shape } }),
  'op:neg': (r) => ({ input: { term: neg(r.G.term), shape: r.G.shape, nominal: r.out.shape } }),
  'op:*': (r) => {
    const a = need(r, 'input');
    const b = need(r, 'other');
    return { input: times(r, b.term, b.shape), other: times(r, a.term, a.shape) };
  },
  'op:/': (r) => {
    const a = need(r, 'input');
    const b = need(r, 'other');
    return {
      input: times(r, pow(b.term, num(-1)), b.shape),
      other: r.wants('other') ? times(r, neg(div(a.term, pow(b.term, num(2)))), a.shape, b.shape) : undefined,
    };
  },
  'op:**': (r) => {
    const a = need(r, 'input');
    const b = need(r, 'other');
    return {
      input: r.wants('input') ? times(r, mul(b.term, pow(a.term, sub(b.term, num(1)))), a.shape, b.shape) : undefined,
      other: r.wants('other') ? times(r, mul(r.out.term, callOf('log', { input: a.term })), a.shape, b.shape) : undefined,
    };
  },
  'op:@': (r) => {
    const a = need(r, 'input');
    const b = need(r, 'other');
    const [ra, rb] = [a.shape.length, b.shape.length];
    const G = r.G.term;
    if (ra === 1 && rb === 1) return { input: times(r, b.term, b.shape), other: times(r, a.term, a.shape) };
    if (ra === 2 && rb === 1) {
      // A @ v: ∂/∂A = g vᵀ, ∂/∂v = Aᵀ g (with g = G·1 the column sums of A).
      const [m] = a.shape;
      return full(r)
        ? { input: { term: outer(G, b.term), shape: a.shape }, other: { term: matmul(transpose(a.term), G), shape: b.shape } }
        : { input: { term: mul(G, outer(ones([m]), b.term)), shape: a.shape }, other: { term: mul(G, sumAlong(a.term, 0)), shape: b.shape } };
    }
    if (ra === 1 && rb === 2) {
      const [, k] = b.shape;
      return full(r)
        ? { input: { term: matmul(b.term, G), shape: a.shape }, other: { term: outer(a.term, G), shape: b.shape } }
        : { input: { term: mul(G, sumAlong(b.term, 1)), shape: a.shape }, other: { term: mul(G, outer(a.term, ones([k]))), shape: b.shape } };
    }
    if (ra === 2 && rb === 2) {
      const g = materialized(r);
      return { input: { term: matmul(g, transpose(b.term)), shape: a.shape }, other: { term: matmul(transpose(a.term), g), shape: b.shape } };
    }
    throw new NoSymbolicForm(`${r.label}: a batched matrix product (${ra}D @ ${rb}D) has no symbolic form here`);
  },
  'op:index': (r) => {
    const x = need(r, 'input');
    const index = (r.literal('index') as number[]).map((i, d) => (i < 0 ? i + x.shape[d] : i));
    if (x.shape.length === 1 && index.length === 1) return { input: times(r, eyeRow(x.shape[0], index[0]), x.shape) };
    if (x.shape.length === 2 && index.length === 2) {
      return { input: times(r, outer(eyeRow(x.shape[0], index[0]), eyeRow(x.shape[1], index[1])), x.shape) };
    }
    throw new NoSymbolicForm(`${r.label}: only a single element x[i] or X[i, j] has a symbolic derivative`);
  },
};

// ---------------------------------------------------------------------------------------------
// Tensor algebra and reductions
// ---------------------------------------------------------------------------------------------

const transposed: Rule = (r) => ({ input: full(r) ? { term: transpose(r.G.term), shape: need(r, 'input').shape } : { ...r.G, nominal: need(r, 'input').shape } });
const reshaped: Rule = (r) => {
  const x = need(r, 'input');
  return { input: full(r) ? { term: callOf('reshape', { input: r.G.term, shape: x.shape }), shape: x.shape } : { ...r.G, nominal: x.shape } };
};

/** sum and mean: G spread over the summed elements (÷ their count for the mean). */
function reduction(mean: boolean): Rule {
  return (r) => {
    const x = need(r, 'input');
    const count = numel(x.shape) / Math.max(numel(r.out.shape), 1);
    const scaled = (t: Term): Term => (mean ? div(t, num(count)) : t);
    const dim = r.literal('dim');
    if (dim === null || dim === undefined || r.G.shape.length === 0 || r.literal('keepdim') === true) {
      return { input: { term: scaled(r.G.term), shape: r.G.shape, nominal: x.shape } };
    }
    const dims = (Array.isArray(dim) ? dim : [dim as number]).map((d) => (d < 0 ? d + x.shape.length : d)).sort((p, q) => p - q);
    let g = r.G.term;
    const shape = [...r.G.shape];
    for (const d of dims) {
      g = unsqueeze(g, d);
      shape.splice(d, 0, 1);
    }
    return { input: { term: scaled(g), shape, nominal: x.shape } };
  };
}

/** The p-norm of all elements: x/‖x‖ for p = 2, sign(x) for p = 1, sign(x)·|x|^(p−1)/‖x‖^(p−1) otherwise. */
function norm(inputParam: string, pParam: string): Rule {
  return (r) => {
    const x = need(r, inputParam);
    const dim = r.literal('dim');
    if (dim !== null && dim !== undefined) throw new NoSymbolicForm(`${r.label}: a norm along a dimension has no symbolic form here; use the norm of all elements`);
    const p = r.literal(pParam);
    const sign = callOf('sign', { input: x.term });
    let d: Term;
    if (p === null || p === undefined || p === 'fro' || p === 2) d = div(x.term, r.out.term);
    else if (p === 1) d = sign;
    else if (typeof p === 'number' && Number.isFinite(p) && p !== 0) {
      d = mul(sign, pow(callOf('abs', { input: x.term }), num(p - 1)), pow(r.out.term, num(1 - p)));
    } else throw new NoSymbolicForm(`${r.label}: the ${String(p)}-norm has no symbolic derivative`);
    return { [inputParam]: times(r, d, x.shape) };
  };
}

/** var and std of all elements: 2(x − mean)/(N − c), and its chain through the square root. */
function spread(std: boolean): Rule {
  return (r) => {
    const x = need(r, 'input');
    const dim = r.literal('dim');
    if (dim !== null && dim !== undefined && typeof dim !== 'boolean') throw new NoSymbolicForm(`${r.label}: a spread along a dimension has no symbolic form here`);
    const unbiased = typeof dim === 'boolean' ? dim : r.literal('unbiased') !== false;
    const correction = r.literal('correction');
    const c = typeof correction === 'number' ? correction : unbiased ? 1 : 0;
    const deviation = sub(x.term, callOf('mean', { input: x.term }));
    const n = numel(x.shape) - c;
    const d = std ? div(deviation, mul(num(n), r.out.term)) : div(mul(num(2), deviation), num(n));
    return { input: times(r, d, x.shape) };
  };
}

const ALGEBRA: Record<string, Rule> = {
  'T': transposed,
  't': transposed,
  'mT': transposed,
  'transpose': (r) => {
    const x = need(r, 'input');
    if (x.shape.length !== 2) throw new NoSymbolicForm(`${r.label}: only a matrix transpose has a symbolic form here`);
    return transposed(r);
  },
  'reshape': reshaped,
  'view': reshaped,
  'view_as': reshaped,
  'flatten': reshaped,
  'squeeze': reshaped,
  'unsqueeze': reshaped,
  'expand': (r) => ({ input: { ...r.G, nominal: r.out.shape } }),
  'expand_as': (r) => ({ input: { ...r.G, nominal: r.out.shape } }),
  'sum': reduction(false),
  'mean': reduction(true),
  'var': spread(false),
  'std': spread(true),
  'norm': norm('input', 'p'),
  'linalg.vector_norm': norm('x', 'ord'),
  'linalg.norm': (r) => {
    if (need(r, 'A').shape.length > 1 && r.literal('ord') !== null && r.literal('ord') !== undefined) {
      throw new NoSymbolicForm(`${r.label}: matrix norms have no symbolic form here`);
    }
    return norm('A', 'ord')(r);
  },
  'trace': (r) => {
    const x = need(r, 'input');
    if (x.shape[0] !== x.shape[1]) throw new NoSymbolicForm(`${r.label}: only the trace of a square matrix has a symbolic form here`);
    return { input: times(r, callOf('eye', { n: x.shape[0] }), x.shape) };
  },
  'outer': (r) => {
    const a = need(r, 'input');
    const b = need(r, 'vec2');
    if (!full(r)) return { input: times(r, sumAll(b.term), a.shape), vec2: times(r, sumAll(a.term), b.shape) };
    return { input: { term: matmul(r.G.term, b.term), shape: a.shape }, vec2: { term: matmul(transpose(r.G.term), a.term), shape: b.shape } };
  },
  'where': (r) => {
    const c = need(r, 'condition').term;
    const shape = r.out.shape;
    return { input: { term: where(c, r.G.term, num(0)), shape, nominal: shape }, other: { term: where(c, num(0), r.G.term), shape, nominal: shape } };
  },
  'clamp': (r) => clamp(r, r.arg('min'), r.arg('max')),
  'clamp_min': (r) => clamp(r, r.arg('min'), undefined),
  'clamp_max': (r) => clamp(r, undefined, r.arg('max')),
  'maximum': (r) => extremum(r, '>'),
  'minimum': (r) => extremum(r, '<'),
};

/** clamp passes the gradient where min ≤ x ≤ max (PyTorch's clamp_backward). */
function clamp(r: RuleInput, lo: Operand | undefined, hi: Operand | undefined): ReturnType<Rule> {
  const x = need(r, 'input');
  if (r.wants('min') || r.wants('max')) throw new NoSymbolicForm(`${r.label}: clamp's bounds as differentiated tensors have no symbolic form here`);
  const inside: Term[] = [];
  if (lo) inside.push(compare('>=', x.term, lo.term));
  if (hi) inside.push(compare('<=', x.term, hi.term));
  const mask = inside.length === 2 ? compare('&', inside[0], inside[1]) : inside[0];
  return { input: { term: where(mask, r.G.term, num(0)), shape: r.out.shape, nominal: r.out.shape } };
}

/** maximum/minimum: the gradient goes to the larger (smaller) argument, half to each at ties. */
function extremum(r: RuleInput, op: '>' | '<'): ReturnType<Rule> {
  const a = need(r, 'input').term;
  const b = need(r, 'other').term;
  const share = (p: Term, q: Term): Term => where(compare(op, p, q), num(1), where(compare('==', p, q), num(0.5), num(0)));
  return { input: times(r, share(a, b), r.out.shape), other: times(r, share(b, a), r.out.shape) };
}

// ---------------------------------------------------------------------------------------------
// Vector functions and losses of the registry
// ---------------------------------------------------------------------------------------------

/** The dimension a softmax-family call works along: dim, or PyTorch's implicit choice (_get_softmax_dim). */
function softmaxDim(r: RuleInput, rank: number): number {
  const d = r.literal('dim');
  if (typeof d === 'number') return d < 0 ? d + rank : d;
  return rank === 0 || rank === 1 || rank === 3 ? 0 : 1;
}

/** Σ over dim, kept as a dimension of size 1 so that it broadcasts back (a vector's sum is a scalar). */
const rowSum = (t: Term, dim: number, rank: number): Term => (rank <= 1 ? sumAll(t) : sumAlong(t, dim, true));

const VECTOR: Record<string, Rule> = {
  // _softmax_backward_data: y ⊙ (g − Σ g ⊙ y); with G the same everywhere it is 0, since Σ y = 1.
  'softmax': (r) => softmaxFamily(r, 1),
  'softmin': (r) => softmaxFamily(r, -1),
  'log_softmax': (r) => {
    const x = need(r, 'input');
    const dim = softmaxDim(r, x.shape.length);
    const s = softmaxOf(x.term, dim);
    const g = materialized(r);
    return { input: { term: sub(g, mul(s, rowSum(g, dim, x.shape.length))), shape: x.shape } };
  },
  'logsumexp': (r) => {
    const x = need(r, 'input');
    const dim = dimIndex(r.literal('dim'), x.shape.length, -1);
    const keep = r.literal('keepdim') === true || x.shape.length <= 1 || !full(r);
    const g = keep ? r.G.term : unsqueeze(r.G.term, dim);
    return { input: { term: mul(g, softmaxOf(x.term, dim)), shape: x.shape } };
  },
  'norm': norm('input', 'p'),
};

function softmaxFamily(r: RuleInput, sign: 1 | -1): ReturnType<Rule> {
  const x = need(r, 'input');
  if (!full(r)) return { input: { term: num(0), shape: [], nominal: x.shape } };
  const dim = softmaxDim(r, x.shape.length);
  const y = r.out.term;
  const d = mul(y, sub(r.G.term, rowSum(mul(r.G.term, y), dim, x.shape.length)));
  return { input: { term: sign === 1 ? d : neg(d), shape: x.shape } };
}

/**
 * A loss's contribution d (∂ℓᵢ/∂xᵢ, elementwise) with the reduction applied: ÷ N for the mean
 * (N elements, or the batch size for batchmean), G per element for 'none'.
 */
function reduced(r: RuleInput, d: Term, shape: readonly number[], divisor?: number): Adjoint {
  const reduction = r.literal('reduction') ?? 'mean';
  const n = divisor ?? numel(shape);
  if (reduction === 'none') return { term: mul(r.G.term, d), shape: shapeOf(r.G.shape, shape), nominal: shape };
  const scale = reduction === 'sum' ? 1 : reduction === 'batchmean' ? (shape[0] ?? 1) : n;
  return { term: div(mul(r.G.term, d), num(scale)), shape: [...shape], nominal: shape };
}

/** An elementwise loss of (input, target): its derivatives in each. */
function pointwiseLoss(dInput: string, dTarget?: string): Rule {
  return (r) => {
    const x = need(r, 'input');
    const t = need(r, 'target');
    const shape = shapeOf(x.shape, t.shape);
    const bound = (text: string): Term => r.formula(text, x);
    return {
      input: r.wants('input') ? reduced(r, weighted(r, bound(dInput)), shape) : undefined,
      target: r.wants('target') ? (dTarget ? reduced(r, weighted(r, bound(dTarget)), shape) : noRule(r, 'target')) : undefined,
      weight: r.wants('weight') ? noRule(r, 'weight') : undefined,
      pos_weight: r.wants('pos_weight') ? noRule(r, 'pos_weight') : undefined,
    };
  };
}

function weighted(r: RuleInput, d: Term): Term {
  const w = r.arg('weight');
  return w ? mul(w.term, d) : d;
}

function noRule(r: RuleInput, param: string): Missing {
  return { problem: `${r.label}: its derivative with respect to the ${param} has no symbolic form here` };
}

/** Cross-entropy and NLL over class indices: one-hot rows, from torch.eye or F.one_hot. */
function oneHot(r: RuleInput, target: Operand, classes: number): Term {
  if (target.shape.length === 0 && target.term.k === 'num') return eyeRow(classes, target.term.v < 0 ? target.term.v + classes : target.term.v);
  return callOf('one_hot', { tensor: target.term, num_classes: classes });
}

const LOSSES: Record<string, Rule> = {
  'mse': pointwiseLoss('2*(x - target)', '-2*(x - target)'),
  'l1': pointwiseLoss('sign(x - target)', '-sign(x - target)'),
  'smooth_l1': pointwiseLoss(
    'torch.where(abs(x - target) < beta, (x - target)/beta, sign(x - target))',
    '-torch.where(abs(x - target) < beta, (x - target)/beta, sign(x - target))',
  ),
  'huber': pointwiseLoss(
    'torch.where(abs(x - target) < delta, x - target, delta*sign(x - target))',
    '-torch.where(abs(x - target) < delta, x - target, delta*sign(x - target))',
  ),
  // PyTorch divides by max(x(1 − x), 1e-12) and clamps the logs at −100: the formula is the exact one.
  'bce': pointwiseLoss('(x - target)/(x*(1 - x))', 'log(1 - x) - log(x)'),
  'bce_with_logits': (r) =>
    r.arg('pos_weight')
      ? pointwiseLoss('(pos_weight*target + 1 - target)*sigmoid(x) - pos_weight*target', 'logsigmoid(-x) - pos_weight*logsigmoid(x)')(r)
      : pointwiseLoss('sigmoid(x) - target', '-x')(r),
  'kl_div': (r) =>
    r.literal('log_target') === true
      ? pointwiseLoss('-exp(target)', 'exp(target)*(target - x + 1)')(r)
      : pointwiseLoss('-target', 'log(target) + 1 - x')(r),
  'soft_margin': pointwiseLoss('-target*sigmoid(-target*x)', '-x*sigmoid(-target*x)'),
  'poisson_nll': (r) => {
    if (r.literal('full') === true) throw new NoSymbolicForm(`${r.label}: full=True (Stirling's term) has no symbolic form here`);
    return r.literal('log_input') === false ? pointwiseLoss('1 - target/(x + eps)', '-log(x + eps)')(r) : pointwiseLoss('exp(x) - target', '-x')(r);
  },
  'gaussian_nll': (r) => {
    const x = need(r, 'input');
    const t = need(r, 'target');
    const v = need(r, 'var');
    const shape = shapeOf(x.shape, t.shape, v.shape);
    const dx = r.formula('(x - target)/var', x);
    return {
      input: r.wants('input') ? reduced(r, dx, shape) : undefined,
      target: r.wants('target') ? reduced(r, neg(dx), shape) : undefined,
      var: r.wants('var') ? reduced(r, r.formula('(1/var - (x - target)**2/var**2)/2', x), shape) : undefined,
    };
  },
  'cross_entropy': (r) => {
    const z = need(r, 'input');
    const t = need(r, 'target');
    if (r.arg('weight') || (r.literal('label_smoothing') ?? 0) !== 0) {
      throw new NoSymbolicForm(`${r.label}: with weight or label_smoothing it has no symbolic form here`);
    }
    const rank = z.shape.length;
    if (rank > 2) throw new NoSymbolicForm(`${r.label}: logits of more than 2 dimensions have no symbolic form here`);
    const dim = rank === 1 ? 0 : 1;
    const classes = z.shape[dim];
    const batch = rank === 2 ? z.shape[0] : 1;
    const p = softmaxOf(z.term, dim);
    const probabilities = sameShape(t.shape, z.shape);
    const reduction = r.literal('reduction') ?? 'mean';
    const scale = (d: Term): Term => (reduction === 'mean' ? div(d, num(batch)) : d);
    const g = reduction === 'none' && rank === 2 ? unsqueeze(r.G.term, 1) : r.G.term;
    const dz = probabilities ? sub(mul(p, rowSum(t.term, dim, rank)), t.term) : sub(p, oneHot(r, t, classes));
    return {
      input: r.wants('input') ? { term: scale(mul(g, dz)), shape: z.shape } : undefined,
      target: r.wants('target')
        ? probabilities
          ? { term: scale(neg(mul(g, callOf('log_softmax', { input: z.term, dim })))), shape: t.shape }
          : noRule(r, 'class indices')
        : undefined,
    };
  },
  'nll': (r) => {
    const x = need(r, 'input');
    const t = need(r, 'target');
    if (r.arg('weight')) throw new NoSymbolicForm(`${r.label}: with weight it has no symbolic form here`);
    const rank = x.shape.length;
    if (rank > 2) throw new NoSymbolicForm(`${r.label}: inputs of more than 2 dimensions have no symbolic form here`);
    const batch = rank === 2 ? x.shape[0] : 1;
    const reduction = r.literal('reduction') ?? 'mean';
    const g = reduction === 'none' && rank === 2 ? unsqueeze(r.G.term, 1) : r.G.term;
    const d = neg(mul(g, oneHot(r, t, x.shape[rank - 1])));
    return { input: { term: reduction === 'mean' ? div(d, num(batch)) : d, shape: x.shape } };
  },
};

const GELU_RULE: Rule = (r) => {
  const x = need(r, 'input');
  return { input: times(r, r.formula(r.literal('approximate') === 'tanh' ? GELU.tanh : GELU.none, x), x.shape) };
};

/** prelu: 1 or the weight for the input; 0 or x for the weight (summed where the weight is shared). */
const PRELU: Rule = (r) => {
  const x = need(r, 'input');
  const w = need(r, 'weight');
  if (numel(w.shape) > 1 && x.shape.length > 2) throw new NoSymbolicForm(`${r.label}: a per-channel weight on inputs of more than 2 dimensions has no symbolic form here`);
  const positive = gt(x.term, num(0));
  return {
    input: times(r, where(positive, num(1), w.term), x.shape, w.shape),
    weight: r.wants('weight') ? times(r, where(positive, num(0), x.term), x.shape) : undefined,
  };
};

/**
 * Every rule, by key: each entry is written under the function's name and holds for every key
 * that name reaches (torch.sigmoid and F.sigmoid, whether the table or the registry has them).
 */
let rules: Map<string, Rule> | undefined;
export function ruleFor(key: string): Rule | undefined {
  if (!rules) {
    rules = new Map();
    const entries: [string, Rule][] = [
      ...Object.entries(ELEMENTWISE_DERIVATIVES).map(([n, d]): [string, Rule] => [n, elementwise(d)]),
      ['gelu', GELU_RULE],
      ['prelu', PRELU],
      ...Object.entries(ALGEBRA),
      ...Object.entries(VECTOR),
      ...Object.entries(LOSSES),
    ];
    for (const [op, rule] of Object.entries(OPERATORS)) rules.set(op, rule);
    for (const [n, rule] of entries) for (const k of keysOf(n)) if (!rules.has(k)) rules.set(k, rule);
  }
  return rules.get(key);
}

/** The names of the functions with a symbolic derivative (for tests and documentation). */
export const RULE_NAMES: readonly string[] = [...Object.keys(ELEMENTWISE_DERIVATIVES), 'gelu', 'prelu', ...Object.keys(ALGEBRA), ...Object.keys(VECTOR), ...Object.keys(LOSSES)];

/** Why a function without a rule has none, where there is more to say than that (by name). */
const NO_RULE: Readonly<Record<string, string>> = {
  max: 'at ties the gradient is shared among the maxima, which no closed formula states',
  min: 'at ties the gradient is shared among the minima, which no closed formula states',
  amax: 'at ties the gradient is shared among the maxima, which no closed formula states',
  amin: 'at ties the gradient is shared among the minima, which no closed formula states',
  glu: 'it splits its input in halves, which the symbolic rules do not express',
  multi_margin: 'its gradient depends on which margins are active, element by element',
  multilabel_margin: 'its gradient depends on which margins are active, element by element',
  hinge_embedding: 'its gradient depends on the target and on which margins are active, element by element',
};

export function noRuleReason(key: string): string | undefined {
  for (const [n, reason] of Object.entries(NO_RULE)) {
    try {
      if (keysOf(n).includes(key)) return reason;
    } catch {
      // a name the table no longer has
    }
  }
  return undefined;
}
