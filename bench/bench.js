#!/usr/bin/env node
/**
 * actgrad's benchmark: `npm run bench` (it builds first). Each job runs its commands interleaved
 * (one of each, then again) and reports the ratio of their fastest runs to its floor's — a
 * Node process doing nothing else (`node -e 0`) for start-up, a minimal Node script of the same
 * reading, arithmetic and writing (bench/floor-*.js) for the rest — with the target and whether it
 * is met. Peak memory (max RSS) comes from /usr/bin/time; every actgrad command must stay below
 * 250 MB. Where an interpreter can import torch (python3, then /usr/bin/python3), the same jobs run
 * in PyTorch beside them, PyTorch's start-up included, as a user would see it (bench/torch_jobs.py).
 *
 *   node bench/bench.js [--runs N] [--quick]
 *
 * --quick: smaller inputs and 3 runs, nothing written. Otherwise the results go to stdout and to
 * bench/RESULTS.md. Every child runs without NODE_EXTRA_CA_CERTS: Node reads those certificates
 * at every start (~100 ms with a system bundle), which would dilute every start-up ratio.
 * Timings are measured here only; no test asserts them.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { seeded } = require('./seeded');

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'actgrad.js');
const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const RUNS_FLAG = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : undefined;
/** Runs per command: start-up is short and noisy, so it gets more. */
const runsFor = (heavy) => RUNS_FLAG ?? (QUICK ? 3 : heavy ? 5 : 15);
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const DATA = fs.mkdtempSync(path.join(os.tmpdir(), 'actgrad-bench-'));
const MEMORY_LIMIT_MB = 250;
const ENV = { ...process.env };
delete ENV.NODE_EXTRA_CA_CERTS;

function writeData() {
  const rand = seeded(20261127);
  const u = (lo, hi) => lo + (hi - lo) * rand();
  const files = {};
  const put = (name, text) => {
    files[name] = path.join(DATA, name);
    fs.writeFileSync(files[name], text);
  };
  const matrix = (r, c, f, sep = '\n') => Array.from({ length: r }, () => Array.from({ length: c }, f).join(' ')).join(sep);
  const million = QUICK ? 200000 : 1000000;
  const big = QUICK ? 20000 : 100000;
  put('numbers.txt', `${Array.from({ length: million }, () => u(-10, 10).toFixed(6)).join('\n')}\n`);
  put('vec2000.txt', `${Array.from({ length: 2000 }, () => u(-3, 3).toFixed(4)).join(' ')}\n`);
  for (const rows of [big / 10, big]) {
    put(`logits${rows}.txt`, `${matrix(rows, 100, () => u(-3, 3).toFixed(4))}\n`);
    put(`classes${rows}.txt`, `${Array.from({ length: rows }, () => Math.floor(rand() * 100)).join('\n')}\n`);
    put(`values${rows}.txt`, `${matrix(rows, 10, () => u(-3, 3).toFixed(4))}\n`);
    put(`probs${rows}.txt`, `${matrix(rows, 10, () => u(0.01, 0.99).toFixed(4))}\n`);
    put(`targets${rows}.txt`, `${matrix(rows, 10, () => rand().toFixed(4))}\n`);
  }
  const logits300 = Array.from({ length: 300 }, () => u(-3, 3).toFixed(4));
  const layer = (r, c, s) => matrix(r, c, () => u(-s, s).toFixed(4), '; ');
  put('W1.txt', layer(50, 50, 0.3));
  put('W2.txt', layer(50, 50, 0.3));
  for (const name of ['x50', 'b1', 'b2', 'y50']) put(`${name}.txt`, layer(1, 50, 1));
  put('W500.txt', `${matrix(500, 500, () => u(-0.1, 0.1).toFixed(5))}\n`);
  put('x500.txt', `${Array.from({ length: 500 }, () => u(-1, 1).toFixed(5)).join(' ')}\n`);
  put('image64.txt', `${matrix(64, 64, () => u(-1, 1).toFixed(4))}\n`);
  put('kernel3.txt', `${matrix(3, 3, () => u(-1, 1).toFixed(4))}\n`);
  put('batch1000x512.txt', `${matrix(1000, 512, () => u(-3, 3).toFixed(4))}\n`);
  return { files, million, big, logits300 };
}

