// The spectrum diagnostic: its summary numbers on matrices with known singular values,
// probes (noise, image crops), targets, the GPU Jacobian of a BatchNorm net in eval mode
// against the float64 CPU one, and He without BatchNorm (docs/science.md section 4): not
// isometric, sigma_max growing with depth.

import { describe, expect, it } from 'vitest';
import { GpuJacobian } from '../engine/webgpu/jacobian';
import { expectClose, gpuTestContext } from '../engine/webgpu/testing';
import { initHe } from '../nn/init/he';
import { inputJacobian, singularValues } from '../nn/init/testing';
import { RandomStream, Streams } from '../util/prng';
import { haarOrthogonal, matMul } from '../util/linalg';
import { makeProbe, probeModel, targetTensor } from './probe';
import { measureSpectrum, singularValuesOf, spectrumForScheme, spectrumHistogram, spectrumStats } from './spectrum';
import { smallConfig } from './testing';

const rng = (seed: number) => new RandomStream(seed, Streams.test);

/** U diag(s) V^T for Haar U (rows x k), V (cols x k): singular values exactly s. */
function withSingularValues(s: number[], rows: number, cols: number, seed: number): Float64Array {
  const k = s.length;
  const u = haarOrthogonal(rng(seed), rows, k);
  const v = haarOrthogonal(rng(seed + 1), cols, k);
  const us = u.map((x, i) => x * s[i % k]);
  const vt = Float64Array.from({ length: k * cols }, (_, i) => v[(i % cols) * k + Math.floor(i / cols)]);
  return matMul(us, vt, rows, k, cols);
}

describe('spectrum statistics (float64, no GPU)', () => {
  for (const [rows, cols] of [
    [7, 4],
    [4, 7],
  ]) {
    it(`recovers known singular values of a ${rows} x ${cols} matrix, with one exact zero`, () => {
      const s = [3, 1.5, 0.25, 0];
      const stats = spectrumStats(singularValuesOf(withSingularValues(s, rows, cols, 3), rows, cols), rows, cols, { bins: 4 });
      // sqrt of a Gram eigenvalue: a zero comes out as ~sqrt(eps64) * sigma_max.
      expectClose(stats.singularValues, s, { atol: 1e-7, rtol: 0 }, 'sigma');
      expect(stats.rank).toBe(3);
      expect(stats.maxAbsDeviation).toBeCloseTo(2, 12);
      expect(stats.condition).toBeCloseTo(12, 10);
      expect(stats.meanSquared).toBeCloseTo((9 + 2.25 + 0.0625) / 4, 12);
      expect([stats.rows, stats.cols]).toEqual([rows, cols]);
      // Log-spaced edges from 0.25 to 3; one value per end bin, 1.5 in the third.
      expect(stats.histogram.edges[0]).toBeCloseTo(0.25, 12);
      expect(stats.histogram.edges[4]).toBeCloseTo(3, 12);
      expect(stats.histogram.edges[2]).toBeCloseTo(Math.sqrt(0.75), 12);
      expect([...stats.histogram.counts]).toEqual([1, 0, 1, 1]);
    });
  }

  it('centres a decade-wide histogram on an exact isometry and clamps values outside a given range', () => {
    const iso = spectrumHistogram([1, 1, 1], { bins: 5 });
    expect(iso.edges[0]).toBeCloseTo(10 ** -0.5, 12);
    expect([...iso.counts]).toEqual([0, 0, 3, 0, 0]);
    expect([...spectrumHistogram([1e-9, 2, 1e9], { bins: 2, range: [0.1, 10] }).counts]).toEqual([1, 2]);
  });

  it('reports NaN deviation and condition for a zero matrix, rank 0', () => {
    const stats = spectrumStats(singularValuesOf(new Float64Array(6), 2, 3), 2, 3);
    expect(stats.rank).toBe(0);
    expect(stats.maxAbsDeviation).toBeNaN();
    expect(stats.condition).toBeNaN();
    expect(stats.meanSquared).toBe(0);
  });
});

