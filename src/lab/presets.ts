// Named experiment presets shipped under public/presets/: the index format, reading one
// preset through the same checks as a shared link, and the link that opens a preset.
// Fetching the files is the caller's (the browser fetches, tests read the disk).

import { decodeExperimentJson, type DecodedExperiment } from './urlCodec';
import { isPlainObject, shown } from './urlValues';

export interface PresetEntry {
  id: string;
  title: string;
  description: string;
  /** File name inside presets/, e.g. "he-bn.json". */
  file: string;
}

/** Where the index lives, relative to the site root. */
export const PRESET_INDEX_PATH = 'presets/index.json';

// Ids travel in links and file names in fetches: keep both to a plain alphabet, so
// neither can leave the presets folder or carry markup.
const ID_RE = /^[a-z0-9][a-z0-9-]{0,63}$/;
const FILE_RE = /^[a-z0-9][a-z0-9-]{0,63}\.json$/;

export const isPresetId = (x: unknown): x is string => typeof x === 'string' && ID_RE.test(x);

/** The presets the index lists; entries that are malformed are left out with a warning. */
export function parsePresetIndex(json: unknown): { presets: PresetEntry[]; warnings: string[] } {
  const warnings: string[] = [];
  const data = typeof json === 'string' ? tryParse(json, warnings) : json;
  if (!Array.isArray(data)) {
    if (data !== undefined) warnings.push('the preset index is not a list');
    return { presets: [], warnings };
  }
  const presets: PresetEntry[] = [];
  const ids = new Set<string>();
  data.forEach((item: unknown, i) => {
    const e = isPlainObject(item) ? item : {};
    const { id, title, description, file } = e;
    if (!isPresetId(id))
      return void warnings.push(`preset ${i + 1}: id ${shown(id)} is not lowercase letters, digits and dashes; left out`);
    if (ids.has(id)) return void warnings.push(`preset ${id}: listed twice; left out the repeat`);
    if (typeof title !== 'string' || !title.trim()) return void warnings.push(`preset ${id}: has no title; left out`);
    if (typeof file !== 'string' || !FILE_RE.test(file))
      return void warnings.push(`preset ${id}: file ${shown(file)} is not a plain .json name; left out`);
    ids.add(id);
    presets.push({ id, title, description: typeof description === 'string' ? description : '', file });
  });
  return { presets, warnings };
}

/** One preset's ExperimentConfig JSON (text or parsed), read leniently like a link. */
export function parsePreset(json: unknown): DecodedExperiment {
  const warnings: string[] = [];
  const data = typeof json === 'string' ? tryParse(json, warnings) : json;
  const decoded = decodeExperimentJson(data);
  return { config: decoded.config, warnings: [...warnings, ...decoded.warnings], notes: decoded.notes };
}

/** The preset file's path relative to the site root. */
export const presetFilePath = (entry: PresetEntry): string => `presets/${entry.file}`;

/** A link that opens preset `id`; the app looks it up in the index. */
export function presetLink(id: string, baseUrl = ''): string {
  if (!isPresetId(id)) throw new Error(`preset id ${shown(id)} must be lowercase letters, digits and dashes`);
  return `${baseUrl.split('#')[0]}#preset=${id}`;
}

function tryParse(text: string, warnings: string[]): unknown {
  try {
    return JSON.parse(text);
  } catch {
    warnings.push('not valid JSON');
    return undefined;
  }
}
