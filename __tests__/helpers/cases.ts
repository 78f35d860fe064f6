/**
 * Valid random calls of every descriptor in the registry, for the registry-wide properties
 * (__tests__/functions/registry-properties.test.ts, finite-differences.test.ts) and the
 * path-agreement properties (__tests__/paths/): an input of a shape the function takes, and
 * random values of its parameters within what PyTorch accepts, by PyTorch keyword name.
 *
 * `smooth` keeps every input element at least 1e-3 away from the function's kinks for the drawn
 * parameters (finite differences need that); without it, inputs may sit anywhere, kinks included
 * (identities between two exact derivatives hold there too).
 */
import fc from 'fast-check';
import { flagOf } from '../../src/functions/args';
import type { RawArg } from '../../src/functions/args';
import { registry } from '../../src/functions/registry';
import type { Descriptor } from '../../src/functions/types';
import { numel, type Tensor } from '../../src/tensor';

export interface Case {
  input: Tensor;
  /** every other argument given, by PyTorch keyword name */
  args: Record<string, RawArg>;
}

export interface CaseOptions {
  /** inputs at least 1e-3 away from kinks (for finite differences) */
  smooth?: boolean;
  /** a loss's reduction (otherwise drawn) */
  reduction?: string;
  /** only arguments the command line has flags for (no expression-only functions) */
  cli?: boolean;
}

const T = (shape: number[], data: ArrayLike<number>): Tensor => ({ shape: shape.slice(), data: Float64Array.from(data) });

/**
 * A number in [lo, hi]: multiples of 1/8 (kinks, ties, zeros) or any double (−0 included) that is
 * not vanishingly small — sub-1e-3 magnitudes only add cancellation noise to identities between
 * derivatives.
 */
export const num = (lo: number, hi: number): fc.Arbitrary<number> => {
  const tiny = Math.min(1e-3, Math.max(Math.abs(lo), Math.abs(hi)) / 10);
  const any = fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true }).filter((x) => x === 0 || Math.abs(x) >= tiny);
  const [a, b] = [Math.ceil(lo * 8), Math.floor(hi * 8)];
  return a <= b ? fc.oneof(fc.integer({ min: a, max: b }).map((k) => k / 8), any) : any;
};

/** A number in [lo, hi] at least 1e-3 from each kink. */
const away = (lo: number, hi: number, kinks: readonly number[]): fc.Arbitrary<number> =>
  num(lo, hi).filter((x) => kinks.every((k) => Math.abs(x - k) > 1e-3));

/** A tensor of `shape` with elements from `elem`. */
export const tensorOf = (shape: number[], elem: fc.Arbitrary<number>): fc.Arbitrary<Tensor> =>
  fc.array(elem, { minLength: numel(shape), maxLength: numel(shape) }).map((xs) => T(shape, xs));

/** A batch shape: [n] or [rows, cols]. */
const batchShape = (maxCols = 4, minCols = 1): fc.Arbitrary<number[]> =>
  fc.oneof(
    fc.integer({ min: minCols, max: maxCols }).map((n) => [n]),
    fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: minCols, max: maxCols })),
  );

const reductionOf = (o: CaseOptions, extra: string[] = []): fc.Arbitrary<string> =>
  o.reduction !== undefined ? fc.constant(o.reduction) : fc.constantFrom('mean', 'sum', 'none', ...extra);

/** Optional arguments: each entry present or left to PyTorch's default. */
function optional(entries: Record<string, fc.Arbitrary<RawArg>>): fc.Arbitrary<Record<string, RawArg>> {
  return fc.record(entries, { requiredKeys: [] }) as fc.Arbitrary<Record<string, RawArg>>;
}

type Gen = (o: CaseOptions) => fc.Arbitrary<Case>;

/** An elementwise function: a batch, its parameters, and the kinks those parameters put. */
function elementwise(params: fc.Arbitrary<Record<string, RawArg>>, kinks: (p: Record<string, RawArg>) => number[] = () => []): Gen {
  return (o) =>
    fc.tuple(batchShape(), params).chain(([shape, args]) =>
      tensorOf(shape, o.smooth ? away(-4, 4, kinks(args)) : num(-4, 4)).map((input) => ({ input, args })),
    );
}

