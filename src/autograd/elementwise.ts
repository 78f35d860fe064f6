/**
 * Elementwise primitive ops with broadcasting: arithmetic, comparisons, where, and the math
 * functions of torch. Each op's forward kernel and its backward formula stand side by side; the
 * backward formulas are PyTorch's (tools/autograd/derivatives.yaml, FunctionsManual.cpp), written
 * with these same ops, so they can be differentiated again.
 */
import { ShapeError } from '../errors';
import { erf as erfScalar, erfc as erfcScalar } from '../math';
import { broadcastIndex, broadcastShapes, broadcastStrides, numel, sameShape, shapeText, type Tensor } from '../tensor';
import { sumTo } from './broadcast';
import { apply, type Ctx, leaf, type Op, Var } from './var';

export type Operand = Var | number;

/** A constant (no gradient): a number or a tensor. */
export function constant(x: number | Tensor): Var {
  return leaf(typeof x === 'number' ? { shape: [], data: Float64Array.of(x) } : x, undefined, false);
}

export const asVar = (x: Operand): Var => (typeof x === 'number' ? constant(x) : x);

// ---------------------------------------------------------------------------------------------
// Unary ops
// ---------------------------------------------------------------------------------------------

export interface UnaryDef<A> {
  name: string;
  f(x: number, attrs: A): number;
  /** ∂L/∂x given ∂L/∂y = g, the input x and the output y, written with ops. */
  backward(g: Var, x: Var, y: Var, attrs: A): Var | null;
  rule?(G: string, x: string, attrs: A): string;
}

/** An elementwise op x ↦ f(x) from its scalar kernel and its backward formula. */
export function defineUnary<A = undefined>(def: UnaryDef<A>): Op<A> {
  return {
    name: def.name,
    forward([x], attrs) {
      const d = x.data;
      const out = new Float64Array(d.length);
      const f = def.f;
      for (let i = 0; i < d.length; i++) out[i] = f(d[i], attrs);
      return { shape: x.shape, data: out };
    },
    backward: (g, ctx) => [def.backward(g, ctx.inputs[0], ctx.output, ctx.attrs)],
    rule: def.rule ? (G, inputs, _i, attrs) => def.rule!(G, inputs[0], attrs) : undefined,
  };
}

const unary =
  (op: Op<undefined>) =>
  (x: Var): Var =>
    apply(op, [x], undefined);

// ---------------------------------------------------------------------------------------------
// Binary ops with broadcasting
// ---------------------------------------------------------------------------------------------

function outputShape(name: string, a: readonly number[], b: readonly number[]): number[] {
  const s = broadcastShapes(a, b);
  if (!s) throw new ShapeError(`"${name}" needs shapes that broadcast (equal, or 1 where they differ): ${shapeText(a)} and ${shapeText(b)}`);
  return s;
}

/**
 * An op's loop over n elements of a row: out[o + k] = a[ia + k·sa] ∘ b[ib + k·sb] (a stride is 0
 * where that operand is broadcast along the row).
 */
export type StridedLoop = (a: Float64Array, ia: number, sa: number, b: Float64Array, ib: number, sb: number, out: Float64Array, o: number, n: number) => void;

/**
 * y[k] = f(a[k], b[k]) over the broadcast shape, row by row along the last dimension with each
 * operand's strides (no index maps). `loop`, where an op has one, does the same arithmetic without
 * a call per element: V8 does not inline `f` across the many ops that share this kernel.
 */
