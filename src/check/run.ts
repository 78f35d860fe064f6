/** Glue between the CLI and the checks: verdicts and gradcheck reports for both commands. */
import { computeFunction, type FunctionRequest as Request } from '../commands/function';
import { computeGrad, evaluateExpression, type GradRequest } from '../commands/grad';
import { ActgradError, UsageError } from '../errors';
import { bindingName, lazyRegExp, NAME_PATTERN } from '../parse/names';
import { parseNumbersWithText } from '../parse/numbers';
import { type FunctionResult as Result, type GradResult, lastQuantity, type Quantity } from '../result';
import { numel, type Tensor } from '../tensor';
import { compare, type Expected, findHint, genericCandidates, type Point, symmetryHint, type ToleranceRule, type Verdict } from './expect';
import { checkFormula, type FormulaProblem } from './formula';
import { gradcheck, type GradcheckReport } from './gradcheck';
import { functionAlternatives, functionCandidates } from './hints';

export function toleranceRule(rtol?: number, atol?: number): ToleranceRule {
  if (rtol === undefined && atol === undefined) return { kind: 'written' };
  return { kind: 'explicit', rtol: rtol ?? 0, atol: atol ?? 0 };
}

export function parseExpected(text: string, what = '--expect'): Expected {
  const { tensor, texts } = parseNumbersWithText(text, what);
  // A single number stands for a scalar quantity too.
  return { tensor: texts.length === 1 && !/[[\];,]/.test(text) ? { shape: [], data: tensor.data } : tensor, texts };
}

/** The contract's rule: an --expect value that does not read as numbers is a formula. */
export function isFormulaAnswer(text: string): boolean {
  try {
    parseNumbersWithText(text, '--expect');
    return false;
  } catch (e) {
    if (e instanceof ActgradError) return true;
    throw e;
  }
}

const QUANTITY_NAMES: Record<Quantity, string> = { value: 'value', grad: 'derivative', jvp: 'Jacobian-vector product', hvp: 'Hessian-vector product', jacobian: 'Jacobian', hessian: 'Hessian' };

/** Numbers checked with their written precision (and the mistake hints), for any quantity. */
function numbersVerdict(actual: Tensor, text: string, rule: ToleranceRule, quantity: string, what: string, candidates: () => ReturnType<typeof genericCandidates>, symmetric: boolean): Verdict {
  const verdict = compare(actual, parseExpected(text, what), rule, quantity);
  verdict.hint = (symmetric ? symmetryHint(verdict) : undefined) ?? findHint(verdict, candidates());
  return verdict;
}

// ---------------------------------------------------------------------------------------------
// Functions
// ---------------------------------------------------------------------------------------------

/**
 * A function request as a formula problem: the input is named x, tensor arguments (target,
 * weight) and numeric parameters (alpha) by their PyTorch names. x moves between points, and so
 * does a target of the input's shape; class indices and parameters stay.
 */
function functionProblem(req: Request, r: Result, q: Quantity): FormulaProblem {
  const at: Point = [['x', req.input]];
  const tensorArgs = new Set<string>();
  for (const [name, v] of Object.entries(r.params)) {
    if (v !== null && typeof v === 'object' && 'data' in v) {
      at.push([name, v]);
      tensorArgs.add(name);
    } else if (typeof v === 'number') at.push([name, { shape: [], data: Float64Array.of(v) }]);
  }
  const target = r.params.target;
  const moving = new Set(['x']);
  if (target && typeof target === 'object' && 'data' in target && numel(target.shape) === numel(req.input.shape)) moving.add('target');
  const requestAt = (p: Point): Request => {
    const args = { ...req.args };
    for (const [name, t] of p) if (tensorArgs.has(name) && moving.has(name)) args[name] = t;
    return { ...req, input: p.find(([n]) => n === 'x')![1], args };
  };
  return {
    at,
    moving,
    quantity: QUANTITY_NAMES[q],
    reference: (p) => computeFunction(requestAt(p))[q]!,
    alternatives: functionAlternatives(req, r, q, 'formula').map((a) => ({
      hint: a.hint,
      values: (p: Point) => {
        const rq = requestAt(p);
        return a.values(rq, computeFunction(rq));
      },
    })),
    sizes: r.fn.kind === 'loss' ? [] : [numel(req.input.shape)],
    symmetric: q === 'hessian',
  };
}

