/**
 * MT19937 and numpy's legacy `RandomState(seed).shuffle`, so that our folds are exactly
 * scikit-learn's `KFold(shuffle=True, random_state=seed)`.
 */

const N = 624;
const M = 397;

export class MT19937 {
  private readonly mt = new Uint32Array(N);
  private index = N + 1;

  /** numpy's `RandomState(seed)` for an integer seed in [0, 2^32): init_genrand. */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
      throw new RangeError(`seed must be an integer in [0, 2^32), got ${seed}`);
    this.mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = this.mt[i - 1] ^ (this.mt[i - 1] >>> 30);
      // 1812433253 * prev + i, in 32-bit arithmetic.
      this.mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.index = N;
  }

  private twist(): void {
    const mt = this.mt;
    for (let k = 0; k < N; k++) {
      const y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff);
      let v = mt[(k + M) % N] ^ (y >>> 1);
      if (y & 1) v ^= 0x9908b0df;
      mt[k] = v >>> 0;
    }
    this.index = 0;
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** numpy legacy `random_interval(max)`: uniform integer in [0, max] by masked rejection. */
  randomInterval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    let value: number;
    do value = (this.nextUint32() & mask) >>> 0;
    while (value > max);
    return value;
  }
}

/** numpy's legacy `RandomState(seed).shuffle(arange(n))`: a permutation of 0..n-1. */
export function numpyLegacyPermutation(n: number, seed: number): number[] {
  const rng = new MT19937(seed);
  const x = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i >= 1; i--) {
    const j = rng.randomInterval(i);
    [x[i], x[j]] = [x[j], x[i]];
  }
  return x;
}
