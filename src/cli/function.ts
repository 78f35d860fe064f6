/**
 * A function subcommand: options → input → computeFunction → checks → one renderer.
 *
 * Input read from standard input or @FILE streams: rows are computed in pieces, through the same
 * computeFunction, and written as they come by the format's streaming renderer (render/stream.ts)
 * when the format streams (plain, csv, tsv, json) and the rows are independent (see streamsRows);
 * otherwise the rows are gathered and computed at once. Either way the output is the same.
 */
import { computeFunction, type FunctionRequest } from '../commands/function';
import { parseInputArgs } from '../parse/numbers';
import { RowReader } from '../parse/rows';
import type { BatchOfPiece } from '../functions/types';
import type { FunctionResult } from '../result';
import { type RenderOptions, renderChecks, renderResult } from '../render/index';
import { functionSink, type ResultSink, STREAM_FORMATS } from '../render/stream';
import type { Tensor } from '../tensor';
import { type IO, inputFromStdin, NO_INPUT, readFileChunks } from './io';
import type { FunctionOptions } from './options';

/**
 * numbersPerPiece: numbers computed together when streaming (a batch's Jacobians count w per
 * input number); spoolMemoryBytes: what json keeps in memory per quantity before it spools to a
 * temporary file, in spoolDirectory (undefined: os.tmpdir()). Tests make them small, to cut small
 * inputs into many pieces, and watch the directory.
 */
export const streamSettings: { numbersPerPiece: number; spoolMemoryBytes: number; spoolDirectory?: string } = { numbersPerPiece: 1 << 15, spoolMemoryBytes: 8 << 20 };

function request(o: FunctionOptions, input: Tensor): FunctionRequest {
  return { fn: o.fn, input, args: o.args, grad: o.grad, gradOutput: o.gradOutput, order: o.order, jacobian: o.jacobian, hessian: o.hessian, hvp: o.hvp, jvp: o.jvp };
}

/**
 * The target of a loss over rows that may stream in pieces of rows (rowPieces): a tensor with a
 * row per row of the input, cut in step with it. Only for its gradient in plain, csv or tsv: a
 * piece's value is its share of the loss, and those formats do not show the value beside the
 * gradient (json does).
 */
function rowTarget(o: FunctionOptions): Tensor | undefined {
  const t = o.args.target;
  const tensor = t !== null && typeof t === 'object' && 'data' in t && t.shape.length >= 1 ? t : undefined;
  return o.fn.rowPieces && o.grad && !o.jacobian && o.output.format !== 'json' ? tensor : undefined;
}

/**
 * Could this run stream, before the input is seen? Not for a loss (its target is a whole tensor,
 * and a reduction needs every row) unless in pieces of rows (rowTarget), nor for what needs the
 * whole input at once: the Hessian, an HVP, JVP or --grad-output vector (given whole, the input's
 * size), checks; nor in random training mode (dropout, rrelu), where pieces would draw other numbers.
 */
function mayStream(o: FunctionOptions): boolean {
  const wholeInput = o.hessian || o.hvp || o.jvp || o.gradOutput || o.check.expect || o.check.gradcheck;
  const pieces = o.fn.kind !== 'loss' || rowTarget(o) !== undefined;
  return STREAM_FORMATS.includes(o.output.format) && pieces && !wholeInput && o.args.training !== true;
}

/**
 * Does it stream, seen the first piece (`rows` rows of `width`)? When its rows are independent
 * (elementwise, row-wise along the last dimension, or rows computed apart, as computeFunction
 * found for these arguments) and each quantity is cut along its first dimension in step with the
 * input. A column (one number per line) is one vector: a row-wise function takes it whole, and its
 * Jacobian is one matrix; so is a per-channel weight (prelu's) laid along it.
 */
