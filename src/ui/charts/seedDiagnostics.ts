// Signal propagation and branch balance of a run over several seeds, as one record: per
// layer the mean of the seeds' means, the band from the lowest seed's minimum to the
// highest seed's maximum. Pure, so it is unit-tested.
import type { Band, SignalRecord } from '../../lab';
import { runKeyOf } from '../../lab';

function pool(bands: readonly (Band | undefined)[]): Band | undefined {
  const ok = bands.filter((b): b is Band => b !== undefined && Number.isFinite(b.mean));
  if (ok.length === 0) return bands[0];
  return {
    mean: ok.reduce((a, b) => a + b.mean, 0) / ok.length,
    min: Math.min(...ok.map((b) => b.min)),
    max: Math.max(...ok.map((b) => b.max)),
  };
}

/** One record per run and BatchNorm mode (keyed by the run), pooling its seeds' records. */
export function signalsOverSeeds(records: readonly SignalRecord[]): SignalRecord[] {
  const groups = new Map<string, SignalRecord[]>();
  for (const r of records) {
    const key = `${runKeyOf(r.runKey)}\u0000${r.bnStats}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((seeds) => {
    const [first] = seeds;
    if (seeds.length === 1) return { ...first, runKey: runKeyOf(first.runKey) };
    return {
      ...first,
      runKey: runKeyOf(first.runKey),
      pairs: seeds.reduce((a, s) => a + s.pairs, 0),
      inputCosine: pool(seeds.map((s) => s.inputCosine))!,
      layers: first.layers.map((l, j) => ({
        ...l,
        q: pool(seeds.map((s) => s.layers[j]?.q))!,
        cosine: pool(seeds.map((s) => s.layers[j]?.cosine))!,
        ...(l.signalCosine && { signalCosine: pool(seeds.map((s) => s.layers[j]?.signalCosine)) }),
      })),
      balance: first.balance.map((b, j) => ({ ...b, ratio: pool(seeds.map((s) => s.balance[j]?.ratio))! })),
    };
  });
}
