#!/usr/bin/env node
/**
 * actgrad's benchmark: `npm run bench` (after `npm run build`). Each job runs its commands
 * interleaved, at least 5 times each, and reports medians and ratios against a floor:
 *   a. start-up: actgrad softmax 2 1 0.1 --jacobian  vs  node -e 0
 *   b. 1,000,000 numbers piped through actgrad sigmoid --grad  vs  a minimal Node script (floor-sigmoid.js)
 *   c. softmax --jacobian of a 2000-number vector (4,000,000 numbers out)  vs  formatting them (floor-format.js)
 *   d. cross-entropy --grad on a 10,000 × 100 batch from stdin, and on 100,000 × 100 (growth)
 *   e. the same jobs in PyTorch, when python3 can import torch
 * Peak memory (max RSS) comes from /usr/bin/time where it exists. Results go to stdout and to
 * bench/RESULTS.md. Timings are measured here only; no test asserts them.
 */
'use strict';
const { spawnSync, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { seeded } = require('./seeded');

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'actgrad.js');
const args = process.argv.slice(2);
const RUNS = Math.max(5, Number(args[args.indexOf('--runs') + 1]) || (args.includes('--quick') ? 5 : 11));
const QUICK = args.includes('--quick');
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const DATA = fs.mkdtempSync(path.join(os.tmpdir(), 'actgrad-bench-'));

function writeData() {
  const rand = seeded(20261126);
  const u = (lo, hi) => lo + (hi - lo) * rand();
  const files = {};
  const put = (name, text) => {
    files[name] = path.join(DATA, name);
    fs.writeFileSync(files[name], text);
  };
  const million = QUICK ? 200000 : 1000000;
  put('numbers.txt', `${Array.from({ length: million }, () => u(-10, 10).toFixed(6)).join('\n')}\n`);
  put('vec2000.txt', `${Array.from({ length: 2000 }, () => u(-3, 3).toFixed(4)).join(' ')}\n`);
  for (const rows of [10000, 100000]) {
    const lines = [];
    for (let r = 0; r < rows; r++) lines.push(Array.from({ length: 100 }, () => u(-3, 3).toFixed(4)).join(' '));
    put(`batch${rows}.txt`, `${lines.join('\n')}\n`);
    put(`target${rows}.txt`, `${Array.from({ length: rows }, () => Math.floor(rand() * 100)).join('\n')}\n`);
  }
  return { files, million };
}