const ELEMENTWISE: Record<string, Gen> = {
  step: elementwise(optional({ at_zero: num(-2, 2) }), () => [0]),
  sigmoid: elementwise(fc.constant({})),
  tanh: elementwise(fc.constant({})),
  relu: elementwise(fc.constant({}), () => [0]),
  relu6: elementwise(fc.constant({}), () => [0, 6]),
  'leaky-relu': elementwise(optional({ negative_slope: num(-1, 1) }), () => [0]),
  prelu: (o) =>
    batchShape().chain((shape) => {
      // One weight, or one per channel (dimension 1) of a batch, as F.prelu takes them.
      const weight = shape.length === 2 ? fc.oneof(num(-1, 1), tensorOf([shape[1]], num(-1, 1))) : num(-1, 1);
      return fc.record({ input: tensorOf(shape, o.smooth ? away(-4, 4, [0]) : num(-4, 4)), args: optional({ weight: weight as fc.Arbitrary<RawArg> }) });
    }),
  elu: elementwise(optional({ alpha: num(0.1, 2) }), () => [0]),
  selu: elementwise(fc.constant({}), () => [0]),
  celu: elementwise(optional({ alpha: num(0.1, 2) }), () => [0]),
  gelu: elementwise(optional({ approximate: fc.constantFrom('none', 'tanh') })),
  silu: elementwise(fc.constant({})),
  mish: elementwise(fc.constant({})),
  softplus: elementwise(optional({ beta: num(0.5, 3), threshold: num(1, 20) }), (p) => [((p.threshold as number) ?? 20) / ((p.beta as number) ?? 1)]),
  softsign: elementwise(fc.constant({}), () => [0]),
  hardtanh: elementwise(optional({ min_val: num(-2, -0.1), max_val: num(0.1, 2) }), (p) => [(p.min_val as number) ?? -1, (p.max_val as number) ?? 1]),
  hardsigmoid: elementwise(fc.constant({}), () => [-3, 3]),
  hardswish: elementwise(fc.constant({}), () => [-3, 3]),
  logsigmoid: elementwise(fc.constant({})),
  tanhshrink: elementwise(fc.constant({})),
  softshrink: elementwise(optional({ lambd: num(0, 1.5) }), (p) => [(p.lambd as number) ?? 0.5, -((p.lambd as number) ?? 0.5)]),
  hardshrink: elementwise(optional({ lambd: num(0, 1.5) }), (p) => [(p.lambd as number) ?? 0.5, -((p.lambd as number) ?? 0.5)]),
  threshold: elementwise(fc.record({ threshold: num(-2, 2), value: num(-2, 2) }), (p) => [p.threshold as number]),
};

/** A vector function along a dimension (the last by default). */
function vector(params: (rank: number) => fc.Arbitrary<Record<string, RawArg>>, kinks: number[] = [], evenLast = false): Gen {
  return (o) =>
    batchShape(4, evenLast ? 2 : 1)
      .map((s) => (evenLast ? [...s.slice(0, -1), s[s.length - 1] - (s[s.length - 1] % 2)] : s))
      .chain((shape) => fc.record({ input: tensorOf(shape, o.smooth ? away(-4, 4, kinks) : num(-4, 4)), args: params(shape.length) }));
}

const dimArg = (rank: number): fc.Arbitrary<number> => fc.integer({ min: -rank, max: rank - 1 });

const VECTOR: Record<string, Gen> = {
  softmax: vector((r) => optional({ dim: dimArg(r) })),
  'log-softmax': vector((r) => optional({ dim: dimArg(r) })),
  softmin: vector((r) => optional({ dim: dimArg(r) })),
  glu: (o) =>
    // Only the last dimension is sure to be even here.
    vector(() => fc.constant({}), [], true)(o),
  logsumexp: vector((r) => optional({ dim: dimArg(r).map((d) => [d]), keepdim: fc.boolean() })),
  norm: vector((r) => optional({ p: fc.constantFrom(1, 2, 3, 0.5, Infinity), dim: dimArg(r).map((d) => [d]), keepdim: fc.boolean() }), [0]),
};

