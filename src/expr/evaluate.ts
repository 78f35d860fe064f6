/**
 * The evaluator of the expression language: a program (statements `name = expression`, the last
 * one the result) evaluated on the engine's Vars, with PyTorch's semantics. Names are looked up in
 * explicit Maps (the program's names and bindings, then torch, F, nn, math and the built-ins and
 * registry functions), never as properties of objects and never as JavaScript.
 *
 * The tree is walked with an explicit stack, so a chain of 100,000 `+` or of method calls costs
 * no recursion; the parser bounds bracket nesting. Each operation of the source (an operator, a
 * call, an index, `.T`) can be recorded with its inputs and a way to run it again on other
 * inputs: the worked solution (--steps) is built from these records.
 */
import { GraphTooLargeError, type Var } from '../autograd/var';
import { ExpressionError, nearest, UsageError } from '../errors';
import type { Descriptor } from '../functions/types';
import { children, type CallNode, type Expr, type Node, type Program, type SubscriptNode } from '../parse/python/ast';
import { MAX_DEPTH, parseProgram } from '../parse/python/parser';
import { BUILTINS, builtinFor, builtinNames, CONSTANTS, DTYPES, type RuleContext, type Spelling } from './builtins';
import { ArgumentProblem, bindBuiltin, callDescriptor, type CallArguments, differentiableInputs, type Given, substitute } from './call';
import { literalTensor, type Site, toInt, toTensor, truthy } from './convert';
import { functionLookup, functionRegistry, indexingOps } from './engine';
import { arithmetic, bitwise, compareChain, operatorRule, unary } from './operators';
import {
  boolValue,
  type CallableValue,
  describe,
  ELLIPSIS,
  floatValue,
  type Namespace,
  NONE,
  numberValue,
  type SequenceValue,
  type Target,
  type TensorValue,
  tensorValue,
  type Value,
} from './values';

/** A tensor input of a recorded operation: the parameter it was passed as and its source text. */
export interface StepInput {
  readonly var: Var;
  readonly param: string;
  readonly text: string;
}

/** One operation of the source, as a worked solution shows it. */
export interface Operation {
  /** The node of the source that computed it. */
  readonly node: Expr;
  readonly output: Var;
  /** Its inputs that carry a gradient, in the order of the source. */
  readonly inputs: readonly StepInput[];
  /** The operation with its inputs named: `t1 + b`, `mse(t2, y)`, `x[1:3]`. */
  text(names: readonly string[]): string;
  /** How its contribution to input i is formed, with G the name of the upstream gradient. */
  rule(G: string, names: readonly string[], i: number): string;
  /** The same operation on other inputs (for local derivatives on detached copies). */
  rerun(inputs: readonly Var[]): Var;
}

/** A tensor passed where PyTorch computes no gradient for it. */
export interface NoGradientUse {
  readonly var: Var;
  /** Why, as a clause: 'class indices have no gradient'. */
  readonly reason: string;
  /** The function it was passed to, as written. */
  readonly fn: string;
  /** The parameter it was passed as, when known. */
  readonly param?: string;
  /** PyTorch refuses to differentiate it there (not merely a constant use): see Site.noGradient. */
  readonly refused: boolean;
}

export interface Evaluation {
  readonly source: string;
  readonly program: Program;
  /** The value of the last statement. */
  readonly result: Value;
  /** The operations with a gradient, in the order they were evaluated (when recording). */
  readonly operations: readonly Operation[];
  /** Names that statements gave to intermediate values (`h = relu(…)`). */
  readonly statementNames: ReadonlyMap<Var, string>;
  readonly noGradient: readonly NoGradientUse[];
  /** The built-ins and registry functions the program calls. */
  readonly functions: ReadonlySet<string>;
}

export interface EvaluateOptions {
  /** Record each operation for a worked solution. */
  record?: boolean;
}

/** Evaluates a program with the given names bound (bound names should be leaves that require a gradient). */
export function evaluateProgram(source: string, bindings: ReadonlyMap<string, Var>, options: EvaluateOptions = {}): Evaluation {
  const program = parseProgram(source);
  return new Evaluator(source, program, bindings, Boolean(options.record)).run();
}

