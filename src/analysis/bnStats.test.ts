// The BatchNorm modes of the diagnostics: batch statistics are exactly those of the
// reference batch (GPU vs float64 CPU), and an eval-mode pass with them reproduces the
// train-mode network on that batch; running statistics leave the values alone.

import { describe, expect, it } from 'vitest';
import { runForward } from '../engine/cpu/interpreter';
import { expectClose, gpuTestContext } from '../engine/webgpu/testing';
import { initHe } from '../nn/init/he';
import { buildResNet } from '../nn/resnet';
import { bnLayers, channelMoments, noiseReferenceBatch, valuesForBnMode, valuesForBnModeCpu } from './bnStats';
import { smallConfig } from './testing';

describe('channel moments', () => {
  it('are the per-channel mean and biased variance over batch and pixels', () => {
    // 2 examples x 2 channels x 2 pixels.
    const x = [1, 3, 10, 10, 5, 7, -2, 2];
    const { mean, variance } = channelMoments(x, [2, 2, 1, 2]);
    expect([...mean]).toEqual([4, 5]);
    expect([...variance]).toEqual([5, 27]);
    expect(() => channelMoments(x, [2, 2, 2, 2])).toThrow(/8 values/);
  });
});

describe('batch statistics of a reference batch', () => {
  for (const skip of ['B', 'C'] as const) {
    it(`GPU equals float64 CPU, and eval with them is the train-mode network (Type ${skip}, stride 2)`, async () => {
      const ctx = await gpuTestContext();
      const config = smallConfig({ inputSize: 5, blocksPerStage: [2, 1, 1], skip, batchNorm: true });
      const model = buildResNet(config, 6);
      const init = new Map([...initHe(model, 3)].map(([id, v]) => [id, v.map(Math.fround)]));
      const reference = noiseReferenceBatch(2, 3, 5, 6).map(Math.fround);
      const gpu = await valuesForBnMode(ctx, 'batch', { config, size: 5, values: init, reference });
      const cpu = valuesForBnModeCpu('batch', { config, size: 5, values: init, reference });
      const layers = bnLayers(model.graph);
      expect(layers.length).toBe(skip === 'C' ? 1 + 3 * 4 : 1 + 2 * 4 + 2);
      for (const l of layers) {
        expectClose(
          gpu.get(l.runningMean)!,
          cpu.get(l.runningMean)!,
          { atol: 1e-5, rtol: 1e-4 },
          `mean of ${model.graph.tensors[l.x].name}`,
        );
        expectClose(
          gpu.get(l.runningVar)!,
          cpu.get(l.runningVar)!,
          { atol: 1e-5, rtol: 1e-4 },
          `variance of ${model.graph.tensors[l.x].name}`,
        );
        // At init the running stats are (0, 1); the batch's are not.
        expect(Math.max(...Array.from(cpu.get(l.runningVar)!, (v) => Math.abs(v - 1)))).toBeGreaterThan(1e-3);
      }
      // Eval mode with the batch statistics = the network being trained, on that batch.
      const feed = (vals: ReadonlyMap<number, Float32Array | Float64Array>) => {
        const m = new Map([...vals].map(([id, v]) => [id, Float64Array.from(v)]));
        m.set(model.input, Float64Array.from(reference));
        m.set(model.labels, new Float64Array(6));
        return m;
      };
      const asTrained = runForward(model.graph, feed(init), 'train').value(model.features);
      const measured = runForward(model.graph, feed(cpu), 'eval').value(model.features);
      expectClose(measured, asTrained, { atol: 1e-9, rtol: 1e-9 }, 'features');
      const atInit = runForward(model.graph, feed(init), 'eval').value(model.features);
      expect(Math.max(...atInit.map((v, i) => Math.abs(v - asTrained[i])))).toBeGreaterThan(1e-2);
    });
  }

  it('running mode and nets without BatchNorm keep the values as they are; a too-small batch is refused', async () => {
    const ctx = await gpuTestContext();
    const config = smallConfig({ batchNorm: true });
    const values = initHe(buildResNet(config, 1), 1);
    const reference = noiseReferenceBatch(1, 3, 4);
    expect(await valuesForBnMode(ctx, 'running', { config, size: 4, values, reference })).toBe(values);
    const plain = smallConfig();
    const plainValues = initHe(buildResNet(plain, 1), 1);
    expect(await valuesForBnMode(ctx, 'batch', { config: plain, size: 4, values: plainValues, reference })).toBe(plainValues);
    await expect(valuesForBnMode(ctx, 'batch', { config, size: 4, values, reference: reference.subarray(0, 48) })).rejects.toThrow(
      /at least 2 images/,
    );
  });
});
