// The public API of src/analysis/: what other layers import from it.
// Its Node-only part is node.ts. Other layers import this file, never the modules behind it
// (dependency rule layer-index, .dependency-cruiser.cjs); tests may import any file. The
// list follows the other layers' imports: regenerate it rather than edit it.

export * from './bnStats';
export * from './probe';
export * from './signalPropagation';
export * from './spectrum';
