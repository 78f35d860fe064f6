// The floor of the nll job: read log-probabilities (one row per line) and a file of class indices
// (one per row), write the gradient of nll_loss with mean reduction: −1/N at each row's target.
'use strict';
const { readFileSync, writeSync } = require('node:fs');
const rows = readFileSync(0, 'utf8').split('\n').filter((l) => l !== '');
const target = readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l !== '').map(Number);
const n = rows.length;
let out = [];
for (let r = 0; r < n; r++) {
  const x = rows[r].split(' ').map(Number);
  out.push(x.map((_, j) => String(j === target[r] ? -1 / n : 0)).join(' '));
  if (out.length === 1000) writeSync(1, `${out.splice(0).join('\n')}\n`);
}
writeSync(1, `${out.join('\n')}\n`);
