// Reading the page's link once, framework-free: an optional #preset=id (looked up in the
// preset index, every other id refused by name) with the link's own settings applied on
// top, the settings' warnings, whether run=1 may start at once or must ask first (by
// estimated cost), and the normalized fragment the address bar should show afterwards.

import type { ExperimentConfig } from './experimentConfig';
import { AUTOSTART_MAX_FLOPS, describeFlops, trainingFlops } from './linkCost';
import { isPresetId, parsePreset, type PresetEntry } from './presets';
import { decodeExperiment, encodeExperiment, linkSettingKeys, queryParam } from './urlCodec';
import { shown } from './urlValues';

export interface PresetSource {
  index(): Promise<PresetEntry[]>;
  load(entry: PresetEntry): Promise<unknown>;
}

export interface LinkReading {
  config: ExperimentConfig;
  /** Problems with the link, as plain text: each says what was used instead. */
  warnings: string[];
  /** What was done that the user should know of (settings on top of a preset...). */
  notes: string[];
  /** Where the experiment came from, for messages: 'This link' or 'Preset "..."'. */
  source: string;
  /** run=1 on a link without problems. */
  autostart: boolean;
  /** Set with autostart when the run is costly: the question to ask before starting. */
  confirm?: string;
  /** The experiment as a fragment (no '#', no run=1): what the address bar shows after reading. */
  normalized: string;
}

async function presetBase(
  raw: string,
  presets: PresetSource,
  warnings: string[],
): Promise<{ entry: PresetEntry; config: ExperimentConfig } | undefined> {
  if (!isPresetId(raw)) {
    warnings.push(`preset=${shown(raw) || '(empty)'}: not a preset name (lowercase letters, digits and dashes); ignored`);
    return undefined;
  }
  let index: PresetEntry[];
  try {
    index = await presets.index();
  } catch (e) {
    warnings.push(`preset=${raw}: the preset list could not be loaded (${e instanceof Error ? e.message : String(e)}); ignored`);
    return undefined;
  }
  const entry = index.find((p) => p.id === raw);
  if (!entry) {
    warnings.push(`preset=${raw}: there is no such preset (known: ${index.map((p) => p.id).join(', ') || 'none'}); ignored`);
    return undefined;
  }
  const { config, warnings: own } = parsePreset(await presets.load(entry));
  warnings.push(...own.map((w) => `preset ${entry.id}: ${w}`));
  return { entry, config };
}

/** Reads `query` (the fragment or query string, without '#' or '?'). Never throws for a
 * bad link; only a preset file that cannot be fetched propagates its error. */
export async function readLink(query: string, presets: PresetSource): Promise<LinkReading> {
  const warnings: string[] = [];
  const notes: string[] = [];
  const rawPreset = queryParam(query, 'preset');
  const preset = rawPreset === undefined ? undefined : await presetBase(rawPreset, presets, warnings);
  const decoded = decodeExperiment(query, preset && { config: preset.config, name: "preset's" });
  warnings.push(...decoded.warnings);
  notes.push(...decoded.notes);
  const config = decoded.config;
  const source = preset ? `Preset "${preset.entry.title}"` : 'This link';
  const own = linkSettingKeys(query);
  if (preset && own.length) notes.push(`the link's own settings (${own.join(', ')}) were applied on top of preset ${preset.entry.id}`);
  const asked = queryParam(query, 'run') === '1';
  const autostart = asked && warnings.length === 0;
  if (asked && !autostart) notes.push('run=1 was not followed because the link has problems: check the settings, then press Run');
  const reading: LinkReading = { config, warnings, notes, source, autostart, normalized: encodeExperiment(config) };
  if (autostart) {
    const flops = trainingFlops(config);
    if (!(flops <= AUTOSTART_MAX_FLOPS)) {
      const runs = config.schemes.length;
      reading.confirm = `This link asks to start training at once: about ${describeFlops(flops)} (${runs} run${runs === 1 ? '' : 's'} x ${config.steps.toLocaleString('en-US')} steps x batch ${config.batchSize}), which can take hours on this GPU. Start it now?`;
    }
  }
  return reading;
}
