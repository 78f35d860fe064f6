/**
 * fast-check generators shared by the round-trip and fuzz tests: random trees of every node kind,
 * and random PyTorch-shaped programs as text (spacing, redundant parentheses, comments and line
 * ends inside brackets, ^ and the Unicode spellings).
 */
import fc from 'fast-check';
import type { BinaryOp, CompareOp, Expr, SliceNode, UnaryOp } from '../../../src/parse/python/ast';

// ---- random trees ----

const NAMES = ['x', 'w', 'b', 'W1', 'torch', 'F', 'σ', '_h', 'loss'];
const ATTRIBUTES = ['T', 'sum', 'mean', 'pow', 'functional', 'relu', 'softmax', 'unsqueeze'];
const KEYWORD_NAMES = ['dim', 'keepdim', 'weight', 'bias', 'reduction', 'min'];
/** Literals as written, with the value and int-ness Python gives them. */
const NUMBERS: [string, number, boolean][] = [
  ['0', 0, true], ['1', 1, true], ['2', 2, true], ['10', 10, true], ['1_000', 1000, true], ['0x1f', 31, true], ['0b101', 5, true],
  ['0.5', 0.5, false], ['.5', 0.5, false], ['3.', 3, false], ['1e-3', 0.001, false], ['2.5E3', 2500, false], ['1e-12', 1e-12, false],
];
const BINARY: BinaryOp[] = ['+', '-', '*', '/', '//', '%', '@', '**', '&', '|'];
const COMPARE: CompareOp[] = ['<', '<=', '>', '>=', '==', '!='];
const UNARY: UnaryOp[] = ['-', '+', '~'];
const span: [number, number] = [0, 0];

export const { expr: arbitraryExpr } = fc.letrec<{ expr: Expr; leaf: Expr; index: Expr | SliceNode }>((tie) => ({
  leaf: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...NAMES).map((name): Expr => ({ kind: 'name', name, span })) },
    { weight: 3, arbitrary: fc.constantFrom(...NUMBERS).map(([text, value, integer]): Expr => ({ kind: 'number', value, text, integer, span })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 6 }).map((value): Expr => ({ kind: 'string', value, span })) },
    { weight: 1, arbitrary: fc.constantFrom(true, false, null).map((value): Expr => ({ kind: 'constant', value, span })) },
    { weight: 1, arbitrary: fc.constant<Expr>({ kind: 'ellipsis', span }) },
  ),
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 5, arbitrary: tie('leaf') },
    {
      weight: 2,
      arbitrary: fc.record({ object: tie('expr'), name: fc.constantFrom(...ATTRIBUTES) }).map(({ object, name }): Expr => ({ kind: 'attribute', object, name, namePos: 0, span })),
    },
    {
      weight: 2,
      arbitrary: fc
        .record({
          // Python would call a number (and fail at run time); actgrad's parser refuses it.
          callee: tie('expr').filter((e) => e.kind !== 'number'),
          args: fc.array(tie('expr'), { maxLength: 3 }),
          names: fc.uniqueArray(fc.constantFrom(...KEYWORD_NAMES), { maxLength: 2 }),
          values: fc.array(tie('expr'), { minLength: 2, maxLength: 2 }),
        })
        .map(({ callee, args, names, values }): Expr => ({
          kind: 'call',
          callee,
          args,
          kwargs: names.map((name, i) => ({ name, value: values[i], span })),
          span,
        })),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constantFrom(...UNARY), operand: tie('expr') }).map(({ op, operand }): Expr => ({ kind: 'unary', op, operand, span })) },
    {
      weight: 4,
      arbitrary: fc
        .record({ op: fc.constantFrom(...BINARY), left: tie('expr'), right: tie('expr') })
        .map(({ op, left, right }): Expr => ({ kind: 'binary', op, left, right, opPos: 0, span })),
    },
    {
      weight: 2,
      arbitrary: fc
        .array(fc.tuple(fc.constantFrom(...COMPARE), tie('expr')), { minLength: 1, maxLength: 3 })
        .chain((rest) => tie('expr').map((first) => ({ first, rest })))
        .map(({ first, rest }): Expr => ({
          kind: 'compare',
          ops: rest.map(([op]) => op),
          operands: [first, ...rest.map(([, e]) => e)],
          opPos: rest.map(() => 0),
          span,
        })),
    },
    {
      weight: 2,
      arbitrary: fc
        .record({ op: fc.constantFrom<'and' | 'or'>('and', 'or'), left: tie('expr'), right: tie('expr') })
        .map(({ op, left, right }): Expr => ({ kind: 'boolop', op, left, right, opPos: 0, span })),
    },
    { weight: 1, arbitrary: tie('expr').map((operand): Expr => ({ kind: 'not', operand, span })) },
    {
      weight: 2,
      arbitrary: fc
        .record({ object: tie('expr'), indices: fc.array(tie('index'), { minLength: 1, maxLength: 3 }), comma: fc.boolean() })
        .map(({ object, indices, comma }): Expr => ({ kind: 'subscript', object, indices, tuple: comma || indices.length > 1, span })),
    },
    { weight: 1, arbitrary: fc.array(tie('expr'), { maxLength: 3 }).map((elements): Expr => ({ kind: 'list', elements, span })) },
    { weight: 1, arbitrary: fc.array(tie('expr'), { maxLength: 3 }).map((elements): Expr => ({ kind: 'tuple', elements, span })) },
  ),
  index: fc.oneof(
    { weight: 3, arbitrary: tie('expr') },
    {
      weight: 2,
      arbitrary: fc
        .record({ start: fc.option(tie('expr'), { nil: undefined }), stop: fc.option(tie('expr'), { nil: undefined }), step: fc.option(tie('expr'), { nil: undefined }) })
        .map(({ start, stop, step }): SliceNode => {
          const slice: SliceNode = { kind: 'slice', span };
          if (start) slice.start = start;
          if (stop) slice.stop = stop;
          if (step) slice.step = step;
          return slice;
        }),
    },
  ),
}));

