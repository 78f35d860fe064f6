#!/usr/bin/env node
/**
 * Packs the compiled CLI for a fast start (after tsc and registry-index.js, in npm run build); see
 * src/cli/load.ts for how bin/actgrad.js reads the packs.
 *
 * 1. Which modules go together: the commands below run in this process, in order, through the
 *    compiled run(); the modules each group of commands loads first form its pack ("cli": a plain
 *    function run; "grad": formulas; "more": --steps, plot, explain; "program": commander, --help,
 *    list). Each function family is a pack of its own, and the modules no command here loaded are
 *    packed by their directory.
 * 2. Each pack is one file: every module's compiled text, minified (names and whitespace only),
 *    inside a function that runs when the module is first required, with the packed modules its
 *    require() calls name, resolved.
 * 3. The code caches: a fresh Node process (node scripts/pack.js --cache) loads the packs, runs the
 *    same commands, and saves V8's cache of each pack right after the group of commands that first
 *    loaded it: the cache holds the code its own commands compiled, not what later groups (grad,
 *    --steps, --help) compile in it, which a plain function run would deserialize for nothing.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const DIST = path.join(__dirname, '..', 'dist');
const SRC = path.join(__dirname, '..', 'src');
const PACK_DIR = path.join(DIST, 'pack');

/** Commands by pack, in order; the grad formulas are those of the benchmark and the README. */
const GROUPS = [
  {
    pack: 'cli',
    modules: ['cli/main.js', 'cli/stdin.js', 'cli/stdout.js'],
    // The cache holds what the first command compiled: a plain function run. The others compile
    // the little more they need from the text, which costs them no more than deserializing it
    // costs every run (measured: softmax 1 ms faster, cross-entropy --target unchanged).
    cacheFirstOnly: true,
    runs: [
      ['softmax', '2', '1', '0.1', '--jacobian'],
      ['softmax', '2', '1', '0.1', '--grad', '--json'],
      ['sigmoid', '0', '1', '-2', '--grad'],
      ['relu', '-1', '2', '--grad'],
      ['cross-entropy', '2 1 0.1; 0 1 2', '--target', '0,2', '--grad'],
      ['cross-entropy', '2 1 0.1', '--target', '0', '--hessian'],
      ['nll', '-1 -2 -0.5', '--target', '1', '--grad'],
      ['mse', '1', '2', '--target', '0,0', '--grad'],
      ['bce', '0.2', '0.9', '--target', '0,1', '--grad'],
    ],
  },
  {
    pack: 'grad',
    runs: [
      ['grad', 'mse(x*w + b, y)', 'x=1', 'w=2', 'b=0', 'y=1'],
      ['grad', 'F.mse_loss(x*w + b, y)', 'x=1', 'w=2', 'b=0', 'y=1'],
      ['grad', 'torch.sigmoid(x @ w + b).sum()', 'x=1,2', 'w=0.5,-1', 'b=0.1'],
      ['grad', 'sum(tanh(W @ x))', 'W=1 2; 3 4', 'x=1,-1'],
      ['grad', 'mse(W2 @ tanh(W1 @ x + b1) + b2, y)', 'W1=1 2; 3 4', 'x=1,-1', 'b1=0,1', 'W2=1 0; 0 1', 'b2=0,0', 'y=1,1', '--hessian', '--wrt', 'b1'],
    ],
  },
  {
    pack: 'more',
    runs: [
      ['grad', 'mse(x*w + b, y)', 'x=1', 'w=2', 'b=0', 'y=1', '--steps'],
      ['plot', 'sigmoid'],
      ['explain', 'sigmoid'],
    ],
  },
  { pack: 'program', runs: [['--help'], ['list'], ['softmax', '--help']] },
];

const quietIO = () => ({
  stdout() {},
  stderr() {},
  stdoutIsTTY: false,
  stdinIsTTY: false,
  readStdin: () => '',
  env: {},
});

/** Every compiled module of src/, by its path under dist/ ("cli/run.js"), and the registry index. */
function compiledModules() {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, e.name);
      if (e.isDirectory()) walk(file);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(path.relative(SRC, file).replace(/\.ts$/, '.js').split(path.sep).join('/'));
    }
  };
  walk(SRC);
  return [...out.filter((m) => m !== 'cli/load.js' && fs.existsSync(path.join(DIST, m))), 'functions/registry-index.json'];
}

/** Step 1: the pack of every module. */
function partition(modules) {
  const key = (file) => path.relative(DIST, file).split(path.sep).join('/');
  const packOf = {};
  const claim = (pack) => {
    for (const file of Object.keys(require.cache)) {
      const m = key(file);
      if (!m.startsWith('..') && modules.includes(m) && !(m in packOf)) packOf[m] = pack;
    }
  };
  const { run } = require(path.join(DIST, 'cli', 'run.js'));
  for (const group of GROUPS) {
    for (const m of group.modules ?? []) require(path.join(DIST, m));
    for (const argv of group.runs) run(argv, quietIO());
    claim(group.pack);
  }
  for (const m of modules) if (!(m in packOf)) packOf[m] = `rest-${m.includes('/') ? m.slice(0, m.indexOf('/')) : 'top'}`;
  // Each function family is a pack of its own, read only when one of its functions runs.
  const index = JSON.parse(fs.readFileSync(path.join(DIST, 'functions', 'registry-index.json'), 'utf8'));
  for (const [family] of Object.values(index)) packOf[`functions/${family}.js`] = `family-${family.replace(/\//g, '-')}`;
  return packOf;
}

