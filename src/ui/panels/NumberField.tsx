// Labelled text inputs that only hand valid values upward (a number, a list of whole
// numbers): while the text is bad the store keeps its last valid value and the field
// says what is wrong.
import { useId, useState } from 'react';
import { formatInput, formatIntList, parseIntList, parseNumberText, type NumberRule, type Parsed } from './format';

interface ParsedFieldProps<T> {
  label: string;
  value: T;
  onChange(v: T): void;
  parse(text: string): Parsed<T>;
  format(v: T): string;
  same(a: T, b: T): boolean;
  title?: string;
  placeholder?: string;
  /** Shown after the input, e.g. "px". */
  unit?: string;
}

function ParsedField<T>({ label, value, onChange, parse, format, same, title, placeholder, unit }: ParsedFieldProps<T>) {
  const id = useId();
  const [text, setText] = useState(() => format(value));
  const [shown, setShown] = useState(value);
  const [error, setError] = useState<string>();
  // Reset or another field moved the value: show it. Our own commits update `shown` in
  // the same event, so typing "0.50" is not rewritten to "0.5" under the cursor.
  if (!same(value, shown)) {
    setShown(value);
    setText(format(value));
    setError(undefined);
  }
  const edit = (t: string) => {
    setText(t);
    const p = parse(t);
    if (!p.ok) return setError(p.error);
    setError(undefined);
    setShown(p.value);
    if (!same(p.value, value)) onChange(p.value);
  };
  return (
    <div className={`field${error ? ' field-invalid' : ''}`} title={title}>
      <label htmlFor={id}>{label}</label>
      <span className="field-input">
        <input
          id={id}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          spellCheck={false}
          value={text}
          placeholder={placeholder}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-err` : undefined}
          onChange={(ev) => edit(ev.target.value)}
          onBlur={() => {
            if (!error) setText(format(value));
          }}
        />
        {unit ? <span className="unit">{unit}</span> : null}
      </span>
      {error ? (
        <span id={`${id}-err`} className="field-error">
          {error}
        </span>
      ) : null}
    </div>
  );
}

type Common = Pick<ParsedFieldProps<unknown>, 'label' | 'title' | 'placeholder' | 'unit'>;

export function NumberField(props: Common & NumberRule & { value: number; onChange(v: number): void }) {
  const { label, title, placeholder, unit, value, onChange, ...rule } = props;
  return (
    <ParsedField<number>
      {...{ label, title, placeholder, unit, value }}
      onChange={onChange}
      // A required number never parses to undefined: optional is off here.
      parse={(t) => parseNumberText(t, { ...rule, optional: false }) as Parsed<number>}
      format={formatInput}
      same={Object.is}
    />
  );
}

/** A number that may be left empty (undefined: derived, as the placeholder says). */
export function OptionalNumberField(props: Common & NumberRule & { value: number | undefined; onChange(v: number | undefined): void }) {
  const { label, title, placeholder, unit, value, onChange, ...rule } = props;
  return (
    <ParsedField<number | undefined>
      {...{ label, title, placeholder, unit, value }}
      onChange={onChange}
      parse={(t) => parseNumberText(t, { ...rule, optional: true })}
      format={formatInput}
      same={Object.is}
    />
  );
}

export function IntListField(
  props: Common & { value: number[]; onChange(v: number[]): void; what: string; lengths?: readonly number[]; max?: number },
) {
  const { label, title, placeholder, unit, value, onChange, what, lengths, max } = props;
  return (
    <ParsedField<number[]>
      {...{ label, title, placeholder, unit, value }}
      onChange={onChange}
      parse={(t) => parseIntList(t, what, lengths, max)}
      format={formatIntList}
      same={(a, b) => a.length === b.length && a.every((x, i) => x === b[i])}
    />
  );
}
