/**
 * latex: results as amsmath display math that KaTeX and MathJax render as printed. Each block
 * is `\[ … \]` or an `align*` environment, ready to paste into a document (amsmath) or a
 * Markdown file with math. Vectors are columns, matrices `bmatrix`, each labelled with what it
 * is (\frac{\partial L}{\partial x}); a worked solution is an align* of the forward pass and one
 * of the backward pass; --symbolic derivatives are equations; checks are a small array and
 * their verdict.
 *
 * Large tensors are elided: at most 10 columns (amsmath's default MaxMatrixCols, beyond which a
 * bmatrix does not compile) and 10 rows (--rows all shows every row), the first ones, ⋯ or ⋮,
 * and the last one; at most 4 blocks of a higher-rank tensor.
 */
import type { CheckOutput } from './check';
import { estimateRows, gradcheckDetails, gradcheckHeading, gradcheckVerdict, verdictSummary } from './check';
import type { Descriptor } from '../functions/types';
import { parseExpression, parseProgram } from '../parse/python/parser';
import type { FunctionResult, GradResult, Steps } from '../result';
import { formulaLatex, latexName, programLatex } from '../symbolic/latex';
import { numel, type Tensor } from '../tensor';
import { formatNumber } from './format';
import { mathText, proseText } from './latex-text';

export interface LatexOptions {
  precision?: number;
  /** rows shown of a matrix (Infinity: all); at most 10 unless all */
  rows: number;
}

/** amsmath's default MaxMatrixCols: a bmatrix with more columns does not compile. */
export const MAX_COLUMNS = 10;
export const MAX_ROWS = 10;
const MAX_BLOCKS = 4;

export function latexNumber(x: number, precision?: number): string {
  const t = formatNumber(x, precision ?? 6);
  if (t === 'inf') return '\\infty';
  if (t === '-inf') return '-\\infty';
  if (t === 'nan') return '\\mathrm{NaN}';
  const m = /^(-?)(\d+(?:\.\d+)?)e([-+]\d+)$/.exec(t);
  if (m) return `${m[1]}${m[2] === '1' ? '' : `${m[2]} \\times `}10^{${Number(m[3])}}`;
  return t;
}

/** Which indices of n to show within a limit: the first limit − 2, a gap (−1), the last one. */
function shown(n: number, limit: number): number[] {
  if (n <= limit) return Array.from({ length: n }, (_, i) => i);
  return [...Array.from({ length: Math.max(1, limit - 2) }, (_, i) => i), -1, n - 1];
}

function matrix(rows: number, cols: number, at: (i: number, j: number) => number, o: LatexOptions): string {
  const rowLimit = o.rows === Infinity ? Infinity : Math.min(o.rows, MAX_ROWS);
  const is = rowLimit === Infinity ? Array.from({ length: rows }, (_, i) => i) : shown(rows, rowLimit);
  const js = shown(cols, MAX_COLUMNS);
  const lines = is.map((i) => js.map((j) => (i < 0 && j < 0 ? '\\ddots' : i < 0 ? '\\vdots' : j < 0 ? '\\cdots' : latexNumber(at(i, j), o.precision))).join(' & '));
  return `\\begin{bmatrix} ${lines.join(' \\\\ ')} \\end{bmatrix}`;
}

/** A tensor: a number, a column vector, a matrix, or a bracket of matrices (leading indices). */
export function tensorLatex(t: Tensor, o: LatexOptions): string {
  if (t.shape.length === 0) return latexNumber(t.data[0], o.precision);
  if (t.shape.length === 1) return matrix(t.shape[0], 1, (i) => t.data[i], o);
  const [m, n] = t.shape.slice(-2);
  if (t.shape.length === 2) return matrix(m, n, (i, j) => t.data[i * n + j], o);
  const blocks = numel(t.shape.slice(0, -2));
  const parts = shown(blocks, MAX_BLOCKS).map((b) =>
    b < 0 ? '\\ldots' : tensorLatex({ shape: [m, n], data: t.data.subarray(b * m * n, (b + 1) * m * n) }, o),
  );
  return `\\left[\\, ${parts.join(',\\; ')} \\,\\right]`;
}

const align = (lines: string[]): string => `\\begin{align*}\n${lines.join(' \\\\\n')}\n\\end{align*}\n`;
const display = (tex: string): string => `\\[ ${tex} \\]\n`;

/** `f(x)` for a function of the registry, as the expression language would set it (\sigma(x), \operatorname{softmax}(x)). */
function callLatex(d: Descriptor, argument = 'x'): string {
  try {
    return formulaLatex(parseExpression(`${d.name.replace(/-/g, '_')}(${argument})`));
  } catch {
    return `\\operatorname{${d.name}}\\left(${argument}\\right)`;
  }
}

