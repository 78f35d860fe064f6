/**
 * The parser: every node kind with its exact tree and spans, actgrad's own spellings (^, −, ·, ×)
 * that Python does not have, programs, every error message with its position, the limits, and
 * the reference expressions. Python's own reading of the syntax is checked in python-ast.test.ts.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { ExpressionError } from '../../../src/errors';
import type { Expr } from '../../../src/parse/python/ast';
import { MAX_DEPTH, MAX_EXPRESSION_LENGTH, MAX_TOKENS, parseExpression, parseProgram } from '../../../src/parse/python/parser';
import { unparse, unparseProgram } from '../../../src/parse/python/unparse';
import { sameTree, show, showProgram } from './show';

const name = (n: string, start: number): Expr => ({ kind: 'name', name: n, span: [start, start + n.length] });
const int = (text: string, start: number): Expr => ({ kind: 'number', value: Number(text), text, integer: true, span: [start, start + text.length] });

describe('every node kind, with its spans', () => {
  test.each<[string, Expr]>([
    ['1_000.5', { kind: 'number', value: 1000.5, text: '1_000.5', integer: false, span: [0, 7] }],
    ['.5', { kind: 'number', value: 0.5, text: '.5', integer: false, span: [0, 2] }],
    ['1e-3', { kind: 'number', value: 0.001, text: '1e-3', integer: false, span: [0, 4] }],
    ['1E3', { kind: 'number', value: 1000, text: '1E3', integer: false, span: [0, 3] }],
    ['0x1F', { kind: 'number', value: 31, text: '0x1F', integer: true, span: [0, 4] }],
    ['42', int('42', 0)],
    ["'a\\'b'", { kind: 'string', value: "a'b", span: [0, 6] }],
    ['"tanh"', { kind: 'string', value: 'tanh', span: [0, 6] }],
    ['"\\x41\\n\\u00e9\\q"', { kind: 'string', value: 'A\né\\q', span: [0, 16] }],
    ['True', { kind: 'constant', value: true, span: [0, 4] }],
    ['False', { kind: 'constant', value: false, span: [0, 5] }],
    ['None', { kind: 'constant', value: null, span: [0, 4] }],
    ['...', { kind: 'ellipsis', span: [0, 3] }],
    ['x_1', name('x_1', 0)],
    ['σ', name('σ', 0)],
    ['\u{1d465}', { kind: 'name', name: 'x', span: [0, 2] }], // mathematical italic x: Python reads names in NFKC form
    ['\u037a', { kind: 'name', name: '\u037a', span: [0, 1] }], // its NFKC form (space, combining mark) is no name: kept
    ['x.T', { kind: 'attribute', object: name('x', 0), name: 'T', namePos: 2, span: [0, 3] }],
    [
      'F.relu',
      { kind: 'attribute', object: name('F', 0), name: 'relu', namePos: 2, span: [0, 6] },
    ],
    [
      'f(x, dim=1)',
      {
        kind: 'call',
        callee: name('f', 0),
        args: [name('x', 2)],
        kwargs: [{ name: 'dim', value: int('1', 9), span: [5, 10] }],
        span: [0, 11],
      },
    ],
    ['f()', { kind: 'call', callee: name('f', 0), args: [], kwargs: [], span: [0, 3] }],
    ['-x', { kind: 'unary', op: '-', operand: name('x', 1), span: [0, 2] }],
    ['\u2212x', { kind: 'unary', op: '-', operand: name('x', 1), span: [0, 2] }],
    ['+x', { kind: 'unary', op: '+', operand: name('x', 1), span: [0, 2] }],
    ['~m', { kind: 'unary', op: '~', operand: name('m', 1), span: [0, 2] }],
    ['a ^ b', { kind: 'binary', op: '**', left: name('a', 0), right: name('b', 4), opPos: 2, span: [0, 5] }],
    ['a**b', { kind: 'binary', op: '**', left: name('a', 0), right: name('b', 3), opPos: 1, span: [0, 4] }],
    ['a·b', { kind: 'binary', op: '*', left: name('a', 0), right: name('b', 2), opPos: 1, span: [0, 3] }],
    ['a × b', { kind: 'binary', op: '*', left: name('a', 0), right: name('b', 4), opPos: 2, span: [0, 5] }],
    ['a \u2212 b', { kind: 'binary', op: '-', left: name('a', 0), right: name('b', 4), opPos: 2, span: [0, 5] }],
    ['a // b', { kind: 'binary', op: '//', left: name('a', 0), right: name('b', 5), opPos: 2, span: [0, 6] }],
    ['W @ x', { kind: 'binary', op: '@', left: name('W', 0), right: name('x', 4), opPos: 2, span: [0, 5] }],
    [
      'a < b <= c',
      { kind: 'compare', ops: ['<', '<='], operands: [name('a', 0), name('b', 4), name('c', 9)], opPos: [2, 6], span: [0, 10] },
    ],
    ['a and b', { kind: 'boolop', op: 'and', left: name('a', 0), right: name('b', 6), opPos: 2, span: [0, 7] }],
    ['a or b', { kind: 'boolop', op: 'or', left: name('a', 0), right: name('b', 5), opPos: 2, span: [0, 6] }],
    ['not a', { kind: 'not', operand: name('a', 4), span: [0, 5] }],
    [
      'x[1:3]',
      {
        kind: 'subscript',
        object: name('x', 0),
        indices: [{ kind: 'slice', start: int('1', 2), stop: int('3', 4), span: [2, 5] }],
        tuple: false,
        span: [0, 6],
      },
    ],
    [
      'x[::2]',
      { kind: 'subscript', object: name('x', 0), indices: [{ kind: 'slice', step: int('2', 4), span: [2, 5] }], tuple: false, span: [0, 6] },
    ],
    [
      'X[:, 0]',
      { kind: 'subscript', object: name('X', 0), indices: [{ kind: 'slice', span: [2, 3] }, int('0', 5)], tuple: true, span: [0, 7] },
    ],
    ['x[0,]', { kind: 'subscript', object: name('x', 0), indices: [int('0', 2)], tuple: true, span: [0, 5] }],
    [
      'x[(0, 1)]',
      {
        kind: 'subscript',
        object: name('x', 0),
        indices: [{ kind: 'tuple', elements: [int('0', 3), int('1', 6)], span: [2, 8] }],
        tuple: false,
        span: [0, 9],
      },
    ],
    [
      'x[-1]',
      { kind: 'subscript', object: name('x', 0), indices: [{ kind: 'unary', op: '-', operand: int('1', 3), span: [2, 4] }], tuple: false, span: [0, 5] },
    ],
    ['[a, [b]]', { kind: 'list', elements: [name('a', 1), { kind: 'list', elements: [name('b', 5)], span: [4, 7] }], span: [0, 8] }],
    ['[]', { kind: 'list', elements: [], span: [0, 2] }],
    ['(a, b)', { kind: 'tuple', elements: [name('a', 1), name('b', 4)], span: [0, 6] }],
    ['(a,)', { kind: 'tuple', elements: [name('a', 1)], span: [0, 4] }],
    ['()', { kind: 'tuple', elements: [], span: [0, 2] }],
    // A parenthesised expression's span takes in its parentheses, so its parent's span starts there.
    [
      '(a + b) * c',
      {
        kind: 'binary',
        op: '*',
        left: { kind: 'binary', op: '+', left: name('a', 1), right: name('b', 5), opPos: 3, span: [0, 7] },
        right: name('c', 10),
        opPos: 8,
        span: [0, 11],
      },
    ],
    ['((x))', { kind: 'name', name: 'x', span: [0, 5] }],
    // Offsets count UTF-16 code units: the emoji is two.
    [
      "'\u{1f600}' + σ",
      { kind: 'binary', op: '+', left: { kind: 'string', value: '\u{1f600}', span: [0, 4] }, right: name('σ', 7), opPos: 5, span: [0, 8] },
    ],
  ])('%s', (source, tree) => {
    expect(parseExpression(source)).toEqual(tree);
  });

  test('a program: assignments and the result, with their spans', () => {
    expect(parseProgram('h = relu(x); h * 2')).toEqual({
      statements: [
        {
          target: 'h',
          targetSpan: [0, 1],
          value: { kind: 'call', callee: name('relu', 4), args: [name('x', 9)], kwargs: [], span: [4, 11] },
          span: [0, 11],
        },
        { value: { kind: 'binary', op: '*', left: name('h', 13), right: int('2', 17), opPos: 15, span: [13, 18] }, span: [13, 18] },
      ],
    });
  });
});

describe("actgrad's own spellings", () => {
  test.each([
    ['-x^2', '(u- (** x 2))'],
    ['2^-1', '(** 2 (u- 1))'],
    ['2^3^2', '(** 2 (** 3 2))'],
    ['2^3**2', '(** 2 (** 3 2))'],
    ['(2^3)^2', '(** (** 2 3) 2)'],
    ['a ^ b * c', '(* (** a b) c)'],
    ['a * b ^ c', '(* a (** b c))'],
    ['x^2^3', '(** x (** 2 3))'],
    ['\u22122^2', '(u- (** 2 2))'],
    ['a \u2212 b·c × d', '(- a (* (* b c) d))'],
    ['a\u2212\u2212b', '(- a (u- b))'],
    ['norm(y - (x*w + b))^2', '(** (call norm (- y (+ (* x w) b))) 2)'],
    ['softmax(a)[1]', '(sub (call softmax a) 1)'],
    ['mean(exp(-x^2 / 2))', '(call mean (call exp (/ (u- (** x 2)) 2)))'],
    ['a <= b\u00a0+ c', '(cmp a <= (+ b c))'], // a no-break space, as copied from a web page
    ['f(x,\n  y)', '(call f x y)'],
    ['007 + 1.', '(+ 7 1f)'], // leading zeros, which Python 3 refuses, read as the older language did
  ])('%s', (source, tree) => {
    expect(show(parseExpression(source))).toBe(tree);
  });

  test('^ is ** everywhere: every Python case with ** reads the same with ^', () => {
    const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'python-ast.json'), 'utf8')) as {
      cases: { source: string; program: boolean; tree?: string }[];
    };
    const withPower = fixture.cases.filter((c) => c.tree !== undefined && c.source.includes('**'));
    expect(withPower.length).toBeGreaterThan(40);
    for (const c of withPower) {
      const caret = c.source.split('**').join('^');
      const tree = c.program ? showProgram(parseProgram(caret)) : show(parseExpression(caret));
      expect([caret, tree]).toEqual([caret, c.tree]);
    }
  });
});

describe('programs', () => {
  test.each([
    ['h = torch.relu(W1 @ x + b1); out = W2 @ h + b2; F.mse_loss(out, y)', '(= h (call (. torch relu) (+ (@ W1 x) b1))); (= out (+ (@ W2 h) b2)); (call (. F mse_loss) out y)'],
    ['a = 1\nb = 2\n\na + b', '(= a 1); (= b 2); (+ a b)'],
    [';; x = 1;;; x;', '(= x 1); x'],
    ['x = 1\r\nx', '(= x 1); x'],
    ['y = f(a,\n      b)  # a comment\ny', '(= y (call f a b)); y'],
    ['y = a + \\\n    b\ny', '(= y (+ a b)); y'],
    ['  h = x\n    h', '(= h x); h'], // indentation, as in code pasted from a function body
    ['x == 1', '(cmp x == 1)'],
    ['f(dim=1)', '(call f dim=1)'],
  ])('%j', (source, tree) => {
    expect(showProgram(parseProgram(source))).toBe(tree);
  });

  test('statement spans', () => {
    const program = parseProgram('  a = 1 ;  a + 2 ');
    expect(program.statements.map((s) => [s.span, s.targetSpan])).toEqual([
      [[2, 7], [2, 3]],
      [[11, 16], undefined],
    ]);
  });
});

/** [source, 'program' | 'expression', message, pos] */
const errors: [string, 'program' | 'expression', string, number][] = [
  // Brackets and strings: the caret points at the opener.
  ['(a + b', 'expression', "the '(' at column 1 is not closed: add ')'", 0],
  ['f(g(x)', 'expression', "the '(' at column 2 is not closed: add ')'", 1],
  ['[1, 2', 'expression', "the '[' at column 1 is not closed: add ']'", 0],
  ['x = (1,\n 2', 'program', "the '(' at line 1, column 5 is not closed: add ')'", 4],
  ["f('abc)", 'expression', "the string that starts at column 3 is not closed: end it with '", 2],
  ['"abc\ndef"', 'expression', 'the string that starts at line 1, column 1 is not closed: end it with "', 0],
  ['(a]', 'expression', "the ']' at column 3 does not match the '(' at column 1, which needs ')'", 2],
  ['a)', 'expression', "the ')' at column 2 has no matching '('; remove it", 1],
  ['x[1]]', 'expression', "the ']' at column 5 has no matching '['; remove it", 4],
  // Unexpected tokens.
  ['x + ', 'expression', "expected an expression after '+', found the end of the expression", 4],
  ['x + * y', 'expression', "expected an expression after '+', found '*'", 4],
  ['x ^', 'expression', "expected an expression after '^', found the end of the expression", 3],
  ['* x', 'expression', "expected an expression, found '*'", 0],
  ['a; * x', 'program', "expected an expression after ';', found '*'", 3],
  ['x.sum(dim=)', 'expression', "expected an expression after '=', found ')'", 10],
  ['f(,)', 'expression', "expected an expression after '(', found ','", 2],
  ['[1,,2]', 'expression', "expected an expression after ',', found ','", 3],
  ['a b', 'program', "expected an operator or the end of the statement, found 'b'", 2],
  ['a b', 'expression', "expected an operator or the end of the expression, found 'b'", 2],
  ['2 x', 'expression', "expected an operator or the end of the expression, found 'x' (write 2*x for a product)", 2],
  ['a, b', 'program', "expected an operator or the end of the statement, found ','; a tuple needs parentheses: (a, b)", 1],
  ['f(a b)', 'expression', "expected an operator, ',' or ')' to close the call of f, found 'b'", 4],
  ['F.relu(a b)', 'expression', "expected an operator, ',' or ')' to close the call of F.relu, found 'b'", 9],
  ['f(a)(b c)', 'expression', "expected an operator, ',' or ')' to close the call at column 5, found 'c'", 7],
  ['[1 2]', 'expression', "expected an operator, ',' or ']' to close the '[' at column 1, found '2'", 3],
  ['(1 2)', 'expression', "expected an operator, ',' or ')' to close the '(' at column 1, found '2'", 3],
  ['x[1 2]', 'expression', "expected an operator, ':', ',' or ']' to close the '[' at column 2, found '2'", 4],
  ['(a; b)', 'program', "expected an operator, ',' or ')' to close the '(' at column 1, found ';'", 2],
  ['x[]', 'expression', "expected an index between '[' and ']', e.g. x[0]", 2],
  ['x[1:2:3:4]', 'expression', "a slice has at most three parts, start:stop:step; found another ':'", 7],
  ['f(1:2)', 'expression', "':' at column 4 can only stand in a subscript, as in x[1:3]", 3],
  ['x.', 'expression', "expected an attribute name after '.', found the end of the expression", 2],
  ['x.not', 'expression', "expected an attribute name after '.', found 'not'", 2],
  ['x.1', 'expression', "expected an operator or the end of the expression, found '.1'", 1],
  ['a < not b', 'expression', "'not' cannot follow '<' without parentheses: write (not …)", 4],
  ['- not a', 'expression', "'not' cannot follow '-' without parentheses: write (not …)", 2],
  ['2(x + 1)', 'expression', 'a number cannot be called: write 2*(…) for a product', 1],
  // '=' where '==' is meant.
  ['f(x + 1 = 2)', 'expression', "'=' is assignment, which an expression cannot contain; to compare, write '=='", 8],
  ['x = 1', 'expression', "'=' is assignment, which an expression cannot contain; to compare, write '=='", 2],
  ['(x = 1)', 'program', "'=' assigns only to a name at the start of a statement (h = …); to compare, write '=='", 3],
  ['x[0] = 1; x', 'program', "'=' assigns only to a name at the start of a statement (h = …); to compare, write '=='", 5],
  ['a = b = 1; a', 'program', "'=' assigns only to a name at the start of a statement (h = …); to compare, write '=='", 6],
  ['True = 1; x', 'program', "'True' is a Python keyword and cannot be assigned; choose another name", 0],
  // Arguments.
  ['f(dim=1, dim=2)', 'expression', 'the keyword argument dim= is given twice; remove one', 9],
  [
    'f(dim=1, x)',
    'expression',
    'a positional argument follows the keyword argument dim=: put positional arguments first (to compare, write dim == …)',
    9,
  ],
  [
    'torch.where(x = 0, x, y)',
    'expression',
    'a positional argument follows the keyword argument x=: put positional arguments first (to compare, write x == …)',
    19,
  ],
  // Programs.
  ['', 'program', 'the expression is empty: write one, e.g. "x*w + b"', 0],
  ['  ;; \n # nothing', 'program', 'the expression is empty: write one, e.g. "x*w + b"', 0],
  ['   ', 'expression', 'the expression is empty: write one, e.g. "x*w + b"', 0],
  ['a = 1', 'program', 'the program ends with an assignment; end it with the expression to differentiate, e.g. "…; a"', 0],
  [
    'h = relu(x); loss = h*2',
    'program',
    'the program ends with an assignment; end it with the expression to differentiate, e.g. "…; loss"',
    13,
  ],
  ['a; b', 'expression', "';' at column 2 separates statements, which a single expression cannot have", 1],
  // Spellings from other languages.
  ['a && b', 'expression', "'&&' is not Python: use 'and' (or '&' for boolean tensors)", 2],
  ['a || b', 'expression', "'||' is not Python: use 'or' (or '|' for boolean tensors)", 2],
  ['!a', 'expression', "'!' is not Python: use 'not' (or '~' for boolean tensors)", 0],
  ['x++', 'expression', "'++' is not Python, which has no increment operator: write x + 1", 1],
  ['f(x++)', 'expression', "'++' is not Python, which has no increment operator: write x + 1", 3],
  ['x--; x', 'program', "'--' is not Python, which has no decrement operator: write x - 1", 1],
  ['x += 1', 'program', "'+=' (augmented assignment) is not supported: write x = x + …", 2],
  ['x **= 2', 'program', "'**=' (augmented assignment) is not supported: write x = x ** …", 2],
  ['a === b', 'expression', "'===' is not Python: use '=='", 2],
  ['a !== b', 'expression', "'!==' is not Python: use '!='", 2],
  ['a =< b', 'expression', "'=<' is not Python: use '<='", 2],
  ['a => b', 'expression', "'=>' is not Python: use '>='", 2],
  ['a <> b', 'expression', "'<>' is not Python: use '!='", 2],
  ['a << 2', 'expression', "'<<' (bit shift) is not part of the expression language", 2],
  ['\u2018abc\u2019', 'expression', '\'\u2018\' at column 1 is a typographic quote: write strings with \' or "', 0],
  // Python that the language leaves out.
  ['a if b else c', 'expression', 'conditional expressions (a if c else b) are not supported: write torch.where(c, a, b)', 2],
  ['[x for x in y]', 'expression', 'comprehensions (… for … in …) are not supported: write the list out', 3],
  ['a in b', 'expression', "'in' is not supported in the expression language", 2],
  ['a not in b', 'expression', "'not in' is not supported in the expression language", 2],
  ['a is None', 'expression', "'is' is not supported: to compare, write '=='", 2],
  ['return x', 'program', "'return' is not needed: the program's last expression is its result; remove 'return'", 0],
  ['import torch\nx', 'program', "'import' is not needed: torch, F (torch.nn.functional) and math are always available; remove the line", 0],
  ['lambda x: x', 'expression', "'lambda' is a Python keyword that the expression language does not support", 0],
  ['f(*a)', 'expression', "expected an expression after '(', found '*'", 2],
  // Characters and numbers.
  ['a $ b', 'expression', "'$' at column 3 is not part of the expression language", 2],
  ['a\nb\n  c $', 'program', "'$' at line 3, column 5 is not part of the expression language", 8],
  ['{1}', 'expression', "'{' at column 1 is not part of the expression language", 0],
  ['x\u0000', 'expression', 'the character U+0000 at column 2 is not part of the expression language', 1],
  ['\u{1f600} + 1', 'expression', "'\u{1f600}' at column 1 is not part of the expression language", 0],
  ['a\\b', 'expression', "'\\' at column 2 is not part of the expression language (outside a string it only continues a line)", 1],
  ['x\u00b2', 'expression', "'\u00b2' at column 2 is not part of the expression language: write **2 for a power", 1],
  ['2x', 'expression', "'2x' at column 1 is not a number: write 2*x for a product", 0],
  ['1 + 3w', 'expression', "'3w' at column 5 is not a number: write 3*w for a product", 4],
  ['1e', 'expression', "'1e' at column 1 is not a number: an exponent needs digits, e.g. 1e-3", 0],
  ['1__0', 'expression', "'1__0' at column 1 is not a number", 0],
  ['1_', 'expression', "'1_' at column 1 is not a number", 0],
  ['0x', 'expression', "'0x' at column 1 is not a number", 0],
  ['1.T', 'expression', "'1.T' at column 1 is not a number", 0],
];

