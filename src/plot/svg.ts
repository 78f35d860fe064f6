/**
 * A standalone SVG of f and f': axes, grid, tick labels, a legend and both curves as paths, sized
 * for a page. A jump of f (step at 0) or of f' (relu' at 0) breaks the path there instead of
 * drawing a slope, and the kinks of f (the jumps of f') are vertices of its path.
 */
import { type Curve, jumps, sample } from './sample';
import { niceTicks, tickLabel, yRange } from './ticks';

export interface SvgOptions {
  points: number;
  title: string;
  params: string;
  /** size in pixels (default 800 × 500) */
  width?: number;
  height?: number;
}
const M = { left: 70, right: 30, top: 50, bottom: 80 };

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (v: number): string => String(Math.round(v * 100) / 100);

export interface SvgChart {
  svg: string;
  /** vertices of the f and f' paths */
  fPoints: number;
  dfPoints: number;
}

export function svgChart(curve: Curve, from: number, to: number, opts: SvgOptions): SvgChart {
  const W = opts.width ?? 800;
  const H = opts.height ?? 500;
  const s = sample(curve, from, to, opts.points);
  const breaks = jumps(curve, s);
  const [ylo, yhi] = yRange(s.f, s.df);
  const px = (x: number): number => M.left + ((x - from) / (to - from)) * (W - M.left - M.right);
  const py = (y: number): number => M.top + ((yhi - y) / (yhi - ylo)) * (H - M.top - M.bottom);
  const eps = 1e-9 * (to - from);

  /** The path of one curve: samples plus extra vertices, broken at its own jumps and at non-finite values. */
  const path = (which: 0 | 1, ownJumps: number[], kinks: number[]): { d: string; count: number } => {
    const xs = [...s.xs, ...kinks, ...ownJumps.flatMap((j) => [j - eps, j + eps])].filter((x) => x > from && x < to).sort((a, b) => a - b);
    let d = '';
    let count = 0;
    let pen = false;
    let prev = -Infinity;
    for (const x of xs) {
      const y = curve.at(x)[which];
      const crossesJump = ownJumps.some((j) => j > prev && j < x);
      prev = x;
      if (!Number.isFinite(y)) {
        pen = false;
        continue;
      }
      d += `${pen && !crossesJump ? 'L' : 'M'}${fmt(px(x))},${fmt(py(y))}`;
      pen = true;
      count++;
    }
    return { d, count };
  };
  const f = path(0, breaks.f, breaks.df);
  const df = path(1, breaks.df, []);

  const parts: string[] = [];
  parts.push(`<?xml version="1.0" encoding="UTF-8"?>`);
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="13">`);
  parts.push(`<title>${esc(opts.title)}</title>`);
  parts.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="white"/>`);
  parts.push(`<defs><clipPath id="plot-area"><rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}"/></clipPath></defs>`);
  // grid and tick labels
  const grid: string[] = [];
  for (const t of niceTicks(from, to, 10)) {
    grid.push(`<line x1="${fmt(px(t))}" y1="${M.top}" x2="${fmt(px(t))}" y2="${H - M.bottom}"/>`);
    parts.push(`<text x="${fmt(px(t))}" y="${H - M.bottom + 18}" text-anchor="middle">${esc(tickLabel(t))}</text>`);
  }
  for (const t of niceTicks(ylo, yhi, 8)) {
    grid.push(`<line x1="${M.left}" y1="${fmt(py(t))}" x2="${W - M.right}" y2="${fmt(py(t))}"/>`);
    parts.push(`<text x="${M.left - 8}" y="${fmt(py(t) + 4)}" text-anchor="end">${esc(tickLabel(t))}</text>`);
  }
  parts.push(`<g class="grid" stroke="#e3e3e3" stroke-width="1">${grid.join('')}</g>`);
  // axes: the frame, and the lines x = 0 and y = 0 where they fall inside
  parts.push(`<rect class="frame" x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="none" stroke="#444"/>`);
  if (ylo < 0 && yhi > 0) parts.push(`<line class="axis" x1="${M.left}" y1="${fmt(py(0))}" x2="${W - M.right}" y2="${fmt(py(0))}" stroke="#888"/>`);
  if (from < 0 && to > 0) parts.push(`<line class="axis" x1="${fmt(px(0))}" y1="${M.top}" x2="${fmt(px(0))}" y2="${H - M.bottom}" stroke="#888"/>`);
  parts.push(`<text x="${(W + M.left - M.right) / 2}" y="${H - M.bottom + 40}" text-anchor="middle">x</text>`);
  parts.push(`<text x="${W / 2}" y="28" text-anchor="middle" font-size="16" font-weight="bold">${esc(opts.title)}</text>`);
  // curves
  parts.push(`<g clip-path="url(#plot-area)" fill="none" stroke-width="2.2" stroke-linejoin="round">`);
  parts.push(`<path class="derivative" data-points="${df.count}" d="${df.d}" stroke="#d6336c" stroke-dasharray="7 4"/>`);
  parts.push(`<path class="function" data-points="${f.count}" d="${f.d}" stroke="#1c7ed6"/>`);
  parts.push(`</g>`);
  // legend
  const ly = H - 22;
  parts.push(`<g class="legend">`);
  parts.push(`<line x1="${M.left}" y1="${ly - 4}" x2="${M.left + 30}" y2="${ly - 4}" stroke="#1c7ed6" stroke-width="2.2"/>`);
  parts.push(`<text x="${M.left + 38}" y="${ly}">${esc(curve.label)}</text>`);
  parts.push(`<line x1="${M.left + 300}" y1="${ly - 4}" x2="${M.left + 330}" y2="${ly - 4}" stroke="#d6336c" stroke-width="2.2" stroke-dasharray="7 4"/>`);
  parts.push(`<text x="${M.left + 338}" y="${ly}">${esc(curve.derivativeLabel)}</text>`);
  if (opts.params) parts.push(`<text x="${W - M.right}" y="${ly}" text-anchor="end" fill="#555">${esc(opts.params)}</text>`);
  parts.push(`</g>`);
  parts.push(`</svg>`);
  return { svg: `${parts.join('\n')}\n`, fPoints: f.count, dfPoints: df.count };
}