/** A pointwise loss: input and target of the same shape; parameters may depend on the shape. */
function pointwise(
  target: fc.Arbitrary<number>,
  params: (shape: number[]) => fc.Arbitrary<Record<string, RawArg>>,
  opts: { input?: [number, number]; kinks?: (p: Record<string, RawArg>, t: number) => number[]; extra?: string[] } = {},
): Gen {
  const [lo, hi] = opts.input ?? [-3, 3];
  return (o) =>
    batchShape().chain((shape) =>
      fc.tuple(params(shape), reductionOf(o, opts.extra), tensorOf(shape, target)).chain(([p, reduction, t]) => {
        const elem = (i: number): fc.Arbitrary<number> => (o.smooth ? away(lo, hi, opts.kinks?.(p, t.data[i]) ?? []) : num(lo, hi));
        return fc.tuple(...Array.from({ length: numel(shape) }, (_, i) => elem(i))).map((xs) => ({ input: T(shape, xs), args: { ...p, target: t, reduction } }));
      }),
    );
}

const none = (): fc.Arbitrary<Record<string, RawArg>> => fc.constant({});

/** Class-index losses: logits [C] or [N, C], one class per row. */
function classes(params: (c: number) => fc.Arbitrary<Record<string, RawArg>>, kinks = false): Gen {
  return (o) =>
    fc.tuple(batchShape(4, 2), reductionOf(o)).chain(([shape, reduction]) => {
      const c = shape[shape.length - 1];
      const rows = shape.length === 2 ? shape[0] : 1;
      const target = fc.array(fc.integer({ min: 0, max: c - 1 }), { minLength: rows, maxLength: rows }).map((ts) => (shape.length === 2 ? T([rows], ts) : T([], ts)));
      // multi-margin's kinks are where x_j − x_y = ±margin: keep the logits well apart instead.
      const logits = kinks && o.smooth ? spaced(numel(shape)) : fc.array(num(-3, 3), { minLength: numel(shape), maxLength: numel(shape) });
      return fc.record({ input: logits.map((xs) => T(shape, xs)), target, p: params(c) }).map(({ input, target: t, p }) => ({ input, args: { ...p, target: t, reduction } }));
    });
}

/** Logits whose differences are multiples of 0.3: never at a margin of 0.5, 0.8, 1 (the hinge's kinks). */
const spaced = (n: number): fc.Arbitrary<number[]> => fc.uniqueArray(fc.integer({ min: -10, max: 10 }), { minLength: n, maxLength: n }).map((xs) => xs.map((x) => x * 0.3 + 0.05));

const LOSSES: Record<string, Gen> = {
  mse: pointwise(num(-3, 3), none),
  l1: pointwise(num(-3, 3), none, { kinks: (_p, t) => [t] }),
  'smooth-l1': pointwise(num(-3, 3), () => optional({ beta: num(0.1, 2) }), { kinks: (p, t) => [t, t - ((p.beta as number) ?? 1), t + ((p.beta as number) ?? 1)] }),
  huber: pointwise(num(-3, 3), () => optional({ delta: num(0.1, 2) }), { kinks: (p, t) => [t, t - ((p.delta as number) ?? 1), t + ((p.delta as number) ?? 1)] }),
  bce: pointwise(num(0, 1), (s) => optional({ weight: tensorOf([s[s.length - 1]], num(0.1, 3)) }), { input: [0.05, 0.95] }),
  'bce-with-logits': pointwise(num(0, 1), (s) => optional({ pos_weight: tensorOf([s[s.length - 1]], num(0.1, 3)), weight: tensorOf([s[s.length - 1]], num(0.1, 3)) })),
  'cross-entropy': classes((c) => optional({ weight: tensorOf([c], num(0.1, 3)), label_smoothing: num(0, 1) })),
  nll: classes((c) => optional({ weight: tensorOf([c], num(0.1, 3)) })),
  'kl-div': pointwise(num(0.01, 1), () => optional({ log_target: fc.constant(false) }), { input: [-3, -0.1], extra: ['batchmean'] }),
  'soft-margin': pointwise(fc.constantFrom(-1, 1), none),
  'hinge-embedding': pointwise(fc.constantFrom(-1, 1), () => optional({ margin: num(0.1, 2) }), { kinks: (p, t) => (t === -1 ? [(p.margin as number) ?? 1] : []) }),
  'poisson-nll': pointwise(fc.integer({ min: 0, max: 5 }), () => optional({ log_input: fc.constant(true), full: fc.boolean() }), { input: [-2, 2] }),
  'multi-margin': classes(() => optional({ p: fc.constantFrom(1, 2), margin: fc.constantFrom(0.5, 0.8, 1) }), true),
};

