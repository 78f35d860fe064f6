/**
 * The REPL's bindings: `z = 2 1 0.1` names numbers, and later lines use the name where numbers are
 * taken. A bound name stands for its numbers as if they had been typed there, and only there:
 * - the input of a function (`softmax z`), the value of a flag that takes numbers (`--target z`,
 *   `--weight=z`, `--grad-output z`), and a grad binding's value (`grad "x*w" x=z w=1`);
 * - in `grad`, a bound name that the formula reads and the line does not bind is bound to its numbers
 *   (`grad "sum(z*w)" w=1,2,3` runs as `grad "sum(z*w)" z=[...] w=1,2,3`), so it gets a gradient
 *   like any binding. A name the formula assigns itself (`z = x*2; ...`) is the formula's own.
 * Nowhere else: a flag's other values (`--wrt z`, `--svg z`) and the formula's text stay as typed.
 * The numbers are written back in the number syntax (nested brackets, shortest round-trip digits),
 * so the line that runs is an ordinary command line, parsed and checked like any other.
 */
import { UsageError } from '../errors';
import { bindingName, isName, lazyRegExp, NAME_PATTERN } from '../parse/names';
import { parseInputArgs, parseNumberToken, parseNumbers } from '../parse/numbers';
import type { Tensor } from '../tensor';
import { type CompletionModel, findFlag, scan } from './complete-data';
import { type IO, numbersArg } from './io';

/** `name=`, the name first: a binding written as one word (`x=1,2`). */
const BINDING_WORD = lazyRegExp(`^(${NAME_PATTERN})=(.*)$`, 'su');
const ASSIGNMENT = lazyRegExp(`^\\s*(${NAME_PATTERN})\\s*=(?!=)(.*)$`, 'su');

/** `name = numbers` (also `name=numbers`): the name and the text after '=' (never `==`). */
export function parseAssignment(line: string): { name: string; rest: string } | undefined {
  const m = ASSIGNMENT().exec(line);
  return m ? { name: bindingName(m[1])!, rest: m[2] } : undefined;
}

/** A number as the number syntax writes it, shortest round-trip ('-0', 'inf' and 'nan' too). */
function numberText(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return Object.is(x, -0) ? '-0' : String(x);
}

/** A tensor in the number syntax, its shape kept: a scalar bare, else nested brackets. */
export function tensorText(t: Tensor): string {
  if (t.shape.length === 0) return numberText(t.data[0]);
  let at = 0;
  const level = (d: number): string => {
    const parts: string[] = [];
    for (let i = 0; i < t.shape[d]; i++) parts.push(d === t.shape.length - 1 ? numberText(t.data[at++]) : level(d + 1));
    return `[${parts.join(', ')}]`;
  };
  return level(0);
}

/** "3 numbers", "2×3", "a number": what a binding holds, in a few characters. */
export function shapeText(t: Tensor): string {
  if (t.shape.length === 0) return 'a number';
  if (t.shape.length === 1) return `${t.shape[0]} number${t.shape[0] === 1 ? '' : 's'}`;
  return t.shape.join('×');
}

/** The names a formula reads (not as an attribute `.x` nor a keyword `x=`) and those it assigns. */
export function formulaNames(expression: string): { reads: Set<string>; assigns: Set<string> } {
  const reads = new Set<string>();
  const assigns = new Set<string>();
  let tokens: import('../parse/python/lexer').Token[];
  try {
    tokens = (require('../parse/python/lexer') as typeof import('../parse/python/lexer')).tokenize(expression, 'program');
  } catch {
    // A formula that does not even tokenize: grad reports it, with its caret; nothing to add here.
    return { reads, assigns };
  }
  tokens.forEach((t, i) => {
    if (t.type !== 'name') return;
    const before = tokens[i - 1];
    const after = tokens[i + 1];
    if (before?.type === 'op' && before.text === '.') return;
    if (after?.type === 'op' && after.text === '=') {
      if (!before || before.type === 'separator') assigns.add(t.text);
      return;
    }
    reads.add(t.text);
  });
  return { reads, assigns };
}

export class Bindings {
  private readonly values = new Map<string, { tensor: Tensor; text: string }>();

