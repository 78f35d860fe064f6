// ESM entry: the library is CommonJS (dist/index.js); this re-exports it for `import { evaluate } from 'actgrad'`.
import actgrad from '../dist/index.js';

export const { evaluate, grad, list, explain, ActgradError } = actgrad;
export default actgrad;
