/**
 * The library (src/index.ts), the command line and the REPL are three doors to one core: the
 * library's `evaluate` and `grad` return the objects that `--json` prints (numbers as numbers), for
 * every function and random formulas, and a REPL reading lines prints what running each line gives.
 */
import fc from 'fast-check';
import { evaluate, grad } from '../../src/index';
import type { RawArg } from '../../src/functions/args';
import { type Tensor, toNested } from '../../src/tensor';
import { bindingWords, formulas } from './expressions';
import { cli, cliCase, fromJson, json, quantityFlags } from './harness';

fc.configureGlobal({ seed: Number(process.env.SEED ?? 20261201), numRuns: Number(process.env.RUNS ?? 60) });

const isTensor = (v: RawArg): v is Tensor => typeof v === 'object' && v !== null && 'data' in v;

/**
 * −0 as 0, everywhere. The one known difference: --json writes −0 as 0 (JSON.stringify's rule, in
 * render/json.ts) where the library, plain and csv keep the sign. Reported; the `test.failing`
 * below turns red when it is fixed, and this normalisation must go then.
 */
const unsigned = (v: unknown): unknown =>
  typeof v === 'number' ? (v === 0 ? 0 : v) : Array.isArray(v) ? v.map(unsigned) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unsigned(x)])) : v;
type Nested = number | Nested[];

/** The quantity flags of a run as the library's options. */
function libraryOptions(quantity: string[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (let i = 0; i < quantity.length; i++) {
    const w = quantity[i];
    if (w === '-g' || w === '--grad') o.grad = true;
    else if (w === '-j' || w === '--jacobian') o.jacobian = true;
    else if (w === '-H' || w === '--hessian') o.hessian = true;
    else if (w === '--order') o.order = Number(quantity[++i]);
    else if (w === '--jvp' || w === '--hvp') o[w.slice(2)] = JSON.parse(quantity[++i]) as Nested;
  }
  return o;
}

test('evaluate(name, input, options) is the object that `actgrad <function> --json` prints', () => {
  fc.assert(
    fc.property(
      cliCase().chain((k) => fc.tuple(fc.constant(k), quantityFlags(k))),
      ([k, quantity]) => {
        const params: Record<string, unknown> = {};
        let target: unknown;
        for (const [name, v] of Object.entries(k.c.args)) {
          const value = isTensor(v) ? toNested(v) : v;
          if (name === 'target') target = value;
          else params[name] = value;
        }
        const viaCli = cli([...k.argv, ...quantity, '--json']);
        let viaLibrary: unknown;
        try {
          viaLibrary = evaluate(k.d.name, toNested(k.c.input) as Nested, { params: params as never, target: target as never, ...libraryOptions(quantity) });
        } catch (e) {
          // Refused by both, with the same sentence (the library names arguments by their keyword).
          expect(viaCli.code).toBe(2);
          expect(viaCli.stderr.replace(/--([a-z-]+)/g, (_, f: string) => f.replace(/-/g, '_'))).toContain((e as Error).message.replace(/^.*?: /, ''));
          return;
        }
        expect(unsigned(fromJson(JSON.parse(viaCli.stdout)))).toEqual(unsigned(viaLibrary));
      },
    ),
  );
});

test('grad(expression, bindings, options) is the object that `actgrad grad ... --json` prints', () => {
  fc.assert(
    fc.property(formulas(), fc.constantFrom('plain', 'hessian', 'symbolic'), (f, what) => {
      const bindings = Object.fromEntries(f.bindings.map(([name, t]) => [name, toNested(t) as Nested]));
      const options = { ...(f.scalar ? {} : { jacobian: true }), ...(what === 'plain' ? {} : { [what]: true }) };
      const flags = [...(f.scalar ? [] : ['--jacobian']), ...(what === 'plain' ? [] : [`--${what}`])];
      const viaCli = cli(['grad', f.expression, ...bindingWords(f), ...flags, '--json']);
      let viaLibrary: unknown;
      try {
        viaLibrary = grad(f.expression, bindings, options);
      } catch (e) {
        expect({ code: viaCli.code, message: (e as Error).message }).toEqual({ code: 2, message: expect.any(String) });
        return;
      }
      expect(unsigned(json(viaCli))).toEqual(unsigned(viaLibrary));
    }),
  );
});

test('evaluate takes the first argument of every function as its input, whatever PyTorch calls it (x1, query, ...)', () => {
  // cos(x1, x2) of parallel rows is 1, of orthogonal rows 0; the distance of (3, 4) and (0, 0) is 5.
  const cos = evaluate('cosine-similarity', [[1, 2], [1, 0]], { params: { x2: [[2, 4], [0, 3]] } }).value as number[];
  expect(cos[0]).toBeCloseTo(1, 15);
  expect(cos[1]).toBe(0);
  expect(evaluate('pairwise-distance', [[3, 4]], { params: { x2: [[0, 0]], eps: 0 } }).value).toEqual([5]);
  const attention = evaluate('scaled-dot-product-attention', [[1, 0]], { params: { key: [[1, 0], [0, 1]], value: [[1, 2], [3, 4]] } });
  // One query, weights softmax([1, 0]/√2) over the two values.
  const w = 1 / (1 + Math.exp(-1 / Math.SQRT2));
  (attention.value as number[][])[0].forEach((v, j) => expect(v).toBeCloseTo(w * [1, 2][j] + (1 - w) * [3, 4][j], 14));
});

test.failing('--json keeps the sign of −0, as the library, plain and csv do (known bug: it writes 0)', () => {
  const printed = JSON.parse(cli(['relu', '[-0, 1]', '--json']).stdout) as { input: number[] };
  expect(Object.is(printed.input[0], -0)).toBe(true);
});

/** A word as a POSIX shell reads it back (single quotes). */
const quote = (w: string): string => `'${w.replace(/'/g, `'\\''`)}'`;

test('the REPL, fed lines, prints what running each line prints', () => {
  const line = fc.oneof(
    cliCase().chain((k) => fc.tuple(fc.constant(k.argv), quantityFlags(k), fc.constantFrom([], ['--json'], ['--format', 'csv'], ['--format', 'table']))).map(([a, q, o]) => [...a, ...q, ...o]),
    formulas({ scalar: true, depth: 2 }).map((f) => ['grad', f.expression, ...bindingWords(f)]),
    fc.constantFrom(['relu', 'x'], ['softmax', '--bogus', '1'], ['grad', 'x +', 'x=1']),
  );
  fc.assert(
    fc.property(fc.array(line, { minLength: 1, maxLength: 4 }), (lines) => {
      const repl = cli(['repl'], { stdin: lines.map((words) => words.map(quote).join(' ')).join('\n') });
      const direct = lines.map((words) => cli(words));
      expect(repl.stdout).toBe(direct.map((r) => r.stdout).join(''));
      expect(repl.stderr).toBe(direct.map((r) => r.stderr).join(''));
      expect(repl.code).toBe(Math.max(...direct.map((r) => r.code)));
    }),
    { numRuns: 25 },
  );
});
