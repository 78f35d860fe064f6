/**
 * The names a binding may have (`grad "α*x" α=0.1 x=2`, `--wrt α`, `--expect α=…`, the REPL's
 * `α = 0.1`): Python's identifiers, as the formula lexer reads them. ASCII letters, digits and _,
 * or Unicode letters (α, σ, ℓ); not '·', which formulas read as times. As in Python, and as the
 * lexer does, a name is read in its NFKC form when that form is a name too (𝑥 is x), so a
 * binding and the formula that uses it always agree on its spelling.
 */

/** Python's identifier: an ID_Start character or _, then ID_Continue characters, but never '·'. */
export const NAME_PATTERN = '[_\\p{ID_Start}](?:(?!\\u00b7)\\p{ID_Continue})*';

/**
 * A regular expression made on first use. The first one with a Unicode property in a process
 * costs most of a millisecond (as the formula lexer notes), which start-up does not pay for a
 * binding that may never be written.
 */
export function lazyRegExp(source: string, flags: string): () => RegExp {
  let made: RegExp | undefined;
  return () => (made ??= new RegExp(source, flags));
}

const ASCII_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NAME = lazyRegExp(`^${NAME_PATTERN}$`, 'u');

/** Whether `text` is a name, as written. */
export function isName(text: string): boolean {
  return ASCII_NAME.test(text) || NAME().test(text);
}

/** The name `text` binds (its NFKC form when that is a name too), or undefined if it is none. */
export function bindingName(text: string): string | undefined {
  if (ASCII_NAME.test(text)) return text;
  if (!NAME().test(text)) return undefined;
  const normal = text.normalize('NFKC');
  return NAME().test(normal) ? normal : text;
}
