/**
 * The parser of the expression language: Python's expression syntax (as PyTorch code is written)
 * and actgrad's older spellings, into the AST of ./ast.ts.
 *
 * Operators are parsed by precedence climbing with explicit stacks (no recursion per operator),
 * driven by the one table in ./operators.ts, so chains of any length (a + a + … , - - - x,
 * 2**2**…) cost no stack. The parser recurses only into brackets (groups, lists, calls,
 * subscripts), whose nesting the lexer bounds by MAX_DEPTH.
 */
import { ExpressionError } from '../../errors';
import type { BinaryOp, CompareOp, Expr, KeywordArgument, Program, SliceNode, Statement, SubscriptNode } from './ast';
import { tokenize, where, type Token } from './lexer';
import { COMPARE_PRECEDENCE, INFIX_PRECEDENCE, NOT_PRECEDENCE, RIGHT_ASSOCIATIVE, UNARY_PRECEDENCE } from './operators';

export { MAX_DEPTH, MAX_EXPRESSION_LENGTH, MAX_TOKENS } from './lexer';

/** Python's reserved words; `True`, `False`, `None`, `and`, `or`, `not` are the language's own. */
const KEYWORDS: ReadonlySet<string> = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or',
  'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

const EMPTY_MESSAGE = 'the expression is empty: write one, e.g. "x*w + b"';

/** An operator waiting for its right operand on the precedence-climbing stack. */
type Pending =
  | { form: 'prefix'; op: '-' | '+' | '~' | 'not'; precedence: number; pos: number }
  | { form: 'infix'; op: string; precedence: number; pos: number }
  | { form: 'compare'; ops: CompareOp[]; opPos: number[]; precedence: number };

/**
 * Parses a program: statements separated by `;` or line ends, each `name = expression` or an
 * expression; the last one must be an expression (the result). Blank statements are skipped.
 */
export function parseProgram(text: string): Program {
  const parser = new Parser(text, tokenize(text, 'program'), 'program');
  return parser.program();
}

/** Parses one expression (line ends count as spaces; no `;`, no assignment). */
export function parseExpression(text: string): Expr {
  const parser = new Parser(text, tokenize(text, 'expression'), 'expression');
  return parser.single();
}

