/**
 * The corrections formula-hints.ts proposes for a formula answer, read directly: a σ' or tanh'
 * written on the argument instead of on σ(u) or tanh(u) is corrected wherever it sits in the
 * formula (inside a call too), and nothing is proposed for a formula that already has σ or tanh
 * there, whatever its spelling, or that has only half of the pattern.
 */
import type { FormulaProblem } from '../../src/check/formula';
import { formulaCandidates } from '../../src/check/formula-hints';
import { parseExpression } from '../../src/parse/python/parser';

const problem = (sizes: number[] = []): FormulaProblem => ({
  at: [],
  moving: new Set(['x']),
  quantity: 'the derivative',
  reference: () => ({ shape: [1], data: Float64Array.of(0) }),
  sizes,
});
const candidates = (formula: string, sizes: number[] = []) => formulaCandidates(problem(sizes), parseExpression(formula), []);
const corrected = (formula: string): string[] => candidates(formula).flatMap((c) => ('corrected' in c ? [c.corrected] : []));

describe("σ'(u) written as u(1 − u)", () => {
  test('corrected to σ(u)(1 − σ(u)), at the top and inside a call', () => {
    expect(corrected('x*(1 - x)')).toEqual(['sigmoid(x) * (1 - sigmoid(x))']);
    expect(corrected('2*x*(1 - x)')).toEqual(['2 * sigmoid(x) * (1 - sigmoid(x))']);
    expect(corrected('torch.abs(x*(1 - x))')).toEqual(['torch.abs(sigmoid(x) * (1 - sigmoid(x)))']);
  });
  test('nothing for σ already there, in any spelling', () => {
    expect(corrected('sigmoid(x)*(1 - sigmoid(x))')).toEqual([]);
    expect(corrected('torch.sigmoid(x)*(1 - torch.sigmoid(x))')).toEqual([]);
    expect(corrected('x.sigmoid()*(1 - x.sigmoid())')).toEqual([]);
  });
  test('u may itself be a call of another function, in any spelling', () => {
    expect(corrected('torch.exp(x)*(1 - torch.exp(x))')).toEqual(['sigmoid(torch.exp(x)) * (1 - sigmoid(torch.exp(x)))']);
    expect(corrected('exp(x)*(1 - exp(x))')).toEqual(['sigmoid(exp(x)) * (1 - sigmoid(exp(x)))']);
  });
  test('nothing for half of the pattern, or another function', () => {
    expect(corrected('2*(1 - x)')).toEqual([]);
    expect(corrected('y*(1 - x)')).toEqual([]);
    expect(corrected('torch.exp(x)*(1 - x)')).toEqual([]);
  });
});

describe("tanh'(u) written as 1 − u²", () => {
  test('corrected to 1 − tanh(u)², at the top and inside a call', () => {
    expect(corrected('1 - x**2')).toEqual(['1 - tanh(x)**2']);
    expect(corrected('torch.abs(1 - x**2)')).toEqual(['torch.abs(1 - tanh(x)**2)']);
  });
  test('u may itself be a call of another function', () => {
    expect(corrected('1 - torch.exp(x)**2')).toEqual(['1 - tanh(torch.exp(x))**2']);
  });
  test('nothing for tanh already there, or another power', () => {
    expect(corrected('1 - tanh(x)**2')).toEqual([]);
    expect(corrected('1 - torch.tanh(x)**2')).toEqual([]);
    expect(corrected('1 - x**3')).toEqual([]);
  });
});

describe('the transformations tried on every formula', () => {
  const hints = (sizes: number[]) => candidates('x', sizes).map((c) => c.hint);
  test('sign, twice and half, each once; factor N only for N > 2, each N once', () => {
    expect(hints([])).toHaveLength(3);
    expect(hints([1, 2])).toHaveLength(3);
    const withN = hints([3, 3]);
    expect(withN).toHaveLength(5);
    expect(new Set(withN).size).toBe(5);
    expect(withN.filter((h) => h.includes('N = 3'))).toHaveLength(2);
  });
});
