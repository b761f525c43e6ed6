// `npm run lab -- export-pytorch --out DIR`: writes the experiment as a PyTorch package
// (see src/lab/pytorch/package.ts) into DIR, refusing to overwrite a different folder.

import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Dataset } from '../lab/dataTypes';
import type { ExperimentConfig } from '../lab/experiment';
import { buildPytorchPackage } from '../lab/pytorch/package';
import { README_COMMANDS } from '../lab/pytorch/readme';
import { experimentLink } from '../lab/urlCodec';

export function exportPytorch(exp: ExperimentConfig, dataset: Dataset, out: string, opts: { includeData: boolean; force: boolean; labUrl?: string }, log: (s: string) => void): void {
  if (existsSync(out) && readdirSync(out).length > 0 && !existsSync(join(out, 'config.json')) && !opts.force) {
    throw new Error(`${out} exists and is not an earlier export; choose an empty folder or add --force`);
  }
  const labUrl = opts.labUrl ? experimentLink(opts.labUrl, exp) : undefined;
  const files = buildPytorchPackage(exp, dataset, { includeData: opts.includeData, labUrl });
  for (const f of files) {
    const path = join(out, f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.data);
  }
  const bytes = files.reduce((a, f) => a + f.data.length, 0);
  log(`wrote ${files.length} files (${(bytes / 1e6).toFixed(1)} MB) to ${out}`);
  if (labUrl) log(`in the lab: ${labUrl}`);
  log(`next: cd ${out} && ${README_COMMANDS.parity} && ${README_COMMANDS.single}   (see ${join(out, 'README.md')})`);
}
