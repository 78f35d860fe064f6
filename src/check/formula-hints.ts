/**
 * The usual mistakes in a formula answer, as candidates the formula is tried against at every
 * point of the check: corrections of the formula itself (σ(1 − σ) applied to z instead of σ(z),
 * 1 − z² for tanh'), other quantities of the same problem (the value for the derivative, the
 * other reduction), and the transformations any answer can suffer (sign, factor 2, factor N).
 * A hint is given only when the candidate explains the formula everywhere.
 */
import type { BinaryNode, Expr } from '../parse/python/ast';
import { unparse } from '../parse/python/unparse';
import type { Tensor } from '../tensor';
import { genericTransforms, type Point } from './expect';
import type { FormulaProblem } from './formula';

export type FormulaCandidate =
  /** The formula's values are these (a mistake made on the right answer). */
  | { hint: string; values: (point: number) => ArrayLike<number> | undefined }
  /** This corrected formula is right (a mistake made in writing the formula). */
  | { hint: string; corrected: string };

const SPAN: [number, number] = [0, 0];
const call = (fn: string, arg: Expr): Expr => ({ kind: 'call', callee: { kind: 'name', name: fn, span: SPAN }, args: [arg], kwargs: [], span: SPAN });
const binary = (op: BinaryNode['op'], left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right, opPos: 0, span: SPAN });
const one: Expr = { kind: 'number', value: 1, text: '1', integer: true, span: SPAN };
const two: Expr = { kind: 'number', value: 2, text: '2', integer: true, span: SPAN };

/** The factors of a product chain a*b*c. */
function factors(e: Expr): Expr[] {
  return e.kind === 'binary' && e.op === '*' ? [...factors(e.left), ...factors(e.right)] : [e];
}

/** u for `1 - u`. */
function oneMinus(e: Expr): Expr | undefined {
  return e.kind === 'binary' && e.op === '-' && e.left.kind === 'number' && e.left.value === 1 ? e.right : undefined;
}

/** Is e a call of the function named `fn` under any prefix (sigmoid, torch.sigmoid, F.sigmoid, x.sigmoid())? */
function calls(e: Expr, fn: string): boolean {
  if (e.kind !== 'call') return false;
  const c = e.callee;
  return (c.kind === 'name' && c.name === fn) || (c.kind === 'attribute' && c.name === fn);
}

/** Every sub-formula, outermost first. */
function* nodes(e: Expr): Generator<Expr> {
  yield e;
  switch (e.kind) {
    case 'binary':
      yield* nodes(e.left);
      yield* nodes(e.right);
      break;
    case 'unary':
      yield* nodes(e.operand);
      break;
    case 'call':
      for (const a of e.args) yield* nodes(a);
      break;
    default:
  }
}

/** The formula with one sub-formula replaced. */
function replacing(root: Expr, from: Expr, to: Expr): Expr {
  if (root === from) return to;
  switch (root.kind) {
    case 'binary':
      return { ...root, left: replacing(root.left, from, to), right: replacing(root.right, from, to) };
    case 'unary':
      return { ...root, operand: replacing(root.operand, from, to) };
    case 'call':
      return { ...root, args: root.args.map((a) => replacing(a, from, to)) };
    default:
      return root;
  }
}

/**
 * σ'(u) = σ(u)(1 − σ(u)) and tanh'(u) = 1 − tanh²(u) written on u itself: u*(1 - u) and 1 - u**2
 * where u is not already σ(…) or tanh(…). The candidate is the formula with the function put back.
 */
function misappliedDerivatives(tree: Expr): FormulaCandidate[] {
  const out: FormulaCandidate[] = [];
  for (const node of nodes(tree)) {
    const fs = factors(node);
    if (fs.length >= 2) {
      for (const f of fs) {
        const u = oneMinus(f);
        if (!u || calls(u, 'sigmoid')) continue;
        const partner = fs.find((g) => g !== f && unparse(g) === unparse(u));
        if (!partner) continue;
        const s = call('sigmoid', u);
        const fixed = fs.map((g) => (g === partner ? s : g === f ? binary('-', one, s) : g)).reduce((a, b) => binary('*', a, b));
        const wrong = binary('*', u, binary('-', one, u));
        const right = binary('*', s, binary('-', one, s));
        out.push({
          hint: `σ'(u) = σ(u)·(1 − σ(u)) is applied to σ(u), not to u: the formula has ${unparse(wrong)} where ${unparse(right)} is meant`,
          corrected: unparse(replacing(tree, node, fixed)),
        });
      }
    }
    const u = oneMinus(node);
    if (u && u.kind === 'binary' && u.op === '**' && u.right.kind === 'number' && u.right.value === 2 && !calls(u.left, 'tanh')) {
      const fixed = binary('-', one, binary('**', call('tanh', u.left), two));
      out.push({
        hint: `tanh'(u) = 1 − tanh²(u) squares tanh(u), not u: the formula has ${unparse(node)} where ${unparse(fixed)} is meant`,
        corrected: unparse(replacing(tree, node, fixed)),
      });
    }
  }
  return out;
}

export function formulaCandidates(p: FormulaProblem, tree: Expr, points: readonly { at: Point; actual: Tensor }[]): FormulaCandidate[] {
  const out: FormulaCandidate[] = misappliedDerivatives(tree);
  for (const a of p.alternatives ?? []) {
    const cache = new Map<number, Tensor | undefined>();
    out.push({ hint: a.hint, values: (i) => (cache.has(i) ? cache.get(i) : (cache.set(i, a.values(points[i].at)), cache.get(i)))?.data });
  }
  // The factors N of each size, after the sign, twice and half (genericTransforms has them for N > 2 only).
  const transforms = [...genericTransforms(), ...[...new Set(p.sizes ?? [])].flatMap((n) => genericTransforms(n).slice(3))];
  for (const t of transforms) out.push({ hint: t.hint, values: (i) => t.apply(points[i].actual)?.data });
  return out;
}
