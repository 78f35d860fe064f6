import Table from 'cli-table3';
import { type Grid, matrixGrid, numberColumn, renderGrid, rowWindow, splitColumns } from '../../src/render/grid';

const ESC = /\u001b/;
const lines = (s: string): string[] => s.replace(/\n$/, '').split('\n');

function reluGrid(): Grid {
  return {
    title: 'relu',
    stub: { header: ['i'], labels: (i) => [String(i)] },
    columns: [numberColumn('x', [-1, 0, 2.5]), numberColumn('relu(x)', [0, 0, 2.5])],
    rows: 3,
  };
}

/** n rows: i and 0.5·i, counting how often cells and labels are asked for. */
function countingGrid(n: number): { grid: Grid; calls: { cell: number; label: number }; asked: Set<number> } {
  const calls = { cell: 0, label: 0 };
  const asked = new Set<number>();
  const grid: Grid = {
    title: 'halves',
    stub: { header: ['i'], labels: (i) => (calls.label++, [String(i)]) },
    columns: [{ header: 'v', kind: 'number', cell: (i) => (calls.cell++, asked.add(i), i * 0.5) }],
    rows: n,
  };
  return { grid, calls, asked };
}

/** The softmax Jacobian diag(y) − y yᵀ of 12 logits. */
function jacobian12(): { J: Float64Array; grid: Grid } {
  const n = 12;
  const z = Array.from({ length: n }, (_, i) => Math.sin(i) * 2);
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  const y = e.map((v) => v / s);
  const J = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) J[i * n + j] = (i === j ? y[i] : 0) - y[i] * y[j];
  const grid = matrixGrid('Jacobian ∂y_i/∂x_j', { rows: n, columns: n, data: J }, { corner: '', row: (i) => `y${i}`, column: (j) => `x${j}` });
  return { J, grid };
}

describe('a small table, exactly', () => {
  test('unicode, no colour', () => {
    expect(renderGrid(reluGrid())).toBe(
      [
        'relu',
        '┌───┬──────┬─────────┐',
        '│ i │    x │ relu(x) │',
        '├───┼──────┼─────────┤',
        '│ 0 │ -1   │     0   │',
        '│ 1 │  0   │     0   │',
        '│ 2 │  2.5 │     2.5 │',
        '└───┴──────┴─────────┘',
        '',
      ].join('\n'),
    );
  });

  test('ASCII box drawing', () => {
    expect(renderGrid(reluGrid(), { unicode: false })).toBe(
      [
        'relu',
        '+---+------+---------+',
        '| i |    x | relu(x) |',
        '+---+------+---------+',
        '| 0 | -1   |     0   |',
        '| 1 |  0   |     0   |',
        '| 2 |  2.5 |     2.5 |',
        '+---+------+---------+',
        '',
      ].join('\n'),
    );
  });

  test('colour: title bold, headers bold cyan, row labels dim, non-finite numbers yellow, borders plain', () => {
    const bold = (s: string): string => `\u001b[1m${s}\u001b[22m`;
    const head = (s: string): string => `\u001b[1m\u001b[36m${s}\u001b[39m\u001b[22m`;
    const dim = (s: string): string => `\u001b[2m${s}\u001b[22m`;
    const yellow = (s: string): string => `\u001b[33m${s}\u001b[39m`;
    const grid: Grid = { title: 'f', stub: { header: ['i'], labels: (i) => [String(i)] }, columns: [numberColumn('y', [NaN, 1, -Infinity])], rows: 3 };
    expect(renderGrid(grid, { color: true })).toBe(
      [
        bold('f'),
        '┌───┬──────┐',
        `│ ${head('i')} │    ${head('y')} │`,
        '├───┼──────┤',
        `│ ${dim('0')} │  ${yellow('nan')} │`,
        `│ ${dim('1')} │    1 │`,
        `│ ${dim('2')} │ ${yellow('-inf')} │`,
        '└───┴──────┘',
        '',
      ].join('\n'),
    );
  });

  test('colour: a text standing in a number column is not painted as a non-finite number', () => {
    const grid: Grid = { title: '', stub: undefined, columns: [{ header: 'n', kind: 'number', cell: (i) => (i === 0 ? 'n/a' : Infinity) }], rows: 2 };
    const out = renderGrid(grid, { color: true });
    expect(out).toContain('│ n/a │');
    expect(out).toContain('│ \u001b[33minf\u001b[39m │');
  });

  test('a number style per column: scientific beside fixed, text left-aligned, a string in a number column as it is', () => {
    const grid: Grid = {
      title: 'mixed',
      stub: undefined,
      columns: [
        { header: 'name', kind: 'text', cell: (i) => ['alpha', 'b', 'c'][i] },
        numberColumn('small', [1e-8, 2.5e-6, -0]),
        numberColumn('plain', [0.5, 12, -3]),
        { header: 'n', kind: 'number', cell: (i) => (i === 1 ? '—' : i) },
      ],
      rows: 3,
    };
    expect(renderGrid(grid)).toBe(
      [
        'mixed',
        '┌───────┬──────────┬───────┬───┐',
        '│ name  │    small │ plain │ n │',
        '├───────┼──────────┼───────┼───┤',
        '│ alpha │  1.0e-08 │   0.5 │ 0 │',
        '│ b     │  2.5e-06 │  12   │ — │',
        '│ c     │ -0       │  -3   │ 2 │',
        '└───────┴──────────┴───────┴───┘',
        '',
      ].join('\n'),
    );
  });

  test('draws what cli-table3 draws for the same cells (compact style, borders and heads uncoloured)', () => {
    // renderGrid draws the lines itself for speed; cli-table3 is the reference for the look,
    // the marker row included (a cell spanning every column).
    const grid: Grid = { title: 't', stub: { header: ['i'], labels: (i) => [String(i)] }, columns: [numberColumn('value of v', [0, 0.5, 1, 1.5, 2, 2.5, 3])], rows: 7 };
    const out = lines(renderGrid(grid, { maxRows: 4 }));
    const table = new Table({ head: ['i', 'value of v'], style: { head: [], border: [], compact: true } });
    table.push(['0', '       0  '], ['1', '       0.5'], [{ content: '… 3 more rows', colSpan: 2 }], ['5', '       2.5'], ['6', '       3  ']);
    expect(out.slice(1)).toEqual(table.toString().split('\n'));
    expect(out[0]).toBe('t (7 rows; --rows all shows every row)');
  });
});

