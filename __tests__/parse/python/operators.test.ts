/**
 * The operator table: its order is Python's (The Python Language Reference, §6.17), the parser
 * groups every pair of operators as the table says (Python's own grouping is checked in
 * python-ast.test.ts), and the parse modules stay cheap to load.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { children, type Expr, type SubscriptNode } from '../../../src/parse/python/ast';
import {
  INFIX_PRECEDENCE,
  OPERATOR_TABLE,
  POSTFIX_PRECEDENCE,
  PREFIX_PRECEDENCE,
  RIGHT_ASSOCIATIVE,
} from '../../../src/parse/python/operators';
import { parseExpression } from '../../../src/parse/python/parser';
import { show } from './show';

test("the table's order is Python's, with ^ as power", () => {
  // §6.17, loosest first, without lambda, if-else, in/is, ^ (xor) and shifts.
  expect(OPERATOR_TABLE.map((l) => `${l.form} ${l.operators.join(' ')}`)).toEqual([
    'infix or',
    'infix and',
    'prefix not',
    'infix < <= > >= == !=',
    'infix |',
    'infix &',
    'infix + -',
    'infix * / // % @',
    'prefix - + ~',
    'infix **',
    'postfix f(…)',
    'postfix .name',
    'postfix […]',
  ]);
  const precedences = OPERATOR_TABLE.map((l) => l.precedence);
  expect(precedences).toEqual([...precedences].sort((a, b) => a - b));
  expect(OPERATOR_TABLE.find((l) => l.operators.includes('**'))?.aliases).toEqual({ '^': '**' });
  expect([...RIGHT_ASSOCIATIVE]).toEqual(['**']);
  expect(POSTFIX_PRECEDENCE).toBeGreaterThan(INFIX_PRECEDENCE.get('**')!);
});

const infix = OPERATOR_TABLE.filter((l) => l.form === 'infix').flatMap((l) => [
  ...l.operators.map((op) => [op, op, l.node] as const),
  ...Object.entries(l.aliases ?? {}).map(([alias, op]) => [alias, op, l.node] as const),
]);
const prefix = OPERATOR_TABLE.filter((l) => l.form === 'prefix').flatMap((l) => [
  ...l.operators.map((op) => [op, op, l.node] as const),
  ...Object.entries(l.aliases ?? {}).map(([alias, op]) => [alias, op, l.node] as const),
]);

test.each(infix)('a %s b is a %s node', (spelling, op, node) => {
  const tree = parseExpression(`a ${spelling} b`);
  expect(tree.kind).toBe(node);
  expect(tree.kind === 'compare' ? tree.ops : (tree as { op: string }).op).toEqual(tree.kind === 'compare' ? [op] : op);
});

test.each(prefix)('%s a is a %s node', (spelling, op, node) => {
  const tree = parseExpression(`${spelling}${/[a-z]/.test(spelling) ? ' ' : ''}a`);
  expect(tree.kind).toBe(node);
  if (tree.kind === 'unary') expect(tree.op).toBe(op);
});

/** How the table groups `a op1 b op2 c`. */
function grouping(op1: string, op2: string): 'left' | 'right' | 'chain' {
  const p1 = INFIX_PRECEDENCE.get(op1)!;
  const p2 = INFIX_PRECEDENCE.get(op2)!;
  if (p1 === p2 && OPERATOR_TABLE.find((l) => l.operators.includes(op1) && l.form === 'infix')!.associativity === 'chain') return 'chain';
  if (p1 > p2 || (p1 === p2 && !RIGHT_ASSOCIATIVE.has(op2))) return 'left';
  return 'right';
}

/** A binary node in show()'s notation; comparisons print as (cmp l op r). */
const shown = (op: string, node: string, l: string, r: string): string => (node === 'compare' ? `(cmp ${l} ${op} ${r})` : `(${op} ${l} ${r})`);

test('every pair of infix operators (and their aliases) groups as the table says', () => {
  let pairs = 0;
  for (const [s1, op1, node1] of infix) {
    for (const [s2, op2, node2] of infix) {
      const tree = show(parseExpression(`a ${s1} b ${s2} c`));
      const expected = {
        chain: `(cmp a ${op1} b ${op2} c)`,
        left: shown(op2, node2, shown(op1, node1, 'a', 'b'), 'c'),
        right: shown(op1, node1, 'a', shown(op2, node2, 'b', 'c')),
      }[grouping(op1, op2)];
      expect([s1, s2, tree]).toEqual([s1, s2, expected]);
      pairs++;
    }
  }
  expect(pairs).toBe(infix.length ** 2);
});

test('each prefix operator binds as the table says against each infix one', () => {
  for (const [s, op, node] of prefix) {
    if (op === 'not') continue; // 'not' may not stand after most operators: python-ast.test.ts
    for (const [si, opi, nodei] of infix) {
      const tree = show(parseExpression(`${s}a ${si} b`));
      const operand = (x: string) => (node === 'not' ? `(not ${x})` : `(u${op} ${x})`);
      const tighter = PREFIX_PRECEDENCE.get(op)! > INFIX_PRECEDENCE.get(opi)!;
      const binary = (l: string, r: string) => shown(opi, nodei, l, r);
      expect([s, si, tree]).toEqual([s, si, tighter ? binary(operand('a'), 'b') : operand(binary('a', 'b'))]);
    }
  }
});

test('children lists the direct subtrees in source order', () => {
  const kids = (source: string) => {
    const tree = parseExpression(source);
    return children(tree).map((c) => (c.kind === 'slice' ? 'slice' : show(c as Expr)));
  };
  expect(kids('f(a, b, k=c)')).toEqual(['f', 'a', 'b', 'c']);
  expect(kids('x.T')).toEqual(['x']);
  expect(kids('-a')).toEqual(['a']);
  expect(kids('not a')).toEqual(['a']);
  expect(kids('a + b')).toEqual(['a', 'b']);
  expect(kids('a and b')).toEqual(['a', 'b']);
  expect(kids('a < b < c')).toEqual(['a', 'b', 'c']);
  expect(kids('x[1:2, 0]')).toEqual(['x', 'slice', '0']);
  expect(children((parseExpression('x[1::3]') as SubscriptNode).indices[0]).map((c) => show(c))).toEqual(['1', '3']);
  expect(kids('[a, b]')).toEqual(['a', 'b']);
  expect(kids('(a, b)')).toEqual(['a', 'b']);
  expect(kids('1')).toEqual([]);
});

test('the parse modules load cheaply: no dependencies, no regular expression built at load', () => {
  const dir = join(__dirname, '..', '..', '..', 'src', 'parse', 'python');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  expect(files.sort()).toEqual(['ast.ts', 'index.ts', 'lexer.ts', 'operators.ts', 'parser.ts', 'unparse.ts']);
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8');
    const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    for (const spec of imports) expect([file, spec]).toEqual([file, expect.stringMatching(/^\.\/[a-z]+$|^\.\.\/\.\.\/errors$/)]);
    expect([file, /new RegExp/.test(text)]).toEqual([file, false]);
  }
});
