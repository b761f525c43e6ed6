// The shape of an init scheme as the lab sees it (what the registry lists): id, UI
// text, documented options, architecture requirements, the config it adjusts, and the
// init function; plus option validation shared by all schemes. No scheme lives here.

import type { ResNetModel } from '../resnet';
import type { ResNetConfig } from '../resnetConfig';
import type { InitValues } from './common';

export type InitSchemeId = 'risotto' | 'he' | 'fixup' | 'skipinit' | 'rezero' | 'deltaOrthogonal' | 'looksLinearNoCorrection';

export type InitOptionValue = number | string;
export type InitOptionValues = Readonly<Record<string, InitOptionValue>>;

interface OptionBase {
  key: string;
  label: string;
  description: string;
}

interface NumberOptionSpec extends OptionBase {
  type: 'number';
  /** null: derived from the model, as the description says. */
  default: number | null;
  integer?: boolean;
  min?: number;
  nonZero?: boolean;
}

interface ChoiceOptionSpec extends OptionBase {
  type: 'choice';
  default: string;
  choices: readonly string[];
}

export type InitOptionSpec = NumberOptionSpec | ChoiceOptionSpec;

export interface InitScheme {
  id: InitSchemeId;
  label: string;
  /** One or two sentences for the UI. */
  description: string;
  options: readonly InitOptionSpec[];
  /** The fraction of the learning rate its scalar parameters train at unless the
   * optimizer config says otherwise (Fixup: 0.1, its authors' recipe); default 1. */
  scalarLr?: number;
  /** Activations come in looks-linear pairs [relu(d); relu(-d)] whose signal d the
   * diagnostics also follow. */
  looksLinear?: boolean;
  /** What `cfg` lacks for this scheme, one sentence each saying what to change; empty
   * when the scheme applies as defined. */
  requires(cfg: ResNetConfig): string[];
  /** `base` with the architecture flags this scheme needs set (a copy). */
  configFor(base: ResNetConfig): ResNetConfig;
  /** Every param, const and state value of `model`. Throws when requires() is not empty
   * or an option is invalid. */
  init(model: ResNetModel, seed: number, options?: InitOptionValues): InitValues;
}

/** Problems with `given` against `specs`, one sentence each. */
export function optionErrors(scheme: string, specs: readonly InitOptionSpec[], given: InitOptionValues): string[] {
  const errors: string[] = [];
  const known = new Set(specs.map((s) => s.key));
  for (const key of Object.keys(given)) {
    if (!known.has(key)) errors.push(`${scheme} has no option '${key}' (options: ${[...known].join(', ') || 'none'})`);
  }
  for (const spec of specs) {
    const v = given[spec.key];
    if (v === undefined) continue;
    if (spec.type === 'choice') {
      if (typeof v !== 'string' || !spec.choices.includes(v))
        errors.push(`${scheme} option ${spec.key} must be one of ${spec.choices.join(', ')}, got ${String(v)}`);
      continue;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) errors.push(`${scheme} option ${spec.key} must be a finite number, got ${String(v)}`);
    else if (spec.integer && !Number.isInteger(v)) errors.push(`${scheme} option ${spec.key} must be an integer, got ${v}`);
    else if (spec.min !== undefined && v < spec.min) errors.push(`${scheme} option ${spec.key} must be at least ${spec.min}, got ${v}`);
    else if (spec.nonZero && v === 0) errors.push(`${scheme} option ${spec.key} must be non-zero`);
  }
  return errors;
}

/** `given` over the defaults, validated; a null default stays undefined for the scheme
 * to derive. */
export function resolveOptions(
  scheme: string,
  specs: readonly InitOptionSpec[],
  given: InitOptionValues = {},
): Record<string, InitOptionValue | undefined> {
  const errors = optionErrors(scheme, specs, given);
  if (errors.length) throw new Error(`invalid ${scheme} options:\n- ${errors.join('\n- ')}`);
  const out: Record<string, InitOptionValue | undefined> = {};
  for (const spec of specs) out[spec.key] = given[spec.key] ?? spec.default ?? undefined;
  return out;
}

export function assertRequirements(scheme: string, problems: readonly string[]): void {
  if (problems.length) throw new Error(`${scheme} does not apply to this architecture:\n- ${problems.join('\n- ')}`);
}

/** The Risotto-style requirement on channel counts: the looks-linear split needs every
 * width even and the stem's orthonormal embedding needs width / 2 >= input channels. */
export function splitWidthRequirements(scheme: string, cfg: ResNetConfig): string[] {
  const out: string[] = [];
  if (cfg.width % 2 !== 0) {
    out.push(
      `${scheme} needs an even width (looks-linear layers pair each channel with its negation): width ${cfg.width} is odd, use ${cfg.width + 1}.`,
    );
  }
  if (Math.floor(cfg.width / 2) < cfg.inputChannels) {
    out.push(
      `${scheme} needs width / 2 >= inputChannels (the stem embeds the ${cfg.inputChannels} input channels isometrically into width / 2 signals): width ${cfg.width} is too small, use at least ${2 * cfg.inputChannels}.`,
    );
  }
  return out;
}
