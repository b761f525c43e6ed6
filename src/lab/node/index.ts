// The public API of src/lab/, the part that runs in Node only (it reaches `node:` modules or the `webgpu` package):
// never imported by browser code. Other layers import this file, never the modules behind it
// (dependency rule layer-index, .dependency-cruiser.cjs); tests may import any file. It
// lists what the other layers import: add a module here when another layer starts using it.

export * from './device';
