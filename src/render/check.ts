/** Formatters for --expect verdicts and --gradcheck reports: plain, json, csv/tsv, and the sentences every format shares. */
import type { Point, Verdict } from '../check/expect';
import { GRADCHECK_ATOL, GRADCHECK_RTOL, type GradcheckReport } from '../check/gradcheck';
import { asciiText } from './ascii';
import { delimitedText } from './delimited';
import { formatNumber, formatShort } from './format';
import { stringifyJson } from './json';
import { inline } from './steps';

// The tolerances as PyTorch documents them.
const TOLERANCES = `atol ${GRADCHECK_ATOL.toExponential()}, rtol ${GRADCHECK_RTOL.toExponential()}`;

export interface CheckOutput {
  verdicts: Verdict[];
  gradchecks: GradcheckReport[];
}

const ruleText = (v: Verdict): string =>
  v.rule.kind === 'written' ? 'each within half a unit of its last written digit' : `within atol ${v.rule.atol} + rtol ${v.rule.rtol}·|expected|`;

/** A point of a formula check: `x = 0.41, y = 1`. */
export function pointText(at: Point, precision?: number): string {
  return at.map(([n, t]) => `${n} = ${inline(t, precision ?? 10)}`).join(', ');
}

const indexText = (index: number[]): string => (index.length ? `[${index.join(',')}]` : '');

/** The one-line verdict on a formula answer. */
function formulaSummary(v: Verdict, precision?: number): string {
  const f = v.formula!;
  const tolerance = `rtol ${formatShort(f.rtol)}, atol ${formatShort(f.atol)}`;
  if (!f.differs) {
    return `✓ the formula agrees with the ${v.quantity} at ${f.points === 1 ? 'the given point' : `all ${f.points} points (the given one and ${f.points - 1} around it)`}; ${tolerance}`;
  }
  const d = f.differs;
  const where = `${pointText(d.at, precision)}${d.index.some((i) => i > 0) || d.index.length > 1 ? `, element ${indexText(d.index)}` : ''}`;
  if (d.raised) return `✗ the formula cannot be evaluated at ${where}: ${d.raised}`;
  return `✗ the formula differs from the ${v.quantity} at ${where}: the formula gives ${formatNumber(d.formula, precision)}, the ${v.quantity} is ${formatNumber(d.actual, precision)} (${f.points} points checked; ${tolerance})`;
}

export function verdictSummary(v: Verdict, precision?: number): string {
  if (v.formula) return formulaSummary(v, precision);
  const bad = v.numbers.filter((n) => !n.match).length;
  const total = v.numbers.length;
  return bad === 0
    ? `✓ ${total === 1 ? 'the number matches' : `all ${total} numbers match`} (${ruleText(v)})`
    : `✗ ${bad} of ${total} number${total === 1 ? '' : 's'} ${bad === 1 ? 'does' : 'do'} not match (${ruleText(v)})`;
}

const stepText = (r: GradcheckReport): string => (r.step !== undefined ? `step ${formatShort(r.step)}` : 'step 1e-6·max(1, |x|)');

/** The first line of a gradcheck report: what was compared with what. */
export function gradcheckHeading(r: GradcheckReport): string {
  const subject = r.subject ? ` with respect to ${r.subject}` : '';
  const entries = `${r.entries} ${r.entriesOf} entr${r.entries === 1 ? 'y' : 'ies'}`;
  if (r.order === 1) return `gradcheck${subject}: ${entries} against central differences (${stepText(r)})`;
  const below = r.entriesOf === 'Hessian' ? 'the exact gradient' : r.order === 2 ? 'the exact first derivative' : `the exact derivative of order ${r.order - 1}`;
  return `gradgradcheck${subject}: ${entries} against central differences of ${below} (${stepText(r)})`;
}

/** The report's lines after the heading, without the verdict. */
export function gradcheckDetails(r: GradcheckReport): string[] {
  const lines: string[] = [];
  if (r.entries > 0) {
    lines.push(`largest absolute error ${formatShort(r.maxAbs.error)} at ${r.maxAbs.at}`);
    lines.push(`largest relative error ${formatShort(r.maxRel.error)} at ${r.maxRel.at}`);
  }
  for (const k of r.notDifferentiable) {
    lines.push(
      `not differentiable at ${k.input} = ${formatNumber(k.x)} (${k.output}: left derivative ${formatShort(k.left)}, right ${formatShort(k.right)}); ` +
        `not counted — actgrad gives ${formatNumber(k.analytic)} there, PyTorch's convention`,
    );
  }
  for (const e of r.nonFinite) {
    lines.push(
      e.fails
        ? `${e.at} is ${formatNumber(e.analytic)} analytically but ${formatNumber(e.numeric)} numerically`
        : `not compared: ${e.at} is ${formatNumber(e.analytic)} analytically and ${formatNumber(e.numeric)} numerically (the function is not finite next to this point)`,
    );
  }
  return lines;
}

export function gradcheckVerdict(r: GradcheckReport): string {
  const name = r.order === 1 ? 'gradcheck' : 'gradgradcheck';
  return r.pass
    ? `✓ within PyTorch ${name}'s tolerances (${TOLERANCES})`
    : `✗ beyond PyTorch ${name}'s tolerances (${TOLERANCES}): ${r.failure!.at} is ${formatNumber(r.failure!.analytic)} analytically, ${formatNumber(r.failure!.numeric)} numerically`;
}

