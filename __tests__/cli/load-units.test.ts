/**
 * In-process unit tests of src/cli/load.ts, the loader of the packed CLI, against synthetic dist/
 * directories whose packs are written by hand in scripts/pack.js's format.
 *
 * Why this file exists: load.test.ts checks the loader by spawning the built binary against the
 * real dist/, which a mutation run cannot use (its sandbox's dist/ has other mtimes, so that file is
 * excluded there), and spawned processes never run the mutated source anyway. Every mutant of
 * load.ts was therefore uncovered; these tests exercise each of its decisions in this process.
 */
import fs = require('node:fs');
import os = require('node:os');
import path = require('node:path');
import type vm = require('node:vm');
import { openPacks, Packs, resolvePacked, type PackIndex } from '../../src/cli/load';

type LoadModule = typeof import('../../src/cli/load');

/** Where ts-jest runs load.ts from: its DIST (path.join(__dirname, '..')) is src/, not dist/. */
const SRC = path.join(__dirname, '..', '..', 'src');

let tmpRoot = '';
let dirCount = 0;

beforeAll(() => {
  tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'actgrad-load-units-'));
});

afterAll(() => {
  fs.rmSync(tmpRoot, { recursive: true, force: true });
});

/** A fresh checkout-like root: <root>/dist with its pack/ (no src/ unless a test makes one). */
function makeRoot(): { root: string; dist: string } {
  const root = path.join(tmpRoot, `r${++dirCount}`);
  const dist = path.join(root, 'dist');
  fs.mkdirSync(path.join(dist, 'pack'), { recursive: true });
  return { root, dist };
}

/** One module of a pack: its key, its body (with exports, require, module in scope), its deps. */
interface Mod {
  key: string;
  body: string;
  deps?: Record<string, string>;
}

/** A pack's text as scripts/pack.js writes it: a function of define, one define() per module. */
function packText(mods: Mod[]): string {
  const parts = mods.map((m) => `define(${JSON.stringify(m.key)}, (function (exports, require, module) {\n${m.body}\n}), ${JSON.stringify(m.deps ?? {})});\n`);
  return `(function (define) {\n${parts.join('')}})\n`;
}

function writePack(dist: string, name: string, mods: Mod[]): string {
  const file = path.join(dist, 'pack', `${name}.js`);
  fs.writeFileSync(file, packText(mods));
  return file;
}

/** The index of the given packs (every module of each), with the stamp given. */
function indexOf(packs: Record<string, Mod[]>, stamp = 0): PackIndex {
  const modules: Record<string, string> = {};
  for (const [name, mods] of Object.entries(packs)) for (const m of mods) modules[m.key] = name;
  return { stamp, modules };
}

/** A dist/ with these packs written and their index; returns the dist and the index. */
function makeDist(packs: Record<string, Mod[]>): { root: string; dist: string; index: PackIndex } {
  const { root, dist } = makeRoot();
  for (const [name, mods] of Object.entries(packs)) writePack(dist, name, mods);
  const index = indexOf(packs);
  return { root, dist, index };
}

/** A dist/ that openPacks can accept: one pack, cli/main.js with a known mtime, the index stamped. */
function makeOpenable(stampOffset = 0): { root: string; dist: string; mtimeMs: number } {
  const { root, dist } = makeRoot();
  // A source of its own: V8 reuses a script compiled before from the same source without reading
  // the cache it is given, and then never reports the cache rejected.
  writePack(dist, 'cli', [{ key: 'cli/main.js', body: `exports.answer = 42; // ${dist}` }]);
  fs.mkdirSync(path.join(dist, 'cli'));
  const main = path.join(dist, 'cli', 'main.js');
  fs.writeFileSync(main, '// compiled\n');
  // A time unlike the directories' (now): a stat of the wrong path would not match by chance.
  const when = new Date(Date.UTC(2021, 4, 6, 7, 8, 9, 123));
  fs.utimesSync(main, when, when);
  const mtimeMs = fs.statSync(main).mtimeMs;
  const index: PackIndex = { stamp: mtimeMs + stampOffset, modules: { 'cli/main.js': 'cli' } };
  fs.writeFileSync(path.join(dist, 'pack', 'index.json'), JSON.stringify(index));
  return { root, dist, mtimeMs };
}

