// Vitest config: unit and GPU-kernel tests in Node. WebGPU comes from the `webgpu`
// package (Dawn) on a software Vulkan driver; see src/gpu/nodeGpu.ts.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
