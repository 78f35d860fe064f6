/**
 * Random formulas for `actgrad grad`, in PyTorch's spelling and actgrad's: the registry's
 * elementwise and vector functions (with their parameters), arithmetic, reductions and losses,
 * over three bound vectors of one length. A formula is scalar (a reduction, an index, a loss) or
 * a vector (for --jacobian and --grad-output).
 */
import fc from 'fast-check';
import { registry } from '../../src/functions/registry';
import type { Tensor } from '../../src/tensor';
import { num, numberText, tensorOf, tensorText } from '../helpers/cases';

export interface Formula {
  expression: string;
  bindings: [string, Tensor][];
  scalar: boolean;
}

const snake = (name: string): string => name.replace(/-/g, '_');
/** Elementwise functions whose parameters are optional (threshold's are required). */
const ELEMENTWISE = registry.filter((d) => d.kind === 'elementwise' && d.name !== 'threshold' && d.name !== 'prelu').map((d) => snake(d.name));
const CALLS = ['F.', 'torch.', 'torch.nn.functional.', ''];

/** A vector-valued formula of depth at most `depth`. */
function vectorFormula(depth: number): fc.Arbitrary<string> {
  const leaf = fc.oneof(fc.constantFrom('x', 'y', 'w'), fc.constantFrom('x', 'w').map((v) => `(${v} * 0.5)`));
  if (depth === 0) return leaf;
  const inner = vectorFormula(depth - 1);
  return fc.oneof(
    { weight: 2, arbitrary: leaf },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...CALLS), fc.constantFrom(...ELEMENTWISE), inner).map(([p, f, e]) => (f === 'step' ? `${e}` : `${p === 'torch.' && !['sigmoid', 'tanh', 'relu'].includes(f) ? 'F.' : p}${f}(${e})`)) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('F.leaky_relu', 'F.elu', 'F.celu'), inner, fc.constantFrom(0.1, 0.7, 1.5)).map(([f, e, a]) => `${f}(${e}, ${a})`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('softmax', 'log_softmax', 'softmin'), inner).map(([f, e]) => `F.${f}(${e}, dim=0)`) },
    { weight: 1, arbitrary: fc.tuple(inner, inner, fc.constantFrom('+', '-', '*')).map(([a, b, op]) => `(${a} ${op} ${b})`) },
    { weight: 1, arbitrary: inner.map((e) => `(${e}) ** 2`) },
    { weight: 1, arbitrary: fc.tuple(inner, fc.constantFrom('.tanh()', '.sigmoid()', '.exp()')).map(([e, m]) => `(${e})${m}`) },
  );
}

/** A scalar formula: a reduction, an index, a loss or a norm of a vector formula. */
const scalarFormula = (depth: number, n: number): fc.Arbitrary<string> =>
  fc.tuple(vectorFormula(depth), fc.integer({ min: 0, max: n - 1 }), fc.nat(6)).map(([e, i, k]) =>
    [`sum(${e})`, `(${e}).mean()`, `(${e})[${i}]`, `F.mse_loss(${e}, y)`, `torch.logsumexp(${e}, 0)`, `torch.dot(${e}, w)`, `(${e}).norm()`][k],
  );

/** A formula with its bindings x, y, w (vectors of length n). */
export const formulas = (opts: { scalar?: boolean; depth?: number } = {}): fc.Arbitrary<Formula> =>
  fc.integer({ min: 1, max: 4 }).chain((n) =>
    fc
      .record({
        scalar: opts.scalar === undefined ? fc.boolean() : fc.constant(opts.scalar),
        x: tensorOf([n], num(-2, 2)),
        y: tensorOf([n], num(-2, 2)),
        w: tensorOf([n], num(-2, 2)),
      })
      .chain(({ scalar, x, y, w }) =>
        (scalar ? scalarFormula(opts.depth ?? 3, n) : vectorFormula(opts.depth ?? 3)).map(
          (expression): Formula => ({ expression, bindings: [['x', x], ['y', y], ['w', w]], scalar }),
        ),
      ),
  );

/** The bindings as command-line words: x=[1, 2] ... */
export const bindingWords = (f: Formula): string[] => f.bindings.map(([name, t]) => `${name}=${tensorText(t)}`);

export { numberText };
