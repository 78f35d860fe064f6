/**
 * The man page generator (src/cli/man.ts) on programs and tables other than the shipped ones, for
 * what man.test.ts (which compares the page with man/actgrad.1) cannot reach: a command whose
 * options are all its own, a description with blanks around it, functions that are not commands
 * of the program (their aliases from the registry), a kind with no functions, kind titles with a
 * parenthesis inside them, an option meaning shared by three kinds, the package description, and
 * the IO that the program is built with.
 */
import type { Command } from 'commander';
import { KIND_TITLES } from '../../src/commands/explain';
import type { IO } from '../../src/cli/io';
import { manPage } from '../../src/cli/man';
import { buildProgram } from '../../src/cli/program';
import { registry } from '../../src/functions/registry';
import type { Descriptor, Kind } from '../../src/functions/types';

type Build = Parameters<typeof manPage>[0];

/** buildProgram, then `change` on the program it made. */
const changed =
  (change: (program: Command) => void): Build =>
  (...args) => {
    const program = buildProgram(...args);
    change(program);
    return program;
  };

/** Runs `body` with `key` of `object` set to `value` (or added), then puts it back. */
function withKey<T extends object, R>(object: T, key: string, value: unknown, body: () => R): R {
  const o = object as Record<string, unknown>;
  const had = Object.prototype.hasOwnProperty.call(o, key);
  const old = o[key];
  o[key] = value;
  try {
    return body();
  } finally {
    if (had) o[key] = old;
    else delete o[key];
  }
}

describe('a command of the program', () => {
  test('with options of its own only: listed under it, no "Also ..., under OPTIONS"; its description trimmed', () => {
    const page = manPage(changed((p) => p.command('demo').description('  shows the demo, twice  ').option('--wide <n>', 'how wide, in columns')));
    const at = page.indexOf('.TP\n\\fBdemo\\fR');
    expect(page.slice(at, page.indexOf('.TP\n\\fBhelp\\fR'))).toBe(['.TP', '\\fBdemo\\fR', 'Shows the demo, twice.', '.RS', '.TP', '\\fB\\-\\-wide\\fR \\fIn\\fR', 'How wide, in columns.', '.RE', ''].join('\n'));
    expect(page).toContain('.br\n.B actgrad demo\n[\\fIoptions\\fR]\n.br\n.B actgrad help\n');
  });
});

describe('the functions section', () => {
  test('functions that are not commands of the program: their aliases from the registry, the page the same', () => {
    const names = new Set(registry.map((d) => d.name));
    const page = manPage(
      changed((p) => {
        const keep = p.commands.filter((c) => !names.has(c.name()));
        (p.commands as Command[]).splice(0, p.commands.length, ...keep);
      }),
    );
    expect(page).toBe(manPage(buildProgram));
    expect(page).toContain('.TP\n\\fBsigmoid\\fR\nLogistic function');
    expect(page).toMatch(/\n\\fBsigmoid\\fR\n[^\n]* Also logistic\.\n/);
    expect(page).toMatch(/\n\\fBcross\\-entropy\\fR\n[^\n]* Also cross\\-entropy\\-loss, ce\.\n/);
  });

  test('a kind with no functions has no subsection', () => {
    const page = withKey(KIND_TITLES, 'nothing', 'functions of no kind', () => manPage(buildProgram));
    expect(page).toBe(manPage(buildProgram));
    expect(page).not.toContain('functions of no kind');
  });
});

describe('kinds named in the options', () => {
  test('a parenthesis ending a kind title is left out, with or without a blank before it; one inside it is kept', () => {
    const page = withKey(KIND_TITLES, 'vector', 'vector functions (each row) of a batch', () =>
      withKey(KIND_TITLES, 'elementwise', 'elementwise functions(x)', () => manPage(buildProgram)),
    );
    expect(page).toContain(
      [
        'For elementwise functions: the derivative (with \\-\\-order N: the N\\-th derivative).',
        '.br',
        'For vector functions (each row) of a batch and layers: vector\\-Jacobian product with \\-\\-grad\\-output (default: ones).',
        '.br',
        'For losses: gradient of the loss with respect to the input.',
      ].join('\n'),
    );
    expect(page).toContain('With \\-\\-grad: the N\\-th derivative (N \\[u2265] 1) (elementwise functions only).');
  });

  test('three kinds: "a, b and c"; a function that is no command has its kebab-case aliases from the registry', () => {
    const softmax = registry.find((d) => d.name === 'softmax')!;
    const extra = { ...softmax, name: 'extra-softmax', aliases: ['extra-alias', 'extra_alias', 'extra-other'], kind: 'extra' as Kind } as Descriptor;
    const list = registry as Descriptor[];
    const page = withKey(KIND_TITLES, 'extra', 'extra functions (test only)', () => {
      list.push(extra);
      try {
        // the program would make a command of it: without one, its aliases are the registry's
        return manPage(
          changed((p) => {
            const at = p.commands.findIndex((c) => c.name() === 'extra-softmax');
            expect(at).toBeGreaterThan(-1);
            (p.commands as Command[]).splice(at, 1);
          }),
        );
      } finally {
        list.splice(list.indexOf(extra), 1);
      }
    });
    expect(page).toContain('For vector functions, layers and extra functions: vector\\-Jacobian product with \\-\\-grad\\-output (default: ones).');
    expect(page).toContain('(elementwise functions only)');
    expect(page).toContain('.SS Extra functions (test only)\n.TP\n\\fBextra\\-softmax\\fR\nNormalised exponentials e^x_i / \\[u03A3]_j e^x_j of each row. Also extra\\-alias, extra\\-other.\n.br\n');
    expect(registry).not.toContain(extra);
  });
});

describe('the name line', () => {
  test('only a leading "Command-line calculator" is shortened to "calculator"', () => {
    const pkg = require('../../package.json') as { description: string };
    expect(manPage(buildProgram)).toContain('.SH NAME\nactgrad \\- calculator for neural\\-network activation functions');
    const page = withKey(pkg, 'description', 'A Command-line calculator, in short', () => manPage(buildProgram));
    expect(page).toContain('.SH NAME\nactgrad \\- A Command\\-line calculator, in short\n.SH SYNOPSIS');
  });
});

describe('the program the page is made from', () => {
  test('is built with an IO that prints nothing and reads no standard input', () => {
    const seen: IO[] = [];
    manPage((...args) => {
      seen.push(args[0]);
      return buildProgram(...args);
    });
    expect(seen).toHaveLength(1);
    const io = seen[0];
    expect([io.stdoutIsTTY, io.stdinIsTTY, io.env]).toEqual([false, true, {}]);
    expect(io.readStdin()).toBe('');
    expect([io.stdout('x'), io.stderr('x')]).toEqual([undefined, undefined]);
  });
});
