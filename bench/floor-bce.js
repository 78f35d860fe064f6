// The floor of the bce job: read probabilities (one row per line) and a target file of the same
// shape, write the gradient of binary_cross_entropy with mean reduction, as PyTorch's kernel:
// (x − t) / max((1 − x)·x, ε) / N, with ε = 1e-12 in float32.
'use strict';
const { readFileSync, writeSync } = require('node:fs');
const EPSILON = Math.fround(1e-12);
const rows = readFileSync(0, 'utf8').split('\n').filter((l) => l !== '');
const target = readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l !== '');
const count = rows.reduce((k, l) => k + l.split(' ').length, 0);
let out = [];
for (let r = 0; r < rows.length; r++) {
  const x = rows[r].split(' ').map(Number);
  const t = target[r].split(' ').map(Number);
  out.push(x.map((v, j) => String((v - t[j]) / Math.max((1 - v) * v, EPSILON) / count)).join(' '));
  if (out.length === 1000) writeSync(1, `${out.splice(0).join('\n')}\n`);
}
writeSync(1, `${out.join('\n')}\n`);
