/**
 * Numbers may come as arguments (one word, or one number per word), from standard input (none
 * given, or "-"), or from @FILE, for the input and for every flag that takes numbers (--target,
 * --weight, --grad-output, --expect, ...): each source gives the same result, and the same error
 * for a parameter PyTorch refuses (one validation for all sources).
 */
import fc from 'fast-check';
import { numberText } from '../helpers/cases';
import { cli, cliCase, quantityFlags, type Run, tensorText } from './harness';

fc.configureGlobal({ seed: Number(process.env.SEED ?? 20261203), numRuns: Number(process.env.RUNS ?? 60) });

/** A tensor's numbers one row per line (a vector: on one line), as a file or standard input holds them. */
function fileText(text: string): string {
  return `# written by the test\n${text}\n`;
}

const same = (a: Run, b: Run, what: string): void => expect({ what, ...a }).toEqual({ what, ...b });

test('the input from arguments, standard input and @FILE gives the same output', () => {
  fc.assert(
    fc.property(
      cliCase().chain((k) => fc.tuple(fc.constant(k), quantityFlags(k), fc.constantFrom('json', 'plain', 'csv'))),
      ([k, quantity, format]) => {
        const [name, input, ...params] = k.argv;
        const rest = [...params, ...quantity, '--format', format];
        const reference = cli([name, input, ...rest]);
        // One line on standard input or in a file holds the full syntax.
        same(cli([name, ...rest], { stdin: `${input}\n` }), reference, 'standard input');
        same(cli([name, '-', ...rest], { stdin: input }), reference, 'standard input with -');
        same(cli([name, '@x.txt', ...rest], { files: { 'x.txt': fileText(input) } }), reference, '@FILE');
        if (k.c.input.shape.length === 1) {
          // A vector as separate arguments, negative numbers without "--".
          same(cli([name, ...Array.from(k.c.input.data, numberText), ...rest]), reference, 'separate arguments');
        }
      },
    ),
  );
});

test('every flag that takes numbers reads them from @FILE as from its argument', () => {
  fc.assert(
    fc.property(
      cliCase((d) => d.args.some((s) => s.type === 'tensor' && s.name !== 'input')).chain((k) => fc.tuple(fc.constant(k), quantityFlags(k))),
      ([k, quantity]) => {
        const argv = [...k.argv, ...quantity, '--json'];
        const files: Record<string, string> = {};
        const viaFiles = argv.map((w, i) => {
          const flag = argv[i - 1];
          const takesNumbers = i > 1 && flag?.startsWith('--') && w.startsWith('[') && !['--expect'].includes(flag);
          if (!takesNumbers) return w;
          const path = `arg${i}.txt`;
          files[path] = fileText(w);
          return `@${path}`;
        });
        fc.pre(Object.keys(files).length > 0);
        same(cli(viaFiles, { files }), cli(argv), '@FILE for flags');
      },
    ),
  );
});

test('--expect reads its numbers from @FILE, written one row per line, as from its argument', () => {
  fc.assert(
    // Rank ≤ 2: a higher rank has no form as lines of numbers.
    fc.property(cliCase().filter((k) => k.c.input.shape.length <= 2), (k) => {
      const value = cli([...k.argv, '--format', 'plain']);
      fc.pre(value.code === 0 && !/nan|inf/.test(value.stdout));
      const lines = value.stdout.trim().split('\n');
      // Blocks of a higher rank have no one-line form here.
      fc.pre(!lines.includes(''));
      // numpy.loadtxt's rule: one number per line is a vector.
      const inline = lines.every((l) => !l.includes(' ')) ? lines.join(', ') : lines.join('; ');
      const fromFile = cli([...k.argv, '--expect', '@e.txt'], { files: { 'e.txt': value.stdout } });
      const fromArgument = cli([...k.argv, '--expect', inline]);
      same(fromFile, fromArgument, '--expect @FILE');
      expect(fromArgument.code).toBe(0);
    }),
    { numRuns: 30 },
  );
});

test('a parameter PyTorch refuses is refused the same way from every source', () => {
  const refused: [string, string[]][] = [
    ['celu', ['--alpha', '0']],
    ['hardtanh', ['--min-val', '2', '--max-val', '1']],
    ['softshrink', ['--lambd', '-1']],
    ['smooth-l1', ['--target', '[0, 0]', '--beta', '-1']],
    ['huber', ['--target', '[0, 0]', '--delta', '0']],
    ['cross-entropy', ['--target', '[0, 1]', '--label-smoothing', '2']],
    ['dropout', ['--p', '2']],
  ];
  for (const [name, flags] of refused) {
    const reference = cli([name, '[1, -2]', ...flags]);
    expect({ name, code: reference.code }).toEqual({ name, code: 2 });
    same(cli([name, ...flags], { stdin: '1\n-2\n' }), reference, `${name} from standard input`);
    same(cli([name, ...flags], { stdin: '1 -2\n' }), reference, `${name} from a line of standard input`);
    same(cli([name, '@x.txt', ...flags], { files: { 'x.txt': '1\n-2\n' } }), reference, `${name} from @FILE`);
  }
});

export { tensorText };
