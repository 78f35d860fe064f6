/**
 * The library as a user gets it: `require('actgrad')` and `import ... from 'actgrad'` resolve
 * through package.json's "exports" (a package may require itself by name from inside its own
 * folder), typed for TypeScript, and the README's example runs and prints what it says.
 * npm test builds dist/ first.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const scratch = mkdtempSync(join(ROOT, '.library-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const node = (file: string): string => execFileSync(process.execPath, [file], { cwd: ROOT, encoding: 'utf8' });

test("the README's example runs and prints what its comments say", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## As a library'));
  const code = /```js\n([\s\S]*?)```/.exec(section)![1];
  const file = join(scratch, 'example.cjs');
  writeFileSync(file, code);
  const printed = node(file).trimEnd().split('\n');
  // Each `console.log(...); // expected` line prints its comment.
  const expected = code.split('\n').filter((l) => /console\.log\(.*\);\s*\/\/ /.test(l)).map((l) => l.replace(/^.*\/\/ /, ''));
  expect(printed.slice(0, expected.length)).toEqual(expected);
  expect(printed[expected.length]).toMatch(/^true .+/);
});

test('ESM: import { evaluate } from "actgrad"', () => {
  const file = join(scratch, 'esm.mjs');
  writeFileSync(file, "import { evaluate, grad, ActgradError } from 'actgrad';\nconsole.log(JSON.stringify([evaluate('relu', [-1, 2], { grad: true }).grad, grad('x**2', { x: 3 }).grad.x, typeof ActgradError]));\n");
  expect(JSON.parse(node(file))).toEqual([[0, 1], 6, 'function']);
});

test('CommonJS: errors are ActgradError with the command line message', () => {
  const file = join(scratch, 'errors.cjs');
  writeFileSync(
    file,
    "const { evaluate, ActgradError } = require('actgrad');\n" +
      "try { evaluate('mse', [1, 2], { target: [1] }); } catch (e) { console.log(e instanceof ActgradError, e instanceof Error, e.message); }\n",
  );
  expect(node(file).trim()).toBe('true true target has 1 number, the input has 2');
});

test('strict TypeScript sees the types of the package', () => {
  const file = join(scratch, 'typed.ts');
  writeFileSync(
    file,
    "import { evaluate, grad, list, explain, ActgradError, type EvaluateResult, type GradObject } from 'actgrad';\n" +
      "const r: EvaluateResult = evaluate('softmax', [1, 2], { jacobian: true });\n" +
      "const g: GradObject = grad('x*y', { x: 1, y: 2 }, { wrt: ['x'] });\n" +
      "const names: string[] = list().map((f) => f.name);\n" +
      "const text: string = explain('relu');\n" +
      "const e: Error = new ActgradError('x');\n" +
      'void [r.jacobian, g.grad, names, text, e];\n' +
      "// @ts-expect-error: evaluate takes numbers, not a string\nevaluate('relu', 'x');\n",
  );
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const out = (() => {
    try {
      return execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', '--target', 'es2022', '--types', 'node', file], {
        cwd: ROOT,
        encoding: 'utf8',
      });
    } catch (e) {
      return String((e as { stdout?: string }).stdout);
    }
  })();
  expect(out).toBe('');
});

test('the packed tarball holds the CLI, the library, its types, the man page and the licence', () => {
  const files = (JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' })) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
  for (const f of ['bin/actgrad.js', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'dist/functions/registry-index.json', 'esm/index.mjs', 'esm/index.d.mts', 'man/actgrad.1', 'LICENSE', 'docs/relu.svg', 'package.json']) {
    expect(files).toContain(f);
  }
  expect(files.some((f) => f.startsWith('src/') || f.startsWith('__tests__/'))).toBe(false);
});
