/**
 * The expression language of `actgrad grad`, parsed by hand-written recursive descent into an
 * AST. Nothing is ever evaluated as JavaScript: names are looked up in explicit maps.
 *
 *   expr     := sum
 *   sum      := product (('+' | '-') product)*
 *   product  := unary (('*' | '/' | '@') unary)*
 *   unary    := ('-' | '+') unary | power
 *   power    := postfix ('^' unary)?            right-associative: 2^3^2 = 2^(3^2); -x^2 = -(x^2)
 *   postfix  := primary ('[' expr ']')*
 *   primary  := number | name | name '(' args ')' | '(' expr ')'
 *   args     := arg (',' arg)*;  arg := expr | name '=' (expr | string)
 */
import { ExpressionError, UsageError } from '../errors';
import { parseNumberToken } from './numbers';

/** Every node knows its span [start, end) in the expression text (for messages and worked steps). */
export type Node = NodeBody & { span: [number, number] };

type NodeBody =
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'name'; name: string; pos: number }
  | { kind: 'unary'; op: '-' | '+'; operand: Node; pos: number }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/' | '@' | '^'; left: Node; right: Node; pos: number }
  | { kind: 'index'; target: Node; index: Node; pos: number }
  | { kind: 'call'; name: string; args: Node[]; kwargs: { name: string; value: Node | string; pos: number }[]; pos: number };

interface Token {
  type: 'number' | 'name' | 'string' | 'op' | 'end';
  text: string;
  pos: number;
  end: number;
}

/** Nesting beyond this is refused with an error rather than risking the call stack. */
export const MAX_DEPTH = 200;

export { ExpressionError };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const number = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (number) {
      tokens.push({ type: 'number', text: number[0], pos: i, end: i + number[0].length });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (name) {
      tokens.push({ type: 'name', text: name[0], pos: i, end: i + name[0].length });
      i += name[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new ExpressionError(`the string starting at column ${i + 1} is not closed`, text, i);
      tokens.push({ type: 'string', text: text.slice(i + 1, end), pos: i, end: end + 1 });
      i = end + 1;
      continue;
    }
    if ('+-*/@^()[],='.includes(c) || c === '\u2212' || c === '·' || c === '×') {
      // The Unicode minus and the multiplication signs · and × are accepted as - and *.
      tokens.push({ type: 'op', text: c === '\u2212' ? '-' : c === '·' || c === '×' ? '*' : c, pos: i, end: i + 1 });
      i++;
      continue;
    }
    throw new ExpressionError(`"${c}" at column ${i + 1} is not part of the expression language`, text, i);
  }
  tokens.push({ type: 'end', text: '', pos: text.length, end: text.length });
  return tokens;
}

