import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

import { lookup, registry } from '../../src/functions/registry';
import { curveOf } from '../../src/plot/sample';
import { svgChart } from '../../src/plot/svg';
import { terminalChart } from '../../src/plot/terminal';
import { actgrad, ESCAPE } from '../helpers/run';

const PARAMS: Record<string, Record<string, number>> = { threshold: { threshold: 0.5, value: -1 } };
const curveFor = (name: string, target?: number) =>
  curveOf(lookup(name)!, PARAMS[name] ?? {}, target === undefined ? undefined : { shape: [1], data: Float64Array.of(target) });

describe('the sampled points are the function and its derivative', () => {
  test.each(registry.filter((d) => d.kind === 'elementwise').map((d) => [d.name]))('%s', (name) => {
    const chart = terminalChart(curveFor(name), -6, 6, { width: 60, height: 10, color: false, params: '' });
    const xs = Array.from(chart.samples.xs);
    const extra = Object.entries(PARAMS[name] ?? {}).flatMap(([k, v]) => [`--${k}`, String(v)]);
    const cli = JSON.parse(actgrad([name, xs.join(','), ...extra, '--grad', '--json']).stdout);
    // + 0: JSON has no -0
    expect(Array.from(chart.samples.f, (v) => v + 0)).toEqual(cli.value);
    expect(Array.from(chart.samples.df, (v) => v + 0)).toEqual(cli.grad);
  });
  test('a loss against a fixed target, and a vector function along [x, 0]', () => {
    const bce = terminalChart(curveFor('bce', 1), 0, 1, { width: 40, height: 8, color: false, params: '' });
    bce.samples.xs.forEach((x, i) => {
      expect(bce.samples.f[i]).toBeCloseTo(-Math.log(x), 12);
      expect(bce.samples.df[i]).toBeCloseTo(-1 / x, 9);
    });
    const softmax = terminalChart(curveFor('softmax'), -6, 6, { width: 40, height: 8, color: false, params: '' });
    softmax.samples.xs.forEach((x, i) => {
      const s = 1 / (1 + Math.exp(-x));
      expect(softmax.samples.f[i]).toBeCloseTo(s, 14);
      expect(softmax.samples.df[i]).toBeCloseTo(s * (1 - s), 14);
    });
  });
});

describe('the terminal chart', () => {
  test.each([[40], [80], [132]])('is %i columns wide', (width) => {
    const lines = actgrad(['plot', 'sigmoid', '--width', String(width), '--height', '12']).stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(12 + 3);
    const axis = lines[12];
    expect([...axis].length).toBe(width);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(width + 40); // the legend may run longer
  });
  test('80 columns when not a terminal; the terminal\'s width when it is', () => {
    const piped = actgrad(['plot', 'tanh']).stdout.split('\n');
    expect([...piped[20]].length).toBe(80);
  });
  test('two curves with different glyphs, a legend with the parameters, no colour when piped', () => {
    const out = actgrad(['plot', 'leaky-relu', '--negative-slope', '0.2']).stdout;
    expect(out).toContain('*');
    expect(out).toContain('+');
    expect(out).toContain("* leaky-relu(x)   + leaky-relu'(x)");
    expect(out).toContain('(negative_slope=0.2)');
    expect(out).not.toMatch(ESCAPE);
    expect(actgrad(['plot', 'sigmoid'], { tty: true }).stdout).toMatch(ESCAPE);
  });
  // Parameters that some layers require.
  const LAYER_ARGS: Record<string, string[]> = {
    'group-norm': ['--num-groups', '1'],
    'max-pool1d': ['--kernel-size', '2'],
    'avg-pool1d': ['--kernel-size', '2'],
    'max-pool2d': ['--kernel-size', '1'],
    'avg-pool2d': ['--kernel-size', '1'],
    'gaussian-nll': ['--var', '1'],
  };
  test('every function can be plotted (losses with a target, layers along a slice)', () => {
    for (const d of registry) {
      const args = d.kind === 'loss' ? ['--target', d.name === 'soft-margin' || d.name === 'hinge-embedding' ? '1' : '0.5'] : [];
      const extra = d.name === 'threshold' ? ['--threshold', '0', '--value', '-1'] : [];
      const r = actgrad(['plot', d.name, ...args, ...extra, ...(LAYER_ARGS[d.name] ?? [])]);
      if (d.kind === 'loss' && d.structure === 'rows') {
        expect(r.code).toBe(2);
        expect(r.stderr).toContain('has no curve in one x');
      } else if (d.kind === 'call') {
        expect(r.code).toBe(2);
        expect(r.stderr).toContain('takes several tensors');
      } else {
        expect({ name: d.name, code: r.code, stderr: r.stderr }).toEqual({ name: d.name, code: 0, stderr: '' });
      }
    }
  });
});