export function binaryKernel(name: string, A: Tensor, B: Tensor, f: (a: number, b: number) => number, loop?: StridedLoop): Tensor {
  const a = A.data;
  const b = B.data;
  const run: StridedLoop =
    loop ??
    ((a, ia, sa, b, ib, sb, out, o, n) => {
      for (let k = 0; k < n; k++, ia += sa, ib += sb) out[o + k] = f(a[ia], b[ib]);
    });
  if (sameShape(A.shape, B.shape)) {
    const out = new Float64Array(a.length);
    run(a, 0, 1, b, 0, 1, out, 0, out.length);
    return { shape: A.shape, data: out };
  }
  const shape = outputShape(name, A.shape, B.shape);
  const n = numel(shape);
  const out = new Float64Array(n);
  if (b.length === 1 && a.length === n) {
    run(a, 0, 1, b, 0, 0, out, 0, n);
  } else if (a.length === 1 && b.length === n) {
    run(a, 0, 0, b, 0, 1, out, 0, n);
  } else if (n > 0) {
    const r = shape.length;
    const sa = broadcastStrides(A.shape, shape);
    const sb = broadcastStrides(B.shape, shape);
    const width = shape[r - 1];
    const coord = new Array<number>(r).fill(0);
    let ia = 0;
    let ib = 0;
    for (let o = 0; o < n; o += width) {
      run(a, ia, sa[r - 1], b, ib, sb[r - 1], out, o, width);
      for (let d = r - 2; d >= 0; d--) {
        coord[d]++;
        ia += sa[d];
        ib += sb[d];
        if (coord[d] < shape[d]) break;
        ia -= sa[d] * coord[d];
        ib -= sb[d] * coord[d];
        coord[d] = 0;
      }
    }
  }
  return { shape, data: out };
}

interface BinaryDef {
  name: string;
  f(a: number, b: number): number;
  /** The same arithmetic as a loop (see binaryKernel), for the common operators, which run on every element. */
  loop?: StridedLoop;
  /** ∂L/∂a and ∂L/∂b in the broadcast shape (reduced onto each operand's shape afterwards). */
  backward(g: Var, a: Var, b: Var, y: Var, needs: readonly boolean[]): [Var | null, Var | null];
  rule?(G: string, a: string, b: string, i: number): string;
}

function defineBinary(def: BinaryDef): Op<undefined> {
  return {
    name: def.name,
    forward: ([a, b]) => binaryKernel(def.name, a, b, def.f, def.loop),
    backward(g, ctx: Ctx<undefined>) {
      const [a, b] = ctx.inputs;
      const [ga, gb] = def.backward(g, a, b, ctx.output, ctx.needs);
      return [ga && ctx.needs[0] ? sumTo(ga, a.shape) : null, gb && ctx.needs[1] ? sumTo(gb, b.shape) : null];
    },
    rule: def.rule ? (G, [a, b], i) => def.rule!(G, a, b, i) : undefined,
  };
}

const binary =
  (op: Op<undefined>) =>
  (a: Operand, b: Operand): Var =>
    apply(op, [asVar(a), asVar(b)], undefined);

const times = (G: string, factor: string): string => `${G} · ${factor}`;

const addOp = defineBinary({
  name: '+',
  f: (a, b) => a + b,
  loop: (a, ia, sa, b, ib, sb, out, o, n) => {
    for (let k = 0; k < n; k++, ia += sa, ib += sb) out[o + k] = a[ia] + b[ib];
  },
  backward: (g) => [g, g],
  rule: (G) => times(G, '1'),
});
const subOp = defineBinary({
  name: '-',
  f: (a, b) => a - b,
  loop: (a, ia, sa, b, ib, sb, out, o, n) => {
    for (let k = 0; k < n; k++, ia += sa, ib += sb) out[o + k] = a[ia] - b[ib];
  },
  backward: (g, _a, _b, _y, needs) => [g, needs[1] ? neg(g) : null],
  rule: (G, _a, _b, i) => times(G, i === 0 ? '1' : '(-1)'),
});
const mulOp = defineBinary({
  name: '*',
  f: (a, b) => a * b,
  loop: (a, ia, sa, b, ib, sb, out, o, n) => {
    for (let k = 0; k < n; k++, ia += sa, ib += sb) out[o + k] = a[ia] * b[ib];
  },
  backward: (g, a, b, _y, needs) => [needs[0] ? mul(g, b) : null, needs[1] ? mul(g, a) : null],
  rule: (G, a, b, i) => times(G, i === 0 ? b : a),
});
const divOp = defineBinary({
  name: '/',
  f: (a, b) => a / b,
  loop: (a, ia, sa, b, ib, sb, out, o, n) => {
    for (let k = 0; k < n; k++, ia += sa, ib += sb) out[o + k] = a[ia] / b[ib];
  },
  // div_tensor_self_backward: grad / other; div_tensor_other_backward: -grad * ((self / other) / other)
  backward: (g, a, b, _y, needs) => [needs[0] ? div(g, b) : null, needs[1] ? mul(neg(g), div(div(a, b), b)) : null],
  rule: (G, a, b, i) => times(G, i === 0 ? `1/${b}` : `(-${a}/${b}²)`),
});

