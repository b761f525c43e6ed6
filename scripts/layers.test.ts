import { describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs module without types
import { checkFile } from './layers.mjs';

describe('layering lint', () => {
  it('accepts allowed imports', () => {
    expect(checkFile('src/nn/conv.ts', "import { x } from '../engine/tape';\nimport { y } from '../util/prng';")).toEqual([]);
    expect(checkFile('src/engine/webgpu/backend.ts', "import { a } from '../../gpu/device';")).toEqual([]);
    expect(checkFile('src/gpu/kernels/relu.ts', "import code from '../../../shaders/relu.wgsl?raw';")).toEqual([]);
    expect(checkFile('src/ui/App.tsx', "import { create } from 'zustand';\nimport { run } from '../lab/runner';")).toEqual([]);
  });

  it('rejects upward and skipping imports', () => {
    expect(checkFile('src/engine/tape.ts', "import { Conv } from '../nn/conv';")).toHaveLength(1);
    expect(checkFile('src/engine/tape.ts', "import { d } from '../gpu/device';")).toHaveLength(1);
    expect(checkFile('src/ui/App.tsx', "import { d } from '../engine/tensor';")).toHaveLength(1);
    expect(checkFile('src/util/x.ts', "export { d } from '../gpu/device';")).toHaveLength(1);
    expect(checkFile('src/lab/x.ts', "const m = await import('../ui/App');")).toHaveLength(1);
  });

  it('keeps UI libraries and shaders in their layers', () => {
    expect(checkFile('src/lab/store.ts', "import { create } from 'zustand';")[0]).toMatch(/only src\/ui/);
    expect(checkFile('src/engine/x.ts', "import c from '../../shaders/relu.wgsl?raw';")[0]).toMatch(/only src\/gpu\/kernels/);
  });

  it('lets only src/lab/pytorch import the Python sources', () => {
    expect(checkFile('src/lab/pytorch/sources.ts', "import m from '../../../pytorch/model.py?raw';")).toEqual([]);
    expect(checkFile('src/lab/x.ts', "import m from '../../pytorch/model.py?raw';")[0]).toMatch(/only src\/lab\/pytorch/);
  });
});