function streamsRows(o: FunctionOptions, r: FunctionResult, rows: number, width: number): boolean {
  if (r.structure !== 'elementwise' && r.structure !== 'rows' && !r.rowsApart) return false;
  if (width === 1 && (r.structure === 'rows' || r.rowsApart || o.jacobian)) return false;
  const vectorArg = Object.values(r.params).some((v) => v !== null && typeof v === 'object' && 'data' in v && v.data.length > 1);
  if (width === 1 && vectorArg) return false;
  // A loss's value is a piece's share of the batch's, and not shown (rowTarget).
  const shown = r.fn.kind === 'loss' ? [r.grad] : [r.value, r.grad, r.jacobian];
  return shown.every((t) => t === undefined || (t.shape.length >= 1 && t.shape[0] === rows));
}

/** Rows gathered for the whole input (when it does not stream), in a growing buffer. */
class Rows {
  data = new Float64Array(1 << 12);
  size = 0;

  add(row: Float64Array, length: number): void {
    if (this.size + length > this.data.length) {
      const bigger = new Float64Array(Math.max(this.data.length * 2, this.size + length));
      bigger.set(this.data.subarray(0, this.size));
      this.data = bigger;
    }
    for (let j = 0; j < length; j++) this.data[this.size + j] = row[j];
    this.size += length;
  }
}

/** Standard output for bytes, when the IO takes them. */
const bytesOf = (io: IO): ((bytes: Uint8Array) => void) | undefined => (io.stdoutBytes ? (b) => io.stdoutBytes!(b) : undefined);

/** The result of the whole input, written (or checked) at once. */
function finishWhole(o: FunctionOptions, input: Tensor, column: boolean, io: IO): number {
  const req = request(o, input);
  const result = computeFunction(req);
  const ro: RenderOptions = { ...o.output, column, bytes: bytesOf(io) };
  if (!o.check.expect && !o.check.gradcheck) {
    renderResult(result, ro, io.stdout);
    return 0;
  }
  const check = require('../check/run') as typeof import('../check/run');
  const rule = check.toleranceRule(o.check.rtol, o.check.atol);
  const output = {
    verdicts: (o.check.expect ?? []).map((text) => check.checkFunction(req, result, text, rule)),
    gradchecks: o.check.gradcheck ? check.gradcheckFunction(req, o.check.step) : [],
  };
  renderChecks(output, ro, io.stdout);
  return (require('../render/check') as typeof import('../render/check')).checkPassed(output) ? 0 : 1;
}

/**
 * Input read in pieces (standard input, @FILE), one row per line. The first full piece decides:
 * it streams (each piece computed and written as it comes) or the rows are gathered for the whole
 * input. A single line is the whole input in the full syntax (rows with ";", nested brackets).
 */
