/** Worked solutions as tables on a terminal: the forward pass, then the backward pass. */
import chalk from 'chalk';
import Table from 'cli-table3';
import type { Steps } from '../result';
import { gradientLines, inline, passLines } from './steps';

export function formatStepsTable(s: Steps, opts: { color: boolean; precision?: number }): string {
  const ink = new chalk.Instance({ level: opts.color ? 1 : 0 });
  const p = opts.precision ?? 6;
  const style = { head: [] as string[], border: [] as string[], compact: true };
  const head = (...h: string[]): string[] => h.map((x) => ink.bold.cyan(x));
  const forward = new Table({ head: head('node', 'expression', 'operation', 'value'), style });
  for (const st of s.forward) forward.push([ink.bold(st.node), st.op === 'input' ? ink.dim('bound') : st.expression, st.op === 'input' ? '' : st.op, inline(st.value, p)]);
  const backward = new Table({ head: head('node', '∂L/∂node', 'passes to its inputs'), style });
  const passes = passLines(s, p);
  for (const st of s.backward) backward.push([ink.bold(`${st.node} = ${st.op}`), inline(st.grad!, p), passes.get(st.node)!.join('\n')]);
  return `${[
    ink.bold('forward pass'),
    forward.toString(),
    '',
    ink.bold('backward pass'),
    backward.toString(),
    '',
    ink.bold('gradients'),
    ...gradientLines(s, p).map((l) => `  ${l}`),
  ].join('\n')}\n`;
}
