/** Derivative formulas: symbolic reverse mode on the expression language, simplified and printed (plain text, LaTeX). */
export { symbolicGradients, gradientTerms } from './differentiate';
export { NoSymbolicForm } from './convert';
export { formulaSize } from './size';
