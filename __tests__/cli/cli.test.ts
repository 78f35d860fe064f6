import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { lookup, registry } from '../../src/functions/registry';
import { actgrad, ESCAPE } from '../helpers/run';

const oneLineError = (r: { code: number; stdout: string; stderr: string }, fragment: string): void => {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^actgrad: error: /);
  expect(lines[0]).toContain(fragment);
  expect(r.stderr).not.toMatch(/\n\s+at |undefined|\[object Object\]/);
};

describe('bad input: exit 2 and one line naming what to fix', () => {
  test.each([
    [['relu', '1', '2x', '3'], '"2x" (number 2) is not a number'],
    [['softmx', '1'], 'unknown function or command "softmx" (did you mean softmax?)'],
    [['relu', '--gard', '1'], "unknown option '--gard' (did you mean --grad?)"],
    [['mse', '1', '2'], 'mse needs --target (e.g. actgrad mse 1 2 --target 0,0 --grad)'],
    [['mse', '1', '2', '--target'], "option '--target <numbers>' argument missing"],
    [['mse', '1', '2', '--target', '1,x'], '--target: "x" (number 2) is not a number'],
    [['mse', '1', '2', '3', '--target', '1,2'], '--target has 2 numbers, the input has 3'],
    [['mse', '1 2; 3 4', '--target', '1,2'], '--target has 2 numbers, the input has 4 (shapes [2] and [2, 2])'],
    [['bce', '0.5', '1.5', '--target', '1,0'], 'bce: all elements of the input should be between 0 and 1, but number 2 is 1.5'],
    [['cross-entropy', '1', '2', '3', '--target', '3'], '--target 3 is not a class index; with 3 classes it must be a whole number from 0 to 2'],
    [['cross-entropy', '1 2 3; 4 5 6', '--target', '0,1,2'], "for 2 rows of 3 class scores give 2 class indices, or class probabilities of the input's shape [2, 3]"],
    [['nll', '-1', '-2', '--target', '0.5'], '--target 0.5 is not a class index'],
    [['glu', '1', '2', '3'], 'needs an even size; it has 3'],
    [['threshold', '1', '2'], 'threshold needs --threshold and --value'],
    [['gelu', '1', '--approximate', 'tan'], "argument 'tan' is invalid. Allowed choices are none, tanh"],
    [['relu', '--precision', '0', '1'], '--precision takes a whole number'],
    [['softmax', '1', '2', '--grad-output', '1'], '--grad-output has 1 number, but needs 2 (shape [2])'],
    [['softmax', '1 2; 3'], 'row 2 has 1 number, row 1 has 2'],
    [['relu'], 'no input numbers'],
    [['explain', 'sigmod'], 'unknown function "sigmod" (did you mean sigmoid?)'],
    [['hardtanh', '1', '--min-val', '2', '--max-val', '1'], '--min-val (2) cannot be greater than --max-val (1)'],
    [['multi-margin', '1', '2', '--target', '0', '--p', '3'], '--p must be 1 or 2'],
    [['cross-entropy', '1', '2', '--target', '0', '--weight', '1,2,3'], '--weight has shape [3], but needs one number per class: 2 numbers'],
    [['relu', '1', '--alpha', '2'], "unknown option '--alpha'"],
  ])('%p', (argv, fragment) => oneLineError(actgrad(argv, { stdin: argv[0] === 'relu' && argv.length === 1 ? '' : undefined }), fragment));
});

describe('negative numbers without --', () => {
  test('-1E3, -inf, -1e3, the Unicode minus and negative lists', () => {
    expect(actgrad(['relu', '-1E3', '-inf', '\u22122', '-1e3', '3']).stdout).toBe('0 0 0 0 3\n');
    expect(actgrad(['tanh', '-inf', '-Infinity', '-NaN']).stdout).toBe('-1 -1 nan\n');
    expect(actgrad(['mse', '-1,-2', '--target', '-1,-2']).stdout).toBe('0\n');
    expect(actgrad(['leaky-relu', '-2', '--negative-slope', '-0.5']).stdout).toBe('1\n');
  });
});

