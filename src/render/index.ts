/**
 * The one place a format is chosen: each result goes to the renderer of the format asked for,
 * and a combination a renderer cannot show is refused here, never dropped. Renderers are loaded
 * only when used (cli-table3 and chalk cost start-up time that plain and json runs skip).
 */
import { UsageError } from '../errors';
import type { Descriptor } from '../functions/types';
import type { FunctionResult, GradResult, Result } from '../result';
import type { CheckOutput } from './check';

export const FORMATS = ['table', 'plain', 'json', 'csv', 'tsv', 'latex', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

export interface RenderOptions {
  format: Format;
  /** significant digits; undefined = the format's default */
  precision?: number;
  color: boolean;
  /** table rows shown (Infinity: all) */
  rows: number;
  /** the terminal's width (Infinity when not a terminal) */
  width: number;
  unicode: boolean;
  /** the input was a column (one number per line): plain output keeps it one */
  column?: boolean;
  /** where large outputs may write their UTF-8 bytes instead of text (the CLI's stdout) */
  bytes?: (bytes: Uint8Array) => void;
}

type Write = (text: string) => void;

const sep = (f: Format): ',' | '\t' => (f === 'csv' ? ',' : '\t');

function refuse(what: string, format: Format, instead: string): never {
  throw new UsageError(`${what} has no ${format} form; use --format ${instead}`);
}

/** --symbolic's lines for table and plain: `∂f/∂x = …`. */
const symbolicLines = (r: GradResult): string => r.symbolic!.map(([n, f]) => `∂f/∂${n} = ${f}\n`).join('');

const stream = (): typeof import('./stream') => require('./stream') as typeof import('./stream');

const latexOptions = (o: RenderOptions) => ({ precision: o.precision, rows: o.rows });

/** A function's or a formula's result in the chosen format. */
export function renderResult(r: Result, o: RenderOptions, write: Write): void {
  const symbolic = r.kind === 'grad' && r.symbolic !== undefined;
  switch (o.format) {
    case 'json': {
      // A function's result goes through the streaming renderer, as one piece.
      if (r.kind === 'function') return stream().renderWhole(r, o, write);
      const json = require('./json') as typeof import('./json');
      write(`${json.stringifyJson(json.gradObject(r), o.precision)}\n`);
      return;
    }
    case 'plain': {
      // --symbolic asks for the formulas: they are the last requested quantity.
      if (symbolic) write(symbolicLines(r as GradResult));
      else if (r.kind === 'function') stream().renderWhole(r, o, write);
      else write((require('./plain') as typeof import('./plain')).gradPlain(r, o.precision));
      return;
    }
    case 'csv':
    case 'tsv': {
      if (symbolic) refuse('--symbolic', o.format, 'table, plain, json, latex or markdown');
      if (r.kind === 'function') return stream().renderWhole(r, o, write);
      const d = require('./delimited') as typeof import('./delimited');
      write(d.gradDelimited(r, sep(o.format), o.precision));
      return;
    }
    case 'table':
    case 'markdown': {
      const t = require('./table') as typeof import('./table');
      const { heading, grids } = t.resultGrids(r as FunctionResult | GradResult);
      if (o.format === 'table') t.writeTables(heading, grids, o, write, o.bytes);
      else write(t.markdownTables(heading, grids, o.precision));
      if (symbolic) {
        if (o.format === 'table') write(`\nsymbolic derivatives\n${o.unicode ? symbolicLines(r as GradResult) : (require('./ascii') as typeof import('./ascii')).asciiText(symbolicLines(r as GradResult))}`);
        else write(`\n${(require('./markdown-text') as typeof import('./markdown-text')).symbolicMarkdown(r as GradResult)}`);
      }
      return;
    }
    case 'latex': {
      const latex = require('./latex') as typeof import('./latex');
      write(r.kind === 'function' ? latex.functionLatex(r, latexOptions(o)) : latex.gradLatex(r, latexOptions(o)));
      return;
    }
  }
}

/** --expect verdicts and --gradcheck reports. */
export function renderChecks(c: CheckOutput, o: RenderOptions, write: Write): void {
  const check = require('./check') as typeof import('./check');
  switch (o.format) {
    case 'json':
      return write(check.formatCheckJson(c, o.precision));
    case 'plain':
      return write(check.formatCheckPlain(c, o.precision));
    case 'csv':
    case 'tsv':
      return write(check.formatCheckDelimited(c, sep(o.format), o.precision));
    case 'table':
      return write((require('./check-table') as typeof import('./check-table')).formatCheckTable(c, o));
    case 'markdown':
      return write((require('./markdown-text') as typeof import('./markdown-text')).checksMarkdown(c, o.precision, o.rows));
    case 'latex':
      return write((require('./latex') as typeof import('./latex')).checksLatex(c, latexOptions(o)));
  }
}

/** The worked solution of `grad --steps` (with the result it explains, in JSON). */
/**
 * The steps of a gradient, then the verdicts of its checks when there are some: in JSON one
 * object (the gradient, its steps, and the check's match/checks/gradcheck), in the other formats
 * the steps, a blank line and the verdicts as renderChecks writes them.
 */
export function renderSteps(r: GradResult, o: RenderOptions, write: Write, checks?: CheckOutput): void {
  const steps = require('./steps') as typeof import('./steps');
  if (o.format === 'json') {
    const json = require('./json') as typeof import('./json');
    const verdicts = checks ? (require('./check') as typeof import('./check')).checkJsonObject(checks) : {};
    return write(`${json.stringifyJson({ ...json.gradObject(r), steps: steps.stepsJson(r.steps!), ...verdicts }, o.precision)}\n`);
  }
  writeSteps(r, o, write, steps);
  if (checks) {
    write('\n');
    renderChecks(checks, o, write);
  }
}

function writeSteps(r: GradResult, o: RenderOptions, write: Write, steps: typeof import('./steps')): void {
  switch (o.format) {
    case 'plain':
      return write(steps.formatStepsPlain(r.steps!, o.precision));
    case 'table':
      return write((require('./steps-table') as typeof import('./steps-table')).formatStepsTable(r.steps!, o));
    case 'markdown':
      return write((require('./markdown-text') as typeof import('./markdown-text')).stepsMarkdown(r.steps!, o.precision));
    case 'latex':
      return write((require('./latex') as typeof import('./latex')).stepsLatex(r.steps!, latexOptions(o)));
    default:
      return refuse('--steps', o.format, 'table, plain, json, markdown or latex');
  }
}

/**
 * `explain` in a format: its own text for table and plain, the formulas as LaTeX, a Markdown
 * table, or the JSON of its entry in `list`.
 */
export function renderExplain(d: Descriptor, o: Pick<RenderOptions, 'format'>, write: Write): void {
  switch (o.format) {
    case 'table':
    case 'plain':
      return write((require('../commands/explain') as typeof import('../commands/explain')).explainText(d));
    case 'latex':
      return write((require('./latex') as typeof import('./latex')).explainLatex(d));
    case 'markdown':
      return write((require('./markdown-text') as typeof import('./markdown-text')).explainMarkdown(d));
    case 'json': {
      const { listObject } = require('../commands/explain') as typeof import('../commands/explain');
      const json = require('./json') as typeof import('./json');
      return write(`${json.stringifyJson((listObject() as { name: string }[]).find((x) => x.name === d.name))}\n`);
    }
    default:
      return refuse('explain', o.format, 'table, plain, json, latex or markdown');
  }
}

/** `list` as a Markdown table (the README's); its text and JSON forms are the list command's own. */
export function renderList(o: Pick<RenderOptions, 'format'>, write: Write): void {
  if (o.format === 'markdown') return write((require('./markdown-text') as typeof import('./markdown-text')).listMarkdown());
  return refuse('list', o.format, 'markdown or --json (or no --format for the text)');
}
