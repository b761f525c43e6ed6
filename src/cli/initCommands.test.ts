import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultExperiment } from '../lab/experimentFields';
import { type ExperimentConfig } from '../lab/experimentConfig';
import { cardPathFor, writeInitialWeights } from './initCommands';

const exp: ExperimentConfig = {
  ...defaultExperiment(),
  model: { preset: 'custom', blocksPerStage: [1, 1, 1], block: 'basic', stem: 'cifar', width: 4, skip: 'B', batchNorm: false },
  schemes: [{ id: 'risotto' }, { id: 'he' }],
};
const shape = { channels: 1, size: 8, classes: 3 };

describe('init (command line)', () => {
  it('writes the model card to <out>.card.json, leaving an experiment file named <out>.json alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-init-'));
    writeFileSync(join(dir, 'exp.json'), '{"mine": true}');
    const logs: string[] = [];
    writeInitialWeights(exp, shape, join(dir, 'exp.safetensors'), 'risotto', false, (s) => logs.push(s));
    expect(readFileSync(join(dir, 'exp.json'), 'utf8')).toBe('{"mine": true}');
    expect(JSON.parse(readFileSync(join(dir, 'exp.card.json'), 'utf8')).format).toBe('risotto-lab-model');
    expect(logs.filter((l) => l.startsWith('wrote '))).toEqual([
      expect.stringMatching(/^wrote .*exp\.safetensors \(\d+ kB\)$/),
      expect.stringMatching(/^wrote .*exp\.card\.json \(\d+ kB\)$/),
    ]);
    expect(cardPathFor('a/b.safetensors')).toBe('a/b.card.json');
  });

  it('refuses to replace existing weights or cards without --force, writing nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-init-'));
    const out = join(dir, 'w.safetensors');
    writeFileSync(join(dir, 'w.he.card.json'), 'my notes');
    expect(() => writeInitialWeights(exp, shape, out, undefined, false, () => {})).toThrow(
      /w\.he\.card\.json already exists and would be replaced; choose another --out, or add --force to replace it/,
    );
    expect(existsSync(join(dir, 'w.risotto.safetensors'))).toBe(false);
    expect(readFileSync(join(dir, 'w.he.card.json'), 'utf8')).toBe('my notes');
    const logs: string[] = [];
    writeInitialWeights(exp, shape, out, undefined, true, (s) => logs.push(s));
    expect(logs).toContain(`replaced ${join(dir, 'w.he.card.json')} (${logs.find((l) => l.includes('w.he.card.json'))!.split('(')[1]}`);
    expect(existsSync(join(dir, 'w.risotto.safetensors'))).toBe(true);
  });
});
