/** Non-finite numbers in every format, closed pipes and slow readers. */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { actgrad } from '../helpers/run';

const BIN = join(__dirname, '..', '..', 'bin', 'actgrad.js');

describe('non-finite numbers flow through and print per the contract', () => {
  test('plain, csv, tsv, table: nan, inf, -inf; json: "NaN", "Infinity", "-Infinity"', () => {
    const argv = ['relu', 'nan', 'inf', '-inf', '-g'];
    // relu's backward selects (threshold_backward: where(y <= 0, 0, g)), so PyTorch's relu'(nan) is 1.
    expect(actgrad(argv).stdout).toBe('1 1 0\n');
    expect(actgrad([...argv, '--format', 'csv']).stdout).toBe('i,x,relu,grad\n0,nan,nan,1\n1,inf,inf,1\n2,-inf,0,0\n');
    expect(actgrad([...argv, '--format', 'tsv']).stdout).toContain('1\tinf\tinf\t1');
    expect(actgrad([...argv, '--format', 'table']).stdout).toMatch(/│ 0 │\s+nan │\s+nan │\s+1 │/);
    expect(JSON.parse(actgrad([...argv, '--json']).stdout)).toMatchObject({ input: ['NaN', 'Infinity', '-Infinity'], value: ['NaN', 'Infinity', 0], grad: [1, 1, 0] });
  });
  test('softmax of a row with +inf gives NaN, as PyTorch; logsumexp gives ±inf', () => {
    expect(JSON.parse(actgrad(['softmax', 'inf', '1', '--json']).stdout).value).toEqual(['NaN', 'NaN']);
    expect(actgrad(['logsumexp', '-inf', '-inf']).stdout).toBe('-inf\n');
    expect(actgrad(['logsumexp', 'inf', '0']).stdout).toBe('inf\n');
  });
  test('losses and expressions', () => {
    expect(JSON.parse(actgrad(['mse', 'nan', '1', '--target', '0,0', '--json', '-g']).stdout)).toMatchObject({ value: 'NaN', grad: ['NaN', 1] });
    expect(JSON.parse(actgrad(['grad', 'sum(x*2)', 'x=inf,1', '--json']).stdout)).toMatchObject({ value: 'Infinity', grad: { x: [2, 2] } });
  });
});

describe('pipes', () => {
  test('a closed pipe (| head -1) ends quietly with exit 0', () => {
    const r = spawnSync('bash', ['-c', `node "${BIN}" softmax --jacobian < <(seq 1 800 | tr '\\n' ' ') | head -1 > /dev/null; echo "exit \${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe('exit 0');
    expect(r.stderr).toBe('');
  });
  test('a slow reader gets every byte, in order', async () => {
    const input = Array.from({ length: 400 }, (_, i) => ((i % 17) - 8) / 3).join(' ');
    const expected = spawnSync('node', [BIN, 'softmax', '--jacobian'], { input, encoding: 'utf8', maxBuffer: 1 << 28 }).stdout;
    const child = spawn('node', [BIN, 'softmax', '--jacobian'], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.end(input);
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d: Buffer) => {
      chunks.push(d);
      // read slowly: pause after every chunk
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), 5);
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const got = Buffer.concat(chunks).toString('utf8');
    expect(got.length).toBe(expected.length);
    expect(got === expected).toBe(true);
  }, 30000);
});
