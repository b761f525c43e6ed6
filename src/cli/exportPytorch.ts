// `npm run lab -- export-pytorch --out DIR`: writes the experiment as a PyTorch package
// (see src/lab/pytorch/package.ts) into DIR. An earlier export is recognised only by its
// format marker (config.json's "format"); any other non-empty folder needs --force.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset, ExperimentConfig } from '../lab';
import { buildPytorchPackage, isPytorchPackageConfig, PYTORCH_PACKAGE_FORMAT, README_COMMANDS, experimentLink } from '../lab';
import { writeOutputs } from './outputs';

/** Why `out` may not take the package, or undefined when it may. */
function folderProblem(out: string, writes: string[]): string | undefined {
  if (!existsSync(out)) return undefined;
  if (!statSync(out).isDirectory()) return `${out} is a file, not a folder; choose a folder for the package`;
  if (readdirSync(out).length === 0) return undefined;
  const config = join(out, 'config.json');
  if (existsSync(config) && statSync(config).isFile() && isPytorchPackageConfig(readFileSync(config, 'utf8'))) return undefined;
  const clobbered = writes.filter((p) => existsSync(join(out, p)));
  const would = clobbered.length ? ` (it would replace your ${clobbered.join(', ')})` : '';
  return `${out} holds files and is not an earlier export (no config.json with "format": "${PYTORCH_PACKAGE_FORMAT}"); choose an empty folder, or add --force to write into it anyway${would}`;
}

export function exportPytorch(
  exp: ExperimentConfig,
  dataset: Dataset,
  out: string,
  opts: { includeData: boolean; force: boolean; labUrl?: string },
  log: (s: string) => void,
): void {
  const labUrl = opts.labUrl ? experimentLink(opts.labUrl, exp) : undefined;
  const files = buildPytorchPackage(exp, dataset, { includeData: opts.includeData, labUrl });
  const problem = folderProblem(
    out,
    files.map((f) => f.path),
  );
  if (problem && !(opts.force && existsSync(out) && statSync(out).isDirectory())) throw new Error(problem);
  writeOutputs(
    files.map((f) => ({ path: join(out, f.path), data: f.data })),
    log,
  );
  const bytes = files.reduce((a, f) => a + f.data.length, 0);
  log(`wrote ${files.length} files (${(bytes / 1e6).toFixed(1)} MB) to ${out}`);
  if (labUrl) log(`in the lab: ${labUrl}`);
  log(`next: cd ${out} && ${README_COMMANDS.parity} && ${README_COMMANDS.single}   (see ${join(out, 'README.md')})`);
}