export function checkFunction(req: Request, r: Result, expectedText: string, rule: ToleranceRule): Verdict {
  const q = lastQuantity(r);
  if (isFormulaAnswer(expectedText)) {
    const verdict = checkFormula(functionProblem(req, r, q), expectedText, rule, '--expect');
    if (!verdict.match && q === 'hessian') verdict.hint ??= symmetryHint(verdict);
    return verdict;
  }
  return numbersVerdict(r[q]!, expectedText, rule, q, '--expect', () => functionCandidates(req, r, q), q === 'hessian');
}

function labeller(shape: number[], name: string): (k: number) => string {
  if (shape.length === 0) return () => name;
  const n = shape[shape.length - 1];
  return shape.length === 1 ? (k) => `${name}[${k}]` : (k) => `${name}[${Math.floor(k / n)},${k % n}]`;
}

/** The request without anything but the value (gradcheck recomputes the rest). */
const valueOnly = (req: Request): Request => ({ ...req, grad: false, jacobian: false, hessian: false, order: undefined, hvp: undefined, jvp: undefined, gradOutput: undefined });

/**
 * --gradcheck for a function: the Jacobian against central differences of the value; with
 * --order N (N ≥ 2) also f^(N) against differences of the exact f^(N−1), and with --hessian the
 * Hessian against differences of the exact gradient (PyTorch's gradgradcheck).
 */
export function gradcheckFunction(req: Request, step?: number): GradcheckReport[] {
  const base = valueOnly(req);
  // The size from the value, before the Jacobian is built (100,000 inputs would ask for 10^10 entries).
  const v = computeFunction(base);
  if (v.input.data.length * v.value.data.length > 4e6) {
    throw new UsageError(`--gradcheck compares every entry of the Jacobian; ${v.input.data.length} inputs × ${v.value.data.length} outputs is too many (at most 4,000,000)`);
  }
  const r = computeFunction({ ...base, jacobian: true });
  const shape = r.input.shape;
  const n = r.input.data.length;
  const at = (x: Float64Array): Request => ({ ...base, input: { shape, data: x } });
  const inputLabel = labeller(shape, 'x');
  const reports: GradcheckReport[] = [];
  // The dense Jacobian, rows = outputs, from the result's block layout.
  const dense = denseJacobian(r);
  reports.push(
    gradcheck({
      x: r.input.data,
      f: (x) => computeFunction(at(x)).value.data,
      analyticRow: (i) => dense.subarray(i * n, (i + 1) * n),
      outputLabel: labeller(r.value.shape, req.fn.kind === 'loss' ? 'loss' : 'y'),
      inputLabel,
      step,
    }),
  );
  if (req.order !== undefined && req.order >= 2) {
    const order = req.order;
    const top = computeFunction({ ...base, order }).grad!;
    const below = (x: Float64Array): Float64Array => computeFunction({ ...at(x), ...(order - 1 > 1 ? { order: order - 1 } : { grad: true }) }).grad!.data;
    // f^(N) of an elementwise function is diagonal: ∂f^(N−1)(x_i)/∂x_j = f^(N)(x_i) δ_ij.
    reports.push(
      gradcheck({
        x: r.input.data,
        f: below,
        analyticRow: (i) => Float64Array.from({ length: n }, (_, j) => (i === j ? top.data[i] : 0)),
        outputLabel: labeller(shape, order - 1 === 1 ? "f'" : `f^(${order - 1})`),
        inputLabel,
        step,
        order,
        entriesOf: order === 2 ? 'second derivative' : `derivative of order ${order}`,
      }),
    );
  }
  if (req.hessian) {
    // The scalar the Hessian is of: the loss, Σ grad_output ⊙ f(x), or Σ f(x); its exact gradient is --grad's.
    const H = computeFunction({ ...base, hessian: true, gradOutput: req.gradOutput }).hessian!;
    const gradient = (x: Float64Array): Float64Array => computeFunction({ ...at(x), grad: true, gradOutput: req.gradOutput }).grad!.data;
    reports.push(
      gradcheck({
        x: r.input.data,
        f: gradient,
        analyticRow: (i) => H.data.subarray(i * n, (i + 1) * n),
        outputLabel: (i) => `(∂s/∂${inputLabel(i)})`,
        inputLabel,
        step,
        order: 2,
        entriesOf: 'Hessian',
      }),
    );
  }
  return reports;
}

