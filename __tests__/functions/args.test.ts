/**
 * src/functions/args.ts called directly (the CLI suites reached it before, the functions suite did
 * not): bindArgs on a small descriptor with one argument of each type, and on real ones (nll's
 * legacy size_average, cross-entropy's reduction), checking what each type accepts (a one-element
 * tensor as a number, 0 and 1 as False and True, a 1-D tensor of whole numbers as a tuple) and the
 * exact text of each refusal, as CLI.md words it: "<fn>: <arg> takes <what>, not <value>" with the
 * value shown as a tensor, a list, a quoted string or a number. Also flagArgs (no input, legacy or
 * expression-only slots) and flagOf (kebab-case).
 */
import { leaf, type Var } from '../../src/autograd/var';
import { bindArgs, flagArgs, flagOf, type RawArg } from '../../src/functions/args';
import { lookup } from '../../src/functions/registry';
import { ArgumentError, type ArgSpec, type Descriptor } from '../../src/functions/types';
import type { Tensor } from '../../src/tensor';

const t = (shape: number[], data: number[]): Tensor => ({ shape, data: Float64Array.from(data) });

const SPECS: ArgSpec[] = [
  { name: 'input', type: 'tensor', doc: 'the input' },
  { name: 'weight', type: 'tensor', default: null, doc: 'optional numbers' },
  { name: 'size_average', type: 'boolean', default: null, legacy: true, doc: 'legacy' },
  { name: 'margin', type: 'number', default: 1, doc: 'a number' },
  { name: 'count', type: 'int', default: 2, doc: 'a whole number' },
  { name: 'kernel_size', type: 'ints', default: 3, choices: ['same'], doc: 'a tuple' },
  { name: 'log_input', type: 'boolean', default: true, doc: 'a flag' },
  { name: 'reduction', type: 'choice', default: 'mean', choices: ['mean', 'sum'], doc: 'a choice' },
  { name: 'other', type: 'tensor', doc: 'an expression-only tensor', expressionOnly: true },
];

const demo: Descriptor = {
  name: 'demo',
  kind: 'call',
  summary: 'a descriptor for binding tests',
  torch: 'demo(input)',
  args: SPECS,
  formula: { value: '', derivative: '' },
  kinks: '',
  example: 'demo 1',
  forward: (a) => a.input as Var,
};

const bind = (given: Record<string, RawArg | undefined>) => bindArgs(demo, { input: 1, other: 2, ...given });

/** The error's message with names written as CLI flags, and as they are (identity). */
function errorOf(f: () => unknown): { flags: string; plain: string } {
  try {
    f();
  } catch (e) {
    if (!(e instanceof ArgumentError)) throw e;
    return { flags: e.compose(flagOf), plain: e.message };
  }
  throw new Error('no error was thrown');
}
const flags = (f: () => unknown): string => errorOf(f).flags;

describe('bindArgs: defaults and accepted values', () => {
  it('fills PyTorch defaults (None as null) and keeps a legacy None', () => {
    const a = bind({ size_average: null });
    expect(a.weight).toBeNull();
    expect(a.size_average).toBeNull();
    expect(a.margin).toBe(1);
    expect(a.count).toBe(2);
    expect(a.kernel_size).toBe(3);
    expect(a.log_input).toBe(true);
    expect(a.reduction).toBe('mean');
  });

  it('takes None for an argument whose default is None', () => {
    expect(bind({ weight: null }).weight).toBeNull();
  });

  it('reads a one-element tensor (or Var) as a number, as item() does', () => {
    expect(bind({ margin: t([], [0.25]) }).margin).toBe(0.25);
    expect(bind({ margin: t([1, 1], [-3.5]) }).margin).toBe(-3.5);
    expect(bind({ margin: leaf(t([1], [7.5])) }).margin).toBe(7.5);
    expect(bind({ count: t([1], [4]) }).count).toBe(4);
  });

  it('takes 0 and 1 as False and True', () => {
    expect(bind({ log_input: 0 }).log_input).toBe(false);
    expect(bind({ log_input: 1 }).log_input).toBe(true);
    expect(bind({ log_input: false }).log_input).toBe(false);
  });

  it('takes a whole number, a list or a 1-D tensor of whole numbers, or a listed word, as a tuple', () => {
    expect(bind({ kernel_size: 5 }).kernel_size).toEqual([5]);
    expect(bind({ kernel_size: [2, 3] }).kernel_size).toEqual([2, 3]);
    expect(bind({ kernel_size: t([2], [4, 1]) }).kernel_size).toEqual([4, 1]);
    expect(bind({ kernel_size: leaf(t([3], [1, 2, 3])) }).kernel_size).toEqual([1, 2, 3]);
    expect(bind({ kernel_size: 'same' }).kernel_size).toBe('same');
  });

  it('takes a listed choice', () => {
    expect(bind({ reduction: 'sum' }).reduction).toBe('sum');
  });
});

