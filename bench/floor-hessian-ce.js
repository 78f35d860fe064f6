// The floor of the cross-entropy Hessian job: read C logits (arguments, as the job gives them) and
// the target class, write the C×C Hessian of cross_entropy with respect to the logits: diag(p) − ppᵀ.
'use strict';
const { writeSync } = require('node:fs');
const x = process.argv.slice(2).map(Number);
const m = Math.max(...x);
const e = x.map((v) => Math.exp(v - m));
const s = e.reduce((a, b) => a + b, 0);
const p = e.map((v) => v / s);
const lines = p.map((pi, i) => p.map((pj, j) => String((i === j ? pi : 0) - pi * pj)).join(' '));
writeSync(1, `${lines.join('\n')}\n`);
