// The public API of src/data/: what other layers import from it.
// Its Node-only part is node.ts. Other layers import this file, never the modules behind it
// (dependency rule layer-index, .dependency-cruiser.cjs); tests may import any file. It
// lists what the other layers import: add a module here when another layer starts using it.

export * from './batcher';
export * from './builtin/registry';
export * from './classes';
export * from './dataset';
export * from './formats/archive';
export * from './formats/browserDecode';
export * from './formats/detect';
export * from './formats/imageFolder';
export * from './formats/imagePixels';
export * from './formats/inflate';
export * from './formats/tinyImageNet';
export * from './mixup';
