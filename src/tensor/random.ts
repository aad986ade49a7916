import { fail, formatValue } from '../errors.js';

/**
 * losslab's seeded random generator: a bit-exact port of NumPy's legacy `numpy.random.RandomState`
 * (the Mersenne Twister MT19937 of Matsumoto & Nishimura, 1998, seeded with `init_genrand`).
 *
 * Why this algorithm: scikit-learn draws every shuffle from `RandomState(random_state)`, so the same
 * integer seed gives the same permutation, the same folds and the same normal draws in losslab as
 * in NumPy / scikit-learn. Streams implemented to NumPy's exact bit consumption:
 *
 * - `randomSample()`  = `random_sample()`: 53-bit double from two 32-bit words, (a>>5, b>>6).
 * - `standardNormal()` = legacy `standard_normal`: Marsaglia's polar method, caching the second value.
 * - `randomInterval(max)` = NumPy's `random_interval`: masked rejection sampling in [0, max].
 * - `permutation(n)`, `shuffle(array)`: Fisher–Yates from the end, `j = random_interval(i)`.
 * - `randint(low, high)`: legacy int64 `randint` via masked rejection (range ≤ 2^32).
 * - `choice(n, size, { replace })`, `permuted(array)`: legacy `choice` (no `p`) and `permutation(array)`.
 */
export class RandomState {
  private readonly mt = new Uint32Array(624);
  private index = 624;
  private hasGauss = false;
  private gauss = 0;

  constructor(seed = 0) {
    this.seed(seed);
  }