  /** Names that cannot be bound: commands, functions, the REPL's own words. */
  constructor(private readonly reserved: (name: string) => string | undefined) {}

  names(): string[] {
    return [...this.values.keys()];
  }

  get(name: string): Tensor | undefined {
    return this.values.get(name)?.tensor;
  }

  /** The text a name stands for, if it is bound. */
  text(name: string): string | undefined {
    return this.values.get(name)?.text;
  }

  /**
   * Binds `name` to the numbers in `words` (the words after '='), read as the input would read the
   * same words, with two differences: one number alone is a scalar (as in a grad binding), and an
   * unquoted ';' still separates rows (`z = 1 2; 3 4`). `z = w` copies w; `z = @FILE` reads a file.
   */
  assign(name: string, words: readonly string[], io: IO): Tensor {
    if (!isName(name)) throw new UsageError(`"${name}" is not a name: use letters, digits and _, starting with a letter`);
    const reserved = this.reserved(name);
    if (reserved) throw new UsageError(`${name} is ${reserved}; a binding needs another name`);
    if (parseNumberToken(name) !== undefined) throw new UsageError(`${name} is a number; a binding needs another name`);
    if (words.length === 0) throw new UsageError(`${name} = needs numbers, e.g. ${name} = 2 1 0.1 or ${name} = "1 2; 3 4"`);
    const what = this.reserved(words[0]);
    if (what) throw new UsageError(`${name} = ${words[0]} …: ${words[0]} is ${what}, and a binding holds numbers, e.g. ${name} = 2 1 0.1`);
    let tensor: Tensor;
    const single = words.length === 1 ? words[0] : undefined;
    const scalar = single === undefined ? undefined : parseNumberToken(single.trim());
    if (single !== undefined && this.values.has(single)) tensor = this.values.get(single)!.tensor;
    else if (scalar !== undefined) tensor = { shape: [], data: Float64Array.of(scalar) };
    else if (single !== undefined) tensor = numbersArg(single, name, io);
    else if (words.some((w) => w.includes(';'))) tensor = parseNumbers(words.join(' '), name);
    else tensor = parseInputArgs(words, name);
    this.values.set(name, { tensor, text: tensorText(tensor) });
    return tensor;
  }

  /**
   * The words of a command line with bound names replaced where numbers are taken, and, for grad,
   * the bindings of the bound names its formula reads (see the top of this file).
   */
  expand(model: CompletionModel, words: readonly string[]): string[] {
    if (this.values.size === 0) return [...words];
    const { state, roles } = scan(model, words);
    const command = model.commands.find((c) => c.name === state.command);
    if (!command) return [...words];
    const numbersFlag = (flag: string): boolean => findFlag(model, state.key, flag)?.value === 'numbers';
    const out = words.map((w, i) => {
      const role = roles[i];
      if (role.role === 'value') return numbersFlag(role.flag) ? (this.text(w) ?? w) : w;
      if (role.role === 'flag' && w.includes('=')) {
        const value = w.slice(w.indexOf('=') + 1);
        return numbersFlag(role.flag) && this.text(value) ? `${role.flag}=${this.text(value)}` : w;
      }
      if (role.role !== 'positional') return w;
      const kind = role.index === 0 ? command.first : command.rest;
      if (kind === 'numbers') return this.text(w) ?? w;
      const binding = BINDING_WORD().exec(w);
      if (kind === 'bindings' && binding && this.text(binding[2])) return `${binding[1]}=${this.text(binding[2])}`;
      return w;
    });
    if (command.first !== 'expression') return out;
    const at = roles.findIndex((r) => r.role === 'positional' && r.index === 0);
    if (at < 0) return out;
    const given = new Set(
      roles.flatMap((r, i) => (r.role === 'positional' && r.index > 0 && words[i].includes('=') ? [words[i].slice(0, words[i].indexOf('='))] : [])),
    );
    const { reads, assigns } = formulaNames(words[at]);
    const added = [...reads].filter((n) => this.values.has(n) && !assigns.has(n) && !given.has(n)).map((n) => `${n}=${this.text(n)}`);
    return [...out.slice(0, at + 1), ...added, ...out.slice(at + 1)];
  }
}
