// The experiment <-> the page URL: on load the link (or a #preset=id) restores the
// experiment, with its warnings shown as plain text; afterwards every edit is written
// back into the URL (replaceState), so the address bar is always a shareable link.
import { decodeAutostart, decodeExperiment, encodeExperiment, experimentLink } from '../lab/urlCodec';
import { parsePreset, parsePresetIndex, presetIdFromQuery, PRESET_INDEX_PATH, type PresetEntry } from '../lab/presets';
import type { ExperimentConfig } from '../lab/experiment';
import { useFormGeneration } from './panels/formGeneration';
import { useLabStore } from './store';

function linkQuery(): string {
  return location.hash.replace(/^#/, '') || location.search.replace(/^\?/, '');
}

async function fetchJson(path: string): Promise<unknown> {
  const res = await fetch(`${import.meta.env.BASE_URL}${path}`);
  if (!res.ok) throw new Error(`could not load ${path}: HTTP ${res.status}`);
  return res.json();
}

export async function loadPresetIndex(): Promise<PresetEntry[]> {
  const { presets } = parsePresetIndex(await fetchJson(PRESET_INDEX_PATH));
  return presets;
}

export async function applyPreset(entry: PresetEntry): Promise<void> {
  const { config, warnings } = parsePreset(await fetchJson(`presets/${entry.file}`));
  applyExperiment(config, warnings, `Preset "${entry.title}"`);
}

function applyExperiment(config: ExperimentConfig, warnings: string[], source: string): void {
  const st = useLabStore.getState();
  st.setExperiment(() => config);
  useFormGeneration.getState().bump();
  st.setNotice(warnings.length ? { kind: 'error', text: `${source}: ${warnings.join('; ')}` } : undefined);
}

/** Whether the page was opened with experiment settings in its link. */
export function hasLink(): boolean {
  return linkQuery() !== '';
}

/** Reads the page's link once; returns whether it asked to start right away. */
export async function restoreFromUrl(): Promise<boolean> {
  const query = linkQuery();
  if (!query) return false;
  const presetId = presetIdFromQuery(query);
  if (presetId) {
    const entry = (await loadPresetIndex()).find((p) => p.id === presetId);
    if (entry) await applyPreset(entry);
    else useLabStore.getState().setNotice({ kind: 'error', text: `There is no preset "${presetId}"; showing the default experiment.` });
    return false;
  }
  const { config, warnings } = decodeExperiment(query);
  applyExperiment(config, warnings, 'This link');
  return decodeAutostart(query);
}

/** Keeps the URL equal to the experiment being edited. Returns the unsubscribe. */
export function syncUrlWithExperiment(): () => void {
  return useLabStore.subscribe((s, prev) => {
    if (s.experiment === prev.experiment) return;
    history.replaceState(null, '', `${location.pathname}${location.search}#${encodeExperiment(s.experiment)}`);
  });
}

export function shareLink(config: ExperimentConfig, autostart: boolean): string {
  return experimentLink(location.href, config, { autostart });
}
