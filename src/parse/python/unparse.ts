/**
 * Prints an AST back as source of the expression language (valid Python), with only the
 * parentheses that the precedence table requires: parsing the result gives the same tree.
 * Iterative (an explicit stack of pending pieces), so trees of any depth print.
 */
import type { Expr, Node, Program } from './ast';
import {
  COMPARE_PRECEDENCE,
  INFIX_PRECEDENCE,
  NOT_PRECEDENCE,
  POSTFIX_PRECEDENCE,
  RIGHT_ASSOCIATIVE,
  UNARY_PRECEDENCE,
} from './operators';

/** A piece still to print: text, or a node (in parentheses or not). */
type Piece = string | { node: Node; parens: boolean };

export function unparse(expr: Expr): string {
  const out: string[] = [];
  const stack: Piece[] = [{ node: expr, parens: false }];
  while (stack.length > 0) {
    const piece = stack.pop()!;
    if (typeof piece === 'string') {
      out.push(piece);
      continue;
    }
    const parts = partsOf(piece.node);
    if (piece.parens) stack.push(')');
    for (let i = parts.length - 1; i >= 0; i--) stack.push(parts[i]);
    if (piece.parens) stack.push('(');
  }
  return out.join('');
}

/** Statements joined by '; ', assignments as `name = expression`. */
export function unparseProgram(program: Program): string {
  return program.statements.map((s) => (s.target === undefined ? '' : `${s.target} = `) + unparse(s.value)).join('; ');
}

/** How tightly the printed node binds, from the operator table. */
export function precedenceOf(node: Expr): number {
  switch (node.kind) {
    case 'number': {
      const first = numberText(node.value, node.text)[0];
      return first === '-' || first === '+' ? UNARY_PRECEDENCE : POSTFIX_PRECEDENCE;
    }
    case 'unary':
      return UNARY_PRECEDENCE;
    case 'binary':
    case 'boolop':
      return INFIX_PRECEDENCE.get(node.op)!;
    case 'compare':
      return COMPARE_PRECEDENCE;
    case 'not':
      return NOT_PRECEDENCE;
    default:
      return POSTFIX_PRECEDENCE;
  }
}

/** The literal as written when the parser made it; otherwise the value in Python's syntax. */
function numberText(value: number, text: string | undefined): string {
  if (text) return text;
  if (Number.isNaN(value)) return 'math.nan';
  if (value === Infinity) return 'math.inf';
  if (value === -Infinity) return '-math.inf';
  if (Object.is(value, -0)) return '-0.0';
  return String(value); // 1e+21, 1.5e-7, -2: all Python literals (a leading '-' is a unary minus)
}

/** Python's repr of a string: single quotes unless the text has one and no double quote. */
export function quoteString(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  let out = quote;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    const c = value.charCodeAt(i);
    if (ch === '\\' || ch === quote) out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + quote;
}

const child = (node: Node, parens: boolean): Piece => ({ node, parens });

/** A call's, an attribute's or a subscript's object: parenthesised unless it binds as tightly;
 *  a number too, since `1.T` would read as the number `1.` followed by `T`. */
const objectPiece = (node: Expr): Piece => child(node, precedenceOf(node) < POSTFIX_PRECEDENCE || node.kind === 'number');

/** Pieces separated by ', '. */
function commaSeparated(nodes: readonly Node[]): Piece[] {
  const parts: Piece[] = [];
  nodes.forEach((n, i) => {
    if (i > 0) parts.push(', ');
    parts.push(child(n, false));
  });
  return parts;
}

function partsOf(node: Node): Piece[] {
  switch (node.kind) {
    case 'number':
      return [numberText(node.value, node.text)];
    case 'string':
      return [quoteString(node.value)];
    case 'constant':
      return [node.value === null ? 'None' : node.value ? 'True' : 'False'];
    case 'ellipsis':
      return ['...'];
    case 'name':
      return [node.name];
    case 'attribute':
      return [objectPiece(node.object), '.' + node.name];
    case 'call': {
      const parts: Piece[] = [objectPiece(node.callee), '(', ...commaSeparated(node.args)];
      node.kwargs.forEach((kw, i) => {
        if (i > 0 || node.args.length > 0) parts.push(', ');
        parts.push(kw.name + '=', child(kw.value, false));
      });
      parts.push(')');
      return parts;
    }
    case 'unary': {
      // '- -x', not '--x': the same to Python, but easier to read.
      const operand = node.operand;
      const signed =
        (operand.kind === 'unary' && operand.op !== '~') ||
        (operand.kind === 'number' && '+-'.includes(numberText(operand.value, operand.text)[0]));
      return [node.op + (signed ? ' ' : ''), child(operand, precedenceOf(operand) < UNARY_PRECEDENCE)];
    }
    case 'not':
      return ['not ', child(node.operand, precedenceOf(node.operand) < NOT_PRECEDENCE)];
    case 'binary': {
      const p = INFIX_PRECEDENCE.get(node.op)!;
      const left = precedenceOf(node.left);
      const right = precedenceOf(node.right);
      if (RIGHT_ASSOCIATIVE.has(node.op)) {
        // Python's power: primary '**' u_expr. The left is a primary, the right may be -x.
        return [child(node.left, left <= p), node.op, child(node.right, right < UNARY_PRECEDENCE)];
      }
      return [child(node.left, left < p), ` ${node.op} `, child(node.right, right <= p)];
    }
    case 'boolop': {
      const p = INFIX_PRECEDENCE.get(node.op)!;
      return [child(node.left, precedenceOf(node.left) < p), ` ${node.op} `, child(node.right, precedenceOf(node.right) <= p)];
    }
    case 'compare': {
      const parts: Piece[] = [];
      node.operands.forEach((operand, i) => {
        if (i > 0) parts.push(` ${node.ops[i - 1]} `);
        parts.push(child(operand, precedenceOf(operand) <= COMPARE_PRECEDENCE));
      });
      return parts;
    }
    case 'subscript':
      return [
        objectPiece(node.object),
        '[',
        ...commaSeparated(node.indices),
        ...(node.tuple && node.indices.length === 1 ? [','] : []),
        ']',
      ];
    case 'slice': {
      const parts: Piece[] = [];
      if (node.start) parts.push(child(node.start, false));
      parts.push(':');
      if (node.stop) parts.push(child(node.stop, false));
      if (node.step) parts.push(':', child(node.step, false));
      return parts;
    }
    case 'list':
      return ['[', ...commaSeparated(node.elements), ']'];
    case 'tuple':
      return ['(', ...commaSeparated(node.elements), ...(node.elements.length === 1 ? [','] : []), ')'];
  }
}
