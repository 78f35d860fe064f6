// The floor of the cross-entropy job: the least a Node program must do to read, parse, compute and
// write what `actgrad cross-entropy --target @FILE --grad` does for logits on standard input (one
// row per line) and a file of class indices (one per row): the gradient (softmax(x) − onehot)/N.
'use strict';
const { readFileSync, writeSync } = require('node:fs');
const rows = readFileSync(0, 'utf8').split('\n').filter((l) => l !== '');
const target = readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l !== '').map(Number);
const n = rows.length;
let out = [];
for (let r = 0; r < n; r++) {
  const x = rows[r].split(' ').map(Number);
  const m = Math.max(...x);
  const e = x.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  out.push(e.map((v, j) => String((v / s - (j === target[r] ? 1 : 0)) / n)).join(' '));
  if (out.length === 1000) writeSync(1, `${out.splice(0).join('\n')}\n`);
}
writeSync(1, `${out.join('\n')}\n`);