/** One run: wall time in ms and peak memory in MB (when /usr/bin/time is there). */
function runOnce(cmd, stdinFile) {
  const stdin = stdinFile ? fs.openSync(stdinFile, 'r') : 'ignore';
  const stdout = fs.openSync(path.join(DATA, 'out.txt'), 'w');
  const argv = TIME ? [TIME, '-f', '%M', ...cmd] : cmd;
  const t0 = process.hrtime.bigint();
  const p = spawnSync(argv[0], argv.slice(1), { stdio: [stdin, stdout, 'pipe'], encoding: 'utf8', env: ENV, maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (typeof stdin === 'number') fs.closeSync(stdin);
  fs.closeSync(stdout);
  if (p.status !== 0) throw new Error(`${cmd.join(' ').slice(0, 300)} failed (${p.status}): ${p.stderr.slice(0, 2000)}`);
  const kb = TIME ? Number(p.stderr.trim().split('\n').pop()) : NaN;
  return { ms, mb: kb / 1024 };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Runs the commands of a job interleaved (one of each, `runs` times), so drift hits all alike. */
function measure(commands, runs) {
  const times = commands.map(() => []);
  const mems = commands.map(() => []);
  for (let r = 0; r < runs; r++) {
    commands.forEach((c, i) => {
      const { ms, mb } = runOnce(c.cmd, c.stdin);
      times[i].push(ms);
      mems[i].push(mb);
    });
  }
  return commands.map((c, i) => ({ ...c, ms: median(times[i]), min: Math.min(...times[i]), mb: Math.max(...mems[i]), runs }));
}

/** The first interpreter that imports torch: python3, then /usr/bin/python3 (where torch often is). */
function torchPython() {
  for (const py of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore', env: ENV });
    if (r.status === 0) return py;
  }
  return undefined;
}

function machine() {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
}

/** Does bin/actgrad.js run from fresh packs (scripts/pack.js), or from the compiled modules one by one? */
function packsInUse() {
  try {
    return require(path.join(ROOT, 'dist', 'cli', 'load.js')).openPacks() !== undefined;
  } catch {
    return false;
  }
}

function main() {
  const loadBefore = os.loadavg().map((l) => l.toFixed(1)).join(' ');
  const packed = packsInUse();
  if (!packed) process.stderr.write('bench: warning: dist/pack is missing or older than dist/ (run npm run build); start-up is measured without it\n');
  const { files, million, big, logits300 } = writeData();
  const node = process.execPath;
  const actgrad = (...a) => [node, BIN, ...a];
  const floor = (script, ...a) => [node, path.join(__dirname, script), ...a];
  const small = big / 10;
  const results = [];
  const rows = [];
  /** A job's verdict: its ratio (or time), its target, and whether actgrad's memory stayed below the limit. */
  const report = (name, measured, target, value, pass, unit = '×') => {
    const actgradRows = measured.filter((r) => r.cmd[1] === BIN);
    const memoryOk = actgradRows.every((r) => !(r.mb >= MEMORY_LIMIT_MB));
    results.push({ name, target, value, unit, pass, memoryOk, peak: Math.max(...actgradRows.map((r) => r.mb)) });
    for (const r of measured) if (!rows.includes(r)) rows.push(r);
  };
  // The fastest run of each command is the one least disturbed by whatever else the machine runs
  // (on a busy machine every median is inflated by waiting, which flatters a ratio towards 1).
  const ratio = (a, b) => a.min / b.min;
  const progress = (s) => process.stderr.write(`bench: ${s}\n`);

  progress('start-up');
  const mseArgs = ['x=1', 'w=2', 'b=0', 'y=1'];
  const s = measure(
    [
      { label: 'node -e 0 (floor)', cmd: [node, '-e', '0'] },
      { label: 'actgrad softmax 2 1 0.1 --jacobian', cmd: actgrad('softmax', '2', '1', '0.1', '--jacobian') },
      { label: 'actgrad grad "mse(x*w + b, y)" …', cmd: actgrad('grad', 'mse(x*w + b, y)', ...mseArgs) },
      { label: 'actgrad grad "F.mse_loss(x*w + b, y)" …', cmd: actgrad('grad', 'F.mse_loss(x*w + b, y)', ...mseArgs) },
      { label: 'actgrad grad "mse(x*w + b, y)" … --steps', cmd: actgrad('grad', 'mse(x*w + b, y)', ...mseArgs, '--steps') },
      { label: 'actgrad plot sigmoid', cmd: actgrad('plot', 'sigmoid') },
      { label: 'actgrad explain sigmoid', cmd: actgrad('explain', 'sigmoid') },
    ],
    runsFor(false),
  );
  const startup = (i, target) => report(`start-up: ${s[i].label.replace('actgrad ', '')}`, [s[0], s[i]], `≤ ${target}× node -e 0`, ratio(s[i], s[0]), ratio(s[i], s[0]) <= target);
  startup(1, 1.1);
  startup(2, 1.3);
  startup(3, 1.3);
  for (const i of [4, 5, 6]) startup(i, 1.5);

  progress('sigmoid');
  const b = measure(
    [
      { label: `floor-sigmoid.js < ${million} numbers`, cmd: floor('floor-sigmoid.js'), stdin: files['numbers.txt'] },
      { label: `actgrad sigmoid --grad < ${million} numbers`, cmd: actgrad('sigmoid', '--grad'), stdin: files['numbers.txt'] },
    ],
    runsFor(true),
  );
  report(`${million.toLocaleString('en')} numbers through sigmoid --grad`, b, '≤ 1.3× floor', ratio(b[1], b[0]), ratio(b[1], b[0]) <= 1.3);

  progress('softmax Jacobian');
  const c = measure(
    [
      { label: 'floor-format.js (format and write 4,000,000 numbers)', cmd: floor('floor-format.js'), stdin: files['vec2000.txt'] },
      { label: 'actgrad softmax --jacobian < 2000 numbers', cmd: actgrad('softmax', '--jacobian'), stdin: files['vec2000.txt'] },
    ],
    runsFor(true),
  );
  report('2000×2000 softmax Jacobian', c, '≤ 1.5× floor', ratio(c[1], c[0]), ratio(c[1], c[0]) <= 1.5);

  // Batch losses from standard input with --target @FILE: class indices for cross-entropy and nll
  // (rows of 100 scores), a target of the input's shape for mse and bce (rows of 10).
  const losses = [
    { name: 'cross-entropy', floor: 'floor-cross-entropy.js', input: 'logits', target: 'classes', width: 100 },
    { name: 'nll', floor: 'floor-nll.js', input: 'logits', target: 'classes', width: 100 },
    { name: 'mse', floor: 'floor-mse.js', input: 'values', target: 'targets', width: 10 },
    { name: 'bce', floor: 'floor-bce.js', input: 'probs', target: 'targets', width: 10 },
  ];
  for (const l of losses) {
    progress(l.name);
    const at = (n, what) => files[`${what}${n}.txt`];
    const m = measure(
      [
        { label: `${l.floor} < ${big.toLocaleString('en')} × ${l.width}`, cmd: floor(l.floor, at(big, l.target)), stdin: at(big, l.input) },
        { label: `actgrad ${l.name} --grad < ${big.toLocaleString('en')} × ${l.width}`, cmd: actgrad(l.name, '--target', `@${at(big, l.target)}`, '--grad'), stdin: at(big, l.input) },
        { label: `actgrad ${l.name} --grad < ${small.toLocaleString('en')} × ${l.width}`, cmd: actgrad(l.name, '--target', `@${at(small, l.target)}`, '--grad'), stdin: at(small, l.input) },
      ],
      runsFor(true),
    );
    report(`${l.name} --grad, ${big.toLocaleString('en')} × ${l.width} from stdin`, [m[0], m[1]], '≤ 1.3× floor', ratio(m[1], m[0]), ratio(m[1], m[0]) <= 1.3);
    report(`${l.name}: 10× the rows`, [m[2], m[1]], '≤ 11× the time', ratio(m[1], m[2]), ratio(m[1], m[2]) <= 11);
  }

  progress('Hessians and matrices');
  const h1 = measure(
    [
      { label: 'floor-hessian-ce.js (300 logits)', cmd: floor('floor-hessian-ce.js', ...logits300) },
      { label: 'actgrad cross-entropy <300 logits> --target 0 --hessian', cmd: actgrad('cross-entropy', ...logits300, '--target', '0', '--hessian') },
    ],
    runsFor(false),
  );
  report('Hessian of cross-entropy, 300 logits', h1, '≤ 2× floor', ratio(h1[1], h1[0]), ratio(h1[1], h1[0]) <= 2);
  const layerFiles = ['W1', 'x50', 'b1', 'W2', 'b2', 'y50'].map((n) => files[`${n}.txt`]);
  const h2 = measure(
    [
      { label: 'floor-hessian-mlp.js (50×50)', cmd: floor('floor-hessian-mlp.js', ...layerFiles) },
      {
        label: 'actgrad grad "mse(W2 @ tanh(W1 @ x + b1) + b2, y)" … --hessian --wrt b1',
        cmd: actgrad('grad', 'mse(W2 @ tanh(W1 @ x + b1) + b2, y)', ...['W1', 'x', 'b1', 'W2', 'b2', 'y'].map((n, i) => `${n}=@${layerFiles[i]}`), '--hessian', '--wrt', 'b1'),
      },
    ],
    runsFor(false),
  );
  report('Hessian of an MLP loss w.r.t. b1 (50×50)', h2, '≤ 2× floor', ratio(h2[1], h2[0]), ratio(h2[1], h2[0]) <= 2);
  const g = measure(
    [
      { label: 'floor-matvec-tanh.js (500×500)', cmd: floor('floor-matvec-tanh.js', files['W500.txt'], files['x500.txt']) },
      { label: 'actgrad grad "sum(tanh(W @ x))" W=@500×500 x=@500', cmd: actgrad('grad', 'sum(tanh(W @ x))', `W=@${files['W500.txt']}`, `x=@${files['x500.txt']}`) },
    ],
    runsFor(true),
  );
  report('grad of sum(tanh(W @ x)), W 500×500', g, '≤ 2× floor', ratio(g[1], g[0]), ratio(g[1], g[0]) <= 2);
  const layers = measure(
    [
      { label: 'actgrad grad "F.conv2d(x, w).sum()" x=@64×64 w=@3×3', cmd: actgrad('grad', 'F.conv2d(x, w).sum()', `x=@${files['image64.txt']}`, `w=@${files['kernel3.txt']}`) },
      { label: 'actgrad layer-norm --normalized-shape 512 --grad < 1000 × 512', cmd: actgrad('layer-norm', '--normalized-shape', '512', '--grad'), stdin: files['batch1000x512.txt'] },
    ],
    runsFor(true),
  );
  report('conv2d 64×64 with a 3×3 kernel, both gradients', [layers[0]], '< 1 s', layers[0].min / 1000, layers[0].min < 1000, ' s');
  report('layer norm over 1000 × 512, gradient', [layers[1]], '< 1 s', layers[1].min / 1000, layers[1].min < 1000, ' s');

  // PyTorch beside them: the same jobs, fewer runs (each pays PyTorch's start-up).
  let torch = 'No interpreter here imports torch (tried python3 and /usr/bin/python3): the PyTorch column was skipped.';
  const py = torchPython();
  if (py) {
    progress(`PyTorch (${py})`);
    const script = path.join(__dirname, 'torch_jobs.py');
    const pyJob = (job, beside, extra = [], stdin = undefined) => ({ label: `PyTorch: ${job}`, cmd: [py, script, job, ...extra], stdin, beside });
    const t = measure(
      [
        pyJob('startup', s[1]),
        pyJob('grad_startup', s[3]),
        pyJob('sigmoid', b[1], [], files['numbers.txt']),
        pyJob('softmax_jacobian', c[1], [], files['vec2000.txt']),
        pyJob('cross_entropy', rows.find((r) => r.label.startsWith('actgrad cross-entropy --grad') && r.label.includes(big.toLocaleString('en'))), [files[`classes${big}.txt`]], files[`logits${big}.txt`]),
        pyJob('nll', rows.find((r) => r.label.startsWith('actgrad nll') && r.label.includes(big.toLocaleString('en'))), [files[`classes${big}.txt`]], files[`logits${big}.txt`]),
        pyJob('mse', rows.find((r) => r.label.startsWith('actgrad mse') && r.label.includes(big.toLocaleString('en'))), [files[`targets${big}.txt`]], files[`values${big}.txt`]),
        pyJob('bce', rows.find((r) => r.label.startsWith('actgrad bce') && r.label.includes(big.toLocaleString('en'))), [files[`targets${big}.txt`]], files[`probs${big}.txt`]),
        pyJob('hessian_cross_entropy', h1[1], ['0', ...logits300]),
        pyJob('hessian_mlp', h2[1], layerFiles),
        pyJob('matvec_tanh', g[1], [files['W500.txt'], files['x500.txt']]),
        pyJob('conv2d', layers[0], [files['image64.txt'], files['kernel3.txt']]),
        pyJob('layer_norm', layers[1], [], files['batch1000x512.txt']),
      ],
      QUICK ? 1 : 3,
    );
    torch = [
      `Measured with ${py} (torch ${spawnSync(py, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', env: ENV }).stdout.trim()}), ${QUICK ? 1 : 3} runs each, fastest runs; PyTorch's start-up is included.`,
      '',
      '| job | actgrad ms | PyTorch ms | PyTorch ÷ actgrad |',
      '| --- | --- | --- | --- |',
      ...t.map((r) => `| ${r.beside.label} | ${r.beside.min.toFixed(0)} | ${r.min.toFixed(0)} | ${(r.min / r.beside.min).toFixed(2)}× |`),
    ].join('\n');
  }

  const show = (cmd) =>
    cmd
      .map((w) => (w === node ? 'node' : w.startsWith(ROOT) ? path.relative(ROOT, w) : w.split(`${DATA}${path.sep}`).join('')))
      .join(' ')
      .replace(/(-?\d+\.\d{4} ){299}-?\d+\.\d{4}/, '<300 logits>');
  const fmt = (r) =>
    `| ${r.label} | \`${show(r.cmd).slice(0, 160)}${r.stdin ? ` < ${path.basename(r.stdin)}` : ''}\` | ${r.runs} | ${r.min.toFixed(1)} | ${r.ms.toFixed(1)} | ${Number.isFinite(r.mb) ? r.mb.toFixed(0) : '—'} |`;
  const met = results.filter((r) => r.pass && r.memoryOk).length;
  const lines = [
    '# actgrad benchmark results',
    '',
    `Measured by \`npm run bench\` (bench/bench.js) on ${new Date().toISOString().slice(0, 10)}: ${machine()}.`,
    'Commands of a job ran interleaved; ratios and verdicts use the fastest run of each command (the least disturbed by other',
    `work on the machine: load average ${loadBefore} before the run, ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} after); medians are shown beside them.`,
    'Memory is the largest max RSS (/usr/bin/time) of a command over its runs.',
    'Children ran without NODE_EXTRA_CA_CERTS (which makes every Node start read a certificate bundle).',
    `actgrad ran ${packed ? 'from its packs (dist/pack, written by npm run build)' : 'WITHOUT its packs (dist/pack missing or stale): start-up is slower than built'}.`,
    '',
    `${met} of ${results.length} targets met.`,
    '',
    `| job | measured | target | met | actgrad's peak MB (< ${MEMORY_LIMIT_MB}) |`,
    '| --- | --- | --- | --- | --- |',
    ...results.map(
      (r) => `| ${r.name} | ${r.unit === '×' ? `${r.value.toFixed(2)}×` : `${r.value.toFixed(2)} s`} | ${r.target} | ${r.pass && r.memoryOk ? 'yes' : 'no'} | ${r.peak.toFixed(0)}${r.memoryOk ? '' : ' (over)'} |`,
    ),
    '',
    '| command | run as | runs | fastest ms | median ms | peak MB |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map(fmt),
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
