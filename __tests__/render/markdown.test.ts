import { type Grid, numberColumn } from '../../src/render/grid';
import { renderMarkdown } from '../../src/render/markdown';

const relu: Grid = {
  title: 'relu',
  stub: { header: ['i'], labels: (i) => [String(i)] },
  columns: [numberColumn('x', [-1, 0, 2.5]), numberColumn('relu(x)', [0, 0, 2.5])],
  rows: 3,
};

test('a bold title, a header, right-aligned number columns, the cells in the column style', () => {
  expect(renderMarkdown(relu)).toBe(
    [
      '**relu**',
      '',
      '| i   |    x | relu(x) |',
      '| --- | ---: | ------: |',
      '| 0   | -1   |     0   |',
      '| 1   |  0   |     0   |',
      '| 2   |  2.5 |     2.5 |',
      '',
    ].join('\n'),
  );
});

test('| in text, headers, labels and the title is escaped; markup in the title too', () => {
  const grid: Grid = {
    title: 'a | b *c*',
    stub: { header: ['k|'], labels: (i) => [`r|${i}`] },
    columns: [
      { header: 'name', kind: 'text', cell: (i) => ['a|b', 'c\\d'][i] },
      numberColumn('v', [1e-8, 2e-6]),
    ],
    rows: 2,
  };
  expect(renderMarkdown(grid)).toBe(
    [
      '**a \\| b \\*c\\***',
      '',
      '| k\\|  | name |     v |',
      '| ---- | ---- | ----: |',
      '| r\\|0 | a\\|b | 1e-08 |',
      '| r\\|1 | c\\\\d | 2e-06 |',
      '',
    ].join('\n'),
  );
});

test('every row, no marker, no width fitting, no colour; non-finite numbers as nan and inf', () => {
  const n = 100;
  const grid: Grid = {
    title: '',
    stub: undefined,
    columns: Array.from({ length: 30 }, (_, j) => ({ header: `x${j}`, kind: 'number' as const, cell: (i: number) => (i === 50 ? NaN : j === 3 ? -Infinity : i + j) })),
    rows: n,
  };
  const out = renderMarkdown(grid, { precision: 3 });
  const lines = out.trimEnd().split('\n');
  expect(lines).toHaveLength(2 + n);
  expect(lines.every((l) => l.startsWith('|') && l.endsWith('|'))).toBe(true);
  expect(lines[0].split('|')).toHaveLength(30 + 2);
  expect(out).not.toMatch(/more row|\u001b/);
  expect(lines[2 + 50]).toMatch(/^\| nan \|/);
  expect(lines[2].split('|')[4].trim()).toBe('-inf');
});
