/**
 * The engine's modules, each loaded when a formula first needs it: `actgrad grad "x*w"` loads the
 * elementwise ops only, not the reductions, the matrix product, indexing or the derivatives, and
 * never a function family it does not call (see functions() and lookupDescriptor). Start-up time
 * is part of the contract.
 */
type Module<T> = () => T;

function lazy<T>(load: () => unknown): Module<T> {
  let cached: T | undefined;
  return () => (cached ??= load() as T);
}

export const elementwiseOps = lazy<typeof import('../autograd/elementwise')>(() => require('../autograd/elementwise'));
export const reduceOps = lazy<typeof import('../autograd/reduce')>(() => require('../autograd/reduce'));
export const shapeOps = lazy<typeof import('../autograd/shape')>(() => require('../autograd/shape'));
export const broadcastOps = lazy<typeof import('../autograd/broadcast')>(() => require('../autograd/broadcast'));
export const linalgOps = lazy<typeof import('../autograd/linalg')>(() => require('../autograd/linalg'));
export const indexingOps = lazy<typeof import('../autograd/indexing')>(() => require('../autograd/indexing'));
export const divisionOps = lazy<typeof import('../autograd/division')>(() => require('../autograd/division'));
export const derivativeOps = lazy<typeof import('../autograd/derivatives')>(() => require('../autograd/derivatives'));
export const engineOps = lazy<typeof import('../autograd/engine')>(() => require('../autograd/engine'));
/** Finds one function by name, loading only its family (registry-index.json in a build). */
export const functionLookup = lazy<typeof import('../functions/lookup')>(() => require('../functions/lookup'));
/** The whole registry: only for the list of every name (suggestions after a typo). */
export const functionRegistry = lazy<typeof import('../functions/registry')>(() => require('../functions/registry'));
export const functionArgs = lazy<typeof import('../functions/args')>(() => require('../functions/args'));
