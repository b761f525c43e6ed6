// Hostile and odd links as the app reads them (preset lookups, settings on top of a
// preset, run=1 and its cost, invisible characters, the normalized address). Presets
// come from public/presets on disk; each test counts which files were asked for.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultExperiment } from './experimentFields';
import { AUTOSTART_MAX_FLOPS, trainingFlops } from './linkCost';
import { readLink, type PresetSource } from './linkReading';
import { parsePreset, parsePresetIndex } from './presets';
import { encodeExperiment } from './urlCodec';

function diskPresets(): PresetSource & { asked: string[] } {
  const asked: string[] = [];
  const read = (path: string) => JSON.parse(readFileSync(`public/${path}`, 'utf8')) as unknown;
  return {
    asked,
    index: async () => {
      asked.push('index.json');
      return parsePresetIndex(read('presets/index.json')).presets;
    },
    load: async (entry) => {
      asked.push(entry.file);
      return read(`presets/${entry.file}`);
    },
  };
}

const heBn = () => parsePreset(JSON.parse(readFileSync('public/presets/he-bn.json', 'utf8'))).config;

describe('#preset= links', () => {
  it('opens a known preset, and the address bar then shows its experiment', async () => {
    const presets = diskPresets();
    const r = await readLink('preset=he-bn', presets);
    expect(r.config).toStrictEqual(heBn());
    expect([r.warnings, r.notes, r.source]).toEqual([[], [], 'Preset "With BatchNorm (He, Risotto)"']);
    expect(r.normalized).toBe(encodeExperiment(heBn()));
    expect(presets.asked).toEqual(['index.json', 'he-bn.json']);
  });

  const refused: [string, string, RegExp][] = [
    [
      'a path',
      'preset=../../etc/passwd',
      /^preset=\.\.\/\.\.\/etc\/passwd: not a preset name \(lowercase letters, digits and dashes\); ignored$/,
    ],
    ['an encoded path', 'preset=%2E%2E%2F%2E%2E%2Fetc%2Fpasswd', /^preset=\.\.\/\.\.\/etc\/passwd: not a preset name/],
    ['a doubly encoded path', 'preset=%252E%252E%252Fetc', /^preset=%2E%2E%2Fetc: not a preset name/],
    ['markup', 'preset=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E', /^preset=<img src=x onerror=alert\(1\)>: not a preset name/],
    ['a script tag', 'preset=<script>alert(1)</script>', /^preset=<script>alert\(1\)<\/script>: not a preset name/],
    ['upper case', 'preset=HE-BN', /^preset=HE-BN: not a preset name/],
    ['nothing', 'preset=', /^preset=\(empty\): not a preset name/],
    ['a file name', 'preset=he-bn.json', /^preset=he-bn\.json: not a preset name/],
  ];
  it.each(refused)('refuses %s by name, fetching nothing', async (_, query, warning) => {
    const presets = diskPresets();
    const r = await readLink(query, presets);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(warning);
    expect(r.config).toStrictEqual(defaultExperiment());
    expect(presets.asked).toEqual([]);
  });

  it('names a well-formed id that is not in the index, and lists the known ones', async () => {
    const presets = diskPresets();
    const r = await readLink('preset=resnet-9000', presets);
    expect(r.warnings).toEqual([
      expect.stringMatching(/^preset=resnet-9000: there is no such preset \(known: default, .*he-bn.*\); ignored$/),
    ]);
    expect(presets.asked).toEqual(['index.json']);
  });

  it('applies settings beside a preset on top of it, with a note, checking them like any link', async () => {
    const r = await readLink('preset=he-bn&w=9999&seed=5', diskPresets());
    expect(r.config).toStrictEqual({ ...heBn(), model: { ...heBn().model, width: 512 }, seed: 5 });
    expect(r.warnings).toEqual(['w=9999: above the maximum 512, used 512']);
    expect(r.notes).toEqual(["the link's own settings (w, seed) were applied on top of preset he-bn"]);
    const clean = await readLink('preset=he-bn&seed=5', diskPresets());
    expect([clean.config.seed, clean.config.model.batchNorm, clean.warnings]).toEqual([5, true, []]);
    // A setting that does not apply to the preset's optimizer is named, not applied.
    expect((await readLink('preset=he-bn&b1=0.5', diskPresets())).warnings).toEqual([
      'b1=0.5: applies only to the Adam optimizers, ignored',
    ]);
  });

  it('reads the rest of the link when the preset id is refused', async () => {
    const r = await readLink('preset=../x&seed=7', diskPresets());
    expect(r.config.seed).toBe(7);
    expect(r.warnings).toEqual([expect.stringMatching(/^preset=\.\.\/x: not a preset name/)]);
  });
});

