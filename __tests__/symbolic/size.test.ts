/**
 * --symbolic's formulas are no larger than sympy's simplified derivatives of the same functions
 * (issue 16.1). The sympy side is a fixture written by scripts/symbolic-size.py (sympy.simplify of
 * sympy.diff, with sigmoid, softplus and relu given their usual derivatives); actgrad's side is
 * computed here. Both are counted the same way (src/symbolic/size.ts mirrors the script's count,
 * which the first test checks on sympy's own strings). The few cases where actgrad is larger on
 * purpose say why in the fixture (the script lists them); the total must still be smaller.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formulaSize, symbolicGradients } from '../../src/symbolic';

interface Case {
  expression: string;
  bindings: Record<string, number>;
  wrt: string;
  sympy: string;
  sympy_size: number;
  larger_because?: string;
}
const cases = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'sizes.json'), 'utf8')) as Case[];

const ours = (c: Case): string =>
  symbolicGradients(
    c.expression,
    Object.entries(c.bindings).map(([k, v]) => [k, { shape: [], data: Float64Array.of(v) }]),
    [c.wrt],
  )[0][1];

describe('formula sizes against sympy', () => {
  test('the size counts agree with the script’s (on sympy’s formulas)', () => {
    for (const c of cases) expect({ formula: c.sympy, size: formulaSize(c.sympy) }).toEqual({ formula: c.sympy, size: c.sympy_size });
  });
  test.each(cases.map((c) => [`${c.expression} ∂/∂${c.wrt}`, c] as const))('%s', (_, c) => {
    const size = formulaSize(ours(c));
    if (c.larger_because) expect(c.larger_because.length).toBeGreaterThan(20);
    else expect(size).toBeLessThanOrEqual(c.sympy_size);
  });
  test('in all, smaller than sympy’s', () => {
    const total = cases.reduce((s, c) => s + formulaSize(ours(c)), 0);
    expect(total).toBeLessThan(cases.reduce((s, c) => s + c.sympy_size, 0));
  });
});
