// Hostile and broken links: each gives readable warnings and defaults (or a clamped
// value), never a throw, never a polluted prototype, never markup passed through as-is
// beyond a short quoted excerpt.

import { compressToEncodedURIComponent } from 'lz-string';
import { describe, expect, it } from 'vitest';
import { defaultExperiment } from './experimentFields';
import { decodeExperiment, decodeExperimentJson, encodeExperiment, MAX_QUERY_CHARS } from './urlCodec';

const packed = (text: string) => `v=2&c=${compressToEncodedURIComponent(text)}`;
const longConfig = encodeExperiment({
  ...defaultExperiment(),
  schemes: [1, 2, 3, 4, 5, 6].map((k) => ({ id: 'risotto' as const, options: { aRes: 1 / k, aSkip: k, permutation: 'random' } })),
});

/** Each must decode to exactly the default experiment, with at least one warning. */
const TO_DEFAULTS: Record<string, string> = {
  'infinite width': 'w=1e999',
  'Infinity spelled out': 'lr=Infinity',
  'infinite lr': 'lr=1e999',
  NaN: 'w=NaN&steps=NaN',
  'text for a number': 'w=abc',
  'hex for a number': 'bs=0x40',
  'empty number': 'w=',
  'not a boolean': 'bn=maybe',
  'script tag as dataset': 'ds=<script>alert(1)</script>',
  'escaped script tag': 'ds=%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  'path as dataset': 'ds=../../etc/passwd',
  'almost a hash': `ds=${'g'.repeat(64)}`,
  'hash too short': `ds=${'a'.repeat(63)}`,
  'unknown scheme only': 'init=eval',
  'markup as schemes': 'init=<img src=x onerror=alert(1)>',
  'empty schemes': 'init=',
  'prototype as scheme': 'init=__proto__,constructor',
  'unknown optimizer': 'opt=Function',
  'unknown schedule': 'sched=exp',
  'unknown preset': 'net=resnet1000',
  'blocks without net=custom': 'blocks=5,5,5',
  'future version': 'v=99',
  'zero version': 'v=0',
  'text version': 'v=one',
  'unknown key': 'foo=1',
  'proto key': '__proto__=1&constructor=2&prototype=3',
  'broken escape': 'w=%E0%A4%A',
  'lone equals': '=',
  'duplicate keys, first bad': 'w=abc&w=32',
  'Adam beta1 under SGD': 'b1=0.5',
  'truncated compressed data': `v=2&c=${longConfig.slice(6, 6 + Math.floor((longConfig.length - 6) / 2))}`,
  'garbage compressed data': 'v=2&c=!!!!****',
  'compressed non-JSON': packed('w=32'),
  'compressed array': packed('[["w","32"]]'),
  'compressed wrong types': packed('{"w":32,"bn":true}'),
  'compressed __proto__': packed('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}'),
  'compressed too large': packed(JSON.stringify({ init: 'he,'.repeat(10000) })),
  '100 kB payload': `w=${'9'.repeat(100_000)}`,
  '100 kB of keys': 'a=1&'.repeat(25_000),
  'just over the size cap': `v=2&foo=${'x'.repeat(MAX_QUERY_CHARS)}`,
  'run with a bad value': 'run=yes',
};

/** Each must clamp or reset one field to the given value, with a warning. */
const CLAMPED: [string, string, (c: ReturnType<typeof defaultExperiment>) => unknown, unknown][] = [
  ['huge width', 'w=1e308', (c) => c.model.width, 512],
  ['negative width', 'w=-5', (c) => c.model.width, 1],
  ['fractional width', 'w=16.6', (c) => c.model.width, 17],
  ['negative batch size', 'bs=-64', (c) => c.batchSize, 2],
  ['huge batch size', 'bs=1e9', (c) => c.batchSize, 4096],
  ['huge steps', 'steps=1e308', (c) => c.steps, 1e7],
  ['negative seed', 'seed=-1', (c) => c.seed, 0],
  ['seed past 2^32', 'seed=4294967296', (c) => c.seed, 2 ** 32 - 1],
  ['huge lr', 'lr=1e308', (c) => c.optimizer.lr, 10],
  ['negative lr', 'lr=-0.1', (c) => c.optimizer.lr, 1e-8],
  ['momentum of 1', 'mom=1', (c) => c.optimizer.momentum, 0.999999],
  ['crop padding', 'crop=99', (c) => c.augment.cropPad, 8],
  ['negative mixup alpha', 'mix=-1', (c) => c.augment.mixup, 0],
  ['unsorted milestones', 'sched=step&ms=600,300,300', (c) => c.schedule, { kind: 'step', milestones: [300, 600], gamma: 0.1 }],
  ['scheme option below its minimum', 'init=fixup(m:1)', (c) => c.schemes, [{ id: 'fixup', options: { m: 2 } }]],
  ['huge scheme option', 'init=risotto(aRes:1e300)', (c) => c.schemes, [{ id: 'risotto', options: { aRes: 1e6 } }]],
  ['partly bad scheme list', 'init=risotto(aRes:0,zz:1),foo,he,he', (c) => c.schemes, [{ id: 'risotto' }, { id: 'he' }]],
  ['duplicate keys, first good', 'w=32&w=abc', (c) => c.model.width, 32],
  ['two stages only', 'net=custom&blocks=1,1', (c) => c.model.blocksPerStage, [1, 1, 1]],
  ['broken blocks', 'net=custom&blocks=1,x,1', (c) => c.model.blocksPerStage, [1, 1, 1]],
  ['zero blocks', 'net=custom&blocks=0,0,0', (c) => c.model.blocksPerStage, [1, 1, 1]],
];

