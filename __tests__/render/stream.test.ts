/**
 * The streaming renderers on their own: json's object is functionObject's, byte for byte, whether
 * the result comes whole or in pieces, and whatever size of pieces its spool gives back; the CLI's
 * file spool gives back what it took and leaves no file.
 */
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileSpool } from '../../src/cli/spool';
import { computeFunction, type FunctionRequest } from '../../src/commands/function';
import { lookup, registry } from '../../src/functions/registry';
import { functionObject, stringifyJson } from '../../src/render/json';
import { functionSink, memorySpool, type NumberSpool, renderWhole } from '../../src/render/stream';
import { ByteWriter, DecimalCounter } from '../../src/render/stream-text';
import { tensor } from '../../src/tensor';
import { tempDir } from '../helpers/temp';

const fn = (name: string) => lookup(name)!;

const compute = (req: Omit<FunctionRequest, 'fn'> & { name: string }) => computeFunction({ ...req, fn: fn(req.name) });

/** A spool that gives its numbers back in pieces of `size`, cut anywhere (as a file's reads are). */
function raggedSpool(size: number): () => NumberSpool {
  return () => {
    const inner = memorySpool();
    return {
      append: (d) => inner.append(d),
      drain: (onPiece) => {
        const all: number[] = [];
        inner.drain((p) => all.push(...p));
        for (let i = 0; i < all.length; i += size) onPiece(Float64Array.from(all.slice(i, i + size)));
      },
      release: () => inner.release(),
    };
  };
}

const json = (r: ReturnType<typeof compute>, precision?: number, spool?: () => NumberSpool): string => {
  let out = '';
  renderWhole(r, { format: 'json', precision, spool }, (s) => (out += s));
  return out;
};

describe('json: one piece is functionObject as stringifyJson writes it', () => {
  const x = tensor([2, 3], [0.5, -1, 2, 3, -0.25, 1e-300]);
  const cases: [string, Omit<FunctionRequest, 'fn'> & { name: string }][] = [
    ['a vector', { name: 'sigmoid', input: tensor([3], [-1, 0, 1]), grad: true }],
    ['a matrix with its Jacobians', { name: 'softmax', input: x, grad: true, jacobian: true }],
    ['a Hessian', { name: 'tanh', input: tensor([3], [0.1, -2, 3]), hessian: true, hvp: tensor([3], [1, 0, 2]), jvp: tensor([3], [1, 1, 1]) }],
    ['a scalar value', { name: 'logsumexp', input: tensor([3], [1, 2, 3]), jacobian: true }],
    ['one value per row', { name: 'norm', input: x, grad: true }],
    ['a loss with its target', { name: 'mse', input: x, args: { target: tensor([2, 3], [0, 1, 0, 1, 0, 1]) }, grad: true }],
    ['class indices', { name: 'cross-entropy', input: x, args: { target: tensor([2], [0, 2]), reduction: 'none' }, grad: true }],
    ['an N-th derivative', { name: 'gelu', input: tensor([2], [0.3, -0.7]), order: 3 }],
    ['--grad-output', { name: 'softmax', input: x, gradOutput: tensor([2, 3], [1, 0, 0, 0, 1, 0]) }],
    ['non-finite numbers and -0', { name: 'relu', input: tensor([4], [NaN, Infinity, -Infinity, -0]), grad: true }],
    ['rank 3', { name: 'sigmoid', input: tensor([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]), grad: true, jacobian: true }],
  ];
  test.each(cases)('%s', (_label, req) => {
    const r = compute(req);
    for (const precision of [undefined, 3]) {
      const expected = `${stringifyJson(functionObject(r), precision)}\n`;
      expect(json(r, precision)).toBe(expected);
      for (const size of [1, 2, 5, 7]) expect(json(r, precision, raggedSpool(size))).toBe(expected);
    }
  });

  test('every function, with its parameters in effect (tensors, tuples, None)', () => {
    const x = tensor([2, 4], [0.2, 0.4, 0.6, 0.8, 0.1, 0.3, 0.5, 0.7]);
    const targets: Record<string, ReturnType<typeof tensor>> = {
      'cross-entropy': tensor([2], [1, 3]),
      nll: tensor([2], [1, 3]),
      'multi-margin': tensor([2], [1, 3]),
      'multilabel-margin': tensor([2, 4], [0, 1, -1, 0, 1, -1, 0, 0]),
    };
    let checked = 0;
    for (const d of registry) {
      if (d.kind === 'call') continue;
      const args = { ...(d.kind === 'loss' ? { target: targets[d.name] ?? tensor([2, 4], [0, 1, 1, 0, 0.5, 0.5, 1, 0]) } : {}), ...(d.name === 'threshold' ? { threshold: 0.5, value: -1 } : {}) };
      let r;
      try {
        r = computeFunction({ fn: d, input: x, args, grad: true });
      } catch {
        continue; // a layer that needs parameters of its own (pools' kernel size)
      }
      checked++;
      expect({ name: d.name, out: json(r) }).toEqual({ name: d.name, out: `${stringifyJson(functionObject(r))}\n` });
    }
    expect(checked).toBeGreaterThan(45);
  });
});

