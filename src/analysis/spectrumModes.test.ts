// The spectrum of the network being trained: the batch-statistics Jacobian on the GPU
// against the float64 CPU reference (He and Risotto, Type B and C, stride 2), the
// reference figures for He + BatchNorm in both modes, numerical rank with delta
// kernels and stride, the reach map, and the optional maps (from the stem's output,
// to the end of a stage).

import { describe, expect, it } from 'vitest';
import { runBackward, runForward } from '../engine/cpu/interpreter';
import { expectClose, gpuTestContext } from '../engine/webgpu/testing';
import { initScheme } from '../nn/init/registry';
import { inputJacobian, singularValues } from '../nn/init/testing';
import { noiseReferenceBatch, valuesForBnMode, valuesForBnModeCpu } from './bnStats';
import { makeProbe, probeModel } from './probe';
import { measureSpectrum, spectrumForScheme } from './spectrum';
import { smallConfig } from './testing';

const f32 = (m: ReadonlyMap<number, Float32Array | Float64Array>) =>
  new Map([...m].map(([id, v]) => [id, Float64Array.from(v, Math.fround)]));

describe('batch-statistics Jacobian: GPU vs float64 CPU', () => {
  for (const scheme of ['he', 'risotto'] as const) {
    for (const skip of ['B', 'C'] as const) {
      it(`${scheme}, Type ${skip}, BatchNorm, stride-2 stages`, async () => {
        const ctx = await gpuTestContext();
        const config = {
          ...initScheme(scheme).configFor(smallConfig({ batchNorm: true, skip, blocksPerStage: [1, 1, 1], width: 8 })),
          inputSize: 4,
        };
        const model = probeModel(config, 4, 32);
        const init = f32(initScheme(scheme).init(model, 6));
        const reference = noiseReferenceBatch(6, 3, 4).map(Math.fround);
        const gpuValues = await valuesForBnMode(ctx, 'batch', { config, size: 4, values: init, reference });
        const cpuValues = valuesForBnModeCpu('batch', { config, size: 4, values: init, reference });
        const z = makeProbe({ kind: 'noise', seed: 6 }, 3, 4).map(Math.fround);
        const cpu = inputJacobian(model, new Map([...cpuValues].map(([id, v]) => [id, Float64Array.from(v)])), model.features, z);
        const s = await measureSpectrum(ctx, { model, values: gpuValues, probe: z });
        expect([s.rows, s.cols]).toEqual([cpu.rows, cpu.cols]);
        expectClose(s.singularValues, singularValues(cpu), { atol: 1e-5, rtol: 1e-4 }, 'sigma');
        // The running-statistics Jacobian is another function at step 0.
        const running = await measureSpectrum(ctx, { model, values: init, probe: z });
        expect(Math.abs(running.singularValues[0] / s.singularValues[0] - 1)).toBeGreaterThan(0.01);
      });
    }
  }
});

describe('He + BatchNorm, one stride-1 stage, width 16, 8 x 8 noise, reference batch 32', () => {
  // Float64 figures of an independent implementation (sigma_max): batch statistics
  // 10.5 / 49 / 224 at 2 / 8 / 32 blocks, running statistics 8.5 / 168. Over reference
  // batches sigma_max moves ~12%, over weight seeds more: this seed must land within
  // a factor 4/3 (batch) or 2 (running) of them, and the modes must part at depth.
  // (32 blocks, ~224 with batch statistics, measured 225.7 at seed 1, is ~5 minutes
  // of software GPU: recorded in bench/RESULTS.md, not run here.)
  const figures = { batch: { 2: 10.5, 8: 49, 32: 224 }, running: { 2: 8.5, 8: 168 } } as const;
  const sigmaMax = async (depth: number, bnStats: 'batch' | 'running') => {
    const ctx = await gpuTestContext();
    const config = smallConfig({ width: 16, skip: 'B', batchNorm: true, blocksPerStage: [depth, 1, 1] });
    return spectrumForScheme({ ctx, config, scheme: 'he', seed: 1, probeSize: 8, target: { block: depth - 1 }, bnStats });
  };

  // 8 blocks only: the 2-block batch figure is checked against the float64 reference below,
  // the 2-block running figure (BN the identity at init: the no-BN value) by the depth sweep.
  it('8 blocks, both modes: within the band, and the modes part at depth', { timeout: 600_000 }, async () => {
    const got: Record<string, number> = {};
    for (const depth of [8] as const) {
      for (const mode of ['batch', 'running'] as const) {
        const s = await sigmaMax(depth, mode);
        got[`${mode}${depth}`] = s.singularValues[0];
        const want = figures[mode][depth];
        const band = mode === 'batch' ? 4 / 3 : 2;
        expect(s.singularValues[0], `${mode} statistics, ${depth} blocks`).toBeGreaterThan(want / band);
        expect(s.singularValues[0], `${mode} statistics, ${depth} blocks`).toBeLessThan(want * band);
        expect(s.rank).toBe(192);
      }
    }
    expect(got.running8 / got.batch8).toBeGreaterThan(2);
  });

  it("the lab's own 2-block figures equal its float64 CPU reference (1e-4 relative)", { timeout: 600_000 }, async () => {
    const ctx = await gpuTestContext();
    const config = smallConfig({ width: 16, skip: 'B', batchNorm: true, blocksPerStage: [2, 1, 1], inputSize: 8 });
    const model = probeModel(config, 8, 64);
    const init = initScheme('he').init(model, 1);
    const reference = noiseReferenceBatch(1, 3, 8);
    const z = makeProbe({ kind: 'noise', seed: 1 }, 3, 8);
    const gpu = await spectrumForScheme({ ctx, config, scheme: 'he', seed: 1, probeSize: 8, target: { block: 1 }, bnStats: 'batch' });
    const cpuValues = valuesForBnModeCpu('batch', { config, size: 8, values: init, reference });
    const cpu = singularValues(
      inputJacobian(model, new Map([...cpuValues].map(([id, v]) => [id, Float64Array.from(v)])), model.blocks[1].output, z),
    );
    expectClose(gpu.singularValues, cpu, { atol: 1e-4 * cpu[0], rtol: 1e-4 }, 'sigma');
  });
});

