// "Export to PyTorch": the experiment as a small Python package (model.py, init.py,
// train.py, data.py, check_parity.py, diagnostics.py, config.json, initial weights per
// run and seed, the lab's parity outputs and diagnostic inputs, the dataset when the lab has
// it, README with the exact commands).
// Pure: returns the files; the CLI writes them, the UI zips them.

import { zipSync } from 'fflate';
import { channelStats, MixupStream, type MixDraw } from '../../data';
import type { Dataset } from '../../data';
import { initScheme, resolveOptimizerConfig, scalarGroupOf, countParams, buildResNet, makeLrFunction } from '../../nn';
import { assertValidExperiment } from '../experimentChecks';
import { type ExperimentConfig } from '../experimentConfig';
import { datasetShape, initialValues, resnetConfigFor } from '../modelFactory';
import { fixedScalars, runLabel, schemeOptions } from '../runModel';
import { runKey } from '../runState';
import { encodeSafetensors, type WritableTensor } from '../safetensors';
import { exportWeights } from '../weights';
import { diagnosticsExport } from './diagnosticsExport';
import { parityInput, parityOutputs, PARITY_BATCH } from './parity';
import { parityLabels, parityTrainSteps, PARITY_STEPS } from './parityStep';
import type { ExportRun, ExportSeed, PytorchConfig } from './pytorchConfig';
import { instanceKey, seedOf } from '../seeds';
import { readmeFor } from './readme';
import { findStandardDataset } from '../standardDatasets';
import { PYTHON_SOURCES } from './sources';

export interface PackageFile {
  path: string;
  data: Uint8Array;
}

export interface PytorchExportOptions {
  /** Include the dataset's images (data/dataset.safetensors) so `--data lab` trains on
   * exactly the lab's data. Default: true, except for a standard benchmark (cifar10...),
   * which train.py loads at full size itself. */
  includeData?: boolean;
  labUrl?: string;
  now?: Date;
}

export const fileSafe = (key: string) => key.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/_+$/, '');

const text = (s: string) => new TextEncoder().encode(s);

function datasetFile(d: Dataset): Uint8Array {
  const split = (name: string, s: Dataset['train']): WritableTensor[] => [
    { name: `${name}.images`, shape: [s.count, d.channels, d.height, d.width], data: s.pixels },
    { name: `${name}.labels`, shape: [s.count], data: Int32Array.from(s.labels) },
  ];
  return encodeSafetensors([...split('train', d.train), ...split('test', d.test)], { source: 'risotto-lab', dataset: d.id, classes: JSON.stringify(d.classNames) });
}

