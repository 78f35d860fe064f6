/**
 * Built-ins with closed-form values and derivatives, in the spellings that the PyTorch-generated
 * cases (fixtures/torch-1.13.jsonl) do not use: the bare names of the math functions (the
 * language's own, as `exp` and `log` were), Python's math module on plain numbers, and the
 * less common torch functions and methods. properties.test.ts checks that every spelling of
 * every built-in is exercised somewhere.
 */
import { grad, gradOf, valueOf } from './helpers';

const x = 0.5;
const { exp, log, sqrt, sin, cos, tan, sinh, cosh, LN2, LN10, PI } = Math;

describe('bare math functions: value and derivative', () => {
  test.each<[string, number, number, number]>([
    // [expression, at x, value, derivative]
    ['exp(x)', x, exp(x), exp(x)],
    ['log(x)', x, log(x), 1 / x],
    ['log1p(x)', x, Math.log1p(x), 1 / (1 + x)],
    ['expm1(x)', x, Math.expm1(x), exp(x)],
    ['log2(x)', x, Math.log2(x), 1 / (x * LN2)],
    ['log10(x)', x, Math.log10(x), 1 / (x * LN10)],
    ['sqrt(x)', x, sqrt(x), 1 / (2 * sqrt(x))],
    ['rsqrt(x)', x, 1 / sqrt(x), -0.5 * x ** -1.5],
    ['sin(x)', x, sin(x), cos(x)],
    ['cos(x)', x, cos(x), -sin(x)],
    ['tan(x)', x, tan(x), 1 + tan(x) ** 2],
    ['asin(x)', x, Math.asin(x), 1 / sqrt(1 - x * x)],
    ['acos(x)', x, Math.acos(x), -1 / sqrt(1 - x * x)],
    ['atan(x)', x, Math.atan(x), 1 / (1 + x * x)],
    ['sinh(x)', x, sinh(x), cosh(x)],
    ['cosh(x)', x, cosh(x), sinh(x)],
    ['tanh(x)', x, Math.tanh(x), 1 - Math.tanh(x) ** 2],
    ['sigmoid(x)', x, 1 / (1 + exp(-x)), exp(-x) / (1 + exp(-x)) ** 2],
    ['erf(x)', 0, 0, 2 / sqrt(PI)],
    ['erfc(x)', 0, 1, -2 / sqrt(PI)],
    ['abs(x)', -x, x, -1],
    ['sign(x)', -x, -1, 0],
    ['neg(x)', x, -x, -1],
    ['square(x)', -x, x * x, -2 * x],
    ['reciprocal(x)', x, 1 / x, -1 / (x * x)],
    ['pow(x, 3)', x, x ** 3, 3 * x * x],
    ['torch.expm1(x)', x, Math.expm1(x), exp(x)],
    ['torch.square(x)', x, x * x, 2 * x],
    ['torch.reciprocal(x)', -x, -1 / x, -1 / (x * x)],
  ])('%s at %d', (expression, at, value, derivative) => {
    const r = grad(expression, { x: at });
    expect(valueOf(r) as number).toBeCloseTo(value, 15);
    expect(gradOf(r, 'x') as number).toBeCloseTo(derivative, 14);
  });
});

describe("Python's math module on plain numbers", () => {
  test.each<[string, number]>([
    ['math.sin(math.pi / 6)', 0.5],
    ['math.cos(0)', 1],
    ['math.tan(math.pi / 4)', 1],
    ['math.asin(1)', PI / 2],
    ['math.acos(1)', 0],
    ['math.atan(1)', PI / 4],
    ['math.sinh(0) + math.tanh(0) + math.asinh(0) + math.atanh(0)', 0],
    ['math.cosh(0) + math.acosh(1)', 1],
    ['math.fabs(-2)', 2],
    ['math.pow(2, 10)', 1024],
    ['math.atan2(1, 1)', PI / 4],
    ['math.hypot(3, 4)', 5],
    ['math.erf(0) + math.erfc(0)', 1],
    ['math.trunc(-2.5)', -2],
    ['math.degrees(math.pi)', 180],
    ['math.radians(180)', PI],
    ['math.expm1(0) + math.log1p(0)', 0],
    ['math.log2(8) + math.log10(1000)', 6],
    ['math.exp(1) - math.e', 0],
    ['math.sqrt(16) * math.tau / math.pi', 8],
    ['math.log(math.e ** 2)', 2],
  ])('%s = %d', (expression, expected) => {
    expect(valueOf(grad(expression)) as number).toBeCloseTo(expected, 14);
  });
});

describe('torch functions and methods with closed forms', () => {
  const v = { x: [-1, 0.5, 2] };
  test.each<[string, Record<string, unknown>, number, number[]]>([
    // [expression, bindings, value, gradient of x]
    ['torch.floor_divide(x, 2).sum() + x.floor_divide(1).sum()', v, -1 + 0 + 1 + (-1 + 0 + 2), [0, 0, 0]],
    ['torch.clamp_min(x, 0).sum()', v, 2.5, [0, 1, 1]],
    ['(x * torch.ge(x, 0.5)).sum() + (x * x.ge(2)).sum()', v, 2.5 + 2, [0, 1, 2]],
    ['(x * torch.lt(x, 0.5)).sum() + (x * x.lt(0)).sum()', v, -2, [2, 0, 0]],
    ['(x * torch.le(x, 0.5)).sum()', v, -0.5, [1, 1, 0]],
    ['(x * torch.logical_or(x < 0, x > 1)).sum() + (x * (x < 0).logical_or(x > 1)).sum()', v, 2, [2, 0, 2]],
    ['(x * torch.logical_xor(x < 1, x > 0)).sum() + (x * (x < 1).logical_xor(x > 0)).sum()', v, 2, [2, 0, 2]],
    ['torch.isnan(x).sum() + x.isnan().sum() + torch.isinf(x).sum() + x.isinf().sum() + torch.isfinite(x).sum() + x.isfinite().sum()', v, 6, [0, 0, 0]],
    ['torch.linalg.matmul(x, x) + torch.linalg.vecdot(x, x) + x.min() * 0 + min(x)', v, 5.25 + 5.25 - 1, [-4, 2, 8].map((g, i) => g + (i === 0 ? 1 : 0))],
    ['torch.mm(x.unsqueeze(0), x.unsqueeze(1)).sum()', v, 5.25, [-2, 1, 4]],
    ['torch.squeeze(torch.unsqueeze(x, 0)).pow(2).sum()', v, 5.25, [-2, 1, 4]],
    ['torch.clone(x).sum() + torch.detach(x).sum() + torch.numel(x)', v, 1.5 + 1.5 + 3, [1, 1, 1]],
  ])('%s', (expression, at, value, gradient) => {
    const r = grad(expression, at);
    expect(valueOf(r) as number).toBeCloseTo(value, 14);
    (gradOf(r, 'x') as number[]).forEach((g, i) => expect(g).toBeCloseTo(gradient[i], 14));
  });
});
