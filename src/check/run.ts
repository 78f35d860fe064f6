/** Glue between the CLI and the checks: verdicts and gradcheck reports for both commands. */
import { apply } from '../functions/apply';
import { compute, lastQuantity, type Request, type Result } from '../compute';
import { UsageError } from '../errors';
import { computeGrad, evaluateExpression, type GradResult } from '../grad';
import { parseNumbersWithText, parseNumberToken } from '../parse/numbers';
import type { Tensor } from '../tensor';
import { compare, type Expected, findHint, genericCandidates, type ToleranceRule, type Verdict } from './expect';
import { gradcheck, type GradcheckReport } from './gradcheck';
import { functionCandidates } from './hints';

export function toleranceRule(rtol?: string, atol?: string): ToleranceRule {
  if (rtol === undefined && atol === undefined) return { kind: 'written' };
  const read = (text: string | undefined, flag: string): number => {
    if (text === undefined) return 0;
    const v = parseNumberToken(text);
    if (v === undefined || !(v >= 0)) throw new UsageError(`${flag} takes a number ≥ 0, not "${text}"`);
    return v;
  };
  return { kind: 'explicit', rtol: read(rtol, '--rtol'), atol: read(atol, '--atol') };
}

export function parseExpected(text: string, what = '--expect'): Expected {
  const { tensor, texts } = parseNumbersWithText(text, what);
  // A single number stands for a scalar quantity too.
  return { tensor: texts.length === 1 && !/[[\];,]/.test(text) ? { shape: [], data: tensor.data } : tensor, texts };
}

export function checkFunction(req: Request, r: Result, expectedText: string, rule: ToleranceRule): Verdict {
  const q = lastQuantity(r);
  const verdict = compare(r[q]!, parseExpected(expectedText), rule, q);
  verdict.hint = findHint(verdict, functionCandidates(req, r, q));
  return verdict;
}

function labeller(shape: number[], name: string): (k: number) => string {
  if (shape.length === 0) return () => name;
  const n = shape[shape.length - 1];
  return shape.length === 1 ? (k) => `${name}[${k}]` : (k) => `${name}[${Math.floor(k / n)},${k % n}]`;
}

export function gradcheckFunction(req: Request): GradcheckReport {
  const r = compute({ ...req, grad: false, jacobian: false });
  if (r.input.data.length * r.value.data.length > 4e6) {
    throw new UsageError(`--gradcheck compares every entry of the Jacobian; ${r.input.data.length} inputs × ${r.value.data.length} outputs is too many (at most 4,000,000)`);
  }
  const shape = r.input.shape;
  const run = (x: Float64Array): Tensor => apply(req.fn, { shape, data: x }, req.params, r.target).output;
  const applied = apply(req.fn, r.input, req.params, r.target);
  const out = applied.output;
  return gradcheck({
    x: r.input.data,
    f: (x) => run(x).data,
    analyticRow: (i) => {
      const dy = new Float64Array(out.data.length);
      dy[i] = 1;
      return applied.vjp({ shape: out.shape, data: dy }).data;
    },
    outputLabel: labeller(out.shape, req.fn.kind === 'loss' ? 'loss' : 'y'),
    inputLabel: labeller(shape, 'x'),
  });
}

/** Verdicts for `grad`: --expect value=… and name=… (a bare list when exactly one gradient is shown). */
export function checkGrad(r: GradResult, expects: string[], rule: ToleranceRule): Verdict[] {
  const shown = new Map<string, Tensor>(r.jacobians ?? r.grads ?? []);
  return expects.map((text) => {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/s.exec(text);
    let name: string;
    let numbers: string;
    if (m) {
      [, name, numbers] = m;
    } else if (shown.size === 1) {
      [name] = [...shown.keys()];
      numbers = text;
    } else {
      throw new UsageError(`--expect "${text}": say which quantity, e.g. --expect value=1 --expect ${[...shown.keys()][0] ?? 'x'}=2`);
    }
    const actual = name === 'value' && !shown.has('value') ? r.value : shown.get(name);
    if (!actual) throw new UsageError(`--expect ${name}=…: no such quantity; choose value or one of ${[...shown.keys()].join(', ')}`);
    const verdict = compare(actual, parseExpected(numbers, `--expect ${name}`), rule, name === 'value' ? 'value' : `${r.jacobians ? 'Jacobian' : 'gradient'} with respect to ${name}`);
    verdict.hint = findHint(verdict, genericCandidates(actual));
    return verdict;
  });
}

export function gradcheckGrad(r: GradResult, bindings: [string, Tensor][]): GradcheckReport[] {
  const withJacobian = computeGrad({ expression: r.expression, bindings, wrt: (r.grads ?? r.jacobians)!.map(([n]) => n), jacobian: true });
  return withJacobian.jacobians!.map(([name, J]) => {
    const k = bindings.findIndex(([n]) => n === name);
    const x = bindings[k][1];
    const outN = r.value.data.length;
    const report = gradcheck({
      x: x.data,
      f: (data) => {
        const copy = bindings.map(([n, t], i): [string, Tensor] => [n, i === k ? { shape: t.shape, data } : t]);
        return evaluateExpression(r.expression, copy).data;
      },
      analyticRow: (i) => J.data.subarray(i * x.data.length, (i + 1) * x.data.length),
      outputLabel: labeller(outN === 1 && r.value.shape.length === 0 ? [] : r.value.shape, 'f'),
      inputLabel: labeller(x.shape, name),
    });
    return { ...report, subject: name };
  });
}
