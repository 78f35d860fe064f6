/**
 * A Grid as a GitHub-flavoured Markdown table, for write-ups: the title as a bold line, every row
 * (no row limit, no width fitting), number columns right-aligned in the column's number style.
 * The cells are padded as in the terminal table so that the source lines up too.
 */
import { layOut, type LaidOutColumn, spaces } from './cells';
import type { Grid } from './grid-model';

export interface MarkdownOptions {
  /** Significant digits (default 6). */
  precision: number;
}

/** `|` ends a cell even inside code spans, so it is escaped; a new line would end the row. */
export function escapeCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Characters that would start emphasis, code, links or HTML in the bold title line. */
function escapeInline(s: string): string {
  return s.replace(/[\\`*_[\]<>|]/g, '\\$&');
}

export function renderMarkdown(grid: Grid, options: Partial<MarkdownOptions> = {}): string {
  const precision = options.precision ?? 6;
  const laid = layOut(grid, grid.rows, (k) => k, precision, escapeCell);
  const columns: LaidOutColumn[] = [...laid.stub, ...laid.columns];
  const out: string[] = [];
  const title = grid.title.trim();
  if (title) out.push(`**${escapeInline(title)}**`, '');
  if (columns.length === 0) return `${out.join('\n')}\n`;
  // A delimiter cell needs three dashes (and the colon), so a column is at least that wide.
  const widths = columns.map((c) => Math.max(c.width, 3));
  const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  out.push(
    row(columns.map((c, k) => (c.align === 'right' ? spaces(widths[k] - c.headerWidth) + c.header : c.header + spaces(widths[k] - c.headerWidth)))),
  );
  out.push(row(columns.map((c, k) => (c.align === 'right' ? `${'-'.repeat(widths[k] - 1)}:` : '-'.repeat(widths[k])))));
  for (let r = 0; r < grid.rows; r++) {
    let line = '|';
    for (let k = 0; k < columns.length; k++) {
      const c = columns[k];
      const w = widths[k] - c.width;
      line += ` ${spaces(c.left[r] + (c.align === 'right' ? w : 0))}${c.texts.get(r)}${spaces(c.right[r] + (c.align === 'left' ? w : 0))} |`;
    }
    out.push(line);
  }
  return `${out.join('\n')}\n`;
}
