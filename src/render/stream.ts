/**
 * Streaming renderers: a function's result given in pieces, cut along the first dimension of its
 * input (the rows of a batch, or the numbers of a column), and written as the pieces come, so that
 * memory does not grow with the input. plain, csv, tsv and json implement it; the whole result is
 * the case of one piece (`renderResult` goes through the same sinks), so the two paths cannot
 * disagree.
 *
 * A sink is used as: begin(meta) → chunk(result, rowOffset) for each piece in order → end(), or
 * abort() after an error (which releases what was spooled and writes nothing more).
 */
import type { FunctionResult } from '../result';
import type { Format } from './index';
import type { WriteBytes } from './stream-text';

export interface StreamMeta {
  /**
   * true: pieces follow one another along the input's first dimension, and every quantity of a
   * piece is cut along its own first dimension in step (values, derivatives, a batch's Jacobians).
   * false: one piece, the whole result.
   */
  streamed: boolean;
  /** The input is a column (one number per line): plain output keeps it one. */
  column: boolean;
}

export interface ResultSink {
  begin(meta: StreamMeta): void;
  /** The result for the input's rows [rowOffset, rowOffset + rows of this piece). */
  chunk(r: FunctionResult, rowOffset: number): void;
  end(): void;
  abort(): void;
}

/**
 * Where a sink keeps numbers that are written only at the end (json's "value" comes after the
 * whole "input"). The default keeps them in memory; the CLI gives one that moves to a temporary
 * file past a size, so that memory stays bounded.
 */
export interface NumberSpool {
  append(data: Float64Array): void;
  /** The numbers in the order appended, in pieces of any size. */
  drain(onPiece: (data: Float64Array) => void): void;
  /** Frees the spool (its file, if any); called once, after drain or on abort. */
  release(): void;
}

export type SpoolFactory = () => NumberSpool;

/** A spool in memory: the pieces themselves (each piece's arrays are its own). */
export function memorySpool(): NumberSpool {
  let pieces: Float64Array[] = [];
  return {
    append: (data) => void pieces.push(data),
    drain: (onPiece) => pieces.forEach((p) => onPiece(p)),
    release: () => void (pieces = []),
  };
}

export const STREAM_FORMATS: readonly Format[] = ['plain', 'csv', 'tsv', 'json'];

export interface SinkOptions {
  format: Format;
  /** significant digits; undefined = shortest round-trip */
  precision?: number;
  /** json: where numbers wait for the end (default: memory) */
  spool?: SpoolFactory;
  /** where the bytes of the output may go instead of text (the CLI's stdout) */
  bytes?: WriteBytes;
}

/** The streaming renderer of a format (plain, csv, tsv or json). */
export function functionSink(o: SinkOptions, write: (text: string) => void): ResultSink {
  switch (o.format) {
    case 'plain':
      return new (require('./plain') as typeof import('./plain')).PlainSink(o.precision, write, o.bytes);
    case 'csv':
    case 'tsv':
      return new (require('./delimited') as typeof import('./delimited')).DelimitedSink(o.format === 'csv' ? ',' : '\t', o.precision, write, o.bytes);
    case 'json':
      return new (require('./json') as typeof import('./json')).JsonSink(o.precision, write, o.spool ?? memorySpool, o.bytes);
    default:
      throw new Error(`${o.format} has no streaming renderer`);
  }
}

/** A whole result through a streaming renderer: one piece. */
export function renderWhole(r: FunctionResult, o: SinkOptions & { column?: boolean }, write: (text: string) => void): void {
  const sink = functionSink(o, write);
  sink.begin({ streamed: false, column: Boolean(o.column) });
  try {
    sink.chunk(r, 0);
    sink.end();
  } catch (e) {
    sink.abort();
    throw e;
  }
}