/**
 * C's pow, which JavaScript's ** is not: pow(1, y) = 1 and pow(-1, ±inf) = 1 for every y, NaN
 * included (JavaScript gives NaN); everything else agrees.
 */
export function cpow(x: number, y: number): number {
  if (x === 1) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return x ** y;
}

const powOp = defineBinary({
  name: '**',
  f: cpow,
  backward: (g, a, b, y, needs) => [
    // pow_backward_self: where(exponent == 0, 0, grad * (exponent * self^(exponent - 1)))
    needs[0] ? where(eq(b, 0), 0, mul(g, mul(b, pow(a, sub(b, 1))))) : null,
    // pow_backward_exponent: grad * where(self == 0 & exponent >= 0, 0, result * log(self))
    needs[1] ? mul(g, where(logicalAnd(eq(a, 0), ge(b, 0)), 0, mul(y, log(a)))) : null,
  ],
  rule: (G, a, b, i) => times(G, i === 0 ? `${b}·${a}^(${b} - 1)` : `${a}^${b}·log ${a}`),
});

const maximumOp = defineBinary({
  name: 'maximum',
  f: (a, b) => (a !== a || b !== b ? NaN : a > b ? a : b),
  // where(self == other, grad / 2, grad).masked_fill_(self < other, 0), and the mirror for other
  backward: (g, a, b) => {
    const shared = where(eq(a, b), div(g, 2), g);
    return [where(lt(a, b), 0, shared), where(gt(a, b), 0, shared)];
  },
});
const minimumOp = defineBinary({
  name: 'minimum',
  f: (a, b) => (a !== a || b !== b ? NaN : a < b ? a : b),
  backward: (g, a, b) => {
    const shared = where(eq(a, b), div(g, 2), g);
    return [where(gt(a, b), 0, shared), where(lt(a, b), 0, shared)];
  },
});

/**
 * x ** e for a constant number e, as PyTorch's pow(Tensor, Scalar) computes it (Pow.cpp,
 * PowKernel.cpp): 0 gives 1 (NaN⁰ too), 1 a copy, 0.5 sqrt (so (−inf)^0.5 is NaN, not C's inf),
 * −0.5 rsqrt, −1 the reciprocal, 2, 3 and −2 products; anything else C's pow.
 */
function powScalarKernel(e: number): (x: number) => number {
  if (e === 0) return () => 1;
  if (e === 1) return (x) => x;
  if (e === 0.5) return Math.sqrt;
  if (e === -0.5) return (x) => 1 / Math.sqrt(x);
  if (e === -1) return (x) => 1 / x;
  if (e === 2) return (x) => x * x;
  if (e === 3) return (x) => x * x * x;
  if (e === -2) return (x) => 1 / (x * x);
  return (x) => cpow(x, e);
}