describe('bindArgs: the exact refusals', () => {
  it('a missing required argument', () => {
    expect(errorOf(() => bindArgs(demo, { other: 1 }))).toEqual({ flags: 'demo needs --input (e.g. actgrad demo 1)', plain: 'demo needs input (e.g. actgrad demo 1)' });
  });

  it('None where there is no None: numbers for a tensor, a value otherwise', () => {
    expect(errorOf(() => bind({ input: null }))).toEqual({ flags: 'demo: --input takes numbers, not null', plain: 'demo: input takes numbers, not null' });
    expect(flags(() => bind({ margin: null }))).toBe('demo: --margin takes a value (it has no None), not null');
    expect(flags(() => bind({ log_input: null }))).toBe('demo: --log-input takes a value (it has no None), not null');
  });

  it('a legacy slot takes only None', () => {
    expect(flags(() => bind({ size_average: true }))).toBe('demo: --size-average takes only None (it is deprecated; use reduction), not true');
    expect(flags(() => bindArgs(lookup('nll')!, { input: 1, target: 0, reduce: false }))).toBe(
      'nll: --reduce takes only None (it is deprecated; use reduction), not false',
    );
  });

  it('a tensor argument given a word or a flag', () => {
    expect(flags(() => bind({ weight: 'abc' }))).toBe('demo: --weight takes numbers, not "abc"');
    expect(flags(() => bind({ weight: true }))).toBe('demo: --weight takes numbers, not true');
  });

  it('a number given a word, a flag, a list or a tensor of several numbers', () => {
    expect(flags(() => bind({ margin: 'abc' }))).toBe('demo: --margin takes a number, not "abc"');
    expect(flags(() => bind({ margin: true }))).toBe('demo: --margin takes a number, not true');
    expect(flags(() => bind({ margin: [1.5, 2] }))).toBe('demo: --margin takes a number, not [1.5, 2]');
    expect(flags(() => bind({ margin: t([2], [1, 2]) }))).toBe('demo: --margin takes a number, not a tensor');
    expect(flags(() => bind({ margin: leaf(t([2], [1, 2])) }))).toBe('demo: --margin takes a number, not a tensor');
  });

  it('a whole number given a fraction, a list or a word', () => {
    expect(flags(() => bind({ count: 1.5 }))).toBe('demo: --count takes a whole number, not 1.5');
    expect(flags(() => bind({ count: t([1], [2.5]) }))).toBe('demo: --count takes a whole number, not a tensor');
    expect(flags(() => bind({ count: [1, 2] }))).toBe('demo: --count takes a whole number, not [1, 2]');
    expect(flags(() => bind({ count: 'two' }))).toBe('demo: --count takes a whole number, not "two"');
  });

  it('a tuple given fractions, a matrix or an unlisted word', () => {
    const what = 'demo: --kernel-size takes a whole number or a tuple of them, not ';
    expect(flags(() => bind({ kernel_size: 1.5 }))).toBe(`${what}1.5`);
    expect(flags(() => bind({ kernel_size: [1, 1.5] }))).toBe(`${what}[1, 1.5]`);
    expect(flags(() => bind({ kernel_size: [1.5, 1] }))).toBe(`${what}[1.5, 1]`);
    expect(flags(() => bind({ kernel_size: t([2], [1, 1.5]) }))).toBe(`${what}a tensor`);
    expect(flags(() => bind({ kernel_size: t([2, 2], [1, 2, 3, 4]) }))).toBe(`${what}a tensor`);
    expect(flags(() => bind({ kernel_size: 'valid' }))).toBe(`${what}"valid"`);
  });

  it('a flag given another number or a word', () => {
    expect(flags(() => bind({ log_input: 2 }))).toBe('demo: --log-input takes True or False, not 2');
    expect(flags(() => bind({ log_input: -1 }))).toBe('demo: --log-input takes True or False, not -1');
    expect(flags(() => bind({ log_input: 'yes' }))).toBe('demo: --log-input takes True or False, not "yes"');
  });

  it('a choice given an unlisted word or a number', () => {
    expect(flags(() => bind({ reduction: 'avg' }))).toBe("demo: --reduction takes one of 'mean', 'sum', not \"avg\"");
    expect(flags(() => bind({ reduction: 1 }))).toBe("demo: --reduction takes one of 'mean', 'sum', not 1");
    expect(flags(() => bindArgs(lookup('cross-entropy')!, { input: 1, target: 0, reduction: 'avg' }))).toBe(
      "cross-entropy: --reduction takes one of 'mean', 'sum', 'none', not \"avg\"",
    );
  });
});

describe('flagArgs and flagOf', () => {
  it('offers every argument but the input, the legacy slots and the expression-only ones', () => {
    expect(flagArgs(demo).map((s) => s.name)).toEqual(['weight', 'margin', 'count', 'kernel_size', 'log_input', 'reduction']);
    expect(flagArgs(lookup('nll')!).map((s) => s.name)).toEqual(['target', 'weight', 'ignore_index', 'reduction']);
  });

  it('writes a PyTorch name as its kebab-case flag', () => {
    expect(flagOf('label_smoothing')).toBe('--label-smoothing');
    expect(flagOf('scale_grad_by_freq')).toBe('--scale-grad-by-freq');
    expect(flagOf('p')).toBe('--p');
  });
});