/** Runs f with ACTGRAD_NO_PACK set to value (undefined: unset), restoring it after. */
function withNoPack<T>(value: string | undefined, f: () => T): T {
  const saved = process.env.ACTGRAD_NO_PACK;
  if (value === undefined) delete process.env.ACTGRAD_NO_PACK;
  else process.env.ACTGRAD_NO_PACK = value;
  try {
    return f();
  } finally {
    if (saved === undefined) delete process.env.ACTGRAD_NO_PACK;
    else process.env.ACTGRAD_NO_PACK = saved;
  }
}

/** A fresh instance of load.ts, so that its scratch buffer starts unallocated. */
function freshLoad(): LoadModule {
  let mod: LoadModule | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require('../../src/cli/load') as LoadModule;
  });
  if (!mod) throw new Error('isolateModules gave no module');
  return mod;
}

function names(scripts: ReadonlyMap<string, vm.Script>): string[] {
  return [...scripts.keys()];
}

describe('openPacks', () => {
  test('with ACTGRAD_NO_PACK set, it refuses even fresh packs; unset, it opens them', () => {
    const { dist } = makeOpenable();
    expect(withNoPack('1', () => openPacks(true, dist))).toBeUndefined();
    const packs = withNoPack(undefined, () => openPacks(true, dist));
    expect(packs).toBeInstanceOf(Packs);
    expect(packs!.require('cli/main.js')).toEqual({ answer: 42 });
  });

  test('without an index, or with one that is not JSON, it gives undefined', () => {
    const { dist } = makeOpenable();
    fs.rmSync(path.join(dist, 'pack', 'index.json'));
    expect(withNoPack(undefined, () => openPacks(true, dist))).toBeUndefined();
    fs.writeFileSync(path.join(dist, 'pack', 'index.json'), '{"stamp": 1, "modules": {');
    expect(withNoPack(undefined, () => openPacks(true, dist))).toBeUndefined();
  });

  test('in a checkout (src/ beside dist/), the packs are used only when the stamp is cli/main.js mtimeMs', () => {
    const fresh = makeOpenable(0);
    fs.mkdirSync(path.join(fresh.root, 'src'));
    const packs = withNoPack(undefined, () => openPacks(true, fresh.dist));
    expect(packs).toBeDefined();
    expect(packs!.index.stamp).toBe(fresh.mtimeMs);
    expect(packs!.require('cli/main.js')).toEqual({ answer: 42 });

    const stale = makeOpenable(-1000);
    fs.mkdirSync(path.join(stale.root, 'src'));
    expect(withNoPack(undefined, () => openPacks(true, stale.dist))).toBeUndefined();
  });

  test('in a checkout whose cli/main.js is missing, it gives undefined', () => {
    const { root, dist } = makeOpenable(0);
    fs.mkdirSync(path.join(root, 'src'));
    fs.rmSync(path.join(dist, 'cli', 'main.js'));
    expect(withNoPack(undefined, () => openPacks(true, dist))).toBeUndefined();
  });

  test('installed (no src/ beside dist/), the stamp is ignored', () => {
    const { dist } = makeOpenable(-1000);
    const packs = withNoPack(undefined, () => openPacks(true, dist));
    expect(packs).toBeDefined();
    expect(packs!.require('cli/main.js')).toEqual({ answer: 42 });
  });

  test('by default it reads the index of the directory above load.ts (ts-jest: src/)', () => {
    const spy = jest.spyOn(fs, 'readFileSync');
    try {
      expect(withNoPack(undefined, () => openPacks())).toBeUndefined();
      expect(spy.mock.calls.map((c) => c[0])).toContain(path.join(SRC, 'pack', 'index.json'));
    } finally {
      spy.mockRestore();
    }
  });

  test('by default it reads the code caches; given false, it does not', () => {
    const { dist } = makeOpenable();
    fs.writeFileSync(path.join(dist, 'pack', 'cli.cache'), 'not a code cache');
    const byDefault = withNoPack(undefined, () => openPacks(undefined, dist))!;
    byDefault.require('cli/main.js');
    // V8 sets cachedDataRejected only when it was given a cache; this garbage it refuses.
    expect(byDefault.scripts.get('cli')!.cachedDataRejected).toBe(true);
    const without = withNoPack(undefined, () => openPacks(false, dist))!;
    expect(without.require('cli/main.js')).toEqual({ answer: 42 });
    expect(without.scripts.get('cli')!.cachedDataRejected).toBeUndefined();
  });
});

