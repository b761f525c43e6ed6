// Risotto's exact isometry (docs/science.md section 3) on the GPU path when a_res and a_skip
// are learnable params rather than consts (bound through the params path): Type B and C,
// 2, 8 and 32 stride-1 blocks. Split from isometry.test.ts to keep each file short.

import { describe, it } from 'vitest';
import { gpuTestContext } from '../engine/webgpu/testing';
import { expectRisottoIsometry, ISO_TOL } from './testing';

describe('Risotto on the GPU: exact isometry with learnable scalars', () => {
  for (const skip of ['B', 'C'] as const) {
    it(`Type ${skip}, learnable a_res / a_skip, depths 2, 8, 32: every singular value within ${ISO_TOL} of 1`, async () => {
      const ctx = await gpuTestContext();
      for (const depth of [2, 8, 32]) await expectRisottoIsometry(ctx, skip, depth, true);
    });
  }
});
