/**
 * The terminal chart: f and f' on a character grid, drawn with different glyphs ('*' and '+',
 * '#' where they meet) and, when colour is allowed, different colours; a y axis with tick labels,
 * an x axis with ticks, and a legend. Jumps are left open, never drawn as a slope.
 */
import { jumps, type Curve, type Samples, sample } from './sample';
import { niceTicks, tickLabel, yRange } from './ticks';

export interface TerminalChartOptions {
  width: number;
  height: number;
  color: boolean;
  /** extra legend text: the parameters in effect */
  params: string;
  /** false (a locale that is not UTF-8): axes of + - | and the labels in ASCII; default true */
  unicode?: boolean;
}

/** The axes' box-drawing characters, and their ASCII stand-ins. */
const UNICODE_AXES = { h: '─', v: '│', cross: '┼', yTick: '┤', corner: '└', xTick: '┬' };
const ASCII_AXES: typeof UNICODE_AXES = { h: '-', v: '|', cross: '+', yTick: '+', corner: '+', xTick: '+' };

const GLYPH_F = '*';
const GLYPH_DF = '+';
const GLYPH_BOTH = '#';

export interface Chart {
  text: string;
  /** the sampled points, one per column of the plot area */
  samples: Samples;
  plotWidth: number;
  plotHeight: number;
}

export function terminalChart(curve: Curve, from: number, to: number, opts: TerminalChartOptions): Chart {
  const axes = opts.unicode === false ? ASCII_AXES : UNICODE_AXES;
  const height = Math.max(5, opts.height);
  const [ylo, yhi] = yRange(...(() => {
    const probe = sample(curve, from, to, 200);
    return [probe.f, probe.df];
  })());
  const yTicks = niceTicks(ylo, yhi, Math.max(2, Math.floor(height / 4)));
  const labelWidth = Math.max(...yTicks.map((t) => tickLabel(t).length));
  const plotWidth = Math.max(10, opts.width - labelWidth - 2);
  const s = sample(curve, from, to, plotWidth);
  const rowOf = (y: number): number => Math.round(((yhi - y) / (yhi - ylo)) * (height - 1));
  const grid: string[][] = Array.from({ length: height }, () => new Array<string>(plotWidth).fill(' '));
  const owner: number[][] = Array.from({ length: height }, () => new Array<number>(plotWidth).fill(0));

  // Axes through 0, drawn first so that curves stand on top.
  const zeroRow = rowOf(0);
  if (ylo <= 0 && yhi >= 0) for (let c = 0; c < plotWidth; c++) grid[zeroRow][c] = axes.h;
  const zeroCol = Math.round(((0 - from) / (to - from)) * plotWidth - 0.5);
  if (from < 0 && to > 0 && zeroCol >= 0 && zeroCol < plotWidth) {
    for (let r = 0; r < height; r++) grid[r][zeroCol] = r === zeroRow && ylo <= 0 && yhi >= 0 ? axes.cross : axes.v;
  }

  const breaks = jumps(curve, s);
  const jumpBetween = (list: number[], c: number): boolean => c > 0 && list.some((x) => x > s.xs[c - 1] && x < s.xs[c]);
  const mark = (r: number, c: number, which: 1 | 2): void => {
    if (r < 0 || r >= height) return;
    owner[r][c] |= which;
  };
  const draw = (ys: Float64Array, which: 1 | 2, breakList: number[]): void => {
    for (let c = 0; c < plotWidth; c++) {
      if (!Number.isFinite(ys[c])) continue;
      const r = rowOf(ys[c]);
      mark(r, c, which);
      // Join to the previous column with a vertical run, unless a jump lies between them.
      if (c > 0 && Number.isFinite(ys[c - 1]) && !jumpBetween(breakList, c)) {
        const p = rowOf(ys[c - 1]);
        const mid = (p + r) / 2;
        for (let k = Math.min(p, r) + 1; k < Math.max(p, r); k++) mark(k, k < mid === p < r ? c - 1 : c, which);
      }
    }
  };
  draw(s.df, 2, breaks.df);
  draw(s.f, 1, breaks.f);

  const ink = (text: string, code: number): string => (opts.color ? `\u001b[${code}m${text}\u001b[39m` : text);
  const lines: string[] = [];
  const tickRows = new Map(yTicks.map((t) => [rowOf(t), tickLabel(t)]));
  for (let r = 0; r < height; r++) {
    const cells = grid[r].map((ch, c) => {
      const o = owner[r][c];
      if (o === 3) return ink(GLYPH_BOTH, 33);
      if (o === 1) return ink(GLYPH_F, 36);
      if (o === 2) return ink(GLYPH_DF, 35);
      return ch;
    });
    const label = tickRows.get(r);
    lines.push(`${(label ?? '').padStart(labelWidth)} ${label !== undefined ? axes.yTick : axes.v}${cells.join('')}`);
  }
  // x axis: ticks and their labels
  const xTicks = niceTicks(from, to, Math.max(2, Math.floor(plotWidth / 12)));
  const axis = new Array<string>(plotWidth).fill(axes.h);
  const labels = new Array<string>(plotWidth + 8).fill(' ');
  for (const t of xTicks) {
    const c = Math.min(plotWidth - 1, Math.max(0, Math.round(((t - from) / (to - from)) * plotWidth - 0.5)));
    axis[c] = axes.xTick;
    const text = tickLabel(t);
    const start = Math.max(0, Math.min(plotWidth - text.length, c - Math.floor(text.length / 2)));
    if (labels.slice(Math.max(0, start - 1), start + text.length + 1).every((ch) => ch === ' ')) [...text].forEach((ch, i) => (labels[start + i] = ch));
  }
  lines.push(`${' '.repeat(labelWidth)} ${axes.corner}${axis.join('')}`);
  lines.push(`${' '.repeat(labelWidth + 2)}${labels.join('').trimEnd()}`);
  lines.push(`${' '.repeat(labelWidth + 2)}${ink(GLYPH_F, 36)} ${curve.label}   ${ink(GLYPH_DF, 35)} ${curve.derivativeLabel}   ${GLYPH_BOTH} both${opts.params ? `   (${opts.params})` : ''}`);
  return { text: `${lines.join('\n')}\n`, samples: s, plotWidth, plotHeight: height };
}
