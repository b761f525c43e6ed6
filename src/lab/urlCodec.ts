// Shareable experiment links: ExperimentConfig <-> the query after '?' or '#', driven by
// the field table in urlSchema.ts. Readable `key=value` pairs, defaults left out, and a
// `c=` lz-string form when that is shorter. Decoding never throws and never evaluates
// anything: each problem becomes a plain-text warning and a default.

// The default export: lz-string is CommonJS, whose named exports plain Node cannot see.
import LZString from 'lz-string';
import { defaultExperiment, fieldApplies } from './experimentFields';
import { EXPERIMENT_VERSION, type ExperimentConfig } from './experimentConfig';
import { checkVersion, fieldValue, getPath, readFields, repairExperiment, SCHEMA, setField, type FieldSource } from './urlSchema';
import { isPlainObject, parseNumber, shown, stripInvisible } from './urlValues';

const { compressToEncodedURIComponent, decompressFromEncodedURIComponent } = LZString;

export const MAX_QUERY_CHARS = 8192;
const MAX_DECOMPRESSED_CHARS = 16384;
const MAX_WARNINGS = 30;

/** Keys that are not config fields but belong to the link. */
const LINK_KEYS = new Set(['v', 'c', 'run', 'preset']);
const FIELD_BY_KEY = new Map(SCHEMA.map((f) => [f.key, f]));
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface DecodedExperiment {
  config: ExperimentConfig;
  warnings: string[];
  /** The warnings (also in `warnings`) that only name fields this lab does not know. */
  unknownFields?: string[];
  /** What the user should know that is no problem (an older version, read unchanged). */
  notes: string[];
}

/** A query may carry ",", ":", "/", "(", ")" and (as browsers keep them) "[" "]" as they are: run lists stay readable. */
const escapeValue = (v: string) => encodeURIComponent(v).replace(/%(2C|3A|5B|5D|2F)/g, (e) => decodeURIComponent(e));

/** Only the fields that differ from what decoding would already have, in table order. */
function changedFields(cfg: ExperimentConfig): [string, string][] {
  const d = defaultExperiment();
  const out: [string, string][] = [];
  for (const f of SCHEMA) {
    if (!fieldApplies(f, cfg)) continue;
    const v = fieldValue(cfg, f);
    if (f.type.equal(v, fieldValue(d, f))) continue;
    out.push([f.key, f.type.format(v)]);
    setField(d, f, v);
  }
  return out;
}

/** The query for `cfg` without '?' or '#': `v=1` for the default experiment. */
export function encodeExperiment(cfg: ExperimentConfig): string {
  const pairs = changedFields(cfg);
  const head = `v=${EXPERIMENT_VERSION}`;
  const plain = [head, ...pairs.map(([k, v]) => `${k}=${escapeValue(v)}`)].join('&');
  if (pairs.length < 2) return plain;
  const packed = `${head}&c=${compressToEncodedURIComponent(JSON.stringify(Object.fromEntries(pairs)))}`;
  return packed.length < plain.length ? packed : plain;
}

/** `baseUrl` with the experiment in its fragment; `run=1` asks the app to start it. */
export function experimentLink(baseUrl: string, cfg: ExperimentConfig, opts: { autostart?: boolean } = {}): string {
  const base = baseUrl.split('#')[0];
  return `${base}#${encodeExperiment(cfg)}${opts.autostart ? '&run=1' : ''}`;
}

interface Entry {
  key: string;
  value: string;
}

function stripQuery(query: string): string {
  return query.startsWith('?') || query.startsWith('#') ? query.slice(1) : query;
}

function splitQuery(query: string, warnings: string[]): Entry[] {
  const out: Entry[] = [];
  for (const part of stripQuery(query).split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const [rawKey, rawValue] = eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)];
    try {
      out.push({ key: decodeURIComponent(rawKey), value: decodeURIComponent(rawValue) });
    } catch {
      warnings.push(`${shown(rawKey)}: broken %-escape in the link, ignored`);
    }
  }
  return out;
}

