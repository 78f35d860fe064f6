/**
 * --format latex: every output renders in KaTeX as printed (issue 16.3). The output is split into
 * its math blocks (\[ … \] and align*), nothing may stand outside them, and each block must pass
 * katex.renderToString with throwOnError and strict mode (no Unicode left that LaTeX would reject).
 */
import fc from 'fast-check';
import katex from 'katex';
import { registry } from '../../src/functions/registry';
import { parseExpression } from '../../src/parse/python/parser';
import { renderExplain } from '../../src/render/index';
import { mathText } from '../../src/render/latex-text';
import { formulaLatex } from '../../src/symbolic/latex';
import { actgrad } from '../helpers/run';

/** The math blocks of a LaTeX output, and anything found outside them. */
function blocks(text: string): { math: string[]; stray: string[] } {
  const math: string[] = [];
  const stray: string[] = [];
  const re = /\\\[([\s\S]*?)\\\]|\\begin\{align\*\}[\s\S]*?\\end\{align\*\}/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (text.slice(last, m.index).trim()) stray.push(text.slice(last, m.index));
    math.push(m[1] ?? m[0]);
    last = re.lastIndex;
  }
  if (text.slice(last).trim()) stray.push(text.slice(last));
  return { math, stray };
}

function render(tex: string): void {
  katex.renderToString(tex, { throwOnError: true, displayMode: true, strict: 'error' });
}

/** Renders every block of the output; returns the blocks for further checks. */
function expectRenders(text: string): string[] {
  const { math, stray } = blocks(text);
  expect(stray).toEqual([]);
  expect(math.length).toBeGreaterThan(0);
  for (const tex of math) {
    try {
      render(tex);
    } catch (e) {
      throw new Error(`${(e as Error).message}\nin: ${tex}`);
    }
  }
  return math;
}

const latex = (argv: string[]): string => {
  const r = actgrad([...argv, '--format', 'latex']);
  if (r.code === 2) throw new Error(r.stderr);
  return r.stdout;
};

describe('function results', () => {
  test.each([
    [['sigmoid', '0', '1', '-2']],
    [['sigmoid', '0', '1', '-2', '--grad']],
    [['sigmoid', '0', '1', '-2', '--grad', '--order', '3']],
    [['sigmoid', '-40', '40', 'nan', 'inf', '--grad']],
    [['softmax', '2', '1', '0.1', '-j']],
    [['softmax', '2 1 0.1; 0 1 2', '-j', '-g']],
    [['log-softmax', '2', '1', '0.1', '--grad-output', '1,0,0', '--hessian']],
    [['cross-entropy', '2 1 0.1; 0 1 2', '--target', '0,2', '-g', '--hessian']],
    [['mse', '1', '2', '--target', '0,3', '--hvp', '1,0', '--jvp', '0,1']],
    [['logsumexp', '1 2; 3 4', '-g']],
    [['relu', '[[[1,2],[3,4]],[[5,6],[7,8]]]', '-g']],
    [['hardtanh', '-2', '0', '2', '--min-val', '-1.5']],
  ])('%j', (argv) => {
    expectRenders(latex(argv));
  });
  test('quantities are labelled: ∂L/∂x for a loss, d/dx for an elementwise function, the Jacobian', () => {
    expect(latex(['mse', '1', '2', '--target', '0,3', '-g'])).toContain('\\frac{\\partial L}{\\partial x} &=');
    expect(latex(['sigmoid', '0', '--grad'])).toContain('\\frac{d}{dx} \\sigma\\left(x\\right) &= \\begin{bmatrix} 0.25 \\end{bmatrix}');
    expect(latex(['softmax', '2', '1', '-j'])).toContain('\\frac{\\partial y}{\\partial x} &= \\begin{bmatrix}');
  });
  test('large matrices are elided: at most 10 columns and rows, with ⋯ ⋮ ⋱', () => {
    const numbers = Array.from({ length: 15 }, (_, i) => String(i / 10));
    const [math] = expectRenders(latex(['softmax', ...numbers, '-j']));
    const matrix = /\\begin\{bmatrix\}([\s\S]*?)\\end\{bmatrix\}/.exec(math.split('\\partial x}')[1])![1];
    const rows = matrix.split('\\\\');
    expect(rows).toHaveLength(10);
    for (const row of rows) expect(row.split('&')).toHaveLength(10);
    expect(matrix).toContain('\\cdots');
    expect(matrix).toContain('\\vdots');
    expect(matrix).toContain('\\ddots');
    // --rows all shows every row (columns stay within amsmath's 10)
    const all = /\\begin\{bmatrix\}([\s\S]*?)\\end\{bmatrix\}/.exec(latex(['softmax', ...numbers, '-j', '--rows', 'all']).split('\\partial x}')[1])![1];
    expect(all.split('\\\\')).toHaveLength(15);
  });
});

