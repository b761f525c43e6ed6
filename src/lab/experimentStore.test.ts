import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { defaultExperiment } from './experimentFields';
import { ExperimentStorageError, ExperimentStore } from './experimentStore';
import type { ComparisonSnapshot } from './runState';

const snapshot = (step: number, phase: ComparisonSnapshot['phase']): ComparisonSnapshot => ({
  phase,
  step,
  totalSteps: 10,
  stepsPerSecond: 1,
  imagesPerSecond: 1,
  etaSeconds: 1,
  compileMs: 1,
  gpuBytesInUse: 0,
  recoveredAt: [],
  spectra: [],
  signals: [],
  warnings: [],
  runs: [
    {
      key: 'he',
      scheme: { id: 'he' },
      label: 'He',
      status: 'running',
      step,
      paramCount: 1,
      train: [{ step, epoch: 0, loss: 1, acc: 0, lr: 0.1, gradNorm: 1 }],
      test: [],
    },
  ],
});

describe('ExperimentStore', () => {
  it('keeps config, snapshot and checkpoint across reopenings, newest first', async () => {
    const name = `t-${Math.random()}`;
    const store = new ExperimentStore(name);
    const a = await store.create(defaultExperiment(), 1000);
    const b = await store.create({ ...defaultExperiment(), seed: 9 }, 2000);
    const values = new Map([[3, Float32Array.of(1, 2, 3)]]);
    const checkpoint = {
      step: 4,
      position: { epoch: 0, indexInEpoch: 4 },
      runs: [{ state: snapshot(4, 'running').runs[0], session: { step: 4, values, optimizerState: [Float32Array.of(0.5)] } }],
      spectra: [],
      signals: [],
    };
    await store.save(a.id, { snapshot: snapshot(4, 'running'), checkpoint }, 3000);
    const again = new ExperimentStore(name);
    const list = await again.list();
    expect(list.map((s) => s.id)).toEqual([a.id, b.id]);
    expect(list[0]).toMatchObject({ phase: 'running', step: 4, checkpointStep: 4 });
    const got = await again.get(a.id);
    expect(got?.checkpoint?.runs[0].session?.values.get(3)).toEqual(Float32Array.of(1, 2, 3));
    expect(got?.snapshot?.runs[0].train).toHaveLength(1);
    await again.delete(a.id);
    expect((await again.list()).map((s) => s.id)).toEqual([b.id]);
    await expect(again.save(a.id, { snapshot: snapshot(5, 'running') })).rejects.toBeInstanceOf(ExperimentStorageError);
  });
  it('opens a database written by the first version, keeping its experiments, and adds imported runs', async () => {
    const name = `t-${Math.random()}`;
    const v1 = await openDB(name, 1, {
      upgrade(db) {
        db.createObjectStore('summaries', { keyPath: 'id' });
        db.createObjectStore('results', { keyPath: 'id' });
      },
    });
    await v1.put('summaries', {
      id: 'old',
      config: defaultExperiment(),
      createdAt: 1,
      updatedAt: 1,
      phase: 'finished',
      step: 10,
      totalSteps: 10,
    });
    v1.close();
    const store = new ExperimentStore(name);
    expect((await store.list()).map((s) => s.id)).toEqual(['old']);
    const run = { ...snapshot(3, 'finished').runs[0], key: 'pytorch:he', external: { tool: 'PyTorch', file: 'm.csv', importedAt: '' } };
    await store.setExternal(defaultExperiment(), [run]);
    expect(await store.getExternal(defaultExperiment())).toEqual([run]);
    expect(await store.getExternal({ ...defaultExperiment(), steps: 5 })).toEqual([]);
  });

  it('keeps a checkpoint with arrays past the per-value limit in parts, replaced on the next save and deleted with the experiment', async () => {
    const name = `t-${Math.random()}`;
    const store = new ExperimentStore(name);
    const a = await store.create(defaultExperiment(), 1000);
    // 9 MiB of weights and 9 MiB of optimizer state: stored as 32 MiB-capped parts outside the results value.
    const big = Float32Array.from({ length: (9 << 20) / 4 }, (_, i) => i % 977);
    const cp = (step: number) => ({
      step,
      position: { epoch: 0, indexInEpoch: step },
      runs: [
        {
          state: snapshot(step, 'running').runs[0],
          session: {
            step,
            values: new Map([
              [1, big],
              [2, Float32Array.of(step)],
            ]),
            optimizerState: [big.map((x) => -x)],
          },
        },
      ],
      spectra: [],
      signals: [],
    });
    await store.save(a.id, { checkpoint: cp(4) });
    await store.save(a.id, { checkpoint: cp(6) });
    const db = await openDB(name);
    expect(await db.count('parts')).toBe(2);
    const raw = await db.get('results', a.id);
    expect(raw.checkpoint.runs[0].session.values.get(1)).not.toBeInstanceOf(Float32Array); // a reference, not the bytes
    db.close();
    const got = await new ExperimentStore(name).get(a.id);
    expect(got?.checkpoint?.step).toBe(6);
    expect(got?.checkpoint?.runs[0].session?.values.get(1)).toEqual(big);
    expect(got?.checkpoint?.runs[0].session?.values.get(2)).toEqual(Float32Array.of(6));
    expect(got?.checkpoint?.runs[0].session?.optimizerState[0]).toEqual(big.map((x) => -x));
    await store.delete(a.id);
    const after = await openDB(name);
    expect(await after.count('parts')).toBe(0);
    after.close();
  });
});
