// Shared pieces of the analysis tests: a small BN-free ResNet config (3 input channels,
// width 8) and the isometry check of docs/science.md section 3 run through the GPU path.
// Used by *.test.ts only.

import { expect } from 'vitest';
import type { GpuContext } from '../engine';
import type { BlockType, ResNetConfig } from '../nn';
import { smallConfig as nnSmallConfig } from '../nn';
import { spectrumForScheme } from './spectrum';

/** The float64 tests' small net (src/nn/init/testing.ts) at a 3 x 3 input by default. */
export function smallConfig(over: Partial<ResNetConfig> = {}): ResNetConfig {
  return nnSmallConfig({ inputSize: 3, ...over });
}

// float32 rows through up to 32 blocks: the observed max |sigma - 1| is a few 1e-6.
export const ISO_TOL = 1e-4;

/** Risotto, `depth` stride-1 blocks in the first stage, target = the last of them, on a
 * 3 x 3 probe (with delta kernels each pixel is its own channel mixing, so a small
 * probe loses nothing and keeps 32-block runs cheap): every singular value is 1. */
export async function expectRisottoIsometry(
  ctx: GpuContext,
  skip: 'B' | 'C',
  depth: number,
  learnScalars: boolean,
  block: BlockType = 'basic',
): Promise<void> {
  const before = ctx.pool.getStats().inUseBytes;
  const s = await spectrumForScheme({
    ctx,
    config: smallConfig({ skip, block, blocksPerStage: [depth, 1, 1], learnRes: learnScalars, learnSkip: learnScalars }),
    scheme: 'risotto',
    seed: 100 + depth,
    probeSize: 3,
    target: { block: depth - 1 },
    batch: 72,
  });
  const where = `Type ${skip} ${block}, depth ${depth}`;
  expect([s.rows, s.cols], where).toEqual([(block === 'bottleneck' ? 32 : 8) * 9, 3 * 9]);
  expect(s.singularValues.length, where).toBe(27);
  expect(s.rank, where).toBe(27);
  const worst = s.singularValues.reduce((m, x) => Math.max(m, Math.abs(x - 1)), 0);
  expect(worst, where).toBeLessThan(ISO_TOL);
  expect(s.maxAbsDeviation, where).toBe(worst);
  expect(s.condition, where).toBeLessThan(1 + 3 * ISO_TOL);
  expect(Math.abs(s.meanSquared - 1), where).toBeLessThan(3 * ISO_TOL);
  expect(ctx.pool.getStats().inUseBytes, `${where}: pool in-use bytes`).toBe(before);
}
