/**
 * Splitting a REPL line into words as a POSIX shell does, so that a line typed at the prompt means
 * what it means after `actgrad` in a shell: blanks separate words; '…' is literal; "…" keeps blanks
 * and takes \" \\ \$ \` as escapes (any other backslash stays); outside quotes a backslash escapes
 * the next character; a word beginning with # starts a comment. No expansion of $, ~ or globs:
 * there is nothing to expand them to, and `x^2` or `[1, 2]` must reach actgrad as typed.
 */
import { UsageError } from '../errors';

/** A line cut at the cursor: the finished words, and the word being typed. */
export interface PartialLine {
  words: string[];
  /** the word being typed, unquoted ('' after a blank) */
  current: string;
  /** the same word as typed (its quotes and backslashes), which a completion replaces */
  currentRaw: string;
  /** the quote left open in the current word, if any */
  openQuote?: '"' | "'";
}

const BLANK = /[ \t\r\n]/;
/** In double quotes, a backslash escapes only these (POSIX). */
const DOUBLE_QUOTE_ESCAPES = '"\\$`';

function scanLine(line: string): PartialLine {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let start = 0;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < line.length && DOUBLE_QUOTE_ESCAPES.includes(line[i + 1])) word += line[++i];
      else word += c;
      continue;
    }
    if (BLANK.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    if (!inWord) {
      if (c === '#') return { words, current: '', currentRaw: '' };
      inWord = true;
      start = i;
    }
    if (c === "'" || c === '"') quote = c;
    // A backslash at the very end has nothing to escape: it stays.
    else if (c === '\\') word += i + 1 < line.length ? line[++i] : c;
    else word += c;
  }
  return { words, current: inWord ? word : '', currentRaw: inWord ? line.slice(start) : '', openQuote: quote };
}

/** The words of a whole line; an unclosed quote is an input error. */
export function splitWords(line: string): string[] {
  const p = scanLine(line);
  if (p.openQuote) throw new UsageError(`the line has an unclosed ${p.openQuote} quote: close it, e.g. grad "x^3" x=2`);
  return p.currentRaw === '' ? p.words : [...p.words, p.current];
}

/** The line up to the cursor, for Tab completion: an open quote is fine there. */
export function splitPartial(lineBeforeCursor: string): PartialLine {
  return scanLine(lineBeforeCursor);
}

/** A word written so that splitWords reads it back unchanged (for completions that insert it). */
export function quoteWord(word: string): string {
  if (word === '') return "''";
  return word.replace(/[ \t\r\n'"\\#]/g, (c, i: number) => (c === '#' && i > 0 ? c : `\\${c}`));
}
