/**
 * What a user sees from the commander program (src/cli/program.ts), run in-process: the runs that
 * the fast path hands to commander ("--" ends the options, a flag given twice), the one-line
 * errors (exit 2) of its option listeners and of list/explain/repl, explain of the expression
 * built-ins, grad --help's list of built-ins, the top-level --help's command terms, and
 * commanderMessage's one-line form of commander's messages.
 *
 * Why this file: a StrykerJS run (/tmp/mut/cli-run-surv.txt) left these paths unreached in
 * process, or run with no assertion that a changed message, condition or exit code would fail.
 * Tests that spawn the built binary cannot see mutants, so everything here calls run() (through
 * the helper) or the exported function, and computes inside the test bodies.
 */
import { CommanderError } from 'commander';
import { commanderMessage } from '../../src/cli/program';
import { actgrad, expectUsage } from '../helpers/run';


const EXP_TEXT =
  "exp: e^x\n  kind        expression built-in (actgrad grad)\n  written     torch.exp(input), x.exp(), exp(input)\nexp: Python's math.exp of a plain number\n  kind        expression built-in (actgrad grad)\n  written     math.exp(x)\n";

describe('options through commander', () => {
  test('a value left out before the next option is an error in the commander path too', () => {
    expectUsage(actgrad(['sigmoid', '1', '--precision', '--json', '--']), '--precision needs a value before --json');
  });

  test('combined short flags send the line to commander, whose option listener finds a value left out', () => {
    expectUsage(actgrad(['softmax', '1', '2', '-gj', '--precision', '--json']), '--precision needs a value before --json');
    expectUsage(actgrad(['grad', 'x*2', 'x=1', '-gH', '--precision', '--json']), '--precision needs a value before --json');
    expect(actgrad(['softmax', '1', '2', '-gj', '--precision', '3'])).toEqual({ code: 0, stdout: '0.197 -0.197\n-0.197 0.197\n', stderr: '' });
  });

  test('a flag given twice, or with its --no- form, is refused', () => {
    expectUsage(actgrad(['sigmoid', '0', '--json', '--json']), '--json is given twice; give it once');
    expectUsage(actgrad(['sigmoid', '0', '--color', 'never', '--no-color']), '--no-color conflicts with --color; give one of them');
    expectUsage(actgrad(['grad', 'x*2', 'x=1', '--steps', '--steps']), '--steps is given twice; give it once');
  });

  test('a function run through commander ("--") prints as the fast path does, and its exit code is kept', () => {
    const r = actgrad(['sigmoid', '0', '--grad', '--']);
    expect(r).toEqual({ code: 0, stdout: '0.25\n', stderr: '' });
    const fail = actgrad(['sigmoid', '0', '--expect', '0.7', '--']);
    expect(fail.code).toBe(1);
    expect(fail.stdout).toBe(actgrad(['sigmoid', '0', '--expect', '0.7']).stdout);
  });

  test('--expect is repeatable through commander: each is checked, and a mismatch exits 1', () => {
    const bad = actgrad(['grad', 'x*2', 'x=1', '--expect', 'x=2', '--expect', 'value=3', '--']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe(
      '# gradient with respect to x\n- 2 2 0 ok\n✓ the number matches (each within half a unit of its last written digit)\n# value\n- 3 2 -1 MISMATCH\n✗ 1 of 1 number does not match (each within half a unit of its last written digit)\n',
    );
    const good = actgrad(['grad', 'x*2', 'x=1', '--expect', 'x=2', '--expect', 'value=2', '--']);
    expect(good.code).toBe(0);
    expect(good.stdout).toBe(
      '# gradient with respect to x\n- 2 2 0 ok\n✓ the number matches (each within half a unit of its last written digit)\n# value\n- 2 2 0 ok\n✓ the number matches (each within half a unit of its last written digit)\n',
    );
  });

  test('plot through commander draws the same chart as the fast path', () => {
    const r = actgrad(['plot', 'sigmoid', '--width', '30', '--height', '5', '--']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      "1 ┤             │     ********\n  │             │ ****        \n  │            ***            \n  │        *###++++++         \n0 ┤########+────┼────+++++++++\n  └─────────────┬─────────────\n                0\n   * sigmoid(x)   + sigmoid'(x)   # both\n",
    );
    expect(r.stdout).toBe(actgrad(['plot', 'sigmoid', '--width', '30', '--height', '5']).stdout);
  });
});

describe('list, explain, repl', () => {
  test('list --json with --format is refused', () => {
    expectUsage(actgrad(['list', '--json', '--format', 'markdown']), '--json and --format markdown ask for two formats; give one');
  });

  test('explain of a built-in, written bare or with its torch./F./math. prefix', () => {
    for (const name of ['exp', 'torch.exp', 'torch.nn.functional.exp', 'torch.linalg.exp', 'F.exp', 'math.exp']) {
      expect(actgrad(['explain', name])).toEqual({ code: 0, stdout: EXP_TEXT, stderr: '' });
    }
    // The prefix is only taken off the front of the name.
    expectUsage(actgrad(['explain', 'exF.p']), 'unknown function "exF.p" (did you mean exp?); actgrad list shows them all');
  });

  test('explain of a built-in is text only: --format latex/json refused, plain/table/--json accepted', () => {
    expectUsage(actgrad(['explain', 'exp', '--format', 'latex']), 'the explanation of the built-in exp is text only; leave out --format');
    expectUsage(actgrad(['explain', 'exp', '--format', 'json']), 'the explanation of the built-in exp is text only; leave out --format');
    for (const extra of [['--format', 'plain'], ['--format', 'table'], ['--json']]) {
      expect(actgrad(['explain', 'exp', ...extra])).toEqual({ code: 0, stdout: EXP_TEXT, stderr: '' });
    }
  });

  test('an unknown name in explain suggests the nearest function', () => {
    expectUsage(actgrad(['explain', 'softmx']), 'unknown function "softmx" (did you mean softmax?); actgrad list shows them all');
  });

  test('explain --json and --format disagree only when the format is not json', () => {
    expectUsage(actgrad(['explain', 'softmax', '--json', '--format', 'latex']), '--json and --format latex ask for two formats; give one');
    const json = actgrad(['explain', 'softmax', '--json', '--format', 'json']);
    expect(json.code).toBe(0);
    expect(json.stdout).toBe(actgrad(['explain', 'softmax', '--json']).stdout);
    expect(JSON.parse(json.stdout).name).toBe('softmax');
    expect(actgrad(['explain', 'softmax', '--format', 'latex']).stdout).not.toBe(json.stdout);
  });

  test('repl with something after it is refused', () => {
    expectUsage(actgrad(['repl', '--']), 'repl takes no arguments or options (actgrad repl)');
    expectUsage(actgrad(['repl', 'x']), "too many arguments for 'repl'. Expected 0 arguments but got 1.");
  });
});

describe('help computed at run time', () => {
  test('grad --help lists the lower-case built-ins, sorted, and says where the rest come from', () => {
    const r = actgrad(['grad', '--help']);
    expect(r.code).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.startsWith('Built-ins '))!;
    expect(line.startsWith('Built-ins (torch.f(x), x.f(), f(x); actgrad explain <name>): ')).toBe(true);
    const names = line.slice(line.indexOf('): ') + 3).split(' ');
    expect(names.length).toBeGreaterThan(20);
    expect(names).toEqual([...names].sort());
    expect(names.every((n) => /^[a-z]/.test(n))).toBe(true);
    expect(names).toEqual(expect.arrayContaining(['abs', 'exp', 'log', 'sum']));
    expect(r.stdout).toContain(`${line}\nand every function of actgrad list by its snake_case name (torch.nn.functional's).\n`);
  });

  test('the top-level --help shows each command with its arguments, each function by its name alone', () => {
    const r = actgrad(['--help']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const term = (t: string): boolean => lines.some((l) => l.startsWith(`  ${t} `) || l === `  ${t}`);
    expect(term('grad <expression> [bindings...]')).toBe(true);
    expect(term('plot <function>')).toBe(true);
    expect(term('explain <function>')).toBe(true);
    expect(term('completion <shell>')).toBe(true);
    expect(term('list')).toBe(true);
    expect(term('sigmoid')).toBe(true);
    expect(lines.some((l) => l.startsWith('  sigmoid [numbers...]'))).toBe(false);
  });
});

describe('commanderMessage', () => {
  test("one line, without commander's leading \"error: \", from what it printed or else its message", () => {
    expect(commanderMessage(new CommanderError(1, 'c', 'error: from the message'), '')).toBe('from the message');
    expect(commanderMessage(new CommanderError(1, 'c', 'error: from the message'), 'error: printed\n  on two lines\n')).toBe('printed on two lines');
    expect(commanderMessage(new CommanderError(1, 'c', 'x'), 'bad: error: inside\n')).toBe('bad: error: inside');
    expect(commanderMessage(new CommanderError(1, 'c', 'x'), "error: unknown option '--x'\n(Did you mean --y?)\n")).toBe("unknown option '--x' (did you mean --y?)");
  });
});
