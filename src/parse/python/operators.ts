/**
 * The operators of the expression language, loosest-binding first. This is Python's table (The
 * Python Language Reference, §6.17 "Operator precedence") without what the language has no use
 * for (lambda, `if`–`else`, `in`/`is`, shifts), with one difference: `^` is power, as in actgrad's
 * older language (`x^2`), so it means `**` and Python's exclusive or is gone.
 *
 * One table: the parser, `unparse`, the help text and the symbolic module all read it.
 */

export interface OperatorLevel {
  /** Higher binds tighter. */
  readonly precedence: number;
  /** The canonical spellings, as they appear in the AST. */
  readonly operators: readonly string[];
  readonly form: 'infix' | 'prefix' | 'postfix';
  /** `chain`: `a < b <= c` is one comparison node, Python's `a < b and b <= c`. */
  readonly associativity: 'left' | 'right' | 'chain' | 'prefix' | 'postfix';
  /** The AST node kind the operators produce. */
  readonly node: 'boolop' | 'not' | 'compare' | 'binary' | 'unary' | 'call' | 'attribute' | 'subscript';
  /** Other spellings accepted in the source, and the operator they stand for. */
  readonly aliases?: Readonly<Record<string, string>>;
  readonly description: string;
}

export const OPERATOR_TABLE: readonly OperatorLevel[] = [
  { precedence: 1, operators: ['or'], form: 'infix', associativity: 'left', node: 'boolop', description: 'logical or' },
  { precedence: 2, operators: ['and'], form: 'infix', associativity: 'left', node: 'boolop', description: 'logical and' },
  { precedence: 3, operators: ['not'], form: 'prefix', associativity: 'prefix', node: 'not', description: 'logical not: not a < b is not (a < b)' },
  {
    precedence: 4,
    operators: ['<', '<=', '>', '>=', '==', '!='],
    form: 'infix',
    associativity: 'chain',
    node: 'compare',
    description: 'comparisons, elementwise on tensors; a < b < c is a < b and b < c',
  },
  { precedence: 5, operators: ['|'], form: 'infix', associativity: 'left', node: 'binary', description: 'elementwise or of boolean tensors' },
  { precedence: 6, operators: ['&'], form: 'infix', associativity: 'left', node: 'binary', description: 'elementwise and of boolean tensors' },
  {
    precedence: 7,
    operators: ['+', '-'],
    form: 'infix',
    associativity: 'left',
    node: 'binary',
    aliases: { '\u2212': '-' },
    description: 'addition and subtraction, elementwise (a scalar broadcasts)',
  },
  {
    precedence: 8,
    operators: ['*', '/', '//', '%', '@'],
    form: 'infix',
    associativity: 'left',
    node: 'binary',
    aliases: { '\u00b7': '*', '\u00d7': '*' },
    description: 'elementwise product, division, floor division, remainder; @ is the matrix product',
  },
  {
    precedence: 9,
    operators: ['-', '+', '~'],
    form: 'prefix',
    associativity: 'prefix',
    node: 'unary',
    aliases: { '\u2212': '-' },
    description: 'negation, unary plus, elementwise not of a boolean tensor',
  },
  {
    precedence: 10,
    operators: ['**'],
    form: 'infix',
    associativity: 'right',
    node: 'binary',
    aliases: { '^': '**' },
    description: 'power, right-associative: 2**3**2 is 2**(3**2), -x**2 is -(x**2), 2**-1 is 0.5',
  },
  { precedence: 11, operators: ['f(…)'], form: 'postfix', associativity: 'postfix', node: 'call', description: 'call, with positional and keyword arguments' },
  { precedence: 11, operators: ['.name'], form: 'postfix', associativity: 'postfix', node: 'attribute', description: 'attribute or method' },
  { precedence: 11, operators: ['[…]'], form: 'postfix', associativity: 'postfix', node: 'subscript', description: 'indexing and slicing, x[1:3], X[:, 0]' },
];

function precedencesOf(form: OperatorLevel['form']): ReadonlyMap<string, number> {
  const map = new Map<string, number>();
  for (const level of OPERATOR_TABLE) if (level.form === form) for (const op of level.operators) map.set(op, level.precedence);
  return map;
}

/** Infix operator → precedence (`or` … `**`). */
export const INFIX_PRECEDENCE = precedencesOf('infix');
/** Prefix operator → precedence (`not`, unary `-` `+` `~`). */
export const PREFIX_PRECEDENCE = precedencesOf('prefix');

export const OR_PRECEDENCE = INFIX_PRECEDENCE.get('or')!;
export const AND_PRECEDENCE = INFIX_PRECEDENCE.get('and')!;
export const NOT_PRECEDENCE = PREFIX_PRECEDENCE.get('not')!;
export const COMPARE_PRECEDENCE = INFIX_PRECEDENCE.get('<')!;
export const UNARY_PRECEDENCE = PREFIX_PRECEDENCE.get('-')!;
export const POWER_PRECEDENCE = INFIX_PRECEDENCE.get('**')!;
/** Calls, attributes, subscripts, and atoms (names, literals, parenthesised forms). */
export const POSTFIX_PRECEDENCE = OPERATOR_TABLE[OPERATOR_TABLE.length - 1].precedence;

/** Right-associative infix operators (only `**`). */
export const RIGHT_ASSOCIATIVE: ReadonlySet<string> = new Set(
  OPERATOR_TABLE.filter((l) => l.associativity === 'right').flatMap((l) => l.operators),
);
