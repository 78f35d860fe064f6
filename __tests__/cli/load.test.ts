/**
 * The packed CLI (scripts/pack.js, src/cli/load.ts) must be the compiled CLI, only faster to
 * start: every compiled module in exactly one pack, one instance of each module whatever pack
 * requires it, and the same output and exit code as plain require() for every kind of command.
 * npm test builds (and packs) first.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist');
const BIN = join(ROOT, 'bin', 'actgrad.js');

type PackIndex = { stamp: number; modules: Record<string, string> };
const index = (): PackIndex => JSON.parse(readFileSync(join(DIST, 'pack', 'index.json'), 'utf8')) as PackIndex;

function sourceModules(dir = join(ROOT, 'src')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceModules(join(dir, e.name)) : e.name.endsWith('.ts') ? [relative(join(ROOT, 'src'), join(dir, e.name)).split(sep).join('/').replace(/\.ts$/, '.js')] : [],
  );
}

test('every compiled module of src/ is in a pack (the loader is not), and each pack file exists', () => {
  const { modules } = index();
  const expected = sourceModules().filter((m) => m !== 'cli/load.js' && existsSync(join(DIST, m)));
  expect(Object.keys(modules).filter((m) => m.endsWith('.js')).sort()).toEqual(expected.sort());
  expect(modules['functions/registry-index.json']).toBeDefined();
  for (const pack of new Set(Object.values(modules))) expect(existsSync(join(DIST, 'pack', `${pack}.js`))).toBe(true);
});

test('a packed module exists once: the error classes thrown in one pack are those caught in another', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { openPacks } = require(join(DIST, 'cli', 'load.js')) as typeof import('../../src/cli/load');
  const packs = openPacks();
  expect(packs).toBeDefined();
  expect(packs!.require('errors.js')).toBe(packs!.require('errors.js'));
  const { run } = packs!.require('cli/run.js') as typeof import('../../src/cli/run');
  let err = '';
  const io = { stdout: () => {}, stderr: (s: string) => (err += s), stdoutIsTTY: false, stdinIsTTY: false, readStdin: () => '', env: {} };
  // grad's evaluator (pack "grad") throws ExpressionError from errors.js (pack "cli"); run() reports it as one line.
  expect(run(['grad', 'x +* 2', 'x=1'], io)).toBe(2);
  expect(err).toMatch(/^actgrad: error: .*\n.*\^\n$/);
  expect(err).not.toMatch(/internal error/);
});

describe('packed and plain require() give the same output', () => {
  const run = (argv: string[], env: Record<string, string> = {}, input?: string) => {
    const r = spawnSync(process.execPath, [BIN, ...argv], { input, encoding: 'utf8', env: { ...process.env, ...env } });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  test.each([
    [['softmax', '2', '1', '0.1', '--jacobian']],
    [['sigmoid', '0', '1', '-2', '--grad', '--order', '2']],
    [['cross-entropy', '2 1 0.1', '--target', '0', '--hessian', '--json']],
    [['grad', 'F.mse_loss(x*w + b, y)', 'x=1', 'w=2', 'b=0', 'y=1']],
    [['grad', 'mse(x*w + b, y)', 'x=1', 'w=2', 'b=0', 'y=1', '--steps']],
    [['grad', 'F.layer_norm(X, (3,)).pow(2).sum()', 'X=1 2 4; -1 0.5 3']],
    [['plot', 'relu', '--width', '40']],
    [['explain', 'gelu']],
    [['list']],
    [['--help']],
    [['softmax', '1', '--gard']],
    [['grad', 'sin(x', 'x=1']],
  ])('%p', (argv) => {
    const packed = run(argv);
    expect(packed).toEqual(run(argv, { ACTGRAD_NO_PACK: '1' }));
  });
  test('standard input', () => {
    const input = '1 2 3\n4 5 6\n';
    expect(run(['log-softmax', '--grad'], {}, input)).toEqual(run(['log-softmax', '--grad'], { ACTGRAD_NO_PACK: '1' }, input));
  });
});

test('installed from the tarball (no src/, every file with the installation time), the packs are used; in a checkout after tsc, not', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { openPacks } = require(join(DIST, 'cli', 'load.js')) as typeof import('../../src/cli/load');
  const root = mkdtempSync(join(tmpdir(), 'actgrad-installed-'));
  try {
    const dist = join(root, 'dist');
    mkdirSync(join(dist, 'cli'), { recursive: true });
    cpSync(join(DIST, 'pack'), join(dist, 'pack'), { recursive: true });
    cpSync(join(DIST, 'cli', 'main.js'), join(dist, 'cli', 'main.js'));
    // npm's extraction gives every file its own time: the build's stamp no longer matches.
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dist, 'cli', 'main.js'), later, later);
    expect(openPacks(true, dist)).toBeDefined();
    mkdirSync(join(root, 'src'));
    expect(openPacks(true, dist)).toBeUndefined();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
