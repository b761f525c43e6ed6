// The probe side for networks that shrink their input before the stages: the ImageNet
// stem quarters an 8 x 8 probe, so the probe grows to the smallest size the network
// accepts, and the spectrum is measured there.

import { describe, expect, it } from 'vitest';
import { gpuTestContext } from '../engine/webgpu/testing';
import { probeSizeFor } from './probe';
import { spectrumForScheme } from './spectrum';
import { smallConfig } from './testing';

describe('probeSizeFor', () => {
  it('keeps the requested size where it fits and raises it behind the ImageNet stem', () => {
    expect(probeSizeFor(smallConfig())).toBe(8);
    expect(probeSizeFor(smallConfig(), 3)).toBe(3);
    // 3 stages need a 3x3 stem output: 9 -> 5 -> 3. 4 stages need 5x5: 17 -> 9 -> 5.
    expect(probeSizeFor(smallConfig({ stem: 'imagenet' }))).toBe(9);
    expect(probeSizeFor(smallConfig({ stem: 'imagenet', blocksPerStage: [1, 1, 1, 1] }))).toBe(17);
    expect(probeSizeFor(smallConfig({ stem: 'imagenet' }), 12)).toBe(12);
  });

  it('the spectrum of an ImageNet-stem bottleneck network is measured on the raised probe', async () => {
    const ctx = await gpuTestContext();
    const s = await spectrumForScheme({
      ctx,
      config: smallConfig({ stem: 'imagenet', block: 'bottleneck', blocksPerStage: [1, 1, 1] }),
      scheme: 'he',
      seed: 3,
    });
    expect(s.cols).toBe(3 * 9 * 9);
    expect(s.rank).toBeGreaterThan(0);
  });
});
