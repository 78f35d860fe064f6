/**
 * The CLI on a terminal and off it (issue 17): the table fitted to the terminal's width, colour
 * by --color / FORCE_COLOR / NO_COLOR / TERM=dumb, ASCII borders and ASCII titles and headers when
 * the locale is not UTF-8. In-process through the IO object (stdoutIsTTY, columns, env), and a few
 * runs of the built binary on a pseudo-terminal (util-linux script) and in pipes.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { asciiText, wrapText } from '../../src/render/grid';
import { textWidth } from '../../src/render/text-width';
import { actgrad, ESCAPE } from '../helpers/run';
import type { IO } from '../../src/cli/io';
import { run } from '../../src/cli/run';

// eslint-disable-next-line no-control-regex
const stripAnsi = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, '');

/** actgrad on a fake terminal of `columns` columns. */
function onTerminal(argv: string[], columns: number, env: Record<string, string> = {}): string {
  let stdout = '';
  const io: IO = { stdout: (s) => (stdout += s), stderr: () => {}, stdoutIsTTY: true, stdinIsTTY: true, columns, readStdin: () => '', env };
  expect(run(argv, io)).toBe(0);
  return stdout;
}

const seq = (n: number): string[] => Array.from({ length: n }, (_, i) => String(i + 1));

describe('the table fits the terminal', () => {
  test.each([[60], [80], [120]])('softmax $(seq 12) --jacobian on %i columns: column blocks, no line wider than the terminal', (columns) => {
    const out = stripAnsi(onTerminal(['softmax', ...seq(12), '--jacobian'], columns));
    for (const line of out.split('\n')) expect({ line, width: textWidth(line) <= columns }).toEqual({ line, width: true });
    expect(out).toMatch(/columns 0–\d+ of 12/);
    // Every column of the Jacobian is shown once.
    const headers = out.split('\n').filter((l) => /^│\s+│/.test(l)).flatMap((l) => l.match(/x\d+/g) ?? []);
    expect(headers).toEqual(Array.from({ length: 12 }, (_, j) => `x${j}`));
  });

  test('a heading longer than the terminal is wrapped at spaces', () => {
    const out = stripAnsi(onTerminal(['mse', '1', '2', '--target', '0,0', '--grad'], 60));
    const heading = out.split('\n\n')[0].split('\n');
    expect(heading.length).toBeGreaterThan(1);
    for (const line of heading) expect(textWidth(line)).toBeLessThanOrEqual(60);
    expect(heading.join(' ').replace(/\s+/g, ' ')).toContain("torch.nn.functional.mse_loss(input, target, size_average=None, reduce=None, reduction='mean')");
  });

  test('wrapText keeps a word longer than the width whole and indents what follows', () => {
    expect(wrapText('short', 80)).toBe('short');
    expect(wrapText('aaa bbb ccc', Infinity)).toBe('aaa bbb ccc');
    expect(wrapText('aaa bbb ccc', 7)).toBe('aaa bbb\n    ccc');
    expect(wrapText('averyveryverylongword x', 5)).toBe('averyveryverylongword\n    x');
    // A run of spaces is a place to break too, and stays as it is where the line does not break.
    expect(wrapText('f (a=1, b=2)  ≙  torch.f(a, b)', 20)).toBe('f (a=1, b=2)  ≙\n    torch.f(a, b)');
    expect(wrapText('f (a=1)  ≙  torch.f(a)', 80)).toBe('f (a=1)  ≙  torch.f(a)');
  });

  test('a long tensor parameter is cut in the heading, with its count', () => {
    const weight = Array.from({ length: 20 }, (_, i) => i / 10).join(',');
    const out = stripAnsi(onTerminal(['cross-entropy', Array.from({ length: 20 }, (_, i) => String(i % 3)).join(','), '--target', '1', '--weight', weight], 200));
    expect(out.split('\n')[0]).toContain('weight=[0, 0.1, 0.2, …, 1.8, 1.9] (20 numbers)');
  });
});

