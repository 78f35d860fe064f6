/**
 * --gradcheck: the analytic Jacobian against central finite differences, entry by entry, with
 * PyTorch gradcheck's tolerances (|analytic − numeric| ≤ atol + rtol·|numeric|, atol 1e-5,
 * rtol 1e-3). Where the left and right differences disagree the function has a kink or a jump
 * there: that entry is reported as not differentiable instead of failing.
 */

export const GRADCHECK_ATOL = 1e-5;
export const GRADCHECK_RTOL = 1e-3;
/** Step for input x: 1e-6 scaled to the input's magnitude. */
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

export interface GradcheckReport {
  /** what was differentiated with respect to, when there are several reports ("W") */
  subject?: string;
  pass: boolean;
  entries: number;
  maxAbs: WorstEntry;
  maxRel: WorstEntry;
  /** the worst entry beyond the tolerance, when the check fails */
  failure?: WorstEntry;
  notDifferentiable: Kink[];
}

export interface GradcheckProblem {
  x: Float64Array;
  /** the function of the flattened input, flattened output */
  f(x: Float64Array): Float64Array;
  /** analytic ∂y_i/∂x_j, row i = output i */
  analyticRow(i: number): Float64Array;
  outputLabel(i: number): string;
  inputLabel(j: number): string;
}

const tolerance = (numeric: number): number => GRADCHECK_ATOL + GRADCHECK_RTOL * Math.abs(numeric);

export function gradcheck(p: GradcheckProblem): GradcheckReport {
  const f0 = p.f(p.x);
  const m = f0.length;
  const n = p.x.length;
  const rows = Array.from({ length: m }, (_, i) => p.analyticRow(i));
  const empty = (): WorstEntry => ({ error: 0, at: '', analytic: 0, numeric: 0 });
  const report: GradcheckReport = { pass: true, entries: 0, maxAbs: empty(), maxRel: empty(), notDifferentiable: [] };
  let worstExcess = 0;
  for (let j = 0; j < n; j++) {
    const h = stepFor(p.x[j]);
    const shifted = (delta: number): Float64Array => {
      const x = p.x.slice();
      x[j] += delta;
      return p.f(x);
    };
    const plus = shifted(h);
    const minus = shifted(-h);
    for (let i = 0; i < m; i++) {
      const analytic = rows[i][j];
      const numeric = (plus[i] - minus[i]) / (2 * h);
      const left = (f0[i] - minus[i]) / h;
      const right = (plus[i] - f0[i]) / h;
      const at = `∂${p.outputLabel(i)}/∂${p.inputLabel(j)}`;
      if (!Number.isFinite(numeric) || !Number.isFinite(analytic)) continue;
      if (Math.abs(left - right) > tolerance(Math.max(Math.abs(left), Math.abs(right)))) {
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
