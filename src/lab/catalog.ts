// What the UI may offer, re-exported through lab (the UI imports nothing below lab):
// init schemes with their options, ResNet presets, optimizers, schedules, built-in
// datasets, and the checks that say why a choice cannot run.

export { INIT_SCHEMES, INIT_SCHEME_IDS, isInitSchemeId, type InitSchemeId, type InitOptionSpec } from '../nn';
export { RESNET_PRESETS, type ResNetPresetName, type ResNetConfig } from '../nn';
export { OPTIMIZER_KINDS, type OptimizerKind, type OptimizerConfig } from '../nn';
export { LR_SCHEDULE_KINDS, type LrSchedule } from '../nn';
export { countParams, flopsPerExample } from '../nn';
export { BUILTIN_DATASETS } from './datasets';
export { STANDARD_DATASETS, isStandardDatasetId, isStandardUpload } from './standardDatasets';
export { resnetConfigFor } from './modelFactory';
export { optimizerDefaults } from '../nn';
export { describeClasses } from '../data';
