/**
 * The worked solution of a backward pass (`actgrad grad --steps`): the forward pass node by node,
 * then the backward pass in reverse order with each node's upstream gradient, its local
 * derivative and what it passes to each input.
 */
import { numel, type Tensor } from '../tensor';
import { topologicalOrder, type Var } from './graph';

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
  /** The operation on named inputs: "t1 + b", "softmax(a)", "t2[1]". */
  op: string;
  inputs: string[];
  value: Tensor;
  grad?: Tensor;
  passes: Pass[];
}

export interface Steps {
  forward: Step[];
  /** Nodes with a gradient, in reverse evaluation order. */
  backward: Step[];
  /** Each bound name's gradient as the sum of its parts, one per use. */
  gradients: { name: string; parts: { from: string; value: Tensor }[]; total: Tensor }[];
}

const BINARY = new Set(['+', '-', '*', '/', '^', '@']);
/** Local derivatives are computed entry by entry only up to this size. */
const MAX_LOCAL_ENTRIES = 4096;

function localDerivative(node: Var, edge: Var['edges'][number]): LocalDerivative | undefined {
  const out = numel(node.value.shape);
  const inp = numel(edge.from.value.shape);
  if (out * inp > MAX_LOCAL_ENTRIES) return undefined;
  const J = new Float64Array(out * inp);
  for (let i = 0; i < out; i++) {
    const seed = new Float64Array(out);
    seed[i] = 1;
    J.set(edge.vjp({ shape: node.value.shape, data: seed }).data, i * inp);
  }
  if (out === 1 && inp === 1) return { kind: 'scalar', value: J[0] };
  if (out === inp && out > 1) {
    let diagonal = true;
    for (let i = 0; i < out && diagonal; i++) for (let j = 0; j < inp; j++) if (i !== j && J[i * inp + j] !== 0) diagonal = false;
    if (diagonal) return { kind: 'diagonal', value: Float64Array.from({ length: out }, (_, i) => J[i * inp + i]) };
  }
  return { kind: 'matrix', rows: out, cols: inp, value: J };
}

function formatScalarConstant(v: Var): string {
  return v.value.shape.length === 0 ? String(v.value.data[0]) : `[${Array.from(v.value.data).join(', ')}]`;
}

/** Builds the steps of a graph whose backward pass has run (grads set); gradients are listed for `wrt`. */
export function buildSteps(root: Var, bound: Var[], wrt: string[] = bound.map((b) => b.name!)): Steps {
  const order = topologicalOrder(root).sort((a, b) => a.id - b.id);
  const names = new Map<Var, string>();
  for (const v of bound) names.set(v, v.name!);
  let t = 0;
  for (const v of order) {
    if (names.has(v)) continue;
    names.set(v, v.edges.length === 0 && v.name === undefined ? formatScalarConstant(v) : `t${++t}`);
  }
  // Constants outside the graph's edges (a class index) are named by their value.
  const nameOf = (v: Var): string => names.get(v) ?? formatScalarConstant(v);
  const intermediates = order.filter((v) => v.edges.length > 0);

  const opText = (v: Var): string => {
    const inputs = [...v.edges.map((e) => nameOf(e.from)), ...v.constants.map(nameOf)];
    if (BINARY.has(v.op)) return `${inputs[0]} ${v.op === '*' ? '·' : v.op} ${inputs[1]}`;
    if (v.op === 'neg') return `-${inputs[0]}`;
    if (v.op.startsWith('[')) return `${inputs[0]}${v.op}`;
    return `${v.op.replace(/-/g, '_')}(${inputs.join(', ')})`;
  };

  const stepOf = (v: Var): Step => {
    const inputs = [...v.edges.map((e) => nameOf(e.from)), ...v.constants.map(nameOf)];
    const G = `∂L/∂${nameOf(v)}`;
    const passes: Pass[] = [];
    if (v.grad) {
      for (const e of v.edges) {
        if (!e.from.grad) continue; // no bound name behind this input
        passes.push({
          input: nameOf(e.from),
          rule: e.rule ? e.rule(G, inputs) : `${G} · ∂${nameOf(v)}/∂${nameOf(e.from)}`,
          local: localDerivative(v, e),
          contribution: e.vjp({ shape: v.value.shape, data: v.grad }),
        });
      }
    }
    return {
      node: nameOf(v),
      expression: v.source ?? nameOf(v),
      op: v.name !== undefined ? 'input' : opText(v),
      inputs: v.name !== undefined ? [] : inputs,
      value: v.value,
      grad: v.grad ? { shape: v.value.shape, data: v.grad } : undefined,
      passes,
    };
  };

  const forward = [...bound.filter((b) => names.has(b) && order.includes(b)), ...intermediates].map(stepOf);
  const backward = intermediates
    .filter((v) => v.grad)
    .reverse()
    .map(stepOf);
  const gradients = bound.filter((b) => wrt.includes(b.name!)).map((b) => {
    const parts = backward.flatMap((s) => s.passes.filter((p) => p.input === b.name).map((p) => ({ from: s.node, value: p.contribution })));
    return { name: b.name!, parts, total: { shape: b.value.shape, data: b.grad ?? new Float64Array(numel(b.value.shape)) } };
  });
  return { forward, backward, gradients };
}
