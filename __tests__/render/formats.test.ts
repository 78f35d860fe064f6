import { actgrad, ESCAPE } from '../helpers/run';

describe('plain', () => {
  test('is the default when piped and holds only the last requested quantity', () => {
    expect(actgrad(['relu', '-1', '0', '2.5']).stdout).toBe('0 0 2.5\n');
    expect(actgrad(['relu', '-1', '0', '2.5', '--grad']).stdout).toBe('0 0 1\n');
    expect(actgrad(['softmax', '2', '1', '0.1', '-g', '-j']).stdout.trim().split('\n')).toHaveLength(3);
  });
  test('uses shortest round-trip numbers, and --precision when given', () => {
    expect(actgrad(['softmax', '2', '1', '0.1']).stdout).toBe('0.6590011388859679 0.24243297070471392 0.09856589040931818\n');
    expect(actgrad(['softmax', '2', '1', '0.1', '--precision', '3']).stdout).toBe('0.659 0.242 0.0986\n');
  });
  test('a matrix prints one line per row; batch Jacobians are blocks separated by a blank line', () => {
    expect(actgrad(['relu', '-1 2; 3 -4']).stdout).toBe('0 2\n3 0\n');
    expect(actgrad(['softmax', '1 2; 3 4', '-j']).stdout.split('\n\n')).toHaveLength(2);
  });
  test('non-finite numbers print as nan, inf, -inf and read back', () => {
    const out = actgrad(['relu', 'nan', 'inf', '-inf']).stdout;
    expect(out).toBe('nan inf 0\n');
    expect(actgrad(['tanh'], { stdin: out }).stdout).toBe('nan 1 0\n');
  });
  test('chains: softmax | log-softmax gives the log-softmax of the softmax', () => {
    const first = actgrad(['softmax', '2', '1', '0.1']).stdout;
    const second = actgrad(['log-softmax'], { stdin: first }).stdout.trim().split(' ').map(Number);
    const y = first.trim().split(' ').map(Number);
    const lse = Math.log(y.reduce((s, v) => s + Math.exp(v), 0));
    second.forEach((v, i) => expect(v).toBeCloseTo(y[i] - lse, 15));
  });
});

describe('json', () => {
  test('has the contract\'s fields, params with PyTorch names and defaults', () => {
    const r = actgrad(['leaky-relu', '-1', '2', '--grad', '--json']);
    expect(JSON.parse(r.stdout)).toEqual({ function: 'leaky-relu', params: { negative_slope: 0.01 }, input: [-1, 2], value: [-0.01, 2], grad: [0.01, 1] });
  });
  test('losses add the target and every parameter in effect', () => {
    const r = JSON.parse(actgrad(['cross-entropy', '2 1 0.1', '--target', '0', '--grad', '--json']).stdout);
    expect(r.params).toEqual({ weight: null, ignore_index: -100, label_smoothing: 0, reduction: 'mean' });
    expect(r.target).toBe(0);
    expect(r.value).toBeCloseTo(0.4170300162778335, 15);
    // softmax(x) − onehot(0), the closed form
    const e = [2, 1, 0.1].map(Math.exp);
    const total = e[0] + e[1] + e[2];
    (r.grad as number[]).forEach((g, i) => expect(g).toBeCloseTo(e[i] / total - (i === 0 ? 1 : 0), 15));
  });
  test('non-finite numbers are the strings NaN, Infinity, -Infinity', () => {
    expect(JSON.parse(actgrad(['relu', 'nan', 'inf', '--json', '-g']).stdout)).toMatchObject({ value: ['NaN', 'Infinity'], grad: [1, 1] }); // relu's backward selects: PyTorch's relu'(nan) is 1
    expect(JSON.parse(actgrad(['logsumexp', '-inf', '-inf', '--json']).stdout).value).toBe('-Infinity');
  });
  test('--format json is the same as --json', () => {
    expect(actgrad(['relu', '1', '--format', 'json']).stdout).toBe(actgrad(['relu', '1', '--json']).stdout);
  });
  test('jacobian of a batch: one matrix per row', () => {
    const r = JSON.parse(actgrad(['softmax', '[[1,2],[3,5]]', '-j', '--json']).stdout);
    // diag(p) − ppᵀ for each row, p = softmax(row)
    const blocks = [[1, 2], [3, 5]].map(([a, b]) => {
      const p = [1 / (1 + Math.exp(b - a)), 1 / (1 + Math.exp(a - b))];
      return [[p[0] * (1 - p[0]), -p[0] * p[1]], [-p[0] * p[1], p[1] * (1 - p[1])]];
    });
    expect(r.jacobian).toHaveLength(2);
    (r.jacobian as number[][][]).forEach((block, b) => block.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(blocks[b][i][j], 15))));
  });
});

describe('csv and tsv', () => {
  test('aligned quantities as columns with a header', () => {
    expect(actgrad(['relu', '-1', '2', '--grad', '--format', 'csv']).stdout).toBe('i,x,relu,grad\n0,-1,0,0\n1,2,2,1\n');
    expect(actgrad(['relu', '-1', '2', '--format', 'tsv']).stdout).toBe('i\tx\trelu\n0\t-1\t0\n1\t2\t2\n');
  });
  test('a loss gradient with the target column', () => {
    expect(actgrad(['mse', '1', '2', '--target', '0,0', '-g', '--format', 'csv']).stdout).toBe('i,x,target,grad\n0,1,0,1\n1,2,0,2\n');
  });
  test('a Jacobian as a matrix labelled by output and input', () => {
    const lines = actgrad(['softmax', '1', '2', '-j', '--format', 'csv']).stdout.trim().split('\n');
    expect(lines[0]).toBe('output,x0,x1');
    expect(lines[1].startsWith('y0,')).toBe(true);
  });
});

describe('table', () => {
  test('no escape code at all when stdout is not a terminal, borders included', () => {
    const r = actgrad(['softmax', '2', '1', '0.1', '--jacobian', '--format', 'table']);
    expect(r.stdout).toContain('┌');
    expect(r.stdout).not.toMatch(ESCAPE);
  });
  test('colour on a terminal, none with NO_COLOR or --no-color', () => {
    expect(actgrad(['softmax', '2', '1', '0.1'], { tty: true }).stdout).toMatch(ESCAPE);
    expect(actgrad(['softmax', '2', '1', '0.1'], { tty: true, env: { NO_COLOR: '1' } }).stdout).not.toMatch(ESCAPE);
    expect(actgrad(['softmax', '2', '1', '0.1', '--no-color'], { tty: true }).stdout).not.toMatch(ESCAPE);
  });
  test('is the default on a terminal, with 6 significant digits and a Jacobian matrix', () => {
    const out = actgrad(['softmax', '2', '1', '0.1', '-j', '--no-color'], { tty: true }).stdout;
    expect(out).toContain('0.659001');
    expect(out).toMatch(/│\s+│\s+x0 │\s+x1 │\s+x2 │/);
    expect(out).toMatch(/│ y1 │ -0\.159764/);
  });
  test('--precision applies', () => {
    expect(actgrad(['softmax', '2', '1', '0.1', '--format', 'table', '--precision', '3']).stdout).toContain('0.659 ');
  });
});
