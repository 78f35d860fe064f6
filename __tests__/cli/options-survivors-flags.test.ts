/**
 * The option lists that --help, completion, the man page and both parsers are built from
 * (src/cli/flags.ts): which flags a function's subcommand and plot offer, what each takes, and
 * what --help says of it — the kind-specific text of -g, a parameter's default, --no-FLAG.
 *
 * Why this file: a StrykerJS run changed these lists (texts emptied, filters dropped, a case
 * removed) without any test noticing. The lists are built by functions (functionOptions,
 * plotOptions, argOptions), so each test builds them in its own body, where a mutant shows.
 */
import { argOptions, functionOptions, type OptionSpec, plotOptions } from '../../src/cli/flags';
import { lookup } from '../../src/functions/registry';
import type { ArgSpec, Descriptor } from '../../src/functions/types';
import { actgrad } from '../helpers/run';

function descriptor(name: string): Descriptor {
  const d = lookup(name);
  if (!d) throw new Error(`no function ${name}`);
  return d;
}

function arg(name: string, argName: string): ArgSpec {
  const spec = descriptor(name).args.find((a) => a.name === argName);
  if (!spec) throw new Error(`${name} has no ${argName}`);
  return spec;
}

const byFlags = (options: readonly OptionSpec[], flags: string): OptionSpec | undefined => options.find((o) => o.flags === flags);

describe("a function's subcommand: the derivative flags and their help", () => {
  test('-g says what the derivative is, by kind', () => {
    expect(byFlags(functionOptions(descriptor('mse')), '-g, --grad')?.description).toBe('gradient of the loss with respect to the input');
    expect(byFlags(functionOptions(descriptor('sigmoid')), '-g, --grad')?.description).toBe('the derivative (with --order N: the N-th derivative)');
    expect(byFlags(functionOptions(descriptor('softmax')), '-g, --grad')?.description).toBe('vector-Jacobian product with --grad-output (default: ones)');
  });
  test('the derivative flags, in --help order; --order only for elementwise functions', () => {
    const head = (name: string): string[] => functionOptions(descriptor(name)).slice(0, 7).map((o) => o.flags);
    expect(head('sigmoid')).toEqual(['-g, --grad', '-j, --jacobian', '--grad-output <numbers>', '--order <n>', '-H, --hessian', '--hvp <numbers>', '--jvp <numbers>']);
    expect(head('softmax').slice(0, 6)).toEqual(['-g, --grad', '-j, --jacobian', '--grad-output <numbers>', '-H, --hessian', '--hvp <numbers>', '--jvp <numbers>']);
  });
  test('each derivative flag says what it gives', () => {
    const options = functionOptions(descriptor('sigmoid'));
    expect(byFlags(options, '-j, --jacobian')?.description).toMatch(/^the full Jacobian/);
    expect(byFlags(options, '--order <n>')?.description).toMatch(/N-th derivative/);
    expect(byFlags(options, '-H, --hessian')?.description).toMatch(/^the Hessian/);
    expect(byFlags(options, '--hvp <numbers>')?.description).toMatch(/^the Hessian-vector product/);
  });
});

describe("a parameter's flags (argOptions)", () => {
  test('a number with a default', () => {
    const spec = arg('leaky-relu', 'negative_slope');
    expect(argOptions(spec)).toEqual([{ flags: '--negative-slope <number>', description: `${spec.doc} (default: ${String(spec.default)})` }]);
  });
  test('ints take <ints>; None is "none"', () => {
    const spec = arg('logsumexp', 'dim');
    expect(argOptions(spec)).toEqual([{ flags: '--dim <ints>', description: `${spec.doc} (default: -1)` }]);
    const norm = descriptor('norm').args.find((a) => a.name === 'dim' && a.default === null);
    expect(norm).toBeDefined();
    expect(argOptions(norm!)[0].description).toBe(`${norm!.doc} (default: none)`);
  });
  test('a parameter without a default is required', () => {
    const spec: ArgSpec = { name: 'kernel_size', type: 'ints', doc: 'the size of the window' };
    expect(argOptions(spec)).toEqual([{ flags: '--kernel-size <ints>', description: 'the size of the window (required)' }]);
  });
  test('a tuple default is written as the flag takes it (2,2)', () => {
    // no registered function has a tuple default yet; the help must still read as the flag's syntax
    const spec: ArgSpec = { name: 'kernel_size', type: 'ints', default: [2, 2], doc: 'the size of the window' };
    expect(argOptions(spec)[0].description).toBe('the size of the window (default: 2,2)');
  });
  test("a choice's value placeholder is written with dashes, like its flag", () => {
    const spec: ArgSpec = { name: 'padding_mode', type: 'choice', default: 'zeros', choices: ['zeros', 'reflect'], doc: 'how to pad' };
    expect(argOptions(spec)).toEqual([{ flags: '--padding-mode <padding-mode>', description: 'how to pad (default: zeros)', choices: ['zeros', 'reflect'] }]);
  });
  test('a choice whose spec lists no choices offers none (not a made-up one)', () => {
    const spec: ArgSpec = { name: 'mode', type: 'choice', default: 'a', doc: 'the mode' };
    expect(argOptions(spec)[0].choices).toEqual([]);
  });
  test('a boolean has --no-FLAG, which sets it to False', () => {
    const spec: ArgSpec = { name: 'log_target', type: 'boolean', default: false, doc: 'the target is given as log-probabilities' };
    expect(argOptions(spec)).toEqual([
      { flags: '--log-target', description: 'the target is given as log-probabilities (default: false)' },
      { flags: '--no-log-target', description: 'set log_target to False' },
    ]);
  });
});

describe('plot: the range, sizes, colour, then the function’s own parameters', () => {
  const common = ['--from <a>', '--to <b>', '--svg <file>', '--width <n>', '--height <n>', '--points <n>', '--color <when>', '--no-color'];
  test('plot alone and an elementwise function', () => {
    expect(plotOptions(undefined).map((o) => o.flags)).toEqual(common);
    expect(plotOptions(descriptor('leaky-relu')).map((o) => o.flags)).toEqual([...common, '--negative-slope <number>']);
  });
  test("a loss: --target (required), then its parameters, not the input, the reduction or the legacy ones", () => {
    expect(plotOptions(descriptor('mse')).map((o) => o.flags)).toEqual([...common, '--target <number>']);
    expect(plotOptions(descriptor('smooth-l1')).map((o) => o.flags)).toEqual([...common, '--target <number>', '--beta <number>']);
    expect(byFlags(plotOptions(descriptor('mse')), '--target <number>')?.description).toMatch(/\(required\)$/);
  });
  test('each range and size flag says what it sets', () => {
    const options = plotOptions(undefined);
    expect(options.map((o) => o.description.split(' (')[0])).toEqual([
      'left end of the x range',
      'right end of the x range',
      'write a standalone SVG file instead of printing a chart',
      'chart width in columns',
      'chart height in rows',
      'samples per curve in the SVG',
      expect.stringMatching(/^colour: auto/),
      'same as --color never',
    ]);
  });
  test('plot refuses the output flags it has no use for', () => {
    const r = actgrad(['plot', 'sigmoid', '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--json/);
  });
});
