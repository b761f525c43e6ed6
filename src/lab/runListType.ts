// The run list as one field value: `init=risotto(aRes:0.5),risotto[bn:1],he[bn:1,lres:1]`
// in a link, `[{ id, options?, model? }]` in JSON. Each run is a scheme, its options in
// parentheses and its own model settings in brackets (runModel.ts declares them); every
// unknown scheme, option or setting is dropped with a note. Not what the settings do.

import { INIT_SCHEMES, isInitSchemeId, type InitOptionSpec, type InitSchemeId } from '../nn';
import type { InitOptionValue } from '../nn';
import type { RunModel, SchemeChoice } from './experimentConfig';
import { RUN_MODEL_FIELDS, runModelEntries } from './runModel';
import { checkNumber, formatNumber, isPlainObject, parseNumber, shown, type Checked, type ValueType } from './urlValues';

const MAX_SCHEMES = 16;
// Options have a minimum but no maximum in the registry; a URL must not reach overflow.
const OPTION_LIMIT = 1e6;

/** Splits at commas outside parentheses and brackets. */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth = Math.max(0, depth - 1);
    else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function parseSchemes(text: string): Checked<unknown> {
  const notes: string[] = [];
  const items = splitTop(text).map((item) => {
    const m = /^([A-Za-z][\w-]*)(?:\((.*?)\))?(?:\[(.*)\])?$/s.exec(item);
    if (!m) return { id: item };
    const model = m[3] === undefined ? undefined : parseRunModel(item, m[3], notes);
    const options: Record<string, unknown> = {};
    const specs = schemeSpecs(m[1]);
    for (const pair of m[2] === undefined ? [] : m[2].split(',').filter((p) => p.trim() !== '')) {
      const kv = /^\s*([A-Za-z]\w*)\s*[:=](.*)$/s.exec(pair);
      if (!kv) {
        notes.push(`${shown(item)}: option ${shown(pair)} is not key:value, ignored`);
        continue;
      }
      const spec = specs.find((s) => s.key === kv[1]);
      const n = spec?.type === 'number' ? parseNumber(kv[2]) : undefined;
      // A known key gets its own slot only; Object.defineProperty keeps odd names inert.
      Object.defineProperty(options, kv[1], {
        value: n && 'value' in n ? n.value : kv[2].trim(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return model ? { id: m[1], options, model } : { id: m[1], options };
  });
  return { value: items, note: notes.join('; ') || undefined };
}

/** `bn:1,lres:1,blocks:2/2/2` as a run's JSON `model` (values parsed, not yet checked). */
function parseRunModel(item: string, text: string, notes: string[]): Record<string, unknown> {
  const model: Record<string, unknown> = {};
  for (const pair of text.split(',').filter((p) => p.trim() !== '')) {
    const kv = /^\s*([A-Za-z]\w*)\s*[:=](.*)$/s.exec(pair);
    const f = kv && RUN_MODEL_FIELDS.find((g) => g.key === kv[1].toLowerCase());
    if (!kv || !f) {
      notes.push(
        `${shown(item)}: run setting ${shown(pair)} is not one of ${RUN_MODEL_FIELDS.map((g) => `${g.key}:`).join(', ')}; ignored`,
      );
      continue;
    }
    const got = f.type.parse(kv[2].trim().replace(/\//g, ','));
    if ('reason' in got) notes.push(`${shown(item)}: run setting ${f.key}=${shown(kv[2])} is ${got.reason}; ignored`);
    else model[f.name] = got.value;
  }
  return model;
}

function schemeSpecs(id: string): readonly InitOptionSpec[] {
  const known = canonicalSchemeId(id);
  return known ? INIT_SCHEMES[known].options : [];
}

function canonicalSchemeId(id: unknown) {
  if (typeof id !== 'string') return undefined;
  if (isInitSchemeId(id)) return id;
  return Object.values(INIT_SCHEMES).find((s) => s.id.toLowerCase() === id.toLowerCase())?.id;
}

function checkOption(scheme: string, spec: InitOptionSpec, v: unknown, notes: string[]): InitOptionValue | undefined {
  if (spec.type === 'choice') {
    if (typeof v === 'string' && spec.choices.includes(v)) return v;
    notes.push(`${scheme} option ${spec.key}=${shown(v)} is not one of ${spec.choices.join(', ')}, dropped`);
    return undefined;
  }
  const n = checkNumber(v, { min: Math.max(spec.min ?? -OPTION_LIMIT, -OPTION_LIMIT), max: OPTION_LIMIT, integer: spec.integer });
  if ('reason' in n) {
    notes.push(`${scheme} option ${spec.key}=${shown(v)} is ${n.reason}, dropped`);
    return undefined;
  }
  if (spec.nonZero && n.value === 0) {
    notes.push(`${scheme} option ${spec.key} must not be 0, dropped`);
    return undefined;
  }
  if (n.note) notes.push(`${scheme} option ${spec.key}: ${n.note}`);
  return n.value;
}

function checkScheme(item: unknown, notes: string[], unknown: string[]): SchemeChoice | undefined {
  const raw = isPlainObject(item) ? item : { id: item };
  const id = canonicalSchemeId(raw.id);
  if (!id) {
    unknown.push(shown(raw.id));
    return undefined;
  }
  for (const key of Object.keys(raw))
    if (key !== 'id' && key !== 'options' && key !== 'model') notes.push(`${id}: unknown field ${shown(key)} ignored`);
  const model = checkRunModel(id, raw.model, notes);
  const options = checkOptions(id, raw.options, notes);
  return { id, ...(options ? { options } : {}), ...(model ? { model } : {}) };
}

function checkRunModel(id: InitSchemeId, given: unknown, notes: string[]): RunModel | undefined {
  if (given === undefined) return undefined;
  if (!isPlainObject(given)) {
    notes.push(`${id}: model settings are not a key-value list, ignored`);
    return undefined;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(given)) {
    const f = RUN_MODEL_FIELDS.find((g) => g.name === key);
    if (!f) {
      notes.push(`${id} has no model setting ${shown(key)} (settings: ${RUN_MODEL_FIELDS.map((g) => g.name).join(', ')}), dropped`);
      continue;
    }
    const got = f.type.accept(given[key]);
    const spec = INIT_SCHEMES[id].options.find((s) => s.key === f.name);
    if ('reason' in got) notes.push(`${id} ${f.name}=${shown(given[key])} is ${got.reason}, dropped`);
    else if (spec?.type === 'number' && spec.nonZero && got.value === 0)
      notes.push(`${id} ${f.name} must not be 0 (the scheme divides by it), dropped`);
    else {
      if (got.note) notes.push(`${id} ${f.name}: ${got.note}`);
      out[f.name] = got.value;
    }
  }
  return Object.keys(out).length ? (out as RunModel) : undefined;
}

function checkOptions(id: InitSchemeId, given: unknown, notes: string[]): Record<string, InitOptionValue> | undefined {
  if (given === undefined) return undefined;
  if (!isPlainObject(given)) {
    notes.push(`${id}: options are not a key-value list, ignored`);
    return undefined;
  }
  const specs = INIT_SCHEMES[id].options;
  const options: Record<string, InitOptionValue> = {};
  for (const key of Object.keys(given)) {
    const spec = specs.find((s) => s.key === key);
    if (!spec) {
      notes.push(`${id} has no option ${shown(key)} (options: ${specs.map((s) => s.key).join(', ') || 'none'}), dropped`);
      continue;
    }
    const v = checkOption(id, spec, given[key], notes);
    if (v !== undefined) options[spec.key] = v;
  }
  return Object.keys(options).length ? options : undefined;
}

/** Options in the registry's order, so equal choices read the same. */
function formatScheme(s: SchemeChoice): string {
  const opts = (INIT_SCHEMES[s.id]?.options ?? [])
    .filter((spec) => s.options?.[spec.key] !== undefined)
    .map((spec) => {
      const v = s.options![spec.key];
      return `${spec.key}:${typeof v === 'number' ? formatNumber(v) : v}`;
    });
  const settings = runModelEntries(s.model).map(([f, v]) => `${f.key}:${f.type.format(v as never).replace(/,/g, '/')}`);
  return `${s.id}${opts.length ? `(${opts.join(',')})` : ''}${settings.length ? `[${settings.join(',')}]` : ''}`;
}

function acceptSchemes(x: unknown): Checked<SchemeChoice[]> {
  if (!Array.isArray(x)) return { reason: 'not a list of schemes' };
  if (x.length === 0) return { reason: 'no scheme given: pick at least one' };
  const notes: string[] = [];
  if (x.length > MAX_SCHEMES) notes.push(`more than ${MAX_SCHEMES} schemes, kept the first ${MAX_SCHEMES}`);
  const out: SchemeChoice[] = [];
  const seen = new Set<string>();
  const unknown: string[] = [];
  for (const item of x.slice(0, MAX_SCHEMES)) {
    const s = checkScheme(item, notes, unknown);
    if (!s) continue;
    const key = formatScheme(s);
    if (seen.has(key)) notes.push(`${key} is listed twice, dropped the repeat`);
    else out.push(s);
    seen.add(key);
  }
  if (unknown.length)
    notes.unshift(
      `unknown scheme${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} dropped (known: ${Object.keys(INIT_SCHEMES).join(', ')})`,
    );
  if (!out.length) return { reason: [...notes, 'no known scheme left'].join('; ') };
  return { value: out, note: notes.join('; ') || undefined };
}

export const schemesType: ValueType<SchemeChoice[]> = {
  parse: parseSchemes,
  accept: acceptSchemes,
  format: (v) => v.map(formatScheme).join(','),
  equal: (a, b) => a.map(formatScheme).join() === b.map(formatScheme).join(),
  shape: { kind: 'text', example: 'risotto,risotto[bn:1],he[bn:1,lres:1]' },
};
