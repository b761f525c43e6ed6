// docs/science.md section 3's central property, measured by the lab's own GPU path (float32
// Jacobian rows, float64 spectrum): Risotto block outputs are exactly isometric for
// stride-1 Type B and C nets at 2, 8 and 32 blocks and Type C bottleneck nets at 2, 8 and
// 16 (fixed a_res / a_skip; learnable ones in isometryLearnable.test.ts), and partial
// isometries through stride-2 stages.

import { describe, expect, it } from 'vitest';
import { gpuTestContext } from '../engine/webgpu/testing';
import { spectrumForScheme } from './spectrum';
import { expectRisottoIsometry, ISO_TOL, smallConfig } from './testing';

describe('Risotto on the GPU: exact isometry', () => {
  for (const skip of ['B', 'C'] as const) {
    it(`Type ${skip}, fixed a_res / a_skip, depths 2, 8, 32: every singular value of a stride-1 block output within ${ISO_TOL} of 1`, async () => {
      const ctx = await gpuTestContext();
      for (const depth of [2, 8, 32]) await expectRisottoIsometry(ctx, skip, depth, false);
    });
  }

  it(`Type C bottleneck, depths 2, 8, 16: every singular value of a stride-1 block output within ${ISO_TOL} of 1`, async () => {
    const ctx = await gpuTestContext();
    for (const depth of [2, 8, 16]) await expectRisottoIsometry(ctx, 'C', depth, false, 'bottleneck');
  });

  for (const depth of [2, 8, 16]) {
    it(`Type C bottleneck, ${depth} blocks in stage 2 after a stride-2 block: every non-zero singular value within ${ISO_TOL} of 1`, async () => {
      const ctx = await gpuTestContext();
      const config = smallConfig({ skip: 'C', block: 'bottleneck', inputSize: 4, blocksPerStage: [1, depth, 1] });
      const s = await spectrumForScheme({ ctx, config, scheme: 'risotto', seed: 9, probeSize: 4, target: { block: depth }, batch: 128 });
      expect([s.rows, s.cols]).toEqual([64 * 2 * 2, 3 * 4 * 4]);
      // The stride-2 3x3 delta kernel and the 1x1 skip read input pixel (2i, 2j): 4 pixels x 3 channels.
      expect(s.rank).toBe(12);
      expect(s.maxAbsDeviation).toBeLessThan(ISO_TOL);
      expect(s.singularValues[12]).toBeLessThan(1e-6);
    });
  }

  for (const skip of ['B', 'C'] as const) {
    it(`Type ${skip} through two stride-2 stages: every non-zero singular value within ${ISO_TOL} of 1`, async () => {
      const ctx = await gpuTestContext();
      const s = await spectrumForScheme({
        ctx,
        config: smallConfig({ skip, blocksPerStage: [1, 1, 1] }),
        scheme: 'risotto',
        seed: 7,
        probeSize: 8,
        batch: 128,
      });
      expect([s.rows, s.cols]).toEqual([32 * 2 * 2, 3 * 8 * 8]);
      // The delta kernels read input pixel (4i, 4j) for output pixel (i, j): 4 pixels x 3 channels.
      expect(s.rank).toBe(12);
      expect(s.maxAbsDeviation).toBeLessThan(ISO_TOL);
      expect(s.singularValues[12]).toBeLessThan(1e-6);
    });
  }
});
