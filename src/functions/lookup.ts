/**
 * Finding a function by name without loading every family: the build writes registry-index.json
 * (scripts/registry-index.js) from the registry itself; without it (tests running the TypeScript
 * sources) the whole registry is loaded.
 */
import type { Descriptor } from './types';

type Index = Record<string, [string, string]>;
let index: Index | null | undefined;

export function lookupDescriptor(name: string): Descriptor | undefined {
  if (index === undefined) {
    try {
      index = require('./registry-index.json') as Index;
    } catch {
      index = null;
    }
  }
  if (!index) return (require('./registry') as typeof import('./registry')).lookup(name);
  const hit = Object.prototype.hasOwnProperty.call(index, name) ? index[name] : Object.prototype.hasOwnProperty.call(index, name.toLowerCase()) ? index[name.toLowerCase()] : undefined;
  if (!hit) return undefined;
  return (require(`./${hit[0]}`) as Record<string, Descriptor>)[hit[1]];
}
