/**
 * unparse: the minimum parentheses the precedence table needs, synthetic nodes (as the symbolic
 * module builds them), and the round-trip properties over random trees and random PyTorch-shaped
 * programs: parse(unparse(t)) is t, and parse(unparse(parse(s))) is parse(s), ignoring positions.
 */
import fc from 'fast-check';
import type { BinaryOp, Expr } from '../../../src/parse/python/ast';
import { parseExpression, parseProgram } from '../../../src/parse/python/parser';
import { quoteString, unparse, unparseProgram } from '../../../src/parse/python/unparse';
import { arbitraryExpr, arbitraryProgram } from './generators';
import { sameTree, show, showProgram, stripPositions } from './show';

describe('the minimum parentheses', () => {
  test.each([
    ['(a + b) * c', '(a + b) * c'],
    ['a + (b * c)', 'a + b * c'],
    ['(a - b) - c', 'a - b - c'],
    ['a - (b - c)', 'a - (b - c)'],
    ['a - (b + c)', 'a - (b + c)'],
    ['a / (b * c)', 'a / (b * c)'],
    ['a % (b // c)', 'a % (b // c)'],
    ['a * (b @ c)', 'a * (b @ c)'],
    ['(a @ b) @ c', 'a @ b @ c'],
    ['(-x)**2', '(-x)**2'],
    ['-(x**2)', '-x**2'],
    ['2**(-1)', '2**-1'],
    ['(a**b)**c', '(a**b)**c'],
    ['a**(b**c)', 'a**b**c'],
    ['x ^ 2', 'x**2'],
    ['(2 ^ 3) ^ 2', '(2**3)**2'],
    ['- x ** - y', '-x**-y'],
    ['x ** -1 * 2', 'x**-1 * 2'],
    ['(x ** 2).sum() ** 0.5', '(x**2).sum()**0.5'],
    ['a·b × c', 'a * b * c'],
    ['a \u2212 b', 'a - b'],
    ['-(-x)', '- -x'],
    ['-(+x)', '- +x'],
    ['-(~x)', '-~x'],
    ['a - (-b)', 'a - -b'],
    ['(a < b) < c', '(a < b) < c'],
    ['a < (b < c)', 'a < (b < c)'],
    ['a < b < c', 'a < b < c'],
    ['(a + b) < c', 'a + b < c'],
    ['a == (b | c)', 'a == b | c'],
    ['(a & b) | c', 'a & b | c'],
    ['(a | b) & c', '(a | b) & c'],
    ['~(a & b)', '~(a & b)'],
    ['not (a < b)', 'not a < b'],
    ['(not a) == b', '(not a) == b'],
    ['not (a and b)', 'not (a and b)'],
    ['not (not a)', 'not not a'],
    ['(a and b) and c', 'a and b and c'],
    ['a and (b and c)', 'a and (b and c)'],
    ['(a or b) and c', '(a or b) and c'],
    ['a or (b and c)', 'a or b and c'],
    ['(not a) and b', 'not a and b'],
    ['(x + 1).sum()', '(x + 1).sum()'],
    ['(x).T', 'x.T'],
    ['(-x).abs()', '(-x).abs()'],
    ['(x**2).sum()', '(x**2).sum()'],
    ['(f)(x)', 'f(x)'],
    ['(a + b)[0]', '(a + b)[0]'],
    ['(1).T', '(1).T'],
    ['((a))', 'a'],
    ['a @ b.T', 'a @ b.T'],
    ['x[1:3].sum() * x[0]', 'x[1:3].sum() * x[0]'],
  ])('%s → %s', (source, printed) => {
    expect(unparse(parseExpression(source))).toBe(printed);
  });
});

describe('every node kind prints as Python', () => {
  test.each([
    ['x[(1, 2)]', 'x[(1, 2)]'],
    ['x[1, 2]', 'x[1, 2]'],
    ['x[1,]', 'x[1,]'],
    ['x[::2]', 'x[::2]'],
    ['x[::]', 'x[:]'],
    ['x[:, 0]', 'x[:, 0]'],
    ['X[None, :]', 'X[None, :]'],
    ['x[a+1:b-1]', 'x[a + 1:b - 1]'],
    ['x[..., 0]', 'x[..., 0]'],
    ['f(a, b, dim = 1, keepdim = True)', 'f(a, b, dim=1, keepdim=True)'],
    ['f(x=-1)', 'f(x=-1)'],
    ['f(reduction="sum")', "f(reduction='sum')"],
    ['f()', 'f()'],
    ['(a,)', '(a,)'],
    ['()', '()'],
    ['[ ]', '[]'],
    ['[[1,2],[3,4]]', '[[1, 2], [3, 4]]'],
    ['F.layer_norm(X, (3,), weight=g)', 'F.layer_norm(X, (3,), weight=g)'],
    ['1_000 + .5 + 1e-3 + 0x1F + 2.', '1_000 + .5 + 1e-3 + 0x1F + 2.'],
    ['"it\'s"', '"it\'s"'],
    ["'say \"hi\"'", "'say \"hi\"'"],
    ["'both \\' \"'", "'both \\' \"'"],
    ["'a\\nb\\t\\\\'", "'a\\nb\\t\\\\'"],
    ['"\\x00\\x7f"', "'\\x00\\x7f'"],
    ['True and False or None', 'True and False or None'],
    ['...', '...'],
    ['σ(z) * (1 − σ(z))', 'σ(z) * (1 - σ(z))'],
  ])('%s → %s', (source, printed) => {
    expect(unparse(parseExpression(source))).toBe(printed);
  });

  test('a program', () => {
    expect(unparseProgram(parseProgram('h = a+b;; h\n'))).toBe('h = a + b; h');
  });
});

