/** The expression language as PyTorch code is written: parse, print back, and the operator table. */
export * from './ast';
export * from './operators';
export { parseExpression, parseProgram, MAX_DEPTH, MAX_EXPRESSION_LENGTH, MAX_TOKENS } from './parser';
export { unparse, unparseProgram, precedenceOf, quoteString } from './unparse';
