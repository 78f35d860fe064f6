/**
 * json: one object; numbers in shortest round-trip precision (or --precision digits);
 * non-finite numbers as the strings "NaN", "Infinity", "-Infinity".
 */
import type { FunctionResult, GradResult, ParamShown } from '../result';
import { numel, type Tensor, toNested } from '../tensor';
import { roundTo } from './format';
import type { NumberSpool, ResultSink, SpoolFactory } from './stream';
import { ByteWriter, NUMBER_CHARS, type WriteBytes } from './stream-text';

/** JSON.stringify with non-finite numbers as strings and typed arrays as arrays. */
export function stringifyJson(value: unknown, precision?: number): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number') {
      if (Number.isNaN(v)) return 'NaN';
      if (v === Infinity) return 'Infinity';
      if (v === -Infinity) return '-Infinity';
      return roundTo(v, precision);
    }
    if (v instanceof Float64Array) return Array.from(v);
    return v;
  });
}

const isTensor = (v: ParamShown): v is Tensor => typeof v === 'object' && v !== null && 'data' in v;
const shown = (v: ParamShown): unknown => (isTensor(v) ? toNested(v) : v);

/**
 * The fields after "input", in the object's order: "target" (losses), "grad_output", "value",
 * "order", then the derivatives asked for. One list for the object and for its streamed form.
 */
const LATER_FIELDS: readonly [string, (r: FunctionResult) => ParamShown | undefined][] = [
  ['target', (r) => r.params.target],
  ['grad_output', (r) => r.gradOutput],
  ['value', (r) => r.value],
  ['order', (r) => r.order],
  ['grad', (r) => r.grad],
  ['jacobian', (r) => r.jacobian],
  ['hessian', (r) => r.hessian],
  ['hvp', (r) => r.hvp],
  ['jvp', (r) => r.jvp],
];

function paramsObject(r: FunctionResult): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r.params)) if (k !== 'target') params[k] = shown(v);
  return params;
}

/** The object `--json` prints (and the library's evaluate returns, numbers as numbers). */
export function functionObject(r: FunctionResult): Record<string, unknown> {
  const obj: Record<string, unknown> = { function: r.fn.name, params: paramsObject(r), input: toNested(r.input) };
  for (const [key, get] of LATER_FIELDS) {
    const v = get(r);
    if (v !== undefined) obj[key] = shown(v);
  }
  return obj;
}

const byName = (pairs: [string, Tensor][]): Record<string, unknown> => Object.fromEntries(pairs.map(([k, t]) => [k, toNested(t)]));

export function gradObject(r: GradResult): Record<string, unknown> {
  const obj: Record<string, unknown> = { expression: r.expression, at: byName(r.at), value: toNested(r.value) };
  if (r.gradOutput) obj.grad_output = toNested(r.gradOutput);
  if (r.grads) obj.grad = byName(r.grads);
  if (r.jacobians) obj.jacobian = byName(r.jacobians);
  if (r.hessian) obj.hessian = { wrt: r.hessian.wrt, variables: r.hessian.variables, matrix: toNested(r.hessian.matrix) };
  if (r.hvp) obj.hvp = toNested(r.hvp);
  if (r.symbolic) obj.symbolic = Object.fromEntries(r.symbolic);
  if (r.noGradient?.length) obj.no_gradient = Object.fromEntries(r.noGradient);
  return obj;
}

/** A number as JSON.stringify writes it after stringifyJson's replacer. */
function jsonNumber(x: number, precision: number | undefined): string {
  if (x - x !== 0) return x !== x ? '"NaN"' : x > 0 ? '"Infinity"' : '"-Infinity"';
  return String(precision === undefined ? x : Number(x.toPrecision(precision)));
}

/**
 * A JSON array (nested to any depth) written as its elements along the first dimension come:
 * `[`, then each element of shape `rest` (a number, or a nested array), comma-separated, then `]`,
 * exactly as JSON.stringify writes the nested arrays. A scalar (rank 0, one piece) is the number.
 */
class ArrayWriter {
  private elements = 0;
  /** the position within the current element */
  private at = 0;
  private opened = false;
  /** numbers in each nesting level from each trailing dimension on: rest [2, 3] → [6, 3] */
  private readonly spans: number[];
  private readonly item: number;

  constructor(
    private readonly rank: number,
    private readonly rest: readonly number[],
    private readonly precision: number | undefined,
    private readonly out: ByteWriter,
  ) {
    this.spans = rest.map((_, d) => numel(rest.slice(d)));
    this.item = numel(rest);
  }

