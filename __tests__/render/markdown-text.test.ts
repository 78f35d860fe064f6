/**
 * --format markdown beyond result grids (issue 16.4): verdicts, gradcheck reports, worked
 * solutions, --symbolic, explain and list, each table a GitHub-flavoured Markdown table (a header
 * row, a delimiter row, rows of the same number of cells); what has no Markdown form is refused.
 */
import { registry } from '../../src/functions/registry';
import { renderExplain, renderList } from '../../src/render/index';
import { codeSpan } from '../../src/render/markdown-text';
import { actgrad } from '../helpers/run';

const markdown = (argv: string[]): string => {
  const r = actgrad([...argv, '--format', 'markdown']);
  if (r.code === 2) throw new Error(r.stderr);
  return r.stdout;
};

/** The GFM tables of a text: runs of lines starting with '|'; each must have a delimiter row and equal cell counts. */
function tables(text: string): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  for (const line of [...text.split('\n'), '']) {
    if (line.startsWith('|')) current.push(line);
    else if (current.length) {
      out.push(current);
      current = [];
    }
  }
  for (const t of out) {
    expect(t.length).toBeGreaterThanOrEqual(2);
    expect(t[1]).toMatch(/^\|( :?-+:? \|)+$/);
    const cells = (l: string): number => l.replace(/\\\|/g, '').split('|').length;
    for (const l of t) expect(cells(l)).toBe(cells(t[0]));
  }
  return out;
}

describe('checks', () => {
  test('numbers: a table of expected, actual, difference and match, then the verdict and the hint', () => {
    const out = markdown(['mse', '1', '2', '3', '--target', '0,0,0', '--grad', '--expect', '2,4,6']);
    const [t] = tables(out);
    expect(t[0]).toMatch(/^\| index +\| expected +\| actual +\| difference +\| match +\|$/);
    expect(t).toHaveLength(5);
    expect(out).toContain('✗ 3 of 3 numbers do not match');
    expect(out).toContain('hint: the numbers match --reduction sum');
  });
  test('a formula: the formula as code and the verdict', () => {
    const out = markdown(['sigmoid', '0.3', '--grad', '--expect', 'sigmoid(x)*(1-sigmoid(x))']);
    expect(out).toContain('formula: `sigmoid(x)*(1-sigmoid(x))`');
    expect(out).toContain('✓ the formula agrees with the derivative at all 9 points');
    expect(tables(out)).toEqual([]);
  });
  test('gradcheck with --step: the estimates as a table', () => {
    const out = markdown(['softmax', '2', '1', '0.1', '--gradcheck', '--step', '1e-4']);
    const [t] = tables(out);
    expect(t[0]).toMatch(/entry.*analytic.*numerical.*difference/);
    expect(t).toHaveLength(2 + 9);
    expect(out).toContain("✓ within PyTorch gradcheck's tolerances");
  });
});

describe('steps, symbolic, explain, list', () => {
  test('--steps: the forward and the backward pass as tables', () => {
    const out = markdown(['grad', 'h = torch.relu(W @ x); (h ** 2).sum()', 'W=1 2; 3 4', 'x=1,-1', '--steps']);
    const [forward, backward] = tables(out);
    expect(forward[0]).toMatch(/node.*expression.*operation.*value/);
    expect(forward).toHaveLength(2 + 6);
    expect(backward[0]).toMatch(/node.*∂L\/∂node.*passes to its inputs/);
    expect(out).toContain('**gradients**');
  });
  test('--symbolic: one row per name, the formula as code', () => {
    const out = markdown(['grad', 'torch.sigmoid(w*x + b)', 'w=0.5', 'x=2', 'b=0.1', '--symbolic']);
    const t = tables(out).pop()!;
    expect(t.slice(2)).toEqual([
      '| ∂f/∂w | `x * sigmoid(w * x + b) * (1 - sigmoid(w * x + b))` |',
      '| ∂f/∂x | `w * sigmoid(w * x + b) * (1 - sigmoid(w * x + b))` |',
      '| ∂f/∂b | `sigmoid(w * x + b) * (1 - sigmoid(w * x + b))`     |',
    ]);
  });
  test.each(registry.map((d) => [d.name, d] as const))('explain %s', (_, d) => {
    let out = '';
    renderExplain(d, { format: 'markdown' }, (s) => (out += s));
    expect(out.startsWith(`## ${d.name}\n`)).toBe(true);
    const [t] = tables(out);
    expect(t.some((l) => l.startsWith('| derivative'))).toBe(true);
  });
  test('list: the table of every function', () => {
    let out = '';
    renderList({ format: 'markdown' }, (s) => (out += s));
    const [t] = tables(out);
    expect(t).toHaveLength(2 + registry.length);
  });
  test('what has no form is refused, not dropped', () => {
    expect(() => renderList({ format: 'latex' }, () => {})).toThrow('list has no latex form');
    expect(actgrad(['grad', 'x*x', 'x=2', '--symbolic', '--format', 'csv']).stderr).toBe('actgrad: error: --symbolic has no csv form; use --format table, plain, json, latex or markdown\n');
  });
  test('code spans hold backticks and pipes', () => {
    expect(codeSpan('a`b')).toBe('`` a`b ``');
  });
});
