/** `actgrad plot`: a function and its derivative as a terminal chart, or as SVG (a file or standard output). */
import { UsageError } from '../errors';
import { bindArgs } from '../functions/args';
import type { Descriptor } from '../functions/types';
import { parseScalar } from '../parse/numbers';
import { colorEnabled, supportsUnicode } from '../render/terminal';
import { type IO, numbersArg, writeOutputFile } from './io';
import { functionArgs, intFlag, type Raw } from './options';

export function runPlot(fn: Descriptor, opts: Raw, io: IO): void {
  if (fn.kind === 'call') throw new UsageError(`${fn.name} takes several tensors, so it has no curve in one x; differentiate it in a formula instead (actgrad ${fn.example})`);
  const { curveOf, defaultRange } = require('../plot/sample') as typeof import('../plot/sample');
  const text = (key: string): string | undefined => (typeof opts[key] === 'string' ? (opts[key] as string) : undefined);
  const [defFrom, defTo] = defaultRange(fn);
  const from = text('from') === undefined ? defFrom : parseScalar(text('from')!, '--from');
  const to = text('to') === undefined ? defTo : parseScalar(text('to')!, '--to');
  if (!(Number.isFinite(from) && Number.isFinite(to) && from < to)) throw new UsageError(`--from must be less than --to, both finite (got ${from} and ${to})`);
  // The plotted function's parameters, read as for a run of the function (the target is fixed apart).
  const given = functionArgs(fn, opts, io);
  delete given.target;
  const target = text('target') === undefined ? undefined : numbersArg(text('target')!, '--target', io);
  const curve = curveOf(fn, given, target);
  // The parameters checked once, as a run of the function checks them, before any sampling.
  const probe = { shape: [fn.kind === 'elementwise' ? 1 : 2], data: new Float64Array(fn.kind === 'elementwise' ? 1 : 2) };
  bindArgs(fn, { ...given, input: probe, ...(target ? { target: { shape: [probe.shape[0]], data: new Float64Array(probe.shape[0]).fill(target.data[0]) } } : {}) });
  const shownParams = Object.entries(given)
    .map(([k, v]) => `${k}=${typeof v === 'object' && v !== null && 'data' in v ? `[${Array.from(v.data).join(', ')}]` : v}`)
    .join(', ');
  const color = colorEnabled({ flag: opts.color === false ? 'never' : ((text('color') as 'auto' | 'always' | 'never' | undefined) ?? 'auto'), isTTY: io.stdoutIsTTY, env: io.env });
  const svgPath = text('svg');
  if (svgPath !== undefined) {
    const { svgChart } = require('../plot/svg') as typeof import('../plot/svg');
    const points = text('points') === undefined ? 400 : intFlag(text('points')!, '--points', 10, 100000);
    const width = text('width') === undefined ? undefined : intFlag(text('width')!, '--width', 100, 10000);
    const height = text('height') === undefined ? undefined : intFlag(text('height')!, '--height', 100, 10000);
    const chart = svgChart(curve, from, to, { points, width, height, title: `${curve.label} and its derivative on [${from}, ${to}]`, params: shownParams });
    const status = `wrote ${svgPath === '-' ? 'the SVG to standard output' : svgPath}: ${curve.label} and ${curve.derivativeLabel} on [${from}, ${to}], ${points} samples each\n`;
    if (svgPath === '-') {
      io.stdout(chart.svg);
    } else {
      if (!/\.svg$/i.test(svgPath)) io.stderr(`actgrad: warning: --svg ${svgPath} does not end in .svg; writing SVG to it anyway\n`);
      writeOutputFile(svgPath, chart.svg, '--svg');
    }
    // Status lines go to standard error, so that the SVG on standard output stays clean.
    io.stderr(status);
    return;
  }
  const { terminalChart } = require('../plot/terminal') as typeof import('../plot/terminal');
  const width = text('width') === undefined ? (io.stdoutIsTTY && io.columns ? io.columns : 80) : intFlag(text('width')!, '--width', 30, 1000);
  const height = text('height') === undefined ? 20 : intFlag(text('height')!, '--height', 5, 200);
  io.stdout(terminalChart(curve, from, to, { width, height, color, params: shownParams, unicode: supportsUnicode(io.env) }).text);
}
