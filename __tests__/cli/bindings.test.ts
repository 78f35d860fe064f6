import { Bindings, formulaNames, parseAssignment, shapeText, tensorText } from '../../src/cli/bindings';
import { completionModel } from '../../src/cli/complete-data';
import type { IO } from '../../src/cli/io';
import { buildProgram } from '../../src/cli/program';
import { UsageError } from '../../src/errors';
import { parseNumbers } from '../../src/parse/numbers';
import { tensor } from '../../src/tensor';

const io: IO = {
  stdout: () => {},
  stderr: () => {},
  stdoutIsTTY: true,
  stdinIsTTY: true,
  readStdin: () => '',
  readFile: (path) => {
    if (path === 'x.txt') return '1 2\n3 4\n';
    throw Object.assign(new Error('missing'), { code: 'ENOENT' });
  },
  env: {},
};
const model = completionModel(buildProgram);
const reserved = (name: string): string | undefined => (['softmax', 'grad'].includes(name) ? 'a function' : undefined);

function bound(entries: Record<string, string[]>): Bindings {
  const b = new Bindings(reserved);
  for (const [name, words] of Object.entries(entries)) b.assign(name, words, io);
  return b;
}

describe('parseAssignment', () => {
  test.each([
    ['z = 2 1 0.1', { name: 'z', rest: ' 2 1 0.1' }],
    ['z=1,2', { name: 'z', rest: '1,2' }],
    ['  w_2 =@x.txt', { name: 'w_2', rest: '@x.txt' }],
    ['z =', { name: 'z', rest: '' }],
    ['\u03b1 = 0.1', { name: '\u03b1', rest: ' 0.1' }],
    ['\u{1d465}=3', { name: 'x', rest: '3' }],
  ])('%j', (line, expected) => {
    expect(parseAssignment(line)).toEqual(expected);
  });
  test.each(['softmax 1 2', 'grad "x" x=1', 'z == 1', '2 = 1', '--json = 1', '', 'a\u00b7b = 1'])('%j is not one', (line) => {
    expect(parseAssignment(line)).toBeUndefined();
  });
});

describe('tensorText writes numbers back in the number syntax, shape kept', () => {
  test.each([
    [tensor([], [2.5]), '2.5'],
    [tensor([3], [2, 1, 0.1]), '[2, 1, 0.1]'],
    [tensor([1], [7]), '[7]'],
    [tensor([2, 2], [1, 2, 3, 4]), '[[1, 2], [3, 4]]'],
    [tensor([1, 2, 1], [1, 2]), '[[[1], [2]]]'],
    [tensor([4], [Infinity, -Infinity, NaN, -0]), '[inf, -inf, nan, -0]'],
    [tensor([2], [0.1 + 0.2, 1e-300]), '[0.30000000000000004, 1e-300]'],
  ])('%j', (t, text) => {
    expect(tensorText(t)).toBe(text);
    // and the number parser reads the same tensor back
    if (t.shape.length > 0) {
      const back = parseNumbers(text);
      expect(back.shape).toEqual(t.shape);
      expect(Array.from(back.data)).toEqual(Array.from(t.data));
    }
  });
  test('shapeText', () => {
    expect([tensor([], [1]), tensor([1], [1]), tensor([3], [1, 2, 3]), tensor([2, 3], [1, 2, 3, 4, 5, 6])].map(shapeText)).toEqual(['a number', '1 number', '3 numbers', '2×3']);
  });
});

describe('Bindings.assign', () => {
  test.each([
    [['2', '1', '0.1'], [3], [2, 1, 0.1]],
    [['2'], [], [2]],
    [['1,2,3'], [3], [1, 2, 3]],
    [['1 2; 3 4'], [2, 2], [1, 2, 3, 4]],
    // an unquoted ';' still separates rows
    [['1', '2;', '3', '4'], [2, 2], [1, 2, 3, 4]],
    [['1,2', '3,4'], [2, 2], [1, 2, 3, 4]],
    [['[[1, 2]]'], [1, 2], [1, 2]],
    [['@x.txt'], [2, 2], [1, 2, 3, 4]],
    [['-1', '\u22122', '-inf'], [3], [-1, -2, -Infinity]],
  ])('%j', (words, shape, data) => {
    const t = new Bindings(reserved).assign('z', words, io);
    expect(t.shape).toEqual(shape);
    expect(Array.from(t.data)).toEqual(data);
  });

  test('z = w copies w; rebinding replaces', () => {
    const b = bound({ w: ['1', '2'], z: ['w'] });
    expect(b.text('z')).toBe('[1, 2]');
    b.assign('w', ['5'], io);
    expect(b.text('w')).toBe('5');
    expect(b.text('z')).toBe('[1, 2]');
    expect(b.names()).toEqual(['w', 'z']);
  });

  test.each([
    ['softmax', ['1'], 'softmax is a function; a binding needs another name'],
    ['inf', ['1'], 'inf is a number; a binding needs another name'],
    ['nan', ['1'], 'nan is a number'],
    ['z', [], 'z = needs numbers, e.g. z = 2 1 0.1'],
    ['z', ['softmax', '1', '2'], 'softmax is a function, and a binding holds numbers'],
    ['z', ['1', 'x'], '"x" (number 2) is not a number'],
    ['z', ['@nope.txt'], '@nope.txt: cannot read the file (no such file)'],
    ['2z', ['1'], 'is not a name'],
  ])('%s = %j is refused: %s', (name, words, message) => {
    const b = new Bindings(reserved);
    expect(() => b.assign(name, words, io)).toThrow(UsageError);
    expect(() => b.assign(name, words, io)).toThrow(message);
    expect(b.names()).toEqual([]);
  });
});