describe('run=1 links', () => {
  it('start a clean, cheap link at once', async () => {
    const r = await readLink('v=2&w=32&run=1', diskPresets());
    expect([r.autostart, r.confirm, r.notes]).toEqual([true, undefined, []]);
    expect(r.normalized).toBe('v=2&w=32');
  });

  it('ask before a costly run, saying what it costs', async () => {
    const query = 'v=2&net=custom&blocks=100,100,100&w=512&bs=4096&steps=10000000&run=1';
    const r = await readLink(query, diskPresets());
    expect(r.warnings).toEqual([]);
    expect(trainingFlops(r.config)).toBeGreaterThan(AUTOSTART_MAX_FLOPS);
    expect(r.autostart).toBe(true);
    expect(r.confirm).toMatch(
      /^This link asks to start training at once: about 1\.4e24 FLOPs \(4 runs x 10,000,000 steps x batch 4096\), which can take hours on this GPU\. Start it now\?$/,
    );
    // Just under the limit starts without asking.
    expect(trainingFlops(defaultExperiment())).toBeLessThan(AUTOSTART_MAX_FLOPS);
    expect((await readLink('v=2&run=1', diskPresets())).confirm).toBeUndefined();
  });

  it('never start a link with problems, and say why', async () => {
    for (const query of ['v=2&w=99999&run=1', 'v=99&run=1', 'w=3%E2%80%8B2&run=1', 'preset=nope&run=1']) {
      const r = await readLink(query, diskPresets());
      expect(r.autostart, query).toBe(false);
      expect(r.notes, query).toContain('run=1 was not followed because the link has problems: check the settings, then press Run');
    }
    expect((await readLink('v=2&run=0', diskPresets())).autostart).toBe(false);
  });
});

describe('invisible characters', () => {
  const cases: [string, string, (c: ReturnType<typeof defaultExperiment>) => unknown, unknown, string][] = [
    ['a zero-width space in a number', 'w=3%E2%80%8B2', (c) => c.model.width, 32, 'w: removed invisible character U+200B from the link'],
    ['a byte-order mark', 'seed=%EF%BB%BF5', (c) => c.seed, 5, 'seed: removed invisible character U+FEFF from the link'],
    [
      'an Arabic letter mark in a name',
      'ds=mnist%D8%9C',
      (c) => c.dataset,
      'mnist',
      'ds: removed invisible character U+061C from the link',
    ],
    ['a bidi override in a key', 'w%E2%80%AE=32', (c) => c.model.width, 32, 'w: removed invisible character U+202E from the link'],
    [
      'unencoded zero-width characters',
      'bs=\u200b12\u200d8',
      (c) => c.batchSize,
      128,
      'bs: removed invisible characters U+200B, U+200D from the link',
    ],
    [
      'a soft hyphen in a scheme list',
      'init=he,fix%C2%ADup',
      (c) => c.schemes,
      [{ id: 'he' }, { id: 'fixup' }],
      'init: removed invisible character U+00AD from the link',
    ],
  ];
  it.each(cases)('strips %s with a warning', async (_, query, pick, value, warning) => {
    const r = await readLink(query, diskPresets());
    expect(pick(r.config)).toStrictEqual(value);
    expect(r.warnings).toEqual([warning]);
    expect(r.normalized).not.toMatch(/%E2%80|%EF%BB|%D8%9C|%C2%AD/);
  });

  it('keeps them out of warnings that quote a value', async () => {
    const r = await readLink('zz%E2%80%8Bq=1&ds=%E2%80%8F%3Cb%3E', diskPresets());
    for (const w of r.warnings) expect(w).not.toMatch(/[\u200b\u200f\ufeff\u061c]/);
  });
});

describe('the normalized address', () => {
  it('is the experiment alone: no damage, no unknown keys, no run=1', async () => {
    const r = await readLink('v=2&w=abc&foo=<b>&seed=9&run=1', diskPresets());
    expect(r.normalized).toBe(encodeExperiment({ ...defaultExperiment(), seed: 9 }));
    expect((await readLink(r.normalized, diskPresets())).warnings).toEqual([]);
  });
});
