#!/usr/bin/env node
// @ts-check
/**
 * `npm run mutate`: StrykerJS over the whole scope of stryker.config.mjs, run as the parts of
 * stryker.parts.mjs (each incremental, with its own report), then one merged report
 * (reports/mutation/mutation.json and .html) and the score of every directory and of the whole.
 *
 *   node scripts/mutate.mjs                 run every part, then merge
 *   node scripts/mutate.mjs --part cli      run the parts whose name starts with "cli", then merge
 *   node scripts/mutate.mjs --report        merge the reports the parts left, run nothing
 *   node scripts/mutate.mjs --list          the parts and their report names
 *
 * Exit 0 when every file in scope is measured by an up-to-date report and the whole scores at least
 * the `low` threshold of stryker.config.mjs (80%); 1 otherwise, saying what is missing or stale.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import base from '../stryker.config.mjs';
import { PARTS, partEnv, partName } from '../stryker.parts.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'reports', 'mutation');
/** The bar: stryker.config.mjs's `low` threshold (its `break` is off so that every part reports). */
const BREAK = /** @type {number} */ (base.thresholds?.low);

/** Mutant statuses of the report schema: what counts as detected, and what counts at all. */
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

/** @param {string} dir @returns {string[]} every .ts file under dir, as paths from the root */
function walk(dir) {
  return readdirSync(join(ROOT, dir)).flatMap((entry) => {
    const path = `${dir}/${entry}`;
    return statSync(join(ROOT, path)).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The files stryker.config.mjs mutates: its `src/<dir>/**\/*.ts` globs less its `!` entries. */
function scope() {
  const globs = /** @type {string[]} */ (base.mutate);
  const excluded = new Set(globs.filter((g) => g.startsWith('!')).map((g) => g.slice(1)));
  const files = globs
    .filter((g) => !g.startsWith('!'))
    .flatMap((g) => {
      const m = /^(src\/[\w-]+)\/\*\*\/\*\.ts$/.exec(g);
      if (!m) throw new Error(`scripts/mutate.mjs reads only src/<dir>/**/*.ts globs, not ${g}`);
      return walk(m[1]);
    });
  return files.filter((f) => !excluded.has(f));
}

/** @param {import('../stryker.parts.mjs').Part} part the files in scope that the part mutates */
function partFiles(part, inScope) {
  const prefix = `src/${part.dir}/`;
  return part.files ? part.files.map((f) => prefix + f).filter((f) => inScope.includes(f)) : inScope.filter((f) => f.startsWith(prefix));
}

function list() {
  for (const part of PARTS) {
    const env = Object.entries(partEnv(part)).map(([k, v]) => `${k}=${v}`).join(' ');
    console.log(`${partName(part.dir, part.files).padEnd(50)} ${env}`);
  }
}

/**
 * A timeout that Stryker's hit counter did not confirm (its statusReason is not "Hit limit
 * reached": no infinite loop was counted) was measured by the clock. On a busy machine a mutant
 * that survives can run out of time that way and count as detected; one such timeout, rerun by
 * hand, passed every test. Stryker's incremental mode reuses a timeout like any other
 * result, so each run of a part drops these from its incremental file and tests them again.
 * @param {{ status?: string, statusReason?: string }} m
 */
const clockTimeout = (m) => m.status === 'Timeout' && !/^Hit limit reached/.test(m.statusReason ?? '');

/**
 * A survivor that Stryker calls static and yet ran against tests: "hybrid", its code also ran while
 * jest collected the tests (a file's top level, a describe body). With ignoreStatic, Stryker runs
 * only the tests that covered it inside a test body, with the mutant switched on at run time, so
 * whatever a describe body computed and its tests assert never sees the mutant: a test that
 * computes outside its body can kill nothing. Module-level tables are hybrid too, so the count is
 * where to look first, not a list of mistakes.
 * @param {{ status?: string, static?: boolean }} m
 */
const hybridSurvivor = (m) => m.static === true && m.status === 'Survived';

/** Drops the clock-measured timeouts from a part's incremental file; returns how many. @param {string} name */
function forgetClockTimeouts(name) {
  const file = join(ROOT, 'reports', `stryker-incremental-${name}.json`);
  if (!existsSync(file)) return 0;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  let dropped = 0;
  for (const f of Object.values(report.files ?? {})) {
    const kept = f.mutants.filter((/** @type {any} */ m) => !clockTimeout(m));
    dropped += f.mutants.length - kept.length;
    f.mutants = kept;
  }
  if (dropped) writeFileSync(file, JSON.stringify(report));
  return dropped;
}

/** @param {import('../stryker.parts.mjs').Part} part */
function runPart(part) {
  const name = partName(part.dir, part.files);
  console.log(`\n== ${name}`);
  const dropped = forgetClockTimeouts(name);
  if (dropped) console.log(`mutate: ${dropped} timeout${dropped > 1 ? 's' : ''} measured by the clock will be tested again`);
  const r = spawnSync('npx', ['stryker', 'run', 'stryker.dir.config.mjs'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, ...partEnv(part) },
  });
  if (r.status !== 0) {
    console.error(`mutate: the part ${name} failed (exit ${r.status ?? r.signal}); its report is not updated`);
    return false;
  }
  return true;
}

/** @param {Record<string, number>} c */
function score(c) {
  let detected = 0;
  let valid = 0;
  for (const [status, n] of Object.entries(c)) {
    if (DETECTED.has(status)) detected += n;
    if (DETECTED.has(status) || UNDETECTED.has(status)) valid += n;
  }
  return { detected, valid, pct: valid ? (100 * detected) / valid : NaN };
}

/** Merges the parts' reports; prints the scores; returns whether the whole is measured and passes. */
function merge() {
  const inScope = scope();
  const owner = new Map();
  for (const part of PARTS) for (const f of partFiles(part, inScope)) {
    if (owner.has(f)) throw new Error(`${f} is in two parts: ${owner.get(f)} and ${partName(part.dir, part.files)}`);
    owner.set(f, partName(part.dir, part.files));
  }
  const problems = inScope.filter((f) => !owner.has(f)).map((f) => `${f} is in no part of stryker.parts.mjs`);

  /** @type {Record<string, any>} */
  const files = {};
  /** @type {Record<string, any>} */
  const testFiles = {};
  let schema = {};
  for (const part of PARTS) {
    const name = partName(part.dir, part.files);
    const path = join(OUT, `${name}.json`);
    const wanted = partFiles(part, inScope);
    if (!existsSync(path)) {
      problems.push(`${name}: no report (run: node scripts/mutate.mjs --part ${name})`);
      continue;
    }
    const report = JSON.parse(readFileSync(path, 'utf8'));
    const globs = part.files ? part.files.map((f) => `src/${part.dir}/${f}`) : [`src/${part.dir}/**/*.ts`];
    const roots = (part.tests ?? [`__tests__/${part.dir}`]).map((t) => `<rootDir>/${t}`);
    const made = report.config ?? {};
    if (
      JSON.stringify(made.mutate?.filter((/** @type {string} */ g) => !g.startsWith('!'))) !== JSON.stringify(globs) ||
      JSON.stringify(made.jest?.config?.roots) !== JSON.stringify(roots)
    ) {
      problems.push(`${name}: its report was made for other files or suites than stryker.parts.mjs names (run the part again)`);
      continue;
    }
    schema = { schemaVersion: report.schemaVersion, thresholds: report.thresholds, framework: report.framework };
    // Test ids are per run: prefix them with the part so that killedBy and coveredBy stay true.
    const id = (/** @type {string} */ t) => `${name}:${t}`;
    for (const [file, entry] of Object.entries(report.testFiles ?? {})) {
      const tests = entry.tests.map((/** @type {any} */ t) => ({ ...t, id: id(t.id) }));
      testFiles[file] = { ...entry, tests: [...(testFiles[file]?.tests ?? []), ...tests] };
    }
    for (const file of wanted) {
      const entry = report.files[file];
      // Stryker leaves a file without mutants (types only) out of its report.
      if (!entry) continue;
      const source = readFileSync(join(ROOT, file), 'utf8');
      if (entry.source !== source) problems.push(`${file}: changed since ${name}'s report (run the part again)`);
      files[file] = {
        ...entry,
        mutants: entry.mutants.map((/** @type {any} */ m) => ({
          ...m,
          id: `${name}:${m.id}`,
          ...(m.killedBy ? { killedBy: m.killedBy.map(id) } : {}),
          ...(m.coveredBy ? { coveredBy: m.coveredBy.map(id) } : {}),
        })),
      };
    }
  }

  // Scores: by directory and file group (a part), and the whole.
  /** @type {Map<string, Record<string, number>>} */
  const byPart = new Map();
  /** @type {Record<string, number>} */
  const total = {};
  for (const [file, entry] of Object.entries(files)) {
    const c = byPart.get(owner.get(file)) ?? {};
    byPart.set(owner.get(file), c);
    for (const m of entry.mutants) {
      c[m.status] = (c[m.status] ?? 0) + 1;
      total[m.status] = (total[m.status] ?? 0) + 1;
      if (clockTimeout(m)) {
        c.clock = (c.clock ?? 0) + 1;
        total.clock = (total.clock ?? 0) + 1;
      }
      if (hybridSurvivor(m)) {
        c.hybrid = (c.hybrid ?? 0) + 1;
        total.hybrid = (total.hybrid ?? 0) + 1;
      }
    }
  }
  const row = (/** @type {string} */ label, /** @type {Record<string, number>} */ c) => {
    const s = score(c);
    const killed = score({ Killed: c.Killed ?? 0, Survived: (c.Survived ?? 0) + (c.Timeout ?? 0), NoCoverage: c.NoCoverage ?? 0 });
    console.log(
      `${label.padEnd(50)} ${`${s.detected}/${s.valid}`.padStart(11)} ${s.pct.toFixed(1).padStart(6)}% ${killed.pct.toFixed(1).padStart(6)}%` +
        `   survived ${c.Survived ?? 0} (hybrid ${c.hybrid ?? 0}), no coverage ${c.NoCoverage ?? 0}, timed out ${c.Timeout ?? 0} (by the clock ${c.clock ?? 0})`,
    );
    return s;
  };
  console.log(`\n${'part'.padEnd(50)} ${'detected'.padStart(11)} ${'score'.padStart(7)} ${'killed'.padStart(7)}`);
  for (const part of PARTS) {
    const name = partName(part.dir, part.files);
    if (byPart.has(name)) row(name, /** @type {Record<string, number>} */ (byPart.get(name)));
  }
  const whole = row('all measured', total);

  mkdirSync(OUT, { recursive: true });
  const merged = { ...schema, projectRoot: ROOT, files, testFiles };
  writeFileSync(join(OUT, 'mutation.json'), JSON.stringify(merged));
  const require = createRequire(import.meta.url);
  const elements = readFileSync(require.resolve('mutation-testing-elements/dist/mutation-test-elements.js'), 'utf8');
  writeFileSync(
    join(OUT, 'mutation.html'),
    `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><script>${elements}</script></head><body>` +
      `<mutation-test-report-app titlePostfix="actgrad"></mutation-test-report-app>` +
      `<script>document.querySelector('mutation-test-report-app').report = ${JSON.stringify(merged).replace(/</g, '<"+"')};</script>` +
      `</body></html>\n`,
  );
  console.log(`\nmerged report: ${relative(process.cwd(), join(OUT, 'mutation.json')).split(sep).join('/')} (and .html)`);

  for (const p of problems) console.error(`mutate: ${p}`);
  if (problems.length) {
    console.error(`mutate: the score above is not the whole scope's (${problems.length} problem${problems.length > 1 ? 's' : ''} above)`);
    return false;
  }
  if (!(whole.pct >= BREAK)) {
    console.error(`mutate: the score ${whole.pct.toFixed(1)}% is below ${BREAK}%`);
    return false;
  }
  return true;
}

const args = process.argv.slice(2);
if (args.includes('--list')) {
  list();
} else {
  let ok = true;
  if (!args.includes('--report')) {
    const at = args.indexOf('--part');
    const wanted = at >= 0 ? args[at + 1] : undefined;
    if (at >= 0 && !wanted) {
      console.error('mutate: --part needs a part name (see --list)');
      process.exit(2);
    }
    const parts = wanted ? PARTS.filter((p) => partName(p.dir, p.files).startsWith(wanted)) : PARTS;
    if (!parts.length) {
      console.error(`mutate: no part is named ${wanted} (see --list)`);
      process.exit(2);
    }
    for (const part of parts) ok = runPart(part) && ok;
  }
  ok = merge() && ok;
  process.exit(ok ? 0 : 1);
}
