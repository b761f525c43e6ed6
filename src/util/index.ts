// The public API of src/util/: what other layers import from it.
// Its Node-only part is node.ts. Other layers import this file, never the modules behind it
// (dependency rule layer-index, .dependency-cruiser.cjs); tests may import any file. It
// lists what the other layers import: add a module here when another layer starts using it.

export * from './betaSampler';
export * from './crc32';
export * from './csvRecords';
export * from './linalg';
export * from './optimizerHyper';
export * from './prng';
export * from './shape';
export * from './textHash';