/**
 * The text with every character beyond ASCII written as a \u escape, which means the same in
 * strings, templates, regular expressions, identifiers and comments: an ASCII pack is read as
 * latin1 (src/cli/load.ts), without decoding UTF-8, which took a quarter of the start-up's work.
 */
function ascii(m, text) {
  if (/\\[^\x00-\x7f]/.test(text)) throw new Error(`pack.js: ${m} has a backslash before a non-ASCII character; write the escape itself`);
  return text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A module's compiled text as the function define() is given, minified by terser: local names
 * shortened, whitespace and comments gone, nothing else changed (no compression, which rewrites
 * code). A pack is read and held at every start, and on this machine each byte of it costs: the
 * packs are two fifths smaller. (Errors from the packs then show short names; ACTGRAD_NO_PACK runs
 * the compiled modules as tsc wrote them.)
 */
function minified(m, text) {
  if (/\b__(file|dir)name\b/.test(text)) throw new Error(`pack.js: ${m} uses __filename or __dirname, which packed modules are not given`);
  const { minify_sync } = require('terser');
  const wrapped = `(function (exports, require, module) {\n${text}\n})`;
  // PACK_KEEP_NAMES=1 npm run build keeps the names, for a profile of the packed CLI.
  const mangle = !process.env.PACK_KEEP_NAMES;
  const r = minify_sync(wrapped, { ecma: 2022, compress: false, mangle, module: false, format: { ascii_only: true, comments: false } });
  if (!r.code) throw new Error(`pack.js: terser gave nothing for ${m}`);
  // Parenthesised, so that V8 compiles each module's body with the pack (into its code cache).
  const code = r.code.replace(/;?\s*$/, '');
  return code.startsWith('(function') ? code : `(${code})`;
}

/**
 * The packed modules a module's require() calls name, resolved now (src/cli/load.ts resolvePacked),
 * so that a run looks them up instead of joining paths.
 */
function dependencies(m, text, modules) {
  const { resolvePacked } = require(path.join(DIST, 'cli', 'load.js'));
  const deps = {};
  for (const [, id] of text.matchAll(/\brequire\((?:"|')(\.\.?\/[^"']*)(?:"|')\)/g)) {
    const found = resolvePacked(m, id, (key) => modules.has(key));
    if (found) deps[id] = found;
  }
  return deps;
}

/** Step 2: the pack files and the index. */
function writePacks(packOf) {
  const modules = new Set(Object.keys(packOf));
  fs.rmSync(PACK_DIR, { recursive: true, force: true });
  fs.mkdirSync(PACK_DIR);
  const packs = {};
  for (const [m, pack] of Object.entries(packOf)) (packs[pack] ??= []).push(m);
  for (const [pack, members] of Object.entries(packs)) {
    const parts = members.map((m) => {
      const text = fs.readFileSync(path.join(DIST, m), 'utf8');
      if (m.endsWith('.json')) return `define(${JSON.stringify(m)}, (function (exports, require, module) {\nmodule.exports = ${ascii(m, text.trim())};\n}), {});\n`;
      return `define(${JSON.stringify(m)}, ${ascii(m, minified(m, text))}, ${JSON.stringify(dependencies(m, text, modules))});\n`;
    });
    fs.writeFileSync(path.join(PACK_DIR, `${pack}.js`), `(function (define) {\n${parts.join('')}})\n`);
  }
  const stamp = fs.statSync(path.join(DIST, 'cli', 'main.js')).mtimeMs;
  fs.writeFileSync(path.join(PACK_DIR, 'index.json'), `${JSON.stringify({ stamp, modules: packOf })}\n`);
  return Object.keys(packs);
}

/** Step 3, in a fresh process: run the commands from the packs, then save each pack's code cache. */
function writeCaches() {
  const { openPacks } = require(path.join(DIST, 'cli', 'load.js'));
  const packs = openPacks(false);
  if (!packs) throw new Error('pack.js --cache: no fresh packs to cache');
  for (const group of GROUPS) for (const m of group.modules ?? []) packs.require(m);
  const { run } = packs.require('cli/run.js');
  const saved = new Set();
  const save = () => {
    for (const [pack, script] of packs.scripts) {
      if (saved.has(pack)) continue;
      saved.add(pack);
      fs.writeFileSync(path.join(PACK_DIR, `${pack}.cache`), script.createCachedData());
    }
  };
  for (const group of GROUPS) {
    const [first, ...rest] = group.runs;
    run(first, quietIO());
    if (group.cacheFirstOnly) save();
    for (const argv of rest) run(argv, quietIO());
    save();
  }
  // Packs no command loaded are cached as compiled: their modules' bodies, not their functions.
  for (const pack of new Set(Object.values(packs.index.modules))) packs.loadPack(pack);
  save();
}

if (process.argv.includes('--cache')) {
  writeCaches();
} else {
  const names = writePacks(partition(compiledModules()));
  const env = { ...process.env };
  delete env.ACTGRAD_NO_PACK;
  const r = require('node:child_process').spawnSync(process.execPath, [__filename, '--cache'], { stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
  process.stdout.write(`packed dist/ into dist/pack: ${names.join(', ')}\n`);
}