/** The Jacobian of a function result as a dense [outputs, inputs] matrix (blocks of a batch spread out). */
function denseJacobian(r: Result): Float64Array {
  const J = r.jacobian!;
  const m = r.value.data.length;
  const n = r.input.data.length;
  const dense = m === 1 || (J.shape.length === 2 && J.shape[0] === m && J.shape[1] === n);
  if (dense) return J.data;
  const out = new Float64Array(m * n);
  const width = r.input.shape[r.input.shape.length - 1] ?? 1;
  const rows = n / width;
  const k = m / rows;
  for (let b = 0; b < rows; b++) for (let i = 0; i < k; i++) for (let j = 0; j < width; j++) out[(b * k + i) * n + b * width + j] = J.data[(b * k + i) * width + j];
  return out;
}

// ---------------------------------------------------------------------------------------------
// grad
// ---------------------------------------------------------------------------------------------

/** `name=answer` (never `==`): the name, then the answer. */
const NAME = lazyRegExp(`^\\s*(${NAME_PATTERN})\\s*=(?!=)(.*)$`, 'su');

/**
 * Verdicts for `grad`: --expect value=…, name=… per gradient (or Jacobian), hessian=… and hvp=…;
 * a bare answer is the last requested quantity (the Hessian, else the one gradient shown).
 * Each answer is numbers or a formula.
 */
export function checkGrad(req: GradRequest, r: GradResult, expects: string[], rule: ToleranceRule): Verdict[] {
  const shown = new Map<string, Tensor>(r.jacobians ?? r.grads ?? []);
  const extra = new Map<string, Tensor>();
  if (r.hessian) extra.set('hessian', r.hessian.matrix);
  if (r.hvp) extra.set('hvp', r.hvp);
  return expects.map((text) => {
    const m = NAME().exec(text);
    let name: string;
    let answer: string;
    if (m) {
      [, name, answer] = m;
      name = bindingName(name)!;
      // A bound name that is also a quantity's name (value=3 bound, then --expect value=6): either
      // reading could be meant, and numbers and formulas once read it differently.
      if ((name === 'value' || extra.has(name)) && shown.has(name)) {
        throw new UsageError(`--expect ${name}=…: ${name} is both a bound name and the ${name === 'value' ? "formula's value" : name}; rename the binding (e.g. ${name}_=…)`);
      }
    } else if (r.hvp || r.hessian) {
      name = r.hvp ? 'hvp' : 'hessian';
      answer = text;
    } else if (shown.size === 1) {
      [name] = [...shown.keys()];
      answer = text;
    } else if (shown.size === 0) {
      // --no-grad: the value is the last (the only) requested quantity.
      name = 'value';
      answer = text;
    } else {
      throw new UsageError(`--expect "${text}": say which quantity, e.g. --expect value=1 --expect ${[...shown.keys()][0] ?? 'x'}=2`);
    }
    const actual = name === 'value' && !shown.has('value') ? r.value : (shown.get(name) ?? extra.get(name));
    if (!actual) throw new UsageError(`--expect ${name}=…: no such quantity; choose ${['value', ...shown.keys(), ...extra.keys()].join(', ')}`);
    const quantity =
      name === 'value' ? 'value' : name === 'hessian' ? 'Hessian' : name === 'hvp' ? 'Hessian-vector product' : `${r.jacobians ? 'Jacobian' : 'gradient'} with respect to ${name}`;
    const what = `--expect ${name}`;
    if (isFormulaAnswer(answer)) {
      const verdict = checkFormula(gradProblem(req, r, name, quantity), answer, rule, what);
      if (!verdict.match && name === 'hessian') verdict.hint ??= symmetryHint(verdict);
      return verdict;
    }
    return numbersVerdict(actual, answer, rule, quantity, what, () => genericCandidates(actual), name === 'hessian');
  });
}