interface ExponentAttr {
  e: number;
}
const powScalarOp: Op<ExponentAttr> = {
  name: '**',
  forward([x], { e }) {
    const f = powScalarKernel(e);
    return { shape: x.shape, data: x.data.map(f) };
  },
  // pow_backward: zeros where the exponent is 0 (no graph at all, so no inf·0 in a second
  // derivative), else grad · (e · x^(e − 1)) with the same fast paths.
  backward: (g, { inputs: [x], attrs: { e } }) => [e === 0 ? zeros(x.shape) : mul(g, mul(e, powScalar(x, e - 1)))],
  rule: (G, [x], _i, { e }) => times(G, `${e}·${x}^(${e} - 1)`),
};
const powScalar = (x: Var, e: number): Var => apply(powScalarOp, [x], { e });

export const add = binary(addOp);
export const sub = binary(subOp);
export const mul = binary(mulOp);
export const div = binary(divOp);
const powTensor = binary(powOp);
/**
 * a ** b: with a number exponent (a Python number in a formula), PyTorch's pow(Tensor, Scalar) and
 * its fast paths; with a tensor exponent, even a 0-d constant one (`x ** torch.tensor(0.5)`),
 * pow(Tensor, Tensor), which is C's pow elementwise: (−inf) ** 0.5 is inf there, NaN by sqrt.
 */
export function pow(a: Operand, b: Operand): Var {
  if (typeof a !== 'number' && typeof b === 'number') return powScalar(a, b);
  return powTensor(a, b);
}
export const maximum = binary(maximumOp);
export const minimum = binary(minimumOp);

// ---------------------------------------------------------------------------------------------
// Comparisons and where: masks carry no gradient
// ---------------------------------------------------------------------------------------------

/** Applies an op's forward to the values only: masks and indices are constants, whatever their inputs. */
function constantResult(name: string, a: Operand, b: Operand, f: (a: number, b: number) => number): Var {
  return constant(binaryKernel(name, asVar(a).value, asVar(b).value, f));
}

export const gt = (a: Operand, b: Operand): Var => constantResult('>', a, b, (x, y) => (x > y ? 1 : 0));
export const ge = (a: Operand, b: Operand): Var => constantResult('>=', a, b, (x, y) => (x >= y ? 1 : 0));
export const lt = (a: Operand, b: Operand): Var => constantResult('<', a, b, (x, y) => (x < y ? 1 : 0));
export const le = (a: Operand, b: Operand): Var => constantResult('<=', a, b, (x, y) => (x <= y ? 1 : 0));
export const eq = (a: Operand, b: Operand): Var => constantResult('==', a, b, (x, y) => (x === y ? 1 : 0));
export const ne = (a: Operand, b: Operand): Var => constantResult('!=', a, b, (x, y) => (x !== y ? 1 : 0));
export const logicalAnd = (a: Operand, b: Operand): Var => constantResult('and', a, b, (x, y) => (x !== 0 && y !== 0 ? 1 : 0));
export const logicalOr = (a: Operand, b: Operand): Var => constantResult('or', a, b, (x, y) => (x !== 0 || y !== 0 ? 1 : 0));
export const logicalNot = (a: Operand): Var => constantResult('not', a, 0, (x) => (x === 0 ? 1 : 0));

/** where(c, a, b): a where c is non-zero, else b. It selects, so inf·0 never becomes NaN. */
const whereOp: Op<undefined> = {
  name: 'where',
  forward([c, a, b]) {
    const shape = outputShape('where', outputShape('where', c.shape, a.shape), b.shape);
    const n = numel(shape);
    const ic = broadcastIndex(c.shape, shape);
    const ia = broadcastIndex(a.shape, shape);
    const ib = broadcastIndex(b.shape, shape);
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) out[k] = c.data[ic[k]] !== 0 ? a.data[ia[k]] : b.data[ib[k]];
    return { shape, data: out };
  },
  backward(g, { inputs: [c, a, b], needs }) {
    return [null, needs[1] ? sumTo(where(c, g, 0), a.shape) : null, needs[2] ? sumTo(where(c, 0, g), b.shape) : null];
  },
  rule: (G, [c], i) => `${G} where ${i === 1 ? c : `not ${c}`}, else 0`,
};