describe('formulaNames: what a formula reads and assigns', () => {
  test.each([
    ['sum(z*w)', ['sum', 'z', 'w'], []],
    ['F.softmax(z, dim=0)', ['F', 'z'], []],
    ['(x * w).sum() + b', ['x', 'w', 'b'], []],
    ['h = torch.relu(W @ x); (h ** 2).sum()', ['torch', 'W', 'x', 'h'], ['h']],
    ['x.pow(2)', ['x'], []],
  ])('%j', (expression, reads, assigns) => {
    const names = formulaNames(expression);
    expect([...names.reads].sort()).toEqual([...reads].sort());
    expect([...names.assigns]).toEqual(assigns);
  });
  test('a formula that does not tokenize reads nothing (grad reports it)', () => {
    expect(formulaNames('"unclosed').reads.size).toBe(0);
  });
});

describe('Bindings.expand: a bound name stands for its numbers where numbers go', () => {
  const b = bound({ z: ['2', '1', '0.1'], t: ['0', '1', '0'], s: ['3'] });
  test.each([
    [['softmax', 'z'], ['softmax', '[2, 1, 0.1]']],
    [['softmax', 'z', '-j'], ['softmax', '[2, 1, 0.1]', '-j']],
    [['--json', 'softmax', 'z'], ['--json', 'softmax', '[2, 1, 0.1]']],
    [['mse', 'z', '--target', 't'], ['mse', '[2, 1, 0.1]', '--target', '[0, 1, 0]']],
    [['mse', 'z', '--target=t'], ['mse', '[2, 1, 0.1]', '--target=[0, 1, 0]']],
    [['softmax', 'z', '--grad-output', 't'], ['softmax', '[2, 1, 0.1]', '--grad-output', '[0, 1, 0]']],
    [['relu', 's'], ['relu', '3']],
    // not where numbers do not go
    [['softmax', 'z', '--format', 'z'], ['softmax', '[2, 1, 0.1]', '--format', 'z']],
    [['explain', 'z'], ['explain', 'z']],
    [['plot', 'z'], ['plot', 'z']],
    [['relu', '1', 'q'], ['relu', '1', 'q']],
    // grad: binding values, and the names the formula reads, right after it
    [['grad', 'x*w', 'x=z', 'w=1'], ['grad', 'x*w', 'x=[2, 1, 0.1]', 'w=1']],
    [['grad', 'sum(z*w)', 'w=1,2,3'], ['grad', 'sum(z*w)', 'z=[2, 1, 0.1]', 'w=1,2,3']],
    [['grad', 'sum(z*w)', 'w=1,2,3', '--wrt', 'z'], ['grad', 'sum(z*w)', 'z=[2, 1, 0.1]', 'w=1,2,3', '--wrt', 'z']],
    [['grad', 'sum(z*t) * s', '--json'], ['grad', 'sum(z*t) * s', 'z=[2, 1, 0.1]', 't=[0, 1, 0]', 's=3', '--json']],
    // bound on the line already: left alone
    [['grad', 'sum(z*w)', 'z=1,1,1', 'w=1,2,3'], ['grad', 'sum(z*w)', 'z=1,1,1', 'w=1,2,3']],
    // assigned by the formula itself, an attribute, or a keyword: not a read of the bound name
    [['grad', 'z = x*2; z.sum()', 'x=1'], ['grad', 'z = x*2; z.sum()', 'x=1']],
    [['grad', 'F.softmax(x, dim=0).s', 'x=1,2'], ['grad', 'F.softmax(x, dim=0).s', 'x=1,2']],
    [['grad', '--json', 'z.sum()'], ['grad', '--json', 'z.sum()', 'z=[2, 1, 0.1]']],
  ])('%j', (words, expected) => {
    expect(b.expand(model, words)).toEqual(expected);
  });
  test('no bindings: the words as they are', () => {
    expect(new Bindings(reserved).expand(model, ['softmax', 'z'])).toEqual(['softmax', 'z']);
  });
  test('names in other alphabets, as formulas write them (α, β)', () => {
    const greek = bound({ '\u03b1': ['0.5'], '\u03b2': ['1', '2'] });
    expect(greek.expand(model, ['grad', '\u03b1*\u03b2'])).toEqual(['grad', '\u03b1*\u03b2', '\u03b1=0.5', '\u03b2=[1, 2]']);
    expect(greek.expand(model, ['grad', 'x*\u03b2', 'x=\u03b1'])).toEqual(['grad', 'x*\u03b2', '\u03b2=[1, 2]', 'x=0.5']);
    expect(greek.expand(model, ['grad', 'x*2', '\u03b2=\u03b1'])).toEqual(['grad', 'x*2', '\u03b2=0.5']);
    expect(greek.expand(model, ['softmax', '\u03b2'])).toEqual(['softmax', '[1, 2]']);
  });
});