describe('Packs.loadPack and the code caches', () => {
  test('a garbage cache (refused), useCache false, a good cache and a missing one all load the pack', () => {
    const { root, dist } = makeRoot();
    // A source of its own, compiled first with the garbage: V8 reuses a script compiled before from
    // the same source without reading the cache it is given, and then never reports it rejected.
    writePack(dist, 'p', [{ key: 'm.js', body: `exports.v = "loaded"; // ${root}` }]);
    const index: PackIndex = { stamp: 0, modules: { 'm.js': 'p' } };
    const cacheFile = path.join(dist, 'pack', 'p.cache');

    fs.writeFileSync(cacheFile, Buffer.from('garbage, not V8 code cache'));
    const garbage = new Packs(index, dist);
    expect(garbage.require('m.js')).toEqual({ v: 'loaded' });
    expect(garbage.scripts.get('p')!.cachedDataRejected).toBe(true);

    const off = new Packs(index, dist, false);
    expect(off.require('m.js')).toEqual({ v: 'loaded' });
    expect(off.scripts.get('p')!.cachedDataRejected).toBeUndefined();

    fs.writeFileSync(cacheFile, garbage.scripts.get('p')!.createCachedData());
    const good = new Packs(index, dist, true);
    expect(good.require('m.js')).toEqual({ v: 'loaded' });
    expect(good.scripts.get('p')!.cachedDataRejected).toBe(false);

    fs.rmSync(cacheFile);
    const missing = new Packs(index, dist);
    expect(missing.require('m.js')).toEqual({ v: 'loaded' });
    expect(missing.scripts.get('p')!.cachedDataRejected).toBeUndefined();
  });

  test('scripts lists the packs loaded so far; loading one twice gives the same Script', () => {
    const { dist, index } = makeDist({ one: [{ key: 'a.js', body: '' }], two: [{ key: 'b.js', body: '' }] });
    const packs = new Packs(index, dist);
    expect(names(packs.scripts)).toEqual([]);
    const first = packs.loadPack('one');
    expect(names(packs.scripts)).toEqual(['one']);
    expect(packs.loadPack('one')).toBe(first);
    expect(packs.scripts.get('one')).toBe(first);
    packs.loadPack('two');
    expect(names(packs.scripts)).toEqual(['one', 'two']);
  });

  test('loadPack defines without running; an error thrown by a packed module names the pack file', () => {
    const { dist, index } = makeDist({ p: [{ key: 'bad.js', body: 'throw new Error("bad module");' }] });
    const packs = new Packs(index, dist);
    packs.loadPack('p');
    let caught: unknown;
    try {
      packs.require('bad.js');
    } catch (e) {
      caught = e;
    }
    // The pack runs in Node's context, not jest's: its Error is not this file's Error.
    expect(Object.prototype.toString.call(caught)).toBe('[object Error]');
    expect((caught as Error).message).toBe('bad module');
    expect((caught as Error).stack).toContain(path.join(dist, 'pack', 'p.js'));
  });

  test('every file the loader opens it closes', () => {
    const { dist, index } = makeDist({ one: [{ key: 'a.js', body: '' }], two: [{ key: 'b.js', body: '' }] });
    fs.writeFileSync(path.join(dist, 'pack', 'one.cache'), 'garbage');
    const opened = jest.spyOn(fs, 'openSync');
    const closed = jest.spyOn(fs, 'closeSync');
    try {
      const packs = new Packs(index, dist);
      packs.loadPack('one');
      packs.loadPack('two');
      const fds = opened.mock.results.filter((r) => r.type === 'return').map((r) => r.value as number);
      // one.js, one.cache, two.js (two.cache does not exist)
      expect(fds).toHaveLength(3);
      expect(closed.mock.calls.map((c) => c[0])).toEqual(fds);
    } finally {
      opened.mockRestore();
      closed.mockRestore();
    }
  });
});