/** The pairs packed in `c=`: a JSON object of strings, capped before and after inflating. */
function unpack(packed: string, warnings: string[]): Entry[] {
  let text: string | null = null;
  try {
    // Some tools turn '+' into a space; lz-string's alphabet has '+' but no space.
    text = decompressFromEncodedURIComponent(packed.replace(/ /g, '+'));
  } catch {
    text = null;
  }
  if (!text) {
    warnings.push('c: the compressed settings could not be read (truncated or damaged link); ignored');
    return [];
  }
  if (text.length > MAX_DECOMPRESSED_CHARS) {
    warnings.push(`c: the compressed settings unpack to more than ${MAX_DECOMPRESSED_CHARS} characters; ignored`);
    return [];
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    warnings.push('c: the compressed settings are not valid JSON; ignored');
    return [];
  }
  if (!isPlainObject(json)) {
    warnings.push('c: the compressed settings are not a key-value object; ignored');
    return [];
  }
  const out: Entry[] = [];
  for (const key of Object.keys(json)) {
    const value = json[key];
    if (FORBIDDEN_KEYS.has(key)) warnings.push(`c: key ${key} is not allowed; ignored`);
    else if (typeof value !== 'string') warnings.push(`c: ${shown(key)} is not text; ignored`);
    else out.push({ key, value });
  }
  return out;
}

/** First value per key; repeats are reported, not merged. */
function firstByKey(entries: Entry[], warnings: string[]): Map<string, string> {
  const map = new Map<string, string>();
  const repeated = new Set<string>();
  for (const { key, value } of entries) {
    if (!map.has(key)) map.set(key, value);
    else if (!repeated.has(key)) {
      repeated.add(key);
      warnings.push(`${shown(key)}: given more than once; used the first value ${shown(map.get(key))}`);
    }
  }
  return map;
}

/** Invisible characters (a zero-width space pasted with a number, a bidi mark in a name)
 * are removed, with a warning: they would make a value differ from what the link shows. */
function visible(entries: Entry[], warnings: string[]): Entry[] {
  return entries.map(({ key, value }) => {
    const k = stripInvisible(key);
    const v = stripInvisible(value);
    const removed = [...new Set([...k.removed, ...v.removed])];
    if (removed.length)
      warnings.push(
        `${shown(k.text) || '(empty name)'}: removed invisible character${removed.length > 1 ? 's' : ''} ${removed.join(', ')} from the link`,
      );
    return { key: k.text, value: v.text };
  });
}

function readEntries(query: string, warnings: string[]): Map<string, string> {
  const outer = visible(splitQuery(query, warnings), warnings);
  const packed = outer.find((e) => e.key === 'c');
  const inner = packed ? visible(unpack(packed.value, warnings), warnings) : [];
  return firstByKey([...outer, ...inner], warnings);
}

function urlSource(map: Map<string, string>): FieldSource {
  return {
    has: (f) => map.has(f.key),
    raw: (f) => f.type.parse(map.get(f.key) ?? ''),
    where: (f) => `${f.key}=${shown(map.get(f.key))}`,
  };
}

function capWarnings(warnings: string[]): string[] {
  if (warnings.length <= MAX_WARNINGS) return warnings;
  return [...warnings.slice(0, MAX_WARNINGS), `... and ${warnings.length - MAX_WARNINGS} more problems`];
}

/** The experiment a link describes, on top of `base` (the defaults, or a preset the link
 * names). Never throws: every unknown key, bad or clamped value and clash gives a warning
 * and the base's value for that part. */