export function where(c: Var, a: Operand, b: Operand): Var {
  return apply(whereOp, [c, asVar(a), asVar(b)], undefined);
}

// ---------------------------------------------------------------------------------------------
// Math functions (torch.*), with PyTorch's backward formulas
// ---------------------------------------------------------------------------------------------

const negOp = defineUnary({ name: 'neg', f: (x) => -x, backward: (g) => neg(g), rule: (G) => times(G, '(-1)') });
export const neg = unary(negOp);

const expOp = defineUnary({ name: 'exp', f: Math.exp, backward: (g, _x, y) => mul(g, y), rule: (G, x) => times(G, `exp(${x})`) });
const logOp = defineUnary({ name: 'log', f: Math.log, backward: (g, x) => div(g, x), rule: (G, x) => times(G, `1/${x}`) });
const log2Op = defineUnary({ name: 'log2', f: Math.log2, backward: (g, x) => div(g, mul(x, Math.LN2)) });
const log10Op = defineUnary({ name: 'log10', f: Math.log10, backward: (g, x) => div(g, mul(x, Math.LN10)) });
// log1p_backward: grad / (self + 1)
const log1pOp = defineUnary({ name: 'log1p', f: Math.log1p, backward: (g, x) => div(g, add(x, 1)) });
// expm1: grad * (result + 1)
const expm1Op = defineUnary({ name: 'expm1', f: Math.expm1, backward: (g, _x, y) => mul(g, add(y, 1)) });
// sqrt: grad / (2 * result)
const sqrtOp = defineUnary({ name: 'sqrt', f: Math.sqrt, backward: (g, _x, y) => div(g, mul(2, y)), rule: (G, x) => times(G, `1/(2·sqrt(${x}))`) });
// rsqrt: -0.5 * grad * result^3
const rsqrtOp = defineUnary({ name: 'rsqrt', f: (x) => 1 / Math.sqrt(x), backward: (g, _x, y) => mul(mul(-0.5, g), pow(y, 3)) });
const sinOp = defineUnary({ name: 'sin', f: Math.sin, backward: (g, x) => mul(g, cos(x)) });
const cosOp = defineUnary({ name: 'cos', f: Math.cos, backward: (g, x) => mul(g, neg(sin(x))) });
// tan: grad * (1 + result^2)
const tanOp = defineUnary({ name: 'tan', f: Math.tan, backward: (g, _x, y) => mul(g, add(1, pow(y, 2))) });
// asin: grad * (-self * self + 1).rsqrt(); acos: the negative
const asinOp = defineUnary({ name: 'asin', f: Math.asin, backward: (g, x) => mul(g, rsqrt(add(mul(neg(x), x), 1))) });
const acosOp = defineUnary({ name: 'acos', f: Math.acos, backward: (g, x) => mul(g, neg(rsqrt(add(mul(neg(x), x), 1)))) });
// atan: grad / (self * self + 1)
const atanOp = defineUnary({ name: 'atan', f: Math.atan, backward: (g, x) => div(g, add(mul(x, x), 1)) });
const sinhOp = defineUnary({ name: 'sinh', f: Math.sinh, backward: (g, x) => mul(g, cosh(x)) });
const coshOp = defineUnary({ name: 'cosh', f: Math.cosh, backward: (g, x) => mul(g, sinh(x)) });
// erf: 2/sqrt(pi) * exp(-self^2) * grad; erfc the negative
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const erfOp = defineUnary({ name: 'erf', f: erfScalar, backward: (g, x) => mul(mul(TWO_OVER_SQRT_PI, exp(neg(pow(x, 2)))), g) });
const erfcOp = defineUnary({ name: 'erfc', f: erfcScalar, backward: (g, x) => mul(mul(-TWO_OVER_SQRT_PI, exp(neg(pow(x, 2)))), g) });

