/**
 * A function subcommand: options → input → computeFunction → checks → one renderer. Standard
 * input in plain, csv or tsv streams: rows are computed in chunks, through the same
 * computeFunction, as they arrive, for functions whose rows are independent.
 */
import { computeFunction, type FunctionRequest } from '../commands/function';
import { parseInputArgs } from '../parse/numbers';
import { RowReader } from '../parse/rows';
import { type RenderOptions, renderChecks, renderResult } from '../render/index';
import type { Tensor } from '../tensor';
import { type IO, inputFromStdin, NO_INPUT, numbersArg, readFileArg } from './io';
import type { FunctionOptions } from './options';

/** Rows computed together when streaming. */
const CHUNK_ROWS = 4096;

function request(o: FunctionOptions, input: Tensor): FunctionRequest {
  return { fn: o.fn, input, args: o.args, grad: o.grad, gradOutput: o.gradOutput, order: o.order, jacobian: o.jacobian, hessian: o.hessian, hvp: o.hvp, jvp: o.jvp };
}

/** Can this run stream standard input? Rows independent, nothing that needs the whole input at once. */
function streamable(o: FunctionOptions): boolean {
  const alongRows = o.args.dim === undefined || o.args.dim === -1;
  const independentRows = o.fn.structure === 'elementwise' || (o.fn.structure === 'rows' && o.fn.kind !== 'loss' && alongRows);
  const wholeInput = o.jacobian || o.hessian || o.hvp || o.jvp || o.gradOutput || o.check.expect || o.check.gradcheck;
  return independentRows && !wholeInput && ['plain', 'csv', 'tsv'].includes(o.output.format);
}

/**
 * Standard input, chunk by chunk: each CHUNK_ROWS rows are computed and written as they arrive
 * (csv/tsv write their header once). The output is what the whole-input path prints.
 */
function streamStdin(o: FunctionOptions, ro: RenderOptions, io: IO): void {
  let buffer = new Float64Array(0);
  let rows = 0;
  let width = -1;
  let done = 0; // rows written so far
  const sep = ro.format === 'csv' ? ',' : '\t';
  const flush = (final: boolean): void => {
    if (rows === 0) return;
    const data = buffer.slice(0, rows * width);
    const column = width === 1 && done + rows > 1;
    const single = final && done === 0 && rows === 1;
    const input: Tensor = column || single ? { shape: [rows * width], data } : { shape: [rows, width], data };
    const result = computeFunction(request(o, input));
    if (ro.format === 'plain') {
      renderResult(result, { ...ro, column }, io.stdout);
    } else {
      // csv/tsv: the header once, and row indices that continue across chunks.
      let text = '';
      renderResult(result, ro, (s) => (text += s));
      const lines = text.split('\n').filter((l) => l !== '');
      const body = lines.slice(1).map((l) => {
        const cut = l.indexOf(sep);
        return `${Number(l.slice(0, cut)) + done}${l.slice(cut)}`;
      });
      io.stdout(`${done === 0 ? `${lines[0]}\n` : ''}${body.join('\n')}\n`);
    }
    done += rows;
    rows = 0;
  };
  const reader = new RowReader('standard input', (row, length) => {
    if (width < 0) {
      width = length;
      buffer = new Float64Array(CHUNK_ROWS * width);
    }
    buffer.set(row.subarray(0, length), rows * width);
    if (++rows === CHUNK_ROWS) flush(false);
  });
  if (io.readStdinChunks) io.readStdinChunks((chunk) => reader.push(chunk));
  else reader.push(io.readStdin());
  reader.end(NO_INPUT);
  flush(true);
}

/** The input tensor and whether it was a column (one number per line on standard input or in @FILE). */
function readInput(o: FunctionOptions, io: IO): { input: Tensor; column: boolean } {
  const { numbers } = o;
  if (numbers.length === 1 && numbers[0].startsWith('@')) return { input: numbersArg(numbers[0], 'input', io), column: false };
  if (!inputFromStdin(numbers, io)) return { input: parseInputArgs(numbers), column: false };
  const reader = new RowReader('standard input');
  if (io.readStdinChunks) io.readStdinChunks((chunk) => reader.push(chunk));
  else reader.push(io.readStdin());
  const input = reader.end(NO_INPUT);
  return { input, column: reader.rowWidth === 1 && input.shape.length === 1 && input.shape[0] > 1 };
}

/** --expect values with @FILE (`@y.txt`, `w=@w.txt`) read from the file, as everywhere numbers are taken. */
export function expectTexts(texts: readonly string[], io: IO): string[] {
  return texts.map((text) => {
    const m = /^(\s*[A-Za-z_][A-Za-z0-9_]*\s*=)?\s*@(.+)$/s.exec(text);
    return m ? `${m[1] ?? ''}${readFileArg(m[2], '--expect', io).trim()}` : text;
  });
}

/** Runs a function subcommand; returns the exit code (1 when a check failed). */
export function runFunction(o: FunctionOptions, io: IO): number {
  const ro: RenderOptions = { ...o.output };
  if (streamable(o) && inputFromStdin(o.numbers, io)) {
    streamStdin(o, ro, io);
    return 0;
  }
  const { input, column } = readInput(o, io);
  const req = request(o, input);
  const result = computeFunction(req);
  if (!o.check.expect && !o.check.gradcheck) {
    renderResult(result, { ...ro, column }, io.stdout);
    return 0;
  }
  const check = require('../check/run') as typeof import('../check/run');
  const rule = check.toleranceRule(o.check.rtol, o.check.atol);
  const output = {
    verdicts: expectTexts(o.check.expect ?? [], io).map((text) => check.checkFunction(req, result, text, rule)),
    gradchecks: o.check.gradcheck ? check.gradcheckFunction(req, o.check.step) : [],
  };
  renderChecks(output, ro, io.stdout);
  return (require('../render/check') as typeof import('../render/check')).checkPassed(output) ? 0 : 1;
}