  /**
   * The next numbers in order (pieces need not end at an element's end); `elements` counts the
   * elements only where they hold no numbers.
   */
  append(data: ArrayLike<number>, elements = 0): void {
    const { precision, spans, item, out } = this;
    if (this.rank === 0) {
      out.any(jsonNumber(data[0], precision));
      return;
    }
    if (!this.opened) out.any('[');
    this.opened = true;
    if (item === 0) {
      // Elements with no numbers (`[]` inside): as JSON.stringify writes them.
      const empty = JSON.stringify(toNested({ shape: this.rest.slice(), data: new Float64Array(0) }));
      for (let e = 0; e < elements; e++) out.any((this.elements++ > 0 ? ',' : '') + empty);
      return;
    }
    const depth = spans.length;
    // The most a number takes with the brackets around it.
    const room = NUMBER_CHARS + 2 * depth + 2;
    let j = this.at;
    // Short decimals (the input as typed) by ByteWriter.shortDecimal, until the first that is not.
    let short = precision === undefined;
    for (let k = 0; k < data.length; k++) {
      out.reserve(room);
      if (j === 0) {
        // A new element: after a comma, its arrays open.
        if (this.elements++ > 0) out.char(44);
        for (let d = 0; d < depth; d++) out.char(91);
      } else {
        // Inside an element: the arrays that end here close, and as many open again.
        let c = 0;
        for (let d = 1; d < depth; d++) if (j % spans[d] === 0) c++;
        for (let d = 0; d < c; d++) out.char(93);
        out.char(44);
        for (let d = 0; d < c; d++) out.char(91);
      }
      if (!(short && out.shortDecimal(data[k]))) {
        short = false;
        out.text(jsonNumber(data[k], precision));
      }
      if (++j === item) {
        for (let d = 0; d < depth; d++) out.char(93);
        j = 0;
      }
    }
    this.at = j;
  }

  /** The closing bracket. */
  close(): void {
    if (this.rank === 0) return;
    this.out.any(this.opened ? ']' : '[]');
  }
}

/**
 * json as a stream: the object's head and its "input" are written as the pieces come; the
 * quantities after it (value, grad, a batch's Jacobians) wait in spools (in memory, or in a
 * temporary file the CLI provides) and are written at the end, so that memory does not grow with
 * the input and the layout is functionObject's: {"function", "params", "input", "target"?,
 * "value", "grad"?, ...} with nested arrays.
 */
export class JsonSink implements ResultSink {
  private input: ArrayWriter | undefined;
  /** The fields after "input": a value written as it is, or a tensor's numbers waiting in a spool. */
  private fields: { key: string; fixed?: string; get?: (r: FunctionResult) => Tensor; spool?: NumberSpool; rank: number; rest: readonly number[]; elements: number }[] = [];

  private readonly out: ByteWriter;

  constructor(
    private readonly precision: number | undefined,
    write: (text: string) => void,
    private readonly spool: SpoolFactory,
    bytes?: WriteBytes,
  ) {
    this.out = new ByteWriter(write, bytes);
  }

  begin(): void {}

  chunk(r: FunctionResult): void {
    if (!this.input) {
      this.out.any(`{"function":${JSON.stringify(r.fn.name)},"params":${stringifyJson(paramsObject(r), this.precision)},"input":`);
      this.input = new ArrayWriter(r.input.shape.length, r.input.shape.slice(1), this.precision, this.out);
      for (const [key, get] of LATER_FIELDS) {
        const v = get(r);
        if (v === undefined) continue;
        if (isTensor(v)) this.fields.push({ key, get: get as (r: FunctionResult) => Tensor, spool: this.spool(), rank: v.shape.length, rest: v.shape.slice(1), elements: 0 });
        else this.fields.push({ key, fixed: stringifyJson(v, this.precision), rank: 0, rest: [], elements: 0 });
      }
    }
    this.input.append(r.input.data, r.input.shape[0] ?? 1);
    this.out.flush();
    for (const f of this.fields) {
      if (!f.spool) continue;
      const t = f.get!(r);
      f.spool.append(t.data);
      f.elements += t.shape[0] ?? 1;
    }
  }

  end(): void {
    if (!this.input) return;
    this.input.close();
    try {
      for (const f of this.fields) {
        this.out.any(`,${JSON.stringify(f.key)}:`);
        if (f.fixed !== undefined) {
          this.out.any(f.fixed);
          continue;
        }
        const out = new ArrayWriter(f.rank, f.rest, this.precision, this.out);
        if (numel(f.rest) === 0) out.append(new Float64Array(0), f.elements);
        else f.spool!.drain((data) => out.append(data));
        out.close();
      }
      this.out.any('}\n');
      this.out.flush();
    } finally {
      this.abort();
    }
  }

  abort(): void {
    for (const f of this.fields) f.spool?.release();
    this.fields = [];
  }
}