describe('probes and targets', () => {
  it('crops an image (centred by default), and draws noise from the probe stream', () => {
    const pixels = Float64Array.from({ length: 2 * 4 * 5 }, (_, i) => i);
    const image = { kind: 'image' as const, pixels, channels: 2, height: 4, width: 5 };
    expect([...makeProbe(image, 2, 2)]).toEqual([6, 7, 11, 12, 26, 27, 31, 32]);
    expect([...makeProbe({ ...image, top: 2, left: 3 }, 2, 2)]).toEqual([13, 14, 18, 19, 33, 34, 38, 39]);
    expect(() => makeProbe({ ...image, top: 3 }, 2, 2)).toThrow(/outside/);
    expect(() => makeProbe(image, 3, 2)).toThrow(/channels/);
    expect(() => makeProbe(image, 2, 5)).toThrow(/does not fit/);
    const noise = makeProbe({ kind: 'noise', seed: 4 }, 3, 8);
    expect(noise).toEqual(new RandomStream(4, Streams.probe).normalArray(192));
  });

  it('keeps tensor ids of params across input sizes and batches, and resolves targets', () => {
    const a = probeModel(smallConfig({ inputSize: 16 }), 8, 1);
    const b = probeModel(smallConfig({ inputSize: 16 }), 5, 4);
    expect(b.params.map((p) => [p.id, p.name, p.shape])).toEqual(a.params.map((p) => [p.id, p.name, p.shape]));
    expect(targetTensor(a)).toBe(a.features);
    expect(targetTensor(a, 'stem')).toBe(a.stemOutput);
    expect(targetTensor(a, { block: 1 })).toBe(a.blocks[1].output);
    expect(() => targetTensor(a, { block: 4 })).toThrow(/blocks 0..3/);
  });
});

describe('GPU spectrum vs float64 CPU', () => {
  it('a BatchNorm net in eval mode: the same Jacobian and singular values', async () => {
    const ctx = await gpuTestContext();
    const before = ctx.pool.getStats().inUseBytes;
    // Batch 48: the 128 rows of block 0 take three runs, the last one partial.
    const model = probeModel(smallConfig({ batchNorm: true, skip: 'C', blocksPerStage: [1, 1, 1] }), 4, 48);
    // Running stats and affine params away from their init so eval-mode BN matters.
    const r = rng(9);
    const values = new Map([...initHe(model, 5)].map(([id, v]) => [id, v.map(Math.fround)]));
    for (const s of model.state)
      values.set(
        s.id,
        (s.kind === 'runningVar' ? r.uniformArray(values.get(s.id)!.length, 0.3, 2) : r.normalArray(values.get(s.id)!.length, 0.3)).map(
          Math.fround,
        ),
      );
    for (const p of model.params)
      if (p.kind === 'bnGamma' || p.kind === 'bnBeta') values.set(p.id, r.normalArray(values.get(p.id)!.length).map(Math.fround));
    const z = r.normalArray(48).map(Math.fround);
    for (const target of [model.blocks[0].output, model.features]) {
      const cpu = inputJacobian(model, values, target, z);
      const jac = new GpuJacobian(ctx, { graph: model.graph, input: model.input, target, values });
      expectClose(await jac.rows(z), cpu.data, { atol: 5e-5, rtol: 5e-4 }, 'Jacobian');
      jac.destroy();
      const stats = await measureSpectrum(ctx, { model, values, target: target === model.features ? 'features' : { block: 0 }, probe: z });
      expect([stats.rows, stats.cols]).toEqual([cpu.rows, cpu.cols]);
      expectClose(stats.singularValues, singularValues(cpu), { atol: 5e-5, rtol: 5e-4 }, 'sigma');
    }
    expect(ctx.pool.getStats().inUseBytes).toBe(before);
  });
});

describe('He without BatchNorm on the GPU', () => {
  it('is not isometric, and sigma_max grows with depth (2 < 8 < 32 blocks)', async () => {
    const ctx = await gpuTestContext();
    const maxima: number[] = [];
    for (const depth of [2, 8, 32]) {
      const s = await spectrumForScheme({
        ctx,
        config: smallConfig({ blocksPerStage: [depth, 1, 1] }),
        scheme: 'he',
        seed: 3,
        probeSize: 3,
        target: { block: depth - 1 },
        batch: 72,
      });
      expect(s.maxAbsDeviation, `depth ${depth}`).toBeGreaterThan(0.5);
      maxima.push(s.singularValues[0]);
    }
    expect(maxima[1]).toBeGreaterThan(2 * maxima[0]);
    expect(maxima[2]).toBeGreaterThan(10 * maxima[1]);
  });
});
