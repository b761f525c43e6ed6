// The public API of src/gpu/: what other layers import from it.
// Its Node-only part is node.ts. Other layers import this file, never the modules behind it
// (dependency rule layer-index, .dependency-cruiser.cjs); tests may import any file. It
// lists what the other layers import: add a module here when another layer starts using it.

export * from './browserTuneStore';
export * from './bufferPool';
export * from './device';
export * from './errorScope';
export * from './kernel';
export * from './kernels/adamUpdate';
export * from './kernels/argmax';
export * from './kernels/batchNorm';
export * from './kernels/batchNormStatsFinalize';
export * from './kernels/channelApply';
export * from './kernels/batchNormBackwardReduce';
export * from './kernels/biasGrad';
export * from './kernels/channelReduce';
export * from './kernels/conv2dBackwardFilter';
export * from './kernels/conv2dBackwardInput';
export * from './kernels/conv2dForward';
export * from './kernels/convGradEpilogue';
export * from './kernels/convVariant';
export * from './kernels/countNonFinite';
export * from './kernels/elementwise';
export * from './kernels/fusedElementwise';
export * from './kernels/fusedExpr';
export * from './kernels/globalAvgPool';
export * from './kernels/matmul';
export * from './kernels/maxPool';
export * from './kernels/mixedCrossEntropy';
export * from './kernels/reduce';
export * from './kernels/scalarMul';
export * from './kernels/segmentSumSquares';
export * from './kernels/splitKReduceSegments';
export * from './kernels/sgdUpdate';
export * from './kernels/softmaxCrossEntropy';
export * from './profile';
export * from './readback';
export * from './recorder';
export * from './sink';
export * from './sizeClass';
export * from './tuner';
export * from './usage';