/** [N, C] or [N, C, L] with N ≥ 1. */
const LAYERS: Record<string, Gen> = {
  'layer-norm': (o) =>
    batchShape(4, 2).chain((shape) => {
      const c = shape[shape.length - 1];
      return fc.record({ input: tensorOf(shape, num(-3, 3)), args: optional({ normalized_shape: fc.constant([c]), weight: tensorOf([c], num(-2, 2)), bias: tensorOf([c], num(-2, 2)), eps: num(1e-6, 1e-2) }) });
    }),
  'batch-norm': () =>
    fc.tuple(fc.integer({ min: 2, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.boolean()).chain(([n, c, running]) =>
      fc.record({
        input: tensorOf([n, c], num(-3, 3)),
        args: fc.record({
          ...(running ? { running_mean: tensorOf([c], num(-1, 1)), running_var: tensorOf([c], num(0.5, 2)) } : {}),
          optional: optional({ weight: tensorOf([c], num(-2, 2)), bias: tensorOf([c], num(-2, 2)), eps: num(1e-5, 1e-2) }),
        }).map(({ optional: rest, ...stats }) => ({ ...stats, ...rest }) as Record<string, RawArg>),
      }),
    ),
  'group-norm': () =>
    fc.tuple(fc.integer({ min: 1, max: 2 }), fc.constantFrom(1, 2), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 2, max: 3 })).chain(([n, groups, perGroup, l]) => {
      const c = groups * perGroup;
      return fc.record({ input: tensorOf([n, c, l], num(-3, 3)), args: fc.record({ num_groups: fc.constant(groups) }).chain((g) => optional({ weight: tensorOf([c], num(-2, 2)), bias: tensorOf([c], num(-2, 2)) }).map((w) => ({ ...g, ...w }))) });
    }),
  'instance-norm': () =>
    fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 2, max: 3 })).chain(([n, c, l]) =>
      fc.record({ input: tensorOf([n, c, l], num(-3, 3)), args: optional({ weight: tensorOf([c], num(-2, 2)), bias: tensorOf([c], num(-2, 2)) }) }),
    ),
  'rms-norm': () =>
    batchShape(4, 1).chain((shape) => {
      const c = shape[shape.length - 1];
      return fc.record({ input: tensorOf(shape, num(-3, 3)), args: optional({ normalized_shape: fc.constant([c]), weight: tensorOf([c], num(-2, 2)), eps: num(1e-6, 1e-2) }) });
    }),
  normalize: (o) =>
    batchShape(4, 1).chain((shape) => fc.record({ input: tensorOf(shape, o.smooth ? away(-3, 3, [0]) : num(-3, 3)), args: optional({ p: fc.constantFrom(1, 2, 3), dim: dimArg(shape.length) }) })),
  dropout: () => batchShape().chain((shape) => fc.record({ input: tensorOf(shape, num(-3, 3)), args: optional({ p: num(0, 1), training: fc.constant(false) }) })),
  rrelu: (o) =>
    fc.tuple(batchShape(), num(0, 0.3), num(0.3, 0.5)).chain(([shape, lower, upper]) =>
      fc.record({ input: tensorOf(shape, o.smooth ? away(-3, 3, [0]) : num(-3, 3)), args: fc.constant({ lower, upper } as Record<string, RawArg>) }),
    ),
  'max-pool1d': pool(1, true),
  'max-pool2d': pool(2, true),
  'avg-pool1d': pool(1, false),
  'avg-pool2d': pool(2, false),
  'gaussian-nll': (o) =>
    fc.tuple(batchShape(), reductionOf(o)).chain(([shape, reduction]) =>
      fc.record({
        input: tensorOf(shape, num(-3, 3)),
        args: fc.record({ target: tensorOf(shape, num(-3, 3)), var: tensorOf(shape, num(0.1, 2)), full: fc.boolean() }).map((a) => ({ ...a, reduction }) as Record<string, RawArg>),
      }),
    ),
  'multilabel-margin': (o) =>
    fc.tuple(batchShape(4, 2), reductionOf(o)).chain(([shape, reduction]) => {
      const c = shape[shape.length - 1];
      const rows = shape.length === 2 ? shape[0] : 1;
      // Each row: some distinct class indices, then -1 (the end), padded with anything.
      const row = fc.uniqueArray(fc.integer({ min: 0, max: c - 1 }), { minLength: 1, maxLength: c - 1 }).map((ys) => [...ys, ...new Array<number>(c - ys.length).fill(-1)]);
      const logits = o.smooth ? spaced(numel(shape)) : fc.array(num(-3, 3), { minLength: numel(shape), maxLength: numel(shape) });
      return fc.record({
        input: logits.map((xs) => T(shape, xs)),
        args: fc.array(row, { minLength: rows, maxLength: rows }).map((rs) => ({ target: T(shape, rs.flat()), reduction }) as Record<string, RawArg>),
      });
    }),
  'multilabel-soft-margin': (o) =>
    fc.tuple(batchShape(4, 1), reductionOf(o)).chain(([shape, reduction]) => {
      const c = shape[shape.length - 1];
      return fc.record({
        input: tensorOf(shape, num(-3, 3)),
        args: fc.record({ target: tensorOf(shape, fc.constantFrom(0, 1)) }, { requiredKeys: ['target'] }).chain((t) => optional({ weight: tensorOf([c], num(0.1, 2)) }).map((w) => ({ ...t, ...w, reduction }) as Record<string, RawArg>)),
      });
    }),
};