const frac = (top: string, bottom: string): string => `\\frac{${top}}{${bottom}}`;

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

export function functionLatex(r: FunctionResult, o: LatexOptions): string {
  const d = r.fn;
  const loss = d.kind === 'loss';
  const y = loss ? 'L' : callLatex(d);
  const lines: string[] = [`x &= ${tensorLatex(r.input, o)}`];
  const target = r.params.target;
  if (target && typeof target === 'object' && 'data' in target) lines.push(`t &= ${tensorLatex(target, o)}`);
  if (r.gradOutput) lines.push(`g &= ${tensorLatex(r.gradOutput, o)}`);
  lines.push(`${loss ? `L_{\\text{${r.params.reduction ?? 'mean'}}}` : y} &= ${tensorLatex(r.value, o)}`);
  // The scalar that --grad and --hessian differentiate.
  const scalar = loss ? 'L' : r.value.shape.length === 0 && !r.gradOutput ? 'y' : r.gradOutput ? '\\textstyle\\sum_i g_i y_i' : '\\textstyle\\sum_i y_i';
  if (r.grad) {
    const order = r.order ?? 1;
    const label =
      d.kind === 'elementwise' && !r.gradOutput
        ? order === 1
          ? `${frac('d', 'dx')} ${y}`
          : `${frac(`d^{${order}}`, `dx^{${order}}`)} ${y}`
        : loss || r.value.shape.length === 0
          ? frac(`\\partial ${loss ? 'L' : 'y'}`, '\\partial x')
          : `${frac('\\partial', '\\partial x')} ${scalar}`;
    lines.push(`${label} &= ${tensorLatex(r.grad, o)}`);
  }
  if (r.jvp) lines.push(`J v &= ${tensorLatex(r.jvp, o)}`);
  if (r.jacobian) lines.push(`${frac('\\partial y', '\\partial x')} &= ${tensorLatex(r.jacobian, o)}`);
  if (r.hessian) lines.push(`${loss || r.value.shape.length === 0 ? frac(`\\partial^{2} ${loss ? 'L' : 'y'}`, '\\partial x\\, \\partial x^{\\top}') : `${frac('\\partial^{2}', '\\partial x\\, \\partial x^{\\top}')} ${scalar}`} &= ${tensorLatex(r.hessian, o)}`);
  if (r.hvp) lines.push(`H v &= ${tensorLatex(r.hvp, o)}`);
  return align(lines);
}

/** The formula of a grad result (statements as lines), with the bound names' values. */
function gradFormulaLines(r: GradResult, o: LatexOptions): string[] {
  const bound = new Set(r.at.map(([n]) => n));
  const lines: string[] = [];
  try {
    const statements = programLatex(parseProgram(r.expression), bound);
    for (const s of statements) lines.push(`${s.target ?? `f(${r.at.map(([n]) => latexName(n)).join(', ')})`} &= ${s.tex}`);
  } catch {
    lines.push(`f &= \\texttt{${r.expression.replace(/[\\{}_%&#$^~]/g, (c) => `\\${c}`)}}`);
  }
  for (const [n, t] of r.at) lines.push(`${latexName(n)} &= ${tensorLatex(t, o)}`);
  return lines;
}

const partial = (n: string): string => frac('\\partial f', `\\partial ${latexName(n)}`);

export function gradLatex(r: GradResult, o: LatexOptions): string {
  const lines = [...gradFormulaLines(r, o), `f &= ${tensorLatex(r.value, o)}`];
  for (const [n, g] of r.grads ?? []) lines.push(`${partial(n)} &= ${tensorLatex(g, o)}`);
  for (const [n, J] of r.jacobians ?? []) {
    const rows = numel(r.value.shape);
    lines.push(`${partial(n)} &= ${tensorLatex({ shape: [rows, J.data.length / Math.max(rows, 1)], data: J.data }, o)}`);
  }
  if (r.hessian) {
    const over = r.hessian.wrt.map(latexName).join(', ');
    lines.push(`${frac('\\partial^{2} f', `\\partial (${over})^{2}`)} &= ${tensorLatex(r.hessian.matrix, o)}`);
    lines.push(`&\\text{over } (${r.hessian.variables.map((v) => mathText(v)).join(',\\ ')})`);
  }
  if (r.hvp) lines.push(`H v &= ${tensorLatex(r.hvp, o)}`);
  let out = align(lines);
  if (r.symbolic) out += `\n${symbolicLatex(r)}`;
  return out;
}

/** --symbolic: one equation per name. */
export function symbolicLatex(r: GradResult): string {
  const bound = new Set(r.at.map(([n]) => n));
  return align(r.symbolic!.map(([n, f]) => `${partial(n)} &= ${formulaLatex(parseExpression(f), bound)}`));
}

