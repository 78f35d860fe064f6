/**
 * Test helpers: trees as S-expressions (the notation fixtures/python-ast.py writes from CPython's
 * `ast`), trees without positions, and an iterative structural comparison for trees too deep for
 * recursion (jest's toEqual recurses).
 */
import type { Node, Program } from '../../../src/parse/python/ast';

const UNARY: Record<string, string> = { '-': 'u-', '+': 'u+', '~': 'u~' };

function numberText(value: number, integer: boolean): string {
  return String(value) + (integer ? '' : 'f');
}

/** `-x**2` → `(u- (** x 2))`; see fixtures/python-ast.py for the notation. */
export function show(node: Node): string {
  const s = show;
  switch (node.kind) {
    case 'number':
      return numberText(node.value, node.integer);
    case 'string':
      return JSON.stringify(node.value);
    case 'constant':
      return node.value === null ? 'None' : node.value ? 'True' : 'False';
    case 'ellipsis':
      return '...';
    case 'name':
      return node.name;
    case 'attribute':
      return `(. ${s(node.object)} ${node.name})`;
    case 'call':
      return `(call ${[s(node.callee), ...node.args.map(s), ...node.kwargs.map((k) => `${k.name}=${s(k.value)}`)].join(' ')})`;
    case 'unary':
      return `(${UNARY[node.op]} ${s(node.operand)})`;
    case 'not':
      return `(not ${s(node.operand)})`;
    case 'binary':
    case 'boolop':
      return `(${node.op} ${s(node.left)} ${s(node.right)})`;
    case 'compare':
      return `(cmp ${node.operands.map((o, i) => (i === 0 ? s(o) : `${node.ops[i - 1]} ${s(o)}`)).join(' ')})`;
    case 'subscript':
      return `(sub${node.tuple ? ',' : ''} ${[s(node.object), ...node.indices.map(s)].join(' ')})`;
    case 'slice':
      return `(: ${[node.start, node.stop, node.step].map((p) => (p ? s(p) : '_')).join(' ')})`;
    case 'list':
    case 'tuple':
      return `(${node.kind}${node.elements.map((e) => ' ' + s(e)).join('')})`;
  }
}

export function showProgram(program: Program): string {
  return program.statements.map((st) => (st.target === undefined ? show(st.value) : `(= ${st.target} ${show(st.value)})`)).join('; ');
}

const POSITION_KEYS = new Set(['span', 'opPos', 'namePos', 'targetSpan']);

/** A copy without positions (span, opPos, namePos, targetSpan), built without recursion. */
export function stripPositions<T>(tree: T): T {
  const root: { value?: unknown } = {};
  const stack: [unknown, Record<string, unknown> | unknown[], string | number][] = [[tree, root as Record<string, unknown>, 'value']];
  while (stack.length > 0) {
    const [value, parent, key] = stack.pop()!;
    let copy: unknown = value;
    if (Array.isArray(value)) {
      const array: unknown[] = new Array(value.length);
      value.forEach((v, i) => stack.push([v, array, i]));
      copy = array;
    } else if (value !== null && typeof value === 'object') {
      const object: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) if (!POSITION_KEYS.has(k) && v !== undefined) stack.push([v, object, k]);
      copy = object;
    }
    (parent as Record<string | number, unknown>)[key] = copy;
  }
  return root.value as T;
}

/** Structural equality ignoring positions; iterative, for trees of any depth. */
export function sameTree(a: unknown, b: unknown): boolean {
  const stack: [unknown, unknown][] = [[a, b]];
  while (stack.length > 0) {
    const [x, y] = stack.pop()!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number' && Number.isNaN(x) && Number.isNaN(y)) continue;
    if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') return false;
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    const keys = (o: object) => Object.keys(o).filter((k) => !POSITION_KEYS.has(k) && (o as Record<string, unknown>)[k] !== undefined).sort();
    const kx = keys(x);
    const ky = keys(y);
    if (kx.length !== ky.length || kx.some((k, i) => k !== ky[i])) return false;
    for (const k of kx) stack.push([(x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]]);
  }
  return true;
}
