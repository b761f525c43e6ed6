// The value types of the experiment URL schema: how one field's value is written as
// URL text, read back, and checked (type, range, clamping) whether it came from a URL
// or from a JSON file. No field table here (experimentFields.ts), no run list
// (runListType.ts) and no query handling.

/** A value, possibly with a note on what was changed to make it fit; or why none fits. */
export type Checked<T> = { value: T; note?: string } | { reason: string };

export interface ValueType<T> {
  /** URL text to a candidate, not yet range-checked. */
  parse(text: string): Checked<unknown>;
  /** A candidate from parse() or from JSON, checked and clamped. */
  accept(x: unknown): Checked<T>;
  format(v: T): string;
  equal(a: T, b: T): boolean;
  /** What it accepts, for the form's limits and the CLI's --help. */
  shape: ValueShape;
}

export type ValueShape = (
  | { kind: 'number'; range: NumberRange }
  | { kind: 'list'; range: ListRange }
  | { kind: 'choice'; choices: readonly string[] }
  | { kind: 'boolean' }
  | { kind: 'text'; example: string }
) & { optional?: boolean };

export const isPlainObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Characters that show as nothing, or change the direction or shape of text around
 * them: format characters (U+200B, U+FEFF, U+061C, the bidi controls...), line and
 * paragraph separators, and the Hangul fillers that render blank. */
const INVISIBLE = /[\p{Cf}\u2028\u2029\u115f\u1160\u3164\uffa0]/gu;

