/**
 * Start-up: the evaluator loads the engine's modules and the function families only when a
 * formula uses them (start-up time is part of the contract). Each test loads the evaluator in a
 * fresh module registry and records which of the watched modules get required.
 */
const WATCHED = [
  '../../src/functions/registry',
  '../../src/functions/lookup',
  '../../src/autograd/reduce',
  '../../src/autograd/linalg',
  '../../src/autograd/indexing',
  '../../src/autograd/shape',
  '../../src/expr/steps',
] as const;

function loadedBy(run: (computeGrad: typeof import('../../src/commands/grad').computeGrad) => void): string[] {
  const loaded: string[] = [];
  jest.isolateModules(() => {
    for (const path of WATCHED) {
      jest.doMock(path, () => {
        loaded.push(path.replace('../../src/', ''));
        return jest.requireActual(path);
      });
    }
    const { computeGrad } = require('../../src/commands/grad') as typeof import('../../src/commands/grad');
    run(computeGrad);
  });
  for (const path of WATCHED) jest.dontMock(path);
  return loaded;
}

const scalar = (x: number) => ({ shape: [], data: Float64Array.of(x) });

test('loading the grad command loads no function family and none of the reductions, products or indexing', () => {
  expect(loadedBy(() => {})).toEqual([]);
});

test('arithmetic loads only the elementwise ops', () => {
  expect(
    loadedBy((computeGrad) =>
      computeGrad({ expression: 'x * w + b', bindings: [['x', scalar(1)], ['w', scalar(2)], ['b', scalar(3)]] }),
    ),
  ).toEqual([]);
});

test('a reduction loads the reductions; a matrix product the products; no function family for either', () => {
  const loaded = loadedBy((computeGrad) =>
    computeGrad({ expression: '(W @ x).sum()', bindings: [['W', { shape: [1, 2], data: Float64Array.of(1, 2) }], ['x', { shape: [2], data: Float64Array.of(3, 4) }]] }),
  );
  expect(loaded).toContain('autograd/reduce');
  expect(loaded).toContain('autograd/linalg');
  expect(loaded).not.toContain('functions/registry');
  expect(loaded).not.toContain('autograd/indexing');
  expect(loaded).not.toContain('expr/steps');
});

test('a registry function is found through the lookup (the registry index in a build)', () => {
  const loaded = loadedBy((computeGrad) => computeGrad({ expression: 'F.relu(x)', bindings: [['x', scalar(1)]] }));
  expect(loaded).toContain('functions/lookup');
});