/** The program's result as a tensor: a plain number becomes one; a tuple is an error that says what to take. */
export function resultTensor(e: Evaluation): TensorValue {
  const last = e.program.statements[e.program.statements.length - 1];
  try {
    return toTensor(e.result, 'the result');
  } catch (err) {
    if (err instanceof UsageError) throw new ExpressionError(err.message, e.source, last.value.span[0]);
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

const NAMESPACES: ReadonlyMap<string, Namespace> = new Map([
  ['torch', 'torch'],
  ['F', 'torch.nn.functional'],
  ['nn', 'torch.nn'],
  ['math', 'math'],
]);

/** Where each namespace's functions come from, in order of precedence. */
const SPELLING_OF: Readonly<Record<Namespace, Spelling>> = {
  torch: 'torch',
  'torch.nn': 'F',
  'torch.nn.functional': 'F',
  'torch.linalg': 'linalg',
  math: 'math',
};

/** Hints for names that are not part of the language but that pasted code often has. */
const FOREIGN_NAMES: ReadonlyMap<string, string> = new Map([
  ['np', 'numpy is not available: use torch (torch.tensor, torch.exp, ...)'],
  ['numpy', 'numpy is not available: use torch (torch.tensor, torch.exp, ...)'],
  ['print', 'print is not needed: the last expression of the program is the result'],
  ['range', 'range is not available: write the list out, or use torch.arange'],
  ['lambda', 'lambdas are not supported'],
]);

/** A registry function by name (snake_case names; the family module loads only then). */
function descriptorNamed(name: string): Descriptor | undefined {
  if (name.includes('-')) return undefined;
  return functionLookup().lookupDescriptor(name);
}

/** Every registry name in snake_case (loads the whole registry: only for suggestions). */
const registryNames = (): string[] => functionRegistry().allNames().filter((n) => !n.includes('-'));

/** A name as it is written where it is valid, for "did you mean": sum, torch.amax, x.view(…), F.relu. */
function spelledSuggestion(name: string): string {
  if (builtinFor('bare', name) || NAMESPACES.has(name)) return name;
  if (builtinFor('torch', name)) return `torch.${name}`;
  if (builtinFor('method', name)) return `x.${name}(…)`;
  if (builtinFor('property', name)) return `x.${name}`;
  if (builtinFor('linalg', name)) return `torch.linalg.${name}`;
  if (builtinFor('math', name)) return `math.${name}`;
  return name;
}

/** Attributes of torch.Tensor that a formula has no use for, and what to do instead. */
const TENSOR_ATTRIBUTE_HINTS: ReadonlyMap<string, string> = new Map([
  ['backward', 'actgrad runs the backward pass itself: remove .backward() and read the gradients it prints'],
  ['grad', 'actgrad prints the gradients itself: the formula is the value to differentiate'],
  ['requires_grad', 'every bound name requires a gradient; choose them with --wrt'],
  ['data', '.data is the tensor without gradient: use .detach()'],
]);

const short = (text: string, limit = 40): string => (text.length > limit ? `${text.slice(0, limit - 1)}…` : text);

// ---------------------------------------------------------------------------------------------
// The evaluator
// ---------------------------------------------------------------------------------------------

/** A piece of an operation's text: literal text, or the index of an input whose name goes there. */
type Piece = string | number;

interface Operand {
  readonly value: Value;
  readonly node?: Node;
  readonly text: string;
  readonly param: string;
}

class Evaluator {
  private readonly env = new Map<string, Value>();
  private readonly operations: Operation[] = [];
  private readonly statementNames = new Map<Var, string>();
  private readonly noGradient: NoGradientUse[] = [];
  private readonly functions = new Set<string>();

  constructor(
    private readonly source: string,
    private readonly program: Program,
    bindings: ReadonlyMap<string, Var>,
    private readonly record: boolean,
  ) {
    for (const [name, v] of bindings) this.env.set(name, tensorValue(v, 'float'));
  }

  run(): Evaluation {
    let result: Value = NONE;
    try {
      for (const statement of this.program.statements) {
        result = this.evaluate(statement.value);
        if (statement.target === undefined) continue;
        this.env.set(statement.target, result);
        if (result.kind === 'tensor' && result.var.node && !this.statementNames.has(result.var)) {
          this.statementNames.set(result.var, statement.target);
          result.var.label = statement.target;
        }
      }
    } catch (e) {
      if (e instanceof GraphTooLargeError) throw new UsageError(`the formula is too large to differentiate: ${e.message}`);
      throw e;
    }
    return {
      source: this.source,
      program: this.program,
      result,
      operations: this.operations,
      statementNames: this.statementNames,
      noGradient: this.noGradient,
      functions: this.functions,
    };
  }

  /** Post-order over the tree with an explicit stack: children left to right, then the node. */
  private evaluate(root: Expr): Value {
    const work: [Node, number][] = [[root, -1]];
    const stack: Value[] = [];
    while (work.length > 0) {
      const top = work.pop()!;
      const [node, count] = top;
      if (count < 0) {
        const kids = children(node);
        work.push([node, kids.length]);
        for (let i = kids.length - 1; i >= 0; i--) work.push([kids[i], -1]);
        continue;
      }
      const kids = count === 0 ? [] : stack.splice(stack.length - count, count);
      stack.push(this.node(node, kids));
    }
    return stack[0];
  }

  private text(node: Node): string {
    return this.source.slice(node.span[0], node.span[1]);
  }

  private fail(message: string, pos: number): never {
    throw new ExpressionError(message, this.source, pos);
  }

  /** Where the caret of an error about this node goes. */
  private posOf(node: Node): number {
    switch (node.kind) {
      case 'call':
        return node.callee.kind === 'attribute' ? node.callee.namePos : node.callee.span[0];
      case 'attribute':
        return node.namePos;
      case 'binary':
      case 'boolop':
        return node.opPos;
      case 'compare':
        return node.opPos[0];
      case 'subscript':
        return node.object.span[1];
      default:
        return node.span[0];
    }
  }

  /** One node from its children's values; errors get the node's column (and a call's text). */
  private node(node: Node, kids: Value[]): Value {
    try {
      return this.combine(node, kids);
    } catch (e) {
      if (e instanceof ExpressionError) throw e;
      if (e instanceof ArgumentProblem) this.fail(e.message, e.pos);
      if (e instanceof UsageError) {
        const prefix = node.kind === 'call' ? `${this.display(node)}: ` : node.kind === 'subscript' || node.kind === 'attribute' ? `${short(this.text(node))}: ` : '';
        this.fail(prefix + e.message, this.posOf(node));
      }
      throw e;
    }
  }

  private display(node: CallNode): string {
    const text = this.text(node);
    return text.length <= 40 ? text : `${short(this.text(node.callee), 30)}(…)`;
  }

  private combine(node: Node, kids: Value[]): Value {
    switch (node.kind) {
      case 'number':
        return numberValue(node.value, node.integer ? 'int' : 'float');
      case 'string':
        return { kind: 'string', value: node.value };
      case 'constant':
        return node.value === null ? NONE : boolValue(node.value);
      case 'ellipsis':
        return ELLIPSIS;
      case 'name':
        return this.name(node.name, node.span[0]);
      case 'attribute':
        return this.attribute(kids[0], node.name, node.object, node);
      case 'call':
        return this.call(node, kids);
      case 'unary': {
        const operand: Operand = { value: kids[0], node: node.operand, text: this.text(node.operand), param: 'input' };
        if (node.op !== '-' || kids[0].kind !== 'tensor') return unary(node.op, kids[0]);
        return this.produce(node, [operand], (ops) => unary('-', ops[0]), (p) => ['-', ...p[0]], (G, s, i) => operatorRule('neg', G, s.operands, s.operandOf[i], s.operandShapes));
      }
      case 'not':
        return boolValue(!truthy(kids[0], "'not'"));
      case 'binary': {
        const [a, b] = kids;
        if (node.op === '&' || node.op === '|') return bitwise(node.op, a, b);
        const op = node.op;
        if (a.kind !== 'tensor' && b.kind !== 'tensor') return arithmetic(op, a, b);
        const symbol = op === '*' ? '·' : op === '**' ? '^' : op;
        return this.produce(
          node,
          [
            { value: a, node: node.left, text: this.text(node.left), param: 'input' },
            { value: b, node: node.right, text: this.text(node.right), param: 'other' },
          ],
          (ops) => arithmetic(op, ops[0], ops[1]),
          (p) => [...p[0], ` ${symbol} `, ...p[1]],
          (G, s, i) => operatorRule(op, G, s.operands, s.operandOf[i], s.operandShapes),
        );
      }
      case 'compare':
        return compareChain(node.ops, kids);
      case 'boolop': {
        // Python's and/or return an operand (both are evaluated here: no side effects to skip).
        const leftTrue = truthy(kids[0], `'${node.op}'`);
        return node.op === 'and' ? (leftTrue ? kids[1] : kids[0]) : leftTrue ? kids[0] : kids[1];
      }
      case 'subscript':
        return this.subscript(node, kids[0], kids.slice(1));
      case 'slice': {
        let k = 0;
        const start = node.start ? kids[k++] : NONE;
        const stop = node.stop ? kids[k++] : NONE;
        const step = node.step ? kids[k++] : NONE;
        return { kind: 'slice', start, stop, step };
      }
      case 'list':
      case 'tuple': {
        const depth = 1 + kids.reduce((d, v) => Math.max(d, v.kind === 'sequence' ? (v.depth ?? 1) : 0), 0);
        if (depth > MAX_DEPTH) throw new UsageError(`lists and tuples nest more than ${MAX_DEPTH} deep here`);
        return { kind: 'sequence', type: node.kind, items: kids, depth };
      }
    }
  }

  // ---- names and attributes ----

  private name(name: string, pos: number): Value {
    const bound = this.env.get(name);
    if (bound) return bound;
    const namespace = NAMESPACES.get(name);
    if (namespace) return { kind: 'namespace', path: namespace };
    const b = builtinFor('bare', name);
    if (b) return this.callable({ builtin: b }, name);
    const d = descriptorNamed(name);
    if (d) return this.callable({ descriptor: d }, name);
    const foreign = FOREIGN_NAMES.get(name);
    if (foreign) this.fail(`'${name}': ${foreign}`, pos);
    const known = [...this.env.keys(), ...NAMESPACES.keys(), ...allBuiltinNames(), ...registryNames()];
    const suggestion = nearest(name, known);
    const bindings = [...this.env.keys()];
    const hint = suggestion ? ` (did you mean ${this.env.has(suggestion) ? suggestion : spelledSuggestion(suggestion)}?)` : '';
    this.fail(
      `unknown name '${name}'${hint}; ${bindings.length ? `bound names: ${bindings.join(', ')}` : 'no names are bound (bind them as name=value)'}`,
      pos,
    );
  }

  private callable(target: Target, spelled: string, self?: Value): CallableValue {
    return { kind: 'callable', target, spelled, ...(self ? { self } : {}) };
  }

  private attribute(object: Value, name: string, objectNode: Expr, node: Expr): Value {
    const spelled = `${short(this.text(objectNode), 30)}.${name}`;
    if (object.kind === 'namespace') return this.namespaceAttribute(object.path, name, spelled);
    if (object.kind === 'tensor') {
      const property = builtinFor('property', name);
      if (property) {
        this.functions.add(property.name);
        const operand: Operand = { value: object, node: objectNode, text: this.text(objectNode), param: property.params[0].name };
        const site = this.site(spelled);
        return this.produce(
          node,
          [operand],
          (ops, quiet) => property.call({ [property.params[0].name]: ops[0] }, quiet ? QUIET(spelled) : site),
          (p) => [...p[0], `.${name}`],
          ruleOf(property.rule, name),
        );
      }
      const method = builtinFor('method', name);
      if (method) return this.callable({ builtin: method }, spelled, object);
      const d = descriptorNamed(name);
      if (d) return this.callable({ descriptor: d }, spelled, object);
      const hint = TENSOR_ATTRIBUTE_HINTS.get(name);
      if (hint) throw new UsageError(hint);
      const suggestion = nearest(name, [...builtinNames('method'), ...builtinNames('property'), ...registryNames()]);
      throw new UsageError(`a tensor has no attribute '${name}'${suggestion ? ` (did you mean .${suggestion}?)` : ''}`);
    }
    if (object.kind === 'sequence' && object.fields) {
      const i = object.fields.indexOf(name);
      if (i >= 0) return object.items[i];
      throw new UsageError(`the (${object.fields.join(', ')}) tuple of ${object.origin} has no attribute '${name}'`);
    }
    throw new UsageError(`${describe(object)} has no attribute '${name}'`);
  }

  private namespaceAttribute(path: Namespace, name: string, spelled: string): Value {
    if (path === 'torch' || path === 'math') {
      const constant = CONSTANTS.find((c) => c.name === name && c.in.includes(path));
      if (constant) return floatValue(constant.value);
    }
    if (path === 'torch') {
      if (name === 'nn') return { kind: 'namespace', path: 'torch.nn' };
      if (name === 'linalg') return { kind: 'namespace', path: 'torch.linalg' };
      const dtype = DTYPES.find((d) => d.name === `torch.${name}`);
      if (dtype) return dtype;
    }
    if (path === 'torch.nn' && name === 'functional') return { kind: 'namespace', path: 'torch.nn.functional' };
    const spelling = SPELLING_OF[path];
    const b = builtinFor(spelling, name);
    const d = path === 'torch' || path === 'torch.nn.functional' ? descriptorNamed(name) : undefined;
    // F: the registry's function first (F.softmax is actgrad's softmax); torch: the built-in first.
    if (path === 'torch.nn.functional' && d) return this.callable({ descriptor: d }, spelled);
    if (b && path !== 'torch.nn') return this.callable({ builtin: b }, spelled);
    if (d) return this.callable({ descriptor: d }, spelled);
    if (path === 'torch.nn') {
      // MSELoss → mse_loss, CrossEntropyLoss → cross_entropy_loss, LeakyReLU → leaky_relu
      const snake = name.replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/re_lu/g, 'relu');
      const fn = [snake, name.toLowerCase(), snake.replace(/_loss$/, '')].find((n) => descriptorNamed(n));
      throw new UsageError(`nn.${name} is not available${fn ? `: it is a module class; call the function F.${fn}(…) instead` : '; only nn.functional (F) is'}`);
    }
    const candidates = [
      ...builtinNames(spelling),
      ...(path === 'torch' || path === 'torch.nn.functional' ? registryNames() : []),
      ...CONSTANTS.filter((c) => c.in.includes(path as 'torch' | 'math')).map((c) => c.name),
    ];
    const suggestion = nearest(name, candidates);
    throw new UsageError(`${path === 'torch.nn.functional' ? 'F' : path} has no function or constant '${name}'${suggestion ? ` (did you mean ${spelled.slice(0, spelled.length - name.length)}${suggestion}?)` : ''}`);
  }

  // ---- calls ----

  private site(spelled: string): Site {
    return { spelled, noGradient: (v, reason, param, refused) => this.noGradient.push({ var: v, reason, fn: spelled, param, refused: Boolean(refused) }) };
  }

  private call(node: CallNode, kids: Value[]): Value {
    const callee = kids[0];
    if (callee.kind !== 'callable') {
      const text = short(this.text(node.callee), 30);
      const shadow = node.callee.kind === 'name' && (builtinFor('bare', node.callee.name) || descriptorNamed(node.callee.name)) ? ` (the name ${text} shadows the function ${text})` : '';
      const product = callee.kind === 'tensor' || callee.kind === 'number' ? `: write ${text}*(…) for a product` : '';
      throw new UsageError(`${text} is ${describe(callee)}, not a function${shadow}${product}`);
    }
    const nArgs = node.args.length;
    const positional: Given[] = node.args.map((a, i) => ({ value: kids[1 + i], text: this.text(a), pos: a.span[0] }));
    const keywords = node.kwargs.map((kw, i) => ({ name: kw.name, value: kids[1 + nArgs + i], text: this.text(kw.value), pos: kw.span[0] }));
    const selfNode = callee.self && node.callee.kind === 'attribute' ? node.callee.object : undefined;
    const self: Given | undefined = callee.self ? { value: callee.self, text: selfNode ? this.text(selfNode) : 'self', pos: node.span[0] } : undefined;
    const display = this.display(node);
    const pos = this.posOf(node);
    const target = callee.target;
    const paramNames = 'builtin' in target ? target.builtin.params.map((p) => p.name) : target.descriptor.args.map((a) => a.name);
    const selfParam = 'builtin' in target ? (target.builtin.self ?? paramNames[0]) : paramNames[0];
    const positionalParams = paramNames.filter((p) => !(self && p === selfParam));

    // The operands in source order, each with the parameter it is passed as.
    const operands: Operand[] = [
      ...(self ? [{ value: self.value, node: selfNode, text: self.text, param: selfParam }] : []),
      ...positional.map((g, i) => ({ value: g.value, node: node.args[i], text: g.text, param: positionalParams[Math.min(i, positionalParams.length - 1)] ?? `arg${i}` })),
      ...keywords.map((k, i) => ({ value: k.value, node: node.kwargs[i].value, text: k.text, param: k.name })),
    ];
    const nSelf = self ? 1 : 0;
    const invoke = (values: readonly Value[], quiet: boolean): Value => {
      const args: CallArguments = {
        display,
        pos,
        self: self ? { ...self, value: values[0] } : undefined,
        positional: positional.map((g, i) => ({ ...g, value: values[nSelf + i] })),
        keywords: keywords.map((k, i) => ({ ...k, value: values[nSelf + nArgs + i] })),
      };
      const site = quiet ? QUIET(callee.spelled) : this.site(callee.spelled);
      if ('builtin' in target) return target.builtin.call(bindBuiltin(target.builtin, args, site), site);
      return tensorValue(callDescriptor(target.descriptor, args, site), 'float');
    };
    this.functions.add('builtin' in target ? target.builtin.name : target.descriptor.name);

    // The name as called: `sum` of x.sum(…), `F.mse_loss` of F.mse_loss(…), or what a name holds (f = x.sum).
    const methodName = callee.spelled.slice(callee.spelled.lastIndexOf('.') + 1);
    const calleeText = self ? methodName : this.text(node.callee);
    const pieces = (p: Piece[][]): Piece[] => {
      const out: Piece[] = self ? [...p[0], `.${methodName}(`] : [`${calleeText}(`];
      p.slice(nSelf).forEach((part, i) => {
        if (i > 0) out.push(', ');
        if (i >= nArgs) out.push(`${keywords[i - nArgs].name}=`);
        out.push(...part);
      });
      out.push(')');
      return out;
    };
    return this.produce(node, operands, invoke, pieces, this.callRule(target, calleeText));
  }

  /** How a call's contribution is formed: the built-in's rule, else by the function's kind (the old format). */
  private callRule(target: Target, calleeText: string): (G: string, s: RuleContext, i: number) => string {
    const name = calleeText.slice(calleeText.lastIndexOf('.') + 1);
    if ('builtin' in target) return ruleOf(target.builtin.rule, name);
    const kind = target.descriptor.kind;
    const inputName = target.descriptor.args[0]?.name;
    return (G, { names, params }, i) => {
      if (params[i] === inputName && kind === 'elementwise') return `${G} ⊙ ${name}'(${names[i]})`;
      if (params[i] === inputName && kind === 'vector') return `J_${name}(${names[i]})ᵀ · ${G}`;
      return `${G} · ∂${name}/∂${names[i]}`;
    };
  }

  // ---- subscripts ----

  private subscript(node: SubscriptNode, object: Value, indices: Value[]): Value {
    // x[(0, 1)] is x[0, 1] in Python.
    const items = !node.tuple && indices.length === 1 && indices[0].kind === 'sequence' && indices[0].type === 'tuple' && !indices[0].fields ? indices[0].items : indices;
    if (object.kind === 'sequence') return sequenceItem(object, items);
    if (object.kind !== 'tensor') throw new UsageError(`${describe(object)} cannot be indexed`);
    const site = this.site(short(this.text(node), 30));
    const read = items.map((v, k) => indexItem(v, k, site));
    const bracket = this.source.slice(node.object.span[1], node.span[1]);
    return this.produce(
      node,
      [{ value: object, node: node.object, text: this.text(node.object), param: 'input' }],
      (ops) => {
        const x = ops[0] as TensorValue;
        return tensorValue(indexingOps().index(x.var, read), x.dtype);
      },
      (p) => [...p[0], bracket],
      (G) => `${G} placed back at ${bracket}`,
    );
  }

  // ---- recording ----

  /**
   * Runs an operation on its operands and, when recording, remembers it with its inputs (the
   * operands' tensors that carry a gradient) so that a worked solution can show and re-run it.
   */
  private produce(
    node: Expr,
    operands: readonly Operand[],
    compute: (values: readonly Value[], quiet: boolean) => Value,
    text: (pieces: Piece[][]) => Piece[],
    rule: (G: string, s: RuleContext, i: number) => string,
  ): Value {
    const values = operands.map((o) => o.value);
    const result = compute(values, false);
    if (!this.record) return result;
    const output = differentiableOutput(result);
    if (!output) return result;
    const inputs: StepInput[] = [];
    const operandOf: number[] = [];
    const parts = operands.map((o, j) => {
      const before = inputs.length;
      const p = this.pieces(o, inputs);
      for (let k = before; k < inputs.length; k++) operandOf.push(j);
      return p;
    });
    if (inputs.some((i) => i.var === output)) return result; // the same tensor (clone, unary +)
    const pieces = text(parts);
    const params = inputs.map((i) => i.param);
    const operandShapes = values.map((v) => (v.kind === 'tensor' ? v.var.shape : []));
    const join = (p: readonly Piece[], names: readonly string[]): string => p.map((q) => (typeof q === 'number' ? names[q] : q)).join('');
    this.operations.push({
      node,
      output,
      inputs,
      text: (names) => join(pieces, names),
      rule: (G, names, i) =>
        rule(G, { names, params, inputs: inputs.map((x) => x.var), output, operands: parts.map((p) => join(p, names)), operandShapes, operandOf }, i),
      rerun: (vars) => differentiableOutput(compute(substitute(values, vars), true))!,
    });
    return result;
  }

  /** An operand's text pieces, its differentiable tensors numbered as inputs. */
  private pieces(o: Operand, inputs: StepInput[]): Piece[] {
    const v = o.value;
    if (v.kind === 'tensor') {
      if (!v.var.requiresGrad) return [o.text];
      inputs.push({ var: v.var, param: o.param, text: o.text });
      return [inputs.length - 1];
    }
    if (v.kind !== 'sequence') return [o.text];
    const within = differentiableInputs([v]);
    if (within.length === 0) return [o.text];
    const n = o.node;
    if (n && (n.kind === 'list' || n.kind === 'tuple') && n.elements.length === v.items.length) {
      const out: Piece[] = [n.kind === 'list' ? '[' : '('];
      v.items.forEach((item, i) => {
        if (i > 0) out.push(', ');
        out.push(...this.pieces({ value: item, node: n.elements[i], text: this.text(n.elements[i]), param: o.param }, inputs));
      });
      out.push(n.kind === 'list' ? ']' : ')');
      return out;
    }
    for (const t of within) inputs.push({ var: t.var, param: o.param, text: o.text });
    return [o.text];
  }
}

/** A site that records nothing: re-running an operation for a worked solution. */
const QUIET = (spelled: string): Site => ({ spelled, noGradient: () => {} });

/** The tensor of a result that carries a gradient: the tensor, or a (values, indices) tuple's values. */
function differentiableOutput(v: Value): Var | undefined {
  if (v.kind === 'tensor') return v.var.requiresGrad ? v.var : undefined;
  if (v.kind === 'sequence' && v.fields && v.items[0]?.kind === 'tensor') return v.items[0].var.requiresGrad ? v.items[0].var : undefined;
  return undefined;
}

function ruleOf(rule: ((G: string, s: RuleContext, i: number) => string) | undefined, name: string): (G: string, s: RuleContext, i: number) => string {
  return rule ?? ((G, { names }, i) => `${G} · ∂${name}/∂${names[i]}`);
}

let everyBuiltinName: string[] | undefined;
const allBuiltinNames = (): string[] => (everyBuiltinName ??= [...new Set(BUILTINS.flatMap((b) => [b.name, ...(b.aliases ?? [])]))]);

/** Python's indexing of a list or tuple: an int (negative from the end) or a slice. */
function sequenceItem(seq: SequenceValue, items: readonly Value[]): Value {
  if (items.length !== 1) throw new UsageError(`a ${seq.type} takes one index, not ${items.length}`);
  const site: Site = QUIET('indexing');
  const index = items[0];
  const n = seq.items.length;
  if (index.kind === 'slice') {
    const read = (v: Value): number | null => (v.kind === 'none' ? null : toInt(v, 'a slice bound', site));
    const step = read(index.step) ?? 1;
    if (step === 0) throw new UsageError('slice step cannot be zero');
    const clamp = (v: number | null, fallback: number, low: number, high: number): number =>
      v === null ? fallback : Math.min(Math.max(v < 0 ? v + n : v, low), high);
    const start = clamp(read(index.start), step > 0 ? 0 : n - 1, step > 0 ? 0 : -1, step > 0 ? n : n - 1);
    const stop = clamp(read(index.stop), step > 0 ? n : -1, step > 0 ? 0 : -1, step > 0 ? n : n - 1);
    const out: Value[] = [];
    for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(seq.items[i]);
    return { kind: 'sequence', type: seq.type, items: out, depth: seq.depth };
  }
  const i = toInt(index, `a ${seq.type} index`, site);
  if (i < -n || i >= n) throw new UsageError(`${seq.type} index ${i} out of range (length ${n})`);
  return seq.items[i < 0 ? i + n : i];
}

/** One entry of a tensor subscript, read: ints, slices, None, ..., and index tensors or masks. */
function indexItem(v: Value, k: number, site: Site): import('../autograd/indexing').IndexItem {
  const what = `index ${k}`;
  switch (v.kind) {
    case 'number':
      if (v.type === 'int') return { kind: 'int', index: v.value };
      throw new UsageError(`only integers, slices (:), None, ... and integer or boolean tensors are valid indices (got ${v.type === 'bool' ? 'a bool' : `the float ${v.value}`})`);
    case 'slice': {
      const read = (b: Value): number | null => (b.kind === 'none' ? null : toInt(b, 'a slice bound', site));
      return { kind: 'slice', start: read(v.start), stop: read(v.stop), step: read(v.step) };
    }
    case 'none':
      return { kind: 'newaxis' };
    case 'ellipsis':
      return { kind: 'ellipsis' };
    case 'sequence':
    case 'tensor': {
      const t =
        v.kind === 'tensor' ? { tensor: v.var.value, dtype: v.dtype } : v.fields ? undefined : literalTensor(v, what);
      if (!t) throw new UsageError(`${what} is a (${(v as SequenceValue).fields!.join(', ')}) tuple, not an index`);
      if (v.kind === 'tensor' && v.var.requiresGrad) site.noGradient(v.var, 'indices have no gradient', 'index');
      if (t.dtype === 'bool') return { kind: 'mask', shape: t.tensor.shape, data: t.tensor.data };
      const bad = Array.from(t.tensor.data).find((x) => !Number.isInteger(x));
      if (bad !== undefined) throw new UsageError(`tensors used as indices must hold whole numbers (or be masks from a comparison), not ${bad}`);
      if (t.tensor.shape.length === 0) return { kind: 'int', index: t.tensor.data[0] };
      return { kind: 'array', shape: t.tensor.shape, data: t.tensor.data };
    }
    default:
      throw new UsageError(`${describe(v)} cannot be an index`);
  }
}
