/**
 * The Unicode math of actgrad's texts (the registry's formulas, the rules of worked solutions,
 * hints) as LaTeX: σ → \sigma, ∂L/∂x → \frac{\partial L}{\partial x}, x² → x^{2}, e^(−x) →
 * e^{-x}, · → \cdot, ≙ → \triangleq, x_ij → x_{ij}, √(…) → \sqrt{…}; words that are not
 * variables or functions are set as \text{}. `mathText` gives math-mode LaTeX; `proseText`
 * gives a \text{} with the math inside it as $…$. Both use only what LaTeX (amsmath) and KaTeX
 * both know, with no Unicode left.
 */
import { escapeText } from '../symbolic/latex';

const SYMBOLS: Readonly<Record<string, string>> = {
  'σ': '\\sigma', 'α': '\\alpha', 'β': '\\beta', 'γ': '\\gamma', 'δ': '\\delta', 'ε': '\\varepsilon', 'η': '\\eta', 'θ': '\\theta', 'λ': '\\lambda',
  'μ': '\\mu', 'π': '\\pi', 'ρ': '\\rho', 'τ': '\\tau', 'φ': '\\phi', 'ω': '\\omega', 'Σ': '\\sum', 'Π': '\\prod', 'ℓ': '\\ell', 'Δ': '\\Delta',
  '·': ' \\cdot ', '×': ' \\times ', '⊙': ' \\odot ', '⊗': ' \\otimes ', '−': '-', '≤': ' \\le ', '≥': ' \\ge ', '≠': ' \\ne ', '≈': ' \\approx ',
  '∈': ' \\in ', '∉': ' \\notin ', '→': ' \\to ', '∞': '\\infty', '≙': ' \\triangleq ', '…': '\\ldots ', '‖': '\\|', '⟨': '\\langle ', '⟩': '\\rangle ',
  '²': '^{2}', '³': '^{3}', 'ᵀ': '^{\\top}', '½': '\\tfrac{1}{2}', '∂': '\\partial ', '∇': '\\nabla ', '⁻': '^{-}',
  '₀': '_{0}', '₁': '_{1}', '₂': '_{2}', '₃': '_{3}', 'ᵢ': '_{i}', 'ⱼ': '_{j}', '✓': '\\checkmark ', '✗': '\\times ',
  '{': '\\{', '}': '\\}', '%': '\\%', '&': '\\&', '#': '\\#', '$': '\\$', '~': '\\sim ', '\\': '\\backslash ', '"': "''", '`': '',
  ';': ';\\quad ', '\u00a0': ' ', '±': ' \\pm ', '÷': ' \\div ', '⋯': '\\cdots ', '∘': ' \\circ ',
};

/** Functions LaTeX sets upright by its own command. */
const COMMANDS: ReadonlySet<string> = new Set(['exp', 'log', 'sin', 'cos', 'tan', 'sinh', 'cosh', 'tanh', 'max', 'min', 'arcsin', 'arccos', 'arctan']);
const GREEK_WORDS: ReadonlySet<string> = new Set(['alpha', 'beta', 'gamma', 'delta', 'mu', 'sigma', 'tau', 'theta', 'pi', 'rho', 'omega', 'phi', 'eta']);

export interface MathContext {
  /** Identifiers that are variables or parameters (alpha, min_val, weight): set in math italics, not as prose. */
  readonly variables?: ReadonlySet<string>;
  /** Inside a subscript, short words are indices (δ_ij), not prose. */
  readonly subscript?: boolean;
}

// Letters, but not modifier letters (ᵀ, ᵢ), which are superscripts and subscripts here.
const LETTER = /[\p{Lu}\p{Ll}\p{Lt}\p{Lo}]/u;
const WORD = /^[\p{Lu}\p{Ll}\p{Lt}\p{Lo}_][\p{Lu}\p{Ll}\p{Lt}\p{Lo}\p{Nd}_]*/u;