export function decodeExperiment(query: string, base?: { config: ExperimentConfig; name: string }): DecodedExperiment {
  const warnings: string[] = [];
  const notes: string[] = [];
  if (typeof query !== 'string')
    return { config: defaultExperiment(), warnings: ['the link settings are not text; used the default experiment'], notes };
  if (query.length > MAX_QUERY_CHARS) {
    return {
      config: defaultExperiment(),
      warnings: [`the link settings are longer than ${MAX_QUERY_CHARS} characters; used the default experiment`],
      notes,
    };
  }
  const map = readEntries(query, warnings);
  const v = map.get('v');
  if (v !== undefined) {
    const n = parseNumber(v);
    checkVersion('value' in n ? n.value : v, `v=${shown(v)}`, warnings, notes);
  }
  for (const key of map.keys()) {
    if (!FIELD_BY_KEY.has(key) && !LINK_KEYS.has(key)) warnings.push(`unknown setting ${shown(key) || '(empty name)'}; ignored`);
  }
  const run = map.get('run');
  if (run !== undefined && run !== '1' && run !== '0') warnings.push(`run=${shown(run)}: use run=1 to start at once; ignored`);
  const config = repairExperiment(readFields(urlSource(map), warnings, base?.config), warnings, base?.config, base?.name);
  return { config, warnings: capWarnings(warnings), notes };
}

/** One link parameter as text (first value), e.g. `preset`; undefined when absent. */
export function queryParam(query: string, key: string): string | undefined {
  if (typeof query !== 'string' || query.length > MAX_QUERY_CHARS) return undefined;
  return firstByKey(visible(splitQuery(query, []), []), []).get(key);
}

/** The experiment fields a link sets itself (link keys such as preset, v and run, and unknown keys, left out). */
export function linkSettingKeys(query: string): string[] {
  if (typeof query !== 'string' || query.length > MAX_QUERY_CHARS) return [];
  return [...readEntries(query, []).keys()].filter((k) => FIELD_BY_KEY.has(k));
}

/** The same reading for a config written as JSON (presets, saved files): same table,
 * same clamping, same repair; unknown fields are reported. */
export function decodeExperimentJson(json: unknown): DecodedExperiment {
  const warnings: string[] = [];
  const notes: string[] = [];
  if (!isPlainObject(json))
    return { config: defaultExperiment(), warnings: ['the experiment is not a JSON object; used the default experiment'], notes };
  const version = getPath(json, ['version']);
  checkVersion(version.value, `version = ${shown(version.value)}`, warnings, notes);
  const unknownFields: string[] = [];
  reportUnknownJson(json, [], unknownFields, warnings);
  const source: FieldSource = {
    has: (f) => getPath(json, f.path).found,
    raw: (f) => ({ value: getPath(json, f.path).value }),
    where: (f) => `${f.path.join('.')} = ${shown(getPath(json, f.path).value)}`,
    // A section that names its kind is written out in full (as a saved config is): an
    // optional field it leaves out is unset, the optimizer's or schedule's own default.
    unset: (f) => f.type.shape.optional === true && f.path.length > 1 && getPath(json, [f.path[0], 'kind']).found,
  };
  const config = repairExperiment(readFields(source, warnings), warnings);
  return { config, warnings: capWarnings(warnings), unknownFields, notes };
}

const JSON_LEAVES = new Set(['version', ...SCHEMA.map((f) => f.path.join('.'))]);
const JSON_BRANCHES = new Set(SCHEMA.flatMap((f) => f.path.slice(0, -1).map((_, i) => f.path.slice(0, i + 1).join('.'))));

/** Unknown fields go to both lists (in order), a known section that is no object only to `warnings`. */
function reportUnknownJson(obj: Record<string, unknown>, prefix: string[], unknown: string[], warnings: string[]): void {
  for (const key of Object.keys(obj)) {
    const path = [...prefix, key].join('.');
    if (JSON_LEAVES.has(path)) continue;
    const child = obj[key];
    if (!JSON_BRANCHES.has(path)) {
      const w = `unknown field ${shown(path)}; ignored`;
      unknown.push(w);
      warnings.push(w);
    } else if (!isPlainObject(child)) warnings.push(`${path}: not an object; used the defaults`);
    else reportUnknownJson(child, [...prefix, key], unknown, warnings);
  }
}
