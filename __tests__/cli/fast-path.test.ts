/**
 * The fast path parses plain function runs from the same option list as commander: it must give
 * commander's result, and hand everything unusual to commander.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { fastParse } from '../../src/cli/fast';
import { functionOptions } from '../../src/cli/flags';
import { lookup } from '../../src/functions/registry';
import { normalizeArgv } from '../../src/cli/run';
import { actgrad } from '../helpers/run';

function commanderParse(name: string, args: string[]): { numbers: string[]; opts: Record<string, unknown> } {
  const cmd = new Command(name).argument('[numbers...]').exitOverride();
  for (const s of functionOptions(lookup(name)!)) {
    const o = new Option(s.flags, s.description);
    cmd.addOption(s.choices ? o.choices(s.choices) : o);
  }
  let numbers: string[] = [];
  cmd.action((n: string[]) => {
    numbers = n;
  });
  cmd.parse(args, { from: 'user' });
  // commander sets the default of a lone --no-x to true; the fast path leaves it unset (the same to actgrad)
  const opts = Object.fromEntries(Object.entries(cmd.opts()).filter(([k, v]) => !(k === 'color' && v === true)));
  return { numbers, opts };
}

describe('fastParse gives what commander gives', () => {
  test.each([
    ['softmax', ['2', '1', '0.1', '--jacobian']],
    ['softmax', ['2', '-j', '1', '-g', '--json']],
    ['leaky-relu', ['-1', '2', '--negative-slope', '-0.2', '--format', 'csv']],
    ['leaky-relu', ['-1', '--negative-slope=0.3']],
    ['cross-entropy', ['2 1 0.1', '--target', '0', '--weight', '1,2,3', '--label-smoothing', '0.1', '--reduction', 'sum']],
    ['poisson-nll', ['1', '--target', '2', '--no-log-input', '--full']],
    ['gelu', ['1', '--approximate', 'tanh', '--precision', '3', '--no-color']],
    ['mse', ['1', '2', '--target', '0,0', '--grad', '--expect', '1,2', '--rtol', '0.1']],
    ['relu', ['-']],
  ] as const)('%s %p', (name, args) => {
    const argv = normalizeArgv([name, ...args]).slice(1);
    expect(fastParse(functionOptions(lookup(name)!), argv)).toEqual(commanderParse(name, argv));
  });
});

describe('fastParse hands unusual runs to commander', () => {
  test.each([
    [['1', '--help']],
    [['1', '-h']],
    [['1', '--gard']],
    [['1', '--grad', '--grad']],
    [['1', '--format']],
    [['1', '--format', 'xml']],
    [['1', '--', '-2']],
    [['1', '-gj']],
    [['1', '--grad=yes']],
  ])('%p', (args) => {
    expect(fastParse(functionOptions(lookup('softmax')!), args)).toBeUndefined();
  });
});

describe('a value left out before another option: said as such, not taken for the value', () => {
  test.each([
    [['softmax', '1', '2', '--grad-output', '--json'], 'actgrad: error: --grad-output needs a value before --json\n'],
    [['mse', '1', '--target', '--grad'], 'actgrad: error: --target needs a value before --grad\n'],
    [['sigmoid', '1', '--format', '--json'], 'actgrad: error: --format needs a value before --json\n'],
    [['grad', 'x^2', 'x=1', '--wrt', '--json'], 'actgrad: error: --wrt needs a value before --json\n'],
    [['plot', 'sigmoid', '--svg', '--width', '300'], "actgrad: error: --svg needs a value before --width (a file name, or '-' for standard output)\n"],
    // before the function's name, too: --color is not taken for --precision's value, nor auto for the function
    [['--precision', '--color', 'auto', 'sigmoid', '1'], 'actgrad: error: --precision needs a value before --color\n'],
  ])('%j', (argv, message) => {
    const r = actgrad(argv);
    expect(r).toEqual({ code: 2, stdout: '', stderr: message });
  });
});

/** commander's parse of a command with these options and two positional arguments (a name or expression, then the rest). */
function commanderParseWith(specs: readonly import('../../src/cli/flags').OptionSpec[], args: string[]): { numbers: string[]; opts: Record<string, unknown> } {
  const cmd = new Command('c').argument('<first>').argument('[rest...]').exitOverride();
  for (const s of specs) {
    const o = new Option(s.flags, s.description);
    if (s.choices) o.choices(s.choices);
    if (s.repeatable) o.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
    cmd.addOption(o);
  }
  let numbers: string[] = [];
  cmd.action((first: string, rest: string[]) => {
    numbers = [first, ...rest];
  });
  cmd.parse(args, { from: 'user' });
  // a lone --no-x defaults x to true in commander; the fast path leaves it unset (the same to actgrad)
  const opts = Object.fromEntries(Object.entries(cmd.opts()).filter(([k, v]) => !((k === 'color' || k === 'grad') && v === true)));
  return { numbers, opts };
}

describe('grad and plot: the fast path gives what commander gives', () => {
  test.each([
    [['mse(x*w + b, y)', 'x=1', 'w=2', 'b=0', 'y=1']],
    [['x ** 3', 'x=1.5', '--hessian', '--wrt', 'x', '--format', 'json']],
    [['(W @ x).sum()', 'W=1 2; 3 4', 'x=1,2', '--expect', 'W=1,2,1,2', '--expect', 'x=4,6', '--rtol', '0.1']],
    [['x*w', 'x=1', 'w=2', '--no-grad', '--precision', '3']],
  ])('grad %p', (args) => {
    const { GRAD_OPTIONS } = require('../../src/cli/flags') as typeof import('../../src/cli/flags');
    expect(fastParse(GRAD_OPTIONS, args)).toEqual(commanderParseWith(GRAD_OPTIONS, args));
  });
  test.each([
    ['sigmoid', ['--from', '-2', '--to', '2', '--width', '60']],
    ['huber', ['--target', '0', '--delta', '2', '--svg', 'h.svg']],
    ['leaky-relu', ['--negative-slope', '0.2', '--no-color']],
  ] as const)('plot %s %p', (name, args) => {
    const { plotOptions } = require('../../src/cli/flags') as typeof import('../../src/cli/flags');
    const specs = plotOptions(lookup(name)!);
    const parsed = fastParse(specs, [name, ...args]);
    expect(parsed).toEqual(commanderParseWith(specs, [name, ...args]));
    expect(parsed!.numbers).toEqual([name]);
  });
  test('a typo goes to commander', () => {
    const { GRAD_OPTIONS } = require('../../src/cli/flags') as typeof import('../../src/cli/flags');
    expect(fastParse(GRAD_OPTIONS, ['x', 'x=1', '--hesian'])).toBeUndefined();
  });
});

test('--version alone is answered without commander, as commander answers it with other options', () => {
  const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  expect(actgrad(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  expect(actgrad(['-V'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  // with another option, commander parses it: the same answer
  expect(actgrad(['--no-color', '--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
});
