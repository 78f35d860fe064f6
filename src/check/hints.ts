/**
 * The usual mistakes for a function's value, gradient, Jacobian or Hessian, each written once as
 * an alternative answer computed from the request: --expect compares the numbers given with each
 * at the given point (findHint), and a formula answer with each at every point of its check.
 * A hint is given only when the numbers match the mistake, never by default.
 */
import { computeFunction, type FunctionRequest as Request } from '../commands/function';
import type { FunctionResult as Result, Quantity } from '../result';
import { numel, type Tensor } from '../tensor';
import { type Candidate, genericTransforms, type Transform, transposeBlocks } from './expect';

const map = (t: Tensor, f: (v: number) => number): Tensor => ({ shape: t.shape, data: t.data.map(f) });
const scaled = (t: Tensor | undefined, f: number): Tensor | undefined => t && map(t, (v) => v * f);

/** The same request with a change, or undefined when that request is not valid. */
function recompute(req: Request, change: Partial<Request>): Result | undefined {
  try {
    return computeFunction({ ...req, ...change });
  } catch {
    return undefined;
  }
}

/** A mistaken answer to a function request: its hint, and its values for a request (at any point). */
export interface FunctionAlternative {
  hint: string;
  values(req: Request, r: Result): Tensor | undefined;
}

/** Wording: numbers given, or a formula. */
export type Answer = 'numbers' | 'formula';

/** The mistakes that depend on what was computed, most specific first. */
export function functionAlternatives(req0: Request, r0: Result, q: Quantity, answer: Answer = 'numbers'): FunctionAlternative[] {
  const d = r0.fn;
  // The sentence's subject and its verbs: "the numbers are …", "the formula gives …".
  const [the, are, give, match, treat] = answer === 'numbers' ? ['the numbers', 'are', 'are', 'match', 'treat'] : ['the formula', 'is', 'gives', 'matches', 'treats'];
  const out: FunctionAlternative[] = [];
  const reduction = r0.params.reduction;
  const isLoss = d.kind === 'loss';

  // 11.12: conventions that trap students, named only where the numbers match them.
  if (d.name === 'multi-margin') {
    const classes = r0.input.shape[r0.input.shape.length - 1] ?? 1;
    out.push({
      hint: `${the} ${are} C = ${classes} times actgrad's: PyTorch's multi_margin_loss divides each sample's sum of margins by the number of classes C; CS231n's SVM loss does not`,
      values: (req, r) => scaled(r[q], r.input.shape[r.input.shape.length - 1] ?? 1),
    });
  }
  if (d.name === 'kl-div' && reduction === 'mean') {
    out.push(
      {
        hint: `${the} ${match} reduction='batchmean' (the textbook KL per sample: the sum divided by the batch size); reduction='mean' divides by every element, ${numel(r0.input.shape)} here`,
        values: (req) => recompute(req, { args: { ...req.args, reduction: 'batchmean' } })?.[q],
      },
      {
        hint: `${the} ${match} reduction='sum' (the textbook KL divergence); reduction='mean' divides by every element, ${numel(r0.input.shape)} here`,
        values: (req) => recompute(req, { args: { ...req.args, reduction: 'sum' } })?.[q],
      },
    );
  }

  if (q === 'value') {
    out.push({ hint: `${the} ${give} the derivative, not the value (add --grad to check a derivative)`, values: (req) => recompute(req, { grad: true, jacobian: false })?.grad });
  } else if (r0.value.data.length === r0[q]!.data.length) {
    out.push({ hint: `${the} ${give} the values ${d.name}(x), not the ${q === 'jacobian' ? 'Jacobian' : q === 'hessian' ? 'Hessian' : 'derivative'}`, values: (req, r) => r.value });
  }
  if (isLoss && reduction !== 'none' && reduction !== 'batchmean') {
    const other = reduction === 'sum' ? 'mean' : 'sum';
    const alt = recompute(req0, { args: { ...req0.args, reduction: other } });
    const n = alt && r0.value.data[0] !== 0 ? Math.round((other === 'sum' ? alt.value.data[0] / r0.value.data[0] : r0.value.data[0] / alt.value.data[0]) * 1e6) / 1e6 : undefined;
    out.push({
      hint:
        other === 'sum'
          ? `${the} ${match} --reduction sum: the losses were added, not averaged over N = ${n} (the reduction here is mean)`
          : `${the} ${match} --reduction mean: the sum divided by N = ${n} (the reduction here is sum)`,
      values: (req) => recompute(req, { args: { ...req.args, reduction: other } })?.[q],
    });
  }
  if (q === 'grad' && !req0.gradOutput && answer === 'numbers') {
    // (A formula answer shows these mistakes in its own text: ./formula-hints.ts finds them there.)
    if (d.name === 'sigmoid') {
      out.push({ hint: "σ'(x) was computed as x(1 − x): it is σ(x)(1 − σ(x)), the formula applied to σ(x), not to x", values: (req) => map(req.input, (x) => x * (1 - x)) });
    }
    if (d.name === 'tanh') {
      out.push({ hint: "tanh'(x) was computed as 1 − x²: it is 1 − tanh²(x), the formula applied to tanh(x), not to x", values: (req) => map(req.input, (x) => 1 - x * x) });
    }
  }
  // Probabilities given where logits are expected: the numbers of the same loss of log(p) (cross-entropy)
  // or logit(p) (bce-with-logits), which is what p - y by hand amounts to.
  if (d.name === 'cross-entropy' && r0.input.data.every((x) => x > 0 && x <= 1)) {
    out.push({
      hint: `${the} ${treat} the inputs as probabilities, but cross-entropy takes logits (it applies log_softmax itself); for probabilities use nll on their logs`,
      values: (req) => recompute(req, { input: map(req.input, Math.log) })?.[q],
    });
  }
  if (d.name === 'bce-with-logits' && r0.input.data.every((x) => x > 0 && x < 1)) {
    out.push({
      hint: `${the} ${treat} the inputs as probabilities, but bce-with-logits takes logits (it applies the sigmoid itself); for probabilities use bce`,
      values: (req) => recompute(req, { input: map(req.input, (p) => Math.log(p / (1 - p))) })?.[q],
    });
  }
  return out;
}

/** The transformations of the answer that apply to this quantity (sign, 2, N; a transposed Jacobian). */
export function functionTransforms(r: Result, q: Quantity): Transform[] {
  const out = genericTransforms(r.fn.kind === 'loss' ? undefined : r.input.data.length);
  if (q === 'jacobian') out.push({ hint: 'the Jacobian is transposed: its rows are the outputs y_i and its columns the inputs x_j', apply: transposeBlocks });
  return out;
}

/** The candidates for numbers given at the request's point, in order: specific mistakes, then transformations. */
export function functionCandidates(req: Request, r: Result, q: Quantity): Candidate[] {
  const actual = r[q]!;
  return [
    ...functionAlternatives(req, r, q).map((a) => ({ hint: a.hint, values: a.values(req, r) })),
    ...functionTransforms(r, q).map((t) => ({ hint: t.hint, values: t.apply(actual) })),
  ];
}
