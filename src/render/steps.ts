/** Worked solutions (`grad --steps`) as plain text, JSON fields, tables and Graphviz DOT. */
import type { LocalDerivative, Pass, Steps } from '../result';
import { type Tensor, toNested } from '../tensor';
import { formatNumber } from './format';

const DIGITS = 6;

/** A tensor in one line: 2, [0.659, 0.242], [[1, 2], [3, 4]]; large ones by shape. */
export function inline(t: Tensor, precision = DIGITS): string {
  const f = (x: number): string => formatNumber(x, precision);
  if (t.shape.length === 0) return f(t.data[0]);
  if (t.data.length > 12) return `(${t.shape.join('×')} numbers)`;
  if (t.shape.length === 1) return `[${Array.from(t.data, f).join(', ')}]`;
  const n = t.shape[t.shape.length - 1];
  const rows: string[] = [];
  for (let i = 0; i < t.data.length; i += n) rows.push(`[${Array.from(t.data.subarray(i, i + n), f).join(', ')}]`);
  return `[${rows.join(', ')}]`;
}

function localText(l: LocalDerivative | undefined, precision: number): string {
  if (!l) return '(large)';
  if (l.kind === 'scalar') return formatNumber(l.value, precision);
  if (l.kind === 'diagonal') return `diag${inline({ shape: [l.value.length], data: l.value }, precision)}`;
  return inline({ shape: [l.rows, l.cols], data: l.value }, precision);
}

/** "= 2 · 1 = 2" for scalars, "= [..] ⊙ [..] = [..]" for a diagonal, else "= [..]". */
function numeric(p: Pass, upstream: Tensor, precision: number): string {
  const c = inline(p.contribution, precision);
  const l = p.local;
  if (l?.kind === 'scalar' && upstream.shape.length === 0) return `${formatNumber(upstream.data[0], precision)} · ${formatNumber(l.value, precision)} = ${c}`;
  if (l?.kind === 'diagonal' && l.value.length <= 6) return `${inline(upstream, precision)} ⊙ ${localText(l, precision).slice(4)} = ${c}`;
  return c;
}

export function passLines(s: Steps, precision = DIGITS): Map<string, string[]> {
  const uses = new Map<string, number>();
  for (const st of s.backward) for (const p of st.passes) uses.set(p.input, (uses.get(p.input) ?? 0) + 1);
  const out = new Map<string, string[]>();
  for (const st of s.backward) {
    out.set(
      st.node,
      st.passes.map((p) => `∂L/∂${p.input} ${(uses.get(p.input) ?? 0) > 1 ? '+=' : '='} ${p.rule} = ${numeric(p, st.grad!, precision)}`),
    );
  }
  return out;
}

export function gradientLines(s: Steps, precision = DIGITS): string[] {
  return s.gradients.map((g) => {
    const total = inline(g.total, precision);
    if (g.parts.length <= 1) return `∂L/∂${g.name} = ${total}`;
    return `∂L/∂${g.name} = ${g.parts.map((p) => inline(p.value, precision)).join(' + ')} = ${total}   (from ${g.parts.map((p) => p.from).join(', ')})`;
  });
}

export function formatStepsPlain(s: Steps, precision = DIGITS): string {
  const width = Math.max(...s.forward.map((st) => st.node.length));
  const exprWidth = Math.min(40, Math.max(...s.forward.map((st) => st.expression.length)));
  const lines = ['forward pass'];
  for (const st of s.forward) {
    const name = st.node.padEnd(width);
    if (st.op === 'input') lines.push(`  ${name} = ${inline(st.value, precision)}`);
    else lines.push(`  ${name} = ${st.expression.padEnd(exprWidth)}   ${st.op} = ${inline(st.value, precision)}`);
  }
  const root = s.forward[s.forward.length - 1].node;
  lines.push('', `backward pass (L = ${root}, ∂L/∂${root} = 1)`);
  const passes = passLines(s, precision);
  for (const st of s.backward) {
    lines.push(`  ${st.node} = ${st.op}   ∂L/∂${st.node} = ${inline(st.grad!, precision)}`);
    for (const l of passes.get(st.node)!) lines.push(`    ${l}`);
  }
  lines.push('', 'gradients', ...gradientLines(s, precision).map((l) => `  ${l}`));
  return `${lines.join('\n')}\n`;
}

function localJson(l: LocalDerivative | undefined): unknown {
  if (!l) return null;
  if (l.kind === 'scalar') return l.value;
  if (l.kind === 'diagonal') return { diagonal: Array.from(l.value) };
  return toNested({ shape: [l.rows, l.cols], data: l.value });
}

export function stepsJson(s: Steps): unknown[] {
  return s.forward.map((st) => {
    const back = s.backward.find((b) => b.node === st.node);
    return {
      node: st.node,
      expression: st.expression,
      op: st.op,
      inputs: st.inputs,
      value: toNested(st.value),
      grad: st.grad ? toNested(st.grad) : null,
      local: (back?.passes ?? []).map((p) => ({ input: p.input, derivative: localJson(p.local) })),
      passes: (back?.passes ?? []).map((p) => ({ input: p.input, rule: p.rule, value: toNested(p.contribution) })),
    };
  });
}

const dotLabel = (s: string): string => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

/** The computational graph in Graphviz's DOT language, values and gradients on the nodes. */
export function formatDot(s: Steps, precision = DIGITS): string {
  const lines = ['digraph actgrad {', '  rankdir=LR;', '  node [shape=box, fontname="monospace"];'];
  for (const st of s.forward) {
    const label = [
      st.op === 'input' ? `${st.node} (input)` : `${st.node} = ${st.op}`,
      st.op === 'input' ? '' : st.expression,
      `value ${inline(st.value, precision)}`,
      st.grad ? `∂L/∂${st.node} = ${inline(st.grad, precision)}` : '',
    ].filter(Boolean);
    lines.push(`  "${dotLabel(st.node)}" [label="${label.map(dotLabel).join('\\n')}"${st.op === 'input' ? ', style=rounded' : ''}];`);
  }
  for (const st of s.forward) for (const input of new Set(st.inputs)) lines.push(`  "${dotLabel(input)}" -> "${dotLabel(st.node)}";`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