describe('rank, zeros and reach with delta kernels and stride', () => {
  it('Risotto on a ResNet-8 at P = 8: rank 12 = 3 channels x 2 x 2 pixels, every non-zero sigma 1, four pixels reach; He reaches all 64', async () => {
    const ctx = await gpuTestContext();
    const config = smallConfig({ width: 16, blocksPerStage: [1, 1, 1] });
    const ris = await spectrumForScheme({ ctx, config, scheme: 'risotto', seed: 2, probeSize: 8 });
    expect([ris.rows, ris.cols]).toEqual([64 * 4, 192]);
    expect(ris.rank).toBe(12);
    expect(ris.zeros).toBe(180);
    expect(ris.rankThreshold).toBeCloseTo(1e-6 * ris.singularValues[0], 12);
    expect(ris.deltaRank).toEqual({ rank: 12, channels: 3, side: 2 });
    expect(ris.maxAbsDeviation).toBeLessThan(1e-5);
    // Output pixel j of two stride-2 stages reads input pixel 4j.
    const reached = [...ris.reach.keys()].filter((p) => ris.reach[p] > 0);
    expect(reached).toEqual([0, 4, 32, 36]);
    for (const p of reached) expect(ris.reach[p]).toBeCloseTo(Math.sqrt(3), 4);
    const he = await spectrumForScheme({ ctx, config, scheme: 'he', seed: 2, probeSize: 8 });
    expect(he.deltaRank).toBeUndefined();
    expect(he.reach.every((v) => v > 0)).toBe(true);
    expect(he.zeros).toBe(192 - he.rank);
  });

  it('without BatchNorm both modes give the same spectrum', async () => {
    const ctx = await gpuTestContext();
    const config = smallConfig({ blocksPerStage: [2, 1, 1] });
    const [a, b] = await Promise.all(
      ['batch', 'running'].map((m) =>
        spectrumForScheme({ ctx, config, scheme: 'he', seed: 4, probeSize: 4, bnStats: m as 'batch' | 'running' }),
      ),
    );
    expect(a.singularValues).toEqual(b.singularValues);
  });

  it('maps from the stem output and to the end of a stage equal the float64 CPU Jacobian', async () => {
    const ctx = await gpuTestContext();
    const config = { ...smallConfig({ blocksPerStage: [2, 1, 1], batchNorm: true }), inputSize: 4 };
    const model = probeModel(config, 4, 16);
    const values = f32(initScheme('he').init(model, 3));
    const z = makeProbe({ kind: 'noise', seed: 3 }, 3, 4).map(Math.fround);
    const s = await measureSpectrum(ctx, { model, values, probe: z, from: 'stem', target: { stage: 2 } });
    const target = model.blocks[2].output;
    expect([s.rows, s.cols, s.reachSize, s.from]).toEqual([16 * 4, 8 * 16, 4, 'stem']);
    // CPU: forward at the probe, then d target / d stem output, row by row.
    const all = new Map(values);
    all.set(
      model.input,
      Float64Array.from({ length: 16 * 48 }, (_, i) => z[i % 48]),
    );
    all.set(model.labels, new Float64Array(16));
    const fwd = runForward(model.graph, all, 'eval');
    const rows: Float64Array[] = [];
    for (let r = 0; r < 64; r++) {
      const seed = new Float64Array(16 * 64);
      seed[r] = 1;
      rows.push(
        runBackward(model.graph, fwd, new Map([[target, seed]]), [model.stemOutput])
          .get(model.stemOutput)!
          .subarray(0, 128),
      );
    }
    const j = { rows: 64, cols: 128, data: Float64Array.from(rows.flatMap((r) => [...r])) };
    expectClose(s.singularValues, singularValues(j), { atol: 1e-5, rtol: 1e-4 }, 'sigma from the stem');
    await expect(measureSpectrum(ctx, { model, values, probe: z, from: 'stem', target: 'stem' })).rejects.toThrow(/target after it/);
  });
});
