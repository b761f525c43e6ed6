// Mixup (Zhang et al. 2018, as the Fixup authors train with it): each batch is mixed
// with a permutation of itself, x' = lambda * x + (1 - lambda) * x[perm], lambda ~
// Beta(alpha, alpha), and the loss is lambda * CE(y) + (1 - lambda) * CE(y[perm]).
// Draws come from the mixup stream forked by the batch's position (epoch, index), so
// they are the same for a seed whatever came before and a resumed run repeats them.

import { betaDraw, RandomStream, Streams } from '../util';

/** One batch's mixing draws. */
export interface MixDraw {
  lambda: number;
  /** Row i is mixed with row perm[i]. */
  perm: Uint32Array;
}

/** What the loss needs of a mixed batch: weight * CE(labels) + (1 - weight) * CE(second).
 * The batch's `labels` are the dominant image's (weight >= 1/2), so the training accuracy
 * counts a prediction correct when it names the label with the larger share. */
export interface BatchMix extends MixDraw {
  second: Uint32Array;
  weight: number;
}

export function checkMixupAlpha(alpha: unknown, who: string): void {
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha < 0) {
    throw new Error(`${who}: mixup alpha must be a finite number >= 0 (0 turns mixup off), got ${String(alpha)}`);
  }
}

export class MixupStream {
  private readonly root: RandomStream;

  constructor(
    readonly alpha: number,
    seed: number,
  ) {
    checkMixupAlpha(alpha, 'MixupStream');
    if (!(alpha > 0)) throw new Error('MixupStream: alpha 0 means no mixup; build no stream for it');
    this.root = new RandomStream(seed, Streams.mixup);
  }

  /** The draws of the batch at (epoch, indexInEpoch) with n rows: lambda first, then the permutation. */
  draw(epoch: number, indexInEpoch: number, n: number): MixDraw {
    const rng = this.root.fork(epoch).fork(indexInEpoch);
    const lambda = betaDraw(rng, this.alpha, this.alpha);
    return { lambda, perm: rng.permutation(n) };
  }
}

/** Mixes n rows of `per` values of x in place (`scratch`, of the same type, holds a copy
 * of at least n * per values) and writes the second labels into `second`. Returns the
 * loss weights. */
export function applyMix<F extends Float32Array | Float64Array>(
  d: MixDraw,
  x: F,
  labels: Uint32Array,
  second: Uint32Array,
  scratch: F,
  per: number,
): BatchMix {
  const n = d.perm.length;
  if (labels.length !== n || second.length !== n || x.length !== n * per || scratch.length < n * per) {
    throw new Error(`applyMix: a permutation of ${n} rows needs ${n} labels and ${n} x ${per} values`);
  }
  const src = scratch.subarray(0, n * per);
  src.set(x);
  const { lambda, perm } = d;
  for (let i = 0; i < n; i++) {
    const a = i * per;
    const b = perm[i] * per;
    for (let j = 0; j < per; j++) x[a + j] = lambda * src[a + j] + (1 - lambda) * src[b + j];
  }
  // weight * CE(labels) + (1 - weight) * CE(second) with the dominant label first; the
  // loss is the same as lambda * CE(y) + (1 - lambda) * CE(y[perm]).
  const own = lambda >= 0.5;
  const permuted = Uint32Array.from(perm, (p) => labels[p]);
  if (own) second.set(permuted);
  else {
    second.set(labels);
    labels.set(permuted);
  }
  return { lambda, perm, second, weight: own ? lambda : 1 - lambda };
}