export function buildPytorchPackage(exp: ExperimentConfig, dataset: Dataset, opts: PytorchExportOptions = {}): PackageFile[] {
  assertValidExperiment(exp);
  const shape = datasetShape(dataset);
  const files: PackageFile[] = [];
  const runs: ExportRun[] = [];
  const parity: WritableTensor[] = [];
  const parityMeta: Record<string, string> = { source: 'risotto-lab' };
  const lr = makeLrFunction(exp.optimizer.lr, exp.schedule, exp.warmupSteps);
  const lrs = Array.from({ length: PARITY_STEPS }, (_, i) => lr(i + 1));
  let input: Float32Array | undefined;
  const mixes = parityMixes(exp.augment.mixup ?? 0, exp.seed);
  for (const scheme of exp.schemes) {
    const { config, problems } = resnetConfigFor(exp, scheme, shape);
    if (problems.length) throw new Error(`${scheme.id} cannot build this model:\n- ${problems.join('\n- ')}`);
    const model = buildResNet(config, 1);
    const values = initialValues(model, exp.seed, scheme);
    const key = runKey(scheme);
    const file = fileSafe(key);
    // Every seed's initial weights; the parity checks below use the first seed's.
    const seeds: ExportSeed[] = Array.from({ length: exp.seeds }, (_, k) => {
      const seed = seedOf(exp.seed, k);
      const own = fileSafe(instanceKey(key, k));
      const { safetensors } = exportWeights(model, k === 0 ? values : initialValues(model, seed, scheme), { scheme, seed, step: 0 });
      files.push({ path: `weights/${own}.safetensors`, data: safetensors });
      return { index: k, seed, file: own, weights: `weights/${own}.safetensors` };
    });
    const byName = new Map(model.graph.tensors.filter((t) => values.has(t.id)).map((t) => [t.name, Float32Array.from(values.get(t.id)!)]));
    input ??= parityInput(config, exp.seed);
    const out = parityOutputs(config, byName, input);
    const featureShape = [PARITY_BATCH, ...model.graph.tensors[model.features].shape.slice(1)];
    for (const mode of ['train', 'eval'] as const) {
      parity.push({ name: `logits.${file}.${mode}`, shape: [PARITY_BATCH, config.numClasses], data: Float32Array.from(out[mode].logits) });
      parity.push({ name: `features.${file}.${mode}`, shape: featureShape, data: Float32Array.from(out[mode].features) });
    }
    const { looksLinear = false, scalarLr } = initScheme(scheme.id);
    const steps = parityTrainSteps(config, byName, input, exp.optimizer, lrs, scalarLr, mixes);
    parity.push({ name: `steps.loss.${file}`, shape: [PARITY_STEPS], data: Float32Array.from(steps.losses) });
    parity.push({ name: `steps.deltaNorm.${file}`, shape: [steps.names.length], data: Float32Array.from(steps.deltaNorms) });
    for (const [name, d] of steps.deltaSamples) parity.push({ name: `steps.delta.${file}.${name}`, shape: [d.length], data: Float32Array.from(d) });
    parityMeta[`steps.names.${file}`] = JSON.stringify(steps.names);
    const paramCount = countParams(config);
    const label = runLabel(scheme);
    const scalarGroup = scalarGroupOf(exp.optimizer, scalarLr);
    runs.push({
      key, file, scheme: scheme.id, options: { ...(schemeOptions(scheme) ?? {}) }, scalars: fixedScalars(scheme), runModel: { ...(scheme.model ?? {}) },
      label, looksLinear, model: config, ...(scalarGroup && { scalarGroup }), weights: `weights/${file}.safetensors`, paramCount, seeds,
    });
  }
  parity.push({ name: 'input', shape: [PARITY_BATCH, shape.channels, shape.size, shape.size], data: input! });
  parity.push({ name: 'labels', shape: [PARITY_BATCH], data: Int32Array.from(parityLabels(shape.classes)) });
  parity.push({ name: 'steps.lr', shape: [PARITY_STEPS], data: Float32Array.from(lrs) });
  if (mixes) {
    parity.push({ name: 'steps.mix.lambda', shape: [PARITY_STEPS], data: Float32Array.from(mixes, (m) => m.lambda) });
    parity.push({ name: 'steps.mix.perm', shape: [PARITY_STEPS, PARITY_BATCH], data: Int32Array.from(mixes.flatMap((m) => [...m.perm])) });
  }
  files.push({ path: 'parity.safetensors', data: encodeSafetensors(parity, parityMeta) });
  const diagnostics = diagnosticsExport(exp, dataset);
  files.push({ path: diagnostics.settings.file, data: encodeSafetensors(diagnostics.tensors, { source: 'risotto-lab' }) });

  // A public benchmark is fetched by torchvision (or unzipped) at full size; its copy need not travel.
  const standard = findStandardDataset(exp.dataset);
  const includeData = opts.includeData ?? !standard;
  if (includeData) files.push({ path: 'data/dataset.safetensors', data: datasetFile(dataset) });
  const dims = { channels: dataset.channels, height: dataset.height, width: dataset.width };
  const config: PytorchConfig = {
    format: PYTORCH_PACKAGE_FORMAT,
    formatVersion: 1,
    exportedAt: (opts.now ?? new Date()).toISOString(),
    ...(opts.labUrl && { labUrl: opts.labUrl }),
    experiment: exp,
    dataset: {
      id: dataset.id,
      name: dataset.name,
      ...shape,
      classNames: dataset.classNames,
      normalize: channelStats(dataset.train, dims),
      trainCount: dataset.train.count,
      testCount: dataset.test.count,
      ...(includeData && { file: 'data/dataset.safetensors' }),
      ...(standard && { standard: standard.pytorchData }),
    },
    runs,
    diagnostics: diagnostics.settings,
    training: {
      optimizer: { ...resolveOptimizerConfig(exp.optimizer), ...(exp.optimizer.clipNorm !== undefined && { clipNorm: exp.optimizer.clipNorm }) },
      schedule: exp.schedule,
      warmupSteps: exp.warmupSteps,
      batchSize: exp.batchSize,
      steps: exp.steps,
      evalEvery: exp.evalEvery,
      evalBatches: exp.evalBatches,
      // The lab never flips handwritten digits (a mirrored digit is another glyph).
      augment: { flip: exp.augment.flip && dataset.id !== 'mnist', cropPad: exp.augment.cropPad, mixup: exp.augment.mixup ?? 0 },
      seed: exp.seed,
      seeds: exp.seeds,
    },
  };
  files.push({ path: 'config.json', data: text(`${JSON.stringify(config, null, 1)}\n`) });
  for (const [name, source] of Object.entries(PYTHON_SOURCES)) files.push({ path: name, data: text(source) });
  files.push({ path: 'README.md', data: text(readmeFor(config)) });
  return files;
}

/** The lab's mixup draws for the parity steps (lambda rounded to float32, as the file
 * holds it), or undefined without mixup. */
function parityMixes(alpha: number, seed: number): MixDraw[] | undefined {
  if (!(alpha > 0)) return undefined;
  const stream = new MixupStream(alpha, seed);
  return Array.from({ length: PARITY_STEPS }, (_, i) => {
    const d = stream.draw(0, i, PARITY_BATCH);
    return { lambda: Math.fround(d.lambda), perm: d.perm };
  });
}

/** The top folder of the zip the UI downloads. */
const PACKAGE_DIR = 'risotto-lab-pytorch';

/** The package's own marker, in its config.json: how a later export knows an earlier one. */
export const PYTORCH_PACKAGE_FORMAT = 'risotto-lab-pytorch';

/** Whether `configJson` (the text of a folder's config.json) is this package's config. */
export function isPytorchPackageConfig(configJson: string): boolean {
  try {
    const c: unknown = JSON.parse(configJson);
    return typeof c === 'object' && c !== null && (c as { format?: unknown }).format === PYTORCH_PACKAGE_FORMAT;
  } catch {
    return false;
  }
}

/** The whole export as the UI downloads it: validated, the experiment's dataset loaded
 * through `load`, zipped under PACKAGE_DIR. */
export async function pytorchZip(exp: ExperimentConfig, opts: PytorchExportOptions, load: (datasetId: string) => Promise<Dataset>): Promise<Uint8Array> {
  assertValidExperiment(exp);
  return zipPackage(buildPytorchPackage(exp, await load(exp.dataset), opts), PACKAGE_DIR);
}

/** The package as one .zip under a top folder `dir`. */
export function zipPackage(files: readonly PackageFile[], dir: string): Uint8Array {
  const tree: Record<string, Uint8Array> = {};
  for (const f of files) tree[`${dir}/${f.path}`] = f.data;
  return zipSync(tree, { level: 6 });
}