describe('Packs.require', () => {
  test('gives a module its exports, and module.exports replaced', () => {
    const { dist, index } = makeDist({
      p: [
        { key: 'a.js', body: 'exports.x = 1; exports.y = "two";' },
        { key: 'b.js', body: 'module.exports = function () { return "b"; };' },
      ],
    });
    const packs = new Packs(index, dist);
    expect(packs.require('a.js')).toEqual({ x: 1, y: 'two' });
    expect((packs.require('b.js') as () => string)()).toBe('b');
  });

  test('runs a module once: later requires get the same exports', () => {
    const { dist, index } = makeDist({
      p: [
        { key: 'counter.js', body: 'exports.n = 0;' },
        { key: 'inc.js', body: 'const c = require("./counter"); c.n += 1; exports.c = c;', deps: { './counter': 'counter.js' } },
      ],
    });
    const packs = new Packs(index, dist);
    const first = packs.require('inc.js');
    expect(packs.require('inc.js')).toBe(first);
    expect(packs.require('counter.js')).toEqual({ n: 1 });
  });

  test('in a cycle, the module required second sees the partial exports of the first', () => {
    const { dist, index } = makeDist({
      p: [
        { key: 'a.js', body: 'exports.early = 1; const b = require("./b"); exports.bSaw = b.saw; exports.late = 2;', deps: { './b': 'b.js' } },
        { key: 'b.js', body: 'const a = require("./a"); exports.saw = Object.assign({}, a);', deps: { './a': 'a.js' } },
      ],
    });
    const packs = new Packs(index, dist);
    expect(packs.require('a.js')).toEqual({ early: 1, bSaw: { early: 1 }, late: 2 });
  });

  test('a module that throws is dropped from the cache: the next require runs it again', () => {
    const { dist, index } = makeDist({
      p: [
        { key: 'state.js', body: 'exports.fail = true; exports.runs = 0;' },
        { key: 'flaky.js', body: 'const s = require("./state"); s.runs += 1; if (s.fail) throw new Error("flaky failed"); exports.ok = s.runs;', deps: { './state': 'state.js' } },
      ],
    });
    const packs = new Packs(index, dist);
    expect(() => packs.require('flaky.js')).toThrow('flaky failed');
    (packs.require('state.js') as { fail: boolean }).fail = false;
    expect(packs.require('flaky.js')).toEqual({ ok: 2 });
  });

  test('a key whose pack does not define it is an error that says to build', () => {
    const { dist } = makeDist({ p: [{ key: 'a.js', body: '' }] });
    const packs = new Packs({ stamp: 0, modules: { 'a.js': 'p', 'ghost.js': 'p' } }, dist);
    expect(() => packs.require('ghost.js')).toThrow(new Error('pack p has no module ghost.js: run npm run build'));
  });

  test('a module a loaded pack defines is found even if the index names no pack for it', () => {
    const { dist } = makeDist({ p: [{ key: 'a.js', body: 'exports.a = 1;' }, { key: 'extra.js', body: 'exports.extra = true;' }] });
    const packs = new Packs({ stamp: 0, modules: { 'a.js': 'p' } }, dist);
    expect(packs.require('a.js')).toEqual({ a: 1 });
    expect(packs.require('extra.js')).toEqual({ extra: true });
    expect(names(packs.scripts)).toEqual(['p']);
  });

  test("a dependency in another pack loads that pack only when it is required", () => {
    const { dist, index } = makeDist({
      one: [{ key: 'cli/a.js', body: 'exports.getB = () => require("../lib/b");', deps: { '../lib/b': 'lib/b.js' } }],
      two: [{ key: 'lib/b.js', body: 'exports.b = "from two";' }],
    });
    const packs = new Packs(index, dist);
    const a = packs.require('cli/a.js') as { getB: () => unknown };
    expect(names(packs.scripts)).toEqual(['one']);
    expect(a.getB()).toEqual({ b: 'from two' });
    expect(names(packs.scripts)).toEqual(['one', 'two']);
  });

  test('deps decide a literal id before any resolution of it', () => {
    // resolvePacked would find b.js for "./b"; the deps the build wrote say b2.js, and win.
    const { dist, index } = makeDist({
      p: [
        { key: 'a.js', body: 'exports.got = require("./b").name;', deps: { './b': 'b2.js' } },
        { key: 'b.js', body: 'exports.name = "b";' },
        { key: 'b2.js', body: 'exports.name = "b2";' },
      ],
    });
    expect(new Packs(index, dist).require('a.js')).toEqual({ got: 'b2' });
  });

  test("other ids (node: modules, packages) go to Node's require", () => {
    const { dist, index } = makeDist({
      p: [{ key: 'cli/a.js', body: 'exports.sep = require("node:path").posix.sep; exports.join = require("path").posix.join("x", "y");' }],
    });
    expect(new Packs(index, dist).require('cli/a.js')).toEqual({ sep: '/', join: 'x/y' });
  });

  test('a relative id made at run time resolves among the packed modules, as Node would', () => {
    const { dist, index } = makeDist({
      p: [
        {
          key: 'functions/lookup.js',
          body: 'const dot = "."; exports.same = require(dot + "/x"); exports.up = require(dot + "./top"); exports.dir = require(dot + "/fam");',
        },
        { key: 'functions/x.js', body: 'exports.is = "functions/x.js";' },
        { key: 'top.js', body: 'exports.is = "top.js";' },
        { key: 'functions/fam/index.js', body: 'exports.is = "functions/fam/index.js";' },
      ],
    });
    expect(new Packs(index, dist).require('functions/lookup.js')).toEqual({
      same: { is: 'functions/x.js' },
      up: { is: 'top.js' },
      dir: { is: 'functions/fam/index.js' },
    });
  });

  test('a relative id that no pack holds is a file under dist/, from the module\'s directory', () => {
    const { dist, index } = makeDist({
      p: [{ key: 'cli/main.js', body: 'const up = ".."; exports.pkg = require(up + "/data.json"); exports.near = require("./near.json");' }],
    });
    fs.writeFileSync(path.join(dist, 'data.json'), JSON.stringify({ version: '9.8.7' }));
    fs.mkdirSync(path.join(dist, 'cli'));
    fs.writeFileSync(path.join(dist, 'cli', 'near.json'), JSON.stringify({ near: true }));
    expect(new Packs(index, dist).require('cli/main.js')).toEqual({ pkg: { version: '9.8.7' }, near: { near: true } });
  });
});

