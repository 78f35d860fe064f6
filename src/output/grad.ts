/** Formatters for `actgrad grad` results: json, plain, csv/tsv and tables. */
import type { GradResult } from '../grad';
import { numel, type Tensor, toNested } from '../tensor';
import { delimitedText } from './delimited';
import { stringifyJson } from './json';
import { columns, type MatrixSection, quantitySection, type Section } from './layout';
import { formatNumber } from './numbers';
import { formatPlain } from './plain';

const toObject = (pairs: [string, Tensor][]): Record<string, unknown> => Object.fromEntries(pairs.map(([k, t]) => [k, toNested(t)]));

export function formatGradJson(r: GradResult, precision?: number): string {
  const obj: Record<string, unknown> = { expression: r.expression, at: toObject(r.at), value: toNested(r.value) };
  if (r.grads) obj.grad = toObject(r.grads);
  if (r.jacobians) obj.jacobian = toObject(r.jacobians);
  return `${stringifyJson(obj, precision)}\n`;
}

/** The last requested quantity: the Jacobians with -j, else the gradients; "# name" heads each block when there are several. */
export function formatGradPlain(r: GradResult, precision?: number): string {
  const blocks = (r.jacobians ?? r.grads)!;
  if (blocks.length === 1) return formatPlain(blocks[0][1], precision);
  return blocks.map(([name, t]) => `# ${name}\n${formatPlain(t, precision)}`).join('');
}

/** Labels of each element of a shape: "0", "1", … or "0,1" for a matrix. */
function elementLabels(shape: number[]): string[] {
  const n = numel(shape);
  if (shape.length <= 1) return Array.from({ length: n }, (_, k) => (shape.length === 0 ? '' : String(k)));
  const w = shape[shape.length - 1];
  return Array.from({ length: n }, (_, k) => `${Math.floor(k / w)},${k % w}`);
}

export function gradSections(r: GradResult): Section[] {
  const out: Section[] = [quantitySection('value', 'f', r.value)];
  const at = new Map(r.at);
  for (const [name, g] of r.grads ?? []) {
    out.push(columns(`gradient with respect to ${name}`, g.shape, [
      { header: name, data: at.get(name)!.data },
      { header: `∂f/∂${name}`, data: g.data },
    ]));
  }
  for (const [name, J] of r.jacobians ?? []) {
    const nameShape = at.get(name)!.shape;
    const outLabels = elementLabels(r.value.shape);
    const section: MatrixSection = {
      kind: 'matrix',
      title: `Jacobian with respect to ${name} (rows: outputs f[i], columns: ${name}[j])`,
      corner: '',
      rowLabels: outLabels.map((l) => (l === '' ? 'f' : `f[${l}]`)),
      colLabels: elementLabels(nameShape).map((l) => (l === '' ? name : `${name}[${l}]`)),
      data: J.data,
    };
    out.push(section);
  }
  return out;
}

/** csv/tsv: one row per element of each name: name, index, value, gradient (or Jacobian entries). */
export function formatGradDelimited(r: GradResult, sep: ',' | '\t', precision?: number): string {
  const fmt = (x: number): string => formatNumber(x, precision);
  const at = new Map(r.at);
  const rows: string[][] = [];
  if (r.jacobians) {
    rows.push(['name', 'output', 'index', 'jacobian']);
    const outLabels = elementLabels(r.value.shape);
    for (const [name, J] of r.jacobians) {
      const labels = elementLabels(at.get(name)!.shape);
      outLabels.forEach((o, i) => labels.forEach((l, j) => rows.push([name, o, l, fmt(J.data[i * labels.length + j])])));
    }
  } else {
    rows.push(['name', 'index', 'value', 'grad']);
    for (const [name, g] of r.grads!) {
      const v = at.get(name)!;
      elementLabels(g.shape).forEach((l, k) => rows.push([name, l, fmt(v.data[k]), fmt(g.data[k])]));
    }
  }
  return delimitedText(rows, sep);
}