/** A pooling layer over 1 or 2 spatial dimensions: (C, L) / (N, C, L) or (C, H, W). */
function pool(d: 1 | 2, max: boolean): Gen {
  return (o) =>
    fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 1 }), fc.boolean()).chain(([c, k, stride, pad, ceil]) => {
      const padding = Math.min(pad, Math.floor(k / 2));
      const size = fc.integer({ min: k, max: k + 3 });
      return fc.tuple(size, size).chain(([h, w]) => {
        const shape = d === 1 ? [c, h] : [c, h, w];
        const args: Record<string, RawArg> = { kernel_size: d === 1 ? [k] : [k, k], stride: d === 1 ? [stride] : [stride, stride], padding: d === 1 ? [padding] : [padding, padding], ceil_mode: ceil };
        // Max pooling selects: distinct values keep the selection (and its derivative) stable under a small step.
        const elem = max && o.smooth ? fc.uniqueArray(fc.integer({ min: -60, max: 60 }), { minLength: numel(shape), maxLength: numel(shape) }).map((xs) => T(shape, xs.map((x) => x / 20))) : tensorOf(shape, num(-3, 3));
        return elem.map((input) => ({ input, args }));
      });
    });
}

const CALLS: Record<string, Gen> = {
  linear: () =>
    fc.tuple(batchShape(3), fc.integer({ min: 1, max: 3 }), fc.boolean()).chain(([shape, out, bias]) => {
      const inF = shape[shape.length - 1];
      return fc.record({ input: tensorOf(shape, num(-2, 2)), args: fc.record({ weight: tensorOf([out, inF], num(-2, 2)), ...(bias ? { bias: tensorOf([out], num(-2, 2)) } : {}) }) as fc.Arbitrary<Record<string, RawArg>> });
    }),
  bilinear: () =>
    fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 })).chain(([n, a, b, out]) =>
      fc.record({ input: tensorOf([n, a], num(-2, 2)), args: fc.record({ input2: tensorOf([n, b], num(-2, 2)), weight: tensorOf([out, a, b], num(-2, 2)), bias: tensorOf([out], num(-2, 2)) }) as fc.Arbitrary<Record<string, RawArg>> }),
    ),
  conv1d: () =>
    fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 1 })).chain(([cin, cout, k, stride, padding]) =>
      fc.integer({ min: k, max: k + 3 }).chain((l) =>
        fc.record({
          input: tensorOf([1, cin, l], num(-2, 2)),
          args: fc.record({ weight: tensorOf([cout, cin, k], num(-2, 2)), bias: tensorOf([cout], num(-2, 2)), stride: fc.constant([stride]), padding: fc.constant([padding]) }) as fc.Arbitrary<Record<string, RawArg>>,
        }),
      ),
    ),
  conv2d: () =>
    fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 1 })).chain(([cin, cout, k, padding]) =>
      fc.tuple(fc.integer({ min: k, max: k + 2 }), fc.integer({ min: k, max: k + 2 })).chain(([h, w]) =>
        fc.record({
          input: tensorOf([cin, h, w], num(-2, 2)),
          args: fc.record({ weight: tensorOf([cout, cin, k, k], num(-2, 2)), bias: tensorOf([cout], num(-2, 2)), padding: fc.constant([padding, padding]) }) as fc.Arbitrary<Record<string, RawArg>>,
        }),
      ),
    ),
  'scaled-dot-product-attention': () =>
    fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }), fc.boolean()).chain(([l, s, e, ev, causal]) =>
      fc.record({
        input: tensorOf([l, e], num(-2, 2)),
        args: fc.record({ key: tensorOf([s, e], num(-2, 2)), value: tensorOf([s, ev], num(-2, 2)), is_causal: fc.constant(causal && l <= s) }) as fc.Arbitrary<Record<string, RawArg>>,
      }),
    ),
  'cosine-similarity': () =>
    fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 })).chain(([n, d]) =>
      fc.record({ input: tensorOf([n, d], num(-2, 2)), args: fc.record({ x2: tensorOf([n, d], num(-2, 2)) }) as fc.Arbitrary<Record<string, RawArg>> }),
    ),
  'pairwise-distance': () =>
    fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 })).chain(([n, d]) =>
      fc.record({ input: tensorOf([n, d], num(-2, 2)), args: fc.record({ x2: tensorOf([n, d], num(-2, 2)), p: fc.constantFrom(1.5, 2, 3), keepdim: fc.boolean() }) as fc.Arbitrary<Record<string, RawArg>> }),
    ),
  embedding: () =>
    fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 })).chain(([v, d, n]) =>
      fc.record({ input: tensorOf([n], fc.integer({ min: 0, max: v - 1 })), args: fc.record({ weight: tensorOf([v, d], num(-2, 2)) }) as fc.Arbitrary<Record<string, RawArg>> }),
    ),
  'margin-ranking': (o) =>
    fc.tuple(fc.integer({ min: 1, max: 4 }), reductionOf(o)).chain(([n, reduction]) =>
      fc.record({ input: tensorOf([n], num(-2, 2)), args: fc.record({ input2: tensorOf([n], num(-2, 2)), target: tensorOf([n], fc.constantFrom(-1, 1)), margin: num(0, 1) }).map((a) => ({ ...a, reduction }) as Record<string, RawArg>) }),
    ),
  'triplet-margin': (o) =>
    fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), reductionOf(o)).chain(([n, d, reduction]) =>
      fc.record({ input: tensorOf([n, d], num(-2, 2)), args: fc.record({ positive: tensorOf([n, d], num(-2, 2)), negative: tensorOf([n, d], num(-2, 2)), margin: num(0.5, 2), swap: fc.boolean() }).map((a) => ({ ...a, reduction }) as Record<string, RawArg>) }),
    ),
  'cosine-embedding': (o) =>
    fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), reductionOf(o)).chain(([n, d, reduction]) =>
      fc.record({ input: tensorOf([n, d], num(-2, 2)), args: fc.record({ input2: tensorOf([n, d], num(-2, 2)), target: tensorOf([n], fc.constantFrom(-1, 1)), margin: num(-0.5, 0.5) }).map((a) => ({ ...a, reduction }) as Record<string, RawArg>) }),
    ),
  ctc: (o) =>
    fc.tuple(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 2, max: 3 }), reductionOf(o)).chain(([t, c, reduction]) =>
      fc.tuple(tensorOf([t, c], num(-3, 0)), fc.array(fc.integer({ min: 1, max: c - 1 }), { minLength: 1, maxLength: Math.floor(t / 2) })).map(([logits, target]) => ({
        // log_softmax outputs, as CTC expects
        input: T([t, c], Array.from(logits.data, (v, i) => {
          const row = logits.data.subarray(Math.floor(i / c) * c, Math.floor(i / c) * c + c);
          const m = Math.max(...row);
          return v - m - Math.log(row.reduce((s, u) => s + Math.exp(u - m), 0));
        })),
        args: { targets: T([target.length], target), input_lengths: T([], [t]), target_lengths: T([], [target.length]), reduction } as Record<string, RawArg>,
      })),
    ),
};

