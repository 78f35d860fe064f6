// The floor of job (c): the least a Node program must do to compute the same 2000×2000 softmax
// Jacobian (diag(y) − y yᵀ, cheap) and format and write its 4,000,000 numbers, one row per line.
'use strict';
const { readFileSync, writeSync } = require('node:fs');
const x = readFileSync(0, 'utf8').trim().split(/\s+/).map(Number);
const m = Math.max(...x);
const e = x.map((v) => Math.exp(v - m));
const s = e.reduce((a, b) => a + b, 0);
const y = e.map((v) => v / s);
const n = y.length;
for (let i = 0; i < n; i++) {
  const row = new Array(n);
  for (let j = 0; j < n; j++) row[j] = String(y[i] * ((i === j ? 1 : 0) - y[j]));
  writeSync(1, `${row.join(' ')}\n`);
}
