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

  // The function's own usual mistakes (its descriptor's `mistakes`), named only where the numbers match them.
  const words = (hint: string): string =>
    hint
      .replace(/\{the\}/g, the)
      .replace(/\{are\}/g, are)
      .replace(/\{match\}/g, match)
      .replace(/\{treat\}/g, treat)
      .replace(/\{C\}/g, String(r0.input.shape[r0.input.shape.length - 1] ?? 1))
      .replace(/\{N\}/g, String(numel(r0.input.shape)));
  const later: FunctionAlternative[] = [];
  for (const m of d.mistakes ?? []) {
    if (m.kind === 'classes-factor') {
      out.push({ hint: words(m.hint), values: (_req, r) => scaled(r[q], r.input.shape[r.input.shape.length - 1] ?? 1) });
    } else if (m.kind === 'other-reduction' && reduction === m.from) {
      out.push({ hint: words(m.hint), values: (req) => recompute(req, { args: { ...req.args, reduction: m.to } })?.[q] });
    } else if (m.kind === 'derivative-of-input' && q === 'grad' && !req0.gradOutput && answer === 'numbers') {
      // (A formula answer shows this mistake in its own text: ./formula-hints.ts finds it there.)
      later.push({ hint: words(m.hint), values: (req) => map(req.input, m.derivative) });
    } else if (m.kind === 'probabilities-for-logits' && r0.input.data.every((x) => x > 0 && x <= 1 && Number.isFinite(m.toLogits(x)))) {
      later.push({ hint: words(m.hint), values: (req) => recompute(req, { input: map(req.input, m.toLogits) })?.[q] });
    }
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
  out.push(...later);
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