describe('the SVG', () => {
  const parse = (svg: string) => {
    expect(XMLValidator.validate(svg)).toBe(true);
    return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(svg).svg;
  };
  const paths = (svg: string): { class: string; d: string; 'data-points': string }[] => {
    const g = parse(svg).g.find((x: { path?: unknown }) => x.path);
    return g.path;
  };
  const vertices = (d: string): number => (d.match(/[ML]/g) ?? []).length;
  const segments = (d: string): number => (d.match(/M/g) ?? []).length;

  test('is valid XML with axes, grid, labels, a legend and two curves of the right number of points', () => {
    const { svg } = svgChart(curveFor('gelu'), -6, 6, { points: 300, title: 'gelu', params: '' });
    const doc = parse(svg);
    expect(doc.xmlns).toBe('http://www.w3.org/2000/svg');
    expect(doc.text.length).toBeGreaterThan(10);
    const [df, f] = paths(svg);
    expect([f.class, df.class]).toEqual(['function', 'derivative']);
    expect(vertices(f.d)).toBe(300);
    expect(vertices(df.d)).toBe(300);
    expect(f['data-points']).toBe('300');
    expect(segments(f.d)).toBe(1);
  });
  test("step's jump is a break in its path, not a slope; relu's derivative breaks at 0 too", () => {
    const step = paths(svgChart(curveFor('step'), -6, 6, { points: 200, title: '', params: '' }).svg);
    expect(segments(step[1].d)).toBe(2);
    const relu = paths(svgChart(curveFor('relu'), -6, 6, { points: 200, title: '', params: '' }).svg);
    expect(segments(relu[0].d)).toBe(2); // relu'
    expect(segments(relu[1].d)).toBe(1); // relu itself is continuous, with its kink as a vertex
    expect(relu[1].d).toMatch(/L420,\d+(\.\d+)?L/); // x = 0 is at pixel 420
  });
  test('--svg writes the file', () => {
    const file = join(tmpdir(), `actgrad-plot-${process.pid}.svg`);
    const r = actgrad(['plot', 'huber', '--target', '0', '--delta', '1', '--svg', file, '--points', '50']);
    expect(r.code).toBe(0);
    // The status line goes to standard error, so that `--svg -` can write the SVG alone to standard output.
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`wrote ${file}: huber(x, 0) and ∂/∂x huber(x, 0) on [-6, 6], 50 samples each\n`);
    expect(XMLValidator.validate(readFileSync(file, 'utf8'))).toBe(true);
  });
});

describe('plot errors', () => {
  test.each([
    [['plot'], 'plot needs a function'],
    [['plot', 'sigmod'], 'unknown function "sigmod" (did you mean sigmoid?)'],
    [['plot', 'bce'], 'plotting bce needs --target'],
    [['plot', 'cross-entropy', '--target', '0'], 'has no curve in one x'],
    [['plot', 'relu', '--from', '2', '--to', '1'], '--from must be less than --to'],
    [['plot', 'relu', '--width', '5'], '--width takes a whole number from 30 to 1000'],
    [['plot', 'relu', '--negative-slope', '1'], "unknown option '--negative-slope'"],
  ])('%p', (argv, message) => {
    const r = actgrad(argv);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(message);
  });
});
