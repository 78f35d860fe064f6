/**
 * README.md shows real output: every ```console command is re-run against the built CLI and its
 * output compared; the functions table must equal the one generated from the registry.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { functionsMarkdown } from '../src/commands/explain';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { regenerate } = require('../scripts/readme.js') as { regenerate(text: string): string };

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

test('the functions table is the registry', () => {
  expect(readme).toContain(`<!-- functions -->\n${functionsMarkdown()}\n<!-- /functions -->`);
});

test('every console example in the README is the real output of its command', () => {
  const fresh = regenerate(readme).split('\n');
  readme.split('\n').forEach((line, i) => expect({ line: i + 1, text: line }).toEqual({ line: i + 1, text: fresh[i] }));
});

test('the README shows the set-up commands and the exit codes', () => {
  expect(readme).toContain('npm install');
  expect(readme).toContain('npx actgrad softmax 2 1 0.1 --jacobian');
  expect(readme).toContain('npm test');
  expect(readme).toMatch(/\| 2 \| usage or input error/);
});
