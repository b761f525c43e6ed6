// The experiment <-> the page URL: on load the link (or a #preset=id, with settings on
// top) restores the experiment, its warnings and notes shown as plain text, and the
// address bar is rewritten to the normalized experiment; afterwards every edit is written
// back (replaceState), so the address bar is always a clean, shareable link.
import type { ExperimentConfig } from '../lab';
import {
  readLink,
  type LinkReading,
  parsePreset,
  parsePresetIndex,
  PRESET_INDEX_PATH,
  type PresetEntry,
  encodeExperiment,
  experimentLink,
  joinExploreSection,
  splitExploreSection,
} from '../lab';
import { currentExploreSection } from './explorer/explorerUrl';
import { useFormGeneration } from './panels/formGeneration';
import { useLabStore } from './store';

/** The experiment's part of the link (the init explorer keeps its own section). */
function linkQuery(): string {
  return splitExploreSection(location.hash.replace(/^#/, '')).rest || location.search.replace(/^\?/, '');
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
  applyExperiment(config, warnings, [], `Preset "${entry.title}"`);
}

function applyExperiment(config: ExperimentConfig, warnings: string[], notes: string[], source: string): void {
  const st = useLabStore.getState();
  st.setExperiment(() => config);
  useFormGeneration.getState().bump();
  const all = [...warnings, ...notes];
  st.setNotice(all.length ? { kind: warnings.length ? 'error' : 'info', text: `${source}: ${all.join('; ')}` } : undefined);
}

/** The address without any query string or fragment: links are built on it alone, so a
 * hostile query string never travels along. */
function pageAddress(): string {
  return `${location.origin}${location.pathname}`;
}

function showInAddressBar(fragment: string): void {
  history.replaceState(null, '', `${location.pathname}#${joinExploreSection(fragment, currentExploreSection())}`);
}

/** Whether the page was opened with experiment settings in its link. */
export function hasLink(): boolean {
  return linkQuery() !== '';
}

/** Reads the page's link once and puts the normalized experiment in the address bar,
 * so a reload shows no warnings again and never restarts a run; returns what was read
 * (undefined without a link). */
export async function restoreFromUrl(): Promise<LinkReading | undefined> {
  const query = linkQuery();
  if (!query) return undefined;
  const reading = await readLink(query, { index: loadPresetIndex, load: (entry) => fetchJson(`presets/${entry.file}`) });
  applyExperiment(reading.config, reading.warnings, reading.notes, reading.source);
  showInAddressBar(reading.normalized);
  return reading;
}

/** Keeps the URL equal to the experiment being edited. Returns the unsubscribe. */
export function syncUrlWithExperiment(): () => void {
  return useLabStore.subscribe((s, prev) => {
    if (s.experiment === prev.experiment) return;
    showInAddressBar(encodeExperiment(s.experiment));
  });
}

export function shareLink(config: ExperimentConfig, autostart: boolean): string {
  return experimentLink(pageAddress(), config, { autostart });
}
