// The network the init explorer and the depth sweep measure (docs/science.md section 5):
// a stem and one stride-1 stage of D residual blocks, freshly initialised, probed with
// 8 x 8 Gaussian noise. Declares its settings once (range, default, label: the
// explorer's sliders, its link section and the `sweep` command read this table) and
// measures one scheme's spectrum and signal propagation through the lab's diagnostics
// (signal pairs and the BatchNorm reference batch at the probe's size).

import { DEFAULT_PROBE_SIZE, BN_STATS_MODES } from '../analysis';
import { initScheme, INIT_SCHEME_IDS, type InitSchemeId, defaultResNetConfig, validateResNetConfig, type ResNetConfig } from '../nn';
import type { GpuContext } from '../engine';
import type { BnStatsMode } from '../analysis';

// What the `sweep` command and the explorer need of analysis (they import only lab).
export { BN_STATS_MODES, DEFAULT_PROBE_SIZE, type BnStatsMode };
import { noiseInputs } from './diagnosticInputs';
import type { SignalRecord, SpectrumRecord } from './diagnostics';
import type { SchemeChoice } from './experimentConfig';
import { measureSignalRecord, measureSpectrumRecord } from './measure';

export interface StageSettings {
  /** Residual blocks in the measured stride-1 stage. */
  depth: number;
  /** Channels of the stem and the stage. */
  width: number;
  batchNorm: boolean;
  /** Initial a_res / a_skip, for the schemes whose construction takes them (Risotto). */
  aRes: number;
  aSkip: number;
  seed: number;
}

export interface NumberField {
  label: string;
  min: number;
  max: number;
  step: number;
  default: number;
  integer: boolean;
  /** Refused at 0 (the Risotto construction divides by it). */
  nonZero?: boolean;
  /** Only even values (looks-linear schemes split the channels in halves). */
  even?: boolean;
}

export const STAGE_FIELDS: Readonly<Record<Exclude<keyof StageSettings, 'batchNorm'>, NumberField>> = {
  depth: { label: 'Depth (blocks)', min: 1, max: 64, step: 1, default: 8, integer: true },
  width: { label: 'Width (channels)', min: 8, max: 64, step: 2, default: 16, integer: true, even: true },
  aRes: { label: 'a_res', min: -4, max: 4, step: 0.1, default: 1, integer: false, nonZero: true },
  aSkip: { label: 'a_skip', min: -4, max: 4, step: 0.1, default: 1, integer: false, nonZero: true },
  seed: { label: 'Seed', min: 0, max: 2 ** 31 - 1, step: 1, default: 1, integer: true },
};

export const STAGE_FIELD_KEYS = Object.keys(STAGE_FIELDS) as (keyof typeof STAGE_FIELDS)[];

export function defaultStageSettings(): StageSettings {
  const d = Object.fromEntries(STAGE_FIELD_KEYS.map((k) => [k, STAGE_FIELDS[k].default])) as Omit<StageSettings, 'batchNorm'>;
  return { ...d, batchNorm: false };
}