describe('synthetic nodes, as the symbolic module builds them', () => {
  const span: [number, number] = [0, 0];
  const num = (value: number): Expr => ({ kind: 'number', value, text: '', integer: Number.isInteger(value), span });
  const x: Expr = { kind: 'name', name: 'x', span };
  const bin = (op: BinaryOp, left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right, opPos: 0, span });

  test.each<[string, Expr, string]>([
    ['a negative base', bin('**', num(-2), x), '(-2)**x'],
    ['a negative exponent', bin('**', x, num(-2)), 'x**-2'],
    ['minus a negative number', bin('-', x, num(-2)), 'x - -2'],
    ['negation of a negative number', { kind: 'unary', op: '-', operand: num(-2), span }, '- -2'],
    ['a method of a negative number', { kind: 'attribute', object: num(-1), name: 'abs', namePos: 0, span }, '(-1).abs'],
    ['NaN', num(NaN), 'math.nan'],
    ['infinity', num(Infinity), 'math.inf'],
    ['minus infinity', bin('*', num(-Infinity), x), '-math.inf * x'],
    ['minus zero', num(-0), '-0.0'],
    ['a large number', num(1e21), '1e+21'],
    ['a small number', num(1.5e-7), '1.5e-7'],
    ['a shortest round trip', num(0.1 + 0.2), '0.30000000000000004'],
  ])('%s', (_, tree, printed) => {
    expect(unparse(tree)).toBe(printed);
    // Printed numbers read back as the same value.
    if (tree.kind === 'number' && Number.isFinite(tree.value) && !Object.is(tree.value, -0)) {
      expect(Number(printed)).toBe(tree.value);
    }
  });

  test('strings print as Python reprs that read back', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const tree = parseExpression(quoteString(value));
        expect(tree).toMatchObject({ kind: 'string', value });
      }),
      { numRuns: 300, seed: 1 },
    );
  });
});

describe('round trip', () => {
  test('parse(unparse(tree)) is the tree, for random trees of every node kind', () => {
    fc.assert(
      fc.property(arbitraryExpr, (tree) => {
        const text = unparse(tree);
        const back = parseExpression(text);
        if (!sameTree(back, tree)) throw new Error(`${text}\n  read back as ${show(back)}\n  printed from ${show(tree)}`);
        // The printed form is a fixed point.
        expect(unparse(back)).toBe(text);
      }),
      { numRuns: 1500, seed: 42 },
    );
  });

  test('positions are not part of the comparison, everything else is', () => {
    const a = parseExpression('f(x, dim=1)');
    const b = parseExpression('f( x , dim = 1 )');
    expect(sameTree(a, b)).toBe(true);
    expect(stripPositions(a)).toEqual(stripPositions(b));
    expect(sameTree(a, parseExpression('f(x, dim=2)'))).toBe(false);
    expect(sameTree(a, parseExpression('f(x, dims=1)'))).toBe(false);
    expect(sameTree(parseExpression('x[0,]'), parseExpression('x[0]'))).toBe(false);
    expect(sameTree(parseExpression('1.0'), parseExpression('1'))).toBe(false);
  });

  test('parse(unparse(parse(s))) is parse(s), for random PyTorch-shaped programs', () => {
    fc.assert(
      fc.property(arbitraryProgram, (source) => {
        const program = parseProgram(source);
        const printed = unparseProgram(program);
        const back = parseProgram(printed);
        if (!sameTree(back, program)) throw new Error(`${printed}\n  read back as ${showProgram(back)}\n  source read as ${showProgram(program)}`);
        expect(unparseProgram(back)).toBe(printed);
      }),
      { numRuns: 1500, seed: 7 },
    );
  });
});

test('the program generator produces what the parser accepts (so the round trip tests something)', () => {
  const samples = fc.sample(arbitraryProgram, { numRuns: 300, seed: 3 });
  for (const s of samples) expect(() => parseProgram(s)).not.toThrow();
  expect(samples.filter((s) => s.length > 40).length).toBeGreaterThan(50);
});
