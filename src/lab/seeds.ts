// Seeds of an experiment: each run is repeated over K seeds. Seed k of an experiment with
// seed s is s + k (mod 2^32), as in the depth sweep, so seed 0 is the experiment's own
// seed (K = 1 trains exactly what a one-seed experiment trains) and seed k of an
// experiment is what a one-seed experiment with seed s + k trains. Every stream (init,
// data order, augmentation, diagnostic inputs) is derived from that seed as before.

/** The most seeds one experiment repeats its runs over. */
export const MAX_SEEDS = 10;

/** The seed that repetition `k` (0-based) of an experiment with seed `seed` uses. */
export function seedOf(seed: number, k: number): number {
  return (seed + k) % 2 ** 32;
}

const SEED_SUFFIX = /@seed(\d+)$/;

/** The key of run `runKey` trained with seed `k` (0-based): the run key itself for the
 * first seed (so a one-seed experiment keeps its keys), `he[bn=1]@seed2` for the second. */
export function instanceKey(runKey: string, k: number): string {
  return k === 0 ? runKey : `${runKey}@seed${k + 1}`;
}

/** The run an instance key belongs to: `he[bn=1]@seed2` -> `he[bn=1]`. */
export function runKeyOf(key: string): string {
  return key.replace(SEED_SUFFIX, '');
}
