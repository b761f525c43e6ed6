// Counter-based PRNG: value i of stream (seed, stream) is a pure hash of the three,
// so any element can be drawn independently and results are bit-identical in every
// JS engine (only 32-bit integer ops and exact float conversions are used).
// Not cryptographic.

/** Named independent streams so that, e.g., changing augmentation never shifts init. */
export const Streams = { init: 1, dataOrder: 2, augment: 3, probe: 4, test: 5, dataset: 6, mixup: 7 } as const;

function mix32(x: number): number {
  // lowbias32 (Chris Wellons): good avalanche for a 32-bit hash.
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** 32 random bits for (seed, stream, counter). */
export function hash3(seed: number, stream: number, counter: number): number {
  let h = mix32((seed >>> 0) ^ 0x9e3779b9);
  h = mix32(h ^ Math.imul(stream >>> 0, 0x85ebca6b) ^ 0x68e31da4);
  h = mix32(h ^ (counter >>> 0));
  return mix32(h ^ Math.imul((counter / 0x100000000) >>> 0, 0xc2b2ae35));
}

export class RandomStream {
  private counter = 0;

  constructor(
    readonly seed: number,
    readonly stream: number,
  ) {}

  /** A child stream, independent of this one and of its other children. */
  fork(id: number): RandomStream {
    return new RandomStream(hash3(this.seed, this.stream, 0xfff00000 + id), hash3(this.stream, id, 0x5bd1e995));
  }

  nextU32(): number {
    return hash3(this.seed, this.stream, this.counter++);
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextU32() >>> 5;
    const lo = this.nextU32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal by Box-Muller (one value per call; deterministic). */
  normal(): number {
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  normalArray(n: number, scale = 1): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.normal() * scale;
    return out;
  }

  uniformArray(n: number, lo = 0, hi = 1): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * this.uniform();
    return out;
  }

  /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
  permutation(n: number): Uint32Array {
    const p = new Uint32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