describe('json in pieces', () => {
  test('pieces along the rows concatenate: the object of the whole', () => {
    const whole = compute({ name: 'softmax', input: tensor([4, 3], [1, 2, 3, 4, 5, 6, -1, 0, 1, 2, 2, 2]), grad: true, jacobian: true });
    const pieces = [tensor([1, 3], [1, 2, 3]), tensor([2, 3], [4, 5, 6, -1, 0, 1]), tensor([1, 3], [2, 2, 2])].map((input) => compute({ name: 'softmax', input, grad: true, jacobian: true }));
    for (const spool of [memorySpool, raggedSpool(4)]) {
      let out = '';
      const sink = functionSink({ format: 'json', spool }, (s) => (out += s));
      sink.begin({ streamed: true, column: false });
      let offset = 0;
      for (const p of pieces) {
        sink.chunk(p, offset);
        offset += p.input.shape[0];
      }
      sink.end();
      expect(out).toBe(`${stringifyJson(functionObject(whole))}\n`);
    }
  });

  test('abort releases the spools and writes nothing more', () => {
    const released: number[] = [];
    const spool = (): NumberSpool => {
      const inner = memorySpool();
      return { ...inner, release: () => released.push(1) };
    };
    const writes: string[] = [];
    const sink = functionSink({ format: 'json', spool }, (s) => writes.push(s));
    sink.begin({ streamed: true, column: false });
    sink.chunk(compute({ name: 'relu', input: tensor([2], [1, -1]), grad: true }), 0);
    const before = writes.length;
    sink.abort();
    expect(released).toHaveLength(2); // value and grad
    expect(writes).toHaveLength(before);
  });
});