/** `text` without invisible characters, and which ones were removed (as U+XXXX). */
export function stripInvisible(text: string): { text: string; removed: string[] } {
  const removed = new Set<string>();
  const clean = text.replace(INVISIBLE, (ch) => {
    removed.add(`U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
    return '';
  });
  return { text: clean, removed: [...removed] };
}

/** URL-provided text as it may appear in a warning: short, one line, no control,
 * invisible or direction-changing characters. The UI shows it as text; this keeps it legible. */
export function shown(x: unknown): string {
  const s = typeof x === 'string' ? x : (JSON.stringify(x) ?? String(x));
  const clean = s.replace(/\p{Cc}/gu, '\uFFFD').replace(INVISIBLE, '\uFFFD');
  return clean.length > 40 ? `${clean.slice(0, 40)}\u2026` : clean;
}

/** What a shape accepts, in words: "a whole number from 1 to 512", "one of B, C". */
export function describeShape(s: ValueShape): string {
  const text = (() => {
    switch (s.kind) {
      case 'number':
        return `${s.range.integer ? 'a whole number' : 'a number'} from ${formatNumber(s.range.min)} to ${formatNumber(s.range.max)}`;
      case 'list': {
        const n = s.range.minLength === s.range.maxLength ? `${s.range.minLength}` : `${s.range.minLength} to ${s.range.maxLength}`;
        return `a list of ${n} ${s.range.integer ? 'whole numbers' : 'numbers'} from ${formatNumber(s.range.min)} to ${formatNumber(s.range.max)}`;
      }
      case 'choice':
        return `one of ${s.choices.join(', ')}`;
      case 'boolean':
        return 'on or off';
      case 'text':
        return `text like ${s.example}`;
    }
  })();
  return s.optional ? `${text}, or left out` : text;
}

// Accepts what people type (1e-3, .5, -2); refuses hex, '', 'Infinity', '1_000'.
const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

export function parseNumber(text: string): Checked<number> {
  const t = text.trim();
  if (t.length > 40 || !NUMBER_RE.test(t)) return { reason: 'not a number' };
  return { value: Number(t) };
}

/** Shortest exact text; 'e+' would read as 'e ' through form decoders. */
export const formatNumber = (v: number): string => String(v).replace('e+', 'e');

export interface NumberRange {
  min: number;
  max: number;
  integer?: boolean;
}

export function checkNumber(x: unknown, r: NumberRange): Checked<number> {
  if (typeof x !== 'number' || Number.isNaN(x)) return { reason: 'not a number' };
  if (!Number.isFinite(x)) return { reason: 'not a finite number' };
  let v = x === 0 ? 0 : x; // -0 would not survive a round trip as text
  const notes: string[] = [];
  if (r.integer && !Number.isInteger(v)) {
    v = Math.round(v);
    notes.push(`not a whole number, rounded to ${v}`);
  }
  if (v < r.min) {
    notes.push(`below the minimum ${formatNumber(r.min)}, used ${formatNumber(r.min)}`);
    v = r.min;
  } else if (v > r.max) {
    notes.push(`above the maximum ${formatNumber(r.max)}, used ${formatNumber(r.max)}`);
    v = r.max;
  }
  return { value: v, note: notes.join('; ') || undefined };
}

export function numberType(r: NumberRange): ValueType<number> {
  return {
    parse: parseNumber,
    accept: (x) => checkNumber(x, r),
    format: formatNumber,
    equal: (a, b) => a === b,
    shape: { kind: 'number', range: r },
  };
}

export function optionalType<T>(inner: ValueType<T>): ValueType<T | undefined> {
  return {
    // Empty text means "not set": the optimizer's or schedule's own default applies.
    parse: (text) => (text === '' ? { value: undefined } : inner.parse(text)),
    accept: (x) => (x === undefined ? { value: undefined } : inner.accept(x)),
    format: (v) => (v === undefined ? '' : inner.format(v)),
    equal: (a, b) => (a === undefined || b === undefined ? a === b : inner.equal(a, b)),
    shape: { ...inner.shape, optional: true },
  };
}

const TRUE_WORDS = ['1', 'true', 'yes', 'on'];
const FALSE_WORDS = ['0', 'false', 'no', 'off'];

export const booleanType: ValueType<boolean> = {
  parse: (text) => {
    const t = text.trim().toLowerCase();
    if (TRUE_WORDS.includes(t)) return { value: true };
    if (FALSE_WORDS.includes(t)) return { value: false };
    return { reason: 'not 1 or 0' };
  },
  accept: (x) => (typeof x === 'boolean' ? { value: x } : { reason: 'not true or false' }),
  format: (v) => (v ? '1' : '0'),
  equal: (a, b) => a === b,
  shape: { kind: 'boolean' },
};

export function choiceType<T extends string>(choices: readonly T[]): ValueType<T> {
  const accept = (x: unknown): Checked<T> => {
    const found = typeof x === 'string' ? choices.find((c) => c.toLowerCase() === x.trim().toLowerCase()) : undefined;
    return found !== undefined ? { value: found } : { reason: `not one of ${choices.join(', ')}` };
  };
  return { parse: (text) => ({ value: text }), accept, format: (v) => v, equal: (a, b) => a === b, shape: { kind: 'choice', choices } };
}

export interface ListRange extends NumberRange {
  minLength: number;
  maxLength: number;
  /** Sort and drop repeats (milestones), rather than keep the order given. */
  sorted?: boolean;
}

export function intListType(r: ListRange): ValueType<number[]> {
  return {
    parse: (text) => {
      if (text.trim() === '') return { value: [] };
      const out: number[] = [];
      for (const part of text.split(',')) {
        const n = parseNumber(part);
        if ('reason' in n) return { reason: `item ${shown(part)} is not a number` };
        out.push(n.value);
      }
      return { value: out };
    },
    accept: (x) => {
      if (!Array.isArray(x)) return { reason: 'not a list of numbers' };
      if (x.length < r.minLength || x.length > r.maxLength) {
        return {
          reason:
            r.minLength === r.maxLength ? `needs ${r.minLength} items` : `needs ${r.minLength} to ${r.maxLength} items, got ${x.length}`,
        };
      }
      const notes: string[] = [];
      let out: number[] = [];
      for (const [i, item] of x.entries()) {
        const n = checkNumber(item, r);
        if ('reason' in n) return { reason: `item ${i + 1} is ${n.reason}` };
        if (n.note) notes.push(`item ${i + 1} ${n.note}`);
        out.push(n.value);
      }
      if (r.sorted) {
        const tidy = [...new Set(out)].sort((a, b) => a - b);
        if (tidy.join() !== out.join()) notes.push('sorted, repeats dropped');
        out = tidy;
      }
      return { value: out, note: notes.join('; ') || undefined };
    },
    format: (v) => v.map(formatNumber).join(','),
    equal: (a, b) => a.length === b.length && a.every((v, i) => v === b[i]),
    shape: { kind: 'list', range: r },
  };
}