/** Why `value` is not a valid `key`, in one sentence; undefined when it is. */
export function fieldProblem(key: keyof typeof STAGE_FIELDS, value: unknown): string | undefined {
  const f = STAGE_FIELDS[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${f.label} must be a number, got ${String(value)}`;
  if (f.integer && !Number.isInteger(value)) return `${f.label} must be a whole number, got ${value}`;
  if (value < f.min || value > f.max) return `${f.label} must be between ${f.min} and ${f.max}, got ${value}`;
  if (f.nonZero && value === 0) return `${f.label} must not be 0 (the Risotto construction divides by it)`;
  if (f.even && value % 2 !== 0) return `${f.label} must be even (looks-linear schemes split the channels in halves), got ${value}`;
  return undefined;
}

export function stageProblems(s: StageSettings): string[] {
  const out = STAGE_FIELD_KEYS.map((k) => fieldProblem(k, s[k])).filter((p): p is string => p !== undefined);
  if (typeof s.batchNorm !== 'boolean') out.push(`BatchNorm must be on or off, got ${String(s.batchNorm)}`);
  return out;
}

/** Scheme ids from "he,risotto": each known, none twice, at least one. */
export function parseSchemeList(text: string): InitSchemeId[] {
  const ids = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length === 0) throw new Error(`no scheme given (known: ${INIT_SCHEME_IDS.join(', ')})`);
  const bad = ids.filter((id) => !(INIT_SCHEME_IDS as string[]).includes(id));
  if (bad.length) throw new Error(`unknown scheme ${bad.join(', ')} (known: ${INIT_SCHEME_IDS.join(', ')})`);
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (twice.length) throw new Error(`scheme ${twice[0]} is listed twice`);
  return ids as InitSchemeId[];
}

export interface StageNet {
  /** After the scheme's configFor: Fixup and SkipInit turn BatchNorm off. */
  config: ResNetConfig;
  scheme: SchemeChoice;
  /** Why the scheme cannot build this net, one sentence each; empty when it can. */
  problems: string[];
}

/** The stem + D-block stage as a ResNet config: the builder wants 3 stages, so two
 * single-block stages follow; every measurement stops at the end of stage 1. */
export function stageNet(s: StageSettings, id: InitSchemeId, probeSize = DEFAULT_PROBE_SIZE): StageNet {
  const scheme = initScheme(id);
  const base: ResNetConfig = {
    ...defaultResNetConfig(),
    inputChannels: 3,
    inputSize: probeSize,
    numClasses: 10,
    width: s.width,
    blocksPerStage: [s.depth, 1, 1],
    skip: 'B',
    batchNorm: s.batchNorm,
  };
  const config = scheme.configFor(base);
  const takes = new Set(scheme.options.map((o) => o.key));
  const options = Object.fromEntries(
    (
      [
        ['aRes', s.aRes],
        ['aSkip', s.aSkip],
      ] as const
    ).filter(([k]) => takes.has(k)),
  );
  return { config, scheme: { id, options }, problems: [...validateResNetConfig(config), ...scheme.requires(config)] };
}

export interface StageMeasurement {
  scheme: InitSchemeId;
  spectrum: SpectrumRecord;
  /** The stem and the stage's blocks only. */
  signal: SignalRecord;
}

/** Spectrum (image -> end of the stage) and signal propagation over 8 Gaussian pairs of
 * one scheme's stage; `abort` is checked between the two GPU measurements. */
export interface StageOptions {
  abort?: AbortSignal;
  bnStats?: BnStatsMode;
  /** P of the P x P probe (default 8): the Jacobian costs about P^4, so tests shrink it. */
  probeSize?: number;
}

export async function measureStage(
  ctx: GpuContext,
  s: StageSettings,
  id: InitSchemeId,
  opts: StageOptions = {},
): Promise<StageMeasurement> {
  const net = stageNet(s, id, opts.probeSize);
  if (net.problems.length) throw new Error(`${id} cannot build this network:\n- ${net.problems.join('\n- ')}`);
  const { config, scheme } = net;
  const inputs = noiseInputs(s.seed, config.inputChannels, config.inputSize);
  const req = { ctx, config, scheme, seed: s.seed, step: 0, bnStats: opts.bnStats ?? 'batch', toStage: 1, inputs };
  opts.abort?.throwIfAborted();
  const spectrum = await measureSpectrumRecord(req);
  opts.abort?.throwIfAborted();
  const signal = await measureSignalRecord(req);
  opts.abort?.throwIfAborted();
  // One run per scheme here: keyed by the scheme's id alone.
  return {
    scheme: id,
    spectrum: { ...spectrum, runKey: id },
    signal: { ...signal, runKey: id, layers: signal.layers.slice(0, s.depth + 1), balance: signal.balance.slice(0, s.depth) },
  };
}