const GENERATORS: Record<string, Gen> = { ...ELEMENTWISE, ...VECTOR, ...LOSSES, ...LAYERS, ...CALLS };

/** Descriptors that have no case generator here (a new descriptor must get one). */
export const missingGenerators = (): string[] => registry.map((d) => d.name).filter((n) => !(n in GENERATORS));

const tensorArg = (c: Case, name: string): Float64Array => (c.args[name] as Tensor).data;
const allAway = (xs: ArrayLike<number>, from: number): boolean => Array.prototype.every.call(xs, (v: number) => Math.abs(v - from) > 1e-2);
const differences = (a: ArrayLike<number>, b: ArrayLike<number>): number[] => Array.from(a, (v, i) => v - b[i]);

/** For finite differences: cases away from the kinks that inputs of several tensors put. */
const SMOOTH: Record<string, (c: Case) => boolean> = {
  'cosine-similarity': (c) => allAway(c.input.data, 0) && allAway(tensorArg(c, 'x2'), 0),
  'pairwise-distance': (c) => allAway(differences(c.input.data, tensorArg(c, 'x2')), 0),
  'triplet-margin': (c) => allAway(differences(c.input.data, tensorArg(c, 'positive')), 0) && allAway(differences(c.input.data, tensorArg(c, 'negative')), 0),
  'margin-ranking': (c) => {
    const y = tensorArg(c, 'target');
    const x2 = tensorArg(c, 'input2');
    return Array.from(c.input.data).every((x1, i) => Math.abs(-y[i] * (x1 - x2[i]) + (c.args.margin as number)) > 1e-2);
  },
  'cosine-embedding': (c) => allAway(c.input.data, 0) && allAway(tensorArg(c, 'input2'), 0),
  // p = ∞ selects the largest magnitude: no near-ties.
  norm: (c) => {
    if (c.args.p !== Infinity) return true;
    const m = Array.from(c.input.data, Math.abs).sort((a, b) => a - b);
    return m.every((v, i) => i === 0 || v - m[i - 1] > 1e-2);
  },
  linear: () => true,
  'scaled-dot-product-attention': () => true,
};

