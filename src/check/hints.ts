/**
 * The usual mistakes for a function's value, gradient or Jacobian, as candidate answers that
 * --expect compares with the numbers given (see findHint).
 */
import { compute, type Quantity, type Request, type Result } from '../compute';
import type { Tensor } from '../tensor';
import { type Candidate, genericCandidates, transposeBlocks } from './expect';

const map = (t: Tensor, f: (v: number) => number): Tensor => ({ shape: t.shape, data: t.data.map(f) });

/** The same request with a change, or undefined when that request is not valid. */
function recompute(req: Request, change: Partial<Request>): Result | undefined {
  try {
    return compute({ ...req, ...change });
  } catch {
    return undefined;
  }
}

export function functionCandidates(req: Request, r: Result, q: Quantity): Candidate[] {
  const actual = r[q]!;
  const out: Candidate[] = [];
  const d = r.fn;
  if (q === 'value') {
    const g = recompute(req, { grad: true, jacobian: false })?.grad;
    out.push({ hint: 'the numbers are the derivative, not the value (add --grad to check a derivative)', values: g });
  } else if (r.value.data.length === actual.data.length) {
    out.push({ hint: `the numbers are the values ${d.name}(x), not the ${q === 'jacobian' ? 'Jacobian' : 'derivative'}`, values: r.value });
  }
  const isLoss = d.kind === 'loss';
  out.push(...genericCandidates(actual, isLoss ? undefined : r.input.data.length));
  if (isLoss && r.params.reduction !== 'none') {
    const other = r.params.reduction === 'sum' ? 'mean' : 'sum';
    const alt = recompute(req, { params: { ...req.params, reduction: other } });
    const n = alt && r.value.data[0] !== 0 ? Math.round((other === 'sum' ? alt.value.data[0] / r.value.data[0] : r.value.data[0] / alt.value.data[0]) * 1e6) / 1e6 : undefined;
    out.push({
      hint:
        other === 'sum'
          ? `the numbers match --reduction sum: the losses were added, not averaged over N = ${n} (the reduction here is mean)`
          : `the numbers match --reduction mean: the sum divided by N = ${n} (the reduction here is sum)`,
      values: alt?.[q],
    });
  }
  if (q === 'jacobian') out.push({ hint: 'the Jacobian is transposed: its rows are the outputs y_i and its columns the inputs x_j', values: transposeBlocks(actual) });
  if (q === 'grad' && !req.gradOutput) {
    if (d.name === 'sigmoid') {
      out.push({ hint: "σ'(x) was computed as x(1 − x): it is σ(x)(1 − σ(x)), the formula applied to σ(x), not to x", values: map(r.input, (x) => x * (1 - x)) });
    }
    if (d.name === 'tanh') {
      out.push({ hint: "tanh'(x) was computed as 1 − x²: it is 1 − tanh²(x), the formula applied to tanh(x), not to x", values: map(r.input, (x) => 1 - x * x) });
    }
  }
  // Probabilities given where logits are expected: the numbers of the same loss of log(p) (cross-entropy)
  // or logit(p) (bce-with-logits), which is what p - y by hand amounts to.
  if (d.name === 'cross-entropy' && r.input.data.every((x) => x > 0 && x <= 1)) {
    const alt = recompute(req, { input: map(r.input, Math.log) });
    out.push({ hint: 'the numbers treat the inputs as probabilities, but cross-entropy takes logits (it applies log_softmax itself); for probabilities use nll on their logs', values: alt?.[q] });
  }
  if (d.name === 'bce-with-logits' && r.input.data.every((x) => x > 0 && x < 1)) {
    const alt = recompute(req, { input: map(r.input, (p) => Math.log(p / (1 - p))) });
    out.push({ hint: 'the numbers treat the inputs as probabilities, but bce-with-logits takes logits (it applies the sigmoid itself); for probabilities use bce', values: alt?.[q] });
  }
  return out;
}
