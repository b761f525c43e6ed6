// What the form says about the model each selected scheme will train: the dataset's
// shape, per-scheme problems and adaptations, and size and cost of the first scheme's
// network. Pure: the panel renders it, tests check it.
import {
  BUILTIN_DATASETS,
  countParams,
  flopsPerExample,
  INIT_SCHEMES,
  resnetConfigFor,
  type InitSchemeId,
  type ResNetConfig,
} from '../../lab';
import type { ExperimentConfig } from '../../lab';
import { adaptationNote } from './experimentEdits';

export interface DataShape {
  channels: number;
  size: number;
  classes: number;
}

/** The loaded dataset when it is the one chosen, else the built-in's catalog entry;
 * undefined for an upload that has not loaded yet. */
export function shapeFor(datasetId: string, loaded?: DataShape & { id: string }): DataShape | undefined {
  if (loaded && loaded.id === datasetId) return { channels: loaded.channels, size: loaded.size, classes: loaded.classes };
  const b = BUILTIN_DATASETS.find((d) => d.id === datasetId);
  return b ? { channels: b.channels, size: b.size, classes: b.classes } : undefined;
}

interface SchemeInfo {
  id: InitSchemeId;
  problems: string[];
  /** What the scheme changes about the chosen model ('' when nothing). */
  note: string;
}

export interface ModelInfo {
  schemes: Record<string, SchemeInfo>;
  /** Of the first selected scheme's network (the schemes differ by a few scalars). */
  params?: number;
  flops?: number;
  statsFor?: string;
}

/** countParams throws on an invalid network (e.g. 2 stages); the problems say why. */
function statsOf(config: ResNetConfig): { params: number; flops: number } | undefined {
  try {
    return { params: countParams(config), flops: flopsPerExample(config) };
  } catch {
    return undefined;
  }
}

export function modelInfo(exp: ExperimentConfig, shape: DataShape | undefined): ModelInfo {
  const info: ModelInfo = { schemes: {} };
  if (!shape) return info;
  for (const s of exp.schemes) {
    if (!(s.id in INIT_SCHEMES)) continue;
    const label = INIT_SCHEMES[s.id].label;
    const { config, problems } = resnetConfigFor(exp, s, shape);
    info.schemes[s.id] = { id: s.id, problems, note: adaptationNote(label, exp.model, config) };
    const stats = info.statsFor === undefined ? statsOf(config) : undefined;
    if (stats) Object.assign(info, stats, { statsFor: label });
  }
  return info;
}
