/**
 * --gradcheck: the analytic Jacobian against central finite differences, entry by entry, with
 * PyTorch gradcheck's tolerances (|analytic − numeric| ≤ atol + rtol·|numeric|, atol 1e-5,
 * rtol 1e-3). Where the left and right differences disagree the function has a kink or a jump
 * there: that entry is reported as not differentiable instead of failing. Every entry is
 * accounted for: one whose numbers are not finite is listed, never skipped in silence.
 *
 * The same check one order up is PyTorch's gradgradcheck: the "function" is then the exact
 * gradient and its "Jacobian" the Hessian (or f^(N) against differences of f^(N−1)).
 */

export const GRADCHECK_ATOL = 1e-5;
export const GRADCHECK_RTOL = 1e-3;
/** Step for input x: 1e-6 scaled to the input's magnitude (unless --step/--eps sets it). */
export const stepFor = (x: number): number => 1e-6 * Math.max(1, Math.abs(x));

export interface WorstEntry {
  error: number;
  at: string;
  analytic: number;
  numeric: number;
}

export interface Kink {
  input: string;
  x: number;
  output: string;
  left: number;
  right: number;
  analytic: number;
}

/** An entry whose analytic or numerical value is not a finite number. */
export interface NonFinite {
  at: string;
  analytic: number;
  numeric: number;
  /** Failing: the analytic value is not finite where the function's differences are. */
  fails: boolean;
}

export interface GradcheckReport {
  /** what was differentiated with respect to, when there are several reports ("W") */
  subject?: string;
  /** 1: the Jacobian (gradcheck); 2 and up: the derivative of that order against differences of the one below (gradgradcheck) */
  order: number;
  /** what the entries are: "Jacobian", "Hessian", "second derivative" */
  entriesOf: string;
  pass: boolean;
  entries: number;
  maxAbs: WorstEntry;
  maxRel: WorstEntry;
  /** the worst entry beyond the tolerance, when the check fails */
  failure?: WorstEntry;
  notDifferentiable: Kink[];
  nonFinite: NonFinite[];
  /** the step given with --step/--eps (else 1e-6·max(1, |x|) per input) */
  step?: number;
  /** every entry's analytic and numerical value, when a step was given */
  estimates?: WorstEntry[];
}

export interface GradcheckProblem {
  x: Float64Array;
  /** the function of the flattened input, flattened output */
  f(x: Float64Array): Float64Array;
  /** analytic ∂y_i/∂x_j, row i = output i */
  analyticRow(i: number): Float64Array;
  outputLabel(i: number): string;
  inputLabel(j: number): string;
  /** a fixed step for every input (PyTorch's eps) */
  step?: number;
  order?: number;
  entriesOf?: string;
}

const tolerance = (numeric: number): number => GRADCHECK_ATOL + GRADCHECK_RTOL * Math.abs(numeric);

export function gradcheck(p: GradcheckProblem): GradcheckReport {
  const f0 = p.f(p.x);
  const m = f0.length;
  const n = p.x.length;
  const rows = Array.from({ length: m }, (_, i) => p.analyticRow(i));
  const empty = (): WorstEntry => ({ error: 0, at: '', analytic: 0, numeric: 0 });
  const report: GradcheckReport = {
    order: p.order ?? 1,
    entriesOf: p.entriesOf ?? 'Jacobian',
    pass: true,
    entries: 0,
    maxAbs: empty(),
    maxRel: empty(),
    notDifferentiable: [],
    nonFinite: [],
    ...(p.step !== undefined ? { step: p.step, estimates: [] } : {}),
  };
  let worstExcess = 0;
  for (let j = 0; j < n; j++) {
    const h = p.step ?? stepFor(p.x[j]);
    const shifted = (delta: number): Float64Array => {
      const x = p.x.slice();
      x[j] += delta;
      return p.f(x);
    };
    const plus = shifted(h);
    const minus = shifted(-h);
    // A kink makes the one-sided differences differ by the jump whatever the step; curvature by
    // h·f'' only, which a larger --step makes visible: a tenth of the step tells them apart.
    let closer: [Float64Array, Float64Array] | undefined;
    const kink = (i: number, left: number, right: number): boolean => {
      if (Math.abs(left - right) <= tolerance(Math.max(Math.abs(left), Math.abs(right)))) return false;
      closer ??= [shifted(h / 10), shifted(-h / 10)];
      const [p2, m2] = closer;
      const gap = Math.abs((f0[i] - m2[i]) / (h / 10) - (p2[i] - f0[i]) / (h / 10));
      return !(gap < 0.5 * Math.abs(left - right));
    };
    for (let i = 0; i < m; i++) {
      const analytic = rows[i][j];
      const numeric = (plus[i] - minus[i]) / (2 * h);
      const left = (f0[i] - minus[i]) / h;
      const right = (plus[i] - f0[i]) / h;
      const at = `∂${p.outputLabel(i)}/∂${p.inputLabel(j)}`;
      report.estimates?.push({ error: Math.abs(analytic - numeric), at, analytic, numeric });
      if (!Number.isFinite(numeric) || !Number.isFinite(analytic)) {
        // A non-finite analytic value where the differences are finite is a wrong derivative;
        // where the function itself is not finite around x, nothing can be compared.
        const fails = Number.isFinite(numeric) && !Number.isFinite(analytic);
        report.nonFinite.push({ at, analytic, numeric, fails });
        if (fails) {
          report.pass = false;
          if (!report.failure || Number.isFinite(worstExcess)) {
            worstExcess = Infinity;
            report.failure = { error: Infinity, at, analytic, numeric };
          }
        }
        continue;
      }
      if (kink(i, left, right)) {
        report.notDifferentiable.push({ input: p.inputLabel(j), x: p.x[j], output: p.outputLabel(i), left, right, analytic });
        continue;
      }
      report.entries++;
      const abs = Math.abs(analytic - numeric);
      const rel = numeric === 0 ? abs : abs / Math.abs(numeric);
      if (abs >= report.maxAbs.error) report.maxAbs = { error: abs, at, analytic, numeric };
      if (rel >= report.maxRel.error) report.maxRel = { error: rel, at, analytic, numeric };
      const excess = abs - tolerance(numeric);
      if (excess > 0) {
        report.pass = false;
        if (excess > worstExcess) {
          worstExcess = excess;
          report.failure = { error: abs, at, analytic, numeric };
        }
      }
    }
  }
  return report;
}