  /** Re-seeds exactly as `RandomState(seed)` does for an integer seed in [0, 2^32 - 1]. */
  seed(seed: number): void {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      fail({ fn: 'RandomState', argument: 'seed', value: formatValue(seed), rule: 'it must be an integer between 0 and 2**32 - 1 (as in NumPy)' });
    }
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      // 1812433253 * prev + i, modulo 2^32, without losing precision in doubles.
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.index = 624;
    this.hasGauss = false;
    this.gauss = 0;
  }

  /** A snapshot of the generator (key, position and cached normal), for checkpoints. */
  getState(): RandomStateSnapshot {
    return { key: Array.from(this.mt), pos: this.index, hasGauss: this.hasGauss, gauss: this.gauss };
  }

  /** Restores a snapshot taken by `getState()` (like NumPy's `set_state`). */
  setState(state: RandomStateSnapshot): void {
    if (state.key.length !== 624 || !Number.isInteger(state.pos) || state.pos < 0 || state.pos > 624) {
      fail({ fn: 'RandomState.setState', argument: 'state', rule: 'it must hold a 624-word key and a position in [0, 624]' });
    }
    this.mt.set(state.key);
    this.index = state.pos;
    this.hasGauss = state.hasGauss;
    this.gauss = state.gauss;
  }

  /** Next raw 32-bit output of MT19937. */
  nextUint32(): number {
    if (this.index >= 624) this.twist();
    let y = this.mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < 624; i++) {
      const y = (mt[i] & 0x80000000) | (mt[(i + 1) % 624] & 0x7fffffff);
      let v = mt[(i + 397) % 624] ^ (y >>> 1);
      if (y & 1) v ^= 0x9908b0df;
      mt[i] = v >>> 0;
    }
    this.index = 0;
  }

  /** Uniform double in [0, 1) with 53 random bits, as `random_sample()`. */
  randomSample(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Uniform in [low, high), as `uniform(low, high)`. */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.randomSample();
  }

  /** Standard normal draw, as the legacy `standard_normal()` (polar method with a cached pair). */
  standardNormal(): number {
    if (this.hasGauss) {
      this.hasGauss = false;
      return this.gauss;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.randomSample() - 1;
      x2 = 2 * this.randomSample() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.gauss = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  /** `normal(loc, scale)`. */
  normal(loc = 0, scale = 1): number {
    return loc + scale * this.standardNormal();
  }

  /** Uniform integer in [0, max] by masked rejection, as NumPy's `random_interval`. */
  randomInterval(max: number): number {
    if (max === 0) return 0;
    if (max > 0xffffffff) {
      fail({ fn: 'RandomState.randomInterval', argument: 'max', value: formatValue(max), rule: 'it must be at most 2^32 - 1' });
    }
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let value = (this.nextUint32() & mask) >>> 0;
    while (value > max) value = (this.nextUint32() & mask) >>> 0;
    return value;
  }

  /** Integer in [low, high), as legacy `randint(low, high)` (int64, masked rejection). */
  randint(low: number, high?: number): number {
    const lo = high === undefined ? 0 : low;
    const hi = high === undefined ? low : high;
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi <= lo) {
      fail({ fn: 'RandomState.randint', argument: 'high', value: formatValue(hi), rule: `it must be an integer greater than low (${lo})` });
    }
    const range = hi - 1 - lo;
    if (range > 0xffffffff) {
      fail({ fn: 'RandomState.randint', argument: 'high', value: formatValue(hi), rule: 'high - low must be at most 2^32' });
    }
    if (range === 0) return lo;
    if (range === 0xffffffff) return lo + this.nextUint32();
    return lo + this.randomInterval(range);
  }

  /** Shuffles an array in place, as `RandomState.shuffle` on a 1-d array. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.randomInterval(i);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  /** A random permutation of 0..n-1, as `permutation(n)`. */
  permutation(n: number): Int32Array {
    if (!Number.isInteger(n) || n < 0) {
      fail({ fn: 'RandomState.permutation', argument: 'n', value: formatValue(n), rule: 'it must be a non-negative integer' });
    }
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffle(out);
  }

  /**
   * A shuffled copy of `values`, as `RandomState.permutation(array)` on a 1-d array (the same draws
   * as `shuffle`, leaving the input untouched).
   */
  permuted(values: ArrayLike<number>): Int32Array | Float64Array {
    const out = typedCopy(values);
    return this.shuffle(out);
  }

  /**
   * Indices drawn from `range(populationSize)`, as legacy `RandomState.choice(a, size, replace)`
   * without probabilities: with `replace: false` NumPy takes `permutation(populationSize)[:size]`
   * (so a full permutation is drawn even for a small `size`); with `replace: true` it draws
   * `randint(0, populationSize, size)`. Index into your own array to choose among its elements.
   * scikit-learn's `_approximate_mode` uses `choice(inds, size, replace=False)` to break ties.
   */
  choice(populationSize: number, size: number, options: { replace?: boolean } = {}): Int32Array {
    const replace = options.replace ?? true;
    if (!Number.isInteger(populationSize) || populationSize < 0) {
      fail({ fn: 'RandomState.choice', argument: 'a', value: formatValue(populationSize), rule: 'it must be a non-negative integer population size' });
    }
    if (!Number.isInteger(size) || size < 0) {
      fail({ fn: 'RandomState.choice', argument: 'size', value: formatValue(size), rule: 'it must be a non-negative integer' });
    }
    if (populationSize === 0 && size !== 0) {
      fail({ fn: 'RandomState.choice', argument: 'a', value: '0', rule: "it cannot be empty unless no samples are taken (NumPy: 'a' cannot be empty)" });
    }
    if (replace) {
      const out = new Int32Array(size);
      for (let i = 0; i < size; i++) out[i] = this.randint(0, populationSize);
      return out;
    }
    if (size > populationSize) {
      fail({
        fn: 'RandomState.choice',
        argument: 'size',
        value: formatValue(size),
        rule: `a sample without replacement cannot be larger than the population (${populationSize})`,
        fix: 'Pass replace: true or a smaller size.',
      });
    }
    return this.permutation(populationSize).slice(0, size);
  }

  /** Fills an array with N(loc, scale²) draws. */
  fillNormal(out: Float32Array | Float64Array, loc = 0, scale = 1): void {
    for (let i = 0; i < out.length; i++) out[i] = loc + scale * this.standardNormal();
  }
}

/** A typed copy: Int32Array when every value is a 32-bit integer, otherwise Float64Array. */
function typedCopy(values: ArrayLike<number>): Int32Array | Float64Array {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) return Float64Array.from(values);
  }
  return Int32Array.from(values);
}

/** Serializable generator state (JSON-safe), as NumPy's `get_state()` tuple. */
export interface RandomStateSnapshot {
  readonly key: readonly number[];
  readonly pos: number;
  readonly hasGauss: boolean;
  readonly gauss: number;
}

/**
 * Turns `randomState` (an integer seed, an existing generator, or undefined for a fresh seed from
 * `Math.random`) into a generator, like scikit-learn's `check_random_state`.
 */
export function checkRandomState(randomState?: number | RandomState | null): RandomState {
  if (randomState instanceof RandomState) return randomState;
  if (randomState === undefined || randomState === null) return new RandomState(Math.floor(Math.random() * 0x100000000));
  return new RandomState(randomState);
}
