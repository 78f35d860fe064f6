/**
 * The syntax tree of the expression language (Python's expression syntax, as PyTorch code is
 * written). Every node carries `span: [start, end)`, 0-based UTF-16 offsets into the source; a
 * parenthesised expression's span includes its parentheses. The tree says nothing about which
 * names exist: that is the evaluator's business.
 */
export type Span = [start: number, end: number];

export type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '@' | '**' | '&' | '|';
export type UnaryOp = '-' | '+' | '~';
export type CompareOp = '<' | '<=' | '>' | '>=' | '==' | '!=';
export type BoolOp = 'and' | 'or';

/** A numeric literal: `value` as JavaScript reads it, `text` as written (`1_000`, `1e-3`, `.5`). */
export interface NumberNode {
  kind: 'number';
  value: number;
  text: string;
  /** Written without '.' or exponent (Python's int, e.g. an index or a class label). */
  integer: boolean;
  span: Span;
}

/** A string literal, escapes resolved. */
export interface StringNode {
  kind: 'string';
  value: string;
  span: Span;
}

/** `True`, `False`, `None`. */
export interface ConstantNode {
  kind: 'constant';
  value: boolean | null;
  span: Span;
}

/** `...` (Ellipsis), as in `x[..., 0]`. */
export interface EllipsisNode {
  kind: 'ellipsis';
  span: Span;
}

export interface NameNode {
  kind: 'name';
  name: string;
  span: Span;
}

/** `object.name`; `namePos` is the offset of `name`. */
export interface AttributeNode {
  kind: 'attribute';
  object: Expr;
  name: string;
  namePos: number;
  span: Span;
}

/** `name=value` in a call; the span runs from the name to the end of the value. */
export interface KeywordArgument {
  name: string;
  value: Expr;
  span: Span;
}

export interface CallNode {
  kind: 'call';
  callee: Expr;
  args: Expr[];
  kwargs: KeywordArgument[];
  span: Span;
}

export interface UnaryNode {
  kind: 'unary';
  op: UnaryOp;
  operand: Expr;
  span: Span;
}

/** `op` is normalised: `^` is stored as `**`, `·` and `×` as `*`, U+2212 as `-`. */
export interface BinaryNode {
  kind: 'binary';
  op: BinaryOp;
  left: Expr;
  right: Expr;
  /** Offset of the operator, for error carets. */
  opPos: number;
  span: Span;
}

/** `a < b <= c`: ops.length + 1 operands; opPos[i] is the offset of ops[i]. */
export interface CompareNode {
  kind: 'compare';
  ops: CompareOp[];
  operands: Expr[];
  opPos: number[];
  span: Span;
}

/** `a and b`, `a or b`; a chain is left-nested: `a or b or c` is `(a or b) or c`. */
export interface BoolOpNode {
  kind: 'boolop';
  op: BoolOp;
  left: Expr;
  right: Expr;
  opPos: number;
  span: Span;
}

export interface NotNode {
  kind: 'not';
  operand: Expr;
  span: Span;
}

/** `start:stop:step`, each part optional; stands only among a subscript's indices. */
export interface SliceNode {
  kind: 'slice';
  start?: Expr;
  stop?: Expr;
  step?: Expr;
  span: Span;
}

/**
 * `object[i]`, `object[1:3]`, `object[:, 0]`. `tuple` is true when the index was written with a
 * top-level comma (`X[0, 1]`, `x[0,]`), i.e. Python indexes with a tuple; then `indices` has one
 * entry per element. Otherwise `indices` has exactly one entry (which may itself be a tuple
 * node, as in `x[(0, 1)]`).
 */
export interface SubscriptNode {
  kind: 'subscript';
  object: Expr;
  indices: (Expr | SliceNode)[];
  tuple: boolean;
  span: Span;
}

export interface ListNode {
  kind: 'list';
  elements: Expr[];
  span: Span;
}

export interface TupleNode {
  kind: 'tuple';
  elements: Expr[];
  span: Span;
}

export type Expr =
  | NumberNode
  | StringNode
  | ConstantNode
  | EllipsisNode
  | NameNode
  | AttributeNode
  | CallNode
  | UnaryNode
  | BinaryNode
  | CompareNode
  | BoolOpNode
  | NotNode
  | SubscriptNode
  | ListNode
  | TupleNode;

/** Any node of the tree: an expression, or a slice inside a subscript. */
export type Node = Expr | SliceNode;

/** `target = value`, or (no target) an expression statement. */
export interface Statement {
  target?: string;
  targetSpan?: Span;
  value: Expr;
  span: Span;
}

/** Statements in order; the last one is an expression statement, the result. */
export interface Program {
  statements: Statement[];
}

/** The direct children of a node, in source order (not recursive, so safe on any depth). */
export function children(node: Node): Node[] {
  switch (node.kind) {
    case 'attribute':
      return [node.object];
    case 'call':
      return [node.callee, ...node.args, ...node.kwargs.map((k) => k.value)];
    case 'unary':
    case 'not':
      return [node.operand];
    case 'binary':
    case 'boolop':
      return [node.left, node.right];
    case 'compare':
      return node.operands;
    case 'subscript':
      return [node.object, ...node.indices];
    case 'slice': {
      const parts: Node[] = [];
      if (node.start) parts.push(node.start);
      if (node.stop) parts.push(node.stop);
      if (node.step) parts.push(node.step);
      return parts;
    }
    case 'list':
    case 'tuple':
      return node.elements;
    default:
      return [];
  }
}