/** torch.sign: 0 at ±0 and, as PyTorch's kernel (sign = (0 < x) − (x < 0)), 0 at NaN. */
export const sgnScalar = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0);
// abs: grad * self.sgn()
const absOp = defineUnary({ name: 'abs', f: Math.abs, backward: (g, x) => mul(g, sign(x)), rule: (G, x) => times(G, `sign(${x})`) });
const signOp = defineUnary({ name: 'sign', f: sgnScalar, backward: (g) => zeros(g.shape) });

export const exp = unary(expOp);
export const log = unary(logOp);
export const log2 = unary(log2Op);
export const log10 = unary(log10Op);
export const log1p = unary(log1pOp);
export const expm1 = unary(expm1Op);
export const sqrt = unary(sqrtOp);
/**
 * √v of a variance, as torch.std: its backward is PyTorch's std_backward, grad/(2·std) with 0
 * where std is 0 (masked_fill(result == 0, 0)), so a constant sample has gradient 0, not NaN.
 */
const stdOfVarianceOp = defineUnary({ name: 'std', f: Math.sqrt, backward: (g, _v, y) => where(eq(y, 0), 0, div(g, mul(2, y))) });
export const stdOfVariance = unary(stdOfVarianceOp);
export const rsqrt = unary(rsqrtOp);
export const sin = unary(sinOp);
export const cos = unary(cosOp);
export const tan = unary(tanOp);
export const asin = unary(asinOp);
export const acos = unary(acosOp);
export const atan = unary(atanOp);
export const sinh = unary(sinhOp);
export const cosh = unary(coshOp);
export const erf = unary(erfOp);
export const erfc = unary(erfcOp);
export const abs = unary(absOp);
/** sign(x) (PyTorch's sign/sgn): its gradient is 0 everywhere. */
export const sign = (x: Var): Var => (x.requiresGrad ? apply(signOp, [x], undefined) : constant(signOp.forward([x.value], undefined)));

// sigmoid and tanh: PyTorch's backward uses the rounded output, y·(1 − y) and 1 − y², so a
// gradient through a saturated unit is exactly 0 as in PyTorch (sigmoid_backward, tanh_backward).

// ---------------------------------------------------------------------------------------------
// Backward kernels as ops (PyTorch's x_backward(grad_output, saved)), differentiable again
// ---------------------------------------------------------------------------------------------

export interface BackwardOpDef<A> {
  name: string;
  /** The kernel: grad_input from grad_output g and the saved input (or output) x, as PyTorch's CPU kernel computes it. */
  f(g: number, x: number, attrs: A): number;
  /**
   * derivatives.yaml's entry for the saved input (`self`): ∂L/∂x given ∂L/∂(grad_input) = gg.
   * The entry for grad_output is always the op itself applied to gg (these kernels are linear
   * and diagonal in grad_output), so it is not repeated per op.
   */
  input(gg: Var, g: Var, x: Var, attrs: A): Var;
}

/** A backward op applied: grad_input from grad_output g and the saved input (or output) x. */
export type BackwardFn<A> = (g: Var, x: Var, attrs: A) => Var;

/**
 * A backward kernel x_backward(grad_output, self) of an elementwise function as a primitive op,
 * so that the gradient it computes can be differentiated again (PyTorch's double backward).
 */
export function defineBackwardOp<A>(def: BackwardOpDef<A>): BackwardFn<A> {
  const op: Op<A> = {
    name: def.name,
    forward: ([g, x], attrs) => binaryKernel(def.name, g, x, (a, b) => def.f(a, b, attrs)),
    backward: (gg, { inputs: [g, x], attrs, needs }) => [
      needs[0] ? sumTo(applyBackward(gg, x, attrs), g.shape) : null,
      needs[1] ? sumTo(def.input(gg, g, x, attrs), x.shape) : null,
    ],
  };
  const applyBackward: BackwardFn<A> = (g, x, attrs) => apply(op, [g, x], attrs);
  return applyBackward;
}