describe('resolvePacked', () => {
  test('tries x, x.js, x.json, x/index.js from the module\'s directory, in that order', () => {
    const tried: string[] = [];
    expect(
      resolvePacked('cli/run.js', './x', (k) => {
        tried.push(k);
        return false;
      }),
    ).toBeUndefined();
    expect(tried).toEqual(['cli/x', 'cli/x.js', 'cli/x.json', 'cli/x/index.js']);
  });

  test('gives the first candidate packed', () => {
    const has = (...keys: string[]) => (k: string) => keys.includes(k);
    expect(resolvePacked('cli/run.js', './x', has('cli/x', 'cli/x.js', 'cli/x.json', 'cli/x/index.js'))).toBe('cli/x');
    expect(resolvePacked('cli/run.js', './x', has('cli/x.js', 'cli/x.json', 'cli/x/index.js'))).toBe('cli/x.js');
    expect(resolvePacked('cli/run.js', './x', has('cli/x.json', 'cli/x/index.js'))).toBe('cli/x.json');
    expect(resolvePacked('cli/run.js', './x', has('cli/x/index.js'))).toBe('cli/x/index.js');
    expect(resolvePacked('cli/run.js', '../functions/registry-index.json', has('functions/registry-index.json'))).toBe('functions/registry-index.json');
    expect(resolvePacked('main.js', './errors', has('errors.js'))).toBe('errors.js');
    expect(resolvePacked('cli/run.js', './x', has('x.js', 'cli/y.js'))).toBeUndefined();
  });
});

