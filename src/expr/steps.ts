/**
 * The worked solution of a backward pass (`actgrad grad --steps`): the forward pass operation by
 * operation (one step per operation of the source: an operator, a call, an index), then the
 * backward pass in reverse order with each step's upstream gradient, its local derivative and
 * what it passes to each input. A step is named by its statement (`h = …`) or t1, t2, ….
 *
 * Local derivatives and contributions come from running the step's one operation again on
 * detached copies of its inputs, so a call that is several primitive ops inside (a loss, a
 * layer) is still one step, and the numbers are the engine's own.
 */
import { numel, type Tensor } from '../tensor';
import { leaf, type Var, withGradMode } from '../autograd/var';
import { derivativeOps, elementwiseOps, engineOps } from './engine';
import type { Evaluation, Operation } from './evaluate';

export type LocalDerivative =
  | { kind: 'scalar'; value: number }
  | { kind: 'diagonal'; value: Float64Array }
  | { kind: 'matrix'; rows: number; cols: number; value: Float64Array };

export interface Pass {
  input: string;
  /** How the contribution is formed, in names: "∂L/∂t1 · x". */
  rule: string;
  local?: LocalDerivative;
  contribution: Tensor;
}

export interface Step {
  node: string;
  expression: string;
  /** The operation on named inputs: "t1 + b", "softmax(a)", "t2[1]"; 'input' for a bound name. */
  op: string;
  inputs: string[];
  value: Tensor;
  grad?: Tensor;
  passes: Pass[];
}

export interface Steps {
  forward: Step[];
  /** Steps with a gradient, in reverse evaluation order. */
  backward: Step[];
  /** Each asked-for name's gradient as the sum of its parts, one per use. */
  gradients: { name: string; parts: { from: string; value: Tensor }[]; total: Tensor }[];
}

/** Local derivatives are computed entry by entry only up to this size. */
const MAX_LOCAL_ENTRIES = 4096;

export interface StepsRequest {
  evaluation: Evaluation;
  root: Var;
  /** ∂L/∂root (ones for a scalar L). */
  seed: Tensor;
  /** Bound names in binding order, with their leaves. */
  leaves: readonly (readonly [string, Var])[];
  /** The names whose gradients are asked for: only steps on paths that reach them are shown. */
  wrt: readonly string[];
  /** The gradients of the wrt names, as computed for the result. */
  totals: ReadonlyMap<string, Tensor>;
}

/** How a contribution's Jacobian looks: one number, a diagonal, or a full matrix. */
function classify(J: Float64Array, rows: number, cols: number): LocalDerivative {
  if (rows === 1 && cols === 1) return { kind: 'scalar', value: J[0] };
  if (rows === cols && rows > 1) {
    let diagonal = true;
    for (let i = 0; i < rows && diagonal; i++) for (let j = 0; j < cols; j++) if (i !== j && J[i * cols + j] !== 0) diagonal = false;
    if (diagonal) return { kind: 'diagonal', value: Float64Array.from({ length: rows }, (_, i) => J[i * cols + i]) };
  }
  return { kind: 'matrix', rows, cols, value: J };
}

const zerosOf = (shape: readonly number[]): Tensor => ({ shape: shape.slice(), data: new Float64Array(numel(shape)) });

/** The steps of an evaluation whose result is `root`, for the gradient seeded with `seed`. */
export function buildSteps(req: StepsRequest): Steps {
  const { evaluation, root, seed, leaves, wrt } = req;
  const { grad, topologicalOrder } = engineOps();
  const { constant } = elementwiseOps();

  const inGraph = new Set(topologicalOrder([root]));
  const operations = evaluation.operations.filter((o) => inGraph.has(o.output));

  // Names: bound names, then statement names (made unique), then t1, t2, … for the rest.
  const names = new Map<Var, string>();
  const taken = new Set<string>();
  for (const [name, v] of leaves) {
    names.set(v, name);
    taken.add(name);
  }
  const unique = (base: string): string => {
    let n = base;
    while (taken.has(n)) n += "'";
    taken.add(n);
    return n;
  };
  for (const o of operations) {
    const statement = evaluation.statementNames.get(o.output);
    if (statement !== undefined) names.set(o.output, unique(statement));
  }
  let t = 0;
  for (const o of operations) {
    if (names.has(o.output)) continue;
    let name: string;
    do name = `t${++t}`;
    while (taken.has(name));
    taken.add(name);
    names.set(o.output, name);
  }
  const nameOf = (input: { var: Var; text: string }): string => names.get(input.var) ?? input.text;

  // ∂L/∂(each step's output), from one backward pass over the graph.
  const outputs = operations.map((o) => o.output);
  const upstream = new Map<Var, Tensor>();
  grad([root], [constant(seed)], outputs).forEach((g, i) => upstream.set(outputs[i], g ? g.value : zerosOf(outputs[i].shape)));

  // Vars whose value depends on an asked-for name: only their steps and passes are shown.
  const wanted = new Set(leaves.filter(([n]) => wrt.includes(n)).map(([, v]) => v));
  const reaches = new Set<Var>();
  for (const v of topologicalOrder([root])) if (wanted.has(v) || v.node?.inputs.some((u) => reaches.has(u))) reaches.add(v);

  const stepOf = (o: Operation): Step => {
    const inputNames = o.inputs.map(nameOf);
    return {
      node: names.get(o.output)!,
      expression: evaluation.source.slice(o.node.span[0], o.node.span[1]),
      op: o.text(inputNames),
      inputs: inputNames,
      value: o.output.value,
      grad: upstream.get(o.output),
      passes: [],
    };
  };
  const steps = new Map(operations.map((o) => [o, stepOf(o)] as const));

  const backward: Step[] = [];
  for (let k = operations.length - 1; k >= 0; k--) {
    const o = operations[k];
    if (!reaches.has(o.output)) continue;
    const step = steps.get(o)!;
    const G = step.grad!;
    // The operation again, on leaf copies of its inputs: its contributions and local Jacobians.
    const copies = o.inputs.map((i) => leaf(i.var.value, undefined, true));
    const y = withGradMode(true, () => o.rerun(copies));
    const contributions = grad([y], [constant(G)], copies);
    o.inputs.forEach((input, i) => {
      if (!reaches.has(input.var) || !contributions[i]) return;
      const rows = numel(y.shape);
      const cols = numel(input.var.shape);
      const local = rows * cols <= MAX_LOCAL_ENTRIES ? classify(derivativeOps().jacobian([y], [copies[i]]), rows, cols) : undefined;
      step.passes.push({
        input: step.inputs[i],
        rule: o.rule(`∂L/∂${step.node}`, step.inputs, i),
        local,
        contribution: contributions[i]!.value,
      });
    });
    backward.push(step);
  }

  const used = leaves.filter(([, v]) => inGraph.has(v));
  const inputSteps: Step[] = used.map(([name, v]) => ({
    node: name,
    expression: name,
    op: 'input',
    inputs: [],
    value: v.value,
    grad: req.totals.get(name),
    passes: [],
  }));
  const gradients = wrt.map((name) => ({
    name,
    parts: backward.flatMap((s) => s.passes.filter((p) => p.input === name).map((p) => ({ from: s.node, value: p.contribution }))),
    total: req.totals.get(name) ?? zerosOf(leaves.find(([n]) => n === name)![1].shape),
  }));
  return { forward: [...inputSteps, ...operations.map((o) => steps.get(o)!)], backward, gradients };
}
