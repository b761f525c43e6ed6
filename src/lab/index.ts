// The public API of src/lab/: what other layers import from it.
// Its Node-only part is node/index.ts. Other layers import this file, never the modules behind it
// (dependency rule layer-index, .dependency-cruiser.cjs); tests may import any file. The
// list follows the other layers' imports: regenerate it rather than edit it.

export * from './browserDevice';
export * from './catalog';
export * from './comparison';
export * from './dataTypes';
export * from './datasetPreview';
export * from './datasetStore';
export * from './datasets';
export * from './depthSweep';
export * from './diagnostics';
export * from './experiment';
export * from './experimentFields';
export * from './experimentStore';
export * from './exploreLink';
export * from './externalRuns';
export * from './initExplorer';
export * from './initTools';
export * from './labService';
export * from './lighterVariant';
export * from './linkReading';
export * from './metricsExport';
export * from './modelFactory';
export * from './paramBlocks';
export * from './presets';
export * from './pytorch/package';
export * from './pytorch/readme';
export * from './runHistory';
export * from './runModel';
export * from './runState';
export * from './seedStats';
export * from './seeds';
export * from './stageNet';
export * from './standardDatasets';
export * from './uploadProgress';
export * from './urlCodec';
export * from './urlValues';
export * from './userDatasets';