/** A valid random call of the descriptor. */
export function caseOf(d: Descriptor, o: CaseOptions = {}): fc.Arbitrary<Case> {
  const gen = GENERATORS[d.name];
  if (!gen) throw new Error(`no case generator for ${d.name}`);
  const smooth = SMOOTH[d.name];
  return o.smooth && smooth ? gen(o).filter(smooth) : gen(o);
}

/** A number as the command line writes it (shortest round trip; −0 kept). */
export const numberText = (x: number): string => (Object.is(x, -0) ? '-0' : Number.isNaN(x) ? 'nan' : x === Infinity ? 'inf' : x === -Infinity ? '-inf' : String(x));

/** A tensor in the number syntax: nested brackets (any rank), a bare number for a scalar. */
export function tensorText(t: Tensor): string {
  if (t.shape.length === 0) return numberText(t.data[0]);
  const build = (offset: number, dim: number): string => {
    const size = t.shape[dim];
    const stride = numel(t.shape.slice(dim + 1));
    const parts: string[] = [];
    for (let i = 0; i < size; i++) parts.push(dim === t.shape.length - 1 ? numberText(t.data[offset + i]) : build(offset + i * stride, dim + 1));
    return `[${parts.join(', ')}]`;
  };
  return build(0, 0);
}

/** The flags of a case's arguments, as a user would type them. */
export function flagsOf(d: Descriptor, args: Record<string, RawArg>): string[] {
  const out: string[] = [];
  for (const [name, v] of Object.entries(args)) {
    const spec = d.args.find((s) => s.name === name)!;
    const flag = flagOf(name);
    if (spec.type === 'boolean') out.push(v ? flag : `--no-${flag.slice(2)}`);
    else if (typeof v === 'string') out.push(flag, v);
    else if (typeof v === 'number') out.push(flag, numberText(v));
    else if (Array.isArray(v)) out.push(flag, v.join(','));
    else out.push(flag, tensorText(v as Tensor));
  }
  return out;
}

/** Descriptors the command line runs (all but the expression-only calls). */
export const cliDescriptors = (): Descriptor[] => registry.filter((d) => d.kind !== 'call');
