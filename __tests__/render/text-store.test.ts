import { type Grid, renderGrid } from '../../src/render/grid';
import { TextStore } from '../../src/render/text-store';

test('gives back every text, across batch boundaries, empty texts included', () => {
  const n = 3000;
  const text = (k: number): string => (k % 7 === 0 ? '' : `t${k}·${'x'.repeat(k % 5)}`);
  const store = new TextStore(n);
  for (let k = 0; k < n; k++) store.push(text(k));
  for (let k = 0; k < n; k++) {
    expect(store.get(k)).toBe(text(k));
    expect(store.length(k)).toBe(text(k).length);
  }
});

test('a table of 3000 rows, all shown, holds each row once and in order', () => {
  const n = 3000;
  const grid: Grid = { title: '', stub: { header: ['i'], labels: (i) => [String(i)] }, columns: [{ header: 'v', kind: 'number', cell: (i) => i * 0.25 }], rows: n };
  const body = renderGrid(grid, { maxRows: Infinity }).trimEnd().split('\n').slice(3, -1);
  expect(body).toHaveLength(n);
  body.forEach((line, i) => {
    const [label, value] = line.split('│').slice(1, 3).map((s) => s.trim());
    expect([label, Number(value)]).toEqual([String(i), i * 0.25]);
  });
});
