/** `actgrad grad`: options → bindings → computeGrad → checks or one renderer. */
import { UsageError } from '../errors';
import { bindingName } from '../parse/names';
import { type RenderOptions, renderChecks, renderResult, renderSteps } from '../render/index';
import type { Tensor } from '../tensor';
import { type IO, numbersArg, writeOutputFile } from './io';
import { type CheckOptions, checkOptions, type OutputOptions, outputOptions, type Raw } from './options';

export interface GradOptions {
  command: 'grad';
  expression: string;
  bindings: [string, Tensor][];
  wrt?: string[];
  jacobian: boolean;
  gradOutput?: Tensor;
  noGrad: boolean;
  hessian: boolean;
  hvp?: Tensor;
  symbolic: boolean;
  steps: boolean;
  graph?: string;
  output: OutputOptions;
  check: CheckOptions;
}


/** "w=0.5,-1" → ["w", tensor]; a bare number is a scalar, brackets or separators make a vector; @FILE reads a file. */
export function parseBinding(text: string, io: IO): [string, Tensor] {
  const eq = text.indexOf('=');
  if (eq < 0) throw new UsageError(`"${text}" is not a binding: write name=value, e.g. x=1 or w="0.5 -1"`);
  const written = text.slice(0, eq).trim();
  const name = bindingName(written);
  if (name === undefined) throw new UsageError(`"${written}" is not a name for a binding: use letters, digits and _, starting with a letter`);
  return [name, numbersArg(text.slice(eq + 1), name, io)];
}

export function gradOptions(expression: string, bindingTexts: string[], raw: Raw, io: IO): GradOptions {
  const text = (key: string): string | undefined => (typeof raw[key] === 'string' ? (raw[key] as string) : undefined);
  const wrtText = text('wrt');
  const o: GradOptions = {
    command: 'grad',
    expression: expression.replace(/^\u2212/, '-'),
    bindings: bindingTexts.map((b) => parseBinding(b, io)),
    wrt: wrtText === undefined ? undefined : wrtText.split(',').map((w) => w.trim()).filter(Boolean).map((w) => bindingName(w) ?? w),
    jacobian: Boolean(raw.jacobian),
    gradOutput: text('gradOutput') === undefined ? undefined : numbersArg(text('gradOutput')!, '--grad-output', io),
    // commander's --no-grad sets grad to false.
    noGrad: raw.grad === false,
    hessian: Boolean(raw.hessian),
    hvp: text('hvp') === undefined ? undefined : numbersArg(text('hvp')!, '--hvp', io),
    symbolic: Boolean(raw.symbolic),
    steps: Boolean(raw.steps),
    graph: text('graph'),
    output: outputOptions(raw, io),
    check: checkOptions(raw, 'grad', io),
  };
  if (o.wrt !== undefined && o.wrt.length === 0) throw new UsageError('--wrt names no binding; give some of the bound names, comma-separated');
  const seen = new Set<string>();
  for (const [name] of o.bindings) {
    if (seen.has(name)) throw new UsageError(`${name} is bound twice`);
    seen.add(name);
  }
  if (o.noGrad && (o.jacobian || o.hessian || o.hvp || o.gradOutput || o.steps || o.symbolic || o.check.gradcheck)) {
    throw new UsageError('--no-grad asks for the value alone; it cannot be combined with a derivative option');
  }
  if (o.steps && (o.hessian || o.hvp || o.jacobian)) throw new UsageError('--steps works out a first-order gradient; it cannot be combined with --jacobian, --hessian or --hvp');
  return o;
}

export function runGrad(o: GradOptions, io: IO): number {
  const { computeGrad } = require('../commands/grad') as typeof import('../commands/grad');
  if (o.symbolic && (o.steps || o.check.expect !== undefined || o.check.gradcheck)) {
    throw new UsageError(`--symbolic prints the derivatives as formulas; it cannot be combined with ${o.steps ? '--steps' : o.check.gradcheck ? '--gradcheck' : '--expect'} (run them separately)`);
  }
  const request = {
    expression: o.expression,
    bindings: o.bindings,
    wrt: o.wrt,
    jacobian: o.jacobian,
    gradOutput: o.gradOutput,
    noGrad: o.noGrad,
    hessian: o.hessian,
    hvp: o.hvp,
    steps: o.steps || o.graph !== undefined,
  };
  const result: import('../result').GradResult = computeGrad(request);
  if (o.symbolic) {
    const { symbolicGradients } = require('../symbolic') as typeof import('../symbolic');
    result.symbolic = symbolicGradients(o.expression, o.bindings, result.wrt);
  }
  const ro: RenderOptions = { ...o.output };
  if (o.graph !== undefined) {
    const { formatDot } = require('../render/steps') as typeof import('../render/steps');
    writeOutputFile(o.graph, formatDot(result.steps!, o.output.precision), '--graph');
  }
  let checks: import('../render/check').CheckOutput | undefined;
  if (o.check.expect !== undefined || o.check.gradcheck) {
    const check = require('../check/run') as typeof import('../check/run');
    const rule = check.toleranceRule(o.check.rtol, o.check.atol);
    checks = {
      verdicts: o.check.expect === undefined ? [] : check.checkGrad(request, result, o.check.expect, rule),
      gradchecks: o.check.gradcheck ? check.gradcheckGrad(result, o.bindings, o.check.step) : [],
    };
  }
  // With --steps the verdicts follow the steps (in JSON, inside the same object); without, the
  // verdicts are the output, as for every check.
  if (o.steps) renderSteps(result, ro, io.stdout, checks);
  else if (checks) renderChecks(checks, ro, io.stdout);
  else renderResult(result, ro, io.stdout);
  const exitCode = checks && !(require('../render/check') as typeof import('../render/check')).checkPassed(checks) ? 1 : 0;
  return exitCode;
}
