// The floor of the matrix job: read W (one row per line) and x from files, write the gradients of
// sum(tanh(W @ x)): with d = 1 − tanh(W x)², ∂/∂W = d xᵀ (one row per line) and ∂/∂x = Wᵀ d.
'use strict';
const { readFileSync, writeSync } = require('node:fs');
const W = readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
const x = readFileSync(process.argv[3], 'utf8').trim().split(/\s+/).map(Number);
const d = W.map((row) => {
  const t = Math.tanh(row.reduce((s, w, j) => s + w * x[j], 0));
  return 1 - t * t;
});
writeSync(1, `# W\n${d.map((di) => x.map((xj) => String(di * xj)).join(' ')).join('\n')}\n`);
const gx = x.map((_, j) => W.reduce((s, row, i) => s + row[j] * d[i], 0));
writeSync(1, `# x\n${gx.map(String).join(' ')}\n`);
