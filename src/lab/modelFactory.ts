// From an experiment + one run to a buildable model: the run's own model settings
// (runModel.ts) over the experiment's model, then the scheme adjusts the architecture
// flags it needs (Fixup turns BatchNorm off, ...), then the ResNet is built for the
// dataset's input and initialised with the experiment's seed and the run's a_res / a_skip.

import type { Dataset } from '../data';
import { initScheme, buildResNet, type ResNetModel, defaultResNetConfig, validateResNetConfig, type ResNetConfig } from '../nn';
import type { InitValues } from '../nn';
import { blocksOf, blockTypeOf } from './experimentChecks';
import { type ExperimentConfig, type SchemeChoice } from './experimentConfig';
import { applyRunScalars, schemeOptions, withRunModel } from './runModel';

export interface DatasetShape {
  channels: number;
  size: number;
  classes: number;
}

export function datasetShape(d: Pick<Dataset, 'channels' | 'height' | 'width' | 'classNames'>): DatasetShape {
  if (d.height !== d.width) throw new Error(`images must be square for these ResNets (got ${d.height}x${d.width})`);
  return { channels: d.channels, size: d.height, classes: d.classNames.length };
}

/** The ResNet config the scheme will train, or the reasons it cannot. */
export function resnetConfigFor(
  exp: ExperimentConfig,
  scheme: SchemeChoice,
  data: DatasetShape,
): { config: ResNetConfig; problems: string[] } {
  const base: ResNetConfig = {
    ...defaultResNetConfig(),
    inputChannels: data.channels,
    inputSize: data.size,
    numClasses: data.classes,
    width: exp.model.width,
    blocksPerStage: blocksOf(exp.model),
    block: blockTypeOf(exp.model),
    stem: exp.model.stem,
    skip: exp.model.skip,
    batchNorm: exp.model.batchNorm,
  };
  const own = withRunModel(base, scheme.model);
  const s = initScheme(scheme.id);
  const config = s.configFor(own);
  return { config, problems: [...validateResNetConfig(config), ...s.requires(config)] };
}

export interface BuiltModel {
  model: ResNetModel;
  values: InitValues;
  config: ResNetConfig;
}

export function buildInitialised(exp: ExperimentConfig, scheme: SchemeChoice, data: DatasetShape, batch: number): BuiltModel {
  const { config, problems } = resnetConfigFor(exp, scheme, data);
  if (problems.length) throw new Error(`${scheme.id} cannot run on this model:\n- ${problems.join('\n- ')}`);
  const model = buildResNet(config, batch, { mixup: (exp.augment.mixup ?? 0) > 0 });
  return { model, config, values: initialValues(model, exp.seed, scheme) };
}

/** The run's initial values: its scheme with its options, and the a_res / a_skip it fixes. */
export function initialValues(model: ResNetModel, seed: number, run: SchemeChoice): InitValues {
  return applyRunScalars(model, run, initScheme(run.id).init(model, seed, schemeOptions(run)));
}