describe('errors name what to fix, and where', () => {
  test.each(errors)('%j (%s)', (source, mode, message, pos) => {
    let error: unknown;
    try {
      if (mode === 'program') parseProgram(source);
      else parseExpression(source);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExpressionError);
    const e = error as ExpressionError;
    expect([e.message, e.pos, e.expression]).toEqual([message, pos, source]);
  });
});

describe('limits: hostile input gives an ExpressionError, never a RangeError', () => {
  const depthMessage = (pos: number) => `brackets are nested more than ${MAX_DEPTH} deep at column ${pos + 1}`;
  const thrown = (f: () => unknown): unknown => {
    try {
      f();
    } catch (e) {
      return e;
    }
    return undefined;
  };

  test(`${MAX_DEPTH} nested brackets parse; one more is refused at the first one too deep`, () => {
    const ok = '('.repeat(MAX_DEPTH) + 'x' + ')'.repeat(MAX_DEPTH);
    expect(parseExpression(ok)).toEqual({ kind: 'name', name: 'x', span: [0, ok.length] });
    const deep = '('.repeat(MAX_DEPTH + 1) + 'x' + ')'.repeat(MAX_DEPTH + 1);
    const e = thrown(() => parseExpression(deep)) as ExpressionError;
    expect(e).toBeInstanceOf(ExpressionError);
    expect([e.message, e.pos]).toEqual([depthMessage(MAX_DEPTH), MAX_DEPTH]);
  });

  test.each([
    ['parentheses', '('.repeat(10_000) + 'x' + ')'.repeat(10_000)],
    ['unclosed parentheses', '('.repeat(10_000)],
    ['lists', '['.repeat(10_000) + ']'.repeat(10_000)],
    ['calls', 'f('.repeat(10_000) + 'x' + ')'.repeat(10_000)],
    ['subscripts', 'x['.repeat(10_000) + '0' + ']'.repeat(10_000)],
    ['methods', 'x' + '.sum('.repeat(10_000) + ')'.repeat(10_000)],
  ])('10,000 nested %s', (_, source) => {
    const e = thrown(() => parseProgram(source)) as ExpressionError;
    expect(e).toBeInstanceOf(ExpressionError);
    const pos = nthOpener(source, MAX_DEPTH + 1);
    expect([e.message, e.pos]).toEqual([depthMessage(pos), pos]);
  });

  test('a left-associative chain of 100,000 + parses and prints without recursion', () => {
    const source = 'x' + ' + x'.repeat(100_000);
    const tree = parseExpression(source);
    let depth = 0;
    let leftmost: Expr = tree;
    for (; leftmost.kind === 'binary' && leftmost.op === '+' && leftmost.right.kind === 'name'; leftmost = leftmost.left) depth++;
    expect([depth, leftmost]).toEqual([100_000, { kind: 'name', name: 'x', span: [0, 1] }]);
    expect(tree.span).toEqual([0, source.length]);
    expect(firstDifference(unparse(tree), source)).toBe(-1);
  });

  test.each([
    ['100,000 unary minus', '-'.repeat(100_000) + 'x', '- '.repeat(99_999) + '-x'],
    ['100,000 not', 'not '.repeat(100_000) + 'x', 'not '.repeat(100_000) + 'x'],
    ['a chain of 100,000 ** (right-nested)', 'x' + '**x'.repeat(100_000), 'x' + '**x'.repeat(100_000)],
    ['a chain of 100,000 ^', 'x' + '^x'.repeat(100_000), 'x' + '**x'.repeat(100_000)],
    ['a chain of 50,000 comparisons', 'x' + ' < x'.repeat(50_000), 'x' + ' < x'.repeat(50_000)],
    ['a chain of 60,000 calls, attributes and subscripts', 'x' + '.f()[0]'.repeat(30_000), 'x' + '.f()[0]'.repeat(30_000)],
  ])('%s', (_, source, printed) => {
    const tree = parseExpression(source);
    const text = unparse(tree);
    expect(firstDifference(text, printed)).toBe(-1);
    expect(sameTree(parseExpression(text), tree)).toBe(true);
  });

  test('a program of 20,000 statements', () => {
    const source = Array.from({ length: 20_000 }, (_, i) => `h${i + 1} = h${i} * 2`).join('; ') + '; h20000';
    const program = parseProgram(source);
    expect(program.statements).toHaveLength(20_001);
    expect(firstDifference(unparseProgram(program), source)).toBe(-1);
  });

  test(`more than ${MAX_EXPRESSION_LENGTH} characters is refused before reading`, () => {
    const e = thrown(() => parseExpression('x'.repeat(MAX_EXPRESSION_LENGTH + 1))) as ExpressionError;
    expect(e).toBeInstanceOf(ExpressionError);
    expect([e.message, e.pos]).toEqual([
      `the expression is ${MAX_EXPRESSION_LENGTH + 1} characters long; the limit is ${MAX_EXPRESSION_LENGTH}`,
      MAX_EXPRESSION_LENGTH,
    ]);
  });

  test(`more than ${MAX_TOKENS} tokens is refused`, () => {
    const source = 'x+'.repeat(MAX_TOKENS / 2) + 'x';
    const e = thrown(() => parseExpression(source)) as ExpressionError;
    expect(e).toBeInstanceOf(ExpressionError);
    expect([e.message, e.pos]).toEqual([`the expression has more than ${MAX_TOKENS} tokens, too many to read`, source.length - 1]);
  });
});

/** Where two long strings first differ (-1: equal), so that a failure does not print them whole. */
function firstDifference(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** The offset of the n-th '(' or '[' (1-based). */
function nthOpener(source: string, n: number): number {
  let seen = 0;
  for (let i = 0; i < source.length; i++) if ((source[i] === '(' || source[i] === '[') && ++seen === n) return i;
  return -1;
}

describe('the reference expressions all parse', () => {
  // The copies of the shared reference data that the repository carries (a clone has no ../shared).
  const reference = join(__dirname, '..', '..', 'fixtures', 'pytorch-2.11');
  const expressions = ['expressions.jsonl', 'torch-expressions.jsonl'].flatMap((file) =>
    readFileSync(join(reference, file), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => [file, (JSON.parse(line) as { expression: string }).expression] as const),
  );

  test('there are reference expressions', () => {
    expect(expressions.length).toBeGreaterThanOrEqual(70);
  });

  test.each(expressions)('%s: %s', (_, source) => {
    const program = parseProgram(source);
    const last = program.statements[program.statements.length - 1];
    expect(last.target).toBeUndefined();
    expect(last.span[1]).toBe(source.trimEnd().length);
    expect(sameTree(parseProgram(unparseProgram(program)), program)).toBe(true);
  });
});
