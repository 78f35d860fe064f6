import { type Grid, numberColumn, renderGrid } from '../../src/render/grid';
import { textWidth } from '../../src/render/text-width';

test.each([
  ['', 0],
  ['sigmoid(x)', 10],
  ['∂loss/∂x', 8],
  ['σ′(x)', 5],
  ['x\u0304', 1], // x and a combining macron
  ['a\u200bb', 2], // zero-width space
  ['中文', 4],
  ['😀', 2],
])('%p is %d columns wide', (s, width) => {
  expect(textWidth(s)).toBe(width);
});

test('headers are padded by their width on the terminal, not by their UTF-16 length', () => {
  const grid: Grid = { title: '', stub: undefined, columns: [numberColumn('∂x̄', [12345]), numberColumn('中', [1])], rows: 1 };
  expect(renderGrid(grid)).toBe(['┌───────┬────┐', '│    ∂x̄ │ 中 │', '├───────┼────┤', '│ 12345 │  1 │', '└───────┴────┘', ''].join('\n'));
});
