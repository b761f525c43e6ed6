// `train` on the command line (software GPU in Node): it says each file it wrote, and an
// output folder that already holds results, or is a file, is refused before any training.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tinyExperiment } from '../lab/configTesting';
import { type ExperimentConfig } from '../lab/experimentConfig';
import { datasetFor } from './datasetArg';
import { train } from './train';

// Risotto, 2 steps, evaluated at the end.
const exp: ExperimentConfig = tinyExperiment({ schemes: [{ id: 'risotto' }], steps: 2, evalEvery: 2 });
const tmp = () => mkdtempSync(join(tmpdir(), 'cli-train-'));

describe('train (command line)', () => {
  it('writes metrics.csv, summary.csv and results.json, listing each', { timeout: 300_000 }, async () => {
    const { dataset } = await datasetFor(exp, undefined);
    const out = join(tmp(), 'run');
    const logs: string[] = [];
    const end = await train(exp, dataset, out, false, (s) => logs.push(s));
    expect(end.runs.map((r) => [r.status, r.message])).toEqual([['finished', undefined]]);
    for (const f of ['metrics.csv', 'summary.csv', 'results.json']) {
      expect(existsSync(join(out, f)), f).toBe(true);
      expect(logs).toContainEqual(expect.stringMatching(new RegExp(`^wrote ${join(out, f).replace(/[.]/g, '\\.')} \\(\\d+ kB\\)$`)));
    }
  });

  it('refuses an --out folder holding earlier results, and an --out that is a file, before training', async () => {
    const { dataset } = await datasetFor(exp, undefined);
    const out = tmp();
    writeFileSync(join(out, 'summary.csv'), 'my earlier results');
    const logs: string[] = [];
    await expect(train(exp, dataset, out, false, (s) => logs.push(s))).rejects.toThrow(
      /summary\.csv already exists and would be replaced; choose another --out folder, or add --force to replace it/,
    );
    expect(readFileSync(join(out, 'summary.csv'), 'utf8')).toBe('my earlier results');
    expect(existsSync(join(out, 'metrics.csv'))).toBe(false);
    // Nothing was trained: not even the GPU was asked for.
    expect(logs).toEqual([]);
    const file = join(out, 'summary.csv');
    await expect(train(exp, dataset, file, true, (s) => logs.push(s))).rejects.toThrow(/^--out .*summary\.csv is a file, not a folder/);
    expect(logs).toEqual([]);
  });
});