/** The index after the group that starts at `open` ('(' … matching ')'), or -1. */
function closing(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

/** A word: a variable (x_i → x_{i}), a function (\operatorname), a Greek letter, or prose (undefined). */
function word(w: string, next: string, ctx: MathContext): string | undefined {
  const primes = /'+$/.exec(w)?.[0] ?? '';
  const bare = w.slice(0, w.length - primes.length);
  const tex = (() => {
    if (COMMANDS.has(bare)) return `\\${bare}`;
    if (GREEK_WORDS.has(bare)) return `\\${bare}`;
    if (bare === 'lambd') return '\\lambda';
    if (bare === 'sgn' || bare === 'sign') return '\\operatorname{sgn}';
    // A name called like a function (softmax(x), log_softmax(x)_c, relu'(x)).
    if ((next === '(' || primes) && [...bare].length > 1) return `\\operatorname{${escapeText(bare)}}`;
    if (ctx.subscript && /^[A-Za-z]{1,3}$/.test(bare)) return bare;
    const under = /^(.+?)_(.+)$/u.exec(bare);
    if (under && !ctx.variables?.has(bare)) {
      const base = word(under[1], '', ctx) ?? `\\mathit{${escapeText(under[1])}}`;
      // x1_i: the base has a subscript of its own, so it is one group ({x_{1}}_{i}).
      return `${base.includes('_') ? `{${base}}` : base}_{${mathText(under[2], { ...ctx, subscript: true })}}`;
    }
    if ([...bare].length === 1) return SYMBOLS[bare]?.trim() ?? bare;
    if (/^[A-Za-z]\d+$/.test(bare)) return `${bare[0]}_{${bare.slice(1)}}`;
    if (ctx.variables?.has(bare)) return `\\mathit{${escapeText(bare)}}`;
    return undefined;
  })();
  return tex === undefined ? undefined : tex + primes;
}

/** Math-mode LaTeX of a text written with Unicode math. */
export function mathText(s: string, ctx: MathContext = {}): string {
  let out = '';
  let prose: string[] = [];
  const flushProse = (): void => {
    if (prose.length) out += `\\text{${escapeText(prose.join(''))}}`;
    prose = [];
  };
  let i = 0;
  while (i < s.length) {
    const rest = s.slice(i);
    // ∂A/∂B, ∂²A/∂B∂C
    const partial = /^∂(²)?([^\s/∂·]+)\/((?:∂[\p{L}\p{N}_\[\]']+)+)/u.exec(rest);
    if (partial) {
      flushProse();
      const order = partial[1] ? '^{2}' : '';
      const denominator = partial[3].split('∂').filter(Boolean).map((d) => `\\partial ${mathText(d, ctx)}`).join(' ');
      out += `\\frac{\\partial${order} ${mathText(partial[2], ctx)}}{${denominator}}`;
      i += partial[0].length;
      continue;
    }
    const c = s[i];
    if (c === '^' || c === '_') {
      flushProse();
      const after = s[i + 1];
      if (after === '(' || after === '{') {
        const end = after === '(' ? closing(s, i + 1) : s.indexOf('}', i + 1);
        if (end > 0) {
          out += `${c}{${mathText(s.slice(i + 2, end), c === '_' ? { ...ctx, subscript: true } : ctx)}}`;
          i = end + 1;
          continue;
        }
      }
      const m = /^[-\u2212]?[\p{L}\p{N}.]+/u.exec(s.slice(i + 1));
      if (m) {
        out += `${c}{${mathText(m[0], c === '_' ? { ...ctx, subscript: true } : ctx)}}`;
        i += 1 + m[0].length;
        continue;
      }
      out += c === '_' ? '\\_' : '\\hat{}';
      i++;
      continue;
    }
    if (c === '√') {
      flushProse();
      if (s[i + 1] === '(') {
        const end = closing(s, i + 1);
        if (end > 0) {
          out += `\\sqrt{${mathText(s.slice(i + 2, end), ctx)}}`;
          i = end + 1;
          continue;
        }
      }
      const m = /^[\p{L}\p{N}.²]+/u.exec(s.slice(i + 1));
      out += `\\sqrt{${m ? mathText(m[0], ctx) : ''}}`;
      i += 1 + (m ? m[0].length : 0);
      continue;
    }
    const num = /^\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/.exec(rest);
    if (num) {
      flushProse();
      const e = /^(\d+(?:\.\d+)?)[eE]([-+]?\d+)$/.exec(num[0]);
      out += e ? `${e[1] === '1' ? '' : `${e[1]} \\cdot `}10^{${Number(e[2])}}` : num[0];
      i += num[0].length;
      continue;
    }
    // A word stops at a symbol of its own (βx is β·x, Σx the sum of x).
    const w = WORD.exec(rest);
    const cut = w ? [...w[0]].findIndex((ch) => ch in SYMBOLS) : -1;
    if (w && cut !== 0) {
      let text = cut > 0 ? [...w[0]].slice(0, cut).join('') : w[0];
      let end = i + text.length;
      // A hat (U+0302) on the last letter: x̂ → \hat{x}.
      while (s[end] === "'") {
        text += "'";
        end++;
      }
      const hat = s[end] === '\u0302';
      const tex = word(text, s[end] ?? '', ctx);
      if (tex === undefined && !hat) {
        // A space before the first word of a run is kept inside the \text (math mode drops it).
        if (!prose.length && s[i - 1] === ' ' && out) prose.push(' ');
        prose.push(text);
        i = end;
        // Spaces and punctuation between prose words stay inside the same \text.
        const gap = /^[ ,.:]+(?=[\p{L}])/u.exec(s.slice(i));
        if (gap && WORD.test(s.slice(i + gap[0].length)) && word(WORD.exec(s.slice(i + gap[0].length))![0], '', ctx) === undefined) {
          prose.push(gap[0]);
          i += gap[0].length;
        } else if (/^ /.test(s.slice(i))) {
          prose.push(' ');
          i++;
        }
        continue;
      }
      flushProse();
      out += hat ? `\\hat{${tex ?? text}}` : tex!;
      i = end + (hat ? 1 : 0);
      // A command followed by a letter needs a space: \sigma x, not \sigmax.
      if (/\\[A-Za-z]+$/.test(out) && LETTER.test(s[i] ?? '')) out += ' ';
      continue;
    }
    flushProse();
    if (c in SYMBOLS) out += SYMBOLS[c];
    else if (c === '\u0302') out += '';
    else if (/[\x20-\x7e]/.test(c)) out += c;
    else out += `\\text{${escapeText(c)}}`;
    if (/\\[A-Za-z]+$/.test(out) && LETTER.test(s[i + 1] ?? '')) out += ' ';
    i++;
  }
  flushProse();
  return out.replace(/ {2,}/g, ' ').trim();
}

/** A sentence with Unicode math in it, as \text{…} with each run of math as $…$. */
export function proseText(s: string): string {
  let out = '';
  let math = '';
  const flush = (): void => {
    if (math) out += `$${mathText(math)}$`;
    math = '';
  };
  for (const c of s) {
    if (/[\x20-\x7e]/.test(c) && !'{}%&#$^~\\_'.includes(c)) {
      flush();
      out += c;
    } else if (/[\x20-\x7e]/.test(c)) {
      flush();
      out += escapeText(c);
    } else if (c === '’' || c === '‘') {
      flush();
      out += "'";
    } else if (c === '“' || c === '”') {
      flush();
      out += c === '“' ? '``' : "''";
    } else if (c === '—' || c === '–') {
      flush();
      out += c === '—' ? '---' : '--';
    } else math += c;
  }
  flush();
  return `\\text{${out}}`;
}