/** Field-level fine, together not: the offending part falls back to its default. */
const CLASHES: [string, string, (c: ReturnType<typeof defaultExperiment>) => unknown][] = [
  ['cosine shorter than warmup', 'total=10&warm=20', (c) => [c.schedule, c.warmupSteps]],
  ['minLr above lr', 'lr=0.01&minlr=0.5', (c) => c.schedule],
  ['Nesterov without momentum', 'opt=sgd-nesterov&mom=0', (c) => c.optimizer],
];

function expectReadable(warnings: string[]): void {
  expect(warnings.length).toBeGreaterThan(0);
  expect(warnings.length).toBeLessThanOrEqual(31);
  for (const w of warnings) {
    expect(typeof w).toBe('string');
    expect(w.length).toBeLessThan(600);
    expect(w).not.toMatch(/[\u0000-\u001f]/);
  }
}

describe('decodeExperiment on hostile and broken links', () => {
  it.each(Object.entries(TO_DEFAULTS))('%s: warnings and the default experiment', (_, query) => {
    const { config, warnings } = decodeExperiment(query);
    expect(config).toStrictEqual(defaultExperiment());
    expectReadable(warnings);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each(CLAMPED)('%s: clamped or reset with a warning', (_, query, pick, expected) => {
    const { config, warnings } = decodeExperiment(query);
    expect(pick(config)).toStrictEqual(expected);
    expectReadable(warnings);
  });

  it.each(CLASHES)('%s: that part falls back to its default', (_, query, pick) => {
    const { config, warnings } = decodeExperiment(query);
    expect(pick(config)).toStrictEqual(pick(defaultExperiment()));
    expectReadable(warnings);
  });

  it('says which key was wrong and what was used instead', () => {
    expect(decodeExperiment('w=abc').warnings).toEqual(['w=abc: not a number; used the default 16']);
    expect(decodeExperiment('v=2&w=1e308').warnings).toEqual(['w=1e308: above the maximum 512, used 512']);
    expect(decodeExperiment('v=99').warnings[0]).toMatch(/^v=99: made by a newer lab \(version 99\)/);
    expect(decodeExperiment('zzz=1').warnings).toEqual(['unknown setting zzz; ignored']);
    expect(decodeExperiment('mom=0.5&opt=adam').warnings).toEqual(['mom=0.5: applies only to the SGD optimizers, ignored']);
    expect(decodeExperiment('w=abc&w=32').warnings).toEqual([
      'w: given more than once; used the first value abc',
      'w=abc: not a number; used the default 16',
    ]);
  });

  it('quotes at most a short excerpt of what the link said', () => {
    const { warnings } = decodeExperiment(`ds=${'<b>'.repeat(1000)}`);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].length).toBeLessThan(200);
  });

  it('reads an empty link as the default experiment, silently', () => {
    for (const q of ['', '?', '#', '&&'])
      expect(decodeExperiment(q)).toStrictEqual({ config: defaultExperiment(), warnings: [], notes: [] });
  });

  it('never throws, whatever it is given', () => {
    const odd: unknown[] = [undefined, null, 42, {}, [], 'a'.repeat(1e6), '%', '%%%%', '&=&=&', 'c=', 'v=2&c=%FF'];
    for (const q of odd) expect(() => decodeExperiment(q as string)).not.toThrow();
  });
});

describe('decodeExperimentJson on hostile JSON', () => {
  it('ignores __proto__ and constructor keys without touching prototypes', () => {
    const json = JSON.parse(
      '{"version":1,"__proto__":{"polluted":"yes"},"model":{"__proto__":{"width":3}},"schemes":[{"id":"he","options":{"__proto__":{"x":1}}}]}',
    );
    const { config, warnings } = decodeExperimentJson(json);
    expect(config).toStrictEqual({ ...defaultExperiment(), schemes: [{ id: 'he' }] });
    expect(Object.getPrototypeOf(config.schemes[0])).toBe(Object.prototype);
    expect(warnings.join('\n')).toMatch(/__proto__/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('falls back on wrong types and non-objects', () => {
    for (const json of [null, 3, 'x', [1], { model: 5 }, { version: 3 }, { steps: '100' }, { schemes: 'he' }]) {
      const { config, warnings } = decodeExperimentJson(json);
      expect(config).toStrictEqual(defaultExperiment());
      expectReadable(warnings);
    }
  });
});