describe('rows: at most maxRows, head and tail around one marker line', () => {
  test('100 rows, maxRows 40: rows 0–19, the marker, rows 80–99; the title gives the total', () => {
    const { grid, calls, asked } = countingGrid(100);
    const out = lines(renderGrid(grid, { maxRows: 40, width: 80 }));
    expect(out[0]).toBe('halves (100 rows; --rows all shows every row)');
    const body = out.slice(4, -1);
    expect(body).toHaveLength(41);
    const label = (line: string): string => line.split('│')[1].trim();
    expect(body.slice(0, 20).map(label)).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
    expect(body[20]).toMatch(/^│ … 60 more rows +│$/);
    expect(body.slice(21).map(label)).toEqual(Array.from({ length: 20 }, (_, i) => String(80 + i)));
    // The marker is wider than this narrow table: its last column is widened to hold it.
    expect(body[21]).toBe('│ 80 │      40   │');
    // Only the rows shown were asked for, each once.
    expect(calls).toEqual({ cell: 40, label: 40 });
    expect([...asked].sort((a, b) => a - b)).toEqual([...Array.from({ length: 20 }, (_, i) => i), ...Array.from({ length: 20 }, (_, i) => 80 + i)]);
  });

  test('the hint stands in the marker line when the table is wide enough for it', () => {
    const grid: Grid = {
      title: 'wide',
      stub: { header: ['i'], labels: (i) => [String(i)] },
      columns: ['x', 'sigmoid(x)', "sigmoid'(x)", 'tanh(x)'].map((h) => ({ header: h, kind: 'number' as const, cell: (i: number) => i / 7 })),
      rows: 1000,
    };
    const out = lines(renderGrid(grid));
    expect(out[0]).toBe('wide (1000 rows)');
    const marker = out.find((l) => l.includes('more rows')) as string;
    expect(marker).toMatch(/^│ … 960 more rows \(--rows all shows every row\) +│$/);
    expect(marker.length).toBe(out[1].length);
    const ascii = lines(renderGrid(grid, { unicode: false }));
    expect(ascii.find((l) => l.includes('more rows'))).toMatch(/^\| \.\.\. 960 more rows \(--rows all shows every row\) +\|$/);
  });

  test('the hint is an option: another wording, or none', () => {
    const wide: Grid = { title: 'w', stub: undefined, columns: [numberColumn('a rather long header for this column', [1, 2, 3])], rows: 3 };
    expect(renderGrid(wide, { maxRows: 2, hint: 'type :all to see them' })).toContain('│ … 1 more row (type :all to see them) │');
    const out = lines(renderGrid(countingGrid(100).grid, { hint: '' }));
    expect(out[0]).toBe('halves (100 rows)');
    expect(out).toContain('│ … 60 more rows │');
  });

  test.each([
    [100, 40, { head: 20, tail: 20, hidden: 60 }],
    [100, 41, { head: 21, tail: 20, hidden: 59 }],
    [40, 40, { head: 40, tail: 0, hidden: 0 }],
    [41, 40, { head: 20, tail: 20, hidden: 1 }],
    [100, Infinity, { head: 100, tail: 0, hidden: 0 }],
    [100, 1, { head: 1, tail: 0, hidden: 99 }],
    [100, 0, { head: 0, tail: 0, hidden: 100 }],
    [0, 40, { head: 0, tail: 0, hidden: 0 }],
  ])('%d rows, maxRows %p', (rows, maxRows, expected) => {
    expect(rowWindow(rows, maxRows)).toEqual(expected);
  });

  test('one hidden row is "1 more row"; maxRows 0 shows the marker alone', () => {
    expect(renderGrid(countingGrid(41).grid)).toContain('│ … 1 more row │');
    expect(lines(renderGrid(countingGrid(5).grid, { maxRows: 0 })).slice(1)).toEqual([
      '┌───┬───────────┐',
      '│ i │         v │',
      '├───┼───────────┤',
      '│ … 5 more rows │',
      '└───┴───────────┘',
    ]);
  });

  test('--rows all: every row, no marker, no count', () => {
    const out = lines(renderGrid(countingGrid(100).grid, { maxRows: Infinity }));
    expect(out[0]).toBe('halves');
    expect(out).toHaveLength(1 + 3 + 100 + 1);
    expect(out.join('\n')).not.toContain('more row');
  });

  test('a grid of 10⁶ rows costs nothing until rendered, and then only the shown rows', () => {
    const { grid, calls } = countingGrid(1e6);
    expect(calls).toEqual({ cell: 0, label: 0 });
    const out = renderGrid(grid);
    expect(calls).toEqual({ cell: 40, label: 40 });
    expect(out).toContain('(1000000 rows');
    expect(out).toMatch(/^│ 999999 │ +5\.00000e\+05 │$/m);
  });

  test('the number style is chosen from the rows shown', () => {
    // Hidden rows hold 1e-9: the shown ones (all ≥ 1) stay fixed.
    const grid: Grid = { title: '', stub: undefined, columns: [{ header: 'v', kind: 'number', cell: (i) => (i < 5 || i >= 95 ? i + 1 : 1e-9) }], rows: 100 };
    const out = renderGrid(grid, { maxRows: 10 });
    expect(out).not.toMatch(/e[+-]/);
    expect(renderGrid(grid, { maxRows: Infinity })).toMatch(/1\.0e\+00/);
  });
});

