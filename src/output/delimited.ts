/** CSV/TSV text from rows of cells: a cell holding the separator or a quote is quoted, quotes doubled. */
export function delimitedText(rows: readonly string[][], sep: ',' | '\t'): string {
  const quote = (c: string): string => (c.includes(sep) || c.includes('"') || c.includes('\n') ? `"${c.replace(/"/g, '""')}"` : c);
  return `${rows.map((row) => row.map(quote).join(sep)).join('\n')}\n`;
}