/** Estimates shown with --step: at most `limit` entries, the rest counted. */
export function estimateRows(r: GradcheckReport, limit: number): { rows: NonNullable<GradcheckReport['estimates']>; more: number } {
  const all = r.estimates ?? [];
  return { rows: all.slice(0, limit), more: Math.max(0, all.length - limit) };
}

export function gradcheckLines(r: GradcheckReport, limit = 40): string[] {
  const lines = [gradcheckHeading(r), ...gradcheckDetails(r).map((l) => `  ${l}`)];
  if (r.estimates) {
    const { rows, more } = estimateRows(r, limit);
    lines.push('  entry: analytic, numerical estimate');
    for (const e of rows) lines.push(`    ${e.at}: ${formatNumber(e.analytic)}, ${formatNumber(e.numeric)}`);
    if (more) lines.push(`    … ${more} more (--format json lists them all)`);
  }
  lines.push(gradcheckVerdict(r));
  return lines;
}

export function formatCheckPlain(c: CheckOutput, precision?: number): string {
  const lines: string[] = [];
  for (const v of c.verdicts) {
    if (c.verdicts.length > 1) lines.push(`# ${v.quantity}`);
    if (!v.formula) {
      for (const n of v.numbers) {
        lines.push(`${n.index.length ? n.index.join(',') : '-'} ${n.text} ${formatNumber(n.actual, precision)} ${formatShort(n.difference)} ${n.match ? 'ok' : 'MISMATCH'}`);
      }
    }
    lines.push(verdictSummary(v, precision));
    if (v.hint) lines.push(`hint: ${v.hint}`);
  }
  for (const g of c.gradchecks) lines.push(...gradcheckLines(g));
  return `${lines.join('\n')}\n`;
}

const pointJson = (at: Point): Record<string, unknown> => Object.fromEntries(at.map(([n, t]) => [n, t.shape.length === 0 ? t.data[0] : Array.from(t.data)]));

export function formatCheckJson(c: CheckOutput, precision?: number): string {
  return `${stringifyJson(checkJsonObject(c), precision)}\n`;
}

/** The verdicts as JSON's object: match and checks for --expect, gradcheck for --gradcheck. */
export function checkJsonObject(c: CheckOutput): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  if (c.verdicts.length) {
    obj.match = c.verdicts.every((v) => v.match);
    obj.checks = c.verdicts.map((v) => {
      if (v.formula) {
        const f = v.formula;
        return {
          quantity: v.quantity,
          match: v.match,
          formula: f.text,
          points: f.points,
          tolerance: { rtol: f.rtol, atol: f.atol },
          differs: f.differs
            ? { at: pointJson(f.differs.at), index: f.differs.index, formula: f.differs.formula, actual: f.differs.actual, ...(f.differs.raised ? { raised: f.differs.raised } : {}) }
            : null,
          hint: v.hint ?? null,
        };
      }
      return {
        quantity: v.quantity,
        match: v.match,
        tolerance: v.rule.kind === 'written' ? 'written precision' : { rtol: v.rule.rtol, atol: v.rule.atol },
        numbers: v.numbers.map((n) => ({ index: n.index, expected: n.expected, written: n.text, actual: n.actual, difference: n.difference, tolerance: n.allowance, match: n.match })),
        hint: v.hint ?? null,
      };
    });
  }
  if (c.gradchecks.length) {
    const one = (r: GradcheckReport) => ({
      ...(r.subject ? { wrt: r.subject } : {}),
      order: r.order,
      pass: r.pass,
      entries: r.entries,
      atol: GRADCHECK_ATOL,
      rtol: GRADCHECK_RTOL,
      max_abs_error: r.maxAbs.error,
      max_abs_at: r.maxAbs.at,
      max_rel_error: r.maxRel.error,
      max_rel_at: r.maxRel.at,
      not_differentiable: r.notDifferentiable,
      not_finite: r.nonFinite,
      ...(r.failure ? { failure: r.failure } : {}),
      ...(r.step !== undefined ? { step: r.step, estimates: r.estimates!.map((e) => ({ at: e.at, analytic: e.analytic, numeric: e.numeric })) } : {}),
    });
    obj.gradcheck = c.gradchecks.length === 1 ? one(c.gradchecks[0]) : c.gradchecks.map(one);
  }
  return obj;
}

export function formatCheckDelimited(c: CheckOutput, sep: ',' | '\t', precision?: number): string {
  const rows = [['quantity', 'index', 'expected', 'actual', 'difference', 'match']];
  for (const v of c.verdicts) {
    for (const n of v.numbers) rows.push([v.quantity, n.index.join(' '), v.formula ? v.formula.text : n.text, formatNumber(n.actual, precision), formatNumber(n.difference), String(n.match)]);
  }
  const body = c.verdicts.length ? delimitedText(rows, sep) : '';
  const notes = [...c.verdicts.filter((v) => v.formula).map((v) => verdictSummary(v, precision)), ...c.gradchecks.flatMap((g) => gradcheckLines(g, Infinity))];
  // The notes in ASCII, as the header is: a csv or tsv file may be read in any encoding.
  return body + notes.map((l) => `# ${asciiText(l)}\n`).join('');
}

export function checkPassed(c: CheckOutput): boolean {
  return c.verdicts.every((v) => v.match) && c.gradchecks.every((g) => g.pass);
}