// ---- random programs as text: spacing, redundant parentheses, ^ and the Unicode spellings ----

const space = fc.constantFrom('', ' ', ' ', '  ', '\t');
/** Inside brackets a line may end (Python's implicit line joining), with a comment too. */
const bracketSpace = fc.constantFrom('', ' ', '\n    ', ' # note\n  ');
const tensorName = fc.constantFrom('x', 'y', 'w', 'b', 'W', 'W1', 'b1', 'z', 'logits', 'target', 'h', 'σ');
const numberText = fc.constantFrom('0', '1', '2', '0.5', '.5', '1e-3', '1E3', '1_000', '3.', '0.1');
const method = fc.constantFrom('sum()', 'mean()', 'exp()', 'abs()', 'sigmoid()', 'T', 't()', 'sum(dim=1)', 'mean(dim=0, keepdim=True)', 'pow(2)', 'clamp(min=0)', 'softmax(dim=-1)', 'unsqueeze(0)', 'norm()', 'reshape(-1, 1)');
const fn = fc.constantFrom('torch.relu', 'torch.sigmoid', 'torch.tanh', 'F.softmax', 'F.log_softmax', 'torch.exp', 'F.gelu', 'torch.nn.functional.softplus', 'torch.log1p');
const lossFn = fc.constantFrom('F.mse_loss', 'F.cross_entropy', 'F.binary_cross_entropy_with_logits', 'F.huber_loss', 'torch.maximum', 'torch.matmul');
const infix = fc.constantFrom('+', '-', '*', '/', '@', '**', '^', '//', '%', '·', '×', '\u2212', '<', '<=', '==', '!=', '>', '&', '|', 'and', 'or');
const prefix = fc.constantFrom('-', '+', '~', '\u2212');
const index = fc.constantFrom('0', '-1', '1:3', '::2', ':, 0', '0, 1', 'None, :', '..., 0', ':', 'i', 'i + 1', '1:', ':-1', '0,');

const { expr: sourceExpr } = fc.letrec<{ expr: string; primary: string; operand: string }>((tie) => ({
  // A primary can take a method, a call or a subscript after it (a bare number cannot: 1.T).
  primary: fc.oneof(
    { depthSize: 'small' },
    { weight: 4, arbitrary: tensorName },
    { weight: 2, arbitrary: fc.tuple(bracketSpace, tie('expr'), bracketSpace).map(([a, e, b]) => `(${a}${e}${b})`) },
    { weight: 2, arbitrary: fc.tuple(tie('primary'), method).map(([p, m]) => `${p}.${m}`) },
    { weight: 2, arbitrary: fc.tuple(fn, tie('expr'), fc.boolean()).map(([f, e, dim]) => `${f}(${e}${dim ? ', dim=0' : ''})`) },
    { weight: 1, arbitrary: fc.tuple(lossFn, tie('expr'), tie('expr'), bracketSpace).map(([f, a, b, s]) => `${f}(${a},${s}${b})`) },
    { weight: 1, arbitrary: fc.tuple(tie('primary'), index).map(([p, i]) => `${p}[${i}]`) },
    { weight: 1, arbitrary: fc.array(tie('expr'), { minLength: 1, maxLength: 3 }).map((es) => `torch.tensor([${es.join(', ')}])`) },
    { weight: 1, arbitrary: fc.array(tie('expr'), { maxLength: 3 }).map((es) => `(${es.join(', ')}${es.length === 1 ? ',' : ''})`) },
  ),
  operand: fc.oneof(
    { depthSize: 'small' },
    { weight: 4, arbitrary: tie('primary') },
    { weight: 2, arbitrary: numberText },
    { weight: 1, arbitrary: fc.tuple(prefix, space, tie('operand')).map(([p, s, o]) => `${p}${s}${o}`) },
    { weight: 1, arbitrary: fc.tuple(tie('primary'), space, fc.constantFrom('**', '^'), space, tie('operand')).map((parts) => parts.join('')) },
    { weight: 1, arbitrary: tie('expr').map((e) => `(not ${e})`) },
  ),
  expr: fc.oneof(
    { depthSize: 'small' },
    { weight: 3, arbitrary: tie('operand') },
    {
      weight: 3,
      arbitrary: fc
        .tuple(tie('expr'), space, infix, space, tie('operand'))
        // Word operators need a space on both sides.
        .map(([a, s1, op, s2, b]) => (/^[a-z]/.test(op) ? `${a} ${op} ${b}` : `${a}${s1}${op}${s2}${b}`)),
    },
  ),
}));

export const arbitraryProgram = fc
  .tuple(
    fc.array(fc.tuple(tensorName, sourceExpr), { maxLength: 3 }),
    sourceExpr,
    fc.constantFrom('; ', ';', '\n', ';\n', ' ;; '),
    fc.boolean(),
  )
  .map(([assignments, result, separator, notResult]) =>
    [...assignments.map(([n, e]) => `${n} = ${e}`), notResult ? `not ${result}` : result].join(separator),
  );

