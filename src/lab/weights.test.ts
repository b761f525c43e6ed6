import { describe, expect, it } from 'vitest';
import { initScheme } from '../nn/init/registry';
import { buildResNet } from '../nn/resnet';
import { defaultResNetConfig } from '../nn/resnetConfig';
import { exportWeights, importWeights } from './weights';

const config = { ...defaultResNetConfig(), inputSize: 8, width: 8, blocksPerStage: [1, 1, 1], batchNorm: true };

describe('weights export/import', () => {
  it('round-trips every param, const and state tensor bit-exactly, by name', () => {
    const model = buildResNet(config, 2);
    const values = new Map([...initScheme('risotto').init(model, 5)].map(([id, v]) => [id, Float32Array.from(v)]));
    const { safetensors, card } = exportWeights(model, values, { scheme: { id: 'risotto' }, seed: 5, step: 0 });
    expect(card.tensors.map((t) => t.name)).toContain('stage1.block0.conv1.weight');
    const back = importWeights(buildResNet(config, 7), safetensors);
    expect(back.size).toBe(values.size);
    for (const [id, v] of values) expect(new Uint32Array(back.get(id)!.buffer)).toEqual(new Uint32Array(v.buffer));
  });

  it('refuses weights of another model with the reasons', () => {
    const model = buildResNet(config, 2);
    const values = initScheme('he').init(model, 1);
    const { safetensors } = exportWeights(model, values, { scheme: { id: 'he' }, seed: 1, step: 0 });
    expect(() => importWeights(buildResNet({ ...config, width: 16 }, 2), safetensors)).toThrow(/shape/);
    expect(() => importWeights(buildResNet({ ...config, blocksPerStage: [2, 1, 1] }, 2), safetensors)).toThrow(
      /missing tensor stage1.block1/,
    );
  });
});