describe('colour', () => {
  const cases: [string, boolean, Record<string, string>, string[], boolean][] = [
    ['a terminal', true, {}, [], true],
    ['a pipe', false, {}, [], false],
    ['a pipe with FORCE_COLOR=1', false, { FORCE_COLOR: '1' }, [], true],
    ['a terminal with FORCE_COLOR=0', true, { FORCE_COLOR: '0' }, [], false],
    ['a terminal with NO_COLOR', true, { NO_COLOR: '1' }, [], false],
    ['a terminal with TERM=dumb', true, { TERM: 'dumb' }, [], false],
    ['a terminal with --color never', true, {}, ['--color', 'never'], false],
    ['a terminal with --no-color', true, {}, ['--no-color'], false],
    ['a pipe with --color always', false, { NO_COLOR: '1' }, ['--color', 'always'], true],
    ['options before the function', false, {}, ['--color', 'always'], true],
  ];
  test.each(cases)('%s', (label, tty, env, flags, coloured) => {
    const argv = label === 'options before the function' ? [...flags, '--format', 'table', 'sigmoid', '1', 'nan'] : ['sigmoid', '1', 'nan', '--format', 'table', ...flags];
    const out = actgrad(argv, { tty, env }).stdout;
    expect(ESCAPE.test(out)).toBe(coloured);
    // The same table with the escape codes taken out.
    expect(stripAnsi(out)).toBe(actgrad(['sigmoid', '1', 'nan', '--format', 'table', '--color', 'never']).stdout);
  });
});

describe('colour of list, by the same rule as the tables', () => {
  test.each<[string, boolean, Record<string, string>, string[], boolean]>([
    ['a terminal', true, {}, [], true],
    ['a terminal with TERM=dumb', true, { TERM: 'dumb' }, [], false],
    ['a terminal with NO_COLOR', true, { NO_COLOR: '1' }, [], false],
    ['a terminal with --no-color', true, {}, ['--no-color'], false],
    ['a terminal with --color never', true, {}, ['--color', 'never'], false],
    ['a pipe', false, {}, [], false],
    ['a pipe with FORCE_COLOR=1', false, { FORCE_COLOR: '1' }, [], true],
    ['a pipe with --color always', false, {}, ['--color', 'always'], true],
  ])('%s', (_label, tty, env, flags, coloured) => {
    const r = actgrad(['list', ...flags], { tty, env });
    expect(r.code).toBe(0);
    expect(ESCAPE.test(r.stdout)).toBe(coloured);
    expect(stripAnsi(r.stdout)).toBe(actgrad(['list']).stdout);
  });
});

describe('--help fits the terminal', () => {
  test.each([[80], [100]])('on %i columns no line is wider, and each description wraps beside its name', (columns) => {
    const out = onTerminal(['--help'], columns);
    for (const line of out.split('\n')) expect({ line, fits: textWidth(line) <= columns }).toEqual({ line, fits: true });
    // The names stay a column of their own: a function's line starts with its name and its summary.
    expect(out).toMatch(/^ {2}sigmoid {2,}logistic function/m);
    expect(out).toMatch(/^ {2}grad <expression> \[bindings\.\.\.\] {2,}autograd/m);
    // Its own help still has the aliases and the PyTorch call.
    expect(onTerminal(['sigmoid', '--help'], columns)).toContain('sigmoid|logistic');
    expect(onTerminal(['sigmoid', '--help'], columns)).toContain('[torch.sigmoid(input)]');
  });
});