/** One run: wall time in ms and peak memory in MB (when /usr/bin/time is there). */
function runOnce(cmd, stdinFile) {
  const stdin = stdinFile ? fs.openSync(stdinFile, 'r') : 'ignore';
  const outFile = path.join(DATA, 'out.txt');
  const stdout = fs.openSync(outFile, 'w');
  const argv = TIME ? [TIME, '-f', '%M', ...cmd] : cmd;
  const t0 = process.hrtime.bigint();
  const p = spawnSync(argv[0], argv.slice(1), { stdio: [stdin, stdout, 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (typeof stdin === 'number') fs.closeSync(stdin);
  fs.closeSync(stdout);
  if (p.status !== 0) throw new Error(`${cmd.join(' ')} failed (${p.status}): ${p.stderr}`);
  const kb = TIME ? Number(p.stderr.trim().split('\n').pop()) : NaN;
  return { ms, mb: kb / 1024 };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Runs the commands of a job interleaved (one of each, RUNS times), so drift hits all alike. */
function job(commands) {
  const times = commands.map(() => []);
  const mems = commands.map(() => []);
  for (let r = 0; r < RUNS; r++) {
    commands.forEach((c, i) => {
      const { ms, mb } = runOnce(c.cmd, c.stdin);
      times[i].push(ms);
      mems[i].push(mb);
    });
  }
  return commands.map((c, i) => ({ ...c, ms: median(times[i]), mb: Math.max(...mems[i]) }));
}

function torchAvailable() {
  try {
    execFileSync('python3', ['-c', 'import torch'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function machine() {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
}

function main() {
  const { files, million } = writeData();
  const node = process.execPath;
  const actgrad = (...a) => [node, BIN, ...a];
  const show = (cmd) =>
    cmd
      .map((w) => (w === node ? 'node' : w.startsWith(ROOT) ? path.relative(ROOT, w) : w.startsWith(DATA) ? path.basename(w) : w.startsWith(`@${DATA}`) ? `@${path.basename(w)}` : w))
      .join(' ');
  const results = [];
  const report = (name, rows, target, ratio, pass) => results.push({ name, rows, target, ratio, pass });

  const a = job([
    { label: 'node -e 0 (floor)', cmd: [node, '-e', '0'] },
    { label: 'actgrad softmax 2 1 0.1 --jacobian', cmd: actgrad('softmax', '2', '1', '0.1', '--jacobian') },
  ]);
  report('a. start-up', a, '≤ 1.2× node -e 0', a[1].ms / a[0].ms, a[1].ms / a[0].ms <= 1.2);

  const b = job([
    { label: `floor-sigmoid.js < ${million} numbers`, cmd: [node, path.join(__dirname, 'floor-sigmoid.js')], stdin: files['numbers.txt'] },
    { label: `actgrad sigmoid --grad < ${million} numbers`, cmd: actgrad('sigmoid', '--grad'), stdin: files['numbers.txt'] },
  ]);
  report(`b. ${million.toLocaleString('en')} numbers through sigmoid --grad`, b, '≤ 1.3× floor, < 250 MB', b[1].ms / b[0].ms, b[1].ms / b[0].ms <= 1.3 && !(b[1].mb >= 250));

  const c = job([
    { label: 'floor-format.js (format and write 4,000,000 numbers)', cmd: [node, path.join(__dirname, 'floor-format.js')], stdin: files['vec2000.txt'] },
    { label: 'actgrad softmax --jacobian < 2000 numbers', cmd: actgrad('softmax', '--jacobian'), stdin: files['vec2000.txt'] },
  ]);
  report('c. 2000×2000 softmax Jacobian', c, '≤ 1.5× formatting floor', c[1].ms / c[0].ms, c[1].ms / c[0].ms <= 1.5);

  const d = job([
    { label: 'actgrad cross-entropy --grad < 10,000 × 100', cmd: actgrad('cross-entropy', '--target', `@${files['target10000.txt']}`, '--grad'), stdin: files['batch10000.txt'] },
    { label: 'actgrad cross-entropy --grad < 100,000 × 100', cmd: actgrad('cross-entropy', '--target', `@${files['target100000.txt']}`, '--grad'), stdin: files['batch100000.txt'] },
  ]);
  report('d. cross-entropy, 10× the rows', d, 'time ≤ 11× for 10× rows', d[1].ms / d[0].ms, d[1].ms / d[0].ms <= 11);

  let torch = 'python3 cannot import torch on this machine: the PyTorch column (job e) was skipped.';
  if (torchAvailable()) {
    const py = (jobName, stdin) => ({ label: `PyTorch: ${jobName}`, cmd: ['python3', path.join(__dirname, 'torch_jobs.py'), jobName], stdin });
    const e = job([
      py('startup', undefined),
      py('sigmoid', files['numbers.txt']),
      py('softmax_jacobian', files['vec2000.txt']),
      py('cross_entropy_10000', files['batch10000.txt']),
    ]);
    torch = e.map((r) => `- ${r.label}: ${r.ms.toFixed(0)} ms median, ${r.mb.toFixed(0)} MB`).join('\n');
  }

  const fmt = (r) => `| ${r.label} | \`${show(r.cmd)}${r.stdin ? ` < ${path.basename(r.stdin)}` : ''}\` | ${r.ms.toFixed(1)} | ${Number.isFinite(r.mb) ? r.mb.toFixed(0) : '—'} |`;
  const lines = [
    '# actgrad benchmark results',
    '',
    `Measured by \`npm run bench\` (bench/bench.js) on ${new Date().toISOString().slice(0, 10)}: ${machine()}.`,
    `Each command ran ${RUNS} times, interleaved with the others of its job; times are medians of wall time, memory is the largest max RSS (/usr/bin/time).`,
    '',
    '| job | ratio | target | met |',
    '| --- | --- | --- | --- |',
    ...results.map((r) => `| ${r.name} | ${r.ratio.toFixed(2)}× | ${r.target} | ${r.pass ? 'yes' : 'no'} |`),
    '',
    '| command | run as | median ms | peak MB |',
    '| --- | --- | --- | --- |',
    ...results.flatMap((r) => r.rows.map(fmt)),
    '',
    '## PyTorch',
    '',
    torch,
    '',
  ];
  const text = lines.join('\n');
  process.stdout.write(`${text}\n`);
  if (!QUICK) fs.writeFileSync(path.join(__dirname, 'RESULTS.md'), text);
  fs.rmSync(DATA, { recursive: true, force: true });
}

main();
