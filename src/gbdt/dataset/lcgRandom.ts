/**
 * LightGBM's `Random` (include/LightGBM/utils/random.h): a 32-bit LCG whose exact sequence decides
 * which rows form the binning sample and how seeds are derived, so it must match bit for bit.
 */
export class LcgRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  private step(): number {
    this.state = (Math.imul(214013, this.state) + 2531011) >>> 0;
    return this.state;
  }

  /** 15-bit draw, `(x >> 16) & 0x7FFF`. */
  nextInt16(): number {
    return (this.step() >>> 16) & 0x7fff;
  }

  /** 31-bit draw, `x & 0x7FFFFFFF`. */
  nextInt32(): number {
    return this.step() & 0x7fffffff;
  }

  nextShort(lower: number, upper: number): number {
    return (this.nextInt16() % (upper - lower)) + lower;
  }

  nextInt(lower: number, upper: number): number {
    return (this.nextInt32() % (upper - lower)) + lower;
  }

  /** A float in [0, 1), as LightGBM computes it in single precision. */
  nextFloat(): number {
    return Math.fround(this.nextInt16() / 32768);
  }

  /** `Sample(N, K)`: K sorted distinct indices out of N, with LightGBM's two strategies. */
  sample(n: number, k: number): Int32Array {
    if (k > n || k <= 0) return new Int32Array(0);
    if (k === n) return Int32Array.from({ length: n }, (_, i) => i);
    if (k > 1 && k > n / Math.log2(k)) {
      const out = new Int32Array(k);
      let picked = 0;
      for (let i = 0; i < n; i++) {
        const prob = (k - picked) / (n - i);
        if (this.nextFloat() < prob) out[picked++] = i;
      }
      return out.subarray(0, picked);
    }
    const chosen = new Set<number>();
    for (let r = n - k; r < n; r++) {
      const v = this.nextInt(0, r + 1);
      if (chosen.has(v)) chosen.add(r);
      else chosen.add(v);
    }
    return Int32Array.from([...chosen].sort((a, b) => a - b));
  }
}
