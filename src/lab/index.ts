// The public API of src/lab/: what other layers import from it.
// Its Node-only part is node/index.ts. Other layers import this file, never the modules behind it
// (dependency rule layer-index, .dependency-cruiser.cjs); tests may import any file. It
// lists what the other layers import: add a module here when another layer starts using it.

export * from './browserDevice';
export * from './comparison';
export * from './datasetPreview';
export * from './datasetStore';
export * from './datasets';
export * from './depthSweep';
export * from './diagnostics';
export * from './experimentChecks';
export * from './experimentConfig';
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
export { type Dataset, describeClasses } from '../data';
export {
  countParams,
  flopsPerExample,
  INIT_SCHEME_IDS,
  INIT_SCHEMES,
  type InitOptionSpec,
  type InitSchemeId,
  isInitSchemeId,
  LR_SCHEDULE_KINDS,
  type LrSchedule,
  OPTIMIZER_KINDS,
  type OptimizerConfig,
  optimizerDefaults,
  type OptimizerKind,
  RESNET_PRESETS,
  type ResNetConfig,
  type ResNetPresetName,
} from '../nn';
