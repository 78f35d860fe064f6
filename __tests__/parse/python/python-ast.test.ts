/**
 * The parser against CPython's own parser: fixtures/python-ast.json holds, for every pair of
 * infix operators, every prefix operator around each, postfix forms, literals, programs and all
 * the reference expressions, the tree Python's `ast` module builds (or that Python refuses the
 * source). Regenerate with `python3 python-ast.py` in fixtures/.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { ExpressionError } from '../../../src/errors';
import { parseExpression, parseProgram } from '../../../src/parse/python/parser';
import { show, showProgram } from './show';

interface Case {
  source: string;
  program: boolean;
  tree?: string;
  error?: boolean;
  pythonAccepts?: boolean;
}

const cases = (JSON.parse(readFileSync(join(__dirname, 'fixtures', 'python-ast.json'), 'utf8')) as { cases: Case[] }).cases;
const accepted = cases.filter((c) => !c.error).map((c) => [c.source, c] as const);
const refused = cases.filter((c) => c.error).map((c) => [c.source, c] as const);

test('the fixture covers the operator table and the references', () => {
  expect(accepted.length).toBeGreaterThan(500);
  expect(refused.length).toBeGreaterThan(30);
});

test.each(accepted)('%s reads as Python reads it', (source, c) => {
  const tree = c.program ? showProgram(parseProgram(source)) : show(parseExpression(source));
  expect(tree).toBe(c.tree);
});

test.each(refused)('%s is refused, as Python refuses it (or is beyond the language)', (source, c) => {
  const parse = () => (c.program ? parseProgram(source) : parseExpression(source));
  expect(parse).toThrow(ExpressionError);
});
