/**
 * Exact and limiting values, each with its justification: identities, limits, PyTorch's
 * documented conventions at kinks and clamps, and values computed with mpmath at 50 digits.
 */
import { erf, erfc } from '../../src/math';
import { call, mat, values } from '../helpers/call';

const closeTo = (actual: number, expected: number, rtol: number): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rtol * Math.abs(expected));
};

describe('erf and erfc (reference values: mpmath, 50 digits)', () => {
  test.each([
    [0.5, 0.5204998778130465, 0.4795001221869535],
    [5, 0.9999999999984626, 1.537459794428035e-12],
    [-1, -0.8427007929497149, 1.8427007929497148],
    [10, 1, 2.088487583762545e-45],
    [1e-10, 1.1283791670955126e-10, 0.999999999887162],
    [-0.3, -0.32862675945912745, 1.3286267594591274],
    [2, 0.9953222650189527, 0.004677734981047266],
  ])('x = %p', (x, e, c) => {
    closeTo(erf(x), e, 4e-16);
    closeTo(erfc(x), c, 1e-15);
  });
  test('limits and NaN', () => {
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erfc(Infinity)).toBe(0);
    expect(erfc(-Infinity)).toBe(2);
    expect(erf(NaN)).toBeNaN();
    expect(erf(0)).toBe(0);
  });
});

describe('logistic family at saturation', () => {
  test('σ(0) = 1/2 and σ\'(0) = 1/4 exactly', () => {
    const r = call('sigmoid', [0]);
    expect(values(r.value)).toEqual([0.5]);
    expect(values(r.grad)).toEqual([0.25]);
  });
  test("σ' is PyTorch's sigmoid_backward y(1 − y): at 40 that is 1 − y with y rounded, exactly 0 from 37 up", () => {
    // y = 1/(1 + e^-40) rounds to 1 − 2^-53·k; y(1 − y) is what PyTorch computes (not e^-40/(1+e^-40)²).
    const y = 1 / (1 + Math.exp(-40));
    expect(values(call('sigmoid', [40]).grad)[0]).toBe((1 - y) * y);
    expect(values(call('sigmoid', [37, 100]).grad)).toEqual([0, 0]);
    // On the other side y is tiny and exact: y(1 − y) keeps the value.
    closeTo(values(call('sigmoid', [-40]).grad)[0], 4.248354255291589e-18, 1e-14);
  });
  test('σ(-700) = 1/(1 + e^700), not 0', () => {
    closeTo(values(call('sigmoid', [-700]).value)[0], 9.85967654375977e-305, 1e-14);
  });
  test('σ(±1000) saturates to exactly 0 and 1, with derivative 0 (true value below the smallest double)', () => {
    const r = call('sigmoid', [-1000, 1000]);
    expect(values(r.value)).toEqual([0, 1]);
    expect(values(r.grad)).toEqual([0, 0]);
  });
  test("tanh' is PyTorch's tanh_backward 1 − y²: 0 where PyTorch's tanh rounds to ±1 (|x| > 18.71)", () => {
    // PyTorch's CPU tanh (SLEEF) returns exactly ±1 beyond 18.714973875 (checked with torch 1.13).
    expect(values(call('tanh', [20, -20, 300]).grad)).toEqual([0, 0, 0]);
    closeTo(values(call('tanh', [10]).grad)[0], 8.244614546626045e-9, 1e-6);
  });
  test('logsigmoid(-1000) = -1000 (−softplus(1000)), logsigmoid(1000) = 0', () => {
    const r = call('logsigmoid', [-1000, 1000]);
    expect(values(r.value)[0]).toBe(-1000);
    expect(values(r.value)[1] === 0).toBe(true);
    expect(values(r.grad)).toEqual([1, 0]);
  });
  test("softplus is linear above its threshold; below it is PyTorch's log1p(exp(βx))/β", () => {
    expect(values(call('softplus', [1000, -1000]).value)).toEqual([1000, 0]);
    // With a threshold above 709, PyTorch's log1p(exp(x)) overflows to inf, and so does actgrad.
    expect(values(call('softplus', [800], { params: { threshold: 1000 } }).value)).toEqual([Infinity]);
  });
  test('tanhshrink is x − tanh(x), as PyTorch composes it (cancellation near 0 included)', () => {
    // torch 1.13: (x - torch.tanh(x)) at x = 1e-3 in float64 → 3.333332000178546e-10 (mpmath: 3.333332e-10).
    expect(values(call('tanhshrink', [1e-3]).value)[0]).toBe(1e-3 - Math.tanh(1e-3));
  });
  test('gelu(-10) is -0, as PyTorch: x·½·(1 + erf(x/√2)) with 1 + erf rounding to 0', () => {
    expect(Object.is(values(call('gelu', [-10]).value)[0], -0)).toBe(true);
    expect(values(call('gelu', [10]).value)).toEqual([10]);
  });
  test('mish(1) = tanh(log(1 + e)) (mpmath)', () => {
    closeTo(values(call('mish', [1]).value)[0], 0.8650983882673103, 1e-15);
  });
});

