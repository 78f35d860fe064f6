/** Formatters for --expect verdicts and --gradcheck reports: table, plain, json, csv/tsv. */
import type { Verdict } from '../check/expect';
import { GRADCHECK_ATOL, GRADCHECK_RTOL, type GradcheckReport } from '../check/gradcheck';

// The tolerances as PyTorch documents them.
const TOLERANCES = `atol ${GRADCHECK_ATOL.toExponential()}, rtol ${GRADCHECK_RTOL.toExponential()}`;
import { delimitedText } from './delimited';
import { stringifyJson } from './json';
import { formatNumber, formatShort } from './numbers';

export interface CheckOutput {
  verdicts: Verdict[];
  gradchecks: GradcheckReport[];
}

const ruleText = (v: Verdict): string =>
  v.rule.kind === 'written' ? 'each within half a unit of its last written digit' : `within atol ${v.rule.atol} + rtol ${v.rule.rtol}·|expected|`;

export function verdictSummary(v: Verdict): string {
  const bad = v.numbers.filter((n) => !n.match).length;
  const total = v.numbers.length;
  return bad === 0
    ? `✓ ${total === 1 ? 'the number matches' : `all ${total} numbers match`} (${ruleText(v)})`
    : `✗ ${bad} of ${total} number${total === 1 ? '' : 's'} ${bad === 1 ? 'does' : 'do'} not match (${ruleText(v)})`;
}


export function gradcheckLines(r: GradcheckReport): string[] {
  const lines = [`gradcheck${r.subject ? ` with respect to ${r.subject}` : ''}: ${r.entries} Jacobian entr${r.entries === 1 ? 'y' : 'ies'} against central differences (step 1e-6·max(1, |x|))`];
  if (r.entries > 0) {
    lines.push(`  largest absolute error ${formatShort(r.maxAbs.error)} at ${r.maxAbs.at}`);
    lines.push(`  largest relative error ${formatShort(r.maxRel.error)} at ${r.maxRel.at}`);
  }
  for (const k of r.notDifferentiable) {
    lines.push(
      `  not differentiable at ${k.input} = ${formatNumber(k.x)} (${k.output}: left derivative ${formatShort(k.left)}, right ${formatShort(k.right)}); ` +
        `not counted — actgrad gives ${formatNumber(k.analytic)} there, PyTorch's convention`,
    );
  }
  lines.push(
    r.pass
      ? `✓ within PyTorch gradcheck's tolerances (${TOLERANCES})`
      : `✗ beyond PyTorch gradcheck's tolerances (${TOLERANCES}): ${r.failure!.at} is ${formatNumber(r.failure!.analytic)} analytically, ${formatNumber(r.failure!.numeric)} numerically`,
  );
  return lines;
}

const indexText = (index: number[]): string => (index.length ? index.join(',') : '-');

export function formatCheckPlain(c: CheckOutput, precision?: number): string {
  const lines: string[] = [];
  for (const v of c.verdicts) {
    if (c.verdicts.length > 1) lines.push(`# ${v.quantity}`);
    for (const n of v.numbers) {
      lines.push(`${indexText(n.index)} ${n.text} ${formatNumber(n.actual, precision)} ${formatShort(n.difference)} ${n.match ? 'ok' : 'MISMATCH'}`);
    }
    lines.push(verdictSummary(v));
    if (v.hint) lines.push(`hint: ${v.hint}`);
  }
  for (const g of c.gradchecks) lines.push(...gradcheckLines(g));
  return `${lines.join('\n')}\n`;
}

export function formatCheckJson(c: CheckOutput, precision?: number): string {
  const obj: Record<string, unknown> = {};
  if (c.verdicts.length) {
    obj.match = c.verdicts.every((v) => v.match);
    obj.checks = c.verdicts.map((v) => ({
      quantity: v.quantity,
      match: v.match,
      tolerance: v.rule.kind === 'written' ? 'written precision' : { rtol: v.rule.rtol, atol: v.rule.atol },
      numbers: v.numbers.map((n) => ({ index: n.index, expected: n.expected, written: n.text, actual: n.actual, difference: n.difference, tolerance: n.allowance, match: n.match })),
      hint: v.hint ?? null,
    }));
  }
  if (c.gradchecks.length) {
    const one = (r: GradcheckReport) => ({
      ...(r.subject ? { wrt: r.subject } : {}),
      pass: r.pass,
      entries: r.entries,
      atol: GRADCHECK_ATOL,
      rtol: GRADCHECK_RTOL,
      max_abs_error: r.maxAbs.error,
      max_abs_at: r.maxAbs.at,
      max_rel_error: r.maxRel.error,
      max_rel_at: r.maxRel.at,
      not_differentiable: r.notDifferentiable,
      ...(r.failure ? { failure: r.failure } : {}),
    });
    obj.gradcheck = c.gradchecks.length === 1 ? one(c.gradchecks[0]) : c.gradchecks.map(one);
  }
  return `${stringifyJson(obj, precision)}\n`;
}

export function formatCheckDelimited(c: CheckOutput, sep: ',' | '\t', precision?: number): string {
  const rows = [['quantity', 'index', 'expected', 'actual', 'difference', 'match']];
  for (const v of c.verdicts) {
    for (const n of v.numbers) rows.push([v.quantity, n.index.join(' '), n.text, formatNumber(n.actual, precision), formatNumber(n.difference), String(n.match)]);
  }
  const body = c.verdicts.length ? delimitedText(rows, sep) : '';
  return body + c.gradchecks.flatMap((g) => gradcheckLines(g)).map((l) => `# ${l}\n`).join('');
}

export function checkPassed(c: CheckOutput): boolean {
  return c.verdicts.every((v) => v.match) && c.gradchecks.every((g) => g.pass);
}