describe('aliases', () => {
  test('snake_case and PyTorch long loss names', () => {
    const base = actgrad(['bce', '0.9', '--target', '1']).stdout;
    expect(actgrad(['binary-cross-entropy', '0.9', '--target', '1']).stdout).toBe(base);
    expect(actgrad(['binary_cross_entropy', '0.9', '--target', '1']).stdout).toBe(base);
    expect(actgrad(['log_softmax', '1', '2']).stdout).toBe(actgrad(['log-softmax', '1', '2']).stdout);
    expect(actgrad(['mse-loss', '1', '--target', '0']).stdout).toBe('1\n');
  });
});

describe('input forms', () => {
  test('stdin with -, and stdin when no numbers are given', () => {
    expect(actgrad(['relu', '-'], { stdin: '-1\n2\n' }).stdout).toBe('0\n2\n'); // a column in is a column out
    expect(actgrad(['relu'], { stdin: '-1 2\n3 -4\n' }).stdout).toBe('0 2\n3 0\n');
  });
  test('class probabilities as target', () => {
    const idx = JSON.parse(actgrad(['cross-entropy', '2 1 0.1', '--target', '0', '--json']).stdout).value;
    const probs = JSON.parse(actgrad(['cross-entropy', '2 1 0.1', '--target', '1,0,0', '--json']).stdout).value;
    expect(probs).toBeCloseTo(idx, 15);
  });
  test('--grad-output gives the VJP', () => {
    const r = JSON.parse(actgrad(['softmax', '2', '1', '0.1', '--grad-output', '1,0,0', '--json']).stdout);
    const J = JSON.parse(actgrad(['softmax', '2', '1', '0.1', '-j', '--json']).stdout).jacobian;
    r.grad.forEach((g: number, j: number) => expect(g).toBeCloseTo(J[0][j], 15));
  });
});