describe('grad results, --symbolic and --steps', () => {
  test.each([
    [['grad', 'torch.sigmoid(w*x + b)', 'w=0.5', 'x=2', 'b=0.1']],
    [['grad', 'torch.sigmoid(w*x + b)', 'w=0.5', 'x=2', 'b=0.1', '--symbolic']],
    [['grad', 'F.mse_loss(W @ x + b, y)', 'W=1 2; 3 4', 'x=1,-1', 'b=0,1', 'y=1,1', '--symbolic']],
    [['grad', 'h = torch.relu(W1 @ x); x_hat = h / h.sum(); (x_hat ** 2).sum()', 'W1=1 2; 3 4', 'x=1,0.5']],
    [['grad', 'W @ x', 'W=1 2; 3 4', 'x=1,-1', '-j']],
    [['grad', 'x**3 - 2*x*alpha', 'x=1.5', 'alpha=2', '--hessian', '--hvp', '1,0']],
    [['grad', 'F.cross_entropy(z, 2) + torch.where(z > 0, z, 0.1*z).sum()', 'z=1,-2,3', '--symbolic']],
    [['grad', 'F.gelu(x) + F.elu(x) + F.hardswish(x) + torch.clamp(x, min=0) + torch.norm(y) + F.softplus(x, beta=2)', 'x=0.3', 'y=1,2', '--symbolic']],
    [['grad', 'h = torch.relu(W @ x); (h ** 2).sum()', 'W=1 2; 3 4', 'x=1,-1', '--steps']],
    [['grad', 'F.mse_loss(torch.sigmoid(w*x + b), y)', 'w=0.5', 'x=2', 'b=0.1', 'y=1', '--steps']],
    [['grad', 'F.softmax(z, dim=0)[1] + torch.outer(a, a).sum() + z.T @ z', 'z=1,2,3', 'a=0.5,-1', '--steps']],
  ])('%j', (argv) => {
    expectRenders(latex(argv));
  });
  test('--symbolic derivatives are equations: ∂f/∂w = x σ(…)(1 − σ(…))', () => {
    const out = latex(['grad', 'torch.sigmoid(w*x + b)', 'w=0.5', 'x=2', 'b=0.1', '--symbolic']);
    expect(out).toContain('\\frac{\\partial f}{\\partial w} &= x \\cdot \\sigma\\left(w \\cdot x + b\\right) \\cdot \\left(1 - \\sigma\\left(w \\cdot x + b\\right)\\right)');
  });
  test('--steps: an align* of the forward pass and one of the backward pass', () => {
    const out = latex(['grad', 'h = torch.relu(W @ x); (h ** 2).sum()', 'W=1 2; 3 4', 'x=1,-1', '--steps']);
    expect(out.match(/\\begin\{align\*\}/g)).toHaveLength(2);
    expect(out).toContain('t_{1} &= W\\, x = ');
    expect(out).toContain('\\frac{\\partial L}{\\partial W} &=');
  });
});

describe('checks', () => {
  test.each([
    [['softmax', '2', '1', '0.1', '--expect', '0.659,0.242,0.0986']],
    [['softmax', '2', '1', '0.1', '--expect', '0.65,0.24,0.09']],
    [['mse', '1', '2', '3', '--target', '0,0,0', '--grad', '--expect', '2,4,6']],
    [['sigmoid', '0.3', '--grad', '--expect', 'sigmoid(x)*(1-sigmoid(x))']],
    [['sigmoid', '0.3', '--grad', '--expect', 'x*(1-x)']],
    [['grad', 'x**2', 'x=0', '--expect', '2*x + 0*math.sqrt(x.item())']],
    [['softmax', '2', '1', '0.1', '--gradcheck']],
    [['sigmoid', '0.3', '-1', '--hessian', '--gradcheck', '--step', '1e-4']],
    [['grad', 'torch.sqrt(x)', 'x=0,1', '--jacobian', '--gradcheck']],
    [['relu', '-1', '0', '2', '--gradcheck']],
  ])('%j', (argv) => {
    expectRenders(latex(argv));
  });
});

describe('explain --format latex', () => {
  test.each(registry.map((d) => [d.name, d] as const))('%s', (_, d) => {
    let out = '';
    renderExplain(d, { format: 'latex' }, (s) => (out += s));
    expectRenders(out);
  });
  test('σ, ∂, ², ·, subscripts are LaTeX', () => {
    let out = '';
    renderExplain(registry.find((d) => d.name === 'sigmoid')!, { format: 'latex' }, (s) => (out += s));
    expect(out).toContain("\\sigma'(x) = \\sigma(x) \\cdot (1 - \\sigma(x))");
    expect(mathText('∂L/∂x_ij = x² · y')).toBe('\\frac{\\partial L}{\\partial x_{ij}} = x^{2} \\cdot y');
  });
});

describe('formulas as LaTeX (fast-check): every formula of the language that actgrad prints renders', () => {
  const atom = fc.constantFrom('x', 'y', 'w1', 'x_hat', 'alpha', '2', '0.5', '1e-12', 'math.pi');
  const formula: fc.Arbitrary<string> = fc.letrec<{ f: string }>((tie) => ({
    f: fc.oneof(
      { depthSize: 'small' },
      atom,
      fc.tuple(fc.constantFrom('torch.exp', 'torch.log', 'torch.sqrt', 'torch.abs', 'torch.sigmoid', 'torch.tanh', 'F.softmax', 'torch.sum', 'F.relu', 'torch.norm'), tie('f')).map(([f, a]) => `${f}(${a})`),
      fc.tuple(fc.constantFrom('+', '-', '*', '/', '**', '@'), tie('f'), tie('f')).map(([op, a, b]) => `(${a}) ${op} (${b})`),
      tie('f').map((a) => `-(${a})`),
      tie('f').map((a) => `(${a}).T`),
      fc.tuple(tie('f'), tie('f')).map(([a, b]) => `torch.where((${a}) > 0, ${b}, 0)`),
      tie('f').map((a) => `torch.eye(3)[1] * (${a})[0]`),
    ),
  })).f;
  test('renders in KaTeX', () => {
    fc.assert(
      fc.property(formula, (f) => {
        render(formulaLatex(parseExpression(f), new Set(['x', 'y'])));
      }),
      { numRuns: 300, seed: 3 },
    );
  });
});
