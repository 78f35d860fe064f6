/**
 * Floor division and remainder (Python's `//` and `%` on tensors, torch.floor_divide and
 * torch.remainder), with PyTorch's kernels: c10's div_floor_floating and the CPU remainder kernel.
 * They are Python's own float // and % but for the sign of a zero remainder: PyTorch's
 * remainder(-6., 3) is -0 (fmod's sign), Python's -6.0 % 3 is 0.0.
 */
import { sumTo } from './broadcast';
import { asVar, binaryKernel, constant, mul, neg, type Operand } from './elementwise';
import { apply, type Op, type Var } from './var';

/** a // b as c10::div_floor_floating (and CPython's float_floor_div): floor of the exact quotient. */
export function floorDivideScalar(a: number, b: number): number {
  if (b === 0) return a / b; // IEEE: ±inf or NaN
  const mod = a % b; // C's fmod
  let div = (a - mod) / b;
  if (mod !== 0 && b < 0 !== mod < 0) div -= 1;
  if (div === 0) {
    const q = a / b; // copysign(0, a / b)
    return q < 0 || Object.is(q, -0) ? -0 : 0;
  }
  let floored = Math.floor(div);
  if (div - floored > 0.5) floored += 1;
  return floored;
}

/** a % b with the sign of b (PyTorch's remainder, Python's %). */
export function remainderScalar(a: number, b: number): number {
  const mod = a % b;
  return mod !== 0 && b < 0 !== mod < 0 ? mod + b : mod;
}

/** torch.floor_divide: a constant, since PyTorch does not differentiate it. */
export const floorDivide = (a: Operand, b: Operand): Var => constant(binaryKernel('//', asVar(a).value, asVar(b).value, floorDivideScalar));

// derivatives.yaml, remainder.Tensor: self: grad; other: -grad * self.div(other, rounding_mode="floor")
const remainderOp: Op<undefined> = {
  name: '%',
  forward: ([a, b]) => binaryKernel('%', a, b, remainderScalar),
  backward: (g, { inputs: [a, b], needs }) => [needs[0] ? sumTo(g, a.shape) : null, needs[1] ? sumTo(mul(neg(g), floorDivide(a, b)), b.shape) : null],
  rule: (G, [a, b], i) => (i === 0 ? `${G} · 1` : `${G} · (-(${a} // ${b}))`),
};

export const remainder = (a: Operand, b: Operand): Var => apply(remainderOp, [asVar(a), asVar(b)], undefined);