describe('list, explain, help', () => {
  test('list --json holds every registry entry with its parameters', () => {
    const list = JSON.parse(actgrad(['list', '--json']).stdout) as { name: string; kind: string; written?: string[]; params?: unknown[] }[];
    // The registry's functions, then the expression language's built-ins.
    expect(list.filter((e) => e.kind !== 'builtin').map((e) => e.name)).toEqual(registry.map((d) => d.name));
    expect(list.find((e) => e.name === 'exp')).toMatchObject({ kind: 'builtin', written: ['torch.exp(input)', 'x.exp()', 'exp(input)'] });
    expect(list.find((e) => e.name === 'softplus')?.params).toEqual([
      { name: 'beta', flag: '--beta', type: 'number', default: 1 },
      { name: 'threshold', flag: '--threshold', type: 'number', default: 20 },
    ]);
  });
  test('list as text names every function, and has a section for the built-ins', () => {
    const out = actgrad(['list']).stdout;
    for (const d of registry) expect(out).toContain(d.name);
    expect(out).toMatch(/expression built-ins[^\n]*\n(?:.*\n)*? {2}clamp +min\(max\(input, min\), max\)/);
  });
  test('explain works for the built-ins of the expression language too', () => {
    const r = actgrad(['explain', 'torch.clamp']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('written     torch.clamp(input, min=None, max=None), x.clamp(min=None, max=None)');
    expect(actgrad(['explain', 'sine']).stderr).toBe('actgrad: error: unknown function "sine" (did you mean sin?); actgrad list shows them all\n');
  });
  test('explain shows formulas, parameters, the PyTorch call and the kink convention', () => {
    const out = actgrad(['explain', 'leaky_relu']).stdout;
    expect(out).toContain("leaky_relu'(x) = 1 if x > 0, else negative_slope");
    expect(out).toContain('--negative-slope');
    expect(out).toContain('default: 0.01');
    expect(out).toContain('torch.nn.functional.leaky_relu');
    expect(out).toContain("leaky_relu'(0) = negative_slope");
  });
  test.each(registry.map((d) => [d.name]))('%s --help shows an example and exits 0', (name) => {
    const r = actgrad([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Example:\n  $ actgrad ${lookup(name)!.kind === 'call' ? 'grad' : name}`);
  });
  test('actgrad --help lists the functions; no arguments is a usage error', () => {
    expect(actgrad(['--help']).stdout).toContain('softmax');
    const r = actgrad([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage: actgrad');
    expect(r.stderr.trimEnd().split('\n').length).toBeLessThanOrEqual(20);
  });
  test('every example in the registry runs', () => {
    for (const d of registry) {
      // Shell words: quoted parts (also inside a word, as in X="1 2; 3 4") lose their quotes.
      const argv = d.example.match(/(?:[^\s"]+|"[^"]*")+/g)!.map((w) => w.replace(/"/g, ''));
      expect({ example: d.example, code: actgrad(argv).code }).toEqual({ example: d.example, code: 0 });
    }
  });
});

describe('options before the function name', () => {
  // Each line as a user writes it, and the same with the options after the name.
  test.each([
    [['--json', 'softmax', '1', '2'], ['softmax', '1', '2', '--json']],
    [['--order', '2', '-g', 'sigmoid', '1'], ['sigmoid', '1', '-g', '--order', '2']],
    [['--target', '0,0', 'mse', '1', '2'], ['mse', '1', '2', '--target', '0,0']],
    [['--reduction', 'sum', '--target', '0,0', 'mse', '1', '2'], ['mse', '1', '2', '--target', '0,0', '--reduction', 'sum']],
    [['--negative-slope', '0.2', 'leaky-relu', '-1'], ['leaky-relu', '-1', '--negative-slope', '0.2']],
    // a value that is also a function's name, and a flag that is also one
    [['--approximate', 'tanh', 'gelu', '1'], ['gelu', '1', '--approximate', 'tanh']],
    [['--threshold', '1', '--value', '0', 'threshold', '0.5', '2'], ['threshold', '0.5', '2', '--threshold', '1', '--value', '0']],
    // a parameter that takes no value, before the function it belongs to
    [['--full', 'poisson-nll', '1', '--target', '2'], ['poisson-nll', '1', '--target', '2', '--full']],
    [['--expect', '0.5', 'sigmoid', '0'], ['sigmoid', '0', '--expect', '0.5']],
    [['--grad-output', '1,0', 'softmax', '1', '2'], ['softmax', '1', '2', '--grad-output', '1,0']],
    [['--wrt', 'x', 'grad', 'x*y', 'x=1', 'y=2'], ['grad', 'x*y', 'x=1', 'y=2', '--wrt', 'x']],
    [['--from', '-1', '--height', '5', 'plot', 'relu'], ['plot', 'relu', '--from', '-1', '--height', '5']],
  ])('%j', (before, after) => {
    const r = actgrad(before);
    expect(r.stderr).toBe('');
    expect(r).toEqual(actgrad(after));
  });

  test('an unknown option before the name is named as such', () => {
    expect(actgrad(['--foo', 'sigmoid', '1']).stderr).toBe("actgrad: error: unknown option '--foo'\n");
  });
});

describe('the real binary', () => {
  const bin = join(__dirname, '..', '..', 'bin', 'actgrad.js');
  test('pipes: softmax | log-softmax, with no escape codes', () => {
    const out = execFileSync('sh', ['-c', `node "${bin}" softmax 2 1 0.1 | node "${bin}" log-softmax`], { encoding: 'utf8' });
    expect(out.trim().split(' ')).toHaveLength(3);
    expect(out).not.toMatch(ESCAPE);
  });
  test('a closed pipe ends quietly', () => {
    const r = spawnSync('sh', ['-c', `node "${bin}" relu | head -c 1`], { input: '1\n'.repeat(200000), encoding: 'utf8' });
    expect(r.stderr).toBe('');
  });
  test('bad input: exit 2, one line on stderr', () => {
    const r = spawnSync('node', [bin, 'relu', '1', 'x'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('actgrad: error: "x" (number 2) is not a number\n');
  });
});

describe('help <name> and plot with its options first', () => {
  test('help with a name that is no function or command is an error, not the general help on stderr with exit 0', () => {
    expect(actgrad(['help', 'bogus'])).toEqual({ code: 2, stdout: '', stderr: 'actgrad: error: unknown function or command "bogus"; actgrad list shows them all\n' });
    expect(actgrad(['help', 'softmx'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'actgrad: error: unknown function or command "softmx" (did you mean softmax?); actgrad list shows them all\n',
    });
  });

  test('help help is the general help; help <function> and help <command> are theirs', () => {
    const general = actgrad(['help']);
    expect(general.code).toBe(0);
    expect(general.stdout.startsWith('Usage: actgrad <function> [numbers...] [options]\n')).toBe(true);
    expect(actgrad(['help', 'help'])).toEqual(general);
    const relu = actgrad(['help', 'relu']);
    expect(relu.stdout.startsWith('Usage: actgrad relu [options] [numbers...]\n\nrectified linear unit max(0, x)')).toBe(true);
    expect(relu).toEqual(actgrad(['relu', '--help']));
    expect(actgrad(['help', 'grad']).stdout.startsWith('Usage: actgrad grad [options] <expression> [bindings...]\n')).toBe(true);
    expect(actgrad(['help', 'grad'])).toEqual(actgrad(['grad', '--help']));
  });

  test('help <name> and <name> --help take every spelling the function takes (ReLU, Sigmoid, leaky_relu)', () => {
    expect(actgrad(['help', 'ReLU'])).toEqual(actgrad(['help', 'relu']));
    expect(actgrad(['ReLU', '--help'])).toEqual(actgrad(['help', 'relu']));
    const sigmoid = actgrad(['help', 'Sigmoid']);
    expect(sigmoid.code).toBe(0);
    expect(sigmoid.stdout.startsWith('Usage: actgrad sigmoid|logistic [options] [numbers...]\n')).toBe(true);
    expect(actgrad(['Sigmoid', '--help'])).toEqual(sigmoid);
    expect(actgrad(['help', 'leaky_relu']).stdout.startsWith('Usage: actgrad leaky-relu|leaky_relu [options] [numbers...]\n')).toBe(true);
    // an expression-only function: its explanation, as with --help
    const embedding = actgrad(['help', 'embedding']);
    expect(embedding.stdout.startsWith('embedding: look up rows of a weight matrix by integer index\n')).toBe(true);
    expect(embedding).toEqual(actgrad(['embedding', '--help']));
  });

  test("plot's options may stand before the plotted function, as after it", () => {
    const after = actgrad(['plot', 'gelu', '--approximate', 'tanh', '--width', '30', '--height', '8']);
    expect(after.code).toBe(0);
    expect(after.stderr).toBe('');
    expect(after.stdout).toContain('approximate=tanh');
    expect(actgrad(['plot', '--width', '30', '--height', '8', 'gelu', '--approximate', 'tanh'])).toEqual(after);
    expect(actgrad(['plot', '--approximate', 'tanh', '--width', '30', 'gelu', '--height', '8'])).toEqual(after);
    expect(actgrad(['--width', '30', 'plot', '--height', '8', 'gelu', '--approximate', 'tanh'])).toEqual(after);
    // and without a function it is still the error that asks for one
    expect(actgrad(['plot', '--width', '30'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'actgrad: error: plot needs a function: actgrad plot sigmoid (actgrad plot --help for the options)\n',
    });
  });
});