// ---------------------------------------------------------------------------------------------
// Worked solutions
// ---------------------------------------------------------------------------------------------

/** An operation of a worked solution (`t1 + b`, `h ^ 2`, `t2.sum()`), parsed where it can be. */
function opLatex(op: string, names: ReadonlySet<string>): string {
  try {
    return formulaLatex(parseExpression(op), names);
  } catch {
    return mathText(op, { variables: names });
  }
}

export function stepsLatex(s: Steps, o: LatexOptions): string {
  const names = new Set(s.forward.map((st) => st.node));
  const forward = s.forward.map((st) =>
    st.op === 'input' ? `${latexName(st.node)} &= ${tensorLatex(st.value, o)}` : `${latexName(st.node)} &= ${opLatex(st.op, names)} = ${tensorLatex(st.value, o)}`,
  );
  const root = s.forward[s.forward.length - 1].node;
  const dL = (n: string): string => frac('\\partial L', `\\partial ${latexName(n)}`);
  const uses = new Map<string, number>();
  for (const st of s.backward) for (const p of st.passes) uses.set(p.input, (uses.get(p.input) ?? 0) + 1);
  const backward: string[] = [`L &= ${latexName(root)},\\quad ${dL(root)} = 1`];
  for (const st of s.backward) {
    for (const p of st.passes) {
      backward.push(`${dL(p.input)} &${(uses.get(p.input) ?? 0) > 1 ? '\\mathrel{+}=' : '='} ${mathText(p.rule, { variables: names })} = ${tensorLatex(p.contribution, o)}`);
    }
  }
  const totals = s.gradients.map((g) => `${dL(g.name)} &= ${tensorLatex(g.total, o)}`);
  return `${display('\\text{forward pass}')}${align(forward)}\n${display('\\text{backward pass}')}${align([...backward, ...totals])}`;
}

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

export function checksLatex(c: CheckOutput, o: LatexOptions): string {
  const out: string[] = [];
  for (const v of c.verdicts) {
    out.push(display(proseText(`check of the ${v.quantity}`)));
    if (v.formula) {
      out.push(display(`\\text{formula: } ${formulaLatex(parseExpression(v.formula.text))}`));
    } else {
      const hasIndex = v.numbers.some((n) => n.index.length > 0);
      const head = [...(hasIndex ? ['index'] : []), 'expected', 'actual', 'difference', ''].map((h) => (h ? `\\text{${h}}` : '')).join(' & ');
      const rows = v.numbers.map((n) =>
        [...(hasIndex ? [n.index.join(',')] : []), mathText(n.text), latexNumber(n.actual, o.precision), latexNumber(n.difference, 3), n.match ? '\\checkmark' : '\\times'].join(' & '),
      );
      out.push(display(`\\begin{array}{${hasIndex ? 'r' : ''}rrrc} ${head} \\\\ \\hline ${rows.join(' \\\\ ')} \\end{array}`));
    }
    out.push(display(proseText(verdictSummary(v, o.precision))));
    if (v.hint) out.push(display(proseText(`hint: ${v.hint}`)));
  }
  for (const g of c.gradchecks) {
    const lines = [gradcheckHeading(g), ...gradcheckDetails(g)].map((l) => `&${proseText(l)}`);
    if (g.estimates) {
      const { rows, more } = estimateRows(g, o.rows === Infinity ? Infinity : Math.min(o.rows, MAX_ROWS));
      for (const e of rows) lines.push(`${mathText(e.at)} &= ${latexNumber(e.analytic, o.precision)}\\ \\text{(analytic)},\\quad ${latexNumber(e.numeric, o.precision)}\\ \\text{(numerical)}`);
      if (more) lines.push(`&${proseText(`… ${more} more`)}`);
    }
    lines.push(`&${proseText(gradcheckVerdict(g))}`);
    out.push(align(lines));
  }
  return out.join('');
}

// ---------------------------------------------------------------------------------------------
// explain
// ---------------------------------------------------------------------------------------------

/** The formulas of `explain`: value and derivative, each formula of a text on its own line. */
export function explainLatex(d: Descriptor): string {
  const variables = new Set(d.args.map((a) => a.name));
  const rows = (label: string, text: string): string[] =>
    text
      .split(/;\s+/)
      .map((part, i) => `${i === 0 ? `\\text{${label}}\\quad` : ''} & ${mathText(part, { variables })}`);
  return align([`&${proseText(`${d.name}: ${d.summary}`)}`, ...rows('value', d.formula.value), ...rows('derivative', d.formula.derivative)]);
}

