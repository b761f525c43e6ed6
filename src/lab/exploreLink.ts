// The init explorer's part of the page link: its own `explore=` section of the fragment,
// after the experiment's (page#<experiment>#explore=depth:8,width:16,...), so it never
// touches the experiment's link fields. Present while the explorer is open; a shared
// link reopens it with the same settings. Every key and range comes from STAGE_FIELDS;
// a bad value falls back to its default with a warning, as the experiment link does.

import type { InitSchemeId } from '../nn';
import { defaultStageSettings, fieldProblem, parseSchemeList, STAGE_FIELD_KEYS, type StageSettings } from './stageNet';

export interface ExplorerState extends StageSettings {
  schemes: InitSchemeId[];
}

const DEFAULT_EXPLORER_SCHEMES: readonly InitSchemeId[] = ['he', 'risotto'];

export function defaultExplorerState(): ExplorerState {
  return { ...defaultStageSettings(), schemes: [...DEFAULT_EXPLORER_SCHEMES] };
}

const PREFIX = 'explore=';

/** The fragment (without its leading '#') split into the experiment's part and the
 * explorer's section (undefined when the explorer is not open). */
export function splitExploreSection(fragment: string): { rest: string; explore?: string } {
  if (fragment.startsWith(PREFIX)) return { rest: '', explore: fragment.slice(PREFIX.length) };
  const at = fragment.indexOf(`#${PREFIX}`);
  if (at < 0) return { rest: fragment };
  return { rest: fragment.slice(0, at), explore: fragment.slice(at + 1 + PREFIX.length) };
}

/** The fragment with the explorer's section set (or removed when `explore` is undefined). */
export function joinExploreSection(rest: string, explore: string | undefined): string {
  if (explore === undefined) return rest;
  return rest ? `${rest}#${PREFIX}${explore}` : `${PREFIX}${explore}`;
}

export function encodeExplorer(s: ExplorerState): string {
  const fields = STAGE_FIELD_KEYS.map((k) => `${k}:${s[k]}`);
  return [...fields, `bn:${s.batchNorm ? 1 : 0}`, `schemes:${s.schemes.join('+')}`].join(',');
}

/** Never throws: each unknown key or bad value is a warning and the default is used. */
export function decodeExplorer(text: string): { state: ExplorerState; warnings: string[] } {
  const state = defaultExplorerState();
  const warnings: string[] = [];
  const shown = (v: string) => JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  let plain = text;
  try {
    plain = decodeURIComponent(text);
  } catch {
    warnings.push('explore: the settings are not valid URL text; read as they are');
  }
  for (const part of plain.split(',').filter(Boolean)) {
    const [key, value = ''] = part.split(':', 2);
    if (key === 'bn') {
      if (value === '1' || value === '0') state.batchNorm = value === '1';
      else warnings.push(`explore bn:${shown(value)} must be 1 or 0; BatchNorm off`);
    } else if (key === 'schemes') {
      try {
        state.schemes = parseSchemeList(value.replace(/\+/g, ','));
      } catch (e) {
        warnings.push(`explore schemes: ${(e as Error).message}; using ${state.schemes.join(', ')}`);
      }
    } else if ((STAGE_FIELD_KEYS as string[]).includes(key)) {
      const k = key as (typeof STAGE_FIELD_KEYS)[number];
      const v = value.trim() === '' ? NaN : Number(value);
      const problem = fieldProblem(k, v);
      if (problem) warnings.push(`explore ${problem}; using ${state[k]}`);
      else state[k] = v;
    } else warnings.push(`explore: unknown setting ${shown(key)} (known: ${[...STAGE_FIELD_KEYS, 'bn', 'schemes'].join(', ')}); ignored`);
  }
  return { state, warnings };
}
