// Types of the ESM entry: the same as the CommonJS library's.
export * from '../dist/index.js';