describe('PyTorch conventions at kinks', () => {
  test.each([
    ['relu', {}, 0, 0],
    ['relu6', {}, 0, 0],
    ['relu6', {}, 6, 0],
    ['leaky-relu', {}, 0, 0.01],
    ['prelu', {}, 0, 0.25],
    ['elu', { alpha: 0.5 }, 0, 0.5],
    ['celu', { alpha: 2 }, 0, 1],
    ['hardtanh', {}, -1, 0],
    ['hardtanh', {}, 1, 0],
    ['hardsigmoid', {}, 3, 0],
    ['hardsigmoid', {}, 0, 0.1666666716337204],
    ['hardswish', {}, -3, 0],
    ['hardswish', {}, 3, 1],
    ['softshrink', {}, 0.5, 0],
    ['hardshrink', {}, -0.5, 0],
    ['threshold', { threshold: 1, value: 5 }, 1, 0],
    ['step', { at_zero: 0.5 }, 0, 0],
  ] as const)('%s%p derivative at %p is %p', (name, params, x, d) => {
    expect(values(call(name, [x], { params }).grad)).toEqual([d]);
  });
  test('step takes at_zero at 0', () => {
    expect(values(call('step', [-1, 0, 1], { params: { at_zero: 0.5 } }).value)).toEqual([0, 0.5, 1]);
  });
  test('l1 at zero difference has gradient sgn(0) = 0', () => {
    expect(values(call('l1', [1, 2], { target: [1, 3], params: { reduction: 'sum' } }).grad)).toEqual([0, -1]);
  });
  test('hinge-embedding at x = margin passes the gradient -1 (clamp_min keeps the boundary)', () => {
    expect(values(call('hinge-embedding', [1], { target: [-1], params: { reduction: 'sum' } }).grad)).toEqual([-1]);
  });
  test('multi-margin term exactly at the margin gives no gradient', () => {
    // z = 1 - x_y + x_i = 1 - 1 + 0 = 0 for i = 0: not active.
    expect(values(call('multi-margin', [0, 1], { target: [1] }).grad)).toEqual([0, 0]);
  });
});

describe('softmax family with large and infinite inputs', () => {
  test('softmax([100, 100]) = [1/2, 1/2] and softmax([-1000, 1000]) = [0, 1]', () => {
    expect(values(call('softmax', [100, 100]).value)).toEqual([0.5, 0.5]);
    expect(values(call('softmax', [-1000, 1000]).value)).toEqual([0, 1]);
  });
  test('softmax([1000, 999, -1000]) = [σ(1), σ(-1), 0]', () => {
    const v = values(call('softmax', [1000, 999, -1000]).value);
    closeTo(v[0], 0.7310585786300049, 1e-15);
    closeTo(v[1], 0.2689414213699951, 1e-15);
    expect(v[2]).toBe(0);
  });
  test('log-softmax([0, -1000]) = [0, -1000] (no log of an underflowed 0)', () => {
    expect(values(call('log-softmax', [0, -1000]).value)).toEqual([0, -1000]);
  });
  test('logsumexp of [1000, 1000] is 1000 + log 2; of ±inf rows is ±inf', () => {
    expect(values(call('logsumexp', [1000, 1000]).value)).toEqual([1000 + Math.LN2]);
    expect(values(call('logsumexp', [-Infinity, -Infinity]).value)).toEqual([-Infinity]);
    expect(values(call('logsumexp', [Infinity, 1]).value)).toEqual([Infinity]);
  });
  test('softmax of a row with +inf is NaN, as PyTorch (exp(inf - inf))', () => {
    expect(values(call('softmax', [Infinity, 1]).value).every(Number.isNaN)).toBe(true);
  });
  test('the softmax Jacobian is diag(y) - y yᵀ', () => {
    const r = call('softmax', [2, 1, 0.1], { jacobian: true });
    const y = values(r.value);
    const J = values(r.jacobian);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) closeTo(J[i * 3 + j], (i === j ? y[i] : 0) - y[i] * y[j], 1e-14);
  });
});

