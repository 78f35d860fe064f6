// The floor of the mse job: read the input (one row per line) and a target file of the same shape,
// write the gradient of mse_loss with mean reduction, as PyTorch's kernel: 2/N · (x − t).
'use strict';
const { readFileSync, writeSync } = require('node:fs');
const rows = readFileSync(0, 'utf8').split('\n').filter((l) => l !== '');
const target = readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l !== '');
const norm = 2 / rows.reduce((k, l) => k + l.split(' ').length, 0);
let out = [];
for (let r = 0; r < rows.length; r++) {
  const x = rows[r].split(' ').map(Number);
  const t = target[r].split(' ').map(Number);
  out.push(x.map((v, j) => String(norm * (v - t[j]))).join(' '));
  if (out.length === 1000) writeSync(1, `${out.splice(0).join('\n')}\n`);
}
writeSync(1, `${out.join('\n')}\n`);
