// Scheme colours must be stable by id and distinct per run.
import { describe, expect, it } from 'vitest';
import { SCHEME_COLORS, dashOf, mix, ownKey, runStyles, schemeColor, schemeIdOfKey, shadeOf } from './chartColors';

describe('scheme colours', () => {
  it('are fixed per scheme id and all different', () => {
    expect(schemeColor('risotto')).toBe(SCHEME_COLORS.risotto);
    const all = Object.values(SCHEME_COLORS);
    expect(new Set(all).size).toBe(all.length);
  });
  it('give unknown ids a stable spare colour', () => {
    expect(schemeColor('fromTheFuture')).toBe(schemeColor('fromTheFuture'));
    expect(schemeColor('fromTheFuture')).toMatch(/^#[0-9a-f]{6}$/);
  });
  it('mix toward black and white', () => {
    expect(mix('#808080', -1)).toBe('#000000');
    expect(mix('#808080', 1)).toBe('#ffffff');
    expect(shadeOf('#123456', 0)).toBe('#123456');
    expect(shadeOf('#808080', 1)).not.toBe(shadeOf('#808080', 2));
  });
  it('read the scheme from a run key', () => {
    expect(schemeIdOfKey('risotto(alpha=0.5)')).toBe('risotto');
    expect(schemeIdOfKey('he')).toBe('he');
    expect(schemeIdOfKey('he[bn=1]')).toBe('he');
  });
});

describe('runStyles', () => {
  it('keep a scheme colour regardless of position, shading further runs of it', () => {
    const a = runStyles([{ key: 'he' }, { key: 'risotto' }]);
    const b = runStyles([{ key: 'risotto' }, { key: 'fixup' }, { key: 'he' }]);
    expect(a[1].color).toBe(SCHEME_COLORS.risotto);
    expect(b[0].color).toBe(SCHEME_COLORS.risotto);
    expect(a[0].color).toBe(b[2].color);
    const c = runStyles([{ key: 'risotto(alpha=2)' }, { key: 'risotto' }, { key: 'risotto(alpha=3)', label: 'R3' }]);
    expect(c[1].color).toBe(SCHEME_COLORS.risotto);
    expect(new Set(c.map((s) => s.color)).size).toBe(3);
    expect(c[2].label).toBe('R3');
  });
  it('give an imported run the colour of the lab run it reproduces, dashed', () => {
    const s = runStyles([
      { key: 'risotto', schemeId: 'risotto' },
      { key: 'risotto(alpha=2)', schemeId: 'risotto' },
      { key: 'pytorch:risotto(alpha=2)', label: 'Risotto (PyTorch)', schemeId: 'risotto', external: true },
      { key: 'pytorch:he', schemeId: 'he', external: true },
    ]);
    expect(s[2].color).toBe(s[1].color);
    expect(s[2]).toMatchObject({ label: 'Risotto (PyTorch)', dashed: true });
    expect(s[3].color).toBe(SCHEME_COLORS.he);
    expect(s[0].dashed).toBeUndefined();
    expect(dashOf(s[3])).toBe('6 4');
    expect(dashOf(s[0])).toBeUndefined();
  });
  it('read the lab run key of an imported run', () => {
    expect(ownKey({ key: 'pytorch:risotto(alpha=0.5)', external: true })).toBe('risotto(alpha=0.5)');
    expect(ownKey({ key: 'risotto' })).toBe('risotto');
  });
});