/** sigmoid_backward(grad, y) = grad · (1 − y) · y; derivatives.yaml's output entry: grad · grad_output · (1 − 2y). */
export const sigmoidBackward = defineBackwardOp<undefined>({
  name: 'sigmoid_backward',
  f: (a, b) => a * (1 - b) * b,
  input: (gg, g, y) => mul(mul(gg, g), add(mul(-2, y), 1)),
});

/** tanh_backward(grad, y) = grad · (1 − y²); derivatives.yaml's output entry: −2 · y · grad · grad_output. */
export const tanhBackward = defineBackwardOp<undefined>({
  name: 'tanh_backward',
  f: (a, b) => a * (1 - b * b),
  input: (gg, g, y) => mul(mul(mul(-2, y), gg), g),
});

/** σ(x) = 1/(1 + e^(−x)) as PyTorch's kernel computes it (0 below x ≈ −745, where e^(−x) overflows). */
export const sigmoidScalar = (x: number): number => 1 / (1 + Math.exp(-x));

const sigmoidOp = defineUnary({
  name: 'sigmoid',
  f: sigmoidScalar,
  backward: (g, _x, y) => sigmoidBackward(g, y, undefined),
  rule: (G, x) => times(G, `σ(${x})(1 − σ(${x}))`),
});
/**
 * tanh as PyTorch's CPU kernel computes it (SLEEF's xtanh): exactly ±1 for |x| > 18.714973875,
 * where Math.tanh still gives 0.9999999999999999 up to x ≈ 19.06; so tanh_backward's 1 − y² is 0
 * from there on, as in PyTorch. Below, both are within an ulp of the exact value.
 */
const tanhScalar = (x: number): number => (Math.abs(x) > 18.714973875 ? Math.sign(x) : Math.tanh(x));
const tanhOp = defineUnary({ name: 'tanh', f: tanhScalar, backward: (g, _x, y) => tanhBackward(g, y, undefined), rule: (G, x) => times(G, `(1 − tanh²(${x}))`) });
export const sigmoid = unary(sigmoidOp);
export const tanh = unary(tanhOp);

// clamp(x, min, max) = min(max(x, min), max); clamp_backward selects: grad where min ≤ x ≤ max.
interface Bounds {
  min: number | null;
  max: number | null;
}
const clampOp: Op<Bounds> = {
  name: 'clamp',
  forward([x], { min, max }) {
    const d = x.data;
    const out = new Float64Array(d.length);
    const lo = min ?? -Infinity;
    const hi = max ?? Infinity;
    for (let i = 0; i < d.length; i++) {
      const v = d[i];
      // NaN propagates, as in PyTorch; a lower bound above the upper gives the upper everywhere.
      out[i] = v !== v ? v : Math.min(Math.max(v, lo), hi);
    }
    return { shape: x.shape, data: out };
  },
  backward(g, { inputs: [x], attrs: { min, max } }) {
    let mask: Var | undefined;
    if (min !== null) mask = ge(x, min);
    if (max !== null) mask = mask ? logicalAnd(mask, le(x, max)) : le(x, max);
    return [mask ? where(mask, g, 0) : g];
  },
};
export const clamp = (x: Var, min: number | null, max: number | null): Var => apply(clampOp, [x], { min, max });

/** A Var's value as a plain number (scalars). */
export const item = (v: Var): number => v.value.data[0];

/** The zeros of a shape, as a constant. */
export const zeros = (shape: readonly number[]): Var => constant({ shape: shape.slice(), data: new Float64Array(numel(shape)) });
export const ones = (shape: readonly number[]): Var => constant({ shape: shape.slice(), data: new Float64Array(numel(shape)).fill(1) });
export { Var };
