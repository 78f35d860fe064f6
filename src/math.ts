/**
 * Scalar numerics shared by the function descriptors: stable building blocks that JavaScript's
 * Math lacks. Each is written once here and used by every descriptor that needs it.
 */

// ---------------------------------------------------------------------------------------------
// erf and erfc, after fdlibm's s_erf.c (Sun Microsystems, 1993; "permission to use, copy, modify,
// and distribute this software is freely granted"). Rational approximations on [0, 0.84375],
// [0.84375, 1.25], [1.25, 1/0.35] and [1/0.35, 28]; errors below one ulp in erf and a few ulps in
// erfc. The 1e-7 textbook approximation (Abramowitz–Stegun 7.1.26) is far too coarse for float64.
// ---------------------------------------------------------------------------------------------

const ERX = 8.45062911510467529297e-1; // erf(1) rounded to float32
const EFX = 1.28379167095512586316e-1; // 2/sqrt(pi) - 1
const PP = [1.28379167095512558561e-1, -3.25042107247001499370e-1, -2.84817495755985104766e-2, -5.77027029648944159157e-3, -2.37630166566501626084e-5];
const QQ = [1, 3.97917223959155352819e-1, 6.50222499887672944485e-2, 5.08130628187576562776e-3, 1.32494738004321644526e-4, -3.96022827877536812320e-6];
const PA = [-2.36211856075265944077e-3, 4.14856118683748331666e-1, -3.72207876035701323847e-1, 3.18346619901161753674e-1, -1.10894694282396677476e-1, 3.54783043256182359371e-2, -2.16637559486879084300e-3];
const QA = [1, 1.06420880400844228286e-1, 5.40397917702171048937e-1, 7.18286544141962662868e-2, 1.26171219808761642112e-1, 1.36370839120290507362e-2, 1.19844998467991074170e-2];
const RA = [-9.86494403484714822705e-3, -6.93858572707181764372e-1, -1.05586262253232909814e1, -6.23753324503260060396e1, -1.62396669462573470355e2, -1.84605092906711035994e2, -8.12874355063065934246e1, -9.81432934416914548592];
const SA = [1, 1.96512716674392571292e1, 1.37657754143519042600e2, 4.34565877475229228821e2, 6.45387271733267880336e2, 4.29008140027567833386e2, 1.08635005541779435134e2, 6.57024977031928170135, -6.04244152148580987438e-2];
const RB = [-9.86494292470009928597e-3, -7.99283237680523006574e-1, -1.77579549177547519889e1, -1.60636384855821916062e2, -6.37566443368389627722e2, -1.02509513161107724954e3, -4.83519191608651397019e2];
const SB = [1, 3.03380607434824582924e1, 3.25792512996573918826e2, 1.53672958608443695994e3, 3.19985821950859553908e3, 2.55305040643316442583e3, 4.74528541206955367215e2, -2.24409524465858183362e1];

function poly(c: readonly number[], z: number): number {
  let r = c[c.length - 1];
  for (let i = c.length - 2; i >= 0; i--) r = r * z + c[i];
  return r;
}

const wordBuffer = new Float64Array(1);
const words = new Uint32Array(wordBuffer.buffer);
const LOW_WORD = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1 ? 0 : 1;

/** x with the low 32 bits of its significand cleared, so that z*z is exact (fdlibm's trick). */
function truncateLowWord(x: number): number {
  wordBuffer[0] = x;
  words[LOW_WORD] = 0;
  return wordBuffer[0];
}

/** 10^0 … 10^22, each exact as a double (10^22 is the last power of ten that is). */
export const POWERS_OF_TEN = Float64Array.from({ length: 23 }, (_, i) => 10 ** i);

/** erfc(ax)·ax·exp(ax²) region formula for ax in [1.25, 28): exp(-ax² - 0.5625 + R/S). */
function erfcTail(ax: number): number {
  const s = 1 / (ax * ax);
  const ratio = ax < 1 / 0.35 ? poly(RA, s) / poly(SA, s) : poly(RB, s) / poly(SB, s);
  const z = truncateLowWord(ax);
  return (Math.exp(-z * z - 0.5625) * Math.exp((z - ax) * (z + ax) + ratio)) / ax;
}

export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 0.84375) {
    if (ax < 2 ** -28) return x + EFX * x;
    const z = x * x;
    return x + x * (poly(PP, z) / poly(QQ, z));
  }
  if (ax < 1.25) {
    const s = ax - 1;
    const r = poly(PA, s) / poly(QA, s);
    return x >= 0 ? ERX + r : -ERX - r;
  }
  if (ax >= 6) return x > 0 ? 1 : -1;
  const tail = erfcTail(ax);
  return x >= 0 ? 1 - tail : tail - 1;
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 0.84375) {
    if (ax < 2 ** -56) return 1 - x;
    const z = x * x;
    const y = poly(PP, z) / poly(QQ, z);
    if (x < 0.25) return 1 - (x + x * y);
    return 0.5 - (x * y + (x - 0.5));
  }
  if (ax < 1.25) {
    const s = ax - 1;
    const r = poly(PA, s) / poly(QA, s);
    return x >= 0 ? 1 - ERX - r : 1 + (ERX + r);
  }
  if (ax < 28) {
    if (x < -6) return 2;
    const tail = erfcTail(ax);
    return x > 0 ? tail : 2 - tail;
  }
  return x > 0 ? 0 : 2;
}

// ---------------------------------------------------------------------------------------------
// Logistic family
// ---------------------------------------------------------------------------------------------

/** σ(x) = 1/(1+e^(-x)), evaluated so that e^(...) never overflows. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1 + e^x) without overflow (large x) or loss of precision (very negative x). */
export function softplus(x: number): number {
  if (Number.isNaN(x)) return NaN;
  // max(x, 0) + log1p(e^(-|x|)): the exponent is never positive.
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/**
 * 1 − tanh²(u) = sech²(u), computed as 4e^(−2|u|)/(1 + e^(−2|u|))², which keeps its relative
 * precision where 1 − tanh² would round to 0 (|u| > 19).
 */
export function sech2(u: number): number {
  if (Number.isNaN(u)) return NaN;
  const e = Math.exp(-2 * Math.abs(u));
  return (4 * e) / ((1 + e) * (1 + e));
}

/** x·log(y) with PyTorch's xlogy convention: 0 when x = 0 (unless y is NaN). */
export function xlogy(x: number, y: number): number {
  if (Number.isNaN(y)) return NaN;
  if (x === 0) return 0;
  return x * Math.log(y);
}

/** sign(x) as torch.sgn: 0 at 0, NaN at NaN. */
export function sgn(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN;
}

export const SQRT1_2 = Math.SQRT1_2;
/** 1/sqrt(2π), the standard normal density at 0. */
export const INV_SQRT_2PI = 0.3989422804014327;
