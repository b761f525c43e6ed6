// Kernel tuning as the lab runs it: with tuning on, a comparison shows a "tuning kernels
// n/m shapes" phase, its snapshot says how many shapes were timed, and the choices land
// in the browser's store (IndexedDB, fake here); a new device on the same store (a page
// reload) times nothing. Off (the tests' and the software adapter's default), the fixed
// kernels run. The lab's switch (LabService.setTuning) holds for devices acquired later.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { makeSyntheticShapes } from '../data/synthetic';
import { idbTuneStore, type GpuContext } from '../engine/webgpu/device';
import { acquireNodeDevice } from '../engine/webgpu/nodeDevice';
import { Comparison } from './comparison';
import type { ExperimentConfig } from './experimentConfig';
import { tinyExperiment } from './configTesting';
import { LabService } from './labService';

const data = makeSyntheticShapes({ seed: 3, trainCount: 16, testCount: 8, size: 12 });

const tiny = (): ExperimentConfig => tinyExperiment({ model: { width: 4 }, batchSize: 4, steps: 1, evalEvery: 1 });

async function train(ctx: GpuContext) {
  const activities: string[] = [];
  const end = await new Comparison(ctx, tiny(), data, { onUpdate: (s) => s.activity && activities.push(s.activity) }).run();
  return { end, tuningShown: activities.filter((a) => a.startsWith('tuning')) };
}

describe('kernel tuning in the lab', () => {
  it(
    'tunes with progress in shapes, stores the choices; a new session on the same store times none; off runs the fixed kernels',
    { timeout: 300_000 },
    async () => {
      const name = `tune-${Math.random()}`;
      const first = await acquireNodeDevice({ enabled: false, store: idbTuneStore(name) });
      first.tuner.enabled = true; // as the page's setting turns it on after the device came
      const a = await train(first);
      expect(a.end.phase).toBe('finished');
      const shapes = a.end.kernels!.shapes;
      expect(shapes).toBeGreaterThan(0);
      expect(a.end.kernels).toEqual({ tuning: true, shapes, timed: shapes });
      expect(a.tuningShown.at(-1)).toBe(`tuning kernels ${shapes}/${shapes} shapes (He (Kaiming) normal)`);
      const stored = await idbTuneStore(name).load(Object.keys(await storedAdapters(name))[0]);
      expect(Object.keys(stored)).toHaveLength(shapes);

      first.destroy();

      const again = await acquireNodeDevice({ enabled: true, store: idbTuneStore(name) });
      const b = await train(again);
      expect(b.end.kernels).toEqual({ tuning: true, shapes, timed: 0 });
      expect(b.tuningShown).toEqual([]);
      // The same step either way (the choices change speed, not what is computed, beyond rounding).
      expect(b.end.runs[0].train[0].loss).toBeCloseTo(a.end.runs[0].train[0].loss, 4);

      // Off: fixed kernels, no tuning phase.
      again.tuner.enabled = false;
      const c = await train(again);
      expect(c.end.kernels).toEqual({ tuning: false, shapes: 0, timed: 0 });
      expect(c.tuningShown).toEqual([]);
      again.destroy();
    },
  );

  it("the lab's switch applies to the device it has and to one acquired after a loss", async () => {
    const devices: { tuner: { enabled: boolean } }[] = [];
    const acquire = async () => {
      const d = { tuner: { enabled: false }, events: { on: () => () => undefined } };
      devices.push(d);
      return d as unknown as GpuContext;
    };
    const lab = new LabService(acquire, undefined, () => Promise.reject(new Error('no assets')));
    await lab.setTuning(true);
    expect(devices.map((d) => d.tuner.enabled)).toEqual([true]);
    await lab.setTuning(false);
    expect(devices[0].tuner.enabled).toBe(false);
  });
});

/** The adapters the store holds choices for (as the page's IndexedDB would show). */
async function storedAdapters(name: string): Promise<Record<string, number>> {
  const { openDB } = await import('idb');
  const db = await openDB(name);
  const out: Record<string, number> = {};
  for (const r of (await db.getAll('choices')) as { adapter: string }[]) out[r.adapter] = (out[r.adapter] ?? 0) + 1;
  db.close();
  return out;
}
