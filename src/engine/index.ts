// The public API of src/engine/: what other layers import from it.
// Its Node-only part is node.ts. Other layers import this file, never the modules behind it
// (dependency rule layer-index, .dependency-cruiser.cjs); tests may import any file. It
// lists what the other layers import: add a module here when another layer starts using it.

export * from './cpu/interpreter';
export * from './cpu/optimizers';
export * from './graph';
export * from './optimizer';
export * from './webgpu/activationProbe';
export * from './webgpu/batchCheck';
export * from './webgpu/compile';
export * from './webgpu/debug';
export * from './webgpu/device';
export * from './webgpu/evalGraph';
export * from './webgpu/jacobian';
export * from './webgpu/profile';
export * from './webgpu/selfCheck';
export * from './webgpu/trainSession';
export * from './webgpu/validate';
