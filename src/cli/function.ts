/** The action of a function subcommand: from parsed options to output (or a verdict). */
import { compute, lastQuantity } from '../compute';
import { writePlain } from '../output/plain';
import type { Descriptor } from '../functions/types';
import {
  type CheckOptions,
  checkRule,
  chooseFormat,
  colorAllowed,
  numbersArg,
  type CommonOptions,
  type IO,
  parsePrecision,
  readInput,
  renderResult,
  reportChecks,
  resolveParams,
  type RunState,
} from './common';

export function runFunction(d: Descriptor, numbers: string[], opts: CommonOptions & CheckOptions & Record<string, unknown>, io: IO, state: RunState): void {
  const format = chooseFormat(opts, io);
  const precision = parsePrecision(opts.precision);
  const rule = checkRule(opts);
  const display = { color: colorAllowed(opts, io), precision };
  const params = resolveParams(d, opts);
  const plainStream =
    d.kind === 'elementwise' && format === 'plain' && !opts.jacobian && !opts.gradOutput && rule === undefined && !opts.gradcheck;
  if (plainStream) {
    // Elementwise functions stream standard input: each chunk is computed and written as it arrives.
    const { streamElementwise } = require('./stream') as typeof import('./stream');
    if (streamElementwise(d, params, numbers, Boolean(opts.grad), precision, io)) return;
  }
  const request = {
    fn: d,
    input: readInput(numbers, io),
    params,
    target: opts.target === undefined ? undefined : numbersArg(opts.target, '--target'),
    grad: Boolean(opts.grad),
    jacobian: Boolean(opts.jacobian),
    gradOutput: opts.gradOutput === undefined ? undefined : numbersArg(opts.gradOutput, '--grad-output'),
  };
  const result = compute(request);
  if (rule === undefined && !opts.gradcheck) {
    if (format === 'plain') writePlain(result[lastQuantity(result)]!, precision, io.stdout);
    else io.stdout(renderResult(result, format, display));
    return;
  }
  const check = require('../check/run') as typeof import('../check/run');
  reportChecks(
    {
      verdicts: opts.expect === undefined ? [] : [check.checkFunction(request, result, opts.expect as string, rule!)],
      gradchecks: opts.gradcheck ? [check.gradcheckFunction(request)] : [],
    },
    format,
    display,
    io,
    state,
  );
}