describe('losses at their clamps', () => {
  test('bce at x = 0 and 1 uses the log clamp at -100', () => {
    const r = call('bce', [0, 1, 0, 1], { target: [1, 0, 0, 1], params: { reduction: 'none' } });
    expect(values(r.value).map((v) => v + 0)).toEqual([100, 100, 0, 0]); // + 0 turns PyTorch's -0 into 0
    // PyTorch's binary_cross_entropy_backward: (x - t)/max(x(1-x), EPSILON) with EPSILON = 1e-12 as a float32
    expect(values(r.grad)).toEqual([-1 / Math.fround(1e-12), 1 / Math.fround(1e-12), 0, 0]);
  });
  test('bce-with-logits at ±1000 is finite', () => {
    const r = call('bce-with-logits', [1000, -1000], { target: [0, 1], params: { reduction: 'none' } });
    expect(values(r.value)).toEqual([1000, 1000]);
    expect(values(r.grad)).toEqual([1, -1]);
  });
  test('cross-entropy of logits [1000, 0] against class 1 is 1000 with gradient softmax - onehot', () => {
    const r = call('cross-entropy', [1000, 0], { target: [1] });
    expect(values(r.value)).toEqual([1000]);
    expect(values(r.grad)).toEqual([1, -1]);
  });
  test('kl-div with a zero target contributes 0 (xlogy)', () => {
    expect(values(call('kl-div', [-1, -2], { target: [0, 1], params: { reduction: 'none' } }).value)).toEqual([0, 2]);
  });
  test("soft-margin of t·x = -1000 is inf, as PyTorch's log1p(exp(-t·x)) overflows", () => {
    expect(values(call('soft-margin', [-1000], { target: [1] }).value)).toEqual([Infinity]);
    expect(values(call('soft-margin', [-700], { target: [1] }).value)).toEqual([700]);
  });
  test('cross-entropy mean with class weights divides by the weights of the targets', () => {
    const w = [1, 2];
    const r = call('cross-entropy', mat([[0, 0], [0, 0]]), { target: [0, 1], params: { weight: w } });
    // each row's loss is w_y·log 2, and the mean divides by w_0 + w_1
    closeTo(values(r.value)[0], Math.LN2, 1e-15);
  });
});

describe('non-finite inputs', () => {
  test("NaN in: NaN value; the derivative is what PyTorch's backward formula gives (torch 1.13)", () => {
    // relu's threshold_backward and hardswish's backward select (NaN <= 0 is false): 1;
    // sigmoid, tanh and gelu multiply through the NaN output: NaN.
    for (const [name, grad] of [['relu', 1], ['hardswish', 1], ['sigmoid', NaN], ['tanh', NaN], ['gelu', NaN]] as const) {
      const r = call(name, [NaN, 1]);
      expect(values(r.value)[0]).toBeNaN();
      expect(values(r.grad)[0]).toBe(grad);
      expect(Number.isNaN(values(r.value)[1])).toBe(false);
    }
  });
  test('±inf through relu, sigmoid and tanh', () => {
    expect(values(call('relu', [Infinity, -Infinity]).value)).toEqual([Infinity, 0]);
    expect(values(call('relu', [Infinity, -Infinity]).grad)).toEqual([1, 0]);
    expect(values(call('sigmoid', [Infinity, -Infinity]).value)).toEqual([1, 0]);
    expect(values(call('tanh', [Infinity, -Infinity]).value)).toEqual([1, -1]);
    expect(values(call('tanh', [Infinity]).grad)).toEqual([0]);
  });
  test('a NaN in a softmax row makes the whole row NaN', () => {
    expect(values(call('softmax', [NaN, 1, 2]).value).every(Number.isNaN)).toBe(true);
  });
});

describe('norm', () => {
  test('‖(3, 4)‖ = 5 with gradient (0.6, 0.8)', () => {
    const r = call('norm', [3, 4]);
    expect(values(r.value)).toEqual([5]);
    expect(values(r.grad)).toEqual([0.6, 0.8]);
  });
  test('no overflow for 1e200 (scaled by the largest magnitude)', () => {
    closeTo(values(call('norm', [1e200, 1e200]).value)[0], Math.SQRT2 * 1e200, 1e-15);
  });
  test('gradient 0 at x = 0 (PyTorch masks the zero norm)', () => {
    expect(values(call('norm', [0, 0]).grad)).toEqual([0, 0]);
  });
  test('p = inf shares the gradient among ties', () => {
    expect(values(call('norm', [3, -3, 1], { params: { p: Infinity } }).grad)).toEqual([0.5, -0.5, 0]);
  });
});
