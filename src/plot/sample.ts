/**
 * What a plot shows: a function of one real x and its derivative, sampled over [from, to], with
 * the places where either jumps (step at 0, relu' at 0) located by bisection so that charts never
 * draw a jump as a slope.
 *  - elementwise functions: f(x) and f'(x);
 *  - losses: the loss of a single input x against a fixed --target, and ∂loss/∂x;
 *  - vector functions: the first output of f([x, 0]) and its derivative in x (a documented slice).
 */
import { computeFunction } from '../commands/function';
import type { RawArg } from '../functions/args';
import type { Descriptor } from '../functions/types';
import { UsageError } from '../errors';
import type { Tensor } from '../tensor';

export interface Curve {
  /** f and f' at x */
  at(x: number): [number, number];
  /** f and f' at many x in one run, where the function is elementwise (the same numbers as at()) */
  atAll?(xs: Float64Array): [Float64Array, Float64Array];
  /** "sigmoid(x)", "bce(x, 1)", "softmax([x, 0])[0]" */
  label: string;
  derivativeLabel: string;
}

type Args = Record<string, RawArg>;

export function curveOf(d: Descriptor, args: Args, target?: Tensor): Curve {
  const vector = (x: number): Tensor => ({ shape: [1], data: Float64Array.of(x) });
  if (d.kind === 'elementwise') {
    return {
      label: `${d.name}(x)`,
      derivativeLabel: `${d.name}'(x)`,
      at: (x) => {
        const r = computeFunction({ fn: d, input: vector(x), args, grad: true });
        return [r.value.data[0], r.grad!.data[0]];
      },
      // Each output depends on its own input only: one run over all the points, not one per point.
      atAll: (xs) => {
        const r = computeFunction({ fn: d, input: { shape: [xs.length], data: xs }, args, grad: true });
        return [r.value.data, r.grad!.data];
      },
    };
  }
  if (d.kind === 'loss') {
    if (!target) throw new UsageError(`plotting ${d.name} needs --target (one number), e.g. actgrad plot ${d.name} --target 1`);
    if (d.structure === 'rows') {
      throw new UsageError(`${d.name} compares a row of class scores with a class index: it has no curve in one x (plot log-softmax or softmax instead)`);
    }
    if (target.data.length !== 1) throw new UsageError(`plotting ${d.name}: --target takes one number, the target of the single input x`);
    const t = target.data[0];
    return {
      label: `${d.name}(x, ${t})`,
      derivativeLabel: `∂/∂x ${d.name}(x, ${t})`,
      at: (x) => {
        const r = computeFunction({ fn: d, input: vector(x), args: { ...args, target: vector(t), reduction: 'sum' }, grad: true });
        return [r.value.data[0], r.grad!.data[0]];
      },
    };
  }
  // Vector functions: the first output along the slice f([x, 0]). Layers: along f([x, 0, 1]) (a
  // normalisation of two numbers is ±1 whatever x is), as a column when the layer needs a batch
  // of channels (batch norm), or one channel of one sample when it needs a spatial dimension.
  const slice = (x: number): Float64Array => (d.kind === 'layer' ? Float64Array.of(x, 0, 1) : Float64Array.of(x, 0));
  const shapes: number[][] = d.kind === 'layer' ? [[3], [3, 1], [1, 1, 3]] : [[2]];
  const shape = shapes.find((sh) => {
    try {
      computeFunction({ fn: d, input: { shape: sh, data: slice(0) }, args });
      return true;
    } catch {
      return false;
    }
  }) ?? shapes[0];
  const written = d.kind !== 'layer' ? '[x, 0]' : shape.length === 1 ? '[x, 0, 1]' : shape.length === 2 ? '[[x], [0], [1]]' : '[[[x, 0, 1]]]';
  return {
    label: `${d.name}(${written})[0]`,
    derivativeLabel: `∂/∂x ${d.name}(${written})[0]`,
    at: (x) => {
      const input = { shape, data: slice(x) };
      const value = computeFunction({ fn: d, input, args }).value;
      const seed = new Float64Array(value.data.length);
      seed[0] = 1;
      const r = computeFunction({ fn: d, input, args, gradOutput: { shape: value.shape, data: seed } });
      return [r.value.data[0], r.grad!.data[0]];
    },
  };
}

/** The default range: the descriptor's plotRange (bce's input is a probability: [0, 1]), else [-6, 6]. */
export function defaultRange(d: Descriptor): [number, number] {
  return d.plotRange ? [d.plotRange[0], d.plotRange[1]] : [-6, 6];
}

export interface Samples {
  xs: Float64Array;
  f: Float64Array;
  df: Float64Array;
}

/** n points at the centres of n equal cells of [from, to] (so an open range like bce's (0, 1) is never hit at its ends). */
export function sample(curve: Curve, from: number, to: number, n: number): Samples {
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = from + ((i + 0.5) * (to - from)) / n;
  if (curve.atAll) {
    const [f, df] = curve.atAll(xs);
    return { xs, f, df };
  }
  const f = new Float64Array(n);
  const df = new Float64Array(n);
  for (let i = 0; i < n; i++) [f[i], df[i]] = curve.at(xs[i]);
  return { xs, f, df };
}

/**
 * Is there a jump of g between a and b? Bisects towards the largest change: a continuous function's
 * change shrinks with the interval, a jump's does not. Returns the jump's location, or undefined,
 * as soon as both halves change by no more than the threshold (after a few halvings for a smooth
 * stretch: plotting sigmoid asked for some 700 values before, and some 150 now).
 */
export function findJump(g: (x: number) => number, a: number, b: number, scale: number): number | undefined {
  let ga = g(a);
  let gb = g(b);
  const threshold = 1e-3 * Math.max(scale, 1e-12);
  if (!(Math.abs(gb - ga) > threshold)) return undefined;
  for (let k = 0; k < 60 && b - a > 1e-12 * Math.max(1, Math.abs(a)); k++) {
    const m = (a + b) / 2;
    const gm = g(m);
    if (Math.abs(gm - ga) >= Math.abs(gb - gm)) {
      b = m;
      gb = gm;
    } else {
      a = m;
      ga = gm;
    }
    if (!(Math.abs(gb - ga) > threshold)) return undefined;
  }
  // Still changing by more than the threshold (checked on entry and after every halving): a jump.
  return (a + b) / 2;
}

/** Jump locations of f and of f' between consecutive samples. */
export function jumps(curve: Curve, s: Samples): { f: number[]; df: number[] } {
  const range = (v: Float64Array): number => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const y of v) if (Number.isFinite(y)) [lo, hi] = [Math.min(lo, y), Math.max(hi, y)];
    return hi > lo ? hi - lo : 1;
  };
  const out = { f: [] as number[], df: [] as number[] };
  const fScale = range(s.f);
  const dScale = range(s.df);
  for (let i = 1; i < s.xs.length; i++) {
    const a = s.xs[i - 1];
    const b = s.xs[i];
    // A change larger than the steepest continuous change between two samples could be a jump.
    const jf = Math.abs(s.f[i] - s.f[i - 1]) > 2 * Math.max(Math.abs(s.df[i]), Math.abs(s.df[i - 1])) * (b - a) + 1e-3 * fScale ? findJump((x) => curve.at(x)[0], a, b, fScale) : undefined;
    if (jf !== undefined) out.f.push(jf);
    const jd = Math.abs(s.df[i] - s.df[i - 1]) > 0.05 * dScale ? findJump((x) => curve.at(x)[1], a, b, dScale) : undefined;
    if (jd !== undefined) out.df.push(jd);
  }
  return out;
}
