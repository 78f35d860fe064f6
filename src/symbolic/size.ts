/**
 * The size of a formula as the comparison with sympy counts it (scripts/symbolic-size.py counts
 * Python's ast the same way): one per operator (binary, unary, comparison), call, index and
 * transpose (`.T`); names, numbers and constants such as math.pi count nothing.
 */
import { children, type Node } from '../parse/python/ast';
import { parseExpression } from '../parse/python/parser';

export function formulaSize(text: string): number {
  let count = 0;
  const stack: Node[] = [parseExpression(text)];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.kind === 'binary' || n.kind === 'unary' || n.kind === 'call' || n.kind === 'subscript' || n.kind === 'boolop' || n.kind === 'not') count++;
    else if (n.kind === 'compare') count += n.ops.length;
    else if (n.kind === 'attribute' && (n.name === 'T' || n.name === 'mT')) count++;
    // A callee is part of its call; only the object of a method is a formula of its own.
    if (n.kind === 'call') {
      stack.push(...n.args, ...n.kwargs.map((k) => k.value));
      if (n.callee.kind === 'attribute') stack.push(n.callee.object);
      continue;
    }
    stack.push(...children(n));
  }
  return count;
}
