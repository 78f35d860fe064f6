/**
 * Formulas of the expression language as LaTeX (amsmath, and KaTeX/MathJax as printed):
 * quotients as \frac, powers as superscripts, σ for sigmoid, Σ for sum, Wᵀ for W.T, `where` as
 * cases. Functions are recognised through the built-ins table (./names.ts), so torch.exp,
 * x.exp() and exp are all e^{x}. Anything without a mathematical form is set as code.
 */
import type { Expr, Program } from '../parse/python/ast';
import { unparse } from '../parse/python/unparse';
import { resolveCallee, resolveProperty, type Target } from './names';

/** Escapes text for \text{} and \texttt{} (LaTeX and KaTeX alike). */
export function escapeText(s: string): string {
  return s.replace(/[\\{}_%&#$^~]/g, (c) =>
    c === '\\' ? '\\textbackslash{}' : c === '^' ? '\\textasciicircum{}' : c === '~' ? '\\textasciitilde{}' : `\\${c}`,
  );
}

const code = (s: string): string => `\\texttt{${escapeText(s)}}`;

const GREEK: ReadonlySet<string> = new Set([
  'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'mu', 'nu', 'xi', 'pi', 'rho', 'sigma', 'tau', 'upsilon',
  'phi', 'chi', 'psi', 'omega', 'Gamma', 'Delta', 'Theta', 'Lambda', 'Xi', 'Pi', 'Sigma', 'Phi', 'Psi', 'Omega',
]);

/** A name as a variable: x, w_{1}, \alpha, x_{\mathrm{hat}}, \mathit{logits}. */
export function latexName(n: string): string {
  if (GREEK.has(n)) return `\\${n}`;
  if (n === 'lambd') return '\\lambda';
  const digits = /^([A-Za-z]+)(\d+)$/.exec(n);
  if (digits) return `${latexName(digits[1])}_{${digits[2]}}`;
  const under = /^([A-Za-z][A-Za-z0-9]*)_([A-Za-z0-9_]+)$/.exec(n);
  if (under) return `${latexName(under[1])}_{${/^[A-Za-z0-9]$/.test(under[2]) ? under[2] : `\\mathrm{${escapeText(under[2])}}`}}`;
  if (n.length === 1) return n;
  return `\\mathit{${escapeText(n)}}`;
}

function number(value: number, text?: string): string {
  const t = text ?? String(value);
  const m = /^(\d*\.?\d*)[eE]([+-]?\d+)$/.exec(t.replace(/_/g, ''));
  if (m) {
    const mantissa = m[1] === '1' || m[1] === '1.' || m[1] === '' ? '' : `${m[1]} \\cdot `;
    return `${mantissa}10^{${Number(m[2])}}`;
  }
  return t.replace(/_/g, '');
}

/** Precedence of what is printed (higher binds tighter), for parentheses. */
const SUM = 7;
const PRODUCT = 8;
const UNARY = 9;
const POWER = 10;
const ATOM = 11;

interface Tex {
  tex: string;
  prec: number;
}

const paren = (t: Tex, min: number): string => (t.prec < min ? `\\left(${t.tex}\\right)` : t.tex);

/** How each function of the table is set: by its name in the built-ins table or the registry. */
const FUNCTIONS: Record<string, (args: Tex[], kw: string) => Tex> = {
  exp: ([x]) => ({ tex: `e^{${x.tex}}`, prec: POWER }),
  log: ([x]) => ({ tex: `\\log\\left(${x.tex}\\right)`, prec: ATOM }),
  sqrt: ([x]) => ({ tex: `\\sqrt{${x.tex}}`, prec: ATOM }),
  abs: ([x]) => ({ tex: `\\left|${x.tex}\\right|`, prec: ATOM }),
  sigmoid: ([x]) => ({ tex: `\\sigma\\left(${x.tex}\\right)`, prec: ATOM }),
  norm: ([x]) => ({ tex: `\\left\\lVert ${x.tex} \\right\\rVert`, prec: ATOM }),
  sum: ([x], kw) => ({ tex: `\\sum${kw ? `_{${kw}}` : ''} ${paren(x, POWER)}`, prec: PRODUCT }),
  T: ([x]) => ({ tex: `${paren(x, ATOM)}^{\\top}`, prec: POWER }),
  t: ([x]) => ({ tex: `${paren(x, ATOM)}^{\\top}`, prec: POWER }),
  outer: ([a, b]) => ({ tex: `${paren(a, PRODUCT)}\\, ${paren(b, ATOM)}^{\\top}`, prec: PRODUCT }),
  dot: ([a, b]) => ({ tex: `${paren(a, PRODUCT)} \\cdot ${paren(b, POWER)}`, prec: PRODUCT }),
  ones: ([n]) => ({ tex: `\\mathbf{1}_{${n?.tex ?? ''}}`, prec: ATOM }),
  ones_like: () => ({ tex: '\\mathbf{1}', prec: ATOM }),
  zeros_like: () => ({ tex: '\\mathbf{0}', prec: ATOM }),
  eye: ([n]) => ({ tex: `I_{${n?.tex ?? ''}}`, prec: ATOM }),
  where: ([c, a, b]) => ({ tex: `\\begin{cases} ${a.tex} & \\text{if } ${c.tex} \\\\ ${b.tex} & \\text{otherwise} \\end{cases}`, prec: ATOM }),
};
for (const f of ['sin', 'cos', 'tan', 'sinh', 'cosh', 'tanh']) FUNCTIONS[f] ??= ([x]) => ({ tex: `\\${f}\\left(${x.tex}\\right)`, prec: ATOM });
for (const [f, cmd] of [['asin', 'arcsin'], ['acos', 'arccos'], ['atan', 'arctan']]) FUNCTIONS[f] ??= ([x]) => ({ tex: `\\${cmd}\\left(${x.tex}\\right)`, prec: ATOM });

const nameOf = (t: Target): string => ('builtin' in t ? t.builtin.name : t.descriptor.name.replace(/-/g, '_'));

const COMPARE: Readonly<Record<string, string>> = { '<': '<', '<=': '\\le', '>': '>', '>=': '\\ge', '==': '=', '!=': '\\ne' };

/** The LaTeX of a formula; `bound` names shadow functions, as in the evaluator. */
export function formulaLatex(e: Expr, bound: ReadonlySet<string> = new Set()): string {
  const shadowed = (n: string): boolean => bound.has(n);
  const visit = (e: Expr): Tex => {
    switch (e.kind) {
      case 'number': {
        const tex = number(e.value, e.text);
        // 1e-12 is set as 10^{-12}: a power, which a superscript must not follow directly.
        return { tex, prec: tex.includes('\\cdot') ? PRODUCT : tex.includes('^') ? POWER : ATOM };
      }
      case 'name':
        return { tex: latexName(e.name), prec: ATOM };
      case 'string':
        return { tex: code(`'${e.value}'`), prec: ATOM };
      case 'constant':
        return { tex: code(String(e.value === null ? 'None' : e.value ? 'True' : 'False')), prec: ATOM };
      case 'unary':
        return e.op === '-' ? { tex: `-${paren(visit(e.operand), UNARY)}`, prec: UNARY } : visit(e.operand);
      case 'binary': {
        const a = visit(e.left);
        const b = visit(e.right);
        switch (e.op) {
          case '+':
            return { tex: `${a.tex} + ${paren(b, SUM)}`, prec: SUM };
          case '-':
            return { tex: `${a.tex} - ${paren(b, SUM + 1)}`, prec: SUM };
          case '*': {
            // 2x, 2\sigma(z); otherwise a centred dot between factors.
            const juxtapose = e.left.kind === 'number' && /^[A-Za-z\\]/.test(paren(b, PRODUCT));
            return { tex: `${paren(a, PRODUCT)}${juxtapose ? '' : ' \\cdot '}${paren(b, PRODUCT + 1)}`, prec: PRODUCT };
          }
          case '/':
            return { tex: `\\frac{${a.tex}}{${b.tex}}`, prec: ATOM };
          case '**':
            return { tex: `${paren(a, ATOM)}^{${b.tex}}`, prec: POWER };
          case '@':
            return { tex: `${paren(a, PRODUCT)}\\, ${paren(b, PRODUCT + 1)}`, prec: PRODUCT };
          case '&':
            return { tex: `${paren(a, SUM)} \\land ${paren(b, SUM)}`, prec: 5 };
          case '|':
            return { tex: `${paren(a, SUM)} \\lor ${paren(b, SUM)}`, prec: 4 };
          default:
            return { tex: code(unparse(e)), prec: ATOM };
        }
      }
      case 'compare':
        return { tex: e.operands.map((o, i) => `${i ? ` ${COMPARE[e.ops[i - 1]]} ` : ''}${paren(visit(o), 6)}`).join(''), prec: 5 };
      case 'attribute': {
        if (e.object.kind === 'name' && (e.object.name === 'math' || e.object.name === 'torch') && !shadowed(e.object.name)) {
          if (e.name === 'pi') return { tex: '\\pi', prec: ATOM };
          if (e.name === 'e') return { tex: 'e', prec: ATOM };
          if (e.name === 'inf') return { tex: '\\infty', prec: ATOM };
        }
        const property = resolveProperty(e, shadowed);
        if (property && (property.target as { builtin?: { name: string } }).builtin?.name.endsWith('T')) return { tex: `${paren(visit(e.object), ATOM)}^{\\top}`, prec: POWER };
        return { tex: code(unparse(e)), prec: ATOM };
      }
      case 'call': {
        const resolved = resolveCallee(e.callee, shadowed);
        const args = [...(resolved?.self ? [resolved.self] : []), ...e.args].map(visit);
        const kw = e.kwargs.map((k) => `\\text{${escapeText(k.name)}}=${visit(k.value).tex}`).join(',\\ ');
        const name = resolved ? nameOf(resolved.target) : unparse(e.callee);
        const special = FUNCTIONS[name];
        if (special && (kw === '' || name === 'sum')) return special(args, kw);
        const all = [...args.map((a) => a.tex), ...(kw ? [kw] : [])].join(',\\ ');
        return { tex: `\\operatorname{${escapeText(name)}}\\left(${all}\\right)`, prec: ATOM };
      }
      case 'subscript': {
        if (e.indices.some((i) => i.kind === 'slice')) return { tex: code(unparse(e)), prec: ATOM };
        const index = e.indices.map((i) => visit(i as Expr).tex).join(',');
        // A row of the identity is a unit vector.
        const inner = e.object.kind === 'call' ? resolveCallee(e.object.callee, shadowed) : undefined;
        if (inner && nameOf(inner.target) === 'eye') return { tex: `\\mathbf{e}_{${index}}`, prec: ATOM };
        // A subscripted object is one group: {t_{1}}_{1}, not the double subscript t_{1}_{1}.
        const object = paren(visit(e.object), ATOM);
        return { tex: `${object.includes('_') ? `{${object}}` : object}_{${index}}`, prec: ATOM };
      }
      case 'list':
      case 'tuple':
        return { tex: `\\left(${e.elements.map((x) => visit(x).tex).join(',\\ ')}\\right)`, prec: ATOM };
      default:
        return { tex: code(unparse(e)), prec: ATOM };
    }
  };
  return visit(e).tex;
}

/** A program's statements as LaTeX lines: `h = …`, and the result. */
export function programLatex(p: Program, bound: ReadonlySet<string> = new Set()): { target?: string; tex: string }[] {
  return p.statements.map((s) => ({ target: s.target === undefined ? undefined : latexName(s.target), tex: formulaLatex(s.value, bound) }));
}
