import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultExperiment } from '../lab/experimentFields';
import { type ExperimentConfig } from '../lab/experimentConfig';
import { datasetFor } from './datasetArg';
import { exportPytorch } from './exportPytorch';

const exp: ExperimentConfig = {
  ...defaultExperiment(),
  model: { preset: 'custom', blocksPerStage: [1, 1, 1], block: 'basic', stem: 'cifar', width: 8, skip: 'B', batchNorm: false },
  schemes: [{ id: 'risotto' }],
};
const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

describe('export-pytorch (command line)', () => {
  it('writes the package, with the lab link when given, listing every file, and updates an earlier export in place', async () => {
    const { dataset } = await datasetFor(exp, undefined);
    const out = join(tmp('cli-export-'), 'pkg');
    const logs: string[] = [];
    exportPytorch(exp, dataset, out, { includeData: false, force: false, labUrl: 'http://lab.example/' }, (s) => logs.push(s));
    for (const f of ['model.py', 'train.py', 'config.json', 'README.md', 'weights/risotto.safetensors'])
      expect(existsSync(join(out, f)), f).toBe(true);
    expect(existsSync(join(out, 'data'))).toBe(false);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain('Open it in the lab: http://lab.example/#v=2');
    expect(logs.filter((l) => l.startsWith(`wrote ${out}/`))).toHaveLength(14);
    expect(logs).toContain(`wrote ${join(out, 'config.json')} (${logs.find((l) => l.includes('config.json'))!.split('(')[1]}`);
    expect(logs.find((l) => /^wrote 14 files/.test(l))).toBeDefined();
    // Exporting again over an earlier export (its config.json carries the format marker) is fine.
    const again: string[] = [];
    exportPytorch(exp, dataset, out, { includeData: false, force: false }, (s) => again.push(s));
    expect(again.filter((l) => l.startsWith(`replaced ${out}/`))).toHaveLength(14);
  });

  it("never treats a folder with the user's own config.json and README.md as an earlier export", async () => {
    const { dataset } = await datasetFor(exp, undefined);
    const mine = tmp('cli-mine-');
    writeFileSync(join(mine, 'config.json'), '{"learning_rate": 0.1}');
    writeFileSync(join(mine, 'README.md'), '# my project');
    expect(() => exportPytorch(exp, dataset, mine, { includeData: false, force: false }, () => {})).toThrow(
      /holds files and is not an earlier export \(no config.json with "format": "risotto-lab-pytorch"\); choose an empty folder, or add --force to write into it anyway \(it would replace your config\.json, README\.md\)/,
    );
    expect(readFileSync(join(mine, 'config.json'), 'utf8')).toBe('{"learning_rate": 0.1}');
    expect(readFileSync(join(mine, 'README.md'), 'utf8')).toBe('# my project');
    expect(existsSync(join(mine, 'model.py'))).toBe(false);
    // A config.json that is not even JSON is the user's too.
    writeFileSync(join(mine, 'config.json'), 'not json');
    expect(() => exportPytorch(exp, dataset, mine, { includeData: false, force: false }, () => {})).toThrow(/is not an earlier export/);
    // --force is the user's say-so.
    const logs: string[] = [];
    exportPytorch(exp, dataset, mine, { includeData: false, force: true }, (s) => logs.push(s));
    expect(logs).toContain(`replaced ${join(mine, 'README.md')} (${logs.find((l) => l.includes('README.md'))!.split('(')[1]}`);
  });

  it('refuses a folder holding other files, and a file where the folder should be', async () => {
    const { dataset } = await datasetFor(exp, undefined);
    const other = tmp('cli-other-');
    mkdirSync(join(other, 'src'));
    writeFileSync(join(other, 'notes.txt'), 'mine');
    expect(() => exportPytorch(exp, dataset, other, { includeData: false, force: false }, () => {})).toThrow(
      /is not an earlier export.*choose an empty folder, or add --force/,
    );
    expect(readFileSync(join(other, 'notes.txt'), 'utf8')).toBe('mine');
    const file = join(other, 'notes.txt');
    expect(() => exportPytorch(exp, dataset, file, { includeData: false, force: true }, () => {})).toThrow(
      /notes\.txt is a file, not a folder/,
    );
  });
});
