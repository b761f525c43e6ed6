import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultExperiment, type ExperimentConfig } from '../lab/experiment';
import { datasetFor } from './datasetArg';
import { exportPytorch } from './exportPytorch';

const exp: ExperimentConfig = { ...defaultExperiment(), model: { preset: 'custom', blocksPerStage: [1, 1, 1], width: 8, skip: 'B', batchNorm: false }, schemes: [{ id: 'risotto' }] };

describe('export-pytorch (command line)', () => {
  it('writes the package, with the lab link when given, and refuses a folder that holds something else', async () => {
    const { dataset } = await datasetFor(exp, undefined);
    const out = join(mkdtempSync(join(tmpdir(), 'cli-export-')), 'pkg');
    const logs: string[] = [];
    exportPytorch(exp, dataset, out, { includeData: false, force: false, labUrl: 'http://lab.example/' }, (s) => logs.push(s));
    for (const f of ['model.py', 'train.py', 'config.json', 'README.md', 'weights/risotto.safetensors']) expect(existsSync(join(out, f)), f).toBe(true);
    expect(existsSync(join(out, 'data'))).toBe(false);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain('Open it in the lab: http://lab.example/#v=1');
    expect(logs[0]).toMatch(/^wrote 10 files/);
    // Exporting again over an earlier export is fine; over other files it needs --force.
    exportPytorch(exp, dataset, out, { includeData: false, force: false }, () => {});
    const other = mkdtempSync(join(tmpdir(), 'cli-other-'));
    mkdirSync(join(other, 'src'));
    writeFileSync(join(other, 'notes.txt'), 'mine');
    expect(() => exportPytorch(exp, dataset, other, { includeData: false, force: false }, () => {})).toThrow(/exists and is not an earlier export; choose an empty folder or add --force/);
    expect(readFileSync(join(other, 'notes.txt'), 'utf8')).toBe('mine');
  });
});
