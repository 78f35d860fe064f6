/**
 * The fast path (fast.ts → options.functionOptions) and commander (program.ts → the same
 * options) must agree on every command line of every function: the same typed options object
 * handed to runFunction, and the same output, stderr and exit code. Random flag combinations of
 * random registry functions, valid and not (unknown, repeated, missing values, bad choices,
 * "--", combined short flags, options before the function name).
 */
import fc from 'fast-check';
import * as fast from '../../src/cli/fast';
import * as functionCommand from '../../src/cli/function';
import type { FunctionOptions } from '../../src/cli/options';
import { FORMATS } from '../../src/render/index';
import { numel } from '../../src/tensor';
import { num, tensorOf } from '../helpers/cases';
import { type CliCase, cli, cliCase, quantityFlags, type Run, tensorText } from './harness';

fc.configureGlobal({ seed: Number(process.env.SEED ?? 20261129), numRuns: Number(process.env.RUNS ?? 150) });

/** Runs argv through one of the two parsers; returns the output and the options runFunction got. */
function through(parser: 'fast' | 'commander', argv: string[]): Run & { options: FunctionOptions[] } {
  const options: FunctionOptions[] = [];
  const original = functionCommand.runFunction;
  const spy = jest.spyOn(functionCommand, 'runFunction').mockImplementation((o, io) => {
    options.push(o);
    return original(o, io);
  });
  const refuse = parser === 'commander' ? jest.spyOn(fast, 'fastParse').mockReturnValue(undefined) : undefined;
  try {
    return { ...cli(argv), options };
  } finally {
    spy.mockRestore();
    refuse?.mockRestore();
  }
}

/** Groups of words a user adds: output, check and derivative options, valid or not. */
function extraGroups(k: CliCase): fc.Arbitrary<string[][]> {
  const n = numel(k.c.input.shape);
  const valid: fc.Arbitrary<string[]>[] = [
    fc.constantFrom(...FORMATS).map((f) => ['--format', f]),
    fc.constant(['--json']),
    fc.integer({ min: 1, max: 17 }).map((p) => ['--precision', String(p)]),
    fc.oneof(fc.integer({ min: 1, max: 50 }).map(String), fc.constant('all')).map((r) => ['--rows', r]),
    fc.constantFrom('auto', 'always', 'never').map((c) => ['--color', c]),
    fc.constant(['--no-color']),
    tensorOf([n], num(-2, 2)).map((e) => ['--expect', tensorText(e)]),
    fc.constantFrom(['--rtol', '0.1'], ['--atol', '1e-3']),
    fc.constant(['--gradcheck']),
    fc.constantFrom(['--step', '1e-5'], ['--step', '-1']),
    fc.constant(['--grad-output', '1']),
  ];
  const invalid: fc.Arbitrary<string[]>[] = [
    fc.constantFrom(['--gard'], ['--format', 'xml'], ['--precision', 'x'], ['--precision', '0'], ['--rows', '-3'], ['--order', '0'], ['-gj'], ['--grad=yes'], ['--json=1'], ['--'], ['-x']),
  ];
  return fc.array(fc.oneof({ weight: 10, arbitrary: fc.oneof(...valid) }, { weight: 1, arbitrary: fc.oneof(...invalid) }), { maxLength: 4 });
}

/** A command line: the case, what to compute, extra options, in any order; maybe a repeat, options first, or a value missing at the end. */
const commandLines = cliCase().chain((k) =>
  fc
    .record({
      quantity: quantityFlags(k),
      extra: extraGroups(k),
      repeat: fc.integer({ min: 0, max: 7 }).map((k) => k === 0),
      leading: fc.boolean(),
      dangling: fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('--target', '--format', '--precision') }),
      order: fc.nat(),
    })
    .map(({ quantity, extra, repeat, leading, dangling, order }) => {
      const [name, input, ...params] = k.argv;
      // Parameter flags in pairs (a flag and its value) or alone (booleans).
      const groups: string[][] = [];
      for (let i = 0; i < params.length; i++) groups.push(params[i + 1] !== undefined && !params[i + 1].startsWith('--') ? [params[i], params[++i]] : [params[i]]);
      groups.push(...(quantity.length ? [quantity] : []), ...extra);
      if (repeat && groups.length) groups.push(groups[order % groups.length]);
      // A seeded shuffle: the order of options must not matter to either parser.
      const shuffled = groups.map((g, i) => [((i + 1) * 7919 + order) % 104729, g] as const).sort((a, b) => a[0] - b[0]).map(([, g]) => g);
      const words = [input, ...shuffled.flat()];
      if (dangling) words.push(dangling);
      // Output options may stand before the function name.
      const front = leading ? shuffled.filter((g) => ['--json', '--format', '--precision', '--rows', '--color', '--no-color'].includes(g[0])).slice(0, 1).flat() : [];
      if (front.length) {
        const at = words.indexOf(front[0]);
        words.splice(at, front.length);
      }
      return { k, argv: [...front, name, ...words] };
    }),
);

test('the fast path and commander give the same options, output and exit code', () => {
  let fastRuns = 0;
  fc.assert(
    fc.property(commandLines, ({ argv }) => {
      const viaFast = through('fast', argv);
      const viaCommander = through('commander', argv);
      expect({ argv, code: viaFast.code, stdout: viaFast.stdout, stderr: viaFast.stderr }).toEqual({ argv, code: viaCommander.code, stdout: viaCommander.stdout, stderr: viaCommander.stderr });
      expect(viaFast.options).toEqual(viaCommander.options);
      if (viaFast.options.length) fastRuns++;
    }),
  );
  // Most command lines are valid and reach runFunction.
  expect(fastRuns).toBeGreaterThan(50);
});

test('a flag given twice is refused by both, whichever flag it is', () => {
  fc.assert(
    fc.property(
      cliCase().chain((k) => fc.tuple(fc.constant(k), quantityFlags(k))),
      fc.constantFrom(['--format', 'json'], ['--json'], ['--precision', '3'], ['--grad'], ['-j'], ['--no-color'], ['--color', 'never']),
      ([k, quantity], group) => {
        const argv = [...k.argv, ...quantity, ...group, ...group];
        for (const parser of ['fast', 'commander'] as const) {
          const r = through(parser, argv);
          expect({ parser, code: r.code, stdout: r.stdout }).toEqual({ parser, code: 2, stdout: '' });
          expect(r.stderr).toMatch(/^actgrad: error: .*(given twice|cannot be combined|conflicts).*\n$/);
        }
      },
    ),
    { numRuns: 40 },
  );
});
