// The floor of the MLP Hessian job: read W1, x, b1, W2, b2, y from files ("a b; c d" rows, as the
// job binds them) and write the Hessian of mse(W2 @ tanh(W1 @ x + b1) + b2, y) with respect to b1,
// in closed form: with h = tanh(z), d = 1 − h², r = W2 h + b2 − y and n outputs,
// H = 2/n · (diag(d) W2ᵀW2 diag(d) − 2 diag((W2ᵀr) ⊙ h ⊙ d)).
'use strict';
const { readFileSync, writeSync } = require('node:fs');
const read = (f) => readFileSync(f, 'utf8').trim().split(';').map((row) => row.trim().split(/\s+/).map(Number));
const [W1, x, b1, W2, b2, y] = process.argv.slice(2).map(read);
const [xv, b1v, b2v, yv] = [x[0], b1[0], b2[0], y[0]];
const h = W1.map((row, i) => Math.tanh(row.reduce((s, w, j) => s + w * xv[j], 0) + b1v[i]));
const d = h.map((v) => 1 - v * v);
const r = W2.map((row, i) => row.reduce((s, w, j) => s + w * h[j], 0) + b2v[i] - yv[i]);
const n = r.length;
const k = h.length;
const lines = [];
for (let i = 0; i < k; i++) {
  const line = new Array(k);
  let wr = 0;
  for (let o = 0; o < n; o++) wr += W2[o][i] * r[o];
  for (let j = 0; j < k; j++) {
    let ww = 0;
    for (let o = 0; o < n; o++) ww += W2[o][i] * W2[o][j];
    line[j] = String((2 / n) * (d[i] * ww * d[j] - (i === j ? 2 * wr * h[i] * d[i] : 0)));
  }
  lines.push(line.join(' '));
}
writeSync(1, `${lines.join('\n')}\n`);