describe('width: blocks of columns, each labelled, each within the terminal', () => {
  test('a 12 × 12 Jacobian at width 80', () => {
    const { J, grid } = jacobian12();
    const out = renderGrid(grid, { width: 80 });
    const all = lines(out);
    expect(all[0]).toBe('Jacobian ∂y_i/∂x_j');
    for (const line of all) expect(line.length).toBeLessThanOrEqual(80);

    // Blocks: a label line, then a table; parse each back into (row, column) → number.
    const labels = all.filter((l) => /^columns? \d/.test(l));
    expect(labels.length).toBeGreaterThan(1);
    const seen: string[] = [];
    const cells = new Map<string, number>();
    let headers: string[] = [];
    let expectedStart = 0;
    for (const line of all) {
      const label = /^columns (\d+)–(\d+) of 12$|^column (\d+) of 12$/.exec(line);
      if (label) {
        const start = Number(label[1] ?? label[3]);
        expect(start).toBe(expectedStart);
        expectedStart = Number(label[2] ?? label[3]) + 1;
        continue;
      }
      if (!line.startsWith('│')) continue;
      const parts = line.split('│').slice(1, -1).map((s) => s.trim());
      if (parts[0] === '') {
        headers = parts.slice(1);
        seen.push(...headers);
        // Every block repeats the row labels' column and holds what its label says.
        expect(headers).toEqual(Array.from({ length: headers.length }, (_, k) => `x${expectedStart - headers.length + k}`));
        continue;
      }
      parts.slice(1).forEach((text, k) => cells.set(`${parts[0]},${headers[k]}`, Number(text)));
    }
    expect(expectedStart).toBe(12);
    expect(seen).toEqual(Array.from({ length: 12 }, (_, j) => `x${j}`));
    expect(cells.size).toBe(144);
    for (let i = 0; i < 12; i++) {
      for (let j = 0; j < 12; j++) {
        const shown = cells.get(`y${i},x${j}`) as number;
        expect(Math.abs(shown - J[i * 12 + j])).toBeLessThanOrEqual(Math.abs(J[i * 12 + j]) * 5e-6);
      }
    }
  });

  test('not limited: one block, no label', () => {
    const out = renderGrid(jacobian12().grid);
    expect(out).not.toMatch(/^columns/m);
    expect(lines(out)[2].split('│').length).toBe(12 + 3);
  });

  test('ASCII block labels use a hyphen', () => {
    expect(renderGrid(jacobian12().grid, { width: 80, unicode: false })).toMatch(/^columns 0-\d+ of 12$/m);
  });

  test('a column wider than the terminal is still shown, alone in its block', () => {
    const long = 'a header much wider than the terminal';
    const grid: Grid = { title: 't', stub: { header: ['i'], labels: (i) => [String(i)] }, columns: [numberColumn(long, [1]), numberColumn('b', [2]), numberColumn(long, [3])], rows: 1 };
    const out = renderGrid(grid, { width: 20 });
    expect(out.match(/^column \d of 3$/gm)).toEqual(['column 0 of 3', 'column 1 of 3', 'column 2 of 3']);
    expect(out.match(/a header much wider/g)).toHaveLength(2);
  });

  test('splitColumns: greedy, at least one column per block, stub counted in every block', () => {
    // Table width: 1 + Σ (content + 3).
    expect(splitColumns([1], [5, 5, 5], 1 + 4 + 8 + 8)).toEqual([
      [0, 2],
      [2, 3],
    ]);
    expect(splitColumns([1], [5, 5, 5], 1 + 4 + 8 + 8 - 1)).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
    expect(splitColumns([50], [100, 1], 10)).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(splitColumns([], [], 80)).toEqual([[0, 0]]);
    expect(splitColumns([], [5, 5], Infinity)).toEqual([[0, 2]]);
  });
});