function runRead(o: FunctionOptions, io: IO, what: string, feed: (push: (text: string) => void, idle: () => void) => void): number {
  if (!mayStream(o)) {
    const reader = new RowReader(what);
    feed(
      (text) => reader.push(text),
      () => {},
    );
    const input = reader.end(NO_INPUT);
    return finishWhole(o, input, reader.rowWidth === 1 && input.shape.length === 1 && input.shape[0] > 1, io);
  }
  let width = -1;
  let pieceRows = 0;
  let piece = new Float64Array(0);
  let rows = 0; // rows in `piece`
  let mode: 'first' | 'stream' | 'gather' | 'past-target' = 'first';
  let gathered: Rows | undefined;
  let done = 0; // rows written so far
  let sink: ResultSink | undefined;

  const pieceInput = (): Tensor => {
    const data = piece.slice(0, rows * width);
    return width === 1 ? { shape: [rows], data } : { shape: [rows, width], data };
  };
  // A loss over rows: each piece takes the target's rows in step, within the batch of the
  // target's rows; `total`, the input's rows, when known to differ (the loss says what is wrong).
  const target = o.fn.kind === 'loss' ? rowTarget(o) : undefined;
  const targetRows = target?.shape[0] ?? 0;
  let pastTarget = 0; // rows read after the target's rows ran out
  let batch: BatchOfPiece | undefined; // one object for the pieces of the batch
  const pieceRequest = (total = targetRows): FunctionRequest => {
    const req = request(o, pieceInput());
    if (!target) return req;
    const per = target.data.length / targetRows;
    const [from, to] = [Math.min(done, targetRows), Math.min(done + rows, targetRows)];
    const part: Tensor = { shape: [to - from, ...target.shape.slice(1)], data: target.data.subarray(from * per, to * per) };
    if (batch?.shape[0] !== total) batch = { shape: [total, width], target };
    return { ...req, args: { ...o.args, target: part }, batch };
  };
  const gather = (): void => {
    gathered = new Rows();
    gathered.add(piece, rows * width);
    mode = 'gather';
  };
  /** A full piece: the first decides; then each is computed and written. */
  const flush = (): void => {
    // A column is one vector of class scores, not a batch of rows.
    if (mode === 'first' && target && width === 1) return gather();
    if (target && done + rows > targetRows) {
      pastTarget = rows;
      rows = 0;
      mode = 'past-target';
      return;
    }
    const r = computeFunction(pieceRequest());
    if (mode === 'first') {
      if (!streamsRows(o, r, rows, width)) return gather();
      const { fileSpool } = require('./spool') as typeof import('./spool');
      sink = functionSink({ ...o.output, spool: () => fileSpool(streamSettings.spoolMemoryBytes, streamSettings.spoolDirectory), bytes: bytesOf(io) }, io.stdout);
      sink.begin({ streamed: true, column: width === 1 });
      mode = 'stream';
    }
    sink!.chunk(r, done);
    done += rows;
    rows = 0;
  };
  const reader = new RowReader(what, (row, length) => {
    // A single line is parsed whole at the end (its rows come here too, before it has a row width).
    if (reader.rowWidth < 0) return;
    if (width < 0) {
      width = length;
      pieceRows = Math.max(1, Math.floor(streamSettings.numbersPerPiece / (o.jacobian ? width * width : width)));
      piece = new Float64Array(pieceRows * width);
    }
    if (mode === 'gather') return gathered!.add(row, length);
    if (mode === 'past-target') return void pastTarget++;
    // Copied number by number: a subarray view per row would cost an object per row.
    for (let j = 0, at = rows * width; j < length; j++) piece[at + j] = row[j];
    if (++rows === pieceRows) flush();
  });

  try {
    // When the input pauses (a pipe fed line by line), the rows so far are answered then, not
    // when a piece fills: `tail -f log | actgrad sigmoid` prints as the lines come.
    const idle = (): void => {
      if ((mode === 'first' || mode === 'stream') && rows > 0) flush();
    };
    feed((text) => reader.push(text), idle);
    const single = reader.end(NO_INPUT);
    if (reader.rowWidth < 0) return finishWhole(o, single, false, io);
    if (mode === 'first') return finishWhole(o, pieceInput(), width === 1, io);
    if (mode === 'gather') {
      const data = gathered!.data.slice(0, gathered!.size);
      const count = data.length / width;
      return finishWhole(o, width === 1 ? { shape: [count], data } : { shape: [count, width], data }, width === 1, io);
    }
    if (target && done + rows + pastTarget !== targetRows) {
      // The loss checks the target against the batch's rows, as for the whole input.
      computeFunction(pieceRequest(done + rows + pastTarget));
      throw new Error(`${o.fn.name}: the input has ${done + rows + pastTarget} rows, the target ${targetRows}`);
    }
    if (rows > 0) flush();
    sink!.end();
    return 0;
  } catch (e) {
    sink?.abort();
    throw e;
  }
}

/** Runs a function subcommand; returns the exit code (1 when a check failed). */
export function runFunction(o: FunctionOptions, io: IO): number {
  const { numbers } = o;
  if (numbers.length === 1 && numbers[0].startsWith('@')) {
    const path = numbers[0].slice(1);
    return runRead(o, io, `input file ${path}`, (push) => readFileChunks(path, 'input', io, push));
  }
  if (inputFromStdin(numbers, io)) {
    return runRead(o, io, 'standard input', (push, idle) => (io.readStdinChunks ? io.readStdinChunks(push, idle) : push(io.readStdin())));
  }
  return finishWhole(o, parseInputArgs(numbers), false, io);
}
