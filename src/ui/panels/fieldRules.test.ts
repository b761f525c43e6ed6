import { describe, expect, it } from 'vitest';
import { FIELDS } from '../../lab/experimentFields';
import { fieldText, listRule, numberRule } from './fieldRules';
import { parseIntList, parseNumberText } from './format';

describe('the form reads its limits from the field table', () => {
  const numbers = FIELDS.filter((f) => f.type.shape.kind === 'number');

  it('accepts each number field from its minimum to its maximum, and nothing beyond', () => {
    for (const f of numbers) {
      const rule = numberRule(f.key);
      const { min, max } = rule as { min: number; max: number };
      expect(parseNumberText(String(min), rule).ok, f.key).toBe(true);
      expect(parseNumberText(String(max), rule).ok, f.key).toBe(true);
      expect(parseNumberText(String(max * 2 + 1), rule), f.key).toEqual({ ok: false, error: `must be at most ${max}` });
      expect(parseNumberText(String(min - 1), rule).ok, f.key).toBe(false);
    }
    // The bounds that used to differ between the form, the links and the validator.
    expect(numberRule('lr')).toMatchObject({ label: 'Learning rate', min: 1e-8, max: 10 });
    expect(numberRule('mom')).toMatchObject({ label: 'Momentum', min: 0, max: 0.999999 });
    expect(parseNumberText('0', numberRule('lr')).ok).toBe(false);
    expect(parseNumberText('1', numberRule('mom')).ok).toBe(false);
  });

  it('limits blocks per stage to 3 or 4 stages of at most 100 blocks', () => {
    const r = listRule('blocks');
    expect(r).toMatchObject({ label: 'Blocks per stage', lengths: [3, 4], max: 100 });
    expect(parseIntList('1,100,1', 'blocks', r.lengths, r.max).ok).toBe(true);
    expect(parseIntList('1,101,1', 'blocks', r.lengths, r.max)).toEqual({ ok: false, error: '101 is above the maximum 100' });
  });

  it('takes labels, tooltips and units from the table, and refuses a field of another kind', () => {
    expect(fieldText('crop')).toEqual({
      label: 'Crop padding',
      title: 'Pad by this many pixels, then crop at a random offset (0: off)',
      unit: 'px',
    });
    expect(() => numberRule('skip')).toThrow(/field skip is not a number but a choice/);
  });
});
