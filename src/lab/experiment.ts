// The experiment a user runs, in one import: its types (experimentConfig.ts), the field
// table's defaults (experimentFields.ts) and the checks derived from the table
// (experimentChecks.ts). Shared by the UI, the URL codec, the Worker and the command line.

export * from './experimentConfig';
export { defaultExperiment } from './experimentFields';
export { assertValidExperiment, blocksOf, blockTypeOf, validateExperiment } from './experimentChecks';
