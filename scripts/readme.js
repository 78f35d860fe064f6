#!/usr/bin/env node
/**
 * Keeps README.md honest. Every ```console block is a list of commands ("$ actgrad ...") each
 * followed by its output; the functions table sits between <!-- functions --> markers.
 *   node scripts/readme.js          rewrite README.md with real output (run after `npm run build`)
 *   node scripts/readme.js --check  exit 1 when README.md differs from real output (used by jest)
 */
'use strict';
const { execFileSync } = require('node:child_process');
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const README = join(ROOT, 'README.md');

/** Runs one README command line with `actgrad` bound to this checkout; stderr is shown after stdout. */
function runCommand(command) {
  const script = `actgrad() { node "${join(ROOT, 'bin', 'actgrad.js')}" "$@"; }\n{ ${command}\n} 2>&1`;
  try {
    return execFileSync('bash', ['-c', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  } catch (e) {
    return e.stdout; // non-zero exit codes are part of some examples
  }
}

function functionsTable() {
  return require(join(ROOT, 'dist', 'commands', 'explain.js')).functionsMarkdown();
}

/** README text with every console block's output regenerated. */
function regenerate(text) {
  const withTable = text.replace(/<!-- functions -->[\s\S]*?<!-- \/functions -->/, () => `<!-- functions -->\n${functionsTable()}\n<!-- /functions -->`);
  return withTable.replace(/```console\n([\s\S]*?)```/g, (_, body) => {
    const commands = body.split('\n').filter((l) => l.startsWith('$ ')).map((l) => l.slice(2));
    return '```console\n' + commands.map((c) => `$ ${c}\n${runCommand(c)}`).join('') + '```';
  });
}

function main() {
  const text = readFileSync(README, 'utf8');
  const fresh = regenerate(text);
  if (process.argv.includes('--check')) {
    if (fresh !== text) {
      const a = text.split('\n');
      const b = fresh.split('\n');
      const i = a.findIndex((line, k) => line !== b[k]);
      process.stderr.write(`README.md differs from real output at line ${i + 1}:\n  README: ${a[i]}\n  actual: ${b[i]}\n(run: npm run build && node scripts/readme.js)\n`);
      process.exit(1);
    }
    return;
  }
  writeFileSync(README, fresh);
}

if (require.main === module) main();
module.exports = { regenerate };