export function parseExpression(text: string): Node {
  if (text.trim() === '') throw new UsageError('the expression is empty: write one, e.g. actgrad grad "x*w + b" x=1 w=2 b=0');
  const tokens = tokenize(text);
  let k = 0;
  let depth = 0;
  const peek = (): Token => tokens[k];
  const next = (): Token => tokens[k++];
  const isOp = (t: Token, ...ops: string[]): boolean => t.type === 'op' && ops.includes(t.text);
  const fail = (t: Token, what: string): never => {
    const found = t.type === 'end' ? 'the end of the expression' : `"${t.text}"`;
    throw new ExpressionError(`expected ${what} at column ${t.pos + 1}, found ${found}`, text, t.pos);
  };
  const expect = (op: string, what: string): Token => (isOp(peek(), op) ? next() : fail(peek(), what));
  /** The node with its span: from `start` to the end of the last token consumed. */
  const spanned = (body: NodeBody, start: number): Node => ({ ...body, span: [start, tokens[k - 1].end] });
  const enter = (t: Token): void => {
    if (++depth > MAX_DEPTH) throw new ExpressionError(`the expression is nested more than ${MAX_DEPTH} levels deep`, text, t.pos);
  };

  function sum(): Node {
    let left = product();
    while (isOp(peek(), '+', '-')) {
      const op = next();
      left = spanned({ kind: 'binary', op: op.text as '+' | '-', left, right: product(), pos: op.pos }, left.span[0]);
    }
    return left;
  }
  function product(): Node {
    let left = unary();
    while (isOp(peek(), '*', '/', '@')) {
      const op = next();
      left = spanned({ kind: 'binary', op: op.text as '*' | '/' | '@', left, right: unary(), pos: op.pos }, left.span[0]);
    }
    return left;
  }
  function unary(): Node {
    const t = peek();
    if (isOp(t, '-', '+')) {
      next();
      enter(t);
      const operand = unary();
      depth--;
      return spanned({ kind: 'unary', op: t.text as '-' | '+', operand, pos: t.pos }, t.pos);
    }
    return power();
  }
  function power(): Node {
    const base = postfix();
    if (isOp(peek(), '^')) {
      const op = next();
      enter(op);
      const exponent = unary();
      depth--;
      return spanned({ kind: 'binary', op: '^', left: base, right: exponent, pos: op.pos }, base.span[0]);
    }
    return base;
  }
  function postfix(): Node {
    let node = primary();
    while (isOp(peek(), '[')) {
      const open = next();
      enter(open);
      const index = sum();
      depth--;
      expect(']', '"]" to close the index');
      node = spanned({ kind: 'index', target: node, index, pos: open.pos }, node.span[0]);
    }
    return node;
  }
  function primary(): Node {
    const t = peek();
    if (t.type === 'number') {
      next();
      return spanned({ kind: 'number', value: parseNumberToken(t.text) as number, pos: t.pos }, t.pos);
    }
    if (t.type === 'name') {
      next();
      if (!isOp(peek(), '(')) return spanned({ kind: 'name', name: t.text, pos: t.pos }, t.pos);
      const open = next();
      enter(open);
      const args: Node[] = [];
      const kwargs: { name: string; value: Node | string; pos: number }[] = [];
      if (!isOp(peek(), ')')) {
        for (;;) {
          if (peek().type === 'name' && isOp(tokens[k + 1], '=')) {
            const key = next();
            next();
            const value = peek().type === 'string' ? next().text : sum();
            kwargs.push({ name: key.text, value, pos: key.pos });
          } else {
            if (kwargs.length) fail(peek(), 'a keyword argument (name=value) after keyword arguments');
            args.push(sum());
          }
          if (!isOp(peek(), ',')) break;
          next();
        }
      }
      expect(')', `"," or ")" in the call of ${t.text}`);
      depth--;
      return spanned({ kind: 'call', name: t.text, args, kwargs, pos: t.pos }, t.pos);
    }
    if (isOp(t, '(')) {
      next();
      enter(t);
      const inner = sum();
      depth--;
      expect(')', '")" to close the "(" at column ' + (t.pos + 1));
      return inner;
    }
    return fail(t, 'a number, a name or "("');
  }

  const tree = sum();
  if (peek().type !== 'end') fail(peek(), 'an operator or the end of the expression');
  if (height(tree) > MAX_HEIGHT) {
    throw new ExpressionError(`the expression is too long: its tree is more than ${MAX_HEIGHT} operations deep`, text, 0);
  }
  return tree;
}

/** Evaluation recurses over the tree; a tree taller than this is refused (a + a + … with 10⁵ terms). */
export const MAX_HEIGHT = 2000;

export function children(n: Node): Node[] {
  switch (n.kind) {
    case 'unary':
      return [n.operand];
    case 'binary':
      return [n.left, n.right];
    case 'index':
      return [n.target, n.index];
    case 'call':
      return [...n.args, ...n.kwargs.flatMap((a) => (typeof a.value === 'string' ? [] : [a.value]))];
    default:
      return [];
  }
}

/** The tree's height, computed without recursion. */
function height(root: Node): number {
  let max = 0;
  const stack: [Node, number][] = [[root, 1]];
  while (stack.length) {
    const [n, h] = stack.pop()!;
    if (h > max) max = h;
    for (const c of children(n)) stack.push([c, h + 1]);
  }
  return max;
}
