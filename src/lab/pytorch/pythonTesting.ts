// Shared by the PyTorch export's Python-driven tests: a tiny dataset and experiment, a
// package written to a temp folder, and shell helpers that run commands with a Python
// that has torch first on PATH (so README commands run as printed). Not a test itself.

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Dataset } from '../../data';
import type { OptimizerConfig } from '../../nn';
import { defaultExperiment } from '../experimentFields';
import { type ExperimentConfig } from '../experimentConfig';
import { parseMetricsCsv, type ExternalRun } from '../externalRuns';
import { findTorchPython, type TorchPython } from '../node/torchPython';
import { buildPytorchPackage } from './package';

export const SCHEMES = ['risotto', 'he', 'fixup', 'skipinit'] as const;

/** 3 x 10 x 10 images (stages of 10, 5 and 3 pixels), 4 classes told apart by a bright quadrant. */
export function tinyDataset(): Dataset {
  const split = (count: number, salt: number) => {
    const pixels = new Uint8Array(count * 300);
    const labels = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      labels[i] = (i * 7 + salt) % 4;
      for (let j = 0; j < 300; j++) {
        const y = Math.floor((j % 100) / 10);
        const x = j % 10;
        const quadrant = (y >= 5 ? 2 : 0) + (x >= 5 ? 1 : 0);
        pixels[i * 300 + j] = (quadrant === labels[i] ? 160 : 40) + ((i * 31 + j * 17 + salt) % 50);
      }
    }
    return { pixels, labels, count };
  };
  return { id: 'tiny', name: 'tiny quadrants', channels: 3, height: 10, width: 10, classNames: ['a', 'b', 'c', 'd'], train: split(96, 1), test: split(40, 2) };
}

export function experiment(skip: 'B' | 'C', batchNorm: boolean, optimizer?: OptimizerConfig, over: Partial<ExperimentConfig> = {}): ExperimentConfig {
  return {
    ...defaultExperiment(),
    dataset: 'ab'.repeat(32), // an upload, named by its content hash
    model: { preset: 'custom', blocksPerStage: [1, 2, 1], block: 'basic', stem: 'cifar', width: 8, skip, batchNorm },
    schemes: SCHEMES.map((id) => ({ id })),
    ...over,
    batchSize: 16,
    steps: 4,
    warmupSteps: 1,
    schedule: { kind: 'cosine', totalSteps: 4 },
    evalEvery: 2,
    evalBatches: 1,
    seed: 11,
    ...(optimizer && { optimizer }),
  };
}

export const FOUR_STAGES: Partial<ExperimentConfig> = { model: { preset: 'custom', blocksPerStage: [1, 1, 1, 1], block: 'basic', stem: 'cifar', width: 8, skip: 'C', batchNorm: true } };

export function writePackage(exp: ExperimentConfig): string {
  const dir = mkdtempSync(join(tmpdir(), 'pytorch-export-'));
  for (const f of buildPytorchPackage(exp, tinyDataset())) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.data);
  }
  return dir;
}

let torch: TorchPython | undefined;

/** The Python with torch (found once; throws with install instructions when none). */
export function py(): TorchPython {
  torch ??= findTorchPython();
  return torch;
}

export function sh(cmd: string, cwd: string): { status: number | null; out: string } {
  const r = spawnSync('sh', ['-c', cmd], { cwd, env: py().env, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

export function run(cmd: string, cwd: string): string {
  const r = sh(cmd, cwd);
  if (r.status !== 0) throw new Error(`\`${cmd}\` failed (exit ${r.status}):\n${r.out.slice(-3000)}`);
  return r.out;
}

/** The exit code and output of `cmd` run through sh, without blocking the event loop. */
export function shAsync(cmd: string, cwd: string): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', cmd], { cwd, env: py().env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, out });
    });
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** The runs of a metrics CSV that train.py wrote under `dir`. */
export function csvRuns(dir: string, path: string, exp?: ExperimentConfig): { runs: ExternalRun[]; warnings: string[] } {
  return parseMetricsCsv(readFileSync(join(dir, path), 'utf8'), { tool: 'PyTorch', file: path }, exp);
}