describe('a locale that is not UTF-8: ASCII borders, titles and headers', () => {
  const commands = [
    ['mse', '1', '2', '--target', '0,0', '--grad'],
    ['mse', '1', '2', '--target', '0,0', '--grad', '--reduction', 'none'],
    ['softmax', '1', '2', '--jacobian', '--jvp', '1,0'],
    ['logsumexp', '1', '2', '--jacobian'],
    ['tanh', '1', '2', '--hessian', '--hvp', '1,1'],
    ['sigmoid', ...seq(60), '--grad', '--order', '2'],
    ['grad', 'sum(x*w)', 'x=1,2', 'w=3,4'],
  ];
  test.each(commands.map((c) => [c.join(' '), c]))('%s', (_label, argv) => {
    const locales: Record<string, string>[] = [{ LANG: 'C' }, { LC_ALL: 'POSIX', LANG: 'en_US.UTF-8' }, { LC_CTYPE: 'en_US.ISO-8859-1' }];
    for (const env of locales) {
      const out = onTerminal(argv as string[], 80, env);
      expect(stripAnsi(out)).toMatch(/^[\x00-\x7f]*$/); // eslint-disable-line no-control-regex
      expect(out).toContain('+---');
    }
    // In a UTF-8 locale, the box drawing and the signs as they are.
    expect(onTerminal(argv as string[], 80, { LANG: 'C.UTF-8' })).toContain('┌');
  });

  test.each([
    ['an --expect table', ['relu', '1', '2', '--expect', '1,3']],
    ['a formula --expect', ['sigmoid', '0.5', '-g', '--expect', 'x*(1-x)']],
    ['--gradcheck with --step', ['softmax', '1', '2', '--gradcheck', '--step', '1e-4']],
    ['grad --steps', ['grad', 'h = torch.sigmoid(w*x); (h - y)**2', 'w=0.5', 'x=2', 'y=1', '--steps']],
    ['grad --symbolic', ['grad', 'x**3 * w', 'x=2', 'w=1', '--symbolic']],
    ['plot', ['plot', 'sigmoid', '--height', '8']],
  ])('%s: ASCII, its tables aligned', (_label, argv) => {
    let stdout = '';
    const io: IO = { stdout: (s) => (stdout += s), stderr: () => {}, stdoutIsTTY: true, stdinIsTTY: true, columns: 100, readStdin: () => '', env: { LANG: 'C' } };
    run(argv, io);
    const out = stripAnsi(stdout);
    expect(out).toMatch(/^[\x00-\x7f]*$/); // eslint-disable-line no-control-regex
    // Each table's lines are as wide as its top border.
    const lines = out.split('\n');
    lines.forEach((line, k) => {
      if (!/^\+-/.test(line) || (k > 0 && /^[+|]/.test(lines[k - 1]))) return;
      for (let j = k; j < lines.length && /^[+|]/.test(lines[j]); j++) expect({ line: lines[j], width: lines[j].length }).toEqual({ line: lines[j], width: line.length });
    });
  });

  test('derivatives and signs have ASCII spellings', () => {
    const out = stripAnsi(onTerminal(['mse', '1', '2', '--target', '0,0', '--grad'], 200, { LANG: 'C' }));
    expect(out).toContain('d(loss)/dx');
    expect(out).toContain('mse (reduction=mean)  =  torch.nn.functional.mse_loss');
    expect(stripAnsi(onTerminal(['mse', '1', '--target', '0', '-g', '--reduction', 'none'], 80, { LANG: 'C' }))).toContain('d(sum loss)/dx');
    expect(stripAnsi(onTerminal(['softmax', '1', '2', '-j'], 80, { LANG: 'C' }))).toContain('Jacobian dy_i/dx_j');
    expect(stripAnsi(onTerminal(['sigmoid', ...seq(50)], 80, { LANG: 'C' }))).toContain('... 10 more rows');
  });

  test.each([
    ['∂loss/∂x', 'd(loss)/dx'],
    ['∂(Σ loss)/∂x', 'd(sum loss)/dx'],
    ['∂y/∂x', 'dy/dx'],
    ['∂y_i/∂x_j', 'dy_i/dx_j'],
    ['∂f/∂w[0]', 'df/dw[0]'],
    ['∂²s/∂x_i∂x_j', 'd2s/(dx_i dx_j)'],
    ['J·v', 'J*v'],
    ['σ′(x)', "sigma'(x)"],
    ['columns 0–3 of 12', 'columns 0-3 of 12'],
    ['softmax  ≙  torch.softmax', 'softmax  =  torch.softmax'],
    ['café', 'cafe'],
    ['漢', '?'],
    ['plain ascii', 'plain ascii'],
  ])('asciiText(%s) = %s', (text, ascii) => expect(asciiText(text)).toBe(ascii));
});

describe('csv, tsv and json: ASCII headers, notes and keys', () => {
  const commands = [
    ['sigmoid', '1', '2', '--grad', '--order', '2'],
    ['softmax', '1 2; 3 4', '--jacobian'],
    ['mse', '1', '2', '--target', '0,0', '--hessian'],
    ['softmax', '1', '2', '--hvp', '1,0'],
    ['softmax', '1', '2', '--jvp', '1,0'],
    ['layer-norm', '1 2 3', '--grad'],
    ['grad', 'sum(x**2 * w)', 'x=1,2', 'w=3', '--hessian'],
    ['grad', 'x * w', 'x=1,2', 'w=3', '--jacobian'],
    ['relu', '1', '2', '--expect', '1,3'],
    ['sigmoid', '0.5', '-g', '--expect', 'x*(1-x)'],
    ['softmax', '1', '2', '--gradcheck'],
    ['sigmoid', '1', '--grad', '--order', '2', '--gradcheck', '--step', '1e-4'],
  ];
  test.each(commands.map((c) => [c.join(' '), c]))('%s', (_label, argv) => {
    for (const format of ['csv', 'tsv']) {
      const out = actgrad([...(argv as string[]), '--format', format]).stdout;
      expect(out.length).toBeGreaterThan(0);
      // The header line and the '#' notes: nothing but ASCII.
      const lines = out.split('\n');
      for (const line of [lines[0], ...lines.filter((l) => l.startsWith('#'))]) expect({ format, line }).toEqual({ format, line: line.replace(/[^\x00-\x7f]/g, '?') });
    }
    const keys = (v: unknown): string[] => (Array.isArray(v) ? v.flatMap(keys) : v && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => [k, ...keys(x)]) : []);
    for (const key of keys(JSON.parse(actgrad([...(argv as string[]), '--json']).stdout))) expect(key).toMatch(/^[\x00-\x7f]+$/); // eslint-disable-line no-control-regex
  });
});

