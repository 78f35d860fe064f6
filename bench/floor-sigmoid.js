// The floor of job (b): the least a Node program must do to read, parse, compute and write the
// same numbers as `actgrad sigmoid --grad` (one number per line in, one line out; same formula).
'use strict';
const { readFileSync, writeSync } = require('node:fs');
const sigmoid = (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const lines = readFileSync(0, 'utf8').split('\n');
const out = [];
for (const line of lines) {
  if (line === '') continue;
  const x = Number(line);
  out.push(String(sigmoid(x) * sigmoid(-x)));
}
writeSync(1, `${out.join(' ')}\n`);