describe('the scratch buffer the loader reads into', () => {
  test('one buffer of at least 256 KiB serves every read, grown only for a bigger file, and no text is corrupted', () => {
    const load = freshLoad();
    const { dist } = makeRoot();
    const small = (name: string, value: string) => writePack(dist, name, [{ key: `${name}.js`, body: `exports.v = ${JSON.stringify(value)};` }]);
    small('s1', 'first small');
    small('s2', 'second, a little longer small pack');
    // A pack of exactly 256 KiB fits the first buffer exactly.
    const exactBody = (pad: number) => `exports.v = "exact"; //${'e'.repeat(pad)}`;
    const fill = 256 * 1024 - Buffer.byteLength(packText([{ key: 'exact.js', body: exactBody(0) }]));
    writePack(dist, 'exact', [{ key: 'exact.js', body: exactBody(fill) }]);
    expect(fs.statSync(path.join(dist, 'pack', 'exact.js')).size).toBe(256 * 1024);
    const bigText = 'B'.repeat(300 * 1024);
    writePack(dist, 'big', [{ key: 'big.js', body: `exports.v = ${JSON.stringify(bigText)};` }]);
    small('s3', 'third');
    const index: PackIndex = { stamp: 0, modules: { 's1.js': 's1', 's2.js': 's2', 'exact.js': 'exact', 'big.js': 'big', 's3.js': 's3' } };

    const alloc = jest.spyOn(Buffer, 'allocUnsafeSlow');
    try {
      const packs = new load.Packs(index, dist, false);
      expect(packs.require('s1.js')).toEqual({ v: 'first small' });
      expect(packs.require('s2.js')).toEqual({ v: 'second, a little longer small pack' });
      expect(packs.require('exact.js')).toEqual({ v: 'exact' });
      expect(alloc.mock.calls).toEqual([[256 * 1024]]);
      expect(packs.require('big.js')).toEqual({ v: bigText });
      const bigSize = fs.statSync(path.join(dist, 'pack', 'big.js')).size;
      expect(alloc.mock.calls).toEqual([[256 * 1024], [bigSize]]);
      // The small pack is read over the start of the big one's bytes: only its own must count.
      expect(packs.require('s3.js')).toEqual({ v: 'third' });
      expect(alloc.mock.calls).toHaveLength(2);
    } finally {
      alloc.mockRestore();
    }
  });

  test('a file that ends before the size fstat gave is read up to its end, asking each read for only what is left', () => {
    const load = freshLoad();
    // Big enough (~200 KiB) that a second read asking for more than the bytes left would reach
    // beyond the scratch buffer, which readSync refuses.
    const text = 'S'.repeat(200 * 1024);
    const { dist, index } = makeDist({ p: [{ key: 'm.js', body: `exports.v = ${JSON.stringify(text)};` }] });
    const realFstat = fs.fstatSync;
    const fstat = jest.spyOn(fs, 'fstatSync').mockImplementation(((fd: number) => {
      const st = realFstat(fd);
      // As if the file shrank between fstat and read: the read loop must stop at end of file.
      return Object.assign(Object.create(Object.getPrototypeOf(st) as object) as fs.Stats, st, { size: st.size + 64 });
    }) as typeof fs.fstatSync);
    try {
      expect(new load.Packs(index, dist, false).require('m.js')).toEqual({ v: text });
    } finally {
      fstat.mockRestore();
    }
  });
});

describe('start', () => {
  test('without packs, it runs the compiled main() by plain require', () => {
    const main = jest.fn();
    jest.doMock('../../src/cli/main', () => ({ main }));
    try {
      withNoPack('1', () => freshLoad().start());
      expect(main).toHaveBeenCalledTimes(1);
    } finally {
      jest.dontMock('../../src/cli/main');
    }
  });
});
