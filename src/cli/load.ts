/**
 * How bin/actgrad.js loads the compiled CLI. The build (scripts/pack.js) packs the compiled modules
 * into a few files, dist/pack/<name>.js, each with a V8 code cache beside it: a run then reads a
 * few files and deserializes their compiled code instead of resolving, reading and compiling each
 * of some 40 modules, which was most of actgrad's start-up (see bench/RESULTS.md). A packed module
 * runs only when first required, as with require(), so what a command does not use still costs it
 * nothing but bytes; one registry of modules serves every pack, so each module exists once.
 *
 * Without dist/pack, or in a checkout when the packs are older than the compiled modules (tsc ran
 * after the packing), or with ACTGRAD_NO_PACK set (to debug with the compiled files' own line numbers),
 * everything is plain require(). A code cache that V8 refuses (another Node, other flags) only
 * costs the compilation it would have saved.
 */
import fs = require('node:fs');
import path = require('node:path');
import vm = require('node:vm');

/** dist/pack/index.json: which pack holds each module (by its path under dist/, with its extension). */
export interface PackIndex {
  /** mtimeMs of dist/cli/main.js when the packs were written: a newer file means tsc ran since */
  stamp: number;
  modules: Record<string, string>;
}

/** A packed module's body (scripts/pack.js refuses one that uses __filename or __dirname: they are not given). */
type ModuleFunction = (exports: unknown, require: (id: string) => unknown, module: { exports: unknown }) => void;

/** A packed module: its function, and the keys of the packed modules its require() calls name. */
interface Defined {
  readonly f: ModuleFunction;
  readonly deps: Readonly<Record<string, string>>;
}

/** dist/, where this file is compiled to (dist/cli/load.js). */
const DIST = path.join(__dirname, '..');

export class Packs {
  private readonly defined = new Map<string, Defined>();
  private readonly cache = new Map<string, { exports: unknown }>();
  private readonly loadedPacks = new Map<string, vm.Script>();

  constructor(
    readonly index: PackIndex,
    /** the compiled modules' directory, with the packs in its pack/ */
    private readonly dist: string,
    /** false when the build makes the caches: then no cache is read */
    private readonly useCache = true,
  ) {}

  /** The compiled scripts of the packs loaded so far (the build asks them for their code caches). */
  get scripts(): ReadonlyMap<string, vm.Script> {
    return this.loadedPacks;
  }

  /** Loads a pack: its modules are defined, none is run. */
  loadPack(name: string): vm.Script {
    let script = this.loadedPacks.get(name);
    if (script) return script;
    const file = path.join(this.dist, 'pack', `${name}.js`);
    // A pack is ASCII (scripts/pack.js escapes the rest): latin1 reads it without decoding UTF-8.
    // The text is copied out of the scratch buffer before the cache is read into it.
    const source = readScratch(file).toString('latin1');
    let cachedData: Buffer | undefined;
    if (this.useCache) {
      try {
        cachedData = readScratch(path.join(this.dist, 'pack', `${name}.cache`));
      } catch {
        cachedData = undefined;
      }
    }
    // V8 reads the cache while it compiles, and keeps none of it: the scratch buffer is free again after.
    script = new vm.Script(source, { filename: file, cachedData });
    this.loadedPacks.set(name, script);
    (script.runInThisContext() as (define: (key: string, f: ModuleFunction, deps: Defined['deps']) => void) => void)((key, f, deps) =>
      this.defined.set(key, { f, deps }),
    );
    return script;
  }

  /** require() of a packed module by its key ("cli/main.js"). */
  require(key: string): unknown {
    const cached = this.cache.get(key);
    if (cached) return cached.exports;
    if (!this.defined.has(key)) this.loadPack(this.index.modules[key]);
    const defined = this.defined.get(key);
    if (!defined) throw new Error(`pack ${this.index.modules[key]} has no module ${key}: run npm run build`);
    const module = { exports: {} };
    // Registered before it runs, as require() does, so that a cycle sees the exports so far.
    this.cache.set(key, module);
    const local = (id: string): unknown => {
      const packed = defined.deps[id];
      if (packed !== undefined) return this.require(packed);
      if (!id.startsWith('./') && !id.startsWith('../')) return require(id); // node: modules and packages, found from dist/ as from here
      // A name made at run time (functions/lookup.ts: `./${family}`): resolved as Node would.
      const resolved = resolvePacked(key, id, (k) => Object.prototype.hasOwnProperty.call(this.index.modules, k));
      if (resolved !== undefined) return this.require(resolved);
      return require(path.join(this.dist, path.posix.dirname(key), id)); // a file outside the packs (package.json)
    };
    try {
      defined.f(module.exports, local, module);
    } catch (e) {
      this.cache.delete(key);
      throw e;
    }
    return module.exports;
  }
}

/**
 * The packed module that require(id) names from the module `from` ("cli/run.js"), as Node resolves
 * a relative name (x, x.js, x.json, x/index.js), or undefined. scripts/pack.js resolves each
 * module's literal require() calls with it at build time; a run, the names made at run time.
 */
export function resolvePacked(from: string, id: string, packed: (key: string) => boolean): string | undefined {
  const base = path.posix.join(path.posix.dirname(from), id);
  return [base, `${base}.js`, `${base}.json`, `${base}/index.js`].find(packed);
}

/**
 * One buffer for every file the loader reads, reused. Each file read into a buffer of its own
 * faults in fresh pages, and on a virtual machine a page fault is dear: reading the packs of a
 * `grad` run (some 600 KB) into new buffers took 2 ms, into this one well under 1 ms.
 */
let scratch: Buffer | undefined;

/** The file's bytes, in the scratch buffer: valid until the next read. */
function readScratch(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (!scratch || scratch.length < size) scratch = Buffer.allocUnsafeSlow(Math.max(size, 256 * 1024));
    let n = 0;
    while (n < size) {
      const got = fs.readSync(fd, scratch, n, size - n, n);
      if (got === 0) break;
      n += got;
    }
    return scratch.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** The packs, when the build wrote them after the last compilation; undefined otherwise. */
export function openPacks(useCache = true, dist = DIST): Packs | undefined {
  if (process.env.ACTGRAD_NO_PACK) return undefined;
  let index: PackIndex;
  try {
    index = JSON.parse(fs.readFileSync(path.join(dist, 'pack', 'index.json'), 'utf8')) as PackIndex;
    // In a checkout (src/ beside dist/) tsc may have run since the packing, which the stamp shows.
    // An installed package has no src/, and its files carry the installation's times, not the
    // build's: its packs are the build's own.
    if (fs.existsSync(path.join(dist, '..', 'src')) && fs.statSync(path.join(dist, 'cli', 'main.js')).mtimeMs !== index.stamp) return undefined;
  } catch {
    return undefined;
  }
  return new Packs(index, dist, useCache);
}

/** Runs the command line: from the packs where they are fresh, from the compiled modules otherwise. */
export function start(): void {
  const packs = openPacks();
  const main = packs ? (packs.require('cli/main.js') as typeof import('./main')) : (require('./main') as typeof import('./main'));
  main.main();
}