describe('the built binary on a pseudo-terminal and in pipes', () => {
  const ROOT = join(__dirname, '..', '..');
  const BIN = join(ROOT, 'bin', 'actgrad.js');
  const haveScript = spawnSync('script', ['--version']).status === 0;
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', TERM: 'xterm-256color', LANG: 'C.UTF-8' };
  /** The command on a pty of 80 columns (script gives 0×0 when its stdin is not a terminal: size it). */
  const onPty = (command: string, extra: Record<string, string> = {}): string => {
    const r = spawnSync('script', ['-q', '-e', '-c', `stty cols 80 rows 50; ${command}`, '/dev/null'], { cwd: ROOT, env: { ...env, ...extra }, encoding: 'utf8', timeout: 30000 });
    return r.stdout.replace(/\r\n/g, '\n');
  };
  const piped = (args: string[], extra: Record<string, string> = {}) => spawnSync('node', [BIN, ...args], { cwd: ROOT, env: { ...env, ...extra }, encoding: 'utf8', input: '' });

  (haveScript ? test : test.skip)('on a terminal: a coloured table in blocks that fit 80 columns; ASCII under LANG=C; none of it piped', () => {
    const tty = onPty(`node ${BIN} softmax ${seq(12).join(' ')} --jacobian`);
    expect(tty).toMatch(ESCAPE);
    expect(tty).toContain('┌');
    for (const line of stripAnsi(tty).split('\n')) expect(textWidth(line)).toBeLessThanOrEqual(80);
    const ascii = stripAnsi(onPty(`node ${BIN} mse 1 2 --target 0,0 --grad`, { LANG: 'C' }));
    expect(ascii).toMatch(/^[\x00-\x7f]*$/); // eslint-disable-line no-control-regex
    expect(ascii).toContain('d(loss)/dx');
    expect(onPty(`node ${BIN} sigmoid 1 2`, { TERM: 'dumb' })).not.toMatch(ESCAPE);
    expect(onPty(`node ${BIN} sigmoid 1 2`, { NO_COLOR: '1' })).not.toMatch(ESCAPE);
    // Piped: plain, no colour; FORCE_COLOR colours a table asked for.
    expect(piped(['sigmoid', '1', '2']).stdout).toBe('0.7310585786300049 0.8807970779778823\n');
    expect(piped(['sigmoid', '1', '2', '--format', 'table'], { FORCE_COLOR: '1' }).stdout).toMatch(ESCAPE);
    expect(piped(['sigmoid', '1', '2', '--format', 'table']).stdout).not.toMatch(ESCAPE);
  });

  test('actgrad alone, not on a terminal: the short usage on stderr, exit 2', () => {
    const r = piped([]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n').length).toBeLessThanOrEqual(20);
    expect(r.stderr).toMatch(/^usage: actgrad/);
    // standard error may be a terminal: no line wider than 80 columns
    for (const line of r.stderr.split('\n')) expect(textWidth(line)).toBeLessThanOrEqual(80);
  });

  test('plot --svg -: the SVG alone on stdout, the status on stderr', () => {
    const r = piped(['plot', 'sigmoid', '--svg', '-', '--width', '300', '--height', '200']);
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith('<?xml')).toBe(true);
    expect(r.stdout.trimEnd().endsWith('</svg>')).toBe(true);
    expect(r.stdout).toContain('width="300" height="200"');
    expect(r.stderr).toMatch(/^wrote the SVG to standard output/);
  });

  test('seq -2 2 | actgrad sigmoid | paste: a column in is a column out, line for line', () => {
    const r = spawnSync('bash', ['-c', `seq -2 2 | node ${BIN} sigmoid | paste <(seq -2 2) -`], { cwd: ROOT, env, encoding: 'utf8' });
    expect(r.stdout.trim().split('\n').map((l) => l.split('\t')[0])).toEqual(['-2', '-1', '0', '1', '2']);
    expect(r.stdout.trim().split('\n').every((l) => l.split('\t').length === 2)).toBe(true);
  });
});
