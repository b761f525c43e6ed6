// The public API of src/engine/: what other layers import from it.
// Its Node-only part is node.ts. Other layers import this file, never the modules behind it
// (dependency rule layer-index, .dependency-cruiser.cjs); tests may import any file. The
// list follows the other layers' imports: regenerate it rather than edit it.

export * from './cpu/interpreter';
export * from './cpu/optimizers';
export * from './graph';
export * from './optimizer';
export * from './webgpu/activationProbe';
export * from './webgpu/compile';
export * from './webgpu/debug';
export * from './webgpu/device';
export * from './webgpu/evalGraph';
export * from './webgpu/jacobian';
export * from './webgpu/profile';
export * from './webgpu/selfCheck';
export * from './webgpu/trainSession';
export * from './webgpu/validate';