describe('csv in pieces', () => {
  test('indices count on across pieces, for rows, columns and a batch\'s Jacobians', () => {
    const rows = [tensor([2, 2], [1, 2, 3, 4]), tensor([1, 2], [5, 6])];
    const whole = tensor([3, 2], [1, 2, 3, 4, 5, 6]);
    for (const asked of [{ grad: true }, { jacobian: true }]) {
      let streamed = '';
      const sink = functionSink({ format: 'csv' }, (s) => (streamed += s));
      sink.begin({ streamed: true, column: false });
      sink.chunk(compute({ name: 'softmax', input: rows[0], ...asked }), 0);
      sink.chunk(compute({ name: 'softmax', input: rows[1], ...asked }), 2);
      sink.end();
      let expected = '';
      renderWhole(compute({ name: 'softmax', input: whole, ...asked }), { format: 'csv' }, (s) => (expected += s));
      expect(streamed).toBe(expected);
    }
  });

  test('a streamed batch has its block column even when the first piece holds one row', () => {
    let out = '';
    const sink = functionSink({ format: 'csv' }, (s) => (out += s));
    sink.begin({ streamed: true, column: false });
    sink.chunk(compute({ name: 'softmax', input: tensor([1, 2], [1, 2]), jacobian: true }), 0);
    sink.chunk(compute({ name: 'softmax', input: tensor([1, 2], [3, 4]), jacobian: true }), 1);
    sink.end();
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('block,output,x0,x1');
    expect(lines.map((l) => l.split(',')[0])).toEqual(['block', '0', '0', '1', '1']);
  });

  test('labels with the separator are quoted', () => {
    let out = '';
    renderWhole(compute({ name: 'sigmoid', input: tensor([1, 2], [1, 2]), hessian: true }), { format: 'csv' }, (s) => (out += s));
    expect(out.split('\n')[0]).toBe('input,"x[0,0]","x[0,1]"');
    out = '';
    renderWhole(compute({ name: 'sigmoid', input: tensor([1, 2], [1, 2]), hessian: true }), { format: 'tsv' }, (s) => (out += s));
    expect(out.split('\n')[0]).toBe('input\tx[0,0]\tx[0,1]');
  });
});

describe('the CLI\'s file spool', () => {
  const numbers = (n: number, from: number): Float64Array => Float64Array.from({ length: n }, (_, i) => from + i / 7);

  test('in memory below its size, in a file above it; the numbers come back in order; no file is left', () => {
    const dir = tempDir('actgrad-spool-');
    for (const memory of [1 << 20, 64]) {
      const s = fileSpool(memory, dir);
      const given: number[] = [];
      for (let k = 0; k < 50; k++) {
        const piece = numbers(1000 + k, k * 10000);
        given.push(...piece);
        s.append(piece);
        // Unlinked as soon as it is made: nothing to leave behind, even when the process is killed.
        expect(readdirSync(dir)).toEqual([]);
      }
      const back: number[] = [];
      s.drain((p) => back.push(...p));
      expect(back).toEqual(given);
      s.release();
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  test('a directory where no file can be made is an input error that says what to do', () => {
    const s = fileSpool(0, join(tmpdir(), 'actgrad-no-such-directory', 'x'));
    expect(() => s.append(Float64Array.of(1))).toThrow(/cannot be made in .*actgrad-no-such-directory.* \(ENOENT\); set TMPDIR to a writable directory/);
  });

  test('non-finite numbers and -0 survive the file', () => {
    const s = fileSpool(0);
    const given = Float64Array.of(NaN, Infinity, -Infinity, -0, 5e-324, Number.MAX_VALUE);
    s.append(given);
    const back: Float64Array[] = [];
    s.drain((p) => back.push(p.slice()));
    expect(Array.from(back[0])).toEqual(Array.from(given));
    expect(Object.is(back[0][3], -0)).toBe(true);
    s.release();
  });
});


describe('the ASCII writer and its decimal counter', () => {
  test('a counter from any start writes what String writes, across carries', () => {
    for (const start of [0, 7, 99, 999999, 2 ** 40 - 3]) {
      let out = '';
      const w = new ByteWriter((s) => (out += s));
      const c = new DecimalCounter(start);
      const expected: string[] = [];
      for (let k = 0; k < 2000; k++) {
        w.reserve(24);
        c.writeTo(w);
        w.char(10);
        c.increment();
        expected.push(String(start + k));
      }
      w.flush();
      expect(out).toBe(`${expected.join('\n')}\n`);
    }
  });

  test('text longer than the buffer, and text that is not ASCII, pass through in order', () => {
    const pieces: string[] = [];
    const w = new ByteWriter((s) => pieces.push(s));
    const long = 'x'.repeat(3 << 20);
    w.any('a');
    w.any(long);
    w.any('∂y/∂x');
    w.any('b');
    w.flush();
    expect(pieces.join('')).toBe(`a${long}∂y/∂xb`);
  });
});
