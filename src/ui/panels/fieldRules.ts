// The form's view of the field table: a field's label, help (as the tooltip), unit and
// input limits, all read from lab/experimentFields.ts, so the form refuses exactly what
// the validator, the links and the CLI refuse. No React here.
import { fieldByKey } from '../../lab';
import type { NumberRule } from './format';

export interface FieldText {
  label: string;
  title: string;
  unit?: string;
}

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Label, tooltip and unit of the field with link key `key`. */
export function fieldText(key: string): FieldText {
  const f = fieldByKey(key);
  return { label: f.label, title: capitalized(f.help), ...(f.unit ? { unit: f.unit } : {}) };
}

/** A number field's text and limits; throws for a field that is not a number. */
export function numberRule(key: string): FieldText & NumberRule {
  const s = fieldByKey(key).type.shape;
  if (s.kind !== 'number') throw new Error(`field ${key} is not a number but a ${s.kind}`);
  return { ...fieldText(key), min: s.range.min, max: s.range.max, ...(s.range.integer ? { integer: true } : {}) };
}

/** A list field's text, allowed lengths and largest item. */
export function listRule(key: string): FieldText & { lengths: number[]; max: number } {
  const s = fieldByKey(key).type.shape;
  if (s.kind !== 'list') throw new Error(`field ${key} is not a list but a ${s.kind}`);
  const lengths = Array.from({ length: s.range.maxLength - s.range.minLength + 1 }, (_, i) => s.range.minLength + i);
  return { ...fieldText(key), lengths, max: s.range.max };
}