class Parser {
  private k = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
    private readonly mode: 'program' | 'expression',
  ) {}

  program(): Program {
    const statements: Statement[] = [];
    for (;;) {
      while (this.peek().type === 'separator') this.k++;
      const first = this.peek();
      if (first.type === 'end') break;
      let statement: Statement;
      const second = this.tokens[this.k + 1];
      if (first.type === 'name' && KEYWORDS.has(first.text) && this.isOp(second, '=')) {
        this.fail(`'${first.text}' is a Python keyword and cannot be assigned; choose another name`, first.pos);
      }
      if (first.type === 'name' && !KEYWORDS.has(first.text) && second.type === 'op' && second.text === '=') {
        this.k += 2;
        const value = this.expression();
        statement = { target: first.text, targetSpan: [first.pos, first.end], value, span: [first.pos, value.span[1]] };
      } else {
        const value = this.expression();
        statement = { value, span: [value.span[0], value.span[1]] };
      }
      const after = this.peek();
      if (after.type !== 'separator' && after.type !== 'end') this.unexpected(after, 'an operator or the end of the statement', 'top');
      statements.push(statement);
    }
    if (statements.length === 0) this.fail(EMPTY_MESSAGE, 0);
    const last = statements[statements.length - 1];
    if (last.target !== undefined) {
      this.fail(
        `the program ends with an assignment; end it with the expression to differentiate, e.g. "…; ${last.target}"`,
        last.targetSpan![0],
      );
    }
    return { statements };
  }

  single(): Expr {
    if (this.peek().type === 'end') this.fail(EMPTY_MESSAGE, 0);
    const value = this.expression();
    const after = this.peek();
    if (after.type === 'separator') {
      this.fail(`';' at ${where(this.source, after.pos)} separates statements, which a single expression cannot have`, after.pos);
    }
    if (after.type !== 'end') this.unexpected(after, 'an operator or the end of the expression', 'top');
    return value;
  }

  // ---- tokens and errors ----

  private peek(): Token {
    return this.tokens[this.k];
  }

  private isOp(token: Token, text: string): boolean {
    return token.type === 'op' && token.text === text;
  }

  private fail(message: string, pos: number): never {
    throw new ExpressionError(message, this.source, pos);
  }

  private describe(token: Token): string {
    if (token.type === 'end') return 'the end of the expression';
    if (token.type === 'separator') return token.text === ';' ? "';'" : 'the end of the line';
    const raw = this.source.slice(token.pos, token.end);
    const shown = (raw.length > 24 ? raw.slice(0, 23) + '…' : raw).replace(/\r?\n/g, '\\n');
    return token.type === 'string' ? `the string ${shown}` : `'${shown}'`;
  }

  /**
   * A token where an operator or a closing token was expected; `expected` names those, `place`
   * says where the expression stands (the top of a statement, a subscript, other brackets).
   */
  private unexpected(found: Token, expectedText: string | (() => string), place: 'top' | 'subscript' | 'brackets'): never {
    // Built only on failure: where() scans the source.
    const expected = typeof expectedText === 'string' ? expectedText : expectedText();
    const at = where(this.source, found.pos);
    if (this.isOp(found, ',') && place === 'top') {
      this.fail(`expected ${expected}, found ','; a tuple needs parentheses: (a, b)`, found.pos);
    }
    if (this.isOp(found, '=')) {
      this.fail(
        this.mode === 'program'
          ? `'=' assigns only to a name at the start of a statement (h = …); to compare, write '=='`
          : `'=' is assignment, which an expression cannot contain; to compare, write '=='`,
        found.pos,
      );
    }
    if (this.isOp(found, ':') && place !== 'subscript') {
      this.fail(`':' at ${at} can only stand in a subscript, as in x[1:3]`, found.pos);
    }
    if (found.type === 'name') {
      const next = this.tokens[this.k + 1];
      if (found.text === 'if') this.fail(`conditional expressions (a if c else b) are not supported: write torch.where(c, a, b)`, found.pos);
      if (found.text === 'for') this.fail(`comprehensions (… for … in …) are not supported: write the list out`, found.pos);
      if (found.text === 'in' || (found.text === 'not' && next.type === 'name' && next.text === 'in')) {
        this.fail(`'${found.text === 'in' ? 'in' : 'not in'}' is not supported in the expression language`, found.pos);
      }
      if (found.text === 'is') this.fail(`'is' is not supported: to compare, write '=='`, found.pos);
    }
    const previous = this.tokens[this.k - 1];
    const product =
      previous?.type === 'number' && found.type === 'name' && !KEYWORDS.has(found.text)
        ? ` (write ${this.source.slice(previous.pos, previous.end)}*${this.source.slice(found.pos, found.end)} for a product)`
        : '';
    this.fail(`expected ${expected}, found ${this.describe(found)}${product}`, found.pos);
  }

  /** A token where an expression should start. */
  private noExpression(found: Token): never {
    if (found.type === 'name') {
      if (found.text === 'return') this.fail(`'return' is not needed: the program's last expression is its result; remove 'return'`, found.pos);
      if (found.text === 'import' || found.text === 'from') {
        this.fail(`'${found.text}' is not needed: torch, F (torch.nn.functional) and math are always available; remove the line`, found.pos);
      }
      if (KEYWORDS.has(found.text) && !['and', 'or', 'in', 'is', 'if', 'else', 'for'].includes(found.text)) {
        this.fail(`'${found.text}' is a Python keyword that the expression language does not support`, found.pos);
      }
    }
    const previous = this.tokens[this.k - 1];
    const after = previous === undefined || (previous.type === 'separator' && previous.text !== ';') ? '' : ` after ${this.describe(previous)}`;
    this.fail(`expected an expression${after}, found ${this.describe(found)}`, found.pos);
  }

  // ---- expressions ----

  /**
   * An expression, up to the first token that cannot continue it (which the caller checks).
   * Precedence climbing over explicit operand and operator stacks.
   */
  private expression(): Expr {
    const operands: Expr[] = [];
    const pending: Pending[] = [];
    for (;;) {
      // Prefix operators.
      for (;;) {
        const t = this.peek();
        if (t.type === 'op' && (t.text === '-' || t.text === '+' || t.text === '~')) {
          pending.push({ form: 'prefix', op: t.text, precedence: UNARY_PRECEDENCE, pos: t.pos });
        } else if (t.type === 'name' && t.text === 'not') {
          // Python's grammar: 'not' only where a boolean operand may stand (a and not b).
          const top = pending[pending.length - 1];
          if (top && !(top.form === 'prefix' && top.op === 'not') && !(top.form === 'infix' && (top.op === 'and' || top.op === 'or'))) {
            const previous = this.tokens[this.k - 1];
            this.fail(`'not' cannot follow ${this.describe(previous)} without parentheses: write (not …)`, t.pos);
          }
          pending.push({ form: 'prefix', op: 'not', precedence: NOT_PRECEDENCE, pos: t.pos });
        } else {
          break;
        }
        this.k++;
      }
      operands.push(this.postfix(this.atom()));

      // An infix operator, or the end of this expression.
      const t = this.peek();
      const op = t.type === 'op' ? t.text : t.type === 'name' && (t.text === 'and' || t.text === 'or') ? t.text : undefined;
      const precedence = op === undefined ? undefined : INFIX_PRECEDENCE.get(op);
      if (op === undefined || precedence === undefined) break;
      const compare = precedence === COMPARE_PRECEDENCE;
      const rightAssociative = RIGHT_ASSOCIATIVE.has(op);
      for (;;) {
        const top = pending[pending.length - 1];
        if (!top || (compare && top.form === 'compare')) break;
        if (top.precedence > precedence || (top.precedence === precedence && !rightAssociative)) this.reduce(operands, pending);
        else break;
      }
      this.k++;
      const top = pending[pending.length - 1];
      if (compare && top?.form === 'compare') {
        // a < b < c: one comparison node, as in Python.
        top.ops.push(op as CompareOp);
        top.opPos.push(t.pos);
      } else if (compare) {
        pending.push({ form: 'compare', ops: [op as CompareOp], opPos: [t.pos], precedence });
      } else {
        pending.push({ form: 'infix', op, precedence, pos: t.pos });
      }
    }
    while (pending.length > 0) this.reduce(operands, pending);
    return operands[0];
  }

  /** Applies the operator on top of the stack to the operands on top of theirs. */
  private reduce(operands: Expr[], pending: Pending[]): void {
    const top = pending.pop()!;
    if (top.form === 'prefix') {
      const operand = operands.pop()!;
      const span: [number, number] = [top.pos, operand.span[1]];
      operands.push(top.op === 'not' ? { kind: 'not', operand, span } : { kind: 'unary', op: top.op, operand, span });
    } else if (top.form === 'infix') {
      const right = operands.pop()!;
      const left = operands.pop()!;
      const span: [number, number] = [left.span[0], right.span[1]];
      operands.push(
        top.op === 'and' || top.op === 'or'
          ? { kind: 'boolop', op: top.op, left, right, opPos: top.pos, span }
          : { kind: 'binary', op: top.op as BinaryOp, left, right, opPos: top.pos, span },
      );
    } else {
      const compared = operands.splice(operands.length - top.ops.length - 1);
      const span: [number, number] = [compared[0].span[0], compared[compared.length - 1].span[1]];
      operands.push({ kind: 'compare', ops: top.ops, operands: compared, opPos: top.opPos, span });
    }
  }

  private atom(): Expr {
    const t = this.peek();
    switch (t.type) {
      case 'number':
        this.k++;
        return { kind: 'number', value: t.value!, text: t.text, integer: t.integer!, span: [t.pos, t.end] };
      case 'string':
        this.k++;
        return { kind: 'string', value: t.text, span: [t.pos, t.end] };
      case 'name':
        if (t.text === 'True' || t.text === 'False' || t.text === 'None') {
          this.k++;
          return { kind: 'constant', value: t.text === 'None' ? null : t.text === 'True', span: [t.pos, t.end] };
        }
        if (KEYWORDS.has(t.text)) return this.noExpression(t);
        this.k++;
        return { kind: 'name', name: t.text, span: [t.pos, t.end] };
      case 'op':
        if (t.text === '(') return this.group();
        if (t.text === '[') return this.list();
        if (t.text === '...') {
          this.k++;
          return { kind: 'ellipsis', span: [t.pos, t.end] };
        }
    }
    return this.noExpression(t);
  }

  /** `( )`, `(a)`, `(a,)`, `(a, b)`. A parenthesised expression's span takes in its parentheses. */
  private group(): Expr {
    const open = this.tokens[this.k++];
    const expected = () => `an operator, ',' or ')' to close the '(' at ${where(this.source, open.pos)}`;
    if (this.isOp(this.peek(), ')')) {
      const close = this.tokens[this.k++];
      return { kind: 'tuple', elements: [], span: [open.pos, close.end] };
    }
    const first = this.expression();
    if (this.isOp(this.peek(), ')')) {
      const close = this.tokens[this.k++];
      first.span = [open.pos, close.end];
      return first;
    }
    const elements = [first];
    this.elementsAfterFirst(elements, ')', expected);
    const close = this.tokens[this.k++];
    return { kind: 'tuple', elements, span: [open.pos, close.end] };
  }

  private list(): Expr {
    const open = this.tokens[this.k++];
    const elements: Expr[] = [];
    if (!this.isOp(this.peek(), ']')) {
      elements.push(this.expression());
      this.elementsAfterFirst(elements, ']', () => `an operator, ',' or ']' to close the '[' at ${where(this.source, open.pos)}`);
    }
    const close = this.tokens[this.k++];
    return { kind: 'list', elements, span: [open.pos, close.end] };
  }

  /** `, b, c` up to `closer` (a trailing comma allowed); leaves `closer` to be taken. */
  private elementsAfterFirst(elements: Expr[], closer: string, expected: () => string): void {
    for (;;) {
      const t = this.peek();
      if (this.isOp(t, closer)) return;
      if (!this.isOp(t, ',')) this.unexpected(t, expected, 'brackets');
      this.k++;
      if (this.isOp(this.peek(), closer)) return;
      elements.push(this.expression());
    }
  }

  /** Calls, attributes and subscripts after an atom, left to right. */
  private postfix(node: Expr): Expr {
    for (;;) {
      const t = this.peek();
      if (t.type !== 'op') return node;
      if (t.text === '(') node = this.call(node);
      else if (t.text === '[') node = this.subscript(node);
      else if (t.text === '.') {
        this.k++;
        const name = this.peek();
        if (name.type !== 'name' || KEYWORDS.has(name.text)) {
          this.fail(`expected an attribute name after '.', found ${this.describe(name)}`, name.pos);
        }
        this.k++;
        node = { kind: 'attribute', object: node, name: name.text, namePos: name.pos, span: [node.span[0], name.end] };
      } else return node;
    }
  }

  private call(callee: Expr): Expr {
    const open = this.tokens[this.k++];
    if (callee.kind === 'number') {
      const number = this.source.slice(callee.span[0], callee.span[1]);
      this.fail(`a number cannot be called: write ${number}*(…) for a product`, open.pos);
    }
    const expected = () => {
      const name = dottedName(callee);
      return `an operator, ',' or ')' to close the call ${name ? `of ${name}` : `at ${where(this.source, open.pos)}`}`;
    };
    const args: Expr[] = [];
    const kwargs: KeywordArgument[] = [];
    for (;;) {
      const t = this.peek();
      if (this.isOp(t, ')')) break;
      const second = this.tokens[this.k + 1];
      if (t.type === 'name' && !KEYWORDS.has(t.text) && this.isOp(second, '=')) {
        if (kwargs.some((kw) => kw.name === t.text)) this.fail(`the keyword argument ${t.text}= is given twice; remove one`, t.pos);
        this.k += 2;
        const value = this.expression();
        kwargs.push({ name: t.text, value, span: [t.pos, value.span[1]] });
      } else {
        if (kwargs.length > 0) {
          const last = kwargs[kwargs.length - 1].name;
          this.fail(
            `a positional argument follows the keyword argument ${last}=: put positional arguments first (to compare, write ${last} == …)`,
            t.pos,
          );
        }
        args.push(this.expression());
      }
      const after = this.peek();
      if (this.isOp(after, ',')) this.k++;
      else if (!this.isOp(after, ')')) this.unexpected(after, expected, 'brackets');
    }
    const close = this.tokens[this.k++];
    return { kind: 'call', callee, args, kwargs, span: [callee.span[0], close.end] };
  }

  private subscript(object: Expr): SubscriptNode {
    const open = this.tokens[this.k++];
    if (this.isOp(this.peek(), ']')) this.fail(`expected an index between '[' and ']', e.g. x[0]`, this.peek().pos);
    const expected = () => `an operator, ':', ',' or ']' to close the '[' at ${where(this.source, open.pos)}`;
    const indices: (Expr | SliceNode)[] = [];
    let tuple = false;
    for (;;) {
      indices.push(this.index());
      const t = this.peek();
      if (this.isOp(t, ']')) break;
      if (this.isOp(t, ':')) this.fail(`a slice has at most three parts, start:stop:step; found another ':'`, t.pos);
      if (!this.isOp(t, ',')) this.unexpected(t, expected, 'subscript');
      this.k++;
      tuple = true;
      if (this.isOp(this.peek(), ']')) break;
    }
    const close = this.tokens[this.k++];
    return { kind: 'subscript', object, indices, tuple, span: [object.span[0], close.end] };
  }

  /** One element of a subscript: an expression, or a slice `start:stop:step` (each optional). */
  private index(): Expr | SliceNode {
    const first = this.peek();
    const start = this.isOp(first, ':') ? undefined : this.expression();
    if (!this.isOp(this.peek(), ':')) return start!;
    const colon = this.tokens[this.k++];
    let end = colon.end;
    const endsPart = (t: Token): boolean => t.type === 'op' && (t.text === ':' || t.text === ',' || t.text === ']');
    let stop: Expr | undefined;
    let step: Expr | undefined;
    if (!endsPart(this.peek())) {
      stop = this.expression();
      end = stop.span[1];
    }
    if (this.isOp(this.peek(), ':')) {
      end = this.tokens[this.k++].end;
      if (!endsPart(this.peek())) {
        step = this.expression();
        end = step.span[1];
      }
    }
    const slice: SliceNode = { kind: 'slice', span: [start ? start.span[0] : colon.pos, end] };
    if (start) slice.start = start;
    if (stop) slice.stop = stop;
    if (step) slice.step = step;
    return slice;
  }
}

/** `torch.nn.functional.softmax` for a chain of names and attributes, else undefined. */
function dottedName(node: Expr): string | undefined {
  const parts: string[] = [];
  let n = node;
  while (n.kind === 'attribute') {
    parts.push(n.name);
    n = n.object;
  }
  if (n.kind !== 'name') return undefined;
  parts.push(n.name);
  return parts.reverse().join('.');
}
