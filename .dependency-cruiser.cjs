/**
 * The layers of src/, each importing only those below it (see the README's development
 * section), and no cycles. `npm test` runs this.
 *
 *   cli, index (the library)        argv → options → run → output; the public API
 *   render, plot, check             one renderer per format; charts; --expect and --gradcheck
 *   commands, result                run(options) → result (function, grad, explain, list)
 *   expr, symbolic                  formulas: evaluation and symbolic derivatives
 *   functions, parse                descriptors and the registry; numbers and expressions → data
 *   autograd                        differentiable primitive ops, the graph, derivatives of any order
 *   tensor, errors, math            the data type, error classes, scalar numerics
 */
const layer = (name, paths) => ({ name, paths });
const layers = [
  layer('base', '^src/(tensor|errors|math)\\.ts$'),
  layer('autograd', '^src/autograd/'),
  layer('functions', '^src/(functions|parse)/'),
  layer('formulas', '^src/(expr|symbolic)/'),
  layer('commands', '^src/(commands/|result\\.ts$)'),
  layer('output', '^src/(render|plot|check)/'),
  layer('cli', '^src/(cli/|index\\.ts$)'),
];

/** Each layer may not import from any layer above it. */
const upward = layers.flatMap((from, i) =>
  layers.slice(i + 1).map((to) => ({
    name: `${from.name}-not-to-${to.name}`,
    comment: `${from.name} is below ${to.name}: import downward only`,
    severity: 'error',
    from: { path: from.paths },
    to: { path: to.paths },
  })),
);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment:
        'modules import each other in a cycle. A cycle closed only by `import type` is left out: types vanish ' +
        'when compiled, so they cannot make modules load each other (the layer rules below still count them).',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'parse-stands-alone',
      comment: 'the parsers turn text into data; they know nothing of functions or the engine',
      severity: 'error',
      from: { path: '^src/parse/' },
      to: { path: '^src/(functions|autograd)/' },
    },
    {
      name: 'functions-know-no-output',
      comment: 'functions/ computes; it knows nothing of output, chalk or tables',
      severity: 'error',
      from: { path: '^src/(functions|autograd)/' },
      to: { path: '(chalk|cli-table3|commander)' },
    },
    ...upward,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