describe('plain text guarantees', () => {
  const outputs = (): string[] => {
    const { grid } = jacobian12();
    return [
      renderGrid(reluGrid()),
      renderGrid(grid, { width: 60, maxRows: 6 }),
      renderGrid(grid, { width: 60, maxRows: 6, unicode: false }),
      renderGrid(countingGrid(300).grid, { maxRows: 7, width: 30 }),
      renderGrid({ title: 'pad ', stub: undefined, columns: [{ header: 'text', kind: 'text', cell: () => 'a' }], rows: 2 }),
    ];
  };
  test('ends with one newline, no line ends with a space, no escape code without colour', () => {
    for (const out of outputs()) {
      expect(out.endsWith('\n')).toBe(true);
      expect(out.endsWith('\n\n')).toBe(false);
      expect(out).not.toMatch(/ $/m);
      expect(out).not.toMatch(ESC);
    }
  });
  test('with colour, every escape code is one of the four styles and their resets', () => {
    const { grid } = jacobian12();
    const out = renderGrid(grid, { width: 60, maxRows: 6, color: true });
    const codes = new Set(out.match(/\u001b\[\d+m/g));
    for (const code of codes) expect(['\u001b[1m', '\u001b[22m', '\u001b[36m', '\u001b[39m', '\u001b[2m', '\u001b[33m']).toContain(code);
  });
  test('an ASCII table has only ASCII in its borders and marker', () => {
    const out = renderGrid(countingGrid(300).grid, { unicode: false });
    expect(out).toMatch(/^[\x20-\x7e\n]*$/);
  });
});

describe('edge cases', () => {
  test('no columns and no stub: the title alone', () => {
    expect(renderGrid({ title: 'empty', stub: undefined, columns: [], rows: 3 })).toBe('empty\n');
  });
  test('no rows: the header only', () => {
    expect(renderGrid({ ...reluGrid(), rows: 0 })).toBe(['relu', '┌───┬───┬─────────┐', '│ i │ x │ relu(x) │', '├───┼───┼─────────┤', '└───┴───┴─────────┘', ''].join('\n'));
  });
  test('a stub with two label columns, no title', () => {
    const grid: Grid = { title: '', stub: { header: ['row', 'i'], labels: (k) => [String(Math.floor(k / 2)), String(k % 2)] }, columns: [numberColumn('x', [1, 2, 3, 4])], rows: 4 };
    expect(lines(renderGrid(grid))).toEqual([
      '┌─────┬───┬───┐',
      '│ row │ i │ x │',
      '├─────┼───┼───┤',
      '│ 0   │ 0 │ 1 │',
      '│ 0   │ 1 │ 2 │',
      '│ 1   │ 0 │ 3 │',
      '│ 1   │ 1 │ 4 │',
      '└─────┴───┴───┘',
    ]);
  });
  test('precision', () => {
    const grid: Grid = { title: '', stub: undefined, columns: [numberColumn('p', [Math.PI])], rows: 1 };
    expect(renderGrid(grid, { precision: 3 })).toContain('│ 3.14 │');
  });
  test.each([{ width: 0 }, { width: NaN }, { maxRows: -1 }, { maxRows: 2.5 }, { precision: 0 }])('refuses %p', (options) => {
    expect(() => renderGrid(reluGrid(), options)).toThrow(RangeError);
  });
});
