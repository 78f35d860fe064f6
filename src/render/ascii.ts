/**
 * Text in ASCII for a locale that is not UTF-8 (terminal tables and charts) and for the notes of
 * csv and tsv output. No dependencies, so that the csv renderer can use it without loading the
 * table's libraries.
 */

/** Greek letters and signs that titles, headers and labels use, spelled in ASCII. */
const ASCII_SPELLING: Record<string, string> = {
  Σ: 'sum',
  '≙': '=',
  '·': '*',
  '⊙': '*',
  '×': 'x',
  '…': '...',
  '–': '-',
  '—': '-',
  '−': '-',
  '′': "'",
  '²': '^2',
  '≤': '<=',
  '≥': '>=',
  '≈': '~',
  '✓': 'ok',
  '✗': 'FAIL',
  α: 'alpha',
  β: 'beta',
  γ: 'gamma',
  δ: 'delta',
  ε: 'eps',
  θ: 'theta',
  λ: 'lambda',
  μ: 'mu',
  π: 'pi',
  σ: 'sigma',
  τ: 'tau',
  φ: 'phi',
  ω: 'omega',
};

/**
 * A title, header or label in ASCII, for terminals whose locale is not UTF-8: derivatives as
 * d(loss)/dx (dy/dx, dy_i/dx_j for one letter), ∂²s/∂x_i∂x_j as d2s/(dx_i dx_j), Greek letters and signs by
 * name, anything else non-ASCII (accents dropped first) as '?'.
 */
export function asciiText(text: string): string {
  if (/^[\x00-\x7f]*$/.test(text)) return text;
  let s = text
    .replace(/∂²(\w+)\/∂(\w+)∂(\w+)/g, 'd2$1/(d$2 d$3)')
    .replace(/∂([A-Za-z](?:_\w+)?)\/∂/g, 'd$1/d')
    .replace(/∂(\([^)]*\)|[\w.[\],]+)\/∂/g, (_m, name: string) => `d${name.startsWith('(') ? name : `(${name})`}/d`)
    .replace(/∂/g, 'd');
  s = s.replace(/[^\x00-\x7f]/g, (c) => ASCII_SPELLING[c] ?? c);
  // Accented letters lose their accents; what is left has no ASCII form.
  return s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x00-\x7f]/g, '?');
}