/** A grad request as a formula problem: every bound name moves but those PyTorch does not differentiate (class indices). */
function gradProblem(req: GradRequest, r: GradResult, name: string, quantity: string): FormulaProblem {
  const fixed = new Set((r.noGradient ?? []).map(([n]) => n));
  const reference = (at: Point): Tensor => {
    if (name === 'value') return evaluateExpression(req.expression, at);
    const g = computeGrad({ ...req, bindings: at, wrt: r.wrt, steps: false });
    if (name === 'hessian') return g.hessian!.matrix;
    if (name === 'hvp') return g.hvp!;
    return new Map(g.jacobians ?? g.grads ?? []).get(name)!;
  };
  return {
    at: r.at,
    moving: new Set(r.at.map(([n]) => n).filter((n) => !fixed.has(n))),
    quantity,
    reference,
    sizes: r.at.map(([, t]) => numel(t.shape)),
    symmetric: name === 'hessian',
  };
}

/** The names gradcheck compares, each with its Jacobian; with --hessian also the Hessian against differences of the exact gradient. */
export function gradcheckGrad(r: GradResult, bindings: [string, Tensor][], step?: number): GradcheckReport[] {
  const wrt = (r.grads ?? r.jacobians)?.map(([n]) => n) ?? r.wrt;
  const withJacobian = computeGrad({ expression: r.expression, bindings, wrt, jacobian: true });
  const reports = withJacobian.jacobians!.map(([name, J]) => {
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
      step,
    });
    return { ...report, subject: name };
  });
  if (r.hessian) {
    // gradgradcheck: the exact gradient over the flattened --wrt names, differenced.
    const names = r.hessian.wrt;
    const sizes = names.map((n) => bindings.find(([b]) => b === n)![1].data.length);
    const flat = Float64Array.from(names.flatMap((n) => Array.from(bindings.find(([b]) => b === n)![1].data)));
    const unflatten = (data: Float64Array): [string, Tensor][] => {
      let offset = 0;
      const values = new Map(
        names.map((n, i) => {
          const t = bindings.find(([b]) => b === n)![1];
          const part = { shape: t.shape, data: data.slice(offset, offset + sizes[i]) };
          offset += sizes[i];
          return [n, part] as const;
        }),
      );
      return bindings.map(([n, t]) => [n, values.get(n) ?? t]);
    };
    const H = r.hessian.matrix;
    const count = flat.length;
    const variables = r.hessian.variables;
    reports.push({
      ...gradcheck({
        x: flat,
        f: (data) => {
          const g = computeGrad({ expression: r.expression, bindings: unflatten(data), wrt: names, gradOutput: r.gradOutput });
          return Float64Array.from(g.grads!.flatMap(([, t]) => Array.from(t.data)));
        },
        analyticRow: (i) => H.data.subarray(i * count, (i + 1) * count),
        outputLabel: (i) => `(∂f/∂${variables[i]})`,
        inputLabel: (j) => variables[j],
        step,
        order: 2,
        entriesOf: 'Hessian',
      }),
      subject: names.join(', '),
    });
  }
  return reports;
}
