/** Worked solutions as tables on a terminal: the forward pass, then the backward pass. */
import chalk from 'chalk';
import Table from 'cli-table3';
import type { Steps } from '../result';
import { asciiText } from './ascii';
import { ASCII_CHARS } from './grid';
import { gradientLines, inline, passLines } from './steps';

const identity = (s: string): string => s;

/**
 * `unicode: false` (a locale that is not UTF-8): ASCII borders, and each cell and line spelled in
 * ASCII (∂L/∂x as dL/dx, · as *) before the tables are laid out, so that the columns keep their widths.
 */
export function formatStepsTable(s: Steps, opts: { color: boolean; precision?: number; unicode?: boolean }): string {
  const ink = new chalk.Instance({ level: opts.color ? 1 : 0 });
  const text = opts.unicode === false ? asciiText : identity;
  const p = opts.precision ?? 6;
  const style = { head: [] as string[], border: [] as string[], compact: true };
  const chars = opts.unicode === false ? { chars: ASCII_CHARS } : {};
  const head = (...h: string[]): string[] => h.map((x) => ink.bold.cyan(text(x)));
  const forward = new Table({ head: head('node', 'expression', 'operation', 'value'), style, ...chars });
  for (const st of s.forward) forward.push([ink.bold(text(st.node)), st.op === 'input' ? ink.dim('bound') : text(st.expression), st.op === 'input' ? '' : text(st.op), text(inline(st.value, p))]);
  const backward = new Table({ head: head('node', '∂L/∂node', 'passes to its inputs'), style, ...chars });
  const passes = passLines(s, p);
  for (const st of s.backward) backward.push([ink.bold(text(`${st.node} = ${st.op}`)), text(inline(st.grad!, p)), passes.get(st.node)!.map(text).join('\n')]);
  return `${[
    ink.bold('forward pass'),
    forward.toString(),
    '',
    ink.bold('backward pass'),
    backward.toString(),
    '',
    ink.bold('gradients'),
    ...gradientLines(s, p).map((l) => `  ${text(l)}`),
  ].join('\n')}\n`;
}
